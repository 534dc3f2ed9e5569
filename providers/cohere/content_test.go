package cohere

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// v2Message is a v2 answer message as encoding/json reads it.
type v2Message struct {
	ToolPlan string `json:"tool_plan"`
	Content  []struct {
		Type     string `json:"type"`
		Text     string `json:"text"`
		Thinking string `json:"thinking"`
	} `json:"content"`
	ToolCalls []struct {
		ID       string `json:"id"`
		Function struct {
			Name      string `json:"name"`
			Arguments string `json:"arguments"`
		} `json:"function"`
	} `json:"tool_calls"`
}

// parts is the output parts the message describes: the tool plan, the
// content in its order, the tool calls.
func (m v2Message) parts() []providers.Part {
	var parts []providers.Part
	if m.ToolPlan != "" {
		parts = append(parts, providers.Part{Type: providers.PartReasoning, Content: m.ToolPlan})
	}
	for _, c := range m.Content {
		if c.Type == "thinking" {
			parts = append(parts, providers.Part{Type: providers.PartReasoning, Content: c.Thinking})
		} else {
			parts = append(parts, providers.Part{Type: providers.PartText, Content: c.Text})
		}
	}
	for _, tc := range m.ToolCalls {
		parts = append(parts, providers.Part{Type: providers.PartToolCall, ID: tc.ID, Name: tc.Function.Name, Arguments: []byte(tc.Function.Arguments)})
	}
	return parts
}

