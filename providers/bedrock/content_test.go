package bedrock_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/bedrock"
	"github.com/otelllm/otelllm/providers/internal/framing/eventstream"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// frame is one decoded event-stream message; for an InvokeModel chunk,
// data is the decoded model-native event.
type frame struct {
	name string
	data []byte
}

// framesOf decodes body, and the base64 of every chunk with
// encoding/base64: the independent account a stream's content is checked
// against.
func framesOf(t *testing.T, body []byte) []frame {
	var out []frame
	d := eventstream.NewDecoder(func(m *eventstream.Message) {
		f := frame{name: string(m.String(":event-type")), data: append([]byte{}, m.Payload...)}
		if f.name == "chunk" {
			var c struct {
				Bytes string `json:"bytes"`
			}
			require.NoError(t, json.Unmarshal(f.data, &c))
			plain, err := base64.StdEncoding.DecodeString(c.Bytes)
			require.NoError(t, err)
			f.data = plain
		}
		out = append(out, f)
	})
	require.NoError(t, d.Write(body))
	return out
}

// compact is json.Compact of raw.
func compact(t *testing.T, raw []byte) []byte {
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, raw))
	return b.Bytes()
}

// ordered holds the parts of a streamed message by the block they came
// from, in the order each block first appeared.
type ordered struct {
	at    map[int64]*providers.Part
	first []int64
}

func (o *ordered) part(block int64, typ string) *providers.Part {
	if o.at == nil {
		o.at = map[int64]*providers.Part{}
	}
	if o.at[block] == nil {
		o.at[block] = &providers.Part{Type: typ}
		o.first = append(o.first, block)
	}
	return o.at[block]
}

func (o *ordered) parts() []providers.Part {
	var parts []providers.Part
	for _, b := range o.first {
		parts = append(parts, *o.at[b])
	}
	return parts
}

// converseDelta is a ConverseStream (or Nova InvokeModel) event as
// encoding/json reads it.
type converseDelta struct {
	ContentBlockIndex int64 `json:"contentBlockIndex"`
	Start             struct {
		ToolUse *struct {
			ToolUseID string `json:"toolUseId"`
			Name      string `json:"name"`
		} `json:"toolUse"`
	} `json:"start"`
	Delta struct {
		Text    *string `json:"text"`
		ToolUse *struct {
			Input string `json:"input"`
		} `json:"toolUse"`
		ReasoningContent *struct {
			Text            *string `json:"text"`
			RedactedContent *string `json:"redactedContent"`
		} `json:"reasoningContent"`
	} `json:"delta"`
	StopReason string `json:"stopReason"`
}

// addConverse adds one start or delta event to the message's parts.
func addConverse(t *testing.T, o *ordered, name string, data []byte) {
	var ev converseDelta
	require.NoError(t, json.Unmarshal(data, &ev))
	b := ev.ContentBlockIndex
	switch {
	case name == "contentBlockStart" && ev.Start.ToolUse != nil:
		p := o.part(b, providers.PartToolCall)
		p.ID, p.Name = ev.Start.ToolUse.ToolUseID, ev.Start.ToolUse.Name
	case name != "contentBlockDelta":
	case ev.Delta.Text != nil:
		o.part(b, providers.PartText).Content += *ev.Delta.Text
	case ev.Delta.ToolUse != nil:
		p := o.part(b, providers.PartToolCall)
		p.Arguments = append(p.Arguments, ev.Delta.ToolUse.Input...)
	case ev.Delta.ReasoningContent != nil && ev.Delta.ReasoningContent.Text != nil:
		o.part(b, providers.PartReasoning).Content += *ev.Delta.ReasoningContent.Text
	case ev.Delta.ReasoningContent != nil && ev.Delta.ReasoningContent.RedactedContent != nil:
		*o.part(b, providers.PartGeneric) = providers.Part{Type: providers.PartGeneric, GenericType: "redacted_reasoning"}
	}
}

// converseStreamTruth is the answer of a ConverseStream body.
func converseStreamTruth(t *testing.T, body []byte) []providers.Message {
	var o ordered
	msg := providers.Message{Role: providers.RoleAssistant}
	for _, f := range framesOf(t, body) {
		addConverse(t, &o, f.name, f.data)
		if f.name == "messageStop" {
			var ev converseDelta
			require.NoError(t, json.Unmarshal(f.data, &ev))
			msg.FinishReason = ev.StopReason
		}
	}
	msg.Parts = o.parts()
	return []providers.Message{msg}
}

// novaInvokeStreamTruth is the answer of an Amazon Nova
// InvokeModelWithResponseStream body, which gives every text delta a block
// of its own: consecutive text deltas are one text.
func novaInvokeStreamTruth(t *testing.T, body []byte) []providers.Message {
	var o ordered
	msg := providers.Message{Role: providers.RoleAssistant}
	lastText := int64(-1)
	for _, f := range framesOf(t, body) {
		var ev map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(f.data, &ev))
		for _, name := range []string{"contentBlockStart", "contentBlockDelta"} {
			raw, ok := ev[name]
			if !ok {
				continue
			}
			var d converseDelta
			require.NoError(t, json.Unmarshal(raw, &d))
			if name == "contentBlockDelta" && d.Delta.Text != nil {
				if lastText < 0 || len(o.first) == 0 || o.first[len(o.first)-1] != lastText {
					lastText = d.ContentBlockIndex
				}
				o.part(lastText, providers.PartText).Content += *d.Delta.Text
				continue
			}
			addConverse(t, &o, name, raw)
		}
		if raw, ok := ev["messageStop"]; ok {
			var d converseDelta
			require.NoError(t, json.Unmarshal(raw, &d))
			msg.FinishReason = d.StopReason
		}
	}
	msg.Parts = o.parts()
	return []providers.Message{msg}
}

