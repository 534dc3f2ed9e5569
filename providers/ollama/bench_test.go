package ollama

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// benchChatStream is an /api/chat stream of n content lines and the done
// line, in the shape of a recorded qwen3 stream: every line has its own
// created_at.
func benchChatStream(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "{\"model\":\"qwen3:8b\",\"created_at\":\"2026-08-07T06:08:%02d.%06dZ\",\"message\":{\"role\":\"assistant\",\"content\":\" word%d\"},\"done\":false}\n", 14+i/100, 947137+i*9500%50000, i)
	}
	fmt.Fprintf(&b, "{\"model\":\"qwen3:8b\",\"created_at\":\"2026-08-07T06:08:23.366709Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},\"done\":true,\"done_reason\":\"stop\",\"total_duration\":8625649709,\"load_duration\":142828459,\"prompt_eval_count\":21,\"prompt_eval_duration\":59321000,\"eval_count\":%d,\"eval_duration\":8419494000}\n", n)
	return []byte(b.String())
}

// BenchmarkObserveChatStream is the observation of one streamed line,
// framing included, read by read in 4 KiB reads (ns/op is per line).
func BenchmarkObserveChatStream(b *testing.B) {
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"qwen3:8b","messages":[{"role":"user","content":"count"}]}`),
		ResponseHeader: http.Header{"Content-Type": {"application/x-ndjson"}}, ResponseBody: benchChatStream(300)}
	testkit.BenchObserve(b, New(), e, 4096, 301)
}

// BenchmarkObserveChatStreamCapture is BenchmarkObserveChatStream with
// content capture on: every line's text is read into the answer.
func BenchmarkObserveChatStreamCapture(b *testing.B) {
	e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"qwen3:8b","messages":[{"role":"user","content":"count"}]}`),
		ResponseHeader: http.Header{"Content-Type": {"application/x-ndjson"}}, ResponseBody: benchChatStream(300)}
	testkit.BenchObserve(b, New(), e.WithCapture(1<<20), 4096, 301)
}
