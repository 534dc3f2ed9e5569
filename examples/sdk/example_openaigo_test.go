package sdk_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// openai-go (github.com/openai/openai-go/v3) takes the client as an option.
func Example_openaiGo() {
	fake := fakellm.NewServer() // stands in for api.openai.com
	defer fake.Close()
	ctx, tracker := otelllm.Track(context.Background())

	client := openai.NewClient(
		option.WithHTTPClient(otelllm.WrapClient(http.DefaultClient)), // the one line
		option.WithBaseURL(fake.OpenAIBaseURL()), option.WithAPIKey("sk-fake"),
	)
	completion, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
		Model:    openai.ChatModelGPT4oMini,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("How much does a hummingbird weigh?")},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(completion.Choices[0].Message.Content)
	u := tracker.Usage()
	fmt.Printf("%d call: %d input + %d output tokens, $%.8f\n", u.Requests, u.InputTokens, u.OutputTokens, u.CostUSD)
	// Output:
	// The ruby-throated hummingbird weighs about 3 grams, less than a nickel.
	// 1 call: 13 input + 11 output tokens, $0.00000855
}
