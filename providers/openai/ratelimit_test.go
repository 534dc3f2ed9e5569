package openai

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// The header values are those of recorded responses (cassettes of
// newrelic-python-agent, openllmetry, and a Cerebras fixture copying live
// headers; see /work/notes/provider-facts.md item 10).
func TestRateLimitHeaders(t *testing.T) {
	const (
		L = providers.RateLimitLimit
		R = providers.RateLimitRemaining
		S = providers.RateLimitReset
	)
	body := testkit.Read(t, "testdata/openai/chat_completion_nonstream.json")
	for _, c := range []struct {
		name, url string
		header    map[string]string
		want      []providers.RateLimit
	}{
		{
			name: "openai", url: "https://api.openai.com/v1/chat/completions",
			header: map[string]string{
				"x-ratelimit-limit-requests": "10000", "x-ratelimit-limit-tokens": "50000000",
				"x-ratelimit-remaining-requests": "9999", "x-ratelimit-remaining-tokens": "49999974",
				"x-ratelimit-reset-requests": "6ms", "x-ratelimit-reset-tokens": "0s",
				"x-request-id": "req_619548c2",
			},
			want: []providers.RateLimit{
				{Resource: "requests", Limit: 10000, Remaining: 9999, Reset: 6 * time.Millisecond, Reported: L | R | S},
				{Resource: "tokens", Limit: 50000000, Remaining: 49999974, Reset: 0, Reported: L | R | S},
			},
		},
		{
			name: "azure sends only the remaining counts", url: "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-02-01",
			header: map[string]string{"x-ratelimit-remaining-requests": "119", "x-ratelimit-remaining-tokens": "119984", "apim-request-id": "e1b0"},
			want: []providers.RateLimit{
				{Resource: "requests", Remaining: 119, Reported: R},
				{Resource: "tokens", Remaining: 119984, Reported: R},
			},
		},
		{
			name: "groq", url: "https://api.groq.com/openai/v1/chat/completions",
			header: map[string]string{
				"x-ratelimit-limit-requests": "14400", "x-ratelimit-limit-tokens": "30000",
				"x-ratelimit-remaining-requests": "14397", "x-ratelimit-remaining-tokens": "29987",
				"x-ratelimit-reset-requests": "17.399999999s", "x-ratelimit-reset-tokens": "26ms",
			},
			want: []providers.RateLimit{
				{Resource: "requests", Limit: 14400, Remaining: 14397, Reset: 17399999999, Reported: L | R | S},
				{Resource: "tokens", Limit: 30000, Remaining: 29987, Reset: 26 * time.Millisecond, Reported: L | R | S},
			},
		},
		{
			name: "mistral names its windows and sends no reset", url: "https://api.mistral.ai/v1/chat/completions",
			header: map[string]string{
				"x-ratelimit-limit-req-10-second": "60", "x-ratelimit-remaining-req-10-second": "59",
				"x-ratelimit-limit-tokens-minute": "2000000", "x-ratelimit-remaining-tokens-minute": "1999893",
				"x-ratelimit-limit-tokens-month": "10000000000", "x-ratelimit-remaining-tokens-month": "9999999893",
				"x-ratelimit-tokens-query-cost": "107",
			},
			want: []providers.RateLimit{
				{Resource: "requests", Window: "10-second", Limit: 60, Remaining: 59, Reported: L | R},
				{Resource: "tokens", Window: "minute", Limit: 2000000, Remaining: 1999893, Reported: L | R},
				{Resource: "tokens", Window: "month", Limit: 10000000000, Remaining: 9999999893, Reported: L | R},
			},
		},
		{
			name: "together names no resource", url: "https://api.together.xyz/v1/chat/completions",
			header: map[string]string{"x-ratelimit-limit": "2", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1"},
			want:   []providers.RateLimit{{Resource: "requests", Limit: 2, Remaining: 0, Reset: time.Second, Reported: L | R | S}},
		},
		{
			name: "cerebras", url: "https://api.cerebras.ai/v1/chat/completions",
			header: map[string]string{
				"x-ratelimit-limit-requests-day": "14400", "x-ratelimit-remaining-requests-day": "14399",
				"x-ratelimit-reset-requests-day":  "11726.2840924263",
				"x-ratelimit-limit-tokens-minute": "60000", "x-ratelimit-remaining-tokens-minute": "60000",
				"x-ratelimit-reset-tokens-minute": "26.28409242630005",
			},
			want: []providers.RateLimit{
				{Resource: "requests", Window: "day", Limit: 14400, Remaining: 14399, Reset: 11726284092426, Reported: L | R | S},
				{Resource: "tokens", Window: "minute", Limit: 60000, Remaining: 60000, Reset: 26284092426, Reported: L | R | S},
			},
		},
		{
			name: "project-scoped and unreadable headers are not limits", url: "https://api.openai.com/v1/chat/completions",
			header: map[string]string{
				"x-ratelimit-limit-project-tokens": "100", "x-ratelimit-remaining-tokens": "lots",
				"x-ratelimit-limit-tokens-fortnight": "5", "x-ratelimit-limit-requests": "-1",
			},
		},
		{name: "none", url: "https://api.deepseek.com/chat/completions", header: map[string]string{"x-ds-trace-id": "abc"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := testkit.Exchange{URL: c.url, Body: []byte(`{"model":"gpt-4o","messages":[]}`), ResponseHeader: http.Header{"Content-Type": {ctJSON}}, ResponseBody: body}
			for k, v := range c.header {
				e.ResponseHeader.Set(k, v)
			}
			for i := range 5 { // the header map's order must not matter
				_, resp := testkit.Observe(t, New(), e, testkit.Whole(body), true)
				require.Equal(t, c.want, resp.RateLimits, "run %d", i)
				assert.Nil(t, resp.RetryAfter)
				assert.Equal(t, "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", resp.ID, "the body is still read")
			}
		})
	}
}

// A 429 carries the limits and the Retry-After the SDKs wait for.
func TestRateLimitedResponse(t *testing.T) {
	body := []byte(`{"error":{"message":"Rate limit reached for gpt-4o","type":"requests","param":null,"code":"rate_limit_exceeded"}}`)
	e := testkit.Exchange{URL: "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", Body: []byte(`{"messages":[]}`),
		Status: http.StatusTooManyRequests, ResponseBody: body,
		ResponseHeader: http.Header{"Content-Type": {ctJSON}, "Retry-After": {"2"}, "Retry-After-Ms": {"1500"}, "X-Ratelimit-Remaining-Requests": {"0"}}}
	_, resp := testkit.Observe(t, New(), e, testkit.Whole(body), true)
	require.NotNil(t, resp.RetryAfter)
	assert.Equal(t, 1500*time.Millisecond, *resp.RetryAfter)
	assert.Equal(t, []providers.RateLimit{{Resource: "requests", Remaining: 0, Reported: providers.RateLimitRemaining}}, resp.RateLimits)
}
