package gemini

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

const (
	geminiBase = "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash"
	vertexBase = "https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash"
)

var (
	jsonHeader = http.Header{"Content-Type": {"application/json; charset=UTF-8"}}
	sseHeader  = http.Header{"Content-Type": {"text/event-stream"}}
	htmlHeader = http.Header{"Content-Type": {"text/html; charset=UTF-8"}}
)

func i64(v int64) *int64                    { return &v }
func f64(v float64) *float64                { return &v }
func read(t *testing.T, name string) []byte { return testkit.Read(t, "testdata/"+name) }

// usage builds the expected Usage from (field, value) pairs.
// checkTruncations is testkit.CheckTruncations, plus: an early end is
// never reported as a malformed stream.
func checkTruncations(t *testing.T, e testkit.Exchange, full providers.Response, finalEnd int) {
	t.Helper()
	testkit.CheckTruncations(t, New(), e, full, finalEnd, func(cut int, complete bool, r providers.Response) {
		if !complete && r.Streamed {
			require.NotContains(t, r.ObserveError, providers.ProblemEventMalformed, "cut %d: an early end is not malformed", cut)
		}
	})
}

func TestVertexGenerateContentRecorded(t *testing.T) {
	e := testkit.Exchange{
		URL:            vertexBase + ":generateContent",
		Header:         http.Header{"Authorization": {"Bearer secret-token"}},
		Body:           []byte(`{"contents":[{"role":"user","parts":[{"text":"Write a poem about OpenTelemetry."}]}],"generationConfig":{"temperature":0.5,"maxOutputTokens":2048}}`),
		ResponseHeader: jsonHeader,
		ResponseBody:   read(t, "vertex_gemini_generateContent_recorded.json"),
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{
		Provider: ProviderVertexAI, Operation: providers.OperationGenerateContent, Model: "gemini-2.5-flash",
		Temperature: f64(0.5), MaxTokens: i64(2048),
	}, req)
	assert.Equal(t, providers.Response{
		ID:            "hizpaKmcH9qs698P85HHgAU",
		Model:         "gemini-2.5-flash",
		FinishReasons: []string{"STOP"},
		Usage: testkit.Usage(providers.SourceResponseBody,
			providers.InputTokens, 8, providers.OutputTokens, 433+1477, providers.TotalTokens, 1918,
			providers.ReasoningTokens, 1477),
		Complete: true,
	}, resp)
	checkTruncations(t, e, resp, len(e.ResponseBody))
}

func TestVertexStreamSSERecorded(t *testing.T) {
	body := read(t, "vertex_gemini_streamGenerateContent_alt_sse_recorded.sse")
	require.True(t, bytes.Contains(body, []byte("\r\n\r\n")), "fixture must keep its CRLF separators")
	e := testkit.Exchange{
		URL:            vertexBase + ":streamGenerateContent?alt=sse",
		Body:           []byte(`{"contents":[{"role":"user","parts":[{"text":"poem"}]}]}`),
		ResponseHeader: sseHeader,
		ResponseBody:   body,
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{
		Provider: ProviderVertexAI, Operation: providers.OperationGenerateContent, Model: "gemini-2.5-flash", Stream: true,
	}, req)
	assert.Equal(t, providers.Response{
		ID:            "vizpaJGEDvXZnvgPisGa2A0",
		Model:         "gemini-2.5-flash",
		FinishReasons: []string{"STOP"},
		Streamed:      true,
		Usage: testkit.Usage(providers.SourceStream,
			providers.InputTokens, 8, providers.OutputTokens, 388+2193, providers.TotalTokens, 2589,
			providers.ReasoningTokens, 2193),
		Complete: true,
	}, resp)
	assert.Equal(t, 6, observeChunks(t, e))
	checkTruncations(t, e, resp, len(bytes.TrimRight(body, "\r\n")))
}

// TestClosedAfterFinalEvent: an SDK may close the body once the final chunk
// (finish reasons and usage) arrives, before EOF (Finish(false)). That
// stream is whole; one closed before the final chunk is not.
func TestClosedAfterFinalEvent(t *testing.T) {
	body := read(t, "vertex_gemini_streamGenerateContent_alt_sse_recorded.sse")
	e := testkit.Exchange{URL: vertexBase + ":streamGenerateContent?alt=sse", ResponseHeader: sseHeader, ResponseBody: body}
	_, r := testkit.Observe(t, New(), e, testkit.Whole(body), false)
	assert.True(t, r.Complete)
	assert.Equal(t, testkit.Usage(providers.SourceStream,
		providers.InputTokens, 8, providers.OutputTokens, 388+2193, providers.TotalTokens, 2589,
		providers.ReasoningTokens, 2193), r.Usage)
	assert.Equal(t, []string{"STOP"}, r.FinishReasons)
	assert.Empty(t, r.ObserveError)

	cut := bytes.LastIndex(body, []byte("data: "))
	require.Greater(t, cut, 0)
	_, r = testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), false)
	assert.False(t, r.Complete)
	assert.Empty(t, r.ObserveError, "an early Finish is not an observation error")
}

