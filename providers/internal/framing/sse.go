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
	s.lines.split(p, s.line)
	if s.aliased {
		// The event goes on in the next run: keep its data.
		s.own = append(s.own[:0], s.data...)
		s.data, s.aliased = s.own, false
	}
}

// End dispatches an event whose data lines were complete when the body ended
// without the final blank line. Call it only at the true end of the body.
func (s *SSE) End() {
	if s.lines.pending() && !s.lines.overflow {
		s.line(s.lines.partial, false, false)
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

func (s *SSE) line(line []byte, tooLong, stable bool) {
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

func (s *SSE) dispatch() {
	if s.hasData {
		s.events++
		s.onEvent(s.event, s.data)
	}
	s.event = s.event[:0]
	s.resetData()
}

func (s *SSE) resetData() {
	s.data, s.aliased, s.hasData = s.own[:0], false, false
}
