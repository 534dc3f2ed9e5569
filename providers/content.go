package providers

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
	// Arguments are a tool call's arguments (JSON as sent, or the text
	// of arguments that are not JSON); Response a tool's response.
	Arguments, Response []byte
	// Modality (image, audio, video, document), MIMEType and Size (in
	// bytes; 0 when unknown) describe a blob, file or URI part; URI and
	// FileID name a referenced one. The bytes of a blob are never kept.
	Modality, MIMEType string
	Size               int64
	URI, FileID        string
	// GenericType names what a generic part is in the provider's words.
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
	// Parameters is the tool's parameter schema, JSON as sent; nil when
	// it was over the capture limit (and Truncated set).
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
// block index within a message; both are bounded. The zero value captures
// nothing; use NewAssembler.
type Assembler struct {
	limit int
	msgs  []Message
}

// maxAssembled bounds the messages and the parts of a message an
// Assembler keeps, whatever indexes a stream claims.
const maxAssembled = 128

// NewAssembler returns an Assembler whose values are cut at limit bytes.
func NewAssembler(limit int) *Assembler { return &Assembler{limit: limit} }

// part returns part p of message m, growing both as needed; nil past the
// bounds.
func (a *Assembler) part(m, p int, typ string) *Part {
	if a == nil || m < 0 || p < 0 || m >= maxAssembled || p >= maxAssembled {
		return nil
	}
	for len(a.msgs) <= m {
		a.msgs = append(a.msgs, Message{Role: RoleAssistant})
	}
	msg := &a.msgs[m]
	for len(msg.Parts) <= p {
		msg.Parts = append(msg.Parts, Part{})
	}
	part := &msg.Parts[p]
	if part.Type == "" {
		part.Type = typ
	}
	return part
}

// Text appends a text delta to part p of message m.
func (a *Assembler) Text(m, p int, delta string) {
	if part := a.part(m, p, PartText); part != nil {
		part.Content, part.Truncated = a.appendText(part.Content, delta, part.Truncated)
	}
}

// Reasoning appends a reasoning (thinking) delta to part p of message m.
func (a *Assembler) Reasoning(m, p int, delta string) {
	if part := a.part(m, p, PartReasoning); part != nil {
		part.Content, part.Truncated = a.appendText(part.Content, delta, part.Truncated)
	}
}

// ToolCall sets the id and name of the tool call in part p of message m
// (empty values leave those set before) and appends a fragment of its
// arguments.
func (a *Assembler) ToolCall(m, p int, id, name, arguments string) {
	part := a.part(m, p, PartToolCall)
	if part == nil {
		return
	}
	if id != "" {
		part.ID = id
	}
	if name != "" {
		part.Name = name
	}
	if arguments == "" || part.Truncated {
		return
	}
	if room := a.limit - len(part.Arguments); len(arguments) > room {
		part.Arguments = append(part.Arguments, arguments[:max(room, 0)]...)
		part.Truncated = true
		return
	}
	part.Arguments = append(part.Arguments, arguments...)
}

// SetPart sets part p of message m whole (a tool call read in one piece, a
// binary part by its size).
func (a *Assembler) SetPart(m, p int, part Part) {
	if dst := a.part(m, p, part.Type); dst != nil {
		*dst = part
	}
}

// Finish records message m's finish reason.
func (a *Assembler) Finish(m int, reason string) {
	if a == nil || m < 0 || m >= maxAssembled || reason == "" {
		return
	}
	for len(a.msgs) <= m {
		a.msgs = append(a.msgs, Message{Role: RoleAssistant})
	}
	a.msgs[m].FinishReason = reason
}

// Messages returns the messages assembled so far, leaving out parts that
// never got a delta.
func (a *Assembler) Messages() []Message {
	if a == nil {
		return nil
	}
	out := make([]Message, 0, len(a.msgs))
	for _, m := range a.msgs {
		parts := m.Parts[:0:0]
		for _, p := range m.Parts {
			if p.Type != "" {
				parts = append(parts, p)
			}
		}
		m.Parts = parts
		out = append(out, m)
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

func (a *Assembler) appendText(have, delta string, cut bool) (string, bool) {
	if cut {
		return have, true
	}
	if room := a.limit - len(have); len(delta) > room {
		return have + Cut(delta, max(room, 0)), true
	}
	return have + delta, false
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
