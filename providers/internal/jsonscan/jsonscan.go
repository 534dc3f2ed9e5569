package jsonscan

import (
	"bytes"
	"math"
	"strconv"
	"unicode/utf8"
)

// Kind is the JSON type of a value.
type Kind uint8

// The JSON kinds.
const (
	KindInvalid Kind = iota
	KindNull
	KindBool
	KindNumber
	KindString
	KindArray
	KindObject
)

// Get returns the value found by following keys through nested objects, and
// its kind. With no keys it returns the whole (trimmed) document.
func Get(data []byte, keys ...string) ([]byte, Kind, bool) {
	v := trimLeft(data)
	for _, key := range keys {
		var found bool
		v, found = field(v, key)
		if !found {
			return nil, KindInvalid, false
		}
	}
	end, kind := valueEnd(v)
	if kind == KindInvalid {
		return nil, KindInvalid, false
	}
	return v[:end], kind, true
}

// Int returns the value at keys as an int64. Integral floats (12.0, 1e3) are
// accepted, since some providers send counts as floats; other floats are
// rounded to the nearest integer.
func Int(data []byte, keys ...string) (int64, bool) {
	v, kind, ok := Get(data, keys...)
	if !ok || kind != KindNumber {
		return 0, false
	}
	return ParseInt(v)
}

