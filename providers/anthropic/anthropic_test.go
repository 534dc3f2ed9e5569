package anthropic_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/anthropic"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

const (
	messagesURL = "https://api.anthropic.com/v1/messages"
	vertexBase  = "https://us-east5-aiplatform.googleapis.com/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/claude-3-5-sonnet-v2@20241022"
)

var (
	sseHeader  = http.Header{"Content-Type": {"text/event-stream; charset=utf-8"}}
	jsonHeader = http.Header{"Content-Type": {"application/json"}}
	apiHeader  = http.Header{"X-Api-Key": {"sk-ant-secret"}, "Anthropic-Version": {"2023-06-01"}, "Content-Type": {"application/json"}}
)

func i64(v int64) *int64     { return &v }
func f64(v float64) *float64 { return &v }

// read returns a testdata file, which every test needs: a missing one is a
// broken checkout, not a test failure.
func read(name string) []byte {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

// usage builds a normalised Usage; oneHour, when given, is the one-hour
// part of the cache writes (the cache_creation breakdown, when the payload
// has one).
func usage(src providers.UsageSource, in, out, cacheRead, cacheCreation int64, oneHour ...int64) providers.Usage {
	var u providers.Usage
	u.Source = src
	u.Set(providers.InputTokens, in)
	u.Set(providers.OutputTokens, out)
	u.Set(providers.CacheReadInputTokens, cacheRead)
	u.Set(providers.CacheCreationInputTokens, cacheCreation)
	for _, n := range oneHour {
		u.Set(providers.CacheCreation1hInputTokens, n)
	}
	return u
}

type fixture struct {
	name     string
	exchange testkit.Exchange
	request  providers.Request
	response providers.Response
	// stopAt is the offset after which the stream reached its final event
	// (0: not a stream, or one with no final event).
	stopAt int
}

func fixtures(t *testing.T) []fixture {
	streamReq := []byte(`{"model":"claude-3-7-sonnet-20250219","max_tokens":1024,"stream":true,"temperature":0.5,"messages":[{"role":"user","content":"weather?"}]}`)
	toolUse := read("messages_stream_tool_use.sse")
	cache := read("synthetic_stream_cache.sse")
	vertexStream := read("synthetic_vertex_streamRawPredict.sse")
	stopOf := func(b []byte) int {
		i := bytes.LastIndex(b, []byte(`"message_stop"`))
		require.GreaterOrEqual(t, i, 0)
		return i + bytes.IndexByte(b[i:], '}') + 1
	}
	return []fixture{
		{
			name: "messages_nonstream_0",
			exchange: testkit.Exchange{URL: messagesURL + "?beta=true", Header: apiHeader,
				Body:           []byte(`{"model":"claude-3-7-sonnet-20250219","max_tokens":1024,"top_k":5,"stop_sequences":["END"],"messages":[]}`),
				ResponseHeader: jsonHeader, ResponseBody: read("messages_nonstream_0.json")},
			request: providers.Request{Provider: "anthropic", Operation: "chat", Model: "claude-3-7-sonnet-20250219",
				MaxTokens: i64(1024), TopK: f64(5), StopSequences: []string{"END"}},
			response: providers.Response{ID: "msg_01VLZuPg94y7NULJySZhEDJY", Model: "claude-3-7-sonnet-20250219",
				FinishReasons: []string{"tool_use"}, Usage: usage(providers.SourceResponseBody, 402, 89, 0, 0, 0), Complete: true},
		},
		{
			name: "messages_nonstream_1",
			exchange: testkit.Exchange{URL: messagesURL, Header: apiHeader,
				Body:           []byte(`{"model":"claude-3-7-sonnet-20250219","max_tokens":1024,"top_p":0.9,"messages":[]}`),
				ResponseHeader: jsonHeader, ResponseBody: read("messages_nonstream_1.json")},
			request: providers.Request{Provider: "anthropic", Operation: "chat", Model: "claude-3-7-sonnet-20250219",
				MaxTokens: i64(1024), TopP: f64(0.9)},
			response: providers.Response{ID: "msg_014SddXAzPYwR72fa37nJ8N2", Model: "claude-3-7-sonnet-20250219",
				FinishReasons: []string{"end_turn"}, Usage: usage(providers.SourceResponseBody, 514, 19, 0, 0, 0), Complete: true},
		},
		{
			name: "messages_stream_tool_use",
			exchange: testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: streamReq,
				ResponseHeader: sseHeader, ResponseBody: toolUse},
			request: providers.Request{Provider: "anthropic", Operation: "chat", Model: "claude-3-7-sonnet-20250219",
				Stream: true, MaxTokens: i64(1024), Temperature: f64(0.5)},
			response: providers.Response{ID: "msg_01P7nF1bmxyzFZjF8zwbUDBM", Model: "claude-3-7-sonnet-20250219",
				FinishReasons: []string{"tool_use"}, Usage: usage(providers.SourceStream, 394, 79, 0, 0, 0), Streamed: true, Complete: true},
			stopAt: stopOf(toolUse),
		},
		{
			name: "synthetic_stream_cache",
			exchange: testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: streamReq,
				ResponseHeader: sseHeader, ResponseBody: cache},
			request: providers.Request{Provider: "anthropic", Operation: "chat", Model: "claude-3-7-sonnet-20250219",
				Stream: true, MaxTokens: i64(1024), Temperature: f64(0.5)},
			// message_start: input 21, cache write 1800, cache read 2500,
			// output 3; message_delta: output 42 only.
			response: providers.Response{ID: "msg_01CacheStream", Model: "claude-sonnet-4-5-20250929",
				FinishReasons: []string{"end_turn"}, Usage: usage(providers.SourceStream, 21+1800+2500, 42, 2500, 1800, 0), Streamed: true, Complete: true},
			stopAt: stopOf(cache),
		},
		{
			name: "synthetic_stream_error",
			exchange: testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: streamReq,
				ResponseHeader: sseHeader, ResponseBody: read("synthetic_stream_error.sse")},
			request: providers.Request{Provider: "anthropic", Operation: "chat", Model: "claude-3-7-sonnet-20250219",
				Stream: true, MaxTokens: i64(1024), Temperature: f64(0.5)},
			response: providers.Response{ID: "msg_01ErrStream", Model: "claude-3-5-haiku-20241022",
				Usage: usage(providers.SourceStream, 12, 1, 0, 0), Streamed: true, Complete: true, ErrorType: "overloaded_error"},
		},
		{
			name: "synthetic_error_529",
			exchange: testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: streamReq, Status: 529,
				ResponseHeader: jsonHeader, ResponseBody: read("synthetic_error_529.json")},
			request: providers.Request{Provider: "anthropic", Operation: "chat", Model: "claude-3-7-sonnet-20250219",
				Stream: true, MaxTokens: i64(1024), Temperature: f64(0.5)},
			response: providers.Response{Complete: true, ErrorType: "overloaded_error"},
		},
		{
			name: "synthetic_html_502",
			exchange: testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: streamReq, Status: 502,
				ResponseHeader: http.Header{"Content-Type": {"text/html"}}, ResponseBody: read("synthetic_html_502.html")},
			request: providers.Request{Provider: "anthropic", Operation: "chat", Model: "claude-3-7-sonnet-20250219",
				Stream: true, MaxTokens: i64(1024), Temperature: f64(0.5)},
			response: providers.Response{ObserveError: "response is not JSON"},
		},
		{
			name: "synthetic_vertex_rawPredict",
			exchange: testkit.Exchange{URL: vertexBase + ":rawPredict",
				Header:         http.Header{"Authorization": {"Bearer ya29.secret"}},
				Body:           []byte(`{"anthropic_version":"vertex-2023-10-16","max_tokens":256,"messages":[]}`),
				ResponseHeader: jsonHeader, ResponseBody: read("synthetic_vertex_rawPredict.json")},
			request: providers.Request{Provider: "gcp.vertex_ai", Operation: "chat", Model: "claude-3-5-sonnet-v2@20241022",
				MaxTokens: i64(256)},
			response: providers.Response{ID: "msg_vrtx_01XHc9M3HT8sSWhTtH3kSn2D", Model: "claude-3-5-sonnet-v2-20241022",
				FinishReasons: []string{"end_turn"}, Usage: usage(providers.SourceResponseBody, 10, 5, 0, 0), Complete: true},
		},
		{
			name: "synthetic_vertex_streamRawPredict",
			exchange: testkit.Exchange{URL: vertexBase + ":streamRawPredict",
				Header:         http.Header{"Authorization": {"Bearer ya29.secret"}},
				Body:           []byte(`{"anthropic_version":"vertex-2023-10-16","max_tokens":256,"stream":true,"messages":[]}`),
				ResponseHeader: sseHeader, ResponseBody: vertexStream},
			request: providers.Request{Provider: "gcp.vertex_ai", Operation: "chat", Model: "claude-3-5-sonnet-v2@20241022",
				Stream: true, MaxTokens: i64(256)},
			response: func() providers.Response {
				u := providers.Usage{Source: providers.SourceStream}
				u.Set(providers.InputTokens, 10)
				u.Set(providers.OutputTokens, 5)
				return providers.Response{ID: "msg_vrtx_01StreamVertex", Model: "claude-3-5-sonnet-v2-20241022",
					FinishReasons: []string{"end_turn"}, Usage: u, Streamed: true, Complete: true}
			}(),
			stopAt: stopOf(vertexStream),
		},
	}
}

