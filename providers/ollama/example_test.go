package ollama_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/otelllm/otelllm/providers/ollama"
)

// A chat call that omits "stream", and so streams NDJSON.
func Example() {
	p := ollama.New()
	call := p.Match(httptest.NewRequest(http.MethodPost, "http://localhost:11434/api/chat", nil))
	r := call.Request([]byte(`{"model":"llama3.2","messages":[{"role":"user","content":"Hi"}],"options":{"num_predict":64}}`))
	fmt.Println(r.Provider, r.Operation, r.Model, r.Stream, *r.MaxTokens)

	obs := call.Observe(&http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/x-ndjson"}}})
	obs.Write([]byte(`{"model":"llama3.2","message":{"role":"assistant","content":"Hello"},"done":false}` + "\n"))
	obs.Write([]byte(`{"model":"llama3.2","message":{"role":"assistant","content":""},"done":true,"done_reason":"stop","prompt_eval_count":26,"eval_count":2}` + "\n"))
	out := obs.Finish(true)
	fmt.Println(out.Model, out.FinishReasons, out.Usage.InputTokens, out.Usage.OutputTokens, out.Streamed)
	// Output:
	// ollama chat llama3.2 true 64
	// llama3.2 [stop] 26 2 true
}
