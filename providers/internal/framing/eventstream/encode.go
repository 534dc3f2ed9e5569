package eventstream

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Encode returns one frame carrying headers, in order, and payload. Each
// value is written as its Type says: Bytes for strings, byte arrays and UUIDs,
// Int for integers and timestamps (truncated to the type's width), nothing for
// booleans, whose Type alone is the value.
//
// Encode is for tests and fake providers, whose frames are fixed by the
// program: it panics when the frame cannot be encoded (a name empty or longer
// than 255 bytes, a value longer than 65535 bytes, a UUID not of 16 bytes, an
// unknown type, or headers or payload past the format's limits).
func Encode(headers []Header, payload []byte) []byte {
	headersLen := 0
	for _, h := range headers {
		headersLen += 2 + len(h.Name) + encodedValueLen(h)
	}
	if headersLen > maxHeadersLen {
		panic(fmt.Sprintf("eventstream: Encode: %d bytes of headers, limit %d", headersLen, maxHeadersLen))
	}
	if len(payload) > maxPayloadLen {
		panic(fmt.Sprintf("eventstream: Encode: %d bytes of payload, limit %d", len(payload), maxPayloadLen))
	}
	total := minFrameLen + headersLen + len(payload)

	frame := make([]byte, 0, total)
	frame = binary.BigEndian.AppendUint32(frame, uint32(total))
	frame = binary.BigEndian.AppendUint32(frame, uint32(headersLen))
	frame = binary.BigEndian.AppendUint32(frame, crc32.ChecksumIEEE(frame))
	for _, h := range headers {
		frame = append(frame, byte(len(h.Name)))
		frame = append(frame, h.Name...)
		frame = append(frame, h.Value.Type)
		switch h.Value.Type {
		case TypeByte:
			frame = append(frame, byte(h.Value.Int))
		case TypeInt16:
			frame = binary.BigEndian.AppendUint16(frame, uint16(h.Value.Int))
		case TypeInt32:
			frame = binary.BigEndian.AppendUint32(frame, uint32(h.Value.Int))
		case TypeInt64, TypeTimestamp:
			frame = binary.BigEndian.AppendUint64(frame, uint64(h.Value.Int))
		case TypeBytes, TypeString:
			frame = binary.BigEndian.AppendUint16(frame, uint16(len(h.Value.Bytes)))
			frame = append(frame, h.Value.Bytes...)
		case TypeUUID:
			frame = append(frame, h.Value.Bytes...)
		}
	}
	frame = append(frame, payload...)
	return binary.BigEndian.AppendUint32(frame, crc32.ChecksumIEEE(frame))
}

// encodedValueLen returns the length of h's value on the wire, after the type
// byte, and panics if h cannot be encoded.
func encodedValueLen(h Header) int {
	if len(h.Name) == 0 || len(h.Name) > 255 {
		panic(fmt.Sprintf("eventstream: Encode: header name %q is not 1 to 255 bytes", h.Name))
	}
	switch h.Value.Type {
	case TypeBoolTrue, TypeBoolFalse:
		return 0
	case TypeByte:
		return 1
	case TypeInt16:
		return 2
	case TypeInt32:
		return 4
	case TypeInt64, TypeTimestamp:
		return 8
	case TypeUUID:
		if len(h.Value.Bytes) != 16 {
			panic(fmt.Sprintf("eventstream: Encode: header %q: UUID of %d bytes, want 16", h.Name, len(h.Value.Bytes)))
		}
		return 16
	case TypeBytes, TypeString:
		if len(h.Value.Bytes) > 0xffff {
			panic(fmt.Sprintf("eventstream: Encode: header %q: %d-byte value, limit 65535", h.Name, len(h.Value.Bytes)))
		}
		return 2 + len(h.Value.Bytes)
	}
	panic(fmt.Sprintf("eventstream: Encode: header %q: unknown value type %d", h.Name, h.Value.Type))
}
