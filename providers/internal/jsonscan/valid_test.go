package jsonscan

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// nested returns depth arrays (or objects) around inner.
func nested(depth int, object bool, inner string) string {
	if object {
		return strings.Repeat(`{"a":`, depth) + inner + strings.Repeat("}", depth)
	}
	return strings.Repeat("[", depth) + inner + strings.Repeat("]", depth)
}

var validCases = []struct {
	name string
	in   string
	want bool
}{
	// Literals and top level.
	{"true", `true`, true},
	{"false", `false`, true},
	{"null", `null`, true},
	{"surrounding whitespace", " \t\r\n null \t\r\n", true},
	{"empty", ``, false},
	{"whitespace only", " \t\r\n", false},
	{"truncated true", `tru`, false},
	{"truncated false", `fals`, false},
	{"truncated null", `nul`, false},
	{"misspelt literal", `nulL`, false},
	{"capitalised literal", `True`, false},
	{"literal with tail", `truex`, false},
	{"literal glued to literal", `truefalse`, false},
	{"two top-level values", `1 2`, false},
	{"two top-level objects", `{}{}`, false},
	{"two top-level strings", `"a" "b"`, false},
	{"top-level comma", `1,2`, false},
	{"form feed is not whitespace", "\f1", false},
	{"vertical tab is not whitespace", "1\v", false},
	{"NBSP is not whitespace", "\u00a01", false},
	{"BOM", "\ufeff{}", false},
	{"NUL before value", "\x001", false},
	{"NUL after value", "1\x00", false},
	{"lone NUL", "\x00", false},
	{"bare word", `abc`, false},
	{"lone close", `]`, false},

	// Numbers.
	{"zero", `0`, true},
	{"negative zero", `-0`, true},
	{"integer", `1234567890`, true},
	{"negative", `-12`, true},
	{"fraction", `0.5`, true},
	{"long fraction", `3.14159265358979323846`, true},
	{"exponent", `1e10`, true},
	{"capital exponent", `1E10`, true},
	{"exponent plus", `1e+10`, true},
	{"exponent minus", `1e-10`, true},
	{"full number", `-12.5E-07`, true},
	{"zero exponent", `0e0`, true},
	{"huge", `1e999999`, true},
	{"leading zero", `01`, false},
	{"negative leading zero", `-01`, false},
	{"double zero", `00`, false},
	{"lone minus", `-`, false},
	{"minus space", `- 1`, false},
	{"double minus", `--1`, false},
	{"plus", `+1`, false},
	{"trailing dot", `1.`, false},
	{"leading dot", `.5`, false},
	{"minus dot", `-.5`, false},
	{"dot exponent", `1.e5`, false},
	{"bare exponent", `1e`, false},
	{"exponent sign only", `1e+`, false},
	{"exponent minus only", `1E-`, false},
	{"exponent without mantissa", `e5`, false},
	{"double exponent", `1e5e5`, false},
	{"fraction after exponent", `1e5.5`, false},
	{"two dots", `1.2.3`, false},
	{"hex", `0x10`, false},
	{"infinity", `Infinity`, false},
	{"NaN", `NaN`, false},
	{"digit after zero in array", `[01]`, false},
	{"letter after number", `1a`, false},

	// Strings.
	{"empty string", `""`, true},
	{"plain string", `"hello, world"`, true},
	{"escaped quote", `"\""`, true},
	{"escaped backslash", `"\\"`, true},
	{"escaped slash", `"\/"`, true},
	{"escaped b", `"\b"`, true},
	{"escaped f", `"\f"`, true},
	{"escaped n", `"\n"`, true},
	{"escaped r", `"\r"`, true},
	{"escaped t", `"\t"`, true},
	{"unicode escape lower", `"\u00e9"`, true},
	{"unicode escape upper", `"\u00E9\uABCD"`, true},
	{"lone surrogate escape", `"\ud800"`, true},
	{"all escapes", `"\"\\\/\b\f\n\r\t\u0000"`, true},
	{"escapes at a word boundary", `"1234567\"12345678\\"`, true},
	{"long string", `"` + strings.Repeat("abcdefghij", 50) + `"`, true},
	{"DEL", "\"\x7f\"", true},
	{"valid UTF-8", `"café ☕ 𝄞"`, true},
	{"invalid UTF-8 continuation", "\"\x80\"", true},
	{"invalid UTF-8 overlong", "\"\xc0\xaf\"", true},
	{"invalid UTF-8 0xff", "\"\xff\xfe\"", true},
	{"encoded surrogate", "\"\xed\xa0\x80\"", true},
	{"truncated UTF-8 rune", "\"\xe2\x98\"", true},
	{"invalid UTF-8 in a long string", "\"abcdefgh\xffabcdefgh\xfe\"", true},
	{"invalid UTF-8 outside a string", "\xff", false},
	{"unterminated string", `"abc`, false},
	{"unterminated long string", `"abcdefghijklmnop`, false},
	{"lone quote", `"`, false},
	{"escaped closing quote", `"abc\"`, false},
	{"trailing backslash", `"abc\`, false},
	{"bad escape a", `"\a"`, false},
	{"bad escape x", `"\x41"`, false},
	{"bad escape U", `"\U00e9"`, false},
	{"bad escape apostrophe", `"\'"`, false},
	{"bad escape zero", `"\0"`, false},
	{"escaped newline", "\"\\\n\"", false},
	{"short unicode escape", `"\u12"`, false},
	{"unicode escape non-hex", `"\u12G4"`, false},
	{"unicode escape truncated", `"\u12`, false},
	{"unicode escape at end", `"\u`, false},
	{"NUL in string", "\"\x00\"", false},
	{"newline in string", "\"a\nb\"", false},
	{"tab in string", "\"a\tb\"", false},
	{"0x1f in string", "\"\x1f\"", false},
	{"control in a long string", "\"abcdefghijk\x01mnopqrstuvw\"", false},
	{"control after a long run", "\"" + strings.Repeat("a", 64) + "\x19\"", false},
	{"0x1f in a long string", "\"abcdefgh\x1fijklmnopq\"", false},
	{"space and tilde in a long string", "\"abcdefg  ~~~~~~~~ !#\"", true},
	{"escape in a long string", "\"abcdefgh\\u00e9ijklmnop\\\"qrstuvwx\"", true},
	{"bad escape in a long string", "\"abcdefgh\\qijklmnopq\"", false},
	{"single quotes", `'a'`, false},

	// Arrays.
	{"empty array", `[]`, true},
	{"spaced empty array", "[ \n\t\r ]", true},
	{"array", `[1,"a",true,false,null,{},[]]`, true},
	{"spaced array", ` [ 1 , 2 ] `, true},
	{"nested arrays", `[[[]],[[1]]]`, true},
	{"trailing comma in array", `[1,]`, false},
	{"leading comma in array", `[,1]`, false},
	{"double comma in array", `[1,,2]`, false},
	{"lone comma in array", `[,]`, false},
	{"missing comma in array", `[1 2]`, false},
	{"colon in array", `[1:2]`, false},
	{"unterminated array", `[1`, false},
	{"unterminated array after comma", `[1,`, false},
	{"lone open bracket", `[`, false},
	{"array closed by brace", `[1}`, false},
	{"extra close bracket", `[1]]`, false},

	// Objects.
	{"empty object", `{}`, true},
	{"spaced empty object", "{ \n\t\r }", true},
	{"object", `{"a":1,"b":[true],"c":{"d":null}}`, true},
	{"spaced object", ` { "a" : 1 , "b" : 2 } `, true},
	{"duplicate keys", `{"a":1,"a":2}`, true},
	{"empty key", `{"":0}`, true},
	{"escaped key", `{"\u0041\n":0}`, true},
	{"trailing comma in object", `{"a":1,}`, false},
	{"leading comma in object", `{,"a":1}`, false},
	{"double comma in object", `{"a":1,,"b":2}`, false},
	{"missing colon", `{"a" 1}`, false},
	{"missing value", `{"a":}`, false},
	{"missing value before comma", `{"a":,"b":1}`, false},
	{"double colon", `{"a"::1}`, false},
	{"comma instead of colon", `{"a",1}`, false},
	{"key without value", `{"a"}`, false},
	{"unquoted key", `{a:1}`, false},
	{"single-quoted key", `{'a':1}`, false},
	{"number key", `{1:1}`, false},
	{"missing comma in object", `{"a":1 "b":2}`, false},
	{"unterminated object", `{"a":1`, false},
	{"unterminated object after comma", `{"a":1,`, false},
	{"unterminated key", `{"a`, false},
	{"unterminated after key", `{"a"`, false},
	{"unterminated after colon", `{"a":`, false},
	{"lone open brace", `{`, false},
	{"object closed by bracket", `{"a":1]`, false},
	{"extra close brace", `{}}`, false},
	{"bad key in later member", `{"a":1,"b\x":2}`, false},
	{"control in key", "{\"a\x01\":1}", false},
	{"array in object in array", `[{"a":[{"b":[]}]},{}]`, true},
	{"array closed inside object", `{"a":[1}]`, false},

	// Nesting: encoding/json allows 10000 open containers, not 10001.
	{"arrays at the limit", nested(maxDepth, false, ""), true},
	{"arrays past the limit", nested(maxDepth+1, false, ""), false},
	{"objects at the limit", nested(maxDepth, true, "1"), true},
	{"objects past the limit", nested(maxDepth+1, true, "1"), false},
	{"empty array at the limit", nested(maxDepth-1, true, "[]"), true},
	{"empty array past the limit", nested(maxDepth, true, "[]"), false},
	{"empty object past the limit", nested(maxDepth, false, "{}"), false},
	{"mixed at the limit", nested(maxDepth/2, false, nested(maxDepth/2, true, `"x"`)), true},
	{"mixed past the limit", nested(maxDepth/2, false, nested(maxDepth/2+1, true, `"x"`)), false},
	{"unclosed past the limit", strings.Repeat("[", maxDepth+1), false},
	{"unclosed at the limit", strings.Repeat("[", maxDepth), false},
	{"siblings at the limit", nested(maxDepth-1, false, "[],[],{}"), true},
	{"mismatched deep", strings.Repeat("[", 100) + strings.Repeat("}", 100), false},
}

func TestValid(t *testing.T) {
	for _, tc := range validCases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, Valid([]byte(tc.in)), "Valid")
			assert.Equal(t, tc.want, json.Valid([]byte(tc.in)), "json.Valid")
		})
	}
}

