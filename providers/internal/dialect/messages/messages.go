package messages

import (
	"encoding/json"
	"strconv"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/rawusage"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Counts holds the raw counts of Anthropic usage objects, each with whether
// it was reported; input_tokens excludes the cache, as on the wire.
type Counts struct{ rawusage.Counts }

// Merge overwrites the counts with those present (as numbers) in the usage
// object u, leaving the others as they were. It does not allocate.
func (c *Counts) Merge(u []byte) {
	c.Counts.Merge(u, providers.InputTokens, "input_tokens")
	c.Counts.Merge(u, providers.OutputTokens, "output_tokens")
	c.Counts.Merge(u, providers.CacheReadInputTokens, "cache_read_input_tokens")
	c.Counts.Merge(u, providers.CacheCreationInputTokens, "cache_creation_input_tokens")
	c.Counts.Merge(u, providers.CacheCreation1hInputTokens, "cache_creation", "ephemeral_1h_input_tokens")
	c.Counts.Merge(u, providers.WebSearchRequests, "server_tool_use", "web_search_requests")
}

// ParseRequest reads the generation parameters of a Messages request body
// into r: model (when the body has one: Bedrock and Vertex put it in the
// URL), max_tokens, temperature, top_p, top_k, stop_sequences and stream.
// It reports false, leaving r unchanged, when body is not a JSON object.
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

// ParseMessage reads a full Messages response body. It reports false when
// body is not a JSON object.
func ParseMessage(body []byte) (Message, bool) {
	var m struct {
		Type       string          `json:"type"`
		ID         string          `json:"id"`
		Model      string          `json:"model"`
		StopReason string          `json:"stop_reason"`
		Usage      json.RawMessage `json:"usage"`
		Error      json.RawMessage `json:"error"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return Message{}, false
	}
	msg := Message{ID: m.ID, Model: m.Model, StopReason: m.StopReason}
	if len(m.Usage) > 0 {
		msg.Counts.Merge(m.Usage)
	}
	if m.Type == "error" || len(m.Error) > 0 {
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

// Stream follows the events of a Messages stream. The zero value is ready;
// per-event work does not allocate except to keep the id, the model, the
// stop reason and an error type the first time each is seen.
type Stream struct {
	ID         string
	Model      string
	StopReason string
	Counts     Counts
	ErrorType  string

	// Chunks counts the events carrying output or usage: message_start,
	// content_block_delta and message_delta.
	Chunks int
	// Stopped reports that message_stop was seen.
	Stopped bool
	// Failed reports that an error event was seen.
	Failed bool
	// Malformed counts events whose data was not valid JSON.
	Malformed int
}

// Event handles one event. data is its JSON; the event's type is read from
// data's "type" member, which Anthropic always sends (the SSE event name
// repeats it, and Bedrock's chunks have none).
func (s *Stream) Event(data []byte) {
	typ, ok := jsonscan.RawString(data, "type")
	if !ok {
		if !jsonscan.Valid(data) {
			s.Malformed++
		}
		return
	}
	switch string(typ) {
	case "content_block_delta":
		s.Chunks++
	case "message_start":
		if !s.valid(data) {
			return
		}
		s.Chunks++
		msg, _, _ := jsonscan.Get(data, "message")
		if s.ID == "" {
			s.ID, _ = jsonscan.String(msg, "id")
		}
		if s.Model == "" {
			s.Model, _ = jsonscan.String(msg, "model")
		}
		if u, kind, ok := jsonscan.Get(msg, "usage"); ok && kind == jsonscan.KindObject {
			s.Counts.Merge(u)
		}
	case "message_delta":
		if !s.valid(data) {
			return
		}
		s.Chunks++
		if reason, ok := jsonscan.RawString(data, "delta", "stop_reason"); ok && string(reason) != s.StopReason {
			s.StopReason, _ = jsonscan.String(data, "delta", "stop_reason")
		}
		if u, kind, ok := jsonscan.Get(data, "usage"); ok && kind == jsonscan.KindObject {
			s.Counts.Merge(u)
		}
	case "message_stop":
		// Checked, so that a cut inside this last event is not taken for
		// the end of the stream.
		if s.valid(data) {
			s.Stopped = true
		}
	case "error":
		if !s.valid(data) {
			return
		}
		s.Failed = true
		if t := ErrorType(data); t != "" {
			s.ErrorType = t
		} else if s.ErrorType == "" {
			s.ErrorType = "error"
		}
	}
}

func (s *Stream) valid(data []byte) bool {
	if jsonscan.Valid(data) {
		return true
	}
	s.Malformed++
	return false
}

// Result returns what the stream said, usage normalised with source.
func (s *Stream) Result(source providers.UsageSource) providers.Response {
	r := providers.Response{
		ID:        s.ID,
		Model:     s.Model,
		Usage:     s.Counts.Usage(source),
		ErrorType: s.ErrorType,
		Streamed:  true,
	}
	if s.StopReason != "" {
		r.FinishReasons = []string{s.StopReason}
	}
	return r
}