// documentTruth is what encoding/json reads of a whole v2 answer.
func documentTruth(t *testing.T, body []byte) []providers.Message {
	var doc struct {
		Message      v2Message `json:"message"`
		FinishReason string    `json:"finish_reason"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	return []providers.Message{{Role: providers.RoleAssistant, FinishReason: doc.FinishReason, Parts: doc.Message.parts()}}
}

// streamTruth is what encoding/json reads of a v2 stream, event by event:
// the deltas joined per content index and per tool call, in the order
// each first appeared (the tool plan comes before both).
func streamTruth(t *testing.T, body []byte) []providers.Message {
	type entry struct {
		first int
		part  providers.Part
	}
	entries := map[string]*entry{}
	at := func(key, typ string, n int) *providers.Part {
		if entries[key] == nil {
			entries[key] = &entry{first: n, part: providers.Part{Type: typ}}
		}
		return &entries[key].part
	}
	finish := ""
	for n, line := range bytes.Split(body, []byte("\n")) {
		data, ok := bytes.CutPrefix(line, []byte("data: "))
		if !ok || string(data) == "[DONE]" {
			continue
		}
		var ev struct {
			Type  string `json:"type"`
			Index int    `json:"index"`
			Delta struct {
				FinishReason string `json:"finish_reason"`
				Message      struct {
					ToolPlan  string          `json:"tool_plan"`
					Content   json.RawMessage `json:"content"`    // an array in message-start
					ToolCalls json.RawMessage `json:"tool_calls"` // an array in message-start
				} `json:"message"`
			} `json:"delta"`
		}
		require.NoError(t, json.Unmarshal(data, &ev))
		m := ev.Delta.Message
		switch ev.Type {
		case "tool-plan-delta":
			at("plan", providers.PartReasoning, n).Content += m.ToolPlan
		case "content-start", "content-delta":
			var content struct {
				Text     *string `json:"text"`
				Thinking *string `json:"thinking"`
			}
			require.NoError(t, json.Unmarshal(m.Content, &content))
			key := "content" + string(rune('0'+ev.Index))
			if content.Thinking != nil {
				at(key, providers.PartReasoning, n).Content += *content.Thinking
			} else if content.Text != nil {
				at(key, providers.PartText, n).Content += *content.Text
			}
		case "tool-call-start", "tool-call-delta":
			var tc struct {
				ID       string `json:"id"`
				Function struct {
					Name      string `json:"name"`
					Arguments string `json:"arguments"`
				} `json:"function"`
			}
			require.NoError(t, json.Unmarshal(m.ToolCalls, &tc))
			p := at("tool"+string(rune('0'+ev.Index)), providers.PartToolCall, n)
			if tc.ID != "" {
				p.ID, p.Name = tc.ID, tc.Function.Name
			}
			p.Arguments = append(p.Arguments, tc.Function.Arguments...)
		case "message-end":
			finish = ev.Delta.FinishReason
		}
	}
	var ordered []*entry
	for _, e := range entries {
		ordered = append(ordered, e)
	}
	sort.Slice(ordered, func(i, j int) bool { return ordered[i].first < ordered[j].first })
	msg := providers.Message{Role: providers.RoleAssistant, FinishReason: finish}
	for _, e := range ordered {
		msg.Parts = append(msg.Parts, e.part)
	}
	return []providers.Message{msg}
}

// toolHistory is a v2 request that carries every kind of message: a system
// message, a user turn with text, an inline image and an image URL, an
// assistant turn with a tool plan and two parallel tool calls, the tools'
// answers (text, and a document), a grounding document and the tools.
var toolHistory = []byte(`{"model":"command-r","messages":[` +
	`{"role":"system","content":"You are a travel assistant."},` +
	`{"role":"user","content":[{"type":"text","text":"Time and weather in Tokyo? Also, where is this?"},{"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/4AAQSkZJRg=="}},{"type":"image_url","image_url":{"url":"https://example.com/tower.jpg"}}]},` +
	`{"role":"assistant","tool_plan":"I will look up both.","tool_calls":[{"id":"get_time_1","type":"function","function":{"name":"get_time","arguments":"{\"location\":\"Tokyo\"}"}},{"id":"get_weather_2","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Tokyo\"}"}}]},` +
	`{"role":"tool","tool_call_id":"get_time_1","content":"10:32 JST"},` +
	`{"role":"tool","tool_call_id":"get_weather_2","content":[{"type":"document","document":{"id":"w1","data":{"sky":"clear","temp_c":21}}}]}],` +
	`"documents":[{"id":"guide","data":{"title":"Tokyo guide","snippet":"Tokyo Tower is 333 m tall."}},"Plain text document."],` +
	`"tools":[{"type":"function","function":{"name":"get_time","description":"The local time.","parameters":{"type":"object","properties":{"location":{"type":"string"}}}}}]}`)

func toolHistoryContent() *providers.RequestContent {
	return &providers.RequestContent{
		System: []providers.Part{
			{Type: providers.PartGeneric, GenericType: "document", ID: "guide", Content: `{"title":"Tokyo guide","snippet":"Tokyo Tower is 333 m tall."}`},
			{Type: providers.PartGeneric, GenericType: "document", Content: "Plain text document."},
		},
		Messages: []providers.Message{
			{Role: "system", Parts: []providers.Part{{Type: providers.PartText, Content: "You are a travel assistant."}}},
			{Role: "user", Parts: []providers.Part{
				{Type: providers.PartText, Content: "Time and weather in Tokyo? Also, where is this?"},
				{Type: providers.PartBlob, Modality: "image", MIMEType: "image/jpeg", Size: 10},
				{Type: providers.PartURI, Modality: "image", URI: "https://example.com/tower.jpg"},
			}},
			{Role: "assistant", Parts: []providers.Part{
				{Type: providers.PartReasoning, Content: "I will look up both."},
				{Type: providers.PartToolCall, ID: "get_time_1", Name: "get_time", Arguments: []byte(`{"location":"Tokyo"}`)},
				{Type: providers.PartToolCall, ID: "get_weather_2", Name: "get_weather", Arguments: []byte(`{"location":"Tokyo"}`)},
			}},
			{Role: "tool", Parts: []providers.Part{{Type: providers.PartToolCallResponse, ID: "get_time_1", Response: []byte("10:32 JST")}}},
			{Role: "tool", Parts: []providers.Part{{Type: providers.PartToolCallResponse, ID: "get_weather_2",
				Response: []byte(`[{"type":"document","document":{"id":"w1","data":{"sky":"clear","temp_c":21}}}]`)}}},
		},
		Tools: []providers.ToolDefinition{{Type: "function", Name: "get_time", Description: "The local time.",
			Parameters: []byte(`{"type":"object","properties":{"location":{"type":"string"}}}`)}},
	}
}

func TestContentV2(t *testing.T) {
	for _, c := range []struct {
		file   string
		stream bool
	}{
		{"v2_chat_recorded.json", false},
		{"v2_chat_tool_call_recorded.json", false},
		{"v2_chat_thinking_synthetic.json", false},
		{"v2_chat_nonstream_sdk_wiremock.json", false},
		{"v2_chat_stream_tool_call_recorded.sse", true},
		{"v2_chat_stream_done_recorded.sse", true},
		{"v2_chat_stream_thinking_synthetic.sse", true},
		{"v2_chat_stream_sdk_wiremock.sse", true},
	} {
		body := read(t, c.file)
		header := jsonHeader
		if c.stream {
			header = sseHeader
		}
		e := testkit.Exchange{URL: chatURL, Body: toolHistory, ResponseHeader: header, ResponseBody: body}
		req, resp := testkit.Replay(t, New(), e.WithCapture(1<<20))
		assert.Equal(t, toolHistoryContent(), req.Content, c.file)
		want := documentTruth
		if c.stream {
			want = streamTruth
		}
		assert.Equal(t, want(t, body), resp.Output, c.file)
		require.NotEmpty(t, resp.Output[0].Parts, c.file)
	}
}

// The recorded tool calls, whole and streamed: a tool plan (reasoning)
// and two parallel calls.
func TestContentParallelToolCalls(t *testing.T) {
	_, whole := testkit.Replay(t, New(), testkit.Exchange{URL: chatURL, Body: toolHistory, ResponseHeader: jsonHeader, ResponseBody: read(t, "v2_chat_tool_call_recorded.json"), Capture: 1 << 20})
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "TOOL_CALL", Parts: []providers.Part{
		{Type: providers.PartReasoning, Content: "I will search for the current time and weather in Tokyo."},
		{Type: providers.PartToolCall, ID: "get_time_dp3men9jrvhf", Name: "get_time", Arguments: []byte(`{"location":"Tokyo"}`)},
		{Type: providers.PartToolCall, ID: "get_weather_d7arjgsc96yf", Name: "get_weather", Arguments: []byte(`{"location":"Tokyo"}`)},
	}}}, whole.Output)
	_, streamed := testkit.Replay(t, New(), testkit.Exchange{URL: chatURL, Body: toolHistory, ResponseHeader: sseHeader, ResponseBody: read(t, "v2_chat_stream_tool_call_recorded.sse"), Capture: 1 << 20})
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "TOOL_CALL", Parts: []providers.Part{
		{Type: providers.PartReasoning, Content: "I will search for the current time and weather in Tokyo."},
		{Type: providers.PartToolCall, ID: "get_time_dg5wwc00d8v5", Name: "get_time", Arguments: []byte("{\n    \"location\": \"Tokyo\"\n}")},
		{Type: providers.PartToolCall, ID: "get_weather_bc8241gkqss5", Name: "get_weather", Arguments: []byte("{\n    \"location\": \"Tokyo\"\n}")},
	}}}, streamed.Output, "streamed arguments are joined as sent")
}

func TestContentV1(t *testing.T) {
	request := []byte(`{"model":"command-r","preamble":"Be brief.","chat_history":[{"role":"USER","message":"Hi"},{"role":"CHATBOT","message":"Hello!","tool_calls":[{"name":"lookup","parameters":{"q":"LLM"}}]},{"role":"TOOL","tool_results":[{"call":{"name":"lookup","parameters":{"q":"LLM"}},"outputs":[{"text":"Large language model"}]}]}],` +
		`"message":"Tell me about LLMs","tools":[{"name":"lookup","description":"Look a term up.","parameter_definitions":{"q":{"type":"str","required":true}}}]}`)
	wantRequest := &providers.RequestContent{
		System: []providers.Part{{Type: providers.PartText, Content: "Be brief."}},
		Messages: []providers.Message{
			{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Hi"}}},
			{Role: "assistant", Parts: []providers.Part{{Type: providers.PartText, Content: "Hello!"}, {Type: providers.PartToolCall, Name: "lookup", Arguments: []byte(`{"q":"LLM"}`)}}},
			{Role: "tool", Parts: []providers.Part{{Type: providers.PartToolCallResponse, Name: "lookup", Response: []byte(`[{"text":"Large language model"}]`)}}},
			{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Tell me about LLMs"}}},
		},
		Tools: []providers.ToolDefinition{{Type: "function", Name: "lookup", Description: "Look a term up."}},
	}
	e := testkit.Exchange{URL: "https://api.cohere.com/v1/chat", Body: request, ResponseHeader: jsonHeader, ResponseBody: read(t, "v1_chat_nonstream_sdk_wiremock.json")}
	req, resp := testkit.Replay(t, New(), e.WithCapture(1<<20))
	assert.Equal(t, wantRequest, req.Content)
	var doc struct {
		Text         string `json:"text"`
		FinishReason string `json:"finish_reason"`
	}
	require.NoError(t, json.Unmarshal(e.ResponseBody, &doc))
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: doc.FinishReason, Parts: []providers.Part{{Type: providers.PartText, Content: doc.Text}}}}, resp.Output)

	e = testkit.Exchange{URL: "https://api.cohere.com/v1/chat", Body: request, ResponseHeader: http.Header{"Content-Type": {"application/stream+json"}}, ResponseBody: read(t, "v1_chat_stream_synthetic.jsonl")}
	_, resp = testkit.Replay(t, New(), e.WithCapture(1<<20))
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "COMPLETE", Parts: []providers.Part{{Type: providers.PartText, Content: "Hello there"}}}}, resp.Output)
}

// Every value is cut to the limit, and says so.
func TestContentLimit(t *testing.T) {
	const limit = 10
	e := testkit.Exchange{URL: chatURL, Body: toolHistory, ResponseHeader: sseHeader, ResponseBody: read(t, "v2_chat_stream_thinking_synthetic.sse")}
	req, resp := testkit.Replay(t, New(), e.WithCapture(limit))
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "COMPLETE", Parts: []providers.Part{
		{Type: providers.PartReasoning, Content: "The user w", Truncated: true},
		{Type: providers.PartText, Content: "17 × 23 =", Truncated: true}, // 10 bytes: the × is two
	}}}, resp.Output)
	assert.Equal(t, providers.Part{Type: providers.PartText, Content: "You are a ", Truncated: true}, req.Content.Messages[0].Parts[0])
	assert.Equal(t, providers.Part{Type: providers.PartToolCall, ID: "get_time_1", Name: "get_time", Arguments: []byte(`{"location`), Truncated: true}, req.Content.Messages[2].Parts[1])
	assert.Equal(t, providers.Part{Type: providers.PartBlob, Modality: "image", MIMEType: "image/jpeg", Size: 10}, req.Content.Messages[1].Parts[1], "a blob is its size, whatever the limit")

	e.ResponseBody = read(t, "v2_chat_stream_tool_call_recorded.sse")
	_, resp = testkit.Replay(t, New(), e.WithCapture(limit))
	for _, p := range resp.Output[0].Parts {
		assert.True(t, p.Truncated || len(p.Content)+len(p.Arguments) <= limit, "%+v", p)
		assert.LessOrEqual(t, len(p.Content), limit)
		assert.LessOrEqual(t, len(p.Arguments), limit)
	}
}

