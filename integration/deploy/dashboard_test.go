package deploy_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/integration/deploy"
	"github.com/otelllm/otelllm/semconv"
)

type datasourceRef struct {
	Type string `json:"type"`
	UID  string `json:"uid"`
}

type dashboard struct {
	UID        string `json:"uid"`
	Title      string `json:"title"`
	Panels     []dashboardPanel
	Templating struct {
		List []struct {
			Name       string        `json:"name"`
			Type       string        `json:"type"`
			Query      string        `json:"query"`
			Datasource datasourceRef `json:"datasource"`
		} `json:"list"`
	} `json:"templating"`
}

type dashboardPanel struct {
	ID          int           `json:"id"`
	Type        string        `json:"type"`
	Title       string        `json:"title"`
	Description string        `json:"description"`
	Datasource  datasourceRef `json:"datasource"`
	FieldConfig struct {
		Defaults struct {
			Unit string `json:"unit"`
		} `json:"defaults"`
	} `json:"fieldConfig"`
	Targets []struct {
		RefID      string        `json:"refId"`
		Datasource datasourceRef `json:"datasource"`
		Expr       string        `json:"expr"`
	} `json:"targets"`
}

func loadDashboard(t *testing.T) dashboard {
	t.Helper()
	data, err := os.ReadFile(repoPath(t, "deploy", "grafana", "dashboards", "otelllm.json"))
	require.NoError(t, err)
	var d dashboard
	require.NoError(t, json.Unmarshal(data, &d))
	return d
}

// grafanaVariable matches $name and ${name}, which Grafana replaces before
// the query reaches Prometheus.
var grafanaVariable = regexp.MustCompile(`\$\{?(\w+)\}?`)

// parsePromQL substitutes Grafana's variables with what they expand to (a
// duration for the interval ones, a regex for the dashboard's multi-value
// ones, which appear only in =~ matchers) and parses the result with
// Prometheus's own parser.
func parsePromQL(t *testing.T, expr string) parser.Expr {
	t.Helper()
	substituted := grafanaVariable.ReplaceAllStringFunc(expr, func(v string) string {
		if strings.Contains(v, "__") {
			return "5m"
		}
		return ".*"
	})
	parsed, err := parser.ParseExpr(substituted)
	require.NoError(t, err, "PromQL: %s", expr)
	return parsed
}

// query is what a parsed PromQL expression refers to.
type query struct {
	metrics   []string            // names of the vector selectors
	matchers  map[string][]string // label -> values of its = matchers
	labels    []string            // every label name used: matchers, by, on, group_left
	functions []string
	numbers   []float64
}

func inspect(expr parser.Expr) query {
	q := query{matchers: map[string][]string{}}
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		switch n := node.(type) {
		case *parser.VectorSelector:
			q.metrics = append(q.metrics, n.Name)
			for _, m := range n.LabelMatchers {
				if m.Name == labels.MetricName {
					continue
				}
				q.labels = append(q.labels, m.Name)
				if m.Type == labels.MatchEqual {
					q.matchers[m.Name] = append(q.matchers[m.Name], m.Value)
				}
			}
		case *parser.AggregateExpr:
			q.labels = append(q.labels, n.Grouping...)
		case *parser.BinaryExpr:
			if n.VectorMatching != nil {
				q.labels = append(q.labels, n.VectorMatching.MatchingLabels...)
				q.labels = append(q.labels, n.VectorMatching.Include...)
			}
		case *parser.Call:
			q.functions = append(q.functions, n.Func.Name)
		case *parser.NumberLiteral:
			q.numbers = append(q.numbers, n.Val)
		}
		return nil
	})
	return q
}

// emitted maps every metric name a query may select to its instrument.
func emitted(t *testing.T) map[string]deploy.Metric {
	t.Helper()
	out := map[string]deploy.Metric{}
	for _, m := range deploy.Metrics() {
		names, err := deploy.SeriesNames(m)
		require.NoError(t, err)
		for _, name := range names {
			out[name] = m
		}
	}
	return out
}

// checkQuery asserts that expr selects only metrics the library emits, with
// only labels those metrics carry and only values the library writes.
func checkQuery(t *testing.T, where, expr string) query {
	t.Helper()
	q := inspect(parsePromQL(t, expr))
	require.NotEmpty(t, q.metrics, "%s selects no metric: %s", where, expr)
	series := emitted(t)
	allowed := map[string]bool{}
	for _, name := range q.metrics {
		m, ok := series[name]
		if !assert.True(t, ok, "%s selects %q, which otelllm does not emit: %s", where, name, expr) {
			continue
		}
		names, err := deploy.LabelNames(m)
		require.NoError(t, err)
		for _, l := range names {
			allowed[l] = true
		}
	}
	for _, l := range q.labels {
		assert.True(t, allowed[l], "%s uses label %q, which %v do not carry: %s", where, l, q.metrics, expr)
	}
	enums := map[string][]string{
		"otelllm_token_type": {semconv.TokenCountInput, semconv.TokenCountOutput, semconv.TokenCountCacheRead,
			semconv.TokenCountCacheCreation, semconv.TokenCountReasoning},
		"gen_ai_token_type": {semconv.TokenTypeInput, semconv.TokenTypeOutput},
	}
	for label, values := range q.matchers {
		if enum, ok := enums[label]; ok {
			for _, v := range values {
				assert.Contains(t, enum, v, "%s: %s=%q is never written", where, label, v)
			}
		}
	}
	return q
}

