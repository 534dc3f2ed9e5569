package bedrock

// The content of Claude's InvokeModel bodies, which are Anthropic
// Messages: a minimal reading of that format, kept here so as not to
// collide with providers/internal/dialect/messages, which reads it for
// usage. Once that package reads content too, this file should go.

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// claudeRequestContent reads an Anthropic Messages request: system (a
// string or text blocks), messages (content a string or blocks) and tools.
func claudeRequestContent(body []byte, limit int) *providers.RequestContent {
	var rc providers.RequestContent
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "system":
			for _, p := range claudeContent(nil, v, k, limit) {
				if p.Type != providers.PartText {
					p = providers.Part{Type: providers.PartGeneric, GenericType: p.Type}
				}
				rc.System = append(rc.System, p)
			}
		case "messages":
			jsonscan.ArrayEach(v, func(m []byte, _ jsonscan.Kind) {
				role, _ := jsonscan.String(m, "role")
				content, ck, _ := jsonscan.Get(m, "content")
				rc.Messages = append(rc.Messages, providers.Message{Role: role, Parts: claudeContent(nil, content, ck, limit)})
			})
		case "tools":
			jsonscan.ArrayEach(v, func(t []byte, _ jsonscan.Kind) {
				def := providers.ToolDefinition{Type: "function"}
				def.Name, _ = jsonscan.String(t, "name")
				if typ, ok := jsonscan.String(t, "type"); ok && typ != "" && typ != "custom" {
					def.Type = typ // a server tool: web_search_20250305, ...
				}
				if d, _, ok := jsonscan.Get(t, "description"); ok {
					capture.Describe(&def, d, limit)
				}
				if s, _, ok := jsonscan.Get(t, "input_schema"); ok {
					capture.Parameters(&def, s, limit)
				}
				if def.Name != "" {
					rc.Tools = append(rc.Tools, def)
				}
			})
		}
	})
	return capture.Content(&rc)
}

// claudeContent appends the parts of a content value, a string or an
// array of blocks.
func claudeContent(parts []providers.Part, v []byte, k jsonscan.Kind, limit int) []providers.Part {
	if k == jsonscan.KindString {
		return append(parts, capture.TextPart(providers.PartText, v, limit))
	}
	jsonscan.ArrayEach(v, func(b []byte, _ jsonscan.Kind) {
		if p, ok := claudeBlock(b, limit); ok {
			parts = append(parts, p)
		}
	})
	return parts
}

// claudeBlock reads one content block: text, thinking, redacted_thinking,
// tool_use, server_tool_use, tool_result, *_tool_result (a server tool's),
// image and document (a blob by its size, a uri, or a file).
func claudeBlock(b []byte, limit int) (providers.Part, bool) {
	typ, _ := jsonscan.String(b, "type")
	switch typ {
	case "text":
		v, k, _ := jsonscan.Get(b, "text")
		return capture.TextPart(providers.PartText, v, limit), k == jsonscan.KindString
	case "thinking":
		v, k, _ := jsonscan.Get(b, "thinking")
		return capture.TextPart(providers.PartReasoning, v, limit), k == jsonscan.KindString
	case "redacted_thinking":
		// Encrypted: what it is, not what it says.
		return providers.Part{Type: providers.PartGeneric, GenericType: typ}, true
	case "tool_use", "server_tool_use":
		p := providers.Part{Type: providers.PartToolCall}
		if typ == "server_tool_use" {
			p.Type, p.GenericType = providers.PartServerToolCall, typ
		}
		p.ID, _ = jsonscan.String(b, "id")
		p.Name, _ = jsonscan.String(b, "name")
		if in, _, ok := jsonscan.Get(b, "input"); ok {
			p.Arguments, p.Truncated = capture.Value(in, limit)
		}
		return p, true
	case "tool_result":
		p := providers.Part{Type: providers.PartToolCallResponse}
		p.ID, _ = jsonscan.String(b, "tool_use_id")
		content, ck, _ := jsonscan.Get(b, "content")
		p.Response, p.Truncated = claudeToolResult(content, ck, limit)
		return p, true
	case "image", "document":
		return claudeMedia(typ, b), true
	}
	if len(typ) > len("_tool_result") && typ[len(typ)-len("_tool_result"):] == "_tool_result" {
		// web_search_tool_result, code_execution_tool_result, ...
		p := providers.Part{Type: providers.PartServerToolCallResponse, GenericType: typ}
		p.ID, _ = jsonscan.String(b, "tool_use_id")
		if content, _, ok := jsonscan.Get(b, "content"); ok {
			p.Response, p.Truncated = capture.JSON(content, limit)
		}
		return p, true
	}
	return providers.Part{}, false
}

