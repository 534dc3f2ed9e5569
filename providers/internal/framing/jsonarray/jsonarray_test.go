package jsonarray

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// collect frames the parts in order and returns the elements, dropped count,
// and whether the array closed.
func collect(max int, parts ...[]byte) (elems []string, f *Framer) {
	f = New(max, func(e []byte) { elems = append(elems, string(e)) })
	for _, p := range parts {
		f.Write(p)
	}
	f.End()
	return elems, f
}

func bytewise(b []byte) [][]byte {
	parts := make([][]byte, len(b))
	for i := range b {
		parts[i] = b[i : i+1]
	}
	return parts
}

func TestGeminiShape(t *testing.T) {
	body := []byte("[{\"a\": \"x]}\\\"{\"}\n,\r\n{\"b\": [1, {\"c\": 2}]}\n]")
	want := []string{`{"a": "x]}\"{"}`, `{"b": [1, {"c": 2}]}`}
	elems, f := collect(0, body)
	assert.Equal(t, want, elems)
	assert.True(t, f.Closed())
	assert.False(t, f.Pending())
	assert.Equal(t, 2, f.Elements())

	elems, f = collect(0, bytewise(body)...)
	assert.Equal(t, want, elems)
	assert.True(t, f.Closed())
}

func TestScalarsAndEmpty(t *testing.T) {
	elems, f := collect(0, []byte(` [ 1 ,true,"s" , null,[ ] ,-2.5e3]`))
	assert.Equal(t, []string{"1", "true", `"s"`, "null", "[ ]", "-2.5e3"}, elems)
	assert.True(t, f.Closed())

	elems, f = collect(0, []byte(`[]`))
	assert.Empty(t, elems)
	assert.True(t, f.Closed())
}

func TestSingleValue(t *testing.T) {
	elems, f := collect(0, []byte(` {"error": {"code": 429}} trailing`))
	assert.Equal(t, []string{`{"error": {"code": 429}}`}, elems)
	assert.True(t, f.Closed())

	elems, f = collect(0, []byte(`42`))
	assert.Equal(t, []string{"42"}, elems)
	assert.True(t, f.Closed())
}

func TestTruncated(t *testing.T) {
	elems, f := collect(0, []byte(`[{"a":1},{"b":"2`))
	assert.Equal(t, []string{`{"a":1}`}, elems)
	assert.True(t, f.Pending())
	assert.False(t, f.Closed())
}

func TestOverLimitSkipped(t *testing.T) {
	body := []byte(`[{"big":"0123456789012345678901234567890"},{"s":1}]`)
	for _, parts := range [][][]byte{{body}, bytewise(body)} {
		elems, f := collect(16, parts...)
		assert.Equal(t, []string{`{"s":1}`}, elems)
		assert.Equal(t, 1, f.Dropped())
		assert.True(t, f.Closed())
	}
}

func TestSteadyStateAllocatesNothing(t *testing.T) {
	chunk := []byte(`{"candidates":[{"content":{"parts":[{"text":"a \"quoted\" [word]"}]}}]}` + "\n,\r\n")
	f := New(0, func([]byte) {})
	f.Write([]byte("["))
	f.Write(chunk[:20])
	f.Write(chunk[20:])
	allocs := testing.AllocsPerRun(100, func() {
		f.Write(chunk[:7])
		f.Write(chunk[7:33])
		f.Write(chunk[33:])
		f.Write(chunk)
	})
	assert.Zero(t, allocs)
}

// frame returns what a fresh framer makes of body split at the given cut
// points (taken modulo the body length).
func frame(body []byte, cuts []byte) ([]string, int, bool, bool) {
	var parts [][]byte
	rest := body
	for _, c := range cuts {
		if len(rest) == 0 {
			break
		}
		n := int(c) % (len(rest) + 1)
		parts = append(parts, rest[:n])
		rest = rest[n:]
	}
	parts = append(parts, rest)
	elems, f := collect(64, parts...)
	return elems, f.Dropped(), f.Closed(), f.Pending()
}

