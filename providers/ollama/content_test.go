package ollama

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// truth is what encoding/json reads of a response body, line by line: the
// independent account a captured answer is checked against.
type truth struct {
	thinking, text string
	calls          []providers.Part
	doneReason     string
}

func answerOf(t *testing.T, body []byte) truth {
	t.Helper()
	var tr truth
	for _, line := range bytes.Split(bytes.TrimSpace(body), []byte("\n")) {
		var obj struct {
			Message *struct {
				Content   string `json:"content"`
				Thinking  string `json:"thinking"`
				ToolCalls []struct {
					ID       string `json:"id"`
					Function struct {
						Name      string          `json:"name"`
						Arguments json.RawMessage `json:"arguments"`
					} `json:"function"`
				} `json:"tool_calls"`
			} `json:"message"`
			Response   string `json:"response"`
			Thinking   string `json:"thinking"`
			DoneReason string `json:"done_reason"`
		}
		require.NoError(t, json.Unmarshal(line, &obj))
		tr.text += obj.Response
		tr.thinking += obj.Thinking
		if m := obj.Message; m != nil {
			tr.text += m.Content
			tr.thinking += m.Thinking
			for _, tc := range m.ToolCalls {
				tr.calls = append(tr.calls, providers.Part{Type: providers.PartToolCall, ID: tc.ID, Name: tc.Function.Name, Arguments: tc.Function.Arguments})
			}
		}
		if obj.DoneReason != "" {
			tr.doneReason = obj.DoneReason
		}
	}
	return tr
}

// message is the output message the truth describes, in the order Ollama
// streams it: thinking, text, tool calls.
func (tr truth) message() providers.Message {
	m := providers.Message{Role: providers.RoleAssistant, FinishReason: tr.doneReason}
	if tr.thinking != "" {
		m.Parts = append(m.Parts, providers.Part{Type: providers.PartReasoning, Content: tr.thinking})
	}
	if tr.text != "" {
		m.Parts = append(m.Parts, providers.Part{Type: providers.PartText, Content: tr.text})
	}
	m.Parts = append(m.Parts, tr.calls...)
	return m
}

// png1x1 is a 1x1 PNG, base64: what an application sends as an image.
const png1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="

// chatHistory is a chat request that carries every kind of message: a
// system prompt, a user question with an image, an earlier assistant turn
// with two parallel tool calls, the tools' answers, and the tools offered.
var chatHistory = []byte(`{"model":"qwen3:8b","messages":[` +
	`{"role":"system","content":"You are a weather bot."},` +
	`{"role":"user","content":"Weather where this photo was taken, and in Zürich?","images":["` + png1x1 + `"]},` +
	`{"role":"assistant","content":"","thinking":"Paris and Zürich.","tool_calls":[{"function":{"name":"get_current_weather","arguments":{"location":"Paris"}}},{"function":{"name":"get_current_weather","arguments":{"location":"Zürich"}}}]},` +
	`{"role":"tool","content":"rainy, 14°C","tool_name":"get_current_weather"},` +
	`{"role":"tool","content":"{\"sky\":\"clear\"}","tool_name":"get_current_weather"}],` +
	`"tools":[{"type":"function","function":{"name":"get_current_weather","description":"The weather in a city.","parameters":{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}}}]}`)

func chatHistoryContent() *providers.RequestContent {
	return &providers.RequestContent{
		Messages: []providers.Message{
			{Role: "system", Parts: []providers.Part{{Type: providers.PartText, Content: "You are a weather bot."}}},
			{Role: "user", Parts: []providers.Part{
				{Type: providers.PartText, Content: "Weather where this photo was taken, and in Zürich?"},
				{Type: providers.PartBlob, Modality: "image", MIMEType: "image/png", Size: 70},
			}},
			{Role: "assistant", Parts: []providers.Part{
				{Type: providers.PartReasoning, Content: "Paris and Zürich."},
				{Type: providers.PartToolCall, Name: "get_current_weather", Arguments: []byte(`{"location":"Paris"}`)},
				{Type: providers.PartToolCall, Name: "get_current_weather", Arguments: []byte(`{"location":"Zürich"}`)},
			}},
			{Role: "tool", Parts: []providers.Part{{Type: providers.PartToolCallResponse, Name: "get_current_weather", Response: []byte("rainy, 14°C")}}},
			{Role: "tool", Parts: []providers.Part{{Type: providers.PartToolCallResponse, Name: "get_current_weather", Response: []byte(`{"sky":"clear"}`)}}},
		},
		Tools: []providers.ToolDefinition{{Type: "function", Name: "get_current_weather", Description: "The weather in a city.",
			Parameters: []byte(`{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}`)}},
	}
}

