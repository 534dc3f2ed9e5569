package openai

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// fuzzObserve feeds body to a fresh observation of url, whole and split at
// cut, and requires both to agree and neither to panic.
func fuzzObserve(t *testing.T, url, reqBody, contentType string, body []byte, cut uint16) {
	e := testkit.Exchange{URL: url, Body: []byte(reqBody),
		ResponseHeader: map[string][]string{"Content-Type": {contentType}}, ResponseBody: body}
	_, whole := testkit.Observe(t, New(), e, testkit.Whole(body), true)
	at := int(cut) % (len(body) + 1)
	_, split := testkit.Observe(t, New(), e, [][]byte{body[:at], body[at:]}, true)
	require.Equal(t, whole, split)
	_, _ = testkit.Observe(t, New(), e, testkit.Whole(body[:at]), false)
	if whole.Usage.Reported == 0 {
		require.Equal(t, providers.SourceNone, whole.Usage.Source)
	}
}

func addSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 1536 { // small seeds keep minimisation fast
			b = b[len(b)-1536:]
		}
		f.Add(b, uint16(len(b)/2))
	}
}

func FuzzChatStream(f *testing.F) {
	addSeeds(f, "openai/chat_stream_include_usage_recorded.sse", "azure-openai/chat_stream_azure_prompt_filter_first_frame.sse",
		"synthetic/groq_stream_x_groq_usage.sse", "synthetic/vllm_stream_continuous_usage.sse",
		"synthetic/chat_stream_error_chunk.sse", "openai/completions_legacy_stream_include_usage_recorded.sse",
		"openai/chat_completion_stream_with_usage_openai-go-test.sse")
	f.Fuzz(func(t *testing.T, body []byte, cut uint16) {
		fuzzObserve(t, openAIChatURL, `{"model":"m","stream":true,"stream_options":{"include_usage":true}}`, ctSSE, body, cut)
	})
}

func FuzzResponsesStream(f *testing.F) {
	addSeeds(f, "openai/responses_stream_sse.txt", "synthetic/responses_stream_error_event.sse")
	f.Fuzz(func(t *testing.T, body []byte, cut uint16) {
		fuzzObserve(t, openAIResponsesURL, `{"model":"m","stream":true}`, ctSSE, body, cut)
	})
}

func FuzzBody(f *testing.F) {
	addSeeds(f, "openai/chat_nonstream_reasoning_recorded.json", "openai/responses_nonstream_reasoning.json",
		"synthetic/deepseek_nonstream_cache_hit.json", "synthetic/error_429.json", "synthetic/html_502.html")
	f.Fuzz(func(t *testing.T, body []byte, cut uint16) {
		for _, url := range []string{openAIChatURL, openAIResponsesURL, openAIEmbeddingsURL} {
			fuzzObserve(t, url, `{"model":"m"}`, ctJSON, body, cut)
		}
	})
}

func FuzzRequest(f *testing.F) {
	f.Add([]byte(`{"model":"m","stop":["a"],"max_tokens":1,"stream":true,"stream_options":{"include_usage":true}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		call := New().Match(testkit.Exchange{URL: openAIChatURL}.Request())
		_ = call.Request(body)
	})
}
