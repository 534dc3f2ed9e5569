package openai

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

const openAIResponsesURL = "https://api.openai.com/v1/responses"

// createdEvent is a response.created event for the spec's resp_123, to
// start the streams built from the single-event fixtures.
const createdEvent = `{"type":"response.created","sequence_number":0,"response":{"id":"resp_123","object":"response","created_at":1740855869,"status":"in_progress","model":"gpt-4o-mini-2024-07-18","output":[],"usage":null}}`

func TestResponsesFixtures(t *testing.T) {
	incomplete := sseFromEvents(t, []byte(createdEvent),
		[]byte(`{"type":"response.output_text.delta","sequence_number":1,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hi"}`),
		testkit.Read(t, "testdata/openai/responses_event_incomplete.json"))
	failed := sseFromEvents(t, []byte(createdEvent), testkit.Read(t, "testdata/openai/responses_event_failed.json"))
	// Azure's v1 endpoint may end a Responses stream with [DONE] as well.
	failedDone := append(append([]byte{}, failed...), "data: [DONE]\n\n"...)
	streamReq := `{"model":"gpt-4o-mini","input":"hi","stream":true}`
	cases := []replayCase{
		{
			name: "spec nonstream text", path: "openai/responses_nonstream_text.json", url: openAIResponsesURL,
			reqBody: `{"model":"gpt-5.4","input":"Tell me a three sentence bedtime story about a unicorn."}`, contentType: ctJSON,
			wantReq: providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-5.4"},
			wantResp: providers.Response{
				ID: "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", Model: "gpt-5.4", FinishReasons: []string{"stop"},
				Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 36, providers.CacheReadInputTokens, 0,
					providers.CacheCreationInputTokens, 0, providers.OutputTokens, 87, providers.ReasoningTokens, 0,
					providers.TotalTokens, 123),
				Complete: true,
			},
		},
		{
			name: "spec nonstream reasoning", path: "openai/responses_nonstream_reasoning.json",
			url:     "https://myres.openai.azure.com/openai/v1/responses",
			reqBody: `{"model":"o1","input":"x","reasoning":{"effort":"high"},"max_output_tokens":2048}`, contentType: ctJSON,
			wantReq: providers.Request{Provider: "azure.ai.openai", Operation: "chat", Model: "o1", MaxTokens: ptrI(2048)},
			wantResp: providers.Response{
				ID: "resp_67ccd7eca01881908ff0b5146584e408072912b2993db808", Model: "o1-2024-12-17", FinishReasons: []string{"stop"},
				Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 81, providers.CacheReadInputTokens, 0,
					providers.CacheCreationInputTokens, 0, providers.OutputTokens, 1035, providers.ReasoningTokens, 832,
					providers.TotalTokens, 1116),
				Complete: true,
			},
		},
		{
			// The spec example ends at response.completed without a final
			// blank line; its "..." line is an unknown SSE field, ignored.
			name: "spec stream", path: "openai/responses_stream_sse.txt", url: openAIResponsesURL,
			reqBody: `{"model":"gpt-5.4","instructions":"You are a helpful assistant.","input":"Hello!","stream":true}`, contentType: ctSSE,
			wantReq: providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-5.4", Stream: true},
			wantResp: providers.Response{
				ID: "resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654", Model: "gpt-5.4", FinishReasons: []string{"stop"},
				Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 37, providers.OutputTokens, 11,
					providers.ReasoningTokens, 0, providers.TotalTokens, 48),
				Streamed: true, Complete: true,
			},
			chunks: 1, // one text delta; the completed event has no blank line after it: it is dispatched at the end
			final:  jsonEnd(testkit.Read(t, "testdata/openai/responses_stream_sse.txt")),
		},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}

	built := []struct {
		name   string
		body   []byte
		want   providers.Response
		chunks int
	}{
		{"incomplete event", incomplete, providers.Response{ID: "resp_123", Model: "gpt-4o-mini-2024-07-18",
			FinishReasons: []string{"max_tokens"}, Streamed: true, Complete: true}, 1},
		{"failed event", failed, providers.Response{ID: "resp_123", Model: "gpt-4o-mini-2024-07-18",
			FinishReasons: []string{"error"}, Streamed: true, Complete: true, ErrorType: "server_error"}, 0},
		{"failed event then [DONE]", failedDone, providers.Response{ID: "resp_123", Model: "gpt-4o-mini-2024-07-18",
			FinishReasons: []string{"error"}, Streamed: true, Complete: true, ErrorType: "server_error"}, 0},
		{"standalone error event", testkit.Read(t, "testdata/synthetic/responses_stream_error_event.sse"),
			providers.Response{ID: "resp_err", Model: "gpt-4.1-2025-04-14", Streamed: true, Complete: true, ErrorType: "ERR_SOMETHING"}, 1},
	}
	for _, b := range built {
		t.Run(b.name, func(t *testing.T) {
			e := testkit.Exchange{URL: openAIResponsesURL, Body: []byte(streamReq),
				ResponseHeader: map[string][]string{"Content-Type": {ctSSE}}, ResponseBody: b.body}
			req, r := testkit.Replay(t, New(), e)
			assert.Equal(t, providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-4o-mini", Stream: true}, req)
			assert.Equal(t, b.want, r)
			call := testkit.Match(t, New(), e)
			call.Request(e.Body)
			obs := call.Observe(e.Response(nil))
			obs.Write(b.body)
			assert.Equal(t, b.chunks, obs.Chunks())
			// The terminal event is the last one: any cut before it is a
			// stream that ended early.
			final := bytes.LastIndex(b.body, []byte("data: {")) + len("data: {")
			checkTruncations(t, e, r, final, true)
		})
	}
}

