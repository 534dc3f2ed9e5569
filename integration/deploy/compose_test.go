package deploy_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The pinned images. Jaeger 2.13.0 is the release of the Jaeger module
// v1.76.0 that scripts/jaeger-roundtrip.sh builds, and it and the contrib
// collector 0.140.1 share the OpenTelemetry Collector 0.140 components
// (otlp receiver, prometheus exporter), so what the round trip observes is
// what this stack does.
var pinnedImages = map[string]string{
	"otel-collector": "otel/opentelemetry-collector-contrib:0.140.1",
	"jaeger":         "jaegertracing/jaeger:2.13.0",
	"prometheus":     "prom/prometheus:v3.7.3",
	"grafana":        "grafana/grafana:12.3.0",
}

// loadCompose loads docker-compose.yaml as `docker compose` would, with the
// Compose Specification's loader: schema validation, normalisation, paths
// resolved against the repository root, and no .env or OS environment.
func loadCompose(t *testing.T) *types.Project {
	t.Helper()
	opts, err := cli.NewProjectOptions(
		[]string{repoPath(t, "docker-compose.yaml")},
		cli.WithWorkingDirectory(repoPath(t)),
		cli.WithResolvedPaths(true),
		cli.WithEnv(nil),
	)
	require.NoError(t, err)
	project, err := opts.LoadProject(context.Background())
	require.NoError(t, err)
	return project
}

func TestComposeServicesAndPinnedImages(t *testing.T) {
	project := loadCompose(t)
	assert.Equal(t, "otelllm", project.Name)
	names := project.ServiceNames()
	slices.Sort(names)
	assert.Equal(t, []string{"grafana", "jaeger", "otel-collector", "prometheus"}, names)

	exactTag := regexp.MustCompile(`^v?\d+\.\d+\.\d+$`)
	for name, service := range project.Services {
		assert.Equal(t, pinnedImages[name], service.Image, name)
		_, tag, ok := strings.Cut(service.Image, ":")
		require.True(t, ok, "%s: image %q has no tag", name, service.Image)
		assert.Regexp(t, exactTag, tag, "%s: pin an exact release, not %q", name, tag)
	}
	assert.True(t, strings.HasPrefix(project.Services["jaeger"].Image, "jaegertracing/jaeger:2."), "Jaeger v2")
}

func TestComposePorts(t *testing.T) {
	project := loadCompose(t)
	want := map[string][]uint32{
		"otel-collector": {4317, 4318, 8889},
		"jaeger":         {16686},
		"prometheus":     {9090},
		"grafana":        {3000},
	}
	for name, ports := range want {
		service := project.Services[name]
		var published []uint32
		for _, p := range service.Ports {
			assert.Equal(t, "127.0.0.1", p.HostIP, "%s:%d is published on loopback only", name, p.Target)
			assert.Equal(t, "tcp", p.Protocol)
			assert.Equal(t, p.Target, mustAtoi(t, p.Published), "%s publishes %d on the same port", name, p.Target)
			published = append(published, p.Target)
		}
		assert.ElementsMatch(t, ports, published, name)
	}
}

func TestComposeVolumesPointAtRepositoryFiles(t *testing.T) {
	project := loadCompose(t)
	root := repoPath(t)
	binds := 0
	for name, service := range project.Services {
		for _, v := range service.Volumes {
			if v.Type != types.VolumeTypeBind {
				assert.Contains(t, project.Volumes, v.Source, "%s: named volume declared", name)
				continue
			}
			binds++
			assert.True(t, v.ReadOnly, "%s: configuration mounted read-only: %s", name, v.Source)
			rel, err := filepath.Rel(root, v.Source)
			require.NoError(t, err)
			assert.False(t, strings.HasPrefix(rel, ".."), "%s mounts %s, outside the repository", name, v.Source)
			_, err = os.Stat(v.Source)
			assert.NoError(t, err, "%s mounts a file that does not exist", name)
		}
	}
	assert.Equal(t, 6, binds)
}

// TestComposeCommandsReadTheMountedConfigs checks that each service is told
// to read the file mounted for it, not a default baked into the image.
func TestComposeCommandsReadTheMountedConfigs(t *testing.T) {
	project := loadCompose(t)
	for service, flag := range map[string]string{
		"otel-collector": "--config=",
		"jaeger":         "--config=",
		"prometheus":     "--config.file=",
	} {
		var configPath string
		for _, arg := range project.Services[service].Command {
			if after, ok := strings.CutPrefix(arg, flag); ok {
				configPath = after
			}
		}
		require.NotEmpty(t, configPath, "%s: no %s in its command", service, flag)
		assert.NotEmpty(t, bindSource(t, project, service, configPath), "%s reads %s, which is not mounted", service, configPath)
	}
}

// TestComposePrometheusCountsShortRuns checks that Prometheus ingests the
// counters' start times as 0 samples, without which increase() misses all
// of a run shorter than a scrape interval (the dashboard's totals read 0),
// and that scripts/fleet-roundtrip.sh, which shows that happen for real,
// runs Prometheus with the same features.
func TestComposePrometheusCountsShortRuns(t *testing.T) {
	project := loadCompose(t)
	var features []string
	for _, arg := range project.Services["prometheus"].Command {
		if list, ok := strings.CutPrefix(arg, "--enable-feature="); ok {
			features = append(features, strings.Split(list, ",")...)
		}
	}
	assert.Contains(t, features, "created-timestamp-zero-ingestion")
	script, err := os.ReadFile(repoPath(t, "scripts", "fleet-roundtrip.sh"))
	require.NoError(t, err)
	assert.Contains(t, string(script), "--enable-feature="+strings.Join(features, ","))
	// The script builds the Prometheus module release of the pinned image.
	assert.Equal(t, "prom/prometheus:v3.7.3", project.Services["prometheus"].Image)
	assert.Contains(t, string(script), "PROMETHEUS_VERSION:-v0.307.3}", "Prometheus v3.7.3 is module v0.307.3")
}

func TestComposeDependencies(t *testing.T) {
	project := loadCompose(t)
	deps := func(name string) []string {
		var out []string
		for dep := range project.Services[name].DependsOn {
			out = append(out, dep)
		}
		return out
	}
	assert.ElementsMatch(t, []string{"jaeger"}, deps("otel-collector"))
	assert.ElementsMatch(t, []string{"otel-collector"}, deps("prometheus"))
	assert.ElementsMatch(t, []string{"prometheus", "jaeger"}, deps("grafana"))
}

// bindSource returns the host path bind-mounted at target in service, or at
// a directory containing target; "" if none is.
func bindSource(t *testing.T, project *types.Project, service, target string) string {
	t.Helper()
	for _, v := range project.Services[service].Volumes {
		if v.Type != types.VolumeTypeBind {
			continue
		}
		if v.Target == target {
			return v.Source
		}
		if rel, ok := strings.CutPrefix(target, v.Target+"/"); ok {
			return filepath.Join(v.Source, rel)
		}
	}
	return ""
}

func mustAtoi(t *testing.T, s string) uint32 {
	t.Helper()
	n, err := strconv.ParseUint(s, 10, 32)
	require.NoError(t, err)
	return uint32(n)
}