func TestContentChatStreamThinkingRecorded(t *testing.T) {
	body := read(t, "api_chat_stream_thinking_recorded.ndjson")
	e := testkit.Exchange{URL: base + "/api/chat", Body: chatHistory, ResponseHeader: ndjsonHeader, ResponseBody: body}
	req, resp := testkit.Replay(t, New(), e.WithCapture(1<<20))
	assert.Equal(t, chatHistoryContent(), req.Content)
	want := answerOf(t, body)
	require.NotEmpty(t, want.thinking)
	require.NotEmpty(t, want.text)
	assert.Equal(t, []providers.Message{want.message()}, resp.Output)
}

func TestContentChatStreamRecorded(t *testing.T) {
	body := read(t, "api_chat_stream_recorded.ndjson")
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"llama3","messages":[{"role":"user","content":"Tell me a joke about OpenTelemetry"}],"stream":true}`),
		ResponseHeader: ndjsonHeader, ResponseBody: body}
	req, resp := testkit.Replay(t, New(), e.WithCapture(1<<20))
	assert.Equal(t, &providers.RequestContent{Messages: []providers.Message{
		{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Tell me a joke about OpenTelemetry"}}},
	}}, req.Content)
	assert.Equal(t, []providers.Message{answerOf(t, body).message()}, resp.Output)
}

// Parallel tool calls, whole and streamed: the same message.
func TestContentToolCalls(t *testing.T) {
	want := []providers.Message{{Role: providers.RoleAssistant, FinishReason: "stop", Parts: []providers.Part{
		{Type: providers.PartReasoning, Content: "Two cities, so two calls."},
		{Type: providers.PartToolCall, ID: "call_h3vq2k1a", Name: "get_current_weather", Arguments: []byte(`{"location":"Paris","unit":"celsius"}`)},
		{Type: providers.PartToolCall, ID: "call_p8x0m4rd", Name: "get_current_weather", Arguments: []byte(`{"location":"Zürich","unit":"celsius"}`)},
	}}}
	for _, c := range []struct{ file, stream string }{
		{"api_chat_tool_calls_synthetic.json", "false"},
		{"api_chat_stream_tool_calls_synthetic.ndjson", "true"},
	} {
		body := read(t, c.file)
		header := jsonHeader
		if c.stream == "true" {
			header = ndjsonHeader
		}
		e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"qwen3:8b","stream":` + c.stream + `}`), ResponseHeader: header, ResponseBody: body}
		_, resp := testkit.Replay(t, New(), e.WithCapture(1<<20))
		assert.Equal(t, want, resp.Output, c.file)
		assert.Equal(t, []providers.Message{answerOf(t, body).message()}, resp.Output, c.file)
	}
}

func TestContentGenerateRecorded(t *testing.T) {
	request := []byte(`{"model":"llama3","system":"Be brief.","prompt":"Tell me a joke about OpenTelemetry","images":["` + png1x1 + `"]}`)
	wantRequest := &providers.RequestContent{
		System: []providers.Part{{Type: providers.PartText, Content: "Be brief."}},
		Messages: []providers.Message{{Role: "user", Parts: []providers.Part{
			{Type: providers.PartText, Content: "Tell me a joke about OpenTelemetry"},
			{Type: providers.PartBlob, Modality: "image", MIMEType: "image/png", Size: 70},
		}}},
	}
	for _, c := range []struct {
		file   string
		header http.Header
	}{{"generate_nonstream_recorded.json", jsonHeader}, {"generate_stream_recorded.ndjson", ndjsonHeader}, {"api_generate_stream_from_docs.ndjson", ndjsonHeader}} {
		body := read(t, c.file)
		e := testkit.Exchange{URL: base + "/api/generate", Body: request, ResponseHeader: c.header, ResponseBody: body}
		req, resp := testkit.Replay(t, New(), e.WithCapture(1<<20))
		assert.Equal(t, wantRequest, req.Content, c.file)
		want := answerOf(t, body)
		require.NotEmpty(t, want.text, c.file)
		assert.Equal(t, []providers.Message{want.message()}, resp.Output, c.file)
	}
}

