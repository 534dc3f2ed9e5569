package messages

import (
	"bytes"
	"strconv"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Content capture, for callers whose application opted in: the request's
// system, messages and tools ([RequestContent]), a full response's content
// blocks ([OutputContent]), and a stream's blocks reassembled from their
// deltas ([Stream.CaptureContent], [Stream.Output]). Nothing here runs
// otherwise. Every text, arguments or result value is cut to the limit
// (and marked Truncated); images and documents are kept by type and size
// only, never their bytes.

// RequestContent reads the content of a Messages request body: system (a
// string or text blocks) as the system instructions, messages with their
// roles and blocks, and the tools offered. It returns nil when body is not
// a JSON object.
func RequestContent(body []byte, limit int) *providers.RequestContent {
	var c providers.RequestContent
	ok := jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "system":
			switch k {
			case jsonscan.KindString:
				c.System = append(c.System, capture.TextPart(providers.PartText, v, limit))
			case jsonscan.KindArray:
				c.System = appendBlocks(c.System, v, limit)
			}
		case "messages":
			jsonscan.ArrayEach(v, func(m []byte, mk jsonscan.Kind) {
				if mk == jsonscan.KindObject {
					c.Messages = append(c.Messages, inputMessage(m, limit))
				}
			})
		case "tools":
			jsonscan.ArrayEach(v, func(t []byte, tk jsonscan.Kind) {
				if tk == jsonscan.KindObject {
					c.Tools = append(c.Tools, toolDefinition(t, limit))
				}
			})
		}
	})
	if !ok {
		return nil
	}
	return &c
}

// inputMessage reads one message of the request: its role, as given (tool
// results stay in the user messages that carry them), and its content, a
// string or blocks.
func inputMessage(m []byte, limit int) providers.Message {
	var msg providers.Message
	jsonscan.ObjectEach(m, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "role":
			msg.Role = capture.Str(v)
		case "content":
			switch k {
			case jsonscan.KindString:
				msg.Parts = append(msg.Parts, capture.TextPart(providers.PartText, v, limit))
			case jsonscan.KindArray:
				msg.Parts = appendBlocks(msg.Parts, v, limit)
			}
		}
	})
	return msg
}

// appendBlocks appends the parts of an array of content blocks.
func appendBlocks(parts []providers.Part, blocks []byte, limit int) []providers.Part {
	jsonscan.ArrayEach(blocks, func(b []byte, k jsonscan.Kind) {
		if k == jsonscan.KindObject {
			parts = append(parts, blockPart(b, limit))
		}
	})
	return parts
}

// toolDefinition reads one tool: a client tool (no type, or "custom") is a
// function with its description and input_schema; a server tool
// (web_search_20250305, bash_20250124, ...) is recorded by its type and
// name.
func toolDefinition(t []byte, limit int) providers.ToolDefinition {
	var d providers.ToolDefinition
	jsonscan.ObjectEach(t, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "type":
			d.Type = capture.Str(v)
		case "name":
			d.Name = capture.Str(v)
		case "description":
			capture.Describe(&d, v, limit)
		case "input_schema":
			capture.Parameters(&d, v, limit)
		}
	})
	if d.Type == "" || d.Type == "custom" {
		d.Type = "function"
	}
	return d
}

// block is what a content block says, read in one pass.
type block struct {
	typ, id, name, toolUseID string
	text, thinking, input    []byte
	inputKind                jsonscan.Kind
	content                  []byte
	contentKind              jsonscan.Kind
	source                   []byte
}

func readBlock(b []byte) block {
	var bl block
	jsonscan.ObjectEach(b, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "type":
			bl.typ = capture.Str(v)
		case "id":
			bl.id = capture.Str(v)
		case "name":
			bl.name = capture.Str(v)
		case "tool_use_id":
			bl.toolUseID = capture.Str(v)
		case "text":
			if k == jsonscan.KindString {
				bl.text = v
			}
		case "thinking":
			if k == jsonscan.KindString {
				bl.thinking = v
			}
		case "input":
			bl.input, bl.inputKind = v, k
		case "content":
			bl.content, bl.contentKind = v, k
		case "source":
			if k == jsonscan.KindObject {
				bl.source = v
			}
		}
	})
	return bl
}

