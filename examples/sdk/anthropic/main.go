// Anthropic makes a streamed Messages call with the official Anthropic Go SDK
// (github.com/anthropics/anthropic-sdk-go/v2), its HTTP client wrapped by
// otelllm, and prints a line per observed call and the totals.
//
// With no configuration it runs offline against fakellm, an embedded fake of
// the Messages API, and prints spans and metrics to the console. Set
// ANTHROPIC_API_KEY to call the real Anthropic API instead (ANTHROPIC_MODEL
// picks the model, claude-haiku-4-5 by default), and the standard OTEL_*
// variables to send the telemetry elsewhere, for example
// OTEL_EXPORTER_OTLP_ENDPOINT.
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

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

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
	opts := []option.RequestOption{
		option.WithHTTPClient(httpClient),
		// This SDK emits a GenAI span of its own for each call, token
		// usage included, through the global TracerProvider. Both can
		// stay on: otelllm's span, its child, then leaves gen_ai.usage.*
		// to the SDK's span (otelllm.usage.recorded_by says so), so a
		// backend that sums usage over spans counts each token once.
		// This example keeps only otelllm's span, which also carries the
		// cost and says where each count came from.
		option.WithoutOpenTelemetry(),
	}

	model := os.Getenv("ANTHROPIC_MODEL")
	if model == "" {
		model = string(anthropic.ModelClaudeHaiku4_5)
	}
	if os.Getenv("ANTHROPIC_API_KEY") != "" {
		fmt.Fprintln(out, "Calling the Anthropic API ("+model+").")
	} else {
		fake := fakellm.NewServer(fakellm.Options{ChunkDelay: 2 * time.Millisecond})
		defer fake.Close()
		opts = append(opts, option.WithBaseURL(fake.URL), option.WithAPIKey("sk-ant-fake"))
		fmt.Fprintln(out, "No ANTHROPIC_API_KEY: calling the embedded fake Anthropic server at "+fake.URL+".")
	}
	client := anthropic.NewClient(opts...)

	ctx, tracker := otelllm.Track(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	question := "How much does a ruby-throated hummingbird weigh? Answer in one sentence."
	stream := client.Messages.NewStreaming(ctx, anthropic.MessageNewParams{
		Model:     anthropic.Model(model),
		MaxTokens: 256,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock(question))},
	})
	fmt.Fprint(out, "Streamed call: ")
	var message anthropic.Message
	for stream.Next() {
		event := stream.Current()
		if err := message.Accumulate(event); err != nil {
			stream.Close()
			return err
		}
		if delta, ok := event.AsAny().(anthropic.ContentBlockDeltaEvent); ok {
			if text, ok := delta.Delta.AsAny().(anthropic.TextDelta); ok {
				fmt.Fprint(out, text.Text)
			}
		}
	}
	fmt.Fprintln(out)
	if err := stream.Err(); err != nil {
		stream.Close()
		return err
	}
	if err := stream.Close(); err != nil {
		return err
	}
	calls.WriteTo(out)
	fmt.Fprintf(out, "The SDK's own count: %d input + %d output tokens.\n", message.Usage.InputTokens, message.Usage.OutputTokens)

	fmt.Fprintf(out, "\nUsage seen by the tracker:\n%s\n\n", tracker)
	return nil
}

func serviceName() string {
	if s := os.Getenv("OTEL_SERVICE_NAME"); s != "" {
		return s
	}
	return "otelllm-example-anthropic"
}
