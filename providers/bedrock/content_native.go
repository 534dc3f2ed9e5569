package bedrock

// The content of the other model families' InvokeModel bodies: Meta Llama,
// Amazon Titan Text, Mistral, Cohere Command and Command R, DeepSeek and
// the OpenAI-style bodies (gpt-oss, AI21 Jamba, Mistral's chat format,
// imported models), whole and streamed. Their text-prompt requests are one
// user message of the prompt as sent, template tokens and all.

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/dialect/command"
	"github.com/otelllm/otelllm/providers/internal/dialect/messages"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// maxChoices bounds the choice (or result, or output) indexes read from a
// body; the Assembler bounds what it keeps.
const maxChoices = 128

// invokeRequestContent reads an InvokeModel body of whichever family it
// is written for: Anthropic Messages (anthropic_version), Amazon Nova
// (Converse-shaped messages), OpenAI-style messages, Cohere Command R
// (message, chat_history), or a text prompt (prompt, inputText).
func invokeRequestContent(body []byte, limit int) *providers.RequestContent {
	anthropic, nova, commandR := false, false, false
	var msgs []byte
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "anthropic_version":
			anthropic = true
		case "schemaVersion", "toolConfig":
			nova = true
		case "message", "chat_history":
			commandR = true
		case "messages":
			if k == jsonscan.KindArray {
				msgs = v
			}
		}
	})
	switch {
	case anthropic:
		return capture.Content(messages.RequestContent(body, limit))
	case msgs != nil && (nova || untypedBlocks(msgs)):
		return converseRequestContent(body, limit)
	case msgs != nil:
		return chatRequestContent(body, limit)
	case commandR:
		return command.RequestContent(body, limit)
	}
	return promptRequestContent(body, limit)
}

// untypedBlocks reports whether the first message's content is an array of
// blocks without a "type", as Converse and Amazon Nova write them.
func untypedBlocks(messages []byte) bool {
	untyped := false
	first := true
	jsonscan.ArrayEach(messages, func(m []byte, _ jsonscan.Kind) {
		if !first {
			return
		}
		first = false
		content, k, _ := jsonscan.Get(m, "content")
		if k != jsonscan.KindArray {
			return
		}
		jsonscan.ArrayEach(content, func(b []byte, _ jsonscan.Kind) {
			if _, _, typed := jsonscan.Get(b, "type"); !typed {
				untyped = true
			}
		})
	})
	return untyped
}

// chatRequestContent reads OpenAI-style messages and tools.
func chatRequestContent(body []byte, limit int) *providers.RequestContent {
	var rc providers.RequestContent
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "messages":
			jsonscan.ArrayEach(v, func(m []byte, _ jsonscan.Kind) {
				rc.Messages = append(rc.Messages, chatMessage(m, limit))
			})
		case "tools":
			jsonscan.ArrayEach(v, func(t []byte, _ jsonscan.Kind) {
				if def, ok := capture.FunctionTool(t, limit); ok {
					rc.Tools = append(rc.Tools, def)
				}
			})
		}
	})
	return capture.Content(&rc)
}

// chatMessage reads one OpenAI-style message: {"role", "content" (a string
// or text items), "reasoning_content", "tool_calls", "tool_call_id"}.
func chatMessage(m []byte, limit int) providers.Message {
	var msg providers.Message
	var content, calls, callID []byte
	var contentKind jsonscan.Kind
	jsonscan.ObjectEach(m, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "role":
			msg.Role, _ = jsonscan.StringValue(v, k)
		case "content":
			content, contentKind = v, k
		case "reasoning_content":
			if p := capture.TextPart(providers.PartReasoning, v, limit); k == jsonscan.KindString && p.Content != "" {
				msg.Parts = append(msg.Parts, p)
			}
		case "tool_calls":
			calls = v
		case "tool_call_id":
			callID = v
		}
	})
	if msg.Role == providers.RoleTool {
		p := providers.Part{Type: providers.PartToolCallResponse}
		p.ID, _ = jsonscan.Str(callID)
		p.Response, p.Truncated = capture.Value(content, limit)
		msg.Parts = append(msg.Parts, p)
		return msg
	}
	switch contentKind {
	case jsonscan.KindString:
		msg.Parts = append(msg.Parts, capture.TextPart(providers.PartText, content, limit))
	case jsonscan.KindArray:
		jsonscan.ArrayEach(content, func(item []byte, _ jsonscan.Kind) {
			if text, tk, ok := jsonscan.Get(item, "text"); ok && tk == jsonscan.KindString {
				msg.Parts = append(msg.Parts, capture.TextPart(providers.PartText, text, limit))
			}
		})
	}
	jsonscan.ArrayEach(calls, func(tc []byte, _ jsonscan.Kind) {
		msg.Parts = append(msg.Parts, capture.FunctionCall(tc, limit))
	})
	return msg
}

