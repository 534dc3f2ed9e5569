package openai

import (
	"math"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/count"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// member is one member value of a JSON object, as ObjectEach handed it
// over; nil when absent. Readers collect members first and read them after
// the scan, so that a repeated key is read once, at its last value, as
// encoding/json (and the SDKs built on it) read it.
type member struct {
	v []byte
	k jsonscan.Kind
}

func (m member) present() bool { return m.v != nil }

// of is the member holding v of kind k, given the member m held before:
// a null after a value leaves the value, as encoding/json leaves a number
// that null is decoded into.
func (m member) of(v []byte, k jsonscan.Kind) member {
	if k == jsonscan.KindNull && m.v != nil {
		return m
	}
	return member{v, k}
}

// set sets count f of u from the member, by the count package's rule.
func (m member) set(u *providers.Usage, f providers.UsageField) bool {
	if m.v == nil {
		return false
	}
	return count.Set(u, f, m.v, m.k)
}

// usageReading is what a usage object says beside its counts.
type usageReading struct {
	usage providers.Usage
	// cost is the cost the object states; badCost that it stated one
	// that is not a non-negative number.
	cost    providers.ProviderCost
	badCost bool
	// contextSize is Perplexity's search_context_size (the raw string
	// value), and fee that it bills a search fee per request.
	contextSize []byte
	fee         bool
}

// costMembers are the members of a usage object that state a cost.
type costMembers struct {
	cost, ticks, byok, details member
}

// collect keeps a cost member of a usage object; it reports whether key
// is one.
func (c *costMembers) collect(key, v []byte, k jsonscan.Kind) bool {
	switch string(key) {
	case "cost":
		c.cost = c.cost.of(v, k)
	case "cost_in_usd_ticks":
		c.ticks = c.ticks.of(v, k)
	case "is_byok":
		c.byok = c.byok.of(v, k)
	case "cost_details":
		c.details = c.details.of(v, k)
	default:
		return false
	}
	return true
}

// ticksPerUSD is xAI's unit of cost: cost_in_usd_ticks counts 1e-10 USD.
const ticksPerUSD = 1e10

// read decides the cost the members state, for a call to provider.
// interim is set for a stream chunk that says it is not the last
// (Perplexity's chat.completion.chunk carries a zero cost skeleton until
// its chat.completion.done).
//
//   - xAI's cost_in_usd_ticks, on any host: the amount billed, in 1e-10 USD.
//   - Perplexity's cost object: its total_cost, which includes the request
//     fee, in USD.
//   - OpenRouter's cost number (on its host, or wherever the usage has its
//     is_byok beside it): what OpenRouter charged, in USD credits. With
//     is_byok true the upstream provider billed the user's own key too,
//     cost_details.upstream_inference_cost, which is added; without it that
//     figure, when present, is only the part of cost paid upstream.
func (c *costMembers) read(provider string, interim bool, out *usageReading) {
	switch {
	case c.ticks.present():
		n, fault := jsonscan.Count(c.ticks.v, c.ticks.k)
		switch fault {
		case jsonscan.CountOK:
			out.cost = providers.ProviderCost{USD: float64(n) / ticksPerUSD, Reported: true}
		case jsonscan.CountNull:
		default:
			out.badCost = true
		}
	case c.cost.k == jsonscan.KindObject:
		total, k, ok := jsonscan.Get(c.cost.v, "total_cost")
		if !ok || interim && !hasMember(c.cost.v, "request_cost") {
			return
		}
		out.cost, out.badCost = statedUSD(total, k)
	case c.cost.present() && (provider == providerOpenRouter || c.byok.present()):
		cost, bad := statedUSD(c.cost.v, c.cost.k)
		if bad || !cost.Reported {
			out.cost, out.badCost = cost, bad
			return
		}
		if c.byok.k == jsonscan.KindBool && c.byok.v[0] == 't' {
			if v, k, ok := jsonscan.Get(c.details.v, "upstream_inference_cost"); ok && k != jsonscan.KindNull {
				upstream, bad := statedUSD(v, k)
				if bad {
					out.badCost = true
					return
				}
				cost.USD += upstream.USD
			}
		}
		out.cost = cost
	}
}

// statedUSD reads a stated cost in USD: a finite non-negative number. null
// states none; anything else is a bad cost.
func statedUSD(v []byte, k jsonscan.Kind) (providers.ProviderCost, bool) {
	switch k {
	case jsonscan.KindNull:
		return providers.ProviderCost{}, false
	case jsonscan.KindNumber:
		f := jsonscan.FloatPtr(v, k)
		if f != nil && *f >= 0 && !math.IsInf(*f, 0) && !math.IsNaN(*f) {
			return providers.ProviderCost{USD: *f, Reported: true}, false
		}
	}
	return providers.ProviderCost{}, true
}

func hasMember(obj []byte, key string) bool {
	_, _, ok := jsonscan.Get(obj, key)
	return ok
}

// chatUsage reads a Chat Completions usage object of a call to provider.
// OpenAI's prompt_tokens already include cached, audio and image tokens and
// completion_tokens reasoning, audio and image tokens (and predicted
// outputs' accepted and rejected tokens, which are billed as output), as
// the contract wants; the other servers' departures are handled here.
func chatUsage(u []byte, source providers.UsageSource, provider string, interim bool) usageReading {
	// One pass over the usage object (a lookup per field would rescan it
	// each time), keeping each member's last value.
	var m struct {
		prompt, completion, total, cacheHit, topCached, details, cdetails member
		reasoning, citation, searches, contextSize                        member
	}
	var costs costMembers
	jsonscan.ObjectEach(u, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "prompt_tokens":
			m.prompt = m.prompt.of(v, k)
		case "completion_tokens":
			m.completion = m.completion.of(v, k)
		case "total_tokens":
			m.total = m.total.of(v, k)
		case "prompt_cache_hit_tokens":
			// DeepSeek: prompt_tokens = prompt_cache_hit_tokens + prompt_cache_miss_tokens.
			m.cacheHit = m.cacheHit.of(v, k)
		case "cached_tokens":
			// Together: the cached part of prompt_tokens, at the top.
			m.topCached = m.topCached.of(v, k)
		case "prompt_tokens_details":
			m.details = m.details.of(v, k)
		case "completion_tokens_details":
			m.cdetails = m.cdetails.of(v, k)
		case "reasoning_tokens":
			m.reasoning = m.reasoning.of(v, k)
		case "citation_tokens":
			m.citation = m.citation.of(v, k)
		case "num_search_queries":
			m.searches = m.searches.of(v, k)
		case "search_context_size":
			m.contextSize = m.contextSize.of(v, k)
		default:
			costs.collect(key, v, k)
		}
	})
	var out usageReading
	us := &out.usage
	m.prompt.set(us, providers.InputTokens)
	m.completion.set(us, providers.OutputTokens)
	m.total.set(us, providers.TotalTokens)
	var cached, cacheWrite, inAudio, inImage, reasoning, outAudio, outImage member
	if m.details.k == jsonscan.KindObject {
		jsonscan.ObjectEach(m.details.v, func(key, v []byte, k jsonscan.Kind) {
			switch string(key) {
			case "cached_tokens":
				cached = cached.of(v, k)
			case "cache_write_tokens":
				cacheWrite = cacheWrite.of(v, k)
			case "audio_tokens":
				inAudio = inAudio.of(v, k)
			case "image_tokens":
				inImage = inImage.of(v, k)
			}
		})
	}
	if m.cdetails.k == jsonscan.KindObject {
		jsonscan.ObjectEach(m.cdetails.v, func(key, v []byte, k jsonscan.Kind) {
			switch string(key) {
			case "reasoning_tokens":
				reasoning = reasoning.of(v, k)
			case "audio_tokens":
				outAudio = outAudio.of(v, k)
			case "image_tokens":
				outImage = outImage.of(v, k)
			}
		})
	}
	switch {
	case cached.present() && cached.k != jsonscan.KindNull:
		cached.set(us, providers.CacheReadInputTokens)
	case m.cacheHit.present():
		m.cacheHit.set(us, providers.CacheReadInputTokens)
	default:
		m.topCached.set(us, providers.CacheReadInputTokens)
	}
	cacheWrite.set(us, providers.CacheCreationInputTokens)
	reasoning.set(us, providers.ReasoningTokens)
	inAudio.set(us, providers.InputAudioTokens)
	inImage.set(us, providers.InputImageTokens)
	outAudio.set(us, providers.OutputAudioTokens)
	outImage.set(us, providers.OutputImageTokens)
	reasoningOutsideOutput(us)
	if provider == providerPerplexity {
		perplexityUsage(us, m.reasoning, m.citation, m.searches)
		// Without a count of searches, Perplexity's request fee is what
		// the search context size costs, once.
		out.fee = m.contextSize.k == jsonscan.KindString && !m.searches.present()
	}
	if m.contextSize.k == jsonscan.KindString {
		out.contextSize = m.contextSize.v
	}
	costs.read(provider, interim, &out)
	if us.Reported != 0 || us.Invalid != 0 {
		us.Source = source
	}
	return out
}

