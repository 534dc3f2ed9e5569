// Package calllog queues a line per LLM call the examples make, for printing
// between their own output.
//
// A call's record (otelllm.WithCallback) arrives when its response body
// ends, which for a stream can be while the example is still printing the
// stream, and on whichever goroutine read the body (some SDKs read streams
// on one of their own). So the lines are queued and printed when the example
// says.
package calllog

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/otelllm/otelllm/otelllm"
)

// Log is a queue of call lines; the zero value is ready.
type Log struct {
	mu    sync.Mutex
	lines []string
}

// Add queues a line for r. It has the signature of an otelllm.WithCallback
// function.
func (l *Log) Add(_ context.Context, r otelllm.CallRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, "[otelllm] "+r.Provider+" "+r.String())
}

// Flush prints the queued lines, each prefixed by indent, and empties the
// queue.
func (l *Log) Flush(out io.Writer, indent string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		fmt.Fprintln(out, indent+line)
	}
	l.lines = nil
}
