package jsonarray

import (
	"bytes"
	"encoding/binary"
	"math/bits"
)

// DefaultMaxElement is the largest element kept by default: 4 MiB, the same
// bound as the other stream framers.
const DefaultMaxElement = 4 << 20

type phase uint8

const (
	phaseBefore  phase = iota // before the top-level value
	phaseArray                // inside the top-level array, between elements
	phaseElement              // inside an element
	phaseDone                 // after the top-level value
)

// Framer frames one streamed JSON array into its top-level elements.
type Framer struct {
	onElement func(elem []byte)
	max       int

	phase    phase
	single   bool // the top-level value is not an array: it is the one element
	buf      []byte
	overflow bool // the current element went past max and is being skipped

	// The scanner state of the current element.
	depth    int
	inString bool
	escaped  bool
	scalar   bool // a bare number or literal, which ends at a delimiter
	size     int  // bytes of the current element seen so far

	elements int
	dropped  int
}

// New returns a framer that calls onElement for each top-level element of the
// array, in order, the slice valid only during the call. maxElement bounds the
// memory held for one element (<= 0: the default).
func New(maxElement int, onElement func(elem []byte)) *Framer {
	if maxElement <= 0 {
		maxElement = DefaultMaxElement
	}
	return &Framer{onElement: onElement, max: maxElement}
}

// Write frames p. It never fails.
func (f *Framer) Write(p []byte) {
	for len(p) > 0 {
		switch f.phase {
		case phaseBefore:
			i := skipSpace(p)
			if i == len(p) {
				return
			}
			p = p[i:]
			if p[0] == '[' {
				f.phase = phaseArray
				p = p[1:]
				continue
			}
			f.single = true
			f.start(p[0])
		case phaseArray:
			i := 0
			for i < len(p) && (isSpace(p[i]) || p[i] == ',') {
				i++
			}
			if i == len(p) {
				return
			}
			p = p[i:]
			if p[0] == ']' {
				f.phase = phaseDone
				return
			}
			f.start(p[0])
		case phaseElement:
			n, done := f.scan(p)
			f.size += n
			if done && len(f.buf) == 0 && !f.overflow {
				// The whole element is in p: hand it over without copying.
				if n > f.max {
					f.dropped++
				} else {
					f.elements++
					f.onElement(p[:n])
				}
				f.next()
			} else {
				f.keep(p[:n])
				if done {
					f.emit()
				}
			}
			p = p[n:]
		default:
			return
		}
	}
}

// End delivers a bare number or literal element that the body's end closed.
// Call it only at the true end of the body.
func (f *Framer) End() {
	if f.phase == phaseElement && f.scalar {
		f.emit()
	}
}

// Elements reports how many elements were delivered.
func (f *Framer) Elements() int { return f.elements }

// Dropped reports how many elements were skipped for being over the limit.
func (f *Framer) Dropped() int { return f.dropped }

// Pending reports whether an unfinished element is held (or being skipped):
// at the end of the body, it means the stream was cut inside an element.
func (f *Framer) Pending() bool { return f.phase == phaseElement }

// Closed reports whether the top-level value ended: the array's closing
// bracket, or the end of a single non-array value, was seen.
func (f *Framer) Closed() bool { return f.phase == phaseDone }

func (f *Framer) start(c byte) {
	f.phase = phaseElement
	f.depth = 0
	f.inString = false
	f.escaped = false
	f.scalar = c != '{' && c != '[' && c != '"'
	f.size = 0
}

// scan consumes the bytes of p that belong to the current element and reports
// whether the element ended within them.
func (f *Framer) scan(p []byte) (n int, done bool) {
	if f.scalar {
		for i, c := range p {
			// A scalar takes at least its first byte, even a stray '}', so
			// that the framer always moves on.
			if f.size+i > 0 && (isSpace(c) || c == ',' || c == ']' || c == '}') {
				return i, true
			}
		}
		return len(p), false
	}
	i := 0
	if f.inString {
		end, closed := f.stringEnd(p, 0)
		if !closed {
			return len(p), false
		}
		f.inString = false
		if f.depth == 0 {
			return end, true
		}
		i = end
	}
	// Eight bytes at a time, since between strings pretty-printed JSON is
	// mostly runs of indentation: each mark in a word is a byte to look at,
	// a quote or a bracket (or, rarely, a byte a borrow marked, passed
	// over).
	for i < len(p) {
		var marks uint64
		if i+8 <= len(p) {
			if marks = structural8(binary.LittleEndian.Uint64(p[i:])); marks == 0 {
				i += 8
				continue
			}
		} else if marks = structuralTail(p[i:]); marks == 0 {
			break
		}
		next := i + 8
		for marks != 0 {
			j := i + bits.TrailingZeros64(marks)>>3
			marks &= marks - 1
			switch p[j] {
			case '"':
				end, closed := f.stringEnd(p, j+1)
				if !closed {
					f.inString = true
					return len(p), false
				}
				if f.depth == 0 {
					return end, true
				}
				next, marks = end, 0 // the word's other marks may be in the string
			case '{', '[':
				f.depth++
			case '}', ']':
				f.depth--
				if f.depth <= 0 {
					return j + 1, true
				}
			}
		}
		i = next
	}
	return len(p), false
}

