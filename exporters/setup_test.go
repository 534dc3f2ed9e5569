package exporters_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	collectormetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/semconv"
)

// cleanEnv unsets every OTEL_* variable for the test, so that the machine's
// environment cannot pick the exporters, and restores them afterwards.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		key, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(key, "OTEL_") {
			t.Setenv(key, "") // registers the restore
			require.NoError(t, os.Unsetenv(key))
		}
	}
}

// captureStdout redirects os.Stdout, which the console exporters bind when
// they are created, and returns a function that restores it and returns what
// was written.
func captureStdout(t *testing.T) func() string {
	t.Helper()
	r, w, err := os.Pipe()
	require.NoError(t, err)
	original := os.Stdout
	os.Stdout = w
	var out strings.Builder
	done := make(chan struct{})
	go func() {
		_, _ = io.Copy(&out, r)
		close(done)
	}()
	var once sync.Once
	restore := func() string {
		once.Do(func() {
			os.Stdout = original
			_ = w.Close()
			<-done
			_ = r.Close()
		})
		return out.String()
	}
	t.Cleanup(func() { restore() })
	return restore
}

// resetGlobals undoes what a Setup call does to the otel globals. It installs
// no-op values rather than the originals because otel refuses (noisily) to
// set a global to its own delegating default.
func resetGlobals(t *testing.T) {
	t.Helper()
	t.Cleanup(func() {
		otel.SetTracerProvider(tracenoop.NewTracerProvider())
		otel.SetMeterProvider(metricnoop.NewMeterProvider())
		otel.SetTextMapPropagator(propagation.NewCompositeTextMapPropagator())
	})
}

// discardOTelErrors silences otel.Handle for a test that provokes export
// errors on purpose; the errors it cares about come back from shutdown.
func discardOTelErrors(t *testing.T) {
	t.Helper()
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) {}))
	t.Cleanup(func() { otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { t.Log(err) })) })
}

// emit records one GenAI-shaped span and one sample of each kind of metric.
func emit(t *testing.T, p *exporters.Providers) {
	t.Helper()
	ctx := context.Background()
	_, span := p.TracerProvider.Tracer("test").Start(ctx, "chat gpt-4o-mini")
	span.SetAttributes(attribute.Int("gen_ai.usage.input_tokens", 12))
	span.End()
	meter := p.MeterProvider.Meter("test")
	requests, err := meter.Int64Counter(semconv.ClientRequests().Name, metric.WithUnit(semconv.ClientRequests().Unit))
	require.NoError(t, err)
	requests.Add(ctx, 1)
	duration, err := meter.Float64Histogram(semconv.ClientOperationDuration().Name, metric.WithUnit(semconv.ClientOperationDuration().Unit))
	require.NoError(t, err)
	duration.Record(ctx, 0.3)
}

// otlpHTTPReceiver records the paths OTLP/HTTP requests were posted to.
type otlpHTTPReceiver struct {
	mu    sync.Mutex
	paths map[string]int
	URL   string
}