func TestGeminiStreamArray(t *testing.T) {
	body := read(t, "gemini_api_stream_array_synthetic.json")
	e := testkit.Exchange{
		URL:            geminiBase + ":streamGenerateContent?key=SECRET-KEY",
		Body:           []byte(`{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"thinkingConfig":{"thinkingBudget":1024},"topK":40,"topP":0.9,"candidateCount":1,"seed":7,"stopSequences":["END"],"presencePenalty":0.1,"frequencyPenalty":0.2}}`),
		ResponseHeader: jsonHeader, // Gemini labels the streamed array application/json
		ResponseBody:   body,
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{
		Provider: ProviderGemini, Operation: providers.OperationGenerateContent, Model: "gemini-2.5-flash", Stream: true,
		StreamFraming: providers.FramingJSONArray, TopK: f64(40), TopP: f64(0.9), ChoiceCount: i64(1), Seed: i64(7), StopSequences: []string{"END"},
		PresencePenalty: f64(0.1), FrequencyPenalty: f64(0.2),
	}, req)
	assert.Equal(t, providers.Response{
		ID:            "resp-array-1",
		Model:         "gemini-2.5-flash",
		FinishReasons: []string{"STOP"},
		Streamed:      true,
		Usage: testkit.Usage(providers.SourceStream,
			providers.InputTokens, 12, providers.OutputTokens, 20+110, providers.TotalTokens, 142,
			providers.CacheReadInputTokens, 4, providers.ReasoningTokens, 110),
		Complete: true,
	}, resp)
	assert.Equal(t, 3, observeChunks(t, e))
	assertNoSecret(t, req, resp)
	checkTruncations(t, e, resp, len(body))
}

func TestGeminiStreamSSEWithLF(t *testing.T) {
	body := read(t, "gemini_api_stream_sse_lf_synthetic.sse")
	e := testkit.Exchange{
		URL:            geminiBase + ":streamGenerateContent?alt=sse",
		Header:         http.Header{"X-Goog-Api-Key": {"SECRET-KEY"}},
		ResponseHeader: sseHeader,
		ResponseBody:   body,
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{
		Provider: ProviderGemini, Operation: providers.OperationGenerateContent, Model: "gemini-2.5-flash", Stream: true,
	}, req)
	assert.Equal(t, providers.Response{
		ID:            "resp-sse-1",
		Model:         "gemini-2.5-flash",
		FinishReasons: []string{"MAX_TOKENS"},
		Streamed:      true,
		Usage: testkit.Usage(providers.SourceStream,
			providers.InputTokens, 1050+30, providers.OutputTokens, 3+300, providers.TotalTokens, 1383,
			providers.CacheReadInputTokens, 1024, providers.ReasoningTokens, 300),
		Complete: true,
	}, resp)
	assert.Equal(t, resp.Usage.TotalTokens, resp.Usage.InputTokens+resp.Usage.OutputTokens)
	assertNoSecret(t, req, resp)
	checkTruncations(t, e, resp, len(bytes.TrimRight(body, "\n")))

	// Without a Content-Type the ?alt=sse of the request decides.
	e.ResponseHeader = nil
	_, bare := testkit.Replay(t, New(), e)
	assert.Equal(t, resp, bare)
}

func TestGenerateThoughtsCachedTwoCandidates(t *testing.T) {
	e := testkit.Exchange{
		URL:            "https://generativelanguage.googleapis.com/v1/models/gemini-2.5-pro:generateContent",
		Body:           []byte(`{"generation_config":{"candidate_count":2,"max_output_tokens":100,"top_p":0.5}}`),
		ResponseHeader: jsonHeader,
		ResponseBody:   read(t, "gemini_api_generate_thoughts_cached_synthetic.json"),
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{
		Provider: ProviderGemini, Operation: providers.OperationGenerateContent, Model: "gemini-2.5-pro",
		ChoiceCount: i64(2), MaxTokens: i64(100), TopP: f64(0.5),
	}, req)
	assert.Equal(t, providers.Response{
		ID:            "resp-full-2",
		Model:         "gemini-2.5-pro",
		FinishReasons: []string{"STOP", "MAX_TOKENS"},
		Usage: testkit.Usage(providers.SourceResponseBody,
			providers.InputTokens, 2100, providers.OutputTokens, 540, providers.TotalTokens, 2640,
			providers.CacheReadInputTokens, 2048, providers.ReasoningTokens, 500),
		Complete: true,
	}, resp)
	checkTruncations(t, e, resp, len(bytes.TrimSpace(e.ResponseBody)))
}

