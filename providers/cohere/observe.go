package cohere

import (
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/framing"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// The messages of Response.ObserveError.
const (
	errCutBody      = "response body ended early: not parsed"
	errMalformed    = "malformed stream event"
	errTruncated    = "stream ended before its final event"
	errEventSkipped = "stream event over the size limit skipped"
)

// streamErrorType is the ErrorType of an error reported inside a 200 stream:
// Cohere gives such errors no type of their own.
const streamErrorType = "error"

type mode uint8

const (
	modeBody  mode = iota // one JSON document, buffered
	modeSSE               // v2 stream: event:/data: frames
	modeLines             // v1 stream: one JSON event a line
)

// Observe returns the observer of resp's body: SSE for a v2 stream, one JSON
// event per line for a v1 stream (application/stream+json), otherwise one
// JSON document.
func (c *call) Observe(resp *http.Response) providers.Observer {
	o := &observer{status: resp.StatusCode}
	requested := providers.NotStream
	if c.stream {
		requested = providers.SSEStream
		if c.endpoint == chatV1 {
			requested = providers.NDJSONStream
		}
	}
	if resp.StatusCode < 400 {
		if mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type")); err == nil && mt == "application/stream+json" {
			requested = providers.NDJSONStream
			resp = &http.Response{StatusCode: resp.StatusCode, Header: http.Header{}}
		}
	}
	switch providers.StreamKindOf(resp, requested) {
	case providers.SSEStream:
		o.mode = modeSSE
		o.sse = framing.NewSSE(0, o.event)
	case providers.NDJSONStream:
		o.mode = modeLines
		o.lines = framing.NewLines(0, func(line []byte) { o.event(nil, line) })
	}
	return o
}

type observer struct {
	mode   mode
	status int

	body providers.BodyBuffer

	sse   *framing.SSE
	lines *framing.Lines

	id        string
	finish    string
	usage     usageCounts
	terminal  bool
	chunks    int
	errorType string
	malformed bool
	ended     bool // the response reached its logical end (Response.Complete)
}

// usageCounts holds Cohere's two views of usage: billed units, which cost
// uses, and tokens, which include the prompt template.
type usageCounts struct {
	billedIn, billedOut, tokensIn, tokensOut int64
	has                                      uint8
}

const (
	hasBilledIn uint8 = 1 << iota
	hasBilledOut
	hasTokensIn
	hasTokensOut
)

// read takes the counts of a usage (v2) or meta (v1, embed) object; the last
// value of each count wins.
func (u *usageCounts) read(obj []byte) {
	if v, ok := jsonscan.Int(obj, "billed_units", "input_tokens"); ok && v >= 0 {
		u.billedIn, u.has = v, u.has|hasBilledIn
	}
	if v, ok := jsonscan.Int(obj, "billed_units", "output_tokens"); ok && v >= 0 {
		u.billedOut, u.has = v, u.has|hasBilledOut
	}
	if v, ok := jsonscan.Int(obj, "tokens", "input_tokens"); ok && v >= 0 {
		u.tokensIn, u.has = v, u.has|hasTokensIn
	}
	if v, ok := jsonscan.Int(obj, "tokens", "output_tokens"); ok && v >= 0 {
		u.tokensOut, u.has = v, u.has|hasTokensOut
	}
}

// normalise prefers billed units, count by count, and falls back to tokens.
func (u *usageCounts) normalise(source providers.UsageSource) providers.Usage {
	var r providers.Usage
	if u.has == 0 {
		return r
	}
	r.Source = source
	switch {
	case u.has&hasBilledIn != 0:
		r.Set(providers.InputTokens, u.billedIn)
	case u.has&hasTokensIn != 0:
		r.Set(providers.InputTokens, u.tokensIn)
	}
	switch {
	case u.has&hasBilledOut != 0:
		r.Set(providers.OutputTokens, u.billedOut)
	case u.has&hasTokensOut != 0:
		r.Set(providers.OutputTokens, u.tokensOut)
	}
	return r
}

// Write frames p or buffers it.
func (o *observer) Write(p []byte) {
	switch o.mode {
	case modeSSE:
		o.sse.Write(p)
	case modeLines:
		o.lines.Write(p)
	default:
		o.body.Write(p)
	}
}

// Chunks reports the stream events that carried output or usage.
func (o *observer) Chunks() int { return o.chunks }

