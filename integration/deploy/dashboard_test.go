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
	GridPos     struct {
		X int `json:"x"`
		Y int `json:"y"`
		W int `json:"w"`
		H int `json:"h"`
	} `json:"gridPos"`
	FieldConfig struct {
		Defaults struct {
			Unit     string `json:"unit"`
			Decimals *int   `json:"decimals"`
		} `json:"defaults"`
	} `json:"fieldConfig"`
	Targets []dashboardTarget `json:"targets"`
}

type dashboardTarget struct {
	RefID        string        `json:"refId"`
	Datasource   datasourceRef `json:"datasource"`
	Expr         string        `json:"expr"`
	LegendFormat string        `json:"legendFormat"`
	Instant      bool          `json:"instant"`
	Range        bool          `json:"range"`
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

// panelByTitle returns the dashboard's panel with that title, failing the
// test if there is none.
func panelByTitle(t *testing.T, d dashboard, title string) dashboardPanel {
	t.Helper()
	i := slices.IndexFunc(d.Panels, func(p dashboardPanel) bool { return p.Title == title })
	require.GreaterOrEqual(t, i, 0, "no panel %q", title)
	return d.Panels[i]
}

// zeroFallback reports whether expr, outermost parentheses aside, is
// `something or vector(0)` (with or without on()): the form that makes a
// query whose answer is 0 return 0 rather than no data.
func zeroFallback(expr parser.Expr) bool {
	for {
		paren, ok := expr.(*parser.ParenExpr)
		if !ok {
			break
		}
		expr = paren.Expr
	}
	or, ok := expr.(*parser.BinaryExpr)
	if !ok || or.Op != parser.LOR {
		return false
	}
	return isVectorZero(or.RHS)
}

// containsZeroFallback reports whether any sub-expression of expr is a
// zeroFallback, such as the numerator of a ratio.
func containsZeroFallback(expr parser.Expr) bool {
	found := false
	parser.Inspect(expr, func(node parser.Node, _ []parser.Node) error {
		if e, ok := node.(parser.Expr); ok && zeroFallback(e) {
			found = true
		}
		return nil
	})
	return found
}

func isVectorZero(expr parser.Expr) bool {
	call, ok := expr.(*parser.Call)
	if !ok || call.Func.Name != "vector" || len(call.Args) != 1 {
		return false
	}
	n, ok := call.Args[0].(*parser.NumberLiteral)
	return ok && n.Val == 0
}

// TestDashboardTimeSeriesPanels checks that the rate panels the stack
// promises exist and ask the right question of the right metric.
func TestDashboardTimeSeriesPanels(t *testing.T) {
	d := loadDashboard(t)
	assert.Equal(t, "otelllm", d.UID)
	type targetWant struct {
		groupBy  []string
		matchers map[string][]string
		numbers  []float64
		// zeroFallback: the query's answer can legitimately be 0 (an
		// idle fleet, calls without errors), so it must say 0, not
		// "No data".
		zeroFallback bool
	}
	tests := []struct {
		title     string
		unit      string
		metric    string
		quantiles []float64
		targets   map[string]targetWant
	}{
		{
			title: "Tokens per second by model and type", unit: "suffix: tok/s", metric: "otelllm_client_token_count_total",
			targets: map[string]targetWant{
				"A": {groupBy: []string{"gen_ai_request_model", "otelllm_token_type"}},
				"B": {zeroFallback: true},
			},
		},
		{
			title: "Cost per hour by model", unit: "currencyUSD", metric: "otelllm_client_cost_USD_total",
			targets: map[string]targetWant{
				"A": {groupBy: []string{"gen_ai_request_model"}, numbers: []float64{3600}},
				"B": {numbers: []float64{3600}, zeroFallback: true},
			},
		},
		{
			title: "Operation duration p50 / p95", unit: "s", metric: "gen_ai_client_operation_duration_seconds_bucket",
			quantiles: []float64{0.5, 0.95},
			targets: map[string]targetWant{
				"A": {groupBy: []string{"le", "gen_ai_request_model"}},
				"B": {groupBy: []string{"le", "gen_ai_request_model"}},
			},
		},
		{
			title: "Time to first chunk p50 / p95", unit: "s", metric: "gen_ai_client_operation_time_to_first_chunk_seconds_bucket",
			quantiles: []float64{0.5, 0.95},
			targets: map[string]targetWant{
				"A": {groupBy: []string{"le", "gen_ai_request_model"}},
				"B": {groupBy: []string{"le", "gen_ai_request_model"}},
			},
		},
		{
			title: "Error rate by error.type", unit: "percentunit", metric: "otelllm_client_requests_total",
			targets: map[string]targetWant{
				"A": {groupBy: []string{"error_type"}},
				"B": {zeroFallback: true},
			},
		},
		{
			// No fallback: a model whose provider never reports cache
			// reads has an unknown share, not 0.
			title: "Cache-hit share of input tokens", unit: "percentunit", metric: "otelllm_client_token_count_total",
			targets: map[string]targetWant{
				"A": {
					groupBy:  []string{"gen_ai_request_model"},
					matchers: map[string][]string{"otelllm_token_type": {semconv.TokenCountCacheRead, semconv.TokenCountInput}},
				},
			},
		},
	}
	timeseries := 0
	for _, p := range d.Panels {
		if p.Type == "timeseries" {
			timeseries++
		}
	}
	assert.Equal(t, len(tests), timeseries, "every rate panel is described here")
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			p := panelByTitle(t, d, tt.title)
			assert.Equal(t, "timeseries", p.Type)
			assert.Equal(t, tt.unit, p.FieldConfig.Defaults.Unit)
			require.Len(t, p.Targets, len(tt.targets))

			var quantiles []float64
			for _, target := range p.Targets {
				want, ok := tt.targets[target.RefID]
				require.True(t, ok, "unexpected target %s", target.RefID)
				q := checkQuery(t, p.Title, target.Expr)
				for _, name := range q.metrics {
					assert.Equal(t, tt.metric, name)
				}
				for _, l := range want.groupBy {
					assert.Contains(t, q.labels, l, target.RefID)
				}
				for label, values := range want.matchers {
					assert.ElementsMatch(t, values, q.matchers[label], target.RefID)
				}
				for _, n := range want.numbers {
					assert.Contains(t, q.numbers, n, target.RefID)
				}
				if slices.Contains(q.functions, "histogram_quantile") {
					quantiles = append(quantiles, q.numbers[0])
				}
				// Counters and buckets only make sense as rates.
				assert.Contains(t, q.functions, "rate", target.RefID)
				assert.Contains(t, target.Expr, "[$__rate_interval]", target.RefID)
				assert.Equal(t, want.zeroFallback, containsZeroFallback(parsePromQL(t, target.Expr)),
					"%s: `or vector(0)` where 0 is a legitimate answer, and only there: %s", target.RefID, target.Expr)
				assert.True(t, target.Range, "%s: a range query", target.RefID)
			}
			assert.Equal(t, tt.quantiles, quantiles)
		})
	}
}

