package openai

import (
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Content capture, when the application opted in (CaptureContent): the
// request's messages, instructions and tools, and the answer, full or
// reassembled from a stream's deltas. With capture off none of this runs.
// Every text, arguments or response value is cut to the limit (and marked
// Truncated); images, audio and inline files are kept by type and size
// only.

var _ providers.ContentCapturer = (*call)(nil)

// CaptureContent makes the call capture the content of its request and
// response.
func (c *call) CaptureContent(limit int) { c.capture = max(limit, 1) }

// requestContent reads what the request body says to the model.
func (c *call) requestContent(body []byte) *providers.RequestContent {
	switch c.api {
	case apiResponses:
		return responsesRequestContent(body, c.capture)
	case apiCompletions:
		return promptContent(body, "prompt", c.capture)
	case apiEmbeddings:
		return promptContent(body, "input", c.capture)
	}
	return chatRequestContent(body, c.capture)
}

// chatRequestContent reads a Chat Completions request: the messages, with
// their roles as sent (a system or developer message is part of the
// history, so it stays among the input messages), and the tools (and the
// legacy functions) offered.
func chatRequestContent(body []byte, limit int) *providers.RequestContent {
	var rc providers.RequestContent
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "messages":
			jsonscan.ArrayEach(v, func(m []byte, mk jsonscan.Kind) {
				if mk == jsonscan.KindObject {
					rc.Messages = append(rc.Messages, chatMessage(m, limit))
				}
			})
		case "tools", "functions":
			jsonscan.ArrayEach(v, func(t []byte, tk jsonscan.Kind) {
				if tk == jsonscan.KindObject {
					rc.Tools = append(rc.Tools, chatTool(t, limit))
				}
			})
		}
	})
	return &rc
}

// chatMessage reads one message of the history. An assistant's parts are
// in the order the model produces them: reasoning, text, tool calls. A
// tool's (or legacy function's) message holds the response to the call it
// names.
func chatMessage(m []byte, limit int) providers.Message {
	var msg providers.Message
	var reasoning, content, toolCalls, functionCall, callID []byte
	var contentKind jsonscan.Kind
	jsonscan.ObjectEach(m, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "role":
			msg.Role = capture.Str(v)
		case "name":
			msg.Name = capture.Str(v)
		case "content":
			content, contentKind = v, k
		case "reasoning_content", "reasoning":
			if k == jsonscan.KindString {
				reasoning = v
			}
		case "tool_calls":
			toolCalls = v
		case "function_call":
			functionCall = v
		case "tool_call_id":
			callID = v
		}
	})
	if msg.Role == providers.RoleTool || msg.Role == "function" {
		p := providers.Part{Type: providers.PartToolCallResponse}
		if callID != nil {
			p.ID = capture.Str(callID)
		} else if msg.Role == "function" {
			p.ID = msg.Name // the legacy function role names the function
		}
		p.Response, p.Truncated = toolResponse(content, contentKind, limit)
		msg.Parts = append(msg.Parts, p)
		return msg
	}
	if reasoning != nil {
		msg.Parts = append(msg.Parts, capture.TextPart(providers.PartReasoning, reasoning, limit))
	}
	msg.Parts = appendContent(msg.Parts, content, contentKind, limit)
	jsonscan.ArrayEach(toolCalls, func(tc []byte, tk jsonscan.Kind) {
		if tk == jsonscan.KindObject {
			msg.Parts = append(msg.Parts, toolCallPart(tc, limit))
		}
	})
	if functionCall != nil {
		msg.Parts = append(msg.Parts, functionCallPart(functionCall, "", limit))
	}
	return msg
}

// toolResponse is a tool message's content: its text, or the text parts
// of a content array, joined by newlines.
func toolResponse(content []byte, k jsonscan.Kind, limit int) ([]byte, bool) {
	switch k {
	case jsonscan.KindString:
		return capture.Value(content, limit)
	case jsonscan.KindArray:
		text, n := []byte{}, 0
		jsonscan.ArrayEach(content, func(part []byte, _ jsonscan.Kind) {
			if v, vk, ok := jsonscan.Get(part, "text"); ok && vk == jsonscan.KindString {
				if n++; n > 1 {
					text = append(text, '\n')
				}
				text, _ = jsonscan.AppendUnquoted(text, v)
			}
		})
		if len(text) > limit {
			return []byte(providers.Cut(string(text), limit)), true
		}
		return text, false
	}
	return nil, false
}

