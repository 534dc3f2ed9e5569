package sdk_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// aws-sdk-go-v2's bedrockruntime takes the client in its options. The
// request is signed as it is sent; otelllm reads it without changing a
// byte, so the signature still verifies.
func Example_bedrock() {
	fake := fakellm.NewServer() // stands in for bedrock-runtime.us-east-1.amazonaws.com
	defer fake.Close()
	ctx, tracker := otelllm.Track(context.Background())

	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKIDFAKE", "fake-secret", "")}
	client := bedrockruntime.NewFromConfig(cfg, func(o *bedrockruntime.Options) {
		o.HTTPClient = otelllm.WrapClient(http.DefaultClient) // the one line
		o.BaseEndpoint = aws.String(fake.BedrockEndpoint())
	})
	out, err := client.Converse(ctx, &bedrockruntime.ConverseInput{
		ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"),
		Messages: []types.Message{{Role: types.ConversationRoleUser,
			Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "How much does a hummingbird weigh?"}}}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value)
	u := tracker.Usage()
	fmt.Printf("%d call: %d input + %d output tokens, $%.8f\n", u.Requests, u.InputTokens, u.OutputTokens, u.CostUSD)
	// Output:
	// The ruby-throated hummingbird weighs about 3 grams, less than a nickel.
	// 1 call: 13 input + 11 output tokens, $0.00001700
}
