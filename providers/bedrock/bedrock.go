package bedrock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/dialect/messages"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// ProviderName is the gen_ai.provider.name of every Bedrock call.
const ProviderName = providers.ProviderAWSBedrock

// Provider recognises Bedrock Runtime generation calls. The zero value is
// not usable; call [New].
type Provider struct{}

// New returns the Bedrock Runtime provider.
func New() *Provider { return &Provider{} }

var _ providers.Provider = (*Provider)(nil)

// Name returns "bedrock".
func (*Provider) Name() string { return "bedrock" }

// action is the API a path names.
type action uint8

const (
	converse action = iota
	converseStream
	invoke
	invokeStream
)

func (a action) streamed() bool { return a == converseStream || a == invokeStream }

// invokes reports the InvokeModel actions, whose bodies are model-native.
func (a action) invokes() bool { return a == invoke || a == invokeStream }

// Match recognises POST /model/{modelId}/{converse|converse-stream|invoke|invoke-with-response-stream}
// on any host.
func (*Provider) Match(req *http.Request) providers.Call {
	if req == nil || req.URL == nil || req.Method != http.MethodPost {
		return nil
	}
	path := req.URL.EscapedPath()
	rest, ok := strings.CutPrefix(path, "/model/")
	if !ok {
		return nil
	}
	slash := strings.IndexByte(rest, '/')
	if slash <= 0 {
		return nil
	}
	var a action
	switch rest[slash+1:] {
	case "converse":
		a = converse
	case "converse-stream":
		a = converseStream
	case "invoke":
		a = invoke
	case "invoke-with-response-stream":
		a = invokeStream
	default:
		return nil
	}
	model, err := url.PathUnescape(rest[:slash])
	if err != nil {
		model = rest[:slash]
	}
	c := &call{action: a, model: model}
	c.Request(nil)
	return c
}

// call is one recognised Bedrock call.
type call struct {
	action action
	model  string
	// request is what Request returned: until it is given the body, what
	// the URL says.
	request providers.Request
	// capture is set by CaptureContent, with the limit of each value.
	capture bool
	limit   int
}

// Request returns the URL facts and the generation parameters of the body:
// Converse's inferenceConfig, or the model-native fields of InvokeModel.
// The action says whether the response is a stream, and a stream is an
// AWS event stream.
func (c *call) Request(body []byte) providers.Request {
	r := providers.Request{
		Provider:  ProviderName,
		Operation: providers.OperationChat,
		Model:     c.model,
		Stream:    c.action.streamed(),
	}
	if r.Stream {
		r.StreamFraming = providers.FramingEventStream
	}
	switch {
	case body == nil:
	case c.action.invokes():
		parseInvokeRequest(body, &r)
	default:
		parseConverseRequest(body, &r)
	}
	if c.capture && body != nil {
		r.Content = c.requestContent(body)
	}
	c.request = r
	return r
}

func parseConverseRequest(body []byte, r *providers.Request) {
	var req struct {
		InferenceConfig struct {
			MaxTokens     *int64   `json:"maxTokens"`
			Temperature   *float64 `json:"temperature"`
			TopP          *float64 `json:"topP"`
			StopSequences []string `json:"stopSequences"`
		} `json:"inferenceConfig"`
		// Claude's top_k is only reachable through the model-specific fields.
		AdditionalModelRequestFields struct {
			TopK *float64 `json:"top_k"`
		} `json:"additionalModelRequestFields"`
	}
	if json.Unmarshal(jsonscan.Select(body, "inferenceConfig", "additionalModelRequestFields"), &req) != nil {
		return
	}
	ic := req.InferenceConfig
	r.MaxTokens, r.Temperature, r.TopP, r.StopSequences = ic.MaxTokens, ic.Temperature, ic.TopP, ic.StopSequences
	r.TopK = req.AdditionalModelRequestFields.TopK
}

// parseInvokeRequest reads the parameters of whichever model family the body
// is written for; the families' field names do not collide.
func parseInvokeRequest(body []byte, r *providers.Request) {
	var req struct {
		// Anthropic Messages (and Mistral, Cohere): snake_case at the top.
		MaxTokens     *int64   `json:"max_tokens"`
		Temperature   *float64 `json:"temperature"`
		TopP          *float64 `json:"top_p"`
		TopK          *float64 `json:"top_k"`
		StopSequences []string `json:"stop_sequences"`
		// Meta Llama.
		MaxGenLen *int64 `json:"max_gen_len"`
		// Amazon Nova.
		InferenceConfig *struct {
			MaxNewTokens  *int64   `json:"max_new_tokens"`
			Temperature   *float64 `json:"temperature"`
			TopP          *float64 `json:"top_p"`
			TopK          *float64 `json:"top_k"`
			StopSequences []string `json:"stopSequences"`
		} `json:"inferenceConfig"`
		// Amazon Titan Text.
		TextGenerationConfig *struct {
			MaxTokenCount *int64   `json:"maxTokenCount"`
			Temperature   *float64 `json:"temperature"`
			TopP          *float64 `json:"topP"`
			StopSequences []string `json:"stopSequences"`
		} `json:"textGenerationConfig"`
	}
	members := jsonscan.Select(body, "max_tokens", "temperature", "top_p", "top_k", "stop_sequences", "max_gen_len", "inferenceConfig", "textGenerationConfig")
	if json.Unmarshal(members, &req) != nil {
		return
	}
	switch {
	case req.InferenceConfig != nil:
		ic := req.InferenceConfig
		r.MaxTokens, r.Temperature, r.TopP, r.TopK, r.StopSequences = ic.MaxNewTokens, ic.Temperature, ic.TopP, ic.TopK, ic.StopSequences
	case req.TextGenerationConfig != nil:
		tc := req.TextGenerationConfig
		r.MaxTokens, r.Temperature, r.TopP, r.StopSequences = tc.MaxTokenCount, tc.Temperature, tc.TopP, tc.StopSequences
	default:
		r.MaxTokens, r.Temperature, r.TopP, r.TopK, r.StopSequences = req.MaxTokens, req.Temperature, req.TopP, req.TopK, req.StopSequences
		if req.MaxGenLen != nil {
			r.MaxTokens = req.MaxGenLen
		}
	}
}

