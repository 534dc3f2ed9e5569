package fakellm

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// Fault is an error the fake answers a call with instead of a model's
// answer: the status, the error body in the shape of the called API, and the
// headers the real API sends with it.
type Fault struct {
	// Status is the HTTP status. Default 429 Too Many Requests.
	Status int
	// Message is the error's message. Default: a message like the one the
	// API gives for the status.
	Message string
	// RetryAfter, when positive, is sent as retry-after, in whole seconds
	// rounded up, and on the APIs whose SDKs read it (OpenAI, Azure
	// OpenAI, Anthropic) also as retry-after-ms, so that an SDK's retry
	// waits only that long. Default 0: no retry-after header.
	RetryAfter time.Duration
	// RateLimit, when set, replaces Options.RateLimit in this answer's
	// headers, for example to announce that no requests remain.
	RateLimit *RateLimit
}

// RateLimited returns a 429 Fault that asks the client to retry after d and
// announces that no requests remain until then.
func RateLimited(d time.Duration) Fault {
	return Fault{
		Status:     http.StatusTooManyRequests,
		RetryAfter: d,
		RateLimit:  &RateLimit{Requests: Limit{Limit: 60, Remaining: 0, Reset: d}},
	}
}

// RateLimit is the state of a caller's rate limits, as the rate-limit
// headers of OpenAI, Azure OpenAI and Anthropic announce it. A limit whose
// Limit is 0 is left out of the headers. OpenAI and Azure send Requests and
// Tokens (x-ratelimit-{limit,remaining,reset}-{requests,tokens}); Anthropic
// sends all four (anthropic-ratelimit-{requests,tokens,input-tokens,
// output-tokens}-{limit,remaining,reset}). The other APIs send no such
// headers.
type RateLimit struct {
	Requests     Limit
	Tokens       Limit
	InputTokens  Limit
	OutputTokens Limit
}

// Limit is one rate limit: its size, what remains of it, and how long until
// it resets (sent as a duration such as "6m0s" by OpenAI, as an RFC 3339
// time by Anthropic).
type Limit struct {
	Limit, Remaining int
	Reset            time.Duration
}

// writeFault answers c with fault, in the error shape of c's API.
func (f *fake) writeFault(c *call, fault Fault) {
	status := fault.Status
	if status == 0 {
		status = http.StatusTooManyRequests
	}
	rl := f.opts.RateLimit
	if fault.RateLimit != nil {
		rl = fault.RateLimit
	}
	f.rateLimitHeaders(c, rl)
	h := c.w.Header()
	if fault.RetryAfter > 0 {
		h.Set("retry-after", strconv.Itoa(int(math.Ceil(fault.RetryAfter.Seconds()))))
		switch c.Provider {
		case ProviderOpenAI, ProviderAzure, ProviderAnthropic:
			h.Set("retry-after-ms", strconv.FormatInt(max(fault.RetryAfter.Milliseconds(), 1), 10))
		}
	}
	msg := fault.Message
	if msg == "" {
		msg = defaultMessage(c, status)
	}
	switch c.Provider {
	case ProviderAzure:
		if status == http.StatusTooManyRequests {
			// Azure's own throttling answer; its other errors are
			// OpenAI's, passed through.
			writeJSON(c.w, status, nil, obj{{"error", obj{{"code", strconv.Itoa(status)}, {"message", msg}}}})
			return
		}
		fallthrough
	case ProviderOpenAI:
		typ, code := openAIErrorType(status)
		h.Set("x-request-id", "req_"+c.uuid())
		writeJSON(c.w, status, nil, obj{{"error", obj{{"message", msg}, {"type", typ}, {"param", nil}, {"code", code}}}})
	case ProviderAnthropic:
		id := c.id("req_")
		h.Set("request-id", id)
		writeJSON(c.w, status, nil, obj{{"type", "error"}, {"error", obj{{"type", anthropicErrorType(status)}, {"message", msg}}}, {"request_id", id}})
	case ProviderBedrock:
		writeJSON(c.w, status, map[string]string{
			"x-amzn-ErrorType": bedrockErrorType(status) + ":http://internal.amazon.com/coral/com.amazon.bedrock/",
			"x-amzn-RequestId": c.uuid(),
		}, obj{{"message", msg}})
	case ProviderGemini, ProviderVertexAI:
		writeJSON(c.w, status, nil, obj{{"error", obj{{"code", status}, {"message", msg}, {"status", googleStatus(status)}}}})
	case ProviderCohere:
		writeJSON(c.w, status, nil, obj{{"id", c.uuid()}, {"message", msg}})
	default: // Ollama
		writeJSON(c.w, status, nil, obj{{"error", msg}})
	}
}