// Capture changes nothing but the content it adds.
func TestContentChangesNothingElse(t *testing.T) {
	files := []struct {
		file, url string
		header    http.Header
		status    int
	}{
		{"v2_chat_nonstream_sdk_wiremock.json", chatURL, jsonHeader, 0},
		{"v2_chat_stream_sdk_wiremock.sse", chatURL, sseHeader, 0},
		{"v2_chat_stream_done_recorded.sse", chatURL, sseHeader, 0},
		{"v2_chat_stream_tool_call_recorded.sse", chatURL, sseHeader, 0},
		{"v2_chat_stream_thinking_synthetic.sse", chatURL, sseHeader, 0},
		{"v2_chat_recorded.json", chatURL, jsonHeader, 0},
		{"v2_chat_tool_call_recorded.json", chatURL, jsonHeader, 0},
		{"v2_chat_thinking_synthetic.json", chatURL, jsonHeader, 0},
		{"v2_chat_float_counts_synthetic.json", chatURL, jsonHeader, 0},
		{"v1_chat_nonstream_sdk_wiremock.json", "https://api.cohere.com/v1/chat", jsonHeader, 0},
		{"v1_chat_stream_synthetic.jsonl", "https://api.cohere.com/v1/chat", http.Header{"Content-Type": {"application/stream+json"}}, 0},
		{"v2_embed_synthetic.json", embedURL, jsonHeader, 0},
		{"error_429_synthetic.json", chatURL, jsonHeader, http.StatusTooManyRequests},
		{"error_400_synthetic.json", chatURL, jsonHeader, http.StatusBadRequest},
		{"html_502_synthetic.html", chatURL, htmlHeader, http.StatusBadGateway},
	}
	for _, f := range files {
		e := testkit.Exchange{URL: f.url, Body: toolHistory, Status: f.status, ResponseHeader: f.header, ResponseBody: read(t, f.file)}
		plainReq, plain := testkit.Replay(t, New(), e)
		assert.Nil(t, plainReq.Content, f.file)
		assert.Nil(t, plain.Output, f.file)
		req, captured := testkit.Replay(t, New(), e.WithCapture(64))
		if f.status != 0 || strings.Contains(f.file, "embed") {
			assert.Nil(t, captured.Output, "%s: no answer, no output", f.file)
		} else {
			assert.NotEmpty(t, captured.Output, f.file)
		}
		req.Content, captured.Output = nil, nil
		assert.Equal(t, plainReq, req, f.file)
		assert.Equal(t, plain, captured, f.file)
	}
	// An error inside a 200 stream: the answer so far.
	body := "event: message-start\ndata: {\"id\":\"x\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\"}}}\n\nevent: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Hi\"}}}}\n\ndata: {\"message\":\"internal error\"}\n\n"
	_, r := testkit.Replay(t, New(), testkit.Exchange{URL: chatURL, Body: toolHistory, ResponseHeader: sseHeader, ResponseBody: []byte(body), Capture: 64})
	assert.Equal(t, streamErrorType, r.ErrorType)
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, Parts: []providers.Part{{Type: providers.PartText, Content: "Hi"}}}}, r.Output)
}

