// Package exporters sets up the OpenTelemetry SDK (a TracerProvider, a
// MeterProvider and a LoggerProvider) from the standard OTEL_* environment, so
// that an application instrumented with otelllm can send its spans, metrics
// and log records somewhere with one call:
//
//	tel, shutdown, err := exporters.Setup(ctx)
//	if err != nil {
//		log.Fatal(err)
//	}
//	defer func() {
//		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
//		defer cancel()
//		if err := shutdown(ctx); err != nil {
//			log.Print(err)
//		}
//	}()
//
// Setup also installs the providers as the globals, which otelllm uses by
// default; a program that asks for [WithoutGlobals] passes them on itself:
//
//	client := otelllm.WrapClient(http.DefaultClient,
//		otelllm.WithTracerProvider(tel.TracerProvider),
//		otelllm.WithMeterProvider(tel.MeterProvider),
//	)
//
// The library itself never imports this package: users who already configure
// OpenTelemetry keep doing so, and pass their own providers to otelllm.
//
// # Choosing the exporters
//
// For each signal the exporter is, in order of precedence: the value given in
// code ([WithTracesExporter], [WithMetricsExporter], [WithLogsExporter]); the
// environment (OTEL_TRACES_EXPORTER, OTEL_METRICS_EXPORTER,
// OTEL_LOGS_EXPORTER); "otlp" when an OTLP endpoint is known ([WithEndpoint],
// OTEL_EXPORTER_OTLP_ENDPOINT or the per-signal
// OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_METRICS_ENDPOINT /
// OTEL_EXPORTER_OTLP_LOGS_ENDPOINT); and otherwise "console", so a program run
// with no configuration at all shows its telemetry on standard output instead
// of silently dropping it.
//
// Traces and logs accept "otlp", "console" and "none"; metrics accept those
// and "prometheus" (a pull endpoint served on OTEL_EXPORTER_PROMETHEUS_HOST
// and OTEL_EXPORTER_PROMETHEUS_PORT, default localhost:9464). The OTLP
// protocol is [WithProtocol], else
// OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_PROTOCOL, else
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
// # Logs
//
// The LoggerProvider is for events sent through the OpenTelemetry Logs API,
// such as the gen_ai.client.inference.operation.details event that carries
// message content when an application opts in to capturing it. It batches
// records to its exporter; with "none" it has no processor at all, so that a
// logger reports itself disabled and an emitter that asks first builds
// nothing:
//
//	logger := tel.LoggerProvider.Logger("checkout")
//	if logger.Enabled(ctx, otellog.EnabledParameters{EventName: "checkout.completed"}) {
//		var event otellog.Record
//		event.SetEventName("checkout.completed")
//		event.SetSeverity(otellog.SeverityInfo)
//		event.AddAttributes(attribute.String("order.id", "1234"))
//		logger.Emit(ctx, event)
//	}
//
// Here otellog is go.opentelemetry.io/otel/log. Unless [WithoutGlobals] is
// given, the provider is also the global one of
// go.opentelemetry.io/otel/log/global.
//
// # What else Setup configures
//
// The resource carries the service name ([WithServiceName], else
// OTEL_SERVICE_NAME, else service.name in OTEL_RESOURCE_ATTRIBUTES, else
// "otelllm-app"), the rest of OTEL_RESOURCE_ATTRIBUTES and the SDK's own
// telemetry.sdk.* attributes; all three signals share it. Unless
// OTEL_RESOURCE_ATTRIBUTES, [WithResource] or [WithAttributes] gives a
// non-empty service.instance.id, it carries a random UUID generated once per
// process, so that replicas of one service export distinct series and a
// backend can add them up instead of keeping whichever replica reported last.
// The MeterProvider has views that give the GenAI client histograms (see
// [github.com/otelllm/otelllm/semconv.Histograms] and, for the names
// OTEL_SEMCONV_STABILITY_OPT_IN=gen_ai_latest_experimental selects,
// [github.com/otelllm/otelllm/semconv.LatestHistograms]) their
// semantic-convention bucket boundaries whatever the instrumentation advised,
// because the SDK's
// default boundaries suit milliseconds, not tokens or seconds. Unless
// [WithoutGlobals] is given, the providers and a W3C trace context + baggage
// propagator become the globals. [WithSpanProcessor] and [WithMetricReader]
// add in-process consumers, such as a test's recorder or a program's own
// summary, beside the exporters.
//
// # Shutdown
//
// The function returned by [Setup] flushes and shuts down the three providers
// concurrently and returns when all are done or when its context ends,
// whichever comes first: an unreachable backend costs the caller the context's
// deadline, never a hang. Calling it more than once returns the first result.
package exporters
