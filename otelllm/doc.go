// Package otelllm makes the calls an application makes to LLM providers
// visible and accountable through OpenTelemetry, by wrapping the
// application's http.Client: tokens (input, output, cached, reasoning),
// cost in US dollars, latency and time to first chunk, streamed or not,
// without a change to what the application sends or reads.
//
// # The one line
//
//	client := otelllm.WrapClient(http.DefaultClient) // a copy; the original is untouched
//
// Give that client to whatever calls the provider: openai-go,
// anthropic-sdk-go, aws-sdk-go-v2, genai, go-openai, langchaingo, Eino,
// Genkit, or plain net/http (the examples/sdk module hooks each up in one
// line). Where a client is built elsewhere, [NewTransport] wraps any
// http.RoundTripper instead. Each request one of the providers recognises
// (see [DefaultProviders]) becomes:
//
//   - a client span named "{operation} {model}" with the GenAI semantic
//     conventions' attributes, the usage the provider reported and its cost
//     (gen_ai.usage.cost);
//   - the GenAI metrics (token usage, operation duration, time to first chunk
//     and per chunk on streams), and counters of tokens, cost and requests;
//   - counts in every [Tracker] of the request's context (see [Track]), and a
//     [CallRecord] for each [WithCallback] function.
//
// Requests no provider recognises pass through untouched, with no span.
//
// The telemetry goes to the global TracerProvider, MeterProvider and
// LoggerProvider unless [WithTracerProvider], [WithMeterProvider] and
// [WithLoggerProvider] say otherwise. The library sets up no exporter:
// [github.com/otelllm/otelllm/exporters] does, from the standard OTEL_*
// environment, in one call, for programs that have no OpenTelemetry set-up
// of their own.
//
// # What is recognised
//
// Each wire format is a package of its own, behind the contract of package
// [github.com/otelllm/otelllm/providers]:
// [github.com/otelllm/otelllm/providers/openai] (OpenAI, Azure OpenAI and the
// OpenAI-compatible servers: Groq, DeepSeek, Mistral, xAI, Perplexity,
// OpenRouter, Together, Fireworks, vLLM, Ollama's /v1, ...),
// [github.com/otelllm/otelllm/providers/anthropic] (Anthropic, and Claude on
// Vertex AI), [github.com/otelllm/otelllm/providers/bedrock] (Amazon Bedrock
// Runtime), [github.com/otelllm/otelllm/providers/gemini] (the Gemini API
// and Vertex AI), [github.com/otelllm/otelllm/providers/cohere] and
// [github.com/otelllm/otelllm/providers/ollama]. The set is an explicit
// option, [WithProviders], with no registration at init.
//
// # The tracker
//
// Track attaches a Tracker to a context: every call made with that context,
// or one derived from it, from any goroutine, streamed or not, is counted
// when it ends.
//
//	ctx, tracker := otelllm.Track(context.Background())
//
// [Tracker.Usage] returns a consistent snapshot of the totals ([Usage]: requests,
// failures, retries, tokens by kind, cost, and ByModel), and printing the
// tracker or a Usage gives the summary LangChain's get_openai_callback()
// prints (%+v prints every field instead). Trackers nest: a call counted by
// an inner tracker counts in every enclosing one.
//
// # Each call as it ends
//
// WithCallback hands the application the CallRecord of each finished call:
// provider, operation, models, usage and where it came from, cost and where
// it came from, duration, time to first chunk, status, error, how the body
// ended. [CallLogger] is such a function, writing one line per call:
//
//	client := otelllm.WrapClient(http.DefaultClient, otelllm.WithCallback(otelllm.CallLogger(&calls)))
//
// # Budgets, attribution, rate limits and retries
//
// Track takes limits ([WithCostLimit], [WithTokenLimit], [WithRequestLimit]):
//
//	ctx, tracker := otelllm.Track(context.Background(), otelllm.WithCostLimit(0.00001))
//
// A recognised call made once its tracker, or one enclosing it, has reached
// a limit is not sent, and gets a *[BudgetError] (errors.Is
// [ErrBudgetExceeded]); its span says error.type budget_exceeded. That is the
// one case where the transport answers instead of the base transport, and
// only because the application asked for it. [Tracker.Err] says so before a
// call is made, and [WithReservation] keeps calls running at once from
// overshooting a limit together.
//
// [ContextWithAttributes] attaches attributes (tenant, feature) to every call
// made with a context; [WithContextMetricKeys] lets the few with bounded
// values, and the W3C baggage members named the same, reach the metrics.
// Each provider's rate-limit headers and Retry-After go on the span and on
// the otelllm.client.ratelimit.* gauges; the retry number SDKs send
// (X-Stainless-Retry-Count, amz-sdk-request) is http.request.resend_count,
// and trackers count retries apart (Usage.Retries).
//
// # Token counts and cost
//
// Counts are the provider's own, normalised so that input tokens include
// cached input and output tokens include reasoning; a count the provider did
// not report is not recorded, never recorded as 0 (otelllm.usage.source says
// where counts came from, or that the response had none). An OpenAI-style
// stream sent without stream_options.include_usage carries no usage at all:
// its CallRecord says so (UsageNotRequested), trackers count such streams,
// and [WithStreamUsage] asks for the usage on the application's behalf.
//
// Cost is the figure the response states where it states one (OpenRouter,
// xAI, Perplexity), otherwise the price table's price of the usage: the
// table of [github.com/otelllm/otelllm/pricing], embedded, from the LiteLLM
// community table. [WithPriceTable] replaces it ([pricing.LoadFile] reads a
// file of one's own), [WithModelPrice] prices one model, and the
// OTELLLM_PRICES_FILE environment variable extends it. A model without a
// price gets no cost, never a cost of zero, and is counted in
// Usage.UnpricedRequests.
//
// # Message content
//
// Off by default: nothing of the messages is kept or parsed. [WithContentCapture]
// (or OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: NO_CONTENT,
// SPAN_ONLY, EVENT_ONLY, SPAN_AND_EVENT, or true and false) records
// gen_ai.input.messages, gen_ai.output.messages, gen_ai.system_instructions
// and gen_ai.tool.definitions in the conventions' structured form: as JSON
// strings on the span, and structured in a
// gen_ai.client.inference.operation.details log record emitted through
// WithLoggerProvider's provider in the span's context. A stream's answer is
// reassembled from its deltas as the application reads it. Each value is cut
// at [WithContentLimit] bytes and marked so; images, audio and inline files are
// recorded by type and size only; [WithContentFilter] may edit or drop
// anything first; secrets the scrubber recognises (API keys and tokens,
// credentials in URLs, Authorization headers, password fields, private keys)
// are replaced by REDACTED whatever the filter left. Content never reaches a
// CallRecord.
//
// # Semantic conventions
//
// The names emitted are those of the GenAI semantic conventions v1.41.0 by
// default. OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental emits the
// latest conventions' names instead, and gen_ai_latest_experimental/dup both,
// for a migration; [WithSemconvStability] chooses in code. Package
// [github.com/otelllm/otelllm/semconv] lists every key, instrument and unit,
// and the mapping between the two. Where an SDK traces its own calls (the
// Anthropic SDK does), its span and otelllm's would both carry the usage:
// [WithParentUsageDedup], on by default, leaves it to the SDK's span.
//
// # Options at a glance
//
// Every option states its default; none is needed.
//
//   - Where telemetry goes: WithTracerProvider, WithMeterProvider,
//     WithLoggerProvider (the globals by default).
//   - What is recognised: WithProviders (DefaultProviders),
//     [WithMaxRequestBody] (how much of a request body is read for its
//     parameters).
//   - Cost: WithPriceTable, WithModelPrice; OTELLLM_PRICES_FILE.
//   - Usage of streams: WithStreamUsage; OTELLLM_STREAM_USAGE.
//   - Each call: WithCallback (CallLogger).
//   - Metric attributes: [WithMetricAttributes] (fixed ones),
//     WithContextMetricKeys (per call, bounded).
//   - Content: WithContentCapture, WithContentLimit, WithContentFilter;
//     OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT.
//   - Conventions: WithSemconvStability, OTEL_SEMCONV_STABILITY_OPT_IN;
//     WithParentUsageDedup.
//   - A tracker's limits (options of Track): WithCostLimit, WithTokenLimit,
//     WithRequestLimit, WithReservation.
//
// # Guarantees
//
// The application sees exactly what the base transport returns: the same
// status, headers, body bytes and errors (a call a tracker's limit refuses
// is the one exception, above). The response body is wrapped, and its bytes
// are shown to the provider's parser as the application reads them: streams
// are neither buffered nor re-chunked, and memory stays bounded whatever the
// body size. A stream read goes to the application first; the parser sees a
// copy of it at the next read (or at EOF, Close or cancellation), so
// observing never delays a chunk, and each chunk is timed by when it
// arrived. A parser that fails, or panics, only turns observation off; the
// span says why. The request is read without being consumed (GetBody, or a
// bounded re-wrap) and never changed, so signatures such as AWS SigV4 still
// verify; WithStreamUsage is the one option that changes a request, and
// only as it says.
//
// A call's span ends, and its usage is counted, when its response body ends:
// at EOF, at a read error, when the application closes it, or when the
// request's context is cancelled, whichever comes first, exactly once. The
// span's otelllm.response.end attribute says which (CallRecord.End); usage
// seen before an early end is kept and marked incomplete
// (otelllm.usage.complete). No message content, API key or URL query is
// recorded unless content capture is on, and metric attributes are bounded.
package otelllm
