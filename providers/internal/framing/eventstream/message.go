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
//
// The decoder checks every header of a frame before calling back, but
// decodes a value only when it is asked for: most frames are asked for
// their :event-type or :message-type and nothing else, and those two are
// located while the headers are checked.
type Message struct {
	// Payload is the bytes between the headers and the message checksum.
	Payload []byte

	// headers is the frame's headers section, already checked, so that
	// reading it again needs no checks of its own.
	headers []byte
	// eventType and messageType locate the values of the first
	// :event-type and :message-type headers in headers.
	eventType, messageType valueSpan
}

// valueSpan is where a string or byte array value lies in a headers
// section. The zero valueSpan is no header, noValue a header of another
// type: a value never ends at offset 0, since its header's name, type and
// length come first.
type valueSpan struct{ start, end int32 }

var noValue = valueSpan{-1, -1}

func (m *Message) value(s valueSpan) []byte {
	if s.end <= 0 {
		return nil
	}
	return m.headers[s.start:s.end:s.end]
}

// EventType returns the value of the first :event-type header when it is a
// string or a byte array, and nil otherwise: [Message.String] of
// ":event-type", without the search.
func (m *Message) EventType() []byte { return m.value(m.eventType) }

// MessageType is [Message.EventType] for the :message-type header.
func (m *Message) MessageType() []byte { return m.value(m.messageType) }

// Header returns the value of the first header called name.
func (m *Message) Header(name string) (HeaderValue, bool) {
	b := m.headers
	for i := 0; i < len(b); {
		if n := int(b[i]); n == len(name) && string(b[i+1:i+1+n]) == name { // the compiler does not allocate for this comparison
			h, _ := headerAt(b, i)
			return h.Value, true
		}
		i = headerEnd(b, i)
	}
	return HeaderValue{}, false
}

// String returns the value of the first header called name when it is a
// string or a byte array, and nil otherwise. An empty value is a non-nil empty
// slice, so nil means absent.
func (m *Message) String(name string) []byte {
	switch name {
	case eventTypeHeader:
		return m.EventType()
	case messageTypeHeader:
		return m.MessageType()
	}
	v, ok := m.Header(name)
	if !ok || (v.Type != TypeString && v.Type != TypeBytes) {
		return nil
	}
	return v.Bytes
}

// Headers returns every header of the message, in wire order (a name may
// repeat), in a new slice: it allocates, and is meant for tests and
// diagnostics rather than for every frame.
func (m *Message) Headers() []Header {
	var hs []Header
	for i := 0; i < len(m.headers); {
		var h Header
		h, i = headerAt(m.headers, i)
		hs = append(hs, h)
	}
	return hs
}