// claudeStreamTruth is the answer of a Claude InvokeModelWithResponseStream
// body: Anthropic Messages events, by their block index.
func claudeStreamTruth(t *testing.T, body []byte) []providers.Message {
	var o ordered
	msg := providers.Message{Role: providers.RoleAssistant}
	for _, f := range framesOf(t, body) {
		var ev struct {
			Type         string `json:"type"`
			Index        int64  `json:"index"`
			ContentBlock struct {
				Type     string `json:"type"`
				ID       string `json:"id"`
				Name     string `json:"name"`
				Text     string `json:"text"`
				Thinking string `json:"thinking"`
			} `json:"content_block"`
			Delta struct {
				Type        string `json:"type"`
				Text        string `json:"text"`
				Thinking    string `json:"thinking"`
				PartialJSON string `json:"partial_json"`
				StopReason  string `json:"stop_reason"`
			} `json:"delta"`
		}
		require.NoError(t, json.Unmarshal(f.data, &ev))
		switch ev.Type {
		case "content_block_start":
			switch cb := ev.ContentBlock; cb.Type {
			case "text":
				o.part(ev.Index, providers.PartText).Content += cb.Text
			case "thinking":
				o.part(ev.Index, providers.PartReasoning).Content += cb.Thinking
			case "tool_use":
				p := o.part(ev.Index, providers.PartToolCall)
				p.ID, p.Name = cb.ID, cb.Name
			}
		case "content_block_delta":
			switch ev.Delta.Type {
			case "text_delta":
				o.part(ev.Index, providers.PartText).Content += ev.Delta.Text
			case "thinking_delta":
				o.part(ev.Index, providers.PartReasoning).Content += ev.Delta.Thinking
			case "input_json_delta":
				p := o.part(ev.Index, providers.PartToolCall)
				p.Arguments = append(p.Arguments, ev.Delta.PartialJSON...)
			}
		case "message_delta":
			msg.FinishReason = ev.Delta.StopReason
		}
	}
	msg.Parts = o.parts()
	return []providers.Message{msg}
}

// converseBlocksTruth is the parts of a Converse content array as
// encoding/json reads it (text, toolUse and reasoning blocks).
func converseBlocksTruth(t *testing.T, raw json.RawMessage) []providers.Part {
	var blocks []struct {
		Text    *string `json:"text"`
		ToolUse *struct {
			ToolUseID string          `json:"toolUseId"`
			Name      string          `json:"name"`
			Input     json.RawMessage `json:"input"`
		} `json:"toolUse"`
		ReasoningContent *struct {
			ReasoningText struct {
				Text string `json:"text"`
			} `json:"reasoningText"`
		} `json:"reasoningContent"`
	}
	require.NoError(t, json.Unmarshal(raw, &blocks))
	var parts []providers.Part
	for _, b := range blocks {
		switch {
		case b.Text != nil:
			parts = append(parts, providers.Part{Type: providers.PartText, Content: *b.Text})
		case b.ToolUse != nil:
			parts = append(parts, providers.Part{Type: providers.PartToolCall, ID: b.ToolUse.ToolUseID, Name: b.ToolUse.Name, Arguments: compact(t, b.ToolUse.Input)})
		case b.ReasoningContent != nil:
			parts = append(parts, providers.Part{Type: providers.PartReasoning, Content: b.ReasoningContent.ReasoningText.Text})
		}
	}
	return parts
}

