package otelllm

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/providers/openai"
	"github.com/otelllm/otelllm/semconv"
)

const fullBody = `{"model":"test-model-2025","in":100,"out":20}`

func streamBody(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(`{"model":"test-model-2025","text":"hi"}` + "\n")
	}
	b.WriteString(`{"in":7,"out":9}` + "\n")
	return b.String()
}

func server(t *testing.T, h http.HandlerFunc) *httptest.Server {
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

func post(t *testing.T, ctx context.Context, c *http.Client, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer sk-secret-key")
	resp, err := c.Do(req)
	require.NoError(t, err)
	return resp
}

func TestFullCall(t *testing.T) {
	rec := newRecorder(t)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Custom", "kept")
		_, _ = io.WriteString(w, fullBody)
	})
	client := WrapClient(srv.Client(), rec.options()...)
	resp := post(t, context.Background(), client, srv.URL+"/test/chat?key=secret-query", `{"model":"test-model","temperature":0.5}`)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, fullBody, string(got), "the application sees the server's bytes")
	assert.Equal(t, "kept", resp.Header.Get("X-Custom"))

	span := rec.onlySpan(t)
	assert.Equal(t, "chat test-model", span.Name())
	assert.Equal(t, trace.SpanKindClient, span.SpanKind())
	assert.Equal(t, codes.Unset, span.Status().Code)
	a := attrsOf(span)
	assert.Equal(t, "chat", a[semconv.GenAIOperationNameKey].AsString())
	assert.Equal(t, "testai", a[semconv.GenAIProviderNameKey].AsString())
	assert.Equal(t, "test-model", a[semconv.GenAIRequestModelKey].AsString())
	assert.Equal(t, 0.5, a[semconv.GenAIRequestTemperatureKey].AsFloat64())
	assert.Equal(t, "test-model-2025", a[semconv.GenAIResponseModelKey].AsString())
	assert.EqualValues(t, 100, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.EqualValues(t, 20, a[semconv.GenAIUsageOutputTokensKey].AsInt64())
	assert.Equal(t, "response_body", a[semconv.UsageSourceKey].AsString())
	assert.Equal(t, "eof", a[semconv.ResponseEndKey].AsString())
	assert.Equal(t, "127.0.0.1", a[semconv.ServerAddressKey].AsString())
	assert.False(t, a[semconv.GenAIRequestStreamKey].AsBool())
	wantCost := 100*testPrice.Input + 20*testPrice.Output
	assert.InDelta(t, wantCost, a[semconv.UsageCostKey].AsFloat64(), 1e-15)
	assert.Equal(t, "test-model", a[semconv.PricingModelKey].AsString())
	_, hasTTFC := a[semconv.GenAIResponseTimeToFirstChunkKey]
	assert.False(t, hasTTFC, "no time to first chunk on a full response")
	assertNoSecrets(t, span)

	rm := rec.collect(t)
	model := semconv.GenAIRequestModelKey.String("test-model")
	assert.EqualValues(t, 100, sumInt(t, rm, "gen_ai.client.token.usage", model, semconv.GenAITokenTypeKey.String("input")))
	assert.EqualValues(t, 20, sumInt(t, rm, "gen_ai.client.token.usage", model, semconv.GenAITokenTypeKey.String("output")))
	assert.EqualValues(t, 100, sumInt(t, rm, "otelllm.client.token.count", semconv.TokenTypeKey.String("input")))
	assert.EqualValues(t, 1, sumInt(t, rm, "otelllm.client.requests"))
	cost, _ := sumFloat(t, rm, "otelllm.client.cost", semconv.GenAIResponseModelKey.String("test-model-2025"))
	assert.InDelta(t, wantCost, cost, 1e-15)
	_, n := sumFloat(t, rm, "gen_ai.client.operation.duration", model, semconv.ServerPortKey.Int(portOf(t, srv.URL)))
	assert.EqualValues(t, 1, n)
	_, n = sumFloat(t, rm, "gen_ai.client.operation.time_to_first_chunk")
	assert.Zero(t, n)
}

func portOf(t *testing.T, url string) int {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	_, port := serverAddress(req)
	return port
}

func assertNoSecrets(t *testing.T, span interface{ Attributes() []attribute.KeyValue }) {
	t.Helper()
	for _, kv := range span.Attributes() {
		s := kv.Value.Emit()
		assert.NotContains(t, s, "sk-secret-key", kv.Key)
		assert.NotContains(t, s, "secret-query", kv.Key)
	}
}

