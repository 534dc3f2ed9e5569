// Package sdk shows otelllm hooked up to each Go LLM SDK and framework in one
// line: its Examples (openai-go, anthropic-sdk-go, aws-sdk-go-v2's
// bedrockruntime, google.golang.org/genai, go-openai, langchaingo and Eino;
// Genkit is in the genkit module beside this one) each make one call
// through a client wrapped by otelllm, offline against fakellm, and print
// what the tracker counted. The line is always the same thing: give the SDK
// otelllm.WrapClient(http.DefaultClient) where it takes an *http.Client.
//
// The directories of this module are runnable programs, one per SDK, that
// do more: a full and a streamed call, a line per call, the telemetry to
// the console or any OTLP backend, and the real API when its key is set.
// This module is apart from the library's so that the library's go.mod
// never needs an SDK.
package sdk
