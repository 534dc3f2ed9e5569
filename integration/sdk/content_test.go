package sdk

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/semconv"
)

// A tool-calling round trip through each SDK with content capture on: the
// first call answers with tool calls (streamed), the application runs the
// tools and sends their results, the second call gives the final answer.
// The captured messages must show the tool calls, their arguments, the
// results and the final answer, on the spans and in the details events.

type logSink struct {
	mu      sync.Mutex
	records []sdklog.Record
}

func (s *logSink) Export(_ context.Context, recs []sdklog.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range recs {
		s.records = append(s.records, r.Clone())
	}
	return nil
}
func (s *logSink) Shutdown(context.Context) error   { return nil }
func (s *logSink) ForceFlush(context.Context) error { return nil }

// contentHarness is a wrapped client capturing content, span and event.
type contentHarness struct {
	spans  *tracetest.SpanRecorder
	logs   *logSink
	client *http.Client
}

func newContentHarness(t *testing.T) *contentHarness {
	h := &contentHarness{spans: tracetest.NewSpanRecorder(), logs: &logSink{}}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(h.logs)))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = lp.Shutdown(context.Background())
	})
	h.client = otelllm.WrapClient(&http.Client{Transport: freshConnections()},
		otelllm.WithTracerProvider(tp), otelllm.WithLoggerProvider(lp), otelllm.WithContentCapture(otelllm.ContentSpanAndEvent))
	return h
}

// sequenceServer answers the requests to path with the replies in order.
func sequenceServer(t *testing.T, path string, replies ...reply) *httptest.Server {
	t.Helper()
	var mu sync.Mutex
	next := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		i := next
		next++
		mu.Unlock()
		if r.URL.Path != path || i >= len(replies) {
			t.Errorf("unexpected request %d: %s %s", i, r.Method, r.URL)
			http.Error(w, "no reply", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", replies[i].contentType)
		_, _ = w.Write(readFixture(t, replies[i].file))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// contentOf decodes the content attributes of the spans, in call order,
// and requires each call's event to carry the same content, structured.
func (h *contentHarness) contentOf(t *testing.T, calls int) []map[attribute.Key]any {
	t.Helper()
	spans := h.spans.Ended()
	require.Len(t, spans, calls)
	h.logs.mu.Lock()
	defer h.logs.mu.Unlock()
	require.Len(t, h.logs.records, calls, "one details event per call")
	var out []map[attribute.Key]any
	for i, s := range spans {
		ev := h.logs.records[i]
		require.Equal(t, s.SpanContext().SpanID(), ev.SpanID(), "event %d is in its call's span", i)
		evAttrs := map[attribute.Key]attribute.Value{}
		ev.WalkAttributes(func(kv attribute.KeyValue) bool { evAttrs[kv.Key] = kv.Value; return true })
		m := map[attribute.Key]any{}
		for _, kv := range s.Attributes() {
			switch kv.Key {
			case semconv.GenAIInputMessagesKey, semconv.GenAIOutputMessagesKey, semconv.GenAISystemInstructionsKey, semconv.GenAIToolDefinitionsKey:
				var v any
				require.NoError(t, json.Unmarshal([]byte(kv.Value.AsString()), &v), "%s", kv.Key)
				m[kv.Key] = v
				require.Contains(t, evAttrs, kv.Key)
				assert.Equal(t, attribute.SLICE, evAttrs[kv.Key].Type(), "%s structured in the event", kv.Key)
			}
		}
		out = append(out, m)
	}
	return out
}

func requireJSON(t *testing.T, want string, got any) {
	t.Helper()
	var w any
	require.NoError(t, json.Unmarshal([]byte(want), &w))
	assert.Equal(t, w, got)
}

func TestOpenAIGoToolRoundTripContent(t *testing.T) {
	h := newContentHarness(t)
	srv := sequenceServer(t, "/v1/chat/completions",
		withFile(openAISSE, "chat_stream_multi_tools_recorded.sse"), withFile(openAIJSON, "chat_tool_answer_recorded.json"))
	client := newOpenAIClient(h.client, srv.URL)
	ctx := context.Background()
	tools := []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name:        "get_current_weather",
		Description: openai.String("Get the current weather in a given location"),
		Parameters: shared.FunctionParameters{"type": "object", "properties": map[string]any{"location": map[string]any{"type": "string"}},
			"required": []string{"location"}},
	})}
	messages := []openai.ChatCompletionMessageParamUnion{
		openai.SystemMessage("You're a helpful assistant."),
		openai.UserMessage("What's the weather in Seattle and San Francisco today?"),
	}

	stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{Model: "gpt-4o-mini", Messages: messages, Tools: tools})
	acc := openai.ChatCompletionAccumulator{}
	for stream.Next() {
		acc.AddChunk(stream.Current())
	}
	require.NoError(t, stream.Err())
	require.NoError(t, stream.Close())
	calls := acc.Choices[0].Message.ToolCalls
	require.Len(t, calls, 2)

	// The application runs the tools and answers.
	weather := map[string]string{"Seattle, WA": "50 degrees and raining", "San Francisco, CA": "70 degrees and sunny"}
	messages = append(messages, acc.Choices[0].Message.ToParam())
	for _, c := range calls {
		var args struct{ Location string }
		require.NoError(t, json.Unmarshal([]byte(c.Function.Arguments), &args))
		messages = append(messages, openai.ToolMessage(weather[args.Location], c.ID))
	}
	final, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "gpt-4o-mini", Messages: messages, Tools: tools})
	require.NoError(t, err)

	content := h.contentOf(t, 2)
	first, second := content[0], content[1]
	toolCalls := `[{"type":"tool_call","id":"` + calls[0].ID + `","name":"get_current_weather","arguments":{"location":"Seattle, WA"}},
		{"type":"tool_call","id":"` + calls[1].ID + `","name":"get_current_weather","arguments":{"location":"San Francisco, CA"}}]`
	requireJSON(t, `[{"role":"assistant","finish_reason":"tool_calls","parts":`+toolCalls+`}]`, first[semconv.GenAIOutputMessagesKey])
	requireJSON(t, `[{"type":"function","name":"get_current_weather","description":"Get the current weather in a given location",
		"parameters":{"properties":{"location":{"type":"string"}},"required":["location"],"type":"object"}}]`, first[semconv.GenAIToolDefinitionsKey])
	requireJSON(t, `[
		{"role":"system","parts":[{"type":"text","content":"You're a helpful assistant."}]},
		{"role":"user","parts":[{"type":"text","content":"What's the weather in Seattle and San Francisco today?"}]},
		{"role":"assistant","parts":`+toolCalls+`},
		{"role":"tool","parts":[{"type":"tool_call_response","id":"`+calls[0].ID+`","response":"50 degrees and raining"}]},
		{"role":"tool","parts":[{"type":"tool_call_response","id":"`+calls[1].ID+`","response":"70 degrees and sunny"}]}]`, second[semconv.GenAIInputMessagesKey])
	requireJSON(t, `[{"role":"assistant","finish_reason":"stop","parts":[{"type":"text","content":"`+final.Choices[0].Message.Content+`"}]}]`, second[semconv.GenAIOutputMessagesKey])
	assert.True(t, strings.HasPrefix(final.Choices[0].Message.Content, "Today, the weather in Seattle is 50 degrees"))
}

