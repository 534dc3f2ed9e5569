package otelllm

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// observedBody is the response body handed to the application: its reads
// are the base body's reads, shown to the provider's observer on the way.
// Its lifetime is the span's: the span ends at EOF, a read error, Close, or
// cancellation, whichever comes first.
type observedBody struct {
	rc io.ReadCloser
	st *callState
}

func (b *observedBody) Read(p []byte) (int, error) {
	st := b.st
	if st.holdReads {
		// The previous read's bytes, observed now: the application has
		// had them without waiting, and in a live stream this runs while
		// the next chunk is still on its way.
		st.observeHeld()
	}
	n, err := b.rc.Read(p)
	if n > 0 {
		now := time.Now()
		if st.holdReads && err == nil && n <= maxHeldRead {
			st.hold(p[:n], now)
		} else {
			st.observe(p[:n], now)
		}
	}
	if err != nil {
		if err == io.EOF {
			st.finish(endState{end: semconv.EndEOF, complete: true})
		} else if ctxErr := st.ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			st.finish(endState{end: semconv.EndCanceled, errType: "canceled", err: err})
		} else {
			st.finish(endState{end: semconv.EndReadError, errType: "read_error", err: err})
		}
	}
	return n, err
}

// maxHeldRead bounds the copy a stream read is held in: a larger read is
// observed at once.
const maxHeldRead = 64 << 10

func (b *observedBody) Close() error {
	err := b.rc.Close()
	b.st.finish(endState{end: semconv.EndClosedEarly})
	return err
}

// callState is one observed call, from the request to the end of its body.
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

	stopCancel func() bool
	// holdReads is set for streams: each read's bytes go to the
	// application at once and to the observer at the next read (or the
	// end), so that observing never delays a chunk.
	holdReads bool

	mu           sync.Mutex
	held         []byte    // a copy of the last read, not yet observed
	heldAt       time.Time // when it was read
	done         bool
	observer     providers.Observer
	observeError string
	chunks       int
	firstChunk   time.Time
	lastChunk    time.Time
	chunkSet     attribute.Set
	chunkModel   string // the response model chunkSet carries
}

// endState says how a call ended.
type endState struct {
	end      string // an otelllm.response.end value
	complete bool   // the body was read to EOF
	errType  string // error.type when the call itself failed
	err      error
}

// hold keeps a copy of p, read at now, for the next read to observe.
func (st *callState) hold(p []byte, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.done || st.observer == nil {
		return
	}
	st.observeHeldLocked()
	st.held = append(st.held[:0], p...)
	st.heldAt = now
}

func (st *callState) observeHeld() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.observeHeldLocked()
}

func (st *callState) observeHeldLocked() {
	if len(st.held) == 0 {
		return
	}
	p := st.held
	st.held = st.held[:0]
	st.observeLocked(p, st.heldAt)
}

// observe shows p, read at now, to the observer and times the chunks it
// reports.
func (st *callState) observe(p []byte, now time.Time) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.observeHeldLocked()
	st.observeLocked(p, now)
}

func (st *callState) observeLocked(p []byte, now time.Time) {
	if st.done || st.observer == nil {
		return
	}
	chunks, ok := st.safeWrite(p)
	if !ok || chunks <= st.chunks {
		return
	}
	if st.firstChunk.IsZero() {
		st.firstChunk = now
	} else {
		st.t.tel.recordChunkGap(st, now.Sub(st.lastChunk))
	}
	// Chunks that arrived in the same read arrived together.
	for i := st.chunks + 1; i < chunks; i++ {
		st.t.tel.recordChunkGap(st, 0)
	}
	st.lastChunk = now
	st.chunks = chunks
}

// finish ends the call once: it takes the observer's result, records it,
// and ends the span. Later calls do nothing.
func (st *callState) finish(e endState) {
	st.mu.Lock()
	if st.done {
		st.mu.Unlock()
		return
	}
	st.observeHeldLocked()
	st.done = true
	st.held = nil
	var resp providers.Response
	if st.observer != nil {
		resp = st.safeFinish(e.complete)
	}
	st.mu.Unlock()
	if st.stopCancel != nil {
		st.stopCancel()
	}
	st.t.tel.record(st, e, resp, time.Now())
}

// The provider is called through these, so that a provider bug turns
// observation off instead of reaching the application.

func (st *callState) safeRequest(body []byte) (r providers.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			st.observeError = fmt.Sprintf("provider panicked reading the request: %v", rec)
		}
	}()
	return st.call.Request(body)
}

func (st *callState) safeObserve(resp *http.Response) (o providers.Observer) {
	defer func() {
		if rec := recover(); rec != nil {
			st.observeError = fmt.Sprintf("provider panicked reading the response headers: %v", rec)
			o = nil
		}
	}()
	return wrapEncoding(resp, st.request, st.call.Observe(resp))
}

func (st *callState) safeWrite(p []byte) (chunks int, ok bool) {
	defer func() {
		if rec := recover(); rec != nil {
			st.observeError = fmt.Sprintf("provider panicked reading the response: %v", rec)
			st.observer = nil
			ok = false
		}
	}()
	st.observer.Write(p)
	return st.observer.Chunks(), true
}

func (st *callState) safeFinish(complete bool) (r providers.Response) {
	defer func() {
		if rec := recover(); rec != nil {
			st.observeError = fmt.Sprintf("provider panicked finishing the response: %v", rec)
			r = providers.Response{}
		}
	}()
	return st.observer.Finish(complete)
}