// converseDocumentTruth is the answer of a Converse or Nova InvokeModel
// body.
func converseDocumentTruth(t *testing.T, body []byte) []providers.Message {
	var doc struct {
		Output struct {
			Message struct {
				Content json.RawMessage `json:"content"`
			} `json:"message"`
		} `json:"output"`
		StopReason string `json:"stopReason"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	return []providers.Message{{Role: providers.RoleAssistant, FinishReason: doc.StopReason, Parts: converseBlocksTruth(t, doc.Output.Message.Content)}}
}

// claudeDocumentTruth is the answer of a Claude InvokeModel body.
func claudeDocumentTruth(t *testing.T, body []byte) []providers.Message {
	var doc struct {
		Content []struct {
			Type  string          `json:"type"`
			Text  string          `json:"text"`
			ID    string          `json:"id"`
			Name  string          `json:"name"`
			Input json.RawMessage `json:"input"`
		} `json:"content"`
		StopReason string `json:"stop_reason"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	msg := providers.Message{Role: providers.RoleAssistant, FinishReason: doc.StopReason}
	for _, c := range doc.Content {
		switch c.Type {
		case "text":
			msg.Parts = append(msg.Parts, providers.Part{Type: providers.PartText, Content: c.Text})
		case "tool_use":
			msg.Parts = append(msg.Parts, providers.Part{Type: providers.PartToolCall, ID: c.ID, Name: c.Name, Arguments: compact(t, c.Input)})
		}
	}
	return []providers.Message{msg}
}

// converseHistory is a Converse request that carries every kind of block:
// a system prompt with a cache point, a user turn with text, an inline
// image, a document in S3 and a video, an assistant turn with reasoning,
// text and two parallel tool calls, the tools' results (text; JSON and an
// image), and the tools offered.
var converseHistory = []byte(`{"system":[{"text":"You are a weather bot."},{"cachePoint":{"type":"default"}}],"messages":[` +
	`{"role":"user","content":[{"text":"Weather where this was taken, and in Zürich?"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"}}},{"document":{"format":"pdf","name":"trip","source":{"s3Location":{"uri":"s3://bucket/trip.pdf"}}}},{"video":{"format":"mp4","source":{"bytes":"AAAAIGZ0eXBpc29t"}}}]},` +
	`{"role":"assistant","content":[{"reasoningContent":{"reasoningText":{"text":"Two cities.","signature":"sig"}}},{"text":"Checking both."},{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}},{"toolUse":{"toolUseId":"tooluse_2","name":"get_weather","input":{"city":"Zürich"}}}]},` +
	`{"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"text":"rain, 14°C"}],"status":"success"}},{"toolResult":{"toolUseId":"tooluse_2","content":[{"json":{"sky":"clear"}},{"image":{"format":"jpeg","source":{"bytes":"/9j/4AAQ"}}}]}}]}],` +
	`"toolConfig":{"tools":[{"toolSpec":{"name":"get_weather","description":"The weather in a city.","inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}}}}}},{"cachePoint":{"type":"default"}}]},"inferenceConfig":{"maxTokens":512}}`)

func converseHistoryContent() *providers.RequestContent {
	return &providers.RequestContent{
		System: []providers.Part{{Type: providers.PartText, Content: "You are a weather bot."}},
		Messages: []providers.Message{
			{Role: "user", Parts: []providers.Part{
				{Type: providers.PartText, Content: "Weather where this was taken, and in Zürich?"},
				{Type: providers.PartBlob, Modality: "image", MIMEType: "image/png", Size: 24},
				{Type: providers.PartURI, Modality: "document", MIMEType: "application/pdf", URI: "s3://bucket/trip.pdf"},
				{Type: providers.PartBlob, Modality: "video", MIMEType: "video/mp4", Size: 12},
			}},
			{Role: "assistant", Parts: []providers.Part{
				{Type: providers.PartReasoning, Content: "Two cities."},
				{Type: providers.PartText, Content: "Checking both."},
				{Type: providers.PartToolCall, ID: "tooluse_1", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
				{Type: providers.PartToolCall, ID: "tooluse_2", Name: "get_weather", Arguments: []byte(`{"city":"Zürich"}`)},
			}},
			{Role: "user", Parts: []providers.Part{
				{Type: providers.PartToolCallResponse, ID: "tooluse_1", Response: []byte("rain, 14°C")},
				{Type: providers.PartToolCallResponse, ID: "tooluse_2", Response: []byte(`{"sky":"clear"}`)},
				{Type: providers.PartBlob, Modality: "image", MIMEType: "image/jpeg", Size: 6},
			}},
		},
		Tools: []providers.ToolDefinition{{Type: "function", Name: "get_weather", Description: "The weather in a city.",
			Parameters: []byte(`{"type":"object","properties":{"city":{"type":"string"}}}`)}},
	}
}

// claudeHistory is an InvokeModel body of Claude with the same turns in
// Anthropic Messages blocks, and a redacted thinking block.
var claudeHistory = []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":512,"system":"You are a weather bot.","messages":[` +
	`{"role":"user","content":[{"type":"text","text":"Weather where this was taken, and in Zürich?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB"}},{"type":"document","source":{"type":"url","url":"https://example.com/trip.pdf"}}]},` +
	`{"role":"assistant","content":[{"type":"thinking","thinking":"Two cities.","signature":"sig"},{"type":"redacted_thinking","data":"EmwKAhgB"},{"type":"text","text":"Checking both."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Zürich"}}]},` +
	`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"rain, 14°C"},{"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"clear"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]}]},` +
	`{"role":"user","content":"Thanks!"}],` +
	`"tools":[{"name":"get_weather","description":"The weather in a city.","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]}`)

func claudeHistoryContent() *providers.RequestContent {
	return &providers.RequestContent{
		System: []providers.Part{{Type: providers.PartText, Content: "You are a weather bot."}},
		Messages: []providers.Message{
			{Role: "user", Parts: []providers.Part{
				{Type: providers.PartText, Content: "Weather where this was taken, and in Zürich?"},
				{Type: providers.PartBlob, Modality: "image", MIMEType: "image/png", Size: 24},
				{Type: providers.PartURI, Modality: "document", URI: "https://example.com/trip.pdf"},
			}},
			{Role: "assistant", Parts: []providers.Part{
				{Type: providers.PartReasoning, Content: "Two cities."},
				{Type: providers.PartGeneric, GenericType: "redacted_thinking"},
				{Type: providers.PartText, Content: "Checking both."},
				{Type: providers.PartToolCall, ID: "toolu_1", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
				{Type: providers.PartToolCall, ID: "toolu_2", Name: "get_weather", Arguments: []byte(`{"city":"Zürich"}`)},
			}},
			{Role: "user", Parts: []providers.Part{
				{Type: providers.PartToolCallResponse, ID: "toolu_1", Response: []byte("rain, 14°C")},
				// The image of a result by its type, media type and size.
				{Type: providers.PartToolCallResponse, ID: "toolu_2", Response: []byte(`[{"type":"text","text":"clear"},{"type":"image","media_type":"image/jpeg","byte_size":6}]`)},
			}},
			{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Thanks!"}}},
		},
		Tools: []providers.ToolDefinition{{Type: "function", Name: "get_weather", Description: "The weather in a city.",
			Parameters: []byte(`{"type":"object","properties":{"city":{"type":"string"}}}`)}},
	}
}

// novaHistory is an Amazon Nova InvokeModel body: Converse's blocks.
var novaHistory = []byte(`{"schemaVersion":"messages-v1","system":[{"text":"You are a weather bot."}],"messages":[{"role":"user","content":[{"text":"Weather in Seattle and San Francisco?"}]}],` +
	`"toolConfig":{"tools":[{"toolSpec":{"name":"get_current_weather","description":"Current weather.","inputSchema":{"json":{"type":"object"}}}}]},"inferenceConfig":{"max_new_tokens":1000}}`)

var novaHistoryContent = &providers.RequestContent{
	System:   []providers.Part{{Type: providers.PartText, Content: "You are a weather bot."}},
	Messages: []providers.Message{{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Weather in Seattle and San Francisco?"}}}},
	Tools:    []providers.ToolDefinition{{Type: "function", Name: "get_current_weather", Description: "Current weather.", Parameters: []byte(`{"type":"object"}`)}},
}

func TestContentConverse(t *testing.T) {
	for _, c := range []struct {
		file, path string
		streamed   bool
	}{
		{"converse_nova_tool_use_recorded.json", "/model/amazon.nova-micro-v1%3A0/converse", false},
		{"converse_claude_cache_read_recorded.json", "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse", false},
		{"converse_nonstream_titan_recorded.json", "/model/amazon.titan-text-lite-v1/converse", false},
		{"converse_stream_nova_tool_use_recorded.bin", "/model/amazon.nova-micro-v1%3A0/converse-stream", true},
		{"converse_stream_claude4_thinking_recorded.bin", "/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream", true},
		{"converse_stream_llama_recorded.bin", "/model/meta.llama3-2-1b-instruct-v1%3A0/converse-stream", true},
		{"converse_stream_titan_recorded.bin", "/model/amazon.titan-text-lite-v1/converse-stream", true},
	} {
		body := read(c.file)
		header := jsonHeader
		want := converseDocumentTruth
		if c.streamed {
			header, want = streamHeader, converseStreamTruth
		}
		e := testkit.Exchange{URL: host + c.path, Body: converseHistory, ResponseHeader: header, ResponseBody: body}
		req, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
		assert.Equal(t, converseHistoryContent(), req.Content, c.file)
		truth := want(t, body)
		require.NotEmpty(t, truth[0].Parts, c.file)
		assert.Equal(t, truth, resp.Output, c.file)
	}
}

// The recorded parallel tool calls of Amazon Nova, whole and streamed.
func TestContentConverseParallelToolCalls(t *testing.T) {
	e := testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/converse-stream", Body: converseHistory, ResponseHeader: streamHeader, ResponseBody: read("converse_stream_nova_tool_use_recorded.bin")}
	_, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	require.Len(t, resp.Output, 1)
	parts := resp.Output[0].Parts
	require.Len(t, parts, 3)
	assert.Equal(t, providers.PartText, parts[0].Type)
	assert.True(t, strings.HasPrefix(parts[0].Content, "<thinking> The User has asked"), "Nova's thinking is text it writes, not reasoning")
	assert.Equal(t, providers.Part{Type: providers.PartToolCall, ID: "tooluse_JZ11QcxSQ3m3xacMQKVIKw", Name: "get_current_weather", Arguments: []byte(`{"location":"Seattle"}`)}, parts[1])
	assert.Equal(t, providers.Part{Type: providers.PartToolCall, ID: "tooluse_-hxBEEwGRc-VQqC2i7SFqg", Name: "get_current_weather", Arguments: []byte(`{"location":"San Francisco"}`)}, parts[2])
	assert.Equal(t, "tool_use", resp.Output[0].FinishReason)
}

// Reasoning: Claude 4's thinking through ConverseStream, and a redacted
// block.
func TestContentConverseReasoning(t *testing.T) {
	e := testkit.Exchange{URL: host + "/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream", Body: converseHistory, ResponseHeader: streamHeader, ResponseBody: read("converse_stream_claude4_thinking_recorded.bin")}
	_, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "end_turn", Parts: []providers.Part{
		{Type: providers.PartReasoning, Content: "The user has greeted me with a simple \"Hello\". I should respond in a friendly and welcoming manner. This is a straightforward greeting, so I'll respond warmly and ask how I can help them today."},
		{Type: providers.PartText, Content: "Hello! It's nice to meet you. How can I help you today?"},
	}}}, resp.Output, "the signature is not content")

	redacted := concat(
		event("messageStart", `{"p":"abc","role":"assistant"}`),
		event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"reasoningContent":{"redactedContent":"RW5jcnlwdGVk"}},"p":"ab"}`),
		event("contentBlockStop", `{"contentBlockIndex":0,"p":"a"}`),
		event("contentBlockDelta", `{"contentBlockIndex":1,"delta":{"text":"Hi"},"p":"ab"}`),
		event("messageStop", `{"p":"abc","stopReason":"end_turn"}`),
		event("metadata", `{"metrics":{"latencyMs":812},"usage":{"inputTokens":4,"outputTokens":10,"totalTokens":14}}`),
	)
	e.ResponseBody = redacted
	_, resp = testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	assert.Equal(t, converseStreamTruth(t, redacted), resp.Output)
	assert.Equal(t, providers.Part{Type: providers.PartGeneric, GenericType: "redacted_reasoning"}, resp.Output[0].Parts[0], "encrypted reasoning is named, not kept")
}

func TestContentInvokeClaude(t *testing.T) {
	path := "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0"
	for _, c := range []struct {
		file, path string
		streamed   bool
	}{
		{"invoke_claude_tool_use_recorded.json", path + "/invoke", false},
		{"invoke_model_claude_recorded.json", "/model/anthropic.claude-v2/invoke", false},
		{"invoke_stream_claude_tool_use_recorded.bin", path + "/invoke-with-response-stream", true},
		{"invoke_with_response_stream_claude_recorded.bin", "/model/anthropic.claude-v2/invoke-with-response-stream", true},
	} {
		body := read(c.file)
		header, want := jsonHeader, claudeDocumentTruth
		if c.streamed {
			header, want = streamHeader, claudeStreamTruth
		}
		e := testkit.Exchange{URL: host + c.path, Body: claudeHistory, ResponseHeader: header, ResponseBody: body}
		req, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
		assert.Equal(t, claudeHistoryContent(), req.Content, c.file)
		truth := want(t, body)
		require.NotEmpty(t, truth[0].Parts, c.file)
		assert.Equal(t, truth, resp.Output, c.file)
	}
	// The recorded parallel calls, streamed: arguments joined from their
	// fragments.
	e := testkit.Exchange{URL: host + path + "/invoke-with-response-stream", Body: claudeHistory, ResponseHeader: streamHeader, ResponseBody: read("invoke_stream_claude_tool_use_recorded.bin")}
	_, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	assert.Equal(t, []providers.Part{
		{Type: providers.PartText, Content: "Certainly! I'll use the get_current_weather function to check the weather for both Seattle and San Francisco. I'll make two separate function calls within the same block for these cities."},
		{Type: providers.PartToolCall, ID: "toolu_bdrk_01KatiGijVFb9yuMPcnVk38e", Name: "get_current_weather", Arguments: []byte(`{"location": "Seattle"}`)},
		{Type: providers.PartToolCall, ID: "toolu_bdrk_01Tzb35EydKHWz4UZP3puTbF", Name: "get_current_weather", Arguments: []byte(`{"location": "San Francisco"}`)},
	}, resp.Output[0].Parts)
}

// Claude's thinking, streamed through InvokeModelWithResponseStream.
func TestContentInvokeClaudeThinking(t *testing.T) {
	body := concat(
		chunk(`{"type":"message_start","message":{"id":"msg_bdrk_01T","type":"message","role":"assistant","model":"claude-sonnet-4-20250514","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":36,"output_tokens":4}}}`),
		chunk(`{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}`),
		chunk(`{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"The user greets me."}}`),
		chunk(`{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCkYIBxgCKkBb"}}`),
		chunk(`{"type":"content_block_stop","index":0}`),
		chunk(`{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}`),
		chunk(`{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello!"}}`),
		chunk(`{"type":"content_block_stop","index":1}`),
		chunk(`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":20}}`),
		chunk(`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":36,"outputTokenCount":20,"invocationLatency":900,"firstByteLatency":300}}`),
	)
	e := testkit.Exchange{URL: host + "/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/invoke-with-response-stream", Body: claudeHistory, ResponseHeader: streamHeader, ResponseBody: body}
	_, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "end_turn", Parts: []providers.Part{
		{Type: providers.PartReasoning, Content: "The user greets me."},
		{Type: providers.PartText, Content: "Hello!"},
	}}}, resp.Output)
	assert.Equal(t, claudeStreamTruth(t, body), resp.Output)
}

