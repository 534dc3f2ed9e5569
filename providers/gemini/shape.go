package gemini

import "github.com/otelllm/otelllm/providers/internal/jsonscan"

// maxShapeHoles bounds the open values of a chunkShape; a chunk with more is
// not learnt.
const maxShapeHoles = 24

// countAt is where a usage count's number is in a chunk: data[off:end].
type countAt struct {
	off, end int32
	field    countField
}

// chunkShape is the form of a stream chunk that carried output and nothing
// else that ends or changes the stream's state (no finish reason, error or
// blocked prompt): every byte is kept except the text of its string values
// and the numbers of its usage counts. Gemini repeats the running
// usageMetadata on every chunk, so the numbers that change from chunk to
// chunk are the counts, not only the text; jsonscan.Shape keeps numbers and
// would match almost no chunk of a Gemini API stream. A chunk that matches
// carries the same candidates (the index numbers are kept) and no finish
// reason; reading it is a memory compare per kept run, a quote search per
// open string and a digit loop per count.
//
// Like jsonscan.Shape, the first match closes the holes whose text did not
// change (the model version, the response id, the role, the prompt's
// count), so that later matches compare them as kept bytes. A closed count
// holds the value the learnt chunk set, so a shape is only trusted while no
// other chunk has set a count since it was learnt: the dialect forgets it
// when a chunk it reads in full is not learnt.
//
// The zero chunkShape matches nothing. It is not safe for concurrent use.
type chunkShape struct {
	buf   []byte
	ends  [maxShapeHoles + 1]int32 // buf[ends[i-1]:ends[i]] is the kept run before hole i
	kinds [maxShapeHoles]countField
	n     int // runs in use; holes = n-1

	// texts holds the learnt chunk's hole texts (a string's, a number's),
	// texts[spans[i]] for hole i, until the first match closes the
	// unchanged ones; found is where each hole is in the chunk matched.
	texts   []byte
	spans   [maxShapeHoles][2]int32
	found   [maxShapeHoles][2]int32
	refined bool
	spare   []byte // the other run buffer, reused by refine
}

// learn takes the shape of doc, a valid JSON object, with the numbers at
// counts (in document order) open as the counts they hold. It reports false,
// and keeps no shape, when doc has more open values than a shape holds.
func (s *chunkShape) learn(doc []byte, counts []countAt) bool {
	s.n = 0
	s.buf = s.buf[:0]
	s.texts = s.texts[:0]
	s.refined = false
	if len(doc) == 0 || doc[0] != '{' {
		return false
	}
	n, runStart := 0, 0
	for i := 0; i < len(doc); {
		if len(counts) > 0 && i == int(counts[0].off) {
			if n == maxShapeHoles {
				return false
			}
			end := int(counts[0].end)
			s.buf = append(s.buf, doc[runStart:i]...)
			s.ends[n] = int32(len(s.buf))
			s.kinds[n] = counts[0].field
			s.spans[n] = [2]int32{int32(len(s.texts)), int32(len(s.texts) + end - i)}
			s.texts = append(s.texts, doc[i:end]...)
			n++
			i = end
			runStart = i
			counts = counts[1:]
			continue
		}
		if doc[i] != '"' {
			i++
			continue
		}
		end := jsonscan.StringEnd(doc, i)
		if end < 0 {
			return false
		}
		after := end
		for after < len(doc) && isSpace(doc[after]) {
			after++
		}
		if after >= len(doc) || doc[after] != ':' { // a value, not a member name
			if n == maxShapeHoles {
				return false
			}
			// The run keeps the opening quote; the next run starts at
			// the closing one.
			s.buf = append(s.buf, doc[runStart:i+1]...)
			s.ends[n] = int32(len(s.buf))
			s.kinds[n] = 0
			s.spans[n] = [2]int32{int32(len(s.texts)), int32(len(s.texts) + end - 1 - (i + 1))}
			s.texts = append(s.texts, doc[i+1:end-1]...)
			n++
			runStart = end - 1
		}
		i = end
	}
	if len(counts) > 0 {
		return false // an offset that was not a number of doc
	}
	s.buf = append(s.buf, doc[runStart:]...)
	s.ends[n] = int32(len(s.buf))
	s.n = n + 1
	return true
}

// matches reports whether data has the shape s holds and, when it has, sets
// in c the counts its open numbers hold.
func (s *chunkShape) matches(data []byte, c *counts) bool {
	if s.n == 0 {
		return false
	}
	read := *c // committed only if data matches
	pos, start := 0, 0
	last := s.n - 1
	for i := 0; i < last; i++ {
		run := s.buf[start:s.ends[i]]
		start = int(s.ends[i])
		if len(data)-pos < len(run) || string(data[pos:pos+len(run)]) != string(run) {
			return false
		}
		pos += len(run)
		if f := s.kinds[i]; f != 0 {
			v, end, ok := count(data, pos)
			if !ok {
				return false
			}
			read.set(f, v)
			s.found[i] = [2]int32{int32(pos), int32(end)}
			pos = end
			continue
		}
		end := jsonscan.StringEnd(data, pos-1)
		if end < 0 {
			return false
		}
		s.found[i] = [2]int32{int32(pos), int32(end - 1)}
		pos = end - 1
	}
	if run := s.buf[start:s.ends[last]]; string(data[pos:]) != string(run) {
		return false
	}
	*c = read
	if !s.refined {
		s.refine(data)
	}
	return true
}

// refine closes every hole whose text (string or number) in data is the
// learnt one. A count that changes from chunk to chunk stays open; one that
// did not change between the two chunks (the prompt's, say) is compared as
// kept bytes from then on, and a chunk where it changes is read in full.
func (s *chunkShape) refine(data []byte) {
	s.refined = true
	holes := s.n - 1
	buf := s.spare[:0]
	var ends [maxShapeHoles + 1]int32
	var kinds [maxShapeHoles]countField
	n, start := 0, 0
	for i := 0; i <= holes; i++ {
		buf = append(buf, s.buf[start:s.ends[i]]...)
		start = int(s.ends[i])
		if i == holes {
			break
		}
		learnt := s.texts[s.spans[i][0]:s.spans[i][1]]
		if string(learnt) == string(data[s.found[i][0]:s.found[i][1]]) {
			buf = append(buf, learnt...) // closed: part of the run
			continue
		}
		ends[n], kinds[n] = int32(len(buf)), s.kinds[i]
		n++
	}
	ends[n] = int32(len(buf))
	s.spare = s.buf
	s.buf, s.ends, s.kinds, s.n = buf, ends, kinds, n+1
	s.texts = s.texts[:0]
}

// count reads the usage count whose number starts at data[pos]: digits
// only, as Gemini writes them, and no more than fit an int64 comfortably.
// Anything else (a float, a sign, a leading zero) is not a match, and the
// chunk is read in full.
func count(data []byte, pos int) (v int64, end int, ok bool) {
	end = pos
	for end < len(data) && data[end] >= '0' && data[end] <= '9' {
		v = v*10 + int64(data[end]-'0')
		end++
	}
	digits := end - pos
	if digits == 0 || digits > 18 || digits > 1 && data[pos] == '0' {
		return 0, 0, false
	}
	return v, end, true
}

// isCount reports whether v, a JSON number, is written as count accepts it.
func isCount(v []byte) bool {
	_, end, ok := count(v, 0)
	return ok && end == len(v)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// forget drops the shape: nothing matches until the next learn.
func (s *chunkShape) forget() { s.n = 0 }
