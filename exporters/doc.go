// Package exporters sets up an OpenTelemetry TracerProvider and MeterProvider
// from the standard OTEL_* environment, so that an application instrumented
// with otelllm can send its spans and metrics somewhere with one call:
//
//	providers, shutdown, err := exporters.Setup(ctx)
//	if err != nil { ... }
//	defer shutdown(context.WithTimeout(...))
//
// The library itself never imports this package: users who already configure
// OpenTelemetry keep doing so, and pass their own providers to otelllm.
//
// # Choosing the exporters
//
// For each signal the exporter is, in order of precedence: the value given in
// code ([WithTracesExporter], [WithMetricsExporter]); the environment
// (OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER); "otlp" when an OTLP endpoint
// is known ([WithEndpoint], OTEL_EXPORTER_OTLP_ENDPOINT or the per-signal
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_METRICS_ENDPOINT);
// and otherwise "console", so a program run with no configuration at all
// shows its telemetry on standard output instead of silently dropping it.
//
// Traces accept "otlp", "console" and "none"; metrics accept those and
// "prometheus" (a pull endpoint served on OTEL_EXPORTER_PROMETHEUS_HOST and
// OTEL_EXPORTER_PROMETHEUS_PORT, default localhost:9464). The OTLP protocol is
// [WithProtocol], else OTEL_EXPORTER_OTLP_{TRACES,METRICS}_PROTOCOL, else
// OTEL_EXPORTER_OTLP_PROTOCOL, else "http/protobuf".
//
// When nothing is overridden in code, the exporters are built by
// go.opentelemetry.io/contrib/exporters/autoexport, which reads exactly the
// variables above (and exporter names registered with it). autoexport only
// reads the environment, so values given in code are applied without it: the
// OTLP exporters are built with their own in-code options (which take
// precedence over OTEL_EXPORTER_OTLP_* while the remaining variables, such as
// headers, timeouts and certificates, still apply). The one exception is
// WithMetricsExporter("prometheus"), described on that option.
//
// Unknown exporter names, unknown protocols and endpoints that are not
// absolute http:// or https:// URLs are reported as errors by [Setup] rather
// than left to fail quietly at the first export.
//
// # What else Setup configures
//
// The resource carries the service name ([WithServiceName], else
// OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES, else
// "otelllm-app"), the rest of OTEL_RESOURCE_ATTRIBUTES and the SDK's own
// telemetry.sdk.* attributes. Unless OTEL_RESOURCE_ATTRIBUTES, [WithResource]
// or [WithAttributes] gives a non-empty service.instance.id, it carries a
// random UUID generated once per process, so that replicas of one service
// export distinct series and a backend can add them up instead of keeping
// whichever replica reported last. The MeterProvider has views that give the four
// GenAI client histograms (see [github.com/otelllm/otelllm/semconv.Histograms])
// their semantic-convention bucket boundaries whatever the instrumentation
// advised, because the SDK's default boundaries suit milliseconds, not tokens
// or seconds. Unless [WithoutGlobals] is given, the providers and a W3C trace
// context + baggage propagator become the otel globals.
//
// # Shutdown
//
// The function returned by [Setup] flushes and shuts down both providers
// concurrently and returns when both are done or when its context ends,
// whichever comes first: an unreachable backend costs the caller the context's
// deadline, never a hang. Calling it more than once returns the first result.
package exporters
