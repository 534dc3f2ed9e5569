package cohere

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
	chatURL  = "https://api.cohere.com/v2/chat"
	embedURL = "https://api.cohere.com/v2/embed"
)

var (
	jsonHeader = http.Header{"Content-Type": {"application/json"}}
	sseHeader  = http.Header{"Content-Type": {"text/event-stream"}}
	htmlHeader = http.Header{"Content-Type": {"text/html"}}
	auth       = http.Header{"Authorization": {"Bearer SECRET-KEY"}}
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

func TestV2ChatNonStream(t *testing.T) {
	e := testkit.Exchange{
		URL: chatURL, Header: auth,
		Body:           []byte(`{"model":"command-a-03-2025","messages":[{"role":"user","content":"Tell me about LLMs"}],"max_tokens":500,"temperature":0.3,"p":0.75,"k":50,"stop_sequences":["\n\n"],"seed":42,"frequency_penalty":0.1,"presence_penalty":0.2}`),
		ResponseHeader: jsonHeader,
		ResponseBody:   read(t, "v2_chat_nonstream_sdk_wiremock.json"),
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{
		Provider: "cohere", Operation: providers.OperationChat, Model: "command-a-03-2025",
		MaxTokens: i64(500), Temperature: f64(0.3), TopP: f64(0.75), TopK: f64(50), StopSequences: []string{"\n\n"},
		Seed: i64(42), FrequencyPenalty: f64(0.1), PresencePenalty: f64(0.2),
	}, req)
	assert.Equal(t, providers.Response{
		ID:            "c14c80c3-18eb-4519-9460-6c92edd8cfb4",
		FinishReasons: []string{"COMPLETE"},
		Usage:         testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 5, providers.OutputTokens, 418),
		Complete:      true,
	}, resp, "billed units win over tokens; no model in the response")
	checkTruncations(t, e, resp, len(bytes.TrimSpace(e.ResponseBody)))
}

func TestV2ChatStream(t *testing.T) {
	body := read(t, "v2_chat_stream_sdk_wiremock.sse")
	e := testkit.Exchange{
		URL: chatURL, Header: auth,
		Body:           []byte(`{"model":"command-r-plus-08-2024","stream":true,"messages":[{"role":"user","content":"hi"}]}`),
		ResponseHeader: sseHeader,
		ResponseBody:   body,
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "cohere", Operation: providers.OperationChat, Model: "command-r-plus-08-2024", Stream: true}, req)
	assert.Equal(t, providers.Response{
		ID:            "29f14a5a-11de-4cae-9800-25e4747408ea",
		FinishReasons: []string{"COMPLETE"},
		Streamed:      true,
		Usage:         testkit.Usage(providers.SourceStream, providers.InputTokens, 5, providers.OutputTokens, 26),
		Complete:      true,
	}, resp)
	assert.Equal(t, 24, observeChunks(t, e), "24 content-delta events; message-end, without its blank line, waits for the end of the body")
	finalEnd := len(bytes.TrimRight(body, "\n"))
	checkTruncations(t, e, resp, finalEnd)

	// Without a Content-Type the request's stream flag decides.
	e.ResponseHeader = nil
	_, bare := testkit.Replay(t, New(), e)
	assert.Equal(t, resp, bare)

	// Truncated before message-end: partial result, and an error when the
	// body claims to be complete.
	cut := bytes.Index(body, []byte("event: message-end"))
	_, partial := testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), false)
	assert.Equal(t, providers.Response{ID: "29f14a5a-11de-4cae-9800-25e4747408ea", Streamed: true}, partial)
	_, truncated := testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), true)
	assert.Equal(t, providers.ProblemTruncated, truncated.ObserveError)
}

