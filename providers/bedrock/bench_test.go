package bedrock_test

import (
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/otelllm/otelllm/providers/bedrock"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// pad is the "p" member Bedrock adds to every event, of varying length, so
// that the size of a frame does not tell its content.
func pad(i int) string {
	return "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[:1+(i*7)%40]
}

// benchConverseStream is a ConverseStream of n text deltas.
func benchConverseStream(n int) []byte {
	b := event("messageStart", `{"p":"abc","role":"assistant"}`)
	for i := 0; i < n; i++ {
		b = append(b, event("contentBlockDelta", fmt.Sprintf(`{"contentBlockIndex":0,"delta":{"text":"word%d "},"p":"%s"}`, i, pad(i)))...)
	}
	b = append(b, event("contentBlockStop", `{"contentBlockIndex":0,"p":"abcd"}`)...)
	b = append(b, event("messageStop", `{"p":"ab","stopReason":"end_turn"}`)...)
	return append(b, event("metadata", fmt.Sprintf(`{"metrics":{"latencyMs":1000},"p":"abc","usage":{"inputTokens":25,"outputTokens":%d,"totalTokens":%d}}`, n, n+25))...)
}

// chunkPadded is chunk with the "p" of event i.
func chunkPadded(native string, i int) []byte {
	return event("chunk", `{"bytes":"`+base64.StdEncoding.EncodeToString([]byte(native))+`","p":"`+pad(i)+`"}`)
}

// benchInvokeStreamClaude is an InvokeModelWithResponseStream of Claude
// with n text deltas.
func benchInvokeStreamClaude(n int) []byte {
	b := chunkPadded(`{"type":"message_start","message":{"id":"msg_bdrk_01Bench","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":1}}}`, 0)
	b = append(b, chunkPadded(`{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`, 1)...)
	for i := 0; i < n; i++ {
		b = append(b, chunkPadded(fmt.Sprintf(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"word%d "}}`, i), i)...)
	}
	b = append(b, chunkPadded(`{"type":"content_block_stop","index":0}`, 2)...)
	b = append(b, chunkPadded(fmt.Sprintf(`{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":%d}}`, n), 3)...)
	return append(b, chunkPadded(fmt.Sprintf(`{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":25,"outputTokenCount":%d,"invocationLatency":900,"firstByteLatency":300}}`, n), 4)...)
}

// benchInvokeStreamNova is an InvokeModelWithResponseStream of Amazon Nova
// with n text deltas.
func benchInvokeStreamNova(n int) []byte {
	b := chunkPadded(`{"messageStart":{"role":"assistant"}}`, 0)
	for i := 0; i < n; i++ {
		b = append(b, chunkPadded(fmt.Sprintf(`{"contentBlockDelta":{"delta":{"text":"word%d "},"contentBlockIndex":0}}`, i), i)...)
	}
	b = append(b, chunkPadded(`{"contentBlockStop":{"contentBlockIndex":0}}`, 1)...)
	b = append(b, chunkPadded(`{"messageStop":{"stopReason":"end_turn"}}`, 2)...)
	return append(b, chunkPadded(fmt.Sprintf(`{"metadata":{"usage":{"inputTokens":25,"outputTokens":%d}},"amazon-bedrock-invocationMetrics":{"inputTokenCount":25,"outputTokenCount":%d,"invocationLatency":900,"firstByteLatency":300}}`, n, n), 3)...)
}

// BenchmarkObserveConverseStream is the observation of one ConverseStream
// event, on its own: decoding its frame and reading it, in 4 KiB reads
// (ns/op is per event; the body holds 304).
func BenchmarkObserveConverseStream(b *testing.B) {
	e := testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/converse-stream", Body: []byte(`{"messages":[],"inferenceConfig":{"maxTokens":1024}}`),
		ResponseHeader: streamHeader, ResponseBody: benchConverseStream(300)}
	testkit.BenchObserve(b, bedrock.New(), e, 4096, 304)
}

// BenchmarkObserveInvokeStreamClaude is BenchmarkObserveConverseStream for
// the base64 chunks of InvokeModelWithResponseStream holding Anthropic
// Messages events (306 a body).
func BenchmarkObserveInvokeStreamClaude(b *testing.B) {
	e := testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream", Body: []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":1024,"messages":[]}`),
		ResponseHeader: streamHeader, ResponseBody: benchInvokeStreamClaude(300)}
	testkit.BenchObserve(b, bedrock.New(), e, 4096, 306)
}

// BenchmarkObserveInvokeStreamNova is BenchmarkObserveInvokeStreamClaude
// for Amazon Nova's native events (304 a body).
func BenchmarkObserveInvokeStreamNova(b *testing.B) {
	e := testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/invoke-with-response-stream", Body: []byte(`{"messages":[],"inferenceConfig":{"max_new_tokens":1024}}`),
		ResponseHeader: streamHeader, ResponseBody: benchInvokeStreamNova(300)}
	testkit.BenchObserve(b, bedrock.New(), e, 4096, 304)
}

// BenchmarkObserveConverseStreamCapture is BenchmarkObserveConverseStream
// with content capture on: every delta's text is read into the answer.
func BenchmarkObserveConverseStreamCapture(b *testing.B) {
	e := testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/converse-stream", Body: []byte(`{"messages":[],"inferenceConfig":{"maxTokens":1024}}`),
		ResponseHeader: streamHeader, ResponseBody: benchConverseStream(300)}
	testkit.BenchObserve(b, bedrock.New(), e.WithCapture(1<<20), 4096, 304)
}

// BenchmarkObserveInvokeStreamClaudeCapture is
// BenchmarkObserveInvokeStreamClaude with content capture on: every chunk
// is decoded and read in full.
func BenchmarkObserveInvokeStreamClaudeCapture(b *testing.B) {
	e := testkit.Exchange{URL: host + haikuPath + "/invoke-with-response-stream", Body: []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":1024,"messages":[]}`),
		ResponseHeader: streamHeader, ResponseBody: benchInvokeStreamClaude(300)}
	testkit.BenchObserve(b, bedrock.New(), e.WithCapture(1<<20), 4096, 306)
}

// BenchmarkObserveInvokeStreamNovaCapture is BenchmarkObserveInvokeStreamNova
// with content capture on.
func BenchmarkObserveInvokeStreamNovaCapture(b *testing.B) {
	e := testkit.Exchange{URL: host + "/model/amazon.nova-micro-v1%3A0/invoke-with-response-stream", Body: []byte(`{"messages":[],"inferenceConfig":{"max_new_tokens":1024}}`),
		ResponseHeader: streamHeader, ResponseBody: benchInvokeStreamNova(300)}
	testkit.BenchObserve(b, bedrock.New(), e.WithCapture(1<<20), 4096, 304)
}
