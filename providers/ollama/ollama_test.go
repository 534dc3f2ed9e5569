package ollama

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

const base = "http://localhost:11434"

var (
	jsonHeader   = http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	ndjsonHeader = http.Header{"Content-Type": {"application/x-ndjson"}}
	htmlHeader   = http.Header{"Content-Type": {"text/html"}}
)

func i64(v int64) *int64                    { return &v }
func f64(v float64) *float64                { return &v }
func read(t *testing.T, name string) []byte { return testkit.Read(t, "testdata/"+name) }

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

func TestChatStreamFromDocs(t *testing.T) {
	body := read(t, "api_chat_stream_from_docs.ndjson")
	e := testkit.Exchange{
		URL:            base + "/api/chat",
		Body:           []byte(`{"model":"llama3.2","messages":[{"role":"user","content":"why is the sky blue?"}],"options":{"temperature":0.7,"top_p":0.9,"top_k":40,"num_predict":128,"stop":["\n"],"seed":42,"frequency_penalty":0.5,"presence_penalty":0.25}}`),
		ResponseHeader: ndjsonHeader,
		ResponseBody:   body,
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{
		Provider: "ollama", Operation: providers.OperationChat, Model: "llama3.2", Stream: true, StreamFraming: providers.FramingNDJSON,
		Temperature: f64(0.7), TopP: f64(0.9), TopK: f64(40), MaxTokens: i64(128), StopSequences: []string{"\n"},
		Seed: i64(42), FrequencyPenalty: f64(0.5), PresencePenalty: f64(0.25),
	}, req, "stream omitted means streamed")
	assert.Equal(t, providers.Response{
		Model:    "llama3.2",
		Streamed: true,
		Complete: true,
		Usage:    testkit.Usage(providers.SourceStream, providers.InputTokens, 26, providers.OutputTokens, 282),
	}, resp, "the docs' final object has no done_reason: no finish reason is invented")
	assert.Equal(t, 2, observeChunks(t, e))
	checkTruncations(t, e, resp, len(bytes.TrimRight(body, "\n")))

	// Truncated: no done:true line.
	cut := bytes.IndexByte(body, '\n') + 1
	_, partial := testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), false)
	assert.Equal(t, providers.Response{Model: "llama3.2", Streamed: true}, partial)
	_, truncated := testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), true)
	assert.Equal(t, providers.ProblemTruncated, truncated.ObserveError)
}

// TestClosedAfterFinalEvent: a client may close the body once the done:true
// line arrives, before EOF (Finish(false)). That stream is whole; one closed
// before the done:true line is not.
func TestClosedAfterFinalEvent(t *testing.T) {
	body := read(t, "api_chat_stream_from_docs.ndjson")
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"llama3.2"}`), ResponseHeader: ndjsonHeader, ResponseBody: body}
	_, r := testkit.Observe(t, New(), e, testkit.Whole(body), false)
	assert.True(t, r.Complete)
	assert.Equal(t, testkit.Usage(providers.SourceStream, providers.InputTokens, 26, providers.OutputTokens, 282), r.Usage)
	assert.Empty(t, r.ObserveError)

	cut := bytes.LastIndex(body, []byte(`{"model"`))
	require.Greater(t, cut, 0)
	require.Contains(t, string(body[cut:]), `"done":true`)
	_, r = testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), false)
	assert.False(t, r.Complete)
	assert.Empty(t, r.ObserveError, "an early Finish is not an observation error")
}

func TestStreamOmittedNoContentType(t *testing.T) {
	e := testkit.Exchange{
		URL:          base + "/api/chat",
		Body:         []byte(`{"model":"llama3.2","messages":[]}`),
		ResponseBody: read(t, "api_chat_stream_from_docs.ndjson"),
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.True(t, req.Stream)
	assert.Equal(t, providers.Response{
		Model: "llama3.2", Streamed: true, Complete: true,
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 26, providers.OutputTokens, 282),
	}, resp)

	// No body at all (too large to read): Ollama's default, a stream.
	e.Body = nil
	req, resp2 := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "ollama", Operation: providers.OperationChat, StreamFraming: providers.FramingNDJSON}, req,
		"not known to stream, though the response is read as Ollama's default, a stream")
	assert.Equal(t, resp, resp2)
}

func TestChatStreamDoneReason(t *testing.T) {
	body := read(t, "api_chat_stream_done_reason_synthetic.ndjson")
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"qwen3:8b","stream":true}`), ResponseHeader: ndjsonHeader, ResponseBody: body}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		Model: "qwen3:8b", Streamed: true, Complete: true, FinishReasons: []string{"length"},
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 31, providers.OutputTokens, 64),
	}, resp)
	assert.Equal(t, 3, observeChunks(t, e))
	checkTruncations(t, e, resp, len(bytes.TrimRight(body, "\n")))
}

