package pricing_test

import (
	"math"
	"testing"

	"github.com/otelllm/otelllm/pricing"
)

const (
	in        = "input_cost_per_token"
	out       = "output_cost_per_token"
	cacheRd   = "cache_read_input_token_cost"
	cacheWr   = "cache_creation_input_token_cost"
	cacheWr1h = "cache_creation_input_token_cost_above_1hr"
	reasoning = "output_cost_per_reasoning_token"
	above     = "_above_200k_tokens"
)

func TestCostFromEmbeddedTable(t *testing.T) {
	tests := []struct {
		name     string
		provider string
		model    string
		key      string
		tokens   pricing.Tokens
		want     func(t *testing.T, key string) float64
	}{
		{
			name: "plain call", provider: "openai", model: "gpt-4o-mini-2024-07-18", key: "gpt-4o-mini-2024-07-18",
			tokens: pricing.Tokens{Input: 1200, Output: 345},
			want: func(t *testing.T, k string) float64 {
				return 1200*field(t, k, in) + 345*field(t, k, out)
			},
		},
		{
			name: "openai cached input at the cache read price", provider: "openai", model: "gpt-5-nano-2025-08-07", key: "gpt-5-nano-2025-08-07",
			tokens: pricing.Tokens{Input: 5000, CacheRead: 4096, Output: 700},
			want: func(t *testing.T, k string) float64 {
				return (5000-4096)*field(t, k, in) + 4096*field(t, k, cacheRd) + 700*field(t, k, out)
			},
		},
		{
			name: "reasoning priced apart", provider: "perplexity", model: "sonar-deep-research", key: "perplexity/sonar-deep-research",
			tokens: pricing.Tokens{Input: 300, Output: 2000, Reasoning: 1500},
			want: func(t *testing.T, k string) float64 {
				if field(t, k, reasoning) == field(t, k, out) {
					t.Fatalf("%s no longer prices reasoning apart; pick another model", k)
				}
				return 300*field(t, k, in) + 500*field(t, k, out) + 1500*field(t, k, reasoning)
			},
		},
		{
			name: "reasoning not priced apart costs the output price", provider: "openai", model: "gpt-5-nano", key: "gpt-5-nano",
			tokens: pricing.Tokens{Input: 10, Output: 2000, Reasoning: 1500},
			want: func(t *testing.T, k string) float64 {
				if hasField(k, reasoning) {
					t.Fatalf("%s now prices reasoning apart; pick another model", k)
				}
				return 10*field(t, k, in) + 2000*field(t, k, out)
			},
		},
		{
			name: "anthropic cache read and cache write", provider: "anthropic", model: "claude-sonnet-4-5-20250929", key: "claude-sonnet-4-5-20250929",
			tokens: pricing.Tokens{Input: 12000, CacheRead: 8000, CacheCreation: 3000, Output: 450},
			want: func(t *testing.T, k string) float64 {
				return 1000*field(t, k, in) + 8000*field(t, k, cacheRd) + 3000*field(t, k, cacheWr) + 450*field(t, k, out)
			},
		},
		{
			name: "anthropic one-hour cache writes at their own price", provider: "anthropic", model: "claude-sonnet-4-5-20250929", key: "claude-sonnet-4-5-20250929",
			tokens: pricing.Tokens{Input: 12000, CacheRead: 8000, CacheCreation: 3000, CacheCreation1h: 2000, Output: 450},
			want: func(t *testing.T, k string) float64 {
				if field(t, k, cacheWr1h) <= field(t, k, cacheWr) {
					t.Fatalf("%s: one-hour writes no longer cost more than five-minute ones", k)
				}
				return 1000*field(t, k, in) + 8000*field(t, k, cacheRd) + 1000*field(t, k, cacheWr) + 2000*field(t, k, cacheWr1h) + 450*field(t, k, out)
			},
		},
		{
			name: "one-hour cache writes above 200k input", provider: "anthropic", model: "claude-sonnet-4-5", key: "claude-sonnet-4-5",
			tokens: pricing.Tokens{Input: 250000, CacheRead: 50000, CacheCreation: 10000, CacheCreation1h: 4000, Output: 1000},
			want: func(t *testing.T, k string) float64 {
				return 190000*field(t, k, in+above) + 50000*field(t, k, cacheRd+above) +
					6000*field(t, k, cacheWr+above) + 4000*field(t, k, cacheWr1h+above) + 1000*field(t, k, out+above)
			},
		},
		{
			name: "bedrock anthropic cache prices", provider: "aws.bedrock", model: "anthropic.claude-3-haiku-20240307-v1:0", key: "anthropic.claude-3-haiku-20240307-v1:0",
			tokens: pricing.Tokens{Input: 4000, CacheRead: 1000, CacheCreation: 2000, Output: 100},
			want: func(t *testing.T, k string) float64 {
				return 1000*field(t, k, in) + 1000*field(t, k, cacheRd) + 2000*field(t, k, cacheWr) + 100*field(t, k, out)
			},
		},
		{
			name: "above 200k input the long-context tier prices every token", provider: "anthropic", model: "claude-sonnet-4-5", key: "claude-sonnet-4-5",
			tokens: pricing.Tokens{Input: 250000, CacheRead: 50000, CacheCreation: 10000, Output: 1000},
			want: func(t *testing.T, k string) float64 {
				return 190000*field(t, k, in+above) + 50000*field(t, k, cacheRd+above) +
					10000*field(t, k, cacheWr+above) + 1000*field(t, k, out+above)
			},
		},
		{
			name: "exactly 200k input stays on the base tier", provider: "anthropic", model: "claude-sonnet-4-5", key: "claude-sonnet-4-5",
			tokens: pricing.Tokens{Input: 200000, Output: 1000},
			want: func(t *testing.T, k string) float64 {
				return 200000*field(t, k, in) + 1000*field(t, k, out)
			},
		},
		{
			name: "tier without a base cache write price", provider: "gcp.vertex_ai", model: "gemini-2.5-pro", key: "gemini-2.5-pro",
			tokens: pricing.Tokens{Input: 300000, CacheRead: 100000, CacheCreation: 20000, Output: 5000},
			want: func(t *testing.T, k string) float64 {
				if hasField(k, cacheWr) {
					t.Fatalf("%s now has a base cache write price; the case needs another model", k)
				}
				return 180000*field(t, k, in+above) + 100000*field(t, k, cacheRd+above) +
					20000*field(t, k, cacheWr+above) + 5000*field(t, k, out+above)
			},
		},
		{
			name: "cache tokens fall back to the input price", provider: "aws.bedrock", model: "amazon.nova-micro-v1:0", key: "amazon.nova-micro-v1:0",
			tokens: pricing.Tokens{Input: 1000, CacheRead: 300, CacheCreation: 200, Output: 10},
			want: func(t *testing.T, k string) float64 {
				if hasField(k, cacheRd) || hasField(k, cacheWr) {
					t.Fatalf("%s now prices caching; the case needs another model", k)
				}
				return 1000*field(t, k, in) + 10*field(t, k, out)
			},
		},
		{
			name: "embedding", provider: "openai", model: "text-embedding-3-small", key: "text-embedding-3-small",
			tokens: pricing.Tokens{Input: 8000},
			want:   func(t *testing.T, k string) float64 { return 8000 * field(t, k, in) },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := lookup(t, tt.provider, tt.model)
			if m.Key != tt.key {
				t.Fatalf("Lookup(%q, %q).Key = %q, want %q", tt.provider, tt.model, m.Key, tt.key)
			}
			assertClose(t, m.Price.Cost(tt.tokens), tt.want(t, tt.key))
		})
	}
}