// Every value is cut to the limit, and says so; an image is never kept,
// whatever the limit.
func TestContentLimit(t *testing.T) {
	const limit = 12
	body := read(t, "api_chat_stream_thinking_recorded.ndjson")
	e := testkit.Exchange{URL: base + "/api/chat", Body: chatHistory, ResponseHeader: ndjsonHeader, ResponseBody: body}
	req, resp := testkit.Replay(t, New(), e.WithCapture(limit))
	full := answerOf(t, body)
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "stop", Parts: []providers.Part{
		{Type: providers.PartReasoning, Content: providers.Cut(full.thinking, limit), Truncated: true},
		{Type: providers.PartText, Content: full.text, Truncated: false}, // "1\n2\n3\n4\n5": under the limit
	}}}, resp.Output)
	require.Less(t, len(full.text), limit)

	msgs := req.Content.Messages
	assert.Equal(t, providers.Part{Type: providers.PartText, Content: "You are a we", Truncated: true}, msgs[0].Parts[0])
	assert.Equal(t, providers.Part{Type: providers.PartText, Content: "Weather wher", Truncated: true}, msgs[1].Parts[0])
	assert.Equal(t, providers.Part{Type: providers.PartBlob, Modality: "image", MIMEType: "image/png", Size: 70}, msgs[1].Parts[1])
	assert.Equal(t, providers.Part{Type: providers.PartToolCall, Name: "get_current_weather", Arguments: []byte(`{"location":`), Truncated: true}, msgs[2].Parts[1])
	assert.Equal(t, providers.Part{Type: providers.PartToolCallResponse, Name: "get_current_weather", Response: []byte("rainy, 14°C")}, msgs[3].Parts[0], "as long as the limit: whole")
	assert.Equal(t, "The weather ", req.Content.Tools[0].Description)
	assert.Nil(t, req.Content.Tools[0].Parameters, "a schema over the limit is left out")
	assert.True(t, req.Content.Tools[0].Truncated, "and the definition says so")

	// A limit of 0, which the transport never asks for (WithContentLimit
	// ignores n < 1) and an Exchange cannot say (its Capture 0 is off),
	// still keeps nothing and says so.
	call := testkit.Match(t, New(), e)
	call.(providers.ContentCapturer).CaptureContent(0)
	call.Request(e.Body)
	obs := call.Observe(e.Response(e.Request()))
	obs.Write(e.ResponseBody)
	none := obs.Finish(true)
	for _, p := range none.Output[0].Parts {
		assert.Empty(t, p.Content)
		assert.True(t, p.Truncated)
	}
}

// contentFixtures are the package's answers, each with the request that
// asked for it.
func contentFixtures(t *testing.T) map[string]testkit.Exchange {
	fixtures := map[string]testkit.Exchange{}
	for _, c := range []struct {
		file, path string
		header     http.Header
		status     int
	}{
		{"api_chat_nonstream_from_docs.json", "/api/chat", jsonHeader, 0},
		{"api_chat_stream_done_reason_synthetic.ndjson", "/api/chat", ndjsonHeader, 0},
		{"api_chat_stream_error_line_synthetic.ndjson", "/api/chat", ndjsonHeader, 0},
		{"api_chat_stream_from_docs.ndjson", "/api/chat", ndjsonHeader, 0},
		{"api_chat_stream_recorded.ndjson", "/api/chat", ndjsonHeader, 0},
		{"api_chat_stream_thinking_recorded.ndjson", "/api/chat", ndjsonHeader, 0},
		{"api_chat_stream_tool_calls_synthetic.ndjson", "/api/chat", ndjsonHeader, 0},
		{"api_chat_tool_calls_synthetic.json", "/api/chat", jsonHeader, 0},
		{"api_embed_from_docs.json", "/api/embed", jsonHeader, 0},
		{"api_embeddings_legacy_synthetic.json", "/api/embeddings", jsonHeader, 0},
		{"api_generate_nonstream_synthetic.json", "/api/generate", jsonHeader, 0},
		{"api_generate_stream_from_docs.ndjson", "/api/generate", ndjsonHeader, 0},
		{"generate_nonstream_recorded.json", "/api/generate", jsonHeader, 0},
		{"generate_stream_recorded.ndjson", "/api/generate", ndjsonHeader, 0},
		{"error_404_synthetic.json", "/api/chat", jsonHeader, http.StatusNotFound},
		{"html_502_synthetic.html", "/api/chat", htmlHeader, http.StatusBadGateway},
	} {
		body := chatHistory
		if c.path != "/api/chat" {
			body = []byte(`{"model":"m","prompt":"p","input":"i"}`)
		}
		fixtures[c.file] = testkit.Exchange{URL: base + c.path, Body: body, Status: c.status, ResponseHeader: c.header, ResponseBody: read(t, c.file)}
	}
	return fixtures
}

