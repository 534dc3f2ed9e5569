package exporters

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"

	"go.opentelemetry.io/contrib/exporters/autoexport"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploggrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlplog/otlploghttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetricgrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlpmetric/otlpmetrichttp"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutlog"
	"go.opentelemetry.io/otel/exporters/stdout/stdoutmetric"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// The variables shared by all signals.
const (
	envEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT"
	envProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL"
)

// signal names, for one signal, the variables and option that configure it,
// so that selection and its error messages are written once for all three.
type signal struct {
	exporterVar    string
	exporterOption string
	endpointVar    string
	protocolVar    string
	urlPath        string
	known          []string
	// given is the exporter named in code, "" if none.
	given func(*config) string
}

var (
	tracesSignal = signal{
		exporterVar:    "OTEL_TRACES_EXPORTER",
		exporterOption: "WithTracesExporter",
		endpointVar:    "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
		protocolVar:    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
		urlPath:        "v1/traces",
		known:          []string{ExporterOTLP, ExporterConsole, ExporterNone},
		given:          func(c *config) string { return c.tracesExporter },
	}
	metricsSignal = signal{
		exporterVar:    "OTEL_METRICS_EXPORTER",
		exporterOption: "WithMetricsExporter",
		endpointVar:    "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
		protocolVar:    "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL",
		urlPath:        "v1/metrics",
		known:          []string{ExporterOTLP, ExporterConsole, ExporterPrometheus, ExporterNone},
		given:          func(c *config) string { return c.metricsExporter },
	}
	logsSignal = signal{
		exporterVar:    "OTEL_LOGS_EXPORTER",
		exporterOption: "WithLogsExporter",
		endpointVar:    "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT",
		protocolVar:    "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL",
		urlPath:        "v1/logs",
		known:          []string{ExporterOTLP, ExporterConsole, ExporterNone},
		given:          func(c *config) string { return c.logsExporter },
	}
)

// choice is an exporter name and where it came from, so that an error about
// it can point at the option or variable the user has to change.
type choice struct {
	name   string
	source string
}

func (ch choice) errorf(format string, args ...any) error {
	return fmt.Errorf("exporters: %s %q: %s", ch.source, ch.name, fmt.Sprintf(format, args...))
}

// validate rejects bad values given in code before anything is built, so
// that a typo fails Setup instead of the first export minutes later.
func (c *config) validate() error {
	for _, s := range []signal{tracesSignal, metricsSignal, logsSignal} {
		if name := s.given(c); name != "" && !slices.Contains(s.known, name) {
			return choice{name, s.exporterOption}.errorf("unknown exporter; want one of %s", strings.Join(s.known, ", "))
		}
	}
	if c.protocol != "" {
		if err := checkProtocol("WithProtocol", c.protocol); err != nil {
			return err
		}
	}
	if c.endpoint != "" {
		if err := checkEndpoint("WithEndpoint", c.endpoint); err != nil {
			return err
		}
	}
	if c.intervalSet && c.metricInterval <= 0 {
		return fmt.Errorf("exporters: WithMetricInterval(%v): the interval must be positive", c.metricInterval)
	}
	return nil
}

// exporterChoice applies the precedence in the package documentation.
func (c *config) exporterChoice(s signal) choice {
	if option := s.given(c); option != "" {
		return choice{option, s.exporterOption}
	}
	if v := os.Getenv(s.exporterVar); v != "" {
		return choice{v, s.exporterVar}
	}
	// An endpoint is a statement of intent to send OTLP somewhere; without
	// one, the console shows the telemetry rather than an OTLP exporter
	// retrying against a localhost collector that is usually not there.
	if c.endpoint != "" || os.Getenv(envEndpoint) != "" || os.Getenv(s.endpointVar) != "" {
		return choice{ExporterOTLP, "default"}
	}
	return choice{ExporterConsole, "default"}
}

// overridden reports whether code overrides anything autoexport would read
// from the environment for s, in which case Setup builds the exporter itself.
// Setup also builds "console" itself however it was chosen, because
// autoexport's console exporters write to os.Stdout as it was when they were
// initialised, and a program that redirects it before Setup should be obeyed.
func (c *config) overridden(s signal) bool {
	if c.endpoint != "" || c.protocol != "" || s.given(c) != "" {
		return true
	}
	return s.exporterVar == metricsSignal.exporterVar && c.intervalSet
}

// otlpProtocol returns the OTLP protocol for s, checking values that came
// from the environment as strictly as those given in code.
func (c *config) otlpProtocol(s signal) (string, error) {
	if c.protocol != "" {
		return c.protocol, nil
	}
	for _, name := range []string{s.protocolVar, envProtocol} {
		if v := os.Getenv(name); v != "" {
			return v, checkProtocol(name, v)
		}
	}
	return ProtocolHTTPProtobuf, nil
}

