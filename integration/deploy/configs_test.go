package deploy_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/integration/deploy"
)

// requirePublished fails the test unless the compose service publishes the
// container port port.
func requirePublished(t *testing.T, service string, port int) {
	t.Helper()
	project := loadCompose(t)
	for _, p := range project.Services[service].Ports {
		if int(p.Target) == port {
			return
		}
	}
	t.Fatalf("%s does not publish port %d", service, port)
}

func TestCollectorConfig(t *testing.T) {
	var c collectorConfig
	readYAML(t, &c, "deploy", "otel-collector.yaml")
	checkPipelinesWellFormed(t, c)

	grpcEndpoint, httpEndpoint := c.otlpEndpoints(t)
	host, port := hostPort(t, grpcEndpoint)
	assert.Equal(t, "0.0.0.0", host, "reachable from other containers")
	assert.Equal(t, 4317, port)
	requirePublished(t, "otel-collector", port)
	host, port = hostPort(t, httpEndpoint)
	assert.Equal(t, "0.0.0.0", host)
	assert.Equal(t, 4318, port)
	requirePublished(t, "otel-collector", port)

	traces := c.Service.Pipelines["traces"]
	assert.Equal(t, []string{"otlp"}, traces.Receivers)
	assert.Equal(t, []string{"memory_limiter", "batch"}, traces.Processors, "memory_limiter comes first")
	require.Equal(t, []string{"otlp/jaeger"}, traces.Exporters)
	var otlpExporter struct {
		Endpoint string
		TLS      struct{ Insecure bool } `yaml:"tls"`
	}
	remarshal(t, c.Exporters["otlp/jaeger"], &otlpExporter)
	assert.True(t, otlpExporter.TLS.Insecure, "Jaeger's receiver inside the compose network has no TLS")

	// The traces go where Jaeger's OTLP gRPC receiver listens.
	var jaeger collectorConfig
	readYAML(t, &jaeger, "deploy", "jaeger.yaml")
	jaegerGRPC, _ := jaeger.otlpEndpoints(t)
	_, jaegerPort := hostPort(t, jaegerGRPC)
	host, port = hostPort(t, otlpExporter.Endpoint)
	assert.Equal(t, "jaeger", host, "the compose service name")
	assert.Contains(t, loadCompose(t).Services, host)
	assert.Equal(t, jaegerPort, port)

	metrics := c.Service.Pipelines["metrics"]
	assert.Equal(t, []string{"otlp"}, metrics.Receivers)
	assert.Equal(t, []string{"memory_limiter", "batch"}, metrics.Processors)
	assert.Equal(t, []string{"prometheus"}, metrics.Exporters)
	// Logs (content capture's details events) are accepted, not refused.
	logs := c.Service.Pipelines["logs"]
	assert.Equal(t, []string{"otlp"}, logs.Receivers)
	assert.Equal(t, []string{"memory_limiter", "batch"}, logs.Processors)
	assert.Equal(t, []string{"debug"}, logs.Exporters)
	assert.Len(t, c.Service.Pipelines, 3)

	prom := prometheusExporter(t, c)
	host, port = hostPort(t, prom.Endpoint)
	assert.Equal(t, "0.0.0.0", host)
	assert.Equal(t, 8889, port)
	assert.Equal(t, string(deploy.Translation()), prom.TranslationStrategy)
}

type prometheusExporterConfig struct {
	Endpoint            string
	TranslationStrategy string `yaml:"translation_strategy"`
	Namespace           string `yaml:"namespace"`
}

func prometheusExporter(t *testing.T, c collectorConfig) prometheusExporterConfig {
	t.Helper()
	var prom prometheusExporterConfig
	remarshal(t, c.Exporters["prometheus"], &prom)
	assert.Empty(t, prom.Namespace, "a namespace would prefix every metric name the dashboard uses")
	return prom
}

