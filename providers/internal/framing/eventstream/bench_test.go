package eventstream

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// recordedFrames returns every frame of the recordings, in order.
func recordedFrames(tb testing.TB) [][]byte {
	tb.Helper()
	var frames [][]byte
	for _, name := range recordings {
		data, err := os.ReadFile(filepath.Join("testdata", name+".bin"))
		if err != nil {
			tb.Fatal(err)
		}
		for len(data) >= 4 {
			n := int(binary.BigEndian.Uint32(data))
			frames = append(frames, data[:n])
			data = data[n:]
		}
	}
	return frames
}

// benchStream returns a stream of n recorded frames, cycling through them.
func benchStream(tb testing.TB, n int) []byte {
	frames := recordedFrames(tb)
	var stream []byte
	for i := range n {
		stream = append(stream, frames[i%len(frames)]...)
	}
	return stream
}

// BenchmarkDecoder decodes whole streams read in 4 KiB pieces, as an
// application reading the body with a bufio-sized buffer would show them, so
// most frames straddle two writes. Allocations per op must not grow with the
// number of frames.
func BenchmarkDecoder(b *testing.B) {
	for _, n := range []int{30, 300} {
		stream := benchStream(b, n)
		b.Run(fmt.Sprintf("frames=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(stream)))
			for b.Loop() {
				events := 0
				d := NewDecoder(func(m *Message) {
					if m.String(":event-type") != nil {
						events++
					}
				})
				for p := stream; len(p) > 0; {
					k := min(len(p), 4096)
					if err := d.Write(p[:k]); err != nil {
						b.Fatal(err)
					}
					p = p[k:]
				}
				if events != n {
					b.Fatalf("%d events, want %d", events, n)
				}
			}
		})
	}
}

// BenchmarkCRC is the floor under BenchmarkDecoder: the two checksums every
// frame of the same 300-frame stream must pay.
func BenchmarkCRC(b *testing.B) {
	frames := benchFrames(b, 300)
	size := 0
	for _, f := range frames {
		size += len(f)
	}
	b.ReportAllocs()
	b.SetBytes(int64(size))
	for b.Loop() {
		for _, f := range frames {
			_ = preludeChecksum(f)
			_ = crc32.ChecksumIEEE(f[:len(f)-4])
		}
	}
}

// BenchmarkHeaders checks the headers of the same 300 frames and reads
// their :event-type, as the decoder does for a section it has not just
// seen.
func BenchmarkHeaders(b *testing.B) {
	frames := benchFrames(b, 300)
	b.ReportAllocs()
	var m Message
	for b.Loop() {
		for _, f := range frames {
			if err := m.index(f[preludeLen : preludeLen+binary.BigEndian.Uint32(f[4:8])]); err != nil || m.EventType() == nil {
				b.Fatal("no event type", err)
			}
		}
	}
}

// benchFrames returns n recorded frames, cycling through them.
func benchFrames(tb testing.TB, n int) [][]byte {
	recorded := recordedFrames(tb)
	frames := make([][]byte, n)
	for i := range frames {
		frames[i] = recorded[i%len(recorded)]
	}
	return frames
}
