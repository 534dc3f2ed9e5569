package eventstream

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var recordings = []string{
	"converse_stream_titan_recorded",
	"invoke_with_response_stream_claude_recorded",
	"invoke_with_response_stream_nova_recorded",
}

// header and frame are copies of what a callback saw, comparable after it returns.
type header struct {
	Name  string
	Type  uint8
	Bytes string
	Int   int64
}

type frame struct {
	Headers []header
	Payload string
}

// result is everything observable about one decoding of a stream.
type result struct {
	Frames  []frame
	Err     string
	Count   int
	Partial bool
}

func copyMessage(m *Message) frame {
	f := frame{Payload: string(m.Payload)}
	for _, h := range m.Headers() {
		f.Headers = append(f.Headers, header{Name: string(h.Name), Type: h.Value.Type, Bytes: string(h.Value.Bytes), Int: h.Value.Int})
	}
	return f
}

// checkAccessors checks the lookups against the headers they look in:
// Header and String find the first header of a name, and EventType and
// MessageType, located while the headers were checked, agree with String.
func checkAccessors(t testing.TB, m *Message) {
	t.Helper()
	headers := m.Headers()
	for i, h := range headers {
		first := slices.IndexFunc(headers, func(o Header) bool { return bytes.Equal(o.Name, h.Name) })
		if first != i {
			continue
		}
		v, ok := m.Header(string(h.Name))
		if !ok || v.Type != h.Value.Type || v.Int != h.Value.Int || !bytes.Equal(v.Bytes, h.Value.Bytes) {
			t.Fatalf("Header(%q) = %+v, %v; the headers hold %+v", h.Name, v, ok, h.Value)
		}
		var want []byte
		if h.Value.Type == TypeString || h.Value.Type == TypeBytes {
			want = h.Value.Bytes
		}
		if got := m.String(string(h.Name)); !bytes.Equal(got, want) || (got == nil) != (want == nil) {
			t.Fatalf("String(%q) = %q, want %q", h.Name, got, want)
		}
	}
	for _, c := range []struct {
		name string
		got  []byte
	}{{":event-type", m.EventType()}, {":message-type", m.MessageType()}} {
		if want := m.String(c.name); !bytes.Equal(c.got, want) || (c.got == nil) != (want == nil) {
			t.Fatalf("the %s accessor gives %q, String %q", c.name, c.got, want)
		}
		if c.got != nil {
			if _, ok := m.Header(c.name); !ok {
				t.Fatalf("%s found by its accessor, not by Header", c.name)
			}
		}
	}
}

// decode feeds data to a new Decoder in writes of the lengths next returns,
// and checks on the way that no write changes its input.
func decode(t testing.TB, data []byte, next func(remaining int) int) result {
	t.Helper()
	var r result
	d := NewDecoder(func(m *Message) {
		checkAccessors(t, m)
		r.Frames = append(r.Frames, copyMessage(m))
	})
	for len(data) > 0 {
		n := min(next(len(data)), len(data))
		chunk := bytes.Clone(data[:n])
		err := d.Write(chunk)
		if !bytes.Equal(chunk, data[:n]) {
			t.Fatalf("Write modified its input")
		}
		if err != d.Err() {
			t.Fatalf("Write returned %v, Err() %v", err, d.Err())
		}
		data = data[n:]
	}
	if d.Err() != nil {
		r.Err = d.Err().Error()
	}
	r.Count = d.Frames()
	r.Partial = d.Partial()
	if r.Count != len(r.Frames) {
		t.Fatalf("Frames() = %d, %d callbacks", r.Count, len(r.Frames))
	}
	return r
}

func whole(remaining int) int { return remaining }
func oneByte(int) int         { return 1 }

// randomSplits cuts the input at random points: mostly small writes, with
// the occasional long one spanning several frames.
func randomSplits(seed uint64) func(int) int {
	rng := rand.New(rand.NewPCG(seed, seed))
	return func(remaining int) int {
		if rng.IntN(4) == 0 {
			return 1 + rng.IntN(remaining)
		}
		return 1 + rng.IntN(64)
	}
}

type decodedLine struct {
	TotalLength   int                        `json:"total_length"`
	HeadersLength int                        `json:"headers_length"`
	Headers       map[string]json.RawMessage `json:"headers"`
	Payload       string                     `json:"payload"`
}

