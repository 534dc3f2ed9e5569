package gemini

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Provider names, from package providers.
const (
	// ProviderGemini is the Gemini Developer API (generativelanguage.googleapis.com).
	ProviderGemini = providers.ProviderGCPGemini
	// ProviderVertexAI is Gemini on Vertex AI (aiplatform.googleapis.com).
	ProviderVertexAI = providers.ProviderGCPVertexAI
)

// Provider recognises Gemini API and Vertex AI Gemini calls. Create it with
// [New]; it is stateless and safe for concurrent use.
type Provider struct{}

// New returns the Gemini provider.
func New() *Provider { return &Provider{} }

// Name returns "gemini".
func (*Provider) Name() string { return "gemini" }

// method is the custom method after the colon of the model path segment.
type method uint8

const (
	methodGenerate method = iota + 1
	methodStreamGenerate
	methodEmbed
	methodBatchEmbed
	methodCountTokens
)

// Match recognises POST {version}/models/{model}:{method} (Gemini API; also
// tunedModels/{model}) and {version}/projects/{p}/locations/{l}/publishers/
// google/models/{model}:{method} (Vertex AI; also without the project and
// location, as Vertex AI express mode sends it), on any host, for the methods
// generateContent, streamGenerateContent, embedContent, batchEmbedContents and
// countTokens (operation count_tokens: a span and the duration metric, no
// usage, since it generates and bills nothing; its totalTokens is the size of
// the prompt it was given, not tokens used).
func (*Provider) Match(req *http.Request) providers.Call {
	if req.Method != http.MethodPost || req.URL == nil {
		return nil
	}
	path := req.URL.Path
	colon := strings.LastIndexByte(path, ':')
	slash := strings.LastIndexByte(path, '/')
	if colon < 0 || slash < 0 || colon < slash {
		return nil
	}
	var m method
	switch path[colon+1:] {
	case "generateContent":
		m = methodGenerate
	case "streamGenerateContent":
		m = methodStreamGenerate
	case "embedContent":
		m = methodEmbed
	case "batchEmbedContents":
		m = methodBatchEmbed
	case "countTokens":
		m = methodCountTokens
	default:
		return nil
	}
	model := path[slash+1 : colon]
	if model == "" {
		return nil
	}
	// What precedes the model: ".../{version}/models", ".../{version}/
	// tunedModels" or ".../{version}[/projects/{p}/locations/{l}]/publishers/google/models".
	prefix := path[:slash]
	collection := lastSegment(prefix)
	prefix = trimSegment(prefix)
	var provider string
	switch collection {
	case "tunedModels":
		if !isVersion(lastSegment(prefix)) {
			return nil
		}
		model = "tunedModels/" + model
		provider = ProviderGemini
	case "models":
		if isVersion(lastSegment(prefix)) {
			provider = ProviderGemini
			break
		}
		if lastSegment(prefix) != "google" {
			return nil
		}
		prefix = trimSegment(prefix)
		if lastSegment(prefix) != "publishers" {
			return nil
		}
		prefix = trimSegment(prefix)
		if !isVersion(lastSegment(prefix)) {
			// .../{version}/projects/{p}/locations/{l}
			if lastSegment(trimSegment(prefix)) != "locations" {
				return nil
			}
			prefix = trimSegment(trimSegment(prefix))
			if lastSegment(trimSegment(prefix)) != "projects" {
				return nil
			}
			prefix = trimSegment(trimSegment(prefix))
			if !isVersion(lastSegment(prefix)) {
				return nil
			}
		}
		provider = ProviderVertexAI
	default:
		return nil
	}
	// The host has the last word on which API this is, for the ambiguous
	// shapes (a Gemini-API-shaped path sent to Vertex AI, say).
	host := req.URL.Hostname()
	switch {
	case strings.HasSuffix(host, "aiplatform.googleapis.com"):
		provider = ProviderVertexAI
	case host == "generativelanguage.googleapis.com":
		provider = ProviderGemini
	}
	return &call{
		provider: provider,
		model:    model,
		method:   m,
		altSSE:   req.URL.Query().Get("alt") == "sse",
	}
}

