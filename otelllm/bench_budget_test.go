package otelllm

import (
	"context"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// BenchmarkLimitsAndAttributes: BenchmarkInstrumentation's call, made in a
// tracker with every limit and reservations, nested in another, with two
// context attributes of which one reaches the metrics: what budgets and
// attribution add to a call.
func BenchmarkLimitsAndAttributes(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	for _, bc := range []struct {
		name string
		ctx  func() context.Context
	}{
		{"tracked", func() context.Context { ctx, _ := Track(context.Background()); return ctx }},
		{"limits", func() context.Context {
			outer, _ := Track(context.Background(), WithRequestLimit(1<<62))
			ctx, _ := Track(outer, WithCostLimit(1e12), WithTokenLimit(1<<62), WithReservation())
			return ContextWithAttributes(ctx, attribute.String("app.tenant", "acme"), attribute.String("app.feature", "search"))
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			c := WrapClient(nil, WithTracerProvider(tp), WithMeterProvider(mp), WithContextMetricKeys("app.tenant"))
			c.Transport.(*Transport).base = memoryTransport{body: []byte(benchFull)}
			ctx := bc.ctx()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				doCall(b, ctx, c, "http://api.openai.test/v1/chat/completions", false)
			}
		})
	}
}