// loadRecording returns a recorded stream and the frames its .decoded.txt
// sibling lists (lines starting with '{'; the others annotate them).
func loadRecording(t *testing.T, name string) ([]byte, []decodedLine) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name+".bin"))
	require.NoError(t, err)
	f, err := os.Open(filepath.Join("testdata", name+".decoded.txt"))
	require.NoError(t, err)
	defer f.Close()
	var want []decodedLine
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "{") {
			continue
		}
		var l decodedLine
		require.NoError(t, json.Unmarshal(sc.Bytes(), &l))
		want = append(want, l)
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, want)
	return data, want
}

func TestRecordings(t *testing.T) {
	for _, name := range recordings {
		t.Run(name, func(t *testing.T) {
			data, want := loadRecording(t, name)

			var events []string
			d := NewDecoder(func(m *Message) {
				i := len(events)
				events = append(events, string(m.String(":event-type")))
				if i >= len(want) {
					return
				}
				w := want[i]
				assert.Len(t, m.Headers(), len(w.Headers), "frame %d headers", i)
				for _, h := range m.Headers() {
					var typed []any
					require.NoError(t, json.Unmarshal(w.Headers[string(h.Name)], &typed), "frame %d header %s", i, h.Name)
					require.Len(t, typed, 2)
					assert.EqualValues(t, typed[0], h.Value.Type, "frame %d header %s type", i, h.Name)
					assert.Equal(t, typed[1], string(h.Value.Bytes), "frame %d header %s", i, h.Name)
				}
				for _, key := range []string{":event-type", ":message-type", ":content-type"} {
					var typed []any
					require.NoError(t, json.Unmarshal(w.Headers[key], &typed))
					assert.Equal(t, typed[1], string(m.String(key)), "frame %d %s", i, key)
				}
				assert.Equal(t, w.Payload, string(m.Payload), "frame %d payload", i)
			})
			require.NoError(t, d.Write(data))
			assert.Equal(t, len(want), d.Frames())
			assert.Len(t, events, len(want))
			assert.False(t, d.Partial())

			total := 0
			for _, w := range want {
				total += w.TotalLength
			}
			assert.Equal(t, len(data), total, "the decoded lengths add up to the recording")
		})
	}
}

func TestRecordingsAnySplit(t *testing.T) {
	for _, name := range recordings {
		t.Run(name, func(t *testing.T) {
			data, want := loadRecording(t, name)
			ref := decode(t, data, whole)
			require.Empty(t, ref.Err)
			require.Len(t, ref.Frames, len(want))
			assert.False(t, ref.Partial)

			assert.Equal(t, ref, decode(t, data, oneByte), "one byte per Write")
			for seed := range uint64(200) {
				require.Equal(t, ref, decode(t, data, randomSplits(seed)), "split with seed %d", seed)
			}
		})
	}
}

func TestAllRecordingsInOneWrite(t *testing.T) {
	var stream []byte
	var want []frame
	for _, name := range recordings {
		data, _ := loadRecording(t, name)
		stream = append(stream, data...)
		want = append(want, decode(t, data, whole).Frames...)
	}
	got := decode(t, stream, whole)
	assert.Empty(t, got.Err)
	assert.Equal(t, want, got.Frames)
	for seed := range uint64(20) {
		assert.Equal(t, got, decode(t, stream, randomSplits(seed)))
	}
}

func TestTruncation(t *testing.T) {
	for _, name := range recordings {
		t.Run(name, func(t *testing.T) {
			data, want := loadRecording(t, name)
			all := decode(t, data, whole).Frames
			ends := map[int]int{0: 0} // frame boundary offset -> frames before it
			end := 0
			for i, w := range want {
				end += w.TotalLength
				ends[end] = i + 1
			}
			for cut := range len(data) + 1 {
				got := decode(t, data[:cut], whole)
				require.Empty(t, got.Err, "cut at %d", cut)
				framesBefore, atBoundary := ends[cut]
				require.Equal(t, !atBoundary, got.Partial, "Partial() at cut %d", cut)
				if atBoundary {
					require.Equal(t, framesBefore, got.Count, "cut %d", cut)
				}
				if got.Count > 0 {
					require.Equal(t, all[:got.Count], got.Frames, "cut %d", cut)
				}
				require.Equal(t, got, decode(t, data[:cut], randomSplits(uint64(cut))), "cut %d split", cut)
			}
		})
	}
}

