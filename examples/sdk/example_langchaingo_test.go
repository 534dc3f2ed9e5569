package sdk_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/tmc/langchaingo/llms"
	"github.com/tmc/langchaingo/llms/openai"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// LangChain Go (github.com/tmc/langchaingo) takes the client as an option of
// each LLM; its OpenAI LLM is shown here.
func Example_langchaingo() {
	fake := fakellm.NewServer() // stands in for api.openai.com
	defer fake.Close()
	ctx, tracker := otelllm.Track(context.Background())

	llm, err := openai.New(
		openai.WithHTTPClient(otelllm.WrapClient(http.DefaultClient)), // the one line
		openai.WithBaseURL(fake.OpenAIBaseURL()), openai.WithToken("sk-fake"), openai.WithModel("gpt-4o-mini"),
	)
	if err != nil {
		panic(err)
	}
	answer, err := llms.GenerateFromSinglePrompt(ctx, llm, "How much does a hummingbird weigh?")
	if err != nil {
		panic(err)
	}
	fmt.Println(answer)
	u := tracker.Usage()
	fmt.Printf("%d call: %d input + %d output tokens, $%.8f\n", u.Requests, u.InputTokens, u.OutputTokens, u.CostUSD)
	// Output:
	// The ruby-throated hummingbird weighs about 3 grams, less than a nickel.
	// 1 call: 13 input + 11 output tokens, $0.00000855
}