func TestDashboardQueriesUseOnlyEmittedMetrics(t *testing.T) {
	d := loadDashboard(t)
	var datasources grafanaDatasources
	readYAML(t, &datasources, "deploy", "grafana", "provisioning", "datasources", "datasources.yaml")
	prom := datasources.byUID(t, "prometheus")

	require.NotEmpty(t, d.Panels)
	ids := map[int]bool{}
	for _, p := range d.Panels {
		assert.False(t, ids[p.ID], "panel id %d is used twice", p.ID)
		ids[p.ID] = true
		assert.NotEmpty(t, p.Description, "%s: say what the panel shows", p.Title)
		assert.Equal(t, datasourceRef{Type: prom.Type, UID: prom.UID}, p.Datasource, "%s: the provisioned data source", p.Title)
		require.NotEmpty(t, p.Targets, p.Title)
		for _, target := range p.Targets {
			assert.Equal(t, p.Datasource, target.Datasource, p.Title)
			checkQuery(t, p.Title+"/"+target.RefID, target.Expr)
		}
	}
}

// labelValues matches Grafana's label_values(selector, label) variable query.
var labelValues = regexp.MustCompile(`^label_values\((.+),\s*(\w+)\)$`)

func TestDashboardVariables(t *testing.T) {
	d := loadDashboard(t)
	var names []string
	for _, v := range d.Templating.List {
		names = append(names, v.Name)
		assert.Equal(t, "query", v.Type)
		assert.Equal(t, "prometheus", v.Datasource.UID)
		m := labelValues.FindStringSubmatch(v.Query)
		require.Len(t, m, 3, "variable %s: %s", v.Name, v.Query)
		q := checkQuery(t, "variable "+v.Name, m[1])
		label := m[2]
		for _, metric := range q.metrics {
			labels, err := deploy.LabelNames(emitted(t)[metric])
			require.NoError(t, err)
			assert.Contains(t, labels, label, "variable %s lists values of a label %s lacks", v.Name, metric)
		}
	}
	assert.Equal(t, []string{"service", "model"}, names)
	for _, p := range d.Panels {
		for _, target := range p.Targets {
			for _, v := range names {
				assert.Contains(t, target.Expr, "$"+v, "%s: every query honours the %s filter", p.Title, v)
			}
		}
	}
}

// TestDashboardPanels checks that the panels the stack promises exist and ask
// the right question of the right metric.
func TestDashboardPanels(t *testing.T) {
	d := loadDashboard(t)
	assert.Equal(t, "otelllm", d.UID)
	tests := []struct {
		title     string
		unit      string
		metric    string
		groupBy   []string
		quantiles []float64
		matchers  map[string][]string
		numbers   []float64
	}{
		{
			title: "Tokens per second by model and type", unit: "suffix: tok/s",
			metric: "otelllm_client_token_count_total", groupBy: []string{"gen_ai_request_model", "otelllm_token_type"},
		},
		{
			title: "Cost per hour by model", unit: "currencyUSD",
			metric: "otelllm_client_cost_USD_total", groupBy: []string{"gen_ai_request_model"}, numbers: []float64{3600},
		},
		{
			title: "Operation duration p50 / p95", unit: "s",
			metric: "gen_ai_client_operation_duration_seconds_bucket", groupBy: []string{"le", "gen_ai_request_model"},
			quantiles: []float64{0.5, 0.95},
		},
		{
			title: "Time to first chunk p50 / p95", unit: "s",
			metric: "gen_ai_client_operation_time_to_first_chunk_seconds_bucket", groupBy: []string{"le", "gen_ai_request_model"},
			quantiles: []float64{0.5, 0.95},
		},
		{
			title: "Error rate by error.type", unit: "percentunit",
			metric: "otelllm_client_requests_total", groupBy: []string{"error_type"},
		},
		{
			title: "Cache-hit share of input tokens", unit: "percentunit",
			metric: "otelllm_client_token_count_total", groupBy: []string{"gen_ai_request_model"},
			matchers: map[string][]string{"otelllm_token_type": {semconv.TokenCountCacheRead, semconv.TokenCountInput}},
		},
	}
	require.Len(t, d.Panels, len(tests))
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			i := slices.IndexFunc(d.Panels, func(p dashboardPanel) bool { return p.Title == tt.title })
			require.GreaterOrEqual(t, i, 0, "no panel %q", tt.title)
			p := d.Panels[i]
			assert.Equal(t, "timeseries", p.Type)
			assert.Equal(t, tt.unit, p.FieldConfig.Defaults.Unit)

			var quantiles []float64
			for _, target := range p.Targets {
				q := checkQuery(t, p.Title, target.Expr)
				for _, name := range q.metrics {
					assert.Equal(t, tt.metric, name)
				}
				for _, l := range tt.groupBy {
					assert.Contains(t, q.labels, l)
				}
				for label, values := range tt.matchers {
					assert.ElementsMatch(t, values, q.matchers[label])
				}
				for _, n := range tt.numbers {
					assert.Contains(t, q.numbers, n)
				}
				if slices.Contains(q.functions, "histogram_quantile") {
					quantiles = append(quantiles, q.numbers[0])
				}
				// Counters and buckets only make sense as rates.
				assert.Contains(t, q.functions, "rate")
			}
			assert.Equal(t, tt.quantiles, quantiles)
		})
	}
}
