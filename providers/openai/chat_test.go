package openai

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

const (
	openAIChatURL = "https://api.openai.com/v1/chat/completions"
	all5          = providers.InputTokens | providers.OutputTokens | providers.TotalTokens | providers.CacheReadInputTokens | providers.ReasoningTokens
)

// replayCase is one fixture replayed with full assertions.
type replayCase struct {
	name        string
	path        string
	url         string
	reqBody     string
	contentType string
	status      int

	wantReq  providers.Request
	wantResp providers.Response
	chunks   int
	// final is the offset before which a cut body, ended at EOF, must report
	// an ObserveError; 0 means the whole body.
	final int
	// decreasing marks a synthetic fixture whose later usage is smaller.
	decreasing bool
}

func (c replayCase) run(t *testing.T) {
	e := fixture(t, c.path, c.url, c.reqBody, c.contentType)
	e.Status = c.status
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, c.wantReq, req, "request")
	require.Equal(t, c.wantResp, resp, "response")

	_, obsResp := testkit.Observe(t, New(), e, testkit.Whole(e.ResponseBody), true)
	assert.Equal(t, resp, obsResp)
	call := New().Match(e.Request())
	call.Request(e.Body)
	obs := call.Observe(e.Response(e.Request()))
	obs.Write(e.ResponseBody)
	assert.Equal(t, c.chunks, obs.Chunks(), "chunks")
	obs.Finish(true)

	final := c.final
	if final == 0 {
		final = jsonEnd(e.ResponseBody)
	}
	if len(e.ResponseBody) > 16<<10 {
		// Every prefix of a long stream costs quadratic time: cut the
		// stream's middle out and truncate what is left, which keeps its
		// first and its last (usage, [DONE]) events.
		e.ResponseBody = keepEnds(e.ResponseBody, 4)
		_, resp = testkit.Observe(t, New(), e, testkit.Whole(e.ResponseBody), true)
		final = terminalEnd(e.ResponseBody, "[DONE]")
	}
	checkTruncations(t, e, resp, final, !c.decreasing)
}

