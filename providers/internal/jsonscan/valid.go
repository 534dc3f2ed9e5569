package jsonscan

import (
	"encoding/binary"
	"math/bits"
)

// maxDepth is encoding/json's nesting limit (maxNestingDepth in its
// scanner.go): 10000 open objects and arrays are valid, the 10001st is not.
const maxDepth = 10000

// Valid reports whether data is exactly one JSON value, optionally surrounded
// by whitespace. Its answer is encoding/json's Valid's for every input,
// including the nesting limit and invalid UTF-8 inside strings (accepted).
// Unlike it, Valid allocates nothing however deep the nesting, and it runs
// several times faster: observers call it on every streamed chunk.
func Valid(data []byte) bool {
	// One bit per open level: set for an object, clear for an array. It is
	// an array on the stack, not a slice, so that nothing escapes.
	var objects [maxDepth/64 + 1]uint64
	depth := 0
	n := len(data)
	i := 0
	for {
		// A value is expected at i.
		i = skipSpace(data, i)
		if i >= n {
			return false
		}
		switch c := data[i]; c {
		case '{', '[':
			if depth == maxDepth {
				return false
			}
			i = skipSpace(data, i+1)
			if c == '{' {
				if i < n && data[i] == '}' {
					i++
					break // an empty object is a complete value
				}
				objects[depth>>6] |= 1 << (depth & 63)
				depth++
				if i = validMemberName(data, i); i < 0 {
					return false
				}
				continue
			}
			if i < n && data[i] == ']' {
				i++
				break // an empty array is a complete value
			}
			objects[depth>>6] &^= 1 << (depth & 63)
			depth++
			continue
		case '"':
			if i = validStringEnd(data, i+1); i < 0 {
				return false
			}
		case 't':
			if i+4 > n || data[i+1] != 'r' || data[i+2] != 'u' || data[i+3] != 'e' {
				return false
			}
			i += 4
		case 'f':
			if i+5 > n || data[i+1] != 'a' || data[i+2] != 'l' || data[i+3] != 's' || data[i+4] != 'e' {
				return false
			}
			i += 5
		case 'n':
			if i+4 > n || data[i+1] != 'u' || data[i+2] != 'l' || data[i+3] != 'l' {
				return false
			}
			i += 4
		default:
			if i = validNumberEnd(data, i); i < 0 {
				return false
			}
		}

		// A value ended at i: close containers until a comma asks for the
		// next value, or the top-level value is complete.
		for {
			i = skipSpace(data, i)
			if depth == 0 {
				return i == n
			}
			if i >= n {
				return false
			}
			top := depth - 1
			inObject := objects[top>>6]&(1<<(top&63)) != 0
			c := data[i]
			if c == ',' {
				if inObject {
					if i = validMemberName(data, skipSpace(data, i+1)); i < 0 {
						return false
					}
				} else {
					i++
				}
				break
			}
			if inObject && c != '}' || !inObject && c != ']' {
				return false
			}
			depth--
			i++
		}
	}
}

// validMemberName checks the `"name" :` at data[i] and returns the index
// just past the colon, or -1.
func validMemberName(data []byte, i int) int {
	if i >= len(data) || data[i] != '"' {
		return -1
	}
	if i = validStringEnd(data, i+1); i < 0 {
		return -1
	}
	i = skipSpace(data, i)
	if i >= len(data) || data[i] != ':' {
		return -1
	}
	return i + 1
}

// SWAR constants: a byte in every lane.
const (
	lanes01    = 0x0101010101010101
	lanes80    = 0x8080808080808080
	lanesQuote = '"' * lanes01
	lanesSlash = '\\' * lanes01
	lanesSpace = ' ' * lanes01
)

// validStringEnd checks the body of a string whose opening quote is just
// before data[i] and returns the index just past its closing quote, or -1.
// Like encoding/json it rejects control characters and unknown escapes and
// accepts any other byte, valid UTF-8 or not.
func validStringEnd(data []byte, i int) int {
	n := len(data)
	for {
		// Eight bytes at a time while none is special: a quote, a
		// backslash, or a control character. Each term has its lane's top
		// bit set where the byte matches; borrows only spill into lanes
		// above a real match, so the lowest set bit is the first special
		// byte.
		for i+8 <= n {
			w := binary.LittleEndian.Uint64(data[i:])
			quote := w ^ lanesQuote
			slash := w ^ lanesSlash
			special := ((quote - lanes01) &^ quote) | ((slash - lanes01) &^ slash) | ((w - lanesSpace) &^ w)
			if special &= lanes80; special != 0 {
				i += bits.TrailingZeros64(special) >> 3
				break
			}
			i += 8
		}
		for i < n && data[i] >= ' ' && data[i] != '"' && data[i] != '\\' {
			i++
		}
		if i >= n {
			return -1
		}
		switch data[i] {
		case '"':
			return i + 1
		case '\\':
			if i+1 >= n {
				return -1
			}
			switch data[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > n || !isHex(data[i+2]) || !isHex(data[i+3]) || !isHex(data[i+4]) || !isHex(data[i+5]) {
					return -1
				}
				i += 6
			default:
				return -1
			}
		default:
			return -1 // a control character
		}
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// validNumberEnd checks the number at data[i] against
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and returns the index just
// past it, or -1. What may follow it is the caller's concern.
func validNumberEnd(data []byte, i int) int {
	n := len(data)
	if data[i] == '-' {
		i++
		if i >= n {
			return -1
		}
	}
	switch c := data[i]; {
	case c == '0':
		i++
	case '1' <= c && c <= '9':
		i = digitsEnd(data, i+1)
	default:
		return -1
	}
	if i < n && data[i] == '.' {
		i++
		if i >= n || !isDigit(data[i]) {
			return -1
		}
		i = digitsEnd(data, i+1)
	}
	if i < n && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < n && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= n || !isDigit(data[i]) {
			return -1
		}
		i = digitsEnd(data, i+1)
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digitsEnd(data []byte, i int) int {
	for i < len(data) && isDigit(data[i]) {
		i++
	}
	return i
}