func TestCostRules(t *testing.T) {
	base := pricing.Price{Input: 1, Output: 10, CacheRead: ptr(0.1), CacheCreation: ptr(1.25), Reasoning: ptr(20)}
	tests := []struct {
		name   string
		price  pricing.Price
		tokens pricing.Tokens
		want   float64
	}{
		{"zero usage", base, pricing.Tokens{}, 0},
		{"every kind of token", base, pricing.Tokens{Input: 100, CacheRead: 30, CacheCreation: 20, Output: 50, Reasoning: 40}, 50*1 + 30*0.1 + 20*1.25 + 10*10 + 40*20},
		{"nil cache and reasoning prices fall back", pricing.Price{Input: 1, Output: 10}, pricing.Tokens{Input: 100, CacheRead: 30, CacheCreation: 20, Output: 50, Reasoning: 40}, 100*1 + 50*10},
		{"cached parts larger than the input total are priced up to it", base, pricing.Tokens{Input: 10, CacheRead: 30}, 10 * 0.1},
		{"cache writes get what the reads leave", base, pricing.Tokens{Input: 10, CacheRead: 6, CacheCreation: 30}, 6*0.1 + 4*1.25},
		{"reasoning larger than the output total is priced up to it", base, pricing.Tokens{Output: 5, Reasoning: 8}, 5 * 20},
		{"audio and image at their own prices", pricing.Price{Input: 1, Output: 10, CacheRead: ptr(0.1), InputAudio: ptr(4), InputImage: ptr(3), OutputAudio: ptr(40), OutputImage: ptr(30)},
			pricing.Tokens{Input: 100, CacheRead: 10, InputAudio: 20, InputImage: 30, Output: 50, OutputAudio: 15, OutputImage: 5},
			40*1 + 10*0.1 + 20*4 + 30*3 + 30*10 + 15*40 + 5*30},
		{"audio and image without prices of their own cost the text price", pricing.Price{Input: 1, Output: 10},
			pricing.Tokens{Input: 100, InputAudio: 20, InputImage: 30, Output: 50, OutputAudio: 15, OutputImage: 5}, 100*1 + 50*10},
		{"audio and image parts beyond the total are priced up to it", pricing.Price{Input: 1, Output: 10, InputAudio: ptr(4), InputImage: ptr(3)},
			pricing.Tokens{Input: 10, CacheRead: 4, InputAudio: 5, InputImage: 5}, 4*1 + 5*4 + 1*3},
		{"the largest counts an int64 holds stay finite", pricing.Price{Input: pricing.MaxPrice, Output: pricing.MaxPrice, Reasoning: ptr(pricing.MaxPrice)},
			pricing.Tokens{Input: math.MaxInt64, CacheRead: math.MaxInt64, Output: math.MaxInt64, Reasoning: math.MaxInt64, OutputAudio: math.MaxInt64},
			2 * float64(math.MaxInt64) * pricing.MaxPrice},
		{"one-hour writes at their price", pricing.Price{Input: 1, Output: 10, CacheCreation: ptr(1.25), CacheCreation1h: ptr(2)},
			pricing.Tokens{Input: 100, CacheCreation: 30, CacheCreation1h: 20}, 70*1 + 10*1.25 + 20*2},
		{"one-hour writes without a price of their own", base, pricing.Tokens{Input: 100, CacheCreation: 30, CacheCreation1h: 20}, 70*1 + 30*1.25},
		{"one-hour writes without any cache write price", pricing.Price{Input: 1, Output: 10}, pricing.Tokens{Input: 100, CacheCreation: 30, CacheCreation1h: 20}, 100 * 1},
		{"one-hour part larger than the cache writes", pricing.Price{Input: 1, CacheCreation: ptr(1.25), CacheCreation1h: ptr(2)},
			pricing.Tokens{Input: 100, CacheCreation: 10, CacheCreation1h: 50}, 90*1 + 10*2},
		{"negative counts count as zero", base, pricing.Tokens{Input: -5, CacheRead: -1, Output: -3, Reasoning: -2}, 0},
		{
			"partial long-context tier falls back field by field",
			pricing.Price{Input: 1, Output: 10, CacheRead: ptr(0.1), Above200k: &pricing.Price{Input: 2}},
			pricing.Tokens{Input: 300000, CacheRead: 100000, CacheCreation: 1000, Output: 7},
			// input 2 from the tier; output, cache read from the base; cache write at the tier's input price
			199000*2 + 100000*0.1 + 1000*2 + 7*10,
		},
		{
			"the 272k tier beats the 200k tier above its threshold",
			pricing.Price{Input: 1, Output: 10, Above200k: &pricing.Price{Input: 2, Output: 15}, Above272k: &pricing.Price{Input: 3, Output: 20}},
			pricing.Tokens{Input: 272001, Output: 10},
			272001*3 + 10*20,
		},
		{
			"at 272k exactly the 200k tier applies",
			pricing.Price{Input: 1, Output: 10, Above200k: &pricing.Price{Input: 2, Output: 15}, Above272k: &pricing.Price{Input: 3, Output: 20}},
			pricing.Tokens{Input: 272000, Output: 10},
			272000*2 + 10*15,
		},
		{
			"long-context tier prices reasoning apart",
			pricing.Price{Input: 1, Output: 10, Reasoning: ptr(20), Above200k: &pricing.Price{Input: 2, Output: 15, Reasoning: ptr(30)}},
			pricing.Tokens{Input: 200001, Output: 10, Reasoning: 4},
			200001*2 + 6*15 + 4*30,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertClose(t, tt.price.Cost(tt.tokens), tt.want)
		})
	}
}

