package otelllm

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/providers"
)

// callState is one observed call, from the request to the end of its body.
// Everything the provider is asked goes through the safe* methods, so that a
// provider bug turns observation off instead of reaching the application.
type callState struct {
	t       *Transport
	call    providers.Call
	ctx     context.Context
	span    trace.Span
	request providers.Request
	server  string
	port    int
	start   time.Time
	status  int
	// sentBody is the request body observed as the base transport sent
	// it, when it could not be read before sending.
	sentBody *sentBody
	// usageRecordedBy is the scope of the parent span that another GenAI
	// instrumentation records this call's usage on, "" when none does.
	usageRecordedBy string
	// resend is the SDK's retry number of the request (resendCount).
	resend int
	// attrs are the call's context attributes; metricAttrs the bounded
	// part of them the metrics carry, and metricSet its identity.
	attrs       []attribute.KeyValue
	metricAttrs []attribute.KeyValue
	metricSet   attribute.Distinct
	// admitted is what the call holds against its trackers' limits.
	admitted admission

	stopCancel func() bool

	// document is set when the observer reads the body as one document
	// (a PlannedObserver's plan says so): its reads are shown to it at
	// once.
	document bool

	mu           sync.Mutex
	held         []byte    // a copy of the last read, not yet observed
	heldAt       time.Time // when it was read
	done         bool
	observer     providers.Observer
	observeError string
	chunks       int
	firstChunk   time.Time
	lastChunk    time.Time
	// gaps are the times between output chunks, recorded with the call's
	// other metrics when it ends (then the response model and error.type
	// are known), or when the buffer fills on a long stream.
	gaps *chunkGaps
	// timeChunks says whether a per-chunk histogram takes the gaps: not
	// when the meter provider drops it (a View with AggregationDrop), or
	// when no meter provider is set; then no chunk is timed.
	timeChunks bool
}

// endState says how a call ended.
type endState struct {
	end      EndReason
	complete bool   // the body was read to EOF
	errType  string // error.type when the call itself failed
	err      error
}

// hold keeps a copy of p, read at now, for the next read to observe. The
// observer is only ever shown this copy, never the application's bytes.
func (c *callState) hold(p []byte, now time.Time) {
	c.mu.Lock()
	switch {
	case c.done || c.observer == nil:
	case c.document:
		// Only buffered until the end: the observer's own copy is the
		// only one needed, and nothing waits on it.
		c.safeWrite(p)
	default:
		c.observeHeldLocked()
		c.held = append(c.held[:0], p...)
		c.heldAt = now
	}
	c.mu.Unlock()
}

func (c *callState) observeHeld() {
	c.mu.Lock()
	c.observeHeldLocked()
	c.mu.Unlock()
}

// observeHeldLocked shows the held read to the observer and times the
// chunks it completed.
func (c *callState) observeHeldLocked() {
	if len(c.held) == 0 || c.done || c.observer == nil {
		return
	}
	p := c.held
	c.held = c.held[:0]
	chunks, ok := c.safeWrite(p)
	if !ok || chunks <= c.chunks {
		return
	}
	now := c.heldAt
	if c.firstChunk.IsZero() {
		c.firstChunk = now
	} else {
		c.addGap(now.Sub(c.lastChunk))
	}
	// Chunks that arrived in the same read arrived together.
	for i := c.chunks + 1; i < chunks; i++ {
		c.addGap(0)
	}
	c.lastChunk = now
	c.chunks = chunks
}

func (c *callState) addGap(d time.Duration) {
	if !c.timeChunks {
		return
	}
	if c.gaps == nil {
		c.gaps = newChunkGaps()
	}
	if c.gaps.add(d) {
		// Full: record what a long stream has so far, with what is known.
		c.t.tel.recordGaps(c, c.gaps, c.responseModelLocked(), "")
	}
}

// finish ends the call once: it takes the observer's result, records it,
// and ends the span. Later calls do nothing.
func (c *callState) finish(e endState) {
	c.mu.Lock()
	if c.done {
		c.mu.Unlock()
		return
	}
	c.observeHeldLocked()
	c.done = true
	c.held = nil
	var resp providers.Response
	if c.observer != nil {
		resp = c.safeFinish(e.complete)
	}
	c.mu.Unlock()
	if c.stopCancel != nil {
		c.stopCancel()
	}
	rec := c.record(e, resp, time.Now())
	c.t.tel.emit(c, &rec)
}

// responseModelLocked is the response model the observer has named so
// far, "" if none. The caller holds c.mu.
func (c *callState) responseModelLocked() string {
	mo, ok := c.observer.(providers.ModelObserver)
	if !ok {
		return ""
	}
	defer func() {
		if rec := recover(); rec != nil {
			c.observeError = fmt.Sprintf("provider panicked naming the model: %v", rec)
			c.observer = nil
		}
	}()
	return mo.Model()
}

func (c *callState) safeRequest(body []byte) (r providers.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			c.observeError = fmt.Sprintf("provider panicked reading the request: %v", rec)
		}
	}()
	return c.call.Request(body)
}

func (c *callState) safeObserve(resp *http.Response) (o providers.Observer) {
	defer func() {
		if rec := recover(); rec != nil {
			c.observeError = fmt.Sprintf("provider panicked reading the response headers: %v", rec)
			o = nil
		}
	}()
	return c.call.Observe(resp)
}

// safeDocument reports whether the observer reads the body as one
// document, by its plan.
func (c *callState) safeDocument() (document bool) {
	po, ok := c.observer.(providers.PlannedObserver)
	if !ok {
		return false
	}
	defer func() {
		if rec := recover(); rec != nil {
			c.observeError = fmt.Sprintf("provider panicked planning the response: %v", rec)
			c.observer, document = nil, false
		}
	}()
	f := po.Plan().Framing
	return f == providers.FramingDocument || f == providers.FramingUnread
}

func (c *callState) safeWrite(p []byte) (chunks int, ok bool) {
	defer func() {
		if rec := recover(); rec != nil {
			c.observeError = fmt.Sprintf("provider panicked reading the response: %v", rec)
			c.observer = nil
			ok = false
		}
	}()
	c.observer.Write(p)
	return c.observer.Chunks(), true
}

func (c *callState) safeFinish(complete bool) (r providers.Response) {
	defer func() {
		if rec := recover(); rec != nil {
			c.observeError = fmt.Sprintf("provider panicked finishing the response: %v", rec)
			r = providers.Response{}
		}
	}()
	return c.observer.Finish(complete)
}

// chunkGaps buffers the times between a stream's chunks, so that they are
// recorded once the stream's attributes are all known. It is bounded: a
// long stream records each time the buffer fills.
type chunkGaps struct {
	n    int
	gaps [256]float64
}

var gapPool = sync.Pool{New: func() any { return new(chunkGaps) }}

func newChunkGaps() *chunkGaps { return gapPool.Get().(*chunkGaps) }

// add buffers one gap and reports whether the buffer is now full.
func (g *chunkGaps) add(d time.Duration) bool {
	g.gaps[g.n] = d.Seconds()
	g.n++
	return g.n == len(g.gaps)
}

func (g *chunkGaps) release() {
	g.n = 0
	gapPool.Put(g)
}
