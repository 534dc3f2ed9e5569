package bedrock_test

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/bedrock"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

const (
	haiku     = "anthropic.claude-3-haiku-20240307-v1:0"
	haikuPath = "/model/anthropic.claude-3-haiku-20240307-v1%3A0"
)

var jsonHeader = http.Header{"Content-Type": {"application/json"}, "X-Amzn-Requestid": {"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"}}

// Synthetic streams, built with eventstream.Encode (see testdata/README.md).
var (
	converseStreamCache = concat(
		event("messageStart", `{"p":"abc","role":"assistant"}`),
		event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"ab"}`),
		event("contentBlockStop", `{"contentBlockIndex":0,"p":"a"}`),
		event("messageStop", `{"p":"abc","stopReason":"end_turn"}`),
		event("metadata", `{"metrics":{"latencyMs":812},"p":"ab","usage":{"cacheReadInputTokens":2701,"cacheWriteInputTokens":1024,"inputTokens":4,"outputTokens":10,"totalTokens":3739}}`),
	)
	converseStreamThrottled = concat(
		event("messageStart", `{"p":"abc","role":"assistant"}`),
		event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hel"},"p":"ab"}`),
		exception("throttlingException", "Too many requests, please wait before trying again."),
	)
	converseStreamCorrupt = concat(
		event("messageStart", `{"p":"abc","role":"assistant"}`),
		event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hello"},"p":"ab"}`),
		event("messageStop", `{"p":"abc","stopReason":"end_turn"}`),
		corrupt(event("metadata", `{"metrics":{"latencyMs":812},"usage":{"inputTokens":4,"outputTokens":10,"totalTokens":14}}`)),
	)
	claudeMessageStart = `{"type":"message_start","message":{"id":"msg_bdrk_01Cache","type":"message","role":"assistant","model":"claude-3-haiku-20240307","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":300,"cache_read_input_tokens":1500,"output_tokens":1}}}`
	claudeDelta        = `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}`
	invokeStreamCache  = concat(
		chunk(claudeMessageStart),
		chunk(`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`),
		chunk(claudeDelta),
		chunk(`{"type":"content_block_stop","index":0}`),
		chunk(`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":25}}`),
		chunk(`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":12,"outputTokenCount":25,"invocationLatency":900,"firstByteLatency":300}}`),
	)
	invokeStreamCorrupt = concat(
		chunk(claudeMessageStart),
		chunk(claudeDelta),
		corrupt(chunk(claudeDelta)),
		chunk(`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":25}}`),
		chunk(`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":12,"outputTokenCount":25,"invocationLatency":900,"firstByteLatency":300}}`),
	)
)

type fixture struct {
	name     string
	exchange testkit.Exchange
	request  providers.Request
	response providers.Response
}

// req is the Request of a call with no parameters set; the streams of
// Bedrock are AWS event streams.
func req(model string, stream bool) providers.Request {
	r := providers.Request{Provider: "aws.bedrock", Operation: "chat", Model: model, Stream: stream}
	if stream {
		r.StreamFraming = providers.FramingEventStream
	}
	return r
}

