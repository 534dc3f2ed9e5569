package otelllm_test

import (
	"context"
	"fmt"
	"io"
	"strings"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/semconv"
)

// Record the messages of each call on its span, with the application's own
// redaction applied first: here, e-mail addresses are masked.
func ExampleWithContentCapture() {
	fake := fakellm.NewServer()
	defer fake.Close()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))

	maskEmails := func(_ context.Context, c *otelllm.Content) {
		for i := range c.InputMessages {
			for j := range c.InputMessages[i].Parts {
				p := &c.InputMessages[i].Parts[j]
				p.Content = strings.ReplaceAll(p.Content, "ada@example.com", "[email]")
			}
		}
	}
	client := otelllm.WrapClient(nil,
		otelllm.WithTracerProvider(tp),
		otelllm.WithContentCapture(otelllm.ContentSpan), // or the environment variable
		otelllm.WithContentFilter(maskEmails))

	resp, err := client.Post(fake.OpenAIBaseURL()+"/chat/completions", "application/json",
		strings.NewReader(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi, I am ada@example.com"}]}`))
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()

	for _, kv := range spans.Ended()[0].Attributes() {
		if kv.Key == semconv.GenAIInputMessagesKey || kv.Key == semconv.GenAIOutputMessagesKey {
			fmt.Printf("%s: %s\n", kv.Key, kv.Value.AsString())
		}
	}
	// Output:
	// gen_ai.input.messages: [{"role":"user","parts":[{"type":"text","content":"Hi, I am [email]"}]}]
	// gen_ai.output.messages: [{"role":"assistant","parts":[{"type":"text","content":"The ruby-throated hummingbird weighs about 3 grams, less than a nickel."}],"finish_reason":"stop"}]
}