func TestJaegerConfig(t *testing.T) {
	var c collectorConfig
	readYAML(t, &c, "deploy", "jaeger.yaml")
	checkPipelinesWellFormed(t, c)
	assert.Len(t, c.Service.Pipelines, 1)
	traces := c.Service.Pipelines["traces"]
	assert.Equal(t, []string{"otlp"}, traces.Receivers)
	assert.Equal(t, []string{"jaeger_storage_exporter"}, traces.Exporters)
	checkJaegerQuery(t, c, "0.0.0.0")
	requirePublished(t, "jaeger", 16686)
}

// checkJaegerQuery checks that the storage exporter writes where the query
// service reads, and that the query API listens on host:16686.
func checkJaegerQuery(t *testing.T, c collectorConfig, wantHost string) {
	t.Helper()
	var storage struct {
		Backends map[string]map[string]any `yaml:"backends"`
	}
	remarshal(t, c.Extensions["jaeger_storage"], &storage)
	var exporter struct {
		TraceStorage string `yaml:"trace_storage"`
	}
	remarshal(t, c.Exporters["jaeger_storage_exporter"], &exporter)
	var query struct {
		Storage struct {
			Traces string `yaml:"traces"`
		} `yaml:"storage"`
		EnableTracing *bool `yaml:"enable_tracing"`
		HTTP          struct{ Endpoint string }
	}
	remarshal(t, c.Extensions["jaeger_query"], &query)

	require.Contains(t, storage.Backends, exporter.TraceStorage)
	assert.Contains(t, storage.Backends[exporter.TraceStorage], "memory")
	assert.Equal(t, exporter.TraceStorage, query.Storage.Traces, "the UI reads the storage the exporter writes")
	require.NotNil(t, query.EnableTracing)
	assert.False(t, *query.EnableTracing, "Jaeger would trace itself into its own receiver")
	host, port := hostPort(t, query.HTTP.Endpoint)
	assert.Equal(t, wantHost, host)
	assert.Equal(t, 16686, port)
	assert.Contains(t, c.Service.Extensions, "jaeger_storage")
	assert.Contains(t, c.Service.Extensions, "jaeger_query")
}

// TestJaegerCIConfig checks the configuration scripts/jaeger-roundtrip.sh
// runs: loopback only, traces into Jaeger, metrics through the same
// prometheus exporter settings as the compose collector, on the addresses
// the script polls.
func TestJaegerCIConfig(t *testing.T) {
	var c collectorConfig
	readYAML(t, &c, "deploy", "jaeger-ci.yaml")
	checkPipelinesWellFormed(t, c)
	checkJaegerQuery(t, c, "127.0.0.1")

	grpcEndpoint, httpEndpoint := c.otlpEndpoints(t)
	assert.Equal(t, "127.0.0.1:4317", grpcEndpoint)
	assert.Equal(t, "127.0.0.1:4318", httpEndpoint)
	assert.Equal(t, []string{"otlp"}, c.Service.Pipelines["traces"].Receivers)
	assert.Equal(t, []string{"jaeger_storage_exporter"}, c.Service.Pipelines["traces"].Exporters)
	assert.Equal(t, []string{"otlp"}, c.Service.Pipelines["metrics"].Receivers)
	assert.Equal(t, []string{"prometheus"}, c.Service.Pipelines["metrics"].Exporters)
	// The details events go to Jaeger's log, where the script looks.
	assert.Equal(t, []string{"otlp"}, c.Service.Pipelines["logs"].Receivers)
	assert.Equal(t, []string{"debug"}, c.Service.Pipelines["logs"].Exporters)
	var debug struct{ Verbosity string }
	remarshal(t, c.Exporters["debug"], &debug)
	assert.Equal(t, "detailed", debug.Verbosity, "the script reads each record's event name and trace id")

	prom := prometheusExporter(t, c)
	assert.Equal(t, "127.0.0.1:8889", prom.Endpoint)
	var compose collectorConfig
	readYAML(t, &compose, "deploy", "otel-collector.yaml")
	assert.Equal(t, prometheusExporter(t, compose).TranslationStrategy, prom.TranslationStrategy,
		"the round trip sees the names the compose stack produces")

	var health struct{ HTTP struct{ Endpoint string } }
	remarshal(t, c.Extensions["healthcheckv2"], &health)
	assert.Equal(t, "127.0.0.1:13133", health.HTTP.Endpoint)

	lib, err := os.ReadFile(repoPath(t, "scripts", "lib", "roundtrip.sh"))
	require.NoError(t, err)
	for _, url := range []string{
		"http://127.0.0.1:16686", "http://127.0.0.1:8889/metrics", "http://127.0.0.1:13133/status",
		"otlp_http_endpoint=http://127.0.0.1:4318", "deploy/jaeger-ci.yaml",
	} {
		assert.Contains(t, string(lib), url, "the scripts poll what the config serves")
	}
	sendsToJaeger := regexp.MustCompile(`OTEL_EXPORTER_OTLP_ENDPOINT="?\$otlp_http_endpoint"?`)
	for _, name := range []string{"jaeger-roundtrip.sh", "fleet-roundtrip.sh"} {
		script, err := os.ReadFile(repoPath(t, "scripts", name))
		require.NoError(t, err)
		assert.Contains(t, string(script), `source "$repo_root/scripts/lib/roundtrip.sh"`, name)
		assert.Regexp(t, sendsToJaeger, string(script), "%s: the program sends OTLP where Jaeger listens", name)
	}
}

