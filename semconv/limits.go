package semconv

import "go.opentelemetry.io/otel/attribute"

// Keys of retries, budgets and rate limits.
const (
	// HTTPRequestResendCountKey is the HTTP conventions'
	// http.request.resend_count: which retry of a call the request is, as
	// the SDK that sent it says (X-Stainless-Retry-Count of openai-go and
	// anthropic-sdk-go; the attempt of the AWS SDK's amz-sdk-request,
	// less one). Set only on a retry, as the conventions ask.
	HTTPRequestResendCountKey = attribute.Key("http.request.resend_count")

	// BudgetLimitKey names the limit that refused a call (a tracker's
	// WithCostLimit, WithTokenLimit or WithRequestLimit): cost, tokens or
	// requests. Only on the span of a call refused with error.type
	// budget_exceeded and otelllm.response.end rejected.
	BudgetLimitKey = attribute.Key("otelllm.budget.limit")
	// BudgetLimitValueKey is that limit's value, in its unit: US dollars,
	// tokens or requests.
	BudgetLimitValueKey = attribute.Key("otelllm.budget.limit_value")
	// BudgetTotalKey is the tracker's total against that limit when the
	// call was refused: what ended calls used, plus, for the request limit
	// and with reservations, what calls in flight hold.
	BudgetTotalKey = attribute.Key("otelllm.budget.total")

	// ResponseRetryAfterKey is how long the response asked the client to
	// wait before retrying, in seconds (Retry-After, or Azure's
	// Retry-After-Ms), where it said.
	ResponseRetryAfterKey = attribute.Key("otelllm.response.retry_after")

	// RateLimitResourceKey is what a rate limit counts, on the rate-limit
	// gauges: requests, tokens, input_tokens or output_tokens (the
	// providers.RateLimit* values).
	RateLimitResourceKey = attribute.Key("otelllm.ratelimit.resource")
	// RateLimitWindowKey is the window a rate limit applies to, where the
	// provider's header names one (Mistral: 10-second, minute, month;
	// Cerebras: day, minute). Absent otherwise.
	RateLimitWindowKey = attribute.Key("otelllm.ratelimit.window")
)

// ErrorTypeBudgetExceeded is the error.type of a call a tracker's limit
// refused before anything was sent.
const ErrorTypeBudgetExceeded = "budget_exceeded"

// Values of otelllm.budget.limit.
const (
	BudgetLimitCost     = "cost"
	BudgetLimitTokens   = "tokens"
	BudgetLimitRequests = "requests"
)

// The parts of a rate limit on a span, the last segment of RateLimitKey.
const (
	// RateLimitLimit is the most the limit's window allows.
	RateLimitLimit = "limit"
	// RateLimitRemaining is what is left of it.
	RateLimitRemaining = "remaining"
	// RateLimitReset is the time from the response until the limit is
	// replenished, in seconds.
	RateLimitReset = "reset"
)

// RateLimitKey is the span attribute of one part (RateLimitLimit,
// RateLimitRemaining, RateLimitReset) of the rate limit on resource in
// window, as the response headers stated it:
//
//	otelllm.ratelimit.{resource}.{part}           when the provider names no window
//	otelllm.ratelimit.{resource}.{window}.{part}  when it does
//
// for example otelllm.ratelimit.tokens.remaining (OpenAI, int),
// otelllm.ratelimit.requests.reset (seconds, double),
// otelllm.ratelimit.tokens.minute.limit (Mistral). resource is one of
// requests, tokens, input_tokens, output_tokens; window one of the values
// of otelllm.ratelimit.window. A part the headers did not give is absent.
func RateLimitKey(resource, window, part string) attribute.Key {
	if window == "" {
		return attribute.Key("otelllm.ratelimit." + resource + "." + part)
	}
	return attribute.Key("otelllm.ratelimit." + resource + "." + window + "." + part)
}

// ContextValueOverflow is the value a context attribute takes on the
// metrics once its key has had MaxContextMetricValues distinct values on
// a transport: the metrics stay bounded whatever the values (baggage from
// another process included). Spans and call records keep the real value.
const ContextValueOverflow = "_other"

// MaxContextMetricValues is the number of distinct values a context
// attribute key keeps on one transport's metrics before later values
// become ContextValueOverflow.
const MaxContextMetricValues = 100

// ClientRateLimitRemaining is otelllm.client.ratelimit.remaining.
func ClientRateLimitRemaining() Instrument {
	return Instrument{
		Name:        "otelllm.client.ratelimit.remaining",
		Unit:        "{count}",
		Description: "What the provider's rate limit has left, as the last response's headers said, by otelllm.ratelimit.resource (requests or tokens).",
	}
}

// ClientRateLimitLimit is otelllm.client.ratelimit.limit.
func ClientRateLimitLimit() Instrument {
	return Instrument{
		Name:        "otelllm.client.ratelimit.limit",
		Unit:        "{count}",
		Description: "The provider's rate limit, as the last response's headers said, by otelllm.ratelimit.resource (requests or tokens).",
	}
}
