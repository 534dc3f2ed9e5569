package otelllm

import (
	"context"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// rateLimitGauges are the gauges of the providers' rate limits, and their
// record options, cached per attribute set as the call metrics' are.
type rateLimitGauges struct {
	remaining, limit metric.Int64Gauge
	opts             sync.Map // rateLimitKey -> []metric.RecordOption
	cached           atomic.Int64
}

// rateLimitKey is what a rate-limit gauge's attributes depend on.
type rateLimitKey struct {
	provider, requestModel, resource, window string
}

func (g *rateLimitGauges) init(meter metric.Meter) {
	var err error
	i := semconv.ClientRateLimitRemaining()
	if g.remaining, err = meter.Int64Gauge(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description)); err != nil {
		otel.Handle(err)
	}
	i = semconv.ClientRateLimitLimit()
	if g.limit, err = meter.Int64Gauge(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description)); err != nil {
		otel.Handle(err)
	}
}

// recordRateLimits records the rate limits a call's response stated.
func (t *telemetry) recordRateLimits(ctx context.Context, rec *record) {
	g := &t.rateLimits
	for _, l := range rec.RateLimits {
		if !l.Has(providers.RateLimitRemaining) && !l.Has(providers.RateLimitLimit) {
			continue
		}
		opts := t.rateLimitOptions(rateLimitKey{provider: rec.Provider, requestModel: rec.RequestModel, resource: l.Resource, window: l.Window})
		if l.Has(providers.RateLimitRemaining) && g.remaining != nil {
			g.remaining.Record(ctx, l.Remaining, opts...)
		}
		if l.Has(providers.RateLimitLimit) && g.limit != nil {
			g.limit.Record(ctx, l.Limit, opts...)
		}
	}
}

func (t *telemetry) rateLimitOptions(k rateLimitKey) []metric.RecordOption {
	g := &t.rateLimits
	if cached, ok := g.opts.Load(k); ok {
		return cached.([]metric.RecordOption)
	}
	attrs := make([]attribute.KeyValue, 0, 4+len(t.cfg.metricAttrs))
	attrs = append(attrs,
		semconv.GenAIProviderNameKey.String(k.provider),
		semconv.RateLimitResourceKey.String(k.resource))
	if k.requestModel != "" {
		attrs = append(attrs, semconv.GenAIRequestModelKey.String(k.requestModel))
	}
	if k.window != "" {
		attrs = append(attrs, semconv.RateLimitWindowKey.String(k.window))
	}
	attrs = append(attrs, t.cfg.metricAttrs...)
	opts := []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(attrs...))}
	if g.cached.Load() >= maxCachedAttributeSets {
		return opts
	}
	if actual, loaded := g.opts.LoadOrStore(k, opts); loaded {
		return actual.([]metric.RecordOption)
	}
	g.cached.Add(1)
	return opts
}

// appendRateLimits adds the span attributes of the rate limits and the
// Retry-After a call's response stated.
func appendRateLimits(attrs []attribute.KeyValue, rec *record) []attribute.KeyValue {
	for _, l := range rec.RateLimits {
		if l.Has(providers.RateLimitLimit) {
			attrs = append(attrs, rateLimitKeyOf(l, semconv.RateLimitLimit).Int64(l.Limit))
		}
		if l.Has(providers.RateLimitRemaining) {
			attrs = append(attrs, rateLimitKeyOf(l, semconv.RateLimitRemaining).Int64(l.Remaining))
		}
		if l.Has(providers.RateLimitReset) {
			attrs = append(attrs, rateLimitKeyOf(l, semconv.RateLimitReset).Float64(l.Reset.Seconds()))
		}
	}
	if rec.RetryAfter != nil {
		attrs = append(attrs, semconv.ResponseRetryAfterKey.Float64(rec.RetryAfter.Seconds()))
	}
	return attrs
}

// rateLimitKeys caches the span keys of rate limits: their resources and
// windows are few (providers.RateLimitWindow bounds them), and a key built
// per call would allocate.
// Past maxRateLimitKeys (a provider outside this module could name
// anything) keys are built per call.
var (
	rateLimitKeys   sync.Map // [3]string -> attribute.Key
	rateLimitCached atomic.Int64
)

const maxRateLimitKeys = 512

func rateLimitKeyOf(l providers.RateLimit, part string) attribute.Key {
	k := [3]string{l.Resource, l.Window, part}
	if key, ok := rateLimitKeys.Load(k); ok {
		return key.(attribute.Key)
	}
	key := semconv.RateLimitKey(l.Resource, l.Window, part)
	if rateLimitCached.Load() < maxRateLimitKeys {
		if _, loaded := rateLimitKeys.LoadOrStore(k, key); !loaded {
			rateLimitCached.Add(1)
		}
	}
	return key
}