// perplexityUsage folds Perplexity's own counts into the normalised usage.
// Its reasoning models report reasoning_tokens beside completion_tokens,
// outside it and outside total_tokens (sonar-deep-research: 3,256
// completion and 73,248 reasoning tokens in one call), billed at their own
// price; and citation_tokens, the retrieved sources the model read, billed
// at the input price. Reasoning joins the output and citations the input,
// so that both are counted and priced; num_search_queries is the number of
// searches, billed per search.
func perplexityUsage(u *providers.Usage, reasoning, citation, searches member) {
	if reasoning.present() && !u.Has(providers.ReasoningTokens) {
		var r providers.Usage
		switch {
		case reasoning.set(&r, providers.ReasoningTokens):
			u.Set(providers.ReasoningTokens, r.ReasoningTokens)
			if u.Has(providers.OutputTokens) {
				u.OutputTokens = count.Add(u.OutputTokens, r.ReasoningTokens)
			}
		case r.Invalid != 0:
			u.Reject(providers.ReasoningTokens)
			if u.Has(providers.OutputTokens) {
				u.Reject(providers.OutputTokens) // a total with an unknown part
			}
		}
	}
	if citation.present() {
		var c providers.Usage
		switch {
		case citation.set(&c, providers.InputTokens):
			if u.Has(providers.InputTokens) {
				u.InputTokens = count.Add(u.InputTokens, c.InputTokens)
			}
		case c.Invalid != 0 && u.Has(providers.InputTokens):
			u.Reject(providers.InputTokens)
		}
	}
	searches.set(u, providers.WebSearchRequests)
}

