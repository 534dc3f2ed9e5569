package otelllm

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// logRecorder is a log record exporter that keeps what it is given.
type logRecorder struct {
	mu      sync.Mutex
	records []sdklog.Record
}

func (r *logRecorder) Export(_ context.Context, recs []sdklog.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rec := range recs {
		r.records = append(r.records, rec.Clone())
	}
	return nil
}

func (r *logRecorder) Shutdown(context.Context) error   { return nil }
func (r *logRecorder) ForceFlush(context.Context) error { return nil }

func (r *logRecorder) all() []sdklog.Record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sdklog.Record(nil), r.records...)
}

// contentRecorder records spans, metrics and log records.
type contentRecorder struct {
	*telemetryRecorder
	logs *logRecorder
	lp   *sdklog.LoggerProvider
}

func newContentRecorder(t *testing.T) *contentRecorder {
	r := &contentRecorder{telemetryRecorder: newRecorder(t), logs: &logRecorder{}}
	r.lp = sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(r.logs)))
	t.Cleanup(func() { _ = r.lp.Shutdown(context.Background()) })
	return r
}

// options are the recorder's providers and the default wire formats.
func (r *contentRecorder) options(extra ...Option) []Option {
	return append([]Option{WithTracerProvider(r.tp), WithMeterProvider(r.mp), WithLoggerProvider(r.lp)}, extra...)
}

// memoryReplies answers each request from memory by its path, whatever
// its host, so that calls keep the providers' real URLs.
type memoryReplies map[string]memoryReply

type memoryReply struct {
	status      int
	contentType string
	body        string
}

func (m memoryReplies) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	reply, ok := m[r.URL.Path]
	if !ok {
		return &http.Response{StatusCode: 404, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	}
	status := reply.status
	if status == 0 {
		status = 200
	}
	return &http.Response{StatusCode: status, Header: http.Header{"Content-Type": {reply.contentType}},
		Body: io.NopCloser(strings.NewReader(reply.body)), ContentLength: -1, Request: r}, nil
}

func recordingText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/recordings/" + path)
	require.NoError(t, err)
	return string(b)
}

// sendCall sends body to url through client and reads the whole answer,
// returning what the application read.
func sendCall(t *testing.T, ctx context.Context, client *http.Client, url, body string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer sk-proj-abcdefghijklmnopqrstuvwx")
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := client.Do(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return got
}

// jsonAttr decodes the JSON string attribute k of a span, nil when absent.
func jsonAttr(t *testing.T, s sdktrace.ReadOnlySpan, k attribute.Key) any {
	t.Helper()
	v, ok := attrsOf(s)[k]
	if !ok {
		return nil
	}
	require.Equal(t, attribute.STRING, v.Type(), "%s is a JSON string on the span", k)
	var out any
	require.NoError(t, json.Unmarshal([]byte(v.AsString()), &out), "%s: %s", k, v.AsString())
	return out
}

func requireJSONAttr(t *testing.T, s sdktrace.ReadOnlySpan, k attribute.Key, want string) {
	t.Helper()
	v, ok := attrsOf(s)[k]
	require.True(t, ok, "%s is recorded", k)
	assert.JSONEq(t, want, v.AsString(), "%s", k)
}

// asJSON renders an attribute value, as the event carries it, in JSON:
// maps as objects, slices as arrays.
func asJSON(v attribute.Value) any {
	switch v.Type() {
	case attribute.MAP:
		m := map[string]any{}
		for _, kv := range v.AsMap() {
			m[string(kv.Key)] = asJSON(kv.Value)
		}
		return m
	case attribute.SLICE:
		out := []any{}
		for _, e := range v.AsSlice() {
			out = append(out, asJSON(e))
		}
		return out
	case attribute.INT64:
		return float64(v.AsInt64())
	case attribute.FLOAT64:
		return v.AsFloat64()
	case attribute.EMPTY:
		return nil
	}
	return v.AsInterface()
}

func logAttrs(r sdklog.Record) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	r.WalkAttributes(func(kv attribute.KeyValue) bool {
		m[kv.Key] = kv.Value
		return true
	})
	return m
}

const chatToolsRequest = `{"model":"gpt-4o-mini","messages":[
 {"role":"system","content":"You're a helpful assistant."},
 {"role":"user","content":"What's the weather in Seattle and San Francisco today?"}],
 "tools":[{"type":"function","function":{"name":"get_current_weather","description":"Get the current weather in a given location",
  "parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}]}`

