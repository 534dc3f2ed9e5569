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
//	gen_ai.request.stream (true or false)    → gen_ai.request.stream only when true
//	gen_ai.request.choice.count (any)        → gen_ai.request.choice.count only when not 1
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
// What each mode emits, as otelllm.NewTransport reads it (once per
// Transport, from OTEL_SEMCONV_STABILITY_OPT_IN, unless
// otelllm.WithSemconvStability says otherwise):
//
//   - default: the v1.41.0 names, exactly as before the latest conventions
//     existed, with [SchemaURL] on the tracer and meter.
//   - gen_ai_latest_experimental: the latest names, and no v1.41.0 name
//     they replace. Inference calls (chat, text_completion,
//     generate_content) record gen_ai.client.inference.duration and the
//     operation token histograms with the v1.41.0 histograms' attributes
//     (error.type where the call failed);
//     gen_ai.client.inference.time_to_first_chunk and
//     …time_per_output_chunk with the same attributes but no error.type;
//     the gen_ai.client.inference.usage.* counters with
//     gen_ai.token.modality and no error.type. Embeddings calls record
//     gen_ai.client.embeddings.duration (with error.type) and
//     gen_ai.client.embeddings.operation.input_tokens (without). Any other
//     operation (count_tokens) keeps gen_ai.client.operation.duration, as
//     the conventions keep it for "other GenAI client operations". The
//     tracer and meter claim no schema URL: none is published for the
//     latest conventions, and [SchemaURL] would be false.
//   - gen_ai_latest_experimental/dup: both sets of instruments, each
//     recording every call, and on spans both cache-write keys with the
//     same value. A key both versions share carries one value: top_k is
//     the latest int, and stream=false and choice.count=1 stay, as v1.41.0
//     has them. No schema URL, as for latest.
//
// The otelllm.* keys and the otelllm.client.* counters are the same in
// every mode: dashboards built on them need no migration.
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
//   - One span per HTTP attempt. The latest conventions want the span of
//     the logical operation, retries included; a RoundTripper sees each
//     attempt alone. An SDK that traces its calls has that span (below).
//   - No openai.response.system_fingerprint on metrics, which the latest
//     conventions recommend for OpenAI: a fingerprint changes with every
//     OpenAI deployment, and metrics must keep a bounded cardinality.
//     openai.response.service_tier, recommended there too, is not on the
//     metrics either (yet). Both are on the span.
//
// # A parent span of another GenAI instrumentation
//
// Some SDKs trace their own calls: anthropic-sdk-go (v2.15 and later)
// starts a CLIENT span, scope com.anthropic.sdk.go (….bedrock, ….vertex
// for its platform clients), for every API call, runs the HTTP request in
// its context, and sets gen_ai.usage.* on it once it has decoded the
// response. otelllm's span is then its child, and a backend that sums
// gen_ai.usage.* over the spans of a trace counts every token twice. So,
// by default, when the span in the request's context records, is a CLIENT
// span of another instrumentation scope, and started with the
// gen_ai.operation.name of one call (chat, text_completion,
// generate_content, embeddings) and the call's gen_ai.provider.name (the
// attributes the conventions require at span start, so the test is not
// Anthropic's alone), otelllm's span carries no gen_ai.usage.* attribute
// (gen_ai.usage.cost included), and says who has them in
// [UsageRecordedByKey] (otelllm.usage.recorded_by = the parent's
// scope). It keeps everything else: request and response attributes,
// otelllm.usage.source and .complete, otelllm.response.end, the pricing
// keys. Metrics, trackers and callbacks count the call as always: the
// SDKs emit no metrics, so otelllm's are the only ones. Only the
// attributes a parent starts with are read, once per call: the SDK sets
// usage after the transport is done. A span that does not record, or is
// not an OpenTelemetry SDK span, is not looked into. Genkit's model spans
// (scope genkit-tracer) carry usage inside genkit:output, not in
// gen_ai.usage.*, so they do not count as such a parent.
// otelllm.WithParentUsageDedup(false) turns this off.
//
// The usage counters require gen_ai.token.modality: a count the provider
// did not break down goes under "unknown", as the conventions say, and
// text, image or audio only where the provider reports that split.
//
// No metric carries ids, URLs or content: the attribute sets are bounded by
// the number of providers, operations and models in use.
package semconv
