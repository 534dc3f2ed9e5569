package gemini

import (
	"net/http"
	"strconv"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// maxCandidates bounds the finish reasons kept, whatever index a response
// claims.
const maxCandidates = 128

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

// maxCounts bounds the count positions kept of one chunk (six fields, and
// room for a repeated one).
const maxCounts = 8

type counts struct {
	prompt, candidates, total, cached, thoughts, toolUse int64
	has                                                  countField
	// bad marks the counts whose last value was not a count.
	bad countField
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
	c.bad &^= f
}

// reject marks count f as given a value that is not a count.
func (c *counts) reject(f countField) {
	c.set(f, 0)
	c.has &^= f
	c.bad |= f
}

// usage normalises the counts: input includes the tool-use prompt (results
// of tools such as Google Search fed back to the model, billed as input and
// included in totalTokenCount); output includes the thoughts.
// A sum with a part that is not a count is not a count either.
func (c *counts) usage(source providers.UsageSource) providers.Usage {
	var u providers.Usage
	if c.has == 0 && c.bad == 0 {
		return u
	}
	u.Source = source
	for _, n := range [...]struct {
		parts countField
		f     providers.UsageField
		v     int64
	}{
		{countPrompt | countToolUse, providers.InputTokens, jsonscan.AddCounts(c.prompt, c.toolUse)},
		{countCandidates | countThoughts, providers.OutputTokens, jsonscan.AddCounts(c.candidates, c.thoughts)},
		{countTotal, providers.TotalTokens, c.total},
		{countCached, providers.CacheReadInputTokens, c.cached},
		{countThoughts, providers.ReasoningTokens, c.thoughts},
	} {
		switch {
		case c.bad&n.parts != 0:
			u.Reject(n.f)
		case c.has&n.parts != 0:
			u.Set(n.f, n.v)
		}
	}
	return u
}

// countFieldOf names the usageMetadata member key, 0 for the others.
func countFieldOf(key []byte) countField {
	switch string(key) {
	case "promptTokenCount":
		return countPrompt
	case "candidatesTokenCount":
		return countCandidates
	case "totalTokenCount":
		return countTotal
	case "cachedContentTokenCount":
		return countCached
	case "thoughtsTokenCount":
		return countThoughts
	case "toolUsePromptTokenCount":
		return countToolUse
	}
	return 0
}

// Observe returns the observer of resp's body. The framing is PlanBody's:
// with ?alt=sse a stream is Server-Sent Events, without it one JSON array
// (Request.StreamFraming), which Gemini labels application/json; every
// error status is one JSON document.
func (c *call) Observe(resp *http.Response) providers.Observer {
	d := &dialect{vertex: c.provider == ProviderVertexAI}
	if c.captures() {
		d.asm = providers.NewAssembler(c.limit)
	}
	return providers.NewObserver(resp, c.request, d)
}

// dialect reads the responses of one call: GenerateContentResponse chunks
// and documents, embed and countTokens responses, and Google API errors.
type dialect struct {
	// vertex says the call is to Vertex AI, whose enum numbers differ
	// from the Gemini API's.
	vertex     bool
	counts     counts
	candidates int  // highest candidate index seen, plus one
	finished   int  // candidates with a finish reason
	blocked    bool // promptFeedback.blockReason: the prompt was refused

	// plain is the shape of the last chunk that carried output and
	// nothing else; countsAt is where the counts of the chunk being read
	// are, for learning it.
	plain    chunkShape
	countsAt [maxCounts]countAt
	nCounts  int

	// asm assembles the candidates' messages when the call captures
	// content (nil otherwise); parts numbers each candidate's parts;
	// answered is set once a candidate was read.
	asm      *providers.Assembler
	parts    []capture.Parts
	answered bool
	// cands is the candidates array of the response being read, for
	// answer: valid only while read's caller reads it.
	cands []byte
}

// Reads reports the framings Gemini uses: documents, Server-Sent Events
// and the streamed JSON array.
func (d *dialect) Reads(f providers.Framing) bool {
	return f == providers.FramingDocument || f == providers.FramingSSE || f == providers.FramingJSONArray
}

// Document reads a whole body: a GenerateContentResponse, an embed or
// countTokens response, an error, or an array of them (a
// :streamGenerateContent error body is an array of one error).
func (d *dialect) Document(doc []byte, r *providers.Result) {
	if doc[0] == '[' {
		jsonscan.ArrayEach(doc, func(elem []byte, _ jsonscan.Kind) {
			d.read(elem, r)
			if d.asm != nil {
				d.answer(true) // the elements of a stream
			}
		})
		return
	}
	d.read(doc, r)
	if d.asm != nil {
		d.answer(false)
	}
}

// Event reads one stream chunk: a GenerateContentResponse or an error.
func (d *dialect) Event(ev *providers.Event, r *providers.Result) {
	data := ev.Data
	if d.asm == nil && d.plain.matches(data, &d.counts) {
		// The shape of the last chunk that carried output and nothing
		// else, its counts read on the way: so does this one. Most
		// chunks of a stream take this way; the stream's state (its
		// candidates, finish reasons, end) is as that chunk left it.
		r.Chunks++
		return
	}
	if !r.Valid(data) {
		return
	}
	output, plain := d.read(data, r)
	if output {
		r.Chunks++
	}
	if d.asm != nil {
		d.answer(true)
		plain = false // content is read from every chunk
	}
	// Gemini sends no final marker: the stream is over once every
	// candidate has finished and usage was seen, or at an error, or when
	// the prompt was blocked (no candidates then).
	r.Terminal = r.ErrorType != "" || d.blocked ||
		d.candidates > 0 && d.finished == d.candidates && d.counts.has != 0
	if plain {
		d.plain.learn(data, d.countsAt[:d.nCounts])
	} else {
		// The counts this chunk set may differ from those the shape
		// closed: a later chunk of that shape must be read in full.
		d.plain.forget()
	}
}

// Finish sets the usage from the counts seen, each count's last value.
func (d *dialect) Finish(r *providers.Result) {
	if d.asm != nil {
		d.finishOutput(r)
	}
	source := providers.SourceResponseBody
	if r.Streamed {
		source = providers.SourceStream
	}
	r.Usage = d.counts.usage(source)
}

// read reads one GenerateContentResponse (or embed response, or error) in
// one pass over its members, and reports whether it carried candidates or
// usage counts, and whether it carried candidates and nothing else that
// changes what is known of the stream: no finish reason, error or prompt
// feedback, nor an id or model not taken yet.
func (d *dialect) read(data []byte, r *providers.Result) (output, plain bool) {
	var errObj, id, model, cands, usage []byte
	var idKind, modelKind jsonscan.Kind
	feedback := false
	jsonscan.ObjectEach(data, func(key, v []byte, k jsonscan.Kind) {
		// A repeated member counts at its last value (that is not null),
		// as encoding/json and the SDKs read it.
		switch string(key) {
		case "candidates":
			if k == jsonscan.KindArray {
				cands = v
			}
		case "usageMetadata":
			if k == jsonscan.KindObject {
				usage = v
			}
		case "modelVersion":
			if k != jsonscan.KindNull || model == nil {
				model, modelKind = v, k
			}
		case "responseId":
			if k != jsonscan.KindNull || id == nil {
				id, idKind = v, k
			}
		case "promptFeedback":
			feedback = true
			// A block reason, as a name or (enum-encoding=int) a number
			// other than 0, BLOCK_REASON_UNSPECIFIED.
			if reason, k, ok := jsonscan.Get(v, "blockReason"); ok &&
				(k == jsonscan.KindString || k == jsonscan.KindNumber && string(reason) != "0") {
				d.blocked = true
			}
		case "error":
			if k == jsonscan.KindObject {
				errObj = v
			}
		}
	})
	d.cands = cands
	if errObj != nil {
		setError(r, errObj)
		d.cands = nil
		return false, false
	}
	keepFirst(&r.ID, id, idKind)
	keepFirst(&r.Model, model, modelKind)
	plain = !feedback && (id == nil || r.ID != "") && (model == nil || r.Model != "")
	if cands != nil {
		seen, finished := d.readCandidates(cands, r)
		output = seen
		plain = plain && seen && !finished
	} else {
		plain = false
	}
	d.nCounts = 0
	if usage != nil {
		counted, learnable := d.readUsage(data, usage)
		output = output || counted
		plain = plain && learnable
	}
	return output, plain
}

// readCandidates records the finish reasons of a candidates array and
// reports whether it had a candidate, and any finish reason or a candidate
// out of bounds.
func (d *dialect) readCandidates(cands []byte, r *providers.Result) (seen, finished bool) {
	pos := 0
	jsonscan.ArrayEach(cands, func(cand []byte, _ jsonscan.Kind) {
		idx := pos
		pos++
		var reason []byte
		jsonscan.ObjectEach(cand, func(key, v []byte, k jsonscan.Kind) {
			switch string(key) {
			case "index":
				if k != jsonscan.KindNumber {
					return
				}
				if n, ok := jsonscan.ParseInt(v); ok {
					idx = -1 // out of bounds, unless it is not
					if n >= 0 && n < maxCandidates {
						idx = int(n)
					}
				}
			case "finishReason":
				switch {
				case k == jsonscan.KindString && len(v) > 2:
					reason = v[1 : len(v)-1]
				case k == jsonscan.KindNumber:
					// Google's generated REST clients ask for
					// $alt=json;enum-encoding=int.
					reason = finishReasonName(v, d.vertex)
				}
			}
		})
		if idx < 0 || idx >= maxCandidates {
			finished = true // not plain: a chunk of this shape is read in full
			return
		}
		seen = true
		if idx >= d.candidates {
			d.candidates = idx + 1
		}
		if reason != nil {
			finished = true
			if r.FinishReason(idx) == "" {
				d.finished++
			}
			r.SetFinishReason(idx, reason)
		}
	})
	return seen, finished
}

// readUsage takes the counts of a usageMetadata object (null or absent
// counts leave the last reported value standing) and keeps where they are
// in data. It reports whether it took any, and whether they are all
// written as the chunk shape reads them.
func (d *dialect) readUsage(data, usage []byte) (counted, learnable bool) {
	learnable = true
	jsonscan.ObjectEach(usage, func(key, v []byte, k jsonscan.Kind) {
		f := countFieldOf(key)
		if f == 0 {
			return
		}
		n, fault := jsonscan.Count(v, k)
		switch fault {
		case jsonscan.CountOK:
		case jsonscan.CountNull:
			return // not reported: the last value stands
		default:
			d.counts.reject(f)
			learnable = false
			return
		}
		d.counts.set(f, n)
		counted = true
		off := cap(data) - cap(v) // v is a sub-slice of data
		if !isCount(v) || d.nCounts == maxCounts || off < 0 || off+len(v) > len(data) || &data[off] != &v[0] {
			learnable = false
			return
		}
		d.countsAt[d.nCounts] = countAt{off: int32(off), end: int32(off + len(v)), field: f}
		d.nCounts++
	})
	return counted, learnable
}

// keepFirst sets *dst from a JSON string value unless *dst is already set;
// it allocates only when it keeps a value.
func keepFirst(dst *string, v []byte, k jsonscan.Kind) {
	if *dst != "" || k != jsonscan.KindString || len(v) <= 2 {
		return
	}
	*dst, _ = jsonscan.Str(v)
}

// setError records the type of a Google API error object: its status
// (RESOURCE_EXHAUSTED, INVALID_ARGUMENT, ...), else its numeric code.
func setError(r *providers.Result, e []byte) {
	if r.ErrorType != "" {
		return
	}
	if s, ok := jsonscan.String(e, "status"); ok && s != "" {
		r.ErrorType = s
		return
	}
	if n, ok := jsonscan.Int(e, "code"); ok {
		r.ErrorType = strconv.FormatInt(n, 10)
		return
	}
	r.ErrorType = "error"
}

// The FinishReason names by number, as Google's generated REST clients
// receive them with $alt=json;enum-encoding=int. The two APIs number them
// alike up to OTHER (5) and differently after it (the Gemini API declares
// LANGUAGE as 6). The names are the enums' own, as a string-encoded
// response gives them.
var (
	vertexFinishReasons = names("FINISH_REASON_UNSPECIFIED", "STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "OTHER",
		"BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "MALFORMED_FUNCTION_CALL", "MODEL_ARMOR", "IMAGE_SAFETY",
		"IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION", "IMAGE_OTHER", "UNEXPECTED_TOOL_CALL", "NO_IMAGE")
	geminiFinishReasons = names("FINISH_REASON_UNSPECIFIED", "STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "OTHER",
		"LANGUAGE", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "MALFORMED_FUNCTION_CALL", "IMAGE_SAFETY", "UNEXPECTED_TOOL_CALL")
)

func names(list ...string) [][]byte {
	out := make([][]byte, len(list))
	for i, s := range list {
		out[i] = []byte(s)
	}
	return out
}

// finishReasonName names a numeric finish reason, nil for a number the
// API's table does not have: an unknown number is no finish reason rather
// than a guess.
func finishReasonName(v []byte, vertex bool) []byte {
	n, fault := jsonscan.Count(v, jsonscan.KindNumber)
	table := geminiFinishReasons
	if vertex {
		table = vertexFinishReasons
	}
	if fault != jsonscan.CountOK || n >= int64(len(table)) {
		return nil
	}
	return table[n]
}
