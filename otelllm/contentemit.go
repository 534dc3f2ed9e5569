package otelllm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/log"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// contentJSON is the record's content as the conventions' JSON: each
// attribute's value, nil when there is none.
type contentJSON struct {
	system, input, output, tools []byte
	truncated                    bool
}

// marshalContent writes the record's content in the conventions' schemas.
func marshalContent(rc *recordContent) contentJSON {
	out := contentJSON{truncated: rc.truncated}
	if len(rc.SystemInstructions) > 0 {
		out.system = marshalValue(semconv.SystemInstructions(convParts(rc.SystemInstructions)))
	}
	if len(rc.InputMessages) > 0 {
		in := make(semconv.InputMessages, len(rc.InputMessages))
		for i, m := range rc.InputMessages {
			in[i] = semconv.InputMessage{Role: m.Role, Name: m.Name, Parts: convParts(m.Parts)}
		}
		out.input = marshalValue(in)
	}
	if len(rc.OutputMessages) > 0 {
		msgs := make(semconv.OutputMessages, len(rc.OutputMessages))
		for i, m := range rc.OutputMessages {
			msgs[i] = semconv.OutputMessage{Role: m.Role, Name: m.Name, Parts: convParts(m.Parts), FinishReason: m.FinishReason}
		}
		out.output = marshalValue(msgs)
	}
	if len(rc.ToolDefinitions) > 0 {
		defs := make(semconv.ToolDefinitions, len(rc.ToolDefinitions))
		for i, d := range rc.ToolDefinitions {
			def := semconv.ToolDefinition{Type: d.Type, Name: d.Name, Description: d.Description, Truncated: d.Truncated}
			if d.Type == "" {
				def.Type = semconv.ToolTypeFunction
			}
			if len(d.Parameters) > 0 && json.Valid(d.Parameters) {
				def.Parameters = bytes.Clone(d.Parameters)
			}
			defs[i] = def
		}
		out.tools = marshalValue(defs)
	}
	return out
}

// marshalValue writes one content value. The semconv types write
// themselves compact and valid: their MarshalJSON is called directly,
// sparing encoding/json's second pass over the result.
func marshalValue(v json.Marshaler) []byte {
	b, err := v.MarshalJSON()
	if err != nil {
		handle(fmt.Errorf("otelllm: content not recorded: %w", err))
		return nil
	}
	return b
}

// convParts turns the providers' parts into the conventions' parts. Binary
// data is never recorded: a blob is a generic part of kind "blob" saying
// its modality, type and size, since the schemas' blob part requires the
// bytes themselves.
func convParts(parts []providers.Part) []semconv.Part {
	out := make([]semconv.Part, 0, len(parts))
	for _, p := range parts {
		var q semconv.Part
		switch p.Type {
		case providers.PartText, providers.PartReasoning:
			q = semconv.Part{Type: p.Type, Content: p.Content}
		case providers.PartToolCall:
			q = semconv.ToolCallPart(p.ID, p.Name, nil)
			if p.Arguments != nil {
				q.Arguments = semconv.JSONValue(p.Arguments)
			}
		case providers.PartToolCallResponse:
			q = semconv.ToolCallResponsePart(p.ID, nil)
			if p.Response != nil {
				q.Response = semconv.JSONValue(p.Response)
			}
		case providers.PartServerToolCall, providers.PartServerToolCallResponse:
			q = semconv.Part{Type: p.Type, ID: p.ID, Name: p.Name, ServerToolCall: serverToolCall(p)}
			if q.Name == "" && p.Type == providers.PartServerToolCall {
				q.Name = p.GenericType
			}
		case providers.PartBlob:
			fields := map[string]json.RawMessage{"modality": jsonString(p.Modality)}
			if p.MIMEType != "" {
				fields["mime_type"] = jsonString(p.MIMEType)
			}
			if p.Size > 0 {
				fields["byte_size"] = json.RawMessage(strconv.FormatInt(p.Size, 10))
			}
			q = semconv.GenericPart("blob", fields)
		case providers.PartFile:
			q = semconv.FilePart(p.Modality, p.MIMEType, p.FileID)
		case providers.PartURI:
			q = semconv.URIPart(p.Modality, p.MIMEType, p.URI)
		case providers.PartCompaction:
			q = semconv.Part{Type: semconv.PartTypeCompaction, ID: p.ID, Content: p.Content}
		default:
			kind := p.GenericType
			if kind == "" && p.Type != providers.PartGeneric {
				kind = p.Type
			}
			var fields map[string]json.RawMessage
			if p.Content != "" {
				fields = map[string]json.RawMessage{"content": jsonString(p.Content)}
			}
			q = semconv.GenericPart(kind, fields)
		}
		q.Truncated = p.Truncated
		out = append(out, q)
	}
	return out
}

