package fakellm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultAnswer is the fake's final answer unless Options.Answer is set.
const DefaultAnswer = "The ruby-throated hummingbird weighs about 3 grams, less than a nickel."

// DefaultToolArguments are the arguments of the tool calls the fake makes
// unless Options.ToolArguments is set.
const DefaultToolArguments = `{"query":"ruby-throated hummingbird weight"}`

// Options tune the fake. The zero value is a fake that answers every call
// with DefaultAnswer and counts tokens itself.
type Options struct {
	// ChunkDelay is slept before each stream chunk after the first, to
	// make time to first chunk and time per chunk visible in demos.
	// Default 0.
	ChunkDelay time.Duration

	// Answer is the assistant's final answer on every API. Default
	// DefaultAnswer.
	Answer string

	// ToolArguments is the JSON object the fake passes to the tool it
	// calls when a request offers tools. Default DefaultToolArguments.
	ToolArguments string

	// Usage chooses the usage an answer reports. It is called once per
	// call; when it returns false the fake counts the tokens itself (see
	// the package documentation). A request's UsageHeader takes precedence
	// over it. Default nil: the fake counts.
	Usage func(Request) (Usage, bool)

	// Fault, when it returns a non-nil Fault, makes the fake answer the
	// call with that error instead of a model's answer. It is consulted
	// after the faults queued with Server.FailNext. Default nil: no
	// faults.
	Fault func(Request) *Fault

	// RateLimit is the rate-limit state the fake announces in the headers
	// of every answer, successful or not, on the APIs that send them
	// (OpenAI, Azure OpenAI, Anthropic). Default nil: no rate-limit
	// headers.
	RateLimit *RateLimit

	// Recorded makes the fake answer the APIs it holds recorded payloads
	// for (OpenAI Responses and Embeddings, Bedrock, Gemini and Vertex AI,
	// Cohere, Ollama) with those payloads byte for byte, whatever the
	// request asked: Answer, ToolArguments and Usage do not apply to them.
	// OpenAI Chat Completions, legacy Completions and Anthropic Messages
	// are always generated. Default false.
	Recorded bool
}

// API names an endpoint the fake serves.
type API string

// The endpoints the fake serves.
const (
	OpenAIChat                  API = "openai.chat_completions"
	OpenAICompletions           API = "openai.completions"
	OpenAIResponses             API = "openai.responses"
	OpenAIEmbeddings            API = "openai.embeddings"
	AnthropicMessages           API = "anthropic.messages"
	BedrockConverse             API = "bedrock.converse"
	BedrockConverseStream       API = "bedrock.converse_stream"
	BedrockInvoke               API = "bedrock.invoke_model"
	BedrockInvokeStream         API = "bedrock.invoke_model_with_response_stream"
	GeminiGenerateContent       API = "gemini.generate_content"
	GeminiStreamGenerateContent API = "gemini.stream_generate_content"
	CohereChat                  API = "cohere.chat"
	OllamaChat                  API = "ollama.chat"
	OllamaGenerate              API = "ollama.generate"
	OllamaEmbed                 API = "ollama.embed"
)

// Providers a Request can come from: the gen_ai.provider.name values of
// the APIs the fake serves, decided by the request's path.
const (
	ProviderOpenAI    = "openai"
	ProviderAzure     = "azure.ai.openai"
	ProviderAnthropic = "anthropic"
	ProviderBedrock   = "aws.bedrock"
	ProviderGemini    = "gcp.gemini"
	ProviderVertexAI  = "gcp.vertex_ai"
	ProviderCohere    = "cohere"
	ProviderOllama    = "ollama"
)

// Request is one call the fake received, as Options.Usage, Options.Fault
// and Server.Requests see it.
type Request struct {
	// Seq numbers the server's calls from 1, in the order they arrived.
	Seq int
	// API is the endpoint called.
	API API
	// Provider is the provider whose API the path belongs to (one of the
	// Provider constants).
	Provider string
	// Model is the model the request asked for: from the body, or from the
	// path where the API puts it there (Bedrock, Gemini, Vertex AI, an
	// Azure deployment when the body names none).
	Model string
	// Stream tells whether the request asked for a streamed answer.
	Stream bool
	// Method and Path are the request's method and URL path; Query its
	// raw query.
	Method, Path, Query string
	// Header holds the request's headers.
	Header http.Header
	// Body is the request's body.
	Body []byte
}