func newOTLPHTTPReceiver(t *testing.T) *otlpHTTPReceiver {
	t.Helper()
	rec := &otlpHTTPReceiver{paths: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		rec.mu.Lock()
		rec.paths[r.URL.Path]++
		rec.mu.Unlock()
		// An empty protobuf body is a valid, empty Export*ServiceResponse.
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(srv.Close)
	rec.URL = srv.URL
	return rec
}

func (r *otlpHTTPReceiver) count(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.paths[path]
}

// otlpGRPCReceiver counts OTLP/gRPC exports of each signal.
type otlpGRPCReceiver struct {
	collectortrace.UnimplementedTraceServiceServer
	mu             sync.Mutex
	traces, metric int
	URL            string
}

func newOTLPGRPCReceiver(t *testing.T) *otlpGRPCReceiver {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	rec := &otlpGRPCReceiver{URL: "http://" + lis.Addr().String()}
	srv := grpc.NewServer()
	collectortrace.RegisterTraceServiceServer(srv, rec)
	collectormetrics.RegisterMetricsServiceServer(srv, metricsService{otlpGRPCReceiver: rec})
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	return rec
}

func (r *otlpGRPCReceiver) Export(context.Context, *collectortrace.ExportTraceServiceRequest) (*collectortrace.ExportTraceServiceResponse, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.traces++
	return &collectortrace.ExportTraceServiceResponse{}, nil
}

// metricsService adapts the receiver to the metrics service, whose method
// has the same name as the trace service's.
type metricsService struct {
	collectormetrics.UnimplementedMetricsServiceServer
	*otlpGRPCReceiver
}

func (m metricsService) Export(context.Context, *collectormetrics.ExportMetricsServiceRequest) (*collectormetrics.ExportMetricsServiceResponse, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.metric++
	return &collectormetrics.ExportMetricsServiceResponse{}, nil
}

func (r *otlpGRPCReceiver) counts() (traces, metrics int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.traces, r.metric
}

func shutdownWithin(t *testing.T, shutdown func(context.Context) error, d time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return shutdown(ctx)
}

func TestSetupDefaultsToConsole(t *testing.T) {
	cleanEnv(t)
	resetGlobals(t)
	stdout := captureStdout(t)

	p, shutdown, err := exporters.Setup(context.Background())
	require.NoError(t, err)
	emit(t, p)
	require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))

	out := stdout()
	assert.Contains(t, out, `"Name":"chat gpt-4o-mini"`, "the span goes to the console")
	assert.Contains(t, out, `"Name":"otelllm.client.requests"`, "the metric goes to the console")
	assert.Contains(t, out, `"Value":"otelllm-app"`, "the default service name is on the resource")
}

func TestSetupSelectsOTLPOverHTTP(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		opts func(url string) []exporters.Option
	}{
		{
			name: "endpoint from the environment makes otlp the default",
			env:  map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "{url}"},
		},
		{
			name: "endpoint option makes otlp the default",
			opts: func(url string) []exporters.Option { return []exporters.Option{exporters.WithEndpoint(url)} },
		},
		{
			name: "exporters named in the environment",
			env: map[string]string{
				"OTEL_TRACES_EXPORTER": "otlp", "OTEL_METRICS_EXPORTER": "otlp",
				"OTEL_EXPORTER_OTLP_ENDPOINT": "{url}", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
			},
		},
		{
			name: "endpoint option overrides a dead endpoint in the environment",
			env: map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":        "http://127.0.0.1:1",
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:1/v1/traces",
				"OTEL_TRACES_EXPORTER":               "console",
			},
			opts: func(url string) []exporters.Option {
				return []exporters.Option{exporters.WithEndpoint(url), exporters.WithTracesExporter("otlp")}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanEnv(t)
			rec := newOTLPHTTPReceiver(t)
			for k, v := range tt.env {
				t.Setenv(k, strings.ReplaceAll(v, "{url}", rec.URL))
			}
			opts := []exporters.Option{exporters.WithoutGlobals()}
			if tt.opts != nil {
				opts = append(opts, tt.opts(rec.URL)...)
			}
			p, shutdown, err := exporters.Setup(context.Background(), opts...)
			require.NoError(t, err)
			emit(t, p)
			require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))
			assert.Equal(t, 1, rec.count("/v1/traces"), "spans posted to /v1/traces")
			assert.Equal(t, 1, rec.count("/v1/metrics"), "metrics posted to /v1/metrics")
		})
	}
}

func TestSetupSelectsOTLPOverGRPC(t *testing.T) {
	for _, fromEnv := range []bool{false, true} {
		t.Run(fmt.Sprintf("protocol from environment %v", fromEnv), func(t *testing.T) {
			cleanEnv(t)
			rec := newOTLPGRPCReceiver(t)
			opts := []exporters.Option{exporters.WithoutGlobals()}
			if fromEnv {
				t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", rec.URL)
				t.Setenv("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")
			} else {
				opts = append(opts, exporters.WithEndpoint(rec.URL), exporters.WithProtocol(exporters.ProtocolGRPC))
			}
			p, shutdown, err := exporters.Setup(context.Background(), opts...)
			require.NoError(t, err)
			emit(t, p)
			require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))
			traces, metrics := rec.counts()
			assert.Equal(t, 1, traces)
			assert.Equal(t, 1, metrics)
		})
	}
}

