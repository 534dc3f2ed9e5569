package cohere

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// benchV2Stream is a v2 chat stream of n content-delta events, in the shape
// of the recorded one (v2_chat_stream_sdk_wiremock.sse): message-start,
// content-start, the deltas, content-end, message-end with the usage.
func benchV2Stream(n int) []byte {
	var b strings.Builder
	b.WriteString("event: message-start\ndata: {\"id\":\"29f14a5a-11de-4cae-9800-25e4747408ea\",\"type\":\"message-start\",\"delta\":{\"message\":{\"role\":\"assistant\",\"content\":[],\"tool_plan\":\"\",\"tool_calls\":[],\"citations\":[]}}}\n\n")
	b.WriteString("event: content-start\ndata: {\"type\":\"content-start\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"type\":\"text\",\"text\":\"\"}}}}\n\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "event: content-delta\ndata: {\"type\":\"content-delta\",\"index\":0,\"delta\":{\"message\":{\"content\":{\"text\":\" word%d\"}}}}\n\n", i)
	}
	b.WriteString("event: content-end\ndata: {\"type\":\"content-end\",\"index\":0}\n\n")
	fmt.Fprintf(&b, "event: message-end\ndata: {\"type\":\"message-end\",\"delta\":{\"finish_reason\":\"COMPLETE\",\"usage\":{\"billed_units\":{\"input_tokens\":7,\"output_tokens\":%d},\"tokens\":{\"input_tokens\":69,\"output_tokens\":%d}}}}\n\n", n, n+1)
	return []byte(b.String())
}

// benchV1Stream is a v1 chat stream (one JSON event a line) of n
// text-generation events.
func benchV1Stream(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"is_finished":false,"event_type":"stream-start","generation_id":"6c5a1b2e-7d3f-4e8a-9b0c-1d2e3f4a5b6c"}` + "\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "{\"is_finished\":false,\"event_type\":\"text-generation\",\"text\":\" word%d\"}\n", i)
	}
	b.WriteString(`{"is_finished":true,"event_type":"stream-end","response":{"response_id":"a1b2c3d4-e5f6-4789-8abc-def012345678","text":"...","generation_id":"6c5a1b2e-7d3f-4e8a-9b0c-1d2e3f4a5b6c","chat_history":[],"finish_reason":"COMPLETE","meta":{"api_version":{"version":"1"},"billed_units":{"input_tokens":4,"output_tokens":300},"tokens":{"input_tokens":70,"output_tokens":300}}},"finish_reason":"COMPLETE"}` + "\n")
	return []byte(b.String())
}

// BenchmarkObserveV2Stream is the observation of one content-delta event,
// framing included, read by read in 4 KiB reads (ns/op is per event).
func BenchmarkObserveV2Stream(b *testing.B) {
	e := testkit.Exchange{URL: chatURL, Body: []byte(`{"model":"command-a-03-2025","stream":true,"messages":[{"role":"user","content":"hi"}]}`),
		ResponseHeader: http.Header{"Content-Type": {"text/event-stream"}}, ResponseBody: benchV2Stream(300)}
	testkit.BenchObserve(b, New(), e, 4096, 301)
}

// BenchmarkObserveV1Stream is BenchmarkObserveV2Stream for a v1 stream.
func BenchmarkObserveV1Stream(b *testing.B) {
	e := testkit.Exchange{URL: "https://api.cohere.com/v1/chat", Body: []byte(`{"model":"command-r","message":"hi","stream":true}`),
		ResponseHeader: http.Header{"Content-Type": {"application/stream+json"}}, ResponseBody: benchV1Stream(300)}
	testkit.BenchObserve(b, New(), e, 4096, 301)
}

// BenchmarkObserveV2StreamCapture is BenchmarkObserveV2Stream with content
// capture on: every delta's text is read into the answer.
func BenchmarkObserveV2StreamCapture(b *testing.B) {
	e := testkit.Exchange{URL: chatURL, Body: []byte(`{"model":"command-a-03-2025","stream":true,"messages":[{"role":"user","content":"hi"}]}`),
		ResponseHeader: http.Header{"Content-Type": {"text/event-stream"}}, ResponseBody: benchV2Stream(300)}
	testkit.BenchObserve(b, New(), e.WithCapture(1<<20), 4096, 301)
}
