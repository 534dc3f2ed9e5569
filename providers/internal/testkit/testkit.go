package testkit

import (
	"bytes"
	"io"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
)

// Exchange is one recorded call: the request and the response headers and body.
type Exchange struct {
	Method string // default POST
	URL    string
	Header http.Header // request headers
	Body   []byte      // request body

	Status         int         // default 200
	ResponseHeader http.Header // e.g. Content-Type
	ResponseBody   []byte

	// Capture, when above 0, is the content capture limit: the call must
	// be a providers.ContentCapturer, and is told to capture before its
	// Request, as the transport does when the application opted in. Every
	// helper of this package then matches, replays, splits, truncates and
	// benchmarks the capturing observation as it does the plain one. 0 is
	// off: the transport never asks for less than 1 byte.
	Capture int
}

// WithCapture returns e with content capture on at limit bytes per value:
// the same exchange, observed as the transport observes it when the
// application opted in.
func (e Exchange) WithCapture(limit int) Exchange {
	e.Capture = limit
	return e
}

// start returns the call p makes of req, told to capture content when e
// says so.
func (e Exchange) start(t testing.TB, p providers.Provider, req *http.Request) providers.Call {
	t.Helper()
	call := p.Match(req)
	require.NotNil(t, call, "%s did not recognise %s", p.Name(), e.URL)
	if e.Capture > 0 {
		cc, ok := call.(providers.ContentCapturer)
		require.True(t, ok, "%s: %T cannot capture content", p.Name(), call)
		cc.CaptureContent(e.Capture)
	}
	return call
}

// Read returns a testdata file's bytes.
func Read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}

// Request builds the *http.Request of e.
func (e Exchange) Request() *http.Request {
	method := e.Method
	if method == "" {
		method = http.MethodPost
	}
	req := httptest.NewRequest(method, e.URL, bytes.NewReader(e.Body))
	for k, v := range e.Header {
		req.Header[k] = v
	}
	return req
}

// Response builds the *http.Response of e, with the body replaced by a
// reader of nothing: observers see the bytes through Write.
func (e Exchange) Response(req *http.Request) *http.Response {
	status := e.Status
	if status == 0 {
		status = http.StatusOK
	}
	h := http.Header{}
	for k, v := range e.ResponseHeader {
		h[k] = v
	}
	return &http.Response{StatusCode: status, Header: h, Request: req, Body: io.NopCloser(bytes.NewReader(nil)), ContentLength: -1}
}

// Match returns the Call p makes of e (told to capture content when e
// says so), failing the test when p does not recognise it.
func Match(t testing.TB, p providers.Provider, e Exchange) providers.Call {
	t.Helper()
	return e.start(t, p, e.Request())
}

// Observe runs one full observation: Match, Request, Observe, the given
// parts written in order, Finish(complete).
func Observe(t testing.TB, p providers.Provider, e Exchange, parts [][]byte, complete bool) (providers.Request, providers.Response) {
	t.Helper()
	req := e.Request()
	call := e.start(t, p, req)
	var body []byte
	if e.Body != nil {
		body = e.Body
	}
	r := call.Request(body)
	obs := call.Observe(e.Response(req))
	for _, part := range parts {
		obs.Write(part)
	}
	return r, obs.Finish(complete)
}

// Whole splits b into one part.
func Whole(b []byte) [][]byte { return [][]byte{b} }

// Bytewise splits b into one-byte parts.
func Bytewise(b []byte) [][]byte {
	parts := make([][]byte, len(b))
	for i := range b {
		parts[i] = b[i : i+1]
	}
	return parts
}

// RandomSplits splits b at random points chosen by seed.
func RandomSplits(b []byte, seed int64) [][]byte {
	r := rand.New(rand.NewSource(seed))
	var parts [][]byte
	for len(b) > 0 {
		n := 1 + r.Intn(len(b))
		parts = append(parts, b[:n])
		b = b[n:]
	}
	return parts
}

// Replay observes e's response body whole, one byte per write, and at 50
// sets of random split points, requires every result to be identical, and
// returns it.
func Replay(t testing.TB, p providers.Provider, e Exchange) (providers.Request, providers.Response) {
	t.Helper()
	req, want := Observe(t, p, e, Whole(e.ResponseBody), true)
	_, got := Observe(t, p, e, Bytewise(e.ResponseBody), true)
	require.Equal(t, want, got, "one byte per read differs from whole")
	for seed := int64(1); seed <= 50; seed++ {
		_, got := Observe(t, p, e, RandomSplits(e.ResponseBody, seed), true)
		require.Equal(t, want, got, "random splits (seed %d) differ from whole", seed)
	}
	return req, want
}

// Truncations observes every prefix of e's response body as a body that
// ended early (Finish(false)), and as one that ended at EOF (a truncated
// stream), calling check with each result. Nothing may panic.
func Truncations(t testing.TB, p providers.Provider, e Exchange, check func(cut int, complete bool, r providers.Response)) {
	t.Helper()
	for cut := 0; cut <= len(e.ResponseBody); cut++ {
		for _, complete := range []bool{false, true} {
			_, r := Observe(t, p, e, Whole(e.ResponseBody[:cut]), complete)
			if check != nil {
				check(cut, complete, r)
			}
		}
	}
}

