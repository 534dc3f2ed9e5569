package otelllm_test

import (
	"context"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/pricing"
)

// A transport for a client built elsewhere, or under another transport
// (a proxy's, a retrying one): NewTransport wraps any http.RoundTripper.
func ExampleNewTransport() {
	fake := fakellm.NewServer()
	defer fake.Close()

	client := &http.Client{Transport: otelllm.NewTransport(http.DefaultTransport)}
	resp, err := client.Post(fake.OpenAIBaseURL()+"/chat/completions", "application/json",
		strings.NewReader(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
	// Output: 200 OK
}

// The totals by model, and each figure apart from the summary.
func ExampleTracker_Usage() {
	fake := fakellm.NewServer()
	defer fake.Close()
	client := otelllm.WrapClient(nil)

	ctx, tracker := otelllm.Track(context.Background())
	for _, model := range []string{"gpt-4o-mini", "gpt-4o-mini", "gpt-4o"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fake.OpenAIBaseURL()+"/chat/completions",
			strings.NewReader(`{"model":"`+model+`","messages":[{"role":"user","content":"Hi"}]}`))
		resp, err := client.Do(req)
		if err != nil {
			panic(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	u := tracker.Usage()
	fmt.Printf("%d calls, %d tokens, $%.8f\n", u.Requests, u.TotalTokens, u.CostUSD)
	for _, model := range slices.Sorted(maps.Keys(u.ByModel)) { // the response model, else the request's
		m := u.ByModel[model]
		fmt.Printf("%s: %d calls, %d in, %d out, $%.8f\n", model, m.Requests, m.InputTokens, m.OutputTokens, m.CostUSD)
	}
	// Output:
	// 3 calls, 48 tokens, $0.00013720
	// gpt-4o-2024-08-06: 1 calls, 5 in, 11 out, $0.00012250
	// gpt-4o-mini-2024-07-18: 2 calls, 10 in, 22 out, $0.00001470
}

// A model the embedded price table does not know (fine-tuned, self-hosted,
// just released), or a price of one's own for one it knows.
func ExampleWithModelPrice() {
	fake := fakellm.NewServer()
	defer fake.Close()
	client := otelllm.WrapClient(nil,
		otelllm.WithModelPrice("acme-llama-70b", pricing.Price{Input: 0.2e-6, Output: 0.6e-6}))

	ctx, tracker := otelllm.Track(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fake.OpenAIBaseURL()+"/chat/completions",
		strings.NewReader(`{"model":"acme-llama-70b","messages":[{"role":"user","content":"Hi"}]}`))
	resp, err := client.Do(req)
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	fmt.Printf("$%.7f\n", tracker.Usage().CostUSD)
	// Output: $0.0000076
}

// Prices of one's own, in LiteLLM's format (a copy of its full
// model_prices_and_context_window.json, or a hand-written file), laid over
// the embedded table. Setting OTELLLM_PRICES_FILE to the file's path does
// the same without code. A price applies to the model the response names
// first (gpt-4o-mini answers as gpt-4o-mini-2024-07-18), so the file
// prices the snapshot.
func ExampleWithPriceTable() {
	fake := fakellm.NewServer()
	defer fake.Close()
	ours, err := pricing.LoadFile("testdata/our-prices.json")
	if err != nil {
		panic(err)
	}
	client := otelllm.WrapClient(nil,
		otelllm.WithPriceTable(pricing.Default().Extend(ours)),
		otelllm.WithCallback(func(_ context.Context, r otelllm.CallRecord) {
			fmt.Printf("%s priced at %s: $%.8f\n", r.Model(), r.PriceKey, r.CostUSD)
		}))

	for _, model := range []string{"acme-llama-70b", "gpt-4o-mini", "gpt-4o"} {
		resp, err := client.Post(fake.OpenAIBaseURL()+"/chat/completions", "application/json",
			strings.NewReader(`{"model":"`+model+`","messages":[{"role":"user","content":"Hi"}]}`))
		if err != nil {
			panic(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	// Output:
	// acme-llama-70b priced at acme-llama-70b: $0.00000760
	// gpt-4o-mini-2024-07-18 priced at gpt-4o-mini-2024-07-18: $0.00000490
	// gpt-4o-2024-08-06 priced at gpt-4o-2024-08-06: $0.00012250
}

// Count the tokens of OpenAI streams whose request does not ask for them:
// without stream_options.include_usage a stream carries no usage at all,
// and many SDKs and frameworks send it so. Usage is asked for only from
// hosts known to accept the member (OpenAI, Azure OpenAI, Groq, DeepSeek,
// xAI, Ollama), so here the fake answers for api.openai.com.
func ExampleWithStreamUsage() {
	fake := fakellm.NewServer()
	defer fake.Close()
	toFake := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, fake.Listener.Addr().String())
	}}
	stream := func(client *http.Client) otelllm.Usage {
		ctx, tracker := otelllm.Track(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://api.openai.com/v1/chat/completions",
			strings.NewReader(`{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}`))
		resp, err := client.Do(req)
		if err != nil {
			panic(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body) // the bytes the application reads are the same either way
		_ = resp.Body.Close()
		return tracker.Usage()
	}

	without := stream(&http.Client{Transport: otelllm.NewTransport(toFake)})
	fmt.Println(without)
	with := stream(&http.Client{Transport: otelllm.NewTransport(toFake, otelllm.WithStreamUsage())})
	fmt.Println("with WithStreamUsage:", with.TotalTokens, "tokens")
	// Output:
	// Tokens Used: 0
	// 	Prompt Tokens: 0
	// 		Prompt Tokens Cached: 0
	// 	Completion Tokens: 0
	// 		Reasoning Tokens: 0
	// Successful Requests: 1
	// Requests Without Usage: 1 (streams sent without stream_options.include_usage: otelllm.WithStreamUsage asks for it)
	// Total Cost (USD): $0.00
	// with WithStreamUsage: 16 tokens
}
