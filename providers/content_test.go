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
	a.SetFinishReason(0, "tool_calls")
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

func TestAssemblerAppendJSON(t *testing.T) {
	a := NewAssembler(8)
	a.AppendJSON(0, 0, PartText, []byte(`"h\u00e9"`))
	a.AppendJSON(0, 0, PartText, []byte(`"llo \"w\""`))
	a.AppendJSON(0, 1, PartToolCall, []byte(`"{\"a\":"`))
	a.AppendJSON(0, 1, PartToolCall, []byte(`"1}"`))
	a.AppendJSON(0, 2, PartText, []byte(`not a string`))
	a.AppendJSON(0, 3, PartText, []byte(`""`))
	a.AppendJSON(0, 4, PartText, []byte(`null`))
	a.SetRole(0, "model")
	got := a.Messages()
	assert.Equal(t, []Message{{Role: "model", Parts: []Part{
		{Type: PartText, Content: "héllo \"", Truncated: true}, // 8 bytes: é is two
		{Type: PartToolCall, Arguments: []byte(`{"a":1}`)},
	}}}, got, "values that are not text start no part")
}

func TestAssemblerBudget(t *testing.T) {
	// Every message and part a stream can name, each filled to the limit:
	// what is kept stays within MaxAssembled values' worth.
	const limit = 16
	a := NewAssembler(limit)
	delta := strings.Repeat("x", limit)
	for m := 0; m < MaxAssembled+5; m++ {
		for p := 0; p < MaxAssembled+5; p++ {
			a.Text(m, p, delta)
		}
	}
	kept, cut := 0, 0
	for _, m := range a.Messages() {
		for _, p := range m.Parts {
			kept += len(p.Content)
			if p.Truncated {
				cut++
			}
		}
	}
	assert.Equal(t, MaxAssembled*limit, kept)
	assert.Positive(t, cut, "what did not fit is marked")
	assert.Len(t, a.Messages(), MaxAssembled)
}

func TestAssemblerLongAnswerIsLinear(t *testing.T) {
	// 64 KiB in one-byte deltas: the buffer grows geometrically, so the
	// allocations are a handful, not one per delta.
	a := NewAssembler(64 << 10)
	allocs := testing.AllocsPerRun(1, func() {
		for i := 0; i < 64<<10; i++ {
			a.Text(0, 0, "x")
		}
	})
	assert.Less(t, allocs, 64.0)
}

func TestPartTruncate(t *testing.T) {
	p := Part{Type: PartToolCall, Arguments: []byte(`{"city":"Paris"}`)}
	p.Truncate(100)
	assert.False(t, p.Truncated)
	p.Truncate(5)
	assert.Equal(t, Part{Type: PartToolCall, Arguments: []byte(`{"cit`), Truncated: true}, p)
	q := Part{Type: PartText, Content: "héllo"}
	q.Truncate(2)
	assert.Equal(t, Part{Type: PartText, Content: "h", Truncated: true}, q)
}