// TestNothingCollapsesInstances checks the path from the application to
// Prometheus for anything that would make the series of two replicas one
// series: the prometheus exporter derives job from service.name and instance
// from service.instance.id, and nothing between may drop or overwrite them.
func TestNothingCollapsesInstances(t *testing.T) {
	for _, config := range []string{"otel-collector.yaml", "jaeger-ci.yaml"} {
		t.Run(config, func(t *testing.T) {
			var c collectorConfig
			readYAML(t, &c, "deploy", config)
			// Only processors that pass resources through untouched: a
			// resource, attributes or transform processor could delete
			// or overwrite service.instance.id.
			for name := range c.Processors {
				kind, _, _ := strings.Cut(name, "/")
				assert.Contains(t, []string{"batch", "memory_limiter"}, kind, "processor %s", name)
			}
			// instance comes from service.instance.id whatever this says;
			// enabling it would copy every other resource attribute
			// (process.pid, host.name, telemetry.sdk.*) onto every series
			// too, which buys no correctness and costs cardinality.
			var prom struct {
				Conversion struct {
					Enabled bool `yaml:"enabled"`
				} `yaml:"resource_to_telemetry_conversion"`
			}
			remarshal(t, c.Exporters["prometheus"], &prom)
			assert.False(t, prom.Conversion.Enabled)
		})
	}

	var cfg struct {
		ScrapeConfigs []map[string]any `yaml:"scrape_configs"`
	}
	readYAML(t, &cfg, "deploy", "prometheus.yaml")
	for _, job := range cfg.ScrapeConfigs {
		// honor_labels keeps the exporter's job and instance rather than
		// replacing them with the scrape target's, which is one collector
		// for the whole fleet.
		assert.Equal(t, true, job["honor_labels"], job["job_name"])
		for _, key := range []string{"relabel_configs", "metric_relabel_configs"} {
			assert.NotContains(t, job, key, "%v: relabelling could drop or rewrite instance", job["job_name"])
		}
	}
}

func TestPrometheusConfig(t *testing.T) {
	var cfg struct {
		Global struct {
			ScrapeInterval string `yaml:"scrape_interval"`
		} `yaml:"global"`
		ScrapeConfigs []struct {
			JobName       string `yaml:"job_name"`
			HonorLabels   bool   `yaml:"honor_labels"`
			StaticConfigs []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
		} `yaml:"scrape_configs"`
	}
	readYAML(t, &cfg, "deploy", "prometheus.yaml")
	require.Len(t, cfg.ScrapeConfigs, 1)
	job := cfg.ScrapeConfigs[0]
	assert.True(t, job.HonorLabels, "keep the exporter's job=<service.name>")
	require.Len(t, job.StaticConfigs, 1)
	require.Equal(t, []string{"otel-collector:8889"}, job.StaticConfigs[0].Targets)

	var collector collectorConfig
	readYAML(t, &collector, "deploy", "otel-collector.yaml")
	_, exporterPort := hostPort(t, prometheusExporter(t, collector).Endpoint)
	host, port := hostPort(t, job.StaticConfigs[0].Targets[0])
	assert.Contains(t, loadCompose(t).Services, host)
	assert.Equal(t, exporterPort, port, "Prometheus scrapes the port the exporter serves")

	var datasources grafanaDatasources
	readYAML(t, &datasources, "deploy", "grafana", "provisioning", "datasources", "datasources.yaml")
	assert.Equal(t, cfg.Global.ScrapeInterval, datasources.byUID(t, "prometheus").JSONData.TimeInterval,
		"$__rate_interval assumes the real scrape interval")
}

