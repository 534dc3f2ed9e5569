package ollama

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

var _ providers.ContentCapturer = (*call)(nil)

// CaptureContent makes the call capture message content: the request's
// messages, system prompt and tools, and the answer's text, thinking and
// tool calls, each value cut to limit bytes. Images are recorded by their
// size (and the type their first bytes show), never their bytes.
func (c *call) CaptureContent(limit int) {
	c.capture, c.limit = true, max(limit, 0)
}

// requestContent reads what a chat or generate request says to the model.
func requestContent(e endpoint, body []byte, limit int) *providers.RequestContent {
	var rc providers.RequestContent
	var prompt, images []byte
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "messages": // chat
			jsonscan.ArrayEach(v, func(m []byte, mk jsonscan.Kind) {
				if mk == jsonscan.KindObject {
					rc.Messages = append(rc.Messages, message(m, limit))
				}
			})
		case "tools":
			jsonscan.ArrayEach(v, func(t []byte, _ jsonscan.Kind) {
				if def, ok := capture.FunctionTool(t, limit); ok {
					rc.Tools = append(rc.Tools, def)
				}
			})
		case "system": // generate
			if p := capture.TextPart(providers.PartText, v, limit); k == jsonscan.KindString && p.Content != "" {
				rc.System = append(rc.System, p)
			}
		case "prompt": // generate
			if e == endpointGenerate && k == jsonscan.KindString {
				prompt = v
			}
		case "images": // generate
			if e == endpointGenerate && k == jsonscan.KindArray {
				images = v
			}
		}
	})
	if prompt != nil || images != nil {
		m := providers.Message{Role: providers.RoleUser}
		if prompt != nil {
			m.Parts = append(m.Parts, capture.TextPart(providers.PartText, prompt, limit))
		}
		m.Parts = appendImages(m.Parts, images)
		rc.Messages = append(rc.Messages, m)
	}
	return capture.Content(&rc)
}

// message reads one chat message: {"role", "content", "thinking",
// "images": [base64...], "tool_calls": [...]}, or a tool's answer
// {"role":"tool", "content", "tool_name"}.
func message(m []byte, limit int) providers.Message {
	var msg providers.Message
	var content, thinking, images, calls, toolName, toolCallID []byte
	var contentKind, thinkingKind jsonscan.Kind
	jsonscan.ObjectEach(m, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "role":
			msg.Role, _ = jsonscan.StringValue(v, k)
		case "content":
			content, contentKind = v, k
		case "thinking":
			thinking, thinkingKind = v, k
		case "images":
			images = v
		case "tool_calls":
			calls = v
		case "tool_name":
			toolName = v
		case "tool_call_id":
			toolCallID = v
		}
	})
	if msg.Role == providers.RoleTool {
		resp, cut := capture.Value(content, limit)
		p := providers.Part{Type: providers.PartToolCallResponse, Response: resp, Truncated: cut}
		p.Name, _ = jsonscan.Str(toolName)
		p.ID, _ = jsonscan.Str(toolCallID)
		msg.Parts = append(msg.Parts, p)
		return msg
	}
	if p := capture.TextPart(providers.PartReasoning, thinking, limit); thinkingKind == jsonscan.KindString && p.Content != "" {
		msg.Parts = append(msg.Parts, p)
	}
	if p := capture.TextPart(providers.PartText, content, limit); contentKind == jsonscan.KindString && (p.Content != "" || images == nil && calls == nil) {
		msg.Parts = append(msg.Parts, p)
	}
	msg.Parts = appendImages(msg.Parts, images)
	jsonscan.ArrayEach(calls, func(tc []byte, _ jsonscan.Kind) {
		msg.Parts = append(msg.Parts, capture.FunctionCall(tc, limit))
	})
	return msg
}

// appendImages appends a blob part for each base64 image of the array
// images.
func appendImages(parts []providers.Part, images []byte) []providers.Part {
	jsonscan.ArrayEach(images, func(img []byte, k jsonscan.Kind) {
		if k == jsonscan.KindString {
			parts = append(parts, capture.Blob("image", capture.SniffImage(img), capture.Base64Size(img)))
		}
	})
	return parts
}

// answer reads the answer in one response object (a whole body or a stream
// line) into the assembler: a chat line's message {"content", "thinking",
// "tool_calls"}, a generate line's "response" and "thinking". Text and
// thinking run on from line to line; each tool call is a part of its own.
func (d *dialect) answer(data []byte) {
	var content, thinking, calls []byte
	jsonscan.ObjectEach(data, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "message":
			if k != jsonscan.KindObject {
				return
			}
			jsonscan.ObjectEach(v, func(key, v []byte, k jsonscan.Kind) {
				switch string(key) {
				case "content":
					if k == jsonscan.KindString {
						content = v
					}
				case "thinking":
					if k == jsonscan.KindString {
						thinking = v
					}
				case "tool_calls":
					calls = v
				}
			})
		case "response":
			if k == jsonscan.KindString {
				content = v
			}
		case "thinking":
			if k == jsonscan.KindString {
				thinking = v
			}
		}
	})
	limit := d.asm.Limit()
	if len(thinking) > 2 {
		d.asm.AppendJSON(0, d.parts.Continue(-1, providers.PartReasoning), providers.PartReasoning, thinking)
	}
	if len(content) > 2 {
		d.asm.AppendJSON(0, d.parts.Continue(-1, providers.PartText), providers.PartText, content)
	}
	jsonscan.ArrayEach(calls, func(tc []byte, k jsonscan.Kind) {
		if k == jsonscan.KindObject {
			d.asm.SetPart(0, d.parts.New(providers.PartToolCall), capture.FunctionCall(tc, limit))
		}
	})
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
