package fakellm

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func post(t *testing.T, url, body string, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, string(b)
}

// sseData returns the data lines of an SSE body, in order.
func sseData(t *testing.T, body string) []string {
	t.Helper()
	var data []string
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if d, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			data = append(data, d)
		}
	}
	require.NoError(t, sc.Err())
	return data
}

func TestOpenAIChat(t *testing.T) {
	s := NewServer()
	defer s.Close()
	resp, body := post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi there"}]}`)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var out struct {
		ID      string `json:"id"`
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
	assert.Equal(t, "chatcmpl-fake000001", out.ID)
	assert.Equal(t, "gpt-4o-mini-2024-07-18", out.Model, "a known alias answers with its dated snapshot")
	assert.Equal(t, DefaultAnswer, out.Choices[0].Message.Content)
	assert.Equal(t, "stop", out.Choices[0].FinishReason)
	assert.Equal(t, 4+2, out.Usage.PromptTokens) // "Hi there": 8 bytes
	assert.Equal(t, len(strings.Fields(DefaultAnswer)), out.Usage.CompletionTokens)

	_, body = post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"my-finetune","messages":[]}`)
	assert.Contains(t, body, `"model":"my-finetune"`, "any other model is named as asked")
}

// TestOpenAIStreamUsage checks the include_usage rule of Chat Completions
// and legacy Completions streams, chunk by chunk: without it no chunk has a
// usage member at all; with it every chunk has "usage":null but the last,
// which has no choices and the usage, just before [DONE].
func TestOpenAIStreamUsage(t *testing.T) {
	s := NewServer(Options{Usage: FixedUsage(Usage{InputTokens: 31, OutputTokens: 25})})
	defer s.Close()
	for _, path := range []string{"/chat/completions", "/completions"} {
		t.Run(path, func(t *testing.T) {
			const req = `{"model":"gpt-4o-mini","prompt":"Say hi","messages":[{"role":"user","content":"Say hi"}],"stream":true`
			resp, body := post(t, s.OpenAIBaseURL()+path, req+`}`)
			assert.Equal(t, "text/event-stream; charset=utf-8", resp.Header.Get("Content-Type"))
			data := sseData(t, body)
			require.Greater(t, len(data), 2)
			assert.Equal(t, "[DONE]", data[len(data)-1])
			for _, d := range data[:len(data)-1] {
				var chunk map[string]json.RawMessage
				require.NoError(t, json.Unmarshal([]byte(d), &chunk), d)
				assert.NotContains(t, chunk, "usage", "a stream without include_usage carries no usage member")
				assert.NotEqual(t, "[]", string(chunk["choices"]))
			}

			_, body = post(t, s.OpenAIBaseURL()+path, req+`,"stream_options":{"include_usage":true}}`)
			data = sseData(t, body)
			require.Greater(t, len(data), 3)
			assert.Equal(t, "[DONE]", data[len(data)-1])
			for _, d := range data[:len(data)-2] {
				var chunk map[string]json.RawMessage
				require.NoError(t, json.Unmarshal([]byte(d), &chunk), d)
				assert.Equal(t, "null", string(chunk["usage"]), "every chunk but the last has usage null")
				assert.NotEqual(t, "[]", string(chunk["choices"]))
			}
			var last struct {
				Choices []any `json:"choices"`
				Usage   struct {
					Prompt     int `json:"prompt_tokens"`
					Completion int `json:"completion_tokens"`
					Total      int `json:"total_tokens"`
				} `json:"usage"`
			}
			require.NoError(t, json.Unmarshal([]byte(data[len(data)-2]), &last))
			assert.NotNil(t, last.Choices)
			assert.Empty(t, last.Choices)
			assert.Equal(t, 31, last.Usage.Prompt)
			assert.Equal(t, 25, last.Usage.Completion)
			assert.Equal(t, 56, last.Usage.Total)
		})
	}
}

func TestAzureContentFilters(t *testing.T) {
	s := NewServer()
	defer s.Close()
	_, body := post(t, s.AzureOpenAIEndpoint()+"/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21",
		`{"messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}`)
	data := sseData(t, body)
	require.NotEmpty(t, data)
	// Azure's first frame: the prompt's filter verdict, no id, no model,
	// no usage member.
	var first map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(data[0]), &first))
	assert.Equal(t, `""`, string(first["id"]))
	assert.Equal(t, "[]", string(first["choices"]))
	assert.Contains(t, first, "prompt_filter_results")
	assert.NotContains(t, first, "usage")
	assert.Contains(t, data[1], `"model":"my-gpt"`, "the deployment stands for the model the body leaves out")

	_, body = post(t, s.AzureOpenAIV1BaseURL()+"/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`)
	assert.Contains(t, body, `"prompt_filter_results":[`)
	assert.Contains(t, body, `"content_filter_results":{`)
}