// A stream that ends in an error line keeps the answer so far.
func TestContentErrorLine(t *testing.T) {
	e := testkit.Exchange{URL: base + "/api/chat", Body: chatHistory, ResponseHeader: ndjsonHeader, ResponseBody: read(t, "api_chat_stream_error_line_synthetic.ndjson")}
	_, r := testkit.Replay(t, New(), e.WithCapture(64))
	assert.Equal(t, "error", r.ErrorType)
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, Parts: []providers.Part{{Type: providers.PartText, Content: "Hel"}}}}, r.Output)
}

// Capture changes nothing but the content it adds: every other fact of the
// request and the response is what the call says without it, and without
// it there is no content at all.
func TestContentChangesNothingElse(t *testing.T) {
	for name, e := range contentFixtures(t) {
		plainReq, plain := testkit.Replay(t, New(), e)
		assert.Nil(t, plainReq.Content, name)
		assert.Nil(t, plain.Output, name)
		req, captured := testkit.Replay(t, New(), e.WithCapture(64))
		if strings.HasPrefix(name, "api_embed") || strings.HasPrefix(name, "error") || strings.HasPrefix(name, "html") {
			assert.Nil(t, captured.Output, "%s: no answer, no output", name)
		} else {
			assert.NotEmpty(t, captured.Output, name)
		}
		req.Content, captured.Output = nil, nil
		assert.Equal(t, plainReq, req, name)
		assert.Equal(t, plain, captured, name)
	}
}

// A body cut anywhere gives, with capture on, the answer so far: never
// more text than the whole body, nothing that panics.
func TestContentTruncations(t *testing.T) {
	body := read(t, "api_chat_stream_tool_calls_synthetic.ndjson")
	e := testkit.Exchange{URL: base + "/api/chat", Body: chatHistory, ResponseHeader: ndjsonHeader, ResponseBody: body}
	_, full := testkit.Replay(t, New(), e.WithCapture(1<<20))
	testkit.Truncations(t, New(), e.WithCapture(1<<20), func(cut int, complete bool, r providers.Response) {
		if len(r.Output) == 0 {
			return
		}
		require.Len(t, r.Output, 1)
		require.LessOrEqual(t, len(r.Output[0].Parts), len(full.Output[0].Parts), "cut %d", cut)
		for i, p := range r.Output[0].Parts {
			require.True(t, strings.HasPrefix(full.Output[0].Parts[i].Content, p.Content), "cut %d", cut)
		}
	})
}

// An option the call cannot read does not hide the messages.
func TestContentBesideUnreadableOptions(t *testing.T) {
	call := testkit.Match(t, New(), testkit.Exchange{URL: base + "/api/chat", Capture: 100})
	r := call.Request([]byte(`{"model":"m","options":{"temperature":"hot"},"messages":[{"role":"user","content":"hi"}]}`))
	assert.Nil(t, r.Temperature)
	assert.Equal(t, &providers.RequestContent{Messages: []providers.Message{{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "hi"}}}}}, r.Content)
	assert.Nil(t, call.Request(nil).Content, "no body, no content")
	assert.Nil(t, call.Request([]byte(`{"model":"m"}`)).Content, "nothing said, nothing kept")
}

// With capture on, a streamed line's text is appended to its part's
// buffer, which grows geometrically: nothing is allocated per line.
func TestContentOnAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	body := read(t, "api_chat_stream_done_reason_synthetic.ndjson")
	i := bytes.IndexByte(body, '\n') + 1
	j := bytes.LastIndex(body[:len(body)-1], []byte("\n")) + 1
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"qwen3:8b"}`), ResponseHeader: ndjsonHeader}.WithCapture(64 << 10)
	allocs := testkit.AllocsPerChunk(t, New(), e, body[:i], body[i:j], body[j:], 50)
	t.Logf("ndjson, capture on: %.3f allocations per chunk", allocs)
	assert.Less(t, allocs, 0.1)
}