// Server is a running fake, listening on loopback.
type Server struct {
	*httptest.Server
	fake *fake
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer(opts ...Options) *Server {
	f := newFake(opts)
	return &Server{Server: httptest.NewServer(f.handler()), fake: f}
}

// Handler returns the fake as an http.Handler, for tests that run their own
// server. Server.FailNext and Server.Requests need a Server; Options.Fault
// works with either.
func Handler(opts ...Options) http.Handler { return newFake(opts).handler() }

// OpenAIBaseURL is the base URL to give an OpenAI client (…/v1): Chat
// Completions, legacy Completions, Responses and Embeddings. Clients of
// OpenAI-compatible servers (Ollama's /v1, vLLM, …) use it too.
func (s *Server) OpenAIBaseURL() string { return s.URL + "/v1" }

// AzureOpenAIEndpoint is the endpoint to give an Azure OpenAI client that
// uses the deployment form of the API
// (/openai/deployments/{deployment}/chat/completions?api-version=…), such as
// openai-go's azure.WithEndpoint or go-openai's DefaultAzureConfig. The
// deployment name stands for the model when the body names none.
func (s *Server) AzureOpenAIEndpoint() string { return s.URL }

// AzureOpenAIV1BaseURL is the base URL of Azure OpenAI's v1 API
// (…/openai/v1), to give a plain OpenAI client.
func (s *Server) AzureOpenAIV1BaseURL() string { return s.URL + "/openai/v1" }

// AnthropicBaseURL is the base URL to give an Anthropic client (the client
// adds /v1/messages).
func (s *Server) AnthropicBaseURL() string { return s.URL }

// BedrockEndpoint is the endpoint to give aws-sdk-go-v2's bedrockruntime
// client as its BaseEndpoint option. The fake does not check signatures:
// any static credentials do.
func (s *Server) BedrockEndpoint() string { return s.URL }

// GeminiBaseURL is the base URL to give a Gemini API client, such as
// google.golang.org/genai's HTTPOptions.BaseURL with BackendGeminiAPI (the
// client adds /v1beta/models/{model}:generateContent).
func (s *Server) GeminiBaseURL() string { return s.URL }

// VertexAIBaseURL is the base URL to give a Vertex AI client, such as
// google.golang.org/genai's HTTPOptions.BaseURL with BackendVertexAI (the
// client adds /v1beta1/projects/{p}/locations/{l}/publishers/google/models/…).
func (s *Server) VertexAIBaseURL() string { return s.URL }

// CohereBaseURL is the base URL to give a Cohere client (the client adds
// /v2/chat).
func (s *Server) CohereBaseURL() string { return s.URL }

// OllamaBaseURL is the base URL to give an Ollama client (the client adds
// /api/chat, /api/generate, /api/embed).
func (s *Server) OllamaBaseURL() string { return s.URL }

// ArkBaseURL is the base URL to give a Volcengine Ark client (…/api/v3); Ark
// speaks the OpenAI Chat Completions dialect.
func (s *Server) ArkBaseURL() string { return s.URL + "/api/v3" }

// FailNext makes the server answer its next n calls, whatever their API,
// with f; the calls after them are answered as usual. Calls to FailNext add
// up: FailNext(2, a) then FailNext(1, b) fails two calls with a, then one
// with b.
func (s *Server) FailNext(n int, f Fault) {
	s.fake.mu.Lock()
	defer s.fake.mu.Unlock()
	for range n {
		s.fake.faults = append(s.fake.faults, f)
	}
}

// Requests returns the calls the server has received so far, in order,
// failed ones included. The server keeps every request, body and all, for
// as long as it runs.
func (s *Server) Requests() []Request {
	s.fake.mu.Lock()
	defer s.fake.mu.Unlock()
	return append([]Request(nil), s.fake.requests...)
}

type fake struct {
	opts Options

	mu       sync.Mutex
	seq      int
	requests []Request
	faults   []Fault
}

func newFake(opts []Options) *fake {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Answer == "" {
		o.Answer = DefaultAnswer
	}
	if o.ToolArguments == "" {
		o.ToolArguments = DefaultToolArguments
	}
	return &fake{opts: o}
}

func (f *fake) handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range []struct {
		pattern  string
		api      API
		provider string
		serve    func(*fake, *call)
	}{
		{"POST /v1/chat/completions", OpenAIChat, ProviderOpenAI, (*fake).openAIChat},
		{"POST /v1/completions", OpenAICompletions, ProviderOpenAI, (*fake).openAICompletions},
		{"POST /v1/responses", OpenAIResponses, ProviderOpenAI, (*fake).openAIResponses},
		{"POST /v1/embeddings", OpenAIEmbeddings, ProviderOpenAI, (*fake).openAIEmbeddings},
		{"POST /openai/deployments/{deployment}/chat/completions", OpenAIChat, ProviderAzure, (*fake).openAIChat},
		{"POST /openai/deployments/{deployment}/completions", OpenAICompletions, ProviderAzure, (*fake).openAICompletions},
		{"POST /openai/deployments/{deployment}/embeddings", OpenAIEmbeddings, ProviderAzure, (*fake).openAIEmbeddings},
		{"POST /openai/v1/chat/completions", OpenAIChat, ProviderAzure, (*fake).openAIChat},
		{"POST /openai/v1/completions", OpenAICompletions, ProviderAzure, (*fake).openAICompletions},
		{"POST /openai/v1/responses", OpenAIResponses, ProviderAzure, (*fake).openAIResponses},
		{"POST /openai/v1/embeddings", OpenAIEmbeddings, ProviderAzure, (*fake).openAIEmbeddings},
		{"POST /api/v3/chat/completions", OpenAIChat, ProviderOpenAI, (*fake).openAIChat},
		{"POST /v1/messages", AnthropicMessages, ProviderAnthropic, (*fake).anthropicMessages},
		{"POST /model/{model}/converse", BedrockConverse, ProviderBedrock, (*fake).bedrockConverse},
		{"POST /model/{model}/converse-stream", BedrockConverseStream, ProviderBedrock, (*fake).bedrockConverse},
		{"POST /model/{model}/invoke", BedrockInvoke, ProviderBedrock, (*fake).bedrockInvoke},
		{"POST /model/{model}/invoke-with-response-stream", BedrockInvokeStream, ProviderBedrock, (*fake).bedrockInvoke},
		{"POST /v2/chat", CohereChat, ProviderCohere, (*fake).cohereChat},
		{"POST /api/chat", OllamaChat, ProviderOllama, (*fake).ollamaChat},
		{"POST /api/generate", OllamaGenerate, ProviderOllama, (*fake).ollamaGenerate},
		{"POST /api/embed", OllamaEmbed, ProviderOllama, (*fake).ollamaEmbed},
	} {
		mux.HandleFunc(r.pattern, func(w http.ResponseWriter, req *http.Request) {
			f.handle(w, req, r.api, r.provider, r.serve)
		})
	}
	// Gemini and Vertex AI put the model and the method in one path
	// segment ("models/gemini-2.5-flash:generateContent"), which a
	// ServeMux pattern cannot match.
	mux.HandleFunc("POST /", func(w http.ResponseWriter, req *http.Request) {
		path := req.URL.Path
		provider := ProviderGemini
		if strings.Contains(path, "/projects/") {
			provider = ProviderVertexAI
		}
		switch {
		case strings.HasSuffix(path, ":generateContent") && strings.Contains(path, "/models/"):
			f.handle(w, req, GeminiGenerateContent, provider, (*fake).gemini)
		case strings.HasSuffix(path, ":streamGenerateContent") && strings.Contains(path, "/models/"):
			f.handle(w, req, GeminiStreamGenerateContent, provider, (*fake).gemini)
		default:
			writeJSON(w, http.StatusNotFound, nil, obj{{"error", obj{
				{"message", "fakellm: no API at POST " + path}, {"type", "invalid_request_error"}}}})
		}
	})
	return mux
}