// promptRequestContent reads a text-prompt body: Llama's, Mistral's,
// Cohere Command's and DeepSeek's prompt, Titan's inputText.
func promptRequestContent(body []byte, limit int) *providers.RequestContent {
	var prompt []byte
	var promptKind jsonscan.Kind
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		if string(key) == "prompt" || string(key) == "inputText" {
			prompt, promptKind = v, k
		}
	})
	if promptKind != jsonscan.KindString {
		return nil
	}
	return &providers.RequestContent{Messages: []providers.Message{{Role: providers.RoleUser, Parts: []providers.Part{capture.TextPart(providers.PartText, prompt, limit)}}}}
}

// invokeOutput reads a whole InvokeModel answer of any family.
func (d *dialect) invokeOutput(body []byte) {
	limit := d.asm.Limit()
	var typ, content, output, generation, results, outputs, choices, generations, text, calls, reason []byte
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "type":
			typ = v
		case "content":
			content = v
		case "output":
			output = v
		case "generation":
			generation = v
		case "results":
			results = v
		case "outputs":
			outputs = v
		case "choices":
			choices = v
		case "generations":
			generations = v
		case "text":
			text = v
		case "tool_calls":
			calls = v
		case "stop_reason", "finish_reason":
			reason = v
		}
	})
	str := func(v []byte) string { s, _ := jsonscan.Str(v); return s }
	switch {
	case string(typ) == `"message"` || content != nil:
		d.claudeOutput = messages.OutputContent(body, limit)
	case output != nil:
		d.converseOutput(body)
	case generation != nil: // Meta Llama
		d.setText(0, generation, limit)
		d.asm.SetFinishReason(0, str(reason))
	case results != nil: // Amazon Titan Text
		d.eachChoice(results, func(i int, res []byte) {
			v, _, _ := jsonscan.Get(res, "outputText")
			d.setText(i, v, limit)
			r, _ := jsonscan.String(res, "completionReason")
			d.asm.SetFinishReason(i, r)
		})
	case outputs != nil: // Mistral
		d.eachChoice(outputs, func(i int, out []byte) {
			v, _, _ := jsonscan.Get(out, "text")
			d.setText(i, v, limit)
			r, _ := jsonscan.String(out, "stop_reason")
			d.asm.SetFinishReason(i, r)
		})
	case choices != nil: // OpenAI-style
		d.eachChoice(choices, func(i int, choice []byte) {
			if msg, _, ok := jsonscan.Get(choice, "message"); ok {
				for _, p := range chatMessage(msg, limit).Parts {
					d.asm.SetPart(i, d.numbers(i).New(p.Type), p)
				}
			} else if v, _, ok := jsonscan.Get(choice, "text"); ok {
				d.setText(i, v, limit)
			}
			r, ok := jsonscan.String(choice, "finish_reason")
			if !ok {
				r, _ = jsonscan.String(choice, "stop_reason")
			}
			d.asm.SetFinishReason(i, r)
		})
	case generations != nil: // Cohere Command
		d.eachChoice(generations, func(i int, g []byte) {
			v, _, _ := jsonscan.Get(g, "text")
			d.setText(i, v, limit)
			r, _ := jsonscan.String(g, "finish_reason")
			d.asm.SetFinishReason(i, r)
		})
	case text != nil || calls != nil: // Cohere Command R
		d.setText(0, text, limit)
		jsonscan.ArrayEach(calls, func(tc []byte, _ jsonscan.Kind) {
			d.asm.SetPart(0, d.numbers(0).New(providers.PartToolCall), command.ToolCall(tc, limit))
		})
		d.asm.SetFinishReason(0, str(reason))
	}
}

// setText sets a new text part of message m from the JSON string v.
func (d *dialect) setText(m int, v []byte, limit int) {
	if len(v) >= 2 && v[0] == '"' {
		d.asm.SetPart(m, d.numbers(m).New(providers.PartText), capture.TextPart(providers.PartText, v, limit))
	}
}

// eachChoice calls fn with the message index and each element of the array
// list: its "index" member when it has one, else its position.
func (d *dialect) eachChoice(list []byte, fn func(i int, elem []byte)) {
	pos := 0
	jsonscan.ArrayEach(list, func(elem []byte, _ jsonscan.Kind) {
		i := pos
		pos++
		if n, ok := jsonscan.Int(elem, "index"); ok {
			i = int(min(max(n, -1), maxChoices))
		}
		if i >= 0 && i < maxChoices {
			fn(i, elem)
		}
	})
}

