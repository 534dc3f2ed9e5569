package openai

import (
	"bytes"
	"strconv"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// responsesEvent handles one SSE event of a Responses API stream. Only the
// lifecycle events are parsed; the many delta events are merely counted, and
// cost no allocation.
func (o *observer) responsesEvent(event, data []byte) {
	if isDone(data) {
		return // not part of the Responses protocol, but tolerated
	}
	if !jsonscan.Valid(data) {
		if !o.ending { // a cut last event is a truncation, not a bad event
			o.bad++
		}
		return
	}
	typ, ok := jsonscan.RawString(data, "type")
	if !ok {
		typ = event
	}
	switch string(typ) {
	case "response.created", "response.in_progress", "response.queued":
		if r, k, ok := jsonscan.Get(data, "response"); ok && k == jsonscan.KindObject {
			keepFirst(&o.resp.ID, r, "id")
			keepFirst(&o.resp.Model, r, "model")
		}
	case "response.completed", "response.incomplete", "response.failed", "response.cancelled":
		o.terminal = true
		if r, k, ok := jsonscan.Get(data, "response"); ok && k == jsonscan.KindObject {
			if o.responseObject(r, providers.SourceStream) {
				o.chunks++
			}
		}
	case "error":
		o.terminal = true
		o.resp.ErrorType = responsesErrorType(data)
	default:
		if bytes.HasSuffix(typ, []byte(".delta")) {
			o.chunks++
		}
	}
}

// responseObject reads a Responses API response object (a full body, or the
// "response" of a lifecycle event) and reports whether it carried usage.
func (o *observer) responseObject(r []byte, source providers.UsageSource) bool {
	keepFirst(&o.resp.ID, r, "id")
	keepFirst(&o.resp.Model, r, "model")
	keepFirst(&o.resp.ServiceTier, r, "service_tier")
	if status, ok := jsonscan.RawString(r, "status"); ok {
		if reason := responseFinishReason(r, string(status)); reason != "" {
			o.finish = append(o.finish[:0], reason)
		}
		if string(status) == "failed" {
			if e, k, ok := jsonscan.Get(r, "error"); ok && k == jsonscan.KindObject {
				o.resp.ErrorType = errorObjectType(e)
			}
		}
	}
	usage, k, ok := jsonscan.Get(r, "usage")
	if !ok || k != jsonscan.KindObject {
		return false
	}
	var us providers.Usage
	setCount(&us, providers.InputTokens, usage, "input_tokens")
	setCount(&us, providers.OutputTokens, usage, "output_tokens")
	setCount(&us, providers.TotalTokens, usage, "total_tokens")
	setCount(&us, providers.CacheReadInputTokens, usage, "input_tokens_details", "cached_tokens")
	setCount(&us, providers.CacheCreationInputTokens, usage, "input_tokens_details", "cache_write_tokens")
	setCount(&us, providers.ReasoningTokens, usage, "output_tokens_details", "reasoning_tokens")
	reasoningOutsideOutput(&us)
	if us.Reported == 0 {
		return false
	}
	us.Source = source
	o.resp.Usage = us
	return true
}

// responseFinishReason derives a Chat-style finish reason from a response's
// status, since the Responses API has none: "" while it is not finished.
func responseFinishReason(r []byte, status string) string {
	switch status {
	case "completed":
		if hasToolCall(r) {
			return "tool_calls"
		}
		return "stop"
	case "incomplete":
		if reason, ok := jsonscan.String(r, "incomplete_details", "reason"); ok && reason != "" {
			return reason
		}
		return "incomplete"
	case "failed":
		return "error"
	case "cancelled":
		return "cancelled"
	}
	return ""
}

// hasToolCall reports whether the output of a response asks for a tool call.
func hasToolCall(r []byte) bool {
	output, k, ok := jsonscan.Get(r, "output")
	if !ok || k != jsonscan.KindArray {
		return false
	}
	found := false
	jsonscan.ArrayEach(output, func(item []byte, _ jsonscan.Kind) {
		if t, ok := jsonscan.RawString(item, "type"); ok {
			switch string(t) {
			case "function_call", "custom_tool_call":
				found = true
			}
		}
	})
	return found
}

// responsesErrorType names the error of a standalone error event: either
// {"type":"error","code":...} or {"type":"error","error":{...}}.
func responsesErrorType(data []byte) string {
	if t, ok := errorType(data); ok {
		return t
	}
	if code, ok := jsonscan.String(data, "code"); ok && code != "" {
		return code
	}
	if n, ok := jsonscan.Int(data, "code"); ok {
		return strconv.FormatInt(n, 10)
	}
	return "error"
}
