// Package framing splits response bodies into stream events as the
// application reads them: Server-Sent Events ([SSE]) and newline-delimited
// JSON ([Lines]).
//
// They are push framers, not readers: the transport shows them each run of
// bytes the application read, at whatever split points, and they call back
// once per complete event. They never own, block or change the stream.
// Memory is bounded: only the unfinished part of the current event is kept,
// up to a limit; an event larger than the limit is skipped (and counted), not
// fatal, so there is no line-length limit on the stream itself. In steady
// state they do not allocate.
package framing
