package pricing_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/pricing/internal/litellm"
)

func TestDefault(t *testing.T) {
	d := pricing.Default()
	if d != pricing.Default() {
		t.Error("Default parsed the embedded table twice")
	}
	if d.Source() != pricing.Source || d.Version() != pricing.Version {
		t.Errorf("Default() is %q %q, want %q %q", d.Source(), d.Version(), pricing.Source, pricing.Version)
	}
	// Every generated entry is usable, so the table holds all of them.
	if got, want := d.Len(), len(rawTable()); got != want || want < 1000 {
		t.Errorf("Default().Len() = %d, embedded file has %d entries", got, want)
	}
}

func TestEmbeddedTableIsUpToDate(t *testing.T) {
	upstream, err := os.ReadFile(upstreamPath)
	if err != nil {
		t.Fatal(err)
	}
	generated, err := litellm.Generate(upstream)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(generated, pricing.EmbeddedPrices) {
		t.Error("prices.json is not what the generator makes of the upstream file: run go generate ./pricing")
	}
	var stamp struct {
		LastUpdated string `json:"last_updated"`
	}
	if err := json.Unmarshal(upstream, &stamp); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stamp.LastUpdated, pricing.Version) {
		t.Errorf("pricing.Version = %q, but the upstream file is of %q", pricing.Version, stamp.LastUpdated)
	}
}

func TestLoad(t *testing.T) {
	// The shape of the full upstream file: a date stamp, the sample spec,
	// modes and prices this package ignores, and fields it does not read.
	const file = `{
		"last_updated": "2026-08-01T10:00:00+00:00",
		"sample_spec": {"litellm_provider": "one of ...", "mode": "one of: chat, ...", "input_cost_per_token": 0.0},
		"dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_token": "per image"},
		"per-second": {"litellm_provider": "bedrock", "mode": "chat", "input_cost_per_second": 0.01, "output_cost_per_second": 0.01},
		"my-model": {"input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6, "supports_vision": true, "tiers": [1, 2]},
		"my-embedder": {"mode": "embedding", "input_cost_per_token": 1e-7, "litellm_provider": 7},
		"gpt-4o-mini": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 2, "cache_read_input_token_cost": null}
	}`
	table, err := pricing.Load(strings.NewReader(file), "test file", "")
	if err != nil {
		t.Fatal(err)
	}
	if table.Len() != 3 || table.Source() != "test file" || table.Version() != "2026-08-01" {
		t.Errorf("table = %d entries, %q, %q; want 3, test file, 2026-08-01", table.Len(), table.Source(), table.Version())
	}
	m, ok := table.Lookup("openai", "gpt-4o-mini")
	if !ok || m.Price.Input != 1 || m.Price.Output != 2 || m.Price.CacheRead != nil {
		t.Errorf("gpt-4o-mini = %+v, %v", m, ok)
	}
	if m, ok := table.Lookup("", "my-embedder"); !ok || m.Price.Input != 1e-7 || m.Price.Output != 0 {
		t.Errorf("my-embedder = %+v, %v", m, ok)
	}
	for _, model := range []string{"dall-e-3", "per-second", "sample_spec", "last_updated"} {
		if _, ok := table.Lookup("", model); ok {
			t.Errorf("%s was kept", model)
		}
	}
	if table, err := pricing.Load(strings.NewReader(file), "s", "v1"); err != nil || table.Version() != "v1" {
		t.Errorf("an explicit version was not kept: %v, %v", table.Version(), err)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  []string // all must appear in the message
	}{
		{"empty input", ``, []string{"malformed JSON"}},
		{"malformed JSON", `{"gpt-4o": {"input_cost_per_token": 1,}`, []string{"malformed JSON", "offset"}},
		{"truncated", `{"gpt-4o": {"input_cost_per_token": 1`, []string{"malformed JSON"}},
		{"root array", `[{"input_cost_per_token": 1}]`, []string{"root is a JSON array"}},
		{"root string", `"prices"`, []string{"root is a JSON string"}},
		{"root null", `null`, []string{"root is null"}},
		{"price as a string", `{"gpt-4o": {"mode": "chat", "input_cost_per_token": "0.0000025", "output_cost_per_token": 1}}`,
			[]string{`entry "gpt-4o"`, "input_cost_per_token", "string", "want a number"}},
		{"price as a boolean", `{"m": {"input_cost_per_token": 1, "output_cost_per_token": true}}`,
			[]string{`entry "m"`, "output_cost_per_token", "boolean"}},
		{"price as an object", `{"m": {"input_cost_per_token": 1, "output_cost_per_token": 1, "cache_read_input_token_cost": {}}}`,
			[]string{`entry "m"`, "cache_read_input_token_cost", "object"}},
		{"tier price as an array", `{"m": {"input_cost_per_token": 1, "output_cost_per_token": 1, "input_cost_per_token_above_200k_tokens": [2]}}`,
			[]string{`entry "m"`, "input_cost_per_token_above_200k_tokens", "array"}},
		{"negative price", `{"m": {"input_cost_per_token": -1, "output_cost_per_token": 1}}`,
			[]string{`entry "m"`, "input_cost_per_token", "zero or more"}},
		{"a price whose cost could overflow", `{"m": {"input_cost_per_token": 1e308, "output_cost_per_token": 1}}`,
			[]string{`entry "m"`, "input_cost_per_token", "at most 1e+200"}},
		{"an overflowing audio price", `{"m": {"input_cost_per_token": 1, "output_cost_per_token": 1, "output_cost_per_audio_token": 1e250}}`,
			[]string{`entry "m"`, "output_cost_per_audio_token", "at most"}},
		{"an overflowing 272k tier", `{"m": {"input_cost_per_token": 1, "output_cost_per_token": 1, "output_cost_per_token_above_272k_tokens": 1e300}}`,
			[]string{`entry "m"`, "output_cost_per_token_above_272k_tokens", "at most"}},
		{"an overflowing search price", `{"m": {"input_cost_per_token": 1, "output_cost_per_token": 1, "search_context_cost_per_query": {"search_context_size_low": 1e308}}}`,
			[]string{`entry "m"`, "search_context_size_low", "at most"}},
		{"a price beyond float64", `{"m": {"input_cost_per_token": 1e400, "output_cost_per_token": 1}}`,
			[]string{`entry "m"`, "input_cost_per_token", "out of range"}},
		{"empty object", `{}`, []string{"no usable entries"}},
		{"nothing priced per token", `{"dall-e-3": {"mode": "image_generation", "output_cost_per_image": 0.04}, "last_updated": "2026-01-01"}`,
			[]string{"no usable entries"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			table, err := pricing.Load(strings.NewReader(tt.input), "prices.json", "v")
			if err == nil {
				t.Fatalf("Load succeeded with %d entries", table.Len())
			}
			if table != nil {
				t.Error("Load returned a table with its error")
			}
			msg := err.Error()
			for _, want := range append(tt.want, "pricing: prices.json: ") {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q does not contain %q", msg, want)
				}
			}
		})
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestLoadReadError(t *testing.T) {
	_, err := pricing.Load(failingReader{}, "", "")
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("err = %v, want it to wrap the reader's error", err)
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "prices.json")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const overlay = `{
	"last_updated": "2026-09-01T00:00:00Z",
	"gpt-4o-mini": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-6, "output_cost_per_token": 4e-6},
	"acme-llm-7b": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-8, "output_cost_per_token": 2e-8}
}`

func TestLoadFile(t *testing.T) {
	path := writeFile(t, overlay)
	table, err := pricing.LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if table.Source() != path || table.Version() != "2026-09-01" || table.Len() != 2 {
		t.Errorf("table = %q %q %d", table.Source(), table.Version(), table.Len())
	}

	_, err = pricing.LoadFile(filepath.Join(t.TempDir(), "missing.json"))
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "pricing: ") {
		t.Errorf("missing file: %v", err)
	}
	_, err = pricing.LoadFile(writeFile(t, `{"m": {"input_cost_per_token": "x"}}`))
	if err == nil || !strings.Contains(err.Error(), "prices.json: entry \"m\"") {
		t.Errorf("bad file: %v", err)
	}
}

