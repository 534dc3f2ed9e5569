package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/semconv"
)

// consoleByDefault reports whether the exporters would send a signal to the
// console only because nothing in the environment chose otherwise: no
// exporter named (exporterVar) and no OTLP endpoint, general or for the
// signal (endpointVar). That is when the quickstart summarises the signal
// instead; a user who names the console, or any other exporter, gets it.
func consoleByDefault(exporterVar, endpointVar string) bool {
	return os.Getenv(exporterVar) == "" && os.Getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == "" && os.Getenv(endpointVar) == ""
}

// summary collects, in process, the spans and metrics the console exporters
// would have printed as JSON, and prints them one line each.
type summary struct {
	spans   *spanCollector          // nil when traces go to their exporter
	metrics *sdkmetric.ManualReader // nil when metrics go to their exporter
}

// newSummary decides, per signal, whether to summarise it, and returns the
// Setup options that replace the console exporter with the collector.
func newSummary(raw bool) (*summary, []exporters.Option) {
	s := &summary{}
	if raw {
		return s, nil
	}
	var opts []exporters.Option
	if consoleByDefault("OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
		s.spans = &spanCollector{}
		opts = append(opts, exporters.WithTracesExporter(exporters.ExporterNone), exporters.WithSpanProcessor(s.spans))
	}
	if consoleByDefault("OTEL_METRICS_EXPORTER", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") {
		s.metrics = sdkmetric.NewManualReader()
		opts = append(opts, exporters.WithMetricsExporter(exporters.ExporterNone), exporters.WithMetricReader(s.metrics))
	}
	return s, opts
}

// print writes the summary of what has been recorded so far.
func (s *summary) print(ctx context.Context, out io.Writer) error {
	if s.spans == nil && s.metrics == nil {
		return nil
	}
	fmt.Fprintln(out, "Telemetry recorded (-raw prints the exporters' JSON; OTEL_EXPORTER_OTLP_ENDPOINT sends it to a backend):")
	if s.spans != nil {
		for _, span := range s.spans.ended() {
			fmt.Fprintln(out, "  "+spanLine(span))
		}
	}
	if s.metrics != nil {
		var rm metricdata.ResourceMetrics
		if err := s.metrics.Collect(ctx, &rm); err != nil {
			return fmt.Errorf("collecting metrics: %w", err)
		}
		var ms []metricdata.Metrics
		for _, sm := range rm.ScopeMetrics {
			ms = append(ms, sm.Metrics...)
		}
		slices.SortFunc(ms, func(a, b metricdata.Metrics) int { return strings.Compare(a.Name, b.Name) })
		for _, m := range ms {
			if line := metricLine(m); line != "" {
				fmt.Fprintln(out, "  "+line)
			}
		}
	}
	return nil
}

// spanCollector is a span processor that keeps the spans that ended. The
// quickstart makes two calls, so keeping them all costs nothing.
type spanCollector struct {
	mu    sync.Mutex
	spans []sdktrace.ReadOnlySpan
}

func (c *spanCollector) OnStart(context.Context, sdktrace.ReadWriteSpan) {}

func (c *spanCollector) OnEnd(span sdktrace.ReadOnlySpan) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.spans = append(c.spans, span)
}

func (c *spanCollector) Shutdown(context.Context) error   { return nil }
func (c *spanCollector) ForceFlush(context.Context) error { return nil }

func (c *spanCollector) ended() []sdktrace.ReadOnlySpan {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.spans)
}