func TestGenerateStreamFromDocs(t *testing.T) {
	body := read(t, "api_generate_stream_from_docs.ndjson")
	e := testkit.Exchange{URL: base + "/api/generate", Body: []byte(`{"model":"llama3.2","prompt":"Why is the sky blue?","stream":true}`), ResponseHeader: ndjsonHeader, ResponseBody: body}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "ollama", Operation: providers.OperationTextCompletion, Model: "llama3.2", Stream: true, StreamFraming: providers.FramingNDJSON}, req)
	assert.Equal(t, providers.Response{
		Model: "llama3.2", Streamed: true, Complete: true,
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 26, providers.OutputTokens, 259),
	}, resp)
	checkTruncations(t, e, resp, len(bytes.TrimRight(body, "\n")))
}

func TestChatNonStreamFromDocs(t *testing.T) {
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"llama3.2","stream":false}`), ResponseHeader: jsonHeader, ResponseBody: read(t, "api_chat_nonstream_from_docs.json")}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "ollama", Operation: providers.OperationChat, Model: "llama3.2", StreamFraming: providers.FramingNDJSON}, req)
	assert.Equal(t, providers.Response{
		Model: "llama3.2", Complete: true,
		Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 26, providers.OutputTokens, 298),
	}, resp)
	checkTruncations(t, e, resp, len(bytes.TrimSpace(e.ResponseBody)))

	// stream:false and no Content-Type: still one document.
	e.ResponseHeader = nil
	_, bare := testkit.Replay(t, New(), e)
	assert.Equal(t, resp, bare)
}

func TestGenerateNonStream(t *testing.T) {
	e := testkit.Exchange{URL: "http://ollama.internal:8080/api/generate", Body: []byte(`{"model":"llama3.2","stream":false,"options":{"stop":"END"}}`), ResponseHeader: jsonHeader, ResponseBody: read(t, "api_generate_nonstream_synthetic.json")}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "ollama", Operation: providers.OperationTextCompletion, Model: "llama3.2", StopSequences: []string{"END"}, StreamFraming: providers.FramingNDJSON}, req)
	assert.Equal(t, providers.Response{
		Model: "llama3.2", FinishReasons: []string{"stop"}, Complete: true,
		Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 15, providers.OutputTokens, 7),
	}, resp)
	checkTruncations(t, e, resp, len(bytes.TrimSpace(e.ResponseBody)))
}

func TestEmbed(t *testing.T) {
	e := testkit.Exchange{URL: base + "/api/embed", Body: []byte(`{"model":"all-minilm","input":"Why is the sky blue?","dimensions":384}`), ResponseHeader: jsonHeader, ResponseBody: read(t, "api_embed_from_docs.json")}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "ollama", Operation: providers.OperationEmbeddings, Model: "all-minilm", Dimensions: i64(384)}, req)
	assert.Equal(t, providers.Response{
		Model: "all-minilm", Complete: true,
		Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 8),
	}, resp)
	checkTruncations(t, e, resp, len(bytes.TrimSpace(e.ResponseBody)))

	// Embed never streams, even without a Content-Type.
	e.ResponseHeader = nil
	_, bare := testkit.Replay(t, New(), e)
	assert.Equal(t, resp, bare)

	// The legacy endpoint reports no usage.
	e = testkit.Exchange{URL: base + "/api/embeddings", Body: []byte(`{"model":"all-minilm","prompt":"x"}`), ResponseHeader: jsonHeader, ResponseBody: read(t, "api_embeddings_legacy_synthetic.json")}
	req, resp = testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "ollama", Operation: providers.OperationEmbeddings, Model: "all-minilm"}, req)
	assert.Equal(t, providers.Response{Complete: true}, resp)
}

func TestErrorLineInStream(t *testing.T) {
	body := read(t, "api_chat_stream_error_line_synthetic.ndjson")
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"qwen3:8b"}`), ResponseHeader: ndjsonHeader, ResponseBody: body}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{Model: "qwen3:8b", Streamed: true, Complete: true, ErrorType: "error"}, resp, "the error line ends the stream: no truncation reported")
	checkTruncations(t, e, resp, 0)
}

