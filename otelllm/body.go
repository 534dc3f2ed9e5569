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
	n, err := b.rc.Read(p)
	if n > 0 {
		b.st.observe(p[:n])
	}
	if err != nil {
		if err == io.EOF {
			b.st.finish(endState{end: semconv.EndEOF, complete: true})
		} else if ctxErr := b.st.ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			b.st.finish(endState{end: semconv.EndCanceled, errType: "canceled", err: err})
		} else {
			b.st.finish(endState{end: semconv.EndReadError, errType: "read_error", err: err})
		}
	}
	return n, err
}

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

	mu           sync.Mutex
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

// observe shows p to the observer and times the chunks it reports.
func (st *callState) observe(p []byte) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.done || st.observer == nil {
		return
	}
	chunks, ok := st.safeWrite(p)
	if !ok || chunks <= st.chunks {
		return
	}
	now := time.Now()
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
	st.done = true
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
