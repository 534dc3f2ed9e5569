// Fleet is one replica of a service that runs as several processes at once.
// It makes two chat calls (one full, one streamed) through an http.Client
// wrapped by otelllm, prints the totals its tracker counted as one line, and
// then, like a long-running service, keeps its telemetry pipeline up until
// it is told to stop (SIGINT or SIGTERM), when it flushes and exits.
//
// It runs offline against fakellm, an embedded fake OpenAI-compatible
// server, and sends its telemetry wherever the standard OTEL_* variables
// say. scripts/fleet-roundtrip.sh runs two replicas at the same time through
// a real collector and checks that the sums over the collector's Prometheus
// series are exactly what the replicas printed, added up: which they are
// only because every process exports a service.instance.id of its own (see
// the exporters package).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

func main() {
	stop, cancel := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer cancel()
	if err := run(context.Background(), os.Stdout, stop.Done()); err != nil {
		log.Fatal(err)
	}
}

// run makes the calls, prints the totals line and the ready line, waits for
// stop, and shuts the telemetry down. opts are added to the exporters' setup
// (a test passes a metric reader of its own).
func run(ctx context.Context, out io.Writer, stop <-chan struct{}, opts ...exporters.Option) error {
	opts = append([]exporters.Option{exporters.WithServiceName(serviceName())}, opts...)
	providers, shutdown, err := exporters.Setup(ctx, opts...)
	if err != nil {
		return err
	}
	// The final export happens here, so it must outlive the calls' context.
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := shutdown(sctx); err != nil {
			log.Printf("telemetry shutdown: %v", err)
		}
	}()

	fake := fakellm.NewServer()
	defer fake.Close()
	client := otelllm.WrapClient(http.DefaultClient,
		otelllm.WithTracerProvider(providers.TracerProvider), otelllm.WithMeterProvider(providers.MeterProvider))

	callCtx, tracker := otelllm.Track(ctx)
	callCtx, cancel := context.WithTimeout(callCtx, time.Minute)
	defer cancel()
	question := "How much does a ruby-throated hummingbird weigh?"
	for _, body := range []map[string]any{
		{"model": "gpt-4o-mini", "messages": []any{map[string]any{"role": "user", "content": question}}},
		{
			"model":          "gpt-4o-mini",
			"messages":       []any{map[string]any{"role": "user", "content": question + " Answer in one sentence."}},
			"stream":         true,
			"stream_options": map[string]any{"include_usage": true},
		},
	} {
		if err := call(callCtx, client, fake.OpenAIBaseURL(), body); err != nil {
			return err
		}
	}

	fmt.Fprintln(out, totalsLine(tracker.Usage()))
	fmt.Fprintln(out, "ready: holding the telemetry pipeline open until SIGINT or SIGTERM")
	<-stop
	return nil
}

// totalsLine is what the round-trip script parses: key=value pairs named
// after the Prometheus series and labels they must add up to. The cost is
// printed exactly (shortest round-trip form), so that sums can be compared
// without a tolerance wider than float addition needs.
func totalsLine(u otelllm.Usage) string {
	return fmt.Sprintf("totals requests=%d input=%d output=%d cache_read=%d cache_creation=%d reasoning=%d cost_usd=%s",
		u.Requests, u.InputTokens, u.OutputTokens, u.CacheReadInputTokens, u.CacheCreationInputTokens,
		u.ReasoningTokens, strconv.FormatFloat(u.CostUSD, 'g', -1, 64))
}

// call posts one Chat Completions request and reads the response to its
// end, which is when otelllm records the call.
func call(ctx context.Context, client *http.Client, baseURL string, body map[string]any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/chat/completions", bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer sk-fake")
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fake server answered HTTP %d", resp.StatusCode)
	}
	return nil
}

func serviceName() string {
	if s := os.Getenv("OTEL_SERVICE_NAME"); s != "" {
		return s
	}
	return "otelllm-fleet"
}
