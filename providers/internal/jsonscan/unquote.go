package jsonscan

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"
	"unicode/utf8"
)

// AppendUnquoted appends the text of the JSON string value v (as Get
// returns it, with its quotes) to dst, unescaped, and reports false, with
// dst as it was, when v is not a well-formed JSON string. Invalid UTF-8 and
// lone surrogates become U+FFFD, as encoding/json decodes them. Unlike Str
// it allocates nothing when dst has room: stream parsers append each
// delta's text to a buffer they reuse.
func AppendUnquoted(dst, v []byte) ([]byte, bool) {
	dst, _, ok := AppendUnquotedPrefix(dst, v, -1)
	return dst, ok
}

// AppendUnquotedPrefix is AppendUnquoted that stops once more than n bytes
// of text are appended (n < 0: no bound), and reports whether it stopped
// before the end of v. What it appends is the text's prefix, whole
// characters up to a few bytes past n; the caller cuts it where it wants.
// A long prompt costs no more than the part of it that is kept.
func AppendUnquotedPrefix(dst, v []byte, n int) (out []byte, stopped, ok bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return dst, false, false
	}
	start := len(dst)
	in := v[1 : len(v)-1]
	if n < 0 {
		n = 3 * len(in) // no text is longer: U+FFFD for each invalid byte
	}
	for i := 0; i < len(in); {
		have := len(dst) - start
		if have > n {
			return dst, true, true
		}
		switch c := in[i]; {
		case c == '\\':
			var ok bool
			if dst, i, ok = appendEscape(dst, in, i); !ok {
				return dst[:start], false, false
			}
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(in[i:])
			if r == utf8.RuneError && size == 1 {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			} else {
				dst = append(dst, in[i:i+size]...)
			}
			i += size
		default:
			// A run of ASCII, most of every delta: copied as it is, past
			// the bound by one byte at the most.
			run := in[i:min(len(in), i+n-have+1)]
			j := plainRun(run)
			dst = append(dst, run[:j]...)
			i += j
		}
	}
	return dst, false, true
}

// appendEscape appends the character of the escape at in[i] and returns
// the index after it; ok is false for a malformed escape.
func appendEscape(dst, in []byte, i int) (out []byte, next int, ok bool) {
	if i+1 >= len(in) {
		return dst, i, false
	}
	switch e := in[i+1]; e {
	case '"', '\\', '/':
		dst = append(dst, e)
	case 'b':
		dst = append(dst, '\b')
	case 'f':
		dst = append(dst, '\f')
	case 'n':
		dst = append(dst, '\n')
	case 'r':
		dst = append(dst, '\r')
	case 't':
		dst = append(dst, '\t')
	case 'u':
		r, ok := hex4(in[i+2:])
		if !ok {
			return dst, i, false
		}
		i += 6
		if utf16.IsSurrogate(r) {
			if r2, ok := hex4(in[min(i+2, len(in)):]); ok && i+1 < len(in) && in[i] == '\\' && in[i+1] == 'u' {
				if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
					return utf8.AppendRune(dst, pair), i + 6, true
				}
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(dst, r), i, true
	default:
		return dst, i, false
	}
	return dst, i + 2, true
}

// hex4 reads the four hex digits of a \u escape.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// plainRun returns the length of run's prefix of ASCII bytes other than a
// backslash: eight bytes at a time while none is one of those, as
// validStringEnd reads strings.
func plainRun(run []byte) int {
	j := 0
	for j+8 <= len(run) {
		w := binary.LittleEndian.Uint64(run[j:])
		slash := w ^ lanesSlash
		if special := ((slash-lanes01)&^slash | w) & lanes80; special != 0 {
			return j + bits.TrailingZeros64(special)>>3
		}
		j += 8
	}
	for j < len(run) && run[j] < utf8.RuneSelf && run[j] != '\\' {
		j++
	}
	return j
}
