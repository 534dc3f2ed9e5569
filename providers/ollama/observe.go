package ollama

import (
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
	errMalformed    = "malformed stream line"
	errTruncated    = "stream ended before its final event"
	errLineSkipped  = "stream line over the size limit skipped"
	streamErrorType = "error" // an {"error": ...} in a 200 response: Ollama has no error types
)

// Observe returns the observer of resp's body: NDJSON when the Content-Type
// says so, or, without one, when the request streams (the default).
func (c *call) Observe(resp *http.Response) providers.Observer {
	o := &observer{status: resp.StatusCode}
	requested := providers.NotStream
	if c.stream {
		requested = providers.NDJSONStream
	}
	if providers.StreamKindOf(resp, requested) == providers.NDJSONStream {
		o.lines = framing.NewLines(0, o.line)
	}
	return o
}

type observer struct {
	status int

	lines *framing.Lines // nil: one JSON document, buffered

	body providers.BodyBuffer

	model     string
	finish    string
	input     int64
	output    int64
	reported  providers.UsageField
	done      bool
	chunks    int
	errorType string
	malformed bool
	ended     bool // the response reached its logical end (Response.Complete)
}

// Write frames p or buffers it.
func (o *observer) Write(p []byte) {
	if o.lines != nil {
		o.lines.Write(p)
		return
	}
	o.body.Write(p)
}

// Chunks reports the stream lines that carried output or usage.
func (o *observer) Chunks() int { return o.chunks }

// Model names the response model as soon as a chunk did.
func (o *observer) Model() string { return o.model }

// Finish returns what was observed.
func (o *observer) Finish(complete bool) providers.Response {
	r := providers.Response{Streamed: o.lines != nil}
	source := providers.SourceStream
	if o.lines != nil {
		if complete {
			o.lines.End()
		}
		o.ended = o.done || o.errorType != ""
		switch {
		case complete && !o.ended:
			r.ObserveError = errTruncated
		case o.malformed:
			r.ObserveError = errMalformed
		case o.lines.Dropped() > 0:
			r.ObserveError = errLineSkipped
		}
	} else {
		source = providers.SourceResponseBody
		r.ObserveError = o.parseBody(complete)
	}
	r.Model = o.model
	r.ErrorType = o.errorType
	r.Complete = o.ended
	if o.finish != "" {
		r.FinishReasons = []string{o.finish}
	}
	if o.reported != 0 {
		r.Usage.Source = source
		if o.reported&providers.InputTokens != 0 {
			r.Usage.Set(providers.InputTokens, o.input)
		}
		if o.reported&providers.OutputTokens != 0 {
			r.Usage.Set(providers.OutputTokens, o.output)
		}
	}
	return r
}

func (o *observer) parseBody(complete bool) string {
	doc, problem := o.body.Document()
	if problem != "" {
		if !complete && len(o.body.Bytes()) > 0 {
			return errCutBody
		}
		return problem
	}
	o.ended = true
	o.object(doc)
	return ""
}

func (o *observer) line(line []byte) {
	if !jsonscan.Valid(line) {
		o.malformed = true
		return
	}
	if o.object(line) {
		o.chunks++
	}
}

// object reads one response object (a whole body or a stream line) and
// reports whether it carried output or usage.
func (o *observer) object(data []byte) bool {
	if _, kind, _ := jsonscan.Get(data, "error"); kind != jsonscan.KindInvalid && kind != jsonscan.KindNull {
		if o.errorType == "" {
			o.errorType = errorType(o.status)
		}
		return false
	}
	if o.model == "" {
		if v, ok := jsonscan.String(data, "model"); ok {
			o.model = v
		}
	}
	output := false
	if _, kind, _ := jsonscan.Get(data, "message"); kind == jsonscan.KindObject {
		output = true
	} else if _, kind, _ := jsonscan.Get(data, "response"); kind == jsonscan.KindString {
		output = true
	}
	if done, ok := jsonscan.Bool(data, "done"); ok && done {
		o.done = true
		output = true
	}
	if v, ok := jsonscan.RawString(data, "done_reason"); ok && len(v) > 0 && string(v) != o.finish {
		o.finish = string(v)
	}
	if v, ok := jsonscan.Int(data, "prompt_eval_count"); ok && v >= 0 {
		o.input, o.reported = v, o.reported|providers.InputTokens
		output = true
	}
	if v, ok := jsonscan.Int(data, "eval_count"); ok && v >= 0 {
		o.output, o.reported = v, o.reported|providers.OutputTokens
		output = true
	}
	return output
}

// errorType names an error: by its HTTP status in snake case (not_found for
// a model that is not pulled, bad_request, ...), or "error" for one reported
// inside a 200 response.
func errorType(status int) string {
	if status < 400 {
		return streamErrorType
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
