package sdk_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/cloudwego/eino-ext/components/model/openai"
	"github.com/cloudwego/eino/schema"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// CloudWeGo Eino: every eino-ext model component takes the client in its
// config (the HTTPClient field of openai.ChatModelConfig, claude.Config,
// ark.ChatModelConfig; the Gemini component's genai.ClientConfig).
func Example_eino() {
	fake := fakellm.NewServer() // stands in for api.openai.com
	defer fake.Close()
	ctx, tracker := otelllm.Track(context.Background())

	model, err := openai.NewChatModel(ctx, &openai.ChatModelConfig{
		HTTPClient: otelllm.WrapClient(http.DefaultClient), // the one line
		BaseURL:    fake.OpenAIBaseURL(), APIKey: "sk-fake", Model: "gpt-4o-mini",
	})
	if err != nil {
		panic(err)
	}
	msg, err := model.Generate(ctx, []*schema.Message{schema.UserMessage("How much does a hummingbird weigh?")})
	if err != nil {
		panic(err)
	}
	fmt.Println(msg.Content)
	u := tracker.Usage()
	fmt.Printf("%d call: %d input + %d output tokens, $%.8f\n", u.Requests, u.InputTokens, u.OutputTokens, u.CostUSD)
	// Output:
	// The ruby-throated hummingbird weighs about 3 grams, less than a nickel.
	// 1 call: 13 input + 11 output tokens, $0.00000855
}