// call is one request being answered.
type call struct {
	Request
	w http.ResponseWriter
	r *http.Request
	// chosen is the usage the test chose for this call, nil when the fake
	// counts.
	chosen *Usage
}

func (f *fake) handle(w http.ResponseWriter, r *http.Request, api API, provider string, serve func(*fake, *call)) {
	body, err := io.ReadAll(r.Body)
	c := &call{w: w, r: r, Request: Request{
		API: api, Provider: provider, Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
		Header: r.Header.Clone(), Body: body,
	}}
	c.Model, c.Stream = requestModel(c, r)

	f.mu.Lock()
	f.seq++
	c.Seq = f.seq
	f.requests = append(f.requests, c.Request)
	var fault *Fault
	if len(f.faults) > 0 {
		fault = &f.faults[0]
		f.faults = f.faults[1:]
	}
	f.mu.Unlock()

	if err != nil {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "fakellm: reading the request body: " + err.Error()})
		return
	}
	if fault == nil && f.opts.Fault != nil {
		fault = f.opts.Fault(c.Request)
	}
	if fault != nil {
		f.writeFault(c, *fault)
		return
	}
	if h := r.Header.Get(UsageHeader); h != "" {
		u, err := ParseUsage(h)
		if err != nil {
			f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "fakellm: " + UsageHeader + ": " + err.Error()})
			return
		}
		c.chosen = &u
	} else if f.opts.Usage != nil {
		if u, ok := f.opts.Usage(c.Request); ok {
			c.chosen = &u
		}
	}
	f.rateLimitHeaders(c, f.opts.RateLimit)
	serve(f, c)
}

