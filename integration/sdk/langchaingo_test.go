package sdk

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/ollama"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/otelllm/otelllm/providers"
)

// langchainResult is what the tests compare of a langchaingo generation.
type langchainResult struct {
	Content, StopReason string
	Chunks              []string
	Info                map[string]string
}

func generate(ctx context.Context, llm llms.Model, stream bool, infoKeys ...string) (langchainResult, error) {
	var r langchainResult
	opts := []llms.CallOption{}
	if stream {
		opts = append(opts, llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
			r.Chunks = append(r.Chunks, string(chunk))
			return nil
		}))
	}
	resp, err := llm.GenerateContent(ctx, []llms.MessageContent{llms.TextParts(llms.ChatMessageTypeHuman, "How heavy is a hummingbird?")}, opts...)
	if err != nil {
		return r, err
	}
	c := resp.Choices[0]
	r.Content, r.StopReason = c.Content, c.StopReason
	r.Info = map[string]string{}
	for _, k := range infoKeys {
		r.Info[k] = fmt.Sprint(c.GenerationInfo[k])
	}
	return r, nil
}

func TestLangchaingoOpenAI(t *testing.T) {
	for _, tc := range []struct {
		name, file, contentType, model string
		stream                         bool
		want                           langchainResult
		call                           wantCall
	}{
		{
			name: "full", file: "chat_completion_nonstream.json", contentType: "application/json", model: "gpt-5.4",
			want: langchainResult{
				Content: "Hello! How can I assist you today?", StopReason: "stop",
				Info: map[string]string{"PromptTokens": "19", "CompletionTokens": "10", "TotalTokens": "29", "PromptCachedTokens": "0"},
			},
			call: wantCall{
				provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-5.4", responseModel: "gpt-5.4",
				responseID: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", finishReasons: []string{"stop"},
				usage: wantUsage{input: 19, output: 10, total: 29, source: "response_body", cacheReadSent: true},
			},
		},
		{
			name: "streamed", file: "chat_stream_include_usage_text_synthetic.sse", contentType: "text/event-stream", model: "gpt-4o-mini",
			stream: true,
			want: langchainResult{
				Content: "Hello! The ruby-throated hummingbird weighs about 3 grams.", StopReason: "stop",
				// langchaingo passes on the empty deltas of the role and finish chunks too.
				Chunks: []string{"", "Hello", "!", " The", " ruby-throated", " hummingbird", " weighs", " about", " 3", " grams", ".", ""},
				Info:   map[string]string{"PromptTokens": "1536", "CompletionTokens": "11", "TotalTokens": "1547", "PromptCachedTokens": "1024"},
			},
			call: wantCall{
				provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-4o-mini", responseModel: "gpt-4o-mini-2024-07-18",
				responseID: "chatcmpl-SynthText0001", finishReasons: []string{"stop"}, stream: true,
				usage: wantUsage{input: 1536, output: 11, total: 1547, cacheRead: 1024, source: "stream"},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			srv := newFixtureServer(t, map[string]reply{"POST /v1/chat/completions": {file: tc.file, contentType: tc.contentType}})
			got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (langchainResult, error) {
				llm, err := openai.New(
					openai.WithBaseURL(srv.URL+"/v1"),
					openai.WithHTTPClient(hc),
					openai.WithToken(openAIKey),
					openai.WithModel(tc.model),
				)
				if err != nil {
					return langchainResult{}, err
				}
				return generate(ctx, llm, tc.stream, "PromptTokens", "CompletionTokens", "TotalTokens", "PromptCachedTokens")
			})
			assert.Equal(t, tc.want, got)
			if tc.stream {
				assertStreamWithUsage(t, reqs)
			}
			h.check(t, []string{openAIKey}, tc.call)
		})
	}
}

func TestLangchaingoOllama(t *testing.T) {
	for _, tc := range []struct {
		name, file, contentType string
		streamingFunc           bool
		want                    langchainResult
		usage                   wantUsage
	}{
		{
			// langchaingo leaves "stream" out of the request when it has no
			// streaming function ("stream,omitempty"), and Ollama then
			// streams, as is its default: the call is a stream on the wire
			// (and on the span) that langchaingo reads whole.
			name: "no streaming func", file: "api_chat_stream_from_docs.ndjson", contentType: "application/x-ndjson",
			want: langchainResult{
				Content: "The",
				Info:    map[string]string{"PromptTokens": "26", "CompletionTokens": "282", "TotalTokens": "308"},
			},
			usage: wantUsage{input: 26, output: 282, source: "stream"},
		},
		{
			name: "streamed", file: "api_chat_stream_from_docs.ndjson", contentType: "application/x-ndjson", streamingFunc: true,
			want: langchainResult{
				Content: "The", Chunks: []string{"The", ""},
				Info: map[string]string{"PromptTokens": "26", "CompletionTokens": "282", "TotalTokens": "308"},
			},
			usage: wantUsage{input: 26, output: 282, source: "stream"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			srv := newFixtureServer(t, map[string]reply{"POST /api/chat": {file: tc.file, contentType: tc.contentType}})
			got, _ := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (langchainResult, error) {
				llm, err := ollama.New(ollama.WithServerURL(srv.URL), ollama.WithHTTPClient(hc), ollama.WithModel("llama3.2"))
				if err != nil {
					return langchainResult{}, err
				}
				return generate(ctx, llm, tc.streamingFunc, "PromptTokens", "CompletionTokens", "TotalTokens")
			})
			assert.Equal(t, tc.want, got)

			// Local models have no price: the counts are kept, the call
			// is counted as unpriced.
			h.check(t, nil, wantCall{
				provider: providers.ProviderOllama, operation: "chat", requestModel: "llama3.2", responseModel: "llama3.2",
				stream: true, usage: tc.usage, unpriced: true,
			})
		})
	}
}
