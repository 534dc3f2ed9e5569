package framing

import "bytes"

// DefaultMaxEvent is the largest event kept by default: 4 MiB, far above
// any usage-bearing event a provider sends.
const DefaultMaxEvent = 4 << 20

// lineSplitter turns runs of bytes into lines, accepting LF, CRLF and CR
// endings even when a CRLF pair is split between two runs.
type lineSplitter struct {
	partial  []byte // the unfinished line, when it spans runs
	overflow bool   // the unfinished line went past max and is being skipped
	afterCR  bool   // the last run ended with CR: a leading LF belongs to it
	max      int
}

// split calls fn for every complete line in p. The line passed to fn is
// valid only during the call, unless stable is set: then it lies in p and
// stays valid until split returns. tooLong reports a line skipped for its
// size.
func (s *lineSplitter) split(p []byte, fn func(line []byte, tooLong, stable bool)) {
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

func (s *lineSplitter) keep(b []byte) {
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
func (s *lineSplitter) pending() bool { return len(s.partial) > 0 || s.overflow }
