// Package bedrock recognises Amazon Bedrock Runtime calls and reads their
// parameters, stop reasons and token usage, for the otelllm transport. It
// returns plain values (see package providers) and imports no OpenTelemetry.
//
// It recognises POST /model/{modelId}/{action} on bedrock-runtime.{region}.amazonaws.com,
// bedrock-runtime-fips.{region}.amazonaws.com, or any other host (VPC
// endpoints, proxies), for the four generation actions:
//
//	converse                     Converse: JSON, usage in the body
//	converse-stream              ConverseStream: AWS event stream
//	invoke                       InvokeModel: the model's native JSON
//	invoke-with-response-stream  InvokeModelWithResponseStream: event stream of base64 chunks
//
// Every call is provider "aws.bedrock", operation "chat". The model id is
// escaped in the path (amazon.nova-micro-v1%3A0, ARNs with %2F) and is
// unescaped. Response.RequestID is the x-amzn-RequestId response header.
// Claude's InvokeModel body, and the message_start event of its stream, name
// the message (msg_bdrk_...) and the model (claude-3-5-haiku-20241022):
// they are Response.ID and Response.Model. The other families name neither,
// so Response.ID is the request id and Response.Model the model id of the
// path. An error response names no model (none answered). The request is
// SigV4-signed: its body is only ever read.
//
// Usage normalisation. Bedrock's inputTokens excludes prompt-cache reads and
// writes (the Bedrock prompt caching guide: total input = inputTokens +
// cacheReadInputTokens + cacheWriteInputTokens), the same convention as
// Anthropic's own API. InputTokens is therefore inputTokens + cache read +
// cache write, and the cache counts are reported on their own. totalTokens
// is passed through as Bedrock reports it (it already counts the cache).
// AWS documents that rule for Claude only; where a response's totalTokens
// is inputTokens + outputTokens with cache counts beside it, its input
// count is taken to include the cache already, as its total does.
//
// InvokeModel bodies are model-native, so the family is told from the shape
// of the JSON, not from the model id (application inference profile ARNs
// name no family):
//   - Anthropic Messages (Claude): stop_reason, usage with cache counts. Its
//     usage is preferred over the headers, being richer, and normalised as
//     Anthropic's.
//   - Amazon Nova: stopReason, usage.inputTokens/outputTokens and
//     cacheRead/WriteInputTokenCount. The body usage is used when it has
//     cache counts, normalised like Converse.
//   - Meta Llama (stop_reason, prompt_token_count, generation_token_count),
//     Amazon Titan (results[].completionReason, inputTextTokenCount,
//     results[].tokenCount), Mistral (outputs[].stop_reason), Cohere
//     (finish_reason, generations[].finish_reason) and OpenAI-style bodies
//     (choices[].finish_reason, usage.prompt_tokens, completion_tokens,
//     total_tokens): stop reasons from the body, and the OpenAI-style usage.
//
// Otherwise the counts come from the X-Amzn-Bedrock-Input-Token-Count and
// X-Amzn-Bedrock-Output-Token-Count response headers (Source
// response_headers), which Bedrock sends for every family, and only when
// those are absent from the body's own counts.
//
// Streams are AWS binary event streams, framed by the shared observer of
// package providers (Request.StreamFraming is FramingEventStream for the two
// streamed actions). ConverseStream ends with a metadata event carrying
// usage; messageStop carries the stop reason; its many contentBlockDelta
// events are counted by their :event-type alone. In
// InvokeModelWithResponseStream each chunk event carries base64
// model-native JSON; the last one adds amazon-bedrock-invocationMetrics
// with the token counts. For Claude the Anthropic events inside are read
// with the shared Messages dialect (providers/internal/dialect/messages)
// and their usage is preferred when it has cache counts; Nova's native
// messageStop and metadata events likewise. The output deltas of Claude and
// Nova are told from their base64 text: once one has been read in full,
// a later chunk is decoded only where it differs from what the deltas
// share, and matched against the shape of the one read. Exception and error
// frames give Response.ErrorType from :exception-type or :error-code. A
// frame failing its checksum stops observation (ObserveError; the usage
// already seen is kept); the application's reads are never affected.
//
// # Content capture
//
// When the application opts in (the Call is a providers.ContentCapturer),
// Request.Content and Response.Output hold the messages, for every family:
//
//   - Converse and ConverseStream, and Amazon Nova's InvokeModel bodies
//     (written the same way): system (text; other blocks named as generic
//     parts), messages' content blocks (text; image, document, video and
//     audio as a blob of the format's MIME type and the decoded size of
//     source.bytes, never the bytes, or a uri for source.s3Location;
//     toolUse as a tool call; toolResult as the tool_call_response of its
//     toolUseId, the text of one text block, the JSON of one json block or
//     the text and json blocks as an array, its media as blobs of their
//     own; reasoningContent.reasoningText as reasoning, redactedContent as
//     a generic "redacted_reasoning" part without its data; guardContent
//     and citationsContent as their text) and toolConfig.tools. Streams:
//     contentBlockStart (a tool call's id and name), contentBlockDelta
//     (text, toolUse.input fragments, reasoningContent.text), messageStop.
//     Nova's InvokeModel stream gives each text delta a block of its own:
//     consecutive text deltas are one text part.
//   - Claude's InvokeModel bodies, Anthropic Messages: read by the shared
//     messages dialect, as providers/anthropic reads them (system,
//     messages' blocks, tools; the answer's content blocks, a stream's
//     reassembled from its events).
//   - Meta Llama, Mistral, Cohere Command and DeepSeek prompts and Titan's
//     inputText as one user message, as sent (template tokens included);
//     Cohere Command R's bodies, read by the shared command dialect as
//     providers/cohere reads its v1 chat (preamble, chat_history,
//     tool_results, documents, tools and message); OpenAI-style messages
//     and tools (gpt-oss, AI21 Jamba,
//     Mistral's chat format). Answers: generation, results[].outputText,
//     outputs[].text, generations[].text, text and tool_calls, choices[]
//     (message, text, streamed deltas with reasoning_content and tool
//     calls), one message per result, output or choice.
//
// Every value is cut to the capture limit. A stream that broke off or ended
// in an exception keeps the answer so far; an error body has none. With
// capture on, every chunk is decoded and read in full; without it no
// content is read and the shortcuts above are taken as before.
package bedrock