func TestSetupNoneExportsNothing(t *testing.T) {
	for _, fromEnv := range []bool{false, true} {
		t.Run(fmt.Sprintf("from environment %v", fromEnv), func(t *testing.T) {
			cleanEnv(t)
			rec := newOTLPHTTPReceiver(t)
			t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", rec.URL)
			opts := []exporters.Option{exporters.WithoutGlobals()}
			if fromEnv {
				t.Setenv("OTEL_TRACES_EXPORTER", "none")
				t.Setenv("OTEL_METRICS_EXPORTER", "none")
			} else {
				// The options must win over an environment asking for the console.
				t.Setenv("OTEL_TRACES_EXPORTER", "console")
				t.Setenv("OTEL_METRICS_EXPORTER", "console")
				opts = append(opts, exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("none"))
			}
			stdout := captureStdout(t)
			p, shutdown, err := exporters.Setup(context.Background(), opts...)
			require.NoError(t, err)
			emit(t, p)
			require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))
			assert.Empty(t, stdout())
			assert.Zero(t, rec.count("/v1/traces")+rec.count("/v1/metrics"))
		})
	}
}

func TestSetupPrometheusOption(t *testing.T) {
	cleanEnv(t)
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := lis.Addr().(*net.TCPAddr).Port
	require.NoError(t, lis.Close())
	t.Setenv("OTEL_EXPORTER_PROMETHEUS_HOST", "127.0.0.1")
	t.Setenv("OTEL_EXPORTER_PROMETHEUS_PORT", fmt.Sprint(port))
	t.Setenv("OTEL_METRICS_EXPORTER", "console")

	p, shutdown, err := exporters.Setup(context.Background(),
		exporters.WithoutGlobals(), exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("prometheus"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown, 5*time.Second) })
	assert.Equal(t, "console", os.Getenv("OTEL_METRICS_EXPORTER"), "the scoped override is undone")

	emit(t, p)
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(body), "otelllm_client_requests_total")
	assert.Contains(t, string(body), "gen_ai_client_operation_duration_seconds_bucket")
}

