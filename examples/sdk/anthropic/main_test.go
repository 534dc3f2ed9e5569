package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunsOffline runs the example against the embedded fake and checks the
// answer, the line printed for the call and the tracker's totals.
func TestRunsOffline(t *testing.T) {
	t.Setenv("ANTHROPIC_API_KEY", "")
	t.Setenv("ANTHROPIC_MODEL", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()

	// The answer, the line otelllm's callback gave for the call, and the
	// SDK's own count, which agrees with what otelllm saw on the wire.
	assert.Regexp(t, `Streamed call: The ruby-throated hummingbird weighs about 3 grams, less than a nickel\.\n`+
		`\[otelllm\] anthropic chat claude-haiku-4-5 -> claude-haiku-4-5-20251001: 29 input \+ 11 output tokens, \$0\.000084, \S+ \(streamed, first chunk after \S+\)\n`+
		`The SDK's own count: 29 input \+ 11 output tokens\.\n`, s)
	assert.Contains(t, s, "Tokens Used: 40\n"+
		"\tPrompt Tokens: 29\n"+
		"\t\tPrompt Tokens Cached: 0\n"+
		"\tCompletion Tokens: 11\n"+
		"\t\tReasoning Tokens: 0\n"+
		"Successful Requests: 1\n"+
		"Total Cost (USD): $0.000084\n")
	assert.NotContains(t, s, "FAILED")
}