func TestUnrecognisedPassesThroughUntouched(t *testing.T) {
	rec := newRecorder(t)
	base := &recordingTransport{}
	tr := NewTransport(base, rec.options()...)
	req := httptest.NewRequest(http.MethodGet, "http://example.com/other", nil)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	assert.Same(t, base.resp, resp, "the base's response is returned as is")
	assert.Same(t, req, base.req, "the request is not cloned")
	assert.Empty(t, rec.spans.Started())
	assert.Empty(t, rec.collect(t).ScopeMetrics)
}

type recordingTransport struct {
	req  *http.Request
	resp *http.Response
	body io.ReadCloser
	err  error
	nil_ bool
}

func (r *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.req = req
	if r.err != nil || r.nil_ {
		return nil, r.err
	}
	body := r.body
	if body == nil {
		body = io.NopCloser(strings.NewReader(fullBody))
	}
	r.resp = &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: body, Request: req}
	return r.resp, nil
}

func (r *recordingTransport) CloseIdleConnections() { r.err = errClosedIdle }

var errClosedIdle = errors.New("closed idle")

func TestStreamEveryReadSize(t *testing.T) {
	body := streamBody(300)
	for _, tc := range []struct {
		name string
		read func(io.Reader) ([]byte, error)
	}{
		{"whole", io.ReadAll},
		{"one byte per read", func(r io.Reader) ([]byte, error) { return io.ReadAll(iotest.OneByteReader(r)) }},
		{"half reads", func(r io.Reader) ([]byte, error) { return io.ReadAll(iotest.HalfReader(r)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t)
			srv := server(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/x-ndjson")
				_, _ = io.WriteString(w, body)
			})
			client := WrapClient(srv.Client(), rec.options()...)
			resp := post(t, context.Background(), client, srv.URL+"/test/chat", `{"model":"test-model","stream":true}`)
			got, err := tc.read(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, body, string(got))

			span := rec.onlySpan(t)
			a := attrsOf(span)
			assert.True(t, a[semconv.GenAIRequestStreamKey].AsBool())
			assert.EqualValues(t, 7, a[semconv.GenAIUsageInputTokensKey].AsInt64())
			assert.EqualValues(t, 9, a[semconv.GenAIUsageOutputTokensKey].AsInt64())
			assert.Equal(t, "stream", a[semconv.UsageSourceKey].AsString())
			assert.Equal(t, "eof", a[semconv.ResponseEndKey].AsString())
			assert.True(t, a[semconv.UsageCompleteKey].AsBool())
			assert.Greater(t, a[semconv.GenAIResponseTimeToFirstChunkKey].AsFloat64(), 0.0)

			rm := rec.collect(t)
			_, n := sumFloat(t, rm, "gen_ai.client.operation.time_to_first_chunk")
			assert.EqualValues(t, 1, n)
			_, n = sumFloat(t, rm, "gen_ai.client.operation.time_per_output_chunk")
			assert.EqualValues(t, 300, n, "one gap per chunk after the first (301 chunks)")
		})
	}
}

func TestCloseBeforeEOFKeepsPartialUsage(t *testing.T) {
	rec := newRecorder(t)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = io.WriteString(w, `{"model":"test-model-2025","in":5}`+"\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	client := WrapClient(srv.Client(), rec.options()...)
	resp := post(t, context.Background(), client, srv.URL+"/test/chat", `{"model":"test-model","stream":true}`)
	line := make([]byte, 64)
	n, err := resp.Body.Read(line)
	require.NoError(t, err)
	require.Positive(t, n)
	require.NoError(t, resp.Body.Close())
	require.NoError(t, resp.Body.Close(), "Close twice is safe")

	span := rec.onlySpan(t)
	a := attrsOf(span)
	assert.Equal(t, "closed_early", a[semconv.ResponseEndKey].AsString())
	assert.EqualValues(t, 5, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	_, hasOutput := a[semconv.GenAIUsageOutputTokensKey]
	assert.False(t, hasOutput, "an output count never reported is not recorded")
	assert.False(t, a[semconv.UsageCompleteKey].AsBool())
	assert.Equal(t, codes.Unset, span.Status().Code, "closing early is the application's choice, not a failure")
}

func TestContextCancelEndsSpanWithoutReads(t *testing.T) {
	rec := newRecorder(t)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = io.WriteString(w, `{"in":5}`+"\n")
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	})
	client := WrapClient(srv.Client(), rec.options()...)
	ctx, cancel := context.WithCancel(context.Background())
	resp := post(t, ctx, client, srv.URL+"/test/chat", `{"model":"test-model","stream":true}`)
	cancel()
	require.Eventually(t, func() bool { return len(rec.ended()) == 1 }, 5*time.Second, 5*time.Millisecond)
	span := rec.onlySpan(t)
	a := attrsOf(span)
	assert.Equal(t, "canceled", a[semconv.ResponseEndKey].AsString())
	assert.Equal(t, "canceled", a[semconv.ErrorTypeKey].AsString())
	assert.Equal(t, codes.Error, span.Status().Code)
	// The application's later reads and Close behave as without us, and do
	// not end the span again.
	_, err := io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, context.Canceled)
	require.NoError(t, resp.Body.Close())
	assert.Len(t, rec.ended(), 1)
}