// ParseInt parses a JSON number value as an int64 (see [Int]).
func ParseInt(v []byte) (int64, bool) {
	if n, err := strconv.ParseInt(unsafeString(v), 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(unsafeString(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<62 {
		return 0, false
	}
	return int64(math.Round(f)), true
}

// Float returns the value at keys as a float64.
func Float(data []byte, keys ...string) (float64, bool) {
	v, kind, ok := Get(data, keys...)
	if !ok || kind != KindNumber {
		return 0, false
	}
	f, err := strconv.ParseFloat(unsafeString(v), 64)
	return f, err == nil
}

// Bool returns the value at keys as a bool.
func Bool(data []byte, keys ...string) (value, ok bool) {
	v, kind, found := Get(data, keys...)
	if !found || kind != KindBool {
		return false, false
	}
	return v[0] == 't', true
}

// String returns the string value at keys, unquoted. It allocates.
func String(data []byte, keys ...string) (string, bool) {
	v, kind, ok := Get(data, keys...)
	if !ok || kind != KindString {
		return "", false
	}
	return Str(v)
}

// RawString returns the string value at keys without its quotes and without
// unescaping, and without allocating; ok is false for other kinds.
func RawString(data []byte, keys ...string) ([]byte, bool) {
	v, kind, ok := Get(data, keys...)
	if !ok || kind != KindString {
		return nil, false
	}
	return v[1 : len(v)-1], true
}

// Str unquotes a string value as returned by Get. It allocates.
func Str(v []byte) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", false
	}
	inner := v[1 : len(v)-1]
	simple := true
	for _, c := range inner {
		if c == '\\' || c < 0x20 {
			simple = false
			break
		}
	}
	if simple && utf8.Valid(inner) {
		return string(inner), true
	}
	if bytes.ContainsFunc(inner, func(r rune) bool { return r < 0x20 }) {
		return "", false // a control character must be escaped
	}
	// JSON's escapes, not Go's: \/ and surrogate pairs are JSON only.
	b, ok := AppendUnquoted(nil, v)
	if !ok {
		return "", false
	}
	return string(b), true
}

// ArrayEach calls fn for each element of the array value v (as returned by
// Get). It reports false when v is not an array.
func ArrayEach(v []byte, fn func(elem []byte, kind Kind)) bool {
	v = trimLeft(v)
	if len(v) == 0 || v[0] != '[' {
		return false
	}
	i := skipSpace(v, 1)
	if i < len(v) && v[i] == ']' {
		return true
	}
	for i < len(v) {
		end, kind := valueEnd(v[i:])
		if kind == KindInvalid {
			return false
		}
		fn(v[i:i+end], kind)
		i = skipSpace(v, i+end)
		if i >= len(v) {
			return false
		}
		if v[i] == ']' {
			return true
		}
		if v[i] != ',' {
			return false
		}
		i = skipSpace(v, i+1)
	}
	return false
}

// ObjectEach calls fn for each member of the object value v, with the raw key
// (without quotes, not unescaped). It reports false when v is not an object.
func ObjectEach(v []byte, fn func(key, value []byte, kind Kind)) bool {
	v = trimLeft(v)
	if len(v) == 0 || v[0] != '{' {
		return false
	}
	i := skipSpace(v, 1)
	if i < len(v) && v[i] == '}' {
		return true
	}
	for i < len(v) {
		if v[i] != '"' {
			return false
		}
		kend := stringEnd(v, i)
		if kend < 0 {
			return false
		}
		key := v[i+1 : kend-1]
		i = skipSpace(v, kend)
		if i >= len(v) || v[i] != ':' {
			return false
		}
		i = skipSpace(v, i+1)
		end, kind := valueEnd(v[i:])
		if kind == KindInvalid {
			return false
		}
		fn(key, v[i:i+end], kind)
		i = skipSpace(v, i+end)
		if i >= len(v) {
			return false
		}
		if v[i] == '}' {
			return true
		}
		if v[i] != ',' {
			return false
		}
		i = skipSpace(v, i+1)
	}
	return false
}

// field finds key among the members of the object at the start of v and
// returns the data starting at its value. A key that appears more than once
// finds its last value, as encoding/json (and every SDK built on it) keeps
// the last; a malformed object after a match still yields that match.
func field(v []byte, key string) ([]byte, bool) {
	if len(v) == 0 || v[0] != '{' {
		return nil, false
	}
	var found []byte
	i := skipSpace(v, 1)
	for i < len(v) {
		if v[i] == '}' || v[i] != '"' {
			break
		}
		kend := stringEnd(v, i)
		if kend < 0 {
			break
		}
		match := unsafeString(v[i+1:kend-1]) == key
		i = skipSpace(v, kend)
		if i >= len(v) || v[i] != ':' {
			break
		}
		i = skipSpace(v, i+1)
		if match {
			found = v[i:]
		}
		end, kind := valueEnd(v[i:])
		if kind == KindInvalid {
			break
		}
		i = skipSpace(v, i+end)
		if i >= len(v) || v[i] != ',' {
			break
		}
		i = skipSpace(v, i+1)
	}
	return found, found != nil
}

// valueEnd returns the length of the value at the start of v and its kind.
func valueEnd(v []byte) (int, Kind) {
	if len(v) == 0 {
		return 0, KindInvalid
	}
	switch c := v[0]; {
	case c == '"':
		end := stringEnd(v, 0)
		if end < 0 {
			return 0, KindInvalid
		}
		return end, KindString
	case c == '{' || c == '[':
		end := compositeEnd(v)
		if end < 0 {
			return 0, KindInvalid
		}
		if c == '{' {
			return end, KindObject
		}
		return end, KindArray
	case c == 't':
		return literal(v, "true", KindBool)
	case c == 'f':
		return literal(v, "false", KindBool)
	case c == 'n':
		return literal(v, "null", KindNull)
	case c == '-' || (c >= '0' && c <= '9'):
		i := 1
		for i < len(v) {
			c := v[i]
			if (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-' {
				i++
				continue
			}
			break
		}
		return i, KindNumber
	}
	return 0, KindInvalid
}

func literal(v []byte, word string, kind Kind) (int, Kind) {
	if len(v) < len(word) || unsafeString(v[:len(word)]) != word {
		return 0, KindInvalid
	}
	return len(word), kind
}

// StringEnd returns the index just past the closing quote of the string
// that opens at v[start], or -1.
func StringEnd(v []byte, start int) int { return stringEnd(v, start) }

// stringEnd returns the index just past the closing quote of the string that
// opens at v[start], or -1.
func stringEnd(v []byte, start int) int {
	// Find each quote with IndexByte (vectorised: prompts and answers are
	// long strings); a quote ends the string unless an odd number of
	// backslashes escapes it.
	for i := start + 1; i < len(v); {
		j := bytes.IndexByte(v[i:], '"')
		if j < 0 {
			return -1
		}
		q := i + j
		k := q - 1
		for k > start && v[k] == '\\' {
			k--
		}
		if (q-1-k)%2 == 0 {
			return q + 1
		}
		i = q + 1
	}
	return -1
}

// compositeEnd returns the length of the object or array at the start of v,
// or -1 when it is not closed.
func compositeEnd(v []byte) int {
	depth := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '"':
			end := stringEnd(v, i)
			if end < 0 {
				return -1
			}
			i = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return -1
}

func skipSpace(v []byte, i int) int {
	for i < len(v) && (v[i] == ' ' || v[i] == '\n' || v[i] == '\r' || v[i] == '\t') {
		i++
	}
	return i
}

func trimLeft(v []byte) []byte { return v[skipSpace(v, 0):] }

// The helpers below read a value ObjectEach or ArrayEach handed over, by its
// kind: request parsers use them to fill optional fields.

// StringValue returns a string value unquoted; ok is false for other kinds.
func StringValue(v []byte, k Kind) (string, bool) {
	if k != KindString {
		return "", false
	}
	return Str(v)
}

// IntPtr returns a number value as a new int64, or nil for other kinds.
func IntPtr(v []byte, k Kind) *int64 {
	if k != KindNumber {
		return nil
	}
	n, ok := ParseInt(v)
	if !ok {
		return nil
	}
	return &n
}

// FloatPtr returns a number value as a new float64, or nil for other kinds.
func FloatPtr(v []byte, k Kind) *float64 {
	if k != KindNumber {
		return nil
	}
	f, err := strconv.ParseFloat(unsafeString(v), 64)
	if err != nil {
		return nil
	}
	return &f
}

// Strings returns a string value, or the strings of an array value, as a
// slice (APIs accept "stop": "x" and "stop": ["x","y"] alike); nil for
// other kinds.
func Strings(v []byte, k Kind) []string {
	switch k {
	case KindString:
		if s, ok := Str(v); ok {
			return []string{s}
		}
	case KindArray:
		var out []string
		ArrayEach(v, func(elem []byte, ek Kind) {
			if s, ok := StringValue(elem, ek); ok {
				out = append(out, s)
			}
		})
		return out
	}
	return nil
}

// Select returns a new JSON object holding only the top-level members of doc
// named in keys, or nil when doc is not an object. Request parsers decode the
// few members they need from it, so that decoding costs nothing for the
// members left out: a request is mostly its prompt, which can be hundreds of
// kilobytes, and it is parsed before it is sent.
func Select(doc []byte, keys ...string) []byte {
	out := make([]byte, 0, 256)
	out = append(out, '{')
	ok := ObjectEach(doc, func(key, v []byte, _ Kind) {
		for _, want := range keys {
			if unsafeString(key) == want {
				if len(out) > 1 {
					out = append(out, ',')
				}
				out = append(out, '"')
				out = append(out, key...)
				out = append(out, '"', ':')
				out = append(out, v...)
				return
			}
		}
	})
	if !ok {
		return nil
	}
	return append(out, '}')
}
