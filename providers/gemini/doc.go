// Package gemini reads the wire format of Google's Gemini models, as served
// by the Gemini Developer API (generativelanguage.googleapis.com, provider
// "gcp.gemini") and by Vertex AI ({location}-aiplatform.googleapis.com or the
// global aiplatform.googleapis.com, provider "gcp.vertex_ai").
//
// # Recognised calls
//
// POST .../{version}/models/{model}:{method} and .../tunedModels/{model}:{method}
// (Gemini API), and .../{version}/projects/{p}/locations/{l}/publishers/google/
// models/{model}:{method} (Vertex AI; also without projects/locations, as
// Vertex AI express mode sends it), on any host and behind any path prefix (so
// gateways and proxies are recognised), where version is v1, v1beta, v1alpha
// or v1beta1 and method is generateContent or streamGenerateContent (operation
// "generate_content") or embedContent or batchEmbedContents (operation
// "embeddings") or countTokens (operation "count_tokens": it generates and
// bills nothing, so its span carries no usage; totalTokens counts the prompt
// it was given and is never recorded as tokens used). A host under
// aiplatform.googleapis.com is always Vertex AI, generativelanguage is always
// the Gemini API; elsewhere the path shape decides.
//
// The model is only in the path (the "models/" prefix is stripped; a tuned
// model keeps its "tunedModels/" prefix). The API key, in the ?key= query
// parameter or the x-goog-api-key header, is never read.
//
// # Request
//
// generationConfig.{temperature, topP, topK, maxOutputTokens, stopSequences,
// candidateCount, seed, presencePenalty, frequencyPenalty}, in the
// lowerCamelCase or the snake_case spelling (Google's JSON mapping accepts
// both); outputDimensionality for embeddings (of the first request of a
// batch). The request streams when the method is streamGenerateContent.
//
// # Response
//
// responseId, modelVersion, every candidate's finishReason in candidate
// order, and usageMetadata, normalised. Google's generated REST clients
// ask for $alt=json;enum-encoding=int, which sends every enum as its
// number: a numeric finishReason is named from the API's own table (Vertex
// AI and the Gemini API number them differently above 5; an unknown number
// is no finish reason), and a numeric promptFeedback.blockReason other than
// 0 blocks the prompt as a named one does. A count that is not a
// non-negative integer is not recorded, nor any sum it is part of
// (ObserveError says which).
//
//   - InputTokens = promptTokenCount + toolUsePromptTokenCount. The prompt
//     count already includes cached content; the tool-use prompt (results of
//     built-in tools such as Google Search, fed back to the model) is billed
//     as input and counted in totalTokenCount.
//   - OutputTokens = candidatesTokenCount + thoughtsTokenCount: thinking is
//     billed as output.
//   - CacheReadInputTokens = cachedContentTokenCount,
//     ReasoningTokens = thoughtsTokenCount, TotalTokens = totalTokenCount.
//
// So InputTokens + OutputTokens = TotalTokens, as on the wire. Gemini omits
// zero counts (proto3 JSON): a sum is reported when any of its parts is.
//
// Error bodies ({"error":{"code":429,"status":"RESOURCE_EXHAUSTED",...}}, or
// an array of one such object for a streamed call) give ErrorType = status,
// else the numeric code.
//
// # Streams
//
// With ?alt=sse the stream is Server-Sent Events: data: frames separated by
// CRLF CRLF (Vertex) or LF LF, with no [DONE]. Without it the stream is one
// JSON array sent element by element ("[{...}\n,\r\n{...}\n]") under an
// application/json Content-Type; package jsonarray frames it. Each chunk
// carries a cumulative usageMetadata snapshot (intermediate chunks may carry
// no counts at all): the last value of each count wins, nothing is summed.
// Gemini sends no terminal marker, so a stream is complete when every
// candidate seen has a finishReason and usage was seen, or when an error
// element arrived, or when the prompt was blocked (promptFeedback.blockReason,
// which has no candidates); a streamed array must also have its closing
// bracket. A body that reaches EOF before that is reported as "stream ended
// before its final event". An error element inside a 200 stream sets
// ErrorType and keeps the usage seen so far.
//
// Most chunks differ from the one before only in their text and their
// running counts. Once a chunk that carries output and nothing else (no
// finish reason, error or prompt feedback) has been read in full, a later
// chunk of the same shape is read by comparing the bytes that did not
// change and reading the counts in place, without a scan of the whole
// chunk.
//
// # Content capture
//
// When the application opts in (the Call is a providers.ContentCapturer), a
// generateContent or streamGenerateContent call's Request.Content holds
// contents (roles user, model as assistant, the old function as tool), the
// systemInstruction's text parts (others named as generic parts) and tools
// (each functionDeclaration with its description and parameters or
// parametersJsonSchema; each built-in tool, googleSearch, codeExecution,
// ..., by its member name). Parts, in request and answer alike: text, a
// thought (thought: true) as reasoning, inlineData as a blob (its MIME
// type, the modality of that type and the decoded size, never the bytes),
// fileData as a uri, functionCall and functionResponse as tool_call and
// tool_call_response (an id only when Gemini sent one: none is invented),
// executableCode and codeExecutionResult as server_tool_call and
// server_tool_call_response of code_execution; both camelCase and
// snake_case member names. Response.Output holds one message per
// candidate, with its finish reason; a stream's text and thought deltas
// run on into one part until a part of another kind, whole bodies keep
// their parts as sent. Every value is cut to the capture limit. With
// capture on, every chunk is read in full: the shape shortcut above is
// kept for calls that do not capture.
package gemini
