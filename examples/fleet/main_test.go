package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/semconv"
)

// TestReplicaPrintsWhatItExports runs one replica and checks, while it holds
// its telemetry open, that the totals line it prints (which
// scripts/fleet-roundtrip.sh adds up across replicas) is what its metrics
// say, and is the fake server's known usage; then that it stops when told.
func TestReplicaPrintsWhatItExports(t *testing.T) {
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	reader := sdkmetric.NewManualReader()
	stop := make(chan struct{})
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := run(context.Background(), outW, stop, exporters.WithoutGlobals(), exporters.WithMetricReader(reader))
		_ = outW.CloseWithError(err)
		done <- err
	}()

	lines := bufio.NewScanner(outR)
	require.True(t, lines.Scan(), "the totals line: %v", lines.Err())
	totals := lines.Text()
	require.True(t, lines.Scan(), "the ready line: %v", lines.Err())
	assert.True(t, strings.HasPrefix(lines.Text(), "ready:"), lines.Text())

	fields := strings.Fields(totals)
	require.NotEmpty(t, fields)
	require.Equal(t, "totals", fields[0])
	printed := map[string]string{}
	for _, kv := range fields[1:] {
		k, v, ok := strings.Cut(kv, "=")
		require.True(t, ok, kv)
		printed[k] = v
	}
	// The quickstart's two calls, whose usage the fake reports: 16 input +
	// 11 output tokens for the full call, 22 + 11 for the streamed one.
	cost, err := strconv.ParseFloat(printed["cost_usd"], 64)
	require.NoError(t, err)
	assert.InDelta(t, 0.0000189, cost, 1e-12)
	assert.Equal(t, map[string]string{
		"requests": "2", "input": "38", "output": "22", "cache_read": "0", "cache_creation": "0", "reasoning": "0",
		"cost_usd": printed["cost_usd"],
	}, printed)

	var rm metricdata.ResourceMetrics
	require.NoError(t, reader.Collect(context.Background(), &rm))
	got := sums(rm)
	assert.Equal(t, map[string]float64{
		semconv.ClientRequests().Name:                2,
		semconv.ClientTokenCount().Name + "{input}":  38,
		semconv.ClientTokenCount().Name + "{output}": 22,
		// The fake reports cached and reasoning tokens as 0: counted, so
		// that the series exists, but adding nothing.
		semconv.ClientTokenCount().Name + "{cache_read}": 0,
		semconv.ClientTokenCount().Name + "{reasoning}":  0,
		semconv.ClientCost().Name:                        cost,
	}, got)

	select {
	case err := <-done:
		t.Fatalf("the replica stopped before it was told to: %v", err)
	default:
	}
	close(stop)
	require.NoError(t, <-done)
	require.Error(t, reader.Collect(context.Background(), &rm), "stopping shut the telemetry down")
}

// sums adds up the data points of each monotonic counter in rm, by
// instrument name and, for the token counter, token type.
func sums(rm metricdata.ResourceMetrics) map[string]float64 {
	out := map[string]float64{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			switch data := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, dp := range data.DataPoints {
					key := m.Name
					if tt, ok := dp.Attributes.Value(semconv.TokenTypeKey); ok {
						key = fmt.Sprintf("%s{%s}", m.Name, tt.AsString())
					}
					out[key] += float64(dp.Value)
				}
			case metricdata.Sum[float64]:
				for _, dp := range data.DataPoints {
					out[m.Name] += dp.Value
				}
			}
		}
	}
	return out
}