const (
	wantChatToolsInput = `[{"role":"system","parts":[{"type":"text","content":"You're a helpful assistant."}]},
		{"role":"user","parts":[{"type":"text","content":"What's the weather in Seattle and San Francisco today?"}]}]`
	wantChatToolsOutput = `[{"role":"assistant","finish_reason":"tool_calls","parts":[
		{"type":"tool_call","id":"call_eqbDFUdPqay2WjsSzZEiAn0U","name":"get_current_weather","arguments":{"location":"Seattle, WA"}},
		{"type":"tool_call","id":"call_tn3sgasg6GaftTdancBYJNJN","name":"get_current_weather","arguments":{"location":"San Francisco, CA"}}]}]`
	wantChatTools = `[{"type":"function","name":"get_current_weather","description":"Get the current weather in a given location",
		"parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}]`
)

func chatToolsReplies(t *testing.T) memoryReplies {
	return memoryReplies{"/v1/chat/completions": {contentType: "application/json", body: recordingText(t, "openai-family/otelcontrib/chat_full_tool_calls.json")}}
}

func TestContentModes(t *testing.T) {
	for _, mode := range []ContentMode{ContentNone, ContentSpan, ContentEvent, ContentSpanAndEvent} {
		t.Run(mode.String(), func(t *testing.T) {
			rec := newContentRecorder(t)
			client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(mode))...)}
			sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
			span := rec.onlySpan(t)
			a := attrsOf(span)
			logs := rec.logs.all()

			if mode == ContentSpan || mode == ContentSpanAndEvent {
				requireJSONAttr(t, span, semconv.GenAIInputMessagesKey, wantChatToolsInput)
				requireJSONAttr(t, span, semconv.GenAIOutputMessagesKey, wantChatToolsOutput)
				requireJSONAttr(t, span, semconv.GenAIToolDefinitionsKey, wantChatTools)
				assert.NotContains(t, a, semconv.GenAISystemInstructionsKey, "a system message is part of the history")
			} else {
				for _, k := range []attribute.Key{semconv.GenAIInputMessagesKey, semconv.GenAIOutputMessagesKey, semconv.GenAIToolDefinitionsKey, semconv.GenAISystemInstructionsKey} {
					assert.NotContains(t, a, k)
				}
			}
			if mode == ContentEvent || mode == ContentSpanAndEvent {
				require.Len(t, logs, 1, "one details event per call")
				ev := logs[0]
				assert.Equal(t, semconv.InferenceDetailsEventName, ev.EventName())
				assert.Equal(t, log.SeverityDebug, ev.Severity())
				assert.Equal(t, semconv.InferenceDetailsSeverityNumber, int(ev.Severity()))
				assert.Equal(t, span.SpanContext().TraceID(), ev.TraceID(), "correlated with the span")
				assert.Equal(t, span.SpanContext().SpanID(), ev.SpanID(), "correlated with the span")
				assert.Equal(t, span.EndTime(), ev.Timestamp())
				assert.Equal(t, attribute.EMPTY, ev.Body().Type(), "the event has no body")
				la := logAttrs(ev)
				// The span's attributes, with the content structured.
				for _, k := range []attribute.Key{semconv.GenAIOperationNameKey, semconv.GenAIProviderNameKey, semconv.GenAIRequestModelKey,
					semconv.GenAIResponseModelKey, semconv.GenAIResponseIDKey, semconv.GenAIUsageInputTokensKey, semconv.GenAIUsageOutputTokensKey,
					semconv.GenAIResponseFinishReasonsKey, semconv.ServerAddressKey} {
					require.Contains(t, la, k)
					assert.Equal(t, a[k], la[k], "%s as on the span", k)
				}
				for k, want := range map[attribute.Key]string{
					semconv.GenAIInputMessagesKey: wantChatToolsInput, semconv.GenAIOutputMessagesKey: wantChatToolsOutput, semconv.GenAIToolDefinitionsKey: wantChatTools,
				} {
					require.Contains(t, la, k)
					assert.Equal(t, attribute.SLICE, la[k].Type(), "%s is structured in the event", k)
					var w any
					require.NoError(t, json.Unmarshal([]byte(want), &w))
					assert.Equal(t, w, asJSON(la[k]), "%s", k)
				}
			} else {
				assert.Empty(t, logs, "no event")
			}
		})
	}
}

