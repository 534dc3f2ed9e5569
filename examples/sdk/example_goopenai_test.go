package sdk_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/sashabaranov/go-openai"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// go-openai (github.com/sashabaranov/go-openai) takes the client in its
// ClientConfig.
func Example_goOpenAI() {
	fake := fakellm.NewServer() // stands in for api.openai.com
	defer fake.Close()
	ctx, tracker := otelllm.Track(context.Background())

	config := openai.DefaultConfig("sk-fake")
	config.HTTPClient = otelllm.WrapClient(http.DefaultClient) // the one line
	config.BaseURL = fake.OpenAIBaseURL()
	client := openai.NewClientWithConfig(config)
	resp, err := client.CreateChatCompletion(ctx, openai.ChatCompletionRequest{
		Model:    openai.GPT4oMini,
		Messages: []openai.ChatCompletionMessage{{Role: openai.ChatMessageRoleUser, Content: "How much does a hummingbird weigh?"}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Choices[0].Message.Content)
	u := tracker.Usage()
	fmt.Printf("%d call: %d input + %d output tokens, $%.8f\n", u.Requests, u.InputTokens, u.OutputTokens, u.CostUSD)
	// Output:
	// The ruby-throated hummingbird weighs about 3 grams, less than a nickel.
	// 1 call: 13 input + 11 output tokens, $0.00000855
}
