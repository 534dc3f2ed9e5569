package pricing_test

import (
	"testing"

	"github.com/otelllm/otelllm/pricing"
)

func BenchmarkLookup(b *testing.B) {
	table := pricing.Default()
	cases := []struct {
		name     string
		provider string
		models   []string
	}{
		{"exact", "openai", []string{"gpt-4o-mini-2024-07-18"}},
		{"namespace", "gcp.gemini", []string{"gemini-2.5-flash"}},
		{"bedrock_arn", "aws.bedrock", []string{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0"}},
		{"vertex_at", "gcp.vertex_ai", []string{"claude-opus-4-1@20250806"}},
		{"dated_fallback", "openai", []string{"gpt-4o-mini-2099-01-01"}},
		{"response_then_request", "azure.ai.openai", []string{"my-deployment", "gpt-4o-mini"}},
		{"miss", "openai", []string{"no-such-model-2024-07-18", "no-such-model"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			if _, ok := table.Lookup(c.provider, c.models...); !ok && c.name != "miss" {
				b.Fatal("not found")
			}
			b.ReportAllocs()
			for b.Loop() {
				table.Lookup(c.provider, c.models...)
			}
		})
	}
}

func BenchmarkCost(b *testing.B) {
	match, _ := pricing.Default().Lookup("anthropic", "claude-sonnet-4-5")
	usage := pricing.Tokens{Input: 250000, CacheRead: 50000, CacheCreation: 10000, Output: 1000, Reasoning: 200}
	b.ReportAllocs()
	var sink float64
	for b.Loop() {
		sink += match.Price.Cost(usage)
	}
	_ = sink
}

func BenchmarkLoadEmbedded(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pricing.Load(bytesReader(pricing.EmbeddedPrices), pricing.Source, pricing.Version); err != nil {
			b.Fatal(err)
		}
	}
}
