package anthropic_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/otelllm/otelllm/providers/anthropic"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// benchMessagesStream is a Messages stream of n text deltas between the
// events every stream has: message_start, content_block_start, a ping,
// content_block_stop, message_delta and message_stop.
func benchMessagesStream(n int) []byte {
	var b strings.Builder
	b.WriteString("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_01Bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1,\"service_tier\":\"standard\"}}}\n\n")
	b.WriteString("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n")
	b.WriteString("event: ping\ndata: {\"type\": \"ping\"}\n\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"word%d \"}}\n\n", i)
	}
	b.WriteString("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n")
	fmt.Fprintf(&b, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":%d}}\n\n", n)
	b.WriteString("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
	return []byte(b.String())
}

// BenchmarkObserveAnthropicStream is the observation of one streamed
// event, on its own: framing and reading it, in 4 KiB reads (ns/op is per
// event; the body holds 306).
func BenchmarkObserveAnthropicStream(b *testing.B) {
	e := testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: []byte(`{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true}`),
		ResponseHeader: sseHeader, ResponseBody: benchMessagesStream(300)}
	testkit.BenchObserve(b, anthropic.New(), e, 4096, 306)
}

// BenchmarkObserveAnthropicStreamCapture is BenchmarkObserveAnthropicStream
// with content capture on: every delta's text is read and kept.
func BenchmarkObserveAnthropicStreamCapture(b *testing.B) {
	e := testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: []byte(`{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Hi"}]}`),
		ResponseHeader: sseHeader, ResponseBody: benchMessagesStream(300), Capture: 64 << 10}
	testkit.BenchObserve(b, anthropic.New(), e, 4096, 306)
}