// TestToolCallThenAnswer runs a two-step agent loop on every chat API: a
// request that offers a tool gets a call of it, the same conversation with
// the tool's result gets the answer.
func TestToolCallThenAnswer(t *testing.T) {
	s := NewServer(Options{ToolArguments: `{"city":"Lima"}`})
	defer s.Close()
	for _, tc := range []struct {
		name, path, first, second string
		toolCall, answer          []string
	}{
		{
			name: "openai chat", path: "/v1/chat/completions",
			first:    `{"model":"gpt-4o-mini","tools":[{"type":"function","function":{"name":"weather"}}],"messages":[{"role":"user","content":"q"}]}`,
			second:   `{"model":"gpt-4o-mini","tools":[{"type":"function","function":{"name":"weather"}}],"messages":[{"role":"user","content":"q"},{"role":"tool","tool_call_id":"call_fake_1","content":"sunny"}]}`,
			toolCall: []string{`"finish_reason":"tool_calls"`, `"name":"weather"`, `"arguments":"{\"city\":\"Lima\"}"`},
			answer:   []string{`"finish_reason":"stop"`, DefaultAnswer},
		},
		{
			name: "openai responses", path: "/v1/responses",
			first:    `{"model":"gpt-4o-mini","tools":[{"type":"function","name":"weather"}],"input":"q"}`,
			second:   `{"model":"gpt-4o-mini","tools":[{"type":"function","name":"weather"}],"input":[{"role":"user","content":"q"},{"type":"function_call_output","call_id":"call_fake_1","output":"sunny"}]}`,
			toolCall: []string{`"type":"function_call"`, `"name":"weather"`, `"call_id":"call_fake_1"`},
			answer:   []string{`"type":"output_text"`, DefaultAnswer},
		},
		{
			name: "anthropic", path: "/v1/messages",
			first:    `{"model":"claude-haiku-4-5","max_tokens":100,"tools":[{"name":"weather","input_schema":{}}],"messages":[{"role":"user","content":"q"}]}`,
			second:   `{"model":"claude-haiku-4-5","max_tokens":100,"tools":[{"name":"weather","input_schema":{}}],"messages":[{"role":"user","content":"q"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_fake_1","name":"weather","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_fake_1","content":"sunny"}]}]}`,
			toolCall: []string{`"stop_reason":"tool_use"`, `"input":{"city":"Lima"}`},
			answer:   []string{`"stop_reason":"end_turn"`, DefaultAnswer},
		},
		{
			name: "bedrock converse", path: "/model/amazon.nova-micro-v1%3A0/converse",
			first:    `{"toolConfig":{"tools":[{"toolSpec":{"name":"weather"}}]},"messages":[{"role":"user","content":[{"text":"q"}]}]}`,
			second:   `{"toolConfig":{"tools":[{"toolSpec":{"name":"weather"}}]},"messages":[{"role":"user","content":[{"text":"q"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_fake_1","name":"weather","input":{}}}]},{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_fake_1","content":[{"text":"sunny"}]}}]}]}`,
			toolCall: []string{`"stopReason":"tool_use"`, `"input":{"city":"Lima"}`},
			answer:   []string{`"stopReason":"end_turn"`, DefaultAnswer},
		},
		{
			name: "gemini", path: "/v1beta/models/gemini-2.5-flash:generateContent",
			first:    `{"tools":[{"functionDeclarations":[{"name":"weather"}]}],"contents":[{"role":"user","parts":[{"text":"q"}]}]}`,
			second:   `{"tools":[{"functionDeclarations":[{"name":"weather"}]}],"contents":[{"role":"user","parts":[{"text":"q"}]},{"role":"model","parts":[{"functionCall":{"name":"weather","args":{}}}]},{"role":"user","parts":[{"functionResponse":{"name":"weather","response":{"output":"sunny"}}}]}]}`,
			toolCall: []string{`"functionCall":{"name":"weather","args":{"city":"Lima"}}`},
			answer:   []string{`"finishReason":"STOP"`, DefaultAnswer},
		},
		{
			name: "cohere", path: "/v2/chat",
			first:    `{"model":"command-r","tools":[{"type":"function","function":{"name":"weather"}}],"messages":[{"role":"user","content":"q"}]}`,
			second:   `{"model":"command-r","tools":[{"type":"function","function":{"name":"weather"}}],"messages":[{"role":"user","content":"q"},{"role":"tool","tool_call_id":"weather_fake1","content":"sunny"}]}`,
			toolCall: []string{`"finish_reason":"TOOL_CALL"`, `"name":"weather"`},
			answer:   []string{`"finish_reason":"COMPLETE"`, DefaultAnswer},
		},
		{
			name: "ollama", path: "/api/chat",
			first:    `{"model":"llama3.2","stream":false,"tools":[{"type":"function","function":{"name":"weather"}}],"messages":[{"role":"user","content":"q"}]}`,
			second:   `{"model":"llama3.2","stream":false,"tools":[{"type":"function","function":{"name":"weather"}}],"messages":[{"role":"user","content":"q"},{"role":"tool","content":"sunny"}]}`,
			toolCall: []string{`"tool_calls":[{"function":{"name":"weather","arguments":{"city":"Lima"}}}]`},
			answer:   []string{DefaultAnswer},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := post(t, s.URL+tc.path, tc.first)
			require.Equal(t, http.StatusOK, resp.StatusCode, body)
			for _, want := range tc.toolCall {
				assert.Contains(t, body, want)
			}
			assert.NotContains(t, body, DefaultAnswer)
			resp, body = post(t, s.URL+tc.path, tc.second)
			require.Equal(t, http.StatusOK, resp.StatusCode, body)
			for _, want := range tc.answer {
				assert.Contains(t, body, want)
			}
		})
	}
}