// requestModel reads the model and the stream flag of a request, from its
// body or its path.
func requestModel(c *call, r *http.Request) (model string, stream bool) {
	var head struct {
		Model  string `json:"model"`
		Stream *bool  `json:"stream"`
	}
	_ = json.Unmarshal(c.Body, &head)
	model = head.Model
	stream = head.Stream != nil && *head.Stream
	switch c.API {
	case BedrockConverse, BedrockInvoke:
		return r.PathValue("model"), false
	case BedrockConverseStream, BedrockInvokeStream:
		return r.PathValue("model"), true
	case GeminiGenerateContent, GeminiStreamGenerateContent:
		path := r.URL.Path
		rest := path[strings.LastIndex(path, "/models/")+len("/models/"):]
		m, _ := url.PathUnescape(rest[:strings.LastIndexByte(rest, ':')])
		return m, c.API == GeminiStreamGenerateContent
	case OllamaChat, OllamaGenerate:
		return model, head.Stream == nil || *head.Stream // Ollama streams unless told not to
	}
	if model == "" {
		model = r.PathValue("deployment")
	}
	return model, stream
}

// reply is what the fake answers one call with: a text, or a call of the
// first tool the request offers.
type reply struct {
	text     string
	tool     string // "" for a text answer
	toolArgs string // a JSON object
	usage    Usage
}

// reply decides a call's answer. A request that offers a tool gets a call of
// it until the conversation holds a tool result, so that agent loops run;
// toolOutput is the output count of a tool call when the fake counts.
func (f *fake) reply(c *call, texts []string, offered string, sawResult bool, toolOutput int) reply {
	r := reply{text: f.opts.Answer, toolArgs: f.opts.ToolArguments}
	counted := Usage{InputTokens: countInput(texts), OutputTokens: len(strings.Fields(r.text))}
	if offered != "" && !sawResult {
		r.tool = offered
		counted.OutputTokens = toolOutput
	}
	r.usage = c.usageOr(counted)
	return r
}

func (c *call) usageOr(counted Usage) Usage {
	if c.chosen != nil {
		return *c.chosen
	}
	return counted
}

// id is a response id unique on this server: prefix and the call's number.
func (c *call) id(prefix string) string { return fmt.Sprintf("%sfake%06d", prefix, c.Seq) }