type failingBody struct {
	data   io.Reader
	err    error
	closed atomic.Int32
}

func (b *failingBody) Read(p []byte) (int, error) {
	n, err := b.data.Read(p)
	if err == io.EOF {
		return n, b.err
	}
	return n, err
}

func (b *failingBody) Close() error { b.closed.Add(1); return nil }

func TestReadErrorIsTheApplicationsAndEndsTheSpan(t *testing.T) {
	rec := newRecorder(t)
	errBroken := errors.New("connection reset by peer")
	body := &failingBody{data: strings.NewReader(`{"model":"m","in":3}` + "\n" + `{"out":`), err: errBroken}
	base := &recordingTransport{body: body}
	base2 := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := base.RoundTrip(r)
		resp.Header.Set("Content-Type", "application/x-ndjson")
		return resp, err
	})
	client := &http.Client{Transport: NewTransport(base2, rec.options()...)}
	resp := post(t, context.Background(), client, "http://api.test/test/chat", `{"model":"test-model","stream":true}`)
	got, err := io.ReadAll(resp.Body)
	assert.Same(t, errBroken, err, "the application gets the base body's error value")
	assert.Equal(t, `{"model":"m","in":3}`+"\n"+`{"out":`, string(got))
	require.NoError(t, resp.Body.Close())
	assert.EqualValues(t, 1, body.closed.Load())

	span := rec.onlySpan(t)
	a := attrsOf(span)
	assert.Equal(t, "read_error", a[semconv.ResponseEndKey].AsString())
	assert.Equal(t, "read_error", a[semconv.ErrorTypeKey].AsString())
	assert.EqualValues(t, 3, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.Equal(t, codes.Error, span.Status().Code)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransportErrorIsReturnedAsIs(t *testing.T) {
	rec := newRecorder(t)
	errDial := errors.New("dial tcp: connection refused")
	client := &http.Client{Transport: NewTransport(&recordingTransport{err: errDial}, rec.options()...)}
	req, _ := http.NewRequest(http.MethodPost, "http://api.test/test/chat", strings.NewReader(`{"model":"test-model"}`))
	_, err := client.Do(req)
	assert.ErrorIs(t, err, errDial)

	span := rec.onlySpan(t)
	a := attrsOf(span)
	assert.Equal(t, "transport_error", a[semconv.ResponseEndKey].AsString())
	assert.Equal(t, "*errors.errorString", a[semconv.ErrorTypeKey].AsString())
	assert.Equal(t, codes.Error, span.Status().Code)
	assert.Equal(t, "absent", a[semconv.UsageSourceKey].AsString())
	_, hasInput := a[semconv.GenAIUsageInputTokensKey]
	assert.False(t, hasInput, "no usage is ever invented")

	rm := rec.collect(t)
	assert.EqualValues(t, 1, sumInt(t, rm, "otelllm.client.requests", semconv.ErrorTypeKey.String("*errors.errorString")))
	assert.Zero(t, sumInt(t, rm, "gen_ai.client.token.usage"))
}

func TestNilResponseAndNilBody(t *testing.T) {
	rec := newRecorder(t)
	tr := NewTransport(&recordingTransport{nil_: true}, rec.options()...)
	req := httptest.NewRequest(http.MethodPost, "http://api.test/test/chat", strings.NewReader(`{}`))
	resp, err := tr.RoundTrip(req)
	assert.Nil(t, resp)
	assert.NoError(t, err)
	assert.Equal(t, "nil_response", attrsOf(rec.onlySpan(t))[semconv.ErrorTypeKey].AsString())

	rec = newRecorder(t)
	tr = NewTransport(roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: nil}, nil
	}), rec.options()...)
	resp, err = tr.RoundTrip(httptest.NewRequest(http.MethodPost, "http://api.test/test/chat", strings.NewReader(`{}`)))
	require.NoError(t, err)
	assert.Nil(t, resp.Body)
	assert.Equal(t, "no_body", attrsOf(rec.onlySpan(t))[semconv.ResponseEndKey].AsString())
}

