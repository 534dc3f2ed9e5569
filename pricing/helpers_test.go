package pricing_test

import (
	"bytes"
	"encoding/json"
	"math"
	"sync"
	"testing"

	"github.com/otelllm/otelllm/pricing"
)

// upstreamPath is the LiteLLM file the embedded table is generated from,
// relative to this directory as in generate.go.
const upstreamPath = "upstream/model_prices_and_context_window.json"

// rawTable is the embedded prices.json parsed independently of the package,
// so cost tests compare against the numbers in the file rather than against
// the package's own reading of them.
var rawTable = sync.OnceValue(func() map[string]map[string]any {
	var m map[string]map[string]any
	if err := json.Unmarshal(pricing.EmbeddedPrices, &m); err != nil {
		panic(err)
	}
	return m
})

// field returns a price field of an embedded entry, failing the test when
// the entry or field is missing, so a table refresh that drops a model the
// tests rely on is loud.
func field(t *testing.T, key, name string) float64 {
	t.Helper()
	entry, ok := rawTable()[key]
	if !ok {
		t.Fatalf("embedded table has no entry %q", key)
	}
	v, ok := entry[name].(float64)
	if !ok {
		t.Fatalf("entry %q has no numeric %s (got %v)", key, name, entry[name])
	}
	return v
}

func hasField(key, name string) bool {
	_, ok := rawTable()[key][name]
	return ok
}

func lookup(t *testing.T, provider string, models ...string) pricing.Match {
	t.Helper()
	m, ok := pricing.Default().Lookup(provider, models...)
	if !ok {
		t.Fatalf("Lookup(%q, %q) found nothing", provider, models)
	}
	return m
}

func assertClose(t *testing.T, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
		t.Errorf("cost = %.12g, want %.12g", got, want)
	}
}

func ptr(v float64) *float64 { return &v }

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
