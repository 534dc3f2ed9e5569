package providers

import "github.com/otelllm/otelllm/providers/internal/jsonscan"

// Message content, captured only when the application opts in (otelllm's
// WithContentCapture): the provider packages turn their wire formats into
// these plain values, and package otelllm turns them into the GenAI
// semantic conventions' gen_ai.input.messages, gen_ai.output.messages,
// gen_ai.system_instructions and gen_ai.tool.definitions. With capture off
// nothing here is built: no content is kept or parsed.

// The part types of the conventions' message schemas.
const (
	PartText                   = "text"
	PartToolCall               = "tool_call"
	PartToolCallResponse       = "tool_call_response"
	PartServerToolCall         = "server_tool_call"
	PartServerToolCallResponse = "server_tool_call_response"
	PartBlob                   = "blob"
	PartFile                   = "file"
	PartURI                    = "uri"
	PartReasoning              = "reasoning"
	PartGeneric                = "generic"
	// PartCompaction is a summary of earlier context the provider made
	// (Anthropic's compaction blocks, the Responses API's compaction
	// items); Content holds it when it is in clear text.
	PartCompaction = "compaction"
)

// The message roles of the conventions.
const (
	RoleSystem    = "system"
	RoleUser      = "user"
	RoleAssistant = "assistant"
	RoleTool      = "tool"
)

// Part is one part of a message: text, a tool call and its arguments, a
// tool's response, reasoning, or a binary or referenced part, which is
// recorded by its type and size only, never its bytes.
type Part struct {
	// Type is one of the Part constants.
	Type string
	// Content is the text of a text or reasoning part.
	Content string
	// ID and Name identify a tool call, or the call a tool response
	// answers.
	ID, Name string
	// Arguments are a tool call's arguments, Response a tool's response:
	// JSON as sent, compacted, when the wire value is structured; the
	// text when it is a string (OpenAI sends arguments as the text of a
	// JSON object).
	// Text that is JSON is recorded as JSON; other text as a string. A
	// server tool call's input is its Arguments, a server tool call
	// response's result its Response.
	Arguments, Response []byte
	// Modality (image, audio, video, document), MIMEType and Size (in
	// bytes; 0 when unknown) describe a blob, file or URI part; URI and
	// FileID name a referenced one. The bytes of a blob are never kept.
	Modality, MIMEType string
	Size               int64
	URI, FileID        string
	// GenericType names what a generic part is in the provider's words;
	// for a server tool call or its response, the provider's type of it
	// (web_search_call, server_tool_use, web_search_tool_result...).
	GenericType string
	// Truncated reports that Content, Arguments or Response were cut to
	// the capture limit.
	Truncated bool
}

// Message is one input or output message.
type Message struct {
	Role  string
	Name  string
	Parts []Part
	// FinishReason is an output message's finish reason, in the
	// provider's words.
	FinishReason string
}

// ToolDefinition is one tool the request offered the model.
type ToolDefinition struct {
	// Type is "function" for function tools, else the provider's name for
	// the tool type (web_search, code_execution, ...).
	Type        string
	Name        string
	Description string
	// Parameters is the tool's parameter schema, JSON as sent,
	// compacted; nil when it was over the capture limit (and Truncated
	// set).
	Parameters []byte
	// Truncated reports that Description was cut, or Parameters left out,
	// for the capture limit.
	Truncated bool
}

// RequestContent is what a request says to the model: the system
// instructions, the input messages and the tools offered.
type RequestContent struct {
	System   []Part
	Messages []Message
	Tools    []ToolDefinition
}

// A ContentCapturer is a Call that can capture message content. The
// transport calls CaptureContent before Request when the application opted
// in; the Call then puts the request's content in Request.Content and the
// answer's in Response.Output, each text, arguments or response value cut
// to limit bytes (and marked Truncated). Without the call, a ContentCapturer
// parses no content at all.
type ContentCapturer interface {
	Call
	CaptureContent(limit int)
}

