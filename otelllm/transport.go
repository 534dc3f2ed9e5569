package otelllm

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
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

// observedKey marks a context whose request an otelllm Transport is
// already observing: a client wrapped twice records each call once.
type observedKey struct{}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req == nil || req.URL == nil || req.Context().Value(observedKey{}) != nil {
		return t.base.RoundTrip(req)
	}
	call := t.match(req)
	if call == nil {
		return t.base.RoundTrip(req)
	}
	start := time.Now()
	c := &callState{t: t, call: call, start: start}
	c.server, c.port = serverAddress(req)
	c.resend = resendCount(req.Header)
	c.timeChunks = t.tel.timesChunks(req.Context())
	c.attrs, c.metricAttrs, c.metricSet = t.callAttributes(req.Context())

	// The request's parameters, from a copy of its body when one can be
	// had without touching the body itself; otherwise the body is
	// observed as the base transport sends it, and read once the
	// response has arrived.
	body, got := t.requestBody(req)
	if got == bodySentOnly {
		c.sentBody = &sentBody{rc: req.Body, limit: t.cfg.maxRequestBody, size: req.ContentLength}
	}
	if t.cfg.content != ContentNone {
		c.captureContent() // before Request: the call parses content only when asked
	}
	// Without the body yet, the URL's facts name the span for now.
	c.request = c.safeRequest(body)
	attrs := requestAttributes(c.request, c.server, c.port, t.tel.stability)
	if c.resend > 0 {
		attrs = append(attrs, semconv.HTTPRequestResendCountKey.Int(c.resend))
	}
	attrs = append(attrs, c.attrs...)
	// The trackers' limits are checked before anything is sent.
	refused := c.admit(req, body, got)
	var amended []byte
	var filter func(io.ReadCloser) io.ReadCloser
	if t.cfg.streamUsage && refused == nil {
		var skipped string
		amended, filter, skipped = c.askUsage(req, body, got)
		switch {
		case amended != nil:
			attrs = append(attrs, semconv.StreamUsageAmendedKey.Bool(true))
		case skipped != "":
			attrs = append(attrs, semconv.StreamUsageSkippedKey.String(skipped))
		}
	}
	ctx, span := t.tel.tracer.Start(req.Context(), spanNameOf(c.request), spanKindClient,
		trace.WithTimestamp(start), trace.WithAttributes(attrs...))
	c.ctx, c.span = ctx, span
	if t.cfg.parentUsageDedup && span.IsRecording() {
		c.usageRecordedBy = parentGenAIScope(req.Context(), c.request.Provider)
	}
	if refused != nil {
		// A RoundTripper closes the request body, even on an error.
		if req.Body != nil {
			_ = req.Body.Close()
		}
		c.finish(endState{end: EndRejected, errType: semconv.ErrorTypeBudgetExceeded, err: refused})
		return nil, refused
	}

	// A shallow copy carries the span's context to the base transport (an
	// otelhttp transport below nests its span under ours); the headers,
	// URL and body are the application's own, unchanged.
	sent := req.WithContext(context.WithValue(ctx, observedKey{}, true))
	if c.sentBody != nil {
		sent.Body = c.sentBody
	}
	if amended != nil {
		amend(sent, amended)
	}

	ended := false
	defer func() {
		if !ended {
			// The base transport panicked: end the span, then let the
			// panic go on as it would have without us.
			c.finish(endState{end: EndTransportError, errType: "panic"})
		}
	}()
	resp, err := t.base.RoundTrip(sent)
	ended = true
	if c.sentBody != nil {
		c.readSentRequest()
	}
	if resp != nil && resp.Request == sent {
		// http.Transport returns the request it was given: the caller's.
		resp.Request = req
	}
	if err != nil {
		c.finish(endState{end: EndTransportError, err: err, errType: errorType(ctx, err)})
		return resp, err
	}
	if resp == nil {
		c.finish(endState{end: EndTransportError, errType: "nil_response"})
		return resp, err
	}
	c.status = resp.StatusCode
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// The body is the upgraded connection, which the application
		// writes to as well: it is not an LLM response to observe.
		c.finish(endState{end: EndNoBody, complete: true})
		return resp, err
	}
	c.observer = c.safeObserve(resp)
	c.document = c.safeDocument()
	if resp.Body == nil || resp.Body == http.NoBody {
		c.finish(endState{end: EndNoBody, complete: true})
		return resp, err
	}
	ob := &observedBody{rc: resp.Body, c: c}
	if reqCtx := req.Context(); reqCtx.Done() != nil {
		// Ends the span even if the application abandons the body.
		c.stopCancel = context.AfterFunc(reqCtx, func() {
			if ob.eof.Load() {
				c.finish(endState{end: EndEOF, complete: true})
				return
			}
			c.finish(endState{end: EndCanceled, errType: "canceled", err: reqCtx.Err()})
		})
	}
	resp.Body = ob
	if filter != nil {
		resp.Body = filter(ob)
	}
	return resp, err
}

// askUsage asks the provider to amend a stream's request to ask for usage
// (WithStreamUsage), when its body can be rewritten safely.
func (c *callState) askUsage(req *http.Request, body []byte, got bodyStatus) (amended []byte, filter func(io.ReadCloser) io.ReadCloser, skipped string) {
	asker, ok := c.call.(providers.UsageAsker)
	if !ok {
		return nil, nil, ""
	}
	switch got {
	case bodyNone:
		return nil, nil, ""
	case bodyTooLarge:
		return nil, nil, "request body over the read limit"
	case bodyUnreadable:
		return nil, nil, "request body could not be read"
	case bodySentOnly:
		return nil, nil, "request body has no GetBody: it cannot be read before it is sent"
	}
	if signed(req) {
		return nil, nil, "request body is signed"
	}
	defer func() {
		if rec := recover(); rec != nil {
			c.observeError = fmt.Sprintf("provider panicked amending the request: %v", rec)
			amended, filter, skipped = nil, nil, ""
		}
	}()
	return asker.AskUsage(body)
}

