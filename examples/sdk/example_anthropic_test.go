package sdk_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// anthropic-sdk-go (github.com/anthropics/anthropic-sdk-go/v2) takes the
// client as an option. The SDK traces its own calls too, through the
// global TracerProvider: otelllm's span is then its child and leaves the
// token counts to it (see otelllm.WithParentUsageDedup), or the SDK's
// tracing can be turned off with option.WithoutOpenTelemetry().
func Example_anthropic() {
	fake := fakellm.NewServer() // stands in for api.anthropic.com
	defer fake.Close()
	ctx, tracker := otelllm.Track(context.Background())

	client := anthropic.NewClient(
		option.WithHTTPClient(otelllm.WrapClient(http.DefaultClient)), // the one line
		option.WithBaseURL(fake.AnthropicBaseURL()), option.WithAPIKey("sk-ant-fake"),
	)
	message, err := client.Messages.New(ctx, anthropic.MessageNewParams{
		Model:     anthropic.ModelClaudeHaiku4_5,
		MaxTokens: 256,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("How much does a hummingbird weigh?"))},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(message.Content[0].Text)
	u := tracker.Usage()
	fmt.Printf("%d call: %d input + %d output tokens, $%.8f\n", u.Requests, u.InputTokens, u.OutputTokens, u.CostUSD)
	// Output:
	// The ruby-throated hummingbird weighs about 3 grams, less than a nickel.
	// 1 call: 20 input + 11 output tokens, $0.00007500
}
