// Package semconv is the vocabulary otelllm emits: every span attribute key,
// enum value, metric instrument name, unit and bucket advice, in one place.
//
// The GenAI keys follow the OpenTelemetry semantic conventions at
// [SchemaURL] (v1.41.0), the last version whose GenAI vocabulary upstream
// generated for Go. Keys under "otelllm." are this project's own additions,
// for facts the conventions have no key for (where a usage count came from,
// why a span ended, the price table that priced a call).
//
// # Metrics
//
// Semantic-convention histograms (attributes: gen_ai.operation.name,
// gen_ai.provider.name, gen_ai.request.model, gen_ai.response.model,
// server.address, server.port, error.type where the call failed; and
// gen_ai.token.type on token usage):
//
//	gen_ai.client.token.usage                     {token}  histogram
//	gen_ai.client.operation.duration              s        histogram
//	gen_ai.client.operation.time_to_first_chunk   s        histogram (streams)
//	gen_ai.client.operation.time_per_output_chunk s        histogram (streams)
//
// otelllm counters, monotonic so that rate() and sums work in any backend
// (attributes: gen_ai.operation.name, gen_ai.provider.name,
// gen_ai.request.model, gen_ai.response.model, error.type where the call
// failed; and otelllm.token.type on the token counter):
//
//	otelllm.client.token.count   {token}  counter, by otelllm.token.type:
//	                                      input, output, cache_read,
//	                                      cache_creation, reasoning
//	otelllm.client.cost          USD      float counter
//	otelllm.client.requests      {request} counter (calls a tracker's limit
//	                                      refused too, error.type budget_exceeded)
//
// otelllm gauges of the providers' rate limits, recorded with each response
// whose headers state them (attributes: gen_ai.provider.name,
// gen_ai.request.model, otelllm.ratelimit.resource, otelllm.ratelimit.window
// where the provider names one):
//
//	otelllm.client.ratelimit.remaining  {count}  int gauge
//	otelllm.client.ratelimit.limit      {count}  int gauge
//
// Context attributes (otelllm.ContextWithAttributes, W3C baggage) reach the
// call metrics only for the keys the application names
// (otelllm.WithContextMetricKeys), each with at most MaxContextMetricValues
// distinct values, later ones as ContextValueOverflow. They are not on the
// rate-limit gauges, which are the provider's, not the caller's.
//
// # Latest conventions and the migration to them
//
// The GenAI conventions left the core semantic-conventions repository
// after v1.41.0 for open-telemetry/semantic-conventions-genai, and renamed
// what otelllm emits since. The Latest* names in latest.go follow that
// repository at [GenAICommit]. Which names are emitted follows the
// OpenTelemetry practice for convention migrations ([ParseStability] of
// OTEL_SEMCONV_STABILITY_OPT_IN, a comma-separated list):
//
//	(unset, or no GenAI token)        the v1.41.0 names above, as always
//	gen_ai_latest_experimental        the latest names instead
//	gen_ai_latest_experimental/dup    both, for a migration (wins over the plain token)
//
// The mapping, old → new (a name not listed is unchanged: every other
// span attribute, the span name "{gen_ai.operation.name}
// {gen_ai.request.model}", span kind CLIENT, error.type, server.address,
// server.port, the operation and provider values, the otelllm.* keys):
//
//	span attributes
//	gen_ai.usage.cache_creation.input_tokens → gen_ai.usage.cache_write.input_tokens
//	gen_ai.request.top_k (double)            → gen_ai.request.top_k (int; decoding top-K only)
//	metrics, inference (chat, text_completion, generate_content)
//	gen_ai.client.operation.duration              → gen_ai.client.inference.duration (s, same buckets)
//	gen_ai.client.operation.time_to_first_chunk   → gen_ai.client.inference.time_to_first_chunk (s)
//	gen_ai.client.operation.time_per_output_chunk → gen_ai.client.inference.time_per_output_chunk (s,
//	                                                buckets 0.01 … 81.92 like duration)
//	gen_ai.client.token.usage{gen_ai.token.type=input}
//	    → gen_ai.client.inference.operation.input_tokens  ({token} histogram, no token type)
//	    + gen_ai.client.inference.usage.input_tokens      ({token} counter, by gen_ai.token.modality)
//	gen_ai.client.token.usage{gen_ai.token.type=output}
//	    → gen_ai.client.inference.operation.output_tokens
//	    + gen_ai.client.inference.usage.output_tokens
//	(new) gen_ai.client.inference.usage.cache_read.input_tokens, …cache_write.input_tokens,
//	      …reasoning.output_tokens ({token} counters, by gen_ai.token.modality)
//	metrics, embeddings
//	gen_ai.client.operation.duration → gen_ai.client.embeddings.duration (s)
//	gen_ai.client.token.usage        → gen_ai.client.embeddings.operation.input_tokens ({token} histogram)
//	attribute gen_ai.token.type      → not on the latest instruments; gen_ai.token.modality instead
//
// Content capture (content.go) uses the same keys in both versions:
// gen_ai.input.messages, gen_ai.output.messages, gen_ai.system_instructions
// and gen_ai.tool.definitions, JSON strings on the span that follow the
// schemas in testdata/, and the same values, structured, as attributes of
// the gen_ai.client.inference.operation.details log record. Content is
// captured only when the user asks for it.
//
// Where otelllm departs from the latest conventions, on purpose:
//
//   - No usage, no count. The latest conventions ask instrumentations to
//     record each inference on the usage counters and histograms "including
//     failed ones", with 0 when no usage arrived and gen_ai.token.modality
//     "unknown". otelllm records a count only when the provider reported
//     it: token counts are billing data, and a 0 recorded for a call
//     whose usage was never seen (a failed call, a stream cut short, a
//     provider that sends none) is indistinguishable from a call that
//     really cost nothing, and makes every average and total wrong. Such a
//     call is counted on otelllm.client.requests, its span says
//     otelllm.usage.source=absent, and the usage instruments stay silent.
//     A 0 the provider did report is recorded as reported.
//   - Finish reasons. The latest conventions ask for "error" in
//     gen_ai.response.finish_reasons where a reason was expected but not
//     received; otelllm reports the reasons the provider sent, and says how
//     the response ended in otelllm.response.end and error.type.
//
// The usage counters require gen_ai.token.modality: a count the provider
// did not break down goes under "unknown", as the conventions say, and
// text, image or audio only where the provider reports that split.
//
// No schema URL is published for the latest conventions yet; a tracer or
// meter that emits them should not claim the v1.41.0 one ([SchemaURL]).
//
// No metric carries ids, URLs or content: the attribute sets are bounded by
// the number of providers, operations and models in use.
package semconv
