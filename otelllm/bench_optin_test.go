package otelllm

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/semconv"
)

// BenchmarkInstrumentationModes: BenchmarkInstrumentation's call in each
// OTEL_SEMCONV_STABILITY_OPT_IN mode, and in default mode under a parent
// span another GenAI instrumentation records (the parent detection's
// cost; the parent span itself is made once).
func BenchmarkInstrumentationModes(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	_, parent := tp.Tracer("example.com/genai-sdk").Start(context.Background(), "chat.completions.create",
		trace.WithSpanKind(trace.SpanKindClient), trace.WithAttributes(
			attribute.String("gen_ai.provider.name", "openai"), attribute.String("gen_ai.operation.name", "chat")))
	b.Cleanup(func() { parent.End() })
	for _, bc := range []struct {
		name      string
		stability semconv.Stability
		ctx       context.Context
	}{
		{"default", semconv.StabilityDefault, context.Background()},
		{"latest", semconv.StabilityLatest, context.Background()},
		{"dup", semconv.StabilityDup, context.Background()},
		{"default-under-genai-parent", semconv.StabilityDefault, trace.ContextWithSpan(context.Background(), parent)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := WrapClient(nil, WithTracerProvider(tp), WithMeterProvider(mp), WithSemconvStability(bc.stability))
			c.Transport.(*Transport).base = memoryTransport{body: []byte(benchFull)}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				doCall(b, bc.ctx, c, "http://api.openai.test/v1/chat/completions", false)
			}
		})
	}
}
