package providers

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/otelllm/otelllm/providers/internal/framing"
	"github.com/otelllm/otelllm/providers/internal/framing/eventstream"
	"github.com/otelllm/otelllm/providers/internal/framing/jsonarray"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// The words of Response.ObserveError: every provider says the same thing
// the same way. Counted problems are prefixed by their count.
const (
	ProblemBodyEmpty       = "response body is empty"
	ProblemBodyNotJSON     = "response is not JSON"
	ProblemBodyMalformed   = "response JSON is malformed or truncated"
	ProblemBodyTooLarge    = "response body over 8 MiB not parsed"
	ProblemBodyCut         = "response body not read to its end: not parsed"
	ProblemTruncated       = "stream ended before its final event"
	ProblemCutInFrame      = "stream ended inside a frame"
	ProblemCorruptFrame    = "corrupt event stream frame"
	ProblemEventMalformed  = "stream event(s) not valid JSON"
	ProblemEventTooLarge   = "stream event(s) over the size limit skipped"
	ProblemUsageMissing    = "stream asked for usage but carried none"
	ProblemNotJSONDocument = "response is not a JSON object"
	// ProblemBadCount is followed by the counts it concerns.
	ProblemBadCount = "usage count not a non-negative integer, not recorded"
	ProblemBadCost  = "stated cost not a non-negative number, not used"
)

// MaxBufferedBody is the most a non-streamed response body is buffered for
// parsing: 8 MiB. A larger body is passed to the application untouched and
// not parsed (Response.ObserveError says so).
const MaxBufferedBody = 8 << 20

// maxFinishIndex bounds the choice or candidate indexes whose finish
// reasons are kept, so that a hostile index cannot make an observer
// allocate without limit (OpenAI accepts n up to 128).
const maxFinishIndex = 1024

// A Dialect reads one response in its provider's wire format. The observer
// NewObserver returns frames the body as PlanBody decided and hands the
// dialect what it frames; the dialect writes what it learns into the
// Result. Dialects never see a byte they could change: documents and events
// are the observer's own copies, valid only during the call.
type Dialect interface {
	// Document reads a whole (non-streamed) body: valid JSON, trimmed of
	// surrounding space. Error bodies are documents too.
	Document(doc []byte, r *Result)
	// Event reads one stream event. Its data is not validated: a dialect
	// that takes a value from it checks the JSON it reads (see
	// Result.Malformed), and one that only needs to know an event arrived
	// need not pay for a full scan.
	Event(ev *Event, r *Result)
}

// A DialectFinisher is a Dialect with work to do once the body has ended,
// whatever the framing and however it ended: choosing between counts, say.
type DialectFinisher interface {
	Dialect
	Finish(r *Result)
}

// Event is one stream event: a Server-Sent Event, an NDJSON line, an
// element of a streamed JSON array, or an AWS event-stream message.
type Event struct {
	// Name is the SSE event name, or the event-stream :event-type header;
	// empty for the other framings and for unnamed events.
	Name []byte
	// Data is the payload: SSE data lines joined, the line, the element,
	// or the message payload.
	Data []byte

	msg *eventstream.Message
}

// Header returns the value of an event-stream message header (":message-type",
// ":exception-type", ...), nil when absent or for other framings.
func (e *Event) Header(name string) []byte {
	if e.msg == nil {
		return nil
	}
	return e.msg.String(name)
}

// Result is what a Dialect learns of one response, kept by the observer and
// returned from Finish as a Response.
type Result struct {
	Response

	// Chunks counts the stream events that carried model output or usage.
	Chunks int
	// Terminal reports that the stream's final event was seen ([DONE],
	// message_stop, the metadata frame, done:true, an error event...).
	Terminal bool

	finish    []string
	malformed int
	problems  []string
	ending    bool
}

