package cohere

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/dialect/command"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

var _ providers.ContentCapturer = (*call)(nil)

// CaptureContent makes a chat call capture message content: the request's
// messages, tools and documents, and the answer's text, thinking, tool plan
// and tool calls, each value cut to limit bytes. Images are recorded by
// their type and size, never their bytes.
func (c *call) CaptureContent(limit int) {
	c.capture, c.limit = true, max(limit, 0)
}

// maxIndex bounds the content and tool-call indexes of a stream that are
// read; Parts bounds what is kept.
const maxIndex = 1 << 16

// The Parts keys of a v2 stream's three index spaces: content blocks,
// tool calls, and the one tool plan.
func contentBlock(i int64) int { return int(2 * i) }
func toolBlock(i int64) int    { return int(2*i + 1) }

const toolPlanBlock = -2

// requestContent reads what a chat request says to the model: v2's
// messages, tools and documents, or v1's, which is Command R's format.
func requestContent(e endpoint, body []byte, limit int) *providers.RequestContent {
	if e == chatV1 {
		return command.RequestContent(body, limit)
	}
	var rc providers.RequestContent
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "messages":
			jsonscan.ArrayEach(v, func(m []byte, mk jsonscan.Kind) {
				if mk == jsonscan.KindObject {
					rc.Messages = append(rc.Messages, messageV2(m, limit))
				}
			})
		case "tools":
			jsonscan.ArrayEach(v, func(t []byte, _ jsonscan.Kind) {
				if def, ok := toolDefinition(t, limit); ok {
					rc.Tools = append(rc.Tools, def)
				}
			})
		case "documents":
			jsonscan.ArrayEach(v, func(doc []byte, dk jsonscan.Kind) {
				rc.System = append(rc.System, command.Document(doc, dk, limit))
			})
		}
	})
	return capture.Content(&rc)
}

// messageV2 reads one v2 message: {"role", "content": string or [{"type":
// "text"|"image_url"|"document"|"thinking", ...}], "tool_plan",
// "tool_calls": [...], "tool_call_id"}.
func messageV2(m []byte, limit int) providers.Message {
	var msg providers.Message
	var content, plan, calls, callID []byte
	var contentKind, planKind jsonscan.Kind
	jsonscan.ObjectEach(m, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "role":
			msg.Role, _ = jsonscan.StringValue(v, k)
		case "content":
			content, contentKind = v, k
		case "tool_plan":
			plan, planKind = v, k
		case "tool_calls":
			calls = v
		case "tool_call_id":
			callID = v
		}
	})
	if msg.Role == providers.RoleTool {
		p := toolResponse(content, contentKind, limit)
		p.ID, _ = jsonscan.Str(callID)
		msg.Parts = append(msg.Parts, p)
		return msg
	}
	if p := capture.TextPart(providers.PartReasoning, plan, limit); planKind == jsonscan.KindString && p.Content != "" {
		msg.Parts = append(msg.Parts, p)
	}
	switch contentKind {
	case jsonscan.KindString:
		msg.Parts = append(msg.Parts, capture.TextPart(providers.PartText, content, limit))
	case jsonscan.KindArray:
		jsonscan.ArrayEach(content, func(item []byte, _ jsonscan.Kind) {
			if p, ok := contentItem(item, limit); ok {
				msg.Parts = append(msg.Parts, p)
			}
		})
	}
	jsonscan.ArrayEach(calls, func(tc []byte, _ jsonscan.Kind) {
		msg.Parts = append(msg.Parts, capture.FunctionCall(tc, limit))
	})
	return msg
}

// contentItem reads one item of a v2 content array.
func contentItem(item []byte, limit int) (providers.Part, bool) {
	typ, _ := jsonscan.RawString(item, "type")
	switch string(typ) {
	case "text":
		v, k, _ := jsonscan.Get(item, "text")
		return capture.TextPart(providers.PartText, v, limit), k == jsonscan.KindString
	case "thinking":
		v, k, _ := jsonscan.Get(item, "thinking")
		return capture.TextPart(providers.PartReasoning, v, limit), k == jsonscan.KindString
	case "image_url":
		url, _, _ := jsonscan.Get(item, "image_url", "url")
		if mime, size, ok := capture.DataURL(url); ok {
			return capture.Blob("", mime, size), true
		}
		s, ok := jsonscan.Str(url)
		return providers.Part{Type: providers.PartURI, Modality: "image", URI: s}, ok
	case "document":
		doc, k, _ := jsonscan.Get(item, "document")
		return command.Document(doc, k, limit), true
	}
	return providers.Part{}, false
}