// spyCapturer is a provider whose call reports whether content capture was
// asked of it.
type spyCapturer struct{ asked *int }

func (spyCapturer) Name() string { return "spy" }

func (p spyCapturer) Match(r *http.Request) providers.Call {
	if r.URL.Path != "/test/chat" {
		return nil
	}
	return &spyCapturerCall{testCall: testCall{}, asked: p.asked}
}

type spyCapturerCall struct {
	testCall
	asked *int
}

func (c *spyCapturerCall) CaptureContent(int) { *c.asked++ }

func TestContentOffAsksNothing(t *testing.T) {
	t.Setenv(semconv.CaptureMessageContentEnv, "")
	rec := newContentRecorder(t)
	asked := 0
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, fullBody)
	})
	client := WrapClient(srv.Client(), rec.options(WithProviders(spyCapturer{asked: &asked}))...)
	sendCall(t, context.Background(), client, srv.URL+"/test/chat", `{"model":"test-model"}`)
	assert.Zero(t, asked, "with capture off no call is asked to capture")
	assert.Empty(t, rec.logs.all())

	client = WrapClient(srv.Client(), rec.options(WithProviders(spyCapturer{asked: &asked}), WithContentCapture(ContentSpan))...)
	sendCall(t, context.Background(), client, srv.URL+"/test/chat", `{"model":"test-model"}`)
	assert.Equal(t, 1, asked, "asked once, before Request")
}

func TestContentEnvironment(t *testing.T) {
	for _, c := range []struct {
		value string
		want  ContentMode
	}{
		{"", ContentNone},
		{"NO_CONTENT", ContentNone},
		{"span_only", ContentSpan},
		{" Event_Only ", ContentEvent},
		{"SPAN_AND_EVENT", ContentSpanAndEvent},
		{"true", ContentSpanAndEvent},
		{"TRUE", ContentSpanAndEvent},
		{"false", ContentNone},
		{"yes please", ContentNone},
	} {
		t.Run(c.value, func(t *testing.T) {
			t.Setenv(semconv.CaptureMessageContentEnv, c.value)
			h := &recordingHandler{}
			otel.SetErrorHandler(h)
			t.Cleanup(func() { otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) {})) })
			assert.Equal(t, c.want, newConfig(nil).content)

			// Through the transport: the mode the variable names is the
			// mode the telemetry shows.
			rec := newContentRecorder(t)
			client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options()...)}
			sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
			_, onSpan := attrsOf(rec.onlySpan(t))[semconv.GenAIOutputMessagesKey]
			assert.Equal(t, c.want.onSpan(), onSpan)
			assert.Equal(t, c.want.inEvent(), len(rec.logs.all()) == 1)
			h.mu.Lock()
			defer h.mu.Unlock()
			if c.value == "yes please" {
				require.NotEmpty(t, h.errs, "an unknown value is reported")
				assert.Contains(t, h.errs[0].Error(), semconv.CaptureMessageContentEnv)
			} else {
				assert.Empty(t, h.errs)
			}
		})
	}
}

func TestContentOptionWinsOverEnvironment(t *testing.T) {
	t.Setenv(semconv.CaptureMessageContentEnv, "SPAN_AND_EVENT")
	assert.Equal(t, ContentNone, newConfig([]Option{WithContentCapture(ContentNone)}).content, "the option turns it off")
	assert.Equal(t, ContentEvent, newConfig([]Option{WithContentCapture(ContentEvent)}).content)
	t.Setenv(semconv.CaptureMessageContentEnv, "NO_CONTENT")
	assert.Equal(t, ContentSpan, newConfig([]Option{WithContentCapture(ContentSpan)}).content, "the option turns it on")

	rec := newContentRecorder(t)
	client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(ContentSpan))...)}
	sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
	assert.Contains(t, attrsOf(rec.onlySpan(t)), semconv.GenAIOutputMessagesKey)
	assert.Empty(t, rec.logs.all())

	assert.Equal(t, DefaultContentLimit, newConfig(nil).contentLimit)
	assert.Equal(t, 100, newConfig([]Option{WithContentLimit(100)}).contentLimit)
	assert.Equal(t, DefaultContentLimit, newConfig([]Option{WithContentLimit(0)}).contentLimit, "n < 1 is ignored")
}