func TestHTTPErrorStatus(t *testing.T) {
	rec := newRecorder(t)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body>502 Bad Gateway</body></html>")
	})
	client := WrapClient(srv.Client(), rec.options()...)
	resp := post(t, context.Background(), client, srv.URL+"/test/chat", `{"model":"test-model"}`)
	got, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Contains(t, string(got), "502 Bad Gateway")
	span := rec.onlySpan(t)
	a := attrsOf(span)
	assert.Equal(t, "502", a[semconv.ErrorTypeKey].AsString())
	assert.Equal(t, codes.Error, span.Status().Code)
	assert.Equal(t, "response is not JSON", a[semconv.ObserveErrorKey].AsString())
}

func TestRequestBodyReadWithoutConsumingIt(t *testing.T) {
	const reqBody = `{"model":"test-model","temperature":0.25}`
	var received atomic.Value
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		received.Store(string(b))
		_, _ = io.WriteString(w, fullBody)
	})
	t.Run("GetBody", func(t *testing.T) {
		rec := newRecorder(t)
		client := WrapClient(srv.Client(), rec.options()...)
		resp := post(t, context.Background(), client, srv.URL+"/test/chat", reqBody)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, reqBody, received.Load())
		assert.Equal(t, 0.25, attrsOf(rec.onlySpan(t))[semconv.GenAIRequestTemperatureKey].AsFloat64())
	})
	t.Run("no GetBody", func(t *testing.T) {
		rec := newRecorder(t)
		client := WrapClient(srv.Client(), rec.options()...)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/test/chat", io.NopCloser(strings.NewReader(reqBody)))
		require.Nil(t, req.GetBody)
		resp, err := client.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, reqBody, received.Load())
		assert.Equal(t, 0.25, attrsOf(rec.onlySpan(t))[semconv.GenAIRequestTemperatureKey].AsFloat64())
	})
	t.Run("over the limit", func(t *testing.T) {
		rec := newRecorder(t)
		client := WrapClient(srv.Client(), rec.options(WithMaxRequestBody(10))...)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/test/chat", io.NopCloser(strings.NewReader(reqBody)))
		resp, err := client.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		assert.Equal(t, reqBody, received.Load(), "the server gets every byte")
		a := attrsOf(rec.onlySpan(t))
		_, parsed := a[semconv.GenAIRequestTemperatureKey]
		assert.False(t, parsed, "a body over the limit is not parsed")
		assert.EqualValues(t, 100, a[semconv.GenAIUsageInputTokensKey].AsInt64(), "the response is still observed")
	})
}

func TestProviderPanicsNeverReachTheApplication(t *testing.T) {
	for _, where := range []string{"match", "request", "write", "finish"} {
		t.Run(where, func(t *testing.T) {
			rec := newRecorder(t)
			srv := server(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, fullBody) })
			opts := append(rec.options(), WithProviders(testProvider{panicIn: where}))
			client := WrapClient(srv.Client(), opts...)
			resp := post(t, context.Background(), client, srv.URL+"/test/chat", `{"model":"test-model"}`)
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.Equal(t, fullBody, string(got))
			if where == "match" {
				assert.Empty(t, rec.spans.Started(), "a provider that cannot match observes nothing")
				return
			}
			a := attrsOf(rec.onlySpan(t))
			assert.Contains(t, a[semconv.ObserveErrorKey].AsString(), "provider panicked")
		})
	}
}

func TestGzipBodyTheApplicationAskedFor(t *testing.T) {
	const chatBody = `{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120}}`
	var compressed bytes.Buffer
	zw := gzip.NewWriter(&compressed)
	_, _ = io.WriteString(zw, chatBody)
	require.NoError(t, zw.Close())
	rec := newRecorder(t)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(compressed.Bytes())
	})
	client := WrapClient(srv.Client(), rec.options(WithProviders(openai.New()))...)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/chat/completions", strings.NewReader(`{"model":"gpt-4o-mini"}`))
	req.Header.Set("Accept-Encoding", "gzip") // the application's choice: Go does not decompress
	resp, err := client.Do(req)
	require.NoError(t, err)
	got, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, compressed.Bytes(), got, "the application gets the compressed bytes")
	a := attrsOf(rec.onlySpan(t))
	assert.EqualValues(t, 100, a[semconv.GenAIUsageInputTokensKey].AsInt64(), "usage read from the decompressed copy")
}

func TestWrapClientCopiesAndForwardsCloseIdle(t *testing.T) {
	orig := &http.Client{Timeout: 3 * time.Second}
	wrapped := WrapClient(orig)
	assert.Nil(t, orig.Transport, "the original client is untouched")
	assert.Equal(t, orig.Timeout, wrapped.Timeout)
	tr, ok := wrapped.Transport.(*Transport)
	require.True(t, ok)
	assert.Same(t, http.DefaultTransport, tr.base)
	assert.NotNil(t, WrapClient(nil).Transport)

	base := &recordingTransport{}
	NewTransport(base).CloseIdleConnections()
	assert.Same(t, errClosedIdle, base.err)
}

