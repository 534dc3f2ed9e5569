// Package cohere reads the wire format of Cohere's native API (provider
// "cohere").
//
// # Recognised calls
//
// POST .../v2/chat (operation "chat") and .../v2/embed (operation
// "embeddings") on any host, the path ending there (/v2/chat/completions and
// other look-alikes are not Cohere's); and the v1 API's .../v1/chat and
// .../v1/embed, only on Cohere's hosts (api.cohere.com, api.cohere.ai and
// their subdomains), since those paths are too generic to claim elsewhere.
//
// # Request
//
// model, stream, max_tokens, temperature, p (TopP), k (TopK),
// stop_sequences, seed, frequency_penalty, presence_penalty; for embed,
// embedding_types (EncodingFormats) and output_dimension (Dimensions).
//
// # Response
//
// id (v2; v1: generation_id, else response_id), finish_reason, and usage
// (v2 chat) or meta (v1 chat, embed), each with billed_units and tokens, whose
// counts may be floats (12.0). Billed units are what Cohere charges, so they
// are what this package reports: InputTokens = billed_units.input_tokens and
// OutputTokens = billed_units.output_tokens, each falling back to
// tokens.input_tokens / tokens.output_tokens only when the billed count is
// absent. (tokens counts the prompt template too: 71 tokens against 5 billed
// in Cohere's own example.) v2's usage.cached_tokens, the prompt tokens
// served from Cohere's cache, is CacheReadInputTokens as Cohere gives it: it
// counts raw prompt tokens, and can exceed the billed input (2928 cached
// against 2406 billed in a recorded call), so a cost prices it only up to
// the billed input (the table has no cache price for Cohere: cached tokens
// are billed at the input price). A count that is not a non-negative
// integer is not recorded, nor replaced by tokens'. Cohere reports no total
// or reasoning counts, and no model: Response.Model stays "" and the
// transport falls back to the request's model.
//
// Error bodies are {"message": "..."} (v2 adds an id) with no type, so
// ErrorType names the HTTP status in snake case, as Cohere's documentation
// and SDK error classes do: bad_request, unauthorized, not_found,
// too_many_requests, invalid_token (498), client_closed_request (499),
// internal_server_error, ... An error inside a 200 stream (an "error" event,
// or an untyped event holding a message) has ErrorType "error".
// finish_reason ERROR is reported as a finish reason, not as an ErrorType.
//
// # Streams
//
// v2 streams are Server-Sent Events whose event name repeats data.type:
// message-start (the id), content-delta / tool-plan-delta / tool-call-delta
// (output chunks), message-end (delta.finish_reason and delta.usage, the only
// usage of the stream, and the terminal event). v1 streams are one JSON
// event per line under application/stream+json, typed by event_type:
// stream-start (generation_id), text-generation, and stream-end
// (finish_reason and response.meta). The live v2 API sends "data: [DONE]"
// after message-end: it ends the stream too, and is not a malformed event.
// A stream that reaches EOF without its terminal event is reported as
// "stream ended before its final event".
//
// # Content capture
//
// When the application opts in (the Call is a providers.ContentCapturer), a
// chat call's Request.Content holds v2's messages (roles as sent; content
// strings and text items as text, thinking items and an assistant's
// tool_plan as reasoning, image_url items as a blob (a data: URL, by its
// type and decoded size, never its bytes) or a uri, tool_calls with their
// arguments, a tool message's content as the tool_call_response of its
// tool_call_id), its tools (name, description, parameters) and its
// grounding documents (generic parts of type "document" in the system
// instructions, since the API takes them apart from the messages); or v1's
// preamble (system instructions), chat_history (USER, CHATBOT, SYSTEM and
// TOOL mapped to user, assistant, system and tool), tool_results, message
// (the last user message), tools (name and description: v1's
// parameter_definitions are not a JSON schema) and documents.
// Response.Output holds the answer: the tool plan (reasoning), the content
// items (thinking as reasoning, text), the tool calls, streamed deltas
// joined by their index (content-delta, tool-plan-delta, tool-call-delta;
// v1's text-generation and tool-calls-generation), with the finish reason;
// a stream that broke off or ended in an error keeps the answer so far.
// Citations are not captured. Every value is cut to the capture limit.
// Without the opt-in no content is read, and delta events are counted by
// their shape as before.
package cohere
