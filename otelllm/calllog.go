package otelllm

import (
	"context"
	"io"
	"sync"
)

// CallLogger returns a function for WithCallback that writes one line per
// finished call to w, as the examples print them:
//
//	[otelllm] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input + 11 output tokens, $0.000009, 552µs
//
// Lines are written whole, one at a time, whichever goroutine ends a call
// (SDKs read streams on goroutines of their own). A call is logged when its
// response body ends, which for a stream may be while the application is
// still printing it: give CallLogger a buffer and print that later to keep
// the lines apart. Write errors are ignored.
func CallLogger(w io.Writer) func(context.Context, CallRecord) {
	var mu sync.Mutex
	return func(_ context.Context, r CallRecord) {
		line := "[otelllm] " + r.Provider + " " + r.String() + "\n"
		mu.Lock()
		defer mu.Unlock()
		_, _ = io.WriteString(w, line)
	}
}