// uuid is a UUID-shaped id unique on this server, for the APIs whose ids
// are UUIDs.
func (c *call) uuid() string { return fmt.Sprintf("00000000-fa4e-4000-8000-%012d", c.Seq) }

// snapshots maps model aliases to the dated snapshot the real APIs answer
// with, so that the fake's responses name models the way the real ones do.
var snapshots = map[string]string{
	"gpt-4o-mini":       "gpt-4o-mini-2024-07-18",
	"gpt-4o":            "gpt-4o-2024-08-06",
	"gpt-4.1":           "gpt-4.1-2025-04-14",
	"gpt-4.1-mini":      "gpt-4.1-mini-2025-04-14",
	"gpt-4.1-nano":      "gpt-4.1-nano-2025-04-14",
	"gpt-5":             "gpt-5-2025-08-07",
	"gpt-5-nano":        "gpt-5-nano-2025-08-07",
	"gpt-5-mini":        "gpt-5-mini-2025-08-07",
	"o4-mini":           "o4-mini-2025-04-16",
	"claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
	"claude-haiku-4-5":  "claude-haiku-4-5-20251001",
	"claude-opus-4-1":   "claude-opus-4-1-20250805",
	"claude-3-5-haiku":  "claude-3-5-haiku-20241022",
}

// snapshot is the model name an OpenAI or Anthropic answer carries for a
// requested model: its dated snapshot when it is a known alias, the
// requested name otherwise.
func snapshot(model string) string {
	if s, ok := snapshots[model]; ok {
		return s
	}
	return model
}

// countInput is the fake's deterministic input token count: one token per
// four bytes of text, plus a fixed overhead per message.
func countInput(texts []string) int {
	n := 0
	for _, t := range texts {
		n += 4 + (len(t)+3)/4
	}
	return n
}

// words splits an answer into the pieces a stream sends: words, each with
// the space that follows it.
func words(s string) []string {
	fields := strings.Fields(s)
	for i := range fields[:max(len(fields)-1, 0)] {
		fields[i] += " "
	}
	return fields
}

func flush(w http.ResponseWriter) {
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
}

func (f *fake) pause() {
	if f.opts.ChunkDelay > 0 {
		time.Sleep(f.opts.ChunkDelay)
	}
}

// obj is a JSON object that keeps its keys in the order written, so that
// answers read like the real APIs' (encoding/json sorts map keys).
type obj []kv

type kv struct {
	k string
	v any
}

// MarshalJSON writes the object's members in order.
func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.k)
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(m.v)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal encodes v as the APIs do: without escaping <, > and &.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func mustMarshal(v any) []byte {
	b, err := marshal(v)
	if err != nil {
		panic(fmt.Sprintf("fakellm: encoding an answer: %v", err)) // only fakellm's own values are encoded
	}
	return b
}

// rawJSON is a JSON value the fake passes through, such as tool arguments.
type rawJSON string

// MarshalJSON returns the value itself, or {} when it is not valid JSON.
func (r rawJSON) MarshalJSON() ([]byte, error) {
	if !json.Valid([]byte(r)) {
		return []byte("{}"), nil
	}
	return []byte(r), nil
}

func writeJSON(w http.ResponseWriter, status int, header map[string]string, v any) {
	w.Header().Set("Content-Type", "application/json")
	for k, val := range header {
		w.Header().Set(k, val)
	}
	w.WriteHeader(status)
	_, _ = w.Write(mustMarshal(v))
}

// sse writes one server-sent event and flushes it.
func sse(w http.ResponseWriter, event string, v any) {
	if event != "" {
		fmt.Fprintf(w, "event: %s\n", event)
	}
	fmt.Fprintf(w, "data: %s\n\n", mustMarshal(v))
	flush(w)
}

// textsOf returns the text of a JSON content value: the string itself, or
// the raw JSON of anything else.
func textsOf(contents ...json.RawMessage) []string {
	var texts []string
	for _, c := range contents {
		var s string
		if json.Unmarshal(c, &s) == nil {
			texts = append(texts, s)
			continue
		}
		texts = append(texts, string(c))
	}
	return texts
}