func TestErrorBody429(t *testing.T) {
	for _, url := range []string{geminiBase + ":generateContent", geminiBase + ":streamGenerateContent", geminiBase + ":streamGenerateContent?alt=sse"} {
		e := testkit.Exchange{URL: url, Status: 429, ResponseHeader: jsonHeader, ResponseBody: read(t, "error_429_synthetic.json")}
		_, resp := testkit.Replay(t, New(), e)
		assert.Equal(t, providers.Response{Complete: true, ErrorType: "RESOURCE_EXHAUSTED"}, resp, url)
		checkTruncations(t, e, resp, 0)
	}
	// The array form of a streamed call's error body.
	e := testkit.Exchange{URL: geminiBase + ":streamGenerateContent", Status: 400, ResponseHeader: jsonHeader,
		ResponseBody: []byte(`[{"error":{"code":400,"message":"API key not valid.","status":"INVALID_ARGUMENT"}}]`)}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, "INVALID_ARGUMENT", resp.ErrorType)
	// Only a code.
	e.ResponseBody = []byte(`{"error":{"code":503,"message":"overloaded"}}`)
	_, resp = testkit.Replay(t, New(), e)
	assert.Equal(t, "503", resp.ErrorType)
}

func TestErrorInsideStream(t *testing.T) {
	e := testkit.Exchange{
		URL:            geminiBase + ":streamGenerateContent",
		ResponseHeader: jsonHeader,
		ResponseBody:   read(t, "stream_array_error_synthetic.json"),
	}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		ID: "resp-err-1", Model: "gemini-2.5-flash", Streamed: true, Complete: true, ErrorType: "INTERNAL",
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 5, providers.TotalTokens, 5),
	}, resp)
	checkTruncations(t, e, resp, len(e.ResponseBody))

	// The same in an SSE stream.
	e = testkit.Exchange{
		URL:            geminiBase + ":streamGenerateContent?alt=sse",
		ResponseHeader: sseHeader,
		ResponseBody:   []byte("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"x\"}]}}]}\r\n\r\ndata: {\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\"}}\r\n\r\n"),
	}
	_, resp = testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{Streamed: true, Complete: true, ErrorType: "UNAVAILABLE"}, resp)
}

func TestHTML502(t *testing.T) {
	for _, url := range []string{geminiBase + ":generateContent", geminiBase + ":streamGenerateContent", vertexBase + ":streamGenerateContent?alt=sse"} {
		e := testkit.Exchange{URL: url, Status: 502, ResponseHeader: htmlHeader, ResponseBody: read(t, "html_502_synthetic.html")}
		_, resp := testkit.Replay(t, New(), e)
		assert.Equal(t, providers.Response{ObserveError: "response is not JSON"}, resp, url)
		checkTruncations(t, e, resp, 0)
	}
}

func TestEmbedContent(t *testing.T) {
	e := testkit.Exchange{
		URL:            "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:embedContent",
		Body:           []byte(`{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"hello"}]},"outputDimensionality":768}`),
		ResponseHeader: jsonHeader,
		ResponseBody:   read(t, "embed_content_synthetic.json"),
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: ProviderGemini, Operation: providers.OperationEmbeddings, Model: "gemini-embedding-001", Dimensions: i64(768)}, req)
	assert.Equal(t, providers.Response{Complete: true}, resp, "no usage, no error")
	checkTruncations(t, e, resp, len(bytes.TrimSpace(e.ResponseBody)))

	// batchEmbedContents: the dimensions of the first request; usage if any.
	e.URL = "https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents"
	e.Body = []byte(`{"requests":[{"model":"models/gemini-embedding-001","content":{"parts":[{"text":"a"}]},"output_dimensionality":256}]}`)
	e.ResponseBody = []byte(`{"embeddings":[{"values":[0.1]}],"usageMetadata":{"promptTokenCount":3,"totalTokenCount":3}}`)
	req, resp = testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: ProviderGemini, Operation: providers.OperationEmbeddings, Model: "gemini-embedding-001", Dimensions: i64(256)}, req)
	assert.Equal(t, testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 3, providers.TotalTokens, 3), resp.Usage)
}

func TestBadBodies(t *testing.T) {
	cases := []struct {
		name, url string
		header    http.Header
		body      string
		want      string
	}{
		{"empty full", geminiBase + ":generateContent", jsonHeader, "", "response body is empty"},
		{"malformed full", geminiBase + ":generateContent", jsonHeader, `{"candidates":[}`, "response JSON is malformed or truncated"},
		{"garbage full", geminiBase + ":generateContent", nil, "\x00\xff garbage", "response is not JSON"},
		{"empty array stream", geminiBase + ":streamGenerateContent", jsonHeader, "", providers.ProblemTruncated},
		{"garbage array stream", geminiBase + ":streamGenerateContent", jsonHeader, "[not json]", "2 " + providers.ProblemEventMalformed + "; " + providers.ProblemTruncated},
		{"malformed element after final", geminiBase + ":streamGenerateContent", jsonHeader,
			`[{"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":1}},{"x":tru}]`, "1 " + providers.ProblemEventMalformed},
		{"empty sse stream", geminiBase + ":streamGenerateContent?alt=sse", sseHeader, "", providers.ProblemTruncated},
		{"no finish reason", geminiBase + ":streamGenerateContent?alt=sse", sseHeader,
			"data: {\"candidates\":[{\"content\":{}}],\"usageMetadata\":{\"promptTokenCount\":1}}\n\n", providers.ProblemTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := testkit.Exchange{URL: c.url, ResponseHeader: c.header, ResponseBody: []byte(c.body)}
			_, resp := testkit.Replay(t, New(), e)
			assert.Equal(t, c.want, resp.ObserveError)
			assert.Empty(t, resp.ErrorType)
		})
	}
}