// Finish returns what was observed.
func (o *observer) Finish(complete bool) providers.Response {
	r := providers.Response{Streamed: o.mode != modeBody}
	source := providers.SourceStream
	switch o.mode {
	case modeBody:
		source = providers.SourceResponseBody
		r.ObserveError = o.parseBody(complete)
	case modeSSE:
		if complete {
			o.sse.End()
		}
		r.ObserveError = o.streamError(complete, o.sse.Dropped())
	case modeLines:
		if complete {
			o.lines.End()
		}
		r.ObserveError = o.streamError(complete, o.lines.Dropped())
	}
	r.ID = o.id
	r.ErrorType = o.errorType
	r.Complete = o.ended
	if o.finish != "" {
		r.FinishReasons = []string{o.finish}
	}
	r.Usage = o.usage.normalise(source)
	return r
}

func (o *observer) streamError(complete bool, dropped int) string {
	o.ended = o.terminal || o.errorType != ""
	switch {
	case complete && !o.ended:
		return errTruncated
	case o.malformed:
		return errMalformed
	case dropped > 0:
		return errEventSkipped
	}
	return ""
}

func (o *observer) parseBody(complete bool) string {
	body, problem := o.body.Document()
	if problem != "" {
		if !complete && len(o.body.Bytes()) > 0 {
			return errCutBody
		}
		return problem
	}
	o.ended = true
	if o.status >= 400 {
		// Cohere's error body is {"message": "..."} (v2 adds an id): no
		// type, so the status names the error.
		o.errorType = statusErrorType(o.status)
		return ""
	}
	o.setID(body, "id")
	o.setID(body, "generation_id")
	o.setID(body, "response_id")
	if v, ok := jsonscan.String(body, "finish_reason"); ok {
		o.finish = v
	}
	if u, kind, _ := jsonscan.Get(body, "usage"); kind == jsonscan.KindObject {
		o.usage.read(u) // v2 chat
	} else if m, kind, _ := jsonscan.Get(body, "meta"); kind == jsonscan.KindObject {
		o.usage.read(m) // v1 chat, embed
	}
	return ""
}

func (o *observer) setID(data []byte, key string) {
	if o.id != "" {
		return
	}
	if v, ok := jsonscan.String(data, key); ok && v != "" {
		o.id = v
	}
}

// event handles one stream event: a v2 SSE frame (typed by its "type" field,
// which repeats the event name) or a v1 line (typed by "event_type").
func (o *observer) event(name, data []byte) {
	if !jsonscan.Valid(data) {
		o.malformed = true
		return
	}
	typ, ok := jsonscan.RawString(data, "type")
	if !ok {
		typ, ok = jsonscan.RawString(data, "event_type")
	}
	if !ok {
		typ = name
	}
	switch string(typ) {
	case "message-start": // v2
		o.setID(data, "id")
	case "stream-start": // v1
		o.setID(data, "generation_id")
	case "message-end": // v2: the final event
		o.terminal = true
		o.chunks++
		if v, ok := jsonscan.RawString(data, "delta", "finish_reason"); ok && string(v) != o.finish {
			o.finish = string(v)
		}
		if u, kind, _ := jsonscan.Get(data, "delta", "usage"); kind == jsonscan.KindObject {
			o.usage.read(u)
		}
	case "stream-end": // v1: the final event
		o.terminal = true
		o.chunks++
		if v, ok := jsonscan.RawString(data, "finish_reason"); ok && string(v) != o.finish {
			o.finish = string(v)
		}
		o.setID(data, "generation_id")
		if m, kind, _ := jsonscan.Get(data, "response", "meta"); kind == jsonscan.KindObject {
			o.usage.read(m)
		}
		if o.id == "" {
			o.setIDFrom(data, "response", "generation_id")
			o.setIDFrom(data, "response", "response_id")
		}
	case "error":
		o.errorType = streamErrorType
	default:
		if strings.HasSuffix(string(typ), "-delta") || string(typ) == "text-generation" || string(typ) == "tool-calls-generation" {
			o.chunks++
			return
		}
		// An untyped object with a message is an error reported in the
		// stream.
		if len(typ) == 0 {
			if _, kind, _ := jsonscan.Get(data, "message"); kind == jsonscan.KindString {
				o.errorType = streamErrorType
			}
		}
	}
}

func (o *observer) setIDFrom(data []byte, keys ...string) {
	if o.id != "" {
		return
	}
	if v, ok := jsonscan.String(data, keys...); ok && v != "" {
		o.id = v
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