func TestScope(t *testing.T) {
	rec := newRecorder(t)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, fullBody) })
	client := WrapClient(srv.Client(), rec.options()...)
	resp := post(t, context.Background(), client, srv.URL+"/test/chat", `{"model":"test-model"}`)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	span := rec.onlySpan(t)
	assert.Equal(t, ScopeName, span.InstrumentationScope().Name)
	assert.Equal(t, Version(), span.InstrumentationScope().Version)
}

func TestCloseAfterTheFinalEventIsNotEarly(t *testing.T) {
	rec := newRecorder(t)
	final := `{"in":7,"out":9}` + "\n"
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		_, _ = io.WriteString(w, `{"model":"test-model-2025"}`+"\n"+final)
		w.(http.Flusher).Flush()
		<-r.Context().Done() // the server has not ended the body yet
	})
	client := WrapClient(srv.Client(), rec.options()...)
	ctx, tr := Track(context.Background())
	resp := post(t, ctx, client, srv.URL+"/test/chat", `{"model":"test-model","stream":true}`)
	// Read up to the final event, as an SDK does, then close before EOF.
	var got []byte
	buf := make([]byte, 8)
	for !strings.HasSuffix(string(got), final) {
		n, err := resp.Body.Read(buf)
		require.NoError(t, err)
		got = append(got, buf[:n]...)
	}
	require.NoError(t, resp.Body.Close())

	a := attrsOf(rec.onlySpan(t))
	assert.Equal(t, "closed", a[semconv.ResponseEndKey].AsString())
	assert.True(t, a[semconv.UsageCompleteKey].AsBool())
	assert.EqualValues(t, 9, a[semconv.GenAIUsageOutputTokensKey].AsInt64())
	assert.EqualValues(t, 1, tr.Usage().SuccessfulRequests)
}

func TestRequestBodyReadErrorReachesTheBaseTransport(t *testing.T) {
	errDisk := errors.New("read /tmp/upload: input/output error")
	var sawBytes []byte
	var sawErr error
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sawBytes, sawErr = io.ReadAll(r.Body)
		return nil, sawErr
	})
	rec := newRecorder(t)
	client := &http.Client{Transport: NewTransport(base, rec.options()...)}
	body := io.MultiReader(strings.NewReader(`{"model":"test-`), iotest.ErrReader(errDisk))
	req, _ := http.NewRequest(http.MethodPost, "http://api.test/test/chat", io.NopCloser(body))
	_, err := client.Do(req)
	assert.ErrorIs(t, err, errDisk, "the application gets the body's error, as without the wrapper")
	assert.Equal(t, `{"model":"test-`, string(sawBytes), "the base transport reads the same bytes")
	assert.Same(t, errDisk, sawErr, "then the same error")
	a := attrsOf(rec.onlySpan(t))
	assert.Equal(t, "transport_error", a[semconv.ResponseEndKey].AsString())
	assert.Equal(t, "unknown", a[semconv.GenAIRequestModelKey].AsString(), "an unreadable body is not parsed")
}

func TestServerAddress(t *testing.T) {
	for _, tc := range []struct {
		url, host string
		want      string
		port      int
	}{
		{url: "https://api.openai.com/v1/chat/completions", want: "api.openai.com", port: 443},
		{url: "http://localhost/v1/chat/completions", want: "localhost", port: 80},
		{url: "http://127.0.0.1:8080/v1", want: "127.0.0.1", port: 8080},
		{url: "https://[::1]:9443/v1", want: "::1", port: 9443},
		{url: "http://[fe80::1]/v1", want: "fe80::1", port: 80},
		{url: "https://example.com:0/v1", want: "example.com", port: 443},
		{url: "https://example.com:99999/v1", want: "example.com", port: 443},
		{url: "/v1/chat/completions", host: "proxy.internal:3128", want: "proxy.internal", port: 3128},
	} {
		req := httptest.NewRequest(http.MethodPost, tc.url, nil)
		if tc.host != "" {
			req.URL.Host, req.Host = "", tc.host
		}
		host, port := serverAddress(req)
		assert.Equal(t, tc.want, host, tc.url)
		assert.Equal(t, tc.port, port, tc.url)
		assert.Zero(t, testing.AllocsPerRun(10, func() { serverAddress(req) }), tc.url)
	}
}