type grafanaDatasource struct {
	Name      string
	UID       string `yaml:"uid"`
	Type      string
	Access    string
	URL       string `yaml:"url"`
	IsDefault bool   `yaml:"isDefault"`
	JSONData  struct {
		TimeInterval string `yaml:"timeInterval"`
	} `yaml:"jsonData"`
}

type grafanaDatasources struct {
	APIVersion  int                 `yaml:"apiVersion"`
	Datasources []grafanaDatasource `yaml:"datasources"`
}

func (g grafanaDatasources) byUID(t *testing.T, uid string) grafanaDatasource {
	t.Helper()
	for _, d := range g.Datasources {
		if d.UID == uid {
			return d
		}
	}
	t.Fatalf("no Grafana data source with uid %q", uid)
	return grafanaDatasource{}
}

func TestGrafanaProvisioning(t *testing.T) {
	project := loadCompose(t)
	var datasources grafanaDatasources
	readYAML(t, &datasources, "deploy", "grafana", "provisioning", "datasources", "datasources.yaml")
	assert.Equal(t, 1, datasources.APIVersion)

	prom := datasources.byUID(t, "prometheus")
	assert.Equal(t, "prometheus", prom.Type)
	assert.Equal(t, "proxy", prom.Access, "the server, inside the compose network, makes the requests")
	assert.True(t, prom.IsDefault)
	host, port := hostPort(t, prom.URL)
	assert.Equal(t, "prometheus", host)
	assert.Equal(t, 9090, port)
	assert.Contains(t, project.Services, host)

	jaeger := datasources.byUID(t, "jaeger")
	assert.Equal(t, "jaeger", jaeger.Type)
	host, port = hostPort(t, jaeger.URL)
	assert.Contains(t, project.Services, host)
	assert.Equal(t, 16686, port)

	// Grafana reads provisioning from fixed directories; the files must be
	// mounted into them.
	for _, dir := range []string{"datasources", "dashboards"} {
		src := bindSource(t, project, "grafana", "/etc/grafana/provisioning/"+dir)
		require.NotEmpty(t, src, "provisioning/%s is not mounted", dir)
		matches, err := filepath.Glob(filepath.Join(src, "*.yaml"))
		require.NoError(t, err)
		assert.NotEmpty(t, matches, "no provisioning file in %s", src)
	}

	var providers struct {
		APIVersion int `yaml:"apiVersion"`
		Providers  []struct {
			Name    string
			Type    string
			Options struct {
				Path string
			}
		} `yaml:"providers"`
	}
	readYAML(t, &providers, "deploy", "grafana", "provisioning", "dashboards", "dashboards.yaml")
	require.Len(t, providers.Providers, 1)
	provider := providers.Providers[0]
	assert.Equal(t, "file", provider.Type)
	dashboards := bindSource(t, project, "grafana", provider.Options.Path)
	require.NotEmpty(t, dashboards, "the dashboards path %s is not mounted", provider.Options.Path)
	_, err := os.Stat(filepath.Join(dashboards, "otelllm.json"))
	assert.NoError(t, err, "the dashboard is in the mounted directory")

	home := project.Services["grafana"].Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
	require.NotNil(t, home)
	assert.Equal(t, filepath.Join(dashboards, "otelllm.json"), bindSource(t, project, "grafana", *home))
}
