package otelllm_test

// A call that another GenAI instrumentation records too: anthropic-sdk-go
// (v2.15 and later) starts a CLIENT span for each API call through its
// tracer com.anthropic.sdk.go, with the attributes below, runs the HTTP
// request in its context, and sets the usage on its span once it has
// decoded the response. The parent here is made the way the SDK makes it,
// on a real SDK TracerProvider.

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/semconv"
)

const anthropicCacheCase = "other-providers/pydanticai/anthropic_full_cache_read_and_write"

// sdkParent describes the span a GenAI SDK starts around the call.
type sdkParent struct {
	scope string
	kind  trace.SpanKind
	attrs []attribute.KeyValue
	// sampledOut: the parent does not record; ended: it ended before
	// the request was sent.
	sampledOut, ended bool
}

// anthropicSDKStart are the attributes anthropic-sdk-go's
// anthropic.messages.create span starts with (internal/tracing in
// v2.15.0: ClientAttributes, the spanTable constants, ServerAttributes,
// RequestAttributes, and the request's model and max_tokens).
func anthropicSDKStart(provider string) []attribute.KeyValue {
	return []attribute.KeyValue{
		attribute.String("gen_ai.provider.name", provider),
		attribute.String("gen_ai.operation.name", "chat"),
		attribute.String("gen_ai.request.model", "claude-sonnet-4-5"),
		attribute.Int("gen_ai.request.max_tokens", 4096),
		attribute.String("server.address", "api.anthropic.com"),
		attribute.Int("server.port", 443),
		attribute.String("http.request.method", "POST"),
		attribute.String("http.route", "/v1/messages"),
	}
}

type parentRun struct {
	ours, parent sdktrace.ReadOnlySpan // parent nil when it did not record
	all          []sdktrace.ReadOnlySpan
	rm           metricdata.ResourceMetrics
	tracked      otelllm.Usage
	truth        *wantEntry
}

// callUnderParent makes the recorded Anthropic call through a Transport, in
// the context of a parent span made on its own TracerProvider (an SDK
// uses the global one, otelllm the one it is given), and sets the usage on
// the parent afterwards, as the SDK does.
func callUnderParent(t *testing.T, p sdkParent, opts ...otelllm.Option) parentRun {
	t.Helper()
	var rec recording
	for _, r := range loadRecordings(t) {
		if r.name == anthropicCacheCase {
			rec = r
		}
	}
	require.NotEmpty(t, rec.name)
	run := parentRun{truth: loadWant(t)[anthropicCacheCase]}

	spans := tracetest.NewSpanRecorder()
	reader := sdkmetric.NewManualReader()
	ourSampler, sampler := sdktrace.ParentBased(sdktrace.AlwaysSample()), sdktrace.AlwaysSample()
	if p.sampledOut {
		// otelllm's provider samples what the SDK's does not.
		ourSampler, sampler = sdktrace.AlwaysSample(), sdktrace.NeverSample()
	}
	ourTP := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans), sdktrace.WithSampler(ourSampler))
	sdkTP := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans), sdktrace.WithSampler(sampler))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		_ = ourTP.Shutdown(context.Background())
		_ = sdkTP.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})

	base := servedTransport{next: &served{status: rec.status, header: rec.header.Clone(), body: rec.plain}}
	client := &http.Client{Transport: otelllm.NewTransport(base, append([]otelllm.Option{
		otelllm.WithTracerProvider(ourTP), otelllm.WithMeterProvider(mp), otelllm.WithPriceTable(pricing.Default()),
	}, opts...)...)}

	ctx, tracker := otelllm.Track(context.Background())
	ctx, parent := sdkTP.Tracer(p.scope, trace.WithInstrumentationVersion("2.15.0")).Start(ctx, "anthropic.messages.create",
		trace.WithSpanKind(p.kind), trace.WithAttributes(p.attrs...))
	if p.ended {
		parent.End()
	}
	req, err := http.NewRequestWithContext(ctx, rec.method, rec.url(), bytes.NewReader(rec.request))
	require.NoError(t, err)
	for k, vs := range rec.reqHeader {
		req.Header[k] = vs
	}
	resp, err := client.Do(req)
	require.NoError(t, err)
	_, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	// The SDK's usage attributes (internal/tracing/attributes.go and
	// telemetry/response.go in v2.15.0): input is the conventions' sum.
	u := run.truth.Usage
	parent.SetAttributes(
		attribute.Int64("gen_ai.usage.input_tokens", *u.Input),
		attribute.Int64("gen_ai.usage.output_tokens", *u.Output),
		attribute.Int64("gen_ai.usage.cache_read.input_tokens", *u.CacheRead),
		attribute.Int64("gen_ai.usage.cache_write.input_tokens", *u.CacheCreation),
		attribute.String("gen_ai.response.id", run.truth.ResponseID),
	)
	if !p.ended {
		parent.End()
	}

	run.all = spans.Ended()
	require.Len(t, spans.Started(), len(run.all), "no span left open")
	for _, s := range run.all {
		if s.Name() == "anthropic.messages.create" {
			run.parent = s
		} else {
			run.ours = s
		}
	}
	require.NotNil(t, run.ours, "otelllm's span")
	if !p.sampledOut {
		require.NotNil(t, run.parent, "the SDK's span")
		assert.Equal(t, run.parent.SpanContext().SpanID(), run.ours.Parent().SpanID(), "otelllm's span is the SDK span's child")
	}
	require.NoError(t, reader.Collect(context.Background(), &run.rm))
	run.tracked = tracker.Usage()
	return run
}