// TestValidPrefixes checks every prefix of the valid cases, which covers a
// document cut off at each byte.
func TestValidPrefixes(t *testing.T) {
	for _, tc := range validCases {
		if !tc.want || len(tc.in) > 1000 {
			continue
		}
		for i := range len(tc.in) {
			in := []byte(tc.in[:i])
			require.Equal(t, json.Valid(in), Valid(in), "%s cut at %d: %q", tc.name, i, in)
		}
	}
}

// TestValidStringBytes puts every byte value at every offset of a string
// body longer than the eight bytes checked at a time.
func TestValidStringBytes(t *testing.T) {
	const width = 17
	for c := range 256 {
		for at := range width {
			body := bytes.Repeat([]byte{'a'}, width)
			body[at] = byte(c)
			in := append(append([]byte{'"'}, body...), '"')
			require.Equal(t, json.Valid(in), Valid(in), "%q", in)
		}
	}
}

func TestValidAllocatesNothing(t *testing.T) {
	inputs := [][]byte{
		[]byte(`{"a":[1,2.5e3,"x\u00e9",true,null]}`),
		[]byte(`{"a":[1,`),
		[]byte(nested(maxDepth, false, "")),
		[]byte(nested(maxDepth, true, `"x"`)),
		[]byte(nested(maxDepth+1, false, "")),
	}
	for _, in := range inputs {
		assert.Zero(t, testing.AllocsPerRun(100, func() { Valid(in) }), "%.40s", in)
	}
}

