// Package jsonscan reads single fields out of JSON documents without
// decoding them: the providers use it on every stream chunk, where decoding
// each chunk into structs would allocate in proportion to the stream's length.
//
// Values are returned as sub-slices of the input (strings with their quotes),
// valid as long as the input is. Nothing here allocates except [Str], which
// makes a string of a value the caller decided to keep.
//
// The scanner assumes well-formed input: callers check documents with
// [Valid] (encoding/json's answer, faster) first where malformed input must be reported.
// On malformed input it never panics; it reports "not found".
package jsonscan