func TestReplay(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			req, resp := testkit.Replay(t, anthropic.New(), f.exchange)
			assert.Equal(t, f.request, req)
			assert.Equal(t, f.response, resp)
		})
	}
}

func TestTruncations(t *testing.T) {
	for _, f := range fixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			full := f.response
			testkit.Truncations(t, anthropic.New(), f.exchange, func(cut int, complete bool, r providers.Response) {
				u := r.Usage
				assert.LessOrEqual(t, u.InputTokens, full.Usage.InputTokens, "cut %d", cut)
				assert.LessOrEqual(t, u.OutputTokens, full.Usage.OutputTokens, "cut %d", cut)
				assert.LessOrEqual(t, u.CacheReadInputTokens, full.Usage.CacheReadInputTokens, "cut %d", cut)
				assert.LessOrEqual(t, u.CacheCreationInputTokens, full.Usage.CacheCreationInputTokens, "cut %d", cut)
				assert.Equal(t, u.Reported&^full.Usage.Reported, providers.UsageField(0), "cut %d reports a count the full body does not", cut)
				if r.ErrorType != "" {
					assert.Equal(t, full.ErrorType, r.ErrorType)
				}
				if f.stopAt > 0 && complete && cut < f.stopAt {
					assert.NotEmpty(t, r.ObserveError, "cut %d of %d: a stream cut before message_stop must say so", cut, f.stopAt)
				}
				if f.stopAt > 0 && cut >= f.stopAt && complete {
					assert.Equal(t, full, r, "cut %d is past message_stop", cut)
				}
				if f.stopAt > 0 && r.Complete {
					assert.GreaterOrEqual(t, cut, f.stopAt, "cut %d: Complete before message_stop", cut)
				}
				if f.stopAt > 0 && complete {
					assert.Equal(t, cut >= f.stopAt, r.Complete, "cut %d of %d: Complete", cut, f.stopAt)
				}
				if !f.response.Streamed && cut < len(bytes.TrimRight(f.exchange.ResponseBody, "\n")) {
					assert.False(t, r.Complete, "cut %d of a full body", cut)
				}
				if f.stopAt == 0 && !f.response.Streamed && complete && cut < len(bytes.TrimRight(f.exchange.ResponseBody, "\n")) {
					assert.NotEmpty(t, r.ObserveError, "cut %d of a full body", cut)
					assert.Zero(t, r.Usage.Reported)
				}
			})
		})
	}
}

