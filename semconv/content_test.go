package semconv

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	inputSchema      = "gen-ai-input-messages.json"
	outputSchema     = "gen-ai-output-messages.json"
	systemSchema     = "gen-ai-system-instructions.json"
	toolsSchema      = "gen-ai-tool-definitions.json"
	weatherArguments = `{"location":"Paris","unit":"celsius"}`
)

// A conversation shaped as the providers return them: a system message in
// the history, a user turn with an image, an assistant turn with reasoning
// and a tool call, the tool's result, and a generic part for a provider
// block no part type fits.
var exampleInput = InputMessages{
	{Role: RoleSystem, Parts: []Part{TextPart("You are a weather bot.")}},
	{Role: RoleUser, Parts: []Part{
		TextPart("What is the weather where this photo was taken?"),
		BlobPart(ModalityImage, "image/png", []byte{0x89, 'P', 'N', 'G'}),
		URIPart(ModalityImage, "image/jpeg", "https://example.com/paris.jpg"),
		FilePart(ModalityDocument, "application/pdf", "file-abc123"),
	}},
	{Role: RoleAssistant, Parts: []Part{
		ReasoningPart("The photo shows the Eiffel Tower, so Paris."),
		ToolCallPart("call_1", "get_weather", JSONValue([]byte(weatherArguments))),
	}},
	{Role: RoleTool, Parts: []Part{ToolCallResponsePart("call_1", JSONValue([]byte(`"rainy, 14°C"`)))}},
	{Role: RoleUser, Name: "alice", Parts: []Part{
		GenericPart("search_result", map[string]json.RawMessage{
			"source": json.RawMessage(`"https://example.com/otel"`),
			"title":  json.RawMessage(`"OpenTelemetry"`),
		}),
	}},
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func TestContentValidatesAgainstSchemas(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		value  any
	}{
		{"input conversation", inputSchema, exampleInput},
		{"input nil", inputSchema, InputMessages(nil)},
		{"input message without parts", inputSchema, InputMessages{{Role: RoleUser}}},
		{"input empty text", inputSchema, InputMessages{{Role: RoleUser, Parts: []Part{TextPart("")}}}},
		{"input audio with transcript", inputSchema, InputMessages{{Role: RoleUser, Parts: []Part{
			{Type: PartTypeBlob, Modality: ModalityAudio, MIMEType: "audio/wav", Data: []byte("RIFF"), Transcript: "hello"},
		}}}},
		{"input tool call without captured arguments", inputSchema, InputMessages{{Role: RoleAssistant, Parts: []Part{ToolCallPart("", "lookup", nil)}}}},
		{"input tool call with null arguments", inputSchema, InputMessages{{Role: RoleAssistant, Parts: []Part{ToolCallPart("c", "lookup", json.RawMessage("null"))}}}},
		{"input tool result null", inputSchema, InputMessages{{Role: RoleTool, Parts: []Part{ToolCallResponsePart("c", nil)}}}},
		{"input server tool call", inputSchema, InputMessages{{Role: RoleAssistant, Parts: []Part{
			{Type: PartTypeServerToolCall, ID: "srvtoolu_1", Name: "web_search", ServerToolCall: json.RawMessage(`{"type":"web_search","query":"otel"}`)},
			{Type: PartTypeServerToolCallResponse, ID: "srvtoolu_1", ServerToolCall: json.RawMessage(`{"type":"web_search","results":[]}`)},
		}}}},
		{"input compaction", inputSchema, InputMessages{{Role: RoleAssistant, Parts: []Part{{Type: PartTypeCompaction, ID: "cmp_1", Content: "Earlier: the user asked about Paris."}}}}},
		{"output text and finish reason", outputSchema, OutputMessages{{Role: RoleAssistant, Parts: []Part{TextPart("Rainy, 14°C.")}, FinishReason: FinishReasonStop}}},
		{"output tool call and reasoning", outputSchema, OutputMessages{{Role: RoleAssistant, Parts: []Part{
			ReasoningPart("Need the weather."),
			ToolCallPart("call_2", "get_weather", JSONValue([]byte(weatherArguments))),
		}, FinishReason: FinishReasonToolCall}}},
		{"output provider finish reason", outputSchema, OutputMessages{{Role: RoleAssistant, Parts: []Part{TextPart("…")}, FinishReason: "max_tokens"}}},
		{"output two choices, one without reason", outputSchema, OutputMessages{
			{Role: RoleAssistant, Parts: []Part{TextPart("a")}, FinishReason: FinishReasonLength},
			{Role: RoleAssistant},
		}},
		{"output nil", outputSchema, OutputMessages(nil)},
		{"system text", systemSchema, SystemInstructions{TextPart("You are a weather bot."), TextPart("Answer briefly.")}},
		{"system generic", systemSchema, SystemInstructions{GenericPart("cache_control", map[string]json.RawMessage{"ttl": json.RawMessage(`"5m"`)})}},
		{"system nil", systemSchema, SystemInstructions(nil)},
		{"tools", toolsSchema, ToolDefinitions{
			{Type: ToolTypeFunction, Name: "get_weather", Description: "Weather in a city.", Parameters: json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"}},"required":["location"]}`)},
			{Type: ToolTypeFunction, Name: "now"},
			{Type: "web_search_preview", Name: "web_search_preview"},
		}},
		{"tools nil", toolsSchema, ToolDefinitions(nil)},
		{"input truncated parts", inputSchema, InputMessages{{Role: RoleUser, Parts: []Part{
			{Type: PartTypeText, Content: "cut her", Truncated: true},
			{Type: PartTypeToolCall, Name: "f", Arguments: JSONValue([]byte(`{"a":`)), Truncated: true},
			{Type: PartTypeGeneric, GenericType: "blob", Fields: map[string]json.RawMessage{"byte_size": json.RawMessage(`12`)}, Truncated: true},
		}}}},
		{"tools truncated", toolsSchema, ToolDefinitions{{Type: ToolTypeFunction, Name: "f", Description: "cut", Truncated: true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := marshal(t, tt.value)
			assert.Empty(t, loadSchema(t, tt.schema).violations(doc), "%s", doc)
		})
	}
}

// The validator must reject what the schemas forbid, or the test above
// proves nothing.
func TestSchemaValidatorRejects(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		doc    string
	}{
		{"not an array", inputSchema, `{"role":"user","parts":[]}`},
		{"message without role", inputSchema, `[{"parts":[]}]`},
		{"message without parts", inputSchema, `[{"role":"user"}]`},
		{"parts null", inputSchema, `[{"role":"user","parts":null}]`},
		{"text without content", inputSchema, `[{"role":"user","parts":[{"type":"text"}]}]`},
		{"text content not a string", inputSchema, `[{"role":"user","parts":[{"type":"text","content":7}]}]`},
		{"tool call without name", inputSchema, `[{"role":"assistant","parts":[{"type":"tool_call","id":"c"}]}]`},
		{"tool result without response", inputSchema, `[{"role":"tool","parts":[{"type":"tool_call_response","id":"c"}]}]`},
		{"blob without modality", inputSchema, `[{"role":"user","parts":[{"type":"blob","content":"AA=="}]}]`},
		{"part without type", inputSchema, `[{"role":"user","parts":[{"content":"x"}]}]`},
		{"output finish reason a number", outputSchema, `[{"role":"assistant","parts":[],"finish_reason":1}]`},
		{"system text without content", systemSchema, `[{"type":"text"}]`},
		{"system bare string", systemSchema, `["You are a bot"]`},
		{"tool without name", toolsSchema, `[{"type":"function"}]`},
		{"tool parameters not a schema", toolsSchema, `[{"type":"function","name":"f","parameters":"{}"}]`},
		{"unknown part type not generic", inputSchema, `[{"role":"user","parts":[{"type":"search_result"}]}]`},
		{"system tool call", systemSchema, `[{"type":"tool_call","name":"get_weather"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotEmpty(t, loadSchema(t, tt.schema).violations([]byte(tt.doc)))
		})
	}
}

// Every part type, role, modality and finish reason the schemas name has
// a constant here, and no constant names one they lack.
func TestConstantsMatchSchemas(t *testing.T) {
	parts := []string{PartTypeText, PartTypeToolCall, PartTypeToolCallResponse, PartTypeServerToolCall,
		PartTypeServerToolCallResponse, PartTypeBlob, PartTypeFile, PartTypeURI, PartTypeReasoning, PartTypeCompaction}
	sort.Strings(parts)
	for _, name := range []string{inputSchema, outputSchema} {
		s := loadSchema(t, name)
		// GenericPart's type is open in this revision: PartTypeGeneric is
		// the value newer revisions fix, and any string passes here.
		assert.Equal(t, parts, schemaConsts(t, s), name)
		assert.Equal(t, sorted(RoleSystem, RoleUser, RoleAssistant, RoleTool), schemaEnum(t, s, "Role"), name)
		assert.Equal(t, sorted(ModalityImage, ModalityVideo, ModalityAudio, ModalityDocument), schemaEnum(t, s, "Modality"), name)
	}
	assert.Equal(t, sorted(FinishReasonStop, FinishReasonLength, FinishReasonContentFilter, FinishReasonToolCall,
		FinishReasonCompaction, FinishReasonError), schemaEnum(t, loadSchema(t, outputSchema), "FinishReason"))
	assert.Equal(t, []string{PartTypeText}, schemaConsts(t, loadSchema(t, systemSchema)))
	assert.Equal(t, []string{ToolTypeFunction}, schemaConsts(t, loadSchema(t, toolsSchema)))
}

func sorted(s ...string) []string {
	sort.Strings(s)
	return s
}

// The wire form: required fields always, optional ones only when set, base64
// for blobs, raw JSON for arguments, generic fields in key order.
func TestPartWireForm(t *testing.T) {
	tests := []struct {
		name string
		part Part
		want string
	}{
		{"empty text keeps content", TextPart(""), `{"type":"text","content":""}`},
		{"tool call arguments object", ToolCallPart("call_1", "f", JSONValue([]byte(` {"a": 1} `))), `{"type":"tool_call","id":"call_1","name":"f","arguments":{"a":1}}`},
		{"tool call broken arguments kept as string", ToolCallPart("call_1", "f", JSONValue([]byte(`{"a": `))), `{"type":"tool_call","id":"call_1","name":"f","arguments":"{\"a\": "}`},
		{"tool call arguments not captured", ToolCallPart("", "f", nil), `{"type":"tool_call","name":"f"}`},
		{"tool result null", ToolCallResponsePart("call_1", nil), `{"type":"tool_call_response","id":"call_1","response":null}`},
		{"blob base64", BlobPart(ModalityImage, "image/png", []byte("hi")), `{"type":"blob","mime_type":"image/png","modality":"image","content":"aGk="}`},
		{"uri without mime", URIPart(ModalityImage, "", "gs://b/o.png"), `{"type":"uri","modality":"image","uri":"gs://b/o.png"}`},
		{"generic fields sorted, type kept", GenericPart("search_result", map[string]json.RawMessage{
			"z": json.RawMessage(`1`), "a": json.RawMessage(`{"k":true}`), "type": json.RawMessage(`"x"`), "n": nil,
		}), `{"type":"generic","generic_type":"search_result","a":{"k":true},"n":null,"z":1}`},
		{"truncated marked last", Part{Type: PartTypeText, Content: "cut", Truncated: true}, `{"type":"text","content":"cut","truncated":true}`},
		{"truncated generic field not doubled", Part{Type: PartTypeGeneric, Fields: map[string]json.RawMessage{"truncated": json.RawMessage(`false`)}, Truncated: true},
			`{"type":"generic","truncated":true}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.JSONEq(t, tt.want, string(marshal(t, tt.part)))
			assert.Equal(t, tt.want, string(marshal(t, tt.part)), "field order")
		})
	}
}

func TestPartMarshalErrors(t *testing.T) {
	_, err := json.Marshal(Part{Type: PartTypeServerToolCall, Name: "web_search"})
	assert.ErrorIs(t, err, errMissingServerToolCall)
	_, err = json.Marshal(ToolCallPart("c", "f", json.RawMessage(`{bad`)))
	assert.Error(t, err, "invalid raw JSON must not reach a span")
}

func TestMessagesWireForm(t *testing.T) {
	assert.Equal(t, `[]`, string(marshal(t, InputMessages(nil))))
	assert.Equal(t, `[{"role":"user","parts":[]}]`, string(marshal(t, InputMessages{{Role: RoleUser}})))
	assert.Equal(t, `[{"role":"assistant","parts":[{"type":"text","content":"ok"}],"finish_reason":"stop"}]`,
		string(marshal(t, OutputMessages{{Role: RoleAssistant, Parts: []Part{TextPart("ok")}, FinishReason: FinishReasonStop}})))
	assert.Equal(t, `[{"type":"function","name":"f"}]`, string(marshal(t, ToolDefinitions{{Type: ToolTypeFunction, Name: "f"}})))
}

func TestMarshalContentKeepsMarkup(t *testing.T) {
	b, err := MarshalContent(InputMessages{{Role: RoleUser, Parts: []Part{TextPart("if a < b && c > d")}}})
	require.NoError(t, err)
	assert.Equal(t, `[{"role":"user","parts":[{"type":"text","content":"if a < b && c > d"}]}]`, string(b))
	assert.Empty(t, loadSchema(t, inputSchema).violations(b))
}

func TestJSONValue(t *testing.T) {
	raw := []byte(`{"a":1}`)
	got := JSONValue(raw)
	assert.Equal(t, `{"a":1}`, string(got))
	raw[1] = 'X'
	assert.Equal(t, `{"a":1}`, string(got), "must not share memory")
	assert.Equal(t, `""`, string(JSONValue(nil)))
	assert.Equal(t, `"   "`, string(JSONValue([]byte("   "))))
	assert.Equal(t, `"not json"`, string(JSONValue([]byte("not json"))))
	assert.Equal(t, `null`, string(JSONValue([]byte("null"))))
	assert.Equal(t, `"<b>"`, string(JSONValue([]byte("<b>"))))
}

func TestParseContentCapture(t *testing.T) {
	tests := []struct {
		in              string
		want            ContentCapture
		ok, span, event bool
	}{
		{"NO_CONTENT", NoContent, true, false, false},
		{"span_only", SpanOnly, true, true, false},
		{" Event_Only ", EventOnly, true, false, true},
		{"SPAN_AND_EVENT", SpanAndEvent, true, true, true},
		{"", NoContent, false, false, false},
		{"true", NoContent, false, false, false},
		{"false", NoContent, false, false, false},
		{"SPAN", NoContent, false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseContentCapture(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.span, got.OnSpan())
			assert.Equal(t, tt.event, got.InEvent())
		})
	}
}

