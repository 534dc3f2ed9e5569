// Openai-go makes one full and one streamed Chat Completions call with the
// official OpenAI Go SDK (github.com/openai/openai-go/v3), its HTTP client
// wrapped by otelllm, and prints a line per observed call and the totals.
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

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

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

	// The one line that matters: the SDK gets a wrapped client.
	// CallLogger writes a line per call, printed after each answer.
	var calls bytes.Buffer
	httpClient := otelllm.WrapClient(http.DefaultClient, otelllm.WithCallback(otelllm.CallLogger(&calls)))
	opts := []option.RequestOption{option.WithHTTPClient(httpClient)}

	model := os.Getenv("OPENAI_MODEL")
	if model == "" {
		model = openai.ChatModelGPT4oMini
	}
	if os.Getenv("OPENAI_API_KEY") != "" {
		fmt.Fprintln(out, "Calling the OpenAI API ("+model+").")
	} else {
		fake := fakellm.NewServer(fakellm.Options{ChunkDelay: 2 * time.Millisecond})
		defer fake.Close()
		opts = append(opts, option.WithBaseURL(fake.OpenAIBaseURL()), option.WithAPIKey("sk-fake"))
		fmt.Fprintln(out, "No OPENAI_API_KEY: calling the embedded fake OpenAI server at "+fake.OpenAIBaseURL()+".")
	}
	client := openai.NewClient(opts...)

	ctx, tracker := otelllm.Track(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	question := "How much does a ruby-throated hummingbird weigh?"
	completion, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:    model,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(question)},
	})
	if err != nil {
		return err
	}
	if len(completion.Choices) == 0 {
		return fmt.Errorf("no choices in the response")
	}
	fmt.Fprintf(out, "Full call answered: %s\n", completion.Choices[0].Message.Content)
	calls.WriteTo(out)

	fmt.Fprint(out, "Streamed call: ")
	stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
		Model:    model,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(question + " Answer in one sentence.")},
		// Without include_usage a stream reports no tokens, and the
		// call is counted as a request without usage.
		StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
	})
	for stream.Next() {
		if chunk := stream.Current(); len(chunk.Choices) > 0 {
			fmt.Fprint(out, chunk.Choices[0].Delta.Content)
		}
	}
	fmt.Fprintln(out)
	if err := stream.Err(); err != nil {
		stream.Close()
		return err
	}
	// The SDK stops at the "[DONE]" line, which may come before the body's
	// end: closing the stream ends the call for certain.
	if err := stream.Close(); err != nil {
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
	return "otelllm-example-openai-go"
}