// blockPart turns one content block into a part.
func blockPart(b []byte, limit int) providers.Part {
	bl := readBlock(b)
	switch bl.typ {
	case "text":
		return capture.TextPart(providers.PartText, bl.text, limit)
	case "thinking":
		return capture.TextPart(providers.PartReasoning, bl.thinking, limit)
	case "compaction":
		p := providers.Part{Type: providers.PartCompaction}
		if bl.contentKind == jsonscan.KindString {
			p.Content, p.Truncated = capture.Text(bl.content, limit)
		}
		return p
	case "redacted_thinking":
		// Encrypted: its data is not content anyone can read.
		return providers.Part{Type: providers.PartGeneric, GenericType: bl.typ}
	case "tool_use":
		p := providers.Part{Type: providers.PartToolCall, ID: bl.id, Name: bl.name}
		if bl.input != nil {
			p.Arguments, p.Truncated = capture.Value(bl.input, limit)
		}
		return p
	case "server_tool_use", "mcp_tool_use":
		p := providers.Part{Type: providers.PartServerToolCall, ID: bl.id, Name: bl.name, GenericType: bl.typ}
		if bl.input != nil {
			p.Arguments, p.Truncated = capture.Value(bl.input, limit)
		}
		return p
	case "tool_result":
		p := providers.Part{Type: providers.PartToolCallResponse, ID: bl.toolUseID}
		switch bl.contentKind {
		case jsonscan.KindString:
			p.Response, p.Truncated = capture.Value(bl.content, limit)
		case jsonscan.KindArray:
			p.Response, p.Truncated = resultBlocks(bl.content, limit)
		}
		return p
	case "image", "document":
		return sourcePart(bl.typ, bl.source)
	case "container_upload":
		if fileID, ok := jsonscan.String(b, "file_id"); ok {
			return providers.Part{Type: providers.PartFile, Modality: "document", FileID: fileID}
		}
	}
	if bl.toolUseID != "" {
		// web_search_tool_result, code_execution_tool_result and the
		// other results of server tools: the outcome the conventions'
		// server_tool_call_response holds, as sent, cut to the limit.
		p := providers.Part{Type: providers.PartServerToolCallResponse, ID: bl.toolUseID, GenericType: bl.typ}
		p.Response, p.Truncated = capture.Value(bl.content, limit)
		return p
	}
	return providers.Part{Type: providers.PartGeneric, GenericType: bl.typ}
}

// sourcePart turns an image or document block into a part by its source:
// base64 data into a blob part of its size, a URL into a uri part, an
// uploaded file into a file part.
func sourcePart(typ string, source []byte) providers.Part {
	modality := "image"
	if typ == "document" {
		modality = "document"
	}
	var srcType, mimeType string
	var data, url, fileID []byte
	jsonscan.ObjectEach(source, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "type":
			srcType = capture.Str(v)
		case "media_type":
			mimeType = capture.Str(v)
		case "data":
			if k == jsonscan.KindString {
				data = v[1 : len(v)-1]
			}
		case "url":
			if k == jsonscan.KindString {
				url = v
			}
		case "file_id":
			if k == jsonscan.KindString {
				fileID = v
			}
		}
	})
	switch srcType {
	case "base64":
		return providers.Part{Type: providers.PartBlob, Modality: modality, MIMEType: mimeType, Size: capture.Base64Size(data)}
	case "text":
		return providers.Part{Type: providers.PartBlob, Modality: modality, MIMEType: mimeType, Size: int64(len(data))}
	case "url":
		u, _ := jsonscan.Str(url)
		return providers.Part{Type: providers.PartURI, Modality: modality, MIMEType: mimeType, URI: u}
	case "file":
		id, _ := jsonscan.Str(fileID)
		return providers.Part{Type: providers.PartFile, Modality: modality, MIMEType: mimeType, FileID: id}
	}
	return providers.Part{Type: providers.PartGeneric, GenericType: typ}
}

