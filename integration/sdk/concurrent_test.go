package sdk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tmc/langchaingo/llms/ollama"
	"google.golang.org/genai"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/providers"
)

// TestConcurrentSDKsOneTracker runs calls of every SDK at once, several
// times over, under one tracker (and the Anthropic ones also under a nested
// tracker), and checks the exact totals: tokens, cost, calls per model,
// spans and metrics.
func TestConcurrentSDKsOneTracker(t *testing.T) {
	h := newHarness(t)
	openAISrv := newFixtureServer(t, map[string]reply{
		"POST /v1/chat/completions": withFile(openAIJSON, "chat_completion_nonstream.json"),
		"POST /v1/responses":        withFile(openAISSE, "responses_stream_synthetic.sse"),
		"POST /v1/embeddings":       withFile(openAIJSON, "embeddings_nonstream_synthetic.json"),
	})
	goOpenAISrv := newFixtureServer(t, map[string]reply{"POST /v1/chat/completions": withFile(openAISSE, "chat_stream_include_usage_recorded.sse")})
	anthropicSrv := newFixtureServer(t, map[string]reply{"POST /v1/messages": {file: "anthropic_stream_cache_synthetic.sse", contentType: "text/event-stream"}})
	bedrockSrv := newBedrockServer(t, map[string]reply{
		"POST /model/{model}/converse-stream": {file: "converse_stream_titan_recorded.bin", contentType: "application/vnd.amazon.eventstream", header: map[string]string{"x-amzn-RequestId": "req-converse-stream"}},
		"POST /model/{model}/invoke":          {file: "invoke_model_claude_recorded.json", contentType: "application/json", header: map[string]string{"x-amzn-RequestId": "req-invoke"}},
	})
	vertexSrv := newFixtureServer(t, map[string]reply{
		"POST " + genaiBackends[1].path + ":generateContent": {file: "vertex_gemini_generateContent_recorded.json", contentType: "application/json"},
	})
	ollamaSrv := newFixtureServer(t, map[string]reply{"POST /api/chat": {file: "api_chat_stream_from_docs.ndjson", contentType: "application/x-ndjson"}})

	innerCtx, inner := otelllm.Track(h.ctx)
	hc := h.client

	// Each call checks what its SDK returned; its telemetry is checked at
	// the end, all together.
	calls := []struct {
		name string
		ctx  context.Context
		run  func(ctx context.Context) error
		want wantCall
	}{
		{
			name: "openai-go chat", ctx: h.ctx,
			run: func(ctx context.Context) error {
				client := newOpenAIClient(hc, openAISrv.URL)
				c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "gpt-5.4", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hello!")}})
				return expect(err, c != nil && c.Choices[0].Message.Content == "Hello! How can I assist you today?", "chat content")
			},
			want: wantCall{
				provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-5.4", responseModel: "gpt-5.4",
				responseID: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", finishReasons: []string{"stop"},
				usage: wantUsage{input: 19, output: 10, total: 29, source: "response_body", cacheReadSent: true},
			},
		},
		{
			name: "openai-go responses stream", ctx: h.ctx,
			run: func(ctx context.Context) error {
				client := newOpenAIClient(hc, openAISrv.URL)
				stream := client.Responses.NewStreaming(ctx, responses.ResponseNewParams{Model: "gpt-5.4", Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("Hello!")}})
				defer stream.Close()
				var text string
				for stream.Next() {
					text += stream.Current().Delta
				}
				return expect(stream.Err(), text == "Hi there! How can I assist you today?", "responses text")
			},
			want: wantCall{
				provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-5.4", responseModel: "gpt-5.4",
				responseID: "resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654", finishReasons: []string{"stop"}, stream: true,
				usage: wantUsage{input: 37, output: 11, total: 48, source: "stream"},
			},
		},
		{
			name: "openai-go embeddings", ctx: h.ctx,
			run: func(ctx context.Context) error {
				client := newOpenAIClient(hc, openAISrv.URL)
				r, err := client.Embeddings.New(ctx, openai.EmbeddingNewParams{Model: openai.EmbeddingModelTextEmbeddingAda002, Input: openai.EmbeddingNewParamsInputUnion{OfString: openai.String("x")}})
				return expect(err, r != nil && len(r.Data) == 1 && len(r.Data[0].Embedding) == 3, "embedding")
			},
			want: wantCall{
				provider: providers.ProviderOpenAI, operation: "embeddings", requestModel: "text-embedding-ada-002", responseModel: "text-embedding-ada-002",
				usage: wantUsage{input: 8, total: 8, noOutput: true, source: "response_body"},
			},
		},
		{
			name: "go-openai stream", ctx: h.ctx,
			run: func(ctx context.Context) error {
				stream, err := newGoOpenAIClient(hc, goOpenAISrv.URL).CreateChatCompletionStream(ctx, goopenai.ChatCompletionRequest{
					Model: "gpt-5-nano", Stream: true, StreamOptions: &goopenai.StreamOptions{IncludeUsage: true},
					Messages: []goopenai.ChatCompletionMessage{{Role: goopenai.ChatMessageRoleUser, Content: "Hi"}},
				})
				if err != nil {
					return err
				}
				defer stream.Close()
				chunks := 0
				for {
					_, err := stream.Recv()
					if errors.Is(err, io.EOF) {
						return expect(nil, chunks == 3, "go-openai chunks %d", chunks)
					}
					if err != nil {
						return err
					}
					chunks++
				}
			},
			want: wantCall{
				provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-5-nano", responseModel: "gpt-5-nano-2025-08-07",
				responseID: "chatcmpl-C4Hq5a6K3RaPMymUv70btQNYv6SvY", finishReasons: []string{"length"}, stream: true,
				usage: wantUsage{input: 12, output: 100, total: 112, reasoning: 100, source: "stream", cacheReadSent: true},
			},
		},
		{
			name: "anthropic stream", ctx: innerCtx,
			run: func(ctx context.Context) error {
				client := newAnthropicClient(hc, anthropicSrv.URL)
				stream := client.Messages.NewStreaming(ctx, anthropicParams("claude-sonnet-4-5"))
				defer stream.Close()
				var m anthropic.Message
				for stream.Next() {
					if err := m.Accumulate(stream.Current()); err != nil {
						return err
					}
				}
				return expect(stream.Err(), m.Usage.CacheReadInputTokens == 2500 && m.Content[0].Text == "Hello there.", "anthropic message")
			},
			want: wantCall{
				provider: providers.ProviderAnthropic, operation: "chat", requestModel: "claude-sonnet-4-5", responseModel: "claude-sonnet-4-5-20250929",
				responseID: "msg_01CacheStream", finishReasons: []string{"end_turn"}, stream: true,
				usage: wantUsage{input: 21 + 2500 + 1800, output: 42, cacheRead: 2500, cacheCreation: 1800, source: "stream"},
			},
		},
		{
			name: "bedrock converse stream", ctx: h.ctx,
			run: func(ctx context.Context) error {
				out, err := newBedrockClient(hc, bedrockSrv.URL).ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: aws.String("amazon.titan-text-lite-v1"), Messages: bedrockMessages("Hi")})
				if err != nil {
					return err
				}
				stream := out.GetStream()
				defer stream.Close()
				events := 0
				for range stream.Events() {
					events++
				}
				return expect(stream.Err(), events == 5, "converse stream events %d", events)
			},
			want: wantCall{
				provider: providers.ProviderAWSBedrock, operation: "chat", requestModel: "amazon.titan-text-lite-v1", responseModel: "amazon.titan-text-lite-v1",
				responseID: "req-converse-stream", finishReasons: []string{"max_tokens"}, stream: true,
				usage: wantUsage{input: 8, output: 10, total: 18, source: "stream"},
			},
		},
		{
			name: "bedrock invoke", ctx: h.ctx,
			run: func(ctx context.Context) error {
				out, err := newBedrockClient(hc, bedrockSrv.URL).InvokeModel(ctx, &bedrockruntime.InvokeModelInput{
					ModelId: aws.String("anthropic.claude-v2:1"), ContentType: aws.String("application/json"),
					Body: []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`),
				})
				return expect(err, out != nil && len(out.Body) > 0, "invoke body")
			},
			want: wantCall{
				provider: providers.ProviderAWSBedrock, operation: "chat", requestModel: "anthropic.claude-v2:1", responseModel: "claude-2.0",
				responseID: "msg_bdrk_01NCxHHwwdtMc7wioSxo2wBC", finishReasons: []string{"max_tokens"},
				usage: wantUsage{input: 14, output: 10, source: "response_body"},
			},
		},
		{
			name: "genai vertex", ctx: h.ctx,
			run: func(ctx context.Context) error {
				client, err := genaiBackends[1].client(t, ctx, hc, vertexSrv.URL)
				if err != nil {
					return err
				}
				resp, err := client.Models.GenerateContent(ctx, geminiModel, genai.Text("Hi"), nil)
				return expect(err, resp != nil && resp.UsageMetadata.TotalTokenCount == 1918, "genai usage")
			},
			want: wantCall{
				provider: providers.ProviderGCPVertexAI, operation: "generate_content", requestModel: geminiModel, responseModel: geminiModel,
				responseID: "hizpaKmcH9qs698P85HHgAU", finishReasons: []string{"STOP"},
				usage: wantUsage{input: 8, output: 433 + 1477, total: 1918, reasoning: 1477, source: "response_body"},
			},
		},
		{
			name: "langchaingo ollama", ctx: h.ctx,
			run: func(ctx context.Context) error {
				llm, err := ollama.New(ollama.WithServerURL(ollamaSrv.URL), ollama.WithHTTPClient(hc), ollama.WithModel("llama3.2"))
				if err != nil {
					return err
				}
				r, err := generate(ctx, llm, true)
				return expect(err, r.Content == "The", "ollama content %q", r.Content)
			},
			want: wantCall{
				provider: providers.ProviderOllama, operation: "chat", requestModel: "llama3.2", responseModel: "llama3.2",
				stream: true, usage: wantUsage{input: 26, output: 282, source: "stream"}, unpriced: true,
			},
		},
	}

	const rounds = 4
	var wg sync.WaitGroup
	errs := make(chan error, rounds*len(calls))
	for range rounds {
		for _, c := range calls {
			wg.Go(func() {
				if err := c.run(c.ctx); err != nil {
					errs <- fmt.Errorf("%s: %w", c.name, err)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}

	var wants, innerWants []wantCall
	for range rounds {
		for _, c := range calls {
			wants = append(wants, c.want)
			if c.ctx == innerCtx {
				innerWants = append(innerWants, c.want)
			}
		}
	}
	h.check(t, []string{openAIKey, anthropicKey, vertexToken, awsSecret}, wants...)

	// The nested tracker counted its own calls only; the outer one, all.
	innerHarness := &harness{tracker: inner}
	innerHarness.checkTracker(t, innerWants)
	require.Equal(t, int64(rounds*len(calls)), h.tracker.Usage().Requests)
}

// expect returns err, or an error made of format when ok is false.
func expect(err error, ok bool, format string, args ...any) error {
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("unexpected result: "+format, args...)
	}
	return nil
}
