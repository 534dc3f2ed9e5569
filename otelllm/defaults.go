package otelllm

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/anthropic"
	"github.com/otelllm/otelllm/providers/bedrock"
	"github.com/otelllm/otelllm/providers/cohere"
	"github.com/otelllm/otelllm/providers/gemini"
	"github.com/otelllm/otelllm/providers/ollama"
	"github.com/otelllm/otelllm/providers/openai"
)

// DefaultProviders returns the providers a Transport recognises unless
// WithProviders says otherwise, in the order they are tried: the ones with
// the most specific paths first, and OpenAI last, since it recognises any
// OpenAI-compatible server by path alone.
func DefaultProviders() []providers.Provider {
	return []providers.Provider{
		anthropic.New(),
		bedrock.New(),
		gemini.New(),
		cohere.New(),
		ollama.New(),
		openai.New(),
	}
}
