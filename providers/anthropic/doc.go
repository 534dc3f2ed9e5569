// Package anthropic recognises Anthropic Messages API calls and reads their
// parameters, response ids, stop reasons and token usage, for the otelllm
// transport. It returns plain values (see package providers) and imports no
// OpenTelemetry.
//
// It understands two routes to the same wire format:
//   - first-party: POST https://api.anthropic.com/v1/messages (with or without
//     the SDK's ?beta=true), and POST …/v1/messages on any host when the
//     request carries an anthropic-version header (gateways and proxies).
//     Provider "anthropic".
//   - Claude on Vertex AI: POST …/publishers/anthropic/models/{model}:rawPredict
//     and :streamRawPredict on aiplatform.googleapis.com or
//     {location}-aiplatform.googleapis.com. Provider "gcp.vertex_ai"; the model
//     comes from the path, since the body has none.
//
// Token counting (/v1/messages/count_tokens) and message batches
// (/v1/messages/batches) are not generations and are not recognised.
//
// Quirks it handles:
//   - usage.input_tokens excludes the prompt cache; InputTokens is normalised
//     to input_tokens + cache_creation_input_tokens + cache_read_input_tokens,
//     with cache reads and cache creation also reported on their own.
//   - usage.output_tokens_details.thinking_tokens is the reasoning part of
//     output_tokens ("output_tokens remains the inclusive, authoritative
//     total used for billing"): ReasoningTokens, not added to the output.
//   - Compaction (beta): usage.iterations lists each sampling step; the
//     top-level usage leaves out the entries of type compaction, which are
//     billed, so their counts are added to it. The message entries are in
//     the top level already.
//   - A count that is not a non-negative integer is not recorded (the
//     ObserveError says which); a repeated key counts at its last value.
//   - Streams (SSE: message_start, content blocks, ping, message_delta,
//     message_stop) carry cumulative usage: message_delta.usage overwrites,
//     field by field, the counts message_start gave, and is never added to
//     them. Recent API versions repeat the input and cache counts in
//     message_delta; older ones send only output_tokens there.
//   - An error can arrive inside a 200 stream as an "error" event; its
//     error.type becomes Response.ErrorType and the usage seen before it is
//     kept. The stream ends normally at message_stop, or at such an error.
//   - Error bodies {"type":"error","error":{"type":"overloaded_error"}} give
//     the ErrorType; on Vertex AI, Google's own {"error":{"status":…}} does.
//   - When the request body could not be read and the URL does not say, the
//     response is framed by its first byte (Request.StreamUnknown).
//
// The events are read by the Messages dialect shared with Bedrock
// (providers/internal/dialect/messages), through the observer of package
// providers; the many content_block_delta events are counted, once one has
// been read in full, by matching its shape.
//
// Content capture (when the transport asks, see providers.ContentCapturer):
// system (a string or text blocks) as the system instructions; messages
// with their roles as sent (tool results stay in the user messages that
// carry them) and their blocks: text, thinking (reasoning), tool_use (tool
// calls with their input), tool_result (tool call responses; text blocks as
// their text, other blocks by type and size), server tool use and results
// (by type, with the call's input and the result's content as sent, cut to
// the limit), images and documents (blobs
// of their size, uris, file ids), redacted thinking and compaction blocks;
// the tools offered (client tools as functions with their input_schema,
// server tools by type). The answer is one assistant message of the
// response's content blocks with the stop reason, a stream's reassembled
// from content_block_start, text, thinking, input JSON and compaction
// deltas, and content_block_stop.
package anthropic