func TestSetupRejectsBadValues(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		opts    []exporters.Option
		wantErr []string
	}{
		{"unknown traces exporter option", nil, []exporters.Option{exporters.WithTracesExporter("zipkin")}, []string{"WithTracesExporter", `"zipkin"`, "otlp, console, none"}},
		{"prometheus is metrics only", nil, []exporters.Option{exporters.WithTracesExporter("prometheus")}, []string{"WithTracesExporter", `"prometheus"`}},
		{"unknown metrics exporter option", nil, []exporters.Option{exporters.WithMetricsExporter("statsd")}, []string{"WithMetricsExporter", `"statsd"`, "otlp, console, prometheus, none"}},
		{"unknown protocol option", nil, []exporters.Option{exporters.WithProtocol("http/json")}, []string{"WithProtocol", `"http/json"`, "grpc", "http/protobuf"}},
		{"endpoint without scheme", nil, []exporters.Option{exporters.WithEndpoint("localhost:4318")}, []string{"WithEndpoint", `"localhost:4318"`, "http://"}},
		{"endpoint that does not parse", nil, []exporters.Option{exporters.WithEndpoint("http://[::1")}, []string{"WithEndpoint", "http://"}},
		{"endpoint with another scheme", nil, []exporters.Option{exporters.WithEndpoint("ftp://collector:4318")}, []string{"WithEndpoint", `"ftp://collector:4318"`}},
		{"non-positive interval", nil, []exporters.Option{exporters.WithMetricInterval(0)}, []string{"WithMetricInterval", "positive"}},
		{"unknown traces exporter in the environment", map[string]string{"OTEL_TRACES_EXPORTER": "bogus"}, nil, []string{"OTEL_TRACES_EXPORTER", `"bogus"`}},
		{"unknown metrics exporter in the environment", map[string]string{"OTEL_METRICS_EXPORTER": "bogus"}, nil, []string{"OTEL_METRICS_EXPORTER", `"bogus"`}},
		{"unknown protocol in the environment", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://localhost:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, nil, []string{"OTEL_EXPORTER_OTLP_PROTOCOL", `"http/json"`}},
		{"unknown per-signal protocol in the environment", map[string]string{"OTEL_METRICS_EXPORTER": "otlp", "OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "thrift"}, nil, []string{"OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", `"thrift"`}},
		{"bad endpoint in the environment", map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4317"}, nil, []string{"OTEL_EXPORTER_OTLP_ENDPOINT", `"collector:4317"`}},
		{"bad per-signal endpoint in the environment", map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "::"}, nil, []string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"}},
		{"malformed resource attributes", map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "team"}, nil, []string{"OTEL_RESOURCE_ATTRIBUTES"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanEnv(t)
			resetGlobals(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			sentinel := sdktrace.NewTracerProvider()
			otel.SetTracerProvider(sentinel)
			p, shutdown, err := exporters.Setup(context.Background(), tt.opts...)
			require.Error(t, err)
			assert.Nil(t, p)
			require.NotNil(t, shutdown, "a deferred shutdown must be safe even on error")
			assert.NoError(t, shutdown(context.Background()))
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want)
			}
			assert.Same(t, sentinel, otel.GetTracerProvider(), "a failed Setup leaves the globals alone")
		})
	}
}

func TestShutdownIsBoundedWhenTheBackendIsDown(t *testing.T) {
	for _, protocol := range []string{exporters.ProtocolHTTPProtobuf, exporters.ProtocolGRPC} {
		t.Run(protocol, func(t *testing.T) {
			cleanEnv(t)
			discardOTelErrors(t)
			lis, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			endpoint := "http://" + lis.Addr().String()
			require.NoError(t, lis.Close()) // nothing listens there now

			p, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(),
				exporters.WithEndpoint(endpoint), exporters.WithProtocol(protocol))
			require.NoError(t, err)
			emit(t, p)

			start := time.Now()
			err = shutdownWithin(t, shutdown, 2*time.Second)
			elapsed := time.Since(start)
			assert.Error(t, err, "the lost telemetry is reported")
			assert.Less(t, elapsed, 3*time.Second, "shutdown returns at the context's deadline")
			assert.Equal(t, err, shutdown(context.Background()), "a second call returns the first result at once")
		})
	}
}

func TestViewsApplySemconvBuckets(t *testing.T) {
	cleanEnv(t)
	reader := sdkmetric.NewManualReader()
	p, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(),
		exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("none"), exporters.WithMetricReader(reader))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown, time.Second) })

	meter := p.MeterProvider.Meter("test")
	want := map[string][]float64{}
	for _, h := range semconv.Histograms() {
		// Advice that disagrees with the conventions, which the view overrides.
		hist, err := meter.Float64Histogram(h.Name, metric.WithUnit(h.Unit), metric.WithExplicitBucketBoundaries(1, 2, 3))
		require.NoError(t, err)
		hist.Record(context.Background(), 1)
		want[h.Name] = h.Buckets
	}
	other, err := meter.Float64Histogram("app.other.duration")
	require.NoError(t, err)
	other.Record(context.Background(), 1)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	got := map[string][]float64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			hist, ok := m.Data.(metricdata.Histogram[float64])
			require.True(t, ok, m.Name)
			require.Len(t, hist.DataPoints, 1)
			got[m.Name] = hist.DataPoints[0].Bounds
		}
	}
	for name, bounds := range want {
		assert.Equal(t, bounds, got[name], name)
	}
	assert.Equal(t, []float64{0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000},
		got["app.other.duration"], "other histograms keep the SDK default")
	assert.Len(t, exporters.Views(), 4)
}