// Assembler rebuilds the messages of a streamed answer from its deltas, as
// the application reads it: text and reasoning deltas appended, tool-call
// arguments joined from their fragments, each value bounded by the limit
// (what is cut is marked Truncated). Messages are addressed by the
// provider's choice (or candidate) index, parts by the provider's content
// block index within a message; both are bounded, and so is the sum of the
// values kept (MaxAssembled values' worth), so that memory stays bounded
// whatever a stream claims. Deltas are appended to buffers of their own,
// not to strings, so that a long answer costs its length, not its square.
// The zero value captures nothing; use NewAssembler.
type Assembler struct {
	limit   int
	budget  int // bytes that may still be kept, over all values
	msgs    []assembled
	scratch []byte // AppendJSON's unescaped delta, reused
}

// assembled is one message being assembled; buf[i] holds the text or the
// arguments of parts[i] until Messages.
type assembled struct {
	Message
	bufs [][]byte
}

// MaxAssembled bounds the messages and the parts of a message an
// Assembler keeps, whatever indexes a stream claims; the values it keeps
// add up to at most MaxAssembled times its limit.
const MaxAssembled = 128

// NewAssembler returns an Assembler whose values are cut at limit bytes.
func NewAssembler(limit int) *Assembler {
	return &Assembler{limit: limit, budget: MaxAssembled * max(limit, 0)}
}

// part returns part p of message m and its buffer, growing both as needed;
// nil past the bounds.
func (a *Assembler) part(m, p int, typ string) (*Part, *[]byte) {
	if a == nil || m < 0 || p < 0 || m >= MaxAssembled || p >= MaxAssembled {
		return nil, nil
	}
	for len(a.msgs) <= m {
		a.msgs = append(a.msgs, assembled{Message: Message{Role: RoleAssistant}})
	}
	msg := &a.msgs[m]
	for len(msg.Parts) <= p {
		msg.Parts = append(msg.Parts, Part{})
		msg.bufs = append(msg.bufs, nil)
	}
	part := &msg.Parts[p]
	if part.Type == "" {
		part.Type = typ
	}
	return part, &msg.bufs[p]
}

// Text appends a text delta to part p of message m.
func (a *Assembler) Text(m, p int, delta string) {
	if part, buf := a.part(m, p, PartText); part != nil {
		appendDelta(a, part, buf, delta)
	}
}

// Reasoning appends a reasoning (thinking) delta to part p of message m.
func (a *Assembler) Reasoning(m, p int, delta string) {
	if part, buf := a.part(m, p, PartReasoning); part != nil {
		appendDelta(a, part, buf, delta)
	}
}

// AppendJSON appends a delta that arrives as a JSON string value v (quoted
// and escaped, as jsonscan hands it over) to part p of message m: its
// text, to a text, reasoning or compaction part, or its arguments
// fragment, to a tool call. A part not started yet is started as typ. It
// allocates nothing but the growth of the part's buffer, which is what a
// stream parser wants for every delta; v that is not a JSON string, or is
// empty, is ignored.
func (a *Assembler) AppendJSON(m, p int, typ string, v []byte) {
	if len(v) <= 2 || v[0] != '"' {
		return // null, "": nothing to start a part with
	}
	part, buf := a.part(m, p, typ)
	if part == nil || part.Truncated {
		return
	}
	var ok bool
	if a.scratch, ok = jsonscan.AppendUnquoted(a.scratch[:0], v); ok {
		appendDelta(a, part, buf, a.scratch)
	}
}

// ToolCall sets the id and name of the tool call in part p of message m
// (empty values leave those set before) and appends a fragment of its
// arguments. A part set before as a server tool call (SetPart) stays one:
// its input arrives in fragments too.
func (a *Assembler) ToolCall(m, p int, id, name, arguments string) {
	part, buf := a.part(m, p, PartToolCall)
	if part == nil {
		return
	}
	if id != "" {
		part.ID = id
	}
	if name != "" {
		part.Name = name
	}
	appendDelta(a, part, buf, arguments)
}