func TestFromEnv(t *testing.T) {
	base := pricing.Default()

	t.Run("unset", func(t *testing.T) {
		t.Setenv(pricing.EnvFile, "")
		got, err := pricing.FromEnv(base)
		if err != nil || got != base {
			t.Errorf("FromEnv = %v, %v; want base", got, err)
		}
		if got, err := pricing.FromEnv(nil); err != nil || got != pricing.Default() {
			t.Errorf("FromEnv(nil) = %v, %v; want Default()", got, err)
		}
	})

	t.Run("file", func(t *testing.T) {
		path := writeFile(t, overlay)
		t.Setenv(pricing.EnvFile, path)
		got, err := pricing.FromEnv(base)
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := got.Lookup("openai", "gpt-4o-mini"); !ok || m.Price.Input != 1e-6 {
			t.Errorf("the file did not override gpt-4o-mini: %+v", m)
		}
		if _, ok := got.Lookup("openai", "acme-llm-7b"); !ok {
			t.Error("the file did not add acme-llm-7b")
		}
		if _, ok := got.Lookup("anthropic", "claude-sonnet-4-5"); !ok {
			t.Error("the base entries are gone")
		}
		if want := pricing.Source + " + " + path; got.Source() != want {
			t.Errorf("Source() = %q, want %q", got.Source(), want)
		}
		if want := pricing.Version + " + 2026-09-01"; got.Version() != want {
			t.Errorf("Version() = %q, want %q", got.Version(), want)
		}
	})

	t.Run("malformed file", func(t *testing.T) {
		path := writeFile(t, `{"gpt-4o-mini": `)
		t.Setenv(pricing.EnvFile, path)
		got, err := pricing.FromEnv(base)
		if err == nil {
			t.Fatal("FromEnv accepted a malformed file")
		}
		for _, want := range []string{pricing.EnvFile, path, "malformed JSON"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
		}
		if got != base {
			t.Error("FromEnv did not return base beside its error")
		}
	})

	t.Run("missing file", func(t *testing.T) {
		t.Setenv(pricing.EnvFile, filepath.Join(t.TempDir(), "nope.json"))
		if _, err := pricing.FromEnv(base); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("err = %v, want fs.ErrNotExist", err)
		}
	})
}