// signed reports a request whose signature covers its body (AWS SigV4):
// rewriting the body would break the signature.
func signed(req *http.Request) bool {
	return strings.HasPrefix(req.Header.Get("Authorization"), "AWS4-") || req.Header.Get("X-Amz-Content-Sha256") != ""
}

// amend makes sent, the shallow copy of the application's request that the
// base transport gets, carry body instead of the application's. The
// application's own body was read through GetBody and is closed here, as
// the base transport would have closed it.
func amend(sent *http.Request, body []byte) {
	if sent.Body != nil {
		_ = sent.Body.Close()
	}
	sent.Body = io.NopCloser(bytes.NewReader(body))
	sent.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	sent.ContentLength = int64(len(body))
	if sent.Header.Get("Content-Length") != "" {
		sent.Header = sent.Header.Clone()
		sent.Header.Set("Content-Length", strconv.Itoa(len(body)))
	}
}

// readSentRequest reads the request's parameters from the body the base
// transport sent, once the response has arrived, and sets the span's name
// and request attributes again. A body not sent to its end by then (a
// full-duplex stream, a failed write) leaves the URL's facts.
func (c *callState) readSentRequest() {
	body, ok := c.sentBody.bytes()
	if !ok {
		return
	}
	c.request = c.safeRequest(body)
	c.span.SetName(spanNameOf(c.request))
	c.span.SetAttributes(requestAttributes(c.request, c.server, c.port, c.t.tel.stability)...)
}

// match returns the Call of the first provider that recognises req.
func (t *Transport) match(req *http.Request) (call providers.Call) {
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

// bodyStatus says what requestBody could learn of a request body.
type bodyStatus uint8

const (
	bodyNone       bodyStatus = iota // no body, or reading bodies is off
	bodyRead                         // read through GetBody
	bodyTooLarge                     // over the read limit
	bodyUnreadable                   // GetBody failed, or the body was not what it said
	bodySentOnly                     // no GetBody: observed as it is sent
)

// requestBody returns a copy of the request body, read through GetBody
// without touching req.Body, and what became of the attempt.
func (t *Transport) requestBody(req *http.Request) ([]byte, bodyStatus) {
	limit := t.cfg.maxRequestBody
	switch {
	case req.Body == nil || req.Body == http.NoBody || limit <= 0:
		return nil, bodyNone
	case req.ContentLength > limit:
		return nil, bodyTooLarge
	case req.GetBody == nil:
		return nil, bodySentOnly
	}
	rc, err := req.GetBody()
	if err != nil || rc == nil {
		return nil, bodyUnreadable
	}
	defer rc.Close()
	if n := req.ContentLength; n > 0 {
		// The size is known: one exact read, and a check that the body
		// really ends there.
		b := make([]byte, n)
		if _, err := io.ReadFull(rc, b); err != nil {
			return nil, bodyUnreadable
		}
		var probe [1]byte
		if m, _ := rc.Read(probe[:]); m != 0 {
			return nil, bodyUnreadable
		}
		return b, bodyRead
	}
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	switch {
	case err != nil:
		return nil, bodyUnreadable
	case int64(len(b)) > limit:
		return nil, bodyTooLarge
	}
	return b, bodyRead
}

// sentBody is a request body observed as the base transport reads it: the
// same bytes and errors reach the base transport, and a copy of the first
// bytes, up to the limit, is kept for the request's parameters. It never
// reads ahead of the base transport, so a body the application writes
// while the response streams (full-duplex HTTP/2) flows as it would.
type sentBody struct {
	rc    io.ReadCloser
	limit int64
	size  int64 // the request's ContentLength, -1 or 0 when unknown

	mu   sync.Mutex
	buf  []byte
	over bool
	done bool // io.EOF was read
}

func (b *sentBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.mu.Lock()
	if n > 0 && !b.over {
		if int64(len(b.buf)+n) > b.limit {
			b.over, b.buf = true, nil
		} else {
			b.buf = append(b.buf, p[:n]...)
		}
	}
	if err == io.EOF {
		b.done = true
	}
	b.mu.Unlock()
	return n, err
}

func (b *sentBody) Close() error { return b.rc.Close() }

// bytes returns the whole body, and false unless it was read to its end
// within the limit.
func (b *sentBody) bytes() ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	// The base transport reads a body of known size to its size, not
	// always on to io.EOF.
	whole := b.done || b.size > 0 && int64(len(b.buf)) == b.size
	if !whole || b.over {
		return nil, false
	}
	return b.buf, true
}

func spanNameOf(r providers.Request) string {
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

// requestAttributes are the span attributes the request gives, named as
// stability s says.
func requestAttributes(r providers.Request, server string, port int, s semconv.Stability) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 16)
	attrs = append(attrs,
		semconv.GenAIOperationNameKey.String(r.Operation),
		semconv.GenAIProviderNameKey.String(r.Provider),
		semconv.ServerAddressKey.String(server),
		semconv.ServerPortKey.Int(port),
	)
	// The latest conventions set gen_ai.request.stream if and only if the
	// request streams; v1.41.0 had it false too.
	if r.Stream || s.EmitsDefault() {
		attrs = append(attrs, semconv.GenAIRequestStreamKey.Bool(r.Stream))
	}
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
		attrs = appendTopK(attrs, &r, s)
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
	// The latest conventions leave out a choice count of 1.
	if r.ChoiceCount != nil && (*r.ChoiceCount != 1 || s.EmitsDefault()) {
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
