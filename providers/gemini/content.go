package gemini

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

var _ providers.ContentCapturer = (*call)(nil)

// CaptureContent makes a generateContent or streamGenerateContent call
// capture message content: the request's contents, system instruction and
// tools, and each candidate's parts, each value cut to limit bytes.
// Inline data is recorded by its type and size, never its bytes.
func (c *call) CaptureContent(limit int) {
	c.capture, c.limit = true, max(limit, 0)
}

// captures reports whether the call's content is captured: only
// generation has any.
func (c *call) captures() bool {
	return c.capture && (c.method == methodGenerate || c.method == methodStreamGenerate)
}

// get returns the member of obj named in Google's JSON mapping, which
// accepts both lowerCamelCase and snake_case names.
func get(obj []byte, camel, snake string) ([]byte, jsonscan.Kind, bool) {
	if v, k, ok := jsonscan.Get(obj, camel); ok {
		return v, k, true
	}
	return jsonscan.Get(obj, snake)
}

// requestContent reads what a generateContent request says to the model:
// contents, systemInstruction and tools.
func requestContent(body []byte, limit int) *providers.RequestContent {
	var rc providers.RequestContent
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "contents":
			jsonscan.ArrayEach(v, func(c []byte, ck jsonscan.Kind) {
				if ck == jsonscan.KindObject {
					rc.Messages = append(rc.Messages, inputMessage(c, limit))
				}
			})
		case "systemInstruction", "system_instruction":
			if k == jsonscan.KindString { // accepted by some clients
				rc.System = append(rc.System, capture.TextPart(providers.PartText, v, limit))
				return
			}
			parts, _, _ := jsonscan.Get(v, "parts")
			jsonscan.ArrayEach(parts, func(p []byte, _ jsonscan.Kind) {
				part, ok := readPart(p, limit)
				if !ok {
					return
				}
				if part.Type != providers.PartText {
					// System instructions are text; anything else is
					// named, not kept.
					part = providers.Part{Type: providers.PartGeneric, GenericType: part.Type}
				}
				rc.System = append(rc.System, part)
			})
		case "tools":
			jsonscan.ArrayEach(v, func(t []byte, _ jsonscan.Kind) {
				rc.Tools = appendTools(rc.Tools, t, limit)
			})
		}
	})
	return capture.Content(&rc)
}

// role maps Gemini's roles to the conventions': model is the assistant,
// the old function role a tool's; a content without a role is the user's.
func role(r string) string {
	switch r {
	case "model":
		return providers.RoleAssistant
	case "function":
		return providers.RoleTool
	case "":
		return providers.RoleUser
	}
	return r
}

// inputMessage reads one Content: {"role", "parts": [...]}.
func inputMessage(c []byte, limit int) providers.Message {
	r, _ := jsonscan.String(c, "role")
	msg := providers.Message{Role: role(r)}
	parts, _, _ := jsonscan.Get(c, "parts")
	jsonscan.ArrayEach(parts, func(p []byte, _ jsonscan.Kind) {
		if part, ok := readPart(p, limit); ok {
			msg.Parts = append(msg.Parts, part)
		}
	})
	return msg
}

// readPart reads one Part: text (a thought, when "thought" is true, is
// reasoning), inlineData (a blob, by its size), fileData (a uri),
// functionCall, functionResponse, executableCode and codeExecutionResult
// (the code execution tool, run by Google: GenericType names the part as
// Gemini does). ok is false for parts that say
// nothing to keep (a thought signature alone, video metadata).
func readPart(p []byte, limit int) (providers.Part, bool) {
	var part providers.Part
	thought, found := false, false
	jsonscan.ObjectEach(p, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "text":
			part, found = capture.TextPart(providers.PartText, v, limit), k == jsonscan.KindString
		case "thought":
			thought = k == jsonscan.KindBool && v[0] == 't'
		case "inlineData", "inline_data":
			mime, _, _ := get(v, "mimeType", "mime_type")
			m, _ := jsonscan.Str(mime)
			data, _, _ := jsonscan.Get(v, "data")
			part, found = capture.Blob("", m, capture.Base64Size(data)), true
		case "fileData", "file_data":
			mime, _, _ := get(v, "mimeType", "mime_type")
			uri, _, _ := get(v, "fileUri", "file_uri")
			m, _ := jsonscan.Str(mime)
			u, _ := jsonscan.Str(uri)
			part, found = providers.Part{Type: providers.PartURI, Modality: capture.Modality(m), MIMEType: m, URI: u}, true
		case "functionCall", "function_call":
			part = providers.Part{Type: providers.PartToolCall}
			part.ID, _ = jsonscan.String(v, "id")
			part.Name, _ = jsonscan.String(v, "name")
			if args, _, ok := jsonscan.Get(v, "args"); ok {
				part.Arguments, part.Truncated = capture.Value(args, limit)
			}
			found = true
		case "functionResponse", "function_response":
			part = providers.Part{Type: providers.PartToolCallResponse}
			part.ID, _ = jsonscan.String(v, "id")
			part.Name, _ = jsonscan.String(v, "name")
			if resp, _, ok := jsonscan.Get(v, "response"); ok {
				part.Response, part.Truncated = capture.Value(resp, limit)
			}
			found = true
		case "executableCode", "executable_code":
			part = providers.Part{Type: providers.PartServerToolCall, Name: "code_execution", GenericType: "executableCode"}
			part.Arguments, part.Truncated = capture.JSON(v, limit)
			found = true
		case "codeExecutionResult", "code_execution_result":
			part = providers.Part{Type: providers.PartServerToolCallResponse, Name: "code_execution", GenericType: "codeExecutionResult"}
			part.Response, part.Truncated = capture.JSON(v, limit)
			found = true
		}
	})
	if thought && part.Type == providers.PartText {
		part.Type = providers.PartReasoning
	}
	return part, found
}

