package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "upstream.json")
	out := filepath.Join(dir, "prices.json")
	upstream := `{"last_updated": "2026-07-24", "gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "max_tokens": 16384}}`
	if err := os.WriteFile(in, []byte(upstream), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(in, out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n" + `"gpt-4o":{"input_cost_per_token":0.0000025,"litellm_provider":"openai","mode":"chat","output_cost_per_token":0.00001}` + "\n}\n"
	if string(got) != want {
		t.Errorf("output =\n%s\nwant\n%s", got, want)
	}
}

func TestRunErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "prices.json")
	if err := run("", out); err == nil {
		t.Error("no -in accepted")
	}
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"m": {"input_cost_per_token": "1"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(bad, out); err == nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Error("a failed run wrote the table")
	}
}
