package jsonarray

import "bytes"

// The framer as it was before its scan was made faster, kept as the
// reference FuzzMatchesReference holds the framer to.

// refFramer frames one streamed JSON array into its top-level elements.
type refFramer struct {
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

// newRef returns a framer that calls onElement for each top-level element of the
// array, in order, the slice valid only during the call. maxElement bounds the
// memory held for one element (<= 0: the default).
func newRef(maxElement int, onElement func(elem []byte)) *refFramer {
	if maxElement <= 0 {
		maxElement = DefaultMaxElement
	}
	return &refFramer{onElement: onElement, max: maxElement}
}

// Write frames p. It never fails.
func (f *refFramer) Write(p []byte) {
	for len(p) > 0 {
		switch f.phase {
		case phaseBefore:
			i := refSkipSpace(p)
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
			for i < len(p) && (refIsSpace(p[i]) || p[i] == ',') {
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
func (f *refFramer) End() {
	if f.phase == phaseElement && f.scalar {
		f.emit()
	}
}

// Elements reports how many elements were delivered.
func (f *refFramer) Elements() int { return f.elements }

// Dropped reports how many elements were skipped for being over the limit.
func (f *refFramer) Dropped() int { return f.dropped }

// Pending reports whether an unfinished element is held (or being skipped):
// at the end of the body, it means the stream was cut inside an element.
func (f *refFramer) Pending() bool { return f.phase == phaseElement }

// Closed reports whether the top-level value ended: the array's closing
// bracket, or the end of a single non-array value, was seen.
func (f *refFramer) Closed() bool { return f.phase == phaseDone }

func (f *refFramer) start(c byte) {
	f.phase = phaseElement
	f.depth = 0
	f.inString = false
	f.escaped = false
	f.scalar = c != '{' && c != '[' && c != '"'
	f.size = 0
}

// scan consumes the bytes of p that belong to the current element and reports
// whether the element ended within them.
func (f *refFramer) scan(p []byte) (n int, done bool) {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if f.scalar {
			// A scalar takes at least its first byte, even a stray '}', so
			// that the framer always moves on.
			if f.size+i > 0 && (refIsSpace(c) || c == ',' || c == ']' || c == '}') {
				return i, true
			}
			continue
		}
		if f.inString {
			if f.escaped {
				f.escaped = false
				continue
			}
			// Skip the body of the string in one step: it is most of a
			// stream's bytes.
			j := bytes.IndexAny(p[i:], "\"\\")
			if j < 0 {
				return len(p), false
			}
			i += j
			if p[i] == '\\' {
				f.escaped = true
				continue
			}
			f.inString = false
			if f.depth == 0 {
				return i + 1, true
			}
			continue
		}
		switch c {
		case '"':
			f.inString = true
		case '{', '[':
			f.depth++
		case '}', ']':
			f.depth--
			if f.depth <= 0 {
				return i + 1, true
			}
		}
	}
	return len(p), false
}

func (f *refFramer) keep(b []byte) {
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

func (f *refFramer) emit() {
	if f.overflow {
		f.dropped++
	} else {
		f.elements++
		f.onElement(f.buf)
	}
	f.next()
}

// next resets the element state after an element ended.
func (f *refFramer) next() {
	f.buf = f.buf[:0]
	f.overflow = false
	if f.single {
		f.phase = phaseDone
	} else {
		f.phase = phaseArray
	}
}

func refIsSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func refSkipSpace(p []byte) int {
	i := 0
	for i < len(p) && refIsSpace(p[i]) {
		i++
	}
	return i
}