// appendTools appends the tools of one Tool object: each of its
// functionDeclarations, and each built-in tool it enables (googleSearch,
// codeExecution, urlContext, ...), named by its member.
func appendTools(defs []providers.ToolDefinition, t []byte, limit int) []providers.ToolDefinition {
	jsonscan.ObjectEach(t, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "functionDeclarations", "function_declarations":
			jsonscan.ArrayEach(v, func(fn []byte, _ jsonscan.Kind) {
				def := providers.ToolDefinition{Type: "function"}
				def.Name, _ = jsonscan.String(fn, "name")
				if d, _, ok := jsonscan.Get(fn, "description"); ok {
					capture.Describe(&def, d, limit)
				}
				if s, _, ok := get(fn, "parametersJsonSchema", "parameters_json_schema"); ok {
					capture.Parameters(&def, s, limit)
				} else if s, _, ok := jsonscan.Get(fn, "parameters"); ok {
					capture.Parameters(&def, s, limit)
				}
				if def.Name != "" {
					defs = append(defs, def)
				}
			})
		default:
			if k == jsonscan.KindObject {
				name := string(key)
				defs = append(defs, providers.ToolDefinition{Type: name, Name: name})
			}
		}
	})
	return defs
}

// answer reads the candidates of the GenerateContentResponse read just
// now (a whole body, an element of one, or a stream chunk) into the
// assembler, one message a candidate. A whole body's parts are kept as they are; a stream's text
// and thought deltas run on into one part until a part of another kind.
func (d *dialect) answer(streamed bool) {
	cands := d.cands
	if cands == nil {
		return
	}
	limit := d.asm.Limit()
	pos := 0
	jsonscan.ArrayEach(cands, func(cand []byte, _ jsonscan.Kind) {
		idx := pos
		pos++
		if n, ok := jsonscan.Int(cand, "index"); ok {
			idx = int(min(max(n, -1), maxCandidates))
		}
		if idx < 0 || idx >= maxCandidates {
			return
		}
		for len(d.parts) <= idx {
			d.parts = append(d.parts, capture.Parts{})
		}
		d.answered = true
		numbers := &d.parts[idx]
		parts, _, _ := jsonscan.Get(cand, "content", "parts")
		jsonscan.ArrayEach(parts, func(p []byte, _ jsonscan.Kind) {
			if !streamed {
				if part, ok := readPart(p, limit); ok {
					d.asm.SetPart(idx, numbers.New(part.Type), part)
				}
				return
			}
			var text []byte
			thought, other := false, false
			jsonscan.ObjectEach(p, func(key, v []byte, k jsonscan.Kind) {
				switch string(key) {
				case "text":
					if k == jsonscan.KindString {
						text = v
					}
				case "thought":
					thought = k == jsonscan.KindBool && v[0] == 't'
				case "thoughtSignature", "thought_signature":
				default:
					other = true
				}
			})
			switch {
			case text != nil && thought:
				d.asm.AppendJSON(idx, numbers.Continue(-1, providers.PartReasoning), providers.PartReasoning, text)
				return
			case text != nil:
				d.asm.AppendJSON(idx, numbers.Continue(-1, providers.PartText), providers.PartText, text)
				return
			case !other:
				return // a thought signature alone
			}
			if part, ok := readPart(p, limit); ok {
				d.asm.SetPart(idx, numbers.New(part.Type), part)
			}
		})
	})
}

// finishOutput sets each candidate's message, with its finish reason.
func (d *dialect) finishOutput(r *providers.Result) {
	if !d.answered {
		return
	}
	for i := range d.parts {
		d.asm.SetFinishReason(i, r.FinishReason(i))
	}
	r.Output = d.asm.Messages()
}