func TestChatFixtures(t *testing.T) {
	withUsage := func(model string) string {
		return `{"model":"` + model + `","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}`
	}
	streamBody := func(model string) string {
		return `{"model":"` + model + `","messages":[{"role":"user","content":"hi"}],"stream":true}`
	}
	goTest := testkit.Read(t, "testdata/openai/chat_completion_stream_with_usage_openai-go-test.sse")
	cases := []replayCase{
		{
			name: "spec nonstream", path: "openai/chat_completion_nonstream.json", url: openAIChatURL,
			reqBody:     `{"model":"gpt-5.4","messages":[{"role":"developer","content":"You are a helpful assistant."},{"role":"user","content":"Hello!"}]}`,
			contentType: ctJSON,
			wantReq:     providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-5.4"},
			wantResp: providers.Response{
				ID: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", Model: "gpt-5.4", FinishReasons: []string{"stop"},
				Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 19, providers.OutputTokens, 10,
					providers.TotalTokens, 29, providers.CacheReadInputTokens, 0, providers.ReasoningTokens, 0, providers.InputAudioTokens, 0, providers.OutputAudioTokens, 0),
				ServiceTier: "default",
				Complete:    true,
			},
		},
		{
			name: "recorded reasoning nonstream", path: "openai/chat_nonstream_reasoning_recorded.json", contentType: ctJSON,
			wantReq: providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-5-nano"},
			wantResp: providers.Response{
				ID: "chatcmpl-CJYvbsw8VZh862zGsIV5ZJtMnVFej", Model: "gpt-5-nano-2025-08-07", FinishReasons: []string{"stop"},
				Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 27, providers.OutputTokens, 267,
					providers.TotalTokens, 294, providers.CacheReadInputTokens, 0, providers.ReasoningTokens, 192, providers.InputAudioTokens, 0, providers.OutputAudioTokens, 0),
				ServiceTier: "default",
				Complete:    true,
			},
		},
		{
			name: "recorded stream include_usage", path: "openai/chat_stream_include_usage_recorded.sse", contentType: ctSSE,
			wantReq: providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-5-nano", Stream: true,
				MaxTokens: ptrI(100), Temperature: ptrF(1)},
			wantResp: providers.Response{
				ID: "chatcmpl-C4Hq5a6K3RaPMymUv70btQNYv6SvY", Model: "gpt-5-nano-2025-08-07", FinishReasons: []string{"length"},
				Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 12, providers.OutputTokens, 100,
					providers.TotalTokens, 112, providers.CacheReadInputTokens, 0, providers.ReasoningTokens, 100, providers.InputAudioTokens, 0, providers.OutputAudioTokens, 0),
				Streamed: true, ServiceTier: "default",
				Complete: true,
			},
			chunks: 3,
			final:  terminalEnd(testkit.Read(t, "testdata/openai/chat_stream_include_usage_recorded.sse"), "[DONE]"),
		},
		{
			// Two usage chunks (an SDK test of a summing accumulator): the
			// last one wins, nothing is summed.
			name: "openai-go two usage chunks", path: "openai/chat_completion_stream_with_usage_openai-go-test.sse",
			url: openAIChatURL, reqBody: withUsage("gpt-4o"),
			wantReq: providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-4o", Stream: true},
			wantResp: providers.Response{
				ID: "chatcmpl-A3Tguz3LSXTHBTY2NAPBCSyfBltxF", Model: "gpt-4o-2024-05-13", FinishReasons: []string{"tool_calls"},
				Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 0, providers.OutputTokens, 50,
					providers.TotalTokens, 50, providers.CacheReadInputTokens, 10, providers.ReasoningTokens, 3, providers.InputAudioTokens, 0, providers.OutputAudioTokens, 1),
				Streamed: true, SystemFingerprint: "fp_157b3831f5",
				Complete: true,
			},
			chunks:     lines(goTest, "data: {"),
			final:      terminalEnd(goTest, "[DONE]"),
			decreasing: true,
		},
		{
			name: "azure nonstream", path: "azure-openai/chat_nonstream_azure.json", contentType: ctJSON,
			wantReq: providers.Request{Provider: "azure.ai.openai", Operation: "chat", Model: "gpt-5-nano"},
			wantResp: providers.Response{
				ID: "chatcmpl-CM9n9OhFOl4lSSFwarLEIMnPrNWSP", Model: "gpt-5-nano-2025-08-07", FinishReasons: []string{"stop"},
				Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 8, providers.OutputTokens, 271,
					providers.TotalTokens, 279, providers.CacheReadInputTokens, 0, providers.ReasoningTokens, 192, providers.InputAudioTokens, 0, providers.OutputAudioTokens, 0),
				Complete: true,
			},
		},
		{
			// The first frame has empty choices, id and model; the request
			// names no model: the deployment stands for it. No
			// include_usage: no usage, and no complaint about it.
			name: "azure stream prompt filter first frame", path: "azure-openai/chat_stream_azure_prompt_filter_first_frame.sse",
			url:     "https://myres.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21",
			reqBody: `{"messages":[{"role":"user","content":"Hallo"}],"stream":true}`, contentType: ctSSE,
			wantReq: providers.Request{Provider: "azure.ai.openai", Operation: "chat", Model: "gpt-4o-prod", Stream: true},
			wantResp: providers.Response{
				ID: "chatcmpl-BleatwEUn3D8iXsgXpDqeOPEMuW3j", Model: "gpt-4o-2024-08-06", FinishReasons: []string{"stop"},
				Streamed: true, SystemFingerprint: "fp_ee1d74bde0", UsageNotRequested: true,
				Complete: true,
			},
			chunks: 5,
			final:  terminalEnd(testkit.Read(t, "testdata/azure-openai/chat_stream_azure_prompt_filter_first_frame.sse"), "[DONE]"),
		},
		{
			name: "groq x_groq.usage", path: "synthetic/groq_stream_x_groq_usage.sse",
			url: "https://api.groq.com/openai/v1/chat/completions", reqBody: streamBody("llama-3.3-70b-versatile"), contentType: ctSSE,
			wantReq: providers.Request{Provider: "groq", Operation: "chat", Model: "llama-3.3-70b-versatile", Stream: true},
			wantResp: providers.Response{
				ID: "chatcmpl-groq-1", Model: "llama-3.3-70b-versatile", FinishReasons: []string{"stop"},
				Usage:    testkit.Usage(providers.SourceStream, providers.InputTokens, 18, providers.OutputTokens, 7, providers.TotalTokens, 25),
				Streamed: true, SystemFingerprint: "fp_groq_1",
				Complete: true,
			},
			chunks: 3,
			final:  terminalEnd(testkit.Read(t, "testdata/synthetic/groq_stream_x_groq_usage.sse"), "[DONE]"),
		},
		{
			name: "vllm running totals", path: "synthetic/vllm_stream_continuous_usage.sse",
			url: "http://gpu-box:8000/v1/chat/completions", reqBody: streamBody("meta-llama/Llama-3.1-8B-Instruct"), contentType: ctSSE,
			wantReq: providers.Request{Provider: "openai", Operation: "chat", Model: "meta-llama/Llama-3.1-8B-Instruct", Stream: true},
			wantResp: providers.Response{
				ID: "chatcmpl-vllm-1", Model: "meta-llama/Llama-3.1-8B-Instruct", FinishReasons: []string{"length"},
				Usage:    testkit.Usage(providers.SourceStream, providers.InputTokens, 12, providers.OutputTokens, 3, providers.TotalTokens, 15),
				Streamed: true,
				Complete: true,
			},
			chunks: 5,
			final:  terminalEnd(testkit.Read(t, "testdata/synthetic/vllm_stream_continuous_usage.sse"), "[DONE]"),
		},
		{
			name: "deepseek cache hit", path: "synthetic/deepseek_nonstream_cache_hit.json",
			url: "https://api.deepseek.com/chat/completions", reqBody: `{"model":"deepseek-chat","messages":[],"max_tokens":64,"stop":"\n\n"}`,
			contentType: ctJSON,
			wantReq: providers.Request{Provider: "deepseek", Operation: "chat", Model: "deepseek-chat", MaxTokens: ptrI(64),
				StopSequences: []string{"\n\n"}},
			wantResp: providers.Response{
				ID: "930c60df-bf64-41c9-a88e-3ec75f81e00e", Model: "deepseek-chat", FinishReasons: []string{"stop"},
				Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 1200, providers.OutputTokens, 5,
					providers.TotalTokens, 1205, providers.CacheReadInputTokens, 1024),
				SystemFingerprint: "fp_deepseek_1",
				Complete:          true,
			},
		},
		{
			// OpenRouter keep-alive comments, then an error chunk inside the
			// 200 stream: it is the stream's last event.
			name: "error chunk in 200 stream", path: "synthetic/chat_stream_error_chunk.sse",
			url: "https://openrouter.ai/api/v1/chat/completions", reqBody: withUsage("openai/gpt-4o"), contentType: ctSSE,
			wantReq: providers.Request{Provider: "openrouter", Operation: "chat", Model: "openai/gpt-4o", Stream: true},
			wantResp: providers.Response{
				ID: "gen-123", Model: "openai/gpt-4o", FinishReasons: []string{"error"},
				Streamed: true, ErrorType: "server_error",
				Complete: true,
			},
			chunks: 2,
			final:  terminalEnd(testkit.Read(t, "testdata/synthetic/chat_stream_error_chunk.sse"), `"error":{`),
		},
		{
			// Without include_usage the stream carries no usage by design:
			// Usage stays empty (source none) and nothing is wrong. Two
			// choices finish out of order; reasons come in index order.
			name: "stream without include_usage", path: "synthetic/chat_stream_no_include_usage.sse", url: openAIChatURL,
			reqBody:     `{"model":"gpt-4o-mini","n":2,"seed":7,"stream":true,"stop":["END","STOP"],"presence_penalty":0.5,"frequency_penalty":-0.5,"top_p":0.9,"service_tier":"auto"}`,
			contentType: ctSSE,
			wantReq: providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-4o-mini", Stream: true,
				ChoiceCount: ptrI(2), Seed: ptrI(7), StopSequences: []string{"END", "STOP"}, PresencePenalty: ptrF(0.5),
				FrequencyPenalty: ptrF(-0.5), TopP: ptrF(0.9), ServiceTier: "auto"},
			wantResp: providers.Response{
				ID: "chatcmpl-nousage", Model: "gpt-4o-mini-2024-07-18", FinishReasons: []string{"stop", "length"},
				Streamed: true, ServiceTier: "default", SystemFingerprint: "fp_0ba0d124f1",
				Complete: true, UsageNotRequested: true,
			},
			chunks: 5,
			final:  terminalEnd(testkit.Read(t, "testdata/synthetic/chat_stream_no_include_usage.sse"), "[DONE]"),
		},
		{
			name: "429 error body", path: "synthetic/error_429.json", url: openAIChatURL, reqBody: streamBody("gpt-4o"),
			contentType: ctJSON, status: 429,
			wantReq:  providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-4o", Stream: true},
			wantResp: providers.Response{Complete: true, ErrorType: "tokens"},
		},
		{
			name: "azure content filter 400", path: "synthetic/azure_error_content_filter_400.json",
			url:     "https://myres.cognitiveservices.azure.com/openai/v1/chat/completions",
			reqBody: `{"model":"gpt-4o","messages":[]}`, contentType: ctJSON, status: 400,
			wantReq:  providers.Request{Provider: "azure.ai.openai", Operation: "chat", Model: "gpt-4o"},
			wantResp: providers.Response{Complete: true, ErrorType: "content_filter"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

// TestChatClosedAfterFinalEvent: openai-go closes the body as soon as
// [DONE] arrives, before EOF (Finish(false)). That stream is whole; one
// closed before [DONE] is not.
func TestChatClosedAfterFinalEvent(t *testing.T) {
	for _, c := range []struct {
		path, url, reqBody string
		usage              providers.Usage
	}{
		{"openai/chat_stream_include_usage_recorded.sse", "", "",
			testkit.Usage(providers.SourceStream, providers.InputTokens, 12, providers.OutputTokens, 100,
				providers.TotalTokens, 112, providers.CacheReadInputTokens, 0, providers.ReasoningTokens, 100, providers.InputAudioTokens, 0, providers.OutputAudioTokens, 0)},
		{"openai/chat_completion_stream_with_usage_openai-go-test.sse", openAIChatURL,
			`{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true}}`,
			testkit.Usage(providers.SourceStream, providers.InputTokens, 0, providers.OutputTokens, 50,
				providers.TotalTokens, 50, providers.CacheReadInputTokens, 10, providers.ReasoningTokens, 3, providers.InputAudioTokens, 0, providers.OutputAudioTokens, 1)},
	} {
		e := fixture(t, c.path, c.url, c.reqBody, ctSSE)
		body := e.ResponseBody
		_, r := testkit.Observe(t, New(), e, testkit.Whole(body), false)
		assert.True(t, r.Complete, c.path)
		assert.Equal(t, c.usage, r.Usage, c.path)
		assert.Empty(t, r.ObserveError, c.path)

		cut := bytes.LastIndex(body, []byte("data: [DONE]"))
		require.Greater(t, cut, 0, c.path)
		_, r = testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), false)
		assert.False(t, r.Complete, c.path)
		assert.Equal(t, c.usage, r.Usage, "%s: the usage chunk came before [DONE]", c.path)
		assert.Empty(t, r.ObserveError, "%s: an early Finish is not an observation error", c.path)
	}
}

