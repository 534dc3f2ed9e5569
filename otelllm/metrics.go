package otelllm

import (
	"context"
	"sync/atomic"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// metricKey is what the metric attributes of a call depend on. Their
// values are few (the semantic conventions bound them), so the record
// options built from them are cached: a call records without building and
// sorting attribute sets.
type metricKey struct {
	operation, provider, requestModel, responseModel, errorType, server string
	port                                                                int
	// context identifies the call's bounded context attributes (the
	// metricAttrs passed with the key).
	context attribute.Distinct
}

// metricOptions are the record options of one metricKey.
type metricOptions struct {
	histogram []metric.RecordOption // duration, time to first chunk, time per chunk
	counter   []metric.AddOption    // requests, cost
	// tokenUsage by gen_ai.token.type (input, output); tokenCount by
	// otelllm.token.type (input, output, cache_read, cache_creation,
	// reasoning).
	tokenUsage [2][]metric.RecordOption
	tokenCount [5][]metric.AddOption
	// zeroAdded marks the token types whose counter series this transport
	// has already created with a reported 0 (say, no cached input): a
	// later 0 changes nothing in a cumulative sum and is not recorded
	// again, which spares two records on most calls.
	zeroAdded [5]atomic.Bool
	// latest are the options of the latest conventions' instruments, nil
	// unless they are emitted.
	latest *latestOptions
}

var tokenCountTypes = [5]string{semconv.TokenCountInput, semconv.TokenCountOutput, semconv.TokenCountCacheRead, semconv.TokenCountCacheCreation, semconv.TokenCountReasoning}

func (t *telemetry) metricOptions(k metricKey, contextAttrs []attribute.KeyValue) *metricOptions {
	if cached, ok := t.metricOpts.Load(k); ok {
		return cached.(*metricOptions)
	}
	base := make([]attribute.KeyValue, 0, 8+len(t.cfg.metricAttrs)+len(contextAttrs))
	base = append(base,
		semconv.GenAIOperationNameKey.String(k.operation),
		semconv.GenAIProviderNameKey.String(k.provider))
	if k.requestModel != "" {
		base = append(base, semconv.GenAIRequestModelKey.String(k.requestModel))
	}
	if k.responseModel != "" {
		base = append(base, semconv.GenAIResponseModelKey.String(k.responseModel))
	}
	if k.errorType != "" {
		base = append(base, semconv.ErrorTypeKey.String(k.errorType))
	}
	base = append(base, t.cfg.metricAttrs...)
	base = append(base, contextAttrs...)
	histogram := append(base[:len(base):len(base)],
		semconv.ServerAddressKey.String(k.server),
		semconv.ServerPortKey.Int(k.port))

	with := func(attrs []attribute.KeyValue, kv attribute.KeyValue) attribute.Set {
		return attribute.NewSet(append(attrs[:len(attrs):len(attrs)], kv)...)
	}
	o := &metricOptions{
		histogram: []metric.RecordOption{metric.WithAttributeSet(attribute.NewSet(histogram...))},
		counter:   []metric.AddOption{metric.WithAttributeSet(attribute.NewSet(base...))},
	}
	if t.stability.EmitsDefault() {
		for i, tt := range [2]string{semconv.TokenTypeInput, semconv.TokenTypeOutput} {
			o.tokenUsage[i] = []metric.RecordOption{metric.WithAttributeSet(with(histogram, semconv.GenAITokenTypeKey.String(tt)))}
		}
	}
	if t.latest != nil {
		o.latest = t.newLatestOptions(k, o.histogram)
	}
	for i, tt := range tokenCountTypes {
		o.tokenCount[i] = []metric.AddOption{metric.WithAttributeSet(with(base, semconv.TokenTypeKey.String(tt)))}
	}
	if t.cached.Load() >= maxCachedAttributeSets {
		return o // past the cap: built per call, never kept
	}
	actual, loaded := t.metricOpts.LoadOrStore(k, o)
	if !loaded {
		t.cached.Add(1)
	}
	return actual.(*metricOptions)
}

// maxCachedAttributeSets bounds the metric attribute cache, whatever the
// application does with model names; the SDK's own default cardinality limit
// is 2,000 series per instrument.
const maxCachedAttributeSets = 4096

func (t *telemetry) recordMetrics(c *callState, rec *record) {
	ctx := c.ctx
	o := t.metricOptions(metricKey{
		operation: rec.Operation, provider: rec.Provider,
		requestModel: rec.RequestModel, responseModel: rec.ResponseModel,
		errorType: rec.ErrorType, server: rec.server, port: rec.port,
		context: c.metricSet,
	}, c.metricAttrs)
	if rec.Rejected() {
		// Nothing was sent: no duration, no usage; the call is counted,
		// with its error.type.
		t.requestCount.Add(ctx, 1, o.counter...)
		return
	}
	t.duration.Record(ctx, rec.Duration.Seconds(), o.histogram...)
	if rec.TimeToFirstChunk > 0 {
		t.firstChunk.Record(ctx, rec.TimeToFirstChunk.Seconds(), o.histogram...)
	}
	if g := c.gaps; g != nil {
		c.gaps = nil
		t.recordGapsWith(g, o)
	}
	t.requestCount.Add(ctx, 1, o.counter...)

	u := rec.Usage
	if u.Has(providers.InputTokens) {
		t.tokenUsage.Record(ctx, u.InputTokens, o.tokenUsage[0]...)
	}
	if u.Has(providers.OutputTokens) {
		t.tokenUsage.Record(ctx, u.OutputTokens, o.tokenUsage[1]...)
	}
	for i, f := range [5]providers.UsageField{providers.InputTokens, providers.OutputTokens, providers.CacheReadInputTokens, providers.CacheCreationInputTokens, providers.ReasoningTokens} {
		if !u.Has(f) {
			continue
		}
		n := usageCount(u, f)
		if n == 0 {
			if o.zeroAdded[i].Load() {
				continue
			}
			o.zeroAdded[i].Store(true)
		}
		t.tokenCount.Add(ctx, n, o.tokenCount[i]...)
	}
	if rec.Priced {
		t.cost.Add(ctx, rec.CostUSD, o.counter...)
	}
	if t.latest != nil {
		t.recordLatest(ctx, rec, o.latest)
	}
}

// timesChunks says whether either per-chunk histogram records anything.
func (t *telemetry) timesChunks(ctx context.Context) bool {
	return t.perChunk.Enabled(ctx) || t.latest != nil && t.latest.inferencePerChunk.Enabled(ctx)
}

// recordGaps records a long stream's buffered chunk gaps before it ends,
// with the attributes known so far. The caller holds c.mu.
func (t *telemetry) recordGaps(c *callState, g *chunkGaps, responseModel, errorType string) {
	o := t.metricOptions(metricKey{
		operation: c.request.Operation, provider: c.request.Provider,
		requestModel: c.request.Model, responseModel: responseModel,
		errorType: errorType, server: c.server, port: c.port,
		context: c.metricSet,
	}, c.metricAttrs)
	if t.perChunk.Enabled(context.Background()) {
		for _, gap := range g.gaps[:g.n] {
			t.perChunk.Record(context.Background(), gap, o.histogram...)
		}
	}
	t.recordLatestGaps(g, o)
	g.n = 0
}

// recordGapsWith records the buffered chunk gaps of a call that ended, and
// lets the buffer go. They are recorded without the call's context: an
// exemplar per chunk would cost more than the chunk's observation, and
// the call's other histograms carry its exemplars.
func (t *telemetry) recordGapsWith(g *chunkGaps, o *metricOptions) {
	if t.perChunk.Enabled(context.Background()) {
		for _, gap := range g.gaps[:g.n] {
			t.perChunk.Record(context.Background(), gap, o.histogram...)
		}
	}
	t.recordLatestGaps(g, o)
	g.release()
}

func usageCount(u providers.Usage, f providers.UsageField) int64 {
	switch f {
	case providers.InputTokens:
		return u.InputTokens
	case providers.OutputTokens:
		return u.OutputTokens
	case providers.CacheReadInputTokens:
		return u.CacheReadInputTokens
	case providers.CacheCreationInputTokens:
		return u.CacheCreationInputTokens
	case providers.ReasoningTokens:
		return u.ReasoningTokens
	}
	return 0
}
