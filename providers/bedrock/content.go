package bedrock

import (
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

var _ providers.ContentCapturer = (*call)(nil)

// CaptureContent makes the call capture message content: Converse's
// messages, system prompt and tools and its answer, or the model-native
// bodies of InvokeModel (Claude's Anthropic Messages, Amazon Nova, Meta
// Llama, Amazon Titan Text, Mistral, Cohere, OpenAI-style), whole and
// streamed, each value cut to limit bytes. Images, documents, video and
// audio are recorded by their type and size, never their bytes.
func (c *call) CaptureContent(limit int) {
	c.capture, c.limit = true, max(limit, 0)
}

// maxBlock bounds the content block indexes of a stream that are read;
// capture.Parts bounds what is kept.
const maxBlock = 1 << 16

// requestContent reads what a request body says to the model.
func (c *call) requestContent(body []byte) *providers.RequestContent {
	if c.action.invokes() {
		return invokeRequestContent(body, c.limit)
	}
	return converseRequestContent(body, c.limit)
}

// converseRequestContent reads a Converse request, or an Amazon Nova
// InvokeModel body, which is written the same way: messages, system and
// toolConfig.tools.
func converseRequestContent(body []byte, limit int) *providers.RequestContent {
	var rc providers.RequestContent
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "messages":
			jsonscan.ArrayEach(v, func(m []byte, _ jsonscan.Kind) {
				role, _ := jsonscan.String(m, "role")
				msg := providers.Message{Role: role}
				content, _, _ := jsonscan.Get(m, "content")
				msg.Parts = converseBlocks(msg.Parts, content, limit)
				rc.Messages = append(rc.Messages, msg)
			})
		case "system":
			for _, p := range converseBlocks(nil, v, limit) {
				if p.Type != providers.PartText {
					p = providers.Part{Type: providers.PartGeneric, GenericType: p.Type}
				}
				rc.System = append(rc.System, p)
			}
		case "toolConfig":
			tools, _, _ := jsonscan.Get(v, "tools")
			jsonscan.ArrayEach(tools, func(t []byte, _ jsonscan.Kind) {
				if def, ok := converseTool(t, limit); ok {
					rc.Tools = append(rc.Tools, def)
				}
			})
		}
	})
	return capture.Content(&rc)
}

// converseTool reads {"toolSpec": {"name", "description", "inputSchema":
// {"json": {...}}}}, or a built-in {"systemTool": {"name"}}; a cachePoint
// is not a tool.
func converseTool(t []byte, limit int) (providers.ToolDefinition, bool) {
	if spec, _, ok := jsonscan.Get(t, "toolSpec"); ok {
		def := providers.ToolDefinition{Type: "function"}
		def.Name, _ = jsonscan.String(spec, "name")
		if d, _, ok := jsonscan.Get(spec, "description"); ok {
			capture.Describe(&def, d, limit)
		}
		if s, _, ok := jsonscan.Get(spec, "inputSchema", "json"); ok {
			capture.Parameters(&def, s, limit)
		}
		return def, def.Name != ""
	}
	if name, ok := jsonscan.String(t, "systemTool", "name"); ok && name != "" {
		return providers.ToolDefinition{Type: name, Name: name}, true
	}
	return providers.ToolDefinition{}, false
}

// converseBlocks appends the parts of a ContentBlock array to parts.
func converseBlocks(parts []providers.Part, blocks []byte, limit int) []providers.Part {
	jsonscan.ArrayEach(blocks, func(b []byte, _ jsonscan.Kind) {
		parts = appendConverseBlock(parts, b, limit)
	})
	return parts
}

