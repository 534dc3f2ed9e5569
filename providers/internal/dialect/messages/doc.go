// Package messages reads the Anthropic Messages wire format, which reaches
// the transport three ways: first-party (api.anthropic.com/v1/messages),
// Claude on Vertex AI (:rawPredict / :streamRawPredict) and Claude on Bedrock
// (InvokeModel and InvokeModelWithResponseStream, whose bodies and decoded
// stream chunks are Anthropic Messages). providers/anthropic and
// providers/bedrock share it so that the three are read and normalised one
// way.
//
// Anthropic's usage.input_tokens excludes the prompt cache; [Counts.Usage]
// normalises it to the project's convention, where InputTokens is
// input_tokens + cache_creation_input_tokens + cache_read_input_tokens.
// Stream usage is cumulative: message_delta.usage overwrites, field by field,
// what message_start.message.usage said; nothing is ever added up.
//
// [Stream] reads events into the providers.Result of the shared observer:
// chunks, the stop reason, usage, the final event (message_stop, or an
// error event), and malformed events in the observer's words. Its callers
// frame the events (Server-Sent Events for Anthropic and Vertex AI, base64
// chunks of an AWS event stream for Bedrock) and read the full bodies with
// [ParseMessage].
//
// Content capture, for callers whose application opted in:
// [RequestContent] reads a request body's system, messages and tools;
// [OutputContent] a full response's content blocks; a [Stream] told
// [Stream.CaptureContent] reassembles its blocks from their deltas, and
// [Stream.Output] returns them: for providers/anthropic and for Claude on
// Bedrock alike. While it captures, Stream.Event reports no
// delta worth learning, so that a caller's own shortcut for known deltas
// (Bedrock's, for base64 chunks) stays off and every delta reaches it.
package messages
