package openai

import (
	"bufio"
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

const (
	captureLimit          = 64 << 10
	openAICompletionsURL  = "https://api.openai.com/v1/completions"
	togetherCompletionURL = "https://api.together.xyz/v1/completions"
)

// recorded is an exchange replaying testdata/recorded/<name>, captured.
func recorded(t *testing.T, name, url, reqBody string) testkit.Exchange {
	t.Helper()
	e := testkit.Exchange{URL: url, Body: []byte(reqBody), ResponseHeader: http.Header{}, Capture: captureLimit,
		ResponseBody: testkit.Read(t, "testdata/recorded/"+name)}
	switch {
	case strings.HasSuffix(name, ".sse"):
		e.ResponseHeader.Set("Content-Type", ctSSE)
	case strings.HasSuffix(name, ".gz"):
		e.ResponseHeader.Set("Content-Type", ctJSON)
		e.ResponseHeader.Set("Content-Encoding", "gzip")
	default:
		e.ResponseHeader.Set("Content-Type", ctJSON)
	}
	return e
}

// replayCaptured replays e with capture on and off, requires the two to
// agree on everything but the content, and returns the captured result.
func replayCaptured(t *testing.T, e testkit.Exchange) (providers.Request, providers.Response) {
	t.Helper()
	req, resp := testkit.Replay(t, New(), e)
	e.Capture = 0
	plainReq, plain := testkit.Replay(t, New(), e)
	assert.Nil(t, plain.Output, "no content without capture")
	assert.Nil(t, plainReq.Content, "no content without capture")
	gotReq, got := req, resp
	gotReq.Content, got.Output = nil, nil
	assert.Equal(t, plainReq, gotReq, "capture changes nothing else the request says")
	assert.Equal(t, plain, got, "capture changes nothing else the response says")
	return req, resp
}

// refChoice is one choice of a chat stream reassembled independently of
// the package, with encoding/json.
type refChoice struct {
	text, reasoning, finish string
	calls                   map[int]*refCall
}

type refCall struct{ id, name, args string }

func refChatStream(t *testing.T, body []byte) map[int]*refChoice {
	t.Helper()
	out := map[int]*refChoice{}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data:")
		if !ok || strings.TrimSpace(line) == "[DONE]" {
			continue
		}
		var chunk struct {
			Choices []struct {
				Index int     `json:"index"`
				Text  *string `json:"text"`
				Delta struct {
					Content          *string `json:"content"`
					ReasoningContent *string `json:"reasoning_content"`
					ToolCalls        []struct {
						Index    int    `json:"index"`
						ID       string `json:"id"`
						Function struct {
							Name      string `json:"name"`
							Arguments string `json:"arguments"`
						} `json:"function"`
					} `json:"tool_calls"`
				} `json:"delta"`
				FinishReason *string `json:"finish_reason"`
			} `json:"choices"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &chunk))
		for _, c := range chunk.Choices {
			rc := out[c.Index]
			if rc == nil {
				rc = &refChoice{calls: map[int]*refCall{}}
				out[c.Index] = rc
			}
			if c.Text != nil {
				rc.text += *c.Text
			}
			if c.Delta.Content != nil {
				rc.text += *c.Delta.Content
			}
			if c.Delta.ReasoningContent != nil {
				rc.reasoning += *c.Delta.ReasoningContent
			}
			for _, tc := range c.Delta.ToolCalls {
				call := rc.calls[tc.Index]
				if call == nil {
					call = &refCall{}
					rc.calls[tc.Index] = call
				}
				if tc.ID != "" {
					call.id = tc.ID
				}
				if tc.Function.Name != "" {
					call.name = tc.Function.Name
				}
				call.args += tc.Function.Arguments
			}
			if c.FinishReason != nil {
				rc.finish = *c.FinishReason
			}
		}
	}
	return out
}

func requireChatMatchesRef(t *testing.T, body []byte, out []providers.Message) {
	t.Helper()
	ref := refChatStream(t, body)
	require.Len(t, out, len(ref))
	for i, msg := range out {
		rc := ref[i]
		require.NotNil(t, rc, "choice %d", i)
		assert.Equal(t, rc.finish, msg.FinishReason, "choice %d", i)
		var want []providers.Part
		if rc.reasoning != "" {
			want = append(want, providers.Part{Type: providers.PartReasoning, Content: rc.reasoning})
		}
		if rc.text != "" {
			want = append(want, providers.Part{Type: providers.PartText, Content: rc.text})
		}
		indexes := make([]int, 0, len(rc.calls))
		for j := range rc.calls {
			indexes = append(indexes, j)
		}
		sort.Ints(indexes)
		for _, j := range indexes {
			c := rc.calls[j]
			want = append(want, providers.Part{Type: providers.PartToolCall, ID: c.id, Name: c.name, Arguments: []byte(c.args)})
		}
		assert.Equal(t, want, msg.Parts, "choice %d", i)
	}
}

func TestCaptureChatStreams(t *testing.T) {
	for _, c := range []struct {
		name, url string
		check     func(t *testing.T, out []providers.Message)
	}{
		{"chat_stream_multi_tools.sse", openAIChatURL, func(t *testing.T, out []providers.Message) {
			// Parallel tool calls: two calls in one message, arguments
			// joined from their fragments.
			require.Len(t, out, 1)
			require.Len(t, out[0].Parts, 2)
			assert.Equal(t, providers.Part{Type: providers.PartToolCall, ID: "call_j7L00WV19wwQCvKOIVZewXZm", Name: "get_current_weather",
				Arguments: []byte(`{"location": "Seattle, WA"}`)}, out[0].Parts[0])
			assert.Equal(t, `{"location": "San Francisco, CA"}`, string(out[0].Parts[1].Arguments))
			assert.Equal(t, "tool_calls", out[0].FinishReason)
		}},
		{"chat_stream_n2_include_usage.sse", openAIChatURL, func(t *testing.T, out []providers.Message) {
			assert.Len(t, out, 2, "one message per choice")
		}},
		{"deepseek_reasoner_stream.sse", "https://api.deepseek.com/chat/completions", func(t *testing.T, out []providers.Message) {
			require.Len(t, out, 1)
			assert.Equal(t, providers.PartReasoning, out[0].Parts[0].Type)
			assert.NotEmpty(t, out[0].Parts[0].Content)
			assert.Equal(t, providers.PartText, out[0].Parts[1].Type)
		}},
		{"completions_stream_no_usage.sse", openAICompletionsURL, func(t *testing.T, out []providers.Message) {
			require.Len(t, out, 1)
			assert.True(t, strings.HasPrefix(out[0].Parts[0].Content, ".\n\nGetting"), out[0].Parts[0].Content)
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := recorded(t, c.name, c.url, `{"model":"m","stream":true,"messages":[{"role":"user","content":"Hi"}]}`)
			_, resp := replayCaptured(t, e)
			requireChatMatchesRef(t, e.ResponseBody, resp.Output)
			c.check(t, resp.Output)
		})
	}
}

func TestCaptureChatFull(t *testing.T) {
	_, resp := replayCaptured(t, recorded(t, "chat_full_tool_calls.json", openAIChatURL, `{"model":"gpt-4o-mini","messages":[]}`))
	assert.Equal(t, []providers.Message{{Role: "assistant", FinishReason: "tool_calls", Parts: []providers.Part{
		{Type: providers.PartToolCall, ID: "call_eqbDFUdPqay2WjsSzZEiAn0U", Name: "get_current_weather", Arguments: []byte(`{"location": "Seattle, WA"}`)},
		{Type: providers.PartToolCall, ID: "call_tn3sgasg6GaftTdancBYJNJN", Name: "get_current_weather", Arguments: []byte(`{"location": "San Francisco, CA"}`)},
	}}}, resp.Output)

	_, resp = replayCaptured(t, recorded(t, "chat_full_n2.json", openAIChatURL, `{"model":"gpt-4o-mini","n":2,"messages":[]}`))
	var doc struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
			FinishReason string `json:"finish_reason"`
		} `json:"choices"`
	}
	require.NoError(t, json.Unmarshal(testkit.Read(t, "testdata/recorded/chat_full_n2.json"), &doc))
	require.Len(t, resp.Output, 2)
	for i, c := range doc.Choices {
		assert.Equal(t, providers.Message{Role: "assistant", FinishReason: c.FinishReason,
			Parts: []providers.Part{{Type: providers.PartText, Content: c.Message.Content}}}, resp.Output[i])
	}

	// A refusal is the answer's text.
	_, resp = replayCaptured(t, recorded(t, "chat_full_refusal.json.gz", openAIChatURL, `{"model":"gpt-4o","messages":[]}`))
	require.Len(t, resp.Output, 1)
	require.NotEmpty(t, resp.Output[0].Parts)
	assert.Equal(t, providers.PartText, resp.Output[0].Parts[len(resp.Output[0].Parts)-1].Type)

	// Legacy completions: the text of each choice.
	_, resp = replayCaptured(t, recorded(t, "together_completions_full.json", togetherCompletionURL, `{"model":"mistralai/Mixtral-8x7B-Instruct-v0.1","prompt":"Tell me a joke about OpenTelemetry"}`))
	require.Len(t, resp.Output, 1)
	assert.True(t, strings.HasPrefix(resp.Output[0].Parts[0].Content, " User: Why did the OpenTelemetry developer go broke?"))

	// Error bodies have no answer.
	e := fixture(t, "synthetic/error_429.json", openAIChatURL, `{"model":"gpt-4o"}`, ctJSON)
	e.Status, e.Capture = 429, captureLimit
	_, resp = replayCaptured(t, e)
	assert.Nil(t, resp.Output)
}

// refResponsesOutput reads the output of a stream's response.completed
// event with encoding/json: the text of each output text part, each
// function call, each other item's type.
func refResponsesOutput(t *testing.T, body []byte) (texts []string, calls [][3]string, others []string) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data:")
		if !ok || !strings.Contains(line, `"response.completed"`) {
			continue
		}
		var ev struct {
			Response struct {
				Output []struct {
					Type      string          `json:"type"`
					CallID    string          `json:"call_id"`
					Name      string          `json:"name"`
					Arguments json.RawMessage `json:"arguments"`
					Content   []struct {
						Type string `json:"type"`
						Text string `json:"text"`
					} `json:"content"`
				} `json:"output"`
			} `json:"response"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &ev))
		for _, item := range ev.Response.Output {
			switch item.Type {
			case "message":
				for _, c := range item.Content {
					texts = append(texts, c.Text)
				}
			case "function_call":
				var args string
				require.NoError(t, json.Unmarshal(item.Arguments, &args))
				calls = append(calls, [3]string{item.CallID, item.Name, args})
			case "reasoning":
			default:
				others = append(others, item.Type)
			}
		}
	}
	return texts, calls, others
}

