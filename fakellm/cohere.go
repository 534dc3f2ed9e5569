package fakellm

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// cohereToolCallOutput is the output count of a tool call when the fake
// counts.
const cohereToolCallOutput = 28

// cohereChat answers Cohere's v2 Chat: a tool call while tools are offered
// and no tool message is in the conversation, the answer otherwise. Cohere
// names no model in its answers; the usage is in the body, and in a stream
// in message-end only.
func (f *fake) cohereChat(c *call) {
	if f.opts.Recorded {
		if c.Stream {
			serveRecording(c.w, "v2_chat_stream_sdk_wiremock.sse", "text/event-stream", nil)
			return
		}
		serveRecording(c.w, "v2_chat_nonstream_sdk_wiremock.json", "application/json", nil)
		return
	}
	var req chatRequest
	if err := json.Unmarshal(c.Body, &req); err != nil || req.Model == "" {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "invalid request: model must be set"})
		return
	}
	texts, offered, sawResult := req.turn()
	rep := f.reply(c, texts, offered, sawResult, cohereToolCallOutput)
	u := rep.usage
	usage := obj{
		{"billed_units", obj{{"input_tokens", u.InputTokens}, {"output_tokens", u.OutputTokens}}},
		{"tokens", obj{{"input_tokens", u.InputTokens}, {"output_tokens", u.OutputTokens}}},
	}
	if u.CacheReadTokens > 0 {
		usage = append(usage, kv{"cached_tokens", u.CacheReadTokens})
	}
	finish := "COMPLETE"
	toolPlan := "I will call " + rep.tool + "."
	toolCallID := rep.tool + "_fake1"
	if rep.tool != "" {
		finish = "TOOL_CALL"
	}
	id := c.uuid()
	if !c.Stream {
		message := obj{{"role", "assistant"}, {"content", []any{obj{{"type", "text"}, {"text", rep.text}}}}}
		if rep.tool != "" {
			message = obj{{"role", "assistant"}, {"tool_plan", toolPlan}, {"tool_calls", []any{obj{
				{"id", toolCallID}, {"type", "function"}, {"function", obj{{"name", rep.tool}, {"arguments", rep.toolArgs}}}}}}}
		}
		writeJSON(c.w, http.StatusOK, nil, obj{{"id", id}, {"message", message}, {"finish_reason", finish}, {"usage", usage}})
		return
	}
	c.w.Header().Set("Content-Type", "text/event-stream")
	event := func(typ string, fields ...kv) {
		sse(c.w, typ, append(obj{{"type", typ}}, fields...))
	}
	sse(c.w, "message-start", obj{{"id", id}, {"type", "message-start"}, {"delta", obj{{"message", obj{
		{"role", "assistant"}, {"content", []any{}}, {"tool_plan", ""}, {"tool_calls", []any{}}, {"citations", []any{}}}}}}})
	if rep.tool != "" {
		f.pause()
		event("tool-plan-delta", kv{"delta", obj{{"message", obj{{"tool_plan", toolPlan}}}}})
		event("tool-call-start", kv{"index", 0}, kv{"delta", obj{{"message", obj{{"tool_calls", obj{
			{"id", toolCallID}, {"type", "function"}, {"function", obj{{"name", rep.tool}, {"arguments", ""}}}}}}}}})
		f.pause()
		event("tool-call-delta", kv{"index", 0}, kv{"delta", obj{{"message", obj{{"tool_calls", obj{
			{"function", obj{{"arguments", rep.toolArgs}}}}}}}}})
		event("tool-call-end", kv{"index", 0})
	} else {
		event("content-start", kv{"index", 0}, kv{"delta", obj{{"message", obj{{"content", obj{{"type", "text"}, {"text", ""}}}}}}})
		for _, word := range words(rep.text) {
			f.pause()
			event("content-delta", kv{"index", 0}, kv{"delta", obj{{"message", obj{{"content", obj{{"text", word}}}}}}})
		}
		event("content-end", kv{"index", 0})
	}
	event("message-end", kv{"delta", obj{{"finish_reason", finish}, {"usage", usage}}})
	fmt.Fprint(c.w, "data: [DONE]\n\n")
	flush(c.w)
}
