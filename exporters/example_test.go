package exporters_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"go.opentelemetry.io/otel/metric"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelllm/otelllm/exporters"
)

// A program sets up telemetry once at start-up and lets the standard OTEL_*
// variables choose where it goes: the console when nothing is set, OTLP when
// OTEL_EXPORTER_OTLP_ENDPOINT is. The shutdown flushes what is buffered, and
// gives up when its context ends if the backend is unreachable.
func ExampleSetup() {
	providers, shutdown, err := exporters.Setup(context.Background())
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

	// Hand the providers to otelllm (or rely on the otel globals Setup set).
	_ = providers
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
	providers, shutdown, err := exporters.Setup(context.Background(),
		exporters.WithServiceName("checkout"),
		exporters.WithTracesExporter(exporters.ExporterNone),
		exporters.WithMetricsExporter(exporters.ExporterNone),
		exporters.WithMetricReader(reader),
		exporters.WithoutGlobals(),
	)
	if err != nil {
		log.Fatal(err)
	}
	defer shutdown(context.Background()) //nolint:errcheck // an example

	duration, _ := providers.MeterProvider.Meter("example").
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
