package otelllm

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// telemetry holds a Transport's tracer and instruments.
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

	// Record options for the chunk-gap histogram are built once per
	// attribute set, so that timing a chunk does not allocate.
	chunkOpts  sync.Map // attribute.Distinct -> []metric.RecordOption
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
	i := semconv.ClientTokenUsage
	if t.tokenUsage, err = meter.Int64Histogram(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description), metric.WithExplicitBucketBoundaries(i.Buckets...)); err != nil {
		otel.Handle(err)
	}
	t.duration = float64Histogram(meter, semconv.ClientOperationDuration)
	t.firstChunk = float64Histogram(meter, semconv.ClientTimeToFirstChunk)
	t.perChunk = float64Histogram(meter, semconv.ClientTimePerOutputChunk)
	i = semconv.ClientTokenCount
	if t.tokenCount, err = meter.Int64Counter(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description)); err != nil {
		otel.Handle(err)
	}
	i = semconv.ClientCost
	if t.cost, err = meter.Float64Counter(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description)); err != nil {
		otel.Handle(err)
	}
	i = semconv.ClientRequests
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

// recordChunkGap records the time between two output chunks, with the
// response model once the stream has named it (most do in their first
// event); error.type cannot be known until the stream ends.
func (t *telemetry) recordChunkGap(st *callState, gap time.Duration) {
	if !t.perChunk.Enabled(st.ctx) {
		return
	}
	set := t.streamAttributeSet(st)
	opts, ok := t.chunkOpts.Load(set.Equivalent())
	if !ok {
		opts = []metric.RecordOption{metric.WithAttributeSet(set)}
		if t.cached.Load() < maxCachedAttributeSets {
			var loaded bool
			if opts, loaded = t.chunkOpts.LoadOrStore(set.Equivalent(), opts); !loaded {
				t.cached.Add(1)
			}
		}
	}
	t.perChunk.Record(st.ctx, gap.Seconds(), opts.([]metric.RecordOption)...)
}

// streamAttributeSet is the attribute set of a stream's chunk metrics,
// rebuilt only when the response model becomes known. The caller holds
// st.mu.
func (t *telemetry) streamAttributeSet(st *callState) attribute.Set {
	model := ""
	if mo, ok := st.observer.(providers.ModelObserver); ok {
		model = mo.Model()
	}
	if st.chunkSet.Len() > 0 && model == st.chunkModel {
		return st.chunkSet
	}
	attrs := []attribute.KeyValue{
		semconv.GenAIOperationNameKey.String(st.request.Operation),
		semconv.GenAIProviderNameKey.String(st.request.Provider),
		semconv.GenAIRequestModelKey.String(st.request.Model),
		semconv.ServerAddressKey.String(st.server),
		semconv.ServerPortKey.Int(st.port),
	}
	if model != "" {
		attrs = append(attrs, semconv.GenAIResponseModelKey.String(model))
	}
	attrs = append(attrs, t.cfg.metricAttrs...)
	st.chunkSet, st.chunkModel = attribute.NewSet(attrs...), model
	return st.chunkSet
}

