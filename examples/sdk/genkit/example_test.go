package main

import (
	"context"
	"fmt"
	"net/http"

	"github.com/firebase/genkit/go/ai"
	"github.com/firebase/genkit/go/genkit"
	"github.com/firebase/genkit/go/plugins/compat_oai/openai"
	"github.com/openai/openai-go/option"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// Firebase Genkit: the OpenAI plugin (and compat_oai.OpenAICompatible for
// other OpenAI-compatible hosts) takes the client as an openai-go option.
// The Google AI plugin takes none: wrap http.DefaultTransport before
// genkit.Init instead (http.DefaultTransport =
// otelllm.NewTransport(http.DefaultTransport)), as this module's program
// does.
func Example_genkit() {
	fake := fakellm.NewServer() // stands in for api.openai.com
	defer fake.Close()
	ctx, tracker := otelllm.Track(context.Background())

	g := genkit.Init(ctx, genkit.WithPlugins(&openai.OpenAI{APIKey: "sk-fake", Opts: []option.RequestOption{
		option.WithHTTPClient(otelllm.WrapClient(http.DefaultClient)), // the one line
		option.WithBaseURL(fake.OpenAIBaseURL()),
	}}))
	answer, err := genkit.GenerateText(ctx, g, ai.WithModelName("openai/gpt-4o-mini"), ai.WithPrompt("How much does a hummingbird weigh?"))
	if err != nil {
		panic(err)
	}
	fmt.Println(answer)
	u := tracker.Usage()
	fmt.Printf("%d call: %d input + %d output tokens, $%.8f\n", u.Requests, u.InputTokens, u.OutputTokens, u.CostUSD)
	// Output:
	// The ruby-throated hummingbird weighs about 3 grams, less than a nickel.
	// 1 call: 20 input + 11 output tokens, $0.00000960
}