func TestContentInvokeNova(t *testing.T) {
	e := testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/invoke", Body: novaHistory, ResponseHeader: jsonHeader, ResponseBody: read("invoke_nova_tool_use_recorded.json")}
	req, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	assert.Equal(t, novaHistoryContent, req.Content)
	assert.Equal(t, converseDocumentTruth(t, e.ResponseBody), resp.Output)
	require.Len(t, resp.Output[0].Parts, 3, "text and two parallel tool calls")

	for _, file := range []string{"invoke_stream_nova_blocks_recorded.bin", "invoke_with_response_stream_nova_recorded.bin"} {
		e = testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/invoke-with-response-stream", Body: novaHistory, ResponseHeader: streamHeader, ResponseBody: read(file)}
		_, resp = testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
		truth := novaInvokeStreamTruth(t, e.ResponseBody)
		assert.Equal(t, truth, resp.Output, file)
		require.Len(t, resp.Output[0].Parts, 1, "%s: a delta a block, one text", file)
	}

	// A tool call, streamed.
	body := concat(
		chunk(`{"messageStart":{"role":"assistant"}}`),
		chunk(`{"contentBlockDelta":{"delta":{"text":"Checking."},"contentBlockIndex":0}}`),
		chunk(`{"contentBlockStop":{"contentBlockIndex":0}}`),
		chunk(`{"contentBlockStart":{"start":{"toolUse":{"toolUseId":"tooluse_a1","name":"get_current_weather"}},"contentBlockIndex":1}}`),
		chunk(`{"contentBlockDelta":{"delta":{"toolUse":{"input":"{\"location\":\"Seattle\"}"}},"contentBlockIndex":1}}`),
		chunk(`{"contentBlockStop":{"contentBlockIndex":1}}`),
		chunk(`{"contentBlockStart":{"start":{"toolUse":{"toolUseId":"tooluse_b2","name":"get_current_weather"}},"contentBlockIndex":2}}`),
		chunk(`{"contentBlockDelta":{"delta":{"toolUse":{"input":"{\"location\":\"San Francisco\"}"}},"contentBlockIndex":2}}`),
		chunk(`{"contentBlockStop":{"contentBlockIndex":2}}`),
		chunk(`{"messageStop":{"stopReason":"tool_use"}}`),
		chunk(`{"metadata":{"usage":{"inputTokens":415,"outputTokens":52}},"amazon-bedrock-invocationMetrics":{"inputTokenCount":415,"outputTokenCount":52,"invocationLatency":445,"firstByteLatency":62}}`),
	)
	e.ResponseBody = body
	_, resp = testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "tool_use", Parts: []providers.Part{
		{Type: providers.PartText, Content: "Checking."},
		{Type: providers.PartToolCall, ID: "tooluse_a1", Name: "get_current_weather", Arguments: []byte(`{"location":"Seattle"}`)},
		{Type: providers.PartToolCall, ID: "tooluse_b2", Name: "get_current_weather", Arguments: []byte(`{"location":"San Francisco"}`)},
	}}}, resp.Output)
	assert.Equal(t, novaInvokeStreamTruth(t, body), resp.Output)
}

