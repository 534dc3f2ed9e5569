package sdk

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	anthropicoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genai"

	"github.com/otelllm/otelllm/fakellm"
)

// sdkUsage is one call's usage as the SDK itself parsed it, in fakellm's
// terms: input with the cache, output with reasoning.
type sdkUsage struct{ Input, Output, CacheRead int64 }

// TestFakellmWithSDKs runs the official SDKs against fakellm's generated
// answers, streamed and not: each SDK must parse the answer and read the
// usage the test chose, and otelllm must count the same. This is what lets
// users' tests use fakellm in place of the provider.
func TestFakellmWithSDKs(t *testing.T) {
	chosen := fakellm.Usage{InputTokens: 640, OutputTokens: 48, CacheReadTokens: 512}
	want := sdkUsage{640, 48, 512}
	for _, tc := range []struct {
		name string
		call func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, sdkUsage, error)
	}{
		{"openai-go chat", func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, sdkUsage, error) {
			client := newOpenAIClient(hc, fake.URL)
			c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
				Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")}})
			if err != nil {
				return "", sdkUsage{}, err
			}
			return c.Choices[0].Message.Content, sdkUsage{c.Usage.PromptTokens, c.Usage.CompletionTokens, c.Usage.PromptTokensDetails.CachedTokens}, nil
		}},
		{"openai-go chat stream", func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, sdkUsage, error) {
			client := newOpenAIClient(hc, fake.URL)
			stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
				Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")},
				StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}})
			defer stream.Close()
			var acc openai.ChatCompletionAccumulator
			for stream.Next() {
				acc.AddChunk(stream.Current())
			}
			u := acc.Usage
			return acc.Choices[0].Message.Content, sdkUsage{u.PromptTokens, u.CompletionTokens, u.PromptTokensDetails.CachedTokens}, stream.Err()
		}},
		{"openai-go responses stream", func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, sdkUsage, error) {
			client := newOpenAIClient(hc, fake.URL)
			stream := client.Responses.NewStreaming(ctx, responses.ResponseNewParams{
				Model: "gpt-4.1-mini", Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("Hi")}})
			defer stream.Close()
			var text string
			var u sdkUsage
			for stream.Next() {
				ev := stream.Current()
				switch ev.Type {
				case "response.output_text.delta":
					text += ev.Delta
				case "response.completed":
					ru := ev.Response.Usage
					u = sdkUsage{ru.InputTokens, ru.OutputTokens, ru.InputTokensDetails.CachedTokens}
				}
			}
			return text, u, stream.Err()
		}},
		{"anthropic-sdk-go stream", func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, sdkUsage, error) {
			client := newAnthropicClient(hc, fake.AnthropicBaseURL())
			stream := client.Messages.NewStreaming(ctx, anthropicParams("claude-haiku-4-5"))
			defer stream.Close()
			var m anthropic.Message
			for stream.Next() {
				if err := m.Accumulate(stream.Current()); err != nil {
					return "", sdkUsage{}, err
				}
			}
			u := m.Usage
			return m.Content[0].Text, sdkUsage{u.InputTokens + u.CacheReadInputTokens + u.CacheCreationInputTokens, u.OutputTokens, u.CacheReadInputTokens}, stream.Err()
		}},
		{"bedrock converse stream", func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, sdkUsage, error) {
			out, err := newBedrockClient(hc, fake.BedrockEndpoint()).ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{
				ModelId: aws.String("us.amazon.nova-lite-v1:0"), Messages: bedrockMessages("Hi")})
			if err != nil {
				return "", sdkUsage{}, err
			}
			stream := out.GetStream()
			defer stream.Close()
			var text string
			var u sdkUsage
			for ev := range stream.Events() {
				switch v := ev.(type) {
				case *types.ConverseStreamOutputMemberContentBlockDelta:
					if d, ok := v.Value.Delta.(*types.ContentBlockDeltaMemberText); ok {
						text += d.Value
					}
				case *types.ConverseStreamOutputMemberMetadata:
					b := fromTokenUsage(v.Value.Usage)
					u = sdkUsage{int64(b.Input + b.CacheRead + b.CacheWrite), int64(b.Output), int64(b.CacheRead)}
				}
			}
			return text, u, stream.Err()
		}},
		{"bedrock invoke claude", func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, sdkUsage, error) {
			out, err := newBedrockClient(hc, fake.BedrockEndpoint()).InvokeModel(ctx, &bedrockruntime.InvokeModelInput{
				ModelId: aws.String("anthropic.claude-3-5-haiku-20241022-v1:0"), ContentType: aws.String("application/json"),
				Body: []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}`)})
			if err != nil {
				return "", sdkUsage{}, err
			}
			var m anthropic.Message
			if err := m.UnmarshalJSON(out.Body); err != nil {
				return "", sdkUsage{}, err
			}
			u := m.Usage
			return m.Content[0].Text, sdkUsage{u.InputTokens + u.CacheReadInputTokens + u.CacheCreationInputTokens, u.OutputTokens, u.CacheReadInputTokens}, nil
		}},
		{"genai gemini stream", func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, sdkUsage, error) {
			client, err := genai.NewClient(ctx, &genai.ClientConfig{Backend: genai.BackendGeminiAPI, APIKey: geminiKey,
				HTTPClient: hc, HTTPOptions: genai.HTTPOptions{BaseURL: fake.GeminiBaseURL() + "/"}})
			if err != nil {
				return "", sdkUsage{}, err
			}
			var text string
			var u sdkUsage
			for resp, err := range client.Models.GenerateContentStream(ctx, geminiModel, genai.Text("Hi"), nil) {
				if err != nil {
					return "", sdkUsage{}, err
				}
				text += resp.Text()
				if m := resp.UsageMetadata; m != nil {
					u = sdkUsage{int64(m.PromptTokenCount), int64(m.CandidatesTokenCount + m.ThoughtsTokenCount), int64(m.CachedContentTokenCount)}
				}
			}
			return text, u, nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			fake := fakellm.NewServer(fakellm.Options{Usage: fakellm.FixedUsage(chosen)})
			defer fake.Close()
			text, u, err := tc.call(h.ctx, h.client, fake)
			require.NoError(t, err)
			assert.Equal(t, fakellm.DefaultAnswer, text)
			assert.Equal(t, want, u, "the SDK's own reading of the usage")
			got := h.tracker.Usage()
			assert.Equal(t, sdkUsage{got.InputTokens, got.OutputTokens, got.CacheReadInputTokens}, want, "otelllm's")
			assert.Equal(t, int64(1), got.SuccessfulRequests)
		})
	}
}

// TestFakellmRetries checks that the SDKs' retries meet fakellm's faults as
// they would the provider's: two 429s with retry-after-ms, then the answer;
// three requests on the fake, three spans, and one successful request
// counted with its usage.
func TestFakellmRetries(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, error)
	}{
		{"openai-go", func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, error) {
			client := openai.NewClient(option.WithBaseURL(fake.OpenAIBaseURL()), option.WithHTTPClient(hc),
				option.WithAPIKey(openAIKey), option.WithMaxRetries(2))
			c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
				Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")}})
			if err != nil {
				return "", err
			}
			return c.Choices[0].Message.Content, nil
		}},
		{"anthropic-sdk-go", func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (string, error) {
			client := anthropic.NewClient(anthropicoption.WithoutEnvironmentDefaults(), anthropicoption.WithBaseURL(fake.AnthropicBaseURL()),
				anthropicoption.WithHTTPClient(hc), anthropicoption.WithAPIKey(anthropicKey), anthropicoption.WithMaxRetries(2))
			m, err := client.Messages.New(ctx, anthropicParams("claude-haiku-4-5"))
			if err != nil {
				return "", err
			}
			return m.Content[0].Text, nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			fake := fakellm.NewServer(fakellm.Options{Usage: fakellm.FixedUsage(fakellm.Usage{InputTokens: 100, OutputTokens: 20})})
			defer fake.Close()
			fake.FailNext(2, fakellm.RateLimited(5*time.Millisecond))
			text, err := tc.call(h.ctx, h.client, fake)
			require.NoError(t, err)
			assert.Equal(t, fakellm.DefaultAnswer, text)
			assert.Len(t, fake.Requests(), 3, "two retries")

			spans := h.spans.Ended()
			require.Len(t, spans, 3, "a span per attempt")
			var statuses []int64
			for _, s := range spans {
				statuses = append(statuses, attrsOf(s)["http.response.status_code"].AsInt64())
			}
			assert.Equal(t, []int64{429, 429, 200}, statuses)
			got := h.tracker.Usage()
			assert.Equal(t, [4]int64{3, 1, 2, 100}, [4]int64{got.Requests, got.SuccessfulRequests, got.FailedRequests, got.InputTokens})
		})
	}

	// Without retries the SDK reports the fake's error as the provider's.
	fake := fakellm.NewServer()
	defer fake.Close()
	fake.FailNext(1, fakellm.Fault{Status: http.StatusTooManyRequests, Message: "slow down"})
	client := newOpenAIClient(http.DefaultClient, fake.URL)
	_, err := client.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{
		Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")}})
	var apiErr *openai.Error
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
	assert.Equal(t, "rate_limit_exceeded", apiErr.Code)
	assert.True(t, strings.Contains(apiErr.Message, "slow down"))
}
