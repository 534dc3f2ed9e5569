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

// longContextThreshold272k is the threshold of the long-context tier of
// OpenAI's 1.05M-context models (GPT-5.4 and later): prompts above 272K
// input tokens cost more "for the full session", LiteLLM's
// *_above_272k_tokens fields.
const longContextThreshold272k = 272_000

// MaxPrice is the largest price a table accepts, per token or per search,
// in USD: far above any real price, and low enough that no cost of any
// usage an int64 can count, priced at it, overflows a float64, nor does
// any sum of such costs that could ever be added up. Load rejects a table
// with a larger price.
const MaxPrice = 1e200

// MaxCost bounds the cost of one call in USD: every count an int64 holds,
// in every part Tokens has, at MaxPrice, costs less. A cost above it (a
// provider's stated cost, a price added with WithPrice) is not a cost
// otelllm records.
const MaxCost = 1e230

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
	// InputAudio and InputImage are the prices of audio and image input
	// tokens, OutputAudio and OutputImage those of audio and image output
	// tokens, where the table has them; nil means the text price (Input,
	// Output).
	InputAudio, InputImage   *float64
	OutputAudio, OutputImage *float64

	// Above200k holds the long-context tier (applies when the call's total
	// input tokens exceed 200,000); nil if none. Its zero Input or Output and
	// its nil fields mean "same as the base price"; its own Above200k is
	// ignored.
	Above200k *Price
	// Above272k holds the long-context tier of OpenAI's 1.05M-context
	// models (applies when the call's total input tokens exceed 272,000),
	// read like Above200k; nil if none. Where a price has both, the higher
	// threshold the call passes decides.
	Above272k *Price

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

	// InputAudio and InputImage are the audio and image parts of Input,
	// OutputAudio and OutputImage those of Output.
	InputAudio, InputImage   int64
	OutputAudio, OutputImage int64
}

// Cost returns the cost in USD of a call that used t.
//
// Uncached text input (Input less its cached, audio and image parts) costs
// the input price, cache reads the CacheRead price, cache writes the
// CacheCreation price, audio and image input the InputAudio and
// InputImage prices. Output costs the output price, except its reasoning,
// audio and image parts where p prices them apart. When p has a
// long-context tier and t.Input exceeds its threshold (200,000 for
// Above200k, 272,000 for Above272k), the tier's prices apply to every
// token of the call, as the providers bill it.
//
// Inconsistent counts never make a cost negative, nor larger than the
// totals allow: negative counts count as zero, and a part is priced only
// up to what its total leaves of it (the total is what is billed), in the
// order cache reads, cache writes, audio, image for input and reasoning,
// audio, image for output.
func (p Price) Cost(t Tokens) float64 {
	switch {
	case p.Above272k != nil && t.Input > longContextThreshold272k:
		p = p.longContext(p.Above272k)
	case p.Above200k != nil && t.Input > longContextThreshold:
		p = p.longContext(p.Above200k)
	}
	rest := nonNegative(t.Input)
	part := func(n int64) int64 {
		n = min(nonNegative(n), rest)
		rest -= n
		return n
	}
	cacheRead, cacheCreation := part(t.CacheRead), part(t.CacheCreation)
	inAudio, inImage := part(t.InputAudio), part(t.InputImage)
	uncached := rest

	rest = nonNegative(t.Output)
	reasoning, outAudio, outImage := part(t.Reasoning), part(t.OutputAudio), part(t.OutputImage)
	text := rest

	oneHour := min(nonNegative(t.CacheCreation1h), cacheCreation)
	creation := orDefault(p.CacheCreation, p.Input)
	cost := float64(uncached)*p.Input +
		float64(cacheRead)*orDefault(p.CacheRead, p.Input) +
		float64(cacheCreation-oneHour)*creation +
		float64(oneHour)*orDefault(p.CacheCreation1h, creation) +
		float64(inAudio)*orDefault(p.InputAudio, p.Input) +
		float64(inImage)*orDefault(p.InputImage, p.Input)
	cost += float64(text)*p.Output +
		float64(reasoning)*orDefault(p.Reasoning, p.Output) +
		float64(outAudio)*orDefault(p.OutputAudio, p.Output) +
		float64(outImage)*orDefault(p.OutputImage, p.Output)
	if p.WebSearch != nil {
		cost += float64(nonNegative(t.WebSearches)) * p.WebSearch.ForSize(t.SearchContextSize)
	}
	return cost
}

// longContext returns the long-context tier with its absent prices filled in
// from the base tier, so Cost can treat it as an ordinary Price.
func (p Price) longContext(long *Price) Price {
	tier := *long
	tier.Above200k, tier.Above272k = nil, nil
	if tier.Input == 0 {
		tier.Input = p.Input
	}
	if tier.Output == 0 {
		tier.Output = p.Output
	}
	for _, f := range [...]struct{ dst, base **float64 }{
		{&tier.CacheRead, &p.CacheRead}, {&tier.CacheCreation, &p.CacheCreation},
		{&tier.CacheCreation1h, &p.CacheCreation1h}, {&tier.Reasoning, &p.Reasoning},
		{&tier.InputAudio, &p.InputAudio}, {&tier.InputImage, &p.InputImage},
		{&tier.OutputAudio, &p.OutputAudio}, {&tier.OutputImage, &p.OutputImage},
	} {
		if *f.dst == nil {
			*f.dst = *f.base
		}
	}
	tier.Flex, tier.Priority = nil, nil
	if tier.WebSearch == nil {
		tier.WebSearch = p.WebSearch
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
