package bedrock

import (
	"bytes"
	"encoding/base64"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// metricsKeys name the members of amazon-bedrock-invocationMetrics.
var metricsKeys = usageKeys{input: "inputTokenCount", output: "outputTokenCount"}

// Event reads one message of a ConverseStream or InvokeModelWithResponseStream
// event stream.
func (d *dialect) Event(ev *providers.Event, r *providers.Result) {
	if r.Model == "" {
		// Named from the first event on, so that what is recorded per
		// chunk names the model too.
		r.ID, r.Model = d.requestID, d.model
	}
	if len(ev.Name) == 0 {
		// Event frames name their :event-type; exception and error frames
		// do not, and say what they are in :message-type. Reading only
		// the type of the many deltas keeps them cheap.
		switch string(ev.Header(":message-type")) {
		case "exception", "error":
			d.exception(ev, r)
		}
		return
	}
	switch string(ev.Name) {
	case "chunk":
		d.chunk(ev.Data, r)
	case "contentBlockDelta":
		// The many deltas of ConverseStream: their name says what they
		// carry, output and nothing else.
		r.Chunks++
		if d.asm != nil && jsonscan.Valid(ev.Data) {
			d.converseEvent("contentBlockDelta", ev.Data)
		}
	case "contentBlockStart":
		if d.asm != nil && jsonscan.Valid(ev.Data) {
			d.converseEvent("contentBlockStart", ev.Data)
		}
	case "messageStop":
		if r.Valid(ev.Data) {
			d.setStopReason(ev.Data, "stopReason")
		}
	case "metadata":
		if !r.Valid(ev.Data) {
			return
		}
		r.Chunks++
		r.Terminal = true
		if u, kind, ok := jsonscan.Get(ev.Data, "usage"); ok && kind == jsonscan.KindObject {
			d.native.merge(u, converseKeys)
		}
	}
}

// exception reads an exception or error frame, which Bedrock ends the
// stream with.
func (d *dialect) exception(ev *providers.Event, r *providers.Result) {
	r.Terminal = true
	name := ev.Header(":exception-type")
	if name == nil {
		name = ev.Header(":error-code")
	}
	if name == nil {
		name = ev.Header(":message-type")
	}
	if string(name) != d.errorType {
		d.errorType = string(name)
	}
}

// chunk reads one InvokeModelWithResponseStream chunk:
// {"bytes":"<base64 model-native JSON>","p":"…"}. A chunk whose base64
// text repeats the start of the last output delta read in full is told
// apart by decoding only the rest of it.
func (d *dialect) chunk(payload []byte, r *providers.Result) {
	encoded, plain := chunkBytes(payload)
	if !plain {
		d.anyChunk(payload, r)
		return
	}
	// With content capture on, every delta is read in full: its text is
	// wanted, not only its arrival.
	if d.asm == nil && d.delta.matches(encoded) {
		r.Chunks++
		return
	}
	event, ok := d.decode(encoded, true)
	if !ok {
		// A quote or an escape in it, or not base64: let the full read
		// tell.
		d.anyChunk(payload, r)
		return
	}
	if d.asm == nil && d.delta.matchesDecoded(event) {
		r.Chunks++
		return
	}
	if d.nativeEvent(event, r) && d.asm == nil {
		d.delta.learn(event, encoded)
	}
}

// anyChunk reads a chunk payload in full, whatever its form.
func (d *dialect) anyChunk(payload []byte, r *providers.Result) {
	if !r.Valid(payload) {
		return
	}
	encoded, ok := jsonscan.RawString(payload, "bytes")
	if !ok {
		return
	}
	raw := true
	if bytes.IndexByte(encoded, '\\') >= 0 {
		// An escaped "\/": legal JSON, never seen from Bedrock.
		s, ok := jsonscan.String(payload, "bytes")
		if !ok {
			return
		}
		encoded, raw = []byte(s), false
	}
	event, ok := d.decode(encoded, raw)
	if !ok {
		r.Malformed()
		return
	}
	if d.asm == nil && d.delta.matchesDecoded(event) {
		r.Chunks++
		return
	}
	d.nativeEvent(event, r)
}

// decode decodes the base64 text of a chunk into the dialect's reused
// buffer; raw says the text is the JSON string as sent, not unescaped.
func (d *dialect) decode(encoded []byte, raw bool) ([]byte, bool) {
	if n := base64.StdEncoding.DecodedLen(len(encoded)); cap(d.decoded) < n {
		d.decoded = make([]byte, n)
	}
	n, ok := decodeBase64(d.decoded[:cap(d.decoded)], encoded, raw)
	return d.decoded[:n], ok
}

// nativeEvent reads one model-native event of InvokeModelWithResponseStream,
// and reports whether it was an output delta of Claude or Nova, which carry
// output and nothing else.
func (d *dialect) nativeEvent(event []byte, r *providers.Result) (delta bool) {
	if !r.Valid(event) {
		return false
	}
	metrics := false
	if m, kind, ok := jsonscan.Get(event, "amazon-bedrock-invocationMetrics"); ok && kind == jsonscan.KindObject {
		d.metrics.merge(m, metricsKeys)
		r.Terminal = true
		metrics = true
	}
	if _, ok := jsonscan.RawString(event, "type"); ok {
		d.claudeStream = true
		return d.claude.Event(event, r) && !metrics // Anthropic Messages
	}
	if d.asm != nil {
		d.nativeContent(event)
	}
	// Amazon Nova.
	if _, _, ok := jsonscan.Get(event, "contentBlockDelta"); ok {
		r.Chunks++
		return !metrics
	}
	if stop, _, ok := jsonscan.Get(event, "messageStop"); ok {
		d.setStopReason(stop, "stopReason")
		return false
	}
	if u, kind, ok := jsonscan.Get(event, "metadata", "usage"); ok && kind == jsonscan.KindObject {
		r.Chunks++
		d.native.merge(u, novaKeys)
		d.native.merge(u, converseKeys)
		return false
	}
	// Llama (generation, stop_reason), Titan (outputText, completionReason),
	// Cohere (text, finish_reason), Mistral and OpenAI-style (outputs[],
	// choices[]): output, and a stop reason in the last chunk.
	for _, key := range [...]string{"generation", "outputText", "text", "outputs", "choices"} {
		if _, _, ok := jsonscan.Get(event, key); ok {
			r.Chunks++
			break
		}
	}
	for _, key := range [...]string{"stop_reason", "completionReason", "finish_reason"} {
		if d.setStopReason(event, key) {
			return false
		}
	}
	for _, key := range [...]string{"outputs", "choices"} {
		if list, kind, ok := jsonscan.Get(event, key); ok && kind == jsonscan.KindArray {
			jsonscan.ArrayEach(list, func(elem []byte, _ jsonscan.Kind) {
				if !d.setStopReason(elem, "stop_reason") {
					d.setStopReason(elem, "finish_reason")
				}
			})
		}
	}
	return false
}

// setStopReason keeps the string member key of obj as the stop reason and
// reports whether there was one. It allocates only when the reason changes.
func (d *dialect) setStopReason(obj []byte, key string) bool {
	raw, ok := jsonscan.RawString(obj, key)
	if !ok || len(raw) == 0 {
		return false
	}
	if string(raw) != d.stopReason {
		d.stopReason, _ = jsonscan.String(obj, key)
	}
	return true
}
