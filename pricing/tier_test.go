package pricing_test

import (
	"strings"
	"testing"

	"github.com/otelllm/otelllm/pricing"
)

const (
	flex     = "_flex"
	priority = "_priority"
)

// Flex calls cost half the standard price and priority calls more: the
// tier the response names picks its prices, from the table's own fields.
func TestServiceTierPricesFromEmbeddedTable(t *testing.T) {
	const key = "gpt-5-mini"
	m := lookup(t, "openai", key)
	tokens := pricing.Tokens{Input: 10000, CacheRead: 4000, Output: 2000}
	cost := func(tier string) float64 {
		t.Helper()
		p, ok := m.Price.ForServiceTier(tier)
		if !ok {
			t.Fatalf("%s has no %s prices", key, tier)
		}
		return p.Cost(tokens)
	}
	for _, tier := range []string{"flex", "priority"} {
		suffix := "_" + tier
		want := 6000*field(t, key, in+suffix) + 4000*field(t, key, cacheRd+suffix) + 2000*field(t, key, out+suffix)
		assertClose(t, cost(tier), want)
	}
	standard := 6000*field(t, key, in) + 4000*field(t, key, cacheRd) + 2000*field(t, key, out)
	if !(cost("flex") < standard && standard < cost("priority")) {
		t.Errorf("flex %g, standard %g, priority %g: want flex < standard < priority", cost("flex"), standard, cost("priority"))
	}
	for _, tier := range []string{"", "default", "auto", "scale", "standard"} {
		p, ok := m.Price.ForServiceTier(tier)
		if ok {
			t.Errorf("ForServiceTier(%q) applied a tier price", tier)
		}
		assertClose(t, p.Cost(tokens), standard)
	}
	if hasField("gpt-4o-mini", in+flex) {
		t.Fatal("gpt-4o-mini now has flex prices; pick another model")
	}
	if _, ok := lookup(t, "openai", "gpt-4o-mini").Price.ForServiceTier("flex"); ok {
		t.Error("a model without flex prices got a flex price")
	}
}

// Gemini's priority tier has its own long-context prices.
func TestServiceTierLongContext(t *testing.T) {
	const key = "gemini/gemini-2.5-pro"
	m := lookup(t, "gcp.gemini", "gemini-2.5-pro")
	if m.Key != key {
		t.Fatalf("Lookup = %q, want %q", m.Key, key)
	}
	p, ok := m.Price.ForServiceTier("priority")
	if !ok {
		t.Fatalf("%s has no priority prices", key)
	}
	assertClose(t, p.Cost(pricing.Tokens{Input: 300000, Output: 1000}),
		300000*field(t, key, in+above+priority)+1000*field(t, key, out+above+priority))
	assertClose(t, p.Cost(pricing.Tokens{Input: 1000, Output: 1000}),
		1000*field(t, key, in+priority)+1000*field(t, key, out+priority))
}

// A tier that prices only some tokens takes the rest from the standard
// prices; a tier without long-context prices applies at any length.
func TestServiceTierFallbacks(t *testing.T) {
	table, err := pricing.Load(strings.NewReader(`{"m": {"mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 10,
		"cache_read_input_token_cost": 0.1, "input_cost_per_token_flex": 0.5,
		"input_cost_per_token_above_200k_tokens": 2, "output_cost_per_token_above_200k_tokens": 20}}`), "test", "")
	if err != nil {
		t.Fatal(err)
	}
	m, _ := table.Lookup("", "m")
	p, ok := m.Price.ForServiceTier("flex")
	if !ok {
		t.Fatal("no flex price")
	}
	assertClose(t, p.Cost(pricing.Tokens{Input: 100, CacheRead: 40, Output: 3}), 60*0.5+40*0.1+3*10)
	assertClose(t, p.Cost(pricing.Tokens{Input: 300000, Output: 3}), 300000*0.5+3*10)
	if _, ok := m.Price.ForServiceTier("priority"); ok {
		t.Error("no priority prices, yet a priority price applied")
	}
	// WithPrice keeps a hand-made tier.
	custom := pricing.Price{Input: 1, Output: 2, Priority: &pricing.Price{Input: 3, Output: 4}}
	got, _ := table.WithPrice("mine", custom).Lookup("", "mine")
	if p, ok := got.Price.ForServiceTier("priority"); !ok || p.Cost(pricing.Tokens{Input: 1, Output: 1}) != 7 {
		t.Errorf("hand-made priority tier: %+v, %v", p, ok)
	}
}

// Searches are priced by the context size the request asked for; a size
// the table lacks costs what the next smaller one does.
func TestWebSearchPrices(t *testing.T) {
	table, err := pricing.Load(strings.NewReader(`{
		"full": {"mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 2,
			"search_context_cost_per_query": {"search_context_size_low": 0.005, "search_context_size_medium": 0.008, "search_context_size_high": 0.012}},
		"partial": {"mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 2,
			"search_context_cost_per_query": {"search_context_size_medium": 0.01}},
		"none": {"mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 2}}`), "test", "")
	if err != nil {
		t.Fatal(err)
	}
	price := func(model string) pricing.Price {
		m, ok := table.Lookup("", model)
		if !ok {
			t.Fatalf("no %s", model)
		}
		return m.Price
	}
	for _, tc := range []struct {
		model, size string
		want        float64
	}{
		{"full", "", 10*1 + 3*0.005},
		{"full", "low", 10*1 + 3*0.005},
		{"full", "medium", 10*1 + 3*0.008},
		{"full", "high", 10*1 + 3*0.012},
		{"partial", "low", 10*1 + 3*0.01},
		{"partial", "high", 10*1 + 3*0.01},
		{"none", "high", 10 * 1},
	} {
		assertClose(t, price(tc.model).Cost(pricing.Tokens{Input: 10, WebSearches: 3, SearchContextSize: tc.size}), tc.want)
	}
	// The service and long-context tiers keep the search price.
	long := pricing.Price{Input: 1, WebSearch: &pricing.WebSearchPrice{Low: 0.01}, Above200k: &pricing.Price{Input: 2}}
	assertClose(t, long.Cost(pricing.Tokens{Input: 300000, WebSearches: 1}), 300000*2+0.01)

	_, err = pricing.Load(strings.NewReader(`{"bad": {"mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 2, "search_context_cost_per_query": 0.01}}`), "bad.json", "")
	if err == nil || !strings.Contains(err.Error(), "search_context_cost_per_query") {
		t.Errorf("a search price that is not an object: err = %v", err)
	}
	_, err = pricing.Load(strings.NewReader(`{"bad": {"mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 2, "search_context_cost_per_query": {"search_context_size_low": "cheap"}}}`), "bad.json", "")
	if err == nil || !strings.Contains(err.Error(), "search_context_size_low") {
		t.Errorf("a search price that is not a number: err = %v", err)
	}
}