func TestBlockedPromptEndsStream(t *testing.T) {
	e := testkit.Exchange{
		URL:            geminiBase + ":streamGenerateContent?alt=sse",
		ResponseHeader: sseHeader,
		ResponseBody:   []byte("data: {\"promptFeedback\":{\"blockReason\":\"SAFETY\"},\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7},\"modelVersion\":\"gemini-2.0-flash\"}\r\n\r\n"),
	}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		Model: "gemini-2.0-flash", Streamed: true, Complete: true,
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 7, providers.TotalTokens, 7),
	}, resp)
}

func TestPartialResultOnEarlyEnd(t *testing.T) {
	body := read(t, "gemini_api_stream_array_synthetic.json")
	cut := bytes.LastIndex(body, []byte("\n,\r\n"))
	e := testkit.Exchange{URL: geminiBase + ":streamGenerateContent", ResponseHeader: jsonHeader, ResponseBody: body}
	_, resp := testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), false)
	assert.Equal(t, providers.Response{
		ID: "resp-array-1", Model: "gemini-2.5-flash", Streamed: true,
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 12, providers.OutputTokens, 109,
			providers.TotalTokens, 121, providers.ReasoningTokens, 100),
	}, resp)
}

func TestBodyOverLimit(t *testing.T) {
	e := testkit.Exchange{URL: geminiBase + ":generateContent", ResponseHeader: jsonHeader}
	big := bytes.Repeat([]byte(" "), 1<<20)
	parts := [][]byte{[]byte(`{"candidates":[],`)}
	for i := 0; i < 9; i++ {
		parts = append(parts, big)
	}
	_, resp := testkit.Observe(t, New(), e, parts, true)
	assert.Equal(t, providers.Response{ObserveError: "response body over 8 MiB not parsed"}, resp)
}

func TestMatch(t *testing.T) {
	type want struct {
		provider, operation, model string
		stream                     bool
	}
	cases := []struct {
		url  string
		want *want
	}{
		{geminiBase + ":generateContent", &want{ProviderGemini, "generate_content", "gemini-2.5-flash", false}},
		{geminiBase + ":streamGenerateContent?alt=sse&key=k", &want{ProviderGemini, "generate_content", "gemini-2.5-flash", true}},
		{"https://generativelanguage.googleapis.com/v1/models/gemini-2.0-flash-001:generateContent", &want{ProviderGemini, "generate_content", "gemini-2.0-flash-001", false}},
		{"https://generativelanguage.googleapis.com/v1alpha/models/gemini-2.0-flash-thinking-exp:streamGenerateContent", &want{ProviderGemini, "generate_content", "gemini-2.0-flash-thinking-exp", true}},
		{"https://generativelanguage.googleapis.com/v1beta/tunedModels/my-tuned-1:generateContent", &want{ProviderGemini, "generate_content", "tunedModels/my-tuned-1", false}},
		{"https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:embedContent", &want{ProviderGemini, "embeddings", "text-embedding-004", false}},
		{"https://generativelanguage.googleapis.com/v1beta/models/text-embedding-004:batchEmbedContents", &want{ProviderGemini, "embeddings", "text-embedding-004", false}},
		{vertexBase + ":generateContent", &want{ProviderVertexAI, "generate_content", "gemini-2.5-flash", false}},
		{vertexBase + ":streamGenerateContent?alt=sse", &want{ProviderVertexAI, "generate_content", "gemini-2.5-flash", true}},
		{"https://aiplatform.googleapis.com/v1beta1/projects/p/locations/global/publishers/google/models/gemini-2.5-pro:generateContent", &want{ProviderVertexAI, "generate_content", "gemini-2.5-pro", false}},
		{"https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-flash:generateContent?key=k", &want{ProviderVertexAI, "generate_content", "gemini-2.5-flash", false}},
		{"https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/europe-west4/publishers/google/models/gemini-embedding-001:embedContent", &want{ProviderVertexAI, "embeddings", "gemini-embedding-001", false}},
		// Any host, path shape decides; a gateway prefix is fine.
		{"http://localhost:8080/v1beta/models/gemini-2.5-flash:generateContent", &want{ProviderGemini, "generate_content", "gemini-2.5-flash", false}},
		{"https://gateway.ai.cloudflare.com/v1/acct/gw/google-ai-studio/v1beta/models/gemini-2.5-flash:streamGenerateContent", &want{ProviderGemini, "generate_content", "gemini-2.5-flash", true}},
		{"https://proxy.internal/vertex/v1/projects/p/locations/l/publishers/google/models/gemini-2.5-flash:generateContent", &want{ProviderVertexAI, "generate_content", "gemini-2.5-flash", false}},
		// Look-alikes and methods that are not recognised.
		{geminiBase + ":countTokens", &want{ProviderGemini, "count_tokens", "gemini-2.5-flash", false}},
		{vertexBase + ":countTokens", &want{ProviderVertexAI, "count_tokens", "gemini-2.5-flash", false}},
		{geminiBase + ":computeTokens", nil},
		{"https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash", nil},
		{"https://generativelanguage.googleapis.com/v1beta/models", nil},
		{"https://generativelanguage.googleapis.com/v1beta/models/:generateContent", nil},
		{"https://generativelanguage.googleapis.com/v2/models/gemini:generateContent", nil},
		{"https://generativelanguage.googleapis.com/v1beta/cachedContents/abc:generateContent", nil},
		{"https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/l/publishers/anthropic/models/claude:rawPredict", nil},
		{"https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/l/publishers/anthropic/models/claude:generateContent", nil},
		{"https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/l/endpoints/openapi/chat/completions", nil},
		{"https://api.openai.com/v1/chat/completions", nil},
		{"https://example.com/v1beta/models/x:generateContentX", nil},
		{"https://example.com/models/x:generateContent", nil},
	}
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodPost, c.url, strings.NewReader("{}"))
		call := New().Match(req)
		if c.want == nil {
			assert.Nil(t, call, c.url)
			continue
		}
		require.NotNil(t, call, c.url)
		r := call.Request(nil)
		framing := providers.FramingDefault
		if c.want.stream && !strings.Contains(c.url, "alt=sse") {
			framing = providers.FramingJSONArray // one JSON array
		}
		assert.Equal(t, providers.Request{Provider: c.want.provider, Operation: c.want.operation, Model: c.want.model, Stream: c.want.stream, StreamFraming: framing}, r, c.url)
	}
	get := httptest.NewRequest(http.MethodGet, geminiBase+":generateContent", nil)
	assert.Nil(t, New().Match(get))
	assert.Equal(t, "gemini", New().Name())
}

