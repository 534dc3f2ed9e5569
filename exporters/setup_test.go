package exporters_test

import (
	"context"
	"encoding/json"
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
	otellog "go.opentelemetry.io/otel/log"
	logglobal "go.opentelemetry.io/otel/log/global"
	lognoop "go.opentelemetry.io/otel/log/noop"
	"go.opentelemetry.io/otel/metric"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	collectorlogs "go.opentelemetry.io/proto/otlp/collector/logs/v1"
	collectormetrics "go.opentelemetry.io/proto/otlp/collector/metrics/v1"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

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
		logglobal.SetLoggerProvider(lognoop.NewLoggerProvider())
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

// testEventName is the event emit sends, the one content capture emits.
const testEventName = "gen_ai.client.inference.operation.details"

// emit records one GenAI-shaped span, one event and one sample of each kind
// of metric.
func emit(t *testing.T, tel *exporters.Telemetry) {
	t.Helper()
	ctx := context.Background()
	_, span := tel.TracerProvider.Tracer("test").Start(ctx, "chat gpt-4o-mini")
	span.SetAttributes(attribute.Int("gen_ai.usage.input_tokens", 12))
	span.End()
	var event otellog.Record
	event.SetEventName(testEventName)
	event.SetSeverity(otellog.SeverityInfo)
	event.AddAttributes(attribute.String("gen_ai.operation.name", "chat"))
	tel.LoggerProvider.Logger("test").Emit(ctx, event)
	meter := tel.MeterProvider.Meter("test")
	requests, err := meter.Int64Counter(semconv.ClientRequests().Name, metric.WithUnit(semconv.ClientRequests().Unit))
	require.NoError(t, err)
	requests.Add(ctx, 1)
	duration, err := meter.Float64Histogram(semconv.ClientOperationDuration().Name, metric.WithUnit(semconv.ClientOperationDuration().Unit))
	require.NoError(t, err)
	duration.Record(ctx, 0.3)
}

// otlpHTTPReceiver records the paths OTLP/HTTP requests were posted to, and
// decodes the log export requests.
type otlpHTTPReceiver struct {
	mu    sync.Mutex
	paths map[string]int
	logs  []*collectorlogs.ExportLogsServiceRequest
	URL   string
}

func newOTLPHTTPReceiver(t *testing.T) *otlpHTTPReceiver {
	t.Helper()
	rec := &otlpHTTPReceiver{paths: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		rec.paths[r.URL.Path]++
		if strings.HasSuffix(r.URL.Path, "/v1/logs") {
			var req collectorlogs.ExportLogsServiceRequest
			if err := proto.Unmarshal(body, &req); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			rec.logs = append(rec.logs, &req)
		}
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

// exportedEvent is what a test checks of one received log record.
type exportedEvent struct {
	service   string
	eventName string
	severity  string
	operation string
}

// events flattens the received log export requests.
func events(requests []*collectorlogs.ExportLogsServiceRequest) []exportedEvent {
	var out []exportedEvent
	for _, req := range requests {
		for _, rl := range req.GetResourceLogs() {
			var service string
			for _, kv := range rl.GetResource().GetAttributes() {
				if kv.GetKey() == "service.name" {
					service = kv.GetValue().GetStringValue()
				}
			}
			for _, sl := range rl.GetScopeLogs() {
				for _, lr := range sl.GetLogRecords() {
					e := exportedEvent{service: service, eventName: lr.GetEventName(), severity: lr.GetSeverityText()}
					if lr.GetSeverityText() == "" {
						e.severity = lr.GetSeverityNumber().String()
					}
					for _, kv := range lr.GetAttributes() {
						if kv.GetKey() == "gen_ai.operation.name" {
							e.operation = kv.GetValue().GetStringValue()
						}
					}
					out = append(out, e)
				}
			}
		}
	}
	return out
}

func (r *otlpHTTPReceiver) events() []exportedEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	return events(r.logs)
}

// otlpGRPCReceiver counts OTLP/gRPC exports of each signal and keeps the log
// export requests.
type otlpGRPCReceiver struct {
	collectortrace.UnimplementedTraceServiceServer
	mu             sync.Mutex
	traces, metric int
	logs           []*collectorlogs.ExportLogsServiceRequest
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
	collectorlogs.RegisterLogsServiceServer(srv, logsService{otlpGRPCReceiver: rec})
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

// logsService adapts the receiver to the logs service, likewise.
type logsService struct {
	collectorlogs.UnimplementedLogsServiceServer
	*otlpGRPCReceiver
}

func (l logsService) Export(_ context.Context, req *collectorlogs.ExportLogsServiceRequest) (*collectorlogs.ExportLogsServiceResponse, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.logs = append(l.logs, req)
	return &collectorlogs.ExportLogsServiceResponse{}, nil
}

func (r *otlpGRPCReceiver) counts() (traces, metrics int, logs []exportedEvent) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.traces, r.metric, events(r.logs)
}

func shutdownWithin(t *testing.T, shutdown func(context.Context) error, d time.Duration) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return shutdown(ctx)
}

func TestSetupConsole(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
	}{
		{name: "by default"},
		{name: "named in the environment, over an endpoint", env: map[string]string{
			"OTEL_TRACES_EXPORTER": "console", "OTEL_METRICS_EXPORTER": "console", "OTEL_LOGS_EXPORTER": "console",
			"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanEnv(t)
			resetGlobals(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			stdout := captureStdout(t)

			tel, shutdown, err := exporters.Setup(context.Background())
			require.NoError(t, err)
			emit(t, tel)
			require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))

			out := stdout()
			assert.Contains(t, out, `"Name":"chat gpt-4o-mini"`, "the span goes to the console")
			assert.Contains(t, out, `"Name":"otelllm.client.requests"`, "the metric goes to the console")
			assert.Contains(t, out, `"EventName":"`+testEventName+`"`, "the event goes to the console")
			assert.Contains(t, out, `"Value":"otelllm-app"`, "the default service name is on the resource")
		})
	}
}

