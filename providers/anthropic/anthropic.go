package anthropic

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/messages"
)

// Provider names, as gen_ai.provider.name values.
const (
	// ProviderName is the provider of first-party Anthropic API calls.
	ProviderName = providers.ProviderAnthropic
	// VertexProviderName is the provider of Claude calls through Vertex AI.
	VertexProviderName = providers.ProviderGCPVertexAI
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
	// This runs for every request the transport sees: no allocation, and
	// the header looked up by its canonical key directly.
	host := req.URL.Hostname()
	path := req.URL.Path
	if strings.HasSuffix(path, "/v1/messages") &&
		(path == "/v1/messages" && strings.EqualFold(host, "api.anthropic.com") || len(req.Header[versionHeader]) > 0) {
		return newCall(ProviderName, "", false)
	}
	if strings.EqualFold(host, "aiplatform.googleapis.com") || hasSuffixFold(host, "-aiplatform.googleapis.com") {
		return matchVertex(req.URL)
	}
	return nil
}

// versionHeader is the canonical form of the anthropic-version header every
// Messages call carries.
const versionHeader = "Anthropic-Version"

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
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
	return newCall(VertexProviderName, model, stream)
}

// newCall returns a call whose Request, until Request is given the body,
// is what the URL says.
func newCall(provider, model string, stream bool) *call {
	c := &call{provider: provider, model: model, stream: stream}
	c.Request(nil)
	return c
}

// call is one recognised Messages call.
type call struct {
	provider string
	model    string // from the URL (Vertex AI)
	stream   bool   // the URL asks for a stream (Vertex AI's streamRawPredict)
	// request is what Request returned.
	request providers.Request
	// capture is the content capture limit, 0 when content is not
	// captured.
	capture int
}

var _ providers.ContentCapturer = (*call)(nil)

// CaptureContent makes the call capture the request's system, messages and
// tools, and the answer's content blocks, full or streamed.
func (c *call) CaptureContent(limit int) { c.capture = max(limit, 1) }

// Request returns the provider, the operation, and what the body says.
// When the body could not be read, whether it asked for a stream is not
// known (unless the URL says so): the response's first byte will tell.
func (c *call) Request(body []byte) providers.Request {
	r := providers.Request{
		Provider:  c.provider,
		Operation: providers.OperationChat,
		Model:     c.model,
		Stream:    c.stream,
	}
	if body == nil || !messages.ParseRequest(body, &r) {
		r.StreamUnknown = !r.Stream
	} else if c.capture > 0 {
		r.Content = messages.RequestContent(body, c.capture)
	}
	if c.model != "" {
		r.Model = c.model // the URL names the model served
	}
	c.request = r
	return r
}

// Observe returns the observer of the response body.
func (c *call) Observe(resp *http.Response) providers.Observer {
	d := &dialect{capture: c.capture}
	if resp != nil {
		d.status = resp.StatusCode
	}
	if c.capture > 0 {
		d.stream.CaptureContent(c.capture)
	}
	return providers.NewObserver(resp, c.request, d)
}

// dialect reads one response: a full Messages body, an error body, or a
// Messages stream.
type dialect struct {
	status  int
	stream  messages.Stream
	capture int // the content capture limit, 0 when off
}

// Reads reports the framings of the Messages API: documents and
// Server-Sent Events.
func (d *dialect) Reads(f providers.Framing) bool {
	return f == providers.FramingDocument || f == providers.FramingSSE
}

// Document reads a full response body or an error body.
func (d *dialect) Document(doc []byte, r *providers.Result) {
	msg, ok := messages.ParseMessage(doc)
	if !ok {
		r.Problem(providers.ProblemNotJSONDocument)
		return
	}
	if d.status >= 400 {
		r.ErrorType = messages.ErrorType(doc)
		return
	}
	r.ErrorType = msg.ErrorType
	r.ID = msg.ID
	r.Model = msg.Model
	if msg.StopReason != "" {
		r.FinishReasons = []string{msg.StopReason}
	}
	r.Usage = msg.Counts.Usage(providers.SourceResponseBody)
	if d.capture > 0 && msg.ErrorType == "" {
		r.Output = messages.OutputContent(doc, d.capture)
	}
}

// Event reads one stream event.
func (d *dialect) Event(ev *providers.Event, r *providers.Result) {
	d.stream.Event(ev.Data, r)
}

// Finish hands over the answer a captured stream reassembled.
func (d *dialect) Finish(r *providers.Result) {
	if r.Streamed && d.stream.Capturing() {
		r.Output = d.stream.Output()
	}
}