// appendConverseBlock appends the part of one ContentBlock, a union of one
// member: text, image, document, video, audio, toolUse, toolResult,
// reasoningContent, guardContent, citationsContent (cachePoint and
// unknown members say nothing).
func appendConverseBlock(parts []providers.Part, b []byte, limit int) []providers.Part {
	jsonscan.ObjectEach(b, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "text":
			if k == jsonscan.KindString {
				parts = append(parts, capture.TextPart(providers.PartText, v, limit))
			}
		case "image", "document", "video", "audio":
			parts = append(parts, converseMedia(string(key), v))
		case "toolUse":
			p := providers.Part{Type: providers.PartToolCall}
			p.ID, _ = jsonscan.String(v, "toolUseId")
			p.Name, _ = jsonscan.String(v, "name")
			if in, _, ok := jsonscan.Get(v, "input"); ok {
				p.Arguments, p.Truncated = capture.Value(in, limit)
			}
			parts = append(parts, p)
		case "toolResult":
			parts = append(parts, converseToolResult(v, limit)...)
		case "reasoningContent":
			if text, _, ok := jsonscan.Get(v, "reasoningText", "text"); ok {
				parts = append(parts, capture.TextPart(providers.PartReasoning, text, limit))
			} else if _, _, ok := jsonscan.Get(v, "redactedContent"); ok {
				// Encrypted: what it is, not what it says.
				parts = append(parts, providers.Part{Type: providers.PartGeneric, GenericType: "redacted_reasoning"})
			}
		case "guardContent":
			if text, tk, ok := jsonscan.Get(v, "text", "text"); ok {
				if tk == jsonscan.KindString {
					parts = append(parts, capture.TextPart(providers.PartText, text, limit))
				}
			} else if img, _, ok := jsonscan.Get(v, "image"); ok {
				parts = append(parts, converseMedia("image", img))
			}
		case "citationsContent":
			content, _, _ := jsonscan.Get(v, "content")
			jsonscan.ArrayEach(content, func(c []byte, _ jsonscan.Kind) {
				if text, tk, ok := jsonscan.Get(c, "text"); ok && tk == jsonscan.KindString {
					parts = append(parts, capture.TextPart(providers.PartText, text, limit))
				}
			})
		}
	})
	return parts
}

// converseMedia reads an image, document, video or audio block: {"format",
// "name"?, "source": {"bytes": base64} or {"s3Location": {"uri"}} (or a
// document's {"text"} or {"content"})}: a blob by its size, or a uri.
func converseMedia(modality string, v []byte) providers.Part {
	format, _ := jsonscan.String(v, "format")
	mime := mimeOf(modality, format)
	source, _, _ := jsonscan.Get(v, "source")
	if uri, ok := jsonscan.String(source, "s3Location", "uri"); ok {
		return providers.Part{Type: providers.PartURI, Modality: modality, MIMEType: mime, URI: uri}
	}
	var size int64
	if data, k, ok := jsonscan.Get(source, "bytes"); ok && k == jsonscan.KindString {
		size = capture.Base64Size(data)
	} else if text, ok := jsonscan.RawString(source, "text"); ok {
		size = int64(len(text)) // a document given as text; its length as sent
	}
	return capture.Blob(modality, mime, size)
}

// mimeOf returns the MIME type of a Converse media format.
func mimeOf(modality, format string) string {
	format = strings.ToLower(format)
	if format == "" {
		return ""
	}
	switch modality {
	case "document":
		switch format {
		case "pdf":
			return "application/pdf"
		case "csv":
			return "text/csv"
		case "doc":
			return "application/msword"
		case "docx":
			return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		case "xls":
			return "application/vnd.ms-excel"
		case "xlsx":
			return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		case "html":
			return "text/html"
		case "txt":
			return "text/plain"
		case "md":
			return "text/markdown"
		}
		return ""
	case "video":
		switch format {
		case "mov":
			return "video/quicktime"
		case "mkv":
			return "video/x-matroska"
		case "flv":
			return "video/x-flv"
		case "mpg":
			return "video/mpeg"
		case "wmv":
			return "video/x-ms-wmv"
		case "three_gp":
			return "video/3gpp"
		}
	case "audio":
		switch format {
		case "mp3", "mpeg":
			return "audio/mpeg"
		}
	case "image":
		if format == "jpg" {
			return "image/jpeg"
		}
	}
	return modality + "/" + format
}