func TestRequestParsing(t *testing.T) {
	call := New().Match(httptest.NewRequest(http.MethodPost, geminiBase+":generateContent?key=SECRET", nil))
	base := providers.Request{Provider: ProviderGemini, Operation: providers.OperationGenerateContent, Model: "gemini-2.5-flash"}
	assert.Equal(t, base, call.Request(nil), "nil body: URL facts only")
	assert.Equal(t, base, call.Request([]byte(`{"generationConfig":`)), "malformed: URL facts only")
	assert.Equal(t, base, call.Request([]byte(`[1,2]`)))
	assert.Equal(t, base, call.Request([]byte(`{"generationConfig":{"temperature":"hot"}}`)))
	assert.Equal(t, base, call.Request([]byte(`{"contents":[]}`)))
	full := base
	full.Temperature, full.TopP, full.TopK, full.MaxTokens = f64(0), f64(1), f64(3), i64(10)
	full.StopSequences, full.ChoiceCount, full.Seed = []string{"a", "b"}, i64(2), i64(-1)
	full.PresencePenalty, full.FrequencyPenalty = f64(-0.5), f64(1.5)
	assert.Equal(t, full, call.Request([]byte(`{"generationConfig":{"temperature":0,"topP":1,"topK":3,"maxOutputTokens":10,"stopSequences":["a","b"],"candidateCount":2,"seed":-1,"presencePenalty":-0.5,"frequencyPenalty":1.5}}`)))
}

func TestAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	chunk := []byte(`{"candidates": [{"content": {"role": "model","parts": [{"text": " into vibrant sight, \"quoted\" [x]"}]}}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8,"trafficType": "ON_DEMAND"},"modelVersion": "gemini-2.5-flash","responseId": "vizpaJGEDvXZnvgPisGa2A0"}`)
	final := []byte(`{"candidates": [{"content": {"role": "model","parts": [{"text": "."}]},"finishReason": "STOP"}],"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 388,"totalTokenCount": 2589,"thoughtsTokenCount": 2193},"modelVersion": "gemini-2.5-flash","responseId": "vizpaJGEDvXZnvgPisGa2A0"}`)
	sse := testkit.Exchange{URL: vertexBase + ":streamGenerateContent?alt=sse", ResponseHeader: sseHeader}
	sseChunk := append(append([]byte("data: "), chunk...), "\r\n\r\n"...)
	sseTail := append(append([]byte("data: "), final...), "\r\n\r\n"...)
	allocs := testkit.AllocsPerChunk(t, New(), sse, sseChunk, sseChunk, sseTail, 20)
	t.Logf("sse: %.3f allocations per chunk", allocs)
	assert.LessOrEqual(t, allocs, 0.0, "sse")

	arr := testkit.Exchange{URL: geminiBase + ":streamGenerateContent", ResponseHeader: jsonHeader}
	arrChunk := append(append([]byte{}, chunk...), "\n,\r\n"...)
	allocs = testkit.AllocsPerChunk(t, New(), arr, append([]byte("["), arrChunk...), arrChunk, append(append([]byte{}, final...), "\n]"...), 20)
	t.Logf("array: %.3f allocations per chunk", allocs)
	assert.LessOrEqual(t, allocs, 0.0, "array")
}