// GPT-5.4's prompts above 272K input tokens cost the table's
// *_above_272k_tokens prices for every token of the call; below, the base
// prices.
func TestLongContext272kFromEmbeddedTable(t *testing.T) {
	const key = "gpt-5.4"
	m := lookup(t, "openai", key)
	if m.Key != key || m.Price.Above272k == nil {
		t.Fatalf("Lookup = %q with tier %v, want %q with a 272k tier", m.Key, m.Price.Above272k, key)
	}
	const above = "_above_272k_tokens"
	long := pricing.Tokens{Input: 300000, CacheRead: 100000, Output: 2000}
	assertClose(t, m.Price.Cost(long),
		200000*field(t, key, in+above)+100000*field(t, key, cacheRd+above)+2000*field(t, key, out+above))
	short := pricing.Tokens{Input: 272000, CacheRead: 100000, Output: 2000}
	assertClose(t, m.Price.Cost(short), 172000*field(t, key, in)+100000*field(t, key, cacheRd)+2000*field(t, key, out))
	if field(t, key, in+above) <= field(t, key, in) {
		t.Errorf("the 272k tier of %s is not dearer", key)
	}
	if lookup(t, "openai", "gpt-5.4-mini").Price.Above272k != nil {
		t.Error("gpt-5.4-mini has a 272k tier it does not have in the file")
	}
}

