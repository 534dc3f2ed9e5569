package sdk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

func newGoOpenAIClient(hc *http.Client, baseURL string) *openai.Client {
	cfg := openai.DefaultConfig(openAIKey)
	cfg.BaseURL = baseURL + "/v1"
	cfg.HTTPClient = hc
	return openai.NewClientWithConfig(cfg)
}

func goOpenAIUsage(u *openai.Usage) openAIUsage {
	if u == nil {
		return openAIUsage{}
	}
	r := openAIUsage{Prompt: int64(u.PromptTokens), Completion: int64(u.CompletionTokens), Total: int64(u.TotalTokens)}
	if u.PromptTokensDetails != nil {
		r.Cached = int64(u.PromptTokensDetails.CachedTokens)
	}
	if u.CompletionTokensDetails != nil {
		r.Reasoning = int64(u.CompletionTokensDetails.ReasoningTokens)
	}
	return r
}

func TestGoOpenAIChat(t *testing.T) {
	h := newHarness(t)
	srv := newFixtureServer(t, map[string]reply{"POST /v1/chat/completions": withFile(openAIJSON, "chat_nonstream_reasoning_recorded.json")})

	type result struct {
		ID, Model, Text, Finish string
		Usage                   openAIUsage
	}
	got, _ := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
		r, err := newGoOpenAIClient(hc, srv.URL).CreateChatCompletion(ctx, openai.ChatCompletionRequest{
			Model:    "gpt-5-nano",
			Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "A bat and a ball cost $1.10 in total. The bat costs $1.00 more than the ball. How much does the ball cost?"}},
		})
		if err != nil {
			return result{}, err
		}
		return result{r.ID, r.Model, r.Choices[0].Message.Content, string(r.Choices[0].FinishReason), goOpenAIUsage(&r.Usage)}, nil
	})
	assert.Equal(t, "chatcmpl-CJYvbsw8VZh862zGsIV5ZJtMnVFej", got.ID)
	assert.Equal(t, "gpt-5-nano-2025-08-07", got.Model)
	assert.Contains(t, got.Text, "Ball costs 5 cents.")
	assert.Equal(t, "stop", got.Finish)
	assert.Equal(t, openAIUsage{Prompt: 27, Completion: 267, Total: 294, Reasoning: 192}, got.Usage)

	h.check(t, []string{openAIKey}, wantCall{
		provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-5-nano", responseModel: "gpt-5-nano-2025-08-07",
		responseID: got.ID, finishReasons: []string{"stop"},
		usage: wantUsage{input: 27, output: 267, total: 294, reasoning: 192, source: "response_body", cacheReadSent: true},
	})
}

func TestGoOpenAIChatStream(t *testing.T) {
	h := newHarness(t)
	srv := newFixtureServer(t, map[string]reply{"POST /v1/chat/completions": withFile(openAISSE, "chat_stream_include_usage_recorded.sse")})

	type result struct {
		Chunks, UsageChunks int
		ID, Model, Text     string
		Finishes            []string
		Usage               openAIUsage
	}
	got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
		stream, err := newGoOpenAIClient(hc, srv.URL).CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
			Model:               "gpt-5-nano",
			MaxCompletionTokens: 100,
			Temperature:         1,
			Messages:            []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleDeveloper, Content: "Hello, I'm a developer!"}},
			Stream:              true,
			StreamOptions:       &openai.StreamOptions{IncludeUsage: true},
		})
		if err != nil {
			return result{}, err
		}
		defer stream.Close()
		var r result
		for {
			chunk, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				return r, nil
			}
			if err != nil {
				return r, err
			}
			r.Chunks++
			r.ID, r.Model = chunk.ID, chunk.Model
			for _, c := range chunk.Choices {
				r.Text += c.Delta.Content
				if c.FinishReason != "" {
					r.Finishes = append(r.Finishes, string(c.FinishReason))
				}
			}
			if chunk.Usage != nil {
				r.UsageChunks++
				r.Usage = goOpenAIUsage(chunk.Usage)
			}
		}
	})
	assert.Equal(t, result{
		Chunks: 3, UsageChunks: 1,
		ID: "chatcmpl-C4Hq5a6K3RaPMymUv70btQNYv6SvY", Model: "gpt-5-nano-2025-08-07",
		Text: "", Finishes: []string{"length"},
		Usage: openAIUsage{Prompt: 12, Completion: 100, Total: 112, Reasoning: 100},
	}, got)
	assertStreamWithUsage(t, reqs)

	h.check(t, []string{openAIKey}, wantCall{
		provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-5-nano", responseModel: "gpt-5-nano-2025-08-07",
		responseID: got.ID, finishReasons: []string{"length"}, stream: true,
		usage: wantUsage{input: 12, output: 100, total: 112, reasoning: 100, source: "stream", cacheReadSent: true},
	})
	a := attrsOf(h.spans.Ended()[0])
	assert.Equal(t, int64(100), a[semconv.GenAIRequestMaxTokensKey].AsInt64(), "max_completion_tokens")
	assert.Equal(t, 1.0, a[semconv.GenAIRequestTemperatureKey].AsFloat64(), "temperature")
}