func fixtures() []fixture {
	claudeHeaders := readHeaders("invoke_model_claude_recorded.json.headers.json")
	haikuHeaders := http.Header{"Content-Type": {"application/json"}, "X-Amzn-Requestid": {"9f1c2d3e-0000-4000-8000-000000000001"},
		"X-Amzn-Bedrock-Input-Token-Count": {"25"}, "X-Amzn-Bedrock-Output-Token-Count": {"50"}}
	withParams := func(r providers.Request, f func(*providers.Request)) providers.Request { f(&r); return r }
	return []fixture{
		{
			name: "converse_nonstream_titan_recorded",
			exchange: testkit.Exchange{URL: host + "/model/amazon.titan-text-lite-v1/converse",
				Body:           []byte(`{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}],"inferenceConfig":{"maxTokens":10,"temperature":0.8,"topP":1,"stopSequences":["|"]}}`),
				ResponseHeader: readHeaders("converse_nonstream_titan_recorded.json.headers.json"), ResponseBody: read("converse_nonstream_titan_recorded.json")},
			request: withParams(req("amazon.titan-text-lite-v1", false), func(r *providers.Request) {
				r.MaxTokens, r.Temperature, r.TopP, r.StopSequences = i64(10), f64(0.8), f64(1), []string{"|"}
			}),
			response: providers.Response{ID: "180bdcbc-0fea-4b99-a0f0-b858dd830a83", RequestID: "180bdcbc-0fea-4b99-a0f0-b858dd830a83", Model: "amazon.titan-text-lite-v1",
				FinishReasons: []string{"max_tokens"}, Usage: usage(providers.SourceResponseBody, 8, 10, 18, -1, -1), Complete: true},
		},
		{
			name: "converse_stream_titan_recorded",
			exchange: testkit.Exchange{URL: host + "/model/amazon.titan-text-lite-v1/converse-stream",
				Body:           []byte(`{"messages":[],"inferenceConfig":{"maxTokens":10}}`),
				ResponseHeader: streamHeader, ResponseBody: read("converse_stream_titan_recorded.bin")},
			request: withParams(req("amazon.titan-text-lite-v1", true), func(r *providers.Request) { r.MaxTokens = i64(10) }),
			response: providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: "amazon.titan-text-lite-v1", Streamed: true,
				FinishReasons: []string{"max_tokens"}, Usage: usage(providers.SourceStream, 8, 10, 18, -1, -1), Complete: true},
		},
		{
			name: "invoke_model_claude_recorded",
			exchange: testkit.Exchange{URL: host + "/model/anthropic.claude-v2/invoke",
				Body:           []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"temperature":0.8,"top_p":1,"stop_sequences":["|"],"messages":[{"role":"user","content":"Say this is a test"}]}`),
				ResponseHeader: claudeHeaders, ResponseBody: read("invoke_model_claude_recorded.json")},
			request: withParams(req("anthropic.claude-v2", false), func(r *providers.Request) {
				r.MaxTokens, r.Temperature, r.TopP, r.StopSequences = i64(10), f64(0.8), f64(1), []string{"|"}
			}),
			// Claude's body names the message and the model.
			response: providers.Response{ID: "msg_bdrk_01NCxHHwwdtMc7wioSxo2wBC", RequestID: "173e5b06-61f1-4368-9926-0a3369f721eb", Model: "claude-2.0",
				FinishReasons: []string{"max_tokens"}, Usage: usage(providers.SourceResponseBody, 14, 10, -1, -1, -1), Complete: true},
		},
		{
			name: "invoke_model_nova_recorded",
			exchange: testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/invoke",
				Body:           []byte(`{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}],"inferenceConfig":{"max_new_tokens":10,"temperature":0.8,"top_p":1,"stopSequences":["|"]},"schemaVersion":"messages-v1"}`),
				ResponseHeader: readHeaders("invoke_model_nova_recorded.json.headers.json"), ResponseBody: read("invoke_model_nova_recorded.json")},
			request: withParams(req("amazon.nova-micro-v1:0", false), func(r *providers.Request) {
				r.MaxTokens, r.Temperature, r.TopP, r.StopSequences = i64(10), f64(0.8), f64(1), []string{"|"}
			}),
			response: providers.Response{ID: "7e0027c0-ef54-4918-8cef-4c84a35594ab", RequestID: "7e0027c0-ef54-4918-8cef-4c84a35594ab", Model: "amazon.nova-micro-v1:0",
				FinishReasons: []string{"max_tokens"}, Usage: usage(providers.SourceResponseHeaders, 5, 10, -1, -1, -1), Complete: true},
		},
		{
			name: "invoke_with_response_stream_claude_recorded",
			exchange: testkit.Exchange{URL: host + "/model/anthropic.claude-v2/invoke-with-response-stream",
				Body:           []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[]}`),
				ResponseHeader: streamHeader, ResponseBody: read("invoke_with_response_stream_claude_recorded.bin")},
			request: withParams(req("anthropic.claude-v2", true), func(r *providers.Request) { r.MaxTokens = i64(10) }),
			// message_start names the message and the model.
			response: providers.Response{ID: "msg_bdrk_01Wh9w6Tv2opkib67YP3L9B6", RequestID: "11111111-2222-3333-4444-555555555555", Model: "claude-2.0", Streamed: true,
				FinishReasons: []string{"max_tokens"}, Usage: usage(providers.SourceStream, 14, 10, -1, -1, -1), Complete: true},
		},
		{
			name: "invoke_with_response_stream_nova_recorded",
			exchange: testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/invoke-with-response-stream",
				Body:           []byte(`{"messages":[],"inferenceConfig":{"max_new_tokens":10},"schemaVersion":"messages-v1"}`),
				ResponseHeader: streamHeader, ResponseBody: read("invoke_with_response_stream_nova_recorded.bin")},
			request: withParams(req("amazon.nova-micro-v1:0", true), func(r *providers.Request) { r.MaxTokens = i64(10) }),
			response: providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: "amazon.nova-micro-v1:0", Streamed: true,
				FinishReasons: []string{"max_tokens"}, Usage: usage(providers.SourceStream, 5, 10, -1, -1, -1), Complete: true},
		},
		{
			name: "synthetic_converse_stream_cache",
			exchange: testkit.Exchange{URL: host + "/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream",
				Body:           []byte(`{"messages":[],"inferenceConfig":{"maxTokens":100},"additionalModelRequestFields":{"top_k":40}}`),
				ResponseHeader: streamHeader, ResponseBody: converseStreamCache},
			request: withParams(req("us.anthropic.claude-3-7-sonnet-20250219-v1:0", true), func(r *providers.Request) {
				r.MaxTokens, r.TopK = i64(100), f64(40)
			}),
			response: providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: "us.anthropic.claude-3-7-sonnet-20250219-v1:0", Streamed: true,
				FinishReasons: []string{"end_turn"}, Usage: usage(providers.SourceStream, 4+2701+1024, 10, 3739, 2701, 1024), Complete: true},
		},
		{
			name: "synthetic_converse_stream_throttled",
			exchange: testkit.Exchange{URL: host + "/model/amazon.nova-pro-v1%3A0/converse-stream",
				ResponseHeader: streamHeader, ResponseBody: converseStreamThrottled},
			request: req("amazon.nova-pro-v1:0", true),
			response: providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: "amazon.nova-pro-v1:0", Streamed: true,
				Complete: true, ErrorType: "throttlingException"},
		},
		{
			name: "synthetic_converse_stream_corrupt",
			exchange: testkit.Exchange{URL: host + "/model/amazon.nova-pro-v1%3A0/converse-stream",
				ResponseHeader: streamHeader, ResponseBody: converseStreamCorrupt},
			request: req("amazon.nova-pro-v1:0", true),
			response: providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: "amazon.nova-pro-v1:0", Streamed: true,
				FinishReasons: []string{"end_turn"},
				ObserveError:  "corrupt event stream frame: " + corruptErr(converseStreamCorrupt)},
		},
		{
			name: "synthetic_invoke_stream_claude_cache",
			exchange: testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream",
				Body:           []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[]}`),
				ResponseHeader: streamHeader, ResponseBody: invokeStreamCache},
			request: withParams(req(haiku, true), func(r *providers.Request) { r.MaxTokens = i64(256) }),
			response: providers.Response{ID: "msg_bdrk_01Cache", RequestID: "11111111-2222-3333-4444-555555555555", Model: "claude-3-haiku-20240307", Streamed: true,
				FinishReasons: []string{"end_turn"}, Usage: usage(providers.SourceStream, 12+300+1500, 25, -1, 1500, 300), Complete: true},
		},
		{
			name: "synthetic_invoke_stream_corrupt",
			exchange: testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream",
				ResponseHeader: streamHeader, ResponseBody: invokeStreamCorrupt},
			request: req(haiku, true),
			// The usage of message_start, before the corrupt frame, is kept.
			response: providers.Response{ID: "msg_bdrk_01Cache", RequestID: "11111111-2222-3333-4444-555555555555", Model: "claude-3-haiku-20240307", Streamed: true,
				Usage:        usage(providers.SourceStream, 12+300+1500, 1, -1, 1500, 300),
				ObserveError: "corrupt event stream frame: " + corruptErr(invokeStreamCorrupt)},
		},
		{
			name: "synthetic_converse_cache",
			exchange: testkit.Exchange{URL: host + "/model/us.amazon.nova-micro-v1%3A0/converse",
				Body:           []byte(`{"system":[{"text":"…"},{"cachePoint":{"type":"default"}}],"messages":[],"inferenceConfig":{"maxTokens":10}}`),
				ResponseHeader: jsonHeader, ResponseBody: read("synthetic_converse_cache.json")},
			request: withParams(req("us.amazon.nova-micro-v1:0", false), func(r *providers.Request) { r.MaxTokens = i64(10) }),
			response: providers.Response{ID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", RequestID: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", Model: "us.amazon.nova-micro-v1:0",
				FinishReasons: []string{"max_tokens"}, Usage: usage(providers.SourceResponseBody, 4+2701+512, 10, 3227, 2701, 512), Complete: true},
		},
		{
			name: "synthetic_validation_error",
			exchange: testkit.Exchange{URL: host + "/model/amazon.titan-text-lite-v9/converse", Status: 400,
				ResponseHeader: http.Header{"Content-Type": {"application/json"}, "X-Amzn-Requestid": {"e3b0c442-98fc-1c14-9afb-f4c8996fb924"},
					"X-Amzn-Errortype": {"ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"}},
				ResponseBody: read("synthetic_validation_error.json")},
			request: req("amazon.titan-text-lite-v9", false),
			// An error names no model: none answered.
			response: providers.Response{ID: "e3b0c442-98fc-1c14-9afb-f4c8996fb924", RequestID: "e3b0c442-98fc-1c14-9afb-f4c8996fb924",
				Complete: true, ErrorType: "ValidationException"},
		},
		{
			name: "synthetic_invoke_llama",
			exchange: testkit.Exchange{URL: host + "/model/meta.llama3-8b-instruct-v1%3A0/invoke",
				Body: []byte(`{"prompt":"Say this is a test","max_gen_len":10,"temperature":0.8,"top_p":1}`),
				ResponseHeader: http.Header{"Content-Type": {"application/json"}, "X-Amzn-Requestid": {"4f7a0b52-0000-4000-8000-000000000002"},
					"X-Amzn-Bedrock-Input-Token-Count": {"8"}, "X-Amzn-Bedrock-Output-Token-Count": {"10"}},
				ResponseBody: read("synthetic_invoke_llama.json")},
			request: withParams(req("meta.llama3-8b-instruct-v1:0", false), func(r *providers.Request) {
				r.MaxTokens, r.Temperature, r.TopP = i64(10), f64(0.8), f64(1)
			}),
			response: providers.Response{ID: "4f7a0b52-0000-4000-8000-000000000002", RequestID: "4f7a0b52-0000-4000-8000-000000000002", Model: "meta.llama3-8b-instruct-v1:0",
				FinishReasons: []string{"length"}, Usage: usage(providers.SourceResponseHeaders, 8, 10, -1, -1, -1), Complete: true},
		},
		{
			name: "synthetic_invoke_titan",
			exchange: testkit.Exchange{URL: host + "/model/amazon.titan-text-lite-v1/invoke",
				Body: []byte(`{"inputText":"Say this is a test","textGenerationConfig":{"maxTokenCount":10,"temperature":0.8,"topP":1,"stopSequences":["|"]}}`),
				ResponseHeader: http.Header{"Content-Type": {"application/json"}, "X-Amzn-Requestid": {"4f7a0b52-0000-4000-8000-000000000003"},
					"X-Amzn-Bedrock-Input-Token-Count": {"5"}, "X-Amzn-Bedrock-Output-Token-Count": {"10"}},
				ResponseBody: read("synthetic_invoke_titan.json")},
			request: withParams(req("amazon.titan-text-lite-v1", false), func(r *providers.Request) {
				r.MaxTokens, r.Temperature, r.TopP, r.StopSequences = i64(10), f64(0.8), f64(1), []string{"|"}
			}),
			response: providers.Response{ID: "4f7a0b52-0000-4000-8000-000000000003", RequestID: "4f7a0b52-0000-4000-8000-000000000003", Model: "amazon.titan-text-lite-v1",
				FinishReasons: []string{"LENGTH"}, Usage: usage(providers.SourceResponseHeaders, 5, 10, -1, -1, -1), Complete: true},
		},
		{
			// What LangChain's get_bedrock_anthropic_callback tracks: an
			// InvokeModel of Claude 3 Haiku with an Anthropic body.
			name: "synthetic_invoke_claude_haiku_cache",
			exchange: testkit.Exchange{URL: host + haikuPath + "/invoke",
				Body:           []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"temperature":0.2,"top_k":50,"system":"…","messages":[{"role":"user","content":"hi"}]}`),
				ResponseHeader: haikuHeaders, ResponseBody: read("synthetic_invoke_claude_haiku_cache.json")},
			request: withParams(req(haiku, false), func(r *providers.Request) {
				r.MaxTokens, r.Temperature, r.TopK = i64(256), f64(0.2), f64(50)
			}),
			response: providers.Response{ID: "msg_bdrk_01HaikuCache", RequestID: "9f1c2d3e-0000-4000-8000-000000000001", Model: "claude-3-haiku-20240307",
				FinishReasons: []string{"end_turn"}, Usage: usage(providers.SourceResponseBody, 25+1200+100, 50, -1, 1200, 100), Complete: true},
		},
	}
}