// TestClosedAfterFinalEvent: an SDK may close the body once message-end
// arrives, before EOF (Finish(false)). That stream is whole; one closed
// before message-end is not.
func TestClosedAfterFinalEvent(t *testing.T) {
	// The recording ends message-end's data line without the blank line
	// that dispatches it, as the live API sends it: add it, or the event is
	// not over until EOF (Finish(true)).
	recorded := read(t, "v2_chat_stream_sdk_wiremock.sse")
	body := append(append([]byte{}, recorded...), '\n')
	e := testkit.Exchange{URL: chatURL, Body: []byte(`{"stream":true}`), ResponseHeader: sseHeader, ResponseBody: body}
	_, r := testkit.Observe(t, New(), e, testkit.Whole(body), false)
	assert.True(t, r.Complete)
	assert.Equal(t, testkit.Usage(providers.SourceStream, providers.InputTokens, 5, providers.OutputTokens, 26), r.Usage)
	assert.Equal(t, []string{"COMPLETE"}, r.FinishReasons)
	assert.Empty(t, r.ObserveError)

	// Without its blank line, message-end was not seen whole when the
	// body was closed.
	_, r = testkit.Observe(t, New(), e, testkit.Whole(recorded), false)
	assert.False(t, r.Complete)

	cut := bytes.Index(body, []byte("event: message-end"))
	require.Greater(t, cut, 0)
	_, r = testkit.Observe(t, New(), e, testkit.Whole(body[:cut]), false)
	assert.False(t, r.Complete)
	assert.Empty(t, r.ObserveError, "an early Finish is not an observation error")
}

func TestV1ChatNonStream(t *testing.T) {
	e := testkit.Exchange{
		URL:            "https://api.cohere.ai/v1/chat",
		Body:           []byte(`{"model":"command-r","message":"Tell me about LLMs","temperature":0.3}`),
		ResponseHeader: jsonHeader,
		ResponseBody:   read(t, "v1_chat_nonstream_sdk_wiremock.json"),
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "cohere", Operation: providers.OperationChat, Model: "command-r", Temperature: f64(0.3),
		StreamFraming: providers.FramingNDJSON}, req)
	assert.Equal(t, providers.Response{
		ID:            "f47ac10b-58cc-4372-a567-0e02b2c3d479",
		FinishReasons: []string{"COMPLETE"},
		Usage:         testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 5, providers.OutputTokens, 198),
		Complete:      true,
	}, resp)
	checkTruncations(t, e, resp, len(bytes.TrimSpace(e.ResponseBody)))
}

func TestV1ChatStream(t *testing.T) {
	body := read(t, "v1_chat_stream_synthetic.jsonl")
	e := testkit.Exchange{
		URL:            "https://api.cohere.com/v1/chat",
		Body:           []byte(`{"model":"command-r","message":"hi","stream":true}`),
		ResponseHeader: http.Header{"Content-Type": {"application/stream+json"}},
		ResponseBody:   body,
	}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		ID:            "6c5a1b2e-7d3f-4e8a-9b0c-1d2e3f4a5b6c",
		FinishReasons: []string{"COMPLETE"},
		Streamed:      true,
		Usage:         testkit.Usage(providers.SourceStream, providers.InputTokens, 4, providers.OutputTokens, 2),
		Complete:      true,
	}, resp)
	assert.Equal(t, 3, observeChunks(t, e))
	checkTruncations(t, e, resp, len(bytes.TrimRight(body, "\n")))
}

func TestFloatCounts(t *testing.T) {
	e := testkit.Exchange{URL: chatURL, ResponseHeader: jsonHeader, ResponseBody: read(t, "v2_chat_float_counts_synthetic.json")}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		ID: "f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9", FinishReasons: []string{"MAX_TOKENS"},
		Usage:    testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 12, providers.OutputTokens, 3),
		Complete: true,
	}, resp)
	checkTruncations(t, e, resp, len(bytes.TrimSpace(e.ResponseBody)))

	// Tokens only: the fallback.
	e.ResponseBody = []byte(`{"id":"x","finish_reason":"COMPLETE","usage":{"tokens":{"input_tokens":7.0,"output_tokens":2}}}`)
	_, resp = testkit.Replay(t, New(), e)
	assert.Equal(t, testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 7, providers.OutputTokens, 2), resp.Usage)
}

func TestEmbed(t *testing.T) {
	e := testkit.Exchange{
		URL:            embedURL,
		Body:           []byte(`{"model":"embed-v4.0","texts":["hello"],"input_type":"search_document","embedding_types":["float","int8"],"output_dimension":1024}`),
		ResponseHeader: jsonHeader,
		ResponseBody:   read(t, "v2_embed_synthetic.json"),
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "cohere", Operation: providers.OperationEmbeddings, Model: "embed-v4.0",
		EncodingFormats: []string{"float", "int8"}, Dimensions: i64(1024)}, req)
	assert.Equal(t, providers.Response{
		ID:       "da6e531f-54c6-4a73-bf92-f60566d8d753",
		Usage:    testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 1),
		Complete: true,
	}, resp)
	checkTruncations(t, e, resp, len(bytes.TrimSpace(e.ResponseBody)))
}

