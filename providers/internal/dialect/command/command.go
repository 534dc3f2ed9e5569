// Package command reads the message content of Cohere's Command R chat
// format, which reaches the transport two ways: Cohere's v1 chat API
// (api.cohere.com/v1/chat) and the InvokeModel bodies of Command R on
// Bedrock, which are written the same way. providers/cohere and
// providers/bedrock share it so that the two are read one way: the
// preamble and grounding documents as system instructions, chat_history
// (roles USER, CHATBOT, SYSTEM, TOOL), the tools' results and the message
// as input messages, v1's tools (whose parameter_definitions are not a
// JSON schema, and are not kept as one), and the tool calls of an answer.
// Every value is cut to the capture limit. It is used only when the
// application opted in to content capture.
package command

import (
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/capture"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// RequestContent reads a chat request: message, preamble, chat_history,
// tool_results, tools and documents. The turn being asked follows the
// history: the tools' results, then the message. It returns nil when the
// body says nothing to the model.
func RequestContent(body []byte, limit int) *providers.RequestContent {
	var rc providers.RequestContent
	var message, results []byte
	jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "chat_history":
			jsonscan.ArrayEach(v, func(m []byte, mk jsonscan.Kind) {
				if mk == jsonscan.KindObject {
					rc.Messages = append(rc.Messages, historyMessage(m, limit))
				}
			})
		case "message":
			if k == jsonscan.KindString {
				message = v
			}
		case "preamble":
			if k == jsonscan.KindString {
				rc.System = append(rc.System, capture.TextPart(providers.PartText, v, limit))
			}
		case "tool_results":
			results = v
		case "tools":
			jsonscan.ArrayEach(v, func(t []byte, _ jsonscan.Kind) {
				if def, ok := Tool(t, limit); ok {
					rc.Tools = append(rc.Tools, def)
				}
			})
		case "documents":
			jsonscan.ArrayEach(v, func(doc []byte, dk jsonscan.Kind) {
				rc.System = append(rc.System, Document(doc, dk, limit))
			})
		}
	})
	if results != nil {
		m := providers.Message{Role: providers.RoleTool}
		jsonscan.ArrayEach(results, func(res []byte, _ jsonscan.Kind) {
			m.Parts = append(m.Parts, toolResult(res, limit))
		})
		rc.Messages = append(rc.Messages, m)
	}
	if message != nil {
		rc.Messages = append(rc.Messages, providers.Message{Role: providers.RoleUser, Parts: []providers.Part{capture.TextPart(providers.PartText, message, limit)}})
	}
	return capture.Content(&rc)
}

// Role maps Command R's roles (USER, CHATBOT, SYSTEM, TOOL) to the
// conventions'; another is kept as sent.
func Role(role string) string {
	switch strings.ToUpper(role) {
	case "USER":
		return providers.RoleUser
	case "CHATBOT":
		return providers.RoleAssistant
	case "SYSTEM":
		return providers.RoleSystem
	case "TOOL":
		return providers.RoleTool
	}
	return role
}

// historyMessage reads one chat_history entry: {"role", "message",
// "tool_calls": [{"name","parameters"}], "tool_results": [...]}.
func historyMessage(m []byte, limit int) providers.Message {
	var msg providers.Message
	jsonscan.ObjectEach(m, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "role":
			role, _ := jsonscan.StringValue(v, k)
			msg.Role = Role(role)
		case "message":
			if k == jsonscan.KindString {
				msg.Parts = append(msg.Parts, capture.TextPart(providers.PartText, v, limit))
			}
		case "tool_calls":
			jsonscan.ArrayEach(v, func(tc []byte, _ jsonscan.Kind) {
				msg.Parts = append(msg.Parts, ToolCall(tc, limit))
			})
		case "tool_results":
			jsonscan.ArrayEach(v, func(res []byte, _ jsonscan.Kind) {
				msg.Parts = append(msg.Parts, toolResult(res, limit))
			})
		}
	})
	return msg
}

// ToolCall reads a tool call, {"name", "parameters": {...}}: Command R's
// calls have no id.
func ToolCall(tc []byte, limit int) providers.Part {
	p := providers.Part{Type: providers.PartToolCall}
	p.Name, _ = jsonscan.String(tc, "name")
	if args, _, ok := jsonscan.Get(tc, "parameters"); ok {
		p.Arguments, p.Truncated = capture.Value(args, limit)
	}
	return p
}

// toolResult reads {"call": {"name", "parameters"}, "outputs": [...]}.
func toolResult(res []byte, limit int) providers.Part {
	p := providers.Part{Type: providers.PartToolCallResponse}
	p.Name, _ = jsonscan.String(res, "call", "name")
	if out, _, ok := jsonscan.Get(res, "outputs"); ok {
		p.Response, p.Truncated = capture.JSON(out, limit)
	}
	return p
}

// Tool reads a tool offered, {"name", "description",
// "parameter_definitions"}: a function by its name and description; ok is
// false without a name.
func Tool(t []byte, limit int) (providers.ToolDefinition, bool) {
	def := providers.ToolDefinition{Type: "function"}
	def.Name, _ = jsonscan.String(t, "name")
	if v, _, ok := jsonscan.Get(t, "description"); ok {
		capture.Describe(&def, v, limit)
	}
	return def, def.Name != ""
}

// Document reads a grounding document of kind k: a string, or an object
// ({"title", "snippet", ...} as v1 sends it; {"id", "data": {...}} as
// Cohere's v2 does). It is text the model reads, kept as a generic part of
// type "document".
func Document(doc []byte, k jsonscan.Kind, limit int) providers.Part {
	p := providers.Part{Type: providers.PartGeneric, GenericType: "document"}
	switch k {
	case jsonscan.KindString:
		p.Content, p.Truncated = capture.Text(doc, limit)
	case jsonscan.KindObject:
		p.ID, _ = jsonscan.String(doc, "id")
		data, dk, ok := jsonscan.Get(doc, "data")
		if !ok {
			data, dk = doc, k // v1: the document is its fields
		}
		if dk == jsonscan.KindString {
			p.Content, p.Truncated = capture.Text(data, limit)
		} else {
			raw, cut := capture.JSON(data, limit)
			p.Content, p.Truncated = string(raw), cut
		}
	}
	return p
}
