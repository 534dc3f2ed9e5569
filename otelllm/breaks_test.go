package otelllm

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/codes"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/openai"
	"github.com/otelllm/otelllm/semconv"
)

// The breaks issue 12 found by trying to break the transport: each test
// failed before its fix.

// Secrets in a URL that the base transport's error quotes never reach the
// span: not its status, not the exception event.
func TestErrorTextIsRedacted(t *testing.T) {
	secrets := []string{"AIzaSyD-secret-gemini-key-0123456789abc", "hunter2", "sig-9f8e7d6c5b4a", "ASIAEXAMPLEEXAMPLE12", "sk-proj-abcdefghijklmnopqrstuv"}
	for _, raw := range []string{
		"https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent?key=AIzaSyD-secret-gemini-key-0123456789abc&alt=sse",
		"https://user:hunter2@llm.internal.example/v1/chat/completions",
		"https://bedrock-runtime.us-east-1.amazonaws.com/model/m/invoke?X-Amz-Signature=sig-9f8e7d6c5b4a&X-Amz-Credential=ASIAEXAMPLEEXAMPLE12%2F20260101",
	} {
		rec := newRecorder(t)
		base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return nil, &url.Error{Op: "Post", URL: raw, Err: errors.New("dial tcp: connection refused (retrying with Authorization: Bearer sk-proj-abcdefghijklmnopqrstuv)")}
		})
		client := &http.Client{Transport: NewTransport(base, rec.options()...)}
		req, _ := http.NewRequest(http.MethodPost, "http://api.test/test/chat", strings.NewReader(`{"model":"test-model"}`))
		_, err := client.Do(req)
		require.Error(t, err)
		span := rec.onlySpan(t)
		assert.Equal(t, codes.Error, span.Status().Code)
		texts := []string{span.Status().Description}
		require.Len(t, span.Events(), 1, raw)
		for _, kv := range span.Events()[0].Attributes {
			texts = append(texts, kv.Value.Emit())
		}
		for _, kv := range span.Attributes() {
			texts = append(texts, kv.Value.Emit())
		}
		for _, text := range texts {
			for _, secret := range secrets {
				assert.NotContains(t, text, secret, raw)
			}
		}
		assert.Contains(t, span.Status().Description, "connection refused", "the error stays readable")
		assert.Contains(t, span.Status().Description, "://", "the URL stays, without its secrets")
	}
	// The redaction keeps what is harmless.
	assert.Equal(t, `Post "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21": EOF`,
		redactSecrets(`Post "https://x.openai.azure.com/openai/deployments/d/chat/completions?api-version=2024-10-21": EOF`))
}

// modelPanicProvider's observer panics when asked for the model it has
// seen, which the transport asks while timing a long stream's chunks.
type modelPanicProvider struct{ testProvider }

func (p modelPanicProvider) Match(r *http.Request) providers.Call {
	c := p.testProvider.Match(r)
	if c == nil {
		return nil
	}
	return modelPanicCall{c}
}

type modelPanicCall struct{ providers.Call }

func (c modelPanicCall) Observe(resp *http.Response) providers.Observer {
	return modelPanicObserver{c.Call.Observe(resp)}
}

type modelPanicObserver struct{ providers.Observer }

func (modelPanicObserver) Model() string { panic("boom in Model") }

func TestObserverModelPanicNeverReachesTheApplication(t *testing.T) {
	rec := newRecorder(t)
	var lines []string
	for i := 0; i < 600; i++ {
		lines = append(lines, `{"model":"test-model"}`+"\n")
	}
	lines = append(lines, `{"model":"test-model","in":7,"out":11}`+"\n")
	base := &recordingTransport{body: &pieceReader{pieces: append([]string(nil), lines...)}}
	tr := NewTransport(ndjsonResponses{base}, rec.options(WithProviders(modelPanicProvider{}))...)
	req := httptest.NewRequest(http.MethodPost, "http://test.example/test/chat", strings.NewReader(`{"model":"test-model","stream":true}`))
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, strings.Join(lines, ""), string(got))
	a := attrsOf(rec.onlySpan(t))
	assert.Contains(t, a[semconv.ObserveErrorKey].AsString(), "provider panicked")
}

