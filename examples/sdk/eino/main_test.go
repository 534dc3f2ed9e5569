package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunsOffline runs the agent on each model component against the
// embedded fake and checks the answers, the line printed for each model call
// and the tracker's totals.
func TestRunsOffline(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_MODEL", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()

	// Each agent's tool call, its answer, then the lines otelllm's
	// callback gave for its two model calls: the tool call, and the answer
	// to the conversation that holds the tool's result.
	const searched = `  \(the agent searched for "ruby-throated hummingbird weight"\)\n`
	const answered = ` agent answered: The ruby-throated hummingbird weighs about 3 grams, less than a nickel\.\n`
	assert.Regexp(t, searched+`OpenAI`+answered+
		`  \[otelllm\] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input \+ 18 output tokens, \$0\.0000132, \S+\n`+
		`  \[otelllm\] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 44 input \+ 11 output tokens, \$0\.0000132, \S+\n`, s)
	assert.Regexp(t, searched+`Claude`+answered+
		`  \[otelllm\] anthropic chat claude-haiku-4-5 -> claude-haiku-4-5-20251001: 23 input \+ 40 output tokens, \$0\.000223, \S+\n`+
		`  \[otelllm\] anthropic chat claude-haiku-4-5 -> claude-haiku-4-5-20251001: 106 input \+ 11 output tokens, \$0\.000161, \S+\n`, s)
	assert.Regexp(t, searched+`Gemini`+answered+
		`  \[otelllm\] gcp\.gemini generate_content gemini-2\.5-flash: 16 input \+ 12 output tokens, \$0\.0000348, \S+\n`+
		`  \[otelllm\] gcp\.gemini generate_content gemini-2\.5-flash: 50 input \+ 11 output tokens, \$0\.0000425, \S+\n`, s)
	assert.Regexp(t, searched+`Ark`+answered+
		`  \[otelllm\] openai chat doubao-seed-1-6-250615: 16 input \+ 18 output tokens, unpriced, \S+\n`+
		`  \[otelllm\] openai chat doubao-seed-1-6-250615: 44 input \+ 11 output tokens, unpriced, \S+\n`, s)
	assert.Contains(t, s, "Tokens Used: 447\n"+
		"\tPrompt Tokens: 315\n"+
		"\t\tPrompt Tokens Cached: 0\n"+
		"\tCompletion Tokens: 132\n"+
		"\t\tReasoning Tokens: 0\n"+
		"Successful Requests: 8\n"+
		"Unpriced Requests: 2 (not in Total Cost)\n"+
		"Total Cost (USD): $0.0004877\n")
	assert.NotContains(t, s, "FAILED")
}
