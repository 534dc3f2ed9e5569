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
//	otelllm.client.requests      {request} counter
//
// No metric carries ids, URLs or content: the attribute sets are bounded by
// the number of providers, operations and models in use.
package semconv
