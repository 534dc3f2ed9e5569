package testkit

import (
	"net/http"

	"github.com/otelllm/otelllm/providers"
)

// Capturing returns p as the transport drives it when the application opted
// in to content capture: every Call it matches that is a
// providers.ContentCapturer is told to capture, with limit, before its
// Request. Every helper of this package then replays, splits, truncates and
// benchmarks the capturing observation as it does the plain one.
func Capturing(p providers.Provider, limit int) providers.Provider {
	return capturing{p: p, limit: limit}
}

type capturing struct {
	p     providers.Provider
	limit int
}

func (c capturing) Name() string { return c.p.Name() }

func (c capturing) Match(req *http.Request) providers.Call {
	call := c.p.Match(req)
	if cc, ok := call.(providers.ContentCapturer); ok {
		cc.CaptureContent(c.limit)
	}
	return call
}
