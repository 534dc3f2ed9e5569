package otelllm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// Transport is an http.RoundTripper that observes the LLM API calls made
// through it: each call a provider recognises becomes a GenAI span, metrics,
// a cost, and counts in any Tracker of the request's context. Other requests
// pass through untouched.
//
// The application sees exactly what the base transport returns: the same
// status, headers, body bytes and errors. The response body is wrapped so that
// its bytes are observed as the application reads them; the span ends when
// the body ends (EOF, read error, Close, or cancellation of the request's
// context), exactly once.
type Transport struct {
	base http.RoundTripper
	cfg  config
	tel  *telemetry
}

var _ http.RoundTripper = (*Transport)(nil)

// NewTransport returns a Transport wrapping base; a nil base means
// http.DefaultTransport.
func NewTransport(base http.RoundTripper, opts ...Option) *Transport {
	if base == nil {
		base = http.DefaultTransport
	}
	cfg := newConfig(opts)
	return &Transport{base: base, cfg: cfg, tel: newTelemetry(cfg)}
}

// WrapClient returns a copy of c whose Transport is wrapped by NewTransport;
// c itself is not changed. A nil c means a new client on
// http.DefaultTransport.
func WrapClient(c *http.Client, opts ...Option) *http.Client {
	if c == nil {
		c = &http.Client{}
	}
	wrapped := *c
	wrapped.Transport = NewTransport(c.Transport, opts...)
	return &wrapped
}

// CloseIdleConnections closes the idle connections of the base transport,
// when it has such a method.
func (t *Transport) CloseIdleConnections() {
	if ci, ok := t.base.(interface{ CloseIdleConnections() }); ok {
		ci.CloseIdleConnections()
	}
}

var spanKindClient = trace.WithSpanKind(trace.SpanKindClient)

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	call := t.match(req)
	if call == nil {
		return t.base.RoundTrip(req)
	}
	start := time.Now()
	st := &callState{t: t, call: call, start: start}

	sent := req
	body, rewrapped := t.readRequestBody(req)
	st.request = st.safeRequest(body)
	st.server, st.port = serverAddress(req)

	ctx, span := t.tel.tracer.Start(req.Context(), spanName(st.request),
		spanKindClient,
		trace.WithTimestamp(start),
		trace.WithAttributes(st.requestAttributes()...))
	st.ctx, st.span = ctx, span

	// A shallow copy carries the span's context to the base transport (an
	// otelhttp transport below nests its span under ours); the headers,
	// URL and body are the application's own, unchanged.
	sent = req.WithContext(ctx)
	if rewrapped != nil {
		sent.Body = rewrapped
	}

	ended := false
	defer func() {
		if !ended {
			// The base transport panicked: end the span, then let the
			// panic go on as it would have without us.
			st.finish(endState{end: semconv.EndTransportError, errType: "panic"})
		}
	}()
	resp, err := t.base.RoundTrip(sent)
	ended = true
	if err != nil {
		st.finish(endState{end: semconv.EndTransportError, err: err, errType: errorType(ctx, err)})
		return resp, err
	}
	if resp == nil {
		st.finish(endState{end: semconv.EndTransportError, errType: "nil_response"})
		return resp, err
	}
	st.status = resp.StatusCode
	if resp.Body == nil || resp.Body == http.NoBody {
		st.observer = st.safeObserve(resp)
		st.finish(endState{end: semconv.EndNoBody, complete: true})
		return resp, err
	}
	st.observer = st.safeObserve(resp)
	st.holdReads = st.observer != nil && providers.StreamKindOf(resp, requestedKind(st.request)) != providers.NotStream
	ob := &observedBody{rc: resp.Body, st: st}
	if reqCtx := req.Context(); reqCtx.Done() != nil {
		// Ends the span even if the application abandons the body.
		st.stopCancel = context.AfterFunc(reqCtx, func() {
			st.finish(endState{end: semconv.EndCanceled, errType: "canceled", err: reqCtx.Err()})
		})
	}
	resp.Body = ob
	return resp, err
}

// requestedKind is the framing a request asked for, when the response's
// Content-Type does not say.
func requestedKind(r providers.Request) providers.StreamKind {
	if r.Stream {
		return providers.SSEStream
	}
	return providers.NotStream
}

// match returns the Call of the first provider that recognises req.
func (t *Transport) match(req *http.Request) (call providers.Call) {
	if req == nil || req.URL == nil {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			handle(fmt.Errorf("otelllm: provider panicked matching a request: %v", r))
			call = nil
		}
	}()
	for _, p := range t.cfg.providers {
		if c := p.Match(req); c != nil {
			return c
		}
	}
	return nil
}

