// Package eventstream decodes the AWS binary event stream
// (application/vnd.amazon.eventstream), the framing of Bedrock's
// ConverseStream and InvokeModelWithResponseStream responses.
//
// Unlike the AWS SDK's decoder, a [Decoder] is a push observer: it never owns
// the stream. The application reads the HTTP body as it always would, and the
// observer hands each run of bytes it read to [Decoder.Write], split wherever
// the application's reads happened to split it: one byte at a time, mid-prelude,
// or many frames in one go. The decoder calls back once per complete frame.
//
// The contract:
//   - Write never blocks, never modifies p and never keeps a reference to it
//     after returning. Bytes of an incomplete frame are copied into one buffer
//     owned by the decoder and reused for every frame; a frame that arrives
//     whole inside p is decoded in place, without copying.
//   - Memory is bounded by the largest frame the format allows (16 MiB of
//     payload plus 128 KiB of headers), and grows only as bytes actually
//     arrive: the prelude checksum and the length caps are checked before any
//     byte of a frame's body is buffered.
//   - In steady state, decoding allocates nothing per frame.
//   - Both checksums are verified and every length is checked against the
//     frame and the caps. The first problem is returned, wrapped around one of
//     the sentinel errors ([ErrPreludeCRC], [ErrMessageCRC], ...), by that Write
//     and every later one: the decoder ignores all further input, since nothing
//     after a framing error can be trusted.
//   - No input makes the decoder panic.
//   - The [Message] passed to the callback, and every slice reachable from it,
//     is valid only during the callback: it aliases the caller's bytes or the
//     decoder's buffer. Copy what you keep.
//
// At the end of the body, [Decoder.Partial] reports whether the stream stopped
// inside a frame, which is how a caller tells a truncated stream from a
// complete one.
//
// [Encode] builds frames, for tests and fake providers.
package eventstream
