package sdk

import (
	"context"
	"net/http"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
)

func newAnthropicClient(hc *http.Client, baseURL string) anthropic.Client {
	return anthropic.NewClient(
		option.WithoutEnvironmentDefaults(),
		option.WithBaseURL(baseURL),
		option.WithHTTPClient(hc),
		option.WithAPIKey(anthropicKey),
		option.WithMaxRetries(0),
	)
}

// anthropicResult is what the tests compare of an anthropic.Message.
type anthropicResult struct {
	ID, Model, StopReason                                     string
	Text                                                      string
	ToolInput                                                 string
	Input, Output, CacheRead, CacheCreation, Cache5m, Cache1h int64
	Events                                                    map[string]int
}

func fromAnthropicMessage(m anthropic.Message) anthropicResult {
	r := anthropicResult{ID: m.ID, Model: string(m.Model), StopReason: string(m.StopReason)}
	for _, b := range m.Content {
		switch b.Type {
		case "text":
			r.Text += b.Text
		case "tool_use":
			r.ToolInput = string(b.Input)
		}
	}
	u := m.Usage
	r.Input, r.Output, r.CacheRead, r.CacheCreation = u.InputTokens, u.OutputTokens, u.CacheReadInputTokens, u.CacheCreationInputTokens
	r.Cache5m, r.Cache1h = u.CacheCreation.Ephemeral5mInputTokens, u.CacheCreation.Ephemeral1hInputTokens
	return r
}

func anthropicParams(model string) anthropic.MessageNewParams {
	return anthropic.MessageNewParams{
		Model:     anthropic.Model(model),
		MaxTokens: 1024,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("What is the weather in San Francisco?"))},
	}
}

func TestAnthropicMessages(t *testing.T) {
	for _, tc := range []struct {
		name, file, model string
		want              anthropicResult
		usage             wantUsage
	}{
		{
			name: "recorded", file: "messages_nonstream_1.json", model: "claude-3-7-sonnet-20250219",
			want: anthropicResult{
				ID: "msg_014SddXAzPYwR72fa37nJ8N2", Model: "claude-3-7-sonnet-20250219", StopReason: "end_turn",
				Text:  "The current temperature in San Francisco is 68 degrees Fahrenheit.",
				Input: 514, Output: 19,
			},
			usage: wantUsage{input: 514, output: 19, source: "response_body", cacheReadSent: true, cacheCreationSent: true},
		},
		{
			name: "cache read and write", file: "anthropic_message_cache_synthetic.json", model: "claude-sonnet-4-5",
			want: anthropicResult{
				ID: "msg_01CacheFull", Model: "claude-sonnet-4-5-20250929", StopReason: "end_turn",
				Text:  "The cached report says revenue grew 12% year over year.",
				Input: 21, Output: 42, CacheRead: 2500, CacheCreation: 1800, Cache5m: 1800,
			},
			// Semantic conventions: input includes the cache reads and writes.
			usage: wantUsage{input: 21 + 2500 + 1800, output: 42, cacheRead: 2500, cacheCreation: 1800, source: "response_body"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			srv := newFixtureServer(t, map[string]reply{"POST /v1/messages": {file: tc.file, contentType: "application/json"}})
			got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (anthropicResult, error) {
				client := newAnthropicClient(hc, srv.URL)
				m, err := client.Messages.New(ctx, anthropicParams(tc.model))
				if err != nil {
					return anthropicResult{}, err
				}
				return fromAnthropicMessage(*m), nil
			})
			assert.Equal(t, tc.want, got)
			assert.Equal(t, "Bearer "+anthropicKey, reqs[0].header.Get("Authorization"), "the SDK's credential reached the server")
			assert.NotEmpty(t, reqs[0].header.Get("Anthropic-Version"))

			h.check(t, []string{anthropicKey}, wantCall{
				provider: providers.ProviderAnthropic, operation: "chat", requestModel: tc.model, responseModel: tc.want.Model,
				responseID: tc.want.ID, finishReasons: []string{tc.want.StopReason}, usage: tc.usage,
			})
		})
	}
}

func TestAnthropicMessagesStream(t *testing.T) {
	for _, tc := range []struct {
		name, file, model string
		want              anthropicResult
		usage             wantUsage
	}{
		{
			name: "recorded tool use", file: "messages_stream_tool_use.sse", model: "claude-3-7-sonnet-20250219",
			want: anthropicResult{
				ID: "msg_01P7nF1bmxyzFZjF8zwbUDBM", Model: "claude-3-7-sonnet-20250219", StopReason: "tool_use",
				Text:      "I'd be happy to check the weather in San Francisco for you. Let me get that information for you right away.",
				ToolInput: `{"city": "San Francisco"}`,
				Input:     394, Output: 79,
				Events: map[string]int{
					"message_start": 1, "content_block_start": 2, "content_block_delta": 17,
					"content_block_stop": 2, "message_delta": 1, "message_stop": 1,
				},
			},
			usage: wantUsage{input: 394, output: 79, source: "stream", cacheReadSent: true, cacheCreationSent: true},
		},
		{
			name: "cache read and write", file: "anthropic_stream_cache_synthetic.sse", model: "claude-sonnet-4-5",
			want: anthropicResult{
				ID: "msg_01CacheStream", Model: "claude-sonnet-4-5-20250929", StopReason: "end_turn",
				Text:  "Hello there.",
				Input: 21, Output: 42, CacheRead: 2500, CacheCreation: 1800, Cache5m: 1800,
				Events: map[string]int{
					"message_start": 1, "content_block_start": 1, "content_block_delta": 2,
					"content_block_stop": 1, "message_delta": 1, "message_stop": 1,
				},
			},
			usage: wantUsage{input: 21 + 2500 + 1800, output: 42, cacheRead: 2500, cacheCreation: 1800, source: "stream"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			srv := newFixtureServer(t, map[string]reply{"POST /v1/messages": {file: tc.file, contentType: "text/event-stream"}})
			got, _ := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (anthropicResult, error) {
				client := newAnthropicClient(hc, srv.URL)
				stream := client.Messages.NewStreaming(ctx, anthropicParams(tc.model))
				defer stream.Close()
				var m anthropic.Message
				events := map[string]int{}
				for stream.Next() {
					ev := stream.Current()
					events[ev.Type]++
					if err := m.Accumulate(ev); err != nil {
						return anthropicResult{}, err
					}
				}
				if err := stream.Err(); err != nil {
					return anthropicResult{}, err
				}
				r := fromAnthropicMessage(m)
				r.Events = events
				return r, nil
			})
			assert.Equal(t, tc.want, got)

			h.check(t, []string{anthropicKey}, wantCall{
				provider: providers.ProviderAnthropic, operation: "chat", requestModel: tc.model, responseModel: tc.want.Model,
				responseID: tc.want.ID, finishReasons: []string{tc.want.StopReason}, stream: true, usage: tc.usage,
			})
		})
	}
}
