package otelllm

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"reflect"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// telemetry holds a Transport's tracer and instruments, and turns the
// record of each call into its telemetry.
type telemetry struct {
	cfg    config
	tracer trace.Tracer

	tokenUsage   metric.Int64Histogram
	duration     metric.Float64Histogram
	firstChunk   metric.Float64Histogram
	perChunk     metric.Float64Histogram
	tokenCount   metric.Int64Counter
	cost         metric.Float64Counter
	requestCount metric.Int64Counter

	// Record options are built once per attribute set, so that recording
	// a call builds and sorts no attribute set.
	metricOpts sync.Map // metricKey -> *metricOptions
	cached     atomic.Int64
}

func newTelemetry(cfg config) *telemetry {
	t := &telemetry{cfg: cfg}
	t.tracer = cfg.tracerProvider.Tracer(ScopeName,
		trace.WithInstrumentationVersion(Version()),
		trace.WithSchemaURL(semconv.SchemaURL))
	meter := cfg.meterProvider.Meter(ScopeName,
		metric.WithInstrumentationVersion(Version()),
		metric.WithSchemaURL(semconv.SchemaURL))

	var err error
	i := semconv.ClientTokenUsage()
	if t.tokenUsage, err = meter.Int64Histogram(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description), metric.WithExplicitBucketBoundaries(i.Buckets...)); err != nil {
		otel.Handle(err)
	}
	t.duration = float64Histogram(meter, semconv.ClientOperationDuration())
	t.firstChunk = float64Histogram(meter, semconv.ClientTimeToFirstChunk())
	t.perChunk = float64Histogram(meter, semconv.ClientTimePerOutputChunk())
	i = semconv.ClientTokenCount()
	if t.tokenCount, err = meter.Int64Counter(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description)); err != nil {
		otel.Handle(err)
	}
	i = semconv.ClientCost()
	if t.cost, err = meter.Float64Counter(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description)); err != nil {
		otel.Handle(err)
	}
	i = semconv.ClientRequests()
	if t.requestCount, err = meter.Int64Counter(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description)); err != nil {
		otel.Handle(err)
	}
	return t
}

func float64Histogram(meter metric.Meter, i semconv.Instrument) metric.Float64Histogram {
	h, err := meter.Float64Histogram(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description), metric.WithExplicitBucketBoundaries(i.Buckets...))
	if err != nil {
		otel.Handle(err)
	}
	return h
}

// emit turns the record of one finished call into its span attributes and
// status, metrics, tracker counts and callbacks, and ends the span. It is
// the one place a call's telemetry is written.
func (t *telemetry) emit(c *callState, rec *record) {
	span := c.span
	if span.IsRecording() {
		span.SetAttributes(responseAttributes(rec)...)
		if rec.ErrorType != "" {
			span.SetAttributes(semconv.ErrorTypeKey.String(rec.ErrorType))
			span.SetStatus(codes.Error, errorDescription(rec))
			if rec.Err != nil {
				recordException(span, rec.Err)
			}
		}
	}
	t.recordMetrics(c, rec)
	if tr := trackerFrom(c.ctx); tr != nil {
		tr.add(&rec.CallRecord)
	}
	for _, fn := range t.cfg.callbacks {
		callback(fn, c.ctx, rec.CallRecord)
	}
	span.End(trace.WithTimestamp(rec.end))
}

// responseAttributes are the span attributes the end of a call gives.
func responseAttributes(rec *record) []attribute.KeyValue {
	resp := &rec.response
	attrs := make([]attribute.KeyValue, 0, 24)
	attrs = append(attrs, semconv.ResponseEndKey.String(string(rec.End)))
	if rec.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCodeKey.Int(rec.StatusCode))
	}
	if resp.ID != "" {
		attrs = append(attrs, semconv.GenAIResponseIDKey.String(resp.ID))
	}
	if resp.Model != "" {
		attrs = append(attrs, semconv.GenAIResponseModelKey.String(resp.Model))
	}
	if len(resp.FinishReasons) > 0 {
		attrs = append(attrs, semconv.GenAIResponseFinishReasonsKey.StringSlice(resp.FinishReasons))
	}
	if resp.ServiceTier != "" {
		attrs = append(attrs, semconv.OpenAIResponseServiceTierKey.String(resp.ServiceTier))
	}
	if resp.SystemFingerprint != "" {
		attrs = append(attrs, semconv.OpenAIResponseSystemFingerprintKey.String(resp.SystemFingerprint))
	}
	if rec.TimeToFirstChunk > 0 {
		attrs = append(attrs, semconv.GenAIResponseTimeToFirstChunkKey.Float64(rec.TimeToFirstChunk.Seconds()))
	}
	attrs = appendUsage(attrs, rec.Usage)
	if rec.hasUsage {
		attrs = append(attrs, semconv.UsageCompleteKey.Bool(resp.Complete))
		if rec.Priced {
			attrs = append(attrs,
				semconv.UsageCostKey.Float64(rec.CostUSD),
				semconv.PricingModelKey.String(rec.PriceKey),
				semconv.PricingSourceKey.String(rec.pricingSource),
				semconv.PricingVersionKey.String(rec.pricingVersion))
			if rec.PriceTier != "" {
				attrs = append(attrs, semconv.PricingServiceTierKey.String(rec.PriceTier))
			}
		} else {
			attrs = append(attrs, semconv.PricingUnpricedKey.Bool(true))
		}
	}
	if resp.ErrorType != "" {
		attrs = append(attrs, semconv.ProviderErrorTypeKey.String(resp.ErrorType))
	}
	if rec.observeError != "" {
		attrs = append(attrs, semconv.ObserveErrorKey.String(rec.observeError))
	}
	return attrs
}

