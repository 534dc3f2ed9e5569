// Package ollama reads the wire format of Ollama's native API (provider
// "ollama").
//
// # Recognised calls
//
// POST /api/chat (operation "chat"), /api/generate ("text_completion"),
// /api/embed and the legacy /api/embeddings ("embeddings"), on any host
// (Ollama listens on localhost:11434 by default). The path must be exactly
// one of these: Ollama's OpenAI-compatible /v1/... endpoints speak the OpenAI
// wire format and belong to that package.
//
// # Request
//
// model, stream, and options.{temperature, top_p, top_k, num_predict
// (MaxTokens), stop, seed, frequency_penalty, presence_penalty}; dimensions
// for /api/embed. A chat or generate request without "stream" streams: that
// is Ollama's default.
//
// # Response
//
// Streams are NDJSON (application/x-ndjson), one object a line; without a
// Content-Type the request decides (streamed unless it said "stream":
// false, and also when the body could not be read). A non-streamed response
// is one JSON object with the same fields. The final object has done:true,
// done_reason (the finish reason; older servers, and the examples in
// Ollama's documentation, omit it, and then no finish reason is reported),
// prompt_eval_count (InputTokens) and eval_count (OutputTokens), and model;
// there is no response id, no total and no cache count. /api/embed reports
// prompt_eval_count as its input; the legacy /api/embeddings reports no
// usage. Ollama may omit prompt_eval_count when the whole prompt came from
// its cache: the input count is then simply not reported.
//
// A stream is complete at its done:true line or at an error line; one that
// reaches EOF before either is reported as "stream ended before its final
// event".
//
// Ollama's errors are {"error": "..."} with no type. ErrorType names the HTTP
// status in snake case for an error status (not_found for a model that is
// not pulled, bad_request, internal_server_error, ...), and is "error" for
// an error line inside a 200 stream (a model runner that failed mid-way).
//
// Local models are unpriced; the counts are still reported.
//
// # Content capture
//
// When the application opts in (the Call is a providers.ContentCapturer),
// Request.Content holds a chat request's messages (role; content as text;
// an assistant's thinking as reasoning and its tool_calls with their
// arguments; a tool message's content as the tool_call_response, named by
// tool_name; images as blobs: modality image, the type their first bytes
// show, their decoded size, never their bytes) and its tools (name,
// description, parameters), or a generate request's system prompt and its
// prompt and images as one user message. Response.Output holds the answer:
// thinking (reasoning), content (text) and each tool call, streamed lines
// joined, with done_reason as the finish reason; a stream that broke off or
// ended in an error line keeps the answer so far, an error body has none.
// Every value is cut to the capture limit. Without the opt-in no content
// is read, and a stream's lines are read as fast as before.
package ollama
