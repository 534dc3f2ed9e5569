package exporters

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	logglobal "go.opentelemetry.io/otel/log/global"
	"go.opentelemetry.io/otel/propagation"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelllm/otelllm/semconv"
)

// serviceNameKey is the resource attribute every backend groups by.
const serviceNameKey = attribute.Key("service.name")

// Telemetry holds the SDK providers Setup built, one per signal. Pass them to
// otelllm (or any instrumentation) explicitly when Setup was told
// [WithoutGlobals].
type Telemetry struct {
	// TracerProvider batches spans to the chosen span exporter, and hands
	// them to the processors of [WithSpanProcessor].
	TracerProvider *sdktrace.TracerProvider
	// MeterProvider sends metrics to the chosen reader, with the GenAI
	// histogram views from [Views].
	MeterProvider *sdkmetric.MeterProvider
	// LoggerProvider batches log records, such as the GenAI events of
	// content capture, to the chosen log record exporter. With "none" it
	// has no processor, so its loggers report themselves disabled.
	LoggerProvider *sdklog.LoggerProvider
}

// Setup builds a TracerProvider, MeterProvider and LoggerProvider from the
// OTEL_* environment and opts, as the package documentation describes,
// installs them as the globals unless [WithoutGlobals] is given, and returns
// them with a shutdown function that flushes all three, bounded by its
// context.
//
// Setup returns an error, having built nothing that needs shutting down, if
// an exporter name, OTLP protocol or endpoint is invalid (from opts or the
// environment) or an exporter cannot be created. The shutdown function it
// returns is never nil, so deferring it before checking the error is safe.
func Setup(ctx context.Context, opts ...Option) (*Telemetry, func(context.Context) error, error) {
	noop := func(context.Context) error { return nil }
	c := newConfig(opts)
	if err := c.validate(); err != nil {
		return nil, noop, err
	}
	res, err := newResource(ctx, &c)
	if err != nil {
		return nil, noop, err
	}
	// built collects the shutdowns of what exists so far, so that a later
	// failure does not leak an exporter's connections or a reader's server.
	var built []func(context.Context) error
	fail := func(err error) (*Telemetry, func(context.Context) error, error) {
		for _, shutdown := range built {
			err = errors.Join(err, shutdown(ctx))
		}
		return nil, noop, err
	}
	spanExporter, err := newSpanExporter(ctx, &c)
	if err != nil {
		return fail(err)
	}
	if spanExporter != nil {
		built = append(built, spanExporter.Shutdown)
	}
	reader, err := newMetricReader(ctx, &c)
	if err != nil {
		return fail(err)
	}
	if reader != nil {
		built = append(built, reader.Shutdown)
	}
	logExporter, err := newLogExporter(ctx, &c)
	if err != nil {
		return fail(err)
	}

	traceOpts := []sdktrace.TracerProviderOption{sdktrace.WithResource(res)}
	if spanExporter != nil {
		traceOpts = append(traceOpts, sdktrace.WithBatcher(spanExporter))
	}
	for _, processor := range c.extraProcessors {
		traceOpts = append(traceOpts, sdktrace.WithSpanProcessor(processor))
	}
	meterOpts := []sdkmetric.Option{sdkmetric.WithResource(res), sdkmetric.WithView(Views()...)}
	if reader != nil {
		meterOpts = append(meterOpts, sdkmetric.WithReader(reader))
	}
	for _, extra := range c.extraReaders {
		meterOpts = append(meterOpts, sdkmetric.WithReader(extra))
	}
	logOpts := []sdklog.LoggerProviderOption{sdklog.WithResource(res)}
	if logExporter != nil {
		logOpts = append(logOpts, sdklog.WithProcessor(sdklog.NewBatchProcessor(logExporter)))
	}
	tel := &Telemetry{
		TracerProvider: sdktrace.NewTracerProvider(traceOpts...),
		MeterProvider:  sdkmetric.NewMeterProvider(meterOpts...),
		LoggerProvider: sdklog.NewLoggerProvider(logOpts...),
	}
	if !c.withoutGlobals {
		otel.SetTracerProvider(tel.TracerProvider)
		otel.SetMeterProvider(tel.MeterProvider)
		logglobal.SetLoggerProvider(tel.LoggerProvider)
		otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}))
	}
	return tel, tel.shutdownOnce(), nil
}

