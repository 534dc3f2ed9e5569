package jsonscan

// maxShapeHoles bounds the string values a Shape leaves open; a document
// with more is not learnt.
const maxShapeHoles = 24

// Shape is the form of a JSON document with its string values left open:
// every byte outside those strings is kept. A document that Matches a
// shape has the same members, in the same order, with the same numbers,
// literals and nesting, and differs at most in the text of its strings.
//
// Streams repeat one shape chunk after chunk (only the text delta, an id
// or a padding string change), so a parser that has read one chunk in full
// can tell a later chunk carries nothing new from a memory compare and a
// quote search per string, instead of a scan of every byte. Strings that
// decide what an event is (an event "type") are kept by naming their
// member in Learn, so that a chunk of another type never matches.
//
// The zero Shape matches nothing. Shape is not safe for concurrent use.
type Shape struct {
	buf  []byte
	ends [maxShapeHoles + 1]int32 // buf[ends[i-1]:ends[i]] is the kept run before hole i
	n    int                      // runs in use; holes = n-1

	// texts holds the learnt document's hole texts, texts[spans[i]] for
	// hole i, until the first match: strings that did not change between
	// the two are closed then (an id, a model), so that later matches
	// compare them as kept bytes instead of searching their ends.
	texts   []byte
	spans   [maxShapeHoles][2]int32
	refined bool
	spare   []byte // the other run buffer, reused by refine
}

// Learn takes the shape of doc, a valid JSON object, leaving open the string
// values of every member except those named in kept. It reports false, and
// keeps no shape, when doc has more strings than a shape holds or is not an
// object.
func (s *Shape) Learn(doc []byte, kept ...string) bool {
	s.n = 0
	s.buf = s.buf[:0]
	s.texts = s.texts[:0]
	s.refined = false
	if len(doc) == 0 || doc[0] != '{' {
		return false
	}
	n, runStart := 0, 0
	for i := 0; i < len(doc); {
		if doc[i] != '"' {
			i++
			continue
		}
		end := stringEnd(doc, i)
		if end < 0 {
			return false
		}
		after := skipSpace(doc, end)
		isKey := after < len(doc) && doc[after] == ':'
		if !isKey && !keptValue(doc, i, kept) {
			if n == maxShapeHoles {
				return false
			}
			// The run keeps the opening quote; the next run starts at
			// the closing one.
			s.buf = append(s.buf, doc[runStart:i+1]...)
			s.ends[n] = int32(len(s.buf))
			s.spans[n] = [2]int32{int32(len(s.texts)), int32(len(s.texts) + end - 1 - (i + 1))}
			s.texts = append(s.texts, doc[i+1:end-1]...)
			n++
			runStart = end - 1
		}
		i = end
	}
	s.buf = append(s.buf, doc[runStart:]...)
	s.ends[n] = int32(len(s.buf))
	s.n = n + 1
	return true
}

// keptValue reports whether the string value opening at doc[q] belongs to a
// member named in kept: the member name is the string just before the
// colon before it.
func keptValue(doc []byte, q int, kept []string) bool {
	if len(kept) == 0 {
		return false
	}
	j := q - 1
	for j >= 0 && isSpaceByte(doc[j]) {
		j--
	}
	if j < 0 || doc[j] != ':' {
		return false
	}
	j--
	for j >= 0 && isSpaceByte(doc[j]) {
		j--
	}
	if j < 1 || doc[j] != '"' {
		return false
	}
	for _, k := range kept {
		if j-len(k)-1 >= 0 && doc[j-len(k)-1] == '"' && string(doc[j-len(k):j]) == k {
			return true
		}
	}
	return false
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

// Learned reports whether s holds a shape.
func (s *Shape) Learned() bool { return s.n > 0 }

// Matches reports whether data has the shape s holds. The first match
// after Learn also closes the holes whose text did not change.
func (s *Shape) Matches(data []byte) bool {
	if s.refined {
		return s.match(data, nil)
	}
	if s.n == 0 {
		return false
	}
	// Only the first match needs to know where each hole's text lies, and
	// so pays for the array that says.
	var found [maxShapeHoles][2]int32
	if !s.match(data, &found) {
		return false
	}
	s.refine(data, &found)
	return true
}

// match reports whether data has the shape s holds, noting in found, when
// it is not nil, where the text of each hole lies in data.
func (s *Shape) match(data []byte, found *[maxShapeHoles][2]int32) bool {
	pos, start := 0, 0
	for i := 0; i < s.n; i++ {
		run := s.buf[start:s.ends[i]]
		start = int(s.ends[i])
		if i == s.n-1 {
			return len(data)-pos == len(run) && string(data[pos:]) == string(run)
		}
		if len(data)-pos < len(run) || string(data[pos:pos+len(run)]) != string(run) {
			return false
		}
		pos += len(run)
		// An open string: its text, up to the unescaped closing quote,
		// where the next run begins.
		end := stringEnd(data, pos-1)
		if end < 0 {
			return false
		}
		if found != nil {
			found[i] = [2]int32{int32(pos), int32(end - 1)}
		}
		pos = end - 1
	}
	return false // s.n == 0: no shape
}

// refine closes every hole whose text in data is the learnt one.
func (s *Shape) refine(data []byte, found *[maxShapeHoles][2]int32) {
	s.refined = true
	holes := s.n - 1
	buf := s.spare[:0]
	var ends [maxShapeHoles + 1]int32
	n, start := 0, 0
	for i := 0; i <= holes; i++ {
		buf = append(buf, s.buf[start:s.ends[i]]...)
		start = int(s.ends[i])
		if i == holes {
			break
		}
		learnt := s.texts[s.spans[i][0]:s.spans[i][1]]
		text := data[found[i][0]:found[i][1]]
		if string(learnt) == string(text) {
			buf = append(buf, learnt...) // closed: part of the run
			continue
		}
		ends[n] = int32(len(buf))
		n++
	}
	ends[n] = int32(len(buf))
	s.spare = s.buf
	s.buf, s.ends, s.n = buf, ends, n+1
	s.texts = s.texts[:0]
}
