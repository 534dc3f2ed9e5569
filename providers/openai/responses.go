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
func (d *dialect) responsesEvent(ev *providers.Event, r *providers.Result) {
	data := ev.Data
	if d.asm == nil && len(ev.Name) > 0 && bytes.HasSuffix(ev.Name, deltaSuffix) && looksWhole(data) && !bytes.Contains(data, errorToken) {
		// The many delta events are only counted: their name says what
		// they are.
		r.Chunks++
		return
	}
	if isDone(data) {
		return // not part of the Responses protocol, but tolerated
	}
	if !r.Valid(data) {
		return
	}
	typ, ok := jsonscan.RawString(data, "type")
	if !ok {
		typ = ev.Name
	}
	if d.asm != nil {
		d.captureResponsesEvent(typ, data)
	}
	switch string(typ) {
	case "response.created", "response.in_progress", "response.queued":
		if obj, k, ok := jsonscan.Get(data, "response"); ok && k == jsonscan.KindObject {
			keepFirst(&r.ID, obj, "id")
			keepFirst(&r.Model, obj, "model")
		}
	case "response.completed", "response.incomplete", "response.failed", "response.cancelled":
		r.Terminal = true
		if obj, k, ok := jsonscan.Get(data, "response"); ok && k == jsonscan.KindObject {
			if d.responseObject(obj, providers.SourceStream, r) {
				r.Chunks++
			}
		}
	case "error":
		r.Terminal = true
		r.ErrorType = responsesErrorType(data)
	default:
		if bytes.HasSuffix(typ, deltaSuffix) {
			r.Chunks++
		}
	}
}

var deltaSuffix = []byte(".delta")

// responseObject reads a Responses API response object (a full body, or the
// "response" of a lifecycle event) and reports whether it carried usage.
func (d *dialect) responseObject(obj []byte, source providers.UsageSource, r *providers.Result) bool {
	keepFirst(&r.ID, obj, "id")
	keepFirst(&r.Model, obj, "model")
	keepFirst(&r.ServiceTier, obj, "service_tier")
	if status, ok := jsonscan.RawString(obj, "status"); ok {
		if reason := responseFinishReason(obj, string(status)); reason != "" {
			r.SetFinishReason(0, []byte(reason))
		}
		if string(status) == "failed" {
			if e, k, ok := jsonscan.Get(obj, "error"); ok && k == jsonscan.KindObject {
				r.ErrorType = errorObjectType(e)
			}
		}
	}
	usage, k, ok := jsonscan.Get(obj, "usage")
	if !ok || k != jsonscan.KindObject {
		return false
	}
	u := responsesUsage(usage, source, d.call.provider)
	if searches := webSearches(obj); searches > 0 && u.usage.Reported != 0 {
		u.usage.Set(providers.WebSearchRequests, searches)
	}
	return d.keepUsage(&u, r)
}

// webSearches counts the web searches a response's output says were run:
// its web_search_call items whose action is a search (OpenAI bills web
// search per call; opening a page or finding in one is not a search).
func webSearches(obj []byte) int64 {
	output, k, ok := jsonscan.Get(obj, "output")
	if !ok || k != jsonscan.KindArray {
		return 0
	}
	var n int64
	jsonscan.ArrayEach(output, func(item []byte, _ jsonscan.Kind) {
		if t, ok := jsonscan.RawString(item, "type"); !ok || string(t) != "web_search_call" {
			return
		}
		if a, ok := jsonscan.RawString(item, "action", "type"); ok && string(a) != "search" {
			return
		}
		n++
	})
	return n
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
