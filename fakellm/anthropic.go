package fakellm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

type anthropicRequest struct {
	Model    string `json:"model"`
	Stream   bool   `json:"stream"`
	System   json.RawMessage
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Tools []struct {
		Name string `json:"name"`
	} `json:"tools"`
}

// anthropicMessages answers Messages calls in the shapes of the recordings
// in shared/wire/anthropic. A system prompt marked for caching
// ("cache_control") is reported as a cache write on the first call of a
// conversation and as a cache read on later ones, as the real API does.
func (f *fake) anthropicMessages(w http.ResponseWriter, r *http.Request) {
	var req anthropicRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"type": "error", "error": map[string]any{"type": "invalid_request_error", "message": "model: Field required"}})
		return
	}
	var texts []string
	sawToolResult := false
	for _, m := range req.Messages {
		texts = append(texts, string(m.Content))
		if strings.Contains(string(m.Content), `"tool_result"`) {
			sawToolResult = true
		}
	}
	input := countInput(texts)
	var cacheWrite, cacheRead int
	if strings.Contains(string(req.System), "cache_control") {
		if len(req.Messages) > 1 {
			cacheRead = countInput([]string{string(req.System)})
		} else {
			cacheWrite = countInput([]string{string(req.System)})
		}
	}
	id := fmt.Sprintf("msg_fake%06d", callSeq.Add(1))
	model := snapshot(req.Model)
	answer := f.opts.Answer
	output := len(strings.Fields(answer))
	stop := "end_turn"
	toolName := ""
	if len(req.Tools) > 0 && !sawToolResult {
		toolName = req.Tools[0].Name
		stop = "tool_use"
		output = 40
	}
	usage := map[string]any{
		"input_tokens":                input,
		"cache_creation_input_tokens": cacheWrite,
		"cache_read_input_tokens":     cacheRead,
		"cache_creation":              map[string]any{"ephemeral_5m_input_tokens": cacheWrite, "ephemeral_1h_input_tokens": 0},
		"output_tokens":               output,
		"service_tier":                "standard",
	}
	toolInput := map[string]any{"query": "ruby-throated hummingbird weight"}
	if !req.Stream {
		content := []any{map[string]any{"type": "text", "text": answer}}
		if toolName != "" {
			content = []any{map[string]any{"type": "tool_use", "id": "toolu_fake_1", "name": toolName, "input": toolInput}}
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"id": id, "type": "message", "role": "assistant", "model": model, "content": content,
			"stop_reason": stop, "stop_sequence": nil, "usage": usage,
		})
		return
	}
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	startUsage := map[string]any{}
	for k, v := range usage {
		startUsage[k] = v
	}
	startUsage["output_tokens"] = 1
	sse(w, "message_start", map[string]any{"type": "message_start", "message": map[string]any{
		"id": id, "type": "message", "role": "assistant", "model": model, "content": []any{},
		"stop_reason": nil, "stop_sequence": nil, "usage": startUsage}})
	if toolName != "" {
		sse(w, "content_block_start", map[string]any{"type": "content_block_start", "index": 0,
			"content_block": map[string]any{"type": "tool_use", "id": "toolu_fake_1", "name": toolName, "input": map[string]any{}}})
		args, _ := json.Marshal(toolInput)
		f.pause()
		sse(w, "content_block_delta", map[string]any{"type": "content_block_delta", "index": 0,
			"delta": map[string]any{"type": "input_json_delta", "partial_json": string(args)}})
	} else {
		sse(w, "content_block_start", map[string]any{"type": "content_block_start", "index": 0,
			"content_block": map[string]any{"type": "text", "text": ""}})
		sse(w, "ping", map[string]any{"type": "ping"})
		for _, word := range words(answer) {
			f.pause()
			sse(w, "content_block_delta", map[string]any{"type": "content_block_delta", "index": 0,
				"delta": map[string]any{"type": "text_delta", "text": word}})
		}
	}
	sse(w, "content_block_stop", map[string]any{"type": "content_block_stop", "index": 0})
	sse(w, "message_delta", map[string]any{"type": "message_delta",
		"delta": map[string]any{"stop_reason": stop, "stop_sequence": nil},
		"usage": map[string]any{"input_tokens": input, "cache_creation_input_tokens": cacheWrite, "cache_read_input_tokens": cacheRead, "output_tokens": output}})
	sse(w, "message_stop", map[string]any{"type": "message_stop"})
}