// prelude returns a frame start declaring total and headersLen, with a valid
// prelude checksum.
func prelude(total, headersLen uint32) []byte {
	b := binary.BigEndian.AppendUint32(nil, total)
	b = binary.BigEndian.AppendUint32(b, headersLen)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// rawFrame builds a frame around an arbitrary headers section, with valid
// lengths and checksums.
func rawFrame(headers, payload []byte) []byte {
	b := prelude(uint32(minFrameLen+len(headers)+len(payload)), uint32(len(headers)))
	b = append(b, headers...)
	b = append(b, payload...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

func flip(b []byte, i int) []byte {
	b = bytes.Clone(b)
	b[i] ^= 0x40
	return b
}

func TestInvalid(t *testing.T) {
	valid := Encode([]Header{StringHeader(":event-type", "chunk")}, []byte(`{"bytes":"e30="}`))
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

	tests := []struct {
		name   string
		stream []byte
		want   error
		frames int // delivered before the error
	}{
		{"prelude checksum", flip(valid, 9), ErrPreludeCRC, 0},
		{"total length changed under its checksum", flip(valid, 3), ErrPreludeCRC, 0},
		{"headers length changed under its checksum", flip(valid, 7), ErrPreludeCRC, 0},
		{"message checksum, payload byte", flip(valid, len(valid)-6), ErrMessageCRC, 0},
		{"message checksum, header byte", flip(valid, 14), ErrMessageCRC, 0},
		{"message checksum itself", flip(valid, len(valid)-1), ErrMessageCRC, 0},
		{"message checksum in second frame", cat(valid, flip(valid, len(valid)-1)), ErrMessageCRC, 1},
		{"headers past 128 KiB", prelude(minFrameLen+maxHeadersLen+1, maxHeadersLen+1), ErrHeadersTooLong, 0},
		{"headers length max uint32", prelude(1<<32-1, 1<<32-1), ErrHeadersTooLong, 0},
		{"payload past 16 MiB", prelude(minFrameLen+maxPayloadLen+1, 0), ErrPayloadTooLong, 0},
		{"payload past 16 MiB with headers", prelude(minFrameLen+100+maxPayloadLen+1, 100), ErrPayloadTooLong, 0},
		{"total length max uint32", prelude(1<<32-1, 0), ErrPayloadTooLong, 0},
		{"total length 15", cat(prelude(15, 0), []byte{0, 0, 0}), ErrFrameTooShort, 0},
		{"total length 0", prelude(0, 0), ErrFrameTooShort, 0},
		{"headers length past total-16", prelude(20, 5), ErrFrameTooShort, 0},
		{"headers length in a minimal frame", prelude(16, 1), ErrFrameTooShort, 0},
		{"string value past headers", rawFrame([]byte("\x01a\x07\x00\x0aabc"), nil), ErrBadHeader, 0},
		{"string length past headers", rawFrame([]byte("\x01a\x07\x00"), nil), ErrBadHeader, 0},
		{"int32 past headers", rawFrame([]byte("\x01a\x04\x00\x00\x01"), nil), ErrBadHeader, 0},
		{"int64 past headers", rawFrame([]byte("\x01a\x05\x00"), []byte("payload")), ErrBadHeader, 0},
		{"uuid past headers", rawFrame([]byte("\x01a\x09\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e"), nil), ErrBadHeader, 0},
		{"byte past headers", rawFrame([]byte("\x01a\x02"), nil), ErrBadHeader, 0},
		{"name past headers", rawFrame([]byte("\x05ab"), nil), ErrBadHeader, 0},
		{"no type byte", rawFrame([]byte("\x02ab"), nil), ErrBadHeader, 0},
		{"empty name", rawFrame([]byte("\x00\x00"), nil), ErrBadHeader, 0},
		{"unknown type 10", rawFrame([]byte("\x01a\x0a"), nil), ErrBadHeader, 0},
		{"unknown type 255", rawFrame([]byte("\x01a\x07\x00\x01x\x01b\xff"), nil), ErrBadHeader, 0},
		{"garbage after a frame", cat(valid, []byte("HTTP/1.1 200 OK\r\n")), ErrPreludeCRC, 1},
		{"zeros after a frame", cat(valid, make([]byte, 16)), ErrPreludeCRC, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := decode(t, tt.stream, whole)
			require.NotEmpty(t, got.Err)
			assert.Equal(t, tt.frames, got.Count)
			assert.False(t, got.Partial, "nothing is pending after an error")
			assert.Equal(t, got, decode(t, tt.stream, oneByte), "one byte per Write")
			assert.Equal(t, got, decode(t, tt.stream, randomSplits(1)), "random splits")

			d := NewDecoder(nil)
			err := d.Write(tt.stream)
			require.ErrorIs(t, err, tt.want)
			t.Log(err)

			// Sticky: later input is ignored, even a valid frame, and the
			// same error comes back.
			assert.Same(t, err, d.Write(valid))
			assert.Same(t, err, d.Write(nil))
			assert.Same(t, err, d.Err())
			assert.Equal(t, tt.frames, d.Frames())
			assert.False(t, d.Partial())
		})
	}
}

func TestPendingPrefixes(t *testing.T) {
	valid := Encode([]Header{StringHeader(":event-type", "chunk")}, []byte("payload"))

	t.Run("short garbage after a frame waits for more", func(t *testing.T) {
		d := NewDecoder(nil)
		require.NoError(t, d.Write(valid))
		require.NoError(t, d.Write([]byte("junk")))
		assert.True(t, d.Partial())
		assert.Equal(t, 1, d.Frames())
		assert.ErrorIs(t, d.Write([]byte("more junk")), ErrPreludeCRC)
	})

	t.Run("largest declared frame is not allocated up front", func(t *testing.T) {
		d := NewDecoder(nil)
		require.NoError(t, d.Write(prelude(maxFrameLen, maxHeadersLen)))
		require.NoError(t, d.Write([]byte("some of the headers")))
		assert.True(t, d.Partial())
		assert.LessOrEqual(t, cap(d.pending), 512)
	})

	t.Run("16 MiB of payload is allowed", func(t *testing.T) {
		payload := bytes.Repeat([]byte("x"), maxPayloadLen)
		var got int
		d := NewDecoder(func(m *Message) { got = len(m.Payload) })
		stream := Encode(nil, payload)
		for len(stream) > 0 {
			n := min(len(stream), 1<<20)
			require.NoError(t, d.Write(stream[:n]))
			stream = stream[n:]
		}
		assert.Equal(t, maxPayloadLen, got)
		assert.Nil(t, d.pending, "a buffer past retainLimit is not kept")
	})
}

func TestWriteDoesNotRetainInput(t *testing.T) {
	frameBytes := Encode([]Header{StringHeader(":event-type", "contentBlockDelta")}, []byte(`{"delta":{"text":"hello"}}`))
	for cut := 1; cut < len(frameBytes); cut++ {
		var got []frame
		d := NewDecoder(func(m *Message) { got = append(got, copyMessage(m)) })
		first := bytes.Clone(frameBytes[:cut])
		require.NoError(t, d.Write(first))
		for i := range first { // the application reuses its read buffer
			first[i] = 0xff
		}
		require.NoError(t, d.Write(bytes.Clone(frameBytes[cut:])))
		require.Len(t, got, 1, "cut %d", cut)
		assert.Equal(t, `{"delta":{"text":"hello"}}`, got[0].Payload)
	}
}

func TestCallbackCannotOverwriteInput(t *testing.T) {
	stream := bytes.Join([][]byte{
		Encode([]Header{StringHeader("a", "x"), BytesHeader("b", []byte{1})}, []byte("p1")),
		Encode(nil, []byte("p2")),
	}, nil)
	original := bytes.Clone(stream)
	d := NewDecoder(func(m *Message) {
		_ = append(m.Payload, "overwrite"...)
		for _, h := range m.Headers() {
			_ = append(h.Name, "overwrite"...)
			_ = append(h.Value.Bytes, "overwrite"...)
		}
	})
	require.NoError(t, d.Write(stream))
	assert.Equal(t, original, stream)
	assert.Equal(t, 2, d.Frames())
}

func TestMessageAccessors(t *testing.T) {
	stream := Encode([]Header{
		StringHeader(":event-type", "chunk"),
		StringHeader(":event-type", "shadowed"),
		StringHeader("empty", ""),
		BytesHeader("raw", []byte{0, 1}),
		{Name: []byte("n"), Value: HeaderValue{Type: TypeInt32, Int: 7}},
	}, nil)
	d := NewDecoder(func(m *Message) {
		assert.Equal(t, "chunk", string(m.String(":event-type")), "the first of repeated names wins")
		assert.NotNil(t, m.String("empty"), "empty is not absent")
		assert.Empty(t, m.String("empty"))
		assert.Equal(t, []byte{0, 1}, m.String("raw"))
		assert.Nil(t, m.String("n"), "not a string")
		assert.Nil(t, m.String("absent"))
		v, ok := m.Header("n")
		assert.True(t, ok)
		assert.Equal(t, HeaderValue{Type: TypeInt32, Int: 7}, v)
		_, ok = m.Header("absent")
		assert.False(t, ok)

		allocs := testing.AllocsPerRun(100, func() {
			_ = m.String(":event-type")
			_, _ = m.Header("absent")
		})
		assert.Zero(t, allocs)
	})
	require.NoError(t, d.Write(stream))
	require.Equal(t, 1, d.Frames())

	// The first header of a name decides, even when it is not a string.
	stream = Encode([]Header{
		{Name: []byte(":event-type"), Value: HeaderValue{Type: TypeInt32, Int: 7}},
		StringHeader(":event-type", "second"),
		BytesHeader(":message-type", []byte("event")),
		StringHeader(":message-type", "second"),
		StringHeader(":content-type", "application/json"),
	}, nil)
	d = NewDecoder(func(m *Message) {
		assert.Nil(t, m.EventType())
		assert.Nil(t, m.String(":event-type"))
		v, ok := m.Header(":event-type")
		assert.True(t, ok)
		assert.Equal(t, HeaderValue{Type: TypeInt32, Int: 7}, v)
		assert.Equal(t, "event", string(m.MessageType()))
		assert.Equal(t, "event", string(m.String(":message-type")))
		assert.Equal(t, "application/json", string(m.String(":content-type")))
		assert.Len(t, m.Headers(), 5)
		assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = m.EventType(), m.MessageType() }))
	})
	require.NoError(t, d.Write(stream))
	require.Equal(t, 1, d.Frames())

	// Outside the callback a message holds nothing.
	var m Message
	assert.Nil(t, m.EventType())
	assert.Nil(t, m.String(":message-type"))
	assert.Empty(t, m.Headers())
}