func TestErrorBodies(t *testing.T) {
	cases := []struct {
		status int
		file   string
		want   string
	}{
		{429, "error_429_synthetic.json", "too_many_requests"},
		{400, "error_400_synthetic.json", "bad_request"},
		{498, "error_400_synthetic.json", "invalid_token"},
		{499, "error_400_synthetic.json", "client_closed_request"},
		{500, "error_400_synthetic.json", "internal_server_error"},
		{599, "error_400_synthetic.json", "http_599"},
	}
	for _, c := range cases {
		for _, url := range []string{chatURL, embedURL} {
			e := testkit.Exchange{URL: url, Body: []byte(`{"stream":true}`), Status: c.status, ResponseHeader: jsonHeader, ResponseBody: read(t, c.file)}
			_, resp := testkit.Replay(t, New(), e)
			assert.Equal(t, providers.Response{Complete: true, ErrorType: c.want}, resp, "%d %s", c.status, url)
			checkTruncations(t, e, resp, 0)
		}
	}
}

func TestHTML502(t *testing.T) {
	for _, body := range []string{`{"stream":true}`, `{}`} {
		e := testkit.Exchange{URL: chatURL, Body: []byte(body), Status: 502, ResponseHeader: htmlHeader, ResponseBody: read(t, "html_502_synthetic.html")}
		_, resp := testkit.Replay(t, New(), e)
		assert.Equal(t, providers.Response{ObserveError: "response is not JSON"}, resp)
		checkTruncations(t, e, resp, 0)
	}
}

func TestErrorInsideStream(t *testing.T) {
	body := "event: message-start\ndata: {\"type\":\"message-start\",\"id\":\"abc\"}\n\n" +
		"event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"x\"}}}}\n\n" +
		"event: error\ndata: {\"message\":\"internal server error\"}\n\n"
	e := testkit.Exchange{URL: chatURL, Body: []byte(`{"stream":true}`), ResponseHeader: sseHeader, ResponseBody: []byte(body)}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{ID: "abc", Streamed: true, Complete: true, ErrorType: "error"}, resp)

	// An untyped error object in an unnamed event.
	e.ResponseBody = []byte("data: {\"message\":\"stream aborted\"}\n\n")
	_, resp = testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{Streamed: true, Complete: true, ErrorType: "error"}, resp)
}

func TestBadBodies(t *testing.T) {
	cases := []struct {
		name, reqBody string
		header        http.Header
		body, want    string
	}{
		{"empty full", `{}`, jsonHeader, "", "response body is empty"},
		{"malformed full", `{}`, jsonHeader, `{"id":`, "response JSON is malformed or truncated"},
		{"garbage full", `{}`, nil, "\xff\x00", "response is not JSON"},
		{"empty stream", `{"stream":true}`, sseHeader, "", providers.ProblemTruncated},
		{"malformed event", `{"stream":true}`, sseHeader, "data: {nope}\n\nevent: message-end\ndata: {\"type\":\"message-end\",\"delta\":{}}\n\n", "1 " + providers.ProblemEventMalformed},
		{"garbage stream", `{"stream":true}`, sseHeader, "\x00\x01garbage", providers.ProblemTruncated},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := testkit.Exchange{URL: chatURL, Body: []byte(c.reqBody), ResponseHeader: c.header, ResponseBody: []byte(c.body)}
			_, resp := testkit.Replay(t, New(), e)
			assert.Equal(t, c.want, resp.ObserveError)
			assert.Empty(t, resp.ErrorType)
		})
	}
}

func TestBodyOverLimit(t *testing.T) {
	e := testkit.Exchange{URL: chatURL, ResponseHeader: jsonHeader}
	parts := [][]byte{[]byte(`{"id":"x",`)}
	for i := 0; i < 9; i++ {
		parts = append(parts, bytes.Repeat([]byte(" "), 1<<20))
	}
	_, resp := testkit.Observe(t, New(), e, parts, true)
	assert.Equal(t, providers.Response{ObserveError: "response body over 8 MiB not parsed"}, resp)
}

