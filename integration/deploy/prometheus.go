package deploy

import (
	"fmt"

	"github.com/prometheus/otlptranslator"
	"go.opentelemetry.io/otel/attribute"

	"github.com/otelllm/otelllm/semconv"
)

// Translation returns the prometheus exporter's translation strategy in
// deploy/otel-collector.yaml and deploy/jaeger-ci.yaml (also its default):
// dots become underscores, and the unit and, for counters, _total are
// appended.
func Translation() otlptranslator.TranslationStrategyOption {
	return otlptranslator.UnderscoreEscapingWithSuffixes
}

// Metric is one instrument otelllm records, with what decides its names in
// Prometheus.
type Metric struct {
	// Instrument is the name, unit and description from semconv.
	Instrument semconv.Instrument
	// Type is the instrument's OTLP data type: a histogram or a monotonic
	// (cumulative) sum.
	Type otlptranslator.MetricType
	// Attributes are the attribute keys its data points may carry.
	Attributes []attribute.Key
}

// Metrics lists every instrument otelllm records, with the attributes the
// semconv package documents for each.
func Metrics() []Metric {
	common := []attribute.Key{
		semconv.GenAIOperationNameKey, semconv.GenAIProviderNameKey,
		semconv.GenAIRequestModelKey, semconv.GenAIResponseModelKey, semconv.ErrorTypeKey,
	}
	histogram := append(append([]attribute.Key{}, common...), semconv.ServerAddressKey, semconv.ServerPortKey)
	var metrics []Metric
	for _, h := range semconv.Histograms() {
		attrs := histogram
		if h.Name == semconv.ClientTokenUsage().Name {
			attrs = append(append([]attribute.Key{}, histogram...), semconv.GenAITokenTypeKey)
		}
		metrics = append(metrics, Metric{Instrument: h, Type: otlptranslator.MetricTypeHistogram, Attributes: attrs})
	}
	return append(metrics,
		Metric{
			Instrument: semconv.ClientTokenCount(), Type: otlptranslator.MetricTypeMonotonicCounter,
			Attributes: append(append([]attribute.Key{}, common...), semconv.TokenTypeKey),
		},
		Metric{Instrument: semconv.ClientCost(), Type: otlptranslator.MetricTypeMonotonicCounter, Attributes: common},
		Metric{Instrument: semconv.ClientRequests(), Type: otlptranslator.MetricTypeMonotonicCounter, Attributes: common},
	)
}

// PrometheusName returns the name of m's metric family as the collector's
// prometheus exporter writes it, such as otelllm_client_cost_USD_total for
// otelllm.client.cost in USD.
func PrometheusName(m Metric) (string, error) {
	namer := otlptranslator.NewMetricNamer("", Translation())
	name, err := namer.Build(otlptranslator.Metric{Name: m.Instrument.Name, Unit: m.Instrument.Unit, Type: m.Type})
	if err != nil {
		return "", fmt.Errorf("deploy: translating %s: %w", m.Instrument.Name, err)
	}
	return name, nil
}

// SeriesNames returns the metric names a PromQL selector can use for m: the
// family name for a counter, and its _bucket, _sum and _count series for a
// histogram.
func SeriesNames(m Metric) ([]string, error) {
	name, err := PrometheusName(m)
	if err != nil {
		return nil, err
	}
	if m.Type == otlptranslator.MetricTypeHistogram {
		return []string{name + "_bucket", name + "_sum", name + "_count"}, nil
	}
	return []string{name}, nil
}

// LabelNames returns the label names m's series can carry: its attributes,
// translated; job and instance, which the exporter derives from the
// service.name and service.instance.id resource attributes; the
// instrumentation scope labels it adds; and le on a histogram's buckets.
func LabelNames(m Metric) ([]string, error) {
	namer := otlptranslator.LabelNamer{UTF8Allowed: !Translation().ShouldEscape()}
	labels := []string{"job", "instance", "otel_scope_name", "otel_scope_version", "otel_scope_schema_url"}
	for _, key := range m.Attributes {
		label, err := namer.Build(string(key))
		if err != nil {
			return nil, fmt.Errorf("deploy: translating attribute %s of %s: %w", key, m.Instrument.Name, err)
		}
		labels = append(labels, label)
	}
	if m.Type == otlptranslator.MetricTypeHistogram {
		labels = append(labels, "le")
	}
	return labels, nil
}