// SetFinishReason records the finish reason of choice index (0 for providers
// with one answer). It allocates only when the reason changes.
func (r *Result) SetFinishReason(index int, reason []byte) {
	if index < 0 || index >= maxFinishIndex || len(reason) == 0 {
		return
	}
	if index >= len(r.finish) {
		if index < cap(r.finish) {
			r.finish = r.finish[:index+1]
		} else {
			grown := make([]string, index+1, max(index+1, 2*len(r.finish)))
			copy(grown, r.finish)
			r.finish = grown
		}
	}
	if string(reason) != r.finish[index] {
		r.finish[index] = string(reason)
	}
}

// FinishReason returns the finish reason recorded for index, "" if none.
func (r *Result) FinishReason(index int) string {
	if index < 0 || index >= len(r.finish) {
		return ""
	}
	return r.finish[index]
}

// FinishedChoices reports how many choices have a finish reason.
func (r *Result) FinishedChoices() int {
	n := 0
	for _, f := range r.finish {
		if f != "" {
			n++
		}
	}
	return n
}

// Valid reports whether data is valid JSON, counting it as a malformed
// event when it is not. An event cut by the end of the body is not counted:
// a truncated stream says so once, as truncated.
func (r *Result) Valid(data []byte) bool {
	if jsonscan.Valid(data) {
		return true
	}
	r.Malformed()
	return false
}

// Malformed counts an event whose payload could not be read.
func (r *Result) Malformed() {
	if !r.ending {
		r.malformed++
	}
}

// Ending reports that the event being read is what was left when the body
// ended without the event's terminator.
func (r *Result) Ending() bool { return r.ending }

// Problem adds a problem (one of the Problem constants, or a detail after
// one) to Response.ObserveError.
func (r *Result) Problem(p string) {
	for _, q := range r.problems {
		if q == p {
			return
		}
	}
	r.problems = append(r.problems, p)
}

// A FramingReader is a Dialect that reads only some framings; a body framed
// otherwise is not observed. Dialects that are not FramingReaders read all.
type FramingReader interface {
	Dialect
	Reads(Framing) bool
}

// NewObserver returns the Observer of the response resp to the request req
// describes: it frames the body as PlanBody decides and hands d its
// documents or events. Providers return it from Call.Observe.
func NewObserver(resp *http.Response, req Request, d Dialect) Observer {
	if resp == nil {
		resp = &http.Response{Header: http.Header{}}
	}
	plan := PlanBody(resp, req)
	if fr, ok := d.(FramingReader); ok && plan.Framing != FramingUnread && plan.Framing != FramingSniff && !fr.Reads(plan.Framing) {
		plan = BodyPlan{Framing: FramingUnread, Reason: "response framing " + resp.Header.Get("Content-Type") + " not read"}
	}
	o := newObserver(plan, d)
	o.readHeaders(resp.Header)
	return o
}

// NewPlannedObserver is NewObserver for a plan already made.
func NewPlannedObserver(plan BodyPlan, d Dialect) Observer { return newObserver(plan, d) }

func newObserver(plan BodyPlan, d Dialect) *observer {
	o := &observer{plan: plan, dialect: d}
	o.start(plan.Framing)
	return o
}

// readHeaders gives the observer's result what the response headers say:
// Retry-After for every provider, and what a HeaderReader dialect reads.
func (o *observer) readHeaders(h http.Header) {
	if len(h) == 0 {
		return
	}
	o.result.RetryAfter = RetryAfter(h)
	if hr, ok := o.dialect.(HeaderReader); ok {
		hr.Headers(h, &o.result)
	}
}

// observer frames one response body for its dialect. It is used from one
// goroutine at a time.
type observer struct {
	plan    BodyPlan
	dialect Dialect
	result  Result

	body   BodyBuffer
	sse    *framing.SSE
	lines  *framing.Lines
	array  *jsonarray.Framer
	frames *eventstream.Decoder
	ev     Event
}

var (
	_ ModelObserver   = (*observer)(nil)
	_ PlannedObserver = (*observer)(nil)
)

