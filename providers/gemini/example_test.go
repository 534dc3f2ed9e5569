package gemini_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/otelllm/otelllm/providers/gemini"
)

// A streamed Gemini API call, as the transport drives it: Match on the
// request, Request with its body, Observe with the response, every byte the
// application reads, then Finish.
func Example() {
	p := gemini.New()
	req := httptest.NewRequest(http.MethodPost,
		"https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
		nil)
	call := p.Match(req)
	r := call.Request([]byte(`{"contents":[{"parts":[{"text":"Hi"}]}],"generationConfig":{"maxOutputTokens":256}}`))
	fmt.Println(r.Provider, r.Operation, r.Model, r.Stream, *r.MaxTokens)

	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/event-stream"}}}
	obs := call.Observe(resp)
	body := "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello\"}]}}],\"usageMetadata\":{\"promptTokenCount\":3,\"totalTokenCount\":3},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n" +
		"data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"!\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2,\"thoughtsTokenCount\":10,\"totalTokenCount\":15},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"r1\"}\r\n\r\n"
	for _, part := range strings.SplitAfter(body, "\n") {
		obs.Write([]byte(part))
	}
	out := obs.Finish(true)
	fmt.Println(out.ID, out.Model, out.FinishReasons, out.Streamed)
	fmt.Println(out.Usage.InputTokens, out.Usage.OutputTokens, out.Usage.ReasoningTokens, out.Usage.TotalTokens)
	// Output:
	// gcp.gemini generate_content gemini-2.5-flash true 256
	// r1 gemini-2.5-flash [STOP] true
	// 3 12 10 15
}