// A full-duplex request: the application writes the rest of its body only
// after the response headers arrived. The transport must not wait for it.
func TestFullDuplexRequestBodyIsNotWaitedFor(t *testing.T) {
	rec := newRecorder(t)
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		// Answers at once, then echoes the body as it arrives, as an
		// HTTP/2 server may.
		pr, pw := io.Pipe()
		go func() {
			_, err := io.Copy(pw, r.Body)
			_ = pw.CloseWithError(err)
		}()
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/x-ndjson"}}, Body: pr, Request: r}, nil
	})
	reqBody, write := io.Pipe()
	req, _ := http.NewRequest(http.MethodPost, "http://api.test/test/chat", reqBody)
	require.Nil(t, req.GetBody)
	client := &http.Client{Transport: NewTransport(base, rec.options()...)}
	done := make(chan *http.Response, 1)
	go func() {
		resp, err := client.Do(req)
		if err == nil {
			done <- resp
		}
		close(done)
	}()
	var resp *http.Response
	select {
	case resp = <-done:
		require.NotNil(t, resp)
	case <-time.After(10 * time.Second):
		_ = write.Close()
		t.Fatal("RoundTrip waited for a request body the application writes after the response")
	}
	line := `{"model":"test-model","in":3,"out":4}` + "\n"
	go func() {
		_, _ = io.WriteString(write, line)
		_ = write.Close()
	}()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, line, string(got))
	a := attrsOf(rec.onlySpan(t))
	assert.EqualValues(t, 4, a[semconv.GenAIUsageOutputTokensKey].AsInt64())
}

// The response's Request is the caller's, as http.Transport returns it.
func TestResponseRequestIsTheCallers(t *testing.T) {
	rec := newRecorder(t)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, fullBody) })
	client := WrapClient(srv.Client(), rec.options()...)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/test/chat", strings.NewReader(`{"model":"test-model"}`))
	resp, err := client.Transport.RoundTrip(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	assert.Same(t, req, resp.Request)
}

// A 101 Switching Protocols answer's body is the upgraded connection: the
// application can still write to it.
func TestSwitchingProtocolsBodyStaysWritable(t *testing.T) {
	rec := newRecorder(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body)
		conn, rw, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = rw.WriteString("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
		_ = rw.Flush()
		line, _ := rw.ReadString('\n')
		_, _ = rw.WriteString("echo: " + line)
		_ = rw.Flush()
	}))
	t.Cleanup(srv.Close)
	client := WrapClient(srv.Client(), rec.options()...)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/test/chat", strings.NewReader(`{"model":"test-model"}`))
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", "echo")
	resp, err := client.Do(req)
	require.NoError(t, err)
	require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	rw, ok := resp.Body.(io.ReadWriteCloser)
	require.True(t, ok, "the upgraded connection is writable")
	_, err = io.WriteString(rw, "hello\n")
	require.NoError(t, err)
	line, err := bufio.NewReader(rw).ReadString('\n')
	require.NoError(t, err)
	assert.Equal(t, "echo: hello\n", line)
	_ = rw.Close()
	assert.Len(t, rec.ended(), 1)
}

// A client wrapped twice records each call once.
func TestWrappedTwiceCountsOnce(t *testing.T) {
	rec := newRecorder(t)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, fullBody) })
	client := WrapClient(WrapClient(srv.Client(), rec.options()...), rec.options()...)
	ctx, tracker := Track(context.Background())
	call(t, ctx, client, srv.URL+"/test/chat", `{"model":"test-model"}`)
	assert.Len(t, rec.ended(), 1)
	u := tracker.Usage()
	assert.EqualValues(t, 1, u.Requests)
	assert.EqualValues(t, 100, u.InputTokens)
}