func TestAnthropicStreamAndCache(t *testing.T) {
	s := NewServer()
	defer s.Close()
	resp, body := post(t, s.AnthropicBaseURL()+"/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":100,"stream":true,"system":[{"type":"text","text":"long prompt","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hi"}]}`)
	assert.Equal(t, "text/event-stream; charset=utf-8", resp.Header.Get("Content-Type"))
	assert.Contains(t, body, "event: message_start")
	assert.Contains(t, body, `"model":"claude-sonnet-4-5-20250929"`)
	assert.Contains(t, body, `"cache_creation_input_tokens":`)
	assert.True(t, strings.HasSuffix(body, "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
}

func TestModelNamedAsAsked(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for path, want := range map[string]string{
		"/v1/responses":   `"model":"gpt-4.1-mini-2025-04-14"`,
		"/v1/completions": `"model":"gpt-4.1-mini-2025-04-14"`,
		"/v1/embeddings":  `"model":"gpt-4.1-mini"`,
		"/v1beta/models/gemini-2.5-flash:generateContent":                                                     `"modelVersion":"gemini-2.5-flash"`,
		"/v1beta1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent": `"modelVersion":"gemini-2.0-flash"`,
		"/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke":                                         `"model":"claude-3-5-haiku-20241022"`,
		"/api/chat":     `"model":"gpt-4.1-mini"`,
		"/api/generate": `"model":"gpt-4.1-mini"`,
		"/api/embed":    `"model":"gpt-4.1-mini"`,
	} {
		resp, body := post(t, s.URL+path, `{"model":"gpt-4.1-mini","input":"Hi","prompt":"Hi","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],"contents":[{"parts":[{"text":"Hi"}]}]}`)
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Contains(t, body, want, path)
	}
}

