package fakellm

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func post(t *testing.T, url, body string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, string(b)
}

func TestOpenAIChat(t *testing.T) {
	s := NewServer()
	defer s.Close()
	resp, body := post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi there"}]}`)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var out struct {
		Model   string `json:"model"`
		Choices []struct {
			Message      struct{ Content string } `json:"message"`
			FinishReason string                   `json:"finish_reason"`
		} `json:"choices"`
		Usage struct {
			PromptTokens     int `json:"prompt_tokens"`
			CompletionTokens int `json:"completion_tokens"`
		} `json:"usage"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &out))
	assert.Equal(t, "gpt-4o-mini-2024-07-18", out.Model)
	assert.Equal(t, DefaultAnswer, out.Choices[0].Message.Content)
	assert.Equal(t, "stop", out.Choices[0].FinishReason)
	assert.Equal(t, 4+2, out.Usage.PromptTokens) // "Hi there": 8 bytes
	assert.Equal(t, len(strings.Fields(DefaultAnswer)), out.Usage.CompletionTokens)

	// Streams carry usage only when asked, as the real API does.
	_, body = post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"gpt-4o-mini","stream":true,"messages":[]}`)
	assert.NotContains(t, body, `"usage":{`)
	assert.True(t, strings.HasSuffix(body, "data: [DONE]\n\n"))
	_, body = post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[]}`)
	assert.Contains(t, body, `"choices":[],`)
	assert.Contains(t, body, `"usage":{`)
}

func TestOpenAIToolCallThenAnswer(t *testing.T) {
	s := NewServer()
	defer s.Close()
	tools := `"tools":[{"type":"function","function":{"name":"search","parameters":{}}}]`
	_, body := post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"gpt-4o-mini",`+tools+`,"messages":[{"role":"user","content":"q"}]}`)
	assert.Contains(t, body, `"finish_reason":"tool_calls"`)
	assert.Contains(t, body, `"name":"search"`)
	_, body = post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"gpt-4o-mini",`+tools+`,"messages":[{"role":"user","content":"q"},{"role":"tool","tool_call_id":"call_fake_1","content":"3 g"}]}`)
	assert.Contains(t, body, `"finish_reason":"stop"`)
}

func TestAnthropicStreamAndCache(t *testing.T) {
	s := NewServer()
	defer s.Close()
	resp, body := post(t, s.URL+"/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,"system":[{"type":"text","text":"long prompt","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hi"}]}`)
	assert.Equal(t, "text/event-stream; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, "event: message_start")
	assert.Contains(t, body, `"model":"claude-sonnet-4-5-20250929"`)
	assert.Contains(t, body, `"cache_creation_input_tokens":`)
	assert.True(t, strings.HasSuffix(body, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
}

func TestRecordedRoutes(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for path, contentType := range map[string]string{
		"/model/amazon.titan-text-lite-v1/converse":                                                            "application/json",
		"/model/amazon.titan-text-lite-v1/converse-stream":                                                     "application/vnd.amazon.eventstream",
		"/model/anthropic.claude-v2/invoke":                                                                    "application/json",
		"/v1beta/models/gemini-2.5-flash:generateContent":                                                      "application/json",
		"/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent": "text/event-stream",
		"/v2/chat":       "application/json",
		"/api/chat":      "application/x-ndjson",
		"/api/embed":     "application/json",
		"/v1/embeddings": "application/json",
	} {
		resp, body := post(t, s.URL+path, `{"model":"m","messages":[]}`)
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Equal(t, contentType, resp.Header.Get("Content-Type"), path)
		assert.NotEmpty(t, body, path)
	}
}

func TestBadRequest(t *testing.T) {
	s := NewServer()
	defer s.Close()
	resp, body := post(t, s.OpenAIBaseURL()+"/chat/completions", `not json`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, body, "invalid_request_error")
}
