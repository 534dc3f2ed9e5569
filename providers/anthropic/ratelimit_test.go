package anthropic_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/anthropic"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// The request and token headers are those of a recorded response
// (openllmetry's test_anthropic_message_create_legacy cassette, 2024-04,
// with its Date); the input and output token headers follow Anthropic's
// documented names.
func TestRateLimitHeaders(t *testing.T) {
	const (
		L = providers.RateLimitLimit
		R = providers.RateLimitRemaining
		S = providers.RateLimitReset
	)
	body := read("messages_nonstream_0.json")
	h := http.Header{"Content-Type": {"application/json"}, "Date": {"Sun, 07 Apr 2024 07:30:57 GMT"}, "Request-Id": {"req_01A7u6"}}
	for k, v := range map[string]string{
		"anthropic-ratelimit-requests-limit": "5", "anthropic-ratelimit-requests-remaining": "5",
		"anthropic-ratelimit-requests-reset": "2024-04-07T07:31:00Z",
		"anthropic-ratelimit-tokens-limit":   "10000", "anthropic-ratelimit-tokens-remaining": "10000",
		"anthropic-ratelimit-tokens-reset":       "2024-04-07T07:31:00Z",
		"anthropic-ratelimit-input-tokens-limit": "8000", "anthropic-ratelimit-input-tokens-remaining": "7598",
		"anthropic-ratelimit-input-tokens-reset":  "2024-04-07T07:30:58Z",
		"anthropic-ratelimit-output-tokens-limit": "2000", "anthropic-ratelimit-output-tokens-remaining": "1911",
		"anthropic-ratelimit-output-tokens-reset": "2024-04-07T07:31:57Z",
		"anthropic-priority-input-tokens-limit":   "1000",
		"anthropic-ratelimit-unknown-limit":       "1",
	} {
		h.Set(k, v)
	}
	e := testkit.Exchange{URL: messagesURL, Header: apiHeader,
		Body:           []byte(`{"model":"claude-3-7-sonnet-20250219","max_tokens":1024,"messages":[]}`),
		ResponseHeader: h, ResponseBody: body}
	for range 5 {
		_, resp := testkit.Observe(t, anthropic.New(), e, testkit.Whole(body), true)
		require.Equal(t, []providers.RateLimit{
			{Resource: "requests", Limit: 5, Remaining: 5, Reset: 3 * time.Second, Reported: L | R | S},
			{Resource: "tokens", Limit: 10000, Remaining: 10000, Reset: 3 * time.Second, Reported: L | R | S},
			{Resource: "input_tokens", Limit: 8000, Remaining: 7598, Reset: time.Second, Reported: L | R | S},
			{Resource: "output_tokens", Limit: 2000, Remaining: 1911, Reset: time.Minute, Reported: L | R | S},
		}, resp.RateLimits)
		assert.Equal(t, "msg_01VLZuPg94y7NULJySZhEDJY", resp.ID)
	}
}

func TestOverloadedRetryAfter(t *testing.T) {
	body := read("synthetic_error_529.json")
	e := testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: []byte(`{"model":"claude-3-7-sonnet-20250219","max_tokens":1,"messages":[]}`),
		Status: 429, ResponseHeader: http.Header{"Content-Type": {"application/json"}, "Retry-After": {"12"}, "Anthropic-Ratelimit-Requests-Remaining": {"0"}}, ResponseBody: body}
	_, resp := testkit.Observe(t, anthropic.New(), e, testkit.Whole(body), true)
	require.NotNil(t, resp.RetryAfter)
	assert.Equal(t, 12*time.Second, *resp.RetryAfter)
	assert.Equal(t, []providers.RateLimit{{Resource: "requests", Remaining: 0, Reported: providers.RateLimitRemaining}}, resp.RateLimits)
}