func TestRecorded(t *testing.T) {
	s := NewServer(Options{Recorded: true})
	defer s.Close()
	for path, file := range map[string]string{
		"/v1/responses":  "responses_nonstream_text.json",
		"/v1/embeddings": "embeddings.json",
		"/model/amazon.titan-text-express-v1/converse":                                                         "converse_nonstream_titan_recorded.json",
		"/model/amazon.titan-text-express-v1/converse-stream":                                                  "converse_stream_titan_recorded.bin",
		"/model/anthropic.claude-v2/invoke":                                                                    "invoke_model_claude_recorded.json",
		"/model/anthropic.claude-v2/invoke-with-response-stream":                                               "invoke_with_response_stream_claude_recorded.bin",
		"/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent":       "vertex_gemini_generateContent_recorded.json",
		"/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent": "vertex_gemini_streamGenerateContent_alt_sse_recorded.sse",
		"/v2/chat":      "v2_chat_nonstream_sdk_wiremock.json",
		"/api/chat":     "api_chat_stream_from_docs.ndjson",
		"/api/generate": "api_generate_stream_from_docs.ndjson",
		"/api/embed":    "api_embed_from_docs.json",
	} {
		want, err := recordings.ReadFile("recordings/" + file)
		require.NoError(t, err)
		resp, body := post(t, s.URL+path, `{"model":"m","messages":[]}`)
		assert.Equal(t, http.StatusOK, resp.StatusCode, path)
		assert.Equal(t, string(want), body, path)
	}
	// Chat Completions and Messages are generated even so.
	_, body := post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"gpt-4o-mini","messages":[]}`)
	assert.Contains(t, body, DefaultAnswer)
}

func TestBadRequest(t *testing.T) {
	s := NewServer()
	defer s.Close()
	for path, want := range map[string]string{
		"/v1/chat/completions":                            `"type":"invalid_request_error"`,
		"/v1/messages":                                    `{"type":"error","error":{"type":"invalid_request_error"`,
		"/model/amazon.nova-micro-v1%3A0/converse":        `{"message":"Malformed input request`,
		"/v1beta/models/gemini-2.5-flash:generateContent": `"status":"INVALID_ARGUMENT"`,
	} {
		resp, body := post(t, s.URL+path, `not json`)
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode, path)
		assert.Contains(t, body, want, path)
	}
	resp, body := post(t, s.URL+"/model/meta.llama3-8b-instruct-v1%3A0/invoke", `{"prompt":"Hi"}`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, body, "use Converse")
	assert.Equal(t, "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/", resp.Header.Get("x-amzn-ErrorType"))
}

func TestRequests(t *testing.T) {
	s := NewServer()
	defer s.Close()
	post(t, s.URL+"/model/amazon.nova-micro-v1%3A0/converse-stream", `{"messages":[]}`, "X-Test", "one")
	post(t, s.URL+"/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", `{"contents":[]}`)
	post(t, s.AzureOpenAIEndpoint()+"/openai/deployments/dep/embeddings?api-version=2024-10-21", `{"input":"x"}`)
	got := s.Requests()
	require.Len(t, got, 3)
	assert.Equal(t, Request{Seq: 1, API: BedrockConverseStream, Provider: ProviderBedrock, Model: "amazon.nova-micro-v1:0", Stream: true,
		Method: "POST", Path: "/model/amazon.nova-micro-v1:0/converse-stream", Header: got[0].Header, Body: []byte(`{"messages":[]}`)}, got[0])
	assert.Equal(t, "one", got[0].Header.Get("X-Test"))
	assert.Equal(t, Request{Seq: 2, API: GeminiStreamGenerateContent, Provider: ProviderGemini, Model: "gemini-2.5-flash", Stream: true,
		Method: "POST", Path: "/v1beta/models/gemini-2.5-flash:streamGenerateContent", Query: "alt=sse", Header: got[1].Header, Body: []byte(`{"contents":[]}`)}, got[1])
	assert.Equal(t, OpenAIEmbeddings, got[2].API)
	assert.Equal(t, ProviderAzure, got[2].Provider)
	assert.Equal(t, "dep", got[2].Model)
}