// A parameter the call cannot read does not hide the messages.
func TestContentBesideUnreadableParameters(t *testing.T) {
	call := testkit.Match(t, New(), testkit.Exchange{URL: chatURL, Capture: 100})
	r := call.Request([]byte(`{"model":"command-r","temperature":"hot","messages":[{"role":"user","content":"hi"}]}`))
	assert.Nil(t, r.Temperature)
	assert.Equal(t, &providers.RequestContent{Messages: []providers.Message{{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "hi"}}}}}, r.Content)
	embed := testkit.Match(t, New(), testkit.Exchange{URL: embedURL, Capture: 100})
	assert.Nil(t, embed.Request([]byte(`{"model":"embed-v4.0","texts":["hi"]}`)).Content, "an embed call has no messages")
}

// With capture on, a streamed delta's text is appended to its part's
// buffer, which grows geometrically: nothing is allocated per delta.
func TestContentOnAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	body := read(t, "v2_chat_stream_sdk_wiremock.sse")
	delta := []byte("event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\" Large\"}}}}\n\n")
	i := bytes.Index(body, []byte("event: content-end"))
	e := testkit.Exchange{URL: chatURL, Body: []byte(`{"stream":true}`), ResponseHeader: sseHeader}.WithCapture(64 << 10)
	allocs := testkit.AllocsPerChunk(t, New(), e, body[:i], delta, body[i:], 50)
	t.Logf("sse content-delta, capture on: %.3f allocations per chunk", allocs)
	assert.Less(t, allocs, 0.1)

	lines := read(t, "v1_chat_stream_synthetic.jsonl")
	j := bytes.Index(lines, []byte(`{"is_finished":true`))
	e = testkit.Exchange{URL: "https://api.cohere.com/v1/chat", Body: []byte(`{"stream":true}`), ResponseHeader: http.Header{"Content-Type": {"application/stream+json"}}}.WithCapture(64 << 10)
	allocs = testkit.AllocsPerChunk(t, New(), e, lines[:j], []byte("{\"is_finished\":false,\"event_type\":\"text-generation\",\"text\":\" there\"}\n"), lines[j:], 50)
	t.Logf("v1 text-generation, capture on: %.3f allocations per chunk", allocs)
	assert.Less(t, allocs, 0.1)
}
