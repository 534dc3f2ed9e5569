package openai

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// TestUsageNotRequested: the fact is set for a stream seen to its end
// without usage because it did not ask, and for nothing else.
func TestUsageNotRequested(t *testing.T) {
	noUsage := func(t *testing.T) testkit.Exchange {
		return fixture(t, "recorded/completions_stream_no_usage.sse", openAICompletionsURL,
			`{"model":"davinci-002","prompt":"Tell me a joke","stream":true}`, ctSSE)
	}
	t.Run("recorded completions stream without include_usage", func(t *testing.T) {
		_, r := testkit.Replay(t, New(), noUsage(t))
		assert.True(t, r.UsageNotRequested)
		assert.Zero(t, r.Usage.Reported)
		assert.Empty(t, r.ObserveError, "not a problem of the response")
	})
	t.Run("include_usage false is not asking", func(t *testing.T) {
		e := noUsage(t)
		e.Body = []byte(`{"model":"davinci-002","stream":true,"stream_options":{"include_usage":false}}`)
		_, r := testkit.Replay(t, New(), e)
		assert.True(t, r.UsageNotRequested)
	})
	t.Run("cut before [DONE]: the usage might have come", func(t *testing.T) {
		e := noUsage(t)
		cut := bytes.LastIndex(e.ResponseBody, []byte("data: [DONE]"))
		require.Positive(t, cut)
		_, r := testkit.Observe(t, New(), e, testkit.Whole(e.ResponseBody[:cut]), true)
		assert.False(t, r.UsageNotRequested)
	})
	t.Run("asked and none came: a problem, not this", func(t *testing.T) {
		e := noUsage(t)
		e.Body = []byte(`{"model":"davinci-002","stream":true,"stream_options":{"include_usage":true}}`)
		_, r := testkit.Replay(t, New(), e)
		assert.False(t, r.UsageNotRequested)
		assert.Contains(t, r.ObserveError, providers.ProblemUsageMissing)
	})
	t.Run("asked on the application's behalf", func(t *testing.T) {
		e := noUsage(t)
		call := testkit.Match(t, New(), e)
		amended, _, reason := call.(providers.UsageAsker).AskUsage(e.Body)
		require.NotNil(t, amended, reason)
		call.Request(amended)
		obs := call.Observe(e.Response(e.Request()))
		obs.Write(e.ResponseBody)
		r := obs.Finish(true)
		assert.False(t, r.UsageNotRequested)
		assert.Contains(t, r.ObserveError, providers.ProblemUsageMissing)
	})
	t.Run("usage sent unasked (Perplexity)", func(t *testing.T) {
		e := fixture(t, "recorded/perplexity_chat_stream_cost.sse", "https://api.perplexity.ai/chat/completions", `{"model":"sonar","stream":true}`, ctSSE)
		_, r := testkit.Replay(t, New(), e)
		assert.False(t, r.UsageNotRequested)
		assert.NotZero(t, r.Usage.Reported)
	})
	t.Run("an error inside the stream", func(t *testing.T) {
		e := fixture(t, "synthetic/chat_stream_error_chunk.sse", openAIChatURL, `{"model":"gpt-4o-mini","stream":true}`, ctSSE)
		_, r := testkit.Replay(t, New(), e)
		require.NotEmpty(t, r.ErrorType)
		assert.False(t, r.UsageNotRequested)
	})
	t.Run("a full body", func(t *testing.T) {
		e := fixture(t, "openai/completions_legacy_nonstream.json", openAICompletionsURL, `{"model":"gpt-3.5-turbo-instruct"}`, ctJSON)
		_, r := testkit.Replay(t, New(), e)
		assert.False(t, r.UsageNotRequested)
	})
}
