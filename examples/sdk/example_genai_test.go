package sdk_test

import (
	"context"
	"fmt"
	"net/http"

	"google.golang.org/genai"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// google.golang.org/genai (the Gemini API and Vertex AI) takes the client in
// its ClientConfig.
func Example_genai() {
	fake := fakellm.NewServer() // stands in for generativelanguage.googleapis.com
	defer fake.Close()
	ctx, tracker := otelllm.Track(context.Background())

	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		HTTPClient: otelllm.WrapClient(http.DefaultClient), // the one line
		Backend:    genai.BackendGeminiAPI, APIKey: "fake-gemini-key",
		HTTPOptions: genai.HTTPOptions{BaseURL: fake.GeminiBaseURL() + "/"},
	})
	if err != nil {
		panic(err)
	}
	resp, err := client.Models.GenerateContent(ctx, "gemini-2.5-flash", genai.Text("How much does a hummingbird weigh?"), nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Text())
	u := tracker.Usage()
	fmt.Printf("%d call: %d input + %d output tokens, $%.8f\n", u.Requests, u.InputTokens, u.OutputTokens, u.CostUSD)
	// Output:
	// The ruby-throated hummingbird weighs about 3 grams, less than a nickel.
	// 1 call: 13 input + 11 output tokens, $0.00003140
}