// observeChunks returns the Chunks count after a whole observation of e.
func observeChunks(t *testing.T, e testkit.Exchange) int {
	t.Helper()
	req := e.Request()
	call := New().Match(req)
	call.Request(e.Body)
	obs := call.Observe(e.Response(req))
	obs.Write(e.ResponseBody)
	n := obs.Chunks()
	obs.Finish(true)
	return n
}

func assertNoSecret(t *testing.T, req providers.Request, resp providers.Response) {
	t.Helper()
	all := strings.Join(append([]string{req.Model, req.Provider, resp.ID, resp.Model, resp.ErrorType, resp.ObserveError}, resp.FinishReasons...), " ")
	assert.NotContains(t, all, "SECRET")
}

// countTokens is recognised with no usage: its totalTokens is the size of
// the prompt it was asked about, not tokens anyone used or paid for.
func TestCountTokens(t *testing.T) {
	e := testkit.Exchange{
		URL:            geminiBase + ":countTokens?key=secret-key",
		Body:           []byte(`{"contents":[{"role":"user","parts":[{"text":"How many tokens is this?"}]}],"generationConfig":{"temperature":0.2}}`),
		ResponseHeader: jsonHeader,
		ResponseBody:   []byte(`{"totalTokens": 7, "cachedContentTokenCount": 3, "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 7}]}`),
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: ProviderGemini, Operation: providers.OperationCountTokens, Model: "gemini-2.5-flash"}, req)
	assert.Equal(t, providers.Response{Complete: true}, resp, "no usage, no error")

	e.Status = http.StatusBadRequest
	e.ResponseBody = []byte(`{"error": {"code": 400, "message": "API key not valid.", "status": "INVALID_ARGUMENT"}}`)
	_, resp = testkit.Replay(t, New(), e)
	assert.Equal(t, "INVALID_ARGUMENT", resp.ErrorType)
	assert.Zero(t, resp.Usage.Reported)
}

// A recorded Gemini API stream whose every chunk carries the running
// usageMetadata: most chunks take the shape's way, their counts read there.
func TestGeminiAPIStreamReasoningRecorded(t *testing.T) {
	body := read(t, "gemini_api_stream_sse_reasoning_recorded.sse")
	e := testkit.Exchange{
		URL:            geminiBase + ":streamGenerateContent?alt=sse",
		Body:           []byte(`{"contents":[{"role":"user","parts":[{"text":"bedtime story"}]}],"generationConfig":{"thinkingConfig":{"include_thoughts":true,"thinking_budget":512}}}`),
		ResponseHeader: sseHeader,
		ResponseBody:   body,
	}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		ID:            "iCUhao2zJ-LHjuMP1vvH2Qk",
		Model:         "gemini-3.5-flash",
		FinishReasons: []string{"STOP"},
		Streamed:      true,
		Usage: testkit.Usage(providers.SourceStream,
			providers.InputTokens, 11, providers.OutputTokens, 703+713, providers.TotalTokens, 1427,
			providers.ReasoningTokens, 713),
		Complete: true,
	}, resp)
	assert.Equal(t, 32, observeChunks(t, e))

	testkit.CheckCuts(t, New(), e, resp, len(bytes.TrimRight(body, "\r\n")), testkit.EventCuts(body, "data: "))
}

// sseChunk is one Gemini API chunk: a text, and the running counts.
func sseChunk(text string, prompt, candidates, total string) string {
	return `data: {"candidates": [{"content": {"parts": [{"text": "` + text + `"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": ` + prompt +
		`,"candidatesTokenCount": ` + candidates + `,"totalTokenCount": ` + total + `},"modelVersion": "gemini-2.5-flash","responseId": "r1"}` + "\r\n\r\n"
}

