package eventstream

import (
	"bytes"
	"testing"
)

// FuzzDecoder feeds arbitrary bytes, cut where cuts says (each byte one write
// length, cycled; no cuts means one byte per write). It checks that decoding
// never panics, never depends on where the input was cut, and delivers only
// what the input really holds: re-encoding the delivered frames gives back
// the input's leading bytes.
func FuzzDecoder(f *testing.F) {
	// Seeds stay small (single frames, short runs of frames): the fuzzer
	// minimises what it finds, and minimising a 10 KiB input stalls it.
	frames := recordedFrames(f)
	for i, frame := range frames {
		f.Add(frame, []byte{byte(i)})
	}
	for i := 0; i+3 <= len(frames); i += 7 {
		run := bytes.Join(frames[i:i+3], nil)
		f.Add(run, []byte{0, 255, 3, 100})
		f.Add(run[:len(run)-30], []byte{11, 200, 0})
	}
	f.Add(Encode([]Header{
		{Name: []byte("t"), Value: HeaderValue{Type: TypeBoolTrue}},
		{Name: []byte("f"), Value: HeaderValue{Type: TypeBoolFalse}},
		{Name: []byte("b"), Value: HeaderValue{Type: TypeByte, Int: -3}},
		{Name: []byte("i16"), Value: HeaderValue{Type: TypeInt16, Int: -300}},
		{Name: []byte("i32"), Value: HeaderValue{Type: TypeInt32, Int: 1 << 20}},
		{Name: []byte("i64"), Value: HeaderValue{Type: TypeInt64, Int: -1 << 40}},
		BytesHeader("raw", []byte{0, 1, 2}),
		StringHeader(":event-type", "chunk"),
		{Name: []byte("ts"), Value: HeaderValue{Type: TypeTimestamp, Int: 1732710000123}},
		{Name: []byte("id"), Value: HeaderValue{Type: TypeUUID, Bytes: bytes.Repeat([]byte{0xab}, 16)}},
	}, []byte(`{"p":"x"}`)), []byte{})
	f.Add(Encode(nil, nil), []byte{1})
	f.Add(append(Encode(nil, []byte("a")), "garbage after"...), []byte{5, 9})
	f.Add(prelude(minFrameLen+maxPayloadLen+1, 0), []byte{})
	f.Add(rawFrame([]byte("\x01a\x07\x00\x0aabc"), nil), []byte{2})

	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		input := bytes.Clone(data)
		ref := decode(t, data, whole)
		if !bytes.Equal(input, data) {
			t.Fatal("input modified")
		}
		i := 0
		split := decode(t, data, func(int) int {
			if len(cuts) == 0 {
				return 1
			}
			n := int(cuts[i%len(cuts)]) + 1
			i++
			return n
		})
		if !equalResults(ref, split) {
			t.Fatalf("whole: %+v\nsplit: %+v", ref, split)
		}

		var again []byte
		for _, fr := range ref.Frames {
			headers := make([]Header, len(fr.Headers))
			for j, h := range fr.Headers {
				headers[j] = Header{Name: []byte(h.Name), Value: HeaderValue{Type: h.Type, Bytes: []byte(h.Bytes), Int: h.Int}}
			}
			again = append(again, Encode(headers, []byte(fr.Payload))...)
		}
		if !bytes.HasPrefix(data, again) {
			t.Fatalf("delivered frames re-encode to %x, not a prefix of the input", again)
		}
		if ref.Err == "" && ref.Partial != (len(again) < len(data)) {
			t.Fatalf("Partial() = %v with %d of %d bytes delivered", ref.Partial, len(again), len(data))
		}
	})
}

func equalResults(a, b result) bool {
	if a.Err != b.Err || a.Count != b.Count || a.Partial != b.Partial || len(a.Frames) != len(b.Frames) {
		return false
	}
	for i := range a.Frames {
		fa, fb := a.Frames[i], b.Frames[i]
		if fa.Payload != fb.Payload || len(fa.Headers) != len(fb.Headers) {
			return false
		}
		for j := range fa.Headers {
			if fa.Headers[j] != fb.Headers[j] {
				return false
			}
		}
	}
	return true
}