// corruptErr returns the decoder's error for the first corrupt frame of b.
func corruptErr(b []byte) string {
	d := newDecoder()
	return d.Write(b).Error()
}

func TestReplay(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			r, resp := testkit.Replay(t, bedrock.New(), f.exchange)
			assert.Equal(t, f.request, r)
			assert.Equal(t, f.response, resp)
		})
	}
}

func TestTruncations(t *testing.T) {
	for _, f := range fixtures() {
		t.Run(f.name, func(t *testing.T) {
			full := f.response
			body := f.exchange.ResponseBody
			testkit.Truncations(t, bedrock.New(), f.exchange, func(cut int, complete bool, r providers.Response) {
				u := r.Usage
				assert.LessOrEqual(t, u.InputTokens, full.Usage.InputTokens, "cut %d", cut)
				assert.LessOrEqual(t, u.OutputTokens, full.Usage.OutputTokens, "cut %d", cut)
				assert.LessOrEqual(t, u.TotalTokens, full.Usage.TotalTokens, "cut %d", cut)
				assert.LessOrEqual(t, u.CacheReadInputTokens, full.Usage.CacheReadInputTokens, "cut %d", cut)
				assert.LessOrEqual(t, u.CacheCreationInputTokens, full.Usage.CacheCreationInputTokens, "cut %d", cut)
				assert.Zero(t, u.Reported&^full.Usage.Reported, "cut %d reports a count the full body does not", cut)
				// Cut before Claude's message names itself, the request
				// id and the path's model stand for it.
				assert.Contains(t, []string{full.ID, full.RequestID}, r.ID, "cut %d", cut)
				assert.Equal(t, full.RequestID, r.RequestID, "cut %d", cut)
				if full.Model != "" {
					assert.Contains(t, []string{full.Model, f.request.Model}, r.Model, "cut %d", cut)
				}
				if r.ErrorType != "" {
					assert.Equal(t, full.ErrorType, r.ErrorType, "cut %d", cut)
				}
				if complete && cut < len(bytes.TrimRight(body, "\n")) {
					assert.NotEmpty(t, r.ObserveError, "cut %d of %d", cut, len(body))
				}
				if r.Complete {
					assert.GreaterOrEqual(t, cut, len(bytes.TrimRight(body, "\n")), "cut %d: Complete before the end", cut)
				}
				if cut == len(body) {
					assert.Equal(t, full.Complete, r.Complete, "whole body, Finish(%v)", complete)
				}
				if !complete && full.Streamed {
					assert.True(t, r.ObserveError == "" || strings.HasPrefix(r.ObserveError, "corrupt"), "cut %d: %s", cut, r.ObserveError)
				}
			})
		})
	}
}

