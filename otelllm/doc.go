// Package otelllm makes the calls an application makes to LLM providers
// visible and accountable through OpenTelemetry, by wrapping the
// application's http.Client.
//
//	client := otelllm.WrapClient(http.DefaultClient) // a copy; the original is untouched
//
// Give that client to any SDK (openai-go, anthropic-sdk-go, aws-sdk-go-v2,
// genai, go-openai, langchaingo) or use it directly. Each request that one of
// the providers recognises (see DefaultProviders and WithProviders) becomes:
//
//   - a client span named "{operation} {model}" with the GenAI semantic
//     conventions' attributes (package semconv lists every key), the token
//     usage the provider reported, and its cost in USD (gen_ai.usage.cost);
//   - the GenAI metrics (token usage, operation duration, time to first chunk
//     and per chunk on streams) and monotonic token and cost counters;
//   - counts in every Tracker of the request's context (see Track), and a
//     CallRecord for each WithCallback function.
//
// Requests no provider recognises pass through untouched.
//
// # What the application sees
//
// Exactly what the base transport returns: the same status, headers, body
// bytes and errors. The response body is wrapped, and its bytes are shown to
// the provider's parser as the application reads them: streams are neither
// buffered nor re-chunked, and memory stays bounded whatever the body size.
// A stream read goes to the application first; the parser sees a copy of it
// at the next read (or at EOF, Close or cancellation), so observing never
// delays a chunk, and each chunk is timed by when it arrived.
// A parser that fails, or panics, only turns observation off; the span says
// why. The request is read without being consumed (GetBody, or a bounded
// re-wrap) and never changed, so signatures such as AWS SigV4 still verify.
//
// # When a call ends
//
// A call's span ends, and its usage is counted, when its response body ends:
// at EOF, at a read error, when the application closes it, or when the
// request's context is cancelled, whichever comes first, exactly once. The
// span's otelllm.response.end attribute says which; usage seen before an
// early end is kept and marked incomplete (otelllm.usage.complete).
//
// # Token counts and cost
//
// Counts are the provider's own, normalised so that input tokens include
// cached input and output tokens include reasoning; a count the provider did
// not report is not recorded (otelllm.usage.source says where counts came
// from, or that the response had none). Cost comes from the price table of
// package pricing (embedded, from the LiteLLM community table), which
// WithPriceTable, WithModelPrice and the OTELLLM_PRICES_FILE environment
// variable extend or replace; a model without a price gets no cost, never a
// cost of zero.
//
// # Message content
//
// Off by default: nothing of the messages is kept or parsed. WithContentCapture
// (or OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: NO_CONTENT,
// SPAN_ONLY, EVENT_ONLY, SPAN_AND_EVENT, or true and false) records
// gen_ai.input.messages, gen_ai.output.messages, gen_ai.system_instructions
// and gen_ai.tool.definitions in the conventions' structured form: as JSON
// strings on the span, and structured in a
// gen_ai.client.inference.operation.details log record emitted through
// WithLoggerProvider's provider in the span's context. A stream's answer is
// reassembled from its deltas as the application reads it. Each value is cut
// at WithContentLimit bytes and marked so; images, audio and inline files are
// recorded by type and size only; WithContentFilter may edit or drop
// anything first; secrets the scrubber recognises (API keys and tokens,
// credentials in URLs, Authorization headers, password fields, private keys)
// are replaced by REDACTED whatever the filter left. Content never reaches a
// CallRecord.
//
// # Budgets, attribution, rate limits and retries
//
// Track takes limits (WithCostLimit, WithTokenLimit, WithRequestLimit): a
// recognised call made once its tracker, or one enclosing it, has reached a
// limit is not sent, and gets a *BudgetError (errors.Is ErrBudgetExceeded);
// its span says error.type budget_exceeded. That is the one case where the
// transport answers instead of the base transport, and only because the
// application asked for it. ContextWithAttributes attaches attributes
// (tenant, feature) to every call made with a context; WithContextMetricKeys
// lets the few with bounded values, and the W3C baggage members named the
// same, reach the metrics. Each provider's rate-limit headers and
// Retry-After go on the span and on the otelllm.client.ratelimit.* gauges;
// the retry number SDKs send (X-Stainless-Retry-Count, amz-sdk-request) is
// http.request.resend_count, and trackers count retries apart
// (Usage.Retries).
package otelllm
