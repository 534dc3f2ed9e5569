package providers

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestAssembler(t *testing.T) {
	a := NewAssembler(10)
	a.Text(0, 0, "Hello")
	a.Text(0, 0, ", world")
	a.ToolCall(0, 2, "call_1", "get_weather", `{"city":`)
	a.ToolCall(0, 2, "", "", `"Paris"}`)
	a.Reasoning(1, 0, "thinking")
	a.Finish(0, "tool_calls")
	a.SetPart(1, 1, Part{Type: PartBlob, Modality: "image", MIMEType: "image/png", Size: 2048})
	a.Text(MaxAssembled, 0, "ignored")
	a.Text(0, -1, "ignored")
	got := a.Messages()
	assert.Equal(t, []Message{
		{Role: RoleAssistant, FinishReason: "tool_calls", Parts: []Part{
			{Type: PartText, Content: "Hello, wor", Truncated: true},
			{Type: PartToolCall, ID: "call_1", Name: "get_weather", Arguments: []byte(`{"city":"P`), Truncated: true},
		}},
		{Role: RoleAssistant, Parts: []Part{
			{Type: PartReasoning, Content: "thinking"},
			{Type: PartBlob, Modality: "image", MIMEType: "image/png", Size: 2048},
		}},
	}, got)
	var none *Assembler
	none.Text(0, 0, "x")
	assert.Nil(t, none.Messages(), "a nil Assembler captures nothing")
}

func TestCutKeepsCharactersWhole(t *testing.T) {
	assert.Equal(t, "h", Cut("hé", 2))
	assert.Equal(t, "hé", Cut("hé", 3))
	assert.Equal(t, strings.Repeat("a", 4), Cut(strings.Repeat("a", 9), 4))
}
