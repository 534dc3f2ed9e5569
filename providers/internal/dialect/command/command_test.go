package command

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
)

func TestRequestContent(t *testing.T) {
	body := []byte(`{"message":"And Rome?","preamble":"Be brief.",` +
		`"chat_history":[{"role":"USER","message":"Weather in Paris?"},{"role":"CHATBOT","message":"","tool_calls":[{"name":"weather","parameters":{"city":"Paris"}}]},{"role":"TOOL","tool_results":[{"call":{"name":"weather","parameters":{"city":"Paris"}},"outputs":[{"sky":"rain"}]}]}],` +
		`"tool_results":[{"call":{"name":"weather","parameters":{"city":"Rome"}},"outputs":[{"sky":"clear"}]}],` +
		`"tools":[{"name":"weather","description":"The weather.","parameter_definitions":{"city":{"type":"str"}}}],"documents":[{"id":"d1","title":"t","snippet":"s"},"plain"]}`)
	got := RequestContent(body, 100)
	assert.Equal(t, &providers.RequestContent{
		System: []providers.Part{
			{Type: providers.PartText, Content: "Be brief."},
			{Type: providers.PartGeneric, GenericType: "document", ID: "d1", Content: `{"id":"d1","title":"t","snippet":"s"}`},
			{Type: providers.PartGeneric, GenericType: "document", Content: "plain"},
		},
		Messages: []providers.Message{
			{Role: providers.RoleUser, Parts: []providers.Part{{Type: providers.PartText, Content: "Weather in Paris?"}}},
			{Role: providers.RoleAssistant, Parts: []providers.Part{{Type: providers.PartText}, {Type: providers.PartToolCall, Name: "weather", Arguments: []byte(`{"city":"Paris"}`)}}},
			{Role: providers.RoleTool, Parts: []providers.Part{{Type: providers.PartToolCallResponse, Name: "weather", Response: []byte(`[{"sky":"rain"}]`)}}},
			{Role: providers.RoleTool, Parts: []providers.Part{{Type: providers.PartToolCallResponse, Name: "weather", Response: []byte(`[{"sky":"clear"}]`)}}},
			{Role: providers.RoleUser, Parts: []providers.Part{{Type: providers.PartText, Content: "And Rome?"}}},
		},
		Tools: []providers.ToolDefinition{{Type: "function", Name: "weather", Description: "The weather."}},
	}, got, "the history, then the tools' results, then the message")
	assert.Nil(t, RequestContent([]byte(`{"max_tokens":10}`), 100), "nothing said")
	assert.Equal(t, "custom", Role("custom"))
	assert.Equal(t, providers.RoleAssistant, Role("Chatbot"))
}
