package openai

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// chatEvent handles one SSE event of a chat or legacy completions stream.
// It does not allocate, except to keep an id, a model or a finish reason the
// first time it sees them.
func (d *dialect) chatEvent(ev *providers.Event, r *providers.Result) {
	data := ev.Data
	if d.known && d.plain.Matches(data) {
		// The shape of the last chunk that carried output and nothing
		// else: so does this one. Most chunks of a stream take this way.
		r.Chunks++
		if d.asm != nil {
			// Its text is all that differs: read only that.
			d.captureChunk(data)
		}
		return
	}
	if isDone(data) {
		r.Terminal = true
		return
	}
	if !jsonscan.Valid(data) {
		if string(ev.Name) == "error" {
			// Some compatible servers (TGI, proxies) name error events
			// and may put a plain message in them.
			r.ErrorType = "error"
			r.Terminal = true
			return
		}
		r.Malformed()
		return
	}
	failed := false
	if t, ok := errorType(data); ok {
		// An error inside a 200 stream ends it; the chunk may still name
		// choices (OpenRouter sends finish_reason "error" along).
		r.ErrorType = t
		r.Terminal = true
		failed = true
	}
	carried, plain := d.chatDoc(data, providers.SourceStream, r)
	if carried {
		r.Chunks++
	}
	if d.asm != nil {
		d.captureChunk(data)
	}
	d.known = r.ID != "" && r.Model != ""
	if plain && !failed && d.known {
		d.plain.Learn(data)
	}
}

// chatDoc reads a chat completion, a completion, or one chunk of either
// stream, and reports whether it carried choices or usage, and whether it
// carried choices and nothing else this package reads (no finish reason,
// no usage).
func (d *dialect) chatDoc(doc []byte, source providers.UsageSource, r *providers.Result) (carried, plain bool) {
	// One pass over the top-level members: this runs for every chunk of a
	// stream, and looking each field up apart would rescan the chunk.
	choices, finished := false, false
	var usage, groq []byte
	jsonscan.ObjectEach(doc, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "id":
			keepFirstValue(&r.ID, v, k)
		case "model":
			keepFirstValue(&r.Model, v, k)
		case "service_tier":
			keepFirstValue(&r.ServiceTier, v, k)
		case "system_fingerprint":
			keepFirstValue(&r.SystemFingerprint, v, k)
		case "choices":
			if k == jsonscan.KindArray {
				seen, fin := chatChoices(v, r)
				choices = choices || seen
				finished = finished || fin
			}
		case "usage":
			if k == jsonscan.KindObject {
				usage = v
			}
		case "x_groq":
			// Groq puts the usage of a stream in x_groq.usage of its
			// last chunk.
			if k == jsonscan.KindObject {
				groq = v
			}
		}
	})
	if usage == nil && groq != nil {
		if v, k, ok := jsonscan.Get(groq, "usage"); ok && k == jsonscan.KindObject {
			usage = v
		}
	}
	carried = choices
	if usage != nil {
		if u := chatUsage(usage, source, d.call.provider); u.Reported != 0 {
			// Servers that repeat usage (vLLM continuous_usage_stats, SDK
			// fixtures) send running totals: the last one wins.
			r.Usage = u
			carried = true
		}
	}
	return carried, choices && !finished && usage == nil && groq == nil
}

// chatChoices records the finish reasons of a choices array and reports
// whether it had any choice, and any finish reason.
func chatChoices(choices []byte, r *providers.Result) (seen, finished bool) {
	var pos int64
	jsonscan.ArrayEach(choices, func(choice []byte, _ jsonscan.Kind) {
		seen = true
		idx, hasIndex := int64(0), false
		var finish []byte
		jsonscan.ObjectEach(choice, func(key, v []byte, k jsonscan.Kind) {
			switch string(key) {
			case "index":
				if k == jsonscan.KindNumber {
					idx, hasIndex = jsonscan.ParseInt(v)
				}
			case "finish_reason":
				if k == jsonscan.KindString {
					finish = v
				}
			}
		})
		if !hasIndex {
			idx = pos
		}
		pos++
		if finish != nil {
			finished = true
			setFinish(r, idx, finish)
		}
	})
	return seen, finished
}

