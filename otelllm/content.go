package otelllm

import (
	"context"
	"fmt"
	"os"
	"strings"

	"go.opentelemetry.io/otel/log"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// ContentMode says whether message content is captured, and where it is
// recorded: on the span, in the gen_ai.client.inference.operation.details
// event, in both, or nowhere (the default).
type ContentMode uint8

// The content capture modes, named as the values of
// OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT.
const (
	// ContentNone (NO_CONTENT) captures nothing: no content is kept or
	// parsed. It is the default.
	ContentNone ContentMode = iota
	// ContentSpan (SPAN_ONLY) records content as JSON string attributes
	// of the call's span.
	ContentSpan
	// ContentEvent (EVENT_ONLY) records content, structured, in the
	// details event, a log record correlated with the span.
	ContentEvent
	// ContentSpanAndEvent (SPAN_AND_EVENT) records it in both.
	ContentSpanAndEvent
)

// String returns the mode's name as the environment variable spells it.
func (m ContentMode) String() string {
	switch m {
	case ContentNone:
		return "NO_CONTENT"
	case ContentSpan:
		return "SPAN_ONLY"
	case ContentEvent:
		return "EVENT_ONLY"
	case ContentSpanAndEvent:
		return "SPAN_AND_EVENT"
	}
	return fmt.Sprintf("ContentMode(%d)", uint8(m))
}

func (m ContentMode) onSpan() bool  { return m == ContentSpan || m == ContentSpanAndEvent }
func (m ContentMode) inEvent() bool { return m == ContentEvent || m == ContentSpanAndEvent }

// DefaultContentLimit is the most of any one captured value (a text, a
// tool call's arguments, a tool's response) recorded: 64 KiB.
const DefaultContentLimit = 64 << 10

// WithContentCapture turns message content capture on (or off) in mode,
// whatever OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT says. The
// default is that variable's mode, else ContentNone: content is recorded
// only when the application asks.
//
// What is captured, in the GenAI conventions' structured form:
// gen_ai.input.messages, gen_ai.output.messages (one message per choice,
// with its finish reason), gen_ai.system_instructions and
// gen_ai.tool.definitions; a streamed answer is reassembled from its deltas
// as the application reads it. Each value is cut to the content limit
// (WithContentLimit); images, audio and other inline data are recorded by
// type and size only; key-shaped secrets are redacted; WithContentFilter
// sees everything before it is recorded. Content never reaches the
// CallRecord of WithCallback.
func WithContentCapture(mode ContentMode) Option {
	return optionFunc(func(c *config) {
		if mode <= ContentSpanAndEvent {
			c.content, c.contentSet = mode, true
		}
	})
}

// WithContentLimit sets the most of each captured value recorded, in bytes
// (default DefaultContentLimit): what is longer is cut, at a character
// boundary, and marked ("truncated": true on the part,
// otelllm.content.truncated on the span and the event). It bounds the
// memory a streamed answer is reassembled in. n < 1 is ignored.
func WithContentLimit(n int) Option {
	return optionFunc(func(c *config) {
		if n >= 1 {
			c.contentLimit = n
		}
	})
}

// WithContentFilter registers fn to see the content of each call before it
// is recorded, on the goroutine that ended the call, with the request's
// context: fn may edit any part, remove parts or messages, or clear the
// whole Content to record none. Filters run in the order given; a panic
// in one is recovered, reported to otel.Handle, and drops the call's
// content. Whatever a filter leaves, secrets are redacted after it.
func WithContentFilter(fn func(ctx context.Context, c *Content)) Option {
	return optionFunc(func(c *config) {
		if fn != nil {
			c.contentFilters = append(c.contentFilters, fn)
		}
	})
}

// WithLoggerProvider sets the LoggerProvider that the details event
// (ContentEvent, ContentSpanAndEvent) is emitted through. The default is
// the global one (go.opentelemetry.io/otel/log/global); nil is ignored.
func WithLoggerProvider(lp log.LoggerProvider) Option {
	return optionFunc(func(c *config) {
		if lp != nil {
			c.loggerProvider = lp
		}
	})
}

// Content is the message content of one call, as WithContentFilter sees it
// before it is recorded. Clearing a field records nothing for it.
type Content struct {
	// SystemInstructions are the instructions the API takes apart from
	// the messages (Anthropic's system, the Responses API's
	// instructions): gen_ai.system_instructions.
	SystemInstructions []providers.Part
	// InputMessages are the messages sent, in order:
	// gen_ai.input.messages.
	InputMessages []providers.Message
	// OutputMessages are the answer, one message per choice:
	// gen_ai.output.messages.
	OutputMessages []providers.Message
	// ToolDefinitions are the tools offered to the model:
	// gen_ai.tool.definitions.
	ToolDefinitions []providers.ToolDefinition
}

func (c *Content) empty() bool {
	return len(c.SystemInstructions) == 0 && len(c.InputMessages) == 0 && len(c.OutputMessages) == 0 && len(c.ToolDefinitions) == 0
}

// contentFromEnv reads OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT:
// a mode name in any case, or the older boolean ("true" is
// SPAN_AND_EVENT, "false" NO_CONTENT). Anything else is reported and means
// NO_CONTENT.
func contentFromEnv() ContentMode {
	v := strings.TrimSpace(os.Getenv(semconv.CaptureMessageContentEnv))
	if v == "" {
		return ContentNone
	}
	if mode, ok := semconv.ParseContentCapture(v); ok {
		switch mode {
		case semconv.SpanOnly:
			return ContentSpan
		case semconv.EventOnly:
			return ContentEvent
		case semconv.SpanAndEvent:
			return ContentSpanAndEvent
		}
		return ContentNone
	}
	switch strings.ToLower(v) {
	case "true":
		return ContentSpanAndEvent
	case "false":
		return ContentNone
	}
	handle(fmt.Errorf("otelllm: %s=%q is not NO_CONTENT, SPAN_ONLY, EVENT_ONLY, SPAN_AND_EVENT, true or false: no content is captured",
		semconv.CaptureMessageContentEnv, v))
	return ContentNone
}

// captureContent asks the call to capture content, when the application
// opted in and the provider can.
func (c *callState) captureContent() {
	cc, ok := c.call.(providers.ContentCapturer)
	if !ok {
		return
	}
	defer func() {
		if rec := recover(); rec != nil {
			c.observeError = fmt.Sprintf("provider panicked capturing content: %v", rec)
		}
	}()
	cc.CaptureContent(c.t.cfg.contentLimit)
}

// recordContent is the content of a record: filtered, limited and
// redacted, ready to be written.
type recordContent struct {
	Content
	truncated bool
}

// content decides what of the call's content is recorded: the request's
// and the answer's, through the application's filters, cut to the limit
// again (a filter may have added to it), with secrets redacted. It returns
// nil when nothing is to be recorded.
func (t *Transport) content(ctx context.Context, req providers.Request, resp providers.Response) *recordContent {
	var rc recordContent
	if req.Content != nil {
		rc.SystemInstructions = req.Content.System
		rc.InputMessages = req.Content.Messages
		rc.ToolDefinitions = req.Content.Tools
	}
	rc.OutputMessages = resp.Output
	if rc.empty() {
		return nil
	}
	for _, fn := range t.cfg.contentFilters {
		if !filterContent(fn, ctx, &rc.Content) {
			return nil
		}
	}
	if rc.empty() {
		return nil
	}
	limit := t.cfg.contentLimit
	rc.SystemInstructions = scrubParts(rc.SystemInstructions, limit, &rc.truncated)
	rc.InputMessages = scrubMessages(rc.InputMessages, limit, &rc.truncated)
	rc.OutputMessages = scrubMessages(rc.OutputMessages, limit, &rc.truncated)
	rc.ToolDefinitions = scrubTools(rc.ToolDefinitions, limit, &rc.truncated)
	return &rc
}

// filterContent runs one filter, and reports false when it panicked: the
// call's content is then dropped, not recorded unfiltered.
func filterContent(fn func(context.Context, *Content), ctx context.Context, c *Content) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			handle(fmt.Errorf("otelllm: content filter panicked, content dropped: %v", r))
			ok = false
		}
	}()
	fn(ctx, c)
	return true
}