// The direct writer escapes strings exactly as MarshalContent does.
func TestAppendJSONStringMatchesEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", `quote " backslash \ slash /`, "<b>&amp;</b>", "tab\tnl\ncr\rbs\bff\f",
		"\x00\x01\x1f\x7f", "héllo wörld 中文 😀", "line\u2028para\u2029end", "bad \xff\xfe utf8 \xc3", "\xe2\x82"}
	for b := 0; b < 256; b++ {
		cases = append(cases, string([]byte{'a', byte(b), 'z'}))
	}
	for _, s := range cases {
		want, err := MarshalContent(s)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(appendJSONString(nil, s)), "%q", s)
	}
}

// Messages written directly are what encoding/json writes for the same
// fields.
func TestMessagesMatchEncodingJSON(t *testing.T) {
	type messageJSON struct {
		Role         string `json:"role"`
		Parts        []Part `json:"parts"`
		Name         string `json:"name,omitempty"`
		FinishReason string `json:"finish_reason,omitempty"`
	}
	for _, m := range exampleInput {
		want, err := MarshalContent(messageJSON{Role: m.Role, Parts: nonNil(m.Parts), Name: m.Name})
		require.NoError(t, err)
		assert.Equal(t, string(want), string(marshal(t, m)))
	}
	out := OutputMessage{Role: RoleAssistant, Name: "bot", Parts: []Part{TextPart("a\"<b>")}, FinishReason: "stop"}
	want, err := MarshalContent(messageJSON{Role: out.Role, Parts: out.Parts, Name: out.Name, FinishReason: out.FinishReason})
	require.NoError(t, err)
	got, err := MarshalContent(out) // json.Marshal would escape the markup again
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
}