// TestSetupLogsToConsole reads the console log exporter's JSON back, for each
// way of choosing it, and checks the record and its resource.
func TestSetupLogsToConsole(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		opts []exporters.Option
	}{
		{name: "from the environment", env: map[string]string{"OTEL_LOGS_EXPORTER": "console"}},
		{
			name: "option over the environment",
			env:  map[string]string{"OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "http://127.0.0.1:1/v1/logs"},
			opts: []exporters.Option{exporters.WithLogsExporter(exporters.ExporterConsole)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			stdout := captureStdout(t)
			opts := append([]exporters.Option{exporters.WithoutGlobals(), exporters.WithServiceName("checkout"),
				exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("none")}, tt.opts...)
			tel, shutdown, err := exporters.Setup(context.Background(), opts...)
			require.NoError(t, err)
			emit(t, tel)
			require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))

			var record struct {
				EventName string
				Severity  int
				Resource  []struct {
					Key   string
					Value struct{ Value any }
				}
				Attributes []struct {
					Key   string
					Value struct{ Value any }
				}
			}
			require.NoError(t, json.Unmarshal([]byte(stdout()), &record), "one JSON record on stdout")
			assert.Equal(t, testEventName, record.EventName)
			assert.Equal(t, int(otellog.SeverityInfo), record.Severity)
			resource := map[string]any{}
			for _, kv := range record.Resource {
				resource[kv.Key] = kv.Value.Value
			}
			assert.Equal(t, "checkout", resource["service.name"])
			require.Len(t, record.Attributes, 1)
			assert.Equal(t, "gen_ai.operation.name", record.Attributes[0].Key)
			assert.Equal(t, "chat", record.Attributes[0].Value.Value)
		})
	}
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
			name: "per-signal endpoints from the environment",
			env: map[string]string{
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT":  "{url}/v1/traces",
				"OTEL_EXPORTER_OTLP_METRICS_ENDPOINT": "{url}/v1/metrics",
				"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT":    "{url}/v1/logs",
			},
		},
		{
			name: "endpoint option overrides a dead endpoint in the environment",
			env: map[string]string{
				"OTEL_EXPORTER_OTLP_ENDPOINT":        "http://127.0.0.1:1",
				"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:1/v1/traces",
				"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT":   "http://127.0.0.1:1/v1/logs",
				"OTEL_TRACES_EXPORTER":               "console",
				"OTEL_LOGS_EXPORTER":                 "console",
			},
			opts: func(url string) []exporters.Option {
				return []exporters.Option{exporters.WithEndpoint(url), exporters.WithTracesExporter("otlp"), exporters.WithLogsExporter("otlp")}
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
			opts := []exporters.Option{exporters.WithoutGlobals(), exporters.WithServiceName("checkout")}
			if tt.opts != nil {
				opts = append(opts, tt.opts(rec.URL)...)
			}
			tel, shutdown, err := exporters.Setup(context.Background(), opts...)
			require.NoError(t, err)
			emit(t, tel)
			require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))
			assert.Equal(t, 1, rec.count("/v1/traces"), "spans posted to /v1/traces")
			assert.Equal(t, 1, rec.count("/v1/metrics"), "metrics posted to /v1/metrics")
			assert.Equal(t, []exportedEvent{{service: "checkout", eventName: testEventName, severity: "SEVERITY_NUMBER_INFO", operation: "chat"}},
				rec.events(), "the event posted to /v1/logs, decoded, with the resource")
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
			opts = append(opts, exporters.WithServiceName("checkout"))
			tel, shutdown, err := exporters.Setup(context.Background(), opts...)
			require.NoError(t, err)
			emit(t, tel)
			require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))
			traces, metrics, logs := rec.counts()
			assert.Equal(t, 1, traces)
			assert.Equal(t, 1, metrics)
			assert.Equal(t, []exportedEvent{{service: "checkout", eventName: testEventName, severity: "SEVERITY_NUMBER_INFO", operation: "chat"}}, logs)
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
				t.Setenv("OTEL_LOGS_EXPORTER", "none")
			} else {
				// The options must win over an environment asking for the console.
				t.Setenv("OTEL_TRACES_EXPORTER", "console")
				t.Setenv("OTEL_METRICS_EXPORTER", "console")
				t.Setenv("OTEL_LOGS_EXPORTER", "console")
				opts = append(opts, exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("none"),
					exporters.WithLogsExporter("none"))
			}
			stdout := captureStdout(t)
			tel, shutdown, err := exporters.Setup(context.Background(), opts...)
			require.NoError(t, err)
			assert.False(t, tel.LoggerProvider.Logger("test").Enabled(context.Background(), otellog.EnabledParameters{EventName: testEventName}),
				"with no logs exporter, loggers say so, and emitters can skip building events")
			emit(t, tel)
			require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))
			assert.Empty(t, stdout())
			assert.Zero(t, rec.count("/v1/traces")+rec.count("/v1/metrics")+rec.count("/v1/logs"))
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

	tel, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(),
		exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("prometheus"), exporters.WithLogsExporter("none"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown, 5*time.Second) })
	assert.Equal(t, "console", os.Getenv("OTEL_METRICS_EXPORTER"), "the scoped override is undone")

	emit(t, tel)
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
		{"unknown logs exporter option", nil, []exporters.Option{exporters.WithLogsExporter("syslog")}, []string{"WithLogsExporter", `"syslog"`, "otlp, console, none"}},
		{"prometheus is not for logs", nil, []exporters.Option{exporters.WithLogsExporter("prometheus")}, []string{"WithLogsExporter", `"prometheus"`}},
		{"unknown protocol option", nil, []exporters.Option{exporters.WithProtocol("http/json")}, []string{"WithProtocol", `"http/json"`, "grpc", "http/protobuf"}},
		{"endpoint without scheme", nil, []exporters.Option{exporters.WithEndpoint("localhost:4318")}, []string{"WithEndpoint", `"localhost:4318"`, "http://"}},
		{"endpoint that does not parse", nil, []exporters.Option{exporters.WithEndpoint("http://[::1")}, []string{"WithEndpoint", "http://"}},
		{"endpoint with another scheme", nil, []exporters.Option{exporters.WithEndpoint("ftp://collector:4318")}, []string{"WithEndpoint", `"ftp://collector:4318"`}},
		{"non-positive interval", nil, []exporters.Option{exporters.WithMetricInterval(0)}, []string{"WithMetricInterval", "positive"}},
		{"unknown traces exporter in the environment", map[string]string{"OTEL_TRACES_EXPORTER": "bogus"}, nil, []string{"OTEL_TRACES_EXPORTER", `"bogus"`}},
		{"unknown metrics exporter in the environment", map[string]string{"OTEL_METRICS_EXPORTER": "bogus"}, nil, []string{"OTEL_METRICS_EXPORTER", `"bogus"`}},
		{"unknown logs exporter in the environment", map[string]string{"OTEL_LOGS_EXPORTER": "bogus"}, nil, []string{"OTEL_LOGS_EXPORTER", `"bogus"`}},
		{"unknown logs protocol in the environment", map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none", "OTEL_LOGS_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_LOGS_PROTOCOL": "http/json"}, nil, []string{"OTEL_EXPORTER_OTLP_LOGS_PROTOCOL", `"http/json"`}},
		{"bad logs endpoint in the environment", map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_METRICS_EXPORTER": "none", "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT": "collector:4318"}, nil, []string{"OTEL_EXPORTER_OTLP_LOGS_ENDPOINT", `"collector:4318"`}},
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
			logSentinel := lognoop.NewLoggerProvider()
			logglobal.SetLoggerProvider(logSentinel)
			tel, shutdown, err := exporters.Setup(context.Background(), tt.opts...)
			require.Error(t, err)
			assert.Nil(t, tel)
			require.NotNil(t, shutdown, "a deferred shutdown must be safe even on error")
			assert.NoError(t, shutdown(context.Background()))
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want)
			}
			assert.Same(t, sentinel, otel.GetTracerProvider(), "a failed Setup leaves the globals alone")
			assert.Equal(t, logSentinel, logglobal.GetLoggerProvider(), "a failed Setup leaves the global logger provider alone")
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

			tel, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(),
				exporters.WithEndpoint(endpoint), exporters.WithProtocol(protocol))
			require.NoError(t, err)
			emit(t, tel)

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
	tel, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(),
		exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("none"), exporters.WithMetricReader(reader))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown, time.Second) })

	meter := tel.MeterProvider.Meter("test")
	want := map[string][]float64{}
	for _, h := range append(semconv.Histograms(), semconv.LatestHistograms()...) {
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
	assert.Len(t, exporters.Views(), len(semconv.Histograms())+len(semconv.LatestHistograms()))
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
	tel, shutdown, err := exporters.Setup(context.Background(), exporters.WithTracesExporter("none"),
		exporters.WithMetricsExporter("none"), exporters.WithLogsExporter("none"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown, time.Second) })
	assert.Same(t, tel.TracerProvider, otel.GetTracerProvider())
	assert.Same(t, tel.MeterProvider, otel.GetMeterProvider())
	assert.Same(t, tel.LoggerProvider, logglobal.GetLoggerProvider())
	assert.ElementsMatch(t, []string{"traceparent", "tracestate", "baggage"}, otel.GetTextMapPropagator().Fields())

	other, shutdown2, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(),
		exporters.WithTracesExporter("none"), exporters.WithMetricsExporter("none"), exporters.WithLogsExporter("none"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown2, time.Second) })
	assert.NotSame(t, other.TracerProvider, otel.GetTracerProvider())
	assert.NotSame(t, other.LoggerProvider, logglobal.GetLoggerProvider())
	assert.Same(t, tel.TracerProvider, otel.GetTracerProvider())
	assert.Same(t, tel.LoggerProvider, logglobal.GetLoggerProvider())
}

