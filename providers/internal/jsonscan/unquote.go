package jsonscan

import (
	"bytes"
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
// before the end of v. What it appends is the text's prefix, up to a few
// bytes past n; the caller cuts it where it wants. A long prompt costs no
// more than the part of it that is kept.
func AppendUnquotedPrefix(dst, v []byte, n int) (out []byte, stopped, ok bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return dst, false, false
	}
	start := len(dst)
	in := v[1 : len(v)-1]
	for i := 0; i < len(in); {
		if n >= 0 && len(dst)-start > n {
			return dst, true, true
		}
		if in[i] != '\\' {
			j := bytes.IndexByte(in[i:], '\\')
			if j < 0 {
				j = len(in)
			} else {
				j += i
			}
			if n >= 0 {
				// Past the bound, no more than a character's worth: the
				// caller cuts at a character boundary.
				j = min(j, i+n-(len(dst)-start)+utf8.UTFMax)
			}
			dst = appendValid(dst, in[i:j])
			i = j
			continue
		}
		if i+1 >= len(in) {
			return dst[:start], false, false
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
				return dst[:start], false, false
			}
			i += 6
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(in[min(i+2, len(in)):]); ok && i+1 < len(in) && in[i] == '\\' && in[i+1] == 'u' {
					if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
						dst = utf8.AppendRune(dst, pair)
						i += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, r)
			continue
		default:
			return dst[:start], false, false
		}
		i += 2
	}
	return dst, false, true
}

// appendValid appends b, with each byte that is not part of a valid UTF-8
// character replaced by U+FFFD. A run cut inside a character (by
// AppendUnquotedPrefix's bound) ends in such bytes; they lie past the
// bound, where the caller cuts.
func appendValid(dst, b []byte) []byte {
	if utf8.Valid(b) {
		return append(dst, b...)
	}
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size == 1 {
			dst = utf8.AppendRune(dst, utf8.RuneError)
		} else {
			dst = append(dst, b[:size]...)
		}
		b = b[size:]
	}
	return dst
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