func TestMatch(t *testing.T) {
	cases := []struct {
		url, op string
	}{
		{"https://api.cohere.com/v2/chat", "chat"},
		{"https://api.cohere.ai/v2/chat", "chat"},
		{"https://api.cohere.com/v2/embed", "embeddings"},
		{"https://api.cohere.com/v1/chat", "chat"},
		{"https://api.cohere.ai/v1/embed", "embeddings"},
		{"https://stg.api.cohere.com/v1/chat", "chat"},
		{"http://localhost:8080/v2/chat", "chat"},
		{"https://gateway.example.com/cohere/v2/chat", "chat"},
		{"https://gateway.example.com/cohere/v2/embed", "embeddings"},
		// Look-alikes.
		{"https://api.cohere.com/v2/chat/completions", ""},
		{"https://api.cohere.com/compatibility/v1/chat/completions", ""},
		{"https://api.openai.com/v1/chat/completions", ""},
		{"https://example.com/v1/chat", ""},
		{"https://example.com/v1/embed", ""},
		{"https://api.cohere.com/v2/rerank", ""},
		{"https://api.cohere.com/v2/chatx", ""},
		{"https://api.cohere.com/v2/chat/", ""},
		{"https://notcohere.com/v1/chat", ""},
	}
	for _, c := range cases {
		call := New().Match(httptest.NewRequest(http.MethodPost, c.url, nil))
		if c.op == "" {
			assert.Nil(t, call, c.url)
			continue
		}
		require.NotNil(t, call, c.url)
		framing := providers.FramingDefault
		if strings.HasSuffix(c.url, "/v1/chat") {
			framing = providers.FramingNDJSON // a v1 stream is one JSON event a line
		}
		assert.Equal(t, providers.Request{Provider: "cohere", Operation: c.op, StreamFraming: framing}, call.Request(nil), c.url)
	}
	assert.Nil(t, New().Match(httptest.NewRequest(http.MethodGet, chatURL, nil)))
	assert.Equal(t, "cohere", New().Name())
}

func TestRequestParsing(t *testing.T) {
	call := New().Match(httptest.NewRequest(http.MethodPost, chatURL, nil))
	base := providers.Request{Provider: "cohere", Operation: providers.OperationChat}
	assert.Equal(t, base, call.Request(nil))
	assert.Equal(t, base, call.Request([]byte(`{"model":`)))
	assert.Equal(t, base, call.Request([]byte(`"text"`)))
	assert.Equal(t, base, call.Request([]byte(`{"model":42}`)))
	withModel := base
	withModel.Model = "command-a"
	assert.Equal(t, withModel, call.Request([]byte(`{"model":"command-a","stream":false}`)))
}

func TestAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	body := read(t, "v2_chat_stream_sdk_wiremock.sse")
	delta := []byte("event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\" Large\"}}}}\n\n")
	i := bytes.Index(body, []byte("event: content-end"))
	e := testkit.Exchange{URL: chatURL, Body: []byte(`{"stream":true}`), ResponseHeader: sseHeader}
	allocs := testkit.AllocsPerChunk(t, New(), e, body[:i], delta, body[i:], 20)
	t.Logf("sse: %.3f allocations per chunk", allocs)
	assert.LessOrEqual(t, allocs, 0.0)

	lines := read(t, "v1_chat_stream_synthetic.jsonl")
	j := bytes.Index(lines, []byte(`{"is_finished":true`))
	e = testkit.Exchange{URL: "https://api.cohere.com/v1/chat", Body: []byte(`{"stream":true}`), ResponseHeader: http.Header{"Content-Type": {"application/stream+json"}}}
	allocs = testkit.AllocsPerChunk(t, New(), e, lines[:j], []byte("{\"is_finished\":false,\"event_type\":\"text-generation\",\"text\":\" there\"}\n"), lines[j:], 20)
	t.Logf("lines: %.3f allocations per chunk", allocs)
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

func TestNoSecrets(t *testing.T) {
	e := testkit.Exchange{URL: chatURL + "?key=SECRET-KEY", Header: auth, ResponseHeader: jsonHeader, ResponseBody: read(t, "v2_chat_nonstream_sdk_wiremock.json")}
	req, resp := testkit.Replay(t, New(), e)
	assert.NotContains(t, strings.Join([]string{req.Model, resp.ID, resp.ErrorType}, " "), "SECRET")
}