// sumOverSpans is what a backend that sums a usage key over the spans of
// a trace gets.
func sumOverSpans(spans []sdktrace.ReadOnlySpan, key attribute.Key) int64 {
	var n int64
	for _, s := range spans {
		if v, ok := spanAttrs(s)[key]; ok {
			n += v.AsInt64()
		}
	}
	return n
}

func genAIUsageKeys(s sdktrace.ReadOnlySpan) []string {
	var keys []string
	for _, k := range keysOf(s) {
		if strings.HasPrefix(k, "gen_ai.usage.") {
			keys = append(keys, k)
		}
	}
	return keys
}

func tokenCount(t *testing.T, rm metricdata.ResourceMetrics, tokenType string) int64 {
	t.Helper()
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name != "otelllm.client.token.count" {
				continue
			}
			var n int64
			for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
				if v, _ := dp.Attributes.Value(semconv.TokenTypeKey); v.AsString() == tokenType {
					n += dp.Value
				}
			}
			return n
		}
	}
	return 0
}

func TestParentGenAISpanRecordsTheUsage(t *testing.T) {
	anthropicSDK := sdkParent{scope: "com.anthropic.sdk.go", kind: trace.SpanKindClient, attrs: anthropicSDKStart("anthropic")}
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			run := callUnderParent(t, anthropicSDK, otelllm.WithSemconvStability(mode.stability))
			u := run.truth.Usage

			assert.Empty(t, genAIUsageKeys(run.ours), "otelllm's span leaves gen_ai.usage.* to the parent")
			a := spanAttrs(run.ours)
			assert.Equal(t, "com.anthropic.sdk.go", a[semconv.UsageRecordedByKey].AsString())
			// Everything else stays: what the response was, how it ended,
			// where usage came from, what priced it.
			for _, k := range []attribute.Key{semconv.GenAIOperationNameKey, semconv.GenAIProviderNameKey, semconv.GenAIRequestModelKey,
				semconv.GenAIResponseIDKey, semconv.GenAIResponseModelKey, semconv.GenAIResponseFinishReasonsKey,
				semconv.ResponseEndKey, semconv.UsageSourceKey, semconv.UsageCompleteKey, semconv.UsageCacheCreation1hInputTokensKey,
				semconv.PricingModelKey, semconv.PricingSourceKey} {
				assert.Contains(t, a, k)
			}

			// A backend summing over the trace counts each token once.
			assert.Equal(t, *u.Input, sumOverSpans(run.all, semconv.GenAIUsageInputTokensKey))
			assert.Equal(t, *u.Output, sumOverSpans(run.all, semconv.GenAIUsageOutputTokensKey))
			assert.Equal(t, *u.CacheRead, sumOverSpans(run.all, semconv.GenAIUsageCacheReadInputTokensKey))
			assert.Equal(t, *u.CacheCreation, sumOverSpans(run.all, semconv.LatestGenAIUsageCacheWriteInputTokensKey))

			// Metrics and the tracker are otelllm's alone: the call counts once.
			assert.Equal(t, *u.Input, tokenCount(t, run.rm, semconv.TokenCountInput))
			assert.Equal(t, *u.Output, tokenCount(t, run.rm, semconv.TokenCountOutput))
			assert.Equal(t, *u.Input, run.tracked.InputTokens)
			assert.EqualValues(t, 1, run.tracked.Requests)
		})
	}
}