func TestChatStreamUsageAbsentWhenNotRequested(t *testing.T) {
	e := fixture(t, "synthetic/chat_stream_no_include_usage.sse", openAIChatURL, `{"model":"gpt-4o-mini","stream":true}`, ctSSE)
	_, r := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.SourceNone, r.Usage.Source)
	assert.Zero(t, r.Usage.Reported)
	assert.Empty(t, r.ObserveError)

	// The same stream when the request did ask for usage: something is amiss.
	e.Body = []byte(`{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true}}`)
	_, r = testkit.Replay(t, New(), e)
	assert.Zero(t, r.Usage.Reported)
	assert.Contains(t, r.ObserveError, "include_usage")
}

func TestChatStreamWithoutContentType(t *testing.T) {
	// No Content-Type: the request's "stream":true decides; with no request
	// body either, the first byte does.
	body := testkit.Read(t, "testdata/openai/chat_stream_include_usage_recorded.sse")
	for name, reqBody := range map[string][]byte{"request says": []byte(`{"model":"m","stream":true}`), "sniffed": nil} {
		e := testkit.Exchange{URL: openAIChatURL, Body: reqBody, ResponseBody: body}
		_, r := testkit.Replay(t, New(), e)
		assert.True(t, r.Streamed, name)
		assert.Equal(t, int64(112), r.Usage.TotalTokens, name)
		assert.Empty(t, r.ObserveError, name)
	}
	full := testkit.Read(t, "testdata/openai/chat_nonstream_reasoning_recorded.json")
	e := testkit.Exchange{URL: openAIChatURL, ResponseBody: full}
	_, r := testkit.Replay(t, New(), e)
	assert.False(t, r.Streamed)
	assert.Equal(t, int64(294), r.Usage.TotalTokens)
}

