package eventstream

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
)

// retainLimit is the largest buffer kept once its frame is delivered. Bedrock
// frames are a few KiB; keeping a rare multi-MiB buffer for the rest of a
// long stream would cost more than allocating it again if another such frame
// came.
const retainLimit = 1 << 20

// Decoder decodes an event stream pushed to it in arbitrary pieces. It is not
// safe for concurrent use; one Decoder serves one stream.
type Decoder struct {
	onMessage func(*Message)

	// pending holds the bytes of the incomplete frame left at the end of the
	// last Write; empty between frames.
	pending []byte
	// frameLen is the pending frame's declared total length, 0 until its
	// prelude is complete and checked.
	frameLen int
	// offset is the stream offset of the frame being decoded, for errors.
	offset int64

	msg Message // reused for every frame, so that Headers keeps its capacity
	// headers backs msg.Headers until a frame has more: AWS frames carry
	// three or four.
	headers [4]Header
	frames  int
	err     error
	// delivering is set during the callback, when the decoder's state is
	// in use and must not change.
	delivering bool
}

// errReentrant is returned, without stopping the decoder, by a Write made
// from inside the callback: letting it in would re-deliver the frame being
// delivered, without end.
var errReentrant = errors.New("eventstream: Write called from the message callback")

// NewDecoder returns a Decoder that calls onMessage for each complete, valid
// frame, in order, from within Write. onMessage must not keep msg or any slice
// reachable from it after returning; a Write it makes fails and is ignored. A nil
// onMessage only validates and counts frames.
func NewDecoder(onMessage func(msg *Message)) *Decoder {
	d := &Decoder{onMessage: onMessage}
	d.msg.Headers = d.headers[:0]
	return d
}

// Write decodes p, calling back for every frame it completes, and buffers the
// start of a frame it does not complete. It does not modify or retain p.
//
// It returns the first decoding error of the stream. The error is sticky:
// once one is returned, every later Write returns it and ignores its input.
func (d *Decoder) Write(p []byte) error {
	if d.delivering {
		return errReentrant
	}
	for len(p) > 0 && d.err == nil {
		if len(d.pending) > 0 {
			p = d.fill(p)
			continue
		}
		if len(p) < preludeLen {
			d.appendPending(p)
			break
		}
		frameLen, err := d.checkPrelude(p)
		if err != nil {
			d.fail(err)
			break
		}
		if len(p) < frameLen {
			d.frameLen = frameLen
			d.appendPending(p)
			break
		}
		d.deliver(p[:frameLen]) // the whole frame is in p: decode it where it lies
		p = p[frameLen:]
	}
	return d.err
}

// Err returns the error that stopped the decoder, or nil.
func (d *Decoder) Err() error { return d.err }

// Frames returns how many messages have been delivered so far. Inside the
// callback, it counts the message being delivered.
func (d *Decoder) Frames() int { return d.frames }

// Partial reports whether bytes of an incomplete frame are pending: at the end
// of the body, true means the stream was truncated. It is false after an
// error, which already says the stream is unusable.
func (d *Decoder) Partial() bool { return len(d.pending) > 0 }

// fill adds the start of p to the pending frame, delivers the frame if that
// completes it, and returns the rest of p.
func (d *Decoder) fill(p []byte) []byte {
	if d.frameLen == 0 {
		n := min(preludeLen-len(d.pending), len(p))
		d.appendPending(p[:n])
		p = p[n:]
		if len(d.pending) < preludeLen {
			return p
		}
		frameLen, err := d.checkPrelude(d.pending)
		if err != nil {
			d.fail(err)
			return nil
		}
		d.frameLen = frameLen
	}
	n := min(d.frameLen-len(d.pending), len(p))
	d.appendPending(p[:n])
	p = p[n:]
	if len(d.pending) == d.frameLen {
		d.deliver(d.pending)
		if d.err == nil {
			d.pending = d.pending[:0]
			d.frameLen = 0
			if cap(d.pending) > retainLimit {
				d.pending = nil
			}
		}
	}
	return p
}

// appendPending copies b to the pending frame. The buffer grows as bytes
// arrive, not as a prelude claims, and by doubling, so that a stream whose
// frames keep getting longer costs a few allocations rather than one per
// frame.
func (d *Decoder) appendPending(b []byte) {
	if need := len(d.pending) + len(b); need > cap(d.pending) {
		newCap := min(max(need, 2*cap(d.pending), 512), maxFrameLen) // need <= maxFrameLen
		grown := make([]byte, len(d.pending), newCap)
		copy(grown, d.pending)
		d.pending = grown
	}
	d.pending = append(d.pending, b...)
}