func (o *observer) start(f Framing) {
	o.plan.Framing = f
	switch f {
	case FramingSSE:
		o.sse = framing.NewSSE(0, o.sseEvent)
	case FramingNDJSON:
		o.lines = framing.NewLines(0, o.dataEvent)
	case FramingJSONArray:
		o.array = jsonarray.New(0, o.dataEvent)
	case FramingEventStream:
		o.frames = eventstream.NewDecoder(o.message)
	}
	o.result.Streamed = f.Stream()
}

func (o *observer) sseEvent(name, data []byte) {
	o.ev = Event{Name: name, Data: data}
	o.dialect.Event(&o.ev, &o.result)
}

func (o *observer) dataEvent(data []byte) {
	o.ev = Event{Data: data}
	o.dialect.Event(&o.ev, &o.result)
}

func (o *observer) message(m *eventstream.Message) {
	o.ev = Event{Name: m.EventType(), Data: m.Payload, msg: m}
	o.dialect.Event(&o.ev, &o.result)
}

// Plan returns how the body is read.
func (o *observer) Plan() BodyPlan { return o.plan }

// Write frames or buffers the next bytes of the body.
func (o *observer) Write(p []byte) {
	switch o.plan.Framing {
	case FramingSSE:
		o.sse.Write(p)
	case FramingDocument:
		o.body.Write(p)
	case FramingNDJSON:
		o.lines.Write(p)
	case FramingEventStream:
		_ = o.frames.Write(p) // a corrupt frame stops the decoder; Finish says so
	case FramingJSONArray:
		o.array.Write(p)
	case FramingSniff:
		i := 0
		for i < len(p) && isSpace(p[i]) {
			i++
		}
		if i == len(p) {
			return
		}
		switch p[i] {
		case 'd', 'e', 'i', 'r', ':': // "data:", "event:", "id:", "retry:", a comment
			o.start(FramingSSE)
		default:
			o.start(FramingDocument)
		}
		o.Write(p[i:])
	}
}

// Chunks reports the output-bearing events seen so far.
func (o *observer) Chunks() int { return o.result.Chunks }

// Model names the response model as soon as the dialect has seen it.
func (o *observer) Model() string { return o.result.Model }

// Finish ends the observation.
func (o *observer) Finish(complete bool) Response {
	r := &o.result
	switch o.plan.Framing {
	case FramingDocument, FramingSniff:
		o.finishDocument(complete)
	case FramingUnread:
		r.Problem(o.plan.Reason)
	default:
		o.finishStream(complete)
	}
	if f, ok := o.dialect.(DialectFinisher); ok {
		f.Finish(r)
	}
	if r.Usage.Invalid != 0 {
		r.Problem(ProblemBadCount + ": " + r.Usage.Invalid.String())
	}
	if o.plan.Framing.Stream() {
		r.Complete = r.Terminal && (o.array == nil || o.array.Closed()) && (o.frames == nil || o.frames.Err() == nil)
	}
	for _, f := range r.finish {
		if f != "" {
			r.FinishReasons = append(r.FinishReasons, f)
		}
	}
	if len(r.problems) > 0 {
		if r.ObserveError != "" {
			r.problems = append([]string{r.ObserveError}, r.problems...)
		}
		r.ObserveError = strings.Join(r.problems, "; ")
	}
	return r.Response
}

func (o *observer) finishDocument(complete bool) {
	r := &o.result
	doc, problem := o.document(complete)
	if problem != "" {
		r.Problem(problem)
		return
	}
	if doc == nil {
		return
	}
	r.Complete = true
	o.dialect.Document(doc, r)
}