func lastSegment(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

func trimSegment(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

func isVersion(s string) bool {
	switch s {
	case "v1", "v1beta", "v1alpha", "v1beta1":
		return true
	}
	return false
}

// call is one recognised Gemini call.
type call struct {
	provider string
	model    string
	method   method
	altSSE   bool

	// request is what Request returned.
	request providers.Request
	// capture is set by CaptureContent, with the limit of each value.
	capture bool
	limit   int
}

func (c *call) operation() string {
	switch c.method {
	case methodEmbed, methodBatchEmbed:
		return providers.OperationEmbeddings
	case methodCountTokens:
		return providers.OperationCountTokens
	}
	return providers.OperationGenerateContent
}

// generationConfig holds the parameters read from a request. Google's JSON
// mapping accepts both the lowerCamelCase and the snake_case field names, so
// both are read.
type generationConfig struct {
	Temperature     *float64 `json:"temperature"`
	TopP            *float64 `json:"topP"`
	TopPSnake       *float64 `json:"top_p"`
	TopK            *float64 `json:"topK"`
	TopKSnake       *float64 `json:"top_k"`
	MaxOutput       *int64   `json:"maxOutputTokens"`
	MaxOutputSnake  *int64   `json:"max_output_tokens"`
	Stop            []string `json:"stopSequences"`
	StopSnake       []string `json:"stop_sequences"`
	CandidateCount  *int64   `json:"candidateCount"`
	CandidateSnake  *int64   `json:"candidate_count"`
	Seed            *int64   `json:"seed"`
	Presence        *float64 `json:"presencePenalty"`
	PresenceSnake   *float64 `json:"presence_penalty"`
	Frequency       *float64 `json:"frequencyPenalty"`
	FrequencySnake  *float64 `json:"frequency_penalty"`
	Dimensions      *int64   `json:"outputDimensionality"`
	DimensionsSnake *int64   `json:"output_dimensionality"`
}

type requestBody struct {
	GenerationConfig      *generationConfig `json:"generationConfig"`
	GenerationConfigSnake *generationConfig `json:"generation_config"`
	// embedContent carries outputDimensionality at the top level (Gemini
	// API) or in config (Vertex); batchEmbedContents in each request.
	Dimensions      *int64            `json:"outputDimensionality"`
	DimensionsSnake *int64            `json:"output_dimensionality"`
	Requests        []json.RawMessage `json:"requests"`
}

// Request returns the URL facts (provider, operation, model, stream and its
// framing) and the generation parameters of body.
func (c *call) Request(body []byte) providers.Request {
	r := c.parseRequest(body)
	if c.captures() && len(body) > 0 {
		r.Content = requestContent(body, c.limit)
	}
	c.request = r
	return r
}

func (c *call) parseRequest(body []byte) providers.Request {
	r := providers.Request{
		Provider:  c.provider,
		Operation: c.operation(),
		Model:     c.model,
		Stream:    c.method == methodStreamGenerate,
	}
	if r.Stream && !c.altSSE {
		// Without ?alt=sse the stream is one JSON array, sent as
		// application/json.
		r.StreamFraming = providers.FramingJSONArray
	}
	if len(body) == 0 || c.method == methodCountTokens {
		return r
	}
	var rb requestBody
	members := jsonscan.Select(body, "generationConfig", "generation_config", "outputDimensionality", "output_dimensionality", "requests")
	if json.Unmarshal(members, &rb) != nil {
		return r
	}
	if c.operation() == providers.OperationEmbeddings {
		r.Dimensions = first(rb.Dimensions, rb.DimensionsSnake)
		if r.Dimensions == nil && len(rb.Requests) > 0 {
			var inner requestBody
			if json.Unmarshal(jsonscan.Select(rb.Requests[0], "outputDimensionality", "output_dimensionality"), &inner) == nil {
				r.Dimensions = first(inner.Dimensions, inner.DimensionsSnake)
			}
		}
		return r
	}
	g := rb.GenerationConfig
	if g == nil {
		g = rb.GenerationConfigSnake
	}
	if g == nil {
		return r
	}
	r.Temperature = g.Temperature
	r.TopP = first(g.TopP, g.TopPSnake)
	r.TopK = first(g.TopK, g.TopKSnake)
	r.MaxTokens = first(g.MaxOutput, g.MaxOutputSnake)
	r.StopSequences = g.Stop
	if r.StopSequences == nil {
		r.StopSequences = g.StopSnake
	}
	r.ChoiceCount = first(g.CandidateCount, g.CandidateSnake)
	r.Seed = g.Seed
	r.PresencePenalty = first(g.Presence, g.PresenceSnake)
	r.FrequencyPenalty = first(g.Frequency, g.FrequencySnake)
	return r
}

func first[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}
