package main

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunsOffline runs both plugins' tool loops against the embedded fake and
// checks the answers, the line printed for each model call and the
// tracker's totals.
func TestRunsOffline(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("GEMINI_API_KEY", "")
	t.Setenv("OTEL_TRACES_EXPORTER", "none")
	t.Setenv("OTEL_METRICS_EXPORTER", "none")
	defaultTransport := http.DefaultTransport
	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out))
	s := out.String()
	assert.Same(t, defaultTransport, http.DefaultTransport, "run puts http.DefaultTransport back")

	// Each model's tool call and answer, then the lines otelllm's callback
	// gave for its two model calls.
	const searched = `  \(the model searched for "ruby-throated hummingbird weight"\)\n`
	const answer = `The ruby-throated hummingbird weighs about 3 grams, less than a nickel\.\n`
	assert.Regexp(t, searched+
		`openai/gpt-4o-mini streamed: `+answer+
		`openai/gpt-4o-mini answered: `+answer+
		`  \[otelllm\] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 23 input \+ 18 output tokens, \$0\.00001425, \S+ \(streamed, first chunk after \S+\)\n`+
		`  \[otelllm\] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 51 input \+ 11 output tokens, \$0\.00001425, \S+ \(streamed, first chunk after \S+\)\n`, s)
	assert.Regexp(t, searched+
		`googleai/gemini-2\.5-flash streamed: `+answer+
		`googleai/gemini-2\.5-flash answered: `+answer+
		`  \[otelllm\] gcp\.gemini generate_content gemini-2\.5-flash: 16 input \+ 12 output tokens, \$0\.0000348, \S+ \(streamed, first chunk after \S+\)\n`+
		`  \[otelllm\] gcp\.gemini generate_content gemini-2\.5-flash: 54 input \+ 11 output tokens, \$0\.0000437, \S+ \(streamed, first chunk after \S+\)\n`, s)
	assert.Contains(t, s, "Tokens Used: 196\n"+
		"\tPrompt Tokens: 144\n"+
		"\t\tPrompt Tokens Cached: 0\n"+
		"\tCompletion Tokens: 52\n"+
		"\t\tReasoning Tokens: 0\n"+
		"Successful Requests: 4\n"+
		"Total Cost (USD): $0.000107\n")
	assert.NotContains(t, s, "FAILED")
}
