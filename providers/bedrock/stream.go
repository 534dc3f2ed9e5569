package bedrock

import (
	"bytes"
	"encoding/base64"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/messages"
	"github.com/otelllm/otelllm/providers/internal/framing/eventstream"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// metricsKeys name the members of amazon-bedrock-invocationMetrics.
var metricsKeys = usageKeys{input: "inputTokenCount", output: "outputTokenCount"}

// streamObserver follows a ConverseStream or InvokeModelWithResponseStream
// event stream, frame by frame as the application reads it.
type streamObserver struct {
	observerBase
	dec *eventstream.Decoder

	chunks     int
	terminal   bool   // the stream's last event (metadata, invocation metrics, an exception) was seen
	stopReason string // ConverseStream, Nova and the other native streams
	malformed  int

	native  counts          // ConverseStream metadata.usage, Nova metadata.usage
	metrics counts          // amazon-bedrock-invocationMetrics
	claude  messages.Stream // the Anthropic events inside InvokeModel chunks

	decoded []byte // reused for each chunk's base64-decoded bytes
}

func newStreamObserver(base observerBase) *streamObserver {
	o := &streamObserver{observerBase: base}
	o.dec = eventstream.NewDecoder(o.onMessage)
	return o
}

// Write decodes the frames p completes. After a corrupt frame the decoder
// ignores everything, cheaply.
func (o *streamObserver) Write(p []byte) { _ = o.dec.Write(p) }

// Chunks reports the output-bearing events seen.
func (o *streamObserver) Chunks() int { return o.chunks + o.claude.Chunks }

// Model is the path's model id, which is what Bedrock reports as served.
func (o *streamObserver) Model() string { return o.model }

func (o *streamObserver) onMessage(m *eventstream.Message) {
	switch string(m.String(":message-type")) {
	case "exception", "error":
		o.terminal = true // Bedrock ends the stream after it
		name := m.String(":exception-type")
		if name == nil {
			name = m.String(":error-code")
		}
		if name == nil {
			name = m.String(":message-type")
		}
		if string(name) != o.errorType {
			o.errorType = string(name)
		}
		return
	}
	switch string(m.String(":event-type")) {
	case "chunk":
		o.chunk(m.Payload)
	case "contentBlockDelta":
		o.chunks++
	case "messageStop":
		if o.valid(m.Payload) {
			o.setStopReason(m.Payload, "stopReason")
		}
	case "metadata":
		if !o.valid(m.Payload) {
			return
		}
		o.chunks++
		o.terminal = true
		if u, kind, ok := jsonscan.Get(m.Payload, "usage"); ok && kind == jsonscan.KindObject {
			o.native.merge(u, converseKeys)
		}
	}
}

// chunk handles one InvokeModelWithResponseStream chunk:
// {"bytes":"<base64 model-native JSON>","p":"…"}.
func (o *streamObserver) chunk(payload []byte) {
	if !o.valid(payload) {
		return
	}
	encoded, ok := jsonscan.RawString(payload, "bytes")
	if !ok {
		return
	}
	if bytes.IndexByte(encoded, '\\') >= 0 {
		// An escaped "\/": legal JSON, never seen from Bedrock.
		s, ok := jsonscan.String(payload, "bytes")
		if !ok {
			return
		}
		encoded = []byte(s)
	}
	if n := base64.StdEncoding.DecodedLen(len(encoded)); cap(o.decoded) < n {
		o.decoded = make([]byte, n)
	}
	n, err := base64.StdEncoding.Decode(o.decoded[:cap(o.decoded)], encoded)
	if err != nil {
		o.malformed++
		return
	}
	o.nativeEvent(o.decoded[:n])
}

// nativeEvent handles one model-native stream event of InvokeModelWithResponseStream.
func (o *streamObserver) nativeEvent(event []byte) {
	if !o.valid(event) {
		return
	}
	if m, kind, ok := jsonscan.Get(event, "amazon-bedrock-invocationMetrics"); ok && kind == jsonscan.KindObject {
		o.metrics.merge(m, metricsKeys)
		o.terminal = true
	}
	if _, ok := jsonscan.RawString(event, "type"); ok {
		o.claude.Event(event) // Anthropic Messages
		return
	}
	// Amazon Nova.
	if _, _, ok := jsonscan.Get(event, "contentBlockDelta"); ok {
		o.chunks++
		return
	}
	if stop, _, ok := jsonscan.Get(event, "messageStop"); ok {
		o.setStopReason(stop, "stopReason")
		return
	}
	if u, kind, ok := jsonscan.Get(event, "metadata", "usage"); ok && kind == jsonscan.KindObject {
		o.chunks++
		o.native.merge(u, novaKeys)
		o.native.merge(u, converseKeys)
		return
	}
	// Llama (generation, stop_reason), Titan (outputText, completionReason),
	// Cohere (text, finish_reason), Mistral and OpenAI-style (outputs[],
	// choices[]): output, and a stop reason in the last chunk.
	for _, key := range [...]string{"generation", "outputText", "text", "outputs", "choices"} {
		if _, _, ok := jsonscan.Get(event, key); ok {
			o.chunks++
			break
		}
	}
	for _, key := range [...]string{"stop_reason", "completionReason", "finish_reason"} {
		if o.setStopReason(event, key) {
			return
		}
	}
	for _, key := range [...]string{"outputs", "choices"} {
		if list, kind, ok := jsonscan.Get(event, key); ok && kind == jsonscan.KindArray {
			jsonscan.ArrayEach(list, func(elem []byte, _ jsonscan.Kind) {
				if !o.setStopReason(elem, "stop_reason") {
					o.setStopReason(elem, "finish_reason")
				}
			})
		}
	}
}

// setStopReason keeps the string member key of obj as the stop reason and
// reports whether there was one. It allocates only when the reason changes.
func (o *streamObserver) setStopReason(obj []byte, key string) bool {
	raw, ok := jsonscan.RawString(obj, key)
	if !ok || len(raw) == 0 {
		return false
	}
	if string(raw) != o.stopReason {
		o.stopReason, _ = jsonscan.String(obj, key)
	}
	return true
}

func (o *streamObserver) valid(data []byte) bool {
	if jsonscan.Valid(data) {
		return true
	}
	o.malformed++
	return false
}

// Finish returns what the stream said.
func (o *streamObserver) Finish(complete bool) providers.Response {
	r := o.response()
	r.Streamed = true
	if r.ErrorType == "" {
		r.ErrorType = o.claude.ErrorType
	}
	switch {
	case o.claude.StopReason != "":
		r.FinishReasons = []string{o.claude.StopReason}
	case o.stopReason != "":
		r.FinishReasons = []string{o.stopReason}
	}
	// Anthropic's and Nova's own counts include the cache, which the
	// invocation metrics do not break out.
	switch {
	case o.claude.Counts.HasCache():
		r.Usage = o.claude.Counts.Usage(providers.SourceStream)
	case o.native.HasCache():
		r.Usage = o.native.Usage(providers.SourceStream)
	case o.metrics.Any():
		r.Usage = o.metrics.Usage(providers.SourceStream)
	case o.claude.Counts.Any():
		r.Usage = o.claude.Counts.Usage(providers.SourceStream)
	case o.native.Any():
		r.Usage = o.native.Usage(providers.SourceStream)
	}
	terminal := o.terminal || o.claude.Stopped || o.claude.Failed
	r.Complete = terminal && o.dec.Err() == nil
	switch {
	case o.dec.Err() != nil:
		r.ObserveError = "corrupt event stream frame: " + o.dec.Err().Error()
	case complete && !terminal:
		r.ObserveError = "stream ended before its final event"
	case complete && o.dec.Partial():
		r.ObserveError = "stream ended inside a frame"
	case o.malformed > 0 || o.claude.Malformed > 0:
		r.ObserveError = "stream event is not valid JSON"
	}
	return r
}
