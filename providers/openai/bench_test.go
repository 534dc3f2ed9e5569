package openai

import (
	"fmt"
	"strings"
	"testing"

	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// benchChatStream is a chat completions stream of n content chunks with its
// finish, usage and [DONE] events.
func benchChatStream(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word%d \"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n", i)
	}
	b.WriteString("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n")
	b.WriteString("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":300,\"total_tokens\":319}}\n\ndata: [DONE]\n\n")
	return []byte(b.String())
}

// BenchmarkObserveChatStream is the observation of one streamed chunk, on
// its own: framing and reading it, read by read in 4 KiB reads (ns/op is
// per chunk).
func BenchmarkObserveChatStream(b *testing.B) {
	body := benchChatStream(300)
	e := testkit.Exchange{URL: "https://api.openai.com/v1/chat/completions", Body: []byte(`{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true}}`),
		ResponseHeader: map[string][]string{"Content-Type": {"text/event-stream"}}, ResponseBody: body}
	testkit.BenchObserve(b, New(), e, 4096, 302)
}

// BenchmarkObserveChatStreamCapture is BenchmarkObserveChatStream with
// content capture on: every chunk's text is read and kept.
func BenchmarkObserveChatStreamCapture(b *testing.B) {
	body := benchChatStream(300)
	e := testkit.Exchange{URL: "https://api.openai.com/v1/chat/completions", Body: []byte(`{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}`),
		ResponseHeader: map[string][]string{"Content-Type": {"text/event-stream"}}, ResponseBody: body, Capture: 64 << 10}
	testkit.BenchObserve(b, New(), e, 4096, 302)
}
