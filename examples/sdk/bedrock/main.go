// Bedrock makes a Converse and a ConverseStream call with the AWS SDK for Go
// v2 (service/bedrockruntime), its HTTP client wrapped by otelllm, and prints
// a line per observed call and the totals.
//
// With no configuration it runs offline against fakellm, which answers
// Bedrock calls with payloads recorded from Amazon Titan Text Express, and
// prints spans and metrics to the console. When AWS credentials are
// configured (AWS_ACCESS_KEY_ID or AWS_PROFILE is set) it calls Amazon Bedrock
// instead, in the configured region (us-east-1 if none), with the model or
// inference profile in BEDROCK_MODEL_ID
// (us.anthropic.claude-3-5-haiku-20241022-v1:0 by default). The standard
// OTEL_* variables send the telemetry elsewhere, for example
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
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// defaultModelID is the cross-region inference profile called when
// BEDROCK_MODEL_ID is not set.
const defaultModelID = "us.anthropic.claude-3-5-haiku-20241022-v1:0"

// fakeModelID is the model the offline run asks for: the one fakellm's
// Bedrock recordings were made with, so that their cost is priced right.
const fakeModelID = "amazon.titan-text-express-v1"

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

	var (
		cfg     aws.Config
		modelID string
		fakeURL string
	)
	if os.Getenv("AWS_ACCESS_KEY_ID") != "" || os.Getenv("AWS_PROFILE") != "" {
		cfg, err = config.LoadDefaultConfig(ctx)
		if err != nil {
			return err
		}
		if cfg.Region == "" {
			cfg.Region = "us-east-1"
		}
		modelID = os.Getenv("BEDROCK_MODEL_ID")
		if modelID == "" {
			modelID = defaultModelID
		}
		fmt.Fprintf(out, "Calling Amazon Bedrock in %s (%s).\n", cfg.Region, modelID)
	} else {
		// Recorded: the fake answers with the payloads recorded from
		// Titan Text Express rather than generating answers.
		fake := fakellm.NewServer(fakellm.Options{ChunkDelay: 2 * time.Millisecond, Recorded: true})
		defer fake.Close()
		fakeURL, modelID = fake.BedrockEndpoint(), fakeModelID
		cfg = aws.Config{
			Region:      "us-east-1",
			Credentials: credentials.NewStaticCredentialsProvider("AKIDFAKEFAKEFAKEFAKE", "fake-secret", ""),
		}
		fmt.Fprintln(out, "No AWS credentials: calling the embedded fake Bedrock server at "+fake.BedrockEndpoint()+".")
	}
	client := bedrockruntime.NewFromConfig(cfg, func(o *bedrockruntime.Options) {
		o.HTTPClient = httpClient
		if fakeURL != "" {
			o.BaseEndpoint = aws.String(fakeURL)
		}
	})

	ctx, tracker := otelllm.Track(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	question := "How much does a ruby-throated hummingbird weigh?"
	converse, err := client.Converse(ctx, &bedrockruntime.ConverseInput{
		ModelId:         aws.String(modelID),
		Messages:        []types.Message{userMessage(question)},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(256)},
	})
	if err != nil {
		return err
	}
	var answer strings.Builder
	if msg, ok := converse.Output.(*types.ConverseOutputMemberMessage); ok {
		for _, block := range msg.Value.Content {
			if text, ok := block.(*types.ContentBlockMemberText); ok {
				answer.WriteString(text.Value)
			}
		}
	}
	fmt.Fprintf(out, "Converse answered: %s\n", answer.String())
	calls.WriteTo(out)

	streamed, err := client.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{
		ModelId:         aws.String(modelID),
		Messages:        []types.Message{userMessage(question + " Answer in one sentence.")},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(256)},
	})
	if err != nil {
		return err
	}
	// The SDK decodes the event stream on a goroutine of its own: that is
	// the goroutine the callback runs on. Its line is written before
	// the events channel closes, as the goroutine reads the body's end.
	stream := streamed.GetStream()
	fmt.Fprint(out, "ConverseStream: ")
	for event := range stream.Events() {
		if delta, ok := event.(*types.ConverseStreamOutputMemberContentBlockDelta); ok {
			if text, ok := delta.Value.Delta.(*types.ContentBlockDeltaMemberText); ok {
				fmt.Fprint(out, text.Value)
			}
		}
	}
	fmt.Fprintln(out)
	if err := stream.Close(); err != nil {
		return err
	}
	calls.WriteTo(out)

	fmt.Fprintf(out, "\nUsage seen by the tracker:\n%s\n\n", tracker)
	return nil
}

func userMessage(text string) types.Message {
	return types.Message{
		Role:    types.ConversationRoleUser,
		Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: text}},
	}
}

func serviceName() string {
	if s := os.Getenv("OTEL_SERVICE_NAME"); s != "" {
		return s
	}
	return "otelllm-example-bedrock"
}