// appendContent appends the parts of a message's content, of kind k: the
// text of a string, or each part of an array of content parts.
func appendContent(parts []providers.Part, content []byte, k jsonscan.Kind, limit int) []providers.Part {
	switch k {
	case jsonscan.KindString:
		parts = append(parts, capture.TextPart(providers.PartText, content, limit))
	case jsonscan.KindArray:
		jsonscan.ArrayEach(content, func(part []byte, pk jsonscan.Kind) {
			if pk == jsonscan.KindObject {
				parts = append(parts, contentPart(part, limit))
			}
		})
	}
	return parts
}

// contentPart reads one part of a content array, of the Chat Completions
// (text, image_url, input_audio, file, refusal) or the Responses API
// (input_text, output_text, input_image, input_file, input_audio).
func contentPart(part []byte, limit int) providers.Part {
	typ, _ := jsonscan.String(part, "type")
	switch typ {
	case "text", "input_text", "output_text":
		v, _, _ := jsonscan.Get(part, "text")
		return capture.TextPart(providers.PartText, v, limit)
	case "refusal":
		v, _, _ := jsonscan.Get(part, "refusal")
		return capture.TextPart(providers.PartText, v, limit)
	case "image_url":
		url, _ := jsonscan.RawString(part, "image_url", "url")
		return mediaURL(url, "image", limit)
	case "input_image":
		if url, ok := jsonscan.RawString(part, "image_url"); ok {
			return mediaURL(url, "image", limit)
		}
		if id, ok := jsonscan.String(part, "file_id"); ok {
			return providers.Part{Type: providers.PartFile, Modality: "image", FileID: id}
		}
	case "input_audio":
		audio := part
		if inner, k, ok := jsonscan.Get(part, "input_audio"); ok && k == jsonscan.KindObject {
			audio = inner
		}
		data, _ := jsonscan.RawString(audio, "data")
		p := providers.Part{Type: providers.PartBlob, Modality: "audio", Size: capture.Base64Size(data)}
		if format, _ := jsonscan.String(audio, "format"); format != "" {
			p.MIMEType = "audio/" + format
		}
		return p
	case "file", "input_file":
		file := part
		if inner, k, ok := jsonscan.Get(part, "file"); ok && k == jsonscan.KindObject {
			file = inner
		}
		if id, ok := jsonscan.String(file, "file_id"); ok && id != "" {
			return providers.Part{Type: providers.PartFile, Modality: "document", FileID: id}
		}
		if data, ok := jsonscan.RawString(file, "file_data"); ok {
			if mime, size, ok := capture.DataURL(data); ok {
				return providers.Part{Type: providers.PartBlob, Modality: "document", MIMEType: mime, Size: size}
			}
			return providers.Part{Type: providers.PartBlob, Modality: "document", Size: capture.Base64Size(data)}
		}
		if url, ok := jsonscan.RawString(file, "file_url"); ok {
			return mediaURL(url, "document", limit)
		}
	}
	return providers.Part{Type: providers.PartGeneric, GenericType: typ}
}

// mediaURL is the part of a URL (the raw content of a JSON string): a data:
// URL is inline data, a blob of its size; any other URL a uri part.
func mediaURL(url []byte, modality string, limit int) providers.Part {
	if mime, size, ok := capture.DataURL(url); ok {
		if m := capture.Modality(mime); m != "" {
			modality = m
		}
		return providers.Part{Type: providers.PartBlob, Modality: modality, MIMEType: mime, Size: size}
	}
	quoted := make([]byte, 0, len(url)+2)
	quoted = append(append(append(quoted, '"'), url...), '"')
	uri, cut := capture.Text(quoted, limit)
	return providers.Part{Type: providers.PartURI, Modality: modality, URI: uri, Truncated: cut}
}

// toolCallPart reads one entry of tool_calls: a function call, or a
// custom tool's call with its text input.
func toolCallPart(tc []byte, limit int) providers.Part {
	id, _ := jsonscan.String(tc, "id")
	if fn, k, ok := jsonscan.Get(tc, "function"); ok && k == jsonscan.KindObject {
		return functionCallPart(fn, id, limit)
	}
	p := providers.Part{Type: providers.PartToolCall, ID: id}
	if custom, k, ok := jsonscan.Get(tc, "custom"); ok && k == jsonscan.KindObject {
		p.Name, _ = jsonscan.String(custom, "name")
		if in, _, ok := jsonscan.Get(custom, "input"); ok {
			p.Arguments, p.Truncated = capture.Value(in, limit)
		}
	}
	return p
}