// spanLine is one span: its name and the attributes a reader looks for
// first, each labelled, in the order a backend shows them. A figure the span
// does not carry is left out rather than shown as zero.
func spanLine(span sdktrace.ReadOnlySpan) string {
	attrs := attribute.NewSet(span.Attributes()...)
	get := func(k attribute.Key) (attribute.Value, bool) { return attrs.Value(k) }
	parts := []string{fmt.Sprintf("span %q", span.Name())}
	if v, ok := get(semconv.GenAIProviderNameKey); ok {
		parts = append(parts, "provider "+v.Emit())
	}
	req, hasReq := get(semconv.GenAIRequestModelKey)
	resp, hasResp := get(semconv.GenAIResponseModelKey)
	switch {
	case hasReq && hasResp && req.Emit() != resp.Emit():
		parts = append(parts, "model "+req.Emit()+" -> "+resp.Emit())
	case hasReq:
		parts = append(parts, "model "+req.Emit())
	case hasResp:
		parts = append(parts, "model "+resp.Emit())
	}
	var tokens []string
	if v, ok := get(semconv.GenAIUsageInputTokensKey); ok {
		tokens = append(tokens, v.Emit()+" in")
	}
	if v, ok := get(semconv.GenAIUsageOutputTokensKey); ok {
		tokens = append(tokens, v.Emit()+" out")
	}
	if len(tokens) == 0 {
		parts = append(parts, "tokens not reported")
	} else {
		usage := "tokens " + strings.Join(tokens, ", ")
		if v, ok := get(semconv.UsageSourceKey); ok {
			usage += " from " + v.Emit()
		}
		parts = append(parts, usage)
	}
	if v, ok := get(semconv.UsageCostKey); ok {
		parts = append(parts, "cost $"+strconv.FormatFloat(v.AsFloat64(), 'f', -1, 64))
	} else if v, ok := get(semconv.PricingUnpricedKey); ok && v.AsBool() {
		parts = append(parts, "cost unpriced")
	}
	parts = append(parts, "duration "+roundDuration(span.EndTime().Sub(span.StartTime())))
	if v, ok := get(semconv.GenAIResponseTimeToFirstChunkKey); ok {
		parts = append(parts, "first chunk "+roundDuration(seconds(v.AsFloat64())))
	}
	if v, ok := get(semconv.ErrorTypeKey); ok {
		parts = append(parts, "error "+v.Emit())
	} else if span.Status().Code == codes.Error {
		parts = append(parts, "error "+span.Status().Description)
	}
	return strings.Join(parts, "  ")
}

// metricLine is one instrument: its kind, and its total (counters) or count
// and sum (histograms) over all series, with a breakdown by token type where
// the series carry one, since that split is what a reader of token metrics
// asks first.
func metricLine(m metricdata.Metrics) string {
	head := "metric " + m.Name
	switch data := m.Data.(type) {
	case metricdata.Sum[int64]:
		return head + "  counter  total " + sumLine(data.DataPoints, m.Unit)
	case metricdata.Sum[float64]:
		return head + "  counter  total " + sumLine(data.DataPoints, m.Unit)
	case metricdata.Histogram[int64]:
		return head + "  histogram  " + histogramLine(data.DataPoints, m.Unit)
	case metricdata.Histogram[float64]:
		return head + "  histogram  " + histogramLine(data.DataPoints, m.Unit)
	default:
		return head + fmt.Sprintf("  %T", m.Data)
	}
}

func sumLine[N int64 | float64](points []metricdata.DataPoint[N], unit string) string {
	var total float64
	byType := map[string]float64{}
	for _, p := range points {
		total += float64(p.Value)
		if t, ok := tokenType(p.Attributes); ok {
			byType[t] += float64(p.Value)
		}
	}
	return withUnit(total, unit) + breakdown(byType, unit)
}

func histogramLine[N int64 | float64](points []metricdata.HistogramDataPoint[N], unit string) string {
	var count uint64
	var sum float64
	byType := map[string]float64{}
	for _, p := range points {
		count += p.Count
		sum += float64(p.Sum)
		if t, ok := tokenType(p.Attributes); ok {
			byType[t] += float64(p.Sum)
		}
	}
	records := "records"
	if count == 1 {
		records = "record"
	}
	return fmt.Sprintf("%d %s, sum %s", count, records, withUnit(sum, unit)) + breakdown(byType, unit)
}

// tokenType returns the series' token type under either convention's key.
func tokenType(set attribute.Set) (string, bool) {
	for _, k := range []attribute.Key{semconv.GenAITokenTypeKey, semconv.TokenTypeKey} {
		if v, ok := set.Value(k); ok {
			return v.Emit(), true
		}
	}
	return "", false
}

func breakdown(byType map[string]float64, unit string) string {
	if len(byType) == 0 {
		return ""
	}
	types := make([]string, 0, len(byType))
	for t := range byType {
		types = append(types, t)
	}
	slices.Sort(types)
	parts := make([]string, 0, len(types))
	for _, t := range types {
		parts = append(parts, t+" "+number(byType[t], unit))
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// withUnit writes v in unit: seconds as a duration, anything else as the
// number followed by its UCUM unit, so {token} and USD read as recorded.
func withUnit(v float64, unit string) string {
	if unit == "s" || unit == "" {
		return number(v, unit)
	}
	return number(v, unit) + " " + unit
}

func number(v float64, unit string) string {
	if unit == "s" {
		return roundDuration(seconds(v))
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func seconds(v float64) time.Duration { return time.Duration(v * float64(time.Second)) }

// roundDuration keeps three significant figures' worth of a duration.
func roundDuration(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond).String()
	default:
		return d.Round(time.Microsecond).String()
	}
}
