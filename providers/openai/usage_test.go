package openai

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

func TestChatUsage(t *testing.T) {
	src := providers.SourceResponseBody
	for _, tc := range []struct {
		name, usage string
		want        providers.Usage
	}{
		{
			name:  "every count",
			usage: `{"prompt_tokens":100,"completion_tokens":40,"total_tokens":140,"prompt_tokens_details":{"cached_tokens":60,"cache_write_tokens":30,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":25}}`,
			want: testkit.Usage(src, providers.InputTokens, 100, providers.OutputTokens, 40, providers.TotalTokens, 140,
				providers.CacheReadInputTokens, 60, providers.CacheCreationInputTokens, 30, providers.ReasoningTokens, 25, providers.InputAudioTokens, 0),
		},
		{
			name:  "DeepSeek cache hits when there are no prompt details",
			usage: `{"prompt_tokens":50,"completion_tokens":5,"prompt_cache_hit_tokens":32,"prompt_cache_miss_tokens":18}`,
			want:  testkit.Usage(src, providers.InputTokens, 50, providers.OutputTokens, 5, providers.CacheReadInputTokens, 32),
		},
		{
			name:  "prompt details win over DeepSeek's field, wherever it comes",
			usage: `{"prompt_cache_hit_tokens":32,"prompt_tokens":50,"prompt_tokens_details":{"cached_tokens":16}}`,
			want:  testkit.Usage(src, providers.InputTokens, 50, providers.CacheReadInputTokens, 16),
		},
		{
			name:  "a repeated member counts at its last value, as encoding/json reads it",
			usage: `{"prompt_tokens":7,"prompt_tokens":9,"completion_tokens":3,"completion_tokens":null}`,
			want:  testkit.Usage(src, providers.InputTokens, 9, providers.OutputTokens, 3),
		},
		{
			name:  "a repeated details object counts at its last value",
			usage: `{"prompt_tokens":9,"prompt_tokens_details":{"cached_tokens":5},"prompt_tokens_details":{"audio_tokens":2}}`,
			want:  testkit.Usage(src, providers.InputTokens, 9, providers.InputAudioTokens, 2),
		},
		{
			name:  "integral floats count, other kinds are not counts",
			usage: `{"prompt_tokens":12.0,"completion_tokens":"4","total_tokens":true,"completion_tokens_details":{"reasoning_tokens":null}}`,
			want:  testkit.Usage(src, providers.InputTokens, 12, providers.OutputTokens|providers.TotalTokens),
		},
		{
			name:  "negative, fractional and too large counts are not counts",
			usage: `{"prompt_tokens":-5,"completion_tokens":1.5,"total_tokens":9223372036854775808,"prompt_tokens_details":{"cached_tokens":4611686018427387904}}`,
			want:  testkit.Usage(src, providers.CacheReadInputTokens, 1<<62, providers.InputTokens|providers.OutputTokens|providers.TotalTokens),
		},
		{
			name:  "audio and image parts, and predicted outputs inside completion_tokens",
			usage: `{"prompt_tokens":90,"completion_tokens":60,"total_tokens":150,"prompt_tokens_details":{"audio_tokens":30,"image_tokens":20,"cached_tokens":0},"completion_tokens_details":{"audio_tokens":40,"accepted_prediction_tokens":5,"rejected_prediction_tokens":7}}`,
			want: testkit.Usage(src, providers.InputTokens, 90, providers.OutputTokens, 60, providers.TotalTokens, 150,
				providers.CacheReadInputTokens, 0, providers.InputAudioTokens, 30, providers.InputImageTokens, 20, providers.OutputAudioTokens, 40),
		},
		{
			name:  "Together's top-level cached_tokens",
			usage: `{"prompt_tokens":41,"completion_tokens":15,"total_tokens":56,"cached_tokens":0}`,
			want:  testkit.Usage(src, providers.InputTokens, 41, providers.OutputTokens, 15, providers.TotalTokens, 56, providers.CacheReadInputTokens, 0),
		},
		{
			// xAI's Chat Completions (grok-4): 10120 + 1499 + 2809 = 14428.
			name:  "reasoning outside completion_tokens joins the output",
			usage: `{"prompt_tokens":10120,"completion_tokens":1499,"total_tokens":14428,"prompt_tokens_details":{"cached_tokens":128},"completion_tokens_details":{"reasoning_tokens":2809}}`,
			want: testkit.Usage(src, providers.InputTokens, 10120, providers.OutputTokens, 1499+2809, providers.TotalTokens, 14428,
				providers.CacheReadInputTokens, 128, providers.ReasoningTokens, 2809),
		},
		{
			// OpenAI's: completion_tokens already includes reasoning.
			name:  "reasoning inside completion_tokens stays",
			usage: `{"prompt_tokens":12,"completion_tokens":387,"total_tokens":399,"completion_tokens_details":{"reasoning_tokens":386}}`,
			want:  testkit.Usage(src, providers.InputTokens, 12, providers.OutputTokens, 387, providers.TotalTokens, 399, providers.ReasoningTokens, 386),
		},
		{
			name:  "without a total nothing is assumed",
			usage: `{"prompt_tokens":12,"completion_tokens":1,"completion_tokens_details":{"reasoning_tokens":386}}`,
			want:  testkit.Usage(src, providers.InputTokens, 12, providers.OutputTokens, 1, providers.ReasoningTokens, 386),
		},
		{name: "empty", usage: `{}`, want: providers.Usage{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, chatUsage([]byte(tc.usage), src, "openai", false).usage)
		})
	}
}

