package fakellm

import (
	"encoding/json"
	"net/http"
	"strings"
)

type anthropicRequest struct {
	Model    string          `json:"model"`
	Stream   bool            `json:"stream"`
	System   json.RawMessage `json:"system"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Tools []struct {
		Name string `json:"name"`
	} `json:"tools"`
}

// anthropicToolCallOutput is the output count of a tool call when the fake
// counts.
const anthropicToolCallOutput = 40

// anthropicMessages answers Messages calls. A system prompt marked for
// caching ("cache_control") is reported as a cache write on the first call
// of a conversation and as a cache read on later ones, as the real API
// does.
func (f *fake) anthropicMessages(c *call) {
	var req anthropicRequest
	if err := json.Unmarshal(c.Body, &req); err != nil || req.Model == "" {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "model: Field required"})
		return
	}
	m := f.anthropicMessage(c, &req)
	if !req.Stream {
		writeJSON(c.w, http.StatusOK, nil, m.message(snapshot(req.Model)))
		return
	}
	c.w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	m.stream(f, snapshot(req.Model), func(event string, v obj) { sse(c.w, event, v) })
}

// anthropicAnswer is one Messages answer, which Anthropic's API and Claude
// on Bedrock write alike.
type anthropicAnswer struct {
	id string
	reply
}

func (f *fake) anthropicMessage(c *call, req *anthropicRequest) anthropicAnswer {
	var texts []string
	sawToolResult := false
	for _, m := range req.Messages {
		texts = append(texts, string(m.Content))
		if strings.Contains(string(m.Content), `"tool_result"`) {
			sawToolResult = true
		}
	}
	var offered string
	if len(req.Tools) > 0 {
		offered = req.Tools[0].Name
	}
	rep := f.reply(c, texts, offered, sawToolResult, anthropicToolCallOutput)
	if c.chosen == nil && strings.Contains(string(req.System), "cache_control") {
		cached := countInput([]string{string(req.System)})
		if len(req.Messages) > 1 {
			rep.usage.CacheReadTokens = cached
		} else {
			rep.usage.CacheWriteTokens = cached
		}
		rep.usage.InputTokens += cached
	}
	return anthropicAnswer{id: c.id("msg_"), reply: rep}
}

func (a *anthropicAnswer) stopReason() string {
	if a.tool != "" {
		return "tool_use"
	}
	return "end_turn"
}

func (a *anthropicAnswer) usage(output int) obj {
	u := a.reply.usage
	return obj{
		{"input_tokens", u.uncachedInput()},
		{"cache_creation_input_tokens", u.CacheWriteTokens},
		{"cache_read_input_tokens", u.CacheReadTokens},
		{"cache_creation", obj{{"ephemeral_5m_input_tokens", u.CacheWriteTokens}, {"ephemeral_1h_input_tokens", 0}}},
		{"output_tokens", output},
		{"service_tier", "standard"},
	}
}

func (a *anthropicAnswer) message(model string) obj {
	content := []any{obj{{"type", "text"}, {"text", a.text}}}
	if a.tool != "" {
		content = []any{obj{{"type", "tool_use"}, {"id", "toolu_fake_1"}, {"name", a.tool}, {"input", rawJSON(a.toolArgs)}}}
	}
	return obj{
		{"id", a.id}, {"type", "message"}, {"role", "assistant"}, {"model", model}, {"content", content},
		{"stop_reason", a.stopReason()}, {"stop_sequence", nil}, {"usage", a.usage(a.reply.usage.OutputTokens)},
	}
}

// stream writes the answer as Messages stream events: message_start with
// the input counts, the content, message_delta with the cumulative usage,
// message_stop.
func (a *anthropicAnswer) stream(f *fake, model string, emit func(event string, v obj)) {
	u := a.reply.usage
	emit("message_start", obj{{"type", "message_start"}, {"message", obj{
		{"id", a.id}, {"type", "message"}, {"role", "assistant"}, {"model", model}, {"content", []any{}},
		{"stop_reason", nil}, {"stop_sequence", nil}, {"usage", a.usage(min(1, u.OutputTokens))}}}})
	if a.tool != "" {
		emit("content_block_start", obj{{"type", "content_block_start"}, {"index", 0},
			{"content_block", obj{{"type", "tool_use"}, {"id", "toolu_fake_1"}, {"name", a.tool}, {"input", obj{}}}}})
		f.pause()
		emit("content_block_delta", obj{{"type", "content_block_delta"}, {"index", 0},
			{"delta", obj{{"type", "input_json_delta"}, {"partial_json", string(rawJSONBytes(a.toolArgs))}}}})
	} else {
		emit("content_block_start", obj{{"type", "content_block_start"}, {"index", 0},
			{"content_block", obj{{"type", "text"}, {"text", ""}}}})
		emit("ping", obj{{"type", "ping"}})
		for _, word := range words(a.text) {
			f.pause()
			emit("content_block_delta", obj{{"type", "content_block_delta"}, {"index", 0},
				{"delta", obj{{"type", "text_delta"}, {"text", word}}}})
		}
	}
	emit("content_block_stop", obj{{"type", "content_block_stop"}, {"index", 0}})
	emit("message_delta", obj{{"type", "message_delta"},
		{"delta", obj{{"stop_reason", a.stopReason()}, {"stop_sequence", nil}}},
		{"usage", obj{{"input_tokens", u.uncachedInput()}, {"cache_creation_input_tokens", u.CacheWriteTokens},
			{"cache_read_input_tokens", u.CacheReadTokens}, {"output_tokens", u.OutputTokens}}}})
	emit("message_stop", obj{{"type", "message_stop"}})
}

func rawJSONBytes(s string) []byte {
	b, _ := rawJSON(s).MarshalJSON()
	return b
}
