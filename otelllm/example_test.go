package otelllm_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/pricing"
)

// Wrap the client an application already has; give it to any SDK.
func ExampleWrapClient() {
	fake := fakellm.NewServer() // stands in for api.openai.com
	defer fake.Close()

	client := otelllm.WrapClient(http.DefaultClient) // a copy; the original is untouched
	resp, err := client.Post(fake.OpenAIBaseURL()+"/chat/completions", "application/json",
		strings.NewReader(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`))
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	fmt.Println(resp.StatusCode)
	// Output: 200
}

// Count tokens and cost across any number of calls, like LangChain's
// get_openai_callback().
func ExampleTrack() {
	fake := fakellm.NewServer()
	defer fake.Close()
	client := otelllm.WrapClient(nil)

	ctx, tracker := otelllm.Track(context.Background())
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fake.OpenAIBaseURL()+"/chat/completions",
			strings.NewReader(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How much does a hummingbird weigh?"}]}`))
		resp, err := client.Do(req)
		if err != nil {
			panic(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close() // the call is counted when its body ends
	}
	fmt.Println(tracker)
	// Output:
	// Tokens Used: 48
	// 	Prompt Tokens: 26
	// 		Prompt Tokens Cached: 0
	// 	Completion Tokens: 22
	// 		Reasoning Tokens: 0
	// Successful Requests: 2
	// Total Cost (USD): $0.0000171
}

// Hand each finished call to the application, and price a model the
// embedded table does not know.
func ExampleWithCallback() {
	fake := fakellm.NewServer()
	defer fake.Close()
	client := otelllm.WrapClient(nil,
		otelllm.WithModelPrice("my-finetune", pricing.Price{Input: 1e-6, Output: 2e-6}),
		otelllm.WithCallback(func(_ context.Context, r otelllm.CallRecord) {
			fmt.Printf("%s %s: %d in, %d out, $%.6f\n", r.Provider, r.RequestModel, r.Usage.InputTokens, r.Usage.OutputTokens, r.CostUSD)
		}))
	resp, err := client.Post(fake.OpenAIBaseURL()+"/chat/completions", "application/json",
		strings.NewReader(`{"model":"my-finetune","messages":[{"role":"user","content":"Hi"}]}`))
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	// Output: openai my-finetune: 5 in, 11 out, $0.000027
}

// CallLogger prints a line per call; the callback option hands it every
// finished call.
func ExampleCallLogger() {
	fake := fakellm.NewServer(fakellm.Options{})
	defer fake.Close()
	var calls strings.Builder
	client := otelllm.WrapClient(http.DefaultClient, otelllm.WithCallback(otelllm.CallLogger(&calls)))

	resp, err := client.Post(fake.OpenAIBaseURL()+"/chat/completions", "application/json",
		strings.NewReader(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`))
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	line := calls.String()
	fmt.Println(line[:strings.LastIndex(line, ",")]) // the duration varies
	// Output: [otelllm] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 5 input + 11 output tokens, $0.00000735
}
