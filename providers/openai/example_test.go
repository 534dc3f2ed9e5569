package openai_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/otelllm/otelllm/providers/openai"
)

// The transport's view of one streamed chat completion: recognise the
// request, read its parameters, show the observer the body as the
// application reads it, and collect the result at EOF.
func Example() {
	body := `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}`
	req, _ := http.NewRequest(http.MethodPost, "https://api.openai.com/v1/chat/completions", strings.NewReader(body))

	call := openai.New().Match(req)
	if call == nil {
		return // not an OpenAI-family call
	}
	facts := call.Request([]byte(body))
	fmt.Println(facts.Provider, facts.Operation, facts.Model, facts.Stream)

	stream := "data: {\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}],\"usage\":null}\n\n" +
		"data: {\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n" +
		"data: {\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11,\"prompt_tokens_details\":{\"cached_tokens\":0}}}\n\n" +
		"data: [DONE]\n\n"
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/event-stream"}},
		Body: io.NopCloser(bytes.NewReader(nil))}
	obs := call.Observe(resp)
	for r := strings.NewReader(stream); ; {
		buf := make([]byte, 64) // the application's reads, at arbitrary sizes
		n, err := r.Read(buf)
		obs.Write(buf[:n])
		if err != nil {
			break
		}
	}
	result := obs.Finish(true)
	fmt.Println(result.ID, result.Model, result.FinishReasons, obs.Chunks())
	fmt.Println(result.Usage.InputTokens, result.Usage.OutputTokens, result.Usage.CacheReadInputTokens, result.Usage.Source)
	// Output:
	// openai chat gpt-4o-mini true
	// chatcmpl-1 gpt-4o-mini-2024-07-18 [stop] 3
	// 9 2 0 stream
}
