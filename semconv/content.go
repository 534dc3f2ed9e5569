package semconv

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"go.opentelemetry.io/otel/attribute"
)

// Content attribute keys. Their values follow the JSON schemas of the GenAI
// conventions (model/gen-ai/gen-ai-*.json at [GenAICommit]): on a span
// they are JSON strings, marshalled from the types below; on the
// gen_ai.client.inference.operation.details event they MUST be structured
// values. They carry message content: record them only on explicit opt-in.
// The keys are the same in v1.41.0 and in the latest conventions.
const (
	// GenAIInputMessagesKey holds the chat history sent to the model, in
	// the order it was sent ([InputMessages]).
	GenAIInputMessagesKey = attribute.Key("gen_ai.input.messages")
	// GenAIOutputMessagesKey holds one message per choice or candidate
	// the model returned ([OutputMessages]).
	GenAIOutputMessagesKey = attribute.Key("gen_ai.output.messages")
	// GenAISystemInstructionsKey holds the instructions the API takes apart
	// from the chat history, such as Anthropic's system or the Responses
	// API's instructions ([SystemInstructions]). A system message inside
	// the history belongs in gen_ai.input.messages instead.
	GenAISystemInstructionsKey = attribute.Key("gen_ai.system_instructions")
	// GenAIToolDefinitionsKey holds the tools offered to the model
	// ([ToolDefinitions]).
	GenAIToolDefinitionsKey = attribute.Key("gen_ai.tool.definitions")
	// ContentTruncatedKey (otelllm's own) is true on a span or details
	// event some of whose captured content was cut to the capture limit;
	// each part cut says so itself ("truncated": true).
	ContentTruncatedKey = attribute.Key("otelllm.content.truncated")
)

// The event that carries a call's details, content included, apart from
// the trace. It is a log record with this event name, emitted through the
// OpenTelemetry Logs API in the context of the call's span, so that it has
// the span's trace and span IDs. It has no body: its attributes are those of
// the inference span, with the content attributes as structured values.
const (
	// InferenceDetailsEventName is the event name of the log record.
	InferenceDetailsEventName = "gen_ai.client.inference.operation.details"
	// InferenceDetailsSeverityNumber is the severity the conventions ask
	// for: DEBUG, severity number 5 (log.SeverityDebug in the Go Logs API).
	InferenceDetailsSeverityNumber = 5
)

// Environment variables through which OpenTelemetry's GenAI
// instrumentations let users choose content capture.
const (
	// CaptureMessageContentEnv takes NO_CONTENT, SPAN_ONLY, EVENT_ONLY or
	// SPAN_AND_EVENT ([ParseContentCapture]) with the latest conventions;
	// older instrumentations read it as a boolean "true".
	CaptureMessageContentEnv = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
	// EmitEventEnv, "true" or "false", overrides whether the details
	// event is emitted; unset, EVENT_ONLY and SPAN_AND_EVENT emit it.
	EmitEventEnv = "OTEL_INSTRUMENTATION_GENAI_EMIT_EVENT"
)

// ContentCapture says where message content is recorded.
type ContentCapture uint8

const (
	// NoContent records no content anywhere.
	NoContent ContentCapture = iota
	// SpanOnly records content as JSON string attributes of the span.
	SpanOnly
	// EventOnly records content in the details event only.
	EventOnly
	// SpanAndEvent records content in both.
	SpanAndEvent
)

// ParseContentCapture reads a value of
// OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT as OpenTelemetry's
// Python GenAI utilities do with the latest conventions: one of the four
// mode names, in any case, surrounding whitespace ignored. It reports false
// for anything else, the legacy "true" and "false" included, so that the
// caller decides what those mean.
func ParseContentCapture(value string) (ContentCapture, bool) {
	switch strings.ToUpper(strings.TrimSpace(value)) {
	case "NO_CONTENT":
		return NoContent, true
	case "SPAN_ONLY":
		return SpanOnly, true
	case "EVENT_ONLY":
		return EventOnly, true
	case "SPAN_AND_EVENT":
		return SpanAndEvent, true
	}
	return NoContent, false
}

// OnSpan reports whether content goes on the span.
func (c ContentCapture) OnSpan() bool { return c == SpanOnly || c == SpanAndEvent }

// InEvent reports whether content goes in the details event.
func (c ContentCapture) InEvent() bool { return c == EventOnly || c == SpanAndEvent }

// Well-known message roles. The schemas accept any other string too: keep the
// role the provider's API used.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
	RoleTool      = "tool"
)