// readRequestBody returns the request body's bytes without consuming it,
// and when the body had to be read from req.Body itself, the body to send in
// its place. Bodies over the limit, and bodies that cannot be read safely,
// give nil.
func (t *Transport) readRequestBody(req *http.Request) (body []byte, rewrapped io.ReadCloser) {
	limit := t.cfg.maxRequestBody
	if req.Body == nil || req.Body == http.NoBody || limit <= 0 {
		return nil, nil
	}
	if req.ContentLength > limit {
		return nil, nil
	}
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil || rc == nil {
			return nil, nil
		}
		defer rc.Close()
		if n := req.ContentLength; n > 0 {
			// The size is known: one exact read, and a check that the
			// body really ends there.
			b := make([]byte, n)
			if _, err := io.ReadFull(rc, b); err != nil {
				return nil, nil
			}
			var probe [1]byte
			if m, _ := rc.Read(probe[:]); m != 0 {
				return nil, nil
			}
			return b, nil
		}
		b, err := io.ReadAll(io.LimitReader(rc, limit+1))
		if err != nil || int64(len(b)) > limit {
			return nil, nil
		}
		return b, nil
	}
	// No GetBody: read up to the limit from the body itself, and send a
	// body that replays what was read followed by the rest, so the base
	// transport sees the same bytes and the same error, if any.
	buf := make([]byte, 0, min(limit+1, 64<<10))
	w := bytes.NewBuffer(buf)
	_, err := io.Copy(w, io.LimitReader(req.Body, limit+1))
	read := w.Bytes()
	rewrapped = &replayBody{prefix: bytes.NewReader(read), rest: req.Body, err: err}
	if err != nil || int64(len(read)) > limit {
		return nil, rewrapped
	}
	return read, rewrapped
}

// replayBody replays the bytes read from a request body, then the rest of it.
type replayBody struct {
	prefix *bytes.Reader
	rest   io.ReadCloser
	err    error
}

func (b *replayBody) Read(p []byte) (int, error) {
	if b.prefix.Len() > 0 {
		return b.prefix.Read(p)
	}
	if b.err != nil {
		return 0, b.err
	}
	return b.rest.Read(p)
}

func (b *replayBody) Close() error { return b.rest.Close() }

func spanName(r providers.Request) string {
	if r.Model == "" {
		return r.Operation
	}
	return r.Operation + " " + r.Model
}

// serverAddress gives server.address and server.port: the URL's host
// (IPv6 brackets removed) and its port, else the scheme's default. It does
// not allocate.
func serverAddress(req *http.Request) (string, int) {
	hostport := req.URL.Host
	if hostport == "" {
		hostport = req.Host
	}
	host, port := hostport, ""
	if i := strings.LastIndexByte(hostport, ':'); i >= 0 && !strings.Contains(hostport[i:], "]") {
		host, port = hostport[:i], hostport[i+1:]
	}
	if len(host) >= 2 && host[0] == '[' && host[len(host)-1] == ']' {
		host = host[1 : len(host)-1]
	}
	if n, ok := parsePort(port); ok {
		return host, n
	}
	if req.URL.Scheme == "http" {
		return host, 80
	}
	return host, 443
}

// parsePort parses a decimal TCP port, 1 to 65535.
func parsePort(s string) (int, bool) {
	if s == "" || len(s) > 5 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, n > 0 && n <= 65535
}

// errorType gives a low-cardinality error.type for a transport error.
func errorType(ctx context.Context, err error) string {
	switch {
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return "timeout"
	}
	if ctx.Err() != nil {
		return "canceled"
	}
	return fmt.Sprintf("%T", unwrapAll(err))
}

func unwrapAll(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// requestAttributes are the span attributes known before the call is sent.
func (st *callState) requestAttributes() []attribute.KeyValue {
	r := st.request
	attrs := make([]attribute.KeyValue, 0, 16)
	attrs = append(attrs,
		semconv.GenAIOperationNameKey.String(r.Operation),
		semconv.GenAIProviderNameKey.String(r.Provider),
		semconv.ServerAddressKey.String(st.server),
		semconv.ServerPortKey.Int(st.port),
		semconv.GenAIRequestStreamKey.Bool(r.Stream),
	)
	if r.Model != "" {
		attrs = append(attrs, semconv.GenAIRequestModelKey.String(r.Model))
	}
	if r.MaxTokens != nil {
		attrs = append(attrs, semconv.GenAIRequestMaxTokensKey.Int64(*r.MaxTokens))
	}
	if r.Temperature != nil {
		attrs = append(attrs, semconv.GenAIRequestTemperatureKey.Float64(*r.Temperature))
	}
	if r.TopP != nil {
		attrs = append(attrs, semconv.GenAIRequestTopPKey.Float64(*r.TopP))
	}
	if r.TopK != nil {
		attrs = append(attrs, semconv.GenAIRequestTopKKey.Float64(*r.TopK))
	}
	if r.FrequencyPenalty != nil {
		attrs = append(attrs, semconv.GenAIRequestFrequencyPenaltyKey.Float64(*r.FrequencyPenalty))
	}
	if r.PresencePenalty != nil {
		attrs = append(attrs, semconv.GenAIRequestPresencePenaltyKey.Float64(*r.PresencePenalty))
	}
	if len(r.StopSequences) > 0 {
		attrs = append(attrs, semconv.GenAIRequestStopSequencesKey.StringSlice(r.StopSequences))
	}
	if r.Seed != nil {
		attrs = append(attrs, semconv.GenAIRequestSeedKey.Int64(*r.Seed))
	}
	if r.ChoiceCount != nil {
		attrs = append(attrs, semconv.GenAIRequestChoiceCountKey.Int64(*r.ChoiceCount))
	}
	if len(r.EncodingFormats) > 0 {
		attrs = append(attrs, semconv.GenAIRequestEncodingFormatsKey.StringSlice(r.EncodingFormats))
	}
	if r.Dimensions != nil {
		attrs = append(attrs, semconv.GenAIEmbeddingsDimensionCount.Int64(*r.Dimensions))
	}
	if r.ServiceTier != "" {
		attrs = append(attrs, semconv.OpenAIRequestServiceTierKey.String(r.ServiceTier))
	}
	return attrs
}