func TestContentStreamReassembled(t *testing.T) {
	// Parallel tool calls, streamed: each call's arguments joined from
	// their fragments as the application reads.
	rec := newContentRecorder(t)
	replies := memoryReplies{"/v1/chat/completions": {contentType: "text/event-stream", body: recordingText(t, "openai-family/otelcontrib/chat_stream_multi_tools.sse")}}
	client := &http.Client{Transport: NewTransport(replies, rec.options(WithContentCapture(ContentSpanAndEvent))...)}
	got := sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions",
		`{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"What's the weather in Seattle and San Francisco today?"}]}`)
	assert.Equal(t, recordingText(t, "openai-family/otelcontrib/chat_stream_multi_tools.sse"), string(got), "the application reads what was sent")
	span := rec.onlySpan(t)
	requireJSONAttr(t, span, semconv.GenAIOutputMessagesKey, `[{"role":"assistant","finish_reason":"tool_calls","parts":[
		{"type":"tool_call","id":"call_j7L00WV19wwQCvKOIVZewXZm","name":"get_current_weather","arguments":{"location":"Seattle, WA"}},
		{"type":"tool_call","id":"call_sAIOI3dvcd1YMsEqD8DI3l8B","name":"get_current_weather","arguments":{"location":"San Francisco, CA"}}]}]`)
	require.Len(t, rec.logs.all(), 1)
}

func TestContentStreamClosedEarly(t *testing.T) {
	// The application stops reading half-way: what it read is what is
	// recorded.
	body := recordingText(t, "other-providers/openinference/anthropic_stream_parallel_tools.sse")
	cut := strings.Index(body, `"partial_json":"\": "`)
	require.Positive(t, cut)
	rec := newContentRecorder(t)
	replies := memoryReplies{"/v1/messages": {contentType: "text/event-stream", body: body}}
	client := &http.Client{Transport: NewTransport(replies, rec.options(WithContentCapture(ContentSpan))...)}
	req, _ := http.NewRequest(http.MethodPost, "https://api.anthropic.com/v1/messages", strings.NewReader(`{"model":"claude-sonnet-4-6","max_tokens":1024,"stream":true,"messages":[]}`))
	resp, err := client.Do(req)
	require.NoError(t, err)
	_, err = io.ReadFull(resp.Body, make([]byte, cut+200))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	out := jsonAttr(t, rec.onlySpan(t), semconv.GenAIOutputMessagesKey).([]any)
	parts := out[0].(map[string]any)["parts"].([]any)
	assert.Equal(t, "I'll check both the current weather and time in New York simultaneously right away!", parts[0].(map[string]any)["content"])
	call := parts[1].(map[string]any)
	assert.Equal(t, "get_weather", call["name"])
	assert.NotContains(t, out[0].(map[string]any), "finish_reason", "the stream was not read to its stop reason")
}

func TestContentLimit(t *testing.T) {
	rec := newContentRecorder(t)
	client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(ContentSpanAndEvent), WithContentLimit(12))...)}
	sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
	span := rec.onlySpan(t)
	requireJSONAttr(t, span, semconv.GenAIInputMessagesKey, `[{"role":"system","parts":[{"type":"text","content":"You're a hel","truncated":true}]},
		{"role":"user","parts":[{"type":"text","content":"What's the w","truncated":true}]}]`)
	// Cut arguments are no longer JSON: they are kept as a string.
	requireJSONAttr(t, span, semconv.GenAIOutputMessagesKey, `[{"role":"assistant","finish_reason":"tool_calls","parts":[
		{"type":"tool_call","id":"call_eqbDFUdPqay2WjsSzZEiAn0U","name":"get_current_weather","arguments":"{\"location\":","truncated":true},
		{"type":"tool_call","id":"call_tn3sgasg6GaftTdancBYJNJN","name":"get_current_weather","arguments":"{\"location\":","truncated":true}]}]`)
	requireJSONAttr(t, span, semconv.GenAIToolDefinitionsKey, `[{"type":"function","name":"get_current_weather","description":"Get the curr","truncated":true}]`)
	assert.Equal(t, true, attrsOf(span)[semconv.ContentTruncatedKey].AsBool())
	logs := rec.logs.all()
	require.Len(t, logs, 1)
	assert.Equal(t, true, logAttrs(logs[0])[semconv.ContentTruncatedKey].AsBool())

	// Nothing cut, nothing marked.
	rec = newContentRecorder(t)
	client = &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(ContentSpan))...)}
	sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
	assert.NotContains(t, attrsOf(rec.onlySpan(t)), semconv.ContentTruncatedKey)
}

