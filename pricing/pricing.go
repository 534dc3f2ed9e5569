package pricing

const (
	// Source names where the embedded table comes from; otelllm records it
	// on spans beside the cost so a reader can tell which prices were used.
	Source = "LiteLLM model_prices_and_context_window.json"
	// Version is the publication date of the upstream file the embedded
	// table was generated from.
	Version = "2026-07-24"
	// EnvFile is the environment variable FromEnv reads: the path of a
	// LiteLLM-format JSON file whose entries extend, and override, the
	// embedded table.
	EnvFile = "OTELLLM_PRICES_FILE"
)

// longContextThreshold is the total input size above which a model's
// long-context tier applies; it is the 200k of LiteLLM's *_above_200k_tokens
// fields. "Above" is strict, as in the providers' price lists.
const longContextThreshold = 200_000

// Price is per-token prices in USD.
//
// A nil pointer field means the model does not price that kind of token
// apart: cache reads and cache writes then cost the input price, and
// reasoning tokens cost the output price.
//
// Prices returned by Table.Lookup share storage with the table, which is
// read-only: copy a Price (and what its pointers point to) before changing it.
type Price struct {
	// Input is the price of an input token, and of cached input tokens when
	// CacheRead or CacheCreation is nil.
	Input float64
	// Output is the price of an output token, and of reasoning tokens when
	// Reasoning is nil.
	Output float64
	// CacheRead is the price of an input token served from the prompt cache.
	CacheRead *float64
	// CacheCreation is the price of an input token written to the prompt
	// cache.
	CacheCreation *float64
	// CacheCreation1h is the price of an input token written to a one-hour
	// cache (Anthropic's extended cache lifetime), where the table has one;
	// nil means CacheCreation's price (or Input's).
	CacheCreation1h *float64
	// Reasoning is the price of a reasoning (thinking) output token.
	Reasoning *float64

	// Above200k holds the long-context tier (applies when the call's total
	// input tokens exceed 200,000); nil if none. Its zero Input or Output and
	// its nil fields mean "same as the base price"; its own Above200k is
	// ignored.
	Above200k *Price

	// Flex and Priority hold the prices of the flex and priority service
	// tiers (OpenAI's service_tier; Gemini's too), nil where the table has
	// none: see ForServiceTier. Tables loaded from LiteLLM files resolve
	// them against the base (a price the tier lacks is the base price), and
	// their Above200k is the tier's own long-context tier, nil when the
	// table has none, in which case the tier's prices apply at any length.
	Flex, Priority *Price

	// WebSearch is the price of one web search the provider runs for a
	// call (Anthropic's web search tool, Perplexity's searches), by search
	// context size; nil where the table has none.
	WebSearch *WebSearchPrice
}

// WebSearchPrice is the price of one web search by search context size.
type WebSearchPrice struct {
	Low, Medium, High float64
}

// ForSize returns the price of a search of the given context size (low,
// medium or high); an unset or unknown size is low, the providers' default.
func (w WebSearchPrice) ForSize(size string) float64 {
	switch size {
	case "medium":
		return w.Medium
	case "high":
		return w.High
	}
	return w.Low
}

// ForServiceTier returns the price of a call served in the named service
// tier (as the response names it: "flex", "priority"), and whether a tier
// price applied. Other tiers ("default", "auto", "standard", ""), and tiers
// the table has no price for, get p itself.
func (p Price) ForServiceTier(tier string) (Price, bool) {
	var t *Price
	switch tier {
	case "flex":
		t = p.Flex
	case "priority":
		t = p.Priority
	}
	if t == nil {
		return p, false
	}
	return *t, true
}

// Tokens is the usage of one call, as counted by the provider.
//
// The totals include their parts, whatever the provider's wire format does:
// Input includes CacheRead and CacheCreation, and Output includes Reasoning.
// Anthropic, for one, reports cached tokens beside input_tokens, and Gemini
// reports thoughts beside candidates; their parsers add them up.
type Tokens struct {
	// Input is all input (prompt) tokens, cached or not.
	Input int64
	// CacheRead is the input tokens served from the prompt cache.
	CacheRead int64
	// CacheCreation is the input tokens written to the prompt cache.
	CacheCreation int64
	// CacheCreation1h is the part of CacheCreation written to a one-hour
	// cache.
	CacheCreation1h int64

	// WebSearches is the number of web searches the provider ran for the
	// call, and SearchContextSize the size the request asked for (low,
	// medium, high; "" is low).
	WebSearches       int64
	SearchContextSize string
	// Output is all output (completion) tokens, reasoning included.
	Output int64
	// Reasoning is the output tokens spent on reasoning.
	Reasoning int64
}

// Cost returns the cost in USD of a call that used t.
//
// Uncached input (Input − CacheRead − CacheCreation) costs the input price,
// cache reads the CacheRead price and cache writes the CacheCreation price.
// Output costs the output price, except that, when p prices reasoning apart,
// the reasoning part of it costs the Reasoning price. When p has a
// long-context tier and t.Input exceeds 200,000, the tier's prices apply to
// every token of the call, as the providers bill it.
//
// Inconsistent counts never make a cost negative: negative counts count as
// zero, and parts larger than their total are charged in full while the
// remainder of the total counts as zero.
func (p Price) Cost(t Tokens) float64 {
	if p.Above200k != nil && t.Input > longContextThreshold {
		p = p.longContext()
	}
	input, cacheRead, cacheCreation := nonNegative(t.Input), nonNegative(t.CacheRead), nonNegative(t.CacheCreation)
	output, reasoning := nonNegative(t.Output), nonNegative(t.Reasoning)

	uncached := nonNegative(input - cacheRead - cacheCreation)
	oneHour := min(nonNegative(t.CacheCreation1h), cacheCreation)
	creation := orDefault(p.CacheCreation, p.Input)
	cost := float64(uncached)*p.Input +
		float64(cacheRead)*orDefault(p.CacheRead, p.Input) +
		float64(cacheCreation-oneHour)*creation +
		float64(oneHour)*orDefault(p.CacheCreation1h, creation)
	if p.Reasoning != nil {
		cost += float64(nonNegative(output-reasoning))*p.Output + float64(reasoning)**p.Reasoning
	} else {
		cost += float64(output) * p.Output
	}
	if p.WebSearch != nil {
		cost += float64(nonNegative(t.WebSearches)) * p.WebSearch.ForSize(t.SearchContextSize)
	}
	return cost
}

// longContext returns the long-context tier with its absent prices filled in
// from the base tier, so Cost can treat it as an ordinary Price.
func (p Price) longContext() Price {
	tier := *p.Above200k
	tier.Above200k = nil
	if tier.Input == 0 {
		tier.Input = p.Input
	}
	if tier.Output == 0 {
		tier.Output = p.Output
	}
	if tier.CacheRead == nil {
		tier.CacheRead = p.CacheRead
	}
	if tier.CacheCreation == nil {
		tier.CacheCreation = p.CacheCreation
	}
	if tier.CacheCreation1h == nil {
		tier.CacheCreation1h = p.CacheCreation1h
	}
	tier.Flex, tier.Priority = nil, nil
	if tier.WebSearch == nil {
		tier.WebSearch = p.WebSearch
	}
	if tier.Reasoning == nil {
		tier.Reasoning = p.Reasoning
	}
	return tier
}

func orDefault(price *float64, fallback float64) float64 {
	if price == nil {
		return fallback
	}
	return *price
}

func nonNegative(n int64) int64 {
	return max(n, 0)
}
