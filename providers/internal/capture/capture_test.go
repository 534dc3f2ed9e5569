package capture

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
)

func TestText(t *testing.T) {
	for _, c := range []struct {
		v     string
		limit int
		want  string
		cut   bool
	}{
		{`"hello"`, 10, "hello", false},
		{`"hello"`, 3, "hel", true},
		{`"héllo"`, 2, "h", true}, // not inside the é
		{`"a\nb\u00e9"`, 10, "a\nbé", false},
		{`"a\nb\u00e9"`, 3, "a\nb", true},
		{`"` + strings.Repeat("x", 100) + `"`, 64, strings.Repeat("x", 64), true},
		{`42`, 10, "", false},
	} {
		got, cut := Text([]byte(c.v), c.limit)
		assert.Equal(t, c.want, got, c.v)
		assert.Equal(t, c.cut, cut, c.v)
	}
}

// decoded is what encoding/json makes of the JSON string v.
func decoded(t testing.TB, v []byte) string {
	var s string
	require.NoError(t, json.Unmarshal(v, &s))
	return s
}

func TestStringIsEncodingJSONsCut(t *testing.T) {
	for _, v := range []string{
		`"plain"`, `""`, `"caf\u00e9 \"quoted\" \\ \/ \n\t\r\b\f"`, `"smile \ud83d\ude00 end"`,
		`"lone \ud83d surrogate"`, `"low \ude00 first"`, "\"raw \xff byte\"", `"héllo wörld"`, `"` + strings.Repeat(`\u4e16`, 50) + `"`,
	} {
		want := decoded(t, []byte(v))
		for limit := 0; limit <= len(want)+2; limit++ {
			got, cut, ok := String([]byte(v), limit)
			require.True(t, ok)
			assert.Equal(t, providers.Cut(want, limit), got, "%s at %d", v, limit)
			assert.Equal(t, len(want) > limit, cut, "%s at %d", v, limit)
		}
	}
	_, _, ok := String([]byte(`12`), 10)
	assert.False(t, ok)
}

func FuzzString(f *testing.F) {
	f.Add("héllo \"wörld\"\n\u2028", 5)
	f.Add("\xff\xfe", 1)
	f.Add(`a\u00e9\ud83d\ude00\"b`, 4)
	f.Fuzz(func(t *testing.T, s string, limit int) {
		if limit < 0 || limit > 1<<16 {
			t.Skip()
		}
		marshalled, _ := json.Marshal(s)
		for _, v := range [][]byte{marshalled, []byte(`"` + s + `"`)} {
			var want string
			if json.Unmarshal(v, &want) != nil {
				continue // not a JSON string as it stands
			}
			got, cut, ok := String(v, limit)
			if !ok || got != providers.Cut(want, limit) || cut != (len(want) > limit) {
				t.Fatalf("%q at %d: got %q (cut %v), want %q", v, limit, got, cut, providers.Cut(want, limit))
			}
		}
	})
}

func TestValue(t *testing.T) {
	got, cut := Value([]byte(`"{\"city\":\"Paris\"}"`), 100)
	assert.Equal(t, `{"city":"Paris"}`, string(got))
	assert.False(t, cut)
	got, cut = Value([]byte(`{"city":"Paris"}`), 8)
	assert.Equal(t, `{"city":`, string(got))
	assert.True(t, cut)
	args, cut := Value([]byte(`"{\"x\":1}"`), 100)
	assert.Equal(t, `{"x":1}`, string(args), "arguments inside a string are their text")
	assert.False(t, cut)
	// The conventions: "record null when the call has null arguments";
	// omit them only when they were not captured.
	args, _ = Value([]byte(`null`), 100)
	assert.Equal(t, "null", string(args))
	args, _ = Value(nil, 100)
	assert.Nil(t, args, "absent")
}

func TestJSONIsCompactAndCut(t *testing.T) {
	got, cut := JSON([]byte("{\n  \"location\": \"San Francisco\"\n}"), 100)
	assert.Equal(t, `{"location":"San Francisco"}`, string(got))
	assert.False(t, cut)
	got, cut = JSON([]byte(`{"city":"Zürich"}`), 11)
	assert.Equal(t, `{"city":"Z`, string(got), "cut before the two bytes of ü")
	assert.True(t, cut)

	got, cut = Array([][]byte{[]byte(`"a"`), []byte("{ \"b\": 1 }")}, 100)
	assert.Equal(t, `["a",{"b":1}]`, string(got))
	assert.False(t, cut)
	got, cut = Array([][]byte{[]byte(`"aaaa"`), []byte(`"bbbb"`), []byte(`"cccc"`)}, 8)
	assert.Equal(t, `["aaaa",`, string(got))
	assert.True(t, cut)

	var def providers.ToolDefinition
	Parameters(&def, []byte(`{ "type": "object" }`), 100)
	Describe(&def, []byte(`"The weather."`), 100)
	assert.Equal(t, providers.ToolDefinition{Description: "The weather.", Parameters: []byte(`{"type":"object"}`)}, def)
	Parameters(&def, []byte(`{"type":"object","properties":{}}`), 10)
	assert.Nil(t, def.Parameters, "a schema over the limit is left out, not cut")
	assert.True(t, def.Truncated)
	def = providers.ToolDefinition{}
	Describe(&def, []byte(`"The weather in a city."`), 11)
	assert.Equal(t, providers.ToolDefinition{Description: "The weather", Truncated: true}, def)
	Parameters(&def, []byte(`"not a schema"`), 100)
	assert.Nil(t, def.Parameters)
}