func TestParseUsage(t *testing.T) {
	u, err := ParseUsage("input=1200, output=80,cache_read=1024 ,cache_write=3,reasoning=7")
	require.NoError(t, err)
	assert.Equal(t, Usage{InputTokens: 1200, OutputTokens: 80, CacheReadTokens: 1024, CacheWriteTokens: 3, ReasoningTokens: 7}, u)
	back, err := ParseUsage(u.String())
	require.NoError(t, err)
	assert.Equal(t, u, back)
	for _, bad := range []string{"input", "input=-1", "input=x", "tokens=3"} {
		_, err := ParseUsage(bad)
		assert.Error(t, err, bad)
	}
	s := NewServer()
	defer s.Close()
	resp, body := post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"gpt-4o-mini","messages":[]}`, UsageHeader, "input=x")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, body, UsageHeader)
}

// eventFrames decodes an AWS event stream, checking both CRCs of every
// message, and returns each message's :event-type and payload.
func eventFrames(t *testing.T, b []byte) (types []string, payloads [][]byte) {
	t.Helper()
	for len(b) > 0 {
		require.GreaterOrEqual(t, len(b), 16)
		total := int(binary.BigEndian.Uint32(b[0:4]))
		hlen := int(binary.BigEndian.Uint32(b[4:8]))
		require.LessOrEqual(t, total, len(b))
		msg := b[:total]
		require.Equal(t, binary.BigEndian.Uint32(msg[8:12]), crc32.ChecksumIEEE(msg[:8]), "prelude CRC")
		require.Equal(t, binary.BigEndian.Uint32(msg[total-4:]), crc32.ChecksumIEEE(msg[:total-4]), "message CRC")
		h := msg[12 : 12+hlen]
		for len(h) > 0 {
			n := int(h[0])
			name := string(h[1 : 1+n])
			require.Equal(t, byte(7), h[1+n], "string header")
			l := int(h[2+n])<<8 | int(h[3+n])
			if name == ":event-type" {
				types = append(types, string(h[4+n:4+n+l]))
			}
			h = h[4+n+l:]
		}
		payloads = append(payloads, msg[12+hlen:total-4])
		b = b[total:]
	}
	return types, payloads
}

// TestFailNext fails two calls with a rate limit, in each provider's error
// shape and headers, then answers the third.
func TestFailNext(t *testing.T) {
	for _, tc := range []struct {
		name, path, body string
		body429          []string
		header429        map[string]string
	}{
		{
			name: "openai", path: "/v1/chat/completions", body: `{"model":"gpt-4o-mini","messages":[]}`,
			body429: []string{`{"error":{"message":"Rate limit reached for gpt-4o-mini`, `"type":"requests","param":null,"code":"rate_limit_exceeded"}}`},
			header429: map[string]string{
				"retry-after": "1", "retry-after-ms": "50",
				"x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "50ms",
			},
		},
		{
			name: "azure", path: "/openai/deployments/dep/chat/completions?api-version=2024-10-21", body: `{"messages":[]}`,
			body429:   []string{`{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation`},
			header429: map[string]string{"retry-after": "1", "retry-after-ms": "50", "x-ratelimit-remaining-requests": "0"},
		},
		{
			name: "anthropic", path: "/v1/messages", body: `{"model":"claude-haiku-4-5","max_tokens":5,"messages":[]}`,
			body429:   []string{`{"type":"error","error":{"type":"rate_limit_error","message":`, `"request_id":"req_fake00000`},
			header429: map[string]string{"retry-after": "1", "retry-after-ms": "50", "anthropic-ratelimit-requests-limit": "60", "anthropic-ratelimit-requests-remaining": "0"},
		},
		{
			name: "bedrock", path: "/model/amazon.nova-micro-v1%3A0/converse", body: `{"messages":[]}`,
			body429:   []string{`{"message":"Too many requests, please wait before trying again."}`},
			header429: map[string]string{"retry-after": "1", "x-amzn-ErrorType": "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"},
		},
		{
			name: "gemini", path: "/v1beta/models/gemini-2.5-flash:generateContent", body: `{"contents":[]}`,
			body429:   []string{`{"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED"}}`},
			header429: map[string]string{"retry-after": "1"},
		},
		{
			name: "cohere", path: "/v2/chat", body: `{"model":"command-r","messages":[]}`,
			body429: []string{`{"id":"00000000-fa4e-4000-8000-00000000000`, `"message":`},
		},
		{
			name: "ollama", path: "/api/chat", body: `{"model":"llama3.2","messages":[]}`,
			body429: []string{`{"error":"`},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewServer()
			defer s.Close()
			s.FailNext(2, RateLimited(50*time.Millisecond))
			for i := range 2 {
				resp, body := post(t, s.URL+tc.path, tc.body)
				assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, "call %d", i+1)
				assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
				for _, want := range tc.body429 {
					assert.Contains(t, body, want)
				}
				for k, v := range tc.header429 {
					assert.Equal(t, v, resp.Header.Get(k), k)
				}
			}
			resp, body := post(t, s.URL+tc.path, tc.body)
			assert.Equal(t, http.StatusOK, resp.StatusCode, body)
			assert.Empty(t, resp.Header.Get("retry-after"))
			got := s.Requests()
			require.Len(t, got, 3)
			assert.Equal(t, 3, got[2].Seq)
		})
	}
}