func TestCaptureResponsesStreams(t *testing.T) {
	for _, name := range []string{"responses_stream_instructions.sse", "responses_stream_gpt54_tool_search.sse", "responses_stream_gpt5_cached_reasoning.sse"} {
		t.Run(name, func(t *testing.T) {
			e := recorded(t, name, openAIResponsesURL, `{"model":"gpt-5","stream":true,"input":"Hi"}`)
			_, resp := replayCaptured(t, e)
			texts, calls, others := refResponsesOutput(t, e.ResponseBody)
			require.Len(t, resp.Output, 1, "the Responses API has one answer")
			msg := resp.Output[0]
			assert.Equal(t, resp.FinishReasons[0], msg.FinishReason)
			var gotTexts []string
			var gotCalls [][3]string
			var gotOthers []string
			for _, p := range msg.Parts {
				switch p.Type {
				case providers.PartText:
					gotTexts = append(gotTexts, p.Content)
				case providers.PartToolCall:
					gotCalls = append(gotCalls, [3]string{p.ID, p.Name, string(p.Arguments)})
				case providers.PartServerToolCall, providers.PartServerToolCallResponse:
					gotOthers = append(gotOthers, p.GenericType)
				}
			}
			assert.Equal(t, texts, gotTexts)
			assert.Equal(t, calls, gotCalls)
			assert.Equal(t, others, gotOthers)
		})
	}
}