func TestSizes(t *testing.T) {
	assert.Equal(t, int64(5), Base64Size([]byte("aGVsbG8=")))
	assert.Equal(t, int64(6), Base64Size([]byte("aGVsbG8h")))
	assert.Equal(t, int64(3), Base64Size([]byte(`a\/8v`)))
	mime, size, ok := DataURL([]byte("data:image/png;base64,aGVsbG8="))
	assert.True(t, ok)
	assert.Equal(t, "image/png", mime)
	assert.Equal(t, int64(5), size)
	mime, size, ok = DataURL([]byte("data:text/plain,hi%20there"))
	assert.True(t, ok)
	assert.Equal(t, "text/plain", mime)
	assert.Equal(t, int64(10), size) // as sent, not percent-decoded
	_, _, ok = DataURL([]byte("https://example.com/cat.png"))
	assert.False(t, ok)
	assert.Equal(t, "image", Modality("image/png"))
	assert.Equal(t, "audio", Modality("Audio/WAV"))
	assert.Equal(t, "document", Modality("application/pdf"))
	assert.Equal(t, "", Modality(""))
}

func TestBase64Size(t *testing.T) {
	for n := 0; n < 20; n++ {
		data := make([]byte, n)
		std := base64.StdEncoding.EncodeToString(data)
		assert.Equal(t, int64(n), Base64Size([]byte(`"`+std+`"`)), "padded, %d bytes", n)
		assert.Equal(t, int64(n), Base64Size([]byte(base64.RawURLEncoding.EncodeToString(data))), "unpadded URL-safe, %d bytes", n)
	}
	assert.Equal(t, int64(6), Base64Size([]byte(`"ab\/d\nefgh"`)), "an escaped slash is data, a line break is not")

	mime, size, ok := DataURL([]byte(`"data:image/png;base64,iVBORw0KGgo="`))
	assert.True(t, ok)
	assert.Equal(t, "image/png", mime)
	assert.Equal(t, int64(8), size)
	_, _, ok = DataURL([]byte(`"https://example.com/cat.png"`))
	assert.False(t, ok)
	mime, size, ok = DataURL([]byte("data:text/plain;charset=utf-8;BASE64,aGk="))
	assert.True(t, ok)
	assert.Equal(t, "text/plain", mime, "parameters are not the type")
	assert.Equal(t, int64(2), size, "base64 is the last parameter, in any case")
}

func TestModality(t *testing.T) {
	assert.Equal(t, "image", Modality("image/png"))
	assert.Equal(t, "audio", Modality("audio/wav"))
	assert.Equal(t, "video", Modality("Video/MP4"))
	assert.Equal(t, "document", Modality("application/pdf"))
	assert.Equal(t, "", Modality(""))
	assert.Equal(t, "", Modality("  "))
}

func TestSniffImage(t *testing.T) {
	png := base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"))
	assert.Equal(t, "image/png", SniffImage([]byte(`"`+png+`"`)))
	assert.Equal(t, "image/png", SniffImage([]byte(png)))
	assert.Equal(t, "", SniffImage([]byte(`"aGVsbG8gd29ybGQ="`)), "text is no image")
	assert.Equal(t, "", SniffImage([]byte(`"!!"`)))
}

func TestParts(t *testing.T) {
	var p Parts
	assert.Equal(t, 0, p.Block(0, providers.PartText))
	assert.Equal(t, 1, p.Block(3, providers.PartToolCall))
	assert.Equal(t, 0, p.Block(0, providers.PartText), "a block keeps its part")
	assert.Equal(t, 2, p.Continue(4, providers.PartText), "text after a tool call is a new part")
	assert.Equal(t, 2, p.Continue(5, providers.PartText), "text after text runs on")
	assert.Equal(t, 2, p.Continue(5, providers.PartText))
	assert.Equal(t, 3, p.Continue(-1, providers.PartReasoning))
	assert.Equal(t, 4, p.New(providers.PartToolCall))
	for p.Len() < maxParts {
		p.New(providers.PartText)
	}
	assert.Equal(t, maxParts, p.New(providers.PartText), "past the bound, an index the Assembler ignores")
	assert.Equal(t, maxParts, p.Len())
}

func TestFunctionCallAndTool(t *testing.T) {
	assert.Equal(t, providers.Part{Type: providers.PartToolCall, ID: "call_1", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
		FunctionCall([]byte(`{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}`), 100),
		"arguments as the text of a string")
	assert.Equal(t, providers.Part{Type: providers.PartToolCall, Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
		FunctionCall([]byte(`{"function":{"name":"get_weather","arguments":{ "city": "Paris" }}}`), 100),
		"arguments as an object, compact")
	assert.Equal(t, providers.Part{Type: providers.PartToolCall, Name: "f", Arguments: []byte(`{"ci`), Truncated: true},
		FunctionCall([]byte(`{"function":{"name":"f","arguments":{"city":"Paris"}}}`), 4))

	def, ok := FunctionTool([]byte(`{"type":"function","function":{"name":"get_weather","description":"The weather.","parameters":{"type":"object"}}}`), 100)
	assert.True(t, ok)
	assert.Equal(t, providers.ToolDefinition{Type: "function", Name: "get_weather", Description: "The weather.", Parameters: []byte(`{"type":"object"}`)}, def)
	def, ok = FunctionTool([]byte(`{"function":{"name":"f","parameters":{"type":"object","properties":{}}}}`), 10)
	assert.True(t, ok)
	assert.Equal(t, providers.ToolDefinition{Type: "function", Name: "f", Truncated: true}, def, "no type is a function; a schema over the limit is left out")
	_, ok = FunctionTool([]byte(`{"type":"function","function":{"description":"nameless"}}`), 100)
	assert.False(t, ok)
	_, ok = FunctionTool([]byte(`{"name":"v1 style"}`), 100)
	assert.False(t, ok)
}
