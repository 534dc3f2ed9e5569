// Package fakellm is an in-process fake of the LLM APIs otelllm recognises,
// for tests, examples and first runs without an API key or a network.
//
// OpenAI Chat Completions and Anthropic Messages answers are generated from
// the request, in the exact shapes of recorded API responses (see
// shared/wire in the repository): the request's model is echoed back as its
// dated snapshot, usage is reported (in streams too, when the request asks
// for it as the real APIs require), and a request that offers tools gets a
// tool call until the conversation holds a tool result, so multi-step agent
// loops run against it. The other APIs (Bedrock, Gemini/Vertex, Cohere,
// Ollama, OpenAI Responses and Embeddings) are answered with recorded
// responses, byte for byte.
//
// Token counts are deterministic: input is one token per four bytes of
// message text plus a fixed overhead, output one token per word.
package fakellm
