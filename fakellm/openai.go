package fakellm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

type openAIRequest struct {
	Model    string `json:"model"`
	Stream   bool   `json:"stream"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	Tools []struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	} `json:"tools"`
}

var callSeq atomic.Int64

func (r *openAIRequest) texts() ([]string, bool) {
	var texts []string
	sawTool := false
	for _, m := range r.Messages {
		if m.Role == "tool" {
			sawTool = true
		}
		var s string
		if json.Unmarshal(m.Content, &s) == nil {
			texts = append(texts, s)
			continue
		}
		texts = append(texts, string(m.Content))
	}
	return texts, sawTool
}

// openAIChat answers Chat Completions, in the shapes of the recordings in
// shared/wire/openai: a tool call while tools are offered and no tool
// result is in the conversation, the final answer otherwise.
func (f *fake) openAIChat(w http.ResponseWriter, r *http.Request) {
	var req openAIRequest
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.Model == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{
			"message": "you must provide a model parameter", "type": "invalid_request_error", "param": nil, "code": nil}})
		return
	}
	texts, sawTool := req.texts()
	input := countInput(texts)
	id := fmt.Sprintf("chatcmpl-fake%06d", callSeq.Add(1))
	model := snapshot(req.Model)
	created := time.Now().Unix()

	var toolName string
	if len(req.Tools) > 0 && !sawTool {
		toolName = req.Tools[0].Function.Name
	}
	answer := f.opts.Answer
	toolArgs := `{"query":"ruby-throated hummingbird weight"}`
	output := len(strings.Fields(answer))
	finish := "stop"
	if toolName != "" {
		output = 18
		finish = "tool_calls"
	}
	usage := map[string]any{
		"prompt_tokens":             input,
		"completion_tokens":         output,
		"total_tokens":              input + output,
		"prompt_tokens_details":     map[string]any{"cached_tokens": 0, "audio_tokens": 0},
		"completion_tokens_details": map[string]any{"reasoning_tokens": 0, "audio_tokens": 0, "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0},
	}
	toolCall := map[string]any{"id": "call_fake_1", "type": "function", "function": map[string]any{"name": toolName, "arguments": toolArgs}}

	if !req.Stream {
		message := map[string]any{"role": "assistant", "content": answer, "refusal": nil, "annotations": []any{}}
		if toolName != "" {
			message["content"] = nil
			message["tool_calls"] = []any{toolCall}
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"id": id, "object": "chat.completion", "created": created, "model": model,
			"choices":            []any{map[string]any{"index": 0, "message": message, "logprobs": nil, "finish_reason": finish}},
			"usage":              usage,
			"service_tier":       "default",
			"system_fingerprint": "fp_fakellm",
		})
		return
	}

	includeUsage := req.StreamOptions != nil && req.StreamOptions.IncludeUsage
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	chunk := func(delta map[string]any, finishReason any) map[string]any {
		c := map[string]any{
			"id": id, "object": "chat.completion.chunk", "created": created, "model": model,
			"service_tier": "default", "system_fingerprint": "fp_fakellm",
			"choices": []any{map[string]any{"index": 0, "delta": delta, "logprobs": nil, "finish_reason": finishReason}},
		}
		if includeUsage {
			c["usage"] = nil
		}
		return c
	}
	sse(w, "", chunk(map[string]any{"role": "assistant", "content": "", "refusal": nil}, nil))
	if toolName != "" {
		f.pause()
		sse(w, "", chunk(map[string]any{"tool_calls": []any{map[string]any{"index": 0, "id": "call_fake_1", "type": "function",
			"function": map[string]any{"name": toolName, "arguments": toolArgs}}}}, nil))
	} else {
		for _, word := range words(answer) {
			f.pause()
			sse(w, "", chunk(map[string]any{"content": word}, nil))
		}
	}
	f.pause()
	sse(w, "", chunk(map[string]any{}, finish))
	if includeUsage {
		sse(w, "", map[string]any{
			"id": id, "object": "chat.completion.chunk", "created": created, "model": model,
			"service_tier": "default", "system_fingerprint": "fp_fakellm",
			"choices": []any{}, "usage": usage,
		})
	}
	_, _ = fmt.Fprint(w, "data: [DONE]\n\n")
	flush(w)
}