// A live v2 stream ends with "data: [DONE]" after message-end: the end of
// the stream, not a malformed event.
func TestV2ChatStreamDoneRecorded(t *testing.T) {
	body := read(t, "v2_chat_stream_done_recorded.sse")
	e := testkit.Exchange{
		URL: chatURL, Header: auth,
		Body:           []byte(`{"model":"command","stream":true,"messages":[{"role":"user","content":"Tell me a joke, pirate style"}]}`),
		ResponseHeader: sseHeader,
		ResponseBody:   body,
	}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{
		ID:            "6cd6ce61-bb3b-46f6-907e-fcfab45e51b6",
		FinishReasons: []string{"COMPLETE"},
		Streamed:      true,
		Usage:         testkit.Usage(providers.SourceStream, providers.InputTokens, 7, providers.OutputTokens, 109),
		Complete:      true,
	}, resp, "billed units, not tokens")
	assert.Equal(t, 101, observeChunks(t, e), "100 content-delta events and message-end")
	testkit.CheckCuts(t, New(), e, resp, bytes.Index(body, []byte("\n\ndata: [DONE]")), testkit.EventCuts(body, "event: "))
}

// The benchmarks' streams are read whole, as a real stream is.
func TestBenchStreams(t *testing.T) {
	v2 := testkit.Exchange{URL: chatURL, Body: []byte(`{"stream":true}`), ResponseHeader: sseHeader, ResponseBody: benchV2Stream(300)}
	_, resp := testkit.Observe(t, New(), v2, testkit.RandomSplits(v2.ResponseBody, 1), true)
	assert.Equal(t, providers.Response{
		ID: "29f14a5a-11de-4cae-9800-25e4747408ea", FinishReasons: []string{"COMPLETE"}, Streamed: true, Complete: true,
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 7, providers.OutputTokens, 300),
	}, resp)
	assert.Equal(t, 301, observeChunks(t, v2))

	v1 := testkit.Exchange{URL: "https://api.cohere.com/v1/chat", Body: []byte(`{"stream":true}`),
		ResponseHeader: http.Header{"Content-Type": {"application/stream+json"}}, ResponseBody: benchV1Stream(300)}
	_, resp = testkit.Observe(t, New(), v1, testkit.RandomSplits(v1.ResponseBody, 1), true)
	assert.Equal(t, providers.Response{
		ID: "6c5a1b2e-7d3f-4e8a-9b0c-1d2e3f4a5b6c", FinishReasons: []string{"COMPLETE"}, Streamed: true, Complete: true,
		Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 4, providers.OutputTokens, 300),
	}, resp)
	assert.Equal(t, 301, observeChunks(t, v1))
}

// v2's usage.cached_tokens is a cache read, reported as Cohere gives it
// (it counts raw prompt tokens, so it can exceed the billed input); the
// input stays the billed units.
func TestCachedTokensRecorded(t *testing.T) {
	e := testkit.Exchange{URL: chatURL, ResponseHeader: jsonHeader, ResponseBody: read(t, "v2_chat_cached_tokens_recorded.json")}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 2406, providers.OutputTokens, 2,
		providers.CacheReadInputTokens, 2928), resp.Usage)
	assert.Empty(t, resp.ObserveError)
}

// A count that is not a non-negative integer is not recorded, and is not
// replaced by the template-inclusive tokens count; the span says why.
func TestBadCounts(t *testing.T) {
	e := testkit.Exchange{URL: chatURL, ResponseHeader: jsonHeader,
		ResponseBody: []byte(`{"id":"x","finish_reason":"COMPLETE","usage":{"billed_units":{"input_tokens":-1,"output_tokens":2.5},"tokens":{"input_tokens":9,"output_tokens":3},"cached_tokens":"4"}}`)}
	_, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, testkit.Usage(providers.SourceResponseBody, providers.InputTokens|providers.OutputTokens|providers.CacheReadInputTokens), resp.Usage)
	assert.Equal(t, providers.ProblemBadCount+": input_tokens, output_tokens, cache_read_input_tokens", resp.ObserveError)
}