// shortString is how far stringEnd reads a string eight bytes at a time
// before it searches for its quote: member names and most values are
// shorter, and for them a search costs more than it saves.
const shortString = 24

// stringEnd returns the index just past the closing quote of the string
// whose text goes on at p[k], or false when p ends first. f.escaped carries
// an escaping backslash over from one run to the next: it says p[k] is
// escaped, and is left saying whether the run after p starts escaped.
func (f *Framer) stringEnd(p []byte, k int) (int, bool) {
	if f.escaped {
		if k == len(p) {
			return 0, false
		}
		f.escaped = false
		k++
	}
	for short := k + shortString; k+8 <= len(p); {
		marks := quoteOrBackslash8(binary.LittleEndian.Uint64(p[k:]))
		if marks == 0 {
			if k += 8; k >= short {
				return f.longStringEnd(p, k)
			}
			continue
		}
		j := k + bits.TrailingZeros64(marks)>>3
		if p[j] == '"' {
			return j + 1, true
		}
		k = j + 2 // past the backslash and the byte it escapes
	}
	for k < len(p) {
		switch p[k] {
		case '"':
			return k + 1, true
		case '\\':
			k += 2
		default:
			k++
		}
	}
	f.escaped = k > len(p) // the run ended on a backslash
	return 0, false
}

// longStringEnd returns the index just past the closing quote of the string
// whose text goes on at p[k], which is not escaped, or false when p ends
// first, setting f.escaped when it ends on an escaping backslash. A quote is
// escaped when an odd run of backslashes comes before it.
func (f *Framer) longStringEnd(p []byte, k int) (int, bool) {
	// Backslashes before from are not counted: p[from-1] is not one, or
	// is escaped.
	from := k
	for {
		j := bytes.IndexByte(p[k:], '"')
		if j < 0 {
			f.escaped = oddBackslashes(p, len(p), from)
			return 0, false
		}
		q := k + j
		if !oddBackslashes(p, q, from) {
			return q + 1, true
		}
		k = q + 1
	}
}

// oddBackslashes reports whether the run of backslashes ending just before
// p[end], and starting no earlier than p[from], is of odd length.
func oddBackslashes(p []byte, end, from int) bool {
	i := end
	for i > from && p[i-1] == '\\' {
		i--
	}
	return (end-i)%2 == 1
}

// The word tests below mark, with the high bit of their byte, the bytes of
// a little-endian word that are among a few values: a byte equal to v is
// one for which x^v has a zero byte, found by the borrow trick. Only the
// lowest mark is certain: a borrow may also mark the byte above a true one,
// which is why callers look at the byte a mark points at.
const ones, highs = 0x0101010101010101, 0x8080808080808080

// structural8 marks '"', '{', '}', '[' and ']'. Setting bit 5 maps '['
// and ']' onto '{' and '}' and no other byte onto them, so three tests
// find all five.
func structural8(x uint64) uint64 {
	quote := x ^ (ones * '"')
	folded := x | (ones * 0x20)
	opener := folded ^ (ones * '{')
	closer := folded ^ (ones * '}')
	return ((quote-ones)&^quote | (opener-ones)&^opener | (closer-ones)&^closer) & highs
}

// quoteOrBackslash8 marks '"' and '\\'.
func quoteOrBackslash8(x uint64) uint64 {
	quote := x ^ (ones * '"')
	backslash := x ^ (ones * '\\')
	return ((quote-ones)&^quote | (backslash-ones)&^backslash) & highs
}

// structuralTail is structural8 for the last bytes of a run, fewer than
// eight.
func structuralTail(b []byte) (marks uint64) {
	for k, c := range b {
		switch c {
		case '"', '{', '}', '[', ']':
			marks |= 0x80 << (8 * k)
		}
	}
	return marks
}

func (f *Framer) keep(b []byte) {
	if f.overflow {
		return
	}
	if len(f.buf)+len(b) > f.max {
		f.overflow = true
		f.buf = f.buf[:0]
		return
	}
	f.buf = append(f.buf, b...)
}

func (f *Framer) emit() {
	if f.overflow {
		f.dropped++
	} else {
		f.elements++
		f.onElement(f.buf)
	}
	f.next()
}

// next resets the element state after an element ended.
func (f *Framer) next() {
	f.buf = f.buf[:0]
	f.overflow = false
	if f.single {
		f.phase = phaseDone
	} else {
		f.phase = phaseArray
	}
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func skipSpace(p []byte) int {
	i := 0
	for i < len(p) && isSpace(p[i]) {
		i++
	}
	return i
}