// TestDashboardTotalPanels checks the stat panels that answer "how much, in
// this time range": what a short run or a whole fleet is read from, since a
// rate over a run shorter than the rate window says little.
func TestDashboardTotalPanels(t *testing.T) {
	d := loadDashboard(t)
	tests := []struct {
		title    string
		unit     string
		metric   string
		matchers map[string][]string
		// negated names a label that must be matched with != "" (the
		// failed requests: error_type set).
		negated string
	}{
		{title: "Requests", unit: "short", metric: "otelllm_client_requests_total"},
		{title: "Failed requests", unit: "short", metric: "otelllm_client_requests_total", negated: "error_type"},
		{title: "Cost", unit: "currencyUSD", metric: "otelllm_client_cost_USD_total"},
		{
			title: "Input tokens", unit: "short", metric: "otelllm_client_token_count_total",
			matchers: map[string][]string{"otelllm_token_type": {semconv.TokenCountInput}},
		},
		{
			title: "Output tokens", unit: "short", metric: "otelllm_client_token_count_total",
			matchers: map[string][]string{"otelllm_token_type": {semconv.TokenCountOutput}},
		},
		{
			title: "Cache-read input tokens", unit: "short", metric: "otelllm_client_token_count_total",
			matchers: map[string][]string{"otelllm_token_type": {semconv.TokenCountCacheRead}},
		},
		{
			title: "Cache-write input tokens", unit: "short", metric: "otelllm_client_token_count_total",
			matchers: map[string][]string{"otelllm_token_type": {semconv.TokenCountCacheCreation}},
		},
		{
			title: "Reasoning tokens", unit: "short", metric: "otelllm_client_token_count_total",
			matchers: map[string][]string{"otelllm_token_type": {semconv.TokenCountReasoning}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			p := panelByTitle(t, d, tt.title)
			assert.Equal(t, "stat", p.Type)
			assert.Equal(t, tt.unit, p.FieldConfig.Defaults.Unit)
			if tt.unit == "short" {
				require.NotNil(t, p.FieldConfig.Defaults.Decimals, "counts are whole numbers")
				assert.Equal(t, 0, *p.FieldConfig.Defaults.Decimals)
			}
			require.Len(t, p.Targets, 1)
			target := p.Targets[0]
			assert.True(t, target.Instant, "one number for the whole range: an instant query")
			assert.False(t, target.Range)

			expr := parsePromQL(t, target.Expr)
			require.True(t, zeroFallback(expr), "a range without calls shows 0, not No data: %s", target.Expr)
			q := checkQuery(t, p.Title, target.Expr)
			assert.Equal(t, []string{tt.metric}, q.metrics)
			for label, values := range tt.matchers {
				assert.ElementsMatch(t, values, q.matchers[label])
			}
			if tt.negated != "" {
				assert.Contains(t, target.Expr, tt.negated+`!=""`)
			}
			// The total over the dashboard's range, summed over every
			// series: every instance, model and label value selected.
			assert.Equal(t, []string{"increase", "vector"}, q.functions)
			assert.Contains(t, target.Expr, "[$__range]")
			or := unparen(expr).(*parser.BinaryExpr)
			sum, ok := unparen(or.LHS).(*parser.AggregateExpr)
			require.True(t, ok, "the total is a sum: %s", target.Expr)
			assert.Equal(t, parser.ItemType(parser.SUM), sum.Op)
			assert.Empty(t, sum.Grouping, "one total, not one per label value")
			assert.False(t, sum.Without)
		})
	}

	t.Run("Instances reporting", func(t *testing.T) {
		p := panelByTitle(t, d, "Instances reporting")
		assert.Equal(t, "stat", p.Type)
		require.Len(t, p.Targets, 1)
		target := p.Targets[0]
		assert.True(t, target.Instant)
		expr := parsePromQL(t, target.Expr)
		require.True(t, zeroFallback(expr), target.Expr)
		q := checkQuery(t, p.Title, target.Expr)
		assert.Equal(t, []string{"otelllm_client_requests_total"}, q.metrics)
		// An instance is a (service.name, service.instance.id) pair:
		// instance ids need only be unique within a service.
		assert.Subset(t, q.labels, []string{"job", "instance"})
		assert.Contains(t, q.functions, "last_over_time")
		assert.Contains(t, target.Expr, "[$__range]")
	})

	// The totals come first, where a reader looks.
	for _, p := range d.Panels {
		if p.Type == "timeseries" {
			assert.GreaterOrEqual(t, p.GridPos.Y, 8, "%s is below the totals", p.Title)
		}
	}
}