// document returns the body's JSON document, or the problem that stopped it
// being read, or neither for a body closed before it had begun.
func (o *observer) document(complete bool) ([]byte, string) {
	if o.body.Over() {
		if o.plan.Encoding != "" {
			return nil, "compressed " + ProblemBodyTooLarge
		}
		return nil, ProblemBodyTooLarge
	}
	raw := o.body.Bytes()
	if !complete && len(bytes.TrimSpace(raw)) == 0 {
		return nil, "" // closed before it began
	}
	if o.plan.Encoding != "" {
		plain, err := decode(o.plan.Encoding, raw)
		if err != nil {
			if !complete {
				return nil, ProblemBodyCut
			}
			return nil, "could not decompress the " + o.plan.Encoding + " response: " + err.Error()
		}
		if len(plain) > MaxBufferedBody {
			return nil, "decompressed " + ProblemBodyTooLarge
		}
		raw = plain
	}
	doc := bytes.TrimSpace(raw)
	switch {
	case !complete:
		// Closed before EOF: whole if it was read to its last byte.
		if jsonscan.Valid(doc) {
			return doc, ""
		}
		if !startsJSON(doc) {
			return nil, ProblemBodyNotJSON
		}
		return nil, ProblemBodyCut
	case len(doc) == 0:
		return nil, ProblemBodyEmpty
	case jsonscan.Valid(doc):
		return doc, ""
	case startsJSON(doc):
		return nil, ProblemBodyMalformed
	}
	return nil, ProblemBodyNotJSON
}

func startsJSON(b []byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

func decode(encoding string, compressed []byte) ([]byte, error) {
	var zr io.Reader
	var err error
	switch encoding {
	case "deflate":
		// "deflate" is zlib-wrapped by the standard, raw by some servers.
		zr, err = zlib.NewReader(bytes.NewReader(compressed))
		if err != nil {
			zr, err = flate.NewReader(bytes.NewReader(compressed)), nil
		}
	default:
		zr, err = gzip.NewReader(bytes.NewReader(compressed))
	}
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(zr, MaxBufferedBody+1))
}

func (o *observer) finishStream(complete bool) {
	r := &o.result
	if complete {
		// The body ended: an event that lacks only its terminator was
		// still sent whole. After an early close it was not.
		r.ending = true
		switch {
		case o.sse != nil:
			o.sse.End()
		case o.lines != nil:
			o.lines.End()
		case o.array != nil:
			o.array.End()
		}
		r.ending = false
	}
	closed := o.array == nil || o.array.Closed()
	dropped := 0
	switch {
	case o.sse != nil:
		dropped = o.sse.Dropped()
	case o.lines != nil:
		dropped = o.lines.Dropped()
	case o.array != nil:
		dropped = o.array.Dropped()
	}
	var problems []string
	if o.frames != nil && o.frames.Err() != nil {
		problems = append(problems, ProblemCorruptFrame+": "+o.frames.Err().Error())
	}
	if r.malformed > 0 {
		problems = append(problems, strconv.Itoa(r.malformed)+" "+ProblemEventMalformed)
	}
	if dropped > 0 {
		problems = append(problems, strconv.Itoa(dropped)+" "+ProblemEventTooLarge)
	}
	if o.frames == nil || o.frames.Err() == nil {
		switch {
		case complete && (!r.Terminal || !closed):
			problems = append(problems, ProblemTruncated)
		case complete && o.frames != nil && o.frames.Partial():
			problems = append(problems, ProblemCutInFrame)
		}
	}
	r.problems = append(problems, r.problems...)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// BodyBuffer keeps a non-streamed response body for parsing at its end, up
// to MaxBufferedBody; past that it lets go of what it held and keeps nothing,
// so memory stays bounded whatever the body size. The zero value is ready.
type BodyBuffer struct {
	buf  []byte
	over bool
}

// Write keeps a copy of p, unless the body went over the limit.
func (b *BodyBuffer) Write(p []byte) {
	if b.over {
		return
	}
	if len(b.buf)+len(p) > MaxBufferedBody {
		b.over, b.buf = true, nil
		return
	}
	b.buf = append(b.buf, p...)
}

// Bytes returns what was kept: nil once the body went over the limit.
func (b *BodyBuffer) Bytes() []byte { return b.buf }

// Over reports whether the body went over the limit.
func (b *BodyBuffer) Over() bool { return b.over }
