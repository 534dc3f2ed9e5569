package messages

import (
	"bytes"
	"strconv"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/rawusage"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Counts holds the raw counts of Anthropic usage objects, each with whether
// it was reported; input_tokens excludes the cache, as on the wire.
type Counts struct {
	rawusage.Counts
	// compaction sums the usage.iterations entries of type compaction:
	// the sampling step that compacts the context is billed, and the
	// top-level counts leave it out ("A compaction entry's tokens are
	// not included in the top-level usage fields", the SDK's BetaUsage).
	// The message entries are already in the top level.
	compaction rawusage.Counts
}

// Merge overwrites the counts with those present in the usage object u,
// leaving the others as they were. thinking_tokens (its
// output_tokens_details) is the reasoning part of output_tokens. It does
// not allocate.
func (c *Counts) Merge(u []byte) {
	mergeTokens(&c.Counts, u)
	c.Counts.Merge(u, providers.ReasoningTokens, "output_tokens_details", "thinking_tokens")
	c.Counts.Merge(u, providers.WebSearchRequests, "server_tool_use", "web_search_requests")
	if iterations, kind, ok := jsonscan.Get(u, "iterations"); ok && kind == jsonscan.KindArray {
		// Each event carries the iterations so far, never an increment.
		c.compaction = rawusage.Counts{}
		jsonscan.ArrayEach(iterations, func(it []byte, kind jsonscan.Kind) {
			if typ, ok := jsonscan.RawString(it, "type"); !ok || string(typ) != "compaction" {
				return
			}
			var one rawusage.Counts
			mergeTokens(&one, it)
			c.compaction = c.compaction.Plus(one)
		})
	}
}

// mergeTokens merges the token counts an Anthropic usage object and each
// of its iterations have.
func mergeTokens(c *rawusage.Counts, u []byte) {
	c.Merge(u, providers.InputTokens, "input_tokens")
	c.Merge(u, providers.OutputTokens, "output_tokens")
	c.Merge(u, providers.CacheReadInputTokens, "cache_read_input_tokens")
	c.Merge(u, providers.CacheCreationInputTokens, "cache_creation_input_tokens")
	c.Merge(u, providers.CacheCreation1hInputTokens, "cache_creation", "ephemeral_1h_input_tokens")
}

// Usage returns the counts normalised (input including the cache), the
// compaction iterations added to the top-level counts.
func (c Counts) Usage(source providers.UsageSource) providers.Usage {
	return c.Counts.Plus(c.compaction).Usage(source)
}

// ParseRequest reads the generation parameters of a Messages request body
// into r: model (when the body has one: Bedrock and Vertex put it in the
// URL), max_tokens, temperature, top_p, top_k, stop_sequences and stream.
// It reports false when body is not a JSON object; the members read before
// the point where a malformed body breaks off may have been set.
func ParseRequest(body []byte, r *providers.Request) bool {
	// One scan, no decoding: a Messages request is mostly its prompt, which
	// can be hundreds of kilobytes, and this runs before the request is sent.
	return jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "model":
			if s, ok := jsonscan.StringValue(v, k); ok && s != "" {
				r.Model = s
			}
		case "max_tokens":
			r.MaxTokens = jsonscan.IntPtr(v, k)
		case "temperature":
			r.Temperature = jsonscan.FloatPtr(v, k)
		case "top_p":
			r.TopP = jsonscan.FloatPtr(v, k)
		case "top_k":
			r.TopK = jsonscan.FloatPtr(v, k)
		case "stop_sequences":
			if k == jsonscan.KindArray {
				r.StopSequences = jsonscan.Strings(v, k)
			}
		case "stream":
			if k == jsonscan.KindBool && v[0] == 't' {
				r.Stream = true
			}
		}
	})
}

// Message is what a full (non-streamed) Messages response says.
type Message struct {
	ID         string
	Model      string
	StopReason string
	Counts     Counts
	// ErrorType is error.type of a {"type":"error"} body.
	ErrorType string
}

// ParseMessage reads a full Messages response body, valid JSON. It reports
// false when body is not a JSON object.
func ParseMessage(body []byte) (Message, bool) {
	var msg Message
	failed := false
	ok := jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "type":
			if k == jsonscan.KindString && string(v) == `"error"` {
				failed = true
			}
		case "id":
			msg.ID, _ = jsonscan.StringValue(v, k)
		case "model":
			msg.Model, _ = jsonscan.StringValue(v, k)
		case "stop_reason":
			msg.StopReason, _ = jsonscan.StringValue(v, k)
		case "usage":
			if k == jsonscan.KindObject {
				msg.Counts.Merge(v)
			}
		case "error":
			failed = true
		}
	})
	if !ok {
		return Message{}, false
	}
	if failed {
		msg.ErrorType = ErrorType(body)
	}
	return msg, true
}

