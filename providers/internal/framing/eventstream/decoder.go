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

// maxKnownHeaders is the longest headers section the decoder remembers.
// Bedrock's are under 100 bytes: an event type, a content type and a
// message type.
const maxKnownHeaders = 160

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

	msg    Message // reused for every frame
	frames int
	err    error
	// delivering is set during the callback, when the decoder's state is
	// in use and must not change.
	delivering bool

	// known is the last headers section checked, when it fitted, and
	// knownEvent and knownMessage what index found in it: a stream's
	// frames repeat a few sections (Bedrock's deltas differ only in their
	// payloads), and comparing bytes costs less than checking them again.
	known                    [maxKnownHeaders]byte
	knownLen                 int
	knownEvent, knownMessage valueSpan
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
	return &Decoder{onMessage: onMessage}
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
	if got, want := preludeChecksum(b), binary.BigEndian.Uint32(b[8:12]); got != want {
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
	if err := d.index(frame[preludeLen:headersEnd:headersEnd]); err != nil {
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

// index points d.msg at the headers section b, checking it unless it is
// the last one checked.
func (d *Decoder) index(b []byte) error {
	if len(b) == d.knownLen && string(b) == string(d.known[:d.knownLen]) {
		d.msg.headers, d.msg.eventType, d.msg.messageType = b, d.knownEvent, d.knownMessage
		return nil
	}
	if err := d.msg.index(b); err != nil {
		return err
	}
	if len(b) <= len(d.known) {
		d.knownLen = copy(d.known[:], b)
		d.knownEvent, d.knownMessage = d.msg.eventType, d.msg.messageType
	}
	return nil
}

// release drops the message's references to the frame bytes.
func (d *Decoder) release() { d.msg = Message{} }

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
