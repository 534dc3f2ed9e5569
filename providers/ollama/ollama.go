package ollama

import (
	"encoding/json"
	"net/http"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// ProviderName is the gen_ai.provider.name of Ollama.
const ProviderName = providers.ProviderOllama

// Provider recognises calls to Ollama's native API. Create it with [New]; it
// is stateless and safe for concurrent use.
type Provider struct{}

// New returns the Ollama provider.
func New() *Provider { return &Provider{} }

// Name returns "ollama".
func (*Provider) Name() string { return "ollama" }

type endpoint uint8

const (
	endpointChat endpoint = iota + 1
	endpointGenerate
	endpointEmbed
	endpointEmbeddings // the legacy /api/embeddings
)

// Match recognises POST /api/chat, /api/generate, /api/embed and
// /api/embeddings on any host (Ollama listens on localhost:11434 by default
// but is often elsewhere). The path must be exactly one of these: Ollama's
// OpenAI-compatible /v1/... endpoints belong to the OpenAI wire format.
func (*Provider) Match(req *http.Request) providers.Call {
	if req.Method != http.MethodPost || req.URL == nil {
		return nil
	}
	var e endpoint
	switch req.URL.Path {
	case "/api/chat":
		e = endpointChat
	case "/api/generate":
		e = endpointGenerate
	case "/api/embed":
		e = endpointEmbed
	case "/api/embeddings":
		e = endpointEmbeddings
	default:
		return nil
	}
	// Chat and generate stream unless the request says "stream": false.
	return &call{endpoint: e, stream: e == endpointChat || e == endpointGenerate}
}

// call is one recognised Ollama call.
type call struct {
	endpoint endpoint
	// stream is what the response is expected to be: a stream for chat
	// and generate, unless the body says "stream": false. It is what the
	// observer plans by when the body could not be read, while Request
	// reports no stream it was not asked for.
	stream bool
	// request is what Request returned.
	request providers.Request
	// capture is set by CaptureContent, with the limit of each value.
	capture bool
	limit   int
}

func (c *call) operation() string {
	switch c.endpoint {
	case endpointChat:
		return providers.OperationChat
	case endpointGenerate:
		return providers.OperationTextCompletion
	}
	return providers.OperationEmbeddings
}

type requestBody struct {
	Model      string `json:"model"`
	Stream     *bool  `json:"stream"`
	Dimensions *int64 `json:"dimensions"`
	Options    *struct {
		Temperature      *float64        `json:"temperature"`
		TopP             *float64        `json:"top_p"`
		TopK             *float64        `json:"top_k"`
		NumPredict       *int64          `json:"num_predict"`
		Stop             json.RawMessage `json:"stop"`
		Seed             *int64          `json:"seed"`
		FrequencyPenalty *float64        `json:"frequency_penalty"`
		PresencePenalty  *float64        `json:"presence_penalty"`
	} `json:"options"`
}

// Request returns the provider and operation and the model, stream flag and
// options of body. A chat or generate request without "stream" streams.
func (c *call) Request(body []byte) providers.Request {
	r := c.parseRequest(body)
	if c.capture && len(body) > 0 && (c.endpoint == endpointChat || c.endpoint == endpointGenerate) {
		// Apart from the parameters: an option it cannot read does not
		// hide the messages.
		r.Content = requestContent(c.endpoint, body, c.limit)
	}
	c.request = r
	return r
}

func (c *call) parseRequest(body []byte) providers.Request {
	r := providers.Request{Provider: ProviderName, Operation: c.operation()}
	if c.endpoint == endpointChat || c.endpoint == endpointGenerate {
		// Ollama streams NDJSON, sent as application/x-ndjson.
		r.StreamFraming = providers.FramingNDJSON
	}
	if len(body) == 0 {
		return r
	}
	var rb requestBody
	if json.Unmarshal(jsonscan.Select(body, "model", "stream", "dimensions", "options"), &rb) != nil {
		return r
	}
	r.Model = rb.Model
	if c.endpoint == endpointEmbed || c.endpoint == endpointEmbeddings {
		r.Dimensions = rb.Dimensions
		return r
	}
	if rb.Stream != nil {
		c.stream = *rb.Stream
	}
	r.Stream = c.stream
	if o := rb.Options; o != nil {
		r.Temperature = o.Temperature
		r.TopP = o.TopP
		r.TopK = o.TopK
		r.MaxTokens = o.NumPredict
		r.Seed = o.Seed
		r.FrequencyPenalty = o.FrequencyPenalty
		r.PresencePenalty = o.PresencePenalty
		r.StopSequences = stopSequences(o.Stop)
	}
	return r
}

// stopSequences reads options.stop, a list of strings (a single string is
// accepted too).
func stopSequences(raw json.RawMessage) []string {
	if len(raw) == 0 {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return list
	}
	var one string
	if json.Unmarshal(raw, &one) == nil && one != "" {
		return []string{one}
	}
	return nil
}
