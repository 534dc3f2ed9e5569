// Package openai reads the OpenAI wire family: OpenAI's own API, Azure
// OpenAI, and the many servers that speak the same protocol (Groq, DeepSeek,
// Mistral, xAI, Together, Fireworks, Perplexity, OpenRouter, Gemini's
// OpenAI-compatible endpoint, vLLM, Ollama's /v1, ...).
//
// # What it recognises
//
// POST requests only, by URL path:
//   - Chat Completions (operation "chat"): any host, a path ending
//     "/chat/completions" (/v1/chat/completions, Groq's /openai/v1/...,
//     OpenRouter's /api/v1/..., DeepSeek's and Perplexity's root path,
//     Gemini's /v1beta/openai/...), and Azure's
//     /openai/deployments/{deployment}/chat/completions.
//   - Responses (operation "chat"): any host, a path ending "/responses"
//     (/v1/responses, DeepSeek's /responses at the root, Azure's dated
//     /openai/responses?api-version=... and its /openai/v1/responses).
//     Sub-resources such as /v1/responses/{id} are not calls to observe.
//   - Embeddings (operation "embeddings"): a path ending "/v1/embeddings"
//     or "/openai/embeddings", and Azure's /openai/deployments/{d}/embeddings.
//   - Legacy Completions (operation "text_completion"): a path ending
//     "/v1/completions", and Azure's /openai/deployments/{d}/completions.
//
// gen_ai.provider.name comes from the host (api.openai.com "openai", Azure
// hosts "azure.ai.openai", api.groq.com "groq", ..., ollama.com and any host
// on port 11434 "ollama", any other host "openai"). The Azure deployment path form names
// "azure.ai.openai" whatever the host, since only Azure (or a gateway in front
// of it) uses it; its deployment stands for the request model when the body
// names none.
//
// # What it reads
//
// From the request body: model, stream, stream_options.include_usage,
// max_completion_tokens / max_tokens / max_output_tokens, temperature, top_p,
// frequency and presence penalties, stop, seed, n, service_tier, and for
// embeddings dimensions and encoding_format.
//
// From the response, streamed or not: id, model, every choice's finish reason
// in index order, usage (cache reads from prompt_tokens_details.cached_tokens,
// or DeepSeek's prompt_cache_hit_tokens, or Together's top-level
// cached_tokens; cache writes from prompt_tokens_details.cache_write_tokens;
// reasoning tokens; the audio and image parts of the input and output, from
// prompt_tokens_details, completion_tokens_details and the Responses and
// Images APIs' input_tokens_details and output_tokens_details), the web
// searches a Responses output ran (its web_search_call items whose action is
// a search), service_tier, system_fingerprint, the provider's error type,
// and the cost the response states (Response.Cost):
//
//   - xAI's usage.cost_in_usd_ticks, on any host: 1e-10 USD a tick.
//   - Perplexity's usage.cost.total_cost (USD, its request fee included);
//     a stream's interim chunks carry a zero-cost skeleton, so only the
//     final chunk's (object chat.completion.done) counts.
//   - OpenRouter's usage.cost (on its host, or beside is_byok): what
//     OpenRouter charged; with is_byok true the upstream provider billed the
//     user's own key too, and cost_details.upstream_inference_cost is added.
//
// A stated cost that is not a non-negative number is not used (ObserveError
// says so). Perplexity's usage.search_context_size is Response.SearchContextSize;
// without num_search_queries, Perplexity bills a per-request fee at that
// size (Response.RequestSearchFee).
//
// Counts are read by one rule: a non-negative integer an int64 holds (12.0
// too) is a count; null is no count; anything else (a negative number, a
// fraction, a string, a number too large) is not recorded, and
// ObserveError names it. A repeated key counts at its last value that is
// not null, as encoding/json and the SDKs read it. Predicted outputs'
// accepted and rejected prediction tokens are inside completion_tokens,
// billed as output: nothing is added.
//
// # Quirks handled
//
//   - xAI counts reasoning tokens outside completion_tokens (its total_tokens
//     is prompt + completion + reasoning), where OpenAI counts them inside.
//     When the reported totals add up that way, the reasoning tokens are
//     added to the output, so that output always includes reasoning and
//     reasoning is billed; a server is never assumed to do it.
//   - Perplexity reports reasoning_tokens and citation_tokens beside
//     completion_tokens and outside total_tokens: on its host, reasoning
//     joins the output and citations the input (they are billed at the
//     input price). Its searches (num_search_queries) are priced per search.
//   - OpenAI's chat stream (and Azure's, vLLM's, xAI's) carries usage only
//     when the request set stream_options.include_usage: then one extra
//     final chunk with "choices":[] holds it. Without it, the Usage is left
//     empty with source none. Other servers send usage unasked, and on a
//     chunk whose choices are not empty (DeepSeek, Mistral, Together,
//     OpenRouter, Perplexity): usage is read wherever it appears. A stream
//     that asked for usage and reached [DONE] without any gets an
//     ObserveError.
//   - Groq sends stream usage in x_groq.usage of the final chunk; vLLM's
//     continuous_usage_stats and similar servers repeat running totals in
//     every chunk: the last value wins, nothing is summed.
//   - Azure's first stream frame has empty choices, id and model (prompt
//     filter results): the first non-empty id and model are kept.
//   - OpenRouter's ": keep-alive" comment lines are ignored.
//   - An event with a top-level "error" inside a 200 stream sets ErrorType
//     (error.type, else error.code) and ends the stream.
//   - The Responses API has no finish reason: it is derived from status
//     (completed "stop" or "tool_calls" when the output calls a function,
//     incomplete its incomplete_details.reason, failed "error" with the error
//     code as ErrorType, cancelled "cancelled"). Its stream is read from the
//     response.created and terminal response.completed / .incomplete / .failed
//     events; a standalone error event sets ErrorType.
//
// A stream is complete when it reached its final event ([DONE], a terminal
// Responses event, or an error event); Finish(true) without one reports
// "stream ended before its final event".
//
// Content capture (when the transport asks, see providers.ContentCapturer):
//   - Chat Completions: every message with its role as sent (system and
//     developer messages are part of the history, so they stay input
//     messages), string or content-array content (text, image_url as a uri
//     or, for a data: URL, a blob of its size, input_audio and inline files
//     as blobs of their size, file ids as file parts, refusals as text),
//     tool_calls and the legacy function_call as tool calls, tool and
//     function messages as tool call responses, reasoning_content (or
//     reasoning) as reasoning; tools and legacy functions as definitions.
//     The answer: one message per choice, at its index, with its finish
//     reason; a stream's deltas (content, reasoning, refusal, tool call
//     fragments by index) reassembled per choice.
//   - Legacy completions and embeddings: each prompt or input string a user
//     message of its own; token arrays by kind only; completions' choices
//     text as the answer. Embeddings record no answer.
//   - Responses: instructions as the system instructions; a string input,
//     or input items (messages, function calls and reasoning of the model's
//     turn gathered in one assistant message, each function call's output a
//     tool message); tools. The answer is one assistant message of the
//     output items in order (text, refusals, function and custom tool calls,
//     reasoning summaries and text, server tool calls by type), streamed
//     from the output text, refusal, reasoning and arguments deltas and the
//     output item events.
//
// While content is captured a stream's chunks are still matched against the
// last plain chunk's shape, which spares their usage scan, but each one's
// text is read.
package openai
