package otelllm

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/semconv"
)

// telemetry holds a Transport's tracer and instruments, and turns the
// record of each call into its telemetry.
type telemetry struct {
	cfg       config
	stability semconv.Stability
	tracer    trace.Tracer
	// logger emits the details event; nil unless content goes in it.
	logger log.Logger

	// The v1.41.0 instruments are no-ops when only the latest names are
	// emitted.
	tokenUsage   metric.Int64Histogram
	duration     metric.Float64Histogram
	firstChunk   metric.Float64Histogram
	perChunk     metric.Float64Histogram
	tokenCount   metric.Int64Counter
	cost         metric.Float64Counter
	requestCount metric.Int64Counter
	rateLimits   rateLimitGauges
	// contextValues bounds the context attribute values on the metrics.
	contextValues contextValues

	// Record options are built once per attribute set, so that recording
	// a call builds and sorts no attribute set.
	metricOpts sync.Map // metricKey -> *metricOptions
	cached     atomic.Int64

	// latest holds the instruments of the latest conventions, nil unless
	// they are emitted.
	latest *latestInstruments
}

func newTelemetry(cfg config) *telemetry {
	t := &telemetry{cfg: cfg, stability: cfg.stability}
	tracer, meter := newTracerMeter(cfg)
	t.tracer = tracer
	if cfg.content.inEvent() {
		logOpts := []log.LoggerOption{log.WithInstrumentationVersion(Version())}
		if !cfg.stability.EmitsLatest() {
			logOpts = append(logOpts, log.WithSchemaURL(semconv.SchemaURL))
		}
		t.logger = cfg.loggerProvider.Logger(ScopeName, logOpts...)
	}

	var err error
	var i semconv.Instrument
	if t.stability.EmitsDefault() {
		i = semconv.ClientTokenUsage()
		if t.tokenUsage, err = meter.Int64Histogram(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description), metric.WithExplicitBucketBoundaries(i.Buckets...)); err != nil {
			otel.Handle(err)
		}
		t.duration = float64Histogram(meter, semconv.ClientOperationDuration())
		t.firstChunk = float64Histogram(meter, semconv.ClientTimeToFirstChunk())
		t.perChunk = float64Histogram(meter, semconv.ClientTimePerOutputChunk())
	} else {
		t.tokenUsage, t.duration, t.firstChunk, t.perChunk = noop.Int64Histogram{}, noop.Float64Histogram{}, noop.Float64Histogram{}, noop.Float64Histogram{}
	}
	if t.stability.EmitsLatest() {
		t.latest = newLatestInstruments(meter, t.stability)
	}
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
	t.rateLimits.init(meter)
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
		span.SetAttributes(responseAttributes(rec, t.stability)...)
		if rec.ErrorType != "" {
			span.SetAttributes(semconv.ErrorTypeKey.String(rec.ErrorType))
			span.SetStatus(codes.Error, errorDescription(rec))
			if rec.Err != nil {
				recordException(span, rec.Err)
			}
		}
	}
	if t.cfg.content != ContentNone {
		t.emitContent(c, rec)
	}
	t.recordMetrics(c, rec)
	t.recordRateLimits(c.ctx, rec)
	if tr := trackerFrom(c.ctx); tr != nil {
		tr.add(&rec.CallRecord, c.admitted)
	}
	for _, fn := range t.cfg.callbacks {
		callback(fn, c.ctx, rec.CallRecord)
	}
	span.End(trace.WithTimestamp(rec.end))
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