// shutdownOnce shuts the three providers down concurrently, so that a backend
// that swallows the whole deadline for one signal does not starve the others,
// and remembers the result because the SDK reports a second shutdown as an
// error.
func (t *Telemetry) shutdownOnce() func(context.Context) error {
	signals := []struct {
		name     string
		shutdown func(context.Context) error
	}{
		{"traces", t.TracerProvider.Shutdown},
		{"metrics", t.MeterProvider.Shutdown},
		{"logs", t.LoggerProvider.Shutdown},
	}
	var (
		once sync.Once
		err  error
	)
	return func(ctx context.Context) error {
		once.Do(func() {
			errs := make([]error, len(signals))
			var wg sync.WaitGroup
			for i, s := range signals {
				wg.Go(func() {
					if serr := s.shutdown(ctx); serr != nil {
						errs[i] = fmt.Errorf("exporters: shutting down %s: %w", s.name, serr)
					}
				})
			}
			wg.Wait()
			err = errors.Join(errs...)
		})
		return err
	}
}

// Views gives the GenAI client histograms of [semconv.Histograms] and
// [semconv.LatestHistograms] their semantic-convention bucket boundaries,
// whichever names OTEL_SEMCONV_STABILITY_OPT_IN selects. Setup registers
// them; a program that builds its own MeterProvider can pass them to
// [sdkmetric.WithView] to get the same buckets.
func Views() []sdkmetric.View {
	histograms := append(semconv.Histograms(), semconv.LatestHistograms()...)
	views := make([]sdkmetric.View, 0, len(histograms))
	for _, h := range histograms {
		views = append(views, sdkmetric.NewView(
			sdkmetric.Instrument{Name: h.Name, Kind: sdkmetric.InstrumentKindHistogram},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: h.Buckets}},
		))
	}
	return views
}

// newResource layers, lowest precedence first: the default service name, the
// SDK's attributes, the environment, WithResource, WithAttributes and
// WithServiceName; then it adds the process's service.instance.id if none of
// them gave one.
func newResource(ctx context.Context, c *config) (*resource.Resource, error) {
	res, err := resource.New(ctx,
		resource.WithAttributes(serviceNameKey.String(DefaultServiceName)),
		resource.WithTelemetrySDK(),
		resource.WithFromEnv(),
	)
	if err != nil {
		// Only the environment detector can fail, on a malformed
		// OTEL_RESOURCE_ATTRIBUTES; saying so beats exporting half of it.
		return nil, fmt.Errorf("exporters: reading OTEL_RESOURCE_ATTRIBUTES / OTEL_SERVICE_NAME: %w", err)
	}
	var layers []*resource.Resource
	if c.resource != nil {
		layers = append(layers, c.resource)
	}
	if len(c.attributes) > 0 {
		layers = append(layers, resource.NewSchemaless(c.attributes...))
	}
	if c.serviceName != "" {
		layers = append(layers, resource.NewSchemaless(serviceNameKey.String(c.serviceName)))
	}
	for _, layer := range layers {
		merged, err := resource.Merge(res, layer)
		// Differing schema URLs still merge the attributes (the result has
		// no schema URL), and a user resource built against another semconv
		// version should not stop the program.
		if err != nil && !errors.Is(err, resource.ErrSchemaURLConflict) {
			return nil, fmt.Errorf("exporters: merging resources: %w", err)
		}
		res = merged
	}
	return withInstanceID(res), nil
}
