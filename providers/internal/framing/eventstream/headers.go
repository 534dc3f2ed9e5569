package eventstream

import (
	"encoding/binary"
	"fmt"
)

// The two headers located while a frame's headers are checked.
const (
	eventTypeHeader   = ":event-type"
	messageTypeHeader = ":message-type"
)

// valueLen is the length of a value of each type, after its type byte:
// lengthPrefixed for the types whose value starts with a u16 length,
// unknownType past the ten types.
var valueLen = func() (t [256]int8) {
	for typ := range t {
		t[typ] = unknownType
	}
	t[TypeBoolTrue], t[TypeBoolFalse] = 0, 0
	t[TypeByte], t[TypeInt16], t[TypeInt32], t[TypeInt64] = 1, 2, 4, 8
	t[TypeBytes], t[TypeString] = lengthPrefixed, lengthPrefixed
	t[TypeTimestamp], t[TypeUUID] = 8, 16
	return t
}()

const (
	lengthPrefixed = -1
	unknownType    = -2
)

// index checks the headers section b of a frame and points m at it,
// locating the values of its first :event-type and :message-type headers.
// It decodes no value: [Message.Header] does, when asked.
func (m *Message) index(b []byte) error {
	m.headers, m.eventType, m.messageType = b, valueSpan{}, valueSpan{}
	for i := 0; i < len(b); {
		nameLen := int(b[i])
		typeAt := i + 1 + nameLen
		if nameLen == 0 || typeAt >= len(b) {
			return badHeader(b, i)
		}
		typ := b[typeAt]
		size, at := int(valueLen[typ]), typeAt+1
		if size < 0 {
			if size == unknownType || at+2 > len(b) {
				return badHeader(b, i)
			}
			size = int(b[at])<<8 | int(b[at+1])
			at += 2
		}
		end := at + size
		if end > len(b) {
			return badHeader(b, i)
		}
		// The first header of a name is the one String reads, whatever
		// its type.
		switch nameLen {
		case len(eventTypeHeader):
			if m.eventType == (valueSpan{}) && string(b[i+1:typeAt]) == eventTypeHeader {
				m.eventType = spanOf(typ, at, end)
			}
		case len(messageTypeHeader):
			if m.messageType == (valueSpan{}) && string(b[i+1:typeAt]) == messageTypeHeader {
				m.messageType = spanOf(typ, at, end)
			}
		}
		i = end
	}
	return nil
}

// spanOf is where the value at b[at:end] of a header of type typ lies,
// when it is a string or a byte array, or noValue.
func spanOf(typ uint8, at, end int) valueSpan {
	if typ != TypeString && typ != TypeBytes {
		return noValue
	}
	return valueSpan{int32(at), int32(end)}
}

// headerEnd returns where the header at b[i:] ends, in a headers section
// index has checked.
func headerEnd(b []byte, i int) int {
	i += 1 + int(b[i])
	size := int(valueLen[b[i]])
	i++
	if size < 0 {
		size = 2 + int(binary.BigEndian.Uint16(b[i:]))
	}
	return i + size
}

// headerAt decodes the header at b[i:], in a headers section index has
// checked, and returns it and where the next one begins. Its slices are
// full slice expressions, so that a callback appending to what it was given
// cannot write over the caller's next bytes.
func headerAt(b []byte, i int) (Header, int) {
	nameLen := int(b[i])
	i++
	name := b[i : i+nameLen : i+nameLen]
	i += nameLen
	v := HeaderValue{Type: b[i]}
	i++
	size := int(valueLen[v.Type])
	if size < 0 {
		size = int(binary.BigEndian.Uint16(b[i:]))
		i += 2
	}
	value := b[i : i+size : i+size]
	switch v.Type {
	case TypeBoolTrue:
		v.Int = 1
	case TypeByte:
		v.Int = int64(int8(value[0]))
	case TypeInt16:
		v.Int = int64(int16(binary.BigEndian.Uint16(value)))
	case TypeInt32:
		v.Int = int64(int32(binary.BigEndian.Uint32(value)))
	case TypeInt64, TypeTimestamp:
		v.Int = int64(binary.BigEndian.Uint64(value))
	case TypeBytes, TypeString, TypeUUID:
		v.Bytes = value
	}
	return Header{Name: name, Value: v}, i + size
}

// headerError describes a malformed header; deliver wraps it in ErrBadHeader.
type headerError struct {
	offset int // within the headers section
	reason string
	name   []byte
}

func (e *headerError) Error() string {
	if e.name == nil {
		return fmt.Sprintf("header at offset %d: %s", e.offset, e.reason)
	}
	return fmt.Sprintf("header %q at offset %d: %s", e.name, e.offset, e.reason)
}

// badHeader says what is wrong with the header at b[start:], which index
// found malformed. It is off the path of valid frames, so it reads the
// header again, one check at a time.
func badHeader(b []byte, start int) error {
	i := start
	nameLen := int(b[i])
	i++
	if nameLen == 0 {
		return &headerError{offset: start, reason: "empty name"}
	}
	if nameLen > len(b)-i {
		return &headerError{offset: start, reason: fmt.Sprintf("%d-byte name runs past the headers", nameLen)}
	}
	name := b[i : i+nameLen : i+nameLen]
	i += nameLen
	if i == len(b) {
		return &headerError{offset: start, name: name, reason: "no value type"}
	}
	typ := b[i]
	i++
	if valueLen[typ] == unknownType {
		return &headerError{offset: start, name: name, reason: fmt.Sprintf("unknown value type %d", typ)}
	}
	size := int(valueLen[typ])
	if size < 0 {
		if len(b)-i < 2 {
			return &headerError{offset: start, name: name, reason: "value length runs past the headers"}
		}
		size = int(binary.BigEndian.Uint16(b[i:]))
		i += 2
	}
	return &headerError{offset: start, name: name, reason: fmt.Sprintf("%d-byte value runs past the headers", size)}
}
