package otelllm

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"

	"github.com/otelllm/otelllm/semconv"
)

type contextAttributesKey struct{}

// ContextWithAttributes returns a copy of ctx whose calls carry attrs
// (a tenant, a feature, a user tier) on their spans and in their
// CallRecords. Attributes of an enclosing ContextWithAttributes are kept;
// a key given again takes the new value. They reach the metrics only for
// the keys named with WithContextMetricKeys.
func ContextWithAttributes(ctx context.Context, attrs ...attribute.KeyValue) context.Context {
	var kvs []attribute.KeyValue
	if prev, ok := ctx.Value(contextAttributesKey{}).(*attribute.Set); ok {
		kvs = prev.ToSlice()
	}
	for _, kv := range attrs {
		if kv.Valid() {
			kvs = append(kvs, kv)
		}
	}
	set := attribute.NewSet(kvs...)
	return context.WithValue(ctx, contextAttributesKey{}, &set)
}

// WithContextMetricKeys names the context attributes that reach the
// metrics: the keys given ContextWithAttributes values, and the members of
// the request context's W3C baggage named the same way (so attribution
// set by another process crosses over with the baggage; a
// ContextWithAttributes value beats a baggage member of the same key).
// Baggage members so named also go on the spans and CallRecords; other
// members are never read. Each key keeps at most
// semconv.MaxContextMetricValues distinct values on a transport's metrics,
// later ones are recorded as semconv.ContextValueOverflow ("_other"), so
// that the metrics stay bounded whatever the values. The default is none:
// context attributes are on spans and records only.
func WithContextMetricKeys(keys ...attribute.Key) Option {
	return optionFunc(func(c *config) {
		for _, k := range keys {
			if k.Defined() {
				c.contextMetricKeys = append(c.contextMetricKeys, k)
			}
		}
	})
}

// callAttributes are the context attributes of a call made with ctx, and
// the part of them, bounded, that goes on its metrics.
func (t *Transport) callAttributes(ctx context.Context) (all []attribute.KeyValue, metricAttrs []attribute.KeyValue, metricSet attribute.Distinct) {
	set, _ := ctx.Value(contextAttributesKey{}).(*attribute.Set)
	keys := t.cfg.contextMetricKeys
	if set == nil && len(keys) == 0 {
		return nil, nil, attribute.Distinct{}
	}
	if set != nil {
		all = set.ToSlice()
	}
	if len(keys) > 0 {
		bag := baggage.FromContext(ctx)
		if bag.Len() > 0 {
			for _, k := range keys {
				if set != nil && set.HasValue(k) {
					continue
				}
				if m := bag.Member(string(k)); m.Key() != "" {
					all = append(all, k.String(m.Value()))
				}
			}
		}
	}
	for _, k := range keys {
		for _, kv := range all {
			if kv.Key == k {
				metricAttrs = append(metricAttrs, t.tel.contextValues.bound(kv))
				break
			}
		}
	}
	if len(metricAttrs) > 0 {
		s := attribute.NewSet(metricAttrs...)
		metricAttrs, metricSet = s.ToSlice(), s.Equivalent()
	}
	return all, metricAttrs, metricSet
}

// contextValues bounds the values of each context attribute key on the
// metrics: the first semconv.MaxContextMetricValues distinct values a key
// takes are kept, later ones become semconv.ContextValueOverflow.
type contextValues struct {
	mu   sync.Mutex
	seen map[attribute.Key]map[attribute.Value]struct{}
}

// maxContextValueLength bounds a context attribute value on the metrics:
// a longer one is an id or a text, not a category.
const maxContextValueLength = 256

func (v *contextValues) bound(kv attribute.KeyValue) attribute.KeyValue {
	overflow := kv.Key.String(semconv.ContextValueOverflow)
	if kv.Value.Type() == attribute.STRING && len(kv.Value.AsString()) > maxContextValueLength {
		return overflow
	}
	if t := kv.Value.Type(); t != attribute.STRING && t != attribute.BOOL && t != attribute.INT64 && t != attribute.FLOAT64 {
		return overflow // slices: not a category either
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.seen == nil {
		v.seen = map[attribute.Key]map[attribute.Value]struct{}{}
	}
	values := v.seen[kv.Key]
	if values == nil {
		values = map[attribute.Value]struct{}{}
		v.seen[kv.Key] = values
	}
	if _, ok := values[kv.Value]; ok {
		return kv
	}
	if len(values) >= semconv.MaxContextMetricValues {
		return overflow
	}
	values[kv.Value] = struct{}{}
	return kv
}