// TestWithSpanProcessor checks that an extra processor sees the spans beside
// the exporter, not instead of it, and is shut down with the provider.
func TestWithSpanProcessor(t *testing.T) {
	cleanEnv(t)
	rec := newOTLPHTTPReceiver(t)
	first, second := tracetest.NewSpanRecorder(), tracetest.NewSpanRecorder()
	tel, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(), exporters.WithEndpoint(rec.URL),
		exporters.WithSpanProcessor(first), exporters.WithSpanProcessor(nil), exporters.WithSpanProcessor(second))
	require.NoError(t, err)
	emit(t, tel)
	require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))

	for _, recorder := range []*tracetest.SpanRecorder{first, second} {
		ended := recorder.Ended()
		require.Len(t, ended, 1)
		assert.Equal(t, "chat gpt-4o-mini", ended[0].Name())
		assert.Contains(t, ended[0].Attributes(), attribute.Int("gen_ai.usage.input_tokens", 12))
	}
	assert.Equal(t, 1, rec.count("/v1/traces"), "the exporter still gets the span")

	// A span started after shutdown reaches no processor: the recorder was
	// shut down with the provider, so nothing more arrives.
	_, late := tel.TracerProvider.Tracer("test").Start(context.Background(), "late")
	late.End()
	assert.Len(t, first.Ended(), 1)
}

