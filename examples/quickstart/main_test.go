package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQuickstartRunsOffline runs the README's first command's code against
// the embedded fake and checks what it prints.
func TestQuickstartRunsOffline(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()
	assert.Contains(t, s, "[otelllm] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input + 11 output tokens, $0.000009")
	assert.Contains(t, s, "(streamed, first chunk after")
	assert.Contains(t, s, "The ruby-throated hummingbird weighs about 3 grams, less than a nickel.")
	assert.Contains(t, s, "Successful Requests: 2")
	assert.Contains(t, s, "Tokens Used: 60\n\tPrompt Tokens: 38\n")
	assert.Contains(t, s, "Total Cost (USD): $0.0000189")
	assert.NotContains(t, s, "FAILED")
}
