package cohere

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/dialect/count"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// streamErrorType is the ErrorType of an error reported inside a 200 stream:
// Cohere gives such errors no type of their own.
const streamErrorType = "error"

// Observe returns the observer of resp's body. The framing is PlanBody's:
// Server-Sent Events for a v2 stream, one JSON event a line for a v1 stream
// (application/stream+json, or Request.StreamFraming without a
// Content-Type), otherwise one JSON document.
func (c *call) Observe(resp *http.Response) providers.Observer {
	d := &dialect{}
	if resp != nil {
		d.status = resp.StatusCode
	}
	if c.capture && !c.embeddings() {
		d.asm = providers.NewAssembler(c.limit)
	}
	return providers.NewObserver(resp, c.request, d)
}

// dialect reads the responses of one call: v2 chat events, v1 chat events,
// chat and embed bodies, and error bodies.
type dialect struct {
	status int
	usage  usageCounts
	// plain is the shape of the last delta event, which carries output
	// and nothing else: a later event of that shape is counted without a
	// scan.
	plain jsonscan.Shape

	// asm assembles the answer when the call captures content (nil
	// otherwise); parts numbers its parts; answered is set once a body or
	// event that is not an error was read.
	asm      *providers.Assembler
	parts    capture.Parts
	answered bool
}

// usageCounts holds Cohere's two views of usage (billed units, which cost
// uses, and tokens, which include the prompt template), and its cached
// tokens, each as the last value seen: a count, or not a count.
type usageCounts struct {
	billed, tokens, cached providers.Usage
}

// read takes the counts of a usage (v2) or meta (v1, embed) object; the last
// value of each count wins.
func (u *usageCounts) read(obj []byte) {
	count.SetAt(&u.billed, providers.InputTokens, obj, "billed_units", "input_tokens")
	count.SetAt(&u.billed, providers.OutputTokens, obj, "billed_units", "output_tokens")
	count.SetAt(&u.tokens, providers.InputTokens, obj, "tokens", "input_tokens")
	count.SetAt(&u.tokens, providers.OutputTokens, obj, "tokens", "output_tokens")
	// v2's cached_tokens: the prompt tokens served from Cohere's cache.
	count.SetAt(&u.cached, providers.CacheReadInputTokens, obj, "cached_tokens")
}

// normalise prefers billed units, count by count, and falls back to
// tokens. Cached tokens are a cache read. They count raw prompt tokens
// (they can exceed the billed input, as the template tokens are not
// billed); they are reported as Cohere gives them, and the price table,
// which has no cache price for Cohere, prices them at the input price up to
// the billed input.
func (u *usageCounts) normalise(source providers.UsageSource) providers.Usage {
	var r providers.Usage
	for _, f := range [...]providers.UsageField{providers.InputTokens, providers.OutputTokens} {
		switch {
		case u.billed.Has(f):
			r.Set(f, u.billed.Get(f))
		case u.billed.Invalid&f != 0:
			r.Reject(f)
		case u.tokens.Has(f):
			r.Set(f, u.tokens.Get(f))
		case u.tokens.Invalid&f != 0:
			r.Reject(f)
		}
	}
	switch {
	case u.cached.Has(providers.CacheReadInputTokens):
		r.Set(providers.CacheReadInputTokens, u.cached.CacheReadInputTokens)
	case u.cached.Invalid != 0:
		r.Reject(providers.CacheReadInputTokens)
	}
	if r.Reported != 0 || r.Invalid != 0 {
		r.Source = source
	}
	return r
}

// Reads reports the framings Cohere uses: documents, Server-Sent Events (v2)
// and NDJSON (v1).
func (d *dialect) Reads(f providers.Framing) bool {
	return f == providers.FramingDocument || f == providers.FramingSSE || f == providers.FramingNDJSON
}

// Document reads a whole body: a chat or embed response, or an error.
func (d *dialect) Document(body []byte, r *providers.Result) {
	if d.status >= 400 {
		// Cohere's error body is {"message": "..."} (v2 adds an id): no
		// type, so the status names the error.
		r.ErrorType = statusErrorType(d.status)
		return
	}
	setID(r, body, "id")
	setID(r, body, "generation_id")
	setID(r, body, "response_id")
	if v, ok := jsonscan.String(body, "finish_reason"); ok {
		r.SetFinishReason(0, []byte(v))
	}
	if d.asm != nil {
		d.answered = true
		d.documentContent(body)
	}
	if u, kind, _ := jsonscan.Get(body, "usage"); kind == jsonscan.KindObject {
		d.usage.read(u) // v2 chat
	} else if m, kind, _ := jsonscan.Get(body, "meta"); kind == jsonscan.KindObject {
		d.usage.read(m) // v1 chat, embed
	}
}