func TestWithMetricIntervalPushesBeforeShutdown(t *testing.T) {
	cleanEnv(t)
	rec := newOTLPHTTPReceiver(t)
	tel, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(),
		exporters.WithEndpoint(rec.URL), exporters.WithMetricInterval(50*time.Millisecond))
	require.NoError(t, err)
	t.Cleanup(func() { _ = shutdownWithin(t, shutdown, 5*time.Second) })
	emit(t, tel)
	assert.Eventually(t, func() bool { return rec.count("/v1/metrics") > 0 }, 5*time.Second, 20*time.Millisecond)
}

func TestWithEndpointKeepsABasePath(t *testing.T) {
	cleanEnv(t)
	rec := newOTLPHTTPReceiver(t)
	tel, shutdown, err := exporters.Setup(context.Background(), exporters.WithoutGlobals(), exporters.WithEndpoint(rec.URL+"/otlp/"))
	require.NoError(t, err)
	emit(t, tel)
	require.NoError(t, shutdownWithin(t, shutdown, 5*time.Second))
	assert.Equal(t, 1, rec.count("/otlp/v1/traces"))
	assert.Equal(t, 1, rec.count("/otlp/v1/metrics"))
	assert.Equal(t, 1, rec.count("/otlp/v1/logs"))
}
