package framing

import "bytes"

// Lines frames a newline-delimited body (NDJSON) into its non-blank lines.
type Lines struct {
	onLine  func(line []byte)
	lines   lineSplitter
	dropped int
	count   int
}

// NewLines returns a framer that calls onLine for each non-blank line, in
// order, the line valid only during the call. maxLine bounds the memory held
// for one line (<= 0: the default).
func NewLines(maxLine int, onLine func(line []byte)) *Lines {
	if maxLine <= 0 {
		maxLine = DefaultMaxEvent
	}
	return &Lines{onLine: onLine, lines: lineSplitter{max: maxLine}}
}

// Write frames p. It never fails.
func (l *Lines) Write(p []byte) {
	p = l.lines.start(p)
	for cr := crUnknown; len(p) > 0; {
		// The line's end, found as SSE.Write finds it.
		i := 0
		if c := p[0]; c != '\n' && c != '\r' {
			if cr == crUnknown {
				cr = bytes.IndexByte(p, '\r')
			}
			if cr < 0 {
				if i = bytes.IndexByte(p, '\n'); i < 0 {
					l.lines.keep(p)
					return
				}
			} else if i = bytes.IndexByte(p[:cr], '\n'); i < 0 {
				i = cr
			}
		}
		line, kind := p[:i], stableLine
		if i > l.lines.max || l.lines.pending() {
			line, kind = l.lines.line(line)
		}
		p, cr = l.lines.after(p, i, cr)
		l.line(line, kind)
	}
}

// End delivers a last line that had no newline. Call it only at the true end
// of the body.
func (l *Lines) End() {
	if l.lines.pending() && !l.lines.overflow {
		l.line(l.lines.partial, heldLine)
	}
	l.lines.partial = l.lines.partial[:0]
	l.lines.overflow = false
}

// Count reports how many lines were delivered.
func (l *Lines) Count() int { return l.count }

// Dropped reports how many lines were skipped for being over the limit.
func (l *Lines) Dropped() int { return l.dropped }

// Pending reports whether an unfinished line is held.
func (l *Lines) Pending() bool { return l.lines.pending() }

func (l *Lines) line(line []byte, kind lineKind) {
	if kind == longLine {
		l.dropped++
		return
	}
	// A line that starts with a printable ASCII byte is not blank; only
	// another needs the full (Unicode) test.
	if len(line) == 0 || (line[0] <= ' ' || line[0] >= 0x7f) && len(bytes.TrimSpace(line)) == 0 {
		return
	}
	l.count++
	l.onLine(line)
}