func TestRateLimitHeaders(t *testing.T) {
	s := NewServer(Options{RateLimit: &RateLimit{
		Requests:     Limit{Limit: 500, Remaining: 499, Reset: 120 * time.Millisecond},
		Tokens:       Limit{Limit: 30000, Remaining: 29000, Reset: 6 * time.Minute},
		InputTokens:  Limit{Limit: 20000, Remaining: 19500, Reset: time.Minute},
		OutputTokens: Limit{Limit: 8000, Remaining: 7900, Reset: time.Minute},
	}})
	defer s.Close()
	resp, _ := post(t, s.OpenAIBaseURL()+"/chat/completions", `{"model":"gpt-4o-mini","messages":[]}`)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	for k, v := range map[string]string{
		"x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "499", "x-ratelimit-reset-requests": "120ms",
		"x-ratelimit-limit-tokens": "30000", "x-ratelimit-remaining-tokens": "29000", "x-ratelimit-reset-tokens": "6m0s",
	} {
		assert.Equal(t, v, resp.Header.Get(k), k)
	}
	assert.Empty(t, resp.Header.Get("x-ratelimit-limit-input-tokens"), "OpenAI has no input-token limit header")

	before := time.Now().UTC().Truncate(time.Second)
	resp, _ = post(t, s.AnthropicBaseURL()+"/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":5,"messages":[]}`)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	for k, v := range map[string]string{
		"anthropic-ratelimit-requests-limit": "500", "anthropic-ratelimit-requests-remaining": "499",
		"anthropic-ratelimit-tokens-limit": "30000", "anthropic-ratelimit-input-tokens-remaining": "19500",
		"anthropic-ratelimit-output-tokens-limit": "8000", "anthropic-ratelimit-output-tokens-remaining": "7900",
	} {
		assert.Equal(t, v, resp.Header.Get(k), k)
	}
	reset, err := time.Parse(time.RFC3339, resp.Header.Get("anthropic-ratelimit-tokens-reset"))
	require.NoError(t, err, "an RFC 3339 time")
	assert.False(t, reset.Before(before.Add(6*time.Minute)), "tokens reset in 6 minutes")
	assert.True(t, reset.Before(time.Now().Add(6*time.Minute+time.Second)))

	resp, _ = post(t, s.BedrockEndpoint()+"/model/amazon.nova-micro-v1%3A0/converse", `{"messages":[]}`)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	for k := range resp.Header {
		assert.NotContains(t, strings.ToLower(k), "ratelimit", "Bedrock sends no rate-limit headers")
	}
}

func TestFaultCallback(t *testing.T) {
	s := NewServer(Options{Fault: func(r Request) *Fault {
		if r.Model == "claude-opus-4-1" {
			return &Fault{Status: 529}
		}
		return nil
	}})
	defer s.Close()
	resp, body := post(t, s.AnthropicBaseURL()+"/v1/messages", `{"model":"claude-opus-4-1","max_tokens":5,"messages":[]}`)
	assert.Equal(t, 529, resp.StatusCode)
	assert.Contains(t, body, `"type":"overloaded_error","message":"Overloaded"`)
	assert.Equal(t, "req_fake000001", resp.Header.Get("request-id"))
	resp, _ = post(t, s.AnthropicBaseURL()+"/v1/messages", `{"model":"claude-haiku-4-5","max_tokens":5,"messages":[]}`)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestBedrockEventStreams decodes the fake's Bedrock streams frame by frame,
// checking both CRCs of each, and the events they carry.
func TestBedrockEventStreams(t *testing.T) {
	s := NewServer(Options{Usage: FixedUsage(Usage{InputTokens: 50, OutputTokens: 7, CacheReadTokens: 20})})
	defer s.Close()
	resp, body := post(t, s.BedrockEndpoint()+"/model/us.amazon.nova-lite-v1%3A0/converse-stream", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`)
	assert.Equal(t, "application/vnd.amazon.eventstream", resp.Header.Get("Content-Type"))
	types, payloads := eventFrames(t, []byte(body))
	want := []string{"messageStart"}
	for range words(DefaultAnswer) {
		want = append(want, "contentBlockDelta")
	}
	assert.Equal(t, append(want, "contentBlockStop", "messageStop", "metadata"), types)
	assert.Contains(t, string(payloads[len(payloads)-1]), `"usage":{"inputTokens":30,"outputTokens":7,"totalTokens":57,"cacheReadInputTokens":20,"cacheWriteInputTokens":0}`)

	_, body = post(t, s.BedrockEndpoint()+"/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke-with-response-stream", `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"Hi"}]}`)
	types, payloads = eventFrames(t, []byte(body))
	for _, typ := range types {
		assert.Equal(t, "chunk", typ)
	}
	var last struct {
		Bytes []byte `json:"bytes"` // base64 in the JSON
	}
	require.NoError(t, json.Unmarshal(payloads[len(payloads)-1], &last))
	assert.JSONEq(t, `{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":30,"outputTokenCount":7,"invocationLatency":120,"firstByteLatency":60,"cacheReadInputTokenCount":20,"cacheWriteInputTokenCount":0}}`, string(last.Bytes))
}

// TestGeminiJSONArrayStream checks that a stream without ?alt=sse is one
// JSON array whose last element carries the complete usage.
func TestGeminiJSONArrayStream(t *testing.T) {
	s := NewServer(Options{Usage: FixedUsage(Usage{InputTokens: 9, OutputTokens: 40, ReasoningTokens: 12})})
	defer s.Close()
	_, body := post(t, s.GeminiBaseURL()+"/v1beta/models/gemini-2.5-flash:streamGenerateContent", `{"contents":[{"parts":[{"text":"Hi"}]}]}`)
	var chunks []struct {
		UsageMetadata map[string]any `json:"usageMetadata"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &chunks))
	require.Len(t, chunks, len(words(DefaultAnswer)))
	assert.Equal(t, map[string]any{"promptTokenCount": 9.0, "totalTokenCount": 9.0,
		"promptTokensDetails": []any{map[string]any{"modality": "TEXT", "tokenCount": 9.0}}}, chunks[0].UsageMetadata)
	final := chunks[len(chunks)-1].UsageMetadata
	assert.Equal(t, 28.0, final["candidatesTokenCount"])
	assert.Equal(t, 12.0, final["thoughtsTokenCount"])
	assert.Equal(t, 49.0, final["totalTokenCount"])
}