func TestErrorBodies(t *testing.T) {
	for _, c := range []struct {
		status int
		want   string
	}{{404, "not_found"}, {400, "bad_request"}, {500, "internal_server_error"}, {599, "http_599"}} {
		for _, path := range []string{"/api/chat", "/api/generate", "/api/embed"} {
			e := testkit.Exchange{URL: base + path, Status: c.status, ResponseHeader: jsonHeader, ResponseBody: read(t, "error_404_synthetic.json")}
			_, resp := testkit.Replay(t, New(), e)
			assert.Equal(t, providers.Response{Complete: true, ErrorType: c.want}, resp, "%d %s", c.status, path)
			checkTruncations(t, e, resp, 0)
		}
	}
	// Error status without a Content-Type on a streamed request: one document.
	e := testkit.Exchange{URL: base + "/api/chat", Status: 404, ResponseBody: read(t, "error_404_synthetic.json")}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{Complete: true, ErrorType: "not_found"}, resp)
}

func TestHTML502(t *testing.T) {
	e := testkit.Exchange{URL: base + "/api/chat", Status: 502, ResponseHeader: htmlHeader, ResponseBody: read(t, "html_502_synthetic.html")}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{ObserveError: "response is not JSON"}, resp)
	checkTruncations(t, e, resp, 0)
}

func TestBadBodies(t *testing.T) {
	cases := []struct {
		name, reqBody string
		header        http.Header
		body, want    string
	}{
		{"empty full", `{"stream":false}`, jsonHeader, "", "response body is empty"},
		{"malformed full", `{"stream":false}`, jsonHeader, `{"model":`, "response JSON is malformed or truncated"},
		{"garbage full", `{"stream":false}`, nil, "\xff\xfe", "response is not JSON"},
		{"empty stream", `{}`, ndjsonHeader, "", providers.ProblemTruncated},
		{"garbage stream", `{}`, ndjsonHeader, "garbage\n", "1 " + providers.ProblemEventMalformed + "; " + providers.ProblemTruncated},
		{"malformed line then done", `{}`, ndjsonHeader, "{nope}\n{\"done\":true}\n", "1 " + providers.ProblemEventMalformed},
		{"pretty-printed object as stream", `{}`, nil, "{\n  \"done\": true\n}\n", "3 " + providers.ProblemEventMalformed + "; " + providers.ProblemTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(c.reqBody), ResponseHeader: c.header, ResponseBody: []byte(c.body)}
			_, resp := testkit.Replay(t, New(), e)
			assert.Equal(t, c.want, resp.ObserveError)
			assert.Empty(t, resp.ErrorType)
		})
	}
}

func TestBodyOverLimit(t *testing.T) {
	e := testkit.Exchange{URL: base + "/api/embed", ResponseHeader: jsonHeader}
	parts := [][]byte{[]byte(`{"embeddings":[`)}
	for i := 0; i < 9; i++ {
		parts = append(parts, bytes.Repeat([]byte("0,"), 1<<19))
	}
	_, resp := testkit.Observe(t, New(), e, parts, true)
	assert.Equal(t, providers.Response{ObserveError: "response body over 8 MiB not parsed"}, resp)
}

func TestMatch(t *testing.T) {
	cases := []struct{ url, op string }{
		{base + "/api/chat", "chat"},
		{base + "/api/generate", "text_completion"},
		{base + "/api/embed", "embeddings"},
		{base + "/api/embeddings", "embeddings"},
		{"https://ollama.example.com/api/chat", "chat"},
		{"http://127.0.0.1:11434/api/generate?x=1", "text_completion"},
		// Look-alikes.
		{base + "/v1/chat/completions", ""},
		{base + "/v1/completions", ""},
		{base + "/v1/embeddings", ""},
		{base + "/api/chat/completions", ""},
		{base + "/api/tags", ""},
		{base + "/api/pull", ""},
		{base + "/api/show", ""},
		{base + "/ollama/api/chat", ""},
		{base + "/api/chat/", ""},
	}
	for _, c := range cases {
		call := New().Match(httptest.NewRequest(http.MethodPost, c.url, nil))
		if c.op == "" {
			assert.Nil(t, call, c.url)
			continue
		}
		require.NotNil(t, call, c.url)
		framing := providers.FramingNDJSON // chat and generate stream NDJSON
		if c.op == providers.OperationEmbeddings {
			framing = providers.FramingDefault
		}
		assert.Equal(t, providers.Request{Provider: "ollama", Operation: c.op, StreamFraming: framing}, call.Request(nil), c.url)
	}
	assert.Nil(t, New().Match(httptest.NewRequest(http.MethodGet, base+"/api/chat", nil)))
	assert.Equal(t, "ollama", New().Name())
}

