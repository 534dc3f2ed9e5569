package eventstream

import "errors"

// The header value types of the event stream format.
const (
	TypeBoolTrue  uint8 = 0 // boolean true, no value bytes
	TypeBoolFalse uint8 = 1 // boolean false, no value bytes
	TypeByte      uint8 = 2 // signed 8-bit integer
	TypeInt16     uint8 = 3 // signed 16-bit integer, big-endian
	TypeInt32     uint8 = 4 // signed 32-bit integer, big-endian
	TypeInt64     uint8 = 5 // signed 64-bit integer, big-endian
	TypeBytes     uint8 = 6 // byte array: u16 big-endian length, then the bytes
	TypeString    uint8 = 7 // UTF-8 string: u16 big-endian length, then the bytes
	TypeTimestamp uint8 = 8 // milliseconds since the Unix epoch, signed 64-bit big-endian
	TypeUUID      uint8 = 9 // 16 raw bytes
)

// Limits of the format. A frame is a 12-byte prelude, its headers, its payload
// and a 4-byte checksum of everything before it.
const (
	preludeLen    = 12 // total_length u32, headers_length u32, prelude_crc u32
	messageCRCLen = 4
	minFrameLen   = preludeLen + messageCRCLen
	maxHeadersLen = 128 << 10
	maxPayloadLen = 16 << 20
	maxFrameLen   = minFrameLen + maxHeadersLen + maxPayloadLen
)

// Sentinel errors. The decoder wraps them with where and why the frame failed;
// test with errors.Is.
var (
	// ErrPreludeCRC means the checksum of a frame's first 8 bytes did not match.
	ErrPreludeCRC = errors.New("eventstream: prelude checksum mismatch")
	// ErrMessageCRC means the checksum of a whole frame did not match.
	ErrMessageCRC = errors.New("eventstream: message checksum mismatch")
	// ErrHeadersTooLong means a frame declared more than 128 KiB of headers.
	ErrHeadersTooLong = errors.New("eventstream: headers too long")
	// ErrPayloadTooLong means a frame declared more than 16 MiB of payload.
	ErrPayloadTooLong = errors.New("eventstream: payload too long")
	// ErrFrameTooShort means a frame's total length is below the 16-byte
	// minimum, or too small to hold the headers it declares.
	ErrFrameTooShort = errors.New("eventstream: frame too short")
	// ErrBadHeader means the headers section is malformed: an empty name, an
	// unknown value type, or a name or value running past the section's end.
	ErrBadHeader = errors.New("eventstream: malformed header")
)

// HeaderValue is the value of one header. It is valid only during the
// callback that received it.
type HeaderValue struct {
	// Type is one of the Type constants.
	Type uint8
	// Bytes holds the raw value of a string, byte array or UUID header.
	Bytes []byte
	// Int holds the value of an integer header, a timestamp in milliseconds
	// since the Unix epoch, or 1 and 0 for boolean true and false.
	Int int64
}

// Header is one name/value pair of a frame. It is valid only during the
// callback that received it.
type Header struct {
	Name  []byte
	Value HeaderValue
}

// StringHeader returns a string header, for [Encode].
func StringHeader(name, value string) Header {
	return Header{Name: []byte(name), Value: HeaderValue{Type: TypeString, Bytes: []byte(value)}}
}

// BytesHeader returns a byte array header, for [Encode].
func BytesHeader(name string, value []byte) Header {
	return Header{Name: []byte(name), Value: HeaderValue{Type: TypeBytes, Bytes: value}}
}

// Message is one decoded frame. It, its headers and its payload are valid only
// during the callback that received it: they alias the bytes given to
// [Decoder.Write] or the decoder's reused buffer.
type Message struct {
	// Headers are in wire order; a name may repeat.
	Headers []Header
	Payload []byte
}

// Header returns the value of the first header called name.
func (m *Message) Header(name string) (HeaderValue, bool) {
	for i := range m.Headers {
		if string(m.Headers[i].Name) == name { // the compiler does not allocate for this comparison
			return m.Headers[i].Value, true
		}
	}
	return HeaderValue{}, false
}

// String returns the value of the first header called name when it is a
// string or a byte array, and nil otherwise. An empty value is a non-nil empty
// slice, so nil means absent.
func (m *Message) String(name string) []byte {
	v, ok := m.Header(name)
	if !ok || (v.Type != TypeString && v.Type != TypeBytes) {
		return nil
	}
	return v.Bytes
}
