package bedrock

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// ProviderName is the gen_ai.provider.name of every Bedrock call.
const ProviderName = "aws.bedrock"

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
	return &call{action: a, model: model}
}

// call is one recognised Bedrock call.
type call struct {
	action action
	model  string
}

// Request returns the URL facts and the generation parameters of the body:
// Converse's inferenceConfig, or the model-native fields of InvokeModel.
func (c *call) Request(body []byte) providers.Request {
	r := providers.Request{
		Provider:  ProviderName,
		Operation: providers.OperationChat,
		Model:     c.model,
		Stream:    c.action.streamed(),
	}
	if body == nil {
		return r
	}
	if c.action == converse || c.action == converseStream {
		parseConverseRequest(body, &r)
	} else {
		parseInvokeRequest(body, &r)
	}
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
	requested := providers.NotStream
	if c.action.streamed() {
		requested = providers.EventStream
	}
	base := observerBase{
		action:    c.action,
		status:    resp.StatusCode,
		model:     c.model,
		requestID: resp.Header.Get("x-amzn-RequestId"),
		errorType: errorTypeHeader(resp.Header.Get("x-amzn-ErrorType")),
	}
	if providers.StreamKindOf(resp, requested) == providers.EventStream {
		return newStreamObserver(base)
	}
	base.inputHeader = resp.Header.Get("X-Amzn-Bedrock-Input-Token-Count")
	base.outputHeader = resp.Header.Get("X-Amzn-Bedrock-Output-Token-Count")
	return &bodyObserver{observerBase: base}
}

// errorTypeHeader returns the error name of an x-amzn-ErrorType header,
// "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/".
func errorTypeHeader(h string) string {
	name, _, _ := strings.Cut(h, ":")
	return strings.TrimSpace(name)
}

// observerBase is what both observers know before the body.
type observerBase struct {
	action    action
	status    int
	model     string
	requestID string
	errorType string // from the x-amzn-ErrorType header

	inputHeader, outputHeader string
}

func (b *observerBase) response() providers.Response {
	return providers.Response{ID: b.requestID, Model: b.model, ErrorType: b.errorType}
}