func TestRequestParsing(t *testing.T) {
	call := New().Match(httptest.NewRequest(http.MethodPost, base+"/api/generate", nil))
	urlOnly := providers.Request{Provider: "ollama", Operation: providers.OperationTextCompletion, StreamFraming: providers.FramingNDJSON}
	assert.Equal(t, urlOnly, call.Request(nil))
	assert.Equal(t, urlOnly, call.Request([]byte(`{"model":`)))
	assert.Equal(t, urlOnly, call.Request([]byte(`[]`)))
	assert.Equal(t, urlOnly, call.Request([]byte(`{"options":{"temperature":"hot"}}`)))
	r := call.Request([]byte(`{"model":"m","stream":false,"options":{"stop":42}}`))
	assert.Equal(t, providers.Request{Provider: "ollama", Operation: providers.OperationTextCompletion, Model: "m", StreamFraming: providers.FramingNDJSON}, r, "an unreadable stop is dropped, not fatal")
}

func TestAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	body := read(t, "api_chat_stream_done_reason_synthetic.ndjson")
	i := bytes.IndexByte(body, '\n') + 1
	j := bytes.LastIndex(body[:len(body)-1], []byte("\n")) + 1
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"qwen3:8b"}`), ResponseHeader: ndjsonHeader}
	allocs := testkit.AllocsPerChunk(t, New(), e, body[:i], body[i:j], body[j:], 20)
	t.Logf("ndjson: %.3f allocations per chunk", allocs)
	assert.LessOrEqual(t, allocs, 0.0)
}

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

func TestChatStreamRecorded(t *testing.T) {
	body := read(t, "api_chat_stream_recorded.ndjson")
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"llama3","messages":[{"role":"user","content":"Tell me a joke about OpenTelemetry"}],"stream":true}`),
		ResponseHeader: ndjsonHeader, ResponseBody: body}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		Model: "llama3", Streamed: true, Complete: true, FinishReasons: []string{"stop"},
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 17, providers.OutputTokens, 50),
	}, resp)
	assert.Equal(t, bytes.Count(body, []byte("\n")), observeChunks(t, e), "every line carries output")
	testkit.CheckCuts(t, New(), e, resp, len(bytes.TrimRight(body, "\n")), testkit.EventCuts(body, `{"model"`))
}

// A thinking model's lines carry message.thinking before the content: two
// shapes of line, each read by its shape once learnt.
func TestChatStreamThinkingRecorded(t *testing.T) {
	body := read(t, "api_chat_stream_thinking_recorded.ndjson")
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"qwen3.6:latest","stream":true}`), ResponseHeader: ndjsonHeader, ResponseBody: body}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		Model: "qwen3.6:latest", Streamed: true, Complete: true, FinishReasons: []string{"stop"},
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 21, providers.OutputTokens, 889),
	}, resp)
	assert.Equal(t, bytes.Count(body, []byte("\n")), observeChunks(t, e), "every line carries output")
	// Cut where the stream begins, and in its last lines, where the
	// content follows the thinking and the stream ends.
	require.Contains(t, string(body[len(body)-3000:]), `"content":"1"`)
	var cuts []int
	for _, cut := range testkit.EventCuts(body, `{"model"`) {
		if cut < 2000 || cut > len(body)-3000 {
			cuts = append(cuts, cut)
		}
	}
	testkit.CheckCuts(t, New(), e, resp, len(bytes.TrimRight(body, "\n")), cuts)
}

// The benchmark's stream is read whole, as a real stream is.
func TestBenchStream(t *testing.T) {
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"qwen3:8b"}`), ResponseHeader: ndjsonHeader, ResponseBody: benchChatStream(300)}
	_, resp := testkit.Observe(t, New(), e, testkit.RandomSplits(e.ResponseBody, 1), true)
	assert.Equal(t, providers.Response{
		Model: "qwen3:8b", Streamed: true, Complete: true, FinishReasons: []string{"stop"},
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 21, providers.OutputTokens, 300),
	}, resp)
	assert.Equal(t, 301, observeChunks(t, e))
}