// Cancelling once the stream's final event has arrived, before EOF, does
// not make a whole answer a failed call.
func TestCancelAfterTheFinalEventIsNotAFailure(t *testing.T) {
	rec := newRecorder(t)
	stream := "data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},\"finish_reason\":\"stop\"}]}\n\n" +
		"data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\n" +
		"data: [DONE]\n\n"
	ctx, cancel := context.WithCancel(context.Background())
	ctx, tracker := Track(ctx)
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		pr, pw := io.Pipe()
		go func() {
			_, _ = io.WriteString(pw, stream)
			<-r.Context().Done()
			_ = pw.CloseWithError(r.Context().Err())
		}()
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/event-stream"}}, Body: pr, Request: r}, nil
	})
	client := &http.Client{Transport: NewTransport(base, rec.options(WithProviders(openai.New()))...)}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "https://api.openai.com/v1/chat/completions", strings.NewReader(`{"model":"gpt-4o-mini","stream":true}`))
	resp, err := client.Do(req)
	require.NoError(t, err)
	buf := make([]byte, len(stream))
	_, err = io.ReadFull(resp.Body, buf)
	require.NoError(t, err)
	cancel()
	_, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.Eventually(t, func() bool { return len(rec.ended()) == 1 }, 5*time.Second, time.Millisecond)
	span := rec.onlySpan(t)
	a := attrsOf(span)
	_, failed := a[semconv.ErrorTypeKey]
	assert.False(t, failed, "no error.type on a whole answer")
	assert.Equal(t, codes.Unset, span.Status().Code)
	assert.EqualValues(t, 6, a[semconv.GenAIUsageInputTokensKey].AsInt64()+a[semconv.GenAIUsageOutputTokensKey].AsInt64())
	u := tracker.Usage()
	assert.EqualValues(t, 1, u.SuccessfulRequests)
	assert.Zero(t, u.FailedRequests)
}

// scribbleProvider's observer writes over every byte it is shown.
type scribbleProvider struct{ testProvider }

func (p scribbleProvider) Match(r *http.Request) providers.Call {
	c := p.testProvider.Match(r)
	if c == nil {
		return nil
	}
	return scribbleCall{c}
}

type scribbleCall struct{ providers.Call }

func (c scribbleCall) Observe(resp *http.Response) providers.Observer {
	return scribbleObserver{c.Call.Observe(resp)}
}

type scribbleObserver struct{ providers.Observer }

func (o scribbleObserver) Write(p []byte) {
	o.Observer.Write(p)
	for i := range p {
		p[i] = 'X'
	}
}

// An observer cannot change what the application reads.
func TestObserversCannotChangeTheBytes(t *testing.T) {
	for _, body := range []string{fullBody, strings.Join(streamLines, "")} {
		rec := newRecorder(t)
		srv := server(t, func(w http.ResponseWriter, r *http.Request) {
			if strings.Contains(body, "\n") {
				w.Header().Set("Content-Type", "application/x-ndjson")
			}
			for _, part := range strings.SplitAfter(body, "\n") {
				_, _ = io.WriteString(w, part)
				w.(http.Flusher).Flush()
			}
		})
		client := WrapClient(srv.Client(), rec.options(WithProviders(scribbleProvider{}))...)
		resp := post(t, context.Background(), client, srv.URL+"/test/chat", `{"model":"test-model"}`)
		var got []byte
		buf := make([]byte, 7)
		for {
			n, err := resp.Body.Read(buf)
			got = append(got, buf[:n]...)
			if err != nil {
				break
			}
		}
		_ = resp.Body.Close()
		assert.Equal(t, body, string(got))
	}
}

// The last bytes and io.EOF in one read: the application gets the bytes at
// once and io.EOF from the next Read, after the call is recorded.
func TestLastBytesAreNotHeldForTheParse(t *testing.T) {
	rec := newRecorder(t)
	spy := &spyProvider{}
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(&dataWithEOF{data: fullBody}), Request: r}, nil
	})
	client := &http.Client{Transport: NewTransport(base, rec.options(WithProviders(spy))...)}
	resp := post(t, context.Background(), client, "http://api.test/test/chat", `{"model":"test-model"}`)
	buf := make([]byte, 512)
	n, err := resp.Body.Read(buf)
	assert.Equal(t, fullBody, string(buf[:n]))
	assert.NoError(t, err, "the bytes now, io.EOF next")
	assert.Empty(t, rec.ended(), "not parsed before the application had the bytes")
	n, err = resp.Body.Read(buf)
	assert.Zero(t, n)
	assert.Equal(t, io.EOF, err)
	a := attrsOf(rec.onlySpan(t))
	assert.EqualValues(t, 100, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.Equal(t, "eof", a[semconv.ResponseEndKey].AsString())
}

// dataWithEOF returns all its data and io.EOF from one Read.
type dataWithEOF struct{ data string }

func (d *dataWithEOF) Read(p []byte) (int, error) {
	if d.data == "" {
		return 0, io.EOF
	}
	n := copy(p, d.data)
	d.data = d.data[n:]
	if d.data == "" {
		return n, io.EOF
	}
	return n, nil
}