// claudeToolResult returns a tool_result's content: the text of a string
// or of one text block, else the blocks as a JSON array, with the data of
// any image or document block left out.
func claudeToolResult(content []byte, k jsonscan.Kind, limit int) ([]byte, bool) {
	switch k {
	case jsonscan.KindString:
		s, cut := capture.Text(content, limit)
		return []byte(s), cut
	case jsonscan.KindArray:
	default:
		return nil, false
	}
	var blocks [][]byte
	textOnly := true
	jsonscan.ArrayEach(content, func(b []byte, _ jsonscan.Kind) {
		typ, _ := jsonscan.RawString(b, "type")
		switch string(typ) {
		case "image", "document":
			// The bytes are not kept: the block is named by its type.
			b = []byte(`{"type":"` + string(typ) + `"}`)
		}
		textOnly = textOnly && string(typ) == "text"
		blocks = append(blocks, b)
	})
	if len(blocks) == 1 && textOnly {
		v, _, _ := jsonscan.Get(blocks[0], "text")
		s, cut := capture.Text(v, limit)
		return []byte(s), cut
	}
	return capture.Array(blocks, limit)
}

// claudeMedia reads an image or document block's source: base64 (a blob
// of its media_type, by its size), text (a document's, by its length), url
// (a uri) or file (a file id).
func claudeMedia(typ string, b []byte) providers.Part {
	modality := typ // image or document
	source, _, _ := jsonscan.Get(b, "source")
	kind, _ := jsonscan.String(source, "type")
	mime, _ := jsonscan.String(source, "media_type")
	switch kind {
	case "url":
		u, _ := jsonscan.String(source, "url")
		return providers.Part{Type: providers.PartURI, Modality: modality, MIMEType: mime, URI: u}
	case "file":
		id, _ := jsonscan.String(source, "file_id")
		return providers.Part{Type: providers.PartFile, Modality: modality, MIMEType: mime, FileID: id}
	case "text":
		text, _ := jsonscan.RawString(source, "data")
		return capture.Blob(modality, mime, int64(len(text)))
	}
	data, _, _ := jsonscan.Get(source, "data")
	return capture.Blob(modality, mime, capture.Base64Size(data))
}

// claudeOutput reads a whole Messages answer: its content blocks and
// stop_reason.
func (d *dialect) claudeOutput(body []byte) {
	content, k, _ := jsonscan.Get(body, "content")
	for _, p := range claudeContent(nil, content, k, d.asm.Limit()) {
		d.asm.SetPart(0, d.numbers(0).New(p.Type), p)
	}
	reason, _ := jsonscan.String(body, "stop_reason")
	d.asm.Finish(0, reason)
}

// claudeEvent reads the content of one Messages stream event:
// content_block_start (a block's type, a tool call's id and name, a server
// tool's result whole) and content_block_delta (text_delta,
// thinking_delta, input_json_delta), addressed by the block index.
func (d *dialect) claudeEvent(typ, event []byte) {
	var block int64
	var ok bool
	switch string(typ) {
	case "content_block_start", "content_block_delta":
		if block, ok = jsonscan.Int(event, "index"); !ok || block < 0 || block >= maxBlock {
			return
		}
	default:
		return
	}
	d.answered = true
	limit := d.asm.Limit()
	numbers := d.numbers(0)
	if string(typ) == "content_block_start" {
		cb, _, _ := jsonscan.Get(event, "content_block")
		kind, _ := jsonscan.String(cb, "type")
		switch kind {
		case "text":
			text, _, _ := jsonscan.Get(cb, "text")
			d.asm.Text(0, numbers.Block(int(block), providers.PartText), capture.Delta(text, limit))
		case "thinking":
			text, _, _ := jsonscan.Get(cb, "thinking")
			d.asm.Reasoning(0, numbers.Block(int(block), providers.PartReasoning), capture.Delta(text, limit))
		case "tool_use", "server_tool_use":
			// The input arrives in input_json_delta fragments; the {} of
			// the start is not part of it.
			p := providers.Part{Type: providers.PartToolCall}
			if kind == "server_tool_use" {
				p.Type, p.GenericType = providers.PartServerToolCall, kind
			}
			p.ID, _ = jsonscan.String(cb, "id")
			p.Name, _ = jsonscan.String(cb, "name")
			d.asm.SetPart(0, numbers.Block(int(block), p.Type), p)
		default:
			if p, ok := claudeBlock(cb, limit); ok {
				d.asm.SetPart(0, numbers.Block(int(block), p.Type), p)
			}
		}
		return
	}
	delta, _, _ := jsonscan.Get(event, "delta")
	kind, _ := jsonscan.RawString(delta, "type")
	switch string(kind) {
	case "text_delta":
		text, _, _ := jsonscan.Get(delta, "text")
		d.asm.Text(0, numbers.Block(int(block), providers.PartText), capture.Delta(text, limit))
	case "thinking_delta":
		text, _, _ := jsonscan.Get(delta, "thinking")
		d.asm.Reasoning(0, numbers.Block(int(block), providers.PartReasoning), capture.Delta(text, limit))
	case "input_json_delta":
		frag, _, _ := jsonscan.Get(delta, "partial_json")
		d.asm.ToolCall(0, numbers.Block(int(block), providers.PartToolCall), "", "", capture.Delta(frag, limit))
	}
}
