package exporters

import (
	"time"

	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// DefaultServiceName is the service.name used when neither [WithServiceName],
// OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES names the service.
const DefaultServiceName = "otelllm-app"

// Exporter names accepted by [WithTracesExporter], [WithMetricsExporter] and
// [WithLogsExporter], the same values the OTEL_TRACES_EXPORTER,
// OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER environment variables take.
const (
	// ExporterOTLP sends telemetry over OTLP (see [WithProtocol]).
	ExporterOTLP = "otlp"
	// ExporterConsole writes telemetry to standard output as JSON.
	ExporterConsole = "console"
	// ExporterPrometheus serves metrics for Prometheus to scrape; metrics only.
	ExporterPrometheus = "prometheus"
	// ExporterNone exports nothing.
	ExporterNone = "none"
)

// OTLP protocols accepted by [WithProtocol], the same values
// OTEL_EXPORTER_OTLP_PROTOCOL takes.
const (
	// ProtocolGRPC is OTLP over gRPC, conventionally on port 4317.
	ProtocolGRPC = "grpc"
	// ProtocolHTTPProtobuf is OTLP over HTTP with protobuf bodies,
	// conventionally on port 4318. It is the default.
	ProtocolHTTPProtobuf = "http/protobuf"
)

// Option configures [Setup]. Options given in code take precedence over the
// environment.
type Option interface {
	apply(*config)
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// config holds what the options said; the empty value of each field means
// "not given in code", so that the environment and defaults decide.
type config struct {
	serviceName     string
	endpoint        string
	protocol        string
	tracesExporter  string
	metricsExporter string
	logsExporter    string
	resource        *resource.Resource
	attributes      []attribute.KeyValue
	metricInterval  time.Duration
	intervalSet     bool
	withoutGlobals  bool
	extraReaders    []sdkmetric.Reader
	extraProcessors []sdktrace.SpanProcessor
}

func newConfig(opts []Option) config {
	var c config
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&c)
		}
	}
	return c
}

// WithServiceName sets the service.name resource attribute, overriding
// OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES. The default is the
// environment's value, else [DefaultServiceName]. An empty name is ignored.
func WithServiceName(name string) Option {
	return optionFunc(func(c *config) { c.serviceName = name })
}

// WithEndpoint sets the OTLP base URL for all three signals, such as
// "http://localhost:4318" for http/protobuf or "http://localhost:4317" for
// gRPC, overriding OTEL_EXPORTER_OTLP_ENDPOINT and the per-signal endpoint
// variables. As with OTEL_EXPORTER_OTLP_ENDPOINT, the http/protobuf exporters
// append /v1/traces, /v1/metrics and /v1/logs to its path; "http" means plaintext and
// "https" TLS. Giving an endpoint makes "otlp" the default exporter. The
// default is the environment's endpoint, else the OTLP exporters' own default
// (localhost on the protocol's port). Setup fails if the URL is not absolute
// http:// or https://.
func WithEndpoint(url string) Option {
	return optionFunc(func(c *config) { c.endpoint = url })
}

// WithProtocol sets the OTLP protocol for all three signals, [ProtocolGRPC] or
// [ProtocolHTTPProtobuf], overriding OTEL_EXPORTER_OTLP_PROTOCOL and the
// per-signal protocol variables. The default is the environment's value, else
// http/protobuf. Setup fails on any other value.
func WithProtocol(protocol string) Option {
	return optionFunc(func(c *config) { c.protocol = protocol })
}

// WithTracesExporter chooses the span exporter: [ExporterOTLP],
// [ExporterConsole] or [ExporterNone], overriding OTEL_TRACES_EXPORTER. The
// default is described in the package documentation. Setup fails on any other
// value.
func WithTracesExporter(name string) Option {
	return optionFunc(func(c *config) { c.tracesExporter = name })
}

// WithMetricsExporter chooses the metric exporter: [ExporterOTLP],
// [ExporterConsole], [ExporterPrometheus] or [ExporterNone], overriding
// OTEL_METRICS_EXPORTER. The default is described in the package
// documentation. Setup fails on any other value.
//
// The Prometheus reader and its HTTP server come from autoexport, which
// builds them only when OTEL_METRICS_EXPORTER says "prometheus". So that this
// option can override a different value, Setup sets OTEL_METRICS_EXPORTER to
// "prometheus" for the duration of that one call and then restores it, under
// a lock shared by concurrent Setup calls. Code elsewhere in the process that
// reads that variable at that very moment would see the temporary value;
// Setup is meant to be called once at start-up, where that cannot matter.
func WithMetricsExporter(name string) Option {
	return optionFunc(func(c *config) { c.metricsExporter = name })
}

// WithLogsExporter chooses the log record exporter: [ExporterOTLP],
// [ExporterConsole] or [ExporterNone], overriding OTEL_LOGS_EXPORTER. The
// default is described in the package documentation. Setup fails on any other
// value.
func WithLogsExporter(name string) Option {
	return optionFunc(func(c *config) { c.logsExporter = name })
}

// WithResource merges res over the detected resource (service name,
// OTEL_RESOURCE_ATTRIBUTES, SDK attributes): its attributes win on conflict,
// and [WithAttributes] and [WithServiceName] win over it. A nil resource is
// ignored.
func WithResource(res *resource.Resource) Option {
	return optionFunc(func(c *config) {
		if res != nil {
			c.resource = res
		}
	})
}

// WithAttributes adds resource attributes, such as deployment.environment,
// that win over the environment's and over [WithResource]. Repeated calls
// accumulate.
func WithAttributes(attrs ...attribute.KeyValue) Option {
	return optionFunc(func(c *config) { c.attributes = append(c.attributes, attrs...) })
}

// WithMetricInterval sets how often the push exporters ("otlp", "console")
// collect and export metrics, overriding OTEL_METRIC_EXPORT_INTERVAL. The
// default is the environment's value, else the SDK's 60 seconds. It has no
// effect on "prometheus", which is pulled. Setup fails if d is not positive.
func WithMetricInterval(d time.Duration) Option {
	return optionFunc(func(c *config) {
		c.metricInterval = d
		c.intervalSet = true
	})
}

// WithoutGlobals stops Setup from installing its providers and the W3C
// propagator as globals (otel's tracer provider, meter provider and
// propagator, and the logger provider of go.opentelemetry.io/otel/log/global),
// for programs that pass the providers explicitly or run several setups side
// by side. By default Setup installs them.
func WithoutGlobals() Option {
	return optionFunc(func(c *config) { c.withoutGlobals = true })
}

// WithMetricReader registers an extra metric reader on the MeterProvider, in
// addition to the exporter's, such as an [sdkmetric.ManualReader] that a test
// collects from. The reader is shut down with the provider. Repeated calls
// accumulate; a nil reader is ignored.
func WithMetricReader(reader sdkmetric.Reader) Option {
	return optionFunc(func(c *config) {
		if reader != nil {
			c.extraReaders = append(c.extraReaders, reader)
		}
	})
}

// WithSpanProcessor registers an extra span processor on the TracerProvider,
// in addition to the batcher that feeds the exporter, such as a
// [go.opentelemetry.io/otel/sdk/trace/tracetest.SpanRecorder] that a test
// reads or a processor that prints a summary of each span. The processor is
// shut down with the provider. Repeated calls accumulate; a nil processor is
// ignored.
func WithSpanProcessor(processor sdktrace.SpanProcessor) Option {
	return optionFunc(func(c *config) {
		if processor != nil {
			c.extraProcessors = append(c.extraProcessors, processor)
		}
	})
}