// resultBlocks is the response of a tool result given as content blocks:
// the text of text blocks, joined by newlines, when they are all text (as
// the SDKs send a string result); otherwise a JSON array of the blocks,
// text blocks as sent and the others (images, documents) by their type and
// size only. It returns it cut to limit bytes, and whether it was cut.
func resultBlocks(blocks []byte, limit int) ([]byte, bool) {
	text := []byte{}
	allText, n := true, 0
	jsonscan.ArrayEach(blocks, func(b []byte, k jsonscan.Kind) {
		if !allText {
			return
		}
		v, vk, ok := jsonscan.Get(b, "text")
		typ, _ := jsonscan.RawString(b, "type")
		if k != jsonscan.KindObject || string(typ) != "text" || !ok || vk != jsonscan.KindString {
			allText = false
			return
		}
		if n++; n > 1 {
			text = append(text, '\n')
		}
		text, _ = jsonscan.AppendUnquoted(text, v)
	})
	if allText {
		if len(text) > limit {
			return []byte(providers.Cut(string(text), limit)), true
		}
		return text, false
	}
	out := []byte{'['}
	jsonscan.ArrayEach(blocks, func(b []byte, k jsonscan.Kind) {
		if k != jsonscan.KindObject {
			return
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		bl := readBlock(b)
		if bl.typ == "text" {
			out = append(out, `{"type":"text","text":`...)
			out = append(out, bl.text...)
			out = append(out, '}')
			return
		}
		p := blockPart(b, limit)
		out = append(out, `{"type":`...)
		out = strconv.AppendQuote(out, bl.typ)
		if p.MIMEType != "" {
			out = append(out, `,"media_type":`...)
			out = strconv.AppendQuote(out, p.MIMEType)
		}
		if p.Size > 0 {
			out = append(out, `,"byte_size":`...)
			out = strconv.AppendInt(out, p.Size, 10)
		}
		out = append(out, '}')
	})
	out = append(out, ']')
	if len(out) > limit {
		return out[:limit:limit], true
	}
	return out, false
}

// OutputContent reads the answer of a full Messages response body: one
// assistant message of its content blocks, with the stop reason. It
// returns nil when body is not a JSON object.
func OutputContent(body []byte, limit int) []providers.Message {
	msg := providers.Message{Role: providers.RoleAssistant}
	ok := jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "role":
			if s := capture.Str(v); s != "" {
				msg.Role = s
			}
		case "content":
			if k == jsonscan.KindArray {
				msg.Parts = appendBlocks(msg.Parts, v, limit)
			}
		case "stop_reason":
			msg.FinishReason = capture.Str(v)
		}
	})
	if !ok {
		return nil
	}
	return []providers.Message{msg}
}

// streamContent is a stream's content being reassembled.
type streamContent struct {
	asm *providers.Assembler
	// tools are the tool_use and server_tool_use blocks started and not
	// stopped: the input of their start ({} in Anthropic's streams) is
	// used only when no input_json_delta follows.
	tools []pendingTool
}

type pendingTool struct {
	index   int
	input   []byte
	gotJSON bool
}

// CaptureContent makes the stream reassemble its content blocks from their
// deltas, each value cut to limit bytes; [Stream.Output] returns them.
// Every event is then read in full: the shortcut for deltas of a known
// shape is off, and Event no longer reports deltas worth learning.
func (s *Stream) CaptureContent(limit int) {
	s.content = &streamContent{asm: providers.NewAssembler(limit)}
}

// Capturing reports whether CaptureContent was called.
func (s *Stream) Capturing() bool { return s.content != nil }