// Message part types: the value of a part's "type".
const (
	PartTypeText                   = "text"
	PartTypeToolCall               = "tool_call"
	PartTypeToolCallResponse       = "tool_call_response"
	PartTypeServerToolCall         = "server_tool_call"
	PartTypeServerToolCallResponse = "server_tool_call_response"
	PartTypeBlob                   = "blob"
	PartTypeFile                   = "file"
	PartTypeURI                    = "uri"
	PartTypeReasoning              = "reasoning"
	PartTypeCompaction             = "compaction"
	// PartTypeGeneric is for content no other type fits; the provider's
	// own kind goes in GenericType. Newer revisions of the schemas
	// require generic parts to use exactly this type.
	PartTypeGeneric = "generic"
)

// Well-known modalities of blob, file and uri parts.
const (
	ModalityImage    = "image"
	ModalityVideo    = "video"
	ModalityAudio    = "audio"
	ModalityDocument = "document"
)

// Well-known finish reasons of an output message.
const (
	FinishReasonStop          = "stop"
	FinishReasonLength        = "length"
	FinishReasonContentFilter = "content_filter"
	FinishReasonToolCall      = "tool_call"
	FinishReasonCompaction    = "compaction"
	FinishReasonError         = "error"
)

// ToolTypeFunction is the type of a function tool definition.
const ToolTypeFunction = "function"

// Part is one part of a message or of the system instructions. Type says
// which fields apply; MarshalJSON writes those, each required one always
// (an empty text stays "content":"") and each optional one only when set.
type Part struct {
	// Type is one of the PartType constants.
	Type string
	// Content is the text of a text or reasoning part, or the summary of
	// a compaction part.
	Content string
	// ID identifies a tool call, the call a response answers, a server
	// tool call, or a compaction item. Empty means unknown.
	ID string
	// Name is the tool of a tool call or server tool call.
	Name string
	// Arguments are a tool call's arguments as JSON. Nil leaves them out
	// (not captured); JSON null records a call with null arguments. Use
	// [JSONValue] for arguments that arrive as a string.
	Arguments json.RawMessage
	// Response is a tool call response's result as JSON; nil records null.
	Response json.RawMessage
	// ServerToolCall is the details of a server tool call or server tool
	// call response: a JSON object with a "type". It is required for
	// those part types.
	ServerToolCall json.RawMessage
	// Modality of a blob, file or uri part (a Modality constant or the
	// provider's word); required for those types.
	Modality string
	// MIMEType of a blob, file or uri part, when known.
	MIMEType string
	// Data is the raw bytes of a blob part, base64 in JSON.
	Data []byte
	// URI of a uri part: not a data: URL, which is a blob.
	URI string
	// FileID of a file part: the provider's ID of an uploaded file.
	FileID string
	// Transcript of audio in a blob, file or uri part.
	Transcript string
	// GenericType is the provider's own kind of a generic part.
	GenericType string
	// Fields are further properties of a generic part, as JSON, written
	// in key order; keys that name the fields above are skipped.
	Fields map[string]json.RawMessage
	// Truncated marks a part whose content, arguments or response were
	// cut to a size limit: it writes "truncated": true, a property of
	// otelllm's that the schemas allow (every part admits additional
	// properties).
	Truncated bool
}

// TextPart returns a text part.
func TextPart(text string) Part { return Part{Type: PartTypeText, Content: text} }

// ReasoningPart returns a reasoning part, for thinking the provider
// returned in clear text.
func ReasoningPart(text string) Part { return Part{Type: PartTypeReasoning, Content: text} }

// ToolCallPart returns a tool call part; arguments may be nil (not
// captured).
func ToolCallPart(id, name string, arguments json.RawMessage) Part {
	return Part{Type: PartTypeToolCall, ID: id, Name: name, Arguments: arguments}
}

// ToolCallResponsePart returns the part of a tool result sent to the model.
func ToolCallResponsePart(id string, response json.RawMessage) Part {
	return Part{Type: PartTypeToolCallResponse, ID: id, Response: response}
}

// BlobPart returns a part of inline binary data.
func BlobPart(modality, mimeType string, data []byte) Part {
	return Part{Type: PartTypeBlob, Modality: modality, MIMEType: mimeType, Data: data}
}

// URIPart returns a part that refers to data by URI.
func URIPart(modality, mimeType, uri string) Part {
	return Part{Type: PartTypeURI, Modality: modality, MIMEType: mimeType, URI: uri}
}

// FilePart returns a part that refers to a file uploaded to the provider.
func FilePart(modality, mimeType, fileID string) Part {
	return Part{Type: PartTypeFile, Modality: modality, MIMEType: mimeType, FileID: fileID}
}

// GenericPart returns a generic part of the provider's kind genericType.
func GenericPart(genericType string, fields map[string]json.RawMessage) Part {
	return Part{Type: PartTypeGeneric, GenericType: genericType, Fields: fields}
}

