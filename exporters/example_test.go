package exporters_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"time"

	"go.opentelemetry.io/otel/attribute"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/otelllm"
)

// A program sets up telemetry once at start-up and lets the standard OTEL_*
// variables choose where it goes: the console when nothing is set, OTLP when
// OTEL_EXPORTER_OTLP_ENDPOINT is. The shutdown flushes what is buffered, and
// gives up when its context ends if the backend is unreachable.
//
// The package documentation quotes this example; TestDocSnippetsAreExamples
// keeps the two identical.
func ExampleSetup() {
	ctx := context.Background()
	tel, shutdown, err := exporters.Setup(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := shutdown(ctx); err != nil {
			log.Print(err)
		}
	}()

	client := otelllm.WrapClient(http.DefaultClient,
		otelllm.WithTracerProvider(tel.TracerProvider),
		otelllm.WithMeterProvider(tel.MeterProvider),
	)
	_ = client // the application's calls go through client
}

// Options given in code win over the environment: here, OTLP over gRPC to a
// collector, whatever OTEL_EXPORTER_OTLP_* say.
func ExampleWithEndpoint() {
	_, shutdown, err := exporters.Setup(context.Background(),
		exporters.WithServiceName("checkout"),
		exporters.WithEndpoint("http://otel-collector:4317"),
		exporters.WithProtocol(exporters.ProtocolGRPC),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer shutdown(context.Background()) //nolint:errcheck // an example
}

// The MeterProvider gives the GenAI histograms their semantic-convention
// buckets, whatever the instrumentation advised. A test can read what was
// recorded through a ManualReader.
func ExampleWithMetricReader() {
	reader := sdkmetric.NewManualReader()
	tel, shutdown, err := exporters.Setup(context.Background(),
		exporters.WithServiceName("checkout"),
		exporters.WithTracesExporter(exporters.ExporterNone),
		exporters.WithMetricsExporter(exporters.ExporterNone),
		exporters.WithLogsExporter(exporters.ExporterNone),
		exporters.WithMetricReader(reader),
		exporters.WithoutGlobals(),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer shutdown(context.Background()) //nolint:errcheck // an example

	duration, _ := tel.MeterProvider.Meter("example").
		Float64Histogram("gen_ai.client.operation.duration", metric.WithUnit("s"))
	duration.Record(context.Background(), 1.5)

	var rm metricdata.ResourceMetrics
	if err := reader.Collect(context.Background(), &rm); err != nil {
		log.Fatal(err)
	}
	service, _ := rm.Resource.Set().Value("service.name")
	point := rm.ScopeMetrics[0].Metrics[0].Data.(metricdata.Histogram[float64]).DataPoints[0]
	fmt.Println("service.name:", service.AsString())
	fmt.Println("buckets:", point.Bounds)
	// Output:
	// service.name: checkout
	// buckets: [0.01 0.02 0.04 0.08 0.16 0.32 0.64 1.28 2.56 5.12 10.24 20.48 40.96 81.92]
}

// An extra span processor sees every span beside the exporter: here a
// recorder that a test reads, with the exporter turned off.
func ExampleWithSpanProcessor() {
	recorder := tracetest.NewSpanRecorder()
	tel, shutdown, err := exporters.Setup(context.Background(),
		exporters.WithServiceName("checkout"),
		exporters.WithTracesExporter(exporters.ExporterNone),
		exporters.WithMetricsExporter(exporters.ExporterNone),
		exporters.WithLogsExporter(exporters.ExporterNone),
		exporters.WithSpanProcessor(recorder),
		exporters.WithoutGlobals(),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer shutdown(context.Background()) //nolint:errcheck // an example

	_, span := tel.TracerProvider.Tracer("example").Start(context.Background(), "chat gpt-4o-mini")
	span.End()

	for _, s := range recorder.Ended() {
		service, _ := s.Resource().Set().Value("service.name")
		fmt.Printf("%s (service.name %s)\n", s.Name(), service.AsString())
	}
	// Output:
	// chat gpt-4o-mini (service.name checkout)
}

// Events go through the OpenTelemetry Logs API to the LoggerProvider, and on
// to the exporter OTEL_LOGS_EXPORTER chooses. Asking Enabled first lets the
// emitter skip building an event nobody exports.
//
// The package documentation quotes this example; TestDocSnippetsAreExamples
// keeps the two identical.
func Example_logs() {
	ctx := context.Background()
	tel, shutdown, err := exporters.Setup(ctx, exporters.WithServiceName("checkout"))
	if err != nil {
		log.Fatal(err)
	}
	defer shutdown(context.Background()) //nolint:errcheck // an example

	logger := tel.LoggerProvider.Logger("checkout")
	if logger.Enabled(ctx, otellog.EnabledParameters{EventName: "checkout.completed"}) {
		var event otellog.Record
		event.SetEventName("checkout.completed")
		event.SetSeverity(otellog.SeverityInfo)
		event.AddAttributes(attribute.String("order.id", "1234"))
		logger.Emit(ctx, event)
	}
}

// With the "none" logs exporter the LoggerProvider has no processor, so its
// loggers report themselves disabled and an emitter that asks builds nothing.
func ExampleWithLogsExporter() {
	ctx := context.Background()
	for _, name := range []string{exporters.ExporterConsole, exporters.ExporterNone} {
		tel, shutdown, err := exporters.Setup(ctx,
			exporters.WithTracesExporter(exporters.ExporterNone),
			exporters.WithMetricsExporter(exporters.ExporterNone),
			exporters.WithLogsExporter(name),
			exporters.WithoutGlobals(),
		)
		if err != nil {
			log.Fatal(err)
		}
		logger := tel.LoggerProvider.Logger("checkout")
		enabled := logger.Enabled(ctx, otellog.EnabledParameters{EventName: "checkout.completed"})
		fmt.Printf("%s: enabled %v\n", name, enabled)
		if err := shutdown(ctx); err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// console: enabled true
	// none: enabled false
}
