package otelllm

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/providers"
)

// testProvider is a minimal wire format for testing the transport apart
// from any real provider: POST /test/chat with {"model":..,"stream":..};
// a full response is {"model":..,"in":N,"out":M}; a stream is one JSON
// object per line, the last one carrying "in" and "out".
type testProvider struct{ panicIn string }

func (testProvider) Name() string { return "test" }

func (p testProvider) Match(r *http.Request) providers.Call {
	if p.panicIn == "match" {
		panic("boom in match")
	}
	if r.URL.Path != "/test/chat" {
		return nil
	}
	return &testCall{p: p}
}

type testCall struct {
	p   testProvider
	req providers.Request
}

func (c *testCall) Request(body []byte) providers.Request {
	if c.p.panicIn == "request" {
		panic("boom in request")
	}
	c.req = providers.Request{Provider: "testai", Operation: providers.OperationChat, Model: "unknown"}
	var in struct {
		Model       string   `json:"model"`
		Stream      bool     `json:"stream"`
		Temperature *float64 `json:"temperature"`
	}
	if body != nil && json.Unmarshal(body, &in) == nil {
		c.req.Model, c.req.Stream, c.req.Temperature = in.Model, in.Stream, in.Temperature
	}
	return c.req
}

func (c *testCall) Observe(resp *http.Response) providers.Observer {
	return &testObserver{p: c.p, stream: strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-ndjson")}
}

type testObserver struct {
	p      testProvider
	stream bool
	buf    bytes.Buffer
	chunks int
	resp   providers.Response
}

func (o *testObserver) Write(b []byte) {
	if o.p.panicIn == "write" {
		panic("boom in write")
	}
	o.buf.Write(b)
	if !o.stream {
		return
	}
	for {
		line, err := o.buf.ReadBytes('\n')
		if err != nil {
			// Keep the unfinished line for the next write.
			rest := append([]byte(nil), line...)
			o.buf.Reset()
			o.buf.Write(rest)
			return
		}
		o.chunks++
		o.parse(line, providers.SourceStream)
	}
}

func (o *testObserver) parse(b []byte, src providers.UsageSource) {
	var v struct {
		Model string `json:"model"`
		In    *int64 `json:"in"`
		Out   *int64 `json:"out"`
		Error string `json:"error"`
	}
	if json.Unmarshal(b, &v) != nil {
		o.resp.ObserveError = "response is not JSON"
		return
	}
	if v.Model != "" {
		o.resp.Model = v.Model
	}
	if v.Error != "" {
		o.resp.ErrorType = v.Error
	}
	if v.In != nil {
		o.resp.Usage.Set(providers.InputTokens, *v.In)
		o.resp.Usage.Source = src
	}
	if v.Out != nil {
		o.resp.Usage.Set(providers.OutputTokens, *v.Out)
		o.resp.Usage.Source = src
		// The output count comes last, in the final line or the body.
		o.resp.Complete = true
	}
}

func (o *testObserver) Chunks() int { return o.chunks }

func (o *testObserver) Finish(complete bool) providers.Response {
	if o.p.panicIn == "finish" {
		panic("boom in finish")
	}
	o.resp.Streamed = o.stream
	if !o.stream && complete {
		o.parse(o.buf.Bytes(), providers.SourceResponseBody)
	}
	return o.resp
}

// telemetryRecorder holds in-memory span and metric readers.
type telemetryRecorder struct {
	spans   *tracetest.SpanRecorder
	metrics *sdkmetric.ManualReader
	tp      *sdktrace.TracerProvider
	mp      *sdkmetric.MeterProvider
}

func newRecorder(t *testing.T) *telemetryRecorder {
	r := &telemetryRecorder{spans: tracetest.NewSpanRecorder(), metrics: sdkmetric.NewManualReader()}
	r.tp = sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(r.spans))
	r.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(r.metrics))
	t.Cleanup(func() {
		_ = r.tp.Shutdown(context.Background())
		_ = r.mp.Shutdown(context.Background())
	})
	return r
}

// testPrice is the price of the test model "test-model": 1 µ$ per input
// token, 2 µ$ per output token.
var testPrice = pricing.Price{Input: 1e-6, Output: 2e-6}

func (r *telemetryRecorder) options(extra ...Option) []Option {
	return append([]Option{
		WithTracerProvider(r.tp),
		WithMeterProvider(r.mp),
		WithProviders(testProvider{}),
		WithModelPrice("test-model", testPrice),
	}, extra...)
}

func (r *telemetryRecorder) ended() []sdktrace.ReadOnlySpan { return r.spans.Ended() }

func (r *telemetryRecorder) onlySpan(t *testing.T) sdktrace.ReadOnlySpan {
	t.Helper()
	ended := r.spans.Ended()
	require.Len(t, ended, 1, "exactly one span ended")
	require.Empty(t, r.spans.Started()[len(ended):], "no span left open")
	return ended[0]
}

func (r *telemetryRecorder) collect(t *testing.T) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, r.metrics.Collect(context.Background(), &rm))
	return rm
}

func findMetric(rm metricdata.ResourceMetrics, name string) (metricdata.Metrics, bool) {
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m, true
			}
		}
	}
	return metricdata.Metrics{}, false
}

func attrsOf(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// sumInt adds the int64 sum data points of metric m whose attributes include
// all of want.
func sumInt(t *testing.T, rm metricdata.ResourceMetrics, name string, want ...attribute.KeyValue) int64 {
	t.Helper()
	m, ok := findMetric(rm, name)
	if !ok {
		return 0
	}
	var total int64
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, dp := range d.DataPoints {
			if hasAll(dp.Attributes, want) {
				total += dp.Value
			}
		}
	case metricdata.Histogram[int64]:
		for _, dp := range d.DataPoints {
			if hasAll(dp.Attributes, want) {
				total += dp.Sum
			}
		}
	default:
		t.Fatalf("%s: unexpected data %T", name, m.Data)
	}
	return total
}

func sumFloat(t *testing.T, rm metricdata.ResourceMetrics, name string, want ...attribute.KeyValue) (sum float64, count uint64) {
	t.Helper()
	m, ok := findMetric(rm, name)
	if !ok {
		return 0, 0
	}
	switch d := m.Data.(type) {
	case metricdata.Sum[float64]:
		for _, dp := range d.DataPoints {
			if hasAll(dp.Attributes, want) {
				sum += dp.Value
				count++
			}
		}
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			if hasAll(dp.Attributes, want) {
				sum += dp.Sum
				count += dp.Count
			}
		}
	default:
		t.Fatalf("%s: unexpected data %T", name, m.Data)
	}
	return sum, count
}

func hasAll(set attribute.Set, want []attribute.KeyValue) bool {
	for _, kv := range want {
		v, ok := set.Value(kv.Key)
		if !ok || v != kv.Value {
			return false
		}
	}
	return true
}

type attributeKeyValue = attribute.KeyValue