// errorDescription is the span status description of a failed call: the
// application's error, with any URL and secret in it redacted, or the HTTP
// status and the provider's error type.
func errorDescription(rec *record) string {
	switch {
	case rec.Err != nil:
		return redactSecrets(rec.Err.Error())
	case rec.StatusCode >= 400:
		desc := fmt.Sprintf("HTTP %d %s", rec.StatusCode, http.StatusText(rec.StatusCode))
		if rec.response.ErrorType != "" {
			desc += ": " + rec.response.ErrorType
		}
		return desc
	}
	return rec.ErrorType
}

// recordException adds the exception event span.RecordError would, with
// the message redacted: error texts carry URLs, and URLs carry keys.
func recordException(span trace.Span, err error) {
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionTypeKey.String(errorTypeName(err)),
		semconv.ExceptionMessageKey.String(redactSecrets(err.Error())),
	))
}

// errorTypeName is the exception.type of err, as span.RecordError names it.
func errorTypeName(err error) string {
	t := reflect.TypeOf(err)
	if t.PkgPath() == "" && t.Name() == "" {
		return t.String() // a pointer or other unnamed type: *url.Error
	}
	return t.PkgPath() + "." + t.Name()
}

func appendUsage(attrs []attribute.KeyValue, u providers.Usage) []attribute.KeyValue {
	if u.Has(providers.InputTokens) {
		attrs = append(attrs, semconv.GenAIUsageInputTokensKey.Int64(u.InputTokens))
	}
	if u.Has(providers.OutputTokens) {
		attrs = append(attrs, semconv.GenAIUsageOutputTokensKey.Int64(u.OutputTokens))
	}
	if u.Has(providers.TotalTokens) {
		attrs = append(attrs, semconv.UsageTotalTokensKey.Int64(u.TotalTokens))
	}
	if u.Has(providers.CacheReadInputTokens) {
		attrs = append(attrs, semconv.GenAIUsageCacheReadInputTokensKey.Int64(u.CacheReadInputTokens))
	}
	if u.Has(providers.CacheCreationInputTokens) {
		attrs = append(attrs, semconv.GenAIUsageCacheCreationInputTokensKey.Int64(u.CacheCreationInputTokens))
	}
	if u.Has(providers.ReasoningTokens) {
		attrs = append(attrs, semconv.GenAIUsageReasoningOutputTokensKey.Int64(u.ReasoningTokens))
	}
	if u.Has(providers.CacheCreation1hInputTokens) {
		attrs = append(attrs, semconv.UsageCacheCreation1hInputTokensKey.Int64(u.CacheCreation1hInputTokens))
	}
	if u.Has(providers.WebSearchRequests) {
		attrs = append(attrs, semconv.UsageWebSearchRequestsKey.Int64(u.WebSearchRequests))
	}
	return append(attrs, semconv.UsageSourceKey.String(string(u.Source)))
}

// metricKey is what the metric attributes of a call depend on. Their
// values are few (the semantic conventions bound them), so the record
// options built from them are cached: a call records without building and
// sorting attribute sets.
type metricKey struct {
	operation, provider, requestModel, responseModel, errorType, server string
	port                                                                int
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
}

var tokenCountTypes = [5]string{semconv.TokenCountInput, semconv.TokenCountOutput, semconv.TokenCountCacheRead, semconv.TokenCountCacheCreation, semconv.TokenCountReasoning}

func (t *telemetry) metricOptions(k metricKey) *metricOptions {
	if cached, ok := t.metricOpts.Load(k); ok {
		return cached.(*metricOptions)
	}
	base := make([]attribute.KeyValue, 0, 8+len(t.cfg.metricAttrs))
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
	for i, tt := range [2]string{semconv.TokenTypeInput, semconv.TokenTypeOutput} {
		o.tokenUsage[i] = []metric.RecordOption{metric.WithAttributeSet(with(histogram, semconv.GenAITokenTypeKey.String(tt)))}
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
	})
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
}

// recordGaps records a long stream's buffered chunk gaps before it ends,
// with the attributes known so far. The caller holds c.mu.
func (t *telemetry) recordGaps(c *callState, g *chunkGaps, responseModel, errorType string) {
	o := t.metricOptions(metricKey{
		operation: c.request.Operation, provider: c.request.Provider,
		requestModel: c.request.Model, responseModel: responseModel,
		errorType: errorType, server: c.server, port: c.port,
	})
	for _, gap := range g.gaps[:g.n] {
		t.perChunk.Record(context.Background(), gap, o.histogram...)
	}
	g.n = 0
}

// recordGapsWith records the buffered chunk gaps of a call that ended, and
// lets the buffer go. They are recorded without the call's context: an
// exemplar per chunk would cost more than the chunk's observation, and
// the call's other histograms carry its exemplars.
func (t *telemetry) recordGapsWith(g *chunkGaps, o *metricOptions) {
	for _, gap := range g.gaps[:g.n] {
		t.perChunk.Record(context.Background(), gap, o.histogram...)
	}
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

// roundUSD rounds a cost to a picodollar, far below any billing precision,
// so that float products like 8.999999999999999e-06 read as 9e-06.
func roundUSD(v float64) float64 { return math.Round(v*1e12) / 1e12 }

func callback(fn func(context.Context, CallRecord), ctx context.Context, rec CallRecord) {
	defer func() {
		if r := recover(); r != nil {
			handle(fmt.Errorf("otelllm: callback panicked: %v", r))
		}
	}()
	fn(ctx, rec)
}

func handle(err error) { otel.Handle(err) }