// functionCallPart reads a {"name":..., "arguments":...} function call.
func functionCallPart(fn []byte, id string, limit int) providers.Part {
	p := providers.Part{Type: providers.PartToolCall, ID: id}
	p.Name, _ = jsonscan.String(fn, "name")
	if args, k, ok := jsonscan.Get(fn, "arguments"); ok && k != jsonscan.KindNull {
		p.Arguments, p.Truncated = capture.Value(args, limit)
	}
	return p
}

// chatTool reads one tool definition: {"type":"function","function":{...}},
// {"type":"custom","custom":{...}}, a legacy function {name, description,
// parameters}, or a Responses API tool, whose fields are at its top level.
func chatTool(t []byte, limit int) providers.ToolDefinition {
	d := providers.ToolDefinition{Type: "function"}
	def := t
	if typ, ok := jsonscan.String(t, "type"); ok && typ != "" {
		d.Type = typ
		if inner, k, ok := jsonscan.Get(t, typ); ok && k == jsonscan.KindObject {
			def = inner
		}
	}
	jsonscan.ObjectEach(def, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "name":
			d.Name = capture.Str(v)
		case "description":
			capture.Describe(&d, v, limit)
		case "parameters":
			capture.Parameters(&d, v, limit)
		case "server_label":
			if d.Name == "" {
				d.Name = capture.Str(v)
			}
		}
	})
	if d.Name == "" {
		d.Name = d.Type // web_search_preview, file_search...: the type names the tool
	}
	return d
}

// promptContent reads the prompt of a legacy completions request, or the
// input of an embeddings request: a string, strings, or token arrays. Each
// becomes a user message of its own, as each is completed or embedded on
// its own; token arrays are recorded by kind only.
func promptContent(body []byte, key string, limit int) *providers.RequestContent {
	var rc providers.RequestContent
	v, k, ok := jsonscan.Get(body, key)
	if !ok {
		return &rc
	}
	user := func(p providers.Part) {
		rc.Messages = append(rc.Messages, providers.Message{Role: providers.RoleUser, Parts: []providers.Part{p}})
	}
	tokens := providers.Part{Type: providers.PartGeneric, GenericType: "token_ids"}
	switch k {
	case jsonscan.KindString:
		user(capture.TextPart(providers.PartText, v, limit))
	case jsonscan.KindArray:
		numbers := false
		jsonscan.ArrayEach(v, func(e []byte, ek jsonscan.Kind) {
			switch ek {
			case jsonscan.KindString:
				user(capture.TextPart(providers.PartText, e, limit))
			case jsonscan.KindArray:
				user(tokens)
			case jsonscan.KindNumber:
				numbers = true
			}
		})
		if numbers {
			user(tokens) // one prompt of token ids
		}
	}
	return &rc
}

// responsesRequestContent reads a Responses API request: instructions as
// the system instructions, the input (a string, or items), and the tools.
// Consecutive items the model produced (function calls, reasoning) form
// one assistant message; each function call's output is a message of role
// tool.
func responsesRequestContent(body []byte, limit int) *providers.RequestContent {
	var rc providers.RequestContent
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "instructions":
			if k == jsonscan.KindString {
				rc.System = append(rc.System, capture.TextPart(providers.PartText, v, limit))
			}
		case "input":
			switch k {
			case jsonscan.KindString:
				rc.Messages = append(rc.Messages, providers.Message{Role: providers.RoleUser,
					Parts: []providers.Part{capture.TextPart(providers.PartText, v, limit)}})
			case jsonscan.KindArray:
				rc.Messages = responsesItems(v, limit)
			}
		case "tools":
			jsonscan.ArrayEach(v, func(t []byte, tk jsonscan.Kind) {
				if tk == jsonscan.KindObject {
					rc.Tools = append(rc.Tools, chatTool(t, limit))
				}
			})
		}
	})
	return &rc
}

