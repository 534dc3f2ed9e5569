package openai

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/count"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// chatEvent handles one SSE event of a chat or legacy completions stream.
// It does not allocate, except to keep an id, a model or a finish reason the
// first time it sees them.
func (d *dialect) chatEvent(ev *providers.Event, r *providers.Result) {
	data := ev.Data
	if d.known && d.plain != nil && d.plain.Matches(data) {
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
		if d.plain == nil {
			d.plain = new(jsonscan.Shape)
		}
		d.plain.Learn(data)
	}
}

// chatDoc reads a chat completion, a completion, or one chunk of either
// stream, and reports whether it carried choices or usage, and whether it
// carried choices and nothing else this package reads (no finish reason,
// no usage).
func (d *dialect) chatDoc(doc []byte, source providers.UsageSource, r *providers.Result) (carried, plain bool) {
	// One pass over the top-level members: this runs for every chunk of a
	// stream, and looking each field up apart would rescan the chunk. A
	// repeated member counts at its last value that is not null.
	var id, model, tier, fingerprint, choices, usage, groq, object member
	jsonscan.ObjectEach(doc, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "id":
			id = id.of(v, k)
		case "model":
			model = model.of(v, k)
		case "service_tier":
			tier = tier.of(v, k)
		case "system_fingerprint":
			fingerprint = fingerprint.of(v, k)
		case "object":
			object = object.of(v, k)
		case "choices":
			choices = choices.of(v, k)
		case "usage":
			usage = usage.of(v, k)
		case "x_groq":
			// Groq puts the usage of a stream in x_groq.usage of its
			// last chunk.
			groq = groq.of(v, k)
		}
	})
	keepFirstValue(&r.ID, id.v, id.k)
	keepFirstValue(&r.Model, model.v, model.k)
	keepFirstValue(&r.ServiceTier, tier.v, tier.k)
	keepFirstValue(&r.SystemFingerprint, fingerprint.v, fingerprint.k)
	seen, finished := false, false
	if choices.k == jsonscan.KindArray {
		seen, finished = chatChoices(choices.v, r)
	}
	usageObj := usage.k == jsonscan.KindObject
	if !usageObj && groq.k == jsonscan.KindObject {
		if v, k, ok := jsonscan.Get(groq.v, "usage"); ok && k == jsonscan.KindObject {
			usage, usageObj = member{v, k}, true
		}
	}
	carried = seen
	if usageObj {
		// Perplexity's chunks carry a zero cost skeleton until the last,
		// chat.completion.done.
		interim := source == providers.SourceStream && string(object.v) != `"chat.completion.done"`
		u := chatUsage(usage.v, source, d.call.provider, interim)
		if d.keepUsage(&u, r) {
			carried = true
		}
	}
	return carried, seen && !finished && !usageObj && groq.v == nil
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

// embeddingsDoc reads an embeddings response: model and input usage.
func embeddingsDoc(doc []byte, r *providers.Result) {
	keepFirst(&r.ID, doc, "id")
	keepFirst(&r.Model, doc, "model")
	if usage, k, ok := jsonscan.Get(doc, "usage"); ok && k == jsonscan.KindObject {
		var us providers.Usage
		count.SetAt(&us, providers.InputTokens, usage, "prompt_tokens")
		count.SetAt(&us, providers.TotalTokens, usage, "total_tokens")
		if us.Reported != 0 || us.Invalid != 0 {
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
