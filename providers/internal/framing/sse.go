package framing

import "bytes"

// SSE frames a text/event-stream body into events.
//
// It follows the WHATWG event-stream rules that matter for API streams:
// "event:" names the event, "data:" lines are joined with "\n", a blank line
// dispatches, ":" lines are comments (keep-alives), other fields are ignored.
type SSE struct {
	onEvent func(event, data []byte)
	lines   lineSplitter
	// event and data are the current event's name and data: each its one
	// line in the bytes being written (aliased, no copy), or the framer's
	// own copy once it must outlive them.
	event        []byte
	ownEvent     []byte
	eventAliased bool
	data         []byte
	own          []byte
	aliased      bool
	hasData      bool
	dropped      int
	events       int
}

// NewSSE returns a framer that calls onEvent for each event with data, in
// order. event is "" for unnamed events. Both slices are valid only during
// the call. maxEvent bounds the memory held for one event (<= 0: the default).
func NewSSE(maxEvent int, onEvent func(event, data []byte)) *SSE {
	if maxEvent <= 0 {
		maxEvent = DefaultMaxEvent
	}
	return &SSE{onEvent: onEvent, lines: lineSplitter{max: maxEvent}}
}

// Write frames p. It never fails.
func (s *SSE) Write(p []byte) {
	p = s.lines.start(p)
	for cr := crUnknown; len(p) > 0; {
		// The end of the line: 0 for a blank one, or for the end of one
		// begun in an earlier run. Written out here, and in Lines.Write,
		// rather than called: a call costs as much as the rest of a short
		// line.
		i := 0
		if c := p[0]; c != '\n' && c != '\r' {
			if cr == crUnknown {
				cr = bytes.IndexByte(p, '\r')
			}
			if cr < 0 {
				if i = bytes.IndexByte(p, '\n'); i < 0 {
					s.lines.keep(p)
					break
				}
			} else if i = bytes.IndexByte(p[:cr], '\n'); i < 0 {
				i = cr
			}
		}
		line, kind := p[:i], stableLine
		if i > s.lines.max || s.lines.pending() {
			line, kind = s.lines.line(line)
		}
		p, cr = s.lines.after(p, i, cr)
		s.line(line, kind)
	}
	// The event goes on in the next run: keep what it aliases.
	if s.aliased {
		s.own = append(s.own[:0], s.data...)
		s.data, s.aliased = s.own, false
	}
	if s.eventAliased {
		s.ownEvent = append(s.ownEvent[:0], s.event...)
		s.event, s.eventAliased = s.ownEvent, false
	}
}

// End dispatches an event whose data lines were complete when the body ended
// without the final blank line. Call it only at the true end of the body.
func (s *SSE) End() {
	if s.lines.pending() && !s.lines.overflow {
		s.line(s.lines.partial, heldLine)
		s.lines.partial = s.lines.partial[:0]
	}
	s.dispatch()
}

// Events reports how many events were dispatched.
func (s *SSE) Events() int { return s.events }

// Dropped reports how many events were skipped for being over the limit.
func (s *SSE) Dropped() int { return s.dropped }

// Pending reports whether bytes of an unfinished event are held: at the end
// of the body, it means the stream was cut inside an event.
func (s *SSE) Pending() bool { return s.lines.pending() || s.hasData }

func (s *SSE) line(line []byte, kind lineKind) {
	if kind == longLine {
		s.dropped++
		s.resetData()
		return
	}
	if len(line) == 0 {
		s.dispatch()
		return
	}
	// A field's name runs to the first colon, or is the whole line. Only
	// two names matter; comments (":...") and every other field are
	// ignored, and their lines need no search for the colon.
	switch line[0] {
	case 'd':
		var value []byte
		switch {
		case len(line) > 4 && line[4] == ':' && string(line[:4]) == "data":
			value = line[5:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		case string(line) == "data":
			value = line[4:]
		default:
			return
		}
		s.addData(value, kind == stableLine)
	case 'e':
		var value []byte
		switch {
		case len(line) > 5 && line[5] == ':' && string(line[:5]) == "event":
			value = line[6:]
			if len(value) > 0 && value[0] == ' ' {
				value = value[1:]
			}
		case string(line) == "event":
			value = line[5:]
		default:
			return
		}
		if kind == stableLine {
			s.event, s.eventAliased = value, true
		} else {
			s.ownEvent = append(s.ownEvent[:0], value...)
			s.event, s.eventAliased = s.ownEvent, false
		}
	}
}

func (s *SSE) addData(value []byte, stable bool) {
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
}

func (s *SSE) dispatch() {
	if s.hasData {
		s.events++
		s.onEvent(s.event, s.data)
	}
	s.event, s.eventAliased = s.ownEvent[:0], false
	s.resetData()
}

func (s *SSE) resetData() {
	s.data, s.aliased, s.hasData = s.own[:0], false, false
}
