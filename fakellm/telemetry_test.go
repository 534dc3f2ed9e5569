package fakellm_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// observed makes one call through otelllm's transport and returns the
// attributes of the span it recorded.
func observed(t *testing.T, url, body string) (int, map[attribute.Key]attribute.Value) {
	t.Helper()
	recorder := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	client := otelllm.WrapClient(nil, otelllm.WithTracerProvider(tp))
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := client.Do(req)
	require.NoError(t, err)
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	spans := recorder.Ended()
	require.Len(t, spans, 1)
	attrs := map[attribute.Key]attribute.Value{}
	for _, kv := range spans[0].Attributes() {
		attrs[kv.Key] = kv.Value
	}
	return resp.StatusCode, attrs
}

// TestChosenUsageAsObserved runs every API the fake generates, full and
// streamed, through otelllm's own parsers (which are tested against recorded
// payloads of the real APIs) and checks that they read the usage the test
// chose, and the model the request asked for. The parsers agreeing is what
// shows the answers are in the real shapes.
func TestChosenUsageAsObserved(t *testing.T) {
	chosen := fakellm.Usage{InputTokens: 1200, OutputTokens: 300, CacheReadTokens: 1000, CacheWriteTokens: 100, ReasoningTokens: 50}
	fake := fakellm.NewServer(fakellm.Options{Usage: fakellm.FixedUsage(chosen)})
	defer fake.Close()

	const chat = `"messages":[{"role":"user","content":"Hi"}]`
	type want struct {
		provider, model               string
		input, output                 int64
		cacheRead, cacheWrite, reason int64 // -1: the API has no such count
		streamed                      bool
	}
	for _, tc := range []struct {
		name, url, body string
		want            want
	}{
		{"openai chat", fake.OpenAIBaseURL() + "/chat/completions", `{"model":"gpt-4o-mini",` + chat + `}`,
			want{"openai", "gpt-4o-mini-2024-07-18", 1200, 300, 1000, 100, 50, false}},
		{"openai chat stream", fake.OpenAIBaseURL() + "/chat/completions", `{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},` + chat + `}`,
			want{"openai", "gpt-4o-mini-2024-07-18", 1200, 300, 1000, 100, 50, true}},
		{"azure deployment", fake.AzureOpenAIEndpoint() + "/openai/deployments/prod-gpt/chat/completions?api-version=2024-10-21", `{` + chat + `}`,
			want{"azure.ai.openai", "prod-gpt", 1200, 300, 1000, 100, 50, false}},
		{"azure v1 stream", fake.AzureOpenAIV1BaseURL() + "/chat/completions", `{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},` + chat + `}`,
			want{"openai", "gpt-4o-2024-08-06", 1200, 300, 1000, 100, 50, true}},
		{"ark", fake.ArkBaseURL() + "/chat/completions", `{"model":"doubao-seed-1-6",` + chat + `}`,
			want{"openai", "doubao-seed-1-6", 1200, 300, 1000, 100, 50, false}},
		{"openai completions stream", fake.OpenAIBaseURL() + "/completions", `{"model":"gpt-3.5-turbo-instruct","prompt":"Hi","stream":true,"stream_options":{"include_usage":true}}`,
			want{"openai", "gpt-3.5-turbo-instruct", 1200, 300, -1, -1, -1, true}},
		{"openai responses", fake.OpenAIBaseURL() + "/responses", `{"model":"gpt-4.1-mini","input":"Hi"}`,
			want{"openai", "gpt-4.1-mini-2025-04-14", 1200, 300, 1000, 100, 50, false}},
		{"openai responses stream", fake.OpenAIBaseURL() + "/responses", `{"model":"gpt-4.1-mini","input":"Hi","stream":true}`,
			want{"openai", "gpt-4.1-mini-2025-04-14", 1200, 300, 1000, 100, 50, true}},
		{"anthropic", fake.AnthropicBaseURL() + "/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":512,` + chat + `}`,
			want{"anthropic", "claude-sonnet-4-5-20250929", 1200, 300, 1000, 100, -1, false}},
		{"anthropic stream", fake.AnthropicBaseURL() + "/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":512,"stream":true,` + chat + `}`,
			want{"anthropic", "claude-sonnet-4-5-20250929", 1200, 300, 1000, 100, -1, true}},
		{"bedrock converse", fake.BedrockEndpoint() + "/model/us.amazon.nova-lite-v1%3A0/converse", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`,
			want{"aws.bedrock", "us.amazon.nova-lite-v1:0", 1200, 300, 1000, 100, -1, false}},
		{"bedrock converse stream", fake.BedrockEndpoint() + "/model/us.amazon.nova-lite-v1%3A0/converse-stream", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`,
			want{"aws.bedrock", "us.amazon.nova-lite-v1:0", 1200, 300, 1000, 100, -1, true}},
		{"bedrock invoke claude", fake.BedrockEndpoint() + "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,` + chat + `}`,
			// Claude's body names the model that answered, as the real one does.
			want{"aws.bedrock", "claude-3-5-haiku-20241022", 1200, 300, 1000, 100, -1, false}},
		{"bedrock invoke claude stream", fake.BedrockEndpoint() + "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke-with-response-stream", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,` + chat + `}`,
			want{"aws.bedrock", "claude-3-5-haiku-20241022", 1200, 300, 1000, 100, -1, true}},
		{"bedrock invoke nova", fake.BedrockEndpoint() + "/model/amazon.nova-micro-v1%3A0/invoke", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`,
			want{"aws.bedrock", "amazon.nova-micro-v1:0", 1200, 300, 1000, 100, -1, false}},
		{"bedrock invoke nova stream", fake.BedrockEndpoint() + "/model/amazon.nova-micro-v1%3A0/invoke-with-response-stream", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`,
			want{"aws.bedrock", "amazon.nova-micro-v1:0", 1200, 300, 1000, 100, -1, true}},
		{"gemini", fake.GeminiBaseURL() + "/v1beta/models/gemini-2.5-flash:generateContent", `{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}`,
			want{"gcp.gemini", "gemini-2.5-flash", 1200, 300, 1000, -1, 50, false}},
		{"gemini sse", fake.GeminiBaseURL() + "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", `{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}`,
			want{"gcp.gemini", "gemini-2.5-flash", 1200, 300, 1000, -1, 50, true}},
		{"vertex json array stream", fake.VertexAIBaseURL() + "/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:streamGenerateContent", `{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}`,
			want{"gcp.vertex_ai", "gemini-2.5-pro", 1200, 300, 1000, -1, 50, true}},
		{"cohere", fake.CohereBaseURL() + "/v2/chat", `{"model":"command-a-03-2025",` + chat + `}`,
			want{"cohere", "", 1200, 300, 1000, -1, -1, false}},
		{"cohere stream", fake.CohereBaseURL() + "/v2/chat", `{"model":"command-a-03-2025","stream":true,` + chat + `}`,
			want{"cohere", "", 1200, 300, 1000, -1, -1, true}},
		{"ollama chat", fake.OllamaBaseURL() + "/api/chat", `{"model":"llama3.2",` + chat + `}`,
			want{"ollama", "llama3.2", 1200, 300, -1, -1, -1, true}},
		{"ollama generate", fake.OllamaBaseURL() + "/api/generate", `{"model":"llama3.2","prompt":"Hi","stream":false}`,
			want{"ollama", "llama3.2", 1200, 300, -1, -1, -1, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, a := observed(t, tc.url, tc.body)
			require.Equal(t, http.StatusOK, status)
			w := tc.want
			assert.Equal(t, w.provider, a["gen_ai.provider.name"].AsString())
			assert.Equal(t, w.model, a["gen_ai.response.model"].AsString(), "gen_ai.response.model")
			assert.Equal(t, w.streamed, a["gen_ai.request.stream"].AsBool(), "gen_ai.request.stream")
			assert.Equal(t, w.input, a["gen_ai.usage.input_tokens"].AsInt64(), "input")
			assert.Equal(t, w.output, a["gen_ai.usage.output_tokens"].AsInt64(), "output")
			for key, n := range map[attribute.Key]int64{
				"gen_ai.usage.cache_read.input_tokens":     w.cacheRead,
				"gen_ai.usage.cache_creation.input_tokens": w.cacheWrite,
				"gen_ai.usage.reasoning.output_tokens":     w.reason,
			} {
				if n < 0 {
					assert.NotContains(t, a, key)
					continue
				}
				assert.Equal(t, n, a[key].AsInt64(), key)
			}
		})
	}
}

// TestFaultsAsObserved checks that a fault is an error call to otelllm, in
// each provider's own error shape.
func TestFaultsAsObserved(t *testing.T) {
	fake := fakellm.NewServer(fakellm.Options{Fault: func(fakellm.Request) *fakellm.Fault {
		return &fakellm.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second}
	}})
	defer fake.Close()
	for _, tc := range []struct{ name, url, body, errorType string }{
		{"openai", fake.OpenAIBaseURL() + "/chat/completions", `{"model":"gpt-4o-mini","messages":[]}`, "requests"},
		{"anthropic", fake.AnthropicBaseURL() + "/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":5,"messages":[]}`, "rate_limit_error"},
		{"bedrock", fake.BedrockEndpoint() + "/model/amazon.nova-micro-v1%3A0/converse", `{"messages":[]}`, "ThrottlingException"},
		{"gemini", fake.GeminiBaseURL() + "/v1beta/models/gemini-2.5-flash:generateContent", `{"contents":[]}`, "RESOURCE_EXHAUSTED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, a := observed(t, tc.url, tc.body)
			assert.Equal(t, http.StatusTooManyRequests, status)
			assert.Equal(t, tc.errorType, a["otelllm.provider.error_type"].AsString())
			assert.NotContains(t, a, attribute.Key("gen_ai.usage.input_tokens"), "a failed call reports no usage")
		})
	}
}