func TestSteadyStateDoesNotAllocate(t *testing.T) {
	stream := benchStream(t, 60)
	d := NewDecoder(func(*Message) {})
	feed := func() {
		for p := stream; len(p) > 0; {
			n := min(len(p), 4096)
			if err := d.Write(p[:n]); err != nil {
				panic(err)
			}
			p = p[n:]
		}
	}
	feed() // grows the buffer and the headers slice
	assert.Zero(t, testing.AllocsPerRun(20, feed))
	assert.Equal(t, 22*60, d.Frames())
}

func TestErrorMessage(t *testing.T) {
	valid := Encode(nil, []byte("p"))
	err := NewDecoder(nil).Write(append(bytes.Clone(valid), flip(valid, len(valid)-1)...))
	want := fmt.Sprintf("eventstream: message checksum mismatch: frame 2 at stream offset %d: computed", len(valid))
	assert.True(t, strings.HasPrefix(err.Error(), want), err.Error())
}

func TestWriteFromCallbackIsRefused(t *testing.T) {
	stream := bytes.Repeat(Encode(nil, []byte("p")), 3)
	for _, n := range []int{len(stream), 5} {
		var d *Decoder
		var inner []error
		d = NewDecoder(func(m *Message) {
			inner = append(inner, d.Write(stream))
			assert.Equal(t, "p", string(m.Payload))
		})
		for p := stream; len(p) > 0; p = p[min(n, len(p)):] {
			require.NoError(t, d.Write(p[:min(n, len(p))]))
		}
		assert.Equal(t, 3, d.Frames())
		assert.Equal(t, []error{errReentrant, errReentrant, errReentrant}, inner)
	}
}