// serverToolCall is the details object of a server tool call or its
// response: its type, with the call's input or the response's result.
func serverToolCall(p providers.Part) json.RawMessage {
	typ := p.GenericType
	if typ == "" {
		typ = p.Name
	}
	b := append([]byte(`{"type":`), jsonString(typ)...)
	if p.Arguments != nil {
		b = append(append(b, `,"arguments":`...), semconv.JSONValue(p.Arguments)...)
	}
	if p.Response != nil {
		b = append(append(b, `,"response":`...), semconv.JSONValue(p.Response)...)
	}
	return append(b, '}')
}

func jsonString(s string) json.RawMessage {
	b, _ := semconv.MarshalContent(s) // a string always marshals
	return b
}

// emitContent writes the record's content: as JSON string attributes of
// the span when the mode says span, and in the details event, with the
// span's other attributes, when it says event.
func (t *telemetry) emitContent(c *callState, rec *record) {
	mode := t.cfg.content
	onSpan := mode.onSpan() && c.span.IsRecording()
	inEvent := mode.inEvent() && t.logger != nil &&
		t.logger.Enabled(c.ctx, log.EnabledParameters{Severity: log.SeverityDebug, EventName: semconv.InferenceDetailsEventName})
	var cj contentJSON
	if rec.content != nil && (onSpan || inEvent) {
		cj = marshalContent(rec.content)
	}
	if onSpan && rec.content != nil {
		c.span.SetAttributes(cj.attributes(func(b []byte) attribute.Value { return attribute.StringValue(string(b)) })...)
	}
	if inEvent {
		t.emitEvent(c, rec, cj)
	}
}

// attributes are the content attributes, each value made by value.
func (cj contentJSON) attributes(value func([]byte) attribute.Value) []attribute.KeyValue {
	attrs := make([]attribute.KeyValue, 0, 5)
	add := func(k attribute.Key, b []byte) {
		if b != nil {
			attrs = append(attrs, attribute.KeyValue{Key: k, Value: value(b)})
		}
	}
	add(semconv.GenAISystemInstructionsKey, cj.system)
	add(semconv.GenAIInputMessagesKey, cj.input)
	add(semconv.GenAIOutputMessagesKey, cj.output)
	add(semconv.GenAIToolDefinitionsKey, cj.tools)
	if cj.truncated {
		attrs = append(attrs, semconv.ContentTruncatedKey.Bool(true))
	}
	return attrs
}

// emitEvent emits the gen_ai.client.inference.operation.details event of
// the call: a log record, at DEBUG, without a body, whose attributes are
// the span's, the content structured. It is emitted in the span's
// context, so that it carries the trace and span ids.
func (t *telemetry) emitEvent(c *callState, rec *record, cj contentJSON) {
	var r log.Record
	r.SetEventName(semconv.InferenceDetailsEventName)
	r.SetTimestamp(rec.end)
	r.SetSeverity(log.SeverityDebug)
	r.SetSeverityText("DEBUG")
	r.AddAttributes(requestAttributes(rec.request, rec.server, rec.port, t.stability)...)
	r.AddAttributes(responseAttributes(rec, t.stability)...)
	if rec.ErrorType != "" {
		r.AddAttributes(semconv.ErrorTypeKey.String(rec.ErrorType))
	}
	r.AddAttributes(cj.attributes(structured)...)
	t.logger.Emit(c.ctx, r)
}

// structured turns a JSON document into the attribute value of the same
// structure (maps, slices, strings, numbers, booleans): the event records
// content structured, as the conventions require of events.
func structured(doc []byte) attribute.Value {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return attribute.StringValue(string(doc))
	}
	return attributeValue(v)
}

// attributeValue is the attribute value of a decoded JSON value; maps'
// keys are sorted by attribute.MapValue.
func attributeValue(v any) attribute.Value {
	switch v := v.(type) {
	case map[string]any:
		kvs := make([]attribute.KeyValue, 0, len(v))
		for k, e := range v {
			kvs = append(kvs, attribute.KeyValue{Key: attribute.Key(k), Value: attributeValue(e)})
		}
		return attribute.MapValue(kvs...)
	case []any:
		elems := make([]attribute.Value, len(v))
		for i, e := range v {
			elems[i] = attributeValue(e)
		}
		return attribute.SliceValue(elems...)
	case string:
		return attribute.StringValue(v)
	case json.Number:
		if n, err := v.Int64(); err == nil {
			return attribute.Int64Value(n)
		}
		f, _ := v.Float64()
		return attribute.Float64Value(f)
	case bool:
		return attribute.BoolValue(v)
	}
	return attribute.Value{} // null
}
