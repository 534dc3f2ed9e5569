package otelllm

import "github.com/otelllm/otelllm/providers"

// DefaultProviders returns the providers a Transport recognises unless
// WithProviders says otherwise, in the order they are tried.
func DefaultProviders() []providers.Provider {
	return []providers.Provider{}
}