// SetPart sets part p of message m whole (a tool call read in one piece, a
// binary part by its size), replacing what its deltas had assembled.
func (a *Assembler) SetPart(m, p int, part Part) {
	if dst, buf := a.part(m, p, part.Type); dst != nil {
		a.budget += len(*buf)
		*buf = nil
		a.budget -= len(part.Content) + len(part.Arguments)
		*dst = part
	}
}

// SetRole sets the role of message m, when the stream names it.
func (a *Assembler) SetRole(m int, role string) {
	if a == nil || m < 0 || m >= MaxAssembled || role == "" {
		return
	}
	a.grow(m)
	if a.msgs[m].Role != role {
		a.msgs[m].Role = role
	}
}

// SetFinishReason records message m's finish reason.
func (a *Assembler) SetFinishReason(m int, reason string) {
	if a == nil || m < 0 || m >= MaxAssembled || reason == "" {
		return
	}
	a.grow(m)
	a.msgs[m].FinishReason = reason
}

func (a *Assembler) grow(m int) {
	for len(a.msgs) <= m {
		a.msgs = append(a.msgs, assembled{Message: Message{Role: RoleAssistant}})
	}
}

// Messages returns the messages assembled so far, leaving out parts that
// never got a delta.
func (a *Assembler) Messages() []Message {
	if a == nil {
		return nil
	}
	out := make([]Message, 0, len(a.msgs))
	for _, m := range a.msgs {
		msg := m.Message
		msg.Parts = make([]Part, 0, len(m.Parts))
		for i, p := range m.Parts {
			if p.Type == "" {
				continue
			}
			if b := m.bufs[i]; b != nil {
				if isCall(p.Type) {
					p.Arguments = append(p.Arguments[:len(p.Arguments):len(p.Arguments)], b...)
				} else {
					p.Content += string(b)
				}
			}
			msg.Parts = append(msg.Parts, p)
		}
		out = append(out, msg)
	}
	return out
}

// Limit returns the capture limit, in bytes per value.
func (a *Assembler) Limit() int {
	if a == nil {
		return 0
	}
	return a.limit
}

// appendDelta adds delta to the part's buffer, within the part's limit and
// the Assembler's budget; what does not fit is cut, at a character
// boundary for text, and the part marked Truncated.
func appendDelta[S string | []byte](a *Assembler, part *Part, buf *[]byte, delta S) {
	if len(delta) == 0 || part.Truncated {
		return
	}
	have := len(*buf) + len(part.Content) + len(part.Arguments)
	room := max(min(a.limit-have, a.budget), 0)
	if len(delta) > room {
		if !isCall(part.Type) {
			for room > 0 && delta[room]&0xC0 == 0x80 {
				room-- // not inside a character
			}
		}
		delta = delta[:room]
		part.Truncated = true
	}
	*buf = append(*buf, delta...)
	a.budget -= len(delta)
}

// isCall reports the part types whose deltas are arguments, not text.
func isCall(typ string) bool { return typ == PartToolCall || typ == PartServerToolCall }

// Truncate cuts the part's Content, Arguments and Response to limit bytes
// each (text at a character boundary), marking it Truncated when it cut.
func (p *Part) Truncate(limit int) {
	limit = max(limit, 0)
	if len(p.Content) > limit {
		p.Content, p.Truncated = Cut(p.Content, limit), true
	}
	if len(p.Arguments) > limit {
		p.Arguments, p.Truncated = p.Arguments[:limit:limit], true
	}
	if len(p.Response) > limit {
		p.Response, p.Truncated = p.Response[:limit:limit], true
	}
}

// Cut returns s cut to at most n bytes, at a UTF-8 character boundary.
func Cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