func responsesItems(items []byte, limit int) []providers.Message {
	var msgs []providers.Message
	modelTurn := false // the last message gathers the model's own items
	jsonscan.ArrayEach(items, func(item []byte, k jsonscan.Kind) {
		if k != jsonscan.KindObject {
			return
		}
		role, _ := jsonscan.String(item, "role")
		typ, _ := jsonscan.String(item, "type")
		switch {
		case role != "":
			msg := providers.Message{Role: role}
			content, ck, _ := jsonscan.Get(item, "content")
			msg.Parts = appendContent(msg.Parts, content, ck, limit)
			msgs = append(msgs, msg)
			modelTurn = false
		case typ == "function_call_output" || typ == "custom_tool_call_output":
			p := providers.Part{Type: providers.PartToolCallResponse}
			p.ID, _ = jsonscan.String(item, "call_id")
			out, ok, _ := jsonscan.Get(item, "output")
			p.Response, p.Truncated = toolResponse(out, ok, limit)
			msgs = append(msgs, providers.Message{Role: providers.RoleTool, Parts: []providers.Part{p}})
			modelTurn = false
		case typ == "item_reference":
			// A reference to an earlier item by id: no content of its own.
		default:
			parts := outputItemParts(item, typ, limit)
			if len(parts) == 0 {
				return
			}
			if !modelTurn {
				msgs = append(msgs, providers.Message{Role: providers.RoleAssistant})
				modelTurn = true
			}
			last := &msgs[len(msgs)-1]
			last.Parts = append(last.Parts, parts...)
		}
	})
	return msgs
}

// outputItemParts turns one item the model produced (in a response's
// output, or sent back in a request's input) into parts: a message's
// content, a function or custom tool call, reasoning (its summary and its
// text, never its encrypted content), a compaction, or the call of a
// server tool (web_search_call, file_search_call...) by its type.
func outputItemParts(item []byte, typ string, limit int) []providers.Part {
	switch typ {
	case "message":
		var parts []providers.Part
		content, _, _ := jsonscan.Get(item, "content")
		jsonscan.ArrayEach(content, func(part []byte, pk jsonscan.Kind) {
			if pk == jsonscan.KindObject {
				parts = append(parts, contentPart(part, limit))
			}
		})
		return parts
	case "function_call", "custom_tool_call":
		p := providers.Part{Type: providers.PartToolCall}
		p.ID, _ = jsonscan.String(item, "call_id")
		p.Name, _ = jsonscan.String(item, "name")
		argsKey := "arguments"
		if typ == "custom_tool_call" {
			argsKey = "input"
		}
		if args, _, ok := jsonscan.Get(item, argsKey); ok {
			p.Arguments, p.Truncated = capture.Value(args, limit)
		}
		return []providers.Part{p}
	case "reasoning":
		var parts []providers.Part
		for _, key := range [...]string{"summary", "content"} {
			list, _, _ := jsonscan.Get(item, key)
			jsonscan.ArrayEach(list, func(s []byte, _ jsonscan.Kind) {
				if v, k, ok := jsonscan.Get(s, "text"); ok && k == jsonscan.KindString {
					parts = append(parts, capture.TextPart(providers.PartReasoning, v, limit))
				}
			})
		}
		return parts
	case "compaction":
		id, _ := jsonscan.String(item, "id")
		return []providers.Part{{Type: providers.PartCompaction, ID: id}}
	case "":
		return nil
	}
	id, _ := jsonscan.String(item, "call_id")
	if id == "" {
		id, _ = jsonscan.String(item, "id")
	}
	if strings.HasSuffix(typ, "_output") {
		// tool_search_output, computer_call_output...: what a tool the
		// provider ran (or the application, for the computer and shell
		// tools) returned, by its type.
		return []providers.Part{{Type: providers.PartServerToolCallResponse, ID: id, GenericType: typ}}
	}
	name, _ := jsonscan.String(item, "name")
	if name == "" {
		name = typ
	}
	return []providers.Part{{Type: providers.PartServerToolCall, ID: id, Name: name, GenericType: typ}}
}

