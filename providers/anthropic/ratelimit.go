package anthropic

import (
	"net/http"
	"strings"
	"time"

	"github.com/otelllm/otelllm/providers"
)

// rateLimitPrefix starts Anthropic's rate-limit headers:
// anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}.
// The Priority Tier's anthropic-priority-* headers are not read.
const rateLimitPrefix = "Anthropic-Ratelimit-"

// Headers reads the response's rate-limit headers. Limits and remaining
// counts are integers; resets are RFC 3339 instants, read against the
// response's Date.
func (d *dialect) Headers(h http.Header, r *providers.Result) {
	var at time.Time
	for name, values := range h {
		if len(values) == 0 || len(name) <= len(rateLimitPrefix) || !strings.EqualFold(name[:len(rateLimitPrefix)], rateLimitPrefix) {
			continue
		}
		rest := name[len(rateLimitPrefix):]
		i := strings.LastIndexByte(rest, '-')
		if i <= 0 {
			continue
		}
		var resource string
		switch res := rest[:i]; {
		case strings.EqualFold(res, "requests"):
			resource = providers.RateLimitRequests
		case strings.EqualFold(res, "tokens"):
			resource = providers.RateLimitTokens
		case strings.EqualFold(res, "input-tokens"):
			resource = providers.RateLimitInputTokens
		case strings.EqualFold(res, "output-tokens"):
			resource = providers.RateLimitOutputTokens
		default:
			continue
		}
		switch kind := rest[i+1:]; {
		case strings.EqualFold(kind, "limit"):
			if n, ok := providers.ParseRateLimitCount(values[0]); ok {
				r.SetRateLimit(resource, "", providers.RateLimitLimit, n, 0)
			}
		case strings.EqualFold(kind, "remaining"):
			if n, ok := providers.ParseRateLimitCount(values[0]); ok {
				r.SetRateLimit(resource, "", providers.RateLimitRemaining, n, 0)
			}
		case strings.EqualFold(kind, "reset"):
			if at.IsZero() {
				at = providers.ResponseTime(h)
			}
			if d, ok := providers.ParseResetTime(values[0], at); ok {
				r.SetRateLimit(resource, "", providers.RateLimitReset, 0, d)
			}
		}
	}
	providers.SortRateLimits(r.RateLimits)
}