func TestSetupResource(t *testing.T) {
	tests := []struct {
		name        string
		env         map[string]string
		opts        []exporters.Option
		wantService string
		wantAttrs   map[string]string
	}{
		{name: "default", wantService: exporters.DefaultServiceName},
		{name: "OTEL_SERVICE_NAME", env: map[string]string{"OTEL_SERVICE_NAME": "from-env"}, wantService: "from-env"},
		{
			name:        "OTEL_RESOURCE_ATTRIBUTES",
			env:         map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "service.name=attrs,team=llm"},
			wantService: "attrs", wantAttrs: map[string]string{"team": "llm"},
		},
		{
			name:        "options win over the environment",
			env:         map[string]string{"OTEL_SERVICE_NAME": "from-env", "OTEL_RESOURCE_ATTRIBUTES": "team=llm,tier=1"},
			opts:        []exporters.Option{exporters.WithServiceName("from-code"), exporters.WithAttributes(attribute.String("team", "code"))},
			wantService: "from-code", wantAttrs: map[string]string{"team": "code", "tier": "1"},
		},
		{
			name: "WithResource merges over the environment, WithAttributes over it",
			env:  map[string]string{"OTEL_RESOURCE_ATTRIBUTES": "a=env,b=env"},
			opts: []exporters.Option{
				exporters.WithResource(resource.NewWithAttributes("https://opentelemetry.io/schemas/1.0.0",
					attribute.String("b", "res"), attribute.String("c", "res"))),
				exporters.WithAttributes(attribute.String("c", "attr")),
			},
			wantService: exporters.DefaultServiceName, wantAttrs: map[string]string{"a": "env", "b": "res", "c": "attr"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			reader := sdkmetric.NewManualReader()
			opts := append([]exporters.Option{exporters.WithoutGlobals(), exporters.WithTracesExporter("none"),
				exporters.WithMetricsExporter("none"), exporters.WithMetricReader(reader)}, tt.opts...)
			_, shutdown, err := exporters.Setup(context.Background(), opts...)
			require.NoError(t, err)
			t.Cleanup(func() { _ = shutdownWithin(t, shutdown, time.Second) })

			var rm metricdata.ResourceMetrics
			require.NoError(t, reader.Collect(context.Background(), &rm))
			attrs := map[string]string{}
			for _, kv := range rm.Resource.Attributes() {
				attrs[string(kv.Key)] = kv.Value.Emit()
			}
			assert.Equal(t, tt.wantService, attrs["service.name"])
			assert.Equal(t, "go", attrs["telemetry.sdk.language"])
			assert.Equal(t, "opentelemetry", attrs["telemetry.sdk.name"])
			for k, v := range tt.wantAttrs {
				assert.Equal(t, v, attrs[k], k)
			}
		})
	}
}

func TestSetupGlobals(t *testing.T) {
	cleanEnv(t)
	resetGlobals(t)
	p, shutdown, err := exporters.Setup(context.Background(), exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("none"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown, time.Second) })
	assert.Same(t, p.TracerProvider, otel.GetTracerProvider())
	assert.Same(t, p.MeterProvider, otel.GetMeterProvider())
	assert.ElementsMatch(t, []string{"traceparent", "tracestate", "baggage"}, otel.GetTextMapPropagator().Fields())

	q, shutdown2, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(),
		exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("none"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown2, time.Second) })
	assert.NotSame(t, q.TracerProvider, otel.GetTracerProvider())
	assert.Same(t, p.TracerProvider, otel.GetTracerProvider())
}

func TestWithMetricIntervalPushesBeforeShutdown(t *testing.T) {
	cleanEnv(t)
	rec := newOTLPHTTPReceiver(t)
	p, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(),
		exporters.WithEndpoint(rec.URL), exporters.WithMetricInterval(50*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown, 5*time.Second) })
	emit(t, p)
	assert.Eventually(t, func() bool { return rec.count("/v1/metrics") > 0 }, 5*time.Second, 20*time.Millisecond)
}

func TestWithEndpointKeepsABasePath(t *testing.T) {
	cleanEnv(t)
	rec := newOTLPHTTPReceiver(t)
	p, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(), exporters.WithEndpoint(rec.URL+"/otlp/"))
	require.NoError(t, err)
	emit(t, p)
	require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))
	assert.Equal(t, 1, rec.count("/otlp/v1/traces"))
	assert.Equal(t, 1, rec.count("/otlp/v1/metrics"))
}