// chatOutput reads the choices of a chat completion or a legacy
// completion: one message per choice, at its index.
func (d *dialect) chatOutput(doc []byte) []providers.Message {
	limit := d.call.capture
	choices, k, ok := jsonscan.Get(doc, "choices")
	if !ok || k != jsonscan.KindArray {
		return nil
	}
	var out []providers.Message
	pos := 0
	jsonscan.ArrayEach(choices, func(choice []byte, ck jsonscan.Kind) {
		idx := pos
		pos++
		if ck != jsonscan.KindObject {
			return
		}
		if n, ok := jsonscan.Int(choice, "index"); ok && n >= 0 && n < providers.MaxAssembled {
			idx = int(n)
		}
		if idx >= providers.MaxAssembled {
			return
		}
		msg := providers.Message{Role: providers.RoleAssistant}
		msg.FinishReason, _ = jsonscan.String(choice, "finish_reason")
		if d.call.api == apiCompletions {
			v, _, _ := jsonscan.Get(choice, "text")
			msg.Parts = []providers.Part{capture.TextPart(providers.PartText, v, limit)}
		} else if m, mk, ok := jsonscan.Get(choice, "message"); ok && mk == jsonscan.KindObject {
			in := chatMessage(m, limit)
			if in.Role != "" {
				msg.Role = in.Role
			}
			msg.Parts = in.Parts
			if refusal, rk, ok := jsonscan.Get(m, "refusal"); ok && rk == jsonscan.KindString {
				msg.Parts = append(msg.Parts, capture.TextPart(providers.PartText, refusal, limit))
			}
			if audio, ak, ok := jsonscan.Get(m, "audio"); ok && ak == jsonscan.KindObject {
				data, _ := jsonscan.RawString(audio, "data")
				msg.Parts = append(msg.Parts, providers.Part{Type: providers.PartBlob, Modality: "audio", Size: capture.Base64Size(data)})
			}
		}
		for len(out) <= idx {
			out = append(out, providers.Message{Role: providers.RoleAssistant})
		}
		out[idx] = msg
	})
	return out
}

// responsesOutput reads the output of a Responses API response object: one
// assistant message of its items, in order.
func (d *dialect) responsesOutput(obj []byte, r *providers.Result) []providers.Message {
	output, k, ok := jsonscan.Get(obj, "output")
	if !ok || k != jsonscan.KindArray {
		return nil
	}
	msg := providers.Message{Role: providers.RoleAssistant, FinishReason: r.FinishReason(0)}
	jsonscan.ArrayEach(output, func(item []byte, ik jsonscan.Kind) {
		if ik == jsonscan.KindObject {
			typ, _ := jsonscan.String(item, "type")
			msg.Parts = append(msg.Parts, outputItemParts(item, typ, d.call.capture)...)
		}
	})
	return []providers.Message{msg}
}

// chatStreamPart is where each kind of delta of a chat choice goes in the
// choice's message: reasoning first, then text and any refusal, then the
// legacy function call and the tool calls by their index.
const (
	slotReasoning = iota
	slotText
	slotRefusal
	slotFunctionCall
	slotToolCalls
)

// captureChunk reads the content of one chat or completions chunk, valid
// JSON, into the assembler.
func (d *dialect) captureChunk(data []byte) {
	choices, k, ok := jsonscan.Get(data, "choices")
	if !ok || k != jsonscan.KindArray {
		return
	}
	a := d.asm
	pos := 0
	jsonscan.ArrayEach(choices, func(choice []byte, ck jsonscan.Kind) {
		idx := pos
		pos++
		if ck != jsonscan.KindObject {
			return
		}
		if n, ok := jsonscan.Int(choice, "index"); ok {
			idx = int(min(max(n, -1), providers.MaxAssembled))
		}
		jsonscan.ObjectEach(choice, func(key, v []byte, k jsonscan.Kind) {
			switch string(key) {
			case "text":
				a.AppendJSON(idx, slotText, providers.PartText, v)
			case "delta":
				d.captureDelta(idx, v)
			case "finish_reason":
				if k == jsonscan.KindString {
					a.SetFinishReason(idx, capture.Str(v))
				}
			}
		})
	})
}

// captureDelta reads the delta of choice idx.
func (d *dialect) captureDelta(idx int, delta []byte) {
	a := d.asm
	jsonscan.ObjectEach(delta, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "role":
			if k == jsonscan.KindString && string(v) != `"assistant"` {
				a.SetRole(idx, capture.Str(v))
			}
		case "content":
			a.AppendJSON(idx, slotText, providers.PartText, v)
		case "reasoning_content", "reasoning":
			a.AppendJSON(idx, slotReasoning, providers.PartReasoning, v)
		case "refusal":
			a.AppendJSON(idx, slotRefusal, providers.PartText, v)
		case "function_call":
			d.captureCall(idx, slotFunctionCall, v)
		case "tool_calls":
			pos := 0
			jsonscan.ArrayEach(v, func(tc []byte, _ jsonscan.Kind) {
				i := pos
				pos++
				if n, ok := jsonscan.Int(tc, "index"); ok {
					i = int(min(max(n, -1), providers.MaxAssembled))
				}
				d.captureCall(idx, slotToolCalls+i, tc)
			})
		}
	})
}