// TestClosedAfterFinalEvent: an SDK may close the body once the metadata
// event arrives, before EOF (Finish(false)). That stream is whole; one
// closed before metadata is not.
func TestClosedAfterFinalEvent(t *testing.T) {
	body := read("converse_stream_titan_recorded.bin")
	e := testkit.Exchange{URL: host + "/model/amazon.titan-text-lite-v1/converse-stream", ResponseHeader: streamHeader, ResponseBody: body}
	_, r := testkit.Observe(t, bedrock.New(), e, testkit.Whole(body), false)
	assert.True(t, r.Complete)
	assert.Equal(t, usage(providers.SourceStream, 8, 10, 18, -1, -1), r.Usage)
	assert.Equal(t, []string{"max_tokens"}, r.FinishReasons)
	assert.Empty(t, r.ObserveError)

	// The metadata event is the last frame: cut at its start.
	last := 0
	for off := 0; off < len(body); off += int(binary.BigEndian.Uint32(body[off:])) {
		last = off
	}
	require.Contains(t, string(body[last:]), "metadata")
	_, r = testkit.Observe(t, bedrock.New(), e, testkit.Whole(body[:last]), false)
	assert.False(t, r.Complete)
	assert.Equal(t, []string{"max_tokens"}, r.FinishReasons, "messageStop came before metadata")
	assert.Empty(t, r.ObserveError, "an early Finish is not an observation error")
}

// observe runs one whole-body observation.
func observe(t *testing.T, e testkit.Exchange) providers.Response {
	t.Helper()
	_, r := testkit.Observe(t, bedrock.New(), e, testkit.Whole(e.ResponseBody), true)
	return r
}

