package otelllm

import (
	"math"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// WithSemconvStability sets which GenAI semantic-convention names the
// Transport emits, in place of the OTEL_SEMCONV_STABILITY_OPT_IN
// environment variable: semconv.StabilityDefault the v1.41.0 names,
// semconv.StabilityLatest the names of the conventions at
// semconv.GenAICommit instead, semconv.StabilityDup both (see package
// semconv for the mapping). The default is what the environment variable
// says, read once when the Transport is made ([semconv.ParseStability]:
// gen_ai_latest_experimental, or gen_ai_latest_experimental/dup); unset, it
// is semconv.StabilityDefault. A value that is none of the three is
// ignored.
func WithSemconvStability(s semconv.Stability) Option {
	return optionFunc(func(c *config) {
		switch s {
		case semconv.StabilityDefault, semconv.StabilityLatest, semconv.StabilityDup:
			c.stability, c.stabilitySet = s, true
		}
	})
}

// appendTopK adds gen_ai.request.top_k: a double in the v1.41.0
// conventions, an int in the latest ones. Both modes share the key, so the
// dup mode, which can send one type only, sends the latest one. A top-K
// that is not a whole number cannot be the latest's int and is left out:
// no API accepts one, so no such request reaches a model.
func appendTopK(attrs []attribute.KeyValue, r *providers.Request, s semconv.Stability) []attribute.KeyValue {
	k := *r.TopK
	if !s.EmitsLatest() {
		return append(attrs, semconv.GenAIRequestTopKKey.Float64(k))
	}
	if k != math.Trunc(k) || math.Abs(k) > 1<<53 {
		return attrs
	}
	return append(attrs, semconv.LatestGenAIRequestTopKKey.Int64(int64(k)))
}

// newTracerMeter makes the Transport's tracer and meter. They claim the
// v1.41.0 schema URL only when they emit none of the latest names: the
// latest conventions publish no schema URL yet, and claiming v1.41.0 for
// names it does not define would mislead a backend that translates
// between schema versions.
func newTracerMeter(cfg config) (trace.Tracer, metric.Meter) {
	tracerOpts := []trace.TracerOption{trace.WithInstrumentationVersion(Version())}
	meterOpts := []metric.MeterOption{metric.WithInstrumentationVersion(Version())}
	if !cfg.stability.EmitsLatest() {
		tracerOpts = append(tracerOpts, trace.WithSchemaURL(semconv.SchemaURL))
		meterOpts = append(meterOpts, metric.WithSchemaURL(semconv.SchemaURL))
	}
	return cfg.tracerProvider.Tracer(ScopeName, tracerOpts...), cfg.meterProvider.Meter(ScopeName, meterOpts...)
}