// reasoningOutsideOutput adds the reasoning tokens to the output tokens when
// the usage counts them apart, as xAI does (its total_tokens is prompt +
// completion + reasoning; OpenAI's completion_tokens includes reasoning).
// The totals tell the two apart without knowing the server: they cannot
// both add up while any reasoning was reported.
func reasoningOutsideOutput(u *providers.Usage) {
	if !u.Has(providers.InputTokens) || !u.Has(providers.OutputTokens) || !u.Has(providers.TotalTokens) ||
		!u.Has(providers.ReasoningTokens) || u.ReasoningTokens <= 0 {
		return
	}
	if u.TotalTokens == count.Add(count.Add(u.InputTokens, u.OutputTokens), u.ReasoningTokens) &&
		u.TotalTokens != count.Add(u.InputTokens, u.OutputTokens) {
		u.OutputTokens = count.Add(u.OutputTokens, u.ReasoningTokens)
	}
}

// responsesUsage reads a Responses API usage object (also the Images API's,
// which names its counts alike) of a call to provider.
func responsesUsage(u []byte, source providers.UsageSource, provider string) usageReading {
	var input, output, total, details, odetails member
	var costs costMembers
	jsonscan.ObjectEach(u, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "input_tokens":
			input = input.of(v, k)
		case "output_tokens":
			output = output.of(v, k)
		case "total_tokens":
			total = total.of(v, k)
		case "input_tokens_details":
			details = details.of(v, k)
		case "output_tokens_details":
			odetails = odetails.of(v, k)
		default:
			costs.collect(key, v, k)
		}
	})
	var out usageReading
	us := &out.usage
	input.set(us, providers.InputTokens)
	output.set(us, providers.OutputTokens)
	total.set(us, providers.TotalTokens)
	if details.k == jsonscan.KindObject {
		count.SetAt(us, providers.CacheReadInputTokens, details.v, "cached_tokens")
		count.SetAt(us, providers.CacheCreationInputTokens, details.v, "cache_write_tokens")
		count.SetAt(us, providers.InputAudioTokens, details.v, "audio_tokens")
		count.SetAt(us, providers.InputImageTokens, details.v, "image_tokens")
	}
	if odetails.k == jsonscan.KindObject {
		count.SetAt(us, providers.ReasoningTokens, odetails.v, "reasoning_tokens")
		count.SetAt(us, providers.OutputAudioTokens, odetails.v, "audio_tokens")
		count.SetAt(us, providers.OutputImageTokens, odetails.v, "image_tokens")
	}
	reasoningOutsideOutput(us)
	costs.read(provider, false, &out)
	if us.Reported != 0 || us.Invalid != 0 {
		us.Source = source
	}
	return out
}

// keepUsage writes what a usage object said into the result: the counts
// when it had any (the last usage of a stream wins: servers that repeat
// usage send running totals), the cost it stated (the last one stated
// wins, a bad one included), and Perplexity's search context size and
// request fee. It reports whether it had counts.
func (d *dialect) keepUsage(out *usageReading, r *providers.Result) bool {
	switch {
	case out.badCost:
		d.badCost = true
		r.Cost = providers.ProviderCost{}
	case out.cost.Reported:
		d.badCost = false
		r.Cost = out.cost
	}
	if out.contextSize != nil && string(out.contextSize[1:len(out.contextSize)-1]) != r.SearchContextSize {
		r.SearchContextSize, _ = jsonscan.Str(out.contextSize)
	}
	if out.usage.Reported == 0 && out.usage.Invalid == 0 {
		return false
	}
	r.Usage = out.usage
	r.RequestSearchFee = out.fee
	return out.usage.Reported != 0
}