func TestBadInputs(t *testing.T) {
	url := host + "/model/amazon.nova-lite-v1%3A0/converse"
	streamURL := host + "/model/amazon.nova-lite-v1%3A0/converse-stream"
	invokeURL := host + "/model/meta.llama3-8b-instruct-v1%3A0/invoke"
	id := "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	base := providers.Response{ID: id, RequestID: id, Model: "amazon.nova-lite-v1:0"}
	with := func(f func(*providers.Response)) providers.Response { r := base; f(&r); return r }
	cases := []struct {
		name string
		e    testkit.Exchange
		want providers.Response
	}{
		{"malformed JSON", testkit.Exchange{URL: url, ResponseHeader: jsonHeader, ResponseBody: []byte(`{"usage":{"inputTokens":3,`)},
			with(func(r *providers.Response) { r.ObserveError = "response JSON is malformed or truncated" })},
		{"empty body", testkit.Exchange{URL: url, ResponseHeader: jsonHeader},
			with(func(r *providers.Response) { r.ObserveError = "response body is empty" })},
		{"HTML 502", testkit.Exchange{URL: url, Status: 502, ResponseHeader: http.Header{"Content-Type": {"text/html"}, "X-Amzn-Requestid": {id}},
			ResponseBody: read("synthetic_html_502.html")},
			with(func(r *providers.Response) { r.Model, r.ObserveError = "", "response is not JSON" })},
		{"HTML on a stream path", testkit.Exchange{URL: streamURL, Status: 503, ResponseHeader: http.Header{"X-Amzn-Requestid": {id}},
			ResponseBody: read("synthetic_html_502.html")},
			with(func(r *providers.Response) { r.Model, r.ObserveError = "", "response is not JSON" })},
		{"JSON error on a stream path", testkit.Exchange{URL: streamURL, Status: 429,
			ResponseHeader: http.Header{"Content-Type": {"application/json"}, "X-Amzn-Requestid": {id}, "X-Amzn-Errortype": {"ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"}},
			ResponseBody:   []byte(`{"message":"Too many requests, please wait before trying again."}`)},
			with(func(r *providers.Response) { r.Model, r.Complete, r.ErrorType = "", true, "ThrottlingException" })},
		{"__type error body", testkit.Exchange{URL: url, Status: 403, ResponseHeader: jsonHeader,
			ResponseBody: []byte(`{"__type":"com.amazon.coral.service#AccessDeniedException","message":"no"}`)},
			with(func(r *providers.Response) { r.Model, r.Complete, r.ErrorType = "", true, "AccessDeniedException" })},
		{"error without type", testkit.Exchange{URL: url, Status: 500, ResponseHeader: jsonHeader, ResponseBody: []byte(`{"message":"oops"}`)},
			with(func(r *providers.Response) { r.Model, r.Complete = "", true })},
		{"JSON array", testkit.Exchange{URL: invokeURL, ResponseHeader: jsonHeader, ResponseBody: []byte(`[1]`)},
			providers.Response{ID: id, RequestID: id, Model: "meta.llama3-8b-instruct-v1:0", Complete: true}},
		{"garbage event stream", testkit.Exchange{URL: streamURL, ResponseHeader: streamHeader, ResponseBody: []byte("not an event stream at all")},
			func() providers.Response {
				r := observe(t, testkit.Exchange{URL: streamURL, ResponseHeader: streamHeader, ResponseBody: []byte("not an event stream at all")})
				require.True(t, strings.HasPrefix(r.ObserveError, "corrupt event stream frame: eventstream: prelude checksum mismatch"), r.ObserveError)
				return r
			}()},
		{"empty event stream", testkit.Exchange{URL: streamURL, ResponseHeader: streamHeader},
			providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: "amazon.nova-lite-v1:0", Streamed: true, ObserveError: "stream ended before its final event"}},
		{"invalid JSON in a frame", testkit.Exchange{URL: streamURL, ResponseHeader: streamHeader,
			ResponseBody: concat(event("messageStop", `{"stopReason":`), event("metadata", `{"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}}`))},
			providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: "amazon.nova-lite-v1:0", Streamed: true,
				Usage: usage(providers.SourceStream, 1, 2, 3, -1, -1), Complete: true, ObserveError: "1 stream event(s) not valid JSON"}},
		{"bad base64 chunk", testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream", ResponseHeader: streamHeader,
			ResponseBody: concat(event("chunk", `{"bytes":"!!!notbase64"}`), chunk(`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":3,"outputTokenCount":4}}`))},
			providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: haiku, Streamed: true,
				Usage: usage(providers.SourceStream, 3, 4, -1, -1, -1), Complete: true, ObserveError: "1 stream event(s) not valid JSON"}},
		{"error code frame", testkit.Exchange{URL: streamURL, ResponseHeader: streamHeader,
			ResponseBody: concat(event("messageStart", `{"role":"assistant"}`), errorFrame("InternalFailure"))},
			providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: "amazon.nova-lite-v1:0", Streamed: true, Complete: true, ErrorType: "InternalFailure"}},
		{"anthropic error inside a chunk", testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream", ResponseHeader: streamHeader,
			ResponseBody: concat(chunk(claudeMessageStart), chunk(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`))},
			providers.Response{ID: "msg_bdrk_01Cache", RequestID: "11111111-2222-3333-4444-555555555555", Model: "claude-3-haiku-20240307", Streamed: true, ErrorType: "overloaded_error",
				Usage: usage(providers.SourceStream, 1812, 1, -1, 1500, 300), Complete: true}},
		{"llama without headers", testkit.Exchange{URL: invokeURL, ResponseHeader: jsonHeader, ResponseBody: read("synthetic_invoke_llama.json")},
			providers.Response{ID: id, RequestID: id, Model: "meta.llama3-8b-instruct-v1:0", FinishReasons: []string{"length"},
				Usage: usage(providers.SourceResponseBody, 8, 10, -1, -1, -1), Complete: true}},
		{"invoke headers survive a broken body", testkit.Exchange{URL: invokeURL,
			ResponseHeader: http.Header{"X-Amzn-Requestid": {id}, "X-Amzn-Bedrock-Input-Token-Count": {"8"}, "X-Amzn-Bedrock-Output-Token-Count": {"x"}},
			ResponseBody:   []byte(`{"generation":`)},
			// A header count that is not a count is not recorded either.
			providers.Response{ID: id, RequestID: id, Model: "meta.llama3-8b-instruct-v1:0",
				ObserveError: "response JSON is malformed or truncated; usage count not a non-negative integer, not recorded: output_tokens",
				Usage:        withInvalid(usage(providers.SourceResponseHeaders, 8, -1, -1, -1, -1), providers.OutputTokens)}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, observe(t, c.e))
		})
	}
}

func TestInvokeFamilies(t *testing.T) {
	url := host + "/model/some-model/invoke"
	cases := []struct {
		body    string
		reasons []string
		usage   providers.Usage
	}{
		{`{"outputs":[{"text":"hi","stop_reason":"length"}]}`, []string{"length"}, providers.Usage{}},
		{`{"generations":[{"id":"1","text":"hi","finish_reason":"MAX_TOKENS"}],"id":"x","prompt":"p"}`, []string{"MAX_TOKENS"}, providers.Usage{}},
		{`{"response_id":"r","text":"hi","finish_reason":"COMPLETE","chat_history":[]}`, []string{"COMPLETE"}, providers.Usage{}},
		{`{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}`, []string{"stop"},
			usage(providers.SourceResponseBody, 3, 4, -1, -1, -1)},
		{`{"output":{"message":{"content":[],"role":"assistant"}},"stopReason":"end_turn","usage":{"inputTokens":4,"outputTokens":10,"totalTokens":2715,"cacheReadInputTokenCount":2701,"cacheWriteInputTokenCount":0}}`,
			[]string{"end_turn"}, usage(providers.SourceResponseBody, 2705, 10, 2715, 2701, 0)},
		{`{"inputTextTokenCount":5,"results":[{"tokenCount":3,"completionReason":"FINISH"},{"tokenCount":4,"completionReason":"LENGTH"}]}`,
			[]string{"FINISH", "LENGTH"}, usage(providers.SourceResponseBody, 5, 7, -1, -1, -1)},
		// A count that is not one spoils only itself, and its sums.
		{`{"prompt_token_count":-5,"generation_token_count":3.5,"stop_reason":"stop"}`, []string{"stop"},
			withInvalid(providers.Usage{Source: providers.SourceResponseBody}, providers.InputTokens|providers.OutputTokens)},
		{`{"inputTextTokenCount":5,"results":[{"tokenCount":3,"completionReason":"FINISH"},{"tokenCount":"4","completionReason":"LENGTH"}]}`,
			[]string{"FINISH", "LENGTH"}, withInvalid(usage(providers.SourceResponseBody, 5, -1, -1, -1, -1), providers.OutputTokens)},
		// Nova's total says its input count already includes the cache.
		{`{"output":{},"stopReason":"end_turn","usage":{"inputTokens":2705,"outputTokens":10,"totalTokens":2715,"cacheReadInputTokenCount":2701,"cacheWriteInputTokenCount":0}}`,
			[]string{"end_turn"}, usage(providers.SourceResponseBody, 2705, 10, 2715, 2701, 0)},
	}
	for _, c := range cases {
		r := observe(t, testkit.Exchange{URL: url, ResponseHeader: http.Header{"Content-Type": {"application/json"}}, ResponseBody: []byte(c.body)})
		assert.Equal(t, c.reasons, r.FinishReasons, c.body)
		assert.Equal(t, c.usage, r.Usage, c.body)
	}
}

func TestNativeStreams(t *testing.T) {
	url := host + "/model/meta.llama3-8b-instruct-v1%3A0/invoke-with-response-stream"
	metrics := `"amazon-bedrock-invocationMetrics":{"inputTokenCount":8,"outputTokenCount":2,"invocationLatency":1,"firstByteLatency":1}`
	cases := []struct {
		name    string
		body    []byte
		reasons []string
		chunks  int
	}{
		{"llama", concat(chunk(`{"generation":"Hi","prompt_token_count":8,"generation_token_count":1,"stop_reason":null}`),
			chunk(`{"generation":"!","prompt_token_count":null,"generation_token_count":2,"stop_reason":"length",`+metrics+`}`)), []string{"length"}, 2},
		{"titan", concat(chunk(`{"outputText":"Hi","index":0,"totalOutputTextTokenCount":2,"completionReason":"LENGTH","inputTextTokenCount":8,` + metrics + `}`)), []string{"LENGTH"}, 1},
		{"mistral", concat(chunk(`{"outputs":[{"text":"Hi","stop_reason":null}]}`), chunk(`{"outputs":[{"text":"!","stop_reason":"length"}],`+metrics+`}`)), []string{"length"}, 2},
		{"cohere", concat(chunk(`{"text":"Hi","is_finished":false}`), chunk(`{"is_finished":true,"finish_reason":"MAX_TOKENS",`+metrics+`}`)), []string{"MAX_TOKENS"}, 1},
		{"openai-style", concat(chunk(`{"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]}`), chunk(`{"choices":[{"delta":{},"finish_reason":"stop"}],`+metrics+`}`)), []string{"stop"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := testkit.Exchange{URL: url, ResponseHeader: streamHeader, ResponseBody: c.body}
			_, r := testkit.Replay(t, bedrock.New(), e)
			assert.Equal(t, providers.Response{ID: "11111111-2222-3333-4444-555555555555", RequestID: "11111111-2222-3333-4444-555555555555", Model: "meta.llama3-8b-instruct-v1:0", Streamed: true,
				FinishReasons: c.reasons, Usage: usage(providers.SourceStream, 8, 2, -1, -1, -1), Complete: true}, r)
			req := e.Request()
			call := bedrock.New().Match(req)
			obs := call.Observe(e.Response(req))
			obs.Write(c.body)
			assert.Equal(t, c.chunks, obs.Chunks())
		})
	}
}

func TestOverLimitBody(t *testing.T) {
	e := testkit.Exchange{URL: host + "/model/meta.llama3-8b-instruct-v1%3A0/invoke",
		ResponseHeader: http.Header{"Content-Type": {"application/json"}, "X-Amzn-Bedrock-Input-Token-Count": {"8"}}}
	req := e.Request()
	obs := bedrock.New().Match(req).Observe(e.Response(req))
	pad := bytes.Repeat([]byte(" "), 1<<20)
	for i := 0; i < 9; i++ {
		obs.Write(pad)
	}
	r := obs.Finish(true)
	assert.Equal(t, "response body over 8 MiB not parsed", r.ObserveError)
	assert.Equal(t, usage(providers.SourceResponseHeaders, 8, -1, -1, -1, -1), r.Usage, "the headers still count")
}

func TestChunks(t *testing.T) {
	for _, c := range []struct {
		url   string
		body  []byte
		want  int
		model string // named while the stream is read: by message_start, else the path
	}{
		{host + "/model/m/converse-stream", read("converse_stream_titan_recorded.bin"), 2, "m"},                                    // 1 delta + metadata
		{host + "/model/m/invoke-with-response-stream", read("invoke_with_response_stream_claude_recorded.bin"), 12, "claude-2.0"}, // message_start + 10 deltas + message_delta
		{host + "/model/m/invoke-with-response-stream", read("invoke_with_response_stream_nova_recorded.bin"), 11, "m"},            // 10 deltas + metadata
	} {
		e := testkit.Exchange{URL: c.url, ResponseHeader: streamHeader}
		req := e.Request()
		obs := bedrock.New().Match(req).Observe(e.Response(req))
		assert.Zero(t, obs.Chunks())
		obs.Write(c.body)
		assert.Equal(t, c.want, obs.Chunks(), c.url)
		assert.Equal(t, c.model, obs.(providers.ModelObserver).Model(), "the model is named while the stream is read")
		obs.Finish(true)
	}
}

func TestMatch(t *testing.T) {
	p := bedrock.New()
	assert.Equal(t, "bedrock", p.Name())
	match := []struct {
		url    string
		model  string
		stream bool
	}{
		{host + "/model/amazon.nova-micro-v1%3A0/converse", "amazon.nova-micro-v1:0", false},
		{host + "/model/amazon.nova-micro-v1:0/converse", "amazon.nova-micro-v1:0", false},
		{"https://bedrock-runtime.eu-west-3.amazonaws.com/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream", "eu.anthropic.claude-3-7-sonnet-20250219-v1:0", true},
		{"https://bedrock-runtime-fips.us-gov-west-1.amazonaws.com/model/anthropic.claude-v2/invoke", "anthropic.claude-v2", false},
		{host + "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke-with-response-stream",
			"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0", true},
		{host + "/model/global.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", false},
		{"https://vpce-0abc-xyz.bedrock-runtime.us-east-1.vpce.amazonaws.com/model/apac.amazon.nova-pro-v1%3A0/invoke", "apac.amazon.nova-pro-v1:0", false},
		{"http://localhost:4566/model/meta.llama3-8b-instruct-v1%3A0/invoke?x=1", "meta.llama3-8b-instruct-v1:0", false},
	}
	for _, m := range match {
		call := p.Match(httptest.NewRequest(http.MethodPost, m.url, nil))
		require.NotNil(t, call, m.url)
		assert.Equal(t, req(m.model, m.stream), call.Request(nil), m.url)
	}
	noMatch := []struct{ method, url string }{
		{http.MethodGet, host + "/model/amazon.nova-micro-v1%3A0/converse"},
		{http.MethodPost, host + "/model/amazon.nova-micro-v1%3A0/count-tokens"},
		{http.MethodPost, host + "/model/amazon.nova-micro-v1%3A0/invoke/extra"},
		{http.MethodPost, host + "/model//converse"},
		{http.MethodPost, host + "/model/converse"},
		{http.MethodPost, host + "/async-invoke"},
		{http.MethodPost, host + "/guardrail/g1/version/1/apply"},
		{http.MethodPost, host + "/v1/model/x/converse"},
		{http.MethodPost, "https://bedrock.us-east-1.amazonaws.com/foundation-models"},
		{http.MethodPost, host + "/model/x/Converse"},
	}
	for _, m := range noMatch {
		assert.Nil(t, p.Match(httptest.NewRequest(m.method, m.url, nil)), "%s %s", m.method, m.url)
	}
}

func TestRequest(t *testing.T) {
	parse := func(url, body string) providers.Request {
		return bedrock.New().Match(httptest.NewRequest(http.MethodPost, host+url, nil)).Request([]byte(body))
	}
	// Malformed bodies keep the URL facts.
	for _, body := range []string{`{"inferenceConfig":`, `not json`, `[]`, `{"inferenceConfig":{"maxTokens":"ten"}}`} {
		assert.Equal(t, req("m", false), parse("/model/m/converse", body), body)
		assert.Equal(t, req("m", true), parse("/model/m/invoke-with-response-stream", body), body)
	}
	assert.Equal(t, req("m", false), bedrock.New().Match(httptest.NewRequest(http.MethodPost, host+"/model/m/invoke", nil)).Request(nil))
	// Llama.
	r := parse("/model/m/invoke", `{"prompt":"p","max_gen_len":64,"temperature":0.1,"top_p":0.5}`)
	assert.Equal(t, i64(64), r.MaxTokens)
	assert.Equal(t, f64(0.1), r.Temperature)
	assert.Equal(t, f64(0.5), r.TopP)
	// Nova with top_k.
	r = parse("/model/m/invoke", `{"inferenceConfig":{"max_new_tokens":5,"top_k":20},"messages":[]}`)
	assert.Equal(t, i64(5), r.MaxTokens)
	assert.Equal(t, f64(20), r.TopK)
	// Mistral / Cohere style top level.
	r = parse("/model/m/invoke-with-response-stream", `{"prompt":"p","max_tokens":7,"temperature":0,"top_k":3}`)
	assert.Equal(t, providers.Request{Provider: "aws.bedrock", Operation: "chat", Model: "m", Stream: true, StreamFraming: providers.FramingEventStream,
		MaxTokens: i64(7), Temperature: f64(0), TopK: f64(3)}, r)
	// The body never names the model or asks for a stream on Bedrock.
	r = parse("/model/m/invoke", `{"model":"other","stream":true,"max_tokens":1}`)
	assert.Equal(t, "m", r.Model)
	assert.False(t, r.Stream)
}

func TestNoSecrets(t *testing.T) {
	e := testkit.Exchange{URL: host + "/model/anthropic.claude-v2/invoke",
		Header: http.Header{"Authorization": {"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250206/us-east-1/bedrock/aws4_request, Signature=deadbeef"},
			"X-Amz-Security-Token": {"secret-token"}, "X-Amz-Date": {"20250206T051240Z"}},
		Body:           []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[]}`),
		ResponseHeader: readHeaders("invoke_model_claude_recorded.json.headers.json"), ResponseBody: read("invoke_model_claude_recorded.json")}
	r, resp := testkit.Replay(t, bedrock.New(), e)
	all := strings.Join([]string{r.Provider, r.Model, resp.ID, resp.Model, resp.ErrorType, resp.ObserveError}, "|")
	for _, s := range []string{"AKID", "secret", "deadbeef", "test_set_cookie"} {
		assert.NotContains(t, all, s)
	}
}

func TestAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	converse := testkit.Exchange{URL: host + "/model/m/converse-stream", ResponseHeader: streamHeader}
	head := event("messageStart", `{"p":"abc","role":"assistant"}`)
	tail := concat(event("messageStop", `{"stopReason":"end_turn"}`), event("metadata", `{"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}}`))
	allocs := testkit.AllocsPerChunk(t, bedrock.New(), converse, head, event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hello there"},"p":"abcdefgh"}`), tail, 50)
	assert.Zero(t, allocs, "ConverseStream contentBlockDelta")

	invoke := testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream", ResponseHeader: streamHeader}
	claudeTail := chunk(`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":12,"outputTokenCount":25}}`)
	allocs = testkit.AllocsPerChunk(t, bedrock.New(), invoke, chunk(claudeMessageStart), chunk(claudeDelta), claudeTail, 50)
	assert.Zero(t, allocs, "InvokeModelWithResponseStream Claude content_block_delta")
	// Deltas of every length modulo 3, read by their base64 text.
	claudeDeltas := concat(chunk(claudeDelta),
		chunk(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" there"}}`),
		chunk(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", how are you?"}}`))
	allocs = testkit.AllocsPerChunk(t, bedrock.New(), invoke, chunk(claudeMessageStart), claudeDeltas, claudeTail, 50)
	assert.Zero(t, allocs, "InvokeModelWithResponseStream Claude content_block_deltas")

	nova := testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/invoke-with-response-stream", ResponseHeader: streamHeader}
	allocs = testkit.AllocsPerChunk(t, bedrock.New(), nova, chunk(`{"messageStart":{"role":"assistant"}}`),
		chunk(`{"contentBlockDelta":{"delta":{"text":"It"},"contentBlockIndex":0}}`),
		chunk(`{"metadata":{"usage":{"inputTokens":5,"outputTokens":10}},"amazon-bedrock-invocationMetrics":{"inputTokenCount":5,"outputTokenCount":10}}`), 50)
	assert.Zero(t, allocs, "InvokeModelWithResponseStream Nova contentBlockDelta")
	allocs = testkit.AllocsPerChunk(t, bedrock.New(), nova, chunk(`{"messageStart":{"role":"assistant"}}`),
		concat(chunk(`{"contentBlockDelta":{"delta":{"text":"It"},"contentBlockIndex":0}}`),
			chunk(`{"contentBlockDelta":{"delta":{"text":" was"},"contentBlockIndex":0}}`),
			chunk(`{"contentBlockDelta":{"delta":{"text":" a dark"},"contentBlockIndex":0}}`)),
		chunk(`{"metadata":{"usage":{"inputTokens":5,"outputTokens":10}},"amazon-bedrock-invocationMetrics":{"inputTokenCount":5,"outputTokenCount":10}}`), 50)
	assert.Zero(t, allocs, "InvokeModelWithResponseStream Nova contentBlockDeltas")

	mistral := testkit.Exchange{URL: host + "/model/mistral.mistral-large-2402-v1%3A0/invoke-with-response-stream", ResponseHeader: streamHeader}
	allocs = testkit.AllocsPerChunk(t, bedrock.New(), mistral, nil, chunk(`{"outputs":[{"text":"Hi","stop_reason":null}]}`),
		chunk(`{"outputs":[{"text":"!","stop_reason":"length"}],"amazon-bedrock-invocationMetrics":{"inputTokenCount":5,"outputTokenCount":10}}`), 50)
	assert.Zero(t, allocs, "InvokeModelWithResponseStream Mistral chunk")
}

// Converse reports cache writes by lifetime in cacheDetails; the one-hour
// part is kept beside the total, which includes it, full and streamed.
func TestConverseCacheDetails(t *testing.T) {
	usage := `{"inputTokens":4,"outputTokens":10,"totalTokens":3739,"cacheReadInputTokens":2701,"cacheWriteInputTokens":1024,` +
		`"cacheDetails":[{"ttl":"1h","inputTokens":1000},{"ttl":"5m","inputTokens":24}]}`
	want := testkit.Usage(providers.SourceResponseBody,
		providers.InputTokens, 4+2701+1024, providers.OutputTokens, 10, providers.TotalTokens, 3739,
		providers.CacheReadInputTokens, 2701, providers.CacheCreationInputTokens, 1024, providers.CacheCreation1hInputTokens, 1000)

	full := testkit.Exchange{URL: "https://bedrock-runtime.us-east-1.amazonaws.com" + haikuPath + "/converse", ResponseHeader: jsonHeader,
		ResponseBody: []byte(`{"output":{"message":{"role":"assistant","content":[{"text":"Hi"}]}},"stopReason":"end_turn","usage":` + usage + `,"metrics":{"latencyMs":812}}`)}
	_, r := testkit.Replay(t, bedrock.New(), full)
	assert.Equal(t, want, r.Usage)

	stream := testkit.Exchange{URL: "https://bedrock-runtime.us-east-1.amazonaws.com" + haikuPath + "/converse-stream",
		ResponseHeader: http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}},
		ResponseBody: concat(
			event("messageStart", `{"p":"abc","role":"assistant"}`),
			event("messageStop", `{"p":"abc","stopReason":"end_turn"}`),
			event("metadata", `{"metrics":{"latencyMs":812},"p":"ab","usage":`+usage+`}`))}
	_, r = testkit.Replay(t, bedrock.New(), stream)
	want.Source = providers.SourceStream
	assert.Equal(t, want, r.Usage)
}
