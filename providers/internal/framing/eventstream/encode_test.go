package eventstream

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEncodeRoundTrip(t *testing.T) {
	h := func(name string, typ uint8, b []byte, n int64) Header {
		return Header{Name: []byte(name), Value: HeaderValue{Type: typ, Bytes: b, Int: n}}
	}
	uuid := []byte{0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40, 0x00}
	tests := []struct {
		name    string
		headers []Header
		payload []byte
		want    []header // nil: same as headers
	}{
		{name: "no headers, no payload"},
		{name: "payload only", payload: []byte(`{"a":1}`)},
		{name: "bool true", headers: []Header{h("t", TypeBoolTrue, nil, 1)}},
		{name: "bool false", headers: []Header{h("f", TypeBoolFalse, nil, 0)}},
		{name: "bool type is the value", headers: []Header{h("t", TypeBoolTrue, nil, 0), h("f", TypeBoolFalse, nil, 1)},
			want: []header{{Name: "t", Type: TypeBoolTrue, Int: 1}, {Name: "f", Type: TypeBoolFalse, Int: 0}}},
		{name: "byte", headers: []Header{h("b", TypeByte, nil, -128), h("b", TypeByte, nil, 127), h("b", TypeByte, nil, 0)}},
		{name: "int16", headers: []Header{h("i", TypeInt16, nil, math.MinInt16), h("i", TypeInt16, nil, math.MaxInt16), h("i", TypeInt16, nil, -1)}},
		{name: "int32", headers: []Header{h("i", TypeInt32, nil, math.MinInt32), h("i", TypeInt32, nil, math.MaxInt32), h("i", TypeInt32, nil, 200)}},
		{name: "int64", headers: []Header{h("i", TypeInt64, nil, math.MinInt64), h("i", TypeInt64, nil, math.MaxInt64), h("i", TypeInt64, nil, 1<<40)}},
		{name: "int truncated to its width", headers: []Header{h("i", TypeByte, nil, 0x1ff)},
			want: []header{{Name: "i", Type: TypeByte, Int: -1}}},
		{name: "bytes", headers: []Header{BytesHeader("raw", []byte{0, 0xff, 7}), BytesHeader("empty", nil)}},
		{name: "string", headers: []Header{StringHeader(":event-type", "chunk"), StringHeader("empty", ""), StringHeader("utf8", "héllo")}},
		{name: "longest string", headers: []Header{StringHeader("s", strings.Repeat("x", 0xffff))}},
		{name: "longest name", headers: []Header{StringHeader(strings.Repeat("n", 255), "v")}},
		{name: "timestamp", headers: []Header{h(":date", TypeTimestamp, nil, 1732710000123), h("before-epoch", TypeTimestamp, nil, -1)}},
		{name: "uuid", headers: []Header{h("id", TypeUUID, uuid, 0)}},
		{name: "every type at once", payload: []byte("payload"), headers: []Header{
			h("t", TypeBoolTrue, nil, 1), h("f", TypeBoolFalse, nil, 0), h("b", TypeByte, nil, -5),
			h("s16", TypeInt16, nil, -300), h("s32", TypeInt32, nil, 70000), h("s64", TypeInt64, nil, -1<<50),
			BytesHeader("raw", []byte("\x00\x01")), StringHeader(":message-type", "event"),
			h("ts", TypeTimestamp, nil, 1), h("id", TypeUUID, uuid, 0),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == nil {
				for _, h := range tt.headers {
					want = append(want, header{Name: string(h.Name), Type: h.Value.Type, Bytes: string(h.Value.Bytes), Int: h.Value.Int})
				}
			}
			encoded := Encode(tt.headers, tt.payload)
			got := decode(t, encoded, whole)
			require.Empty(t, got.Err)
			require.Len(t, got.Frames, 1)
			assert.Equal(t, want, got.Frames[0].Headers)
			assert.Equal(t, string(tt.payload), got.Frames[0].Payload)
			assert.False(t, got.Partial)
			assert.Equal(t, got, decode(t, encoded, oneByte))
		})
	}
}

func TestEncodeRejects(t *testing.T) {
	tests := []struct {
		name    string
		headers []Header
		payload []byte
	}{
		{"empty name", []Header{StringHeader("", "v")}, nil},
		{"name of 256 bytes", []Header{StringHeader(strings.Repeat("n", 256), "v")}, nil},
		{"string of 65536 bytes", []Header{StringHeader("s", strings.Repeat("x", 0x10000))}, nil},
		{"short uuid", []Header{{Name: []byte("id"), Value: HeaderValue{Type: TypeUUID, Bytes: make([]byte, 15)}}}, nil},
		{"unknown type", []Header{{Name: []byte("x"), Value: HeaderValue{Type: 10}}}, nil},
		{"headers past 128 KiB", []Header{
			StringHeader("a", strings.Repeat("x", 0xffff)), StringHeader("b", strings.Repeat("x", 0xffff)),
		}, nil},
		{"payload past 16 MiB", nil, make([]byte, maxPayloadLen+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Panics(t, func() { Encode(tt.headers, tt.payload) })
		})
	}
}

func TestEncodeMatchesRecordings(t *testing.T) {
	// Re-encoding what was decoded reproduces the recorded bytes exactly:
	// Encode writes what AWS writes.
	for _, name := range recordings {
		data, _ := loadRecording(t, name)
		var again []byte
		d := NewDecoder(func(m *Message) { again = append(again, Encode(m.Headers(), m.Payload)...) })
		require.NoError(t, d.Write(data))
		assert.True(t, bytes.Equal(data, again), name)
	}
}