func TestCaptureResponsesFull(t *testing.T) {
	_, resp := replayCaptured(t, recorded(t, "responses_full_tool_call.json.gz", openAIResponsesURL, `{"model":"gpt-4.1-nano","input":"weather?"}`))
	assert.Equal(t, []providers.Message{{Role: "assistant", FinishReason: "tool_calls", Parts: []providers.Part{
		{Type: providers.PartToolCall, ID: "call_tYDv1bhtioyX33juEGDY4D6H", Name: "get_weather", Arguments: []byte(`{"location":"London"}`)},
		{Type: providers.PartToolCall, ID: "call_lC079UhGnLJngBlPQO0FS6sv", Name: "get_weather", Arguments: []byte(`{"location":"London"}`)},
	}}}, resp.Output)

	e := recorded(t, "responses_full_instructions.json", openAIResponsesURL, `{"model":"gpt-4o-mini","instructions":"You are a helpful assistant.","input":"Say this is a test"}`)
	req, resp := replayCaptured(t, e)
	assert.Equal(t, &providers.RequestContent{
		System:   []providers.Part{{Type: providers.PartText, Content: "You are a helpful assistant."}},
		Messages: []providers.Message{{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Say this is a test"}}}},
	}, req.Content)
	require.Len(t, resp.Output, 1)
	require.Len(t, resp.Output[0].Parts, 1)
	assert.Equal(t, providers.PartText, resp.Output[0].Parts[0].Type)
	assert.NotEmpty(t, resp.Output[0].Parts[0].Content)
	assert.Equal(t, "stop", resp.Output[0].FinishReason)
}

// The second request of the recorded tool round trip
// (open-telemetry/opentelemetry-python-contrib, cassette
// test_chat_completion_tool_calls_no_content.yaml, interaction #1), with
// the first's tools and a content array added.
const chatRoundTrip = `{
  "messages": [
    {"role": "system", "content": "You're a helpful assistant."},
    {"role": "user", "content": "What's the weather in Seattle and San Francisco today?"},
    {"role": "assistant", "tool_calls": [
      {"id": "call_eqbDFUdPqay2WjsSzZEiAn0U", "function": {"arguments": "{\"location\": \"Seattle, WA\"}", "name": "get_current_weather"}, "type": "function"},
      {"id": "call_tn3sgasg6GaftTdancBYJNJN", "function": {"arguments": "{\"location\": \"San Francisco, CA\"}", "name": "get_current_weather"}, "type": "function"}]},
    {"role": "tool", "content": "50 degrees and raining", "tool_call_id": "call_eqbDFUdPqay2WjsSzZEiAn0U"},
    {"role": "tool", "content": "70 degrees and sunny", "tool_call_id": "call_tn3sgasg6GaftTdancBYJNJN"},
    {"role": "user", "name": "alice", "content": [
      {"type": "text", "text": "And here?"},
      {"type": "image_url", "image_url": {"url": "data:image/png;base64,aGVsbG8=", "detail": "low"}},
      {"type": "image_url", "image_url": {"url": "https://example.com/paris.jpg"}},
      {"type": "input_audio", "input_audio": {"data": "aGVsbG8h", "format": "wav"}},
      {"type": "file", "file": {"file_id": "file-abc123"}}]}
  ],
  "model": "gpt-4o-mini",
  "tools": [{"type": "function", "function": {"name": "get_current_weather", "description": "Get the current weather in a given location",
    "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]}}}]
}`

func TestCaptureChatRequest(t *testing.T) {
	call := New().Match(testkit.Exchange{URL: openAIChatURL}.Request())
	call.(providers.ContentCapturer).CaptureContent(captureLimit)
	r := call.Request([]byte(chatRoundTrip))
	require.NotNil(t, r.Content)
	assert.Nil(t, r.Content.System, "a system message is part of the history")
	assert.Equal(t, []providers.Message{
		{Role: "system", Parts: []providers.Part{{Type: providers.PartText, Content: "You're a helpful assistant."}}},
		{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "What's the weather in Seattle and San Francisco today?"}}},
		{Role: "assistant", Parts: []providers.Part{
			{Type: providers.PartToolCall, ID: "call_eqbDFUdPqay2WjsSzZEiAn0U", Name: "get_current_weather", Arguments: []byte(`{"location": "Seattle, WA"}`)},
			{Type: providers.PartToolCall, ID: "call_tn3sgasg6GaftTdancBYJNJN", Name: "get_current_weather", Arguments: []byte(`{"location": "San Francisco, CA"}`)},
		}},
		{Role: "tool", Parts: []providers.Part{{Type: providers.PartToolCallResponse, ID: "call_eqbDFUdPqay2WjsSzZEiAn0U", Response: []byte("50 degrees and raining")}}},
		{Role: "tool", Parts: []providers.Part{{Type: providers.PartToolCallResponse, ID: "call_tn3sgasg6GaftTdancBYJNJN", Response: []byte("70 degrees and sunny")}}},
		{Role: "user", Name: "alice", Parts: []providers.Part{
			{Type: providers.PartText, Content: "And here?"},
			{Type: providers.PartBlob, Modality: "image", MIMEType: "image/png", Size: 5},
			{Type: providers.PartURI, Modality: "image", URI: "https://example.com/paris.jpg"},
			{Type: providers.PartBlob, Modality: "audio", MIMEType: "audio/wav", Size: 6},
			{Type: providers.PartFile, Modality: "document", FileID: "file-abc123"},
		}},
	}, r.Content.Messages)
	assert.Equal(t, []providers.ToolDefinition{{Type: "function", Name: "get_current_weather", Description: "Get the current weather in a given location",
		// The schema as sent, compacted (sent with Python's separators).
		Parameters: []byte(`{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}`)}}, r.Content.Tools)

	// Legacy function calling.
	r = call.Request([]byte(`{"model":"gpt-3.5-turbo","functions":[{"name":"lookup","parameters":{"type":"object"}}],
		"messages":[{"role":"assistant","content":null,"function_call":{"name":"lookup","arguments":"{\"q\":1}"}},{"role":"function","name":"lookup","content":"42"}]}`))
	assert.Equal(t, &providers.RequestContent{
		Messages: []providers.Message{
			{Role: "assistant", Parts: []providers.Part{{Type: providers.PartToolCall, Name: "lookup", Arguments: []byte(`{"q":1}`)}}},
			{Role: "function", Name: "lookup", Parts: []providers.Part{{Type: providers.PartToolCallResponse, ID: "lookup", Response: []byte("42")}}},
		},
		Tools: []providers.ToolDefinition{{Type: "function", Name: "lookup", Parameters: []byte(`{"type":"object"}`)}},
	}, r.Content)
}

