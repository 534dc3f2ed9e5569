// Langchaingo makes one full and one streamed GenerateContent call with
// LangChain Go's OpenAI LLM (github.com/tmc/langchaingo/llms/openai), its
// HTTP client wrapped by otelllm, and prints a line per observed call and
// the totals, in the same format as LangChain's get_openai_callback().
//
// With no configuration it runs offline against fakellm, an embedded fake
// OpenAI-compatible server, and prints spans and metrics to the console. Set
// OPENAI_API_KEY to call the real OpenAI API instead (OPENAI_MODEL picks the
// model, gpt-4o-mini by default), and the standard OTEL_* variables to send
// the telemetry elsewhere, for example OTEL_EXPORTER_OTLP_ENDPOINT.
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer) error {
	_, shutdown, err := exporters.Setup(ctx, exporters.WithServiceName(serviceName()))
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := shutdown(sctx); err != nil {
			log.Printf("telemetry shutdown: %v", err)
		}
	}()

	// The one line that matters: the LLM gets a wrapped client.
	// CallLogger writes a line per call, printed after each answer.
	var calls bytes.Buffer
	httpClient := otelllm.WrapClient(http.DefaultClient, otelllm.WithCallback(otelllm.CallLogger(&calls)))

	model := os.Getenv("OPENAI_MODEL")
	if model == "" {
		model = "gpt-4o-mini"
	}
	opts := []openai.Option{openai.WithHTTPClient(httpClient), openai.WithModel(model)}
	if apiKey := os.Getenv("OPENAI_API_KEY"); apiKey != "" {
		opts = append(opts, openai.WithToken(apiKey))
		fmt.Fprintln(out, "Calling the OpenAI API ("+model+").")
	} else {
		fake := fakellm.NewServer(fakellm.Options{ChunkDelay: 2 * time.Millisecond})
		defer fake.Close()
		opts = append(opts, openai.WithBaseURL(fake.OpenAIBaseURL()), openai.WithToken("sk-fake"))
		fmt.Fprintln(out, "No OPENAI_API_KEY: calling the embedded fake OpenAI server at "+fake.OpenAIBaseURL()+".")
	}
	llm, err := openai.New(opts...)
	if err != nil {
		return err
	}

	ctx, tracker := otelllm.Track(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	question := "How much does a ruby-throated hummingbird weigh?"
	resp, err := llm.GenerateContent(ctx, []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeHuman, question),
	})
	if err != nil {
		return err
	}
	if len(resp.Choices) == 0 {
		return fmt.Errorf("no choices in the response")
	}
	fmt.Fprintf(out, "Full call answered: %s\n", resp.Choices[0].Content)
	calls.WriteTo(out)

	// LangChain Go asks for the usage of a stream (include_usage) by
	// itself.
	fmt.Fprint(out, "Streamed call: ")
	_, err = llm.GenerateContent(ctx, []llms.MessageContent{
		llms.TextParts(llms.ChatMessageTypeHuman, question+" Answer in one sentence."),
	}, llms.WithStreamingFunc(func(_ context.Context, chunk []byte) error {
		_, err := out.Write(chunk)
		return err
	}))
	fmt.Fprintln(out)
	if err != nil {
		return err
	}
	calls.WriteTo(out)

	fmt.Fprintf(out, "\nUsage seen by the tracker:\n%s\n\n", tracker)
	return nil
}

func serviceName() string {
	if s := os.Getenv("OTEL_SERVICE_NAME"); s != "" {
		return s
	}
	return "otelllm-example-langchaingo"
}
