package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/otelllm/otelllm/pricing/internal/litellm"
)

func main() {
	in := flag.String("in", "", "upstream LiteLLM model_prices_and_context_window.json to read")
	out := flag.String("out", "prices.json", "table to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	if in == "" {
		return fmt.Errorf("-in is required")
	}
	upstream, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	table, err := litellm.Generate(upstream)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	// Write beside the target and rename, so a failed run never leaves a
	// truncated table for go:embed to pick up.
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, table, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}