func TestCaptureResponsesRequest(t *testing.T) {
	call := New().Match(testkit.Exchange{URL: openAIResponsesURL}.Request())
	call.(providers.ContentCapturer).CaptureContent(captureLimit)
	r := call.Request([]byte(`{"model":"gpt-5","instructions":"Be brief.","input":[
		{"role":"developer","content":"Use metric units."},
		{"role":"user","content":[{"type":"input_text","text":"Weather in this photo?"},{"type":"input_image","image_url":"https://example.com/paris.jpg"},{"type":"input_file","file_id":"file-1"}]},
		{"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"Paris, so ask the tool."}],"encrypted_content":"gAAAA"},
		{"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
		{"type":"function_call_output","call_id":"call_1","output":"rainy, 14°C"},
		{"type":"item_reference","id":"msg_0"}],
		"tools":[{"type":"function","name":"get_weather","parameters":{"type":"object"}},{"type":"web_search_preview"}]}`))
	assert.Equal(t, &providers.RequestContent{
		System: []providers.Part{{Type: providers.PartText, Content: "Be brief."}},
		Messages: []providers.Message{
			{Role: "developer", Parts: []providers.Part{{Type: providers.PartText, Content: "Use metric units."}}},
			{Role: "user", Parts: []providers.Part{
				{Type: providers.PartText, Content: "Weather in this photo?"},
				{Type: providers.PartURI, Modality: "image", URI: "https://example.com/paris.jpg"},
				{Type: providers.PartFile, Modality: "document", FileID: "file-1"},
			}},
			{Role: "assistant", Parts: []providers.Part{
				{Type: providers.PartReasoning, Content: "Paris, so ask the tool."},
				{Type: providers.PartToolCall, ID: "call_1", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
			}},
			{Role: "tool", Parts: []providers.Part{{Type: providers.PartToolCallResponse, ID: "call_1", Response: []byte("rainy, 14°C")}}},
		},
		Tools: []providers.ToolDefinition{
			{Type: "function", Name: "get_weather", Parameters: []byte(`{"type":"object"}`)},
			{Type: "web_search_preview", Name: "web_search_preview"},
		},
	}, r.Content)
}

func TestCapturePrompts(t *testing.T) {
	user := func(text string) providers.Message {
		return providers.Message{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: text}}}
	}
	tokens := providers.Message{Role: "user", Parts: []providers.Part{{Type: providers.PartGeneric, GenericType: "token_ids"}}}
	for _, c := range []struct {
		url, body string
		want      []providers.Message
	}{
		{openAICompletionsURL, `{"model":"gpt-3.5-turbo-instruct","prompt":"Say this is a test"}`, []providers.Message{user("Say this is a test")}},
		{openAICompletionsURL, `{"model":"m","prompt":["a","b"]}`, []providers.Message{user("a"), user("b")}},
		{openAICompletionsURL, `{"model":"m","prompt":[1,2,3]}`, []providers.Message{tokens}},
		{openAIEmbeddingsURL, `{"model":"text-embedding-3-small","input":"The food was delicious"}`, []providers.Message{user("The food was delicious")}},
		{openAIEmbeddingsURL, `{"model":"m","input":["x","y"]}`, []providers.Message{user("x"), user("y")}},
		{openAIEmbeddingsURL, `{"model":"m","input":[[1,2],[3]]}`, []providers.Message{tokens, tokens}},
	} {
		call := New().Match(testkit.Exchange{URL: c.url}.Request())
		call.(providers.ContentCapturer).CaptureContent(captureLimit)
		r := call.Request([]byte(c.body))
		assert.Equal(t, &providers.RequestContent{Messages: c.want}, r.Content, c.body)
	}

	// Embeddings: the input only; the vectors are not content.
	e := fixture(t, "openai/embeddings_nonstream.json", openAIEmbeddingsURL, `{"model":"text-embedding-3-small","input":"hi"}`, ctJSON)
	e.Capture = captureLimit
	req, resp := replayCaptured(t, e)
	assert.Equal(t, []providers.Message{user("hi")}, req.Content.Messages)
	assert.Nil(t, resp.Output)
}