func unparen(expr parser.Expr) parser.Expr {
	for {
		paren, ok := expr.(*parser.ParenExpr)
		if !ok {
			return expr
		}
		expr = paren.Expr
	}
}

// TestDashboardSumsOverInstances checks that the dashboard is right for a
// fleet: every series is aggregated before it is shown, and no panel but the
// one about instances groups or filters by instance, so replicas add up
// instead of appearing as so many lines (or, with a per-instance legend, as
// one line drawn over another).
func TestDashboardSumsOverInstances(t *testing.T) {
	d := loadDashboard(t)
	for _, p := range d.Panels {
		aboutInstances := strings.Contains(strings.ToLower(p.Title), "instance")
		for _, target := range p.Targets {
			where := p.Title + "/" + target.RefID
			parser.Inspect(parsePromQL(t, target.Expr), func(node parser.Node, path []parser.Node) error {
				switch n := node.(type) {
				case *parser.VectorSelector:
					aggregated := slices.ContainsFunc(path, func(ancestor parser.Node) bool {
						_, ok := ancestor.(*parser.AggregateExpr)
						return ok
					})
					assert.True(t, aggregated, "%s shows %s unaggregated, one line per instance", where, n.Name)
					for _, m := range n.LabelMatchers {
						assert.NotEqual(t, "instance", m.Name, "%s filters by instance", where)
					}
				case *parser.AggregateExpr:
					if !aboutInstances {
						assert.NotContains(t, n.Grouping, "instance", "%s splits by instance", where)
						assert.False(t, n.Without && !slices.Contains(n.Grouping, "instance"),
							"%s aggregates without(...) and so keeps instance", where)
					}
				}
				return nil
			})
			assert.NotContains(t, target.LegendFormat, "instance", where)
		}
	}
}

// TestFleetScriptReadsTheTotalPanels keeps scripts/fleet-roundtrip.sh, which
// runs the total panels' queries on a real Prometheus, in step with the
// dashboard: every panel it names is a total panel, and it checks them all.
func TestFleetScriptReadsTheTotalPanels(t *testing.T) {
	script, err := os.ReadFile(repoPath(t, "scripts", "fleet-roundtrip.sh"))
	require.NoError(t, err)
	var named []string
	for _, m := range regexp.MustCompile(`dashboard_total "([^"]+)"`).FindAllStringSubmatch(string(script), -1) {
		named = append(named, m[1])
	}
	var stats []string
	for _, p := range loadDashboard(t).Panels {
		if p.Type == "stat" {
			stats = append(stats, p.Title)
		}
	}
	assert.ElementsMatch(t, stats, named)
}
