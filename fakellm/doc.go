// Package fakellm is an in-process fake of the LLM APIs otelllm recognises,
// for tests, examples and first runs without an API key or a network. Use it
// in your own tests as a test double for the provider: point your SDK at the
// fake's base URL, choose the usage each answer reports, and make it fail
// with rate limits and errors when the test needs to.
//
//	fake := fakellm.NewServer(fakellm.Options{
//		Usage: fakellm.FixedUsage(fakellm.Usage{InputTokens: 1200, OutputTokens: 80, CacheReadTokens: 1024}),
//	})
//	defer fake.Close()
//
// Then give the SDK the fake's base URL and any key: for openai-go,
// option.WithBaseURL(fake.OpenAIBaseURL()) and option.WithAPIKey("test").
// The examples/sdk module points each SDK it shows at the fake this way.
//
// # APIs and base URLs
//
// One server answers every API below; each has a helper that returns the
// base URL its SDK expects:
//
//   - OpenAI (OpenAIBaseURL, …/v1): Chat Completions, legacy Completions,
//     Responses, Embeddings. OpenAI-compatible clients use it too.
//   - Azure OpenAI: the deployment form
//     /openai/deployments/{deployment}/… (AzureOpenAIEndpoint) and the v1
//     form /openai/v1/… (AzureOpenAIV1BaseURL), with Azure's content-filter
//     results in the answers.
//   - Volcengine Ark (ArkBaseURL, …/api/v3): Chat Completions.
//   - Anthropic Messages (AnthropicBaseURL).
//   - Amazon Bedrock Runtime (BedrockEndpoint, for aws-sdk-go-v2's
//     BaseEndpoint): Converse, ConverseStream, InvokeModel and
//     InvokeModelWithResponseStream for Claude, Nova and Titan Text models.
//     Signatures are not checked.
//   - Gemini API (GeminiBaseURL) and Vertex AI (VertexAIBaseURL):
//     generateContent and streamGenerateContent, as SSE with ?alt=sse and
//     as a streamed JSON array without it.
//   - Cohere v2 Chat (CohereBaseURL).
//   - Ollama /api/chat, /api/generate, /api/embed (OllamaBaseURL).
//
// # Answers
//
// Answers are generated from the request in the shapes of the real APIs'
// recorded responses, and name the model the request asked for: in the
// body's model field where the API has one (OpenAI and Anthropic aliases
// such as gpt-4o-mini answer with their dated snapshot,
// gpt-4o-mini-2024-07-18, as the real APIs do), in Gemini's modelVersion;
// Bedrock and Cohere name no model in their answers. The text is
// Options.Answer. A request that offers tools gets a call of the first tool,
// with Options.ToolArguments, until the conversation holds a tool result; then
// it gets the answer. So an agent's tool loop runs: two model calls and one
// tool run.
//
// Streams carry usage where each provider puts it: OpenAI Chat Completions
// and legacy Completions only when the request sets
// stream_options.include_usage (then every chunk has "usage":null and a last
// chunk with no choices carries the usage, before data: [DONE]; without it no
// chunk has usage, as with OpenAI), the Responses API in response.completed,
// Anthropic in message_start and message_delta, Bedrock in the metadata event
// or amazon-bedrock-invocationMetrics, Gemini in every chunk's usageMetadata
// (complete in the last), Cohere in message-end, Ollama in the last object.
//
// # Usage
//
// The usage an answer reports is, in order of precedence: the request's
// UsageHeader; what Options.Usage returns for the Request (FixedUsage for a
// whole server, UsageByModel per model, or a function of the Request's Seq,
// Model, API or headers); or the fake's own count, which is deterministic:
// input is one token per four bytes of each message's text plus four per
// message, output one token per word of the answer, and a fixed count for a
// tool call. Usage is given in one shape, input including cached tokens and
// output including reasoning; the fake writes it in each API's own fields
// (see Usage).
//
// # Errors and rate limits
//
// Server.FailNext(n, fault) answers the next n calls with fault, then lets
// calls through, for tests of retries: RateLimited(d) is a 429 that asks to
// retry after d. Options.Fault decides per Request instead. A Fault is
// answered with the status, the error body in the API's own shape (OpenAI's
// {"error":{"message","type","param","code"}}, Azure's throttling body,
// Anthropic's {"type":"error",…}, Bedrock's {"message"} with
// x-amzn-ErrorType, Google's {"error":{"code","message","status"}}, Cohere's
// and Ollama's), retry-after, and the rate-limit headers of OpenAI, Azure
// and Anthropic from Options.RateLimit or Fault.RateLimit. Server.Requests
// lists every call received, failed ones included, so a test can count an
// SDK's retries.
//
// Options.Recorded answers the APIs the fake holds recordings for with those
// real payloads, byte for byte, instead.
package fakellm