func TestAnthropicToolRoundTripContent(t *testing.T) {
	h := newContentHarness(t)
	srv := sequenceServer(t, "/v1/messages",
		reply{file: "messages_stream_tool_use.sse", contentType: "text/event-stream"}, reply{file: "messages_nonstream_1.json", contentType: "application/json"})
	client := newAnthropicClient(h.client, srv.URL)
	ctx := context.Background()
	tools := []anthropic.ToolUnionParam{anthropic.ToolUnionParamOfTool(anthropic.ToolInputSchemaParam{
		Properties: map[string]any{"city": map[string]any{"type": "string"}},
	}, "get_weather")}
	params := anthropic.MessageNewParams{
		Model: "claude-3-7-sonnet-20250219", MaxTokens: 1024, Tools: tools,
		System:   []anthropic.TextBlockParam{{Text: "You are a weather bot."}},
		Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("What is the weather in San Francisco?"))},
	}

	stream := client.Messages.NewStreaming(ctx, params)
	var msg anthropic.Message
	for stream.Next() {
		require.NoError(t, msg.Accumulate(stream.Current()))
	}
	require.NoError(t, stream.Err())
	require.NoError(t, stream.Close())
	var use anthropic.ToolUseBlock
	for _, b := range msg.Content {
		if b.Type == "tool_use" {
			use = b.AsToolUse()
		}
	}
	require.Equal(t, "get_weather", use.Name)

	params.Messages = append(params.Messages, msg.ToParam(),
		anthropic.NewUserMessage(anthropic.NewToolResultBlock(use.ID, "68°F, clear", false)))
	final, err := client.Messages.New(ctx, params)
	require.NoError(t, err)

	content := h.contentOf(t, 2)
	first, second := content[0], content[1]
	out := first[semconv.GenAIOutputMessagesKey].([]any)[0].(map[string]any)
	assert.Equal(t, "tool_use", out["finish_reason"])
	parts := out["parts"].([]any)
	call := parts[len(parts)-1].(map[string]any)
	assert.Equal(t, map[string]any{"type": "tool_call", "id": use.ID, "name": "get_weather", "arguments": map[string]any{"city": "San Francisco"}}, call)
	requireJSON(t, `[{"type":"text","content":"You are a weather bot."}]`, first[semconv.GenAISystemInstructionsKey])
	requireJSON(t, `[{"type":"function","name":"get_weather","parameters":{"properties":{"city":{"type":"string"}},"type":"object"}}]`, first[semconv.GenAIToolDefinitionsKey])

	in := second[semconv.GenAIInputMessagesKey].([]any)
	require.Len(t, in, 3)
	assert.Equal(t, "assistant", in[1].(map[string]any)["role"])
	sentParts := in[1].(map[string]any)["parts"].([]any)
	assert.Equal(t, call, sentParts[len(sentParts)-1], "the tool call as sent back is the one received")
	requireJSON(t, `{"role":"user","parts":[{"type":"tool_call_response","id":"`+use.ID+`","response":"68°F, clear"}]}`, in[2])
	requireJSON(t, `[{"role":"assistant","finish_reason":"end_turn","parts":[{"type":"text","content":"`+final.Content[0].Text+`"}]}]`, second[semconv.GenAIOutputMessagesKey])
}
