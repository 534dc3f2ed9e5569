package deploy_test

import (
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// repoPath returns the absolute path of a file in the repository, which is
// two levels up from this package (integration/deploy).
func repoPath(t *testing.T, elem ...string) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	return filepath.Join(append([]string{root}, elem...)...)
}

// readYAML decodes a repository file into out, failing on unknown syntax.
func readYAML(t *testing.T, out any, elem ...string) {
	t.Helper()
	data, err := os.ReadFile(repoPath(t, elem...))
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, out), filepath.Join(elem...))
}

// hostPort splits "host:port" or a URL's authority and returns the port as
// a number, failing the test on anything else.
func hostPort(t *testing.T, endpoint string) (string, int) {
	t.Helper()
	if u, err := url.Parse(endpoint); err == nil && u.Host != "" {
		endpoint = u.Host
	}
	host, portText, err := net.SplitHostPort(endpoint)
	require.NoError(t, err, endpoint)
	port, err := strconv.Atoi(portText)
	require.NoError(t, err, endpoint)
	return host, port
}

// collectorConfig is the part of an OpenTelemetry Collector configuration
// (the contrib collector's or Jaeger v2's) that these tests cross-check.
type collectorConfig struct {
	Receivers  map[string]map[string]any `yaml:"receivers"`
	Processors map[string]map[string]any `yaml:"processors"`
	Exporters  map[string]map[string]any `yaml:"exporters"`
	Extensions map[string]map[string]any `yaml:"extensions"`
	Service    struct {
		Extensions []string `yaml:"extensions"`
		Pipelines  map[string]struct {
			Receivers  []string `yaml:"receivers"`
			Processors []string `yaml:"processors"`
			Exporters  []string `yaml:"exporters"`
		} `yaml:"pipelines"`
	} `yaml:"service"`
}

// otlpEndpoints returns the endpoints of the otlp receiver's gRPC and HTTP
// protocols.
func (c collectorConfig) otlpEndpoints(t *testing.T) (grpcEndpoint, httpEndpoint string) {
	t.Helper()
	var otlp struct {
		Protocols struct {
			GRPC struct{ Endpoint string } `yaml:"grpc"`
			HTTP struct{ Endpoint string } `yaml:"http"`
		} `yaml:"protocols"`
	}
	remarshal(t, c.Receivers["otlp"], &otlp)
	return otlp.Protocols.GRPC.Endpoint, otlp.Protocols.HTTP.Endpoint
}

// remarshal converts a generic YAML value into a typed one.
func remarshal(t *testing.T, in, out any) {
	t.Helper()
	data, err := yaml.Marshal(in)
	require.NoError(t, err)
	require.NoError(t, yaml.Unmarshal(data, out))
}

// checkPipelinesWellFormed asserts what the collector would refuse at start-up
// (a pipeline naming an undefined component) and what it would silently
// ignore (a component defined but in no pipeline).
func checkPipelinesWellFormed(t *testing.T, c collectorConfig) {
	t.Helper()
	used := map[string]map[string]bool{"receivers": {}, "processors": {}, "exporters": {}}
	for name, p := range c.Service.Pipelines {
		require.NotEmpty(t, p.Receivers, "pipeline %s has no receiver", name)
		require.NotEmpty(t, p.Exporters, "pipeline %s has no exporter", name)
		for _, r := range p.Receivers {
			require.Contains(t, c.Receivers, r, "pipeline %s", name)
			used["receivers"][r] = true
		}
		for _, pr := range p.Processors {
			require.Contains(t, c.Processors, pr, "pipeline %s", name)
			used["processors"][pr] = true
		}
		for _, e := range p.Exporters {
			require.Contains(t, c.Exporters, e, "pipeline %s", name)
			used["exporters"][e] = true
		}
	}
	for kind, defined := range map[string]map[string]map[string]any{
		"receivers": c.Receivers, "processors": c.Processors, "exporters": c.Exporters,
	} {
		for name := range defined {
			require.True(t, used[kind][name], "%s %q is defined but in no pipeline", kind, name)
		}
	}
	for _, ext := range c.Service.Extensions {
		require.Contains(t, c.Extensions, ext)
	}
}