// errMissingServerToolCall is returned for a server tool call part without
// its required details, which have no meaningful default.
var errMissingServerToolCall = errors.New("semconv: server tool call part without ServerToolCall")

// MarshalJSON writes the part as the GenAI JSON schemas define it.
func (p Part) MarshalJSON() ([]byte, error) {
	w := objectWriter{}
	w.str("type", p.Type)
	switch p.Type {
	case PartTypeText, PartTypeReasoning:
		w.str("content", p.Content)
	case PartTypeToolCall:
		w.optStr("id", p.ID)
		w.str("name", p.Name)
		if p.Arguments != nil {
			w.raw("arguments", p.Arguments)
		}
	case PartTypeToolCallResponse:
		w.optStr("id", p.ID)
		w.rawOrNull("response", p.Response)
	case PartTypeServerToolCall, PartTypeServerToolCallResponse:
		if p.ServerToolCall == nil {
			return nil, errMissingServerToolCall
		}
		w.optStr("id", p.ID)
		if p.Type == PartTypeServerToolCall {
			w.str("name", p.Name)
		}
		w.raw(p.Type, p.ServerToolCall)
	case PartTypeBlob, PartTypeFile, PartTypeURI:
		w.optStr("mime_type", p.MIMEType)
		w.str("modality", p.Modality)
		switch p.Type {
		case PartTypeBlob:
			w.value("content", p.Data)
		case PartTypeFile:
			w.str("file_id", p.FileID)
		default:
			w.str("uri", p.URI)
		}
		w.optStr("transcript", p.Transcript)
	case PartTypeCompaction:
		w.optStr("id", p.ID)
		w.optStr("content", p.Content)
	default:
		w.optStr("generic_type", p.GenericType)
		keys := make([]string, 0, len(p.Fields))
		for k := range p.Fields {
			if k != "type" && k != "generic_type" {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			if k != "truncated" || !p.Truncated {
				w.rawOrNull(k, p.Fields[k])
			}
		}
	}
	if p.Truncated {
		w.value("truncated", true)
	}
	return w.close()
}

// InputMessage is one message of the chat history sent to the model.
type InputMessage struct {
	// Role is a Role constant or the provider's own role.
	Role string
	// Parts are the message's content, in order; nil writes [].
	Parts []Part
	// Name is the participant's name, when the API has one.
	Name string
}

// MarshalJSON writes the message as gen-ai-input-messages.json defines it.
func (m InputMessage) MarshalJSON() ([]byte, error) {
	return appendMessage(nil, m.Role, m.Parts, m.Name, "")
}

// OutputMessage is one choice or candidate the model returned.
type OutputMessage struct {
	// Role is usually RoleAssistant.
	Role string
	// Parts are the message's content, in order; nil writes [].
	Parts []Part
	// Name is the participant's name, when the API has one.
	Name string
	// FinishReason is why this choice ended, a FinishReason constant or
	// the provider's reason; empty leaves it out. The latest schema
	// deprecates it in favour of gen_ai.response.finish_reasons, which
	// stays the place every consumer reads; it is still accepted.
	FinishReason string
}

// MarshalJSON writes the message as gen-ai-output-messages.json defines it.
func (m OutputMessage) MarshalJSON() ([]byte, error) {
	return appendMessage(nil, m.Role, m.Parts, m.Name, m.FinishReason)
}

// appendMessage writes a message directly, rather than through
// encoding/json, which re-validates and re-compacts what each nested
// MarshalJSON returns: content is written on the goroutine that ended the
// call, and a long history would pay that once per level.
func appendMessage(dst []byte, role string, parts []Part, name, finishReason string) ([]byte, error) {
	dst = append(dst, `{"role":`...)
	dst = appendJSONString(dst, role)
	dst = append(dst, `,"parts":`...)
	dst, err := appendParts(dst, parts)
	if err != nil {
		return nil, err
	}
	if name != "" {
		dst = appendJSONString(append(dst, `,"name":`...), name)
	}
	if finishReason != "" {
		dst = appendJSONString(append(dst, `,"finish_reason":`...), finishReason)
	}
	return append(dst, '}'), nil
}

// appendParts writes parts as a JSON array; nil writes [].
func appendParts(dst []byte, parts []Part) ([]byte, error) {
	dst = append(dst, '[')
	for i, p := range parts {
		if i > 0 {
			dst = append(dst, ',')
		}
		b, err := p.MarshalJSON()
		if err != nil {
			return nil, err
		}
		dst = append(dst, b...)
	}
	return append(dst, ']'), nil
}

// ToolDefinition is one tool offered to the model.
type ToolDefinition struct {
	// Type is ToolTypeFunction for a function, else the provider's type
	// of tool (web_search, code_interpreter...).
	Type string `json:"type"`
	// Name of the tool.
	Name string `json:"name"`
	// Description of the tool; empty leaves it out.
	Description string `json:"description,omitempty"`
	// Parameters is the JSON Schema (draft-07) of the tool's arguments;
	// nil leaves it out. The conventions advise leaving description and
	// parameters out unless the user asks for them, for their size.
	Parameters json.RawMessage `json:"parameters,omitempty"`
	// Truncated marks a definition whose description was cut, or whose
	// parameters were left out, for a size limit ("truncated": true, an
	// additional property the schema allows).
	Truncated bool `json:"truncated,omitempty"`
}

// InputMessages is the value of gen_ai.input.messages.
type InputMessages []InputMessage

// OutputMessages is the value of gen_ai.output.messages.
type OutputMessages []OutputMessage

// SystemInstructions is the value of gen_ai.system_instructions: text
// parts, and generic parts for anything else.
type SystemInstructions []Part

// ToolDefinitions is the value of gen_ai.tool.definitions.
type ToolDefinitions []ToolDefinition

// MarshalJSON writes the messages; nil writes [].
func (m InputMessages) MarshalJSON() ([]byte, error) {
	dst := []byte{'['}
	for i, msg := range m {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendMessage(dst, msg.Role, msg.Parts, msg.Name, ""); err != nil {
			return nil, err
		}
	}
	return append(dst, ']'), nil
}

// MarshalJSON writes the messages; nil writes [].
func (m OutputMessages) MarshalJSON() ([]byte, error) {
	dst := []byte{'['}
	for i, msg := range m {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = appendMessage(dst, msg.Role, msg.Parts, msg.Name, msg.FinishReason); err != nil {
			return nil, err
		}
	}
	return append(dst, ']'), nil
}

// MarshalJSON writes the parts; nil writes [].
func (s SystemInstructions) MarshalJSON() ([]byte, error) { return appendParts(nil, s) }

// MarshalJSON writes the definitions; nil writes [].
func (d ToolDefinitions) MarshalJSON() ([]byte, error) {
	return MarshalContent(nonNil([]ToolDefinition(d)))
}

// JSONValue returns raw as a JSON value: raw itself when it is valid JSON
// (tool arguments usually arrive as the text of a JSON object), else raw as
// a JSON string, so that arguments a model produced broken are kept as they
// came. The result does not share raw's memory.
func JSONValue(raw []byte) json.RawMessage {
	if len(bytes.TrimSpace(raw)) > 0 && json.Valid(raw) {
		return bytes.Clone(raw)
	}
	b, _ := MarshalContent(string(raw)) // a string always marshals
	return b
}

// MarshalContent encodes captured content as JSON the way it is meant to be
// read: like json.Marshal, but without escaping <, > and & (which
// json.Marshal turns into \u003c and the like, for HTML pages; message text
// is full of them). Use it, not json.Marshal, for the span attributes.
func MarshalContent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// objectWriter writes a JSON object field by field, in the order given.
type objectWriter struct {
	buf     bytes.Buffer
	err     error
	scratch []byte
}

func (w *objectWriter) key(k string) {
	if w.buf.Len() == 0 {
		w.buf.WriteByte('{')
	} else {
		w.buf.WriteByte(',')
	}
	w.scratch = appendJSONString(w.scratch[:0], k)
	w.buf.Write(w.scratch)
	w.buf.WriteByte(':')
}

func (w *objectWriter) value1(v any) {
	if w.err != nil {
		return
	}
	b, err := MarshalContent(v)
	if err != nil {
		w.err = err
		return
	}
	w.buf.Write(b)
}

func (w *objectWriter) value(k string, v any) { w.key(k); w.value1(v) }

func (w *objectWriter) str(k, v string) {
	w.key(k)
	w.scratch = appendJSONString(w.scratch[:0], v)
	w.buf.Write(w.scratch)
}

func (w *objectWriter) optStr(k, v string) {
	if v != "" {
		w.str(k, v)
	}
}

func (w *objectWriter) raw(k string, v json.RawMessage) { w.value(k, v) }

func (w *objectWriter) rawOrNull(k string, v json.RawMessage) {
	if v == nil {
		v = json.RawMessage("null")
	}
	w.raw(k, v)
}

func (w *objectWriter) close() ([]byte, error) {
	if w.err != nil {
		return nil, w.err
	}
	if w.buf.Len() == 0 {
		w.buf.WriteByte('{')
	}
	w.buf.WriteByte('}')
	return w.buf.Bytes(), nil
}

// appendJSONString appends s as a JSON string, escaped exactly as
// MarshalContent escapes it (encoding/json without HTML escaping): quotes,
// backslashes and control characters escaped, invalid UTF-8 replaced by
// U+FFFD, U+2028 and U+2029 escaped; everything else as it is.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
