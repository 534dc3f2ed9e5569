// Package jsonarray frames a streamed JSON array into its elements as the
// application reads it: the framing of Gemini's :streamGenerateContent
// response when it is not asked for as Server-Sent Events, one JSON array
// whose elements arrive one at a time ("[{...}\n,\r\n{...}\n]").
//
// Like the framers of package framing it is a push framer: it is shown each
// run of bytes at whatever split points, tracks nesting depth and string and
// escape state across runs, and calls back once per complete top-level
// element. It never owns, blocks or changes the stream. Memory is bounded:
// only the unfinished part of the current element is kept, up to a limit; an
// element larger than the limit is skipped (and counted), not fatal. In steady
// state it does not allocate.
//
// A body whose first value is not an array (an error object, say) is framed
// as a single element. The framer does not validate JSON: callers check each
// element with jsonscan.Valid where that matters.
package jsonarray