func TestCaptureLimit(t *testing.T) {
	e := recorded(t, "chat_stream_multi_tools.sse", openAIChatURL, `{"model":"m","stream":true,"messages":[{"role":"user","content":"What's the weather in Seattle?"}]}`)
	e.Capture = 12
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Part{Type: providers.PartText, Content: "What's the w", Truncated: true}, req.Content.Messages[0].Parts[0])
	call := resp.Output[0].Parts[0]
	assert.Equal(t, `{"location":`, string(call.Arguments))
	assert.True(t, call.Truncated)
	assert.Equal(t, "get_current_weather", call.Name)
	assert.Equal(t, "call_j7L00WV19wwQCvKOIVZewXZm", call.ID)
}

func TestCaptureTruncations(t *testing.T) {
	for _, name := range []string{"chat_stream_multi_tools.sse", "responses_stream_gpt54_tool_search.sse"} {
		url := openAIChatURL
		if strings.HasPrefix(name, "responses") {
			url = openAIResponsesURL
		}
		e := recorded(t, name, url, `{"model":"m","stream":true}`)
		_, full := testkit.Replay(t, New(), e)
		testkit.Truncations(t, New(), e, func(cut int, complete bool, r providers.Response) {
			for i, m := range r.Output {
				require.Less(t, i, len(full.Output), "cut %d", cut)
				for j, p := range m.Parts {
					require.Less(t, j, len(full.Output[i].Parts), "cut %d", cut)
					w := full.Output[i].Parts[j]
					assert.True(t, strings.HasPrefix(w.Content, p.Content), "cut %d", cut)
					assert.True(t, bytes.HasPrefix(w.Arguments, p.Arguments), "cut %d", cut)
				}
			}
		})
	}
}

func TestCaptureAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	e := testkit.Exchange{URL: openAIChatURL, Body: []byte(`{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true}}`),
		ResponseHeader: map[string][]string{"Content-Type": {ctSSE}}, Capture: captureLimit}
	head := []byte(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":null}` + "\n\n")
	chunk := []byte(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","service_tier":"default","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":" hello"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"abc"}` + "\n\n")
	tail := []byte(`data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}` + "\n\ndata: [DONE]\n\n")
	allocs := testkit.AllocsPerChunk(t, New(), e, head, chunk, tail, 100)
	assert.Less(t, allocs, 0.1, "a text delta is appended to the part's buffer")
	t.Logf("chat chunk, capture on: %.2f allocations", allocs)

	e.URL, e.Body = openAIResponsesURL, []byte(`{"model":"gpt-4o-mini","stream":true}`)
	head = []byte("event: response.created\ndata: " + createdEvent + "\n\n")
	chunk = []byte("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":4,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\" hello\",\"logprobs\":[]}\n\n")
	tail = []byte("event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_123\",\"status\":\"completed\",\"model\":\"gpt-4o-mini\",\"output\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7}}}\n\n")
	allocs = testkit.AllocsPerChunk(t, New(), e, head, chunk, tail, 100)
	assert.Less(t, allocs, 0.1, "a text delta is appended to the part's buffer")
	t.Logf("responses delta, capture on: %.2f allocations", allocs)
}