// Audio tokens of gpt-4o-audio-preview cost the table's audio prices, not
// the text prices.
func TestAudioPricesFromEmbeddedTable(t *testing.T) {
	const key = "gpt-4o-audio-preview"
	m := lookup(t, "openai", key)
	if m.Key != key {
		t.Fatalf("Lookup = %q, want %q", m.Key, key)
	}
	tokens := pricing.Tokens{Input: 1000, InputAudio: 600, Output: 500, OutputAudio: 400}
	want := 400*field(t, key, in) + 600*field(t, key, "input_cost_per_audio_token") +
		100*field(t, key, out) + 400*field(t, key, "output_cost_per_audio_token")
	assertClose(t, m.Price.Cost(tokens), want)
	text := pricing.Tokens{Input: 1000, Output: 500}
	if m.Price.Cost(tokens) <= m.Price.Cost(text) {
		t.Errorf("audio costs no more than text: %g <= %g", m.Price.Cost(tokens), m.Price.Cost(text))
	}
}

// Image input tokens of a chat model with an image price (Nova 2 Pro)
// cost it.
func TestImagePricesFromEmbeddedTable(t *testing.T) {
	const key = "amazon.nova-2-pro-preview-20251202-v1:0"
	m := lookup(t, "aws.bedrock", key)
	if m.Key != key || m.Price.InputImage == nil {
		t.Fatalf("Lookup = %q, image price %v", m.Key, m.Price.InputImage)
	}
	assertClose(t, m.Price.Cost(pricing.Tokens{Input: 100, InputImage: 40}),
		60*field(t, key, in)+40*field(t, key, "input_cost_per_image_token"))
}

func TestLongContextTierIsResolvedOnLoad(t *testing.T) {
	// Callers that show a Match's tier should see the prices that apply,
	// not holes to fill from the base tier themselves.
	m := lookup(t, "gcp.vertex_ai", "gemini-2.5-pro")
	tier := m.Price.Above200k
	if tier == nil {
		t.Fatal("gemini-2.5-pro has no long-context tier")
	}
	if tier.Input != field(t, "gemini-2.5-pro", in+above) || tier.Output != field(t, "gemini-2.5-pro", out+above) {
		t.Errorf("tier = %+v", *tier)
	}
	if tier.CacheRead == nil || *tier.CacheRead != field(t, "gemini-2.5-pro", cacheRd+above) {
		t.Errorf("tier cache read = %v", tier.CacheRead)
	}
	if lookup(t, "openai", "gpt-4o-mini").Price.Above200k != nil {
		t.Error("gpt-4o-mini has a long-context tier it does not have in the file")
	}
}
