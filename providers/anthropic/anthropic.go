package anthropic

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/messages"
	"github.com/otelllm/otelllm/providers/internal/framing"
)

// Provider names, as gen_ai.provider.name values.
const (
	// ProviderName is the provider of first-party Anthropic API calls.
	ProviderName = "anthropic"
	// VertexProviderName is the provider of Claude calls through Vertex AI.
	VertexProviderName = "gcp.vertex_ai"
)

// Provider recognises Anthropic Messages calls. The zero value is not
// usable; call [New].
type Provider struct{}

// New returns the Anthropic Messages provider.
func New() *Provider { return &Provider{} }

var _ providers.Provider = (*Provider)(nil)

// Name returns "anthropic".
func (*Provider) Name() string { return "anthropic" }

// Match recognises POST /v1/messages on api.anthropic.com (or any host when
// the anthropic-version header is set) and Claude rawPredict and
// streamRawPredict calls on Vertex AI.
func (*Provider) Match(req *http.Request) providers.Call {
	if req == nil || req.URL == nil || req.Method != http.MethodPost {
		return nil
	}
	host := strings.ToLower(req.URL.Hostname())
	path := req.URL.Path
	if host == "api.anthropic.com" && path == "/v1/messages" ||
		strings.HasSuffix(path, "/v1/messages") && req.Header.Get("anthropic-version") != "" {
		return &call{provider: ProviderName}
	}
	if host == "aiplatform.googleapis.com" || strings.HasSuffix(host, "-aiplatform.googleapis.com") {
		return matchVertex(req.URL)
	}
	return nil
}

// matchVertex recognises
// /v1/projects/{p}/locations/{l}/publishers/anthropic/models/{model}:{method}.
func matchVertex(u *url.URL) providers.Call {
	const marker = "/publishers/anthropic/models/"
	path := u.EscapedPath()
	i := strings.LastIndex(path, marker)
	if i < 0 {
		return nil
	}
	rest := path[i+len(marker):]
	colon := strings.LastIndexByte(rest, ':')
	if colon <= 0 || strings.IndexByte(rest, '/') >= 0 {
		return nil
	}
	var stream bool
	switch rest[colon+1:] {
	case "rawPredict":
	case "streamRawPredict":
		stream = true
	default:
		return nil
	}
	model, err := url.PathUnescape(rest[:colon])
	if err != nil {
		model = rest[:colon]
	}
	return &call{provider: VertexProviderName, model: model, stream: stream}
}

// call is one recognised Messages call.
type call struct {
	provider string
	model    string // from the URL (Vertex AI)
	stream   bool   // the request asked for a stream
	parsed   bool   // the request body was read
}

// Request returns the provider, the operation, and what the body says.
func (c *call) Request(body []byte) providers.Request {
	r := providers.Request{
		Provider:  c.provider,
		Operation: providers.OperationChat,
		Model:     c.model,
		Stream:    c.stream,
	}
	if body != nil && messages.ParseRequest(body, &r) {
		c.parsed = true
		if c.model != "" {
			r.Model = c.model // the URL names the model served
		}
		c.stream = r.Stream
	}
	return r
}

// Observe returns the observer of the response body.
func (c *call) Observe(resp *http.Response) providers.Observer {
	o := &observer{status: resp.StatusCode}
	requested := providers.NotStream
	if c.stream {
		requested = providers.SSEStream
	}
	o.kind = providers.StreamKindOf(resp, requested)
	// When neither the Content-Type nor the request settled it, the first
	// byte of the body will.
	o.sniff = !c.parsed && !c.stream &&
		providers.StreamKindOf(resp, providers.SSEStream) != providers.StreamKindOf(resp, providers.NotStream)
	if o.kind == providers.SSEStream {
		o.startStream()
	}
	return o
}

// observer reads one response body: a full JSON body, buffered up to
// providers.MaxBufferedBody, or an SSE stream, framed as it arrives.
type observer struct {
	status int
	kind   providers.StreamKind
	sniff  bool

	body providers.BodyBuffer

	sse    *framing.SSE
	stream messages.Stream
}

func (o *observer) startStream() {
	o.kind = providers.SSEStream
	o.sse = framing.NewSSE(0, func(_, data []byte) { o.stream.Event(data) })
}

// Write shows the observer the next bytes of the body.
func (o *observer) Write(p []byte) {
	if o.sniff {
		// Leading blank space means nothing to either framing: drop it.
		p = bytes.TrimLeft(p, " \t\r\n")
		if len(p) == 0 {
			return
		}
		o.sniff = false
		switch p[0] {
		case 'e', 'd', 'i', ':': // "event:", "data:", "id:", a ":" comment
			o.startStream()
		}
	}
	if o.sse != nil {
		o.sse.Write(p)
		return
	}
	o.body.Write(p)
}

// Chunks reports the output-bearing stream events seen.
func (o *observer) Chunks() int { return o.stream.Chunks }

// Model names the response model once message_start did.
func (o *observer) Model() string { return o.stream.Model }

// Finish returns what the body said.
func (o *observer) Finish(complete bool) providers.Response {
	if o.sse != nil {
		return o.finishStream(complete)
	}
	return o.finishBody(complete)
}

func (o *observer) finishStream(complete bool) providers.Response {
	if complete {
		o.sse.End()
	}
	r := o.stream.Result(providers.SourceStream)
	r.Complete = o.stream.Stopped || o.stream.Failed
	switch {
	case complete && !o.stream.Stopped && !o.stream.Failed:
		r.ObserveError = "stream ended before its final event"
	case o.stream.Malformed > 0:
		r.ObserveError = "stream event is not valid JSON"
	}
	return r
}

func (o *observer) finishBody(complete bool) providers.Response {
	var r providers.Response
	body, problem := o.body.Document()
	if problem != "" {
		// A body closed early is not a malformed one.
		if complete || o.body.Over() {
			r.ObserveError = problem
		}
		return r
	}
	r.Complete = true
	msg, ok := messages.ParseMessage(body)
	if !ok {
		r.ObserveError = "response is not a JSON object"
		return r
	}
	if o.status >= 400 {
		r.ErrorType = messages.ErrorType(body)
		return r
	}
	r.ErrorType = msg.ErrorType
	r.ID = msg.ID
	r.Model = msg.Model
	if msg.StopReason != "" {
		r.FinishReasons = []string{msg.StopReason}
	}
	r.Usage = msg.Counts.Usage(providers.SourceResponseBody)
	return r
}