// Output returns the answer reassembled so far, with its stop reason: one
// assistant message. It returns nil unless CaptureContent was called.
func (s *Stream) Output() []providers.Message {
	if s.content == nil {
		return nil
	}
	return s.content.asm.Messages()
}

// contentEvent reads the content of one stream event of type typ, already
// checked to be valid JSON.
func (c *streamContent) contentEvent(typ string, data []byte) {
	a := c.asm
	limit := a.Limit()
	switch typ {
	case "message_start":
		if role, ok := jsonscan.String(data, "message", "role"); ok {
			a.SetRole(0, role)
		}
	case "content_block_start":
		idx, ok := jsonscan.Int(data, "index")
		cb, kind, found := jsonscan.Get(data, "content_block")
		if !ok || !found || kind != jsonscan.KindObject || idx < 0 || idx >= providers.MaxAssembled {
			return
		}
		i := int(idx)
		bl := readBlock(cb)
		switch bl.typ {
		case "text":
			a.SetPart(0, i, providers.Part{Type: providers.PartText})
			if t, _ := capture.Text(bl.text, limit); t != "" {
				a.Text(0, i, t)
			}
		case "thinking":
			a.SetPart(0, i, providers.Part{Type: providers.PartReasoning})
			if t, _ := capture.Text(bl.thinking, limit); t != "" {
				a.Reasoning(0, i, t)
			}
		case "tool_use", "server_tool_use", "mcp_tool_use":
			p := blockPart(cb, limit)
			p.Arguments, p.Truncated = nil, false
			a.SetPart(0, i, p)
			var input []byte
			if bl.input != nil && bl.inputKind == jsonscan.KindObject {
				input = bytes.Clone(bl.input)
			}
			if len(c.tools) < providers.MaxAssembled {
				c.tools = append(c.tools, pendingTool{index: i, input: input})
			}
		default:
			a.SetPart(0, i, blockPart(cb, limit))
		}
	case "content_block_delta":
		idx, ok := jsonscan.Int(data, "index")
		delta, kind, found := jsonscan.Get(data, "delta")
		if !ok || !found || kind != jsonscan.KindObject || idx < 0 || idx >= providers.MaxAssembled {
			return
		}
		i := int(idx)
		var dtype []byte
		var value []byte
		jsonscan.ObjectEach(delta, func(key, v []byte, k jsonscan.Kind) {
			switch string(key) {
			case "type":
				if k == jsonscan.KindString {
					dtype = v[1 : len(v)-1]
				}
			case "text", "thinking", "partial_json", "content":
				if k == jsonscan.KindString {
					value = v
				}
			}
		})
		switch string(dtype) {
		case "text_delta":
			a.AppendJSON(0, i, providers.PartText, value)
		case "thinking_delta":
			a.AppendJSON(0, i, providers.PartReasoning, value)
		case "compaction_delta":
			a.AppendJSON(0, i, providers.PartCompaction, value) // the summary
		case "input_json_delta":
			if t := c.tool(i); t != nil {
				t.gotJSON = true
			}
			a.AppendJSON(0, i, providers.PartToolCall, value)
		}
	case "content_block_stop":
		idx, ok := jsonscan.Int(data, "index")
		if !ok {
			return
		}
		if t := c.tool(int(idx)); t != nil && !t.gotJSON {
			input := t.input
			if input == nil {
				input = []byte("{}")
			}
			a.ToolCall(0, t.index, "", "", string(input))
			t.gotJSON = true
		}
	case "message_delta":
		if reason, ok := jsonscan.String(data, "delta", "stop_reason"); ok {
			a.SetFinishReason(0, reason)
		}
	}
}

// tool returns the pending tool block of index i, nil if none.
func (c *streamContent) tool(i int) *pendingTool {
	for j := range c.tools {
		if c.tools[j].index == i {
			return &c.tools[j]
		}
	}
	return nil
}
