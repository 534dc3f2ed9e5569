package bedrock_test

import (
	"fmt"
	"net/http"

	"github.com/otelllm/otelllm/providers/bedrock"
)

// An InvokeModel call of Claude 3 Haiku: the escaped model id comes from the
// path, the request id from the response headers, and the usage from the
// Anthropic body, normalised so that InputTokens includes the prompt cache.
func Example() {
	p := bedrock.New()
	req, _ := http.NewRequest(http.MethodPost,
		"https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke", nil)
	call := p.Match(req)
	r := call.Request([]byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[]}`))
	fmt.Println(r.Provider, r.Operation, r.Model, *r.MaxTokens)

	resp := &http.Response{StatusCode: 200, Header: http.Header{
		"Content-Type":                      {"application/json"},
		"X-Amzn-Requestid":                  {"173e5b06-61f1-4368-9926-0a3369f721eb"},
		"X-Amzn-Bedrock-Input-Token-Count":  {"25"},
		"X-Amzn-Bedrock-Output-Token-Count": {"50"},
	}}
	obs := call.Observe(resp)
	obs.Write([]byte(`{"id":"msg_bdrk_01","type":"message","model":"claude-3-haiku-20240307","stop_reason":"end_turn",` +
		`"usage":{"input_tokens":25,"cache_read_input_tokens":1200,"cache_creation_input_tokens":0,"output_tokens":50}}`))
	res := obs.Finish(true)
	fmt.Println(res.ID, res.Model, res.FinishReasons, res.Usage.Source)
	fmt.Println("request", res.RequestID)
	fmt.Println("input", res.Usage.InputTokens, "cache read", res.Usage.CacheReadInputTokens, "output", res.Usage.OutputTokens)
	// Output:
	// aws.bedrock chat anthropic.claude-3-haiku-20240307-v1:0 256
	// msg_bdrk_01 claude-3-haiku-20240307 [end_turn] response_body
	// request 173e5b06-61f1-4368-9926-0a3369f721eb
	// input 1225 cache read 1200 output 50
}