func TestContentBinaryPartsBySizeOnly(t *testing.T) {
	image := strings.Repeat("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk", 100) // base64
	rec := newContentRecorder(t)
	client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(ContentSpanAndEvent))...)}
	sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", `{"model":"gpt-4o","messages":[{"role":"user","content":[
		{"type":"text","text":"What is this?"},
		{"type":"image_url","image_url":{"url":"data:image/png;base64,`+image+`"}},
		{"type":"input_audio","input_audio":{"data":"`+image+`","format":"mp3"}}]}]}`)
	span := rec.onlySpan(t)
	requireJSONAttr(t, span, semconv.GenAIInputMessagesKey, `[{"role":"user","parts":[{"type":"text","content":"What is this?"},
		{"type":"generic","generic_type":"blob","modality":"image","mime_type":"image/png","byte_size":4500},
		{"type":"generic","generic_type":"blob","modality":"audio","mime_type":"audio/mp3","byte_size":4500}]}]`)
	logs := rec.logs.all()
	require.Len(t, logs, 1)
	everything := fmtAttrs(span.Attributes()) + fmtAttrs(logList(logs[0]))
	assert.NotContains(t, everything, image[:40], "the bytes of an image are never recorded")
}

func logList(r sdklog.Record) []attribute.KeyValue {
	var out []attribute.KeyValue
	r.WalkAttributes(func(kv attribute.KeyValue) bool { out = append(out, kv); return true })
	return out
}

func fmtAttrs(attrs []attribute.KeyValue) string {
	var b strings.Builder
	for _, kv := range attrs {
		b.WriteString(string(kv.Key))
		b.WriteString("=")
		v, _ := json.Marshal(asJSON(kv.Value))
		b.Write(v)
		b.WriteString("\n")
	}
	return b.String()
}

func TestContentFilter(t *testing.T) {
	t.Run("edits and drops", func(t *testing.T) {
		rec := newContentRecorder(t)
		type ctxKey struct{}
		var sawCtx any
		filter := func(ctx context.Context, c *Content) {
			sawCtx = ctx.Value(ctxKey{})
			c.ToolDefinitions = nil
			for i := range c.InputMessages {
				for j := range c.InputMessages[i].Parts {
					p := &c.InputMessages[i].Parts[j]
					p.Content = strings.ReplaceAll(p.Content, "Seattle", "[city]")
				}
			}
			c.InputMessages = c.InputMessages[1:] // the system prompt is ours to keep
		}
		client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(ContentSpanAndEvent), WithContentFilter(filter))...)}
		sendCall(t, context.WithValue(context.Background(), ctxKey{}, "tenant-1"), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
		assert.Equal(t, "tenant-1", sawCtx, "the filter sees the request's context")
		span := rec.onlySpan(t)
		requireJSONAttr(t, span, semconv.GenAIInputMessagesKey, `[{"role":"user","parts":[{"type":"text","content":"What's the weather in [city] and San Francisco today?"}]}]`)
		requireJSONAttr(t, span, semconv.GenAIOutputMessagesKey, wantChatToolsOutput)
		assert.NotContains(t, attrsOf(span), semconv.GenAIToolDefinitionsKey)
		la := logAttrs(rec.logs.all()[0])
		assert.NotContains(t, la, semconv.GenAIToolDefinitionsKey, "the event records what the filter left")
		assert.NotContains(t, fmtAttrs(logList(rec.logs.all()[0])), "Seattle and")
	})
	t.Run("clears everything", func(t *testing.T) {
		rec := newContentRecorder(t)
		client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(ContentSpanAndEvent),
			WithContentFilter(func(_ context.Context, c *Content) { *c = Content{} }))...)}
		sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
		a := attrsOf(rec.onlySpan(t))
		for _, k := range []attribute.Key{semconv.GenAIInputMessagesKey, semconv.GenAIOutputMessagesKey, semconv.GenAIToolDefinitionsKey} {
			assert.NotContains(t, a, k)
		}
		logs := rec.logs.all()
		require.Len(t, logs, 1, "the event still describes the call")
		assert.NotContains(t, logAttrs(logs[0]), semconv.GenAIInputMessagesKey)
		assert.Equal(t, "chat", logAttrs(logs[0])[semconv.GenAIOperationNameKey].AsString())
	})
	t.Run("a panic drops the content", func(t *testing.T) {
		h := &recordingHandler{}
		otel.SetErrorHandler(h)
		t.Cleanup(func() { otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) {})) })
		rec := newContentRecorder(t)
		ran := false
		client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(ContentSpan),
			WithContentFilter(func(context.Context, *Content) { panic("boom") }),
			WithContentFilter(func(context.Context, *Content) { ran = true }))...)}
		got := sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
		assert.Equal(t, recordingText(t, "openai-family/otelcontrib/chat_full_tool_calls.json"), string(got), "the application is not disturbed")
		a := attrsOf(rec.onlySpan(t))
		assert.NotContains(t, a, semconv.GenAIInputMessagesKey, "unfiltered content is never recorded")
		assert.NotContains(t, a, semconv.GenAIOutputMessagesKey)
		assert.False(t, ran, "later filters do not run on dropped content")
		h.mu.Lock()
		defer h.mu.Unlock()
		require.Len(t, h.errs, 1)
		assert.Contains(t, h.errs[0].Error(), "content filter panicked")
	})
}

func TestContentSecretsRedacted(t *testing.T) {
	const (
		openaiKey = "sk-proj-Abcdefghijklmnopqrstuvwxyz0123456789"
		awsKey    = "AKIAIOSFODNN7EXAMPLE"
		ghToken   = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"
		password  = "hunter2-but-longer"
	)
	request := `{"model":"gpt-4o","messages":[
		{"role":"user","content":"My key is ` + openaiKey + ` and my AWS key ` + awsKey + `, token ` + ghToken + `. Fetch https://bob:` + password + `@example.com/x?api_key=qwerty123&q=cats"},
		{"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"login","arguments":"{\"user\":\"bob\",\"password\":\"` + password + `\"}"}}]},
		{"role":"tool","tool_call_id":"c1","content":"curl -H 'Authorization: Bearer ` + openaiKey + `' ok"},
		{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://bucket.s3.amazonaws.com/cat.png?X-Amz-Signature=deadbeefcafe&X-Amz-Credential=AKIA"}}]}]}`
	rec := newContentRecorder(t)
	client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(ContentSpanAndEvent))...)}
	sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", request)
	span := rec.onlySpan(t)
	logs := rec.logs.all()
	require.Len(t, logs, 1)
	everything := fmtAttrs(span.Attributes()) + fmtAttrs(logList(logs[0]))
	for _, secret := range []string{openaiKey, awsKey, ghToken, password, "qwerty123", "deadbeefcafe"} {
		assert.NotContains(t, everything, secret)
	}
	input := jsonAttr(t, span, semconv.GenAIInputMessagesKey).([]any)
	text := input[0].(map[string]any)["parts"].([]any)[0].(map[string]any)["content"].(string)
	assert.Contains(t, text, "My key is REDACTED")
	assert.Contains(t, text, "q=cats", "what is not secret is kept")
	args := input[1].(map[string]any)["parts"].([]any)[0].(map[string]any)["arguments"]
	assert.Equal(t, map[string]any{"user": "bob", "password": "REDACTED"}, args, "arguments stay JSON")
}