// Perplexity's reasoning and citation tokens sit beside completion_tokens,
// outside total_tokens; they join the output and the input.
func TestPerplexityUsage(t *testing.T) {
	usage := []byte(`{"prompt_tokens":108,"completion_tokens":3256,"total_tokens":3364,"citation_tokens":7299,"num_search_queries":74,"reasoning_tokens":73248}`)
	src := providers.SourceResponseBody
	assert.Equal(t, testkit.Usage(src, providers.InputTokens, 108+7299, providers.OutputTokens, 3256+73248, providers.TotalTokens, 3364,
		providers.ReasoningTokens, 73248, providers.WebSearchRequests, 74), chatUsage(usage, src, "perplexity", false).usage)
	// Elsewhere a top-level reasoning_tokens is not assumed to mean the same.
	assert.Equal(t, testkit.Usage(src, providers.InputTokens, 108, providers.OutputTokens, 3256, providers.TotalTokens, 3364),
		chatUsage(usage, src, "openai", false).usage)
	// Without them, nothing changes.
	assert.Equal(t, testkit.Usage(src, providers.InputTokens, 9, providers.OutputTokens, 20, providers.TotalTokens, 29),
		chatUsage([]byte(`{"prompt_tokens":9,"completion_tokens":20,"total_tokens":29}`), src, "perplexity", false).usage)
}

// The Responses API's usage gets the same treatment.
func TestResponsesUsageReasoningOutsideOutput(t *testing.T) {
	d := dialect{call: &call{}}
	var r providers.Result
	d.responseObject([]byte(`{"id":"resp_1","object":"response","model":"grok-4","status":"completed","output":[],
		"usage":{"input_tokens":12,"output_tokens":1,"total_tokens":399,"output_tokens_details":{"reasoning_tokens":386}}}`), providers.SourceResponseBody, &r)
	assert.Equal(t, testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 12, providers.OutputTokens, 387,
		providers.TotalTokens, 399, providers.ReasoningTokens, 386), r.Usage)
}

