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
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()

	// fakellm answers Bedrock with payloads recorded from Titan Text
	// Express. Each answer, then the line otelllm's callback gave for its
	// call.
	assert.Regexp(t, `Converse answered: Hi, how can I help you\n`+
		`\[otelllm\] aws\.bedrock chat amazon\.titan-text-express-v1: 8 input \+ 10 output tokens, \$0\.0000274, \S+\n`, s)
	assert.Regexp(t, `ConverseStream: I am here and ready to assist\n`+
		`\[otelllm\] aws\.bedrock chat amazon\.titan-text-express-v1: 8 input \+ 10 output tokens, \$0\.0000274, \S+ \(streamed, first chunk after \S+\)\n`, s)
	assert.Contains(t, s, "Tokens Used: 36\n"+
		"\tPrompt Tokens: 16\n"+
		"\t\tPrompt Tokens Cached: 0\n"+
		"\tCompletion Tokens: 20\n"+
		"\t\tReasoning Tokens: 0\n"+
		"Successful Requests: 2\n"+
		"Total Cost (USD): $0.0000548\n")
	assert.NotContains(t, s, "FAILED")
}