// Observe returns the observer of the response body.
func (c *call) Observe(resp *http.Response) providers.Observer {
	d := &dialect{action: c.action, model: c.model}
	if c.capture {
		d.asm = providers.NewAssembler(c.limit)
		d.claude.CaptureContent(c.limit)
	}
	if resp != nil {
		d.status = resp.StatusCode
		d.requestID = resp.Header.Get("x-amzn-RequestId")
		d.errorType = errorTypeHeader(resp.Header.Get("x-amzn-ErrorType"))
		if c.action.invokes() && resp.StatusCode < 400 {
			d.headerUsage = headerUsage(resp.Header.Get("X-Amzn-Bedrock-Input-Token-Count"), resp.Header.Get("X-Amzn-Bedrock-Output-Token-Count"))
		}
	}
	return providers.NewObserver(resp, c.request, d)
}

// errorTypeHeader returns the error name of an x-amzn-ErrorType header,
// "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/".
func errorTypeHeader(h string) string {
	name, _, _ := strings.Cut(h, ":")
	return strings.TrimSpace(name)
}

// dialect reads the response of one call: a Converse or InvokeModel body,
// an error body, or the event stream of ConverseStream or
// InvokeModelWithResponseStream.
type dialect struct {
	action    action
	model     string
	status    int
	requestID string
	// errorType is the x-amzn-ErrorType header's, then an exception
	// frame's: Bedrock's own word beats an error event's inside a chunk.
	errorType string
	// headerUsage is what the X-Amzn-Bedrock-*-Token-Count headers of
	// InvokeModel counted: known whatever becomes of the body.
	headerUsage providers.Usage
	// parsed is set once a whole body has been read.
	parsed bool

	stopReason string          // ConverseStream, Nova and the other native streams
	native     counts          // ConverseStream metadata.usage, Nova metadata.usage
	metrics    counts          // amazon-bedrock-invocationMetrics
	claude     messages.Stream // the Anthropic events inside InvokeModel chunks

	decoded []byte       // reused for each chunk's base64-decoded bytes
	delta   encodedShape // the last output delta chunk read in full

	// asm assembles the answer of the families other than Claude when
	// the call captures content (nil otherwise); parts numbers the parts
	// of each message; answered is set once an answer's content was read.
	// Claude's answer is the messages dialect's: claudeOutput, a whole
	// body's, or the claude Stream's, once a Messages event was read
	// (claudeStream).
	asm          *providers.Assembler
	parts        []capture.Parts
	answered     bool
	claudeOutput []providers.Message
	claudeStream bool
}

// Reads reports the framings Bedrock uses: JSON documents and AWS event
// streams.
func (d *dialect) Reads(f providers.Framing) bool {
	return f == providers.FramingDocument || f == providers.FramingEventStream
}

// Finish names the response and chooses among the counts seen. Claude's
// body (and its stream's message_start) names the message and the model,
// which are kept; other families name neither, and get the request id and
// the model id of the path. An error names no model: none answered.
func (d *dialect) Finish(r *providers.Result) {
	r.RequestID = d.requestID
	if r.ID == "" {
		r.ID = d.requestID
	}
	switch {
	case d.status >= 400:
		r.Model = ""
	case r.Model == "":
		r.Model = d.model
	}
	if d.errorType != "" {
		r.ErrorType = d.errorType
	}
	if d.asm != nil {
		defer d.finishOutput(r) // once the stop reason is settled
	}
	if !r.Streamed {
		if !d.parsed {
			// The headers counted the tokens, whatever became of the body.
			r.Usage = d.headerUsage
		}
		return
	}
	if r.FinishReason(0) == "" && d.stopReason != "" {
		r.SetFinishReason(0, []byte(d.stopReason))
	}
	// Anthropic's and Nova's own counts include the cache, which the
	// invocation metrics do not break out.
	switch {
	case d.claude.Counts.HasCache():
		r.Usage = d.claude.Counts.Usage(providers.SourceStream)
	case d.native.HasCache():
		r.Usage = d.native.Usage(providers.SourceStream)
	case d.metrics.Any():
		r.Usage = d.metrics.Usage(providers.SourceStream)
	case d.claude.Counts.Any():
		r.Usage = d.claude.Counts.Usage(providers.SourceStream)
	case d.native.Any():
		r.Usage = d.native.Usage(providers.SourceStream)
	default:
		r.Usage = providers.Usage{}
	}
}