func TestContentProviders(t *testing.T) {
	vertex := "https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-3-5-sonnet-v2@20241022"
	for _, c := range []struct {
		name, url, path, contentType, body, request string
		system, input, output, tools                string
	}{
		{name: "openai chat stream, n=2", url: "https://api.openai.com/v1/chat/completions", contentType: "text/event-stream",
			body:    recordingText(t, "openai-family/otelcontrib/chat_stream_n2_include_usage.sse"),
			request: `{"model":"gpt-4o-mini","n":2,"stream":true,"messages":[{"role":"user","content":"Hi"}]}`,
			input:   `[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]`},
		{name: "openai legacy completions", url: "https://api.openai.com/v1/completions", contentType: "text/event-stream",
			body:    recordingText(t, "openai-family/openllmetry/completions_stream_no_usage.sse"),
			request: `{"model":"davinci-002","prompt":"Tell me a joke about opentelemetry","stream":true}`,
			input:   `[{"role":"user","parts":[{"type":"text","content":"Tell me a joke about opentelemetry"}]}]`},
		{name: "openai embeddings: input only", url: "https://api.openai.com/v1/embeddings", contentType: "application/json",
			body:    recordingText(t, "openai-family/otelcontrib/embeddings_batch.json"),
			request: `{"model":"text-embedding-3-small","input":["This is the first string","And a second"]}`,
			input: `[{"role":"user","parts":[{"type":"text","content":"This is the first string"}]},
				{"role":"user","parts":[{"type":"text","content":"And a second"}]}]`},
		{name: "openai responses", url: "https://api.openai.com/v1/responses", contentType: "text/event-stream",
			body:    recordingText(t, "openai-family/otelcontrib/responses_stream_instructions.sse"),
			request: `{"model":"gpt-4o-mini","stream":true,"instructions":"You are a helpful assistant.","input":"Say this is a test"}`,
			system:  `[{"type":"text","content":"You are a helpful assistant."}]`,
			input:   `[{"role":"user","parts":[{"type":"text","content":"Say this is a test"}]}]`},
		{name: "anthropic messages", url: "https://api.anthropic.com/v1/messages", contentType: "application/json",
			body: fixture(t, "messages_nonstream_0.json"),
			request: `{"model":"claude-3-7-sonnet-20250219","max_tokens":1024,"system":"You are a weather bot.",
				"tools":[{"name":"get_weather","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"Weather in SF?"}]}`,
			system: `[{"type":"text","content":"You are a weather bot."}]`,
			input:  `[{"role":"user","parts":[{"type":"text","content":"Weather in SF?"}]}]`,
			output: `[{"role":"assistant","finish_reason":"tool_use","parts":[{"type":"text","content":"I'll get the current weather in San Francisco for you in Fahrenheit."},
				{"type":"tool_call","id":"toolu_01TZR6ZrLHdpAWdmhVPuDfjQ","name":"get_weather","arguments":{"city":"San Francisco","units":"fahrenheit"}}]}]`,
			tools: `[{"type":"function","name":"get_weather","parameters":{"type":"object"}}]`},
		{name: "anthropic thinking stream", url: "https://api.anthropic.com/v1/messages", contentType: "text/event-stream",
			body:    recordingText(t, "other-providers/openllmetry/anthropic_stream_thinking.sse"),
			request: `{"model":"claude-3-7-sonnet-20250219","max_tokens":2048,"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"How many times does the letter r appear in strawberry?"}]}`,
			input:   `[{"role":"user","parts":[{"type":"text","content":"How many times does the letter r appear in strawberry?"}]}]`},
		{name: "claude on vertex ai", url: vertex + ":streamRawPredict", contentType: "text/event-stream",
			body:    recordingText(t, "other-providers/dittoassistant/vertex_claude_streamrawpredict.sse"),
			request: `{"anthropic_version":"vertex-2023-10-16","max_tokens":256,"stream":true,"messages":[{"role":"user","content":"Hello"}]}`,
			input:   `[{"role":"user","parts":[{"type":"text","content":"Hello"}]}]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newContentRecorder(t)
			u, _ := http.NewRequest(http.MethodPost, c.url, nil)
			replies := memoryReplies{u.URL.Path: {contentType: c.contentType, body: c.body}}
			client := &http.Client{Transport: NewTransport(replies, rec.options(WithContentCapture(ContentSpanAndEvent))...)}
			got := sendCall(t, context.Background(), client, c.url, c.request)
			assert.Equal(t, c.body, string(got))
			span := rec.onlySpan(t)
			a := attrsOf(span)
			require.Empty(t, a[semconv.ObserveErrorKey].AsString())
			for k, want := range map[attribute.Key]string{semconv.GenAISystemInstructionsKey: c.system, semconv.GenAIInputMessagesKey: c.input,
				semconv.GenAIOutputMessagesKey: c.output, semconv.GenAIToolDefinitionsKey: c.tools} {
				if want != "" {
					requireJSONAttr(t, span, k, want)
				}
			}
			// Whatever the case: one output message per finish reason,
			// in the provider's words (embeddings have none).
			reasons := a[semconv.GenAIResponseFinishReasonsKey].AsStringSlice()
			out, _ := jsonAttr(t, span, semconv.GenAIOutputMessagesKey).([]any)
			if strings.Contains(c.url, "embeddings") {
				assert.Nil(t, out, "embeddings record their input only")
			} else {
				require.Len(t, out, len(reasons))
				for i, m := range out {
					assert.Equal(t, reasons[i], m.(map[string]any)["finish_reason"])
					assert.NotEmpty(t, m.(map[string]any)["parts"])
				}
			}
			require.Len(t, rec.logs.all(), 1)
		})
	}
}

func TestContentNotInCallRecord(t *testing.T) {
	// The callback's record carries no content, whatever the mode: its
	// String is the same with capture on as off.
	var lines []string
	cb := WithCallback(func(_ context.Context, r CallRecord) {
		r.Duration = 0
		lines = append(lines, r.String())
	})
	for _, mode := range []ContentMode{ContentNone, ContentSpanAndEvent} {
		rec := newContentRecorder(t)
		client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(cb, WithContentCapture(mode))...)}
		sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
	}
	require.Len(t, lines, 2)
	assert.Equal(t, lines[0], lines[1])
	assert.NotContains(t, lines[1], "Seattle")
}

func TestScrubText(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"nothing secret here, a basic question about bearer bonds", "nothing secret here, a basic question about bearer bonds"},
		{"key sk-ant-api03-abcdefghijklmnop end", "key REDACTED end"},
		{`{"Authorization": "Bearer abc.def.ghi-jkl-mno-pqr"}`, `{"Authorization": "REDACTED"}`},
		{"Authorization: Basic dXNlcjpwYXNzd29yZA==", "Authorization: REDACTED"},
		{"use Basic dXNlcjpwYXNzd29yZA== here", "use Basic REDACTED here"},
		{"password=s3cret! next", "password=REDACTED next"},
		{`{"client_secret":"abc123","name":"x"}`, `{"client_secret":"REDACTED","name":"x"}`},
		{"https://user:pa55@db.example.com:5432/x", "https://REDACTED@db.example.com:5432/x"},
		{"see https://example.com/search?q=go&key=AIzaSyA", "see https://example.com/search?q=go&key=REDACTED"},
		{"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "REDACTED"},
		{"slack xoxb-1234567890-abcdefghij", "slack REDACTED"},
	} {
		assert.Equal(t, c.want, scrubText(c.in), c.in)
	}
	// JSON stays JSON.
	args := scrubBytes([]byte(`{"headers":{"Authorization":"Bearer sk-proj-abcdefghijklmnopqrstuvwx"},"password":"x y z"}`))
	assert.True(t, json.Valid(args), "%s", args)
	assert.NotContains(t, string(args), "sk-proj")
}

func TestContentFromEnvReportsOnce(t *testing.T) {
	// Each transport reads the variable once, not each call.
	t.Setenv(semconv.CaptureMessageContentEnv, "bogus")
	h := &recordingHandler{}
	otel.SetErrorHandler(h)
	t.Cleanup(func() { otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) {})) })
	rec := newContentRecorder(t)
	client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options()...)}
	for i := 0; i < 3; i++ {
		sendCall(t, context.Background(), client, "https://api.openai.com/v1/chat/completions", chatToolsRequest)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	assert.Len(t, h.errs, 1)
}

func TestContentOfABodyReadOnlyAsSent(t *testing.T) {
	// No GetBody: the request is read as the base transport sends it, and
	// its content captured once the response has arrived.
	rec := newContentRecorder(t)
	client := &http.Client{Transport: NewTransport(chatToolsReplies(t), rec.options(WithContentCapture(ContentSpan))...)}
	req, err := http.NewRequest(http.MethodPost, "https://api.openai.com/v1/chat/completions", io.NopCloser(strings.NewReader(chatToolsRequest)))
	require.NoError(t, err)
	require.Nil(t, req.GetBody)
	resp, err := client.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	requireJSONAttr(t, rec.onlySpan(t), semconv.GenAIInputMessagesKey, wantChatToolsInput)
}

func TestContentModeOptionOutOfRangeIgnored(t *testing.T) {
	t.Setenv(semconv.CaptureMessageContentEnv, "SPAN_ONLY")
	assert.Equal(t, ContentSpan, newConfig([]Option{WithContentCapture(ContentMode(9))}).content, "an unknown mode leaves the default")
	assert.Equal(t, "ContentMode(9)", ContentMode(9).String())
}