// ErrorType returns the error type of an error body: Anthropic's
// {"type":"error","error":{"type":"overloaded_error"}}, or Google's
// {"error":{"status":"RESOURCE_EXHAUSTED","code":429}} which Vertex AI sends
// for errors raised before the request reaches Claude. It returns "" when
// body names none.
func ErrorType(body []byte) string {
	for _, key := range [...]string{"type", "status"} {
		if s, ok := jsonscan.String(body, "error", key); ok && s != "" {
			return s
		}
	}
	if v, kind, ok := jsonscan.Get(body, "error", "code"); ok {
		switch kind {
		case jsonscan.KindString:
			if s, ok := jsonscan.Str(v); ok {
				return s
			}
		case jsonscan.KindNumber:
			if n, ok := jsonscan.ParseInt(v); ok {
				return strconv.FormatInt(n, 10)
			}
		}
	}
	return ""
}

// Stream follows the events of one Messages stream into a providers.Result:
// the chunks, the stop reason (finish index 0), the usage (Source stream),
// the final event and an error event. The zero value is ready. Per-event
// work does not allocate, except to keep the id, the model, the stop reason
// and an error type the first time each is seen.
type Stream struct {
	// Counts are the usage counts the events have carried so far.
	Counts Counts

	// delta is the shape of the last content_block_delta read in full: a
	// later delta of that shape is counted without a scan.
	delta jsonscan.Shape
	// content is the content being reassembled, nil unless
	// CaptureContent was called.
	content *streamContent
}

// Event reads the data of one event. The event's type is read from data's
// "type" member, which Anthropic always sends (the SSE event name repeats
// it, and Bedrock's chunks have none). It reports whether the event was an
// output delta (content_block_delta), which carries output and nothing
// else: its shape is worth learning for a caller that sees it wrapped.
// While content is captured no delta is reported worth learning: each
// one's text must be read.
func (s *Stream) Event(data []byte, r *providers.Result) (delta bool) {
	if s.delta.Matches(data) {
		// Most events of a stream take this way.
		r.Chunks++
		if s.content != nil {
			// Its text is all that differs: read only that, and tell
			// the caller not to skip such events itself.
			s.content.contentEvent("content_block_delta", data)
			return false
		}
		return true
	}
	typ, ok := jsonscan.RawString(data, "type")
	if !ok {
		r.Valid(data) // counts it as malformed unless it is JSON
		return false
	}
	switch string(typ) {
	case "content_block_delta":
		if !r.Valid(data) {
			return false
		}
		r.Chunks++
		s.delta.Learn(data, "type")
		if s.content != nil {
			s.content.contentEvent("content_block_delta", data)
			return false
		}
		return true
	case "content_block_start", "content_block_stop":
		// Not counted when malformed, as without capture: capture
		// changes nothing else the result says.
		if s.content != nil && jsonscan.Valid(data) {
			s.content.contentEvent(string(typ), data)
		}
	case "message_start":
		if !r.Valid(data) {
			return false
		}
		r.Chunks++
		if s.content != nil {
			s.content.contentEvent("message_start", data)
		}
		// The message names itself, over whatever the host named it
		// (Bedrock: the request id and the model id of the path).
		msg, _, _ := jsonscan.Get(data, "message")
		if id, ok := jsonscan.String(msg, "id"); ok && id != "" {
			r.ID = id
		}
		if model, ok := jsonscan.String(msg, "model"); ok && model != "" {
			r.Model = model
		}
		s.merge(msg, r)
	case "message_delta":
		if !r.Valid(data) {
			return false
		}
		r.Chunks++
		if reason, ok := jsonscan.RawString(data, "delta", "stop_reason"); ok {
			setStopReason(r, reason)
		}
		if s.content != nil {
			s.content.contentEvent("message_delta", data)
		}
		s.merge(data, r)
	case "message_stop":
		// Checked, so that a cut inside this last event is not taken for
		// the end of the stream.
		if r.Valid(data) {
			r.Terminal = true
		}
	case "error":
		if !r.Valid(data) {
			return false
		}
		r.Terminal = true
		if t := ErrorType(data); t != "" {
			r.ErrorType = t
		} else if r.ErrorType == "" {
			r.ErrorType = "error"
		}
	}
	return false
}

// merge merges the usage member of obj, when it is an object, and sets the
// result's usage to the counts so far.
func (s *Stream) merge(obj []byte, r *providers.Result) {
	if u, kind, ok := jsonscan.Get(obj, "usage"); ok && kind == jsonscan.KindObject {
		s.Counts.Merge(u)
		r.Usage = s.Counts.Usage(providers.SourceStream)
	}
}

// setStopReason records the stop reason of the one answer from a raw
// (quoted, escaped) string value.
func setStopReason(r *providers.Result, raw []byte) {
	if bytes.IndexByte(raw, '\\') >= 0 {
		s, ok := jsonscan.Str(append(append([]byte{'"'}, raw...), '"'))
		if !ok {
			return
		}
		raw = []byte(s)
	}
	r.SetFinishReason(0, raw)
}
