package openai

import (
	"net/http"
	"strings"

	"github.com/otelllm/otelllm/providers"
)

// rateLimitPrefix starts the rate-limit headers of the OpenAI wire family:
// x-ratelimit-{limit,remaining,reset}-{requests,tokens} (OpenAI, Azure
// OpenAI, Groq, LiteLLM), with a window after the resource on Mistral
// (x-ratelimit-limit-req-10-second, -tokens-minute, -tokens-month) and
// Cerebras (-requests-day, -tokens-minute), and with no resource at all on
// Together (x-ratelimit-limit: requests).
const rateLimitPrefix = "X-Ratelimit-"

// Headers reads the response's rate-limit headers. Limits and remaining
// counts are integers; resets are Go durations ("6ms", "1m26.4s") or
// seconds. A header of another shape (x-ratelimit-limit-project-tokens,
// Mistral's x-ratelimit-tokens-query-cost) is not a limit this reads.
func (d *dialect) Headers(h http.Header, r *providers.Result) {
	for name, values := range h {
		if len(values) == 0 || len(name) <= len(rateLimitPrefix) || !strings.EqualFold(name[:len(rateLimitPrefix)], rateLimitPrefix) {
			continue
		}
		readRateLimit(name[len(rateLimitPrefix):], values[0], r)
	}
	providers.SortRateLimits(r.RateLimits)
}

// readRateLimit reads one header, named "{kind}[-{resource}[-{window}]]"
// after the prefix.
func readRateLimit(name, value string, r *providers.Result) {
	kind, rest, _ := strings.Cut(name, "-")
	var field providers.RateLimitField
	switch {
	case strings.EqualFold(kind, "limit"):
		field = providers.RateLimitLimit
	case strings.EqualFold(kind, "remaining"):
		field = providers.RateLimitRemaining
	case strings.EqualFold(kind, "reset"):
		field = providers.RateLimitReset
	default:
		return
	}
	resource, window := providers.RateLimitRequests, ""
	if rest != "" {
		res, w, _ := strings.Cut(rest, "-")
		switch {
		case strings.EqualFold(res, "requests"), strings.EqualFold(res, "req"):
			resource = providers.RateLimitRequests
		case strings.EqualFold(res, "tokens"):
			resource = providers.RateLimitTokens
		default:
			return
		}
		if w != "" {
			var ok bool
			if window, ok = providers.RateLimitWindow(w); !ok {
				return
			}
		}
	}
	if field == providers.RateLimitReset {
		if d, ok := providers.ParseResetDuration(value); ok {
			r.SetRateLimit(resource, window, field, 0, d)
		}
		return
	}
	if n, ok := providers.ParseRateLimitCount(value); ok {
		r.SetRateLimit(resource, window, field, n, 0)
	}
}
