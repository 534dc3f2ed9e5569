package openai

import (
	"encoding/json"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// chatEvent handles one SSE event of a chat or legacy completions stream.
// It does not allocate, except to keep an id, a model or a finish reason the
// first time it sees them.
func (o *observer) chatEvent(event, data []byte) {
	if isDone(data) {
		o.terminal = true
		return
	}
	if string(event) == "error" && !json.Valid(data) {
		// Some compatible servers (TGI, proxies) name error events and
		// may put a plain message in them.
		o.resp.ErrorType = "error"
		o.terminal = true
		return
	}
	if !json.Valid(data) {
		if !o.ending { // a cut last event is a truncation, not a bad event
			o.bad++
		}
		return
	}
	if t, ok := errorType(data); ok {
		// An error inside a 200 stream ends it; the chunk may still name
		// choices (OpenRouter sends finish_reason "error" along).
		o.resp.ErrorType = t
		o.terminal = true
	}
	if o.chatDoc(data, providers.SourceStream) {
		o.chunks++
	}
}

// chatDoc reads a chat completion, a completion, or one chunk of either
// stream, and reports whether it carried choices or usage.
func (o *observer) chatDoc(doc []byte, source providers.UsageSource) bool {
	keepFirst(&o.resp.ID, doc, "id")
	keepFirst(&o.resp.Model, doc, "model")
	keepFirst(&o.resp.ServiceTier, doc, "service_tier")
	keepFirst(&o.resp.SystemFingerprint, doc, "system_fingerprint")
	carried := false
	if choices, k, ok := jsonscan.Get(doc, "choices"); ok && k == jsonscan.KindArray {
		var pos int64
		jsonscan.ArrayEach(choices, func(choice []byte, ck jsonscan.Kind) {
			carried = true
			idx, ok := jsonscan.Int(choice, "index")
			if !ok {
				idx = pos
			}
			pos++
			if v, fk, ok := jsonscan.Get(choice, "finish_reason"); ok && fk == jsonscan.KindString {
				o.setFinish(idx, v)
			}
		})
	}
	usage, k, ok := jsonscan.Get(doc, "usage")
	if !ok || k != jsonscan.KindObject {
		// Groq puts the usage of a stream in x_groq.usage of its last chunk.
		usage, k, ok = jsonscan.Get(doc, "x_groq", "usage")
	}
	if ok && k == jsonscan.KindObject {
		if u := chatUsage(usage, source); u.Reported != 0 {
			// Servers that repeat usage (vLLM continuous_usage_stats, SDK
			// fixtures) send running totals: the last one wins.
			o.resp.Usage = u
			carried = true
		}
	}
	return carried
}

// chatUsage reads a Chat Completions usage object. OpenAI's prompt_tokens
// already include cached tokens and completion_tokens reasoning tokens, as
// the contract wants.
func chatUsage(u []byte, source providers.UsageSource) providers.Usage {
	var us providers.Usage
	setCount(&us, providers.InputTokens, u, "prompt_tokens")
	setCount(&us, providers.OutputTokens, u, "completion_tokens")
	setCount(&us, providers.TotalTokens, u, "total_tokens")
	if !setCount(&us, providers.CacheReadInputTokens, u, "prompt_tokens_details", "cached_tokens") {
		// DeepSeek: prompt_tokens = prompt_cache_hit_tokens + prompt_cache_miss_tokens.
		setCount(&us, providers.CacheReadInputTokens, u, "prompt_cache_hit_tokens")
	}
	setCount(&us, providers.CacheCreationInputTokens, u, "prompt_tokens_details", "cache_write_tokens")
	setCount(&us, providers.ReasoningTokens, u, "completion_tokens_details", "reasoning_tokens")
	if us.Reported != 0 {
		us.Source = source
	}
	return us
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
func (o *observer) embeddingsDoc(doc []byte) {
	keepFirst(&o.resp.ID, doc, "id")
	keepFirst(&o.resp.Model, doc, "model")
	if usage, k, ok := jsonscan.Get(doc, "usage"); ok && k == jsonscan.KindObject {
		var us providers.Usage
		setCount(&us, providers.InputTokens, usage, "prompt_tokens")
		setCount(&us, providers.TotalTokens, usage, "total_tokens")
		if us.Reported != 0 {
			us.Source = providers.SourceResponseBody
			o.resp.Usage = us
		}
	}
}
