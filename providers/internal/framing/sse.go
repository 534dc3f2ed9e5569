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
	data    []byte
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
}

// End dispatches an event whose data lines were complete when the body ended
// without the final blank line. Call it only at the true end of the body.
func (s *SSE) End() {
	if s.lines.pending() && !s.lines.overflow {
		s.line(s.lines.partial, false)
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

func (s *SSE) line(line []byte, tooLong bool) {
	if tooLong {
		s.dropped++
		s.hasData = false
		s.data = s.data[:0]
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
			s.data = s.data[:0]
			s.hasData = false
			return
		}
		if s.hasData {
			s.data = append(s.data, '\n')
		}
		s.data = append(s.data, value...)
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
	s.data = s.data[:0]
	s.hasData = false
}
