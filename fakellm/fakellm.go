package fakellm

import (
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"
)

//go:embed recordings
var recordings embed.FS

// Server is a running fake, listening on loopback.
type Server struct {
	*httptest.Server
}

// Options tune the fake.
type Options struct {
	// ChunkDelay is slept between stream chunks, to make time to first
	// chunk and time per chunk visible in demos. Default 0.
	ChunkDelay time.Duration
	// Answer is the assistant's final answer. The default is a sentence
	// about hummingbirds.
	Answer string
}

// NewServer starts a fake on a loopback port. Close it when done.
func NewServer(opts ...Options) *Server {
	return &Server{Server: httptest.NewServer(Handler(opts...))}
}

// OpenAIBaseURL is the base URL to give an OpenAI client (…/v1).
func (s *Server) OpenAIBaseURL() string { return s.URL + "/v1" }

// DefaultAnswer is the fake's final answer unless Options.Answer is set.
const DefaultAnswer = "The ruby-throated hummingbird weighs about 3 grams, less than a nickel."

// Handler returns the fake as an http.Handler.
func Handler(opts ...Options) http.Handler {
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Answer == "" {
		o.Answer = DefaultAnswer
	}
	f := &fake{opts: o}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chat/completions", f.openAIChat)
	mux.HandleFunc("POST /openai/deployments/{deployment}/chat/completions", f.openAIChat)
	mux.HandleFunc("POST /v1/embeddings", f.recorded("embeddings.json", "application/json", nil))
	mux.HandleFunc("POST /v1/responses", f.openAIResponses)
	mux.HandleFunc("POST /v1/messages", f.anthropicMessages)
	mux.HandleFunc("POST /model/{model}/converse", f.recorded("converse_nonstream_titan_recorded.json", "application/json", map[string]string{"x-amzn-RequestId": "180bdcbc-0fea-4b99-a0f0-b858dd830a83"}))
	mux.HandleFunc("POST /model/{model}/converse-stream", f.recorded("converse_stream_titan_recorded.bin", "application/vnd.amazon.eventstream", map[string]string{"x-amzn-RequestId": "3f5d2b0e-bedrock-stream"}))
	mux.HandleFunc("POST /model/{model}/invoke", f.recorded("invoke_model_claude_recorded.json", "application/json", map[string]string{
		"X-Amzn-Bedrock-Input-Token-Count":  "14",
		"X-Amzn-Bedrock-Output-Token-Count": "21",
		"X-Amzn-Bedrock-Invocation-Latency": "613",
		"x-amzn-RequestId":                  "bc2b1ab1-fake-invoke",
	}))
	mux.HandleFunc("POST /model/{model}/invoke-with-response-stream", f.recorded("invoke_with_response_stream_claude_recorded.bin", "application/vnd.amazon.eventstream", nil))
	mux.HandleFunc("POST /v2/chat", f.cohereChat)
	mux.HandleFunc("POST /api/chat", f.ollamaChat)
	mux.HandleFunc("POST /api/generate", f.recorded("api_generate_stream_from_docs.ndjson", "application/x-ndjson", nil))
	mux.HandleFunc("POST /api/embed", f.recorded("api_embed_from_docs.json", "application/json", nil))
	mux.HandleFunc("POST /", f.gemini)
	return mux
}

type fake struct{ opts Options }

func (f *fake) recorded(name, contentType string, headers map[string]string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		serveRecording(w, name, contentType, headers)
	}
}

func serveRecording(w http.ResponseWriter, name, contentType string, headers map[string]string) {
	b, err := recordings.ReadFile("recordings/" + name)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	for k, v := range headers {
		w.Header().Set(k, v)
	}
	_, _ = w.Write(b)
}

// gemini answers Gemini API and Vertex AI generateContent calls.
func (f *fake) gemini(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	switch {
	case strings.HasSuffix(r.URL.Path, ":streamGenerateContent"):
		serveRecording(w, "vertex_gemini_streamGenerateContent_alt_sse_recorded.sse", "text/event-stream", nil)
	case strings.HasSuffix(r.URL.Path, ":generateContent"):
		serveRecording(w, "vertex_gemini_generateContent_recorded.json", "application/json", nil)
	default:
		writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"code": 404, "status": "NOT_FOUND", "message": "fakellm: no such endpoint"}})
	}
}

func (f *fake) cohereChat(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Stream bool `json:"stream"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	if req.Stream {
		serveRecording(w, "v2_chat_stream_sdk_wiremock.sse", "text/event-stream", nil)
		return
	}
	serveRecording(w, "v2_chat_nonstream_sdk_wiremock.json", "application/json", nil)
}

func (f *fake) ollamaChat(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Stream *bool `json:"stream"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	if req.Stream == nil || *req.Stream { // Ollama streams unless told not to
		serveRecording(w, "api_chat_stream_from_docs.ndjson", "application/x-ndjson", nil)
		return
	}
	serveRecording(w, "api_chat_nonstream_from_docs.json", "application/json", nil)
}

func (f *fake) openAIResponses(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Stream bool `json:"stream"`
	}
	_ = json.NewDecoder(r.Body).Decode(&req)
	if req.Stream {
		serveRecording(w, "responses_stream.sse", "text/event-stream", nil)
		return
	}
	serveRecording(w, "responses_nonstream_text.json", "application/json", nil)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// snapshots maps model aliases to the dated snapshot the real APIs answer
// with, so that the fake's responses name models the way the real ones do.
var snapshots = map[string]string{
	"gpt-4o-mini":       "gpt-4o-mini-2024-07-18",
	"gpt-4o":            "gpt-4o-2024-08-06",
	"gpt-4.1-mini":      "gpt-4.1-mini-2025-04-14",
	"gpt-5-nano":        "gpt-5-nano-2025-08-07",
	"gpt-5-mini":        "gpt-5-mini-2025-08-07",
	"o4-mini":           "o4-mini-2025-04-16",
	"claude-sonnet-4-5": "claude-sonnet-4-5-20250929",
	"claude-haiku-4-5":  "claude-haiku-4-5-20251001",
	"claude-3-5-haiku":  "claude-3-5-haiku-20241022",
}

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

func words(s string) []string {
	fields := strings.Fields(s)
	for i := range fields[:len(fields)-1] {
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

func sse(w http.ResponseWriter, event string, v any) {
	b, _ := json.Marshal(v)
	if event != "" {
		fmt.Fprintf(w, "event: %s\n", event)
	}
	fmt.Fprintf(w, "data: %s\n\n", b)
	flush(w)
}
