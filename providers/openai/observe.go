package openai

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/framing"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// maxChoices bounds the choice indexes whose finish reasons are kept, so
// that a hostile index cannot make the observer allocate without limit.
// OpenAI accepts n up to 128.
const maxChoices = 1024

// mode is how the observer reads the body.
type mode uint8

const (
	modeUndecided mode = iota // no Content-Type and no request: sniff the first byte
	modeJSON                  // a non-streamed body, buffered up to MaxBufferedBody
	modeSSE                   // a Server-Sent Events stream, framed as it comes
	modeIgnore                // a framing this package does not read
)

// observer reads one response of a call. It is used from one goroutine.
type observer struct {
	call   *call
	status int
	mode   mode

	// modeJSON
	body providers.BodyBuffer

	// modeSSE
	sse      *framing.SSE
	chunks   int
	terminal bool // the stream's final event ([DONE], a terminal response event, an error)
	ending   bool // End is dispatching what was left at the end of the body
	bad      int  // events whose data was not JSON

	// unparsed explains a framing this package does not read.
	unparsed string

	resp   providers.Response
	finish []string // finish reasons by choice index
}

// unknownKind is passed to StreamKindOf when the request did not say whether
// it asked for a stream: StreamKindOf returns it when the headers do not
// tell either.
const unknownKind providers.StreamKind = 255

func newObserver(c *call, resp *http.Response) *observer {
	if resp == nil {
		resp = &http.Response{}
	}
	o := &observer{call: c, status: resp.StatusCode}
	requested := providers.NotStream
	switch c.streamAsked {
	case streamYes:
		requested = providers.SSEStream
	case streamUnknown:
		requested = unknownKind
	}
	switch providers.StreamKindOf(resp, requested) {
	case providers.NotStream:
		o.mode = modeJSON
	case providers.SSEStream:
		o.startSSE()
	case unknownKind:
		o.mode = modeUndecided
	default:
		o.mode = modeIgnore
		o.unparsed = "response framing " + resp.Header.Get("Content-Type") + " not read"
	}
	return o
}

func (o *observer) startSSE() {
	o.mode = modeSSE
	o.resp.Streamed = true
	if o.call.api == apiResponses {
		o.sse = framing.NewSSE(0, o.responsesEvent)
	} else {
		o.sse = framing.NewSSE(0, o.chatEvent)
	}
}

// Write observes the next bytes of the body.
func (o *observer) Write(p []byte) {
	if o.mode == modeUndecided {
		i := 0
		for i < len(p) && isSpace(p[i]) {
			i++
		}
		if i == len(p) {
			return
		}
		p = p[i:]
		switch p[0] {
		case 'd', 'e', ':': // "data:", "event:", a comment
			o.startSSE()
		default:
			o.mode = modeJSON
		}
	}
	switch o.mode {
	case modeJSON:
		o.body.Write(p)
	case modeSSE:
		o.sse.Write(p)
	}
}

// Chunks reports the stream events seen that carried output or usage.
func (o *observer) Chunks() int { return o.chunks }

// Model names the response model as soon as a chunk did.
func (o *observer) Model() string { return o.resp.Model }

// Finish returns what the response said.
func (o *observer) Finish(complete bool) providers.Response {
	switch o.mode {
	case modeJSON, modeUndecided:
		o.finishJSON(complete)
	case modeSSE:
		o.finishSSE(complete)
	case modeIgnore:
		o.resp.ObserveError = o.unparsed
	}
	o.resp.FinishReasons = o.finishReasons()
	return o.resp
}

func (o *observer) finishSSE(complete bool) {
	if complete {
		// The body ended: an event that lacks only its closing blank line
		// was still sent whole. After an early close it was not.
		o.ending = true
		o.sse.End()
		o.ending = false
	}
	o.resp.Complete = o.terminal
	var problems []string
	if o.bad > 0 {
		problems = append(problems, strconv.Itoa(o.bad)+" stream event(s) not valid JSON")
	}
	if n := o.sse.Dropped(); n > 0 {
		problems = append(problems, strconv.Itoa(n)+" stream event(s) over the size limit skipped")
	}
	if complete {
		switch {
		case !o.terminal:
			problems = append(problems, "stream ended before its final event")
		case o.call.includeUsage && o.resp.Usage.Reported == 0 && o.resp.ErrorType == "":
			problems = append(problems, "stream asked for usage (include_usage) but carried none")
		}
	}
	o.resp.ObserveError = strings.Join(problems, "; ")
}

func (o *observer) finishJSON(complete bool) {
	doc, problem := o.body.Document()
	if problem != "" {
		started := len(bytes.TrimSpace(o.body.Bytes())) > 0
		switch {
		case complete, o.body.Over(), problem == "response is not JSON":
			o.resp.ObserveError = problem
		case started:
			// Closed before its end: an unfinished body is not a bad one.
			o.resp.ObserveError = "response body not read to its end: not parsed"
		}
		return
	}
	o.resp.Complete = true
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
		o.resp.ErrorType = t
	}
	switch o.call.api {
	case apiResponses:
		o.responseObject(doc, providers.SourceResponseBody)
	case apiEmbeddings:
		o.embeddingsDoc(doc)
	default:
		o.chatDoc(doc, providers.SourceResponseBody)
	}
}

// finishReasons lists the finish reasons seen, in choice index order,
// leaving out choices that reported none.
func (o *observer) finishReasons() []string {
	var out []string
	for _, r := range o.finish {
		if r != "" {
			out = append(out, r)
		}
	}
	return out
}

// setFinish records the finish reason of choice idx from a JSON string value,
// allocating only when it differs from the one held.
func (o *observer) setFinish(idx int64, v []byte) {
	if idx < 0 || idx >= maxChoices || len(v) < 2 {
		return
	}
	if int(idx) >= len(o.finish) {
		grown := make([]string, idx+1)
		copy(grown, o.finish)
		o.finish = grown
	}
	if string(v[1:len(v)-1]) == o.finish[idx] {
		return
	}
	if s, ok := jsonscan.Str(v); ok {
		o.finish[idx] = s
	}
}

// keepFirst sets *dst from the string value at key of doc unless *dst is
// already set; it allocates only when it keeps a value.
// keepFirstValue is keepFirst for a value already found.
func keepFirstValue(dst *string, v []byte, k jsonscan.Kind) {
	if *dst != "" || k != jsonscan.KindString || len(v) <= 2 {
		return
	}
	*dst, _ = jsonscan.Str(v)
}

func keepFirst(dst *string, doc []byte, key string) {
	if *dst != "" {
		return
	}
	if raw, ok := jsonscan.RawString(doc, key); ok && len(raw) > 0 {
		v, _, _ := jsonscan.Get(doc, key)
		*dst, _ = jsonscan.Str(v)
	}
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

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// isDone reports the "[DONE]" sentinel that ends OpenAI streams.
func isDone(data []byte) bool { return string(bytes.TrimSpace(data)) == "[DONE]" }
