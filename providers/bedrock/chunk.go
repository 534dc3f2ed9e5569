package bedrock

import (
	"bytes"
	"encoding/base64"

	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// chunkBytes returns the base64 text of a chunk payload written the way
// Bedrock writes every one, {"bytes":"…","p":"…"} or {"bytes":"…"}, and
// reports whether it was. It looks for the padding string from the end,
// which is short, rather than for the end of the base64 text, which is
// long: the text it returns may then hold quotes or escapes, and its
// decoding fails on them. A payload whose text decodes is JSON as far as a
// jsonscan.Shape tells (its strings end at their quotes); the caller reads
// any other in full.
func chunkBytes(payload []byte) (encoded []byte, ok bool) {
	const open, pad, end = `{"bytes":"`, `","p":"`, `"}`
	n := len(payload)
	if n < len(open)+len(end) || string(payload[:len(open)]) != open || string(payload[n-len(end):]) != end {
		return nil, false
	}
	q := bytes.LastIndexByte(payload[:n-len(end)], '"')
	switch {
	case q == len(open)-1: // no padding
		return payload[len(open) : n-len(end)], true
	case q < len(open)+len(pad)-1 || string(payload[q+1-len(pad):q+1]) != pad || payload[n-len(end)-1] == '\\':
		// Not the padding string, or its closing quote escaped.
		return nil, false
	}
	return payload[len(open) : q+1-len(pad)], true
}

// decodeBase64 decodes src into dst, which has room for it. Go's decoder
// skips line breaks, which a JSON string cannot hold raw: when src is the
// raw text of a string (not unescaped), they mean a malformed payload.
func decodeBase64(dst, src []byte, raw bool) (int, bool) {
	if n, ok := decodeCanonical(dst, src); ok {
		return n, true
	}
	n, err := base64.StdEncoding.Decode(dst, src)
	if err != nil {
		return 0, false
	}
	if raw {
		// Without line breaks, every 4 characters are 3 bytes, less the
		// padding.
		pad := 0
		for i := len(src) - 1; i >= 0 && pad < 2 && src[i] == '='; i-- {
			pad++
		}
		if len(src)%4 != 0 || n != len(src)/4*3-pad {
			return 0, false
		}
	}
	return n, true
}

// base64Values maps each character of the standard base64 alphabet to its
// six bits, and every other byte to 0xff.
var base64Values = func() (t [256]byte) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for i := range t {
		t[i] = 0xff
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = byte(i)
	}
	return t
}()

// decodeCanonical decodes src, padded standard base64 with nothing else
// in it and no stray bits in its last group, into dst, which has room for
// len(src)/4*3 bytes. It reports false for anything else, which
// encoding/base64 is left to judge: a chunk's text is short, and for short
// texts the standard decoder's setup costs more than the decoding.
func decodeCanonical(dst, src []byte) (int, bool) {
	if len(src)%4 != 0 || len(dst) < len(src)/4*3 {
		return 0, false
	}
	n := 0
	for i := 0; i+4 <= len(src); i += 4 {
		q := src[i : i+4 : i+4]
		a, b, c, d := base64Values[q[0]], base64Values[q[1]], base64Values[q[2]], base64Values[q[3]]
		if a|b|c|d < 64 {
			v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
			out := dst[n : n+3 : n+3]
			out[0], out[1], out[2] = byte(v>>16), byte(v>>8), byte(v)
			n += 3
			continue
		}
		if i+4 != len(src) || a|b >= 64 {
			return 0, false
		}
		switch {
		case q[2] == '=' && q[3] == '=' && b&0x0f == 0:
			dst[n] = a<<2 | b>>4
			return n + 1, true
		case c < 64 && q[3] == '=' && c&0x03 == 0:
			v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6
			dst[n], dst[n+1] = byte(v>>16), byte(v>>8)
			return n + 2, true
		}
		return 0, false
	}
	return n, true
}

// encodedShape recognises the chunks of one kind of output delta from their
// base64 text, decoding little of it. The deltas of a stream share their
// start (Claude's {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"
// is 77 bytes of every one) and their end (Nova's "},"contentBlockIndex":0}}),
// and base64 turns each 3 bytes into 4 characters on their own. A chunk
// whose text starts with the characters of the shared start decodes to it;
// one that ends with the characters of the shared end of deltas as long
// (modulo 3: the padding tells) decodes to that end. Only the middle is
// decoded, between copies of the two, and the whole is matched against
// the shape of the delta read in full.
type encodedShape struct {
	shape jsonscan.Shape // of the decoded delta
	// plain holds the shared start, then the rest of the last chunk
	// matched, decoded.
	plain  []byte
	common int    // bytes of plain every delta starts with: a multiple of 3
	head   []byte // the base64 text of plain[:common]
	// tails are the shared ends of the deltas by their padding: 0, 1 or
	// 2 "=".
	tails [3]encodedTail
}