// chatUsage reads a Chat Completions usage object. OpenAI's prompt_tokens
// already include cached tokens and completion_tokens reasoning tokens, as
// the contract wants.
func chatUsage(u []byte, source providers.UsageSource, provider string) providers.Usage {
	// One pass over the usage object and its details (a lookup per field
	// would rescan it each time); the first number of a repeated member
	// wins.
	var us providers.Usage
	var cacheHit, topReasoning, citation, searches []byte
	jsonscan.ObjectEach(u, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "reasoning_tokens", "citation_tokens", "num_search_queries":
			// Perplexity's, beside completion_tokens and outside
			// total_tokens (see perplexityUsage).
			if k == jsonscan.KindNumber {
				switch key[0] {
				case 'r':
					topReasoning = v
				case 'c':
					citation = v
				default:
					searches = v
				}
			}
		case "prompt_tokens":
			setFirst(&us, providers.InputTokens, v, k)
		case "completion_tokens":
			setFirst(&us, providers.OutputTokens, v, k)
		case "total_tokens":
			setFirst(&us, providers.TotalTokens, v, k)
		case "prompt_cache_hit_tokens":
			// DeepSeek: prompt_tokens = prompt_cache_hit_tokens + prompt_cache_miss_tokens.
			if cacheHit == nil && k == jsonscan.KindNumber {
				cacheHit = v
			}
		case "prompt_tokens_details":
			jsonscan.ObjectEach(v, func(key, v []byte, k jsonscan.Kind) {
				switch string(key) {
				case "cached_tokens":
					setFirst(&us, providers.CacheReadInputTokens, v, k)
				case "cache_write_tokens":
					setFirst(&us, providers.CacheCreationInputTokens, v, k)
				}
			})
		case "completion_tokens_details":
			jsonscan.ObjectEach(v, func(key, v []byte, k jsonscan.Kind) {
				if string(key) == "reasoning_tokens" {
					setFirst(&us, providers.ReasoningTokens, v, k)
				}
			})
		}
	})
	if cacheHit != nil {
		setFirst(&us, providers.CacheReadInputTokens, cacheHit, jsonscan.KindNumber)
	}
	reasoningOutsideOutput(&us)
	if provider == providerPerplexity {
		perplexityUsage(&us, topReasoning, citation, searches)
	}
	if us.Reported != 0 {
		us.Source = source
	}
	return us
}

// perplexityUsage folds Perplexity's own counts into the normalised usage.
// Its reasoning models report reasoning_tokens beside completion_tokens,
// outside it and outside total_tokens (sonar-deep-research: 3,256
// completion and 73,248 reasoning tokens in one call), billed at their own
// price; and citation_tokens, the retrieved sources the model read, billed
// at the input price. Reasoning joins the output and citations the input,
// so that both are counted and priced; num_search_queries is the number of
// searches, billed per search.
func perplexityUsage(u *providers.Usage, reasoning, citation, searches []byte) {
	if n, ok := parseCount(reasoning); ok && !u.Has(providers.ReasoningTokens) {
		u.Set(providers.ReasoningTokens, n)
		if u.Has(providers.OutputTokens) {
			u.OutputTokens += n
		}
	}
	if n, ok := parseCount(citation); ok && u.Has(providers.InputTokens) {
		u.InputTokens += n
	}
	if n, ok := parseCount(searches); ok {
		u.Set(providers.WebSearchRequests, n)
	}
}

func parseCount(v []byte) (int64, bool) {
	if v == nil {
		return 0, false
	}
	return jsonscan.ParseInt(v)
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
	if u.TotalTokens == u.InputTokens+u.OutputTokens+u.ReasoningTokens {
		u.OutputTokens += u.ReasoningTokens
	}
}

// setFirst sets field f from a number value, unless f is set already.
func setFirst(u *providers.Usage, f providers.UsageField, v []byte, k jsonscan.Kind) {
	if k != jsonscan.KindNumber || u.Has(f) {
		return
	}
	if n, ok := jsonscan.ParseInt(v); ok {
		u.Set(f, n)
	}
}

// setCount sets field f from the number at keys of doc, when there is one.
func setCount(u *providers.Usage, f providers.UsageField, doc []byte, keys ...string) bool {
	n, ok := jsonscan.Int(doc, keys...)
	if ok {
		u.Set(f, n)
	}
	return ok
}

// embeddingsDoc reads an embeddings response: model and input usage.
func embeddingsDoc(doc []byte, r *providers.Result) {
	keepFirst(&r.ID, doc, "id")
	keepFirst(&r.Model, doc, "model")
	if usage, k, ok := jsonscan.Get(doc, "usage"); ok && k == jsonscan.KindObject {
		var us providers.Usage
		setCount(&us, providers.InputTokens, usage, "prompt_tokens")
		setCount(&us, providers.TotalTokens, usage, "total_tokens")
		if us.Reported != 0 {
			us.Source = providers.SourceResponseBody
			r.Usage = us
		}
	}
}

// looksWhole is the cheap check of an event not read in full: a JSON
// object from its first byte to its last. A cut or garbled event fails it
// and gets the full scan, which counts it as malformed.
func looksWhole(data []byte) bool {
	n := len(data)
	return n >= 2 && data[0] == '{' && data[n-1] == '}'
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}
