package jsonscan

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const doc = `{"id":"chatcmpl-1","model":"gpt-4o","choices":[{"index":0,"finish_reason":null},{"index":1,"delta":{"content":"a \"}\" b"},"finish_reason":"stop"}],
 "usage" : {"prompt_tokens": 12, "completion_tokens":3.0,"prompt_tokens_details":{"cached_tokens":4}}, "ok":true, "esc":"caf\u00e9", "neg":-5}`

func TestGet(t *testing.T) {
	v, kind, ok := Get([]byte(doc), "usage", "prompt_tokens")
	require.True(t, ok)
	assert.Equal(t, KindNumber, kind)
	assert.Equal(t, "12", string(v))

	n, ok := Int([]byte(doc), "usage", "prompt_tokens_details", "cached_tokens")
	assert.True(t, ok)
	assert.EqualValues(t, 4, n)

	n, ok = Int([]byte(doc), "usage", "completion_tokens")
	assert.True(t, ok, "integral floats are counts")
	assert.EqualValues(t, 3, n)

	n, ok = Int([]byte(doc), "neg")
	assert.True(t, ok)
	assert.EqualValues(t, -5, n)

	s, ok := String([]byte(doc), "model")
	assert.True(t, ok)
	assert.Equal(t, "gpt-4o", s)

	s, ok = String([]byte(doc), "esc")
	assert.True(t, ok)
	assert.Equal(t, "café", s)

	b, ok := Bool([]byte(doc), "ok")
	assert.True(t, ok)
	assert.True(t, b)

	_, _, ok = Get([]byte(doc), "usage", "missing")
	assert.False(t, ok)
	_, _, ok = Get([]byte(doc), "id", "nested")
	assert.False(t, ok, "a string has no fields")
	_, ok = Int([]byte(doc), "model")
	assert.False(t, ok, "a string is not a number")
}

func TestArrayEach(t *testing.T) {
	choices, kind, ok := Get([]byte(doc), "choices")
	require.True(t, ok)
	require.Equal(t, KindArray, kind)
	var reasons []string
	assert.True(t, ArrayEach(choices, func(elem []byte, kind Kind) {
		v, k, ok := Get(elem, "finish_reason")
		if ok && k == KindString {
			s, _ := Str(v)
			reasons = append(reasons, s)
		}
	}))
	assert.Equal(t, []string{"stop"}, reasons)
	assert.True(t, ArrayEach([]byte(" [ ] "), func([]byte, Kind) { t.Fatal("empty array has no elements") }))
	assert.False(t, ArrayEach([]byte(`{"a":1}`), func([]byte, Kind) {}))
}

func TestObjectEach(t *testing.T) {
	var keys []string
	assert.True(t, ObjectEach([]byte(`{"a":1, "b" : [1,{"c":"}"}], "d":null}`), func(k, v []byte, kind Kind) {
		keys = append(keys, string(k))
	}))
	assert.Equal(t, []string{"a", "b", "d"}, keys)
}

func TestMalformedNeverPanics(t *testing.T) {
	inputs := []string{"", "{", `{"a"`, `{"a":`, `{"a":tru}`, `{"a":"x`, `[1,`, `{"a":1,}`, `}`, `{"a" 1}`, "\x00\xff", `{"usage":{"prompt_tokens":}}`}
	for _, in := range inputs {
		for i := 0; i <= len(in); i++ {
			Get([]byte(in[:i]), "a")
			Get([]byte(in[:i]), "usage", "prompt_tokens")
			ArrayEach([]byte(in[:i]), func([]byte, Kind) {})
			ObjectEach([]byte(in[:i]), func([]byte, []byte, Kind) {})
		}
	}
}

func TestGetAllocatesNothing(t *testing.T) {
	data := []byte(doc)
	allocs := testing.AllocsPerRun(100, func() {
		Int(data, "usage", "prompt_tokens_details", "cached_tokens")
		RawString(data, "model")
		v, _, _ := Get(data, "choices")
		ArrayEach(v, func(elem []byte, kind Kind) { Get(elem, "finish_reason") })
	})
	assert.Zero(t, allocs)
}

func FuzzGet(f *testing.F) {
	f.Add([]byte(doc))
	f.Add([]byte(`{"usage":{"prompt_tokens":1}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		v, kind, ok := Get(data, "usage", "prompt_tokens")
		if !ok || !json.Valid(data) {
			return
		}
		// Whatever the scanner found in a valid document must be what
		// encoding/json finds there.
		var m map[string]any
		if json.Unmarshal(data, &m) != nil {
			return
		}
		u, isObj := m["usage"].(map[string]any)
		if !isObj {
			t.Fatalf("found %q (%v) but usage is not an object", v, kind)
		}
		want, err := json.Marshal(u["prompt_tokens"])
		require.NoError(t, err)
		var got any
		require.NoError(t, json.Unmarshal(v, &got))
		gotJSON, _ := json.Marshal(got)
		assert.JSONEq(t, string(want), string(gotJSON))
	})
}

func TestStringEndEscapes(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"a":"x\"y","b":1}`, `x\"y`},
		{`{"a":"x\\","b":1}`, `x\\`},
		{`{"a":"x\\\"","b":1}`, `x\\\"`},
		{`{"a":"\\\\","b":1}`, `\\\\`},
		{`{"a":"","b":1}`, ``},
	} {
		raw, ok := RawString([]byte(tc.doc), "a")
		require.True(t, ok, tc.doc)
		assert.Equal(t, tc.want, string(raw), tc.doc)
		n, ok := Int([]byte(tc.doc), "b")
		assert.True(t, ok, tc.doc)
		assert.EqualValues(t, 1, n, tc.doc)
	}
}

func TestSelect(t *testing.T) {
	doc := []byte(`{"model":"m","messages":[{"role":"user","content":"a very long \"prompt\""}],"inferenceConfig":{"maxTokens":5},"stream":true}`)
	assert.JSONEq(t, `{"model":"m","inferenceConfig":{"maxTokens":5}}`, string(Select(doc, "inferenceConfig", "model")))
	assert.Equal(t, "{}", string(Select(doc, "absent")))
	assert.Nil(t, Select([]byte(`[1,2]`), "model"))
	assert.Nil(t, Select([]byte(`{"model":`), "model"), "a cut document")
}
