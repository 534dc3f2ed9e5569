package otelllm

import (
	"context"
	"net/http"
	"testing"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
)

// BenchmarkInstrumentationParts splits the in-memory full call of
// BenchmarkInstrumentation between otelllm's own work and the SDK's: with
// no-op tracer and meter providers ("noop") the difference to the bare
// round trip is otelllm's; "traces" and "metrics" add one SDK each,
// "both" is BenchmarkInstrumentation's otelllm client.
func BenchmarkInstrumentationParts(b *testing.B) {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	for _, v := range []struct {
		name string
		opts []Option
	}{
		{"noop", []Option{WithTracerProvider(tracenoop.NewTracerProvider()), WithMeterProvider(metricnoop.NewMeterProvider())}},
		{"traces", []Option{WithTracerProvider(tp), WithMeterProvider(metricnoop.NewMeterProvider())}},
		{"metrics", []Option{WithTracerProvider(tracenoop.NewTracerProvider()), WithMeterProvider(mp)}},
		{"both", []Option{WithTracerProvider(tp), WithMeterProvider(mp)}},
	} {
		b.Run(v.name, func(b *testing.B) {
			c := &http.Client{Transport: NewTransport(memoryTransport{body: []byte(benchFull)}, v.opts...)}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				doCall(b, context.Background(), c, "http://api.openai.test/v1/chat/completions", false)
			}
		})
	}
}