// record turns the end of one call into its span attributes, metrics, cost,
// tracker counts and callbacks, and ends the span.
func (t *telemetry) record(st *callState, e endState, resp providers.Response, now time.Time) {
	span := st.span
	req := st.request
	u := resp.Usage
	if e.end == semconv.EndClosedEarly && resp.Complete {
		// The application closed the body after the response's final
		// event, as SDKs do after [DONE]: nothing was cut short.
		e.end = semconv.EndClosed
	}
	rec := CallRecord{
		Provider:      req.Provider,
		Operation:     req.Operation,
		RequestModel:  req.Model,
		ResponseModel: resp.Model,
		ResponseID:    resp.ID,
		FinishReasons: resp.FinishReasons,
		Streamed:      resp.Streamed,
		Usage:         u,
		Duration:      now.Sub(st.start),
		End:           e.end,
		StatusCode:    st.status,
		Err:           e.err,
	}
	if !st.firstChunk.IsZero() {
		rec.TimeToFirstChunk = st.firstChunk.Sub(st.start)
	}

	// error.type: the call's own failure first, then the provider's error
	// (in an error body or inside a 200 stream), then the HTTP status.
	switch {
	case e.errType != "":
		rec.ErrorType = e.errType
	case resp.ErrorType != "":
		rec.ErrorType = resp.ErrorType
	case st.status >= 400:
		rec.ErrorType = strconv.Itoa(st.status)
	}

	observeError := resp.ObserveError
	if st.observeError != "" {
		observeError = st.observeError
	}

	hasUsage := u.Has(providers.InputTokens) || u.Has(providers.OutputTokens)
	if hasUsage {
		if m, ok := t.cfg.prices.Lookup(req.Provider, resp.Model, req.Model); ok {
			// The tier the response says served the call, else the one
			// the request asked for: flex is half price, priority more.
			tier := resp.ServiceTier
			if tier == "" {
				tier = req.ServiceTier
			}
			price, tiered := m.Price.ForServiceTier(tier)
			if tiered {
				rec.PriceTier = tier
			}
			rec.CostUSD = roundUSD(price.Cost(pricing.Tokens{
				Input:         u.InputTokens,
				CacheRead:     u.CacheReadInputTokens,
				CacheCreation: u.CacheCreationInputTokens,

				CacheCreation1h: u.CacheCreation1hInputTokens,

				WebSearches:       u.WebSearchRequests,
				SearchContextSize: req.SearchContextSize,
				Output:            u.OutputTokens,
				Reasoning:         u.ReasoningTokens,
			}))
			rec.Priced = true
			rec.PriceKey = m.Key
		}
	}

	// The span.
	attrs := make([]attribute.KeyValue, 0, 24)
	attrs = append(attrs, semconv.ResponseEndKey.String(e.end))
	if st.status != 0 {
		attrs = append(attrs, attribute.Int("http.response.status_code", st.status))
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
	attrs = appendUsage(attrs, u)
	if hasUsage {
		attrs = append(attrs, semconv.UsageCompleteKey.Bool(resp.Complete))
		if rec.Priced {
			attrs = append(attrs,
				semconv.UsageCostKey.Float64(rec.CostUSD),
				semconv.PricingModelKey.String(rec.PriceKey),
				semconv.PricingSourceKey.String(t.cfg.prices.Source()),
				semconv.PricingVersionKey.String(t.cfg.prices.Version()))
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
	if observeError != "" {
		attrs = append(attrs, semconv.ObserveErrorKey.String(observeError))
	}
	span.SetAttributes(attrs...)
	if rec.ErrorType != "" {
		span.SetAttributes(semconv.ErrorTypeKey.String(rec.ErrorType))
		desc := rec.ErrorType
		if e.err != nil {
			desc = e.err.Error()
			span.RecordError(e.err)
		} else if st.status >= 400 {
			desc = fmt.Sprintf("HTTP %d %s", st.status, http.StatusText(st.status))
			if resp.ErrorType != "" {
				desc += ": " + resp.ErrorType
			}
		}
		span.SetStatus(codes.Error, desc)
	}

	// Metrics.
	t.recordMetrics(st, rec)

	// Trackers and callbacks.
	if tr := trackerFrom(st.ctx); tr != nil {
		tr.add(&rec)
	}
	for _, fn := range t.cfg.callbacks {
		callback(fn, st.ctx, rec)
	}
	span.End(trace.WithTimestamp(now))
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
	source := string(u.Source)
	if u.Reported == 0 {
		source = semconv.UsageSourceAbsent
	}
	return append(attrs, semconv.UsageSourceKey.String(source))
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
	histogram []metric.RecordOption // duration, time to first chunk
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

func (t *telemetry) recordMetrics(st *callState, rec CallRecord) {
	ctx := st.ctx
	o := t.metricOptions(metricKey{
		operation: rec.Operation, provider: rec.Provider,
		requestModel: rec.RequestModel, responseModel: rec.ResponseModel,
		errorType: rec.ErrorType, server: st.server, port: st.port,
	})
	t.duration.Record(ctx, rec.Duration.Seconds(), o.histogram...)
	if rec.TimeToFirstChunk > 0 {
		t.firstChunk.Record(ctx, rec.TimeToFirstChunk.Seconds(), o.histogram...)
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
