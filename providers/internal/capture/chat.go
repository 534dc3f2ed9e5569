package capture

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// The tool call and the function tool of OpenAI's Chat Completions, whose
// shapes Cohere v2, Ollama and the OpenAI-style bodies of Bedrock copy.

// FunctionCall reads one tool call, {"id", "function": {"name",
// "arguments"}}: arguments the text of a string (OpenAI, Cohere) or the
// JSON of an object (Ollama), cut to limit.
func FunctionCall(tc []byte, limit int) providers.Part {
	p := providers.Part{Type: providers.PartToolCall}
	p.ID, _ = jsonscan.String(tc, "id")
	fn, _, _ := jsonscan.Get(tc, "function")
	p.Name, _ = jsonscan.String(fn, "name")
	if args, _, ok := jsonscan.Get(fn, "arguments"); ok {
		p.Arguments, p.Truncated = Value(args, limit)
	}
	return p
}

// FunctionTool reads one tool offered, {"type": "function", "function":
// {"name", "description", "parameters"}}, its description and schema cut
// to limit; ok is false for a tool without a function or a name.
func FunctionTool(t []byte, limit int) (def providers.ToolDefinition, ok bool) {
	def.Type = "function"
	if typ, ok := jsonscan.String(t, "type"); ok && typ != "" {
		def.Type = typ
	}
	fn, _, ok := jsonscan.Get(t, "function")
	if !ok {
		return def, false
	}
	def.Name, _ = jsonscan.String(fn, "name")
	if v, _, ok := jsonscan.Get(fn, "description"); ok {
		Describe(&def, v, limit)
	}
	if v, _, ok := jsonscan.Get(fn, "parameters"); ok {
		Parameters(&def, v, limit)
	}
	return def, def.Name != ""
}