func TestChatSpecExampleIsNotAWireStream(t *testing.T) {
	// The spec's stream example lost its "data:" prefixes: no event at all.
	e := fixture(t, "openai/chat_completion_stream_example_from_spec.txt", openAIChatURL,
		`{"model":"gpt-4o-mini","stream":true}`, ctSSE)
	_, r := testkit.Replay(t, New(), e)
	assert.Zero(t, r.Usage.Reported)
	assert.Empty(t, r.ID)
	assert.True(t, r.Streamed)
	assert.Equal(t, "stream ended before its final event", r.ObserveError)
	_, r = testkit.Observe(t, New(), e, testkit.Whole(e.ResponseBody), false)
	assert.Empty(t, r.ObserveError, "a body closed early is not a parse failure")
	testkit.Truncations(t, New(), e, func(int, bool, providers.Response) {})

	// Read as a non-streamed body, it is not one JSON document either.
	e.ResponseHeader.Set("Content-Type", ctJSON)
	_, r = testkit.Replay(t, New(), e)
	assert.Equal(t, "response JSON is malformed or truncated", r.ObserveError)
	assert.Zero(t, r.Usage.Reported)
}

func TestChatBadInputs(t *testing.T) {
	html := testkit.Read(t, "testdata/synthetic/html_502.html")
	cases := []struct {
		name        string
		status      int
		contentType string
		reqBody     string
		body        string
		want        providers.Response
	}{
		{"html 502", 502, ctHTML, `{"model":"m"}`, string(html), providers.Response{ObserveError: "response is not JSON"}},
		{"html 502 for a stream", 502, ctHTML, `{"model":"m","stream":true}`, string(html), providers.Response{ObserveError: "response is not JSON"}},
		{"html 200 without content type", 200, "", `{"model":"m"}`, string(html), providers.Response{ObserveError: "response is not JSON"}},
		{"empty body", 200, ctJSON, `{"model":"m"}`, "", providers.Response{ObserveError: "response body is empty"}},
		{"empty 500", 500, "", `{"model":"m"}`, "", providers.Response{ObserveError: "response body is empty"}},
		{"malformed json", 200, ctJSON, `{"model":"m"}`, `{"id":"x","choices":[{"finish_reason":"stop"}],`, providers.Response{ObserveError: "response JSON is malformed or truncated"}},
		{"garbage", 200, ctJSON, `{"model":"m"}`, "\x00\xff\xfe garbage", providers.Response{ObserveError: "response is not JSON"}},
		{"empty stream", 200, ctSSE, `{"model":"m","stream":true}`, "", providers.Response{Streamed: true, ObserveError: "stream ended before its final event"}},
		{"garbage stream", 200, ctSSE, `{"model":"m","stream":true}`, "data: {nope\n\ndata: [DONE]\n\n", providers.Response{Streamed: true, Complete: true, UsageNotRequested: true, ObserveError: "1 stream event(s) not valid JSON"}},
		{"500 error body", 500, ctJSON, `{"model":"m"}`, `{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}`, providers.Response{Complete: true, ErrorType: "server_error"}},
		{"401 code only", 401, ctJSON, `{"model":"m"}`, `{"error":{"message":"Incorrect API key provided","type":null,"code":"invalid_api_key"}}`, providers.Response{Complete: true, ErrorType: "invalid_api_key"}},
		{"numeric code", 429, ctJSON, `{"model":"m"}`, `{"error":{"message":"Rate limit exceeded","code":429}}`, providers.Response{Complete: true, ErrorType: "429"}},
		{"vllm top-level error", 400, ctJSON, `{"model":"m"}`, `{"object":"error","message":"bad","type":"BadRequestError","param":null,"code":400}`, providers.Response{Complete: true, ErrorType: "BadRequestError"}},
		{"gemini array error", 429, ctJSON, `{"model":"m"}`, `[{"error":{"code":429,"message":"Resource exhausted","status":"RESOURCE_EXHAUSTED"}}]`, providers.Response{Complete: true, ErrorType: "RESOURCE_EXHAUSTED"}},
		{"error body on a stream request", 400, ctJSON, `{"model":"m","stream":true}`, `{"error":{"type":"invalid_request_error","message":"x"}}`, providers.Response{Complete: true, ErrorType: "invalid_request_error"}},
		{"error event in a 200 stream", 200, ctSSE, `{"model":"m","stream":true}`, "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n", providers.Response{Streamed: true, Complete: true, ErrorType: "server_error"}},
		{"named error event with text", 200, ctSSE, `{"model":"m","stream":true}`, "event: error\ndata: Input validation error\n\n", providers.Response{Streamed: true, Complete: true, ErrorType: "error"}},
		{"named error event with JSON", 200, ctSSE, `{"model":"m","stream":true}`, "event: error\ndata: {\"error\":{\"code\":\"overloaded\"}}\n\n", providers.Response{Streamed: true, Complete: true, ErrorType: "overloaded"}},
		{"ndjson framing", 200, "application/x-ndjson", `{"model":"m","stream":true}`, "{}\n", providers.Response{ObserveError: "response framing application/x-ndjson not read"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := testkit.Exchange{URL: openAIChatURL, Body: []byte(c.reqBody), Status: c.status,
				ResponseHeader: map[string][]string{}, ResponseBody: []byte(c.body)}
			if c.contentType != "" {
				e.ResponseHeader.Set("Content-Type", c.contentType)
			}
			_, r := testkit.Replay(t, New(), e)
			assert.Equal(t, c.want, r)
			testkit.Truncations(t, New(), e, nil)
		})
	}
}