// testdataPayloads returns the providers' recorded and synthetic responses:
// each file whole, and each of its lines with any SSE "data:" prefix
// removed (stream chunks as the observers see them).
func testdataPayloads(tb testing.TB) [][]byte {
	var files []string
	for _, pattern := range []string{"../../*/testdata/*", "../../*/testdata/*/*"} {
		matches, err := filepath.Glob(pattern)
		require.NoError(tb, err)
		files = append(files, matches...)
	}
	var payloads [][]byte
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			continue // a directory
		}
		payloads = append(payloads, b)
		for line := range bytes.Lines(b) {
			line = bytes.TrimPrefix(bytes.TrimRight(line, "\r\n"), []byte("data:"))
			if len(bytes.TrimSpace(line)) > 0 {
				payloads = append(payloads, line)
			}
		}
	}
	require.NotEmpty(tb, payloads)
	return payloads
}

func TestValidTestdata(t *testing.T) {
	var valid int
	for _, p := range testdataPayloads(t) {
		want := json.Valid(p)
		require.Equal(t, want, Valid(p), "%.80q", p)
		if want {
			valid++
		}
	}
	assert.Greater(t, valid, 100, "the fixtures hold many JSON documents")
}

func FuzzValid(f *testing.F) {
	for _, tc := range validCases {
		if len(tc.in) < 1000 {
			f.Add([]byte(tc.in))
		}
	}
	for _, p := range testdataPayloads(f) {
		f.Add(p)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if got, want := Valid(data), json.Valid(data); got != want {
			t.Fatalf("Valid(%q) = %v, json.Valid says %v", data, got, want)
		}
	})
}

// sseChunk is one chunk of a recorded OpenAI chat stream
// (openai/testdata/openai/chat_completion_stream_with_usage_openai-go-test.sse).
const sseChunk = `{"id":"chatcmpl-A3Tguz3LSXTHBTY2NAPBCSyfBltxF","object":"chat.completion.chunk","created":1725392480,"model":"gpt-4o-2024-05-13","system_fingerprint":"fp_157b3831f5","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}],"usage":null}`

func BenchmarkValid(b *testing.B) {
	completion, err := os.ReadFile("../../openai/testdata/openai/chat_completion_nonstream.json")
	require.NoError(b, err)
	payloads := []struct {
		name string
		data []byte
	}{
		{"chat_completion", completion},
		{"sse_chunk", []byte(sseChunk)},
	}
	for _, p := range payloads {
		require.True(b, Valid(p.data))
		for _, impl := range []struct {
			name  string
			valid func([]byte) bool
		}{
			{"encoding_json", json.Valid},
			{"jsonscan", Valid},
		} {
			b.Run(p.name+"/"+impl.name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(p.data)))
				for b.Loop() {
					impl.valid(p.data)
				}
			})
		}
	}
}