// rateLimitHeaders sets the rate-limit headers of c's API from rl.
func (f *fake) rateLimitHeaders(c *call, rl *RateLimit) {
	if rl == nil {
		return
	}
	h := c.w.Header()
	switch c.Provider {
	case ProviderOpenAI, ProviderAzure:
		for _, l := range []struct {
			name  string
			limit Limit
		}{{"requests", rl.Requests}, {"tokens", rl.Tokens}} {
			if l.limit.Limit == 0 {
				continue
			}
			h.Set("x-ratelimit-limit-"+l.name, strconv.Itoa(l.limit.Limit))
			h.Set("x-ratelimit-remaining-"+l.name, strconv.Itoa(l.limit.Remaining))
			h.Set("x-ratelimit-reset-"+l.name, l.limit.Reset.String())
		}
	case ProviderAnthropic:
		now := time.Now().UTC()
		for _, l := range []struct {
			name  string
			limit Limit
		}{{"requests", rl.Requests}, {"tokens", rl.Tokens}, {"input-tokens", rl.InputTokens}, {"output-tokens", rl.OutputTokens}} {
			if l.limit.Limit == 0 {
				continue
			}
			h.Set("anthropic-ratelimit-"+l.name+"-limit", strconv.Itoa(l.limit.Limit))
			h.Set("anthropic-ratelimit-"+l.name+"-remaining", strconv.Itoa(l.limit.Remaining))
			h.Set("anthropic-ratelimit-"+l.name+"-reset", now.Add(l.limit.Reset).Truncate(time.Second).Format(time.RFC3339))
		}
	}
}

func defaultMessage(c *call, status int) string {
	switch status {
	case http.StatusBadRequest:
		return "fakellm: bad request"
	case http.StatusUnauthorized:
		return "Incorrect API key provided."
	case http.StatusForbidden:
		return "You are not allowed to use this model."
	case http.StatusNotFound:
		return "The model `" + c.Model + "` does not exist or you do not have access to it."
	case http.StatusTooManyRequests:
		switch c.Provider {
		case ProviderAnthropic:
			return "This request would exceed your organization's rate limit. Please try again later."
		case ProviderBedrock:
			return "Too many requests, please wait before trying again."
		case ProviderGemini, ProviderVertexAI:
			return "Resource has been exhausted (e.g. check quota)."
		case ProviderAzure:
			return "Requests to the ChatCompletions_Create Operation have exceeded the call rate limit of your current pricing tier. Please retry later."
		}
		return "Rate limit reached for " + c.Model + " on requests per min (RPM). Please try again later."
	case 529:
		return "Overloaded"
	case http.StatusServiceUnavailable:
		return "The server is overloaded or not ready yet."
	}
	return "The server had an error while processing your request. Sorry about that!"
}

// openAIErrorType is the "type" and "code" of an OpenAI error body.
func openAIErrorType(status int) (typ string, code any) {
	switch status {
	case http.StatusBadRequest:
		return "invalid_request_error", nil
	case http.StatusUnauthorized:
		return "invalid_request_error", "invalid_api_key"
	case http.StatusForbidden:
		return "invalid_request_error", "unsupported_country_region_territory"
	case http.StatusNotFound:
		return "invalid_request_error", "model_not_found"
	case http.StatusTooManyRequests:
		return "requests", "rate_limit_exceeded"
	}
	return "server_error", nil
}

// anthropicErrorType is the error.type of an Anthropic error body.
func anthropicErrorType(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid_request_error"
	case http.StatusUnauthorized:
		return "authentication_error"
	case http.StatusForbidden:
		return "permission_error"
	case http.StatusNotFound:
		return "not_found_error"
	case http.StatusRequestEntityTooLarge:
		return "request_too_large"
	case http.StatusTooManyRequests:
		return "rate_limit_error"
	case 529:
		return "overloaded_error"
	}
	return "api_error"
}

// bedrockErrorType is the exception name Bedrock sends in x-amzn-ErrorType,
// from which aws-sdk-go-v2 builds its typed error.
func bedrockErrorType(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "ValidationException"
	case http.StatusForbidden, http.StatusUnauthorized:
		return "AccessDeniedException"
	case http.StatusNotFound:
		return "ResourceNotFoundException"
	case http.StatusRequestTimeout:
		return "ModelTimeoutException"
	case http.StatusFailedDependency:
		return "ModelErrorException"
	case http.StatusTooManyRequests:
		return "ThrottlingException"
	case http.StatusServiceUnavailable:
		return "ServiceUnavailableException"
	}
	return "InternalServerException"
}

// googleStatus is the google.rpc status name Gemini and Vertex AI send for
// an HTTP status.
func googleStatus(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "INVALID_ARGUMENT"
	case http.StatusUnauthorized:
		return "UNAUTHENTICATED"
	case http.StatusForbidden:
		return "PERMISSION_DENIED"
	case http.StatusNotFound:
		return "NOT_FOUND"
	case http.StatusConflict:
		return "ABORTED"
	case http.StatusTooManyRequests:
		return "RESOURCE_EXHAUSTED"
	case http.StatusNotImplemented:
		return "UNIMPLEMENTED"
	case http.StatusServiceUnavailable:
		return "UNAVAILABLE"
	case http.StatusGatewayTimeout:
		return "DEADLINE_EXCEEDED"
	}
	return "INTERNAL"
}