func TestNonStreamBodyOverLimit(t *testing.T) {
	call := New().Match(testkit.Exchange{URL: openAIChatURL}.Request())
	call.Request([]byte(`{"model":"m"}`))
	resp := testkit.Exchange{ResponseHeader: map[string][]string{"Content-Type": {ctJSON}}}.Response(nil)
	obs := call.Observe(resp)
	chunk := make([]byte, 1<<20)
	obs.Write([]byte(`{"id":"x","pad":"`))
	for i := 0; i < 9; i++ {
		obs.Write(chunk)
	}
	r := obs.Finish(true)
	assert.Equal(t, "response body over 8 MiB not parsed", r.ObserveError)
	assert.Empty(t, r.ID)
}

func TestChatStreamAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	e := testkit.Exchange{URL: openAIChatURL, Body: []byte(`{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true}}`),
		ResponseHeader: map[string][]string{"Content-Type": {ctSSE}}}
	head := []byte(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}` + "\n\n")
	chunk := []byte(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":" hello"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"abc"}` + "\n\n")
	tail := []byte(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}` + "\n\n" +
		`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14,"prompt_tokens_details":{"cached_tokens":0}}}` + "\n\ndata: [DONE]\n\n")
	assert.Zero(t, testkit.AllocsPerChunk(t, New(), e, head, chunk, tail, 100))

	// Running usage in every chunk (vLLM) and a finish reason repeated.
	chunk = []byte(`data: {"id":"x","model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}` + "\n\n")
	assert.Zero(t, testkit.AllocsPerChunk(t, New(), e, chunk, chunk, []byte("data: [DONE]\n\n"), 100))
}

func TestSniffedBodies(t *testing.T) {
	// Neither the request nor the headers say: the first byte decides.
	for _, c := range []struct {
		body     string
		streamed bool
		errText  string
	}{
		{"<html>502</html>", false, "response is not JSON"},
		{"  {\"id\":\"x\",\"choices\":[]}", false, ""},
		{": keep-alive\n\ndata: {\"id\":\"x\",\"choices\":[]}\n\ndata: [DONE]\n\n", true, ""},
		{"event: message\ndata: [DONE]\n\n", true, ""},
		{"", false, "response body is empty"},
	} {
		e := testkit.Exchange{URL: openAIChatURL, ResponseBody: []byte(c.body)}
		_, r := testkit.Replay(t, New(), e)
		assert.Equal(t, c.streamed, r.Streamed, c.body)
		assert.Equal(t, c.errText, r.ObserveError, c.body)
	}
	call := New().Match(testkit.Exchange{URL: openAIChatURL}.Request())
	obs := call.Observe(nil)
	obs.Write([]byte(`{"id":"x"}`))
	assert.Equal(t, "x", obs.Finish(true).ID)
}