// encodedTail is the shared end of the deltas of one padding.
type encodedTail struct {
	learnt bool
	text   []byte // the last characters of their base64 text: whole groups
	plain  []byte // what text decodes to
}

// learn takes the shape of event, an output delta, whose base64 text (with
// no line breaks) is encoded; its "type" strings (Claude's) are kept. The
// shared start is all of it at first, and shrinks to what the later deltas
// of the shape share; so do the shared ends.
func (s *encodedShape) learn(event, encoded []byte) {
	for i := range s.tails {
		t := &s.tails[i]
		t.learnt, t.text, t.plain = false, t.text[:0], t.plain[:0]
	}
	if !s.shape.Learn(event, "type") {
		s.common, s.head = 0, s.head[:0]
		return
	}
	s.plain = append(s.plain[:0], event...)
	s.common = len(event) / 3 * 3
	s.head = append(s.head[:0], encoded[:s.common/3*4]...)
}

// matches reports whether the chunk whose base64 text is encoded holds a
// delta of the learnt shape, decoding only what lies between the shared
// start and end.
func (s *encodedShape) matches(encoded []byte) bool {
	if !s.shape.Learned() || len(encoded) < len(s.head) || string(encoded[:len(s.head)]) != string(s.head) {
		return false
	}
	rest := encoded[len(s.head):]
	tail := &s.tails[padding(rest)]
	if len(tail.text) > 0 && len(rest) >= len(tail.text) && string(rest[len(rest)-len(tail.text):]) == string(tail.text) {
		middle := rest[:len(rest)-len(tail.text)]
		plain := s.room(len(middle)/4*3 + len(tail.plain))
		n, ok := decodeCanonical(plain, middle)
		if !ok || n != len(middle)/4*3 { // padding is the tail's alone
			return false
		}
		n += copy(plain[n:], tail.plain)
		return s.shape.Matches(s.plain[:s.common+n])
	}
	plain := s.room(len(rest) / 4 * 3)
	n, ok := decodeCanonical(plain, rest)
	if !ok || !s.shape.Matches(s.plain[:s.common+n]) {
		return false
	}
	tail.narrow(rest, plain[:n])
	return true
}

// room returns the n bytes of plain after the shared start, growing it if
// need be.
func (s *encodedShape) room(n int) []byte {
	if need := s.common + n; cap(s.plain) < need {
		grown := make([]byte, need, 2*need)
		copy(grown, s.plain[:s.common])
		s.plain = grown
	}
	return s.plain[s.common : s.common+n]
}

// narrow makes the shared end what it has in common with rest, the text
// after the shared start of a delta of this padding, which decodes to
// plain; the first delta's rest is all of it. Once learnt, it only
// shrinks, to nothing if need be.
func (t *encodedTail) narrow(rest, plain []byte) {
	if !t.learnt {
		t.learnt = true
		t.text = append(t.text[:0], rest...)
		t.plain = append(t.plain[:0], plain...)
		return
	}
	groups := 0
	for g := 1; 4*g <= len(t.text) && 4*g <= len(rest); g++ {
		if string(t.text[len(t.text)-4*g:len(t.text)-4*(g-1)]) != string(rest[len(rest)-4*g:len(rest)-4*(g-1)]) {
			break
		}
		groups = g
	}
	keepText, keepPlain := 4*groups, 3*groups-padding(t.text)
	if groups == 0 {
		keepText, keepPlain = 0, 0
	}
	t.text = append(t.text[:0], t.text[len(t.text)-keepText:]...)
	t.plain = append(t.plain[:0], t.plain[len(t.plain)-keepPlain:]...)
}

// padding counts the "=" that end base64 text, at most 2.
func padding(text []byte) int {
	n := 0
	for i := len(text) - 1; i >= 0 && n < 2 && text[i] == '='; i-- {
		n++
	}
	return n
}

// matchesDecoded reports whether event, a chunk decoded in full, is a delta
// of the learnt shape; when it is, the shared start shrinks to what event
// shares with it.
func (s *encodedShape) matchesDecoded(event []byte) bool {
	if !s.shape.Matches(event) {
		return false
	}
	n := 0
	for n < s.common && n < len(event) && event[n] == s.plain[n] {
		n++
	}
	s.common = n / 3 * 3
	s.head = s.head[:s.common/3*4]
	return true
}
