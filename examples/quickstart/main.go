// Quickstart makes one full and one streamed Chat Completions call through a
// client wrapped by otelllm, and prints what it observed: a line per call, the
// tracker's totals, and the spans and metrics it recorded.
//
// With no configuration it runs offline against fakellm, an embedded fake
// OpenAI-compatible server, and prints a summary of the spans and metrics, a
// line each, where the console exporters would print JSON; -raw prints that
// JSON instead. Set OPENAI_API_KEY to call the real OpenAI API instead
// (OPENAI_MODEL picks the model, gpt-4o-mini by default), and the standard
// OTEL_* variables to send the telemetry elsewhere, for example
// OTEL_EXPORTER_OTLP_ENDPOINT. A signal the environment configures (an
// endpoint, or OTEL_TRACES_EXPORTER / OTEL_METRICS_EXPORTER, console
// included) goes where it says and is not summarised.
//
// Usage:
//
//	go run ./examples/quickstart [-raw]
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

func main() {
	if err := run(context.Background(), os.Stdout, os.Args[1:]); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer, args []string) error {
	flags := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	raw := flags.Bool("raw", false, "print the console exporters' JSON instead of a summary of the telemetry")
	if err := flags.Parse(args); err != nil {
		return err
	}
	telemetry, summaryOpts := newSummary(*raw)
	opts := append([]exporters.Option{exporters.WithServiceName(serviceName())}, summaryOpts...)
	_, shutdown, err := exporters.Setup(ctx, opts...)
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

	baseURL, apiKey, model := "", os.Getenv("OPENAI_API_KEY"), os.Getenv("OPENAI_MODEL")
	if model == "" {
		model = "gpt-4o-mini"
	}
	if apiKey != "" {
		baseURL = "https://api.openai.com/v1"
		fmt.Fprintln(out, "Calling the OpenAI API ("+model+").")
	} else {
		fake := fakellm.NewServer(fakellm.Options{ChunkDelay: 2 * time.Millisecond})
		defer fake.Close()
		baseURL, apiKey = fake.OpenAIBaseURL(), "sk-fake"
		fmt.Fprintln(out, "No OPENAI_API_KEY: calling the embedded fake OpenAI server at "+baseURL+".")
	}

	// The one line that matters: wrap the client the application already has.
	// CallLogger writes a line per call. A stream's line comes as its body
	// ends, which can be while the application is still printing it: log
	// to a buffer, print it after.
	var calls bytes.Buffer
	client := otelllm.WrapClient(http.DefaultClient, otelllm.WithCallback(otelllm.CallLogger(&calls)))

	ctx, tracker := otelllm.Track(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	question := "How much does a ruby-throated hummingbird weigh?"
	answer, err := chat(ctx, client, baseURL, apiKey, map[string]any{
		"model":    model,
		"messages": []any{map[string]any{"role": "user", "content": question}},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Full call answered: %s\n", answer)
	calls.WriteTo(out)

	fmt.Fprint(out, "Streamed call: ")
	err = stream(ctx, client, baseURL, apiKey, out, map[string]any{
		"model":          model,
		"messages":       []any{map[string]any{"role": "user", "content": question + " Answer in one sentence."}},
		"stream":         true,
		"stream_options": map[string]any{"include_usage": true},
	})
	if err != nil {
		return err
	}
	calls.WriteTo(out)

	fmt.Fprintf(out, "\nUsage seen by the tracker:\n%s\n\n", tracker)
	return telemetry.print(ctx, out)
}

func serviceName() string {
	if s := os.Getenv("OTEL_SERVICE_NAME"); s != "" {
		return s
	}
	return "otelllm-quickstart"
}

func newRequest(ctx context.Context, baseURL, apiKey string, body any) (*http.Request, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/chat/completions", bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+apiKey)
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}

func chat(ctx context.Context, client *http.Client, baseURL, apiKey string, body any) (string, error) {
	req, err := newRequest(ctx, baseURL, apiKey, body)
	if err != nil {
		return "", err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Choices []struct {
			Message struct {
				Content string `json:"content"`
			} `json:"message"`
		} `json:"choices"`
		Error *struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return "", fmt.Errorf("decoding the response: %w", err)
	}
	if out.Error != nil {
		return "", fmt.Errorf("API error (HTTP %d): %s", resp.StatusCode, out.Error.Message)
	}
	if len(out.Choices) == 0 {
		return "", fmt.Errorf("no choices in the response")
	}
	return out.Choices[0].Message.Content, nil
}

func stream(ctx context.Context, client *http.Client, baseURL, apiKey string, w io.Writer, body any) error {
	req, err := newRequest(ctx, baseURL, apiKey, body)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("API error (HTTP %d): %s", resp.StatusCode, b)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		if data == "[DONE]" {
			fmt.Fprintln(w)
			continue
		}
		var chunk struct {
			Choices []struct {
				Delta struct {
					Content string `json:"content"`
				} `json:"delta"`
			} `json:"choices"`
		}
		if json.Unmarshal([]byte(data), &chunk) == nil && len(chunk.Choices) > 0 {
			fmt.Fprint(w, chunk.Choices[0].Delta.Content)
		}
	}
	return sc.Err()
}
