package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunsOffline runs the example against the embedded fake and checks the
// answers, the line printed for each call and the tracker's totals.
func TestRunsOffline(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_MODEL", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()

	// Each answer, then the line otelllm's callback gave for its call.
	assert.Regexp(t, `Full call answered: The ruby-throated hummingbird weighs about 3 grams, less than a nickel\.\n`+
		`\[otelllm\] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input \+ 11 output tokens, \$0\.000009, \S+\n`, s)
	assert.Regexp(t, `Streamed call: The ruby-throated hummingbird weighs about 3 grams, less than a nickel\.\n`+
		`\[otelllm\] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 22 input \+ 11 output tokens, \$0\.0000099, \S+ \(streamed, first chunk after \S+\)\n`, s)
	assert.Contains(t, s, "Tokens Used: 60\n"+
		"\tPrompt Tokens: 38\n"+
		"\t\tPrompt Tokens Cached: 0\n"+
		"\tCompletion Tokens: 22\n"+
		"\t\tReasoning Tokens: 0\n"+
		"Successful Requests: 2\n"+
		"Total Cost (USD): $0.0000189\n")
	assert.NotContains(t, s, "FAILED")
}
