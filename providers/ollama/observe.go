package ollama

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/dialect/count"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// streamErrorType is the ErrorType of an {"error": ...} in a 200 response:
// Ollama has no error types.
const streamErrorType = "error"

// Observe returns the observer of resp's body. The framing is PlanBody's:
// NDJSON when the Content-Type says so or, without one, when the request
// streams (Ollama's default, also assumed when the request body could not
// be read); otherwise one JSON document.
func (c *call) Observe(resp *http.Response) providers.Observer {
	d := &dialect{}
	if resp != nil {
		d.status = resp.StatusCode
	}
	if c.capture && (c.endpoint == endpointChat || c.endpoint == endpointGenerate) {
		d.asm = providers.NewAssembler(c.limit)
	}
	req := c.request
	req.Stream = c.stream
	return providers.NewObserver(resp, req, d)
}

// dialect reads the responses of one call: stream lines and whole bodies
// of chat, generate and embed, and error bodies.
type dialect struct {
	status int
	// usage holds the last value of each count: a count, or not one.
	usage providers.Usage
	// plain is the shape of the last line that carried output and nothing
	// else (not done, no counts): a later line of that shape is counted
	// without a scan.
	plain jsonscan.Shape

	// asm assembles the answer when the call captures content (nil
	// otherwise); parts numbers its parts; answered is set once a line
	// or body that is not an error was read.
	asm      *providers.Assembler
	parts    capture.Parts
	answered bool
}

// Reads reports the framings Ollama uses: documents and NDJSON.
func (d *dialect) Reads(f providers.Framing) bool {
	return f == providers.FramingDocument || f == providers.FramingNDJSON
}

// Document reads a whole body.
func (d *dialect) Document(doc []byte, r *providers.Result) {
	d.object(doc, r)
	d.readAnswer(doc, r)
}

// Event reads one stream line.
func (d *dialect) Event(ev *providers.Event, r *providers.Result) {
	data := ev.Data
	if d.asm == nil && d.plain.Matches(data) {
		// Another line of the last plain line's shape: more output.
		r.Chunks++
		return
	}
	if !r.Valid(data) {
		return
	}
	output, plain, done := d.object(data, r)
	if output {
		r.Chunks++
	}
	if done || r.ErrorType != "" {
		// The done:true line ends a stream; so does an error line (a
		// model runner that failed mid-way).
		r.Terminal = true
	}
	if d.asm != nil {
		d.readAnswer(data, r)
	} else if plain {
		d.plain.Learn(data)
	}
}

// readAnswer reads the answer's content out of an object that is not an
// error.
func (d *dialect) readAnswer(data []byte, r *providers.Result) {
	if d.asm == nil || r.ErrorType != "" || d.status >= 400 {
		return
	}
	d.answered = true
	d.answer(data)
}

// Finish sets the usage from the counts seen.
func (d *dialect) Finish(r *providers.Result) {
	if d.asm != nil {
		d.finishOutput(r)
	}
	if d.usage.Reported == 0 && d.usage.Invalid == 0 {
		return
	}
	r.Usage = d.usage
	r.Usage.Source = providers.SourceStream
	if !r.Streamed {
		r.Usage.Source = providers.SourceResponseBody
	}
}

// object reads one response object (a whole body or a stream line) in one
// pass over its members, and reports whether it carried output or usage;
// whether it carried output and nothing else (not done, no finish reason,
// no counts, no model not taken yet); and whether it was done.
func (d *dialect) object(data []byte, r *providers.Result) (output, plain, done bool) {
	var model, doneReason []byte
	var prompt, eval []byte
	var promptKind, evalKind jsonscan.Kind
	failed, message := false, false
	jsonscan.ObjectEach(data, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "model":
			if k == jsonscan.KindString {
				model = v
			}
		case "message":
			message = message || k == jsonscan.KindObject
		case "response":
			message = message || k == jsonscan.KindString
		case "done":
			done = done || k == jsonscan.KindBool && v[0] == 't'
		case "done_reason":
			if k == jsonscan.KindString {
				doneReason = v
			}
		case "prompt_eval_count": // a repeated key counts at its last value that is not null
			if k != jsonscan.KindNull || prompt == nil {
				prompt, promptKind = v, k
			}
		case "eval_count":
			if k != jsonscan.KindNull || eval == nil {
				eval, evalKind = v, k
			}
		case "error":
			failed = failed || k != jsonscan.KindNull
		}
	})
	if failed {
		if r.ErrorType == "" {
			r.ErrorType = errorType(d.status)
		}
		return false, false, false
	}
	if r.Model == "" && len(model) > 2 {
		r.Model, _ = jsonscan.Str(model)
	}
	output = message || done
	if len(doneReason) > 2 {
		r.SetFinishReason(0, doneReason[1:len(doneReason)-1])
	}
	if prompt != nil && count.Set(&d.usage, providers.InputTokens, prompt, promptKind) {
		output = true
	}
	if eval != nil && count.Set(&d.usage, providers.OutputTokens, eval, evalKind) {
		output = true
	}
	plain = message && !done && doneReason == nil && prompt == nil && eval == nil && (model == nil || r.Model != "")
	return output, plain, done
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
