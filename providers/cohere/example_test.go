package cohere_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/otelllm/otelllm/providers/cohere"
)

// A streamed v2 chat call, as the transport drives it.
func Example() {
	p := cohere.New()
	call := p.Match(httptest.NewRequest(http.MethodPost, "https://api.cohere.com/v2/chat", nil))
	r := call.Request([]byte(`{"model":"command-a-03-2025","stream":true,"p":0.75,"messages":[{"role":"user","content":"Hi"}]}`))
	fmt.Println(r.Provider, r.Operation, r.Model, r.Stream, *r.TopP)

	obs := call.Observe(&http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/event-stream"}}})
	obs.Write([]byte("event: message-start\ndata: {\"type\":\"message-start\",\"id\":\"29f14a5a\"}\n\n"))
	obs.Write([]byte("event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\"Hello\"}}}}\n\n"))
	obs.Write([]byte("event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"billed_units\":{\"input_tokens\":5,\"output_tokens\":1},\"tokens\":{\"input_tokens\":71,\"output_tokens\":1}}}}\n\n"))
	out := obs.Finish(true)
	fmt.Println(out.ID, out.FinishReasons, out.Usage.InputTokens, out.Usage.OutputTokens, obs.Chunks())
	// Output:
	// cohere chat command-a-03-2025 true 0.75
	// 29f14a5a [COMPLETE] 5 1 2
}
