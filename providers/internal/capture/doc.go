// Package capture holds what the providers share to capture message
// content from JSON wire formats: a string value's text cut to the capture
// limit, a structured value kept as JSON, the size of base64 data and of a
// data: URL, and the modality of a MIME type. It is used only when the
// application opted in to content capture; nothing here runs otherwise.
//
// Every function takes values as jsonscan hands them over (strings with
// their quotes, not unescaped) and copies what it keeps: no result shares
// the memory of the document it was read from.
package capture
