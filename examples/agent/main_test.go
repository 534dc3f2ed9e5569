package main

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
)

// TestAgentRunsOffline runs the agent against the embedded fake and checks
// what it prints, and that its spans form one trace under the agent's span.
func TestAgentRunsOffline(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_MODEL", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	t.Setenv("OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT", "")
	recorder := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	logs := &logRecorder{}
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(logs)))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
		_ = lp.Shutdown(context.Background())
	})

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, tp, mp, lp))
	s := out.String()

	assert.Contains(t, s, "Step 1: the model calls search({\"query\":\"ruby-throated hummingbird weight\"}).")
	assert.Contains(t, s, "Step 1: search returned: The ruby-throated hummingbird (Archilochus colubris) weighs 2.5 to 3.5 grams")
	assert.Regexp(t, `Step 1: asking gpt-4o-mini with the search tool offered\.\n`+
		` +\[otelllm\] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input \+ 18 output tokens, \$0\.0000132, \S+\n`, s)
	assert.Regexp(t, `Step 2: asking gpt-4o-mini with the tool results, streamed\.\n`+
		` +\[otelllm\] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 51 input \+ 11 output tokens, \$0\.00001425, \S+ \(streamed, first chunk after \S+\)\n`, s)
	assert.Contains(t, s, "Answer: The ruby-throated hummingbird weighs about 3 grams, less than a nickel.")
	assert.Contains(t, s, "Tokens Used: 96\n"+
		"\tPrompt Tokens: 67\n"+
		"\t\tPrompt Tokens Cached: 0\n"+
		"\tCompletion Tokens: 29\n"+
		"\t\tReasoning Tokens: 0\n"+
		"Successful Requests: 2\n"+
		"Total Cost (USD): $0.00002745\n")
	assert.NotContains(t, s, "FAILED")

	spans := recorder.Ended()
	require.Len(t, spans, 4, "the agent's span, two chat spans and a tool span")
	var agent sdktrace.ReadOnlySpan
	for _, span := range spans {
		if span.Name() == "invoke_agent hummingbird-agent" {
			agent = span
		}
	}
	require.NotNil(t, agent, "no invoke_agent span")
	assert.False(t, agent.Parent().IsValid(), "the agent's span is the root")
	assert.Equal(t, trace.SpanKindInternal, agent.SpanKind())
	assert.Equal(t, "invoke_agent", attr(agent, "gen_ai.operation.name").AsString())
	assert.Equal(t, "hummingbird-agent", attr(agent, "gen_ai.agent.name").AsString())
	assert.Contains(t, s, "trace "+agent.SpanContext().TraceID().String(), "the printed trace id")

	var chats []sdktrace.ReadOnlySpan
	var tools []sdktrace.ReadOnlySpan
	for _, span := range spans {
		assert.Equal(t, agent.SpanContext().TraceID(), span.SpanContext().TraceID(), "span %q in another trace", span.Name())
		if span == agent {
			continue
		}
		assert.Equal(t, agent.SpanContext().SpanID(), span.Parent().SpanID(), "span %q is not the agent's child", span.Name())
		switch attr(span, "gen_ai.operation.name").AsString() {
		case "chat":
			chats = append(chats, span)
		case "execute_tool":
			tools = append(tools, span)
		}
	}
	require.Len(t, chats, 2)
	require.Len(t, tools, 1)

	// Spans end in the order the calls ended: the plain call, then the
	// streamed one; the tool ran between them.
	first, second := chats[0], chats[1]
	assert.Equal(t, "chat gpt-4o-mini", first.Name())
	assert.Equal(t, trace.SpanKindClient, first.SpanKind())
	assert.False(t, attr(first, "gen_ai.request.stream").AsBool())
	assert.Equal(t, int64(16), attr(first, "gen_ai.usage.input_tokens").AsInt64())
	assert.Equal(t, int64(18), attr(first, "gen_ai.usage.output_tokens").AsInt64())
	assert.Equal(t, []string{"tool_calls"}, attr(first, "gen_ai.response.finish_reasons").AsStringSlice())
	assert.True(t, attr(second, "gen_ai.request.stream").AsBool())
	assert.Equal(t, int64(51), attr(second, "gen_ai.usage.input_tokens").AsInt64())
	assert.Equal(t, int64(11), attr(second, "gen_ai.usage.output_tokens").AsInt64())
	assert.Equal(t, []string{"stop"}, attr(second, "gen_ai.response.finish_reasons").AsStringSlice())

	tool := tools[0]
	assert.Equal(t, "execute_tool search", tool.Name())
	assert.Equal(t, "search", attr(tool, "gen_ai.tool.name").AsString())
	assert.Equal(t, "call_fake_1", attr(tool, "gen_ai.tool.call.id").AsString())
	assert.True(t, first.EndTime().Before(tool.StartTime()) || first.EndTime().Equal(tool.StartTime()), "the tool ran after the first call")
	assert.True(t, tool.EndTime().Before(second.StartTime()) || tool.EndTime().Equal(second.StartTime()), "the second call came after the tool")

	// Content capture: every step's messages are in the trace, on the chat
	// spans and in one details event per call, in the call's span.
	searchDef := `[{"type":"function","name":"search","description":"Search an encyclopedia of birds; returns the most relevant fact.",
		"parameters":{"properties":{"query":{"description":"What to look up.","type":"string"}},"required":["query"],"type":"object"}}]`
	ask := `{"role":"user","parts":[{"type":"text","content":"How much does a ruby-throated hummingbird weigh?"}]}`
	callSearch := `{"type":"tool_call","id":"call_fake_1","name":"search","arguments":{"query":"ruby-throated hummingbird weight"}}`
	assert.JSONEq(t, `[`+ask+`]`, attr(first, "gen_ai.input.messages").AsString())
	assert.JSONEq(t, `[{"role":"assistant","finish_reason":"tool_calls","parts":[`+callSearch+`]}]`, attr(first, "gen_ai.output.messages").AsString())
	assert.JSONEq(t, searchDef, attr(first, "gen_ai.tool.definitions").AsString())
	assert.JSONEq(t, `[`+ask+`,
		{"role":"assistant","parts":[`+callSearch+`]},
		{"role":"tool","parts":[{"type":"tool_call_response","id":"call_fake_1",
			"response":"The ruby-throated hummingbird (Archilochus colubris) weighs 2.5 to 3.5 grams; a US nickel weighs 5 grams."}]}]`,
		attr(second, "gen_ai.input.messages").AsString())
	assert.JSONEq(t, `[{"role":"assistant","finish_reason":"stop","parts":[{"type":"text","content":"The ruby-throated hummingbird weighs about 3 grams, less than a nickel."}]}]`,
		attr(second, "gen_ai.output.messages").AsString())
	events := logs.all()
	require.Len(t, events, 2, "one details event per chat call")
	for i, ev := range events {
		chat := chats[i]
		assert.Equal(t, "gen_ai.client.inference.operation.details", ev.EventName())
		assert.Equal(t, agent.SpanContext().TraceID(), ev.TraceID(), "event %d in the agent's trace", i)
		assert.Equal(t, chat.SpanContext().SpanID(), ev.SpanID(), "event %d in its call's span", i)
		var out attribute.Value
		ev.WalkAttributes(func(kv attribute.KeyValue) bool {
			if kv.Key == "gen_ai.output.messages" {
				out = kv.Value
			}
			return true
		})
		assert.Equal(t, attribute.SLICE, out.Type(), "event %d carries the output structured", i)
	}

	// The metrics went to the provider run was given.
	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	requests, ok := counter(rm, "otelllm.client.requests")
	require.True(t, ok, "otelllm.client.requests not recorded")
	assert.Equal(t, int64(2), requests)
}

// logRecorder keeps the log records it is given.
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

func attr(span sdktrace.ReadOnlySpan, key attribute.Key) attribute.Value {
	for _, kv := range span.Attributes() {
		if kv.Key == key {
			return kv.Value
		}
	}
	return attribute.Value{}
}

// counter returns the total of an int64 sum over all its data points.
func counter(rm metricdata.ResourceMetrics, name string) (int64, bool) {
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != name {
				continue
			}
			sum, ok := m.Data.(metricdata.Sum[int64])
			if !ok {
				return 0, false
			}
			var total int64
			for _, dp := range sum.DataPoints {
				total += dp.Value
			}
			return total, true
		}
	}
	return 0, false
}
