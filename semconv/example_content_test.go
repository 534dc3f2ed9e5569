package semconv_test

import (
	"fmt"
	"os"

	"github.com/otelllm/otelllm/semconv"
)

// Captured content is built from the provider's request and response and
// set on the span as JSON strings, only when the user opted in.
func ExampleInputMessages() {
	input := semconv.InputMessages{
		{Role: semconv.RoleUser, Parts: []semconv.Part{semconv.TextPart("Weather in Paris? <short answer>")}},
		{Role: semconv.RoleAssistant, Parts: []semconv.Part{
			// OpenAI sends arguments as the text of a JSON object.
			semconv.ToolCallPart("call_1", "get_weather", semconv.JSONValue([]byte(`{"location":"Paris"}`))),
		}},
		{Role: semconv.RoleTool, Parts: []semconv.Part{
			semconv.ToolCallResponsePart("call_1", semconv.JSONValue([]byte("rainy, 14°C"))),
		}},
	}
	b, err := semconv.MarshalContent(input)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	attr := semconv.GenAIInputMessagesKey.String(string(b))
	fmt.Println(attr.Key)
	fmt.Println(attr.Value.AsString())
	// Output:
	// gen_ai.input.messages
	// [{"role":"user","parts":[{"type":"text","content":"Weather in Paris? <short answer>"}]},{"role":"assistant","parts":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"location":"Paris"}}]},{"role":"tool","parts":[{"type":"tool_call_response","id":"call_1","response":"rainy, 14°C"}]}]
}

// OTEL_SEMCONV_STABILITY_OPT_IN chooses the names, once, at setup.
func ExampleParseStability() {
	s := semconv.ParseStability("http/dup, gen_ai_latest_experimental/dup")
	fmt.Println(s, s.EmitsDefault(), s.EmitsLatest())
	// Output: gen_ai_latest_experimental/dup true true
}
