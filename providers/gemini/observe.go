package gemini

import (
	"net/http"
	"strconv"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/framing"
	"github.com/otelllm/otelllm/providers/internal/framing/jsonarray"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// maxCandidates bounds the finish reasons kept, whatever index a response
// claims.
const maxCandidates = 128

// The messages of Response.ObserveError.
const (
	errCutBody      = "response body ended early: not parsed"
	errMalformed    = "malformed stream event"
	errTruncated    = "stream ended before its final event"
	errEventSkipped = "stream event over the size limit skipped"
)

type mode uint8

const (
	modeBody  mode = iota // one JSON document, buffered
	modeSSE               // ?alt=sse: data: frames
	modeArray             // one JSON array streamed element by element
)

// The usage counts of usageMetadata, as Gemini reports them.
type countField uint8

const (
	countPrompt countField = 1 << iota
	countCandidates
	countTotal
	countCached
	countThoughts
	countToolUse
)

type counts struct {
	prompt, candidates, total, cached, thoughts, toolUse int64
	has                                                  countField
}

func (c *counts) set(f countField, v int64) {
	switch f {
	case countPrompt:
		c.prompt = v
	case countCandidates:
		c.candidates = v
	case countTotal:
		c.total = v
	case countCached:
		c.cached = v
	case countThoughts:
		c.thoughts = v
	case countToolUse:
		c.toolUse = v
	}
	c.has |= f
}

// usage normalises the counts: input includes the tool-use prompt (results
// of tools such as Google Search fed back to the model, billed as input and
// included in totalTokenCount); output includes the thoughts.
func (c *counts) usage(source providers.UsageSource) providers.Usage {
	var u providers.Usage
	if c.has == 0 {
		return u
	}
	u.Source = source
	if c.has&(countPrompt|countToolUse) != 0 {
		u.Set(providers.InputTokens, c.prompt+c.toolUse)
	}
	if c.has&(countCandidates|countThoughts) != 0 {
		u.Set(providers.OutputTokens, c.candidates+c.thoughts)
	}
	if c.has&countTotal != 0 {
		u.Set(providers.TotalTokens, c.total)
	}
	if c.has&countCached != 0 {
		u.Set(providers.CacheReadInputTokens, c.cached)
	}
	if c.has&countThoughts != 0 {
		u.Set(providers.ReasoningTokens, c.thoughts)
	}
	return u
}

// Observe returns the observer of resp's body. The framing is the request's:
// :streamGenerateContent is SSE with ?alt=sse (or a text/event-stream
// Content-Type), otherwise one streamed JSON array, which Gemini labels
// application/json; everything else, and every error status, is one JSON
// document.
func (c *call) Observe(resp *http.Response) providers.Observer {
	o := &observer{}
	requested := providers.NotStream
	if c.method == methodStreamGenerate && c.altSSE {
		requested = providers.SSEStream
	}
	switch {
	case resp.StatusCode >= 400:
		o.mode = modeBody
	case providers.StreamKindOf(resp, requested) == providers.SSEStream:
		o.mode = modeSSE
		o.sse = framing.NewSSE(0, func(_, data []byte) { o.chunk(data) })
	case c.method == methodStreamGenerate:
		o.mode = modeArray
		o.array = jsonarray.New(0, o.chunk)
	}
	return o
}

type observer struct {
	mode mode

	body providers.BodyBuffer // modeBody: the document

	sse   *framing.SSE
	array *jsonarray.Framer

	id, model  string
	finish     []string // by candidate index
	finished   int      // non-empty entries of finish
	candidates int      // highest candidate index seen, plus one
	counts     counts
	blocked    bool // promptFeedback.blockReason: the prompt was refused
	chunks     int
	errorType  string
	malformed  bool
	ended      bool // the response reached its logical end (Response.Complete)
}

// Write frames p or buffers it.
func (o *observer) Write(p []byte) {
	switch o.mode {
	case modeSSE:
		o.sse.Write(p)
	case modeArray:
		o.array.Write(p)
	default:
		o.body.Write(p)
	}
}

// Chunks reports the stream chunks that carried candidates or usage.
func (o *observer) Chunks() int { return o.chunks }

// Model names the response model as soon as a chunk did.
func (o *observer) Model() string { return o.model }

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
		r.ObserveError = o.streamError(complete, true, o.sse.Dropped())
	case modeArray:
		if complete {
			o.array.End()
		}
		r.ObserveError = o.streamError(complete, o.array.Closed(), o.array.Dropped())
	}
	r.ID = o.id
	r.Model = o.model
	r.ErrorType = o.errorType
	r.Usage = o.counts.usage(source)
	r.Complete = o.ended
	for _, f := range o.finish {
		if f != "" {
			r.FinishReasons = append(r.FinishReasons, f)
		}
	}
	return r
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
	doc, kind, _ := jsonscan.Get(body)
	if kind == jsonscan.KindArray {
		// A :streamGenerateContent error body is an array of one error.
		jsonscan.ArrayEach(doc, func(elem []byte, _ jsonscan.Kind) { o.document(elem) })
	} else {
		o.document(doc)
	}
	return ""
}

