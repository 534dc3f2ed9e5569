package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// cleanEnv unsets every OTEL_* variable and OPENAI_API_KEY for the test, so
// that the machine's environment cannot choose the exporters or call the
// real API, and restores them afterwards.
func cleanEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		key, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(key, "OTEL_") || key == "OPENAI_API_KEY" {
			t.Setenv(key, "") // registers the restore
			require.NoError(t, os.Unsetenv(key))
		}
	}
}

// captureStdout redirects os.Stdout, where the console exporters write, and
// returns a function that restores it and returns what was written.
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

const duration = `[0-9.]+(µs|ms|s)`

// TestQuickstartRunsOffline runs the README's first command's code against
// the embedded fake and checks what it prints, the telemetry summary
// included.
func TestQuickstartRunsOffline(t *testing.T) {
	cleanEnv(t)
	stdout := captureStdout(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, nil))
	s := out.String()
	assert.Empty(t, stdout(), "the console exporters print nothing: the summary replaces them")

	assert.Contains(t, s, "[otelllm] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input + 11 output tokens, $0.000009")
	assert.Contains(t, s, "(streamed, first chunk after")
	assert.Contains(t, s, "The ruby-throated hummingbird weighs about 3 grams, less than a nickel.")
	assert.Contains(t, s, "Successful Requests: 2")
	assert.Contains(t, s, "Tokens Used: 60\n\tPrompt Tokens: 38\n")
	assert.Contains(t, s, "Total Cost (USD): $0.0000189")
	assert.NotContains(t, s, "FAILED")

	_, summary, found := strings.Cut(s, "Telemetry recorded (-raw prints the exporters' JSON; OTEL_EXPORTER_OTLP_ENDPOINT sends it to a backend):\n")
	require.True(t, found, "the summary's heading:\n%s", s)
	want := []string{
		`  span "chat gpt-4o-mini"  provider openai  model gpt-4o-mini -> gpt-4o-mini-2024-07-18  tokens 16 in, 11 out from response_body  cost \$0.000009  duration ` + duration,
		`  span "chat gpt-4o-mini"  provider openai  model gpt-4o-mini -> gpt-4o-mini-2024-07-18  tokens 22 in, 11 out from stream  cost \$0.0000099  duration ` + duration + `  first chunk ` + duration,
		`  metric gen_ai.client.operation.duration  histogram  2 records, sum ` + duration,
		// The number of chunk intervals is the fake's, not the quickstart's.
		`  metric gen_ai.client.operation.time_per_output_chunk  histogram  [0-9]+ records, sum ` + duration,
		`  metric gen_ai.client.operation.time_to_first_chunk  histogram  1 record, sum ` + duration,
		regexp.QuoteMeta(`  metric gen_ai.client.token.usage  histogram  4 records, sum 60 {token} (input 38, output 22)`),
		regexp.QuoteMeta(`  metric otelllm.client.cost  counter  total 0.0000189 USD`),
		regexp.QuoteMeta(`  metric otelllm.client.requests  counter  total 2 {request}`),
		regexp.QuoteMeta(`  metric otelllm.client.token.count  counter  total 60 {token} (cache_read 0, input 38, output 22, reasoning 0)`),
	}
	assert.Regexp(t, "^"+strings.Join(want, "\n")+"\n$", summary)
}

// TestQuickstartRawOutput checks that the console exporters' JSON is still
// there for whoever asks for it, with the flag or by naming the exporter.
func TestQuickstartRawOutput(t *testing.T) {
	tests := []struct {
		name          string
		args          []string
		env           map[string]string
		wantSummary   bool
		wantMetricRaw bool
	}{
		{name: "-raw", args: []string{"-raw"}, wantMetricRaw: true},
		{name: "OTEL_TRACES_EXPORTER=console", env: map[string]string{"OTEL_TRACES_EXPORTER": "console"}, wantSummary: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cleanEnv(t)
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			stdout := captureStdout(t)
			var out bytes.Buffer
			require.NoError(t, run(context.Background(), &out, tt.args))
			raw := stdout()

			assert.Equal(t, 2, strings.Count(raw, `{"Name":"chat gpt-4o-mini"`), "two spans as JSON on stdout")
			assert.Contains(t, raw, `{"Key":"gen_ai.usage.input_tokens","Value":{"Type":"INT64","Value":16}}`)
			assert.NotContains(t, out.String(), `span "chat gpt-4o-mini"`, "no span summary")
			assert.Equal(t, tt.wantMetricRaw, strings.Contains(raw, `"Name":"otelllm.client.cost"`), "metrics as JSON")
			assert.Equal(t, tt.wantSummary, strings.Contains(out.String(), "  metric otelllm.client.cost  counter  total 0.0000189 USD"),
				"metrics summarised when the environment leaves them to the console by default")
		})
	}
}

// TestQuickstartSendsOTLP checks what the Jaeger round trip relies on: with
// an OTLP endpoint set, the spans go there and nothing is summarised.
func TestQuickstartSendsOTLP(t *testing.T) {
	cleanEnv(t)
	var (
		mu      sync.Mutex
		traces  []*collectortrace.ExportTraceServiceRequest
		metrics int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		switch r.URL.Path {
		case "/v1/traces":
			var req collectortrace.ExportTraceServiceRequest
			if err := proto.Unmarshal(body, &req); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			traces = append(traces, &req)
		case "/v1/metrics":
			metrics++
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)

	stdout := captureStdout(t)
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, nil))
	assert.Empty(t, stdout())
	assert.NotContains(t, out.String(), "Telemetry recorded")

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 1, metrics, "metrics posted to /v1/metrics at shutdown")
	var inputTokens []int64
	for _, req := range traces {
		for _, rs := range req.GetResourceSpans() {
			for _, kv := range rs.GetResource().GetAttributes() {
				if kv.GetKey() == "service.name" {
					assert.Equal(t, "otelllm-quickstart", kv.GetValue().GetStringValue())
				}
			}
			for _, ss := range rs.GetScopeSpans() {
				for _, span := range ss.GetSpans() {
					assert.Equal(t, "chat gpt-4o-mini", span.GetName())
					for _, kv := range span.GetAttributes() {
						if kv.GetKey() == "gen_ai.usage.input_tokens" {
							inputTokens = append(inputTokens, kv.GetValue().GetIntValue())
						}
					}
				}
			}
		}
	}
	assert.Equal(t, []int64{16, 22}, inputTokens, "both spans, in order, over OTLP")
}
