package deploy_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// jaegerBinary returns the Jaeger v2 binary to validate with: JAEGER_BIN, or
// the one scripts/jaeger-roundtrip.sh builds and caches.
func jaegerBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("JAEGER_BIN"); bin != "" {
		return bin
	}
	cache := os.Getenv("OTELLLM_CACHE_DIR")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		cache = filepath.Join(home, ".cache", "otelllm")
	}
	return filepath.Join(cache, "jaeger-v1.76.0", "jaeger")
}

// TestCollectorConfigsValidate runs the collector's own configuration check
// (unknown keys, bad values, undefined components) on every collector
// configuration. Jaeger v2 is a collector distribution built from the same
// 0.140 components as the pinned contrib image, so its verdict holds for
// deploy/otel-collector.yaml too. Building Jaeger takes minutes, so without
// the binary the test is skipped rather than building it.
func TestCollectorConfigsValidate(t *testing.T) {
	bin := jaegerBinary(t)
	if info, err := os.Stat(bin); err != nil || info.IsDir() {
		t.Skipf("no Jaeger binary at %s: run scripts/jaeger-roundtrip.sh once, or set JAEGER_BIN", bin)
	}
	for _, config := range []string{"otel-collector.yaml", "jaeger.yaml", "jaeger-ci.yaml"} {
		t.Run(config, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, bin, "validate", "--config", repoPath(t, "deploy", config)).CombinedOutput()
			assert.NoError(t, err, "%s", out)
		})
	}
}