func FuzzSplitInvariance(f *testing.F) {
	f.Add([]byte("[{\"a\": \"x]}\\\"{\"}\n,\r\n{\"b\": [1, {\"c\": 2}]}\n]"), []byte{3, 9, 1})
	f.Add([]byte(`[1,"two",[3],{"four":4},null]`), []byte{1, 1, 1, 1})
	f.Add([]byte(`{"error":{"code":429,"status":"RESOURCE_EXHAUSTED"}}`), []byte{5})
	f.Add([]byte(`[{"x":"`+string(make([]byte, 100))+`"},{"y":1}]`), []byte{50, 2})
	f.Fuzz(func(t *testing.T, body, cuts []byte) {
		whole, wd, wc, wp := frame(body, nil)
		split, sd, sc, sp := frame(body, cuts)
		require.Equal(t, whole, split)
		require.Equal(t, wd, sd)
		require.Equal(t, wc, sc)
		require.Equal(t, wp, sp)
		elems, f := collect(64, bytewise(body)...)
		require.Equal(t, whole, elems)
		require.Equal(t, wd, f.Dropped())

		// On a valid array the elements are exactly encoding/json's.
		var raw []json.RawMessage
		if len(body) < 1000 && json.Unmarshal(body, &raw) == nil && body[skipSpace(body)] == '[' {
			var want []string
			for _, r := range raw {
				if len(r) <= 64 {
					want = append(want, string(r))
				}
			}
			require.Equal(t, want, whole)
			require.True(t, wc)
		}
	})
}

func TestStrayClosersMoveOn(t *testing.T) {
	for _, body := range []string{`[}]`, `}`, `[1,}}]`, `[:]`} {
		elems, _ := collect(0, []byte(body))
		elemsB, _ := collect(0, bytewise([]byte(body))...)
		assert.Equal(t, elems, elemsB, body)
	}
}

// frameBoth frames body cut where cuts says (each byte one run length,
// cycled) with the framer and the reference, each run in its own buffer
// scribbled over once written.
func frameBoth(body, cuts []byte, max int) (got, want []string, f *Framer, r *refFramer) {
	f = New(max, func(e []byte) { got = append(got, string(e)) })
	r = newRef(max, func(e []byte) { want = append(want, string(e)) })
	for rest := body; len(rest) > 0; {
		n := len(rest)
		if len(cuts) > 0 {
			n = min(int(cuts[0])+1, n)
			cuts = append(cuts[1:], cuts[0])
		}
		a, b := bytes.Clone(rest[:n]), bytes.Clone(rest[:n])
		f.Write(a)
		r.Write(b)
		for i := range a {
			a[i], b[i] = 'X', 'X'
		}
		rest = rest[n:]
	}
	return got, want, f, r
}

func FuzzMatchesReference(f *testing.F) {
	f.Add([]byte("[{\"a\": \"x]}\\\"{\"}\n,\r\n{\"b\": [1, {\"c\": 2}]}\n]"), []byte{3, 9, 1}, uint8(0))
	f.Add([]byte(`[1,"two",[3],{"four":4},null, "\\\\", "a\\\\\"b", {"k":"\\\\\\"}]`), []byte{1, 1, 2, 0, 7}, uint8(20))
	f.Add([]byte("{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \"a \\\"q\\\" [w]\"\n          }\n        ]\n      }\n    }\n  ]\n}"), []byte{15, 8}, uint8(0))
	f.Add([]byte(`{"error":{"code":429}} trailing`), []byte{5}, uint8(0))
	f.Add([]byte(`[}]`), []byte{}, uint8(0))
	f.Fuzz(func(t *testing.T, body, cuts []byte, max uint8) {
		got, want, fr, ref := frameBoth(body, cuts, int(max))
		require.Equal(t, ref.Pending(), fr.Pending())
		fr.End()
		ref.End()
		require.Equal(t, want, got)
		require.Equal(t, ref.Elements(), fr.Elements())
		require.Equal(t, ref.Dropped(), fr.Dropped())
		require.Equal(t, ref.Closed(), fr.Closed())
		require.Equal(t, ref.Pending(), fr.Pending())
	})
}

func TestStructural8(t *testing.T) {
	for c := range 256 {
		for pos := range 8 {
			var w [8]byte
			for i := range w {
				w[i] = ' '
			}
			w[pos] = byte(c)
			m := structural8(binary.LittleEndian.Uint64(w[:]))
			want := c == '"' || c == '{' || c == '}' || c == '[' || c == ']'
			if want != (m != 0) || want && m != 0x80<<(8*pos) {
				t.Fatalf("byte %#x at %d: mark %#x", c, pos, m)
			}
			m = quoteOrBackslash8(binary.LittleEndian.Uint64(w[:]))
			want = c == '"' || c == '\\'
			if want != (m != 0) || want && m != 0x80<<(8*pos) {
				t.Fatalf("byte %#x at %d: mark %#x", c, pos, m)
			}
		}
	}
}
