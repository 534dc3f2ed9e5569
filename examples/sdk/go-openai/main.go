// Go-openai makes one full and one streamed Chat Completions call with
// github.com/sashabaranov/go-openai, its HTTP client wrapped by otelllm, and
// prints a line per observed call and the totals.
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
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"time"

	openai "github.com/sashabaranov/go-openai"

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

	model := os.Getenv("OPENAI_MODEL")
	if model == "" {
		model = openai.GPT4oMini
	}
	var config openai.ClientConfig
	if apiKey := os.Getenv("OPENAI_API_KEY"); apiKey != "" {
		config = openai.DefaultConfig(apiKey)
		fmt.Fprintln(out, "Calling the OpenAI API ("+model+").")
	} else {
		fake := fakellm.NewServer(fakellm.Options{ChunkDelay: 2 * time.Millisecond})
		defer fake.Close()
		config = openai.DefaultConfig("sk-fake")
		config.BaseURL = fake.OpenAIBaseURL()
		fmt.Fprintln(out, "No OPENAI_API_KEY: calling the embedded fake OpenAI server at "+fake.OpenAIBaseURL()+".")
	}
	// The one line that matters: the SDK gets a wrapped client.
	// CallLogger writes a line per call, printed after each answer.
	var calls bytes.Buffer
	config.HTTPClient = otelllm.WrapClient(http.DefaultClient, otelllm.WithCallback(otelllm.CallLogger(&calls)))
	client := openai.NewClientWithConfig(config)

	ctx, tracker := otelllm.Track(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	question := "How much does a ruby-throated hummingbird weigh?"
	resp, err := client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:    model,
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: question}},
	})
	if err != nil {
		return err
	}
	if len(resp.Choices) == 0 {
		return fmt.Errorf("no choices in the response")
	}
	fmt.Fprintf(out, "Full call answered: %s\n", resp.Choices[0].Message.Content)
	calls.WriteTo(out)

	fmt.Fprint(out, "Streamed call: ")
	stream, err := client.CreateChatCompletionStream(ctx, openai.ChatCompletionRequest{
		Model:    model,
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: question + " Answer in one sentence."}},
		// Without include_usage a stream reports no tokens, and the
		// call is counted as a request without usage.
		StreamOptions: &openai.StreamOptions{IncludeUsage: true},
	})
	if err != nil {
		return err
	}
	defer stream.Close()
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if len(chunk.Choices) > 0 {
			fmt.Fprint(out, chunk.Choices[0].Delta.Content)
		}
	}
	fmt.Fprintln(out)
	// go-openai stops reading at the "[DONE]" line, which may come before
	// the body's end: closing the stream ends the call for certain.
	stream.Close()
	calls.WriteTo(out)

	fmt.Fprintf(out, "\nUsage seen by the tracker:\n%s\n\n", tracker)
	return nil
}

func serviceName() string {
	if s := os.Getenv("OTEL_SERVICE_NAME"); s != "" {
		return s
	}
	return "otelllm-example-go-openai"
}
