package anthropic_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/otelllm/otelllm/providers/anthropic"
)

// The transport's view of one call: Match on the request, Request on its
// body, then Observe on the response and Write for each read of its body.
func Example() {
	p := anthropic.New()

	req, _ := http.NewRequest(http.MethodPost, "https://api.anthropic.com/v1/messages",
		strings.NewReader(`{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true}`))
	req.Header.Set("anthropic-version", "2023-06-01")
	call := p.Match(req)
	r := call.Request([]byte(`{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true}`))
	fmt.Println(r.Provider, r.Operation, r.Model, *r.MaxTokens, r.Stream)

	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/event-stream"}}}
	obs := call.Observe(resp)
	obs.Write([]byte("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-5-20250929\"," +
		"\"usage\":{\"input_tokens\":10,\"cache_read_input_tokens\":2000,\"output_tokens\":1}}}\n\n"))
	obs.Write([]byte("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":25}}\n\n"))
	obs.Write([]byte("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
	res := obs.Finish(true)
	fmt.Println(res.ID, res.Model, res.FinishReasons)
	fmt.Println("input", res.Usage.InputTokens, "cache read", res.Usage.CacheReadInputTokens, "output", res.Usage.OutputTokens)
	// Output:
	// anthropic chat claude-sonnet-4-5 1024 true
	// msg_1 claude-sonnet-4-5-20250929 [end_turn]
	// input 2010 cache read 2000 output 25
}
