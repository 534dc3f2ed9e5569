package pricing_test

import (
	"fmt"
	"strings"

	"github.com/otelllm/otelllm/pricing"
)

// The cost of one call: look the model up with the provider and the models
// the call reported, then price its usage.
func Example() {
	prices := pricing.Default()
	match, ok := prices.Lookup("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini")
	if !ok {
		return // unknown model: record no cost rather than a cost of zero
	}
	usage := pricing.Tokens{Input: 12000, CacheRead: 10000, Output: 800}
	fmt.Printf("%s: $%.6f\n", match.Key, match.Price.Cost(usage))
	// Output: gpt-4o-mini-2024-07-18: $0.001530
}

// Providers name models in their own ways; Lookup reports the table entry
// each resolved to.
func ExampleTable_Lookup() {
	prices := pricing.Default()
	for _, call := range []struct{ provider, model string }{
		{"aws.bedrock", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0"},
		{"gcp.vertex_ai", "claude-sonnet-4-5@20250929"},
		{"gcp.gemini", "models/gemini-2.5-flash"},
		{"azure.ai.openai", "gpt-4o-mini-2024-07-18"},
		{"ollama", "llama3:latest"},
		{"openai", "my-finetune-without-a-price"},
	} {
		match, ok := prices.Lookup(call.provider, call.model)
		fmt.Println(call.provider, "→", match.Key, ok)
	}
	// Output:
	// aws.bedrock → eu.anthropic.claude-3-haiku-20240307-v1:0 true
	// gcp.vertex_ai → vertex_ai/claude-sonnet-4-5@20250929 true
	// gcp.gemini → gemini/gemini-2.5-flash true
	// azure.ai.openai → azure/gpt-4o-mini-2024-07-18 true
	// ollama → ollama/llama3 true
	// openai →  false
}

// Anthropic-style prompt caching: cache reads and writes each have a price,
// and reasoning tokens may have their own.
func ExamplePrice_Cost() {
	cacheRead, cacheWrite := 0.30e-6, 3.75e-6
	price := pricing.Price{Input: 3e-6, Output: 15e-6, CacheRead: &cacheRead, CacheCreation: &cacheWrite}
	usage := pricing.Tokens{
		Input:         50000, // includes the cached tokens below
		CacheRead:     40000,
		CacheCreation: 8000,
		Output:        1000,
	}
	fmt.Printf("$%.4f\n", price.Cost(usage))
	// Output: $0.0630
}

// A self-hosted or fine-tuned model the table does not know.
func ExampleTable_WithPrice() {
	prices := pricing.Default().WithPrice("acme-llama-70b", pricing.Price{Input: 0.2e-6, Output: 0.6e-6})
	match, _ := prices.Lookup("openai", "acme-llama-70b")
	fmt.Printf("$%.4f\n", match.Price.Cost(pricing.Tokens{Input: 1_000_000, Output: 100_000}))
	// Output: $0.2600
}

// Newer or negotiated prices, in LiteLLM's format, laid over the embedded
// table. FromEnv does the same with the file named by $OTELLLM_PRICES_FILE.
func ExampleTable_Extend() {
	newer, err := pricing.Load(strings.NewReader(`{
		"gpt-4o-mini": {"litellm_provider": "openai", "mode": "chat",
			"input_cost_per_token": 1e-07, "output_cost_per_token": 4e-07}
	}`), "our prices", "2026-08")
	if err != nil {
		fmt.Println(err)
		return
	}
	prices := pricing.Default().Extend(newer)
	match, _ := prices.Lookup("openai", "gpt-4o-mini")
	fmt.Println(match.Price.Input, prices.Source(), prices.Version())
	// Output: 1e-07 LiteLLM model_prices_and_context_window.json + our prices 2026-07-24 + 2026-08
}

// Load reports what is wrong with a file, naming the entry.
func ExampleLoad() {
	_, err := pricing.Load(strings.NewReader(`{"gpt-4o": {"input_cost_per_token": "2.5e-6"}}`), "prices.json", "")
	fmt.Println(err)
	// Output: pricing: prices.json: entry "gpt-4o": input_cost_per_token: got the string "2.5e-6", want a number
}
