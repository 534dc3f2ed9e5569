package otelllm

import (
	"errors"
	"io"
	"sync/atomic"
	"time"
)

// observedBody is the response body handed to the application: its reads
// are the base body's reads, handed over at once, and shown to the
// provider's observer at the next read (or at the end), as a copy the
// observer cannot change. Its lifetime is the span's: the span ends at EOF,
// a read error, Close, or cancellation, whichever comes first.
type observedBody struct {
	rc io.ReadCloser
	c  *callState
	// eof is set when the base body returned io.EOF with the last bytes:
	// the application gets those bytes at once, and io.EOF from its next
	// Read, once they have been observed and the call recorded.
	eof atomic.Bool
}

func (b *observedBody) Read(p []byte) (int, error) {
	c := b.c
	// The previous read's bytes, observed now: the application has had
	// them without waiting, and in a live stream this runs while the next
	// chunk is still on its way.
	c.observeHeld()
	if b.eof.Load() {
		c.finish(endState{end: EndEOF, complete: true})
		return 0, io.EOF
	}
	n, err := b.rc.Read(p)
	if n > 0 {
		c.hold(p[:n], time.Now())
		if err == io.EOF {
			b.eof.Store(true)
			return n, nil
		}
	}
	if err != nil {
		c.readFailed(err)
	}
	return n, err
}

// readFailed ends the call for a read that returned err.
func (c *callState) readFailed(err error) {
	switch {
	case err == io.EOF:
		c.finish(endState{end: EndEOF, complete: true})
	case c.ctx.Err() != nil && errors.Is(err, c.ctx.Err()):
		c.finish(endState{end: EndCanceled, errType: "canceled", err: err})
	default:
		c.finish(endState{end: EndReadError, errType: "read_error", err: err})
	}
}

func (b *observedBody) Close() error {
	err := b.rc.Close()
	if b.eof.Load() {
		// The base body had ended: the application closed it before
		// reading the io.EOF it was owed.
		b.c.finish(endState{end: EndEOF, complete: true})
	} else {
		b.c.finish(endState{end: EndClosedEarly})
	}
	return err
}