// captureCall reads a fragment of a tool call (or a legacy function call):
// its id and name when they come (the first fragment), and a piece of its
// arguments.
func (d *dialect) captureCall(idx, slot int, tc []byte) {
	fn := tc
	if f, k, ok := jsonscan.Get(tc, "function"); ok && k == jsonscan.KindObject {
		fn = f
	}
	var id, name string
	if v, k, ok := jsonscan.Get(tc, "id"); ok && k == jsonscan.KindString && len(v) > 2 {
		id = capture.Str(v)
	}
	if v, k, ok := jsonscan.Get(fn, "name"); ok && k == jsonscan.KindString && len(v) > 2 {
		name = capture.Str(v)
	}
	d.asm.ToolCall(idx, slot, id, name, "")
	if args, k, ok := jsonscan.Get(fn, "arguments"); ok && k == jsonscan.KindString {
		d.asm.AppendJSON(idx, slot, providers.PartToolCall, args)
	}
}

// responsesSlots places the parts of a Responses stream's output items in
// the one output message, in the order they first appear: output item
// output_index, part sub of it.
type responsesSlots struct {
	keys [][2]int64
}

// has reports whether output item out has parts.
func (s *responsesSlots) has(out int64) bool {
	for _, k := range s.keys {
		if k[0] == out {
			return true
		}
	}
	return false
}

// slot returns the part index of part sub of output item out, -1 when the
// message holds as many parts as it may.
func (s *responsesSlots) slot(out, sub int64) int {
	for i, k := range s.keys {
		if k == [2]int64{out, sub} {
			return i
		}
	}
	if len(s.keys) >= providers.MaxAssembled {
		return -1
	}
	s.keys = append(s.keys, [2]int64{out, sub})
	return len(s.keys) - 1
}

// The sub-parts of an output item: its content parts by content_index,
// the reasoning summary parts from summaryBase, the reasoning text parts
// from reasoningBase, the parts of an item read whole from wholeBase; a
// call is sub 0.
const (
	summaryBase   = 1 << 20
	reasoningBase = 2 << 20
	wholeBase     = 3 << 20 // the parts of an item read whole, once done
)

// captureResponsesEvent reads the content of one Responses stream event,
// valid JSON, whose type is typ.
func (d *dialect) captureResponsesEvent(typ, data []byte) {
	a := d.asm
	out, _ := jsonscan.Int(data, "output_index")
	switch string(typ) {
	case "response.output_text.delta", "response.refusal.delta":
		sub, _ := jsonscan.Int(data, "content_index")
		v, _, _ := jsonscan.Get(data, "delta")
		a.AppendJSON(0, d.slots.slot(out, sub), providers.PartText, v)
	case "response.reasoning_summary_text.delta":
		sub, _ := jsonscan.Int(data, "summary_index")
		v, _, _ := jsonscan.Get(data, "delta")
		a.AppendJSON(0, d.slots.slot(out, summaryBase+sub), providers.PartReasoning, v)
	case "response.reasoning_text.delta":
		sub, _ := jsonscan.Int(data, "content_index")
		v, _, _ := jsonscan.Get(data, "delta")
		a.AppendJSON(0, d.slots.slot(out, reasoningBase+sub), providers.PartReasoning, v)
	case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta":
		v, _, _ := jsonscan.Get(data, "delta")
		a.AppendJSON(0, d.slots.slot(out, 0), providers.PartToolCall, v)
	case "response.output_item.added", "response.output_item.done":
		item, k, ok := jsonscan.Get(data, "item")
		if !ok || k != jsonscan.KindObject {
			return
		}
		itemType, _ := jsonscan.String(item, "type")
		switch itemType {
		case "message", "reasoning":
			// Their text arrives in deltas, part by part; an item whose
			// text came only whole (a reasoning summary) is read once
			// done.
			if string(typ) != "response.output_item.done" || d.slots.has(out) {
				return
			}
			for j, p := range outputItemParts(item, itemType, a.Limit()) {
				a.SetPart(0, d.slots.slot(out, wholeBase+int64(j)), p)
			}
		case "function_call", "custom_tool_call":
			slot := d.slots.slot(out, 0)
			id, _ := jsonscan.String(item, "call_id")
			name, _ := jsonscan.String(item, "name")
			a.ToolCall(0, slot, id, name, "")
		default:
			// Server tool calls, compaction: no deltas, the item says it
			// all (more, once done).
			if parts := outputItemParts(item, itemType, a.Limit()); len(parts) > 0 {
				a.SetPart(0, d.slots.slot(out, 0), parts[0])
			}
		}
	}
}
