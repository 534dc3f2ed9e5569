package sdk

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/semconv"
)

// anthropic-sdk-go traces its own calls through the global TracerProvider
// unless told not to, and its span becomes the parent of otelllm's: with a
// recording global provider, both spans exist, and the tokens of a call
// must be on one of them only.

// withGlobalTracerProvider makes a recording provider the global one for
// the test (the SDK reads it at each call) and returns its spans.
func withGlobalTracerProvider(t *testing.T) *tracetest.SpanRecorder {
	t.Helper()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	otel.SetTracerProvider(tp)
	t.Cleanup(func() {
		// The global provider the other tests run with: one that records
		// nothing.
		otel.SetTracerProvider(noop.NewTracerProvider())
		_ = tp.Shutdown(context.Background())
	})
	return spans
}

func TestAnthropicSDKSpanAndOursCountTokensOnce(t *testing.T) {
	for _, tc := range []struct {
		name, file, model string
		stream            bool
		// input is the call's true input count (input + cache reads +
		// cache writes), output its output count, cacheWrite its cache
		// writes.
		input, output, cacheWrite int64
	}{
		{name: "recorded", file: "messages_nonstream_1.json", model: "claude-3-7-sonnet-20250219", input: 514, output: 19},
		{name: "cache read and write", file: "anthropic_message_cache_synthetic.json", model: "claude-sonnet-4-5",
			input: 21 + 2500 + 1800, output: 42, cacheWrite: 1800},
		{name: "recorded stream", file: "messages_stream_tool_use.sse", model: "claude-3-7-sonnet-20250219", stream: true, input: 394, output: 79},
		{name: "cache read and write stream", file: "anthropic_stream_cache_synthetic.sse", model: "claude-sonnet-4-5", stream: true,
			input: 21 + 2500 + 1800, output: 42, cacheWrite: 1800},
	} {
		for _, dedup := range []bool{true, false} {
			name := tc.name
			if !dedup {
				name += " dedup off"
			}
			t.Run(name, func(t *testing.T) {
				sdkSpans := withGlobalTracerProvider(t)
				ours := tracetest.NewSpanRecorder()
				reader := sdkmetric.NewManualReader()
				tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(ours))
				mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
				t.Cleanup(func() {
					_ = tp.Shutdown(context.Background())
					_ = mp.Shutdown(context.Background())
				})
				contentType := "application/json"
				if tc.stream {
					contentType = "text/event-stream"
				}
				srv := newFixtureServer(t, map[string]reply{"POST /v1/messages": {file: tc.file, contentType: contentType}})
				hc := otelllm.WrapClient(&http.Client{Transport: freshConnections()},
					otelllm.WithTracerProvider(tp), otelllm.WithMeterProvider(mp), otelllm.WithParentUsageDedup(dedup))
				ctx, tracker := otelllm.Track(context.Background())

				// No option.WithoutOpenTelemetry: the SDK's own tracing is on.
				client := newAnthropicClient(hc, srv.URL)
				if tc.stream {
					stream := client.Messages.NewStreaming(ctx, anthropicParams(tc.model))
					for stream.Next() {
					}
					require.NoError(t, stream.Err())
					require.NoError(t, stream.Close())
				} else {
					_, err := client.Messages.New(ctx, anthropicParams(tc.model))
					require.NoError(t, err)
				}

				sdk := onlyEnded(t, sdkSpans)
				span := onlyEnded(t, ours)
				assert.Equal(t, "com.anthropic.sdk.go", sdk.InstrumentationScope().Name)
				assert.Equal(t, "anthropic.messages.create", sdk.Name())
				assert.Equal(t, sdk.SpanContext().SpanID(), span.Parent().SpanID(), "otelllm's span is the SDK span's child")
				assert.Equal(t, tc.input, attrsOf(sdk)[semconv.GenAIUsageInputTokensKey].AsInt64(), "the SDK's own count")

				all := []sdktrace.ReadOnlySpan{sdk, span}
				a := attrsOf(span)
				if dedup {
					assert.Equal(t, tc.input, sumOver(all, semconv.GenAIUsageInputTokensKey), "gen_ai.usage.input_tokens over the trace")
					assert.Equal(t, tc.output, sumOver(all, semconv.GenAIUsageOutputTokensKey), "gen_ai.usage.output_tokens over the trace")
					assert.Equal(t, tc.cacheWrite, sumOver(all, semconv.LatestGenAIUsageCacheWriteInputTokensKey)+sumOver(all, semconv.GenAIUsageCacheCreationInputTokensKey),
						"cache writes over the trace, under either name")
					assert.Equal(t, "com.anthropic.sdk.go", a[semconv.UsageRecordedByKey].AsString())
					for k := range a {
						assert.False(t, strings.HasPrefix(string(k), "gen_ai.usage."), "otelllm's span carries %s", k)
					}
				} else {
					assert.Equal(t, 2*tc.input, sumOver(all, semconv.GenAIUsageInputTokensKey), "both spans carry the usage")
					assert.NotContains(t, a, semconv.UsageRecordedByKey)
				}
				assert.Equal(t, "chat "+tc.model, span.Name())
				assert.NotEmpty(t, a[semconv.UsageSourceKey].AsString())

				// The metrics and the tracker are otelllm's alone.
				var rm metricdata.ResourceMetrics
				require.NoError(t, reader.Collect(context.Background(), &rm))
				got, _ := sumInt(t, rm, "otelllm.client.token.count", semconv.TokenTypeKey.String("input"))
				assert.Equal(t, tc.input, got, "otelllm.client.token.count input")
				got, _ = sumInt(t, rm, "gen_ai.client.token.usage", semconv.GenAITokenTypeKey.String("input"))
				assert.Equal(t, tc.input, got, "gen_ai.client.token.usage input")
				assert.Equal(t, tc.input, tracker.Usage().InputTokens)
				assert.EqualValues(t, 1, tracker.Usage().Requests)
			})
		}
	}
}

func onlyEnded(t *testing.T, r *tracetest.SpanRecorder) sdktrace.ReadOnlySpan {
	t.Helper()
	ended := r.Ended()
	require.Len(t, ended, 1)
	require.Len(t, r.Started(), 1, "no span left open")
	return ended[0]
}

func sumOver(spans []sdktrace.ReadOnlySpan, key attribute.Key) int64 {
	var n int64
	for _, s := range spans {
		n += attrsOf(s)[key].AsInt64()
	}
	return n
}