// checkPrelude checks the prelude at the start of b (at least preludeLen
// bytes) and returns the frame's total length.
func (d *Decoder) checkPrelude(b []byte) (int, error) {
	total := binary.BigEndian.Uint32(b[0:4])
	headersLen := binary.BigEndian.Uint32(b[4:8])
	if got, want := crc32.ChecksumIEEE(b[0:8]), binary.BigEndian.Uint32(b[8:12]); got != want {
		return 0, d.errorf(ErrPreludeCRC, "computed %08x, frame says %08x", got, want)
	}
	switch {
	case total < minFrameLen:
		return 0, d.errorf(ErrFrameTooShort, "total length %d, minimum %d", total, minFrameLen)
	case headersLen > maxHeadersLen:
		return 0, d.errorf(ErrHeadersTooLong, "headers length %d, limit %d", headersLen, maxHeadersLen)
	case headersLen > total-minFrameLen:
		return 0, d.errorf(ErrFrameTooShort, "total length %d cannot hold %d bytes of headers", total, headersLen)
	case total-minFrameLen-headersLen > maxPayloadLen:
		return 0, d.errorf(ErrPayloadTooLong, "payload length %d, limit %d", total-minFrameLen-headersLen, maxPayloadLen)
	}
	return int(total), nil
}

// deliver decodes one whole frame whose prelude has been checked and calls
// back with it.
func (d *Decoder) deliver(frame []byte) {
	end := len(frame) - messageCRCLen
	if got, want := crc32.ChecksumIEEE(frame[:end]), binary.BigEndian.Uint32(frame[end:]); got != want {
		d.fail(d.errorf(ErrMessageCRC, "computed %08x, frame says %08x", got, want))
		return
	}
	headersEnd := preludeLen + int(binary.BigEndian.Uint32(frame[4:8]))
	headers, err := parseHeaders(d.msg.Headers[:0], frame[preludeLen:headersEnd])
	d.msg.Headers = headers
	if err != nil {
		d.fail(d.errorf(ErrBadHeader, "%v", err))
		return
	}
	// Full slice expressions, so that a callback appending to what it was
	// given cannot write over the caller's next bytes.
	d.msg.Payload = frame[headersEnd:end:end]
	d.frames++
	if d.onMessage != nil {
		d.delivering = true
		d.onMessage(&d.msg)
		d.delivering = false
	}
	d.release()
	d.offset += int64(len(frame))
}

// release drops the message's references to the frame bytes, keeping the
// Headers capacity for the next frame.
func (d *Decoder) release() {
	clear(d.msg.Headers)
	d.msg.Headers = d.msg.Headers[:0]
	d.msg.Payload = nil
}

func (d *Decoder) fail(err error) {
	d.err = err
	d.pending = nil
	d.frameLen = 0
	d.release()
}

func (d *Decoder) errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: frame %d at stream offset %d: %s",
		sentinel, d.frames+1, d.offset, fmt.Sprintf(format, args...))
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

// parseHeaders appends the headers encoded in b to dst.
func parseHeaders(dst []Header, b []byte) ([]Header, error) {
	for i := 0; i < len(b); {
		start := i
		nameLen := int(b[i])
		i++
		if nameLen == 0 {
			return dst, &headerError{offset: start, reason: "empty name"}
		}
		if nameLen > len(b)-i {
			return dst, &headerError{offset: start, reason: fmt.Sprintf("%d-byte name runs past the headers", nameLen)}
		}
		name := b[i : i+nameLen : i+nameLen]
		i += nameLen
		if i == len(b) {
			return dst, &headerError{offset: start, name: name, reason: "no value type"}
		}
		v := HeaderValue{Type: b[i]}
		i++
		size := 0 // bytes of the value proper, after the type byte and any length
		switch v.Type {
		case TypeBoolTrue, TypeBoolFalse:
		case TypeByte:
			size = 1
		case TypeInt16:
			size = 2
		case TypeInt32:
			size = 4
		case TypeInt64, TypeTimestamp:
			size = 8
		case TypeUUID:
			size = 16
		case TypeBytes, TypeString:
			if len(b)-i < 2 {
				return dst, &headerError{offset: start, name: name, reason: "value length runs past the headers"}
			}
			size = int(binary.BigEndian.Uint16(b[i:]))
			i += 2
		default:
			return dst, &headerError{offset: start, name: name, reason: fmt.Sprintf("unknown value type %d", v.Type)}
		}
		if size > len(b)-i {
			return dst, &headerError{offset: start, name: name, reason: fmt.Sprintf("%d-byte value runs past the headers", size)}
		}
		value := b[i : i+size : i+size]
		i += size
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
		dst = append(dst, Header{Name: name, Value: v})
	}
	return dst, nil
}
