package cohere

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// ProviderName is the gen_ai.provider.name of Cohere.
const ProviderName = providers.ProviderCohere

// Provider recognises Cohere chat and embed calls. Create it with [New]; it
// is stateless and safe for concurrent use.
type Provider struct{}

// New returns the Cohere provider.
func New() *Provider { return &Provider{} }

// Name returns "cohere".
func (*Provider) Name() string { return "cohere" }

type endpoint uint8

const (
	chatV2 endpoint = iota + 1
	embedV2
	chatV1
	embedV1
)

// Match recognises POST .../v2/chat and .../v2/embed on any host (the path
// must end there: /v2/chat/completions is not Cohere's), and the v1 API's
// .../v1/chat and .../v1/embed on Cohere's own hosts only, since those paths
// are too generic to claim elsewhere.
func (*Provider) Match(req *http.Request) providers.Call {
	if req.Method != http.MethodPost || req.URL == nil {
		return nil
	}
	path := req.URL.Path
	var e endpoint
	switch {
	case strings.HasSuffix(path, "/v2/chat"):
		e = chatV2
	case strings.HasSuffix(path, "/v2/embed"):
		e = embedV2
	case strings.HasSuffix(path, "/v1/chat") && isCohereHost(req.URL.Hostname()):
		e = chatV1
	case strings.HasSuffix(path, "/v1/embed") && isCohereHost(req.URL.Hostname()):
		e = embedV1
	default:
		return nil
	}
	return &call{endpoint: e}
}

func isCohereHost(host string) bool {
	return host == "cohere.com" || host == "cohere.ai" ||
		strings.HasSuffix(host, ".cohere.com") || strings.HasSuffix(host, ".cohere.ai")
}

// call is one recognised Cohere call.
type call struct {
	endpoint endpoint
	// request is what Request returned.
	request providers.Request
	// capture is set by CaptureContent, with the limit of each value.
	capture bool
	limit   int
}

func (c *call) embeddings() bool { return c.endpoint == embedV2 || c.endpoint == embedV1 }

type requestBody struct {
	Model            string   `json:"model"`
	Stream           bool     `json:"stream"`
	MaxTokens        *int64   `json:"max_tokens"`
	Temperature      *float64 `json:"temperature"`
	P                *float64 `json:"p"`
	K                *float64 `json:"k"`
	StopSequences    []string `json:"stop_sequences"`
	Seed             *int64   `json:"seed"`
	FrequencyPenalty *float64 `json:"frequency_penalty"`
	PresencePenalty  *float64 `json:"presence_penalty"`
	EmbeddingTypes   []string `json:"embedding_types"`
	OutputDimension  *int64   `json:"output_dimension"`
}

// Request returns the provider and operation and the parameters of body.
func (c *call) Request(body []byte) providers.Request {
	r := c.parseRequest(body)
	if c.capture && len(body) > 0 && !c.embeddings() {
		// Apart from the parameters: a parameter it cannot read does not
		// hide the messages.
		r.Content = requestContent(c.endpoint, body, c.limit)
	}
	c.request = r
	return r
}

func (c *call) parseRequest(body []byte) providers.Request {
	r := providers.Request{Provider: ProviderName, Operation: providers.OperationChat}
	switch {
	case c.embeddings():
		r.Operation = providers.OperationEmbeddings
	case c.endpoint == chatV1:
		// A v1 stream is one JSON event a line, sent as
		// application/stream+json.
		r.StreamFraming = providers.FramingNDJSON
	}
	if len(body) == 0 {
		return r
	}
	var rb requestBody
	members := jsonscan.Select(body, "model", "stream", "max_tokens", "temperature", "p", "k", "stop_sequences", "seed",
		"frequency_penalty", "presence_penalty", "embedding_types", "output_dimension")
	if json.Unmarshal(members, &rb) != nil {
		return r
	}
	r.Model = rb.Model
	if c.embeddings() {
		r.EncodingFormats = rb.EmbeddingTypes
		r.Dimensions = rb.OutputDimension
		return r
	}
	r.Stream = rb.Stream
	r.MaxTokens = rb.MaxTokens
	r.Temperature = rb.Temperature
	r.TopP = rb.P
	r.TopK = rb.K
	r.StopSequences = rb.StopSequences
	r.Seed = rb.Seed
	r.FrequencyPenalty = rb.FrequencyPenalty
	r.PresencePenalty = rb.PresencePenalty
	return r
}