func TestResponsesFinishReasons(t *testing.T) {
	for _, c := range []struct {
		body string
		want []string
		err  string
	}{
		{`{"id":"r","status":"completed","output":[{"type":"reasoning"},{"type":"function_call","name":"f"}]}`, []string{"tool_calls"}, ""},
		{`{"id":"r","status":"completed","output":[{"type":"message"}]}`, []string{"stop"}, ""},
		{`{"id":"r","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"}}`, []string{"max_output_tokens"}, ""},
		{`{"id":"r","status":"incomplete","incomplete_details":null}`, []string{"incomplete"}, ""},
		{`{"id":"r","status":"failed","error":{"code":"rate_limit_exceeded","message":"x"}}`, []string{"error"}, "rate_limit_exceeded"},
		{`{"id":"r","status":"cancelled"}`, []string{"cancelled"}, ""},
		{`{"id":"r","status":"in_progress"}`, nil, ""},
		{`{"id":"r","status":"queued","background":true}`, nil, ""},
	} {
		e := testkit.Exchange{URL: openAIResponsesURL, Body: []byte(`{"model":"m"}`),
			ResponseHeader: map[string][]string{"Content-Type": {ctJSON}}, ResponseBody: []byte(c.body)}
		_, r := testkit.Replay(t, New(), e)
		assert.Equal(t, c.want, r.FinishReasons, c.body)
		assert.Equal(t, c.err, r.ErrorType, c.body)
		assert.Empty(t, r.ObserveError, c.body)
	}
}

func TestResponsesBadInputs(t *testing.T) {
	for _, c := range []struct {
		name, ct, body string
		status         int
		want           providers.Response
	}{
		{"error body", ctJSON, `{"error":{"message":"Invalid model","type":"invalid_request_error","param":"model","code":"model_not_found"}}`, 404,
			providers.Response{Complete: true, ErrorType: "invalid_request_error"}},
		{"html", ctHTML, "<html>502</html>", 502, providers.Response{ObserveError: "response is not JSON"}},
		{"stream cut", ctSSE, "event: response.created\ndata: " + createdEvent + "\n\n", 200,
			providers.Response{ID: "resp_123", Model: "gpt-4o-mini-2024-07-18", Streamed: true, ObserveError: "stream ended before its final event"}},
		{"bad event", ctSSE, "event: response.output_text.delta\ndata: {oops\n\ndata: [DONE]\n\n", 200,
			providers.Response{Streamed: true, ObserveError: "1 stream event(s) not valid JSON; stream ended before its final event"}},
		{"nested error event", ctSSE, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"x\"}}\n\n", 200,
			providers.Response{Streamed: true, Complete: true, ErrorType: "invalid_request_error"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := testkit.Exchange{URL: openAIResponsesURL, Body: []byte(`{"model":"m","stream":true}`), Status: c.status,
				ResponseHeader: map[string][]string{"Content-Type": {c.ct}}, ResponseBody: []byte(c.body)}
			_, r := testkit.Replay(t, New(), e)
			assert.Equal(t, c.want, r)
			testkit.Truncations(t, New(), e, nil)
		})
	}
}

func TestResponsesStreamAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	e := testkit.Exchange{URL: openAIResponsesURL, Body: []byte(`{"model":"gpt-4o-mini","stream":true}`),
		ResponseHeader: map[string][]string{"Content-Type": {ctSSE}}}
	head := []byte("event: response.created\ndata: " + createdEvent + "\n\n")
	chunk := []byte("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\" hello\",\"logprobs\":[]}\n\n")
	tail := []byte("event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_123\",\"status\":\"completed\",\"model\":\"gpt-4o-mini\",\"output\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}}}\n\n")
	assert.Zero(t, testkit.AllocsPerChunk(t, New(), e, head, chunk, tail, 100))
}
