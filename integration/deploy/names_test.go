package deploy_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/integration/deploy"
	"github.com/otelllm/otelllm/semconv"
)

// observedNames are the metric family names the prometheus exporter of the
// Jaeger v1.76.0 / collector 0.140 build served at the end of
// scripts/jaeger-roundtrip.sh, for instruments with these names and units.
// The derivation must keep agreeing with what was really seen: braces
// annotations such as {token} are dropped, s becomes _seconds, USD stays as
// written, and counters get _total.
var observedNames = map[string]string{
	semconv.ClientTokenUsage().Name:         "gen_ai_client_token_usage",
	semconv.ClientOperationDuration().Name:  "gen_ai_client_operation_duration_seconds",
	semconv.ClientTimeToFirstChunk().Name:   "gen_ai_client_operation_time_to_first_chunk_seconds",
	semconv.ClientTimePerOutputChunk().Name: "gen_ai_client_operation_time_per_output_chunk_seconds",
	semconv.ClientTokenCount().Name:         "otelllm_client_token_count_total",
	semconv.ClientCost().Name:               "otelllm_client_cost_USD_total",
	semconv.ClientRequests().Name:           "otelllm_client_requests_total",
}

func TestPrometheusNamesMatchTheObservedOnes(t *testing.T) {
	got := map[string]string{}
	for _, m := range deploy.Metrics() {
		name, err := deploy.PrometheusName(m)
		require.NoError(t, err)
		got[m.Instrument.Name] = name
	}
	assert.Equal(t, observedNames, got)
}

func TestLabelNames(t *testing.T) {
	for _, m := range deploy.Metrics() {
		labels, err := deploy.LabelNames(m)
		require.NoError(t, err)
		assert.Contains(t, labels, "gen_ai_request_model", m.Instrument.Name)
		assert.Contains(t, labels, "error_type", m.Instrument.Name)
		assert.Contains(t, labels, "job", m.Instrument.Name)
	}
	usage, err := deploy.LabelNames(deploy.Metrics()[0])
	require.NoError(t, err)
	assert.Contains(t, usage, "gen_ai_token_type")
	assert.Contains(t, usage, "server_port")
	assert.Contains(t, usage, "le")
}

// TestRoundTripScriptChecksEmittedNames keeps the script's default list of
// required metrics within what the library emits.
func TestRoundTripScriptChecksEmittedNames(t *testing.T) {
	script, err := os.ReadFile(repoPath(t, "scripts", "jaeger-roundtrip.sh"))
	require.NoError(t, err)
	m := regexp.MustCompile(`required_metrics=\$\{ROUNDTRIP_METRICS:-([^}]+)\}`).FindSubmatch(script)
	require.Len(t, m, 2, "the script's default ROUNDTRIP_METRICS")
	names := strings.Fields(string(m[1]))
	series := emitted(t)
	for _, name := range names {
		assert.Contains(t, series, name)
	}
	assert.Subset(t, names, []string{"otelllm_client_cost_USD_total", "gen_ai_client_operation_duration_seconds_bucket"})
}
