package openai

import (
	"bytes"
	"strconv"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// dialect reads the responses of one call: chat and legacy completions
// chunks, Responses API events, and every kind of full body.
type dialect struct {
	call *call
	// known is set once a chunk has named the response's id and model;
	// plain is the shape of the last chunk that carried output and
	// nothing else. A later chunk of that shape is counted without a scan.
	known bool
	plain *jsonscan.Shape // allocated by the first chunk that teaches it
	// badCost is set while the last cost the response stated was not a
	// non-negative number.
	badCost bool
	// asm reassembles a stream's answer when content is captured; nil
	// otherwise. slots places a Responses stream's parts.
	asm   *providers.Assembler
	slots responsesSlots
}

// Reads reports the framings OpenAI's wire family uses: documents and
// Server-Sent Events.
func (d *dialect) Reads(f providers.Framing) bool {
	return f == providers.FramingDocument || f == providers.FramingSSE
}

// Document reads a full response body.
func (d *dialect) Document(doc []byte, r *providers.Result) {
	if doc[0] == '[' { // Google's OpenAI-compatible endpoint wraps errors in an array
		var first []byte
		jsonscan.ArrayEach(doc, func(elem []byte, k jsonscan.Kind) {
			if first == nil && k == jsonscan.KindObject {
				first = elem
			}
		})
		if first == nil {
			return
		}
		doc = first
	}
	if t, ok := errorType(doc); ok {
		r.ErrorType = t
	}
	switch d.call.api {
	case apiResponses:
		d.responseObject(doc, providers.SourceResponseBody, r)
		if d.asm != nil && r.ErrorType == "" {
			r.Output = d.responsesOutput(doc, r)
		}
	case apiEmbeddings:
		embeddingsDoc(doc, r)
	default:
		d.chatDoc(doc, providers.SourceResponseBody, r)
		if d.asm != nil && r.ErrorType == "" {
			r.Output = d.chatOutput(doc)
		}
	}
}

// Event reads one stream event.
func (d *dialect) Event(ev *providers.Event, r *providers.Result) {
	if d.call.api == apiResponses {
		d.responsesEvent(ev, r)
		return
	}
	d.chatEvent(ev, r)
}

// Finish notes a stated cost that was not one, a stream that asked for
// usage and had none and one that had none because it did not ask, and
// hands over the answer a captured stream reassembled.
func (d *dialect) Finish(r *providers.Result) {
	if d.badCost {
		r.Problem(providers.ProblemBadCost)
	}
	if r.Streamed && r.Terminal && d.call.includeUsage && r.Usage.Reported == 0 && r.ErrorType == "" {
		r.Problem(providers.ProblemUsageMissing + " (include_usage)")
	}
	// Only a stream seen to its end: one cut short or failed would miss
	// its usage asked or not. Hosts that send usage unasked (OpenRouter,
	// Perplexity) had some.
	r.UsageNotRequested = r.Streamed && r.Terminal && d.call.streamNotAskingUsage() && r.Usage.Reported == 0 && r.ErrorType == ""
	if r.Streamed && d.asm != nil {
		if d.call.api == apiResponses {
			d.asm.SetFinishReason(0, r.FinishReason(0)) // from the response's status
		}
		if out := d.asm.Messages(); len(out) > 0 {
			r.Output = out
		}
	}
}

// keepFirstValue sets *dst from a JSON string value unless *dst is already
// set; it allocates only when it keeps a value.
func keepFirstValue(dst *string, v []byte, k jsonscan.Kind) {
	if *dst != "" || k != jsonscan.KindString || len(v) <= 2 {
		return
	}
	*dst, _ = jsonscan.Str(v)
}

// keepFirst is keepFirstValue for the string member key of doc.
func keepFirst(dst *string, doc []byte, key string) {
	if *dst != "" {
		return
	}
	if raw, ok := jsonscan.RawString(doc, key); ok && len(raw) > 0 {
		v, _, _ := jsonscan.Get(doc, key)
		*dst, _ = jsonscan.Str(v)
	}
}

// setFinish records the finish reason of choice idx from a JSON string
// value.
func setFinish(r *providers.Result, idx int64, v []byte) {
	if idx < 0 || idx > 1<<20 || len(v) < 2 {
		return
	}
	raw := v[1 : len(v)-1]
	if bytes.IndexByte(raw, '\\') >= 0 {
		s, ok := jsonscan.Str(v)
		if !ok {
			return
		}
		raw = []byte(s)
	}
	r.SetFinishReason(int(idx), raw)
}

var errorToken = []byte(`"error"`)

// errorType finds the error a document reports: an "error" member (object
// or string), or a top-level error object ({"object":"error",...} of vLLM
// and Mistral). It reports false when there is none.
func errorType(doc []byte) (string, bool) {
	if !bytes.Contains(doc, errorToken) {
		// Neither member nor value can be there: this spares every
		// chunk of a stream two scans.
		return "", false
	}
	v, k, ok := jsonscan.Get(doc, "error")
	if ok {
		switch k {
		case jsonscan.KindObject:
			return errorObjectType(v), true
		case jsonscan.KindString:
			return "error", true
		}
	}
	if obj, ok := jsonscan.RawString(doc, "object"); ok && string(obj) == "error" {
		return errorObjectType(doc), true
	}
	return "", false
}

// errorObjectType names an error object by its type, else its code (OpenAI,
// Azure), else its status (Google), else "error".
func errorObjectType(v []byte) string {
	for _, key := range [...]string{"type", "code", "status"} {
		if raw, ok := jsonscan.RawString(v, key); ok && len(raw) > 0 {
			s, _ := jsonscan.String(v, key)
			if s != "" {
				return s
			}
		}
	}
	if n, ok := jsonscan.Int(v, "code"); ok {
		return strconv.FormatInt(n, 10)
	}
	return "error"
}

// isDone reports the "[DONE]" sentinel that ends OpenAI streams.
func isDone(data []byte) bool { return string(bytes.TrimSpace(data)) == "[DONE]" }