// nativeContent reads the content of one decoded InvokeModel stream event
// that is not Anthropic Messages: Amazon Nova's contentBlockStart and
// contentBlockDelta, Llama's generation, Titan's outputText, Mistral's
// outputs, OpenAI-style choices, and Cohere's text and tool calls.
func (d *dialect) nativeContent(event []byte) {
	limit := d.asm.Limit()
	var eventType []byte
	handled := false
	jsonscan.ObjectEach(event, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "contentBlockStart", "contentBlockDelta": // Amazon Nova
			d.converseEvent(string(key), v)
			handled = true
		case "event_type":
			eventType = v
		}
	})
	if handled {
		return
	}
	delta := func(m int, v []byte) {
		if len(v) >= 2 && v[0] == '"' {
			d.answered = true
			d.asm.AppendJSON(m, d.numbers(m).Continue(-1, providers.PartText), providers.PartText, v)
		}
	}
	if v, _, ok := jsonscan.Get(event, "generation"); ok { // Meta Llama
		delta(0, v)
		return
	}
	if v, _, ok := jsonscan.Get(event, "outputText"); ok { // Amazon Titan
		i, _ := jsonscan.Int(event, "index")
		if i >= 0 && i < maxChoices {
			delta(int(i), v)
		}
		return
	}
	if outputs, _, ok := jsonscan.Get(event, "outputs"); ok { // Mistral
		d.eachChoice(outputs, func(i int, out []byte) {
			v, _, _ := jsonscan.Get(out, "text")
			delta(i, v)
		})
		return
	}
	if choices, _, ok := jsonscan.Get(event, "choices"); ok { // OpenAI-style
		d.eachChoice(choices, func(i int, choice []byte) {
			d.choiceDelta(i, choice, limit)
		})
		return
	}
	switch string(eventType) { // Cohere
	case "", `"text-generation"`:
		if v, _, ok := jsonscan.Get(event, "text"); ok {
			delta(0, v)
		}
	case `"tool-calls-generation"`:
		calls, _, _ := jsonscan.Get(event, "tool_calls")
		jsonscan.ArrayEach(calls, func(tc []byte, _ jsonscan.Kind) {
			d.answered = true
			d.asm.SetPart(0, d.numbers(0).New(providers.PartToolCall), command.ToolCall(tc, limit))
		})
	}
}

// choiceDelta reads one streamed OpenAI-style choice: {"delta": {"content",
// "reasoning_content", "tool_calls": [{"index", "id", "function": {"name",
// "arguments"}}]}}, or a completion's {"text"}.
func (d *dialect) choiceDelta(i int, choice []byte, limit int) {
	numbers := d.numbers(i)
	d.answered = true
	if v, _, ok := jsonscan.Get(choice, "text"); ok && len(v) >= 2 && v[0] == '"' {
		d.asm.AppendJSON(i, numbers.Continue(-1, providers.PartText), providers.PartText, v)
		return
	}
	delta, _, _ := jsonscan.Get(choice, "delta")
	if v, k, ok := jsonscan.Get(delta, "reasoning_content"); ok && k == jsonscan.KindString {
		d.asm.AppendJSON(i, numbers.Continue(-1, providers.PartReasoning), providers.PartReasoning, v)
	}
	if v, k, ok := jsonscan.Get(delta, "content"); ok && k == jsonscan.KindString && len(v) > 2 {
		d.asm.AppendJSON(i, numbers.Continue(-1, providers.PartText), providers.PartText, v)
	}
	calls, _, _ := jsonscan.Get(delta, "tool_calls")
	pos := 0
	jsonscan.ArrayEach(calls, func(tc []byte, _ jsonscan.Kind) {
		n, ok := jsonscan.Int(tc, "index")
		if !ok {
			n = int64(pos)
		}
		pos++
		if n < 0 || n >= maxBlock {
			return
		}
		id, _ := jsonscan.String(tc, "id")
		name, _ := jsonscan.String(tc, "function", "name")
		// Tool calls are numbered apart from the text: block -(n+2).
		part := numbers.Block(-int(n)-2, providers.PartToolCall)
		d.asm.ToolCall(i, part, id, name, "")
		if v, k, ok := jsonscan.Get(tc, "function", "arguments"); ok && k == jsonscan.KindString {
			d.asm.AppendJSON(i, part, providers.PartToolCall, v)
		}
	})
}