// The cost a response states: xAI's ticks, OpenRouter's usage.cost (and a
// BYOK call's upstream cost), Perplexity's total_cost. A stream's last
// stated cost wins, except Perplexity's zero skeleton on its interim chunks.
func TestStatedCost(t *testing.T) {
	t.Run("xAI cost_in_usd_ticks", func(t *testing.T) {
		e := fixture(t, "recorded/xai_chat_full_reasoning.json", "https://api.x.ai/v1/chat/completions", `{"model":"grok-3-mini"}`, ctJSON)
		_, r := testkit.Replay(t, New(), e)
		assert.Equal(t, providers.ProviderCost{USD: 1176500 / 1e10, Reported: true}, r.Cost)
	})
	t.Run("OpenRouter's Responses usage.cost", func(t *testing.T) {
		e := fixture(t, "recorded/openrouter_responses_stream.sse", "https://openrouter.ai/api/v1/responses", `{"model":"openai/gpt-oss-20b","stream":true}`, ctSSE)
		_, r := testkit.Replay(t, New(), e)
		assert.Equal(t, providers.ProviderCost{USD: 0.0000113, Reported: true}, r.Cost)
	})
	t.Run("Perplexity: the final chunk's total_cost, and its search context size", func(t *testing.T) {
		e := fixture(t, "recorded/perplexity_chat_stream_cost.sse", "https://api.perplexity.ai/chat/completions", `{"model":"sonar","stream":true}`, ctSSE)
		_, r := testkit.Replay(t, New(), e)
		assert.Equal(t, providers.ProviderCost{USD: 0.00501, Reported: true}, r.Cost)
		assert.Equal(t, "low", r.SearchContextSize)
		assert.True(t, r.RequestSearchFee, "no num_search_queries: the request fee applies")
		// Cut before the final chunk, the interim chunk's zero skeleton is
		// no cost: the call's cost is unknown, not 0.
		body := e.ResponseBody
		cut := bytes.Index(body, []byte(`"object":"chat.completion.done"`))
		require.Positive(t, cut)
		cut = bytes.LastIndex(body[:cut], []byte("data: "))
		_, r = testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), false)
		assert.False(t, r.Cost.Reported)
		assert.True(t, r.Usage.Has(providers.InputTokens), "the interim usage is kept")
	})
	t.Run("OpenRouter BYOK, and costs that are not costs", func(t *testing.T) {
		body := func(usage string) []byte {
			return []byte(`{"id":"gen-1","object":"chat.completion","model":"x-ai/grok-4","choices":[{"index":0,"finish_reason":"stop"}],"usage":` + usage + `}`)
		}
		for _, c := range []struct {
			usage   string
			want    providers.ProviderCost
			problem string
		}{
			{`{"prompt_tokens":1,"completion_tokens":1,"cost":0.001,"is_byok":true,"cost_details":{"upstream_inference_cost":0.02}}`, providers.ProviderCost{USD: 0.021, Reported: true}, ""},
			{`{"prompt_tokens":1,"completion_tokens":1,"cost":0.001,"is_byok":false,"cost_details":{"upstream_inference_cost":0.02}}`, providers.ProviderCost{USD: 0.001, Reported: true}, ""},
			{`{"prompt_tokens":1,"completion_tokens":1,"cost":0,"is_byok":false}`, providers.ProviderCost{Reported: true}, ""},
			{`{"prompt_tokens":1,"completion_tokens":1,"cost":null}`, providers.ProviderCost{}, ""},
			{`{"prompt_tokens":1,"completion_tokens":1,"cost":-0.5}`, providers.ProviderCost{}, providers.ProblemBadCost},
			{`{"prompt_tokens":1,"completion_tokens":1,"cost":"0.5"}`, providers.ProviderCost{}, providers.ProblemBadCost},
			{`{"prompt_tokens":1,"completion_tokens":1,"cost":1e400}`, providers.ProviderCost{}, providers.ProblemBadCost},
			{`{"prompt_tokens":1,"completion_tokens":1,"cost":0.2,"cost":0.3}`, providers.ProviderCost{USD: 0.3, Reported: true}, ""},
		} {
			e := testkit.Exchange{URL: "https://openrouter.ai/api/v1/chat/completions", ResponseHeader: http.Header{"Content-Type": {ctJSON}}, ResponseBody: body(c.usage)}
			_, r := testkit.Replay(t, New(), e)
			assert.Equal(t, c.want, r.Cost, c.usage)
			assert.Equal(t, c.problem, r.ObserveError, c.usage)
		}
		// A bare usage.cost elsewhere is some other server's field: not
		// taken for OpenRouter's.
		e := testkit.Exchange{URL: "https://llm.internal.example/v1/chat/completions", ResponseHeader: http.Header{"Content-Type": {ctJSON}},
			ResponseBody: body(`{"prompt_tokens":1,"completion_tokens":1,"cost":5}`)}
		_, r := testkit.Replay(t, New(), e)
		assert.False(t, r.Cost.Reported)
	})
}