// Event reads one stream event: a v2 SSE frame (typed by its "type" field,
// which repeats the event name) or a v1 line (typed by "event_type").
func (d *dialect) Event(ev *providers.Event, r *providers.Result) {
	data := ev.Data
	if d.asm == nil && d.plain.Matches(data) {
		// Another delta of the type last read in full.
		r.Chunks++
		return
	}
	if string(bytes.TrimSpace(data)) == "[DONE]" {
		// The live v2 API ends its stream with this sentinel after
		// message-end.
		r.Terminal = true
		return
	}
	if !r.Valid(data) {
		return
	}
	typ, ok := jsonscan.RawString(data, "type")
	if !ok {
		typ, ok = jsonscan.RawString(data, "event_type")
	}
	if !ok {
		typ = ev.Name
	}
	if d.asm != nil && string(typ) != "error" {
		d.answered = true
		d.eventContent(typ, data)
	}
	switch string(typ) {
	case "message-start": // v2
		setID(r, data, "id")
	case "stream-start": // v1
		setID(r, data, "generation_id")
	case "message-end": // v2: the final event
		r.Terminal = true
		r.Chunks++
		if v, ok := jsonscan.RawString(data, "delta", "finish_reason"); ok {
			r.SetFinishReason(0, v)
		}
		if u, kind, _ := jsonscan.Get(data, "delta", "usage"); kind == jsonscan.KindObject {
			d.usage.read(u)
		}
	case "stream-end": // v1: the final event
		r.Terminal = true
		r.Chunks++
		if v, ok := jsonscan.RawString(data, "finish_reason"); ok {
			r.SetFinishReason(0, v)
		}
		setID(r, data, "generation_id")
		if m, kind, _ := jsonscan.Get(data, "response", "meta"); kind == jsonscan.KindObject {
			d.usage.read(m)
		}
		setID(r, data, "response", "generation_id")
		setID(r, data, "response", "response_id")
	case "error":
		r.ErrorType = streamErrorType
		r.Terminal = true
	default:
		if bytes.HasSuffix(typ, []byte("-delta")) || string(typ) == "text-generation" || string(typ) == "tool-calls-generation" {
			r.Chunks++
			if d.asm == nil {
				d.plain.Learn(data, "type", "event_type")
			}
			return
		}
		// An untyped object with a message is an error reported in the
		// stream.
		if len(typ) == 0 {
			if _, kind, _ := jsonscan.Get(data, "message"); kind == jsonscan.KindString {
				r.ErrorType = streamErrorType
				r.Terminal = true
			}
		}
	}
}

// Finish sets the usage from the counts seen.
func (d *dialect) Finish(r *providers.Result) {
	if d.asm != nil {
		d.finishOutput(r)
	}
	source := providers.SourceResponseBody
	if r.Streamed {
		source = providers.SourceStream
	}
	r.Usage = d.usage.normalise(source)
}

// setID sets the response id from the string at keys of data, unless it is
// set already.
func setID(r *providers.Result, data []byte, keys ...string) {
	if r.ID != "" {
		return
	}
	if v, ok := jsonscan.String(data, keys...); ok && v != "" {
		r.ID = v
	}
}

// statusErrorType names an HTTP error status in snake case, as Cohere's
// documentation and SDK error classes do: too_many_requests, bad_request,
// invalid_token (498), client_closed_request (499), ...
func statusErrorType(status int) string {
	switch status {
	case 498:
		return "invalid_token"
	case 499:
		return "client_closed_request"
	}
	text := http.StatusText(status)
	if text == "" {
		return "http_" + strconv.Itoa(status)
	}
	b := make([]byte, 0, len(text))
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+'a'-'A')
		case c >= 'a' && c <= 'z' || c >= '0' && c <= '9':
			b = append(b, c)
		case len(b) > 0 && b[len(b)-1] != '_':
			b = append(b, '_')
		}
	}
	return strings.TrimRight(string(b), "_")
}