func (o *observer) streamError(complete, closed bool, dropped int) string {
	terminal := o.errorType != "" || o.blocked ||
		(o.candidates > 0 && o.finished == o.candidates && o.counts.has != 0)
	o.ended = terminal && closed
	switch {
	case complete && (!terminal || !closed):
		return errTruncated
	case o.malformed:
		return errMalformed
	case dropped > 0:
		return errEventSkipped
	}
	return ""
}

// chunk handles one stream chunk: a GenerateContentResponse or an error.
func (o *observer) chunk(data []byte) {
	if !jsonscan.Valid(data) {
		o.malformed = true
		return
	}
	if o.document(data) {
		o.chunks++
	}
}

// document reads one GenerateContentResponse (or embed response, or error)
// and reports whether it carried candidates or usage counts.
func (o *observer) document(data []byte) bool {
	if e, kind, _ := jsonscan.Get(data, "error"); kind == jsonscan.KindObject {
		o.setError(e)
		return false
	}
	if o.id == "" {
		if v, ok := jsonscan.String(data, "responseId"); ok {
			o.id = v
		}
	}
	if o.model == "" {
		if v, ok := jsonscan.String(data, "modelVersion"); ok {
			o.model = v
		}
	}
	if _, ok := jsonscan.RawString(data, "promptFeedback", "blockReason"); ok {
		o.blocked = true
	}
	output := false
	if cands, kind, _ := jsonscan.Get(data, "candidates"); kind == jsonscan.KindArray {
		pos := 0
		jsonscan.ArrayEach(cands, func(cand []byte, _ jsonscan.Kind) {
			idx := pos
			pos++
			if v, ok := jsonscan.Int(cand, "index"); ok {
				idx = int(v)
			}
			if idx < 0 || idx >= maxCandidates {
				return
			}
			output = true
			if idx >= o.candidates {
				o.candidates = idx + 1
			}
			if reason, ok := jsonscan.RawString(cand, "finishReason"); ok && len(reason) > 0 {
				o.setFinish(idx, reason)
			}
		})
	}
	if um, kind, _ := jsonscan.Get(data, "usageMetadata"); kind == jsonscan.KindObject {
		jsonscan.ObjectEach(um, func(key, value []byte, kind jsonscan.Kind) {
			if kind != jsonscan.KindNumber {
				return // null or absent: the last reported value stands
			}
			var f countField
			switch string(key) {
			case "promptTokenCount":
				f = countPrompt
			case "candidatesTokenCount":
				f = countCandidates
			case "totalTokenCount":
				f = countTotal
			case "cachedContentTokenCount":
				f = countCached
			case "thoughtsTokenCount":
				f = countThoughts
			case "toolUsePromptTokenCount":
				f = countToolUse
			default:
				return
			}
			if v, ok := jsonscan.ParseInt(value); ok && v >= 0 {
				o.counts.set(f, v)
				output = true
			}
		})
	}
	return output
}

func (o *observer) setFinish(idx int, reason []byte) {
	for len(o.finish) <= idx {
		o.finish = append(o.finish, "")
	}
	if o.finish[idx] == string(reason) {
		return
	}
	if o.finish[idx] == "" {
		o.finished++
	}
	o.finish[idx] = string(reason)
}

// setError records the type of a Google API error object: its status
// (RESOURCE_EXHAUSTED, INVALID_ARGUMENT, ...), else its numeric code.
func (o *observer) setError(e []byte) {
	if o.errorType != "" {
		return
	}
	if s, ok := jsonscan.String(e, "status"); ok && s != "" {
		o.errorType = s
		return
	}
	if n, ok := jsonscan.Int(e, "code"); ok {
		o.errorType = strconv.FormatInt(n, 10)
		return
	}
	o.errorType = "error"
}
