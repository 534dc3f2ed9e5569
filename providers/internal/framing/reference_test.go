package framing

import "bytes"

// The framers as they were before they were made faster, kept as the
// reference the fuzz targets hold the framers to: same events, same
// drops, same pending state, for any input cut anywhere.

// refLineSplitter turns runs of bytes into lines, accepting LF, CRLF and CR
// endings even when a CRLF pair is split between two runs.
type refLineSplitter struct {
	partial  []byte // the unfinished line, when it spans runs
	overflow bool   // the unfinished line went past max and is being skipped
	afterCR  bool   // the last run ended with CR: a leading LF belongs to it
	max      int
}

// split calls fn for every complete line in p. The line passed to fn is
// valid only during the call, unless stable is set: then it lies in p and
// stays valid until split returns. tooLong reports a line skipped for its
// size.
func (s *refLineSplitter) split(p []byte, fn func(line []byte, tooLong, stable bool)) {
	if s.afterCR && len(p) > 0 && p[0] == '\n' {
		p = p[1:]
	}
	s.afterCR = false
	// Most streams end lines with LF alone: one IndexByte a line then.
	hasCR := bytes.IndexByte(p, '\r') >= 0
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if hasCR {
			end := i
			if end < 0 {
				end = len(p)
			}
			if j := bytes.IndexByte(p[:end], '\r'); j >= 0 {
				i = j
			}
		}
		if i < 0 {
			s.keep(p)
			return
		}
		line := p[:i]
		rest := p[i+1:]
		if p[i] == '\r' {
			if len(rest) == 0 {
				s.afterCR = true
			} else if rest[0] == '\n' {
				rest = rest[1:]
			}
		}
		if len(s.partial) > 0 || s.overflow {
			s.keep(line)
			fn(s.partial, s.overflow, false)
			s.partial = s.partial[:0]
			s.overflow = false
		} else if len(line) > s.max {
			fn(nil, true, false)
		} else {
			fn(line, false, true)
		}
		p = rest
	}
}

func (s *refLineSplitter) keep(b []byte) {
	if s.overflow {
		return
	}
	if len(s.partial)+len(b) > s.max {
		s.overflow = true
		s.partial = s.partial[:0]
		return
	}
	s.partial = append(s.partial, b...)
}

// pending reports whether an unfinished line is held.
func (s *refLineSplitter) pending() bool { return len(s.partial) > 0 || s.overflow }

// refSSE frames a text/event-stream body into events.
//
// It follows the WHATWG event-stream rules that matter for API streams:
// "event:" names the event, "data:" lines are joined with "\n", a blank line
// dispatches, ":" lines are comments (keep-alives), other fields are ignored.
type refSSE struct {
	onEvent func(event, data []byte)
	lines   refLineSplitter
	event   []byte
	// data is the current event's data: its one line in the bytes being
	// written (aliased, no copy), or own once it must outlive them.
	data    []byte
	own     []byte
	aliased bool
	hasData bool
	dropped int
	events  int
}

// newRefSSE returns a framer that calls onEvent for each event with data, in
// order. event is "" for unnamed events. Both slices are valid only during
// the call. maxEvent bounds the memory held for one event (<= 0: the default).
func newRefSSE(maxEvent int, onEvent func(event, data []byte)) *refSSE {
	if maxEvent <= 0 {
		maxEvent = DefaultMaxEvent
	}
	return &refSSE{onEvent: onEvent, lines: refLineSplitter{max: maxEvent}}
}

// Write frames p. It never fails.
func (s *refSSE) Write(p []byte) {
	s.lines.split(p, s.line)
	if s.aliased {
		// The event goes on in the next run: keep its data.
		s.own = append(s.own[:0], s.data...)
		s.data, s.aliased = s.own, false
	}
}

// End dispatches an event whose data lines were complete when the body ended
// without the final blank line. Call it only at the true end of the body.
func (s *refSSE) End() {
	if s.lines.pending() && !s.lines.overflow {
		s.line(s.lines.partial, false, false)
		s.lines.partial = s.lines.partial[:0]
	}
	s.dispatch()
}

// Events reports how many events were dispatched.
func (s *refSSE) Events() int { return s.events }

// Dropped reports how many events were skipped for being over the limit.
func (s *refSSE) Dropped() int { return s.dropped }

// Pending reports whether bytes of an unfinished event are held: at the end
// of the body, it means the stream was cut inside an event.
func (s *refSSE) Pending() bool { return s.lines.pending() || s.hasData }

func (s *refSSE) line(line []byte, tooLong, stable bool) {
	if tooLong {
		s.dropped++
		s.resetData()
		return
	}
	if len(line) == 0 {
		s.dispatch()
		return
	}
	if line[0] == ':' {
		return
	}
	name, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		name, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch string(name) {
	case "data":
		if len(s.data)+len(value)+1 > s.lines.max {
			s.dropped++
			s.resetData()
			return
		}
		switch {
		case !s.hasData && stable:
			s.data, s.aliased = value, true
		case !s.hasData:
			s.own = append(s.own[:0], value...)
			s.data = s.own
		default:
			if s.aliased {
				s.own = append(s.own[:0], s.data...)
				s.aliased = false
			}
			s.own = append(s.own, '\n')
			s.own = append(s.own, value...)
			s.data = s.own
		}
		s.hasData = true
	case "event":
		s.event = append(s.event[:0], value...)
	}
}

func (s *refSSE) dispatch() {
	if s.hasData {
		s.events++
		s.onEvent(s.event, s.data)
	}
	s.event = s.event[:0]
	s.resetData()
}

func (s *refSSE) resetData() {
	s.data, s.aliased, s.hasData = s.own[:0], false, false
}

// refLines frames a newline-delimited body (NDJSON) into its non-blank lines.
type refLines struct {
	onLine  func(line []byte)
	lines   refLineSplitter
	dropped int
	count   int
}

// newRefLines returns a framer that calls onLine for each non-blank line, in
// order, the line valid only during the call. maxLine bounds the memory held
// for one line (<= 0: the default).
func newRefLines(maxLine int, onLine func(line []byte)) *refLines {
	if maxLine <= 0 {
		maxLine = DefaultMaxEvent
	}
	return &refLines{onLine: onLine, lines: refLineSplitter{max: maxLine}}
}

// Write frames p. It never fails.
func (l *refLines) Write(p []byte) { l.lines.split(p, l.line) }

// End delivers a last line that had no newline. Call it only at the true end
// of the body.
func (l *refLines) End() {
	if l.lines.pending() && !l.lines.overflow {
		l.line(l.lines.partial, false, false)
	}
	l.lines.partial = l.lines.partial[:0]
	l.lines.overflow = false
}

// Count reports how many lines were delivered.
func (l *refLines) Count() int { return l.count }

// Dropped reports how many lines were skipped for being over the limit.
func (l *refLines) Dropped() int { return l.dropped }

// Pending reports whether an unfinished line is held.
func (l *refLines) Pending() bool { return l.lines.pending() }

func (l *refLines) line(line []byte, tooLong, _ bool) {
	if tooLong {
		l.dropped++
		return
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return
	}
	l.count++
	l.onLine(line)
}