func TestParentUsageDedupOff(t *testing.T) {
	run := callUnderParent(t, sdkParent{scope: "com.anthropic.sdk.go", kind: trace.SpanKindClient, attrs: anthropicSDKStart("anthropic")},
		otelllm.WithParentUsageDedup(false))
	u := run.truth.Usage
	a := spanAttrs(run.ours)
	assert.NotContains(t, a, semconv.UsageRecordedByKey)
	assert.Equal(t, *u.Input, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.Contains(t, a, semconv.UsageCostKey)
	assert.Equal(t, 2**u.Input, sumOverSpans(run.all, semconv.GenAIUsageInputTokensKey), "both spans carry the usage")
}

func TestParentThatIsNotAnotherInstrumentationOfTheCall(t *testing.T) {
	start := anthropicSDKStart("anthropic")
	agent := anthropicSDKStart("anthropic")
	agent[1] = attribute.String("gen_ai.operation.name", "invoke_agent")
	for _, tc := range []struct {
		name string
		p    sdkParent
	}{
		{"the application's own internal span", sdkParent{scope: "my-app", kind: trace.SpanKindInternal, attrs: start}},
		{"another provider's call", sdkParent{scope: "com.anthropic.sdk.go", kind: trace.SpanKindClient, attrs: anthropicSDKStart("openai")}},
		{"an agent's span", sdkParent{scope: "com.anthropic.sdk.go", kind: trace.SpanKindClient, attrs: agent}},
		{"no GenAI attributes", sdkParent{scope: "github.com/aws/aws-sdk-go-v2/service/bedrockruntime", kind: trace.SpanKindClient,
			attrs: []attribute.KeyValue{attribute.String("rpc.system", "aws-api")}}},
		// Genkit's model action span puts usage in the JSON of
		// genkit:output, not in gen_ai.usage.*: nothing is counted twice,
		// so otelllm's span keeps the only gen_ai.usage.* of the trace.
		{"genkit's model span", sdkParent{scope: "genkit-tracer", kind: trace.SpanKindInternal,
			attrs: []attribute.KeyValue{attribute.String("genkit:type", "action"), attribute.String("genkit:metadata:subtype", "model"),
				attribute.String("genkit:name", "anthropic/claude-sonnet-4-5")}}},
		{"otelllm's own scope", sdkParent{scope: otelllm.ScopeName, kind: trace.SpanKindClient, attrs: start}},
		{"an ended span", sdkParent{scope: "com.anthropic.sdk.go", kind: trace.SpanKindClient, attrs: start, ended: true}},
		{"a span that does not record", sdkParent{scope: "com.anthropic.sdk.go", kind: trace.SpanKindClient, attrs: start, sampledOut: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := callUnderParent(t, tc.p)
			a := spanAttrs(run.ours)
			assert.NotContains(t, a, semconv.UsageRecordedByKey)
			assert.Equal(t, *run.truth.Usage.Input, a[semconv.GenAIUsageInputTokensKey].AsInt64(), "otelllm's span keeps its usage")
		})
	}
}