// converseToolResult reads {"toolUseId", "content": [{"text"} | {"json"} |
// {"image"} | {"document"} | {"video"}], "status"}: the response is the
// text of one text block, the JSON of one json block, else the text and
// json blocks as a JSON array; media blocks follow it as parts of their
// own, by their size.
func converseToolResult(v []byte, limit int) []providers.Part {
	p := providers.Part{Type: providers.PartToolCallResponse}
	p.ID, _ = jsonscan.String(v, "toolUseId")
	content, _, _ := jsonscan.Get(v, "content")
	var values [][]byte
	var texts []int // which values are a text's
	var media []providers.Part
	jsonscan.ArrayEach(content, func(b []byte, _ jsonscan.Kind) {
		jsonscan.ObjectEach(b, func(key, bv []byte, bk jsonscan.Kind) {
			switch string(key) {
			case "text":
				texts = append(texts, len(values))
				values = append(values, bv)
			case "json":
				values = append(values, bv)
			case "image", "document", "video", "audio":
				media = append(media, converseMedia(string(key), bv))
			}
		})
	})
	switch {
	case len(values) == 1 && len(texts) == 1:
		s, cut := capture.Text(values[0], limit)
		p.Response, p.Truncated = []byte(s), cut
	case len(values) == 1:
		p.Response, p.Truncated = capture.JSON(values[0], limit)
	case len(values) > 1:
		p.Response, p.Truncated = capture.Array(values, limit)
	}
	return append([]providers.Part{p}, media...)
}

// converseOutput reads a Converse (or Amazon Nova InvokeModel) answer:
// output.message.content and stopReason.
func (d *dialect) converseOutput(body []byte) {
	content, _, _ := jsonscan.Get(body, "output", "message", "content")
	for _, p := range converseBlocks(nil, content, d.asm.Limit()) {
		d.asm.SetPart(0, d.numbers(0).New(p.Type), p)
	}
	reason, _ := jsonscan.String(body, "stopReason")
	d.asm.SetFinishReason(0, reason)
}

// numbers returns the part numbering of message m.
func (d *dialect) numbers(m int) *capture.Parts {
	for len(d.parts) <= m {
		d.parts = append(d.parts, capture.Parts{})
	}
	return &d.parts[m]
}

// converseEvent reads the content of one ConverseStream event (named by
// its :event-type), or of one Amazon Nova InvokeModel stream event, whose
// JSON names it: contentBlockStart (a tool call's id and name),
// contentBlockDelta (text, a tool call's input, reasoning). Amazon Nova's
// InvokeModel stream gives every delta a block of its own; text and
// reasoning run on into one part until a part of another kind.
func (d *dialect) converseEvent(name string, data []byte) {
	block, ok := jsonscan.Int(data, "contentBlockIndex")
	if !ok || block < 0 || block >= maxBlock {
		return
	}
	numbers := d.numbers(0)
	d.answered = true
	switch name {
	case "contentBlockStart":
		if use, _, ok := jsonscan.Get(data, "start", "toolUse"); ok {
			id, _ := jsonscan.String(use, "toolUseId")
			tool, _ := jsonscan.String(use, "name")
			d.asm.ToolCall(0, numbers.Block(int(block), providers.PartToolCall), id, tool, "")
		}
	case "contentBlockDelta":
		delta, _, _ := jsonscan.Get(data, "delta")
		jsonscan.ObjectEach(delta, func(key, v []byte, k jsonscan.Kind) {
			switch string(key) {
			case "text":
				if k == jsonscan.KindString {
					d.asm.AppendJSON(0, numbers.Continue(int(block), providers.PartText), providers.PartText, v)
				}
			case "toolUse":
				if in, ik, ok := jsonscan.Get(v, "input"); ok && ik == jsonscan.KindString {
					d.asm.AppendJSON(0, numbers.Block(int(block), providers.PartToolCall), providers.PartToolCall, in)
				}
			case "reasoningContent":
				if text, tk, ok := jsonscan.Get(v, "text"); ok && tk == jsonscan.KindString {
					d.asm.AppendJSON(0, numbers.Continue(int(block), providers.PartReasoning), providers.PartReasoning, text)
				} else if _, _, ok := jsonscan.Get(v, "redactedContent"); ok {
					d.asm.SetPart(0, numbers.Block(int(block), providers.PartGeneric), providers.Part{Type: providers.PartGeneric, GenericType: "redacted_reasoning"})
				}
			}
		})
	}
}

// finishOutput sets the answer's messages: Claude's as the messages
// dialect read them, the other families' from what the assembler holds; a
// stream's with its stop reason; the answer so far when a stream broke off
// or ended in an exception; none for an error body.
func (d *dialect) finishOutput(r *providers.Result) {
	switch {
	case d.claudeOutput != nil:
		r.Output = d.claudeOutput
	case d.claudeStream:
		r.Output = d.claude.Output()
	case d.answered:
		if r.Streamed {
			d.asm.SetFinishReason(0, r.FinishReason(0))
		}
		r.Output = d.asm.Messages()
	}
}