// observe runs one whole-body observation.
func observe(t *testing.T, e testkit.Exchange) providers.Response {
	t.Helper()
	_, r := testkit.Observe(t, anthropic.New(), e, testkit.Whole(e.ResponseBody), true)
	return r
}

func TestBadInputs(t *testing.T) {
	body := []byte(`{"model":"claude-3-5-haiku-latest","max_tokens":10}`)
	streamBody := []byte(`{"model":"claude-3-5-haiku-latest","max_tokens":10,"stream":true}`)
	cases := []struct {
		name string
		e    testkit.Exchange
		want providers.Response
	}{
		{"malformed JSON", testkit.Exchange{URL: messagesURL, Body: body, ResponseHeader: jsonHeader,
			ResponseBody: []byte(`{"id":"msg_1","usage":{"input_tokens":3,`)}, providers.Response{ObserveError: "response JSON is malformed or truncated"}},
		{"empty body", testkit.Exchange{URL: messagesURL, Body: body, ResponseHeader: jsonHeader},
			providers.Response{ObserveError: "response body is empty"}},
		{"JSON array", testkit.Exchange{URL: messagesURL, Body: body, ResponseHeader: jsonHeader,
			ResponseBody: []byte(`[1,2]`)}, providers.Response{Complete: true, ObserveError: "response is not a JSON object"}},
		{"garbage stream", testkit.Exchange{URL: messagesURL, Body: streamBody, ResponseHeader: sseHeader,
			ResponseBody: []byte("data: {nope\n\ndata: \x00\xff\n\n")}, providers.Response{Streamed: true, ObserveError: "2 stream event(s) not valid JSON; stream ended before its final event"}},
		{"malformed event then stop", testkit.Exchange{URL: messagesURL, Body: streamBody, ResponseHeader: sseHeader,
			ResponseBody: []byte("event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":4\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")},
			providers.Response{Streamed: true, Complete: true, ObserveError: "1 stream event(s) not valid JSON"}},
		{"error body on 400", testkit.Exchange{URL: messagesURL, Body: body, Status: 400, ResponseHeader: jsonHeader,
			ResponseBody: []byte(`{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}`)},
			providers.Response{Complete: true, ErrorType: "invalid_request_error"}},
		{"error body on 200", testkit.Exchange{URL: messagesURL, Body: body, ResponseHeader: jsonHeader,
			ResponseBody: []byte(`{"type":"error","error":{"type":"api_error","message":"Internal server error"}}`)},
			providers.Response{Complete: true, ErrorType: "api_error"}},
		{"vertex google error", testkit.Exchange{URL: vertexBase + ":rawPredict", Body: body, Status: 429, ResponseHeader: jsonHeader,
			ResponseBody: []byte(`{"error":{"code":429,"message":"Quota exceeded","status":"RESOURCE_EXHAUSTED"}}`)},
			providers.Response{Complete: true, ErrorType: "RESOURCE_EXHAUSTED"}},
		{"error code only", testkit.Exchange{URL: vertexBase + ":rawPredict", Body: body, Status: 500, ResponseHeader: jsonHeader,
			ResponseBody: []byte(`{"error":{"code":500}}`)}, providers.Response{Complete: true, ErrorType: "500"}},
		{"HTML 200 without content type", testkit.Exchange{URL: messagesURL, ResponseBody: read("synthetic_html_502.html")},
			providers.Response{ObserveError: "response is not JSON"}},
		{"stream error event without type", testkit.Exchange{URL: messagesURL, Body: streamBody, ResponseHeader: sseHeader,
			ResponseBody: []byte("event: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"boom\"}}\n\n")},
			providers.Response{Streamed: true, Complete: true, ErrorType: "error"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, observe(t, c.e))
		})
	}
}

func TestOverLimitBody(t *testing.T) {
	e := testkit.Exchange{URL: messagesURL, Body: []byte(`{}`), ResponseHeader: jsonHeader}
	req := e.Request()
	call := anthropic.New().Match(req)
	call.Request(e.Body)
	obs := call.Observe(e.Response(req))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	obs.Write([]byte(`{"usage":{"input_tokens":1},"pad":"`))
	for i := 0; i < 9; i++ {
		obs.Write(chunk)
	}
	obs.Write([]byte(`"}`))
	assert.Equal(t, providers.Response{ObserveError: "response body over 8 MiB not parsed"}, obs.Finish(true))
}

func TestEarlyFinish(t *testing.T) {
	body := read("synthetic_stream_cache.sse")
	e := testkit.Exchange{URL: messagesURL, Body: []byte(`{"stream":true}`), ResponseHeader: sseHeader, ResponseBody: body}
	cut := bytes.Index(body, []byte("event: message_delta"))
	_, r := testkit.Observe(t, anthropic.New(), e, testkit.Whole(body[:cut]), false)
	want := usage(providers.SourceStream, 4321, 3, 2500, 1800, 0)
	assert.Equal(t, want, r.Usage, "partial result keeps message_start usage")
	assert.Empty(t, r.ObserveError, "an early Finish is not an observation error")
	assert.Nil(t, r.FinishReasons)
}

// TestClosedAfterFinalEvent: an SDK closes the body as soon as message_stop
// arrives, before EOF (Finish(false)). That response is whole; one closed
// before message_stop is not.
func TestClosedAfterFinalEvent(t *testing.T) {
	body := read("messages_stream_tool_use.sse")
	e := testkit.Exchange{URL: messagesURL, Body: []byte(`{"stream":true}`), ResponseHeader: sseHeader, ResponseBody: body}
	_, r := testkit.Observe(t, anthropic.New(), e, testkit.Whole(body), false)
	assert.True(t, r.Complete)
	assert.Equal(t, usage(providers.SourceStream, 394, 79, 0, 0, 0), r.Usage)
	assert.Equal(t, []string{"tool_use"}, r.FinishReasons)
	assert.Empty(t, r.ObserveError)

	cut := bytes.LastIndex(body, []byte("event: message_stop"))
	require.Greater(t, cut, 0)
	_, r = testkit.Observe(t, anthropic.New(), e, testkit.Whole(body[:cut]), false)
	assert.False(t, r.Complete)
	assert.Empty(t, r.ObserveError, "an early Finish is not an observation error")
}

func TestSniffing(t *testing.T) {
	// No Content-Type and no readable request body: the first byte decides.
	stream := read("synthetic_stream_cache.sse")
	_, r := testkit.Replay(t, anthropic.New(), testkit.Exchange{URL: messagesURL, ResponseBody: append([]byte("\n\n"), stream...)})
	assert.True(t, r.Streamed)
	assert.Equal(t, int64(42), r.Usage.OutputTokens)
	_, r = testkit.Replay(t, anthropic.New(), testkit.Exchange{URL: messagesURL, ResponseBody: append([]byte("  \n"), read("messages_nonstream_1.json")...)})
	assert.False(t, r.Streamed)
	assert.Equal(t, int64(19), r.Usage.OutputTokens)
	assert.Equal(t, providers.SourceResponseBody, r.Usage.Source)
}

func TestChunks(t *testing.T) {
	e := testkit.Exchange{URL: messagesURL, Body: []byte(`{"stream":true}`), ResponseHeader: sseHeader}
	req := e.Request()
	call := anthropic.New().Match(req)
	call.Request(e.Body)
	obs := call.Observe(e.Response(req))
	assert.Equal(t, 0, obs.Chunks())
	obs.Write(read("messages_stream_tool_use.sse"))
	// message_start + 13 text deltas + 4 input_json deltas + message_delta.
	assert.Equal(t, 19, obs.Chunks())
	obs.Finish(true)
}

func TestMatch(t *testing.T) {
	p := anthropic.New()
	assert.Equal(t, "anthropic", p.Name())
	newReq := func(method, url string, header http.Header) *http.Request {
		r := httptest.NewRequest(method, url, nil)
		for k, v := range header {
			r.Header[k] = v
		}
		return r
	}
	version := http.Header{"Anthropic-Version": {"2023-06-01"}}
	match := []struct {
		url      string
		header   http.Header
		provider string
		model    string
		stream   bool
	}{
		{messagesURL, nil, "anthropic", "", false},
		{messagesURL + "?beta=true", nil, "anthropic", "", false},
		{"https://API.Anthropic.com:443/v1/messages", nil, "anthropic", "", false},
		{"http://localhost:8080/v1/messages", version, "anthropic", "", false},
		{"https://gateway.ai.cloudflare.com/v1/acct/gw/anthropic/v1/messages", version, "anthropic", "", false},
		{vertexBase + ":rawPredict", nil, "gcp.vertex_ai", "claude-3-5-sonnet-v2@20241022", false},
		{vertexBase + ":streamRawPredict", nil, "gcp.vertex_ai", "claude-3-5-sonnet-v2@20241022", true},
		{"https://aiplatform.googleapis.com/v1/projects/p/locations/global/publishers/anthropic/models/claude-opus-4-1@20250805:streamRawPredict", nil, "gcp.vertex_ai", "claude-opus-4-1@20250805", true},
		{"https://europe-west1-aiplatform.googleapis.com/v1beta1/projects/p/locations/europe-west1/publishers/anthropic/models/claude-3-haiku%4020240307:rawPredict", nil, "gcp.vertex_ai", "claude-3-haiku@20240307", false},
	}
	for _, m := range match {
		call := p.Match(newReq(http.MethodPost, m.url, m.header))
		require.NotNil(t, call, m.url)
		r := call.Request(nil)
		// No body read: whether it asks for a stream is not known, unless
		// the URL says so.
		assert.Equal(t, providers.Request{Provider: m.provider, Operation: "chat", Model: m.model, Stream: m.stream, StreamUnknown: !m.stream}, r, m.url)
	}
	noMatch := []struct {
		method, url string
		header      http.Header
	}{
		{http.MethodGet, messagesURL, nil},
		{http.MethodPost, messagesURL + "/count_tokens", nil},
		{http.MethodPost, messagesURL + "/batches", nil},
		{http.MethodPost, messagesURL + "/batches/msgbatch_01/cancel", nil},
		{http.MethodPost, "https://api.anthropic.com/v1/complete", nil},
		{http.MethodPost, "https://api.anthropic.com/v1/models", nil},
		{http.MethodPost, "https://api.openai.com/v1/messages", nil},
		{http.MethodPost, "http://localhost/v1/messages/count_tokens", version},
		{http.MethodPost, "https://evil-api.anthropic.com.example.com/v1/messages", nil},
		{http.MethodPost, vertexBase + ":predict", nil},
		{http.MethodPost, vertexBase + ":countTokens", nil},
		{http.MethodPost, "https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/google/models/gemini-2.5-flash:streamGenerateContent", nil},
		{http.MethodPost, "https://example.com/v1/projects/p/locations/l/publishers/anthropic/models/claude:rawPredict", nil},
		{http.MethodPost, "https://aiplatform.googleapis.com.evil.com/v1/projects/p/locations/l/publishers/anthropic/models/claude:rawPredict", nil},
		{http.MethodPost, "https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/l/publishers/anthropic/models/:rawPredict", nil},
	}
	for _, m := range noMatch {
		assert.Nil(t, p.Match(newReq(m.method, m.url, m.header)), "%s %s", m.method, m.url)
	}
}

func TestRequest(t *testing.T) {
	call := anthropic.New().Match(httptest.NewRequest(http.MethodPost, messagesURL, nil))
	r := call.Request([]byte(`{"model":"claude-opus-4-1","max_tokens":2048,"temperature":1,"top_p":0.95,"top_k":40,"stop_sequences":["\n\nHuman:","###"],"stream":true,"thinking":{"type":"enabled","budget_tokens":1024},"system":"secret prompt","messages":[{"role":"user","content":"hello"}]}`))
	assert.Equal(t, providers.Request{Provider: "anthropic", Operation: "chat", Model: "claude-opus-4-1", Stream: true,
		MaxTokens: i64(2048), Temperature: f64(1), TopP: f64(0.95), TopK: f64(40), StopSequences: []string{"\n\nHuman:", "###"}}, r)

	for _, body := range [][]byte{nil, []byte(`{"model":`), []byte(`not json`), []byte(`[]`)} {
		call := anthropic.New().Match(httptest.NewRequest(http.MethodPost, messagesURL, nil))
		assert.Equal(t, providers.Request{Provider: "anthropic", Operation: "chat", StreamUnknown: true}, call.Request(body), "%q", body)
	}
	// A body read, whatever it holds, says whether it asked for a stream.
	call = anthropic.New().Match(httptest.NewRequest(http.MethodPost, messagesURL, nil))
	assert.Equal(t, providers.Request{Provider: "anthropic", Operation: "chat"}, call.Request([]byte(`{"model":7}`)))
	// Vertex: the URL names the model even if the body has one too.
	call = anthropic.New().Match(httptest.NewRequest(http.MethodPost, vertexBase+":rawPredict", nil))
	r = call.Request([]byte(`{"model":"other","max_tokens":5,"stream":false}`))
	assert.Equal(t, "claude-3-5-sonnet-v2@20241022", r.Model)
	assert.False(t, r.Stream)
}

func TestNoSecrets(t *testing.T) {
	e := testkit.Exchange{URL: messagesURL + "?key=sk-ant-query", Header: apiHeader,
		Body: []byte(`{"model":"m","max_tokens":1}`), ResponseHeader: jsonHeader, ResponseBody: read("messages_nonstream_1.json")}
	req, resp := testkit.Replay(t, anthropic.New(), e)
	all := strings.Join([]string{req.Provider, req.Model, resp.ID, resp.Model, resp.ErrorType, resp.ObserveError}, "|")
	assert.NotContains(t, all, "sk-ant")
}

func TestAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	e := testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: []byte(`{"model":"m","stream":true}`), ResponseHeader: sseHeader}
	body := read("synthetic_stream_cache.sse")
	start := bytes.Index(body, []byte("event: content_block_delta"))
	end := bytes.Index(body, []byte("event: content_block_stop"))
	deltaAt := bytes.Index(body, []byte("event: message_delta"))
	head := body[:start]
	chunk := body[start:end]
	tail := body[end:]
	allocs := testkit.AllocsPerChunk(t, anthropic.New(), e, head, chunk, tail, 50)
	assert.Zero(t, allocs, "content_block_delta")
	// message_delta with usage (repeated, as a pathological stream would).
	delta := body[deltaAt : deltaAt+bytes.Index(body[deltaAt:], []byte("event: message_stop"))]
	allocs = testkit.AllocsPerChunk(t, anthropic.New(), e, head, delta, tail, 50)
	assert.Zero(t, allocs, "message_delta")
}