// The other families' InvokeModel bodies: text prompts in, text out.
func TestContentInvokeNativeFamilies(t *testing.T) {
	text := func(reason, s string) []providers.Message {
		return []providers.Message{{Role: providers.RoleAssistant, FinishReason: reason, Parts: []providers.Part{{Type: providers.PartText, Content: s}}}}
	}
	userPrompt := func(s string) *providers.RequestContent {
		return &providers.RequestContent{Messages: []providers.Message{{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: s}}}}}
	}
	cohereRequest := []byte(`{"message":"Say this is a test","preamble":"Be brief.","chat_history":[{"role":"USER","message":"Hi"},{"role":"CHATBOT","message":"Hello!"}],"documents":[{"title":"t","snippet":"s"}],"tools":[{"name":"lookup","description":"Look up.","parameter_definitions":{}}],"max_tokens":10}`)
	for _, c := range []struct {
		name, path   string
		request      []byte
		wantRequest  *providers.RequestContent
		body         []byte
		streamed     bool
		wantResponse []providers.Message
	}{
		{"llama", "/model/meta.llama3-1-70b-instruct-v1%3A0/invoke", []byte(`{"prompt":"<|begin_of_text|>Say this is a test","max_gen_len":10}`),
			userPrompt("<|begin_of_text|>Say this is a test"), read("invoke_llama_recorded.json"), false, text("length", " post. This is a test post. This is")},
		{"mistral", "/model/mistral.mistral-7b-instruct-v0%3A2/invoke", []byte(`{"prompt":"<s>[INST] Say this is a test [/INST]","max_tokens":10}`),
			userPrompt("<s>[INST] Say this is a test [/INST]"), read("invoke_mistral_recorded.json"), false, text("length", "\n\nA man stands before a crowd of people")},
		{"titan", "/model/amazon.titan-text-lite-v1/invoke", []byte(`{"inputText":"Say this is a test","textGenerationConfig":{"maxTokenCount":10}}`),
			userPrompt("Say this is a test"), read("invoke_titan_recorded.json"), false, text("LENGTH", " comment\nHello! I am writing this as a")},
		{"imported model (OpenAI-style text completion)", "/model/arn%3Aaws%3Asagemaker%3Aus-east-1%3A767398002385%3Aendpoint%2Fendpoint-quick-start-idr7y/invoke", []byte(`{"prompt":"Explain quantum mechanics."}`),
			userPrompt("Explain quantum mechanics."), read("invoke_imported_choices_recorded.json"), false, nil},
		{"cohere command r", "/model/cohere.command-r-v1%3A0/invoke", cohereRequest,
			&providers.RequestContent{
				System: []providers.Part{{Type: providers.PartText, Content: "Be brief."}, {Type: providers.PartGeneric, GenericType: "document", Content: `{"title":"t","snippet":"s"}`}},
				Messages: []providers.Message{
					{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Hi"}}},
					{Role: "assistant", Parts: []providers.Part{{Type: providers.PartText, Content: "Hello!"}}},
					{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Say this is a test"}}},
				},
				Tools: []providers.ToolDefinition{{Type: "function", Name: "lookup", Description: "Look up."}},
			}, read("invoke_cohere_command_r_recorded.json"), false, text("MAX_TOKENS", "This is a test. How are you doing today")},
		{"titan stream", "/model/amazon.titan-text-lite-v1/invoke-with-response-stream", []byte(`{"inputText":"Say this is a test"}`),
			userPrompt("Say this is a test"), read("invoke_stream_titan_recorded.bin"), true, text("LENGTH", "\nHello! I am a computer program designed to")},
		{"llama stream", "/model/meta.llama3-8b-instruct-v1%3A0/invoke-with-response-stream", []byte(`{"prompt":"Hi"}`), userPrompt("Hi"), concat(
			chunk(`{"generation":"Hello","prompt_token_count":2,"generation_token_count":1,"stop_reason":null}`),
			chunk(`{"generation":" there!","prompt_token_count":null,"generation_token_count":3,"stop_reason":"stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":2,"outputTokenCount":3,"invocationLatency":300,"firstByteLatency":100}}`),
		), true, text("stop", "Hello there!")},
		{"mistral stream", "/model/mistral.mistral-7b-instruct-v0%3A2/invoke-with-response-stream", []byte(`{"prompt":"Hi"}`), userPrompt("Hi"), concat(
			chunk(`{"outputs":[{"text":"Hel","stop_reason":null}]}`),
			chunk(`{"outputs":[{"text":"lo.","stop_reason":"stop"}],"amazon-bedrock-invocationMetrics":{"inputTokenCount":2,"outputTokenCount":3,"invocationLatency":300,"firstByteLatency":100}}`),
		), true, text("stop", "Hello.")},
		{"cohere stream", "/model/cohere.command-r-v1%3A0/invoke-with-response-stream", cohereRequest, nil, concat(
			chunk(`{"is_finished":false,"event_type":"stream-start","generation_id":"g1"}`),
			chunk(`{"is_finished":false,"event_type":"text-generation","text":"This is"}`),
			chunk(`{"is_finished":false,"event_type":"text-generation","text":" a test."}`),
			chunk(`{"is_finished":true,"event_type":"stream-end","response":{"text":"This is a test.","finish_reason":"COMPLETE"},"finish_reason":"COMPLETE","amazon-bedrock-invocationMetrics":{"inputTokenCount":5,"outputTokenCount":4,"invocationLatency":300,"firstByteLatency":100}}`),
		), true, text("COMPLETE", "This is a test.")},
	} {
		header := jsonHeader
		if c.streamed {
			header = streamHeader
		}
		e := testkit.Exchange{URL: host + c.path, Body: c.request, ResponseHeader: header, ResponseBody: c.body}
		req, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
		if c.wantRequest != nil {
			assert.Equal(t, c.wantRequest, req.Content, c.name)
		}
		if c.wantResponse == nil {
			// The imported model's answer, by encoding/json.
			var doc struct {
				Choices []struct {
					Text         string `json:"text"`
					FinishReason string `json:"finish_reason"`
				} `json:"choices"`
			}
			require.NoError(t, json.Unmarshal(c.body, &doc))
			c.wantResponse = text(doc.Choices[0].FinishReason, doc.Choices[0].Text)
		}
		assert.Equal(t, c.wantResponse, resp.Output, c.name)
	}
}

// OpenAI-style bodies (gpt-oss): messages in, text, reasoning and parallel
// tool calls out, whole and streamed.
func TestContentInvokeOpenAIStyle(t *testing.T) {
	request := []byte(`{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Weather in Paris and Rome?"}]},` +
		`{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"rain"}],` +
		`"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather.","parameters":{"type":"object"}}}],"max_completion_tokens":100}`)
	wantRequest := &providers.RequestContent{
		Messages: []providers.Message{
			{Role: "system", Parts: []providers.Part{{Type: providers.PartText, Content: "Be brief."}}},
			{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Weather in Paris and Rome?"}}},
			{Role: "assistant", Parts: []providers.Part{{Type: providers.PartToolCall, ID: "call_1", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)}}},
			{Role: "tool", Parts: []providers.Part{{Type: providers.PartToolCallResponse, ID: "call_1", Response: []byte("rain")}}},
		},
		Tools: []providers.ToolDefinition{{Type: "function", Name: "get_weather", Description: "Weather.", Parameters: []byte(`{"type":"object"}`)}},
	}
	want := []providers.Message{{Role: providers.RoleAssistant, FinishReason: "tool_calls", Parts: []providers.Part{
		{Type: providers.PartReasoning, Content: "Two calls."},
		{Type: providers.PartText, Content: "Checking."},
		{Type: providers.PartToolCall, ID: "call_2", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
		{Type: providers.PartToolCall, ID: "call_3", Name: "get_weather", Arguments: []byte(`{"city":"Rome"}`)},
	}}}
	url := host + "/model/openai.gpt-oss-20b-1%3A0"
	whole := []byte(`{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"Two calls.","content":"Checking.","tool_calls":[` +
		`{"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_3","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":50,"completion_tokens":20,"total_tokens":70}}`)
	e := testkit.Exchange{URL: url + "/invoke", Body: request, ResponseHeader: jsonHeader, ResponseBody: whole}
	req, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	assert.Equal(t, wantRequest, req.Content)
	assert.Equal(t, want, resp.Output)

	streamed := concat(
		chunk(`{"choices":[{"index":0,"delta":{"role":"assistant","reasoning_content":"Two "},"finish_reason":null}]}`),
		chunk(`{"choices":[{"index":0,"delta":{"reasoning_content":"calls."},"finish_reason":null}]}`),
		chunk(`{"choices":[{"index":0,"delta":{"content":"Checking."},"finish_reason":null}]}`),
		chunk(`{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":"}}]},"finish_reason":null}]}`),
		chunk(`{"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"finish_reason":null}]}`),
		chunk(`{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_3","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},"finish_reason":null}]}`),
		chunk(`{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"amazon-bedrock-invocationMetrics":{"inputTokenCount":50,"outputTokenCount":20,"invocationLatency":300,"firstByteLatency":100}}`),
	)
	e = testkit.Exchange{URL: url + "/invoke-with-response-stream", Body: request, ResponseHeader: streamHeader, ResponseBody: streamed}
	_, resp = testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	assert.Equal(t, want, resp.Output)
}

// Every value is cut to the limit, and says so; binary data is its size.
func TestContentLimit(t *testing.T) {
	const limit = 10
	e := testkit.Exchange{URL: host + "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke-with-response-stream", Body: claudeHistory, ResponseHeader: streamHeader, ResponseBody: read("invoke_stream_claude_tool_use_recorded.bin")}
	req, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(limit))
	full := claudeStreamTruth(t, e.ResponseBody)
	for i, p := range resp.Output[0].Parts {
		want := full[0].Parts[i]
		assert.Equal(t, providers.Cut(want.Content, limit), p.Content)
		assert.Equal(t, want.Arguments[:min(len(want.Arguments), limit)], p.Arguments)
		assert.Equal(t, len(want.Content) > limit || len(want.Arguments) > limit, p.Truncated)
	}
	assert.Equal(t, providers.Part{Type: providers.PartText, Content: "You are a ", Truncated: true}, req.Content.System[0])
	assert.Equal(t, providers.Part{Type: providers.PartBlob, Modality: "image", MIMEType: "image/png", Size: 24}, req.Content.Messages[0].Parts[1])
	assert.Equal(t, providers.Part{Type: providers.PartToolCallResponse, ID: "toolu_2", Response: []byte(`[{"type":"`), Truncated: true}, req.Content.Messages[2].Parts[1])

	e = testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/converse", Body: converseHistory, ResponseHeader: jsonHeader, ResponseBody: read("converse_nova_tool_use_recorded.json")}
	req, resp = testkit.Replay(t, bedrock.New(), e.WithCapture(limit))
	assert.Equal(t, providers.Part{Type: providers.PartToolCall, ID: "tooluse_tggNKJbGSrm48inRqf3Rvw", Name: "get_current_weather", Arguments: []byte(`{"location`), Truncated: true}, resp.Output[0].Parts[1])
	assert.Equal(t, providers.Part{Type: providers.PartBlob, Modality: "video", MIMEType: "video/mp4", Size: 12}, req.Content.Messages[0].Parts[3])
	assert.Nil(t, req.Content.Tools[0].Parameters, "a schema over the limit is left out")
	assert.True(t, req.Content.Tools[0].Truncated, "and the definition says so")
}

// contentExchanges are every fixture of the package, the recorded ones
// this file added, and the synthetic streams of the tests, each with a
// request of its family.
func contentExchanges() map[string]testkit.Exchange {
	all := map[string]testkit.Exchange{}
	for _, f := range fixtures() {
		all[f.name] = f.exchange
	}
	for _, c := range []struct{ file, path string }{
		{"converse_nova_tool_use_recorded.json", "/model/amazon.nova-micro-v1%3A0/converse"},
		{"converse_claude_cache_read_recorded.json", "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse"},
		{"converse_stream_nova_tool_use_recorded.bin", "/model/amazon.nova-micro-v1%3A0/converse-stream"},
		{"converse_stream_claude4_thinking_recorded.bin", "/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream"},
		{"converse_stream_llama_recorded.bin", "/model/meta.llama3-2-1b-instruct-v1%3A0/converse-stream"},
		{"invoke_claude_tool_use_recorded.json", "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke"},
		{"invoke_stream_claude_tool_use_recorded.bin", "/model/us.anthropic.claude-3-5-sonnet-20240620-v1%3A0/invoke-with-response-stream"},
		{"invoke_nova_tool_use_recorded.json", "/model/amazon.nova-micro-v1%3A0/invoke"},
		{"invoke_stream_nova_blocks_recorded.bin", "/model/amazon.nova-micro-v1%3A0/invoke-with-response-stream"},
		{"invoke_stream_titan_recorded.bin", "/model/amazon.titan-text-lite-v1/invoke-with-response-stream"},
		{"invoke_llama_recorded.json", "/model/meta.llama3-1-70b-instruct-v1%3A0/invoke"},
		{"invoke_mistral_recorded.json", "/model/mistral.mistral-7b-instruct-v0%3A2/invoke"},
		{"invoke_cohere_command_r_recorded.json", "/model/cohere.command-r-v1%3A0/invoke"},
		{"invoke_titan_recorded.json", "/model/amazon.titan-text-lite-v1/invoke"},
		{"invoke_imported_choices_recorded.json", "/model/arn%3Aaws%3Asagemaker%3Aus-east-1%3A767398002385%3Aendpoint%2Fendpoint-quick-start-idr7y/invoke"},
	} {
		header := jsonHeader
		if strings.HasSuffix(c.file, ".bin") {
			header = streamHeader
		}
		body := converseHistory
		if strings.Contains(c.path, "/invoke") {
			body = claudeHistory
		}
		all[c.file] = testkit.Exchange{URL: host + c.path, Body: body, ResponseHeader: header, ResponseBody: read(c.file)}
	}
	return all
}

// Capture changes nothing but the content it adds: every other fact of the
// request and the response is what the call says without it, and without
// it there is no content at all.
func TestContentChangesNothingElse(t *testing.T) {
	all := contentExchanges()
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		e := all[name]
		if e.Body == nil {
			e.Body = []byte(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`)
		}
		plainReq, plain := testkit.Replay(t, bedrock.New(), e)
		assert.Nil(t, plainReq.Content, name)
		assert.Nil(t, plain.Output, name)
		req, captured := testkit.Replay(t, bedrock.New(), e.WithCapture(64))
		if e.Status >= 400 || strings.Contains(name, "html") {
			assert.Nil(t, captured.Output, "%s: an error body has no answer", name)
		}
		req.Content, captured.Output = nil, nil
		assert.Equal(t, plainReq, req, name)
		assert.Equal(t, plain, captured, name)
	}
}

// A stream that ends in an exception keeps the answer so far; a cut one
// too, a prefix of each part.
func TestContentBrokenStreams(t *testing.T) {
	e := testkit.Exchange{URL: host + "/model/amazon.nova-pro-v1%3A0/converse-stream", Body: converseHistory, ResponseHeader: streamHeader, ResponseBody: converseStreamThrottled}
	_, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	assert.Equal(t, "throttlingException", resp.ErrorType)
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, Parts: []providers.Part{{Type: providers.PartText, Content: "Hel"}}}}, resp.Output)

	// Cut anywhere in a short stream of text and a tool call (every
	// prefix of a recorded one takes too long under the race detector).
	short := concat(
		chunk(claudeMessageStart),
		chunk(`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`),
		chunk(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking."}}`),
		chunk(`{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}`),
		chunk(`{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\":"}}`),
		chunk(`{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Paris\"}"}}`),
		chunk(`{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":25}}`),
	)
	e = testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream", Body: claudeHistory, ResponseHeader: streamHeader, ResponseBody: short}
	_, full := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	require.Equal(t, []providers.Part{
		{Type: providers.PartText, Content: "Checking."},
		{Type: providers.PartToolCall, ID: "toolu_1", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
	}, full.Output[0].Parts)
	testkit.Truncations(t, bedrock.New(), e.WithCapture(1<<20), func(cut int, complete bool, r providers.Response) {
		if len(r.Output) == 0 {
			return
		}
		require.Len(t, r.Output, 1)
		require.LessOrEqual(t, len(r.Output[0].Parts), len(full.Output[0].Parts), "cut %d", cut)
		for i, p := range r.Output[0].Parts {
			require.True(t, strings.HasPrefix(full.Output[0].Parts[i].Content, p.Content), "cut %d", cut)
			require.True(t, bytes.HasPrefix(full.Output[0].Parts[i].Arguments, p.Arguments), "cut %d", cut)
		}
	})
}

// Without capture a stream's chunks still take their shortcuts: no
// allocation per chunk.
func TestContentOffAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	invoke := testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream", Body: claudeHistory, ResponseHeader: streamHeader}
	claudeTail := concat(chunk(`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":25}}`),
		chunk(`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":12,"outputTokenCount":25,"invocationLatency":900,"firstByteLatency":300}}`))
	allocs := testkit.AllocsPerChunk(t, bedrock.New(), invoke, chunk(claudeMessageStart), chunk(claudeDelta), claudeTail, 50)
	assert.LessOrEqual(t, allocs, 0.0, "a request whose content could be captured, not captured")
	converse := testkit.Exchange{URL: host + "/model/amazon.nova-lite-v1%3A0/converse-stream", Body: converseHistory, ResponseHeader: streamHeader}
	allocs = testkit.AllocsPerChunk(t, bedrock.New(), converse, event("messageStart", `{"p":"abc","role":"assistant"}`),
		event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hello there"},"p":"abcdefgh"}`),
		event("metadata", `{"metrics":{"latencyMs":1},"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}}`), 50)
	assert.LessOrEqual(t, allocs, 0.0)
}

// Server tool blocks of a Messages answer: the search Anthropic ran, and
// its result, typed as the provider types them.
func TestContentClaudeServerTools(t *testing.T) {
	body := read("claude_messages_web_search_recorded.json")
	e := testkit.Exchange{URL: host + "/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/invoke", Body: claudeHistory, ResponseHeader: jsonHeader, ResponseBody: body}
	_, resp := testkit.Replay(t, bedrock.New(), e.WithCapture(1<<20))
	require.Len(t, resp.Output, 1)
	parts := resp.Output[0].Parts
	require.Greater(t, len(parts), 3)
	assert.Equal(t, providers.PartReasoning, parts[0].Type)
	assert.Equal(t, providers.Part{Type: providers.PartServerToolCall, GenericType: "server_tool_use", ID: "srvtoolu_01EoSNE7k4dUJyGatASCV5qs", Name: "web_search",
		Arguments: []byte(`{"query":"San Francisco weather today"}`)}, parts[1])
	assert.Equal(t, providers.PartServerToolCallResponse, parts[2].Type)
	assert.Equal(t, "web_search_tool_result", parts[2].GenericType)
	assert.Equal(t, "srvtoolu_01EoSNE7k4dUJyGatASCV5qs", parts[2].ID)
	var results []map[string]any
	require.NoError(t, json.Unmarshal(parts[2].Response, &results), "the result as sent, JSON")
	assert.NotEmpty(t, results)
	var doc struct {
		Content []struct {
			Type string `json:"type"`
			Text string `json:"text"`
		} `json:"content"`
	}
	require.NoError(t, json.Unmarshal(body, &doc))
	var texts []string
	for _, c := range doc.Content {
		if c.Type == "text" {
			texts = append(texts, c.Text)
		}
	}
	var got []string
	for _, p := range parts[3:] {
		require.Equal(t, providers.PartText, p.Type)
		got = append(got, p.Content)
	}
	assert.Equal(t, texts, got, "each text block a part, as sent")
}

// With capture on, a streamed delta's text is appended to its part's
// buffer, which grows geometrically: nothing is allocated per delta.
func TestContentOnAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	const limit = 64 << 10
	converse := testkit.Exchange{URL: host + "/model/amazon.nova-lite-v1%3A0/converse-stream", Body: converseHistory, ResponseHeader: streamHeader}.WithCapture(limit)
	allocs := testkit.AllocsPerChunk(t, bedrock.New(), converse, event("messageStart", `{"p":"abc","role":"assistant"}`),
		event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hello there"},"p":"abcdefgh"}`),
		event("metadata", `{"metrics":{"latencyMs":1},"usage":{"inputTokens":1,"outputTokens":2,"totalTokens":3}}`), 50)
	t.Logf("ConverseStream contentBlockDelta, capture on: %.3f allocations", allocs)
	assert.Less(t, allocs, 0.1, "ConverseStream contentBlockDelta")

	invoke := testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream", Body: claudeHistory, ResponseHeader: streamHeader}.WithCapture(limit)
	claudeTail := concat(chunk(`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":25}}`),
		chunk(`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":12,"outputTokenCount":25,"invocationLatency":900,"firstByteLatency":300}}`))
	allocs = testkit.AllocsPerChunk(t, bedrock.New(), invoke, chunk(claudeMessageStart), chunk(claudeDelta), claudeTail, 50)
	t.Logf("InvokeModelWithResponseStream Claude content_block_delta, capture on: %.3f allocations", allocs)
	assert.Less(t, allocs, 0.1, "InvokeModelWithResponseStream Claude content_block_delta")

	nova := testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/invoke-with-response-stream", Body: novaHistory, ResponseHeader: streamHeader}.WithCapture(limit)
	allocs = testkit.AllocsPerChunk(t, bedrock.New(), nova, chunk(`{"messageStart":{"role":"assistant"}}`),
		chunk(`{"contentBlockDelta":{"delta":{"text":"It"},"contentBlockIndex":0}}`),
		chunk(`{"metadata":{"usage":{"inputTokens":5,"outputTokens":10}},"amazon-bedrock-invocationMetrics":{"inputTokenCount":5,"outputTokenCount":10}}`), 50)
	t.Logf("InvokeModelWithResponseStream Nova contentBlockDelta, capture on: %.3f allocations", allocs)
	assert.Less(t, allocs, 0.1, "InvokeModelWithResponseStream Nova contentBlockDelta")

	mistral := testkit.Exchange{URL: host + "/model/mistral.mistral-large-2402-v1%3A0/invoke-with-response-stream", Body: []byte(`{"prompt":"Hi"}`), ResponseHeader: streamHeader}.WithCapture(limit)
	allocs = testkit.AllocsPerChunk(t, bedrock.New(), mistral, nil, chunk(`{"outputs":[{"text":"Hi","stop_reason":null}]}`),
		chunk(`{"outputs":[{"text":"!","stop_reason":"length"}],"amazon-bedrock-invocationMetrics":{"inputTokenCount":5,"outputTokenCount":10}}`), 50)
	t.Logf("InvokeModelWithResponseStream Mistral chunk, capture on: %.3f allocations", allocs)
	assert.Less(t, allocs, 0.1, "InvokeModelWithResponseStream Mistral chunk")
}
