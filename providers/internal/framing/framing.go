package framing

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

// lineKind says how a line was found.
type lineKind uint8

const (
	stableLine lineKind = iota // the line lies in the run: valid until the Write returns
	heldLine                   // the line is the splitter's copy: valid until the next line
	longLine                   // a line over max, skipped
)

// crUnknown is the framers' index of the next CR before they search a run
// for it, -1 after a search that found none. Most streams end lines with
// LF alone, and one search of a run settles that no CR needs looking for;
// in a CRLF stream, the search for a line's CR bounds the search for its
// LF.
const crUnknown = -2

// start begins splitting p, one run of the body. The framer then finds
// each line's end itself (see SSE.Write), and hands the line to line and
// its ending to after: the loop lives in each framer rather than here
// behind a callback, so that a line costs no indirect call.
func (s *lineSplitter) start(p []byte) []byte {
	if s.afterCR && len(p) > 0 && p[0] == '\n' {
		p = p[1:]
	}
	s.afterCR = false
	return p
}

// line returns the line whose last bytes in the run are b, which lie
// before its ending, and how it was found. Framers call it only for a line
// that is long or ends an unfinished one: any other is b itself.
func (s *lineSplitter) line(b []byte) ([]byte, lineKind) {
	if len(s.partial) == 0 && !s.overflow {
		if len(b) > s.max {
			return nil, longLine
		}
		return b, stableLine
	}
	s.keep(b)
	if s.overflow {
		s.overflow = false
		return nil, longLine
	}
	// Emptied, not cleared: the bytes stay until the next keep, which
	// comes after the caller is done with them.
	line := s.partial
	s.partial = s.partial[:0]
	return line, heldLine
}

// after returns the bytes after the line ending at p[i], and the index of
// their first CR given that of p's.
func (s *lineSplitter) after(p []byte, i, cr int) ([]byte, int) {
	rest := p[i+1:]
	if p[i] != '\r' {
		if cr >= 0 {
			cr -= i + 1
		}
		return rest, cr
	}
	if len(rest) == 0 {
		s.afterCR = true
	} else if rest[0] == '\n' {
		rest = rest[1:]
	}
	return rest, crUnknown
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