func TestExtend(t *testing.T) {
	base := pricing.Default()
	over, err := pricing.Load(strings.NewReader(overlay), "overlay", "v2")
	if err != nil {
		t.Fatal(err)
	}
	before, _ := base.Lookup("openai", "gpt-4o-mini")

	extended := base.Extend(over)
	if m, _ := extended.Lookup("openai", "gpt-4o-mini"); m.Price.Input != 1e-6 {
		t.Errorf("overlay did not win: %+v", m.Price)
	}
	if extended.Len() != base.Len()+1 {
		t.Errorf("Len() = %d, want %d", extended.Len(), base.Len()+1)
	}
	if after, _ := base.Lookup("openai", "gpt-4o-mini"); after.Price.Input != before.Price.Input {
		t.Error("Extend changed the base table")
	}
	if m, _ := over.Extend(base).Lookup("openai", "gpt-4o-mini"); m.Price.Input != before.Price.Input {
		t.Error("in the other order the embedded price should win")
	}
	if base.Extend(nil) != base {
		t.Error("Extend(nil) should be the table itself")
	}
	var empty *pricing.Table
	if empty.Extend(over) != over {
		t.Error("an empty table extended should be the overlay")
	}
}

func TestWithPrice(t *testing.T) {
	base := pricing.Default()
	cacheRead := 0.5
	custom := pricing.Price{Input: 1, Output: 2, CacheRead: &cacheRead, Above200k: &pricing.Price{Input: 3}}

	table := base.WithPrice("acme/support-bot", custom)
	m, ok := table.Lookup("openai", "acme/support-bot")
	if !ok || m.Key != "acme/support-bot" || m.Price.Input != 1 || *m.Price.CacheRead != 0.5 || m.Price.Above200k.Input != 3 {
		t.Fatalf("Lookup = %+v, %v", m, ok)
	}
	cacheRead = 9
	custom.Above200k.Input = 9
	if m, _ := table.Lookup("openai", "acme/support-bot"); *m.Price.CacheRead != 0.5 || m.Price.Above200k.Input != 3 {
		t.Error("the table shares memory with the caller's Price")
	}
	if _, ok := base.Lookup("openai", "acme/support-bot"); ok {
		t.Error("WithPrice changed the base table")
	}
	if table.Source() != base.Source() || table.Version() != base.Version() || table.Len() != base.Len()+1 {
		t.Errorf("table = %q %q %d", table.Source(), table.Version(), table.Len())
	}

	// A user price overrides the table's, and like any entry it is found
	// through normalised forms too.
	negotiated := base.WithPrice("gpt-4o-mini", pricing.Price{Input: 1e-9, Output: 1e-9})
	if m, _ := negotiated.Lookup("openai", "gpt-4o-mini-2099-01-01"); m.Key != "gpt-4o-mini" || m.Price.Input != 1e-9 {
		t.Errorf("override = %+v", m)
	}
	// An overlay applied later wins over a user price, as Extend says.
	over, err := pricing.Load(strings.NewReader(overlay), "overlay", "")
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := negotiated.Extend(over).Lookup("openai", "gpt-4o-mini"); m.Price.Input != 1e-6 {
		t.Errorf("Extend after WithPrice = %+v", m.Price)
	}
	if base.WithPrice("", custom) != base {
		t.Error("an empty model changed the table")
	}
	var empty *pricing.Table
	if m, ok := empty.WithPrice("m", custom).Lookup("", "m"); !ok || m.Price.Input != 1 {
		t.Error("WithPrice on a nil table")
	}
}

func TestConcurrentUse(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			table := pricing.Default()
			if i%2 == 0 {
				table = table.WithPrice("mine", pricing.Price{Input: 1})
			}
			for range 200 {
				m, ok := table.Lookup("aws.bedrock", "arn:aws:bedrock:us-east-1:1:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0")
				if !ok {
					t.Error("lookup failed")
					return
				}
				_ = m.Price.Cost(pricing.Tokens{Input: 10, Output: 5})
			}
		})
	}
	wg.Wait()
}