// toolResponse reads a v2 tool message's content: the text of a string or
// of one text item, else the items as a JSON array.
func toolResponse(content []byte, k jsonscan.Kind, limit int) providers.Part {
	p := providers.Part{Type: providers.PartToolCallResponse}
	if k == jsonscan.KindString {
		s, cut := capture.Text(content, limit)
		p.Response, p.Truncated = []byte(s), cut
		return p
	}
	var items [][]byte
	jsonscan.ArrayEach(content, func(item []byte, _ jsonscan.Kind) {
		items = append(items, item)
	})
	if len(items) == 1 {
		if typ, _ := jsonscan.RawString(items[0], "type"); string(typ) == "text" {
			v, _, _ := jsonscan.Get(items[0], "text")
			s, cut := capture.Text(v, limit)
			p.Response, p.Truncated = []byte(s), cut
			return p
		}
	}
	if k == jsonscan.KindArray {
		p.Response, p.Truncated = capture.Array(items, limit)
	}
	return p
}

// toolDefinition reads v2's {"type":"function","function":{"name",
// "description","parameters"}} or v1's {"name","description",
// "parameter_definitions"} (not a JSON schema: not kept as one).
func toolDefinition(t []byte, limit int) (providers.ToolDefinition, bool) {
	if _, _, ok := jsonscan.Get(t, "function"); ok {
		return capture.FunctionTool(t, limit)
	}
	return command.Tool(t, limit)
}

// documentContent reads a whole chat answer into the assembler: v2's message
// {"content", "tool_plan", "tool_calls"}, or v1's "text" and "tool_calls".
func (d *dialect) documentContent(body []byte) {
	limit := d.asm.Limit()
	if msg, k, ok := jsonscan.Get(body, "message"); ok && k == jsonscan.KindObject {
		for _, p := range messageV2(msg, limit).Parts {
			d.asm.SetPart(0, d.parts.New(p.Type), p)
		}
		return
	}
	if v, k, ok := jsonscan.Get(body, "text"); ok && k == jsonscan.KindString {
		d.asm.SetPart(0, d.parts.New(providers.PartText), capture.TextPart(providers.PartText, v, limit))
	}
	calls, _, _ := jsonscan.Get(body, "tool_calls")
	jsonscan.ArrayEach(calls, func(tc []byte, _ jsonscan.Kind) {
		d.asm.SetPart(0, d.parts.New(providers.PartToolCall), command.ToolCall(tc, limit))
	})
}

// eventContent reads the content of one stream event of type typ into the
// assembler.
func (d *dialect) eventContent(typ, data []byte) {
	limit := d.asm.Limit()
	switch string(typ) {
	case "content-start", "content-delta": // v2
		i, ok := streamIndex(data)
		if !ok {
			return
		}
		content, _, _ := jsonscan.Get(data, "delta", "message", "content")
		if v, k, ok := jsonscan.Get(content, "thinking"); ok && k == jsonscan.KindString {
			d.asm.AppendJSON(0, d.parts.Block(contentBlock(i), providers.PartReasoning), providers.PartReasoning, v)
		} else if v, k, ok := jsonscan.Get(content, "text"); ok && k == jsonscan.KindString {
			d.asm.AppendJSON(0, d.parts.Block(contentBlock(i), providers.PartText), providers.PartText, v)
		}
	case "tool-plan-delta": // v2
		if v, k, ok := jsonscan.Get(data, "delta", "message", "tool_plan"); ok && k == jsonscan.KindString {
			d.asm.AppendJSON(0, d.parts.Block(toolPlanBlock, providers.PartReasoning), providers.PartReasoning, v)
		}
	case "tool-call-start", "tool-call-delta": // v2
		i, ok := streamIndex(data)
		if !ok {
			return
		}
		tc, _, _ := jsonscan.Get(data, "delta", "message", "tool_calls")
		id, _ := jsonscan.String(tc, "id")
		name, _ := jsonscan.String(tc, "function", "name")
		part := d.parts.Block(toolBlock(i), providers.PartToolCall)
		d.asm.ToolCall(0, part, id, name, "")
		if v, k, ok := jsonscan.Get(tc, "function", "arguments"); ok && k == jsonscan.KindString {
			d.asm.AppendJSON(0, part, providers.PartToolCall, v)
		}
	case "text-generation": // v1
		if v, k, ok := jsonscan.Get(data, "text"); ok && k == jsonscan.KindString {
			d.asm.AppendJSON(0, d.parts.Continue(-1, providers.PartText), providers.PartText, v)
		}
	case "tool-calls-generation": // v1: the calls, whole
		calls, _, _ := jsonscan.Get(data, "tool_calls")
		jsonscan.ArrayEach(calls, func(tc []byte, _ jsonscan.Kind) {
			d.asm.SetPart(0, d.parts.New(providers.PartToolCall), command.ToolCall(tc, limit))
		})
	}
}

// streamIndex returns the "index" of a v2 stream event, within bounds.
func streamIndex(data []byte) (int64, bool) {
	i, ok := jsonscan.Int(data, "index")
	return i, ok && i >= 0 && i < maxIndex
}

// finishOutput sets the answer's message from what the assembler holds,
// with the finish reason: the answer so far when a stream broke off or
// ended in an error, none for an error body.
func (d *dialect) finishOutput(r *providers.Result) {
	if !d.answered {
		return
	}
	d.asm.SetFinishReason(0, r.FinishReason(0))
	r.Output = d.asm.Messages()
}