// checkOTLPEndpoints checks the endpoint variables the OTLP exporters would
// read, because those exporters only log a malformed one and then send to
// their default address, which looks like a backend that receives nothing.
func (c *config) checkOTLPEndpoints(s signal) error {
	if c.endpoint != "" {
		return nil // checked by validate, and it overrides the variables
	}
	for _, name := range []string{s.endpointVar, envEndpoint} {
		if v := os.Getenv(name); v != "" {
			if err := checkEndpoint(name, v); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkProtocol(source, protocol string) error {
	if protocol == ProtocolGRPC || protocol == ProtocolHTTPProtobuf {
		return nil
	}
	return fmt.Errorf("exporters: %s %q: unknown OTLP protocol; want %q or %q", source, protocol, ProtocolGRPC, ProtocolHTTPProtobuf)
}

func checkEndpoint(source, endpoint string) error {
	u, err := url.Parse(endpoint)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		return nil
	}
	return fmt.Errorf("exporters: %s %q: not an OTLP endpoint; want an absolute http:// or https:// URL such as http://localhost:4318", source, endpoint)
}

// signalURL turns a base endpoint into the URL of one signal, the way the
// OTLP exporters treat OTEL_EXPORTER_OTLP_ENDPOINT: base path + /v1/<signal>.
func signalURL(base, signalPath string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base // unreachable: validate has parsed it
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + "/" + signalPath
	return u.String()
}

// newSpanExporter returns the span exporter Setup registers, or nil for
// "none".
func newSpanExporter(ctx context.Context, c *config) (sdktrace.SpanExporter, error) {
	ch := c.exporterChoice(tracesSignal)
	if ch.name == ExporterOTLP {
		if _, err := c.otlpProtocol(tracesSignal); err != nil {
			return nil, err
		}
		if err := c.checkOTLPEndpoints(tracesSignal); err != nil {
			return nil, err
		}
	}
	if c.overridden(tracesSignal) || ch.name == ExporterConsole {
		return buildSpanExporter(ctx, c, ch)
	}
	// Only the environment speaks: autoexport reads it, and calls our
	// fallback only when OTEL_TRACES_EXPORTER is unset, which is when ch is
	// one of our defaults.
	exp, err := autoexport.NewSpanExporter(ctx, autoexport.WithFallbackSpanExporter(
		func(ctx context.Context) (sdktrace.SpanExporter, error) { return buildSpanExporter(ctx, c, ch) },
	))
	if err != nil {
		return nil, ch.errorf("%v", err)
	}
	if autoexport.IsNoneSpanExporter(exp) {
		return nil, nil
	}
	return exp, nil
}

func buildSpanExporter(ctx context.Context, c *config, ch choice) (sdktrace.SpanExporter, error) {
	switch ch.name {
	case ExporterNone:
		return nil, nil
	case ExporterConsole:
		// os.Stdout as it is now, not as it was at initialisation (see
		// overridden).
		return stdouttrace.New(stdouttrace.WithWriter(os.Stdout))
	case ExporterOTLP:
		protocol, err := c.otlpProtocol(tracesSignal)
		if err != nil {
			return nil, err
		}
		if protocol == ProtocolGRPC {
			var opts []otlptracegrpc.Option
			if c.endpoint != "" {
				opts = append(opts, otlptracegrpc.WithEndpointURL(c.endpoint))
			}
			return otlptracegrpc.New(ctx, opts...)
		}
		var opts []otlptracehttp.Option
		if c.endpoint != "" {
			opts = append(opts, otlptracehttp.WithEndpointURL(signalURL(c.endpoint, tracesSignal.urlPath)))
		}
		return otlptracehttp.New(ctx, opts...)
	default:
		return nil, ch.errorf("unknown exporter; want one of %s", strings.Join(tracesSignal.known, ", "))
	}
}

// newMetricReader returns the metric reader Setup registers, or nil for
// "none".
func newMetricReader(ctx context.Context, c *config) (sdkmetric.Reader, error) {
	ch := c.exporterChoice(metricsSignal)
	if ch.name == ExporterOTLP {
		if _, err := c.otlpProtocol(metricsSignal); err != nil {
			return nil, err
		}
		if err := c.checkOTLPEndpoints(metricsSignal); err != nil {
			return nil, err
		}
	}
	if c.overridden(metricsSignal) || ch.name == ExporterConsole {
		return buildMetricReader(ctx, c, ch)
	}
	reader, err := autoexport.NewMetricReader(ctx, autoexport.WithFallbackMetricReader(
		func(ctx context.Context) (sdkmetric.Reader, error) { return buildMetricReader(ctx, c, ch) },
	))
	if err != nil {
		return nil, ch.errorf("%v", err)
	}
	if autoexport.IsNoneMetricReader(reader) {
		return nil, nil
	}
	return reader, nil
}

func buildMetricReader(ctx context.Context, c *config, ch choice) (sdkmetric.Reader, error) {
	var readerOpts []sdkmetric.PeriodicReaderOption
	if c.intervalSet {
		readerOpts = append(readerOpts, sdkmetric.WithInterval(c.metricInterval))
	}
	switch ch.name {
	case ExporterNone:
		return nil, nil
	case ExporterConsole:
		exp, err := stdoutmetric.New(stdoutmetric.WithWriter(os.Stdout))
		if err != nil {
			return nil, err
		}
		return sdkmetric.NewPeriodicReader(exp, readerOpts...), nil
	case ExporterPrometheus:
		return prometheusReader(ctx)
	case ExporterOTLP:
		protocol, err := c.otlpProtocol(metricsSignal)
		if err != nil {
			return nil, err
		}
		var exp sdkmetric.Exporter
		if protocol == ProtocolGRPC {
			var opts []otlpmetricgrpc.Option
			if c.endpoint != "" {
				opts = append(opts, otlpmetricgrpc.WithEndpointURL(c.endpoint))
			}
			exp, err = otlpmetricgrpc.New(ctx, opts...)
		} else {
			var opts []otlpmetrichttp.Option
			if c.endpoint != "" {
				opts = append(opts, otlpmetrichttp.WithEndpointURL(signalURL(c.endpoint, metricsSignal.urlPath)))
			}
			exp, err = otlpmetrichttp.New(ctx, opts...)
		}
		if err != nil {
			return nil, err
		}
		return sdkmetric.NewPeriodicReader(exp, readerOpts...), nil
	default:
		return nil, ch.errorf("unknown exporter; want one of %s", strings.Join(metricsSignal.known, ", "))
	}
}

// newLogExporter returns the log record exporter Setup registers, or nil for
// "none".
func newLogExporter(ctx context.Context, c *config) (sdklog.Exporter, error) {
	ch := c.exporterChoice(logsSignal)
	if ch.name == ExporterOTLP {
		if _, err := c.otlpProtocol(logsSignal); err != nil {
			return nil, err
		}
		if err := c.checkOTLPEndpoints(logsSignal); err != nil {
			return nil, err
		}
	}
	if c.overridden(logsSignal) || ch.name == ExporterConsole {
		return buildLogExporter(ctx, c, ch)
	}
	exp, err := autoexport.NewLogExporter(ctx, autoexport.WithFallbackLogExporter(
		func(ctx context.Context) (sdklog.Exporter, error) { return buildLogExporter(ctx, c, ch) },
	))
	if err != nil {
		return nil, ch.errorf("%v", err)
	}
	if autoexport.IsNoneLogExporter(exp) {
		return nil, nil
	}
	return exp, nil
}

func buildLogExporter(ctx context.Context, c *config, ch choice) (sdklog.Exporter, error) {
	switch ch.name {
	case ExporterNone:
		return nil, nil
	case ExporterConsole:
		return stdoutlog.New(stdoutlog.WithWriter(os.Stdout))
	case ExporterOTLP:
		protocol, err := c.otlpProtocol(logsSignal)
		if err != nil {
			return nil, err
		}
		if protocol == ProtocolGRPC {
			var opts []otlploggrpc.Option
			if c.endpoint != "" {
				opts = append(opts, otlploggrpc.WithEndpointURL(c.endpoint))
			}
			return otlploggrpc.New(ctx, opts...)
		}
		var opts []otlploghttp.Option
		if c.endpoint != "" {
			opts = append(opts, otlploghttp.WithEndpointURL(signalURL(c.endpoint, logsSignal.urlPath)))
		}
		return otlploghttp.New(ctx, opts...)
	default:
		return nil, ch.errorf("unknown exporter; want one of %s", strings.Join(logsSignal.known, ", "))
	}
}

// envMu serialises the scoped change of OTEL_METRICS_EXPORTER below between
// concurrent Setup calls.
var envMu sync.Mutex

// prometheusReader has autoexport build its Prometheus reader and HTTP
// server, which it does only when OTEL_METRICS_EXPORTER says "prometheus"; the
// variable is set for this one call and restored, as WithMetricsExporter
// documents, rather than copying autoexport's server code here.
func prometheusReader(ctx context.Context) (sdkmetric.Reader, error) {
	envMu.Lock()
	defer envMu.Unlock()
	previous, wasSet := os.LookupEnv(metricsSignal.exporterVar)
	if err := os.Setenv(metricsSignal.exporterVar, ExporterPrometheus); err != nil {
		return nil, fmt.Errorf("exporters: selecting the prometheus exporter: %w", err)
	}
	reader, err := autoexport.NewMetricReader(ctx)
	var restoreErr error
	if wasSet {
		restoreErr = os.Setenv(metricsSignal.exporterVar, previous)
	} else {
		restoreErr = os.Unsetenv(metricsSignal.exporterVar)
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("exporters: prometheus: %w", err), restoreErr)
	}
	if restoreErr != nil {
		return nil, errors.Join(restoreErr, reader.Shutdown(ctx))
	}
	return reader, nil
}