// The counts of chunks read by their shape are the stream's counts: the
// last value of each wins, whichever way its chunk was read.
func TestCountsOfChunksReadByShape(t *testing.T) {
	final := `data: {"candidates": [{"content": {"parts": [{"text": "."}],"role": "model"},"finishReason": "STOP","index": 0}],"modelVersion": "gemini-2.5-flash","responseId": "r1"}` + "\r\n\r\n"
	cases := []struct {
		name    string
		chunks  []string
		want    providers.Usage
		problem string
	}{
		{"running counts, final chunk without usage", []string{
			sseChunk("a", "11", "1", "12"), sseChunk("b \\\"q\\\" c", "11", "2", "13"), sseChunk("d", "11", "3", "14"),
			sseChunk("e", "11", "40", "51"), final,
		}, testkit.Usage(providers.SourceStream, providers.InputTokens, 11, providers.OutputTokens, 40, providers.TotalTokens, 51), ""},
		{"a count the shape closed changes", []string{
			sseChunk("a", "11", "1", "12"), sseChunk("b", "11", "2", "13"), sseChunk("c", "12", "3", "15"),
			sseChunk("d", "12", "4", "16"), final,
		}, testkit.Usage(providers.SourceStream, providers.InputTokens, 12, providers.OutputTokens, 4, providers.TotalTokens, 16), ""},
		{"a chunk read in full between chunks of the shape", []string{
			sseChunk("a", "11", "1", "12"), sseChunk("b", "11", "2", "13"), sseChunk("c", "12.0", "3", "15"),
			sseChunk("d", "11", "4", "16"), final,
		}, testkit.Usage(providers.SourceStream, providers.InputTokens, 11, providers.OutputTokens, 4, providers.TotalTokens, 16), ""},
		{"counts a shape does not read", []string{
			sseChunk("a", "11", "1", "12"), sseChunk("b", "11", "2", "13"), sseChunk("c", "11", "-3", "14"),
			sseChunk("d", "11", "1e1", "14"), sseChunk("e", "11", "7", "15"), final,
		}, testkit.Usage(providers.SourceStream, providers.InputTokens, 11, providers.OutputTokens, 7, providers.TotalTokens, 15), ""},
		{"a number that is not JSON", []string{
			sseChunk("a", "11", "1", "12"), sseChunk("b", "11", "2", "13"), sseChunk("c", "11", "07", "15"), final,
		}, testkit.Usage(providers.SourceStream, providers.InputTokens, 11, providers.OutputTokens, 2, providers.TotalTokens, 13), "1 " + providers.ProblemEventMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := strings.Join(c.chunks, "")
			e := testkit.Exchange{URL: geminiBase + ":streamGenerateContent?alt=sse", ResponseHeader: sseHeader, ResponseBody: []byte(body)}
			_, resp := testkit.Replay(t, New(), e)
			assert.Equal(t, providers.Response{
				ID: "r1", Model: "gemini-2.5-flash", FinishReasons: []string{"STOP"}, Streamed: true, Complete: true, Usage: c.want,
				ObserveError: c.problem,
			}, resp)
			if c.problem == "" {
				assert.Equal(t, len(c.chunks), observeChunks(t, e))
			}
		})
	}
}

// A chunk of a learnt shape for another candidate, or one that finishes,
// is not read by the shape.
func TestShapeKeepsCandidatesApart(t *testing.T) {
	chunk := func(index, finish string) string {
		return `data: {"candidates": [{"content": {"parts": [{"text": "x"}],"role": "model"},` + finish + `"index": ` + index + `}],"usageMetadata": {"promptTokenCount": 5,"totalTokenCount": 5},"modelVersion": "m"}` + "\r\n\r\n"
	}
	body := chunk("0", "") + chunk("0", "") + chunk("0", "") + chunk("1", "") + chunk("1", "") +
		chunk("0", `"finishReason": "STOP",`) + chunk("1", "") + chunk("1", `"finishReason": "MAX_TOKENS",`)
	e := testkit.Exchange{URL: geminiBase + ":streamGenerateContent?alt=sse", ResponseHeader: sseHeader, ResponseBody: []byte(body)}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		Model: "m", FinishReasons: []string{"STOP", "MAX_TOKENS"}, Streamed: true, Complete: true,
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 5, providers.TotalTokens, 5),
	}, resp)
	// Before candidate 1 finishes the stream is not over.
	cut := strings.LastIndex(body, "data: ")
	e.ResponseBody = []byte(body[:cut])
	_, resp = testkit.Replay(t, New(), e)
	assert.False(t, resp.Complete)
	assert.Equal(t, providers.ProblemTruncated, resp.ObserveError)
}

// The benchmarks' streams are read whole, as a real stream is.
func TestBenchStreams(t *testing.T) {
	for _, c := range []struct {
		name  string
		e     testkit.Exchange
		usage providers.Usage
	}{
		{"gemini sse", testkit.Exchange{URL: geminiBase + ":streamGenerateContent?alt=sse", ResponseHeader: sseHeader, ResponseBody: benchGeminiSSE(300)},
			testkit.Usage(providers.SourceStream, providers.InputTokens, 11, providers.OutputTokens, 3+25*300+713, providers.TotalTokens, 727+25*300, providers.ReasoningTokens, 713)},
		{"gemini array", testkit.Exchange{URL: geminiBase + ":streamGenerateContent", ResponseHeader: jsonHeader, ResponseBody: benchGeminiArray(300)},
			testkit.Usage(providers.SourceStream, providers.InputTokens, 11, providers.OutputTokens, 3+25*300+713, providers.TotalTokens, 727+25*300, providers.ReasoningTokens, 713)},
		{"vertex sse", testkit.Exchange{URL: vertexBase + ":streamGenerateContent?alt=sse", ResponseHeader: sseHeader, ResponseBody: benchVertexSSE(300)},
			testkit.Usage(providers.SourceStream, providers.InputTokens, 8, providers.OutputTokens, 388+2193, providers.TotalTokens, 2589, providers.ReasoningTokens, 2193)},
	} {
		_, resp := testkit.Observe(t, New(), c.e, testkit.RandomSplits(c.e.ResponseBody, 1), true)
		assert.True(t, resp.Complete, c.name)
		assert.Empty(t, resp.ObserveError, c.name)
		assert.Equal(t, c.usage, resp.Usage, c.name)
		assert.Equal(t, 301, observeChunks(t, c.e), c.name)
	}
}