// AllocsPerChunk reports the allocations of observing body (as part of a
// fresh observation) per extra copy of chunk appended to it, by comparing
// one observation with n and one with 10n copies. A parser whose per-chunk
// work does not allocate reports 0.
//
// The reads split every copy of chunk at the same two points, so that
// they span the boundaries between copies and yet both observations are
// shown the same reads, only more of them: a framer's buffer that grows to
// fit the longest line a read cuts grows alike in both.
func AllocsPerChunk(t testing.TB, p providers.Provider, e Exchange, head, chunk, tail []byte, n int) float64 {
	t.Helper()
	r := rand.New(rand.NewSource(7))
	first, second := r.Intn(len(chunk)+1), r.Intn(len(chunk)+1)
	if first > second {
		first, second = second, first
	}
	run := func(count int) float64 {
		body := append([]byte{}, head...)
		cuts := []int{}
		for i := 0; i < count; i++ {
			cuts = append(cuts, len(body)+first, len(body)+second)
			body = append(body, chunk...)
		}
		body = append(body, tail...)
		var parts [][]byte
		from := 0
		for _, cut := range append(cuts, len(body)) {
			if cut > from {
				parts = append(parts, body[from:cut])
				from = cut
			}
		}
		return testing.AllocsPerRun(5, func() {
			req := e.Request()
			call := e.start(t, p, req)
			call.Request(e.Body)
			obs := call.Observe(e.Response(req))
			for _, part := range parts {
				obs.Write(part)
			}
			obs.Finish(true)
		})
	}
	small, large := run(n), run(10*n)
	return (large - small) / float64(9*n)
}

// Usage builds the expected Usage of a test: source, then pairs of field and
// count (an int), each field marked reported.
func Usage(source providers.UsageSource, pairs ...any) providers.Usage {
	u := providers.Usage{Source: source}
	for i := 0; i+1 < len(pairs); i += 2 {
		u.Set(pairs[i].(providers.UsageField), int64(pairs[i+1].(int)))
	}
	if len(pairs)%2 == 1 {
		// A trailing mask names the counts the response gave bad values.
		u.Invalid = pairs[len(pairs)-1].(providers.UsageField)
	}
	return u
}

// counts lists a Usage's counts by field, for comparing them one by one.
func counts(u providers.Usage) map[providers.UsageField]int64 {
	return map[providers.UsageField]int64{
		providers.InputTokens: u.InputTokens, providers.OutputTokens: u.OutputTokens,
		providers.TotalTokens: u.TotalTokens, providers.CacheReadInputTokens: u.CacheReadInputTokens,
		providers.CacheCreationInputTokens: u.CacheCreationInputTokens, providers.ReasoningTokens: u.ReasoningTokens,
		providers.CacheCreation1hInputTokens: u.CacheCreation1hInputTokens,
		providers.WebSearchRequests:          u.WebSearchRequests,
		providers.InputAudioTokens:           u.InputAudioTokens, providers.OutputAudioTokens: u.OutputAudioTokens,
		providers.InputImageTokens: u.InputImageTokens, providers.OutputImageTokens: u.OutputImageTokens,
	}
}

// CheckTruncations runs Truncations and requires of every prefix what a
// partial observation of a provider whose usage only grows may say: no count
// the full result lacks, no count above the full one, no more finish reasons;
// an ObserveError when a body that ended at EOF was cut before finalEnd (the
// offset where its final event starts); Complete never before finalEnd, and
// past it Complete as in the full result. extra, when non-nil, adds the
// provider's own checks.
func CheckTruncations(t *testing.T, p providers.Provider, e Exchange, full providers.Response, finalEnd int, extra func(cut int, complete bool, r providers.Response)) {
	t.Helper()
	fullCounts := counts(full.Usage)
	Truncations(t, p, e, func(cut int, complete bool, r providers.Response) {
		require.Zero(t, r.Usage.Reported&^full.Usage.Reported, "cut %d reports counts the full body does not", cut)
		for f, n := range counts(r.Usage) {
			require.LessOrEqual(t, n, fullCounts[f], "cut %d, count %d", cut, f)
		}
		require.LessOrEqual(t, len(r.FinishReasons), len(full.FinishReasons), "cut %d", cut)
		if complete && cut < finalEnd {
			require.NotEmpty(t, r.ObserveError, "cut %d of %d passed as complete", cut, len(e.ResponseBody))
		}
		if r.Complete && finalEnd > 0 {
			require.GreaterOrEqual(t, cut, finalEnd, "cut %d: Complete before the final event", cut)
		}
		if complete && finalEnd > 0 && cut >= finalEnd {
			require.Equal(t, full.Complete, r.Complete, "cut %d", cut)
		}
		if extra != nil {
			extra(cut, complete, r)
		}
	})
}

// BenchObserve measures one observation of e's response body, shown to the
// observer in reads of readSize bytes, and reports the time per stream
// event (events is how many the body holds) as ns/op: the cost of framing
// and reading one chunk, apart from any transport.
func BenchObserve(b *testing.B, p providers.Provider, e Exchange, readSize, events int) {
	b.Helper()
	body := e.ResponseBody
	var parts [][]byte
	for rest := body; len(rest) > 0; {
		n := min(readSize, len(rest))
		parts = append(parts, rest[:n])
		rest = rest[n:]
	}
	b.SetBytes(int64(len(body)) / int64(events))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i += events {
		req := e.Request()
		call := e.start(b, p, req)
		call.Request(e.Body)
		obs := call.Observe(e.Response(req))
		for _, part := range parts {
			obs.Write(part)
		}
		obs.Finish(true)
	}
}