// scrubMessages returns copies of msgs whose parts are limited and
// redacted: the providers' values, and what the filters left, are never
// changed in place.
func scrubMessages(msgs []providers.Message, limit int, truncated *bool) []providers.Message {
	if msgs == nil {
		return nil
	}
	out := make([]providers.Message, len(msgs))
	for i, m := range msgs {
		m.Parts = scrubParts(m.Parts, limit, truncated)
		out[i] = m
	}
	return out
}

func scrubParts(parts []providers.Part, limit int, truncated *bool) []providers.Part {
	if parts == nil {
		return nil
	}
	out := make([]providers.Part, len(parts))
	for i, p := range parts {
		p.Truncate(limit)
		p.Content = scrubText(p.Content)
		if p.Arguments != nil {
			p.Arguments = scrubBytes(p.Arguments)
		}
		if p.Response != nil {
			p.Response = scrubBytes(p.Response)
		}
		if p.URI != "" {
			p.URI = redactURLs(p.URI)
		}
		*truncated = *truncated || p.Truncated
		out[i] = p
	}
	return out
}

func scrubTools(tools []providers.ToolDefinition, limit int, truncated *bool) []providers.ToolDefinition {
	if tools == nil {
		return nil
	}
	out := make([]providers.ToolDefinition, len(tools))
	for i, d := range tools {
		if len(d.Description) > limit {
			d.Description, d.Truncated = providers.Cut(d.Description, limit), true
		}
		if len(d.Parameters) > limit {
			d.Parameters, d.Truncated = nil, true
		}
		d.Description = scrubText(d.Description)
		if d.Parameters != nil {
			d.Parameters = scrubBytes(d.Parameters)
		}
		*truncated = *truncated || d.Truncated
		out[i] = d
	}
	return out
}
