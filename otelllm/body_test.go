package otelllm

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// spyProvider is the test provider, keeping the observer it made so that a
// test can see what it has been shown.
type spyProvider struct {
	testProvider
	obs *testObserver
}

func (p *spyProvider) Match(r *http.Request) providers.Call {
	c := p.testProvider.Match(r)
	if c == nil {
		return nil
	}
	return spyCall{Call: c, p: p}
}

type spyCall struct {
	providers.Call
	p *spyProvider
}

func (c spyCall) Observe(resp *http.Response) providers.Observer {
	o := c.Call.Observe(resp)
	c.p.obs = o.(*testObserver)
	return o
}

// pieceReader returns one piece per Read.
type pieceReader struct{ pieces []string }

func (r *pieceReader) Read(p []byte) (int, error) {
	if len(r.pieces) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.pieces[0])
	r.pieces[0] = r.pieces[0][n:]
	if r.pieces[0] == "" {
		r.pieces = r.pieces[1:]
	}
	return n, nil
}

func (r *pieceReader) Close() error { return nil }

var streamLines = []string{
	`{"model":"test-model"}` + "\n",
	`{"model":"test-model"}` + "\n",
	`{"model":"test-model","in":7,"out":11}` + "\n",
}

func streamCall(t *testing.T, rec *telemetryRecorder, spy *spyProvider) io.ReadCloser {
	t.Helper()
	base := &recordingTransport{body: &pieceReader{pieces: append([]string(nil), streamLines...)}}
	tr := NewTransport(ndjsonResponses{base}, rec.options(WithProviders(spy))...)
	req := httptest.NewRequest(http.MethodPost, "http://test.example/test/chat", strings.NewReader(`{"model":"test-model","stream":true}`))
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	return resp.Body
}

// ndjsonResponses marks the base transport's responses as NDJSON streams.
type ndjsonResponses struct{ base *recordingTransport }

func (n ndjsonResponses) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := n.base.RoundTrip(req)
	if resp != nil {
		resp.Header.Set("Content-Type", "application/x-ndjson")
	}
	return resp, err
}

// A stream's bytes reach the application before the observer sees them:
// each read is observed at the next one, so observing never delays a chunk.
func TestStreamReadObservedAtTheNextRead(t *testing.T) {
	rec := newRecorder(t)
	spy := &spyProvider{}
	body := streamCall(t, rec, spy)
	buf := make([]byte, 64)
	for i, line := range streamLines {
		n, err := body.Read(buf)
		require.NoError(t, err)
		assert.Equal(t, line, string(buf[:n]), "read %d", i)
		assert.Equal(t, i, spy.obs.Chunks(), "after read %d the observer has seen the reads before it", i)
		assert.Empty(t, rec.ended(), "no span ends before the body does")
	}
	n, err := body.Read(buf)
	assert.Zero(t, n)
	assert.Equal(t, io.EOF, err)
	assert.Equal(t, 3, spy.obs.Chunks())

	a := attrsOf(rec.onlySpan(t))
	assert.Equal(t, semconv.EndEOF, a[semconv.ResponseEndKey].AsString())
	assert.EqualValues(t, 7, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.EqualValues(t, 11, a[semconv.GenAIUsageOutputTokensKey].AsInt64())
	assert.True(t, a[semconv.UsageCompleteKey].AsBool())
	_, gaps := sumFloat(t, rec.collect(t), semconv.ClientTimePerOutputChunk().Name)
	assert.EqualValues(t, 2, gaps, "a gap per chunk after the first")
}

// The last read before Close is still observed: an SDK that stops at the
// final event and closes the body loses no usage.
func TestStreamHeldReadObservedAtClose(t *testing.T) {
	rec := newRecorder(t)
	spy := &spyProvider{}
	body := streamCall(t, rec, spy)
	buf := make([]byte, 64)
	for range streamLines {
		_, err := body.Read(buf)
		require.NoError(t, err)
	}
	require.NoError(t, body.Close())

	a := attrsOf(rec.onlySpan(t))
	assert.Equal(t, semconv.EndClosed, a[semconv.ResponseEndKey].AsString(), "closed after the final event")
	assert.EqualValues(t, 7, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.EqualValues(t, 11, a[semconv.GenAIUsageOutputTokensKey].AsInt64())
	assert.True(t, a[semconv.UsageCompleteKey].AsBool())
	assert.Equal(t, 3, spy.obs.Chunks())
}

// However large a read, the application gets it before the observer parses
// it: no read is held back.
func TestStreamLargeReadObservedAtTheNextRead(t *testing.T) {
	rec := newRecorder(t)
	spy := &spyProvider{}
	big := `{"model":"test-model","pad":"` + strings.Repeat("x", 1<<20) + `"}` + "\n"
	base := &recordingTransport{body: &pieceReader{pieces: []string{big, streamLines[2]}}}
	tr := NewTransport(ndjsonResponses{base}, rec.options(WithProviders(spy))...)
	req := httptest.NewRequest(http.MethodPost, "http://test.example/test/chat", strings.NewReader(`{"model":"test-model","stream":true}`))
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	buf := make([]byte, 2<<20)
	n, err := resp.Body.Read(buf)
	require.NoError(t, err)
	require.Equal(t, len(big), n)
	assert.Equal(t, 0, spy.obs.Chunks(), "a 1 MiB read is observed after the application has it, like any other")
	_, err = io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	assert.Equal(t, 2, spy.obs.Chunks())
	assert.EqualValues(t, 11, attrsOf(rec.onlySpan(t))[semconv.GenAIUsageOutputTokensKey].AsInt64())
}
