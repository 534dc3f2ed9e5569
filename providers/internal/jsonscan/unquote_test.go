package jsonscan

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendUnquoted(t *testing.T) {
	for _, v := range []string{
		`""`, `"plain"`, `"a\"b\\c\/d"`, `"\b\f\n\r\t"`, `"\u00e9\u4e2d"`, `"\ud83d\ude00 smile"`,
		`"lone \ud83d surrogate"`, `"héllo wörld"`, `"{\"location\": \"New Y"`,
	} {
		var want string
		require.NoError(t, json.Unmarshal([]byte(v), &want), v)
		got, ok := AppendUnquoted([]byte("pre:"), []byte(v))
		assert.True(t, ok, v)
		assert.Equal(t, "pre:"+want, string(got), v)
	}
	for _, bad := range []string{`"`, `x`, `"\q"`, `"\u12"`, `"ends\"`} {
		got, ok := AppendUnquoted([]byte("pre:"), []byte(bad))
		assert.False(t, ok, bad)
		assert.Equal(t, "pre:", string(got), bad)
	}
	buf := make([]byte, 0, 64)
	assert.Zero(t, testing.AllocsPerRun(100, func() { buf, _ = AppendUnquoted(buf[:0], []byte(`"a\nb\u00e9"`)) }))
}

// Str decodes by JSON's rules, which are not Go's: an escaped slash and a
// surrogate pair are JSON only.
func TestStrIsEncodingJSONs(t *testing.T) {
	for _, v := range []string{`"plain"`, `"meta-llama\/Llama-3"`, `"\ud83d\ude00"`, `"lone \ud83d"`, "\"raw \xff byte\"", `"a\tb"`} {
		var want string
		require.NoError(t, json.Unmarshal([]byte(v), &want), v)
		got, ok := Str([]byte(v))
		assert.True(t, ok, v)
		assert.Equal(t, want, got, v)
	}
	for _, bad := range []string{"\"raw\ttab\"", `"\x41"`, `"a`} {
		_, ok := Str([]byte(bad))
		assert.False(t, ok, bad)
	}
}

func TestAppendUnquotedPrefix(t *testing.T) {
	v := []byte(`"h\u00e9llo w\u00f6rld"`)
	got, stopped, ok := AppendUnquotedPrefix(nil, v, 3)
	assert.True(t, ok)
	assert.True(t, stopped)
	assert.True(t, len(got) > 3 && len(got) < len("héllo wörld"), "%q", got)
	assert.Equal(t, "hél", string(got[:4]))
	got, stopped, ok = AppendUnquotedPrefix(nil, v, 100)
	assert.Equal(t, "héllo wörld", string(got))
	assert.False(t, stopped)
	assert.True(t, ok)
	long := []byte(`"` + strings.Repeat("x", 1000) + `"`)
	got, stopped, _ = AppendUnquotedPrefix(nil, long, 10)
	assert.True(t, stopped)
	assert.Less(t, len(got), 20, "an escape-free run is copied no further than the bound needs")
}

// FuzzAppendUnquoted requires AppendUnquoted and Str to decode every JSON
// string as encoding/json does.
func FuzzAppendUnquoted(f *testing.F) {
	f.Add(`a\/b \ud83d\ude00 \ud83d`)
	f.Add("\xff raw")
	f.Fuzz(func(t *testing.T, s string) {
		marshalled, _ := json.Marshal(s)
		for _, v := range [][]byte{marshalled, []byte(`"` + s + `"`)} {
			var want string
			if json.Unmarshal(v, &want) != nil {
				continue // not a JSON string as it stands
			}
			got, ok := AppendUnquoted(nil, v)
			if !ok || string(got) != want {
				t.Fatalf("AppendUnquoted(%q) = %q, %v; want %q", v, got, ok, want)
			}
			if str, ok := Str(v); !ok || str != want {
				t.Fatalf("Str(%q) = %q, %v; want %q", v, str, ok, want)
			}
		}
	})
}