// Google's generated REST clients ask for $alt=json;enum-encoding=int:
// every enum is its number. finishReason 1 is STOP.
func TestIntegerEnumsRecorded(t *testing.T) {
	e := testkit.Exchange{
		URL:            "https://us-central1-aiplatform.googleapis.com/v1/projects/fake-project/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent?%24alt=json%3Benum-encoding%3Dint",
		ResponseHeader: jsonHeader,
		ResponseBody:   read(t, "vertex_rest_int_enums_recorded.json"),
	}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, []string{"STOP"}, resp.FinishReasons)
	assert.Equal(t, "gemini-2.5-pro", resp.Model)
	assert.Equal(t, testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 128, providers.OutputTokens, 26+692,
		providers.TotalTokens, 846, providers.ReasoningTokens, 692), resp.Usage)
	assert.Empty(t, resp.ObserveError)
}

// The two APIs number finish reasons alike up to OTHER and differently
// after it; a stream whose last chunk has an integer finish reason is
// complete; an unknown number is no finish reason.
func TestIntegerFinishReasonsByAPI(t *testing.T) {
	chunk := func(reason string) string {
		return "data: {\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"x\"}]},\"finishReason\":" + reason +
			"}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1,\"totalTokenCount\":4}}\r\n\r\n"
	}
	for _, c := range []struct {
		base, reason string
		want         []string
	}{
		{vertexBase, "2", []string{"MAX_TOKENS"}},
		{geminiBase, "2", []string{"MAX_TOKENS"}},
		{vertexBase, "7", []string{"PROHIBITED_CONTENT"}},
		{geminiBase, "7", []string{"BLOCKLIST"}},
		{geminiBase, "6", []string{"LANGUAGE"}},
		{vertexBase, "15", []string{"UNEXPECTED_TOOL_CALL"}},
		{geminiBase, "12", []string{"UNEXPECTED_TOOL_CALL"}},
		{geminiBase, "99", nil},
		{geminiBase, "1.5", nil},
	} {
		e := testkit.Exchange{URL: c.base + ":streamGenerateContent?alt=sse", ResponseHeader: sseHeader, ResponseBody: []byte(chunk(c.reason))}
		_, resp := testkit.Replay(t, New(), e)
		assert.Equal(t, c.want, resp.FinishReasons, "%s %s", c.base, c.reason)
		if c.want != nil {
			assert.True(t, resp.Complete, "%s %s: the finished stream is complete", c.base, c.reason)
			assert.Empty(t, resp.ObserveError)
		}
	}
}

// promptFeedback.blockReason as a number blocks the prompt as its name does;
// 0 is BLOCK_REASON_UNSPECIFIED.
func TestIntegerBlockReason(t *testing.T) {
	for reason, blocked := range map[string]bool{"1": true, "0": false} {
		e := testkit.Exchange{
			URL:            geminiBase + ":streamGenerateContent?alt=sse",
			ResponseHeader: sseHeader,
			ResponseBody:   []byte("data: {\"promptFeedback\":{\"blockReason\":" + reason + "},\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7}}\r\n\r\n"),
		}
		_, resp := testkit.Replay(t, New(), e)
		assert.Equal(t, blocked, resp.Complete, "blockReason %s", reason)
	}
}

// A count that is not a non-negative integer is not recorded, nor is a sum
// it is part of; the span says why.
func TestBadCounts(t *testing.T) {
	e := testkit.Exchange{URL: geminiBase + ":generateContent", ResponseHeader: jsonHeader,
		ResponseBody: []byte(`{"candidates":[{"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":-5,"candidatesTokenCount":3,"thoughtsTokenCount":"2","totalTokenCount":9223372036854775808,"cachedContentTokenCount":1.5}}`)}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, testkit.Usage(providers.SourceResponseBody,
		providers.InputTokens|providers.OutputTokens|providers.TotalTokens|providers.CacheReadInputTokens|providers.ReasoningTokens), resp.Usage)
	assert.Equal(t, providers.ProblemBadCount+": input_tokens, output_tokens, total_tokens, cache_read_input_tokens, reasoning_tokens", resp.ObserveError)
}

// A repeated member counts at its last value, as encoding/json reads it.
func TestRepeatedMembersLastWins(t *testing.T) {
	e := testkit.Exchange{URL: geminiBase + ":generateContent", ResponseHeader: jsonHeader,
		ResponseBody: []byte(`{"responseId":"first","responseId":"last","modelVersion":"a","modelVersion":"gemini-2.5-flash",` +
			`"candidates":[{"finishReason":"MAX_TOKENS"}],"candidates":[{"finishReason":"STOP"}],` +
			`"usageMetadata":{"promptTokenCount":1,"candidatesTokenCount":1},"usageMetadata":{"promptTokenCount":5,"promptTokenCount":7,"candidatesTokenCount":2,"totalTokenCount":9}}`)}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, "last", resp.ID)
	assert.Equal(t, "gemini-2.5-flash", resp.Model)
	assert.Equal(t, []string{"STOP"}, resp.FinishReasons)
	assert.Equal(t, testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 7, providers.OutputTokens, 2, providers.TotalTokens, 9), resp.Usage)
}
