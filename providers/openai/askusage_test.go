package openai

import (
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers/internal/testkit"
)

func TestWithIncludeUsage(t *testing.T) {
	for _, c := range []struct{ name, body, want, reason string }{
		{"absent", `{"model":"m","stream":true}`, `{"stream_options":{"include_usage":true},"model":"m","stream":true}`, ""},
		{"leading space", ` {"stream":true}`, ` {"stream_options":{"include_usage":true},"stream":true}`, ""},
		{"null options", `{"stream":true,"stream_options":null}`, `{"stream":true,"stream_options":{"include_usage":true}}`, ""},
		{"explicit false", `{"stream":true,"stream_options":{"include_usage":false}}`, `{"stream":true,"stream_options":{"include_usage":true}}`, ""},
		{"false with space", `{"stream":true,"stream_options":{ "include_usage" : false , "x":1}}`, `{"stream":true,"stream_options":{ "include_usage" : true , "x":1}}`, ""},
		{"other options kept", `{"stream":true,"stream_options":{"include_obfuscation":false}}`, `{"stream":true,"stream_options":{"include_usage":true,"include_obfuscation":false}}`, ""},
		{"empty options", `{"stream":true,"stream_options":{}}`, `{"stream":true,"stream_options":{"include_usage":true}}`, ""},
		{"last duplicate counts", `{"stream":true,"stream_options":{"include_usage":true},"stream_options":{"include_usage":false}}`, `{"stream":true,"stream_options":{"include_usage":true},"stream_options":{"include_usage":true}}`, ""},
		{"already asked", `{"stream":true,"stream_options":{"include_usage":true}}`, ``, ""},
		{"not a stream", `{"model":"m","stream":false}`, ``, ""},
		{"stream unset", `{"model":"m"}`, ``, ""},
		{"options not an object", `{"stream":true,"stream_options":"x"}`, ``, "stream_options.include_usage not added: stream_options is not an object"},
		{"not JSON", `{"stream":true,`, ``, "stream_options.include_usage not added: the request body is not a JSON object"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, reason := withIncludeUsage([]byte(c.body))
			assert.Equal(t, c.want, string(got))
			assert.Equal(t, c.reason, reason)
			if got != nil {
				var v struct {
					StreamOptions struct {
						IncludeUsage bool `json:"include_usage"`
					} `json:"stream_options"`
				}
				require.NoError(t, json.Unmarshal(got, &v), "still JSON")
				assert.True(t, v.StreamOptions.IncludeUsage, "as encoding/json reads it")
			}
		})
	}
}

func TestAskUsageByHost(t *testing.T) {
	body := []byte(`{"model":"m","stream":true}`)
	for _, c := range []struct {
		url     string
		amended bool
		reason  string
	}{
		{"https://api.openai.com/v1/chat/completions", true, ""},
		{"https://api.openai.com/v1/completions", true, ""},
		{"https://api.openai.com/v1/responses", false, ""},
		{"https://api.openai.com/v1/embeddings", false, ""},
		{"https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21", true, ""},
		{"https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-08-01-preview", true, ""},
		{"https://r.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-06-01", false, "stream_options.include_usage not added: Azure accepts it from api-version 2024-08-01-preview"},
		{"https://r.openai.azure.com/openai/v1/chat/completions", true, ""},
		{"https://api.groq.com/openai/v1/chat/completions", true, ""},
		{"https://api.deepseek.com/chat/completions", true, ""},
		{"https://api.x.ai/v1/chat/completions", true, ""},
		{"http://localhost:11434/v1/chat/completions", true, ""},
		{"https://api.mistral.ai/v1/chat/completions", false, "stream_options.include_usage not added: Mistral rejects it"},
		{"https://openrouter.ai/api/v1/chat/completions", false, "stream_options.include_usage not added: openrouter sends usage unasked"},
		{"https://api.perplexity.ai/chat/completions", false, "stream_options.include_usage not added: perplexity sends usage unasked"},
		{"http://localhost:8000/v1/chat/completions", false, "stream_options.include_usage not added: not known to be accepted by this OpenAI-compatible server"},
	} {
		call := New().Match(httptest.NewRequest("POST", c.url, nil)).(*call)
		call.Request(body)
		amended, filter, reason := call.AskUsage(body)
		assert.Equal(t, c.amended, amended != nil, c.url)
		assert.Equal(t, c.amended, filter != nil, c.url)
		assert.Equal(t, c.reason, reason, c.url)
	}
	// A request that asks already, or does not stream, is not a skip.
	call := New().Match(httptest.NewRequest("POST", "https://api.mistral.ai/v1/chat/completions", nil)).(*call)
	call.Request([]byte(`{"stream":false}`))
	_, _, reason := call.AskUsage([]byte(`{"stream":false}`))
	assert.Empty(t, reason)
}

// What include_usage adds to an OpenAI stream, around what the application
// would have read without it.
const (
	streamWithout = ": keep-alive\n\n" +
		"data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n" +
		"data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]}\n\n" +
		"data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
	usageChunk = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\n"
	done       = "data: [DONE]\n\n"
)

func TestUsageFilterRemovesOnlyTheAddedChunk(t *testing.T) {
	for _, crlf := range []bool{false, true} {
		with, want := streamWithout+usageChunk+done, streamWithout+done
		if crlf {
			with, want = strings.ReplaceAll(with, "\n", "\r\n"), strings.ReplaceAll(want, "\n", "\r\n")
		}
		for _, split := range [][][]byte{testkit.Whole([]byte(with)), testkit.Bytewise([]byte(with)), testkit.RandomSplits([]byte(with), 3), testkit.RandomSplits([]byte(with), 11)} {
			f := newUsageFilter(io.NopCloser(&partsReader{parts: split}))
			got, err := io.ReadAll(iotestOneByte{f})
			require.NoError(t, err)
			assert.Equal(t, want, string(got), "crlf %v", crlf)
		}
	}
	// A cut stream: what came is passed on.
	f := newUsageFilter(io.NopCloser(strings.NewReader(streamWithout + usageChunk[:20])))
	got, _ := io.ReadAll(f)
	assert.Equal(t, streamWithout+usageChunk[:20], string(got))
}

type partsReader struct{ parts [][]byte }

func (r *partsReader) Read(p []byte) (int, error) {
	if len(r.parts) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.parts[0])
	r.parts[0] = r.parts[0][n:]
	if len(r.parts[0]) == 0 {
		r.parts = r.parts[1:]
	}
	return n, nil
}

// iotestOneByte reads one byte at a time, as a slow application would.
type iotestOneByte struct{ r io.Reader }

func (o iotestOneByte) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}
