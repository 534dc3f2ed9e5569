// Package capture holds what the providers share to turn the JSON values
// of their wire formats into the message content of package providers
// (Part, Message, ToolDefinition), bounded by the capture limit: a string
// value's text, decoded no further than the limit needs and cut there at a
// character boundary; a tool call's arguments or a tool's response kept as
// compact JSON, cut; a tool's description and parameter schema; the size
// of base64 data and of a data: URL, the type an image's first bytes show,
// the modality of a MIME type; the tool call and function tool of OpenAI's
// Chat Completions, which other wire formats copy; and the numbering of a
// streamed message's parts for a providers.Assembler. It is used only when the application
// opted in to content capture; nothing here runs otherwise.
//
// Every function takes values as jsonscan hands them over (strings with
// their quotes, not unescaped; the kind of a value is its first byte) and
// copies what it keeps: no result shares the memory of the document it
// was read from. Binary data is measured, never kept.
package capture
