package otelllm

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"strings"
	"testing"
)

// anthropicStream is a Messages stream of n text deltas.
func anthropicStream(n int) string {
	var b strings.Builder
	b.WriteString("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_bench\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n")
	b.WriteString("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"word%d \"}}\n\n", i)
	}
	b.WriteString("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n")
	fmt.Fprintf(&b, "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":%d}}\n\n", n)
	b.WriteString("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
	return b.String()
}

// eventFrame encodes one AWS event-stream message with string headers.
func eventFrame(eventType, payload string) []byte {
	var headers []byte
	for _, h := range [][2]string{{":event-type", eventType}, {":content-type", "application/json"}, {":message-type", "event"}} {
		headers = append(headers, byte(len(h[0])))
		headers = append(headers, h[0]...)
		headers = append(headers, 7)
		headers = binary.BigEndian.AppendUint16(headers, uint16(len(h[1])))
		headers = append(headers, h[1]...)
	}
	total := 12 + len(headers) + len(payload) + 4
	frame := binary.BigEndian.AppendUint32(nil, uint32(total))
	frame = binary.BigEndian.AppendUint32(frame, uint32(len(headers)))
	frame = binary.BigEndian.AppendUint32(frame, crc32.ChecksumIEEE(frame[:8]))
	frame = append(frame, headers...)
	frame = append(frame, payload...)
	return binary.BigEndian.AppendUint32(frame, crc32.ChecksumIEEE(frame))
}

// converseStream is a Bedrock ConverseStream of n text deltas.
func converseStream(n int) string {
	var b []byte
	b = append(b, eventFrame("messageStart", `{"role":"assistant"}`)...)
	for i := 0; i < n; i++ {
		b = append(b, eventFrame("contentBlockDelta", fmt.Sprintf(`{"contentBlockIndex":0,"delta":{"text":"word%d "}}`, i))...)
	}
	b = append(b, eventFrame("contentBlockStop", `{"contentBlockIndex":0}`)...)
	b = append(b, eventFrame("messageStop", `{"stopReason":"end_turn"}`)...)
	b = append(b, eventFrame("metadata", fmt.Sprintf(`{"usage":{"inputTokens":25,"outputTokens":%d,"totalTokens":%d},"metrics":{"latencyMs":1000}}`, n, n+25))...)
	return string(b)
}

func runProviderBench(b *testing.B, path, reqBody, body, contentType string) {
	srv := benchServer(b, body, contentType)
	url := srv.URL + path
	for _, bc := range benchClients(b) {
		b.Run(bc.name, func(b *testing.B) {
			c := bc.client(benchBase())
			b.ReportAllocs()
			ctx := context.Background()
			doProviderCall(b, ctx, c, url, reqBody)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				doProviderCall(b, ctx, c, url, reqBody)
			}
		})
	}
}

// BenchmarkAnthropicStream300: a 300-delta Anthropic Messages stream.
func BenchmarkAnthropicStream300(b *testing.B) {
	runProviderBench(b, "/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Hi"}]}`,
		anthropicStream(300), "text/event-stream")
}

// BenchmarkConverseStream300: a 300-delta Bedrock ConverseStream.
func BenchmarkConverseStream300(b *testing.B) {
	runProviderBench(b, "/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}],"inferenceConfig":{"maxTokens":512}}`,
		converseStream(300), "application/vnd.amazon.eventstream")
}

// BenchmarkTrackerAdd is what a Tracker adds to a call: counting one
// finished call in a tracker nested in another.
func BenchmarkTrackerAdd(b *testing.B) {
	ctx, _ := Track(context.Background())
	_, inner := Track(ctx)
	rec := &CallRecord{ResponseModel: "gpt-4o-mini-2024-07-18", Priced: true, CostUSD: 1e-5}
	rec.Usage.Set(1, 100)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		inner.add(rec, admission{})
	}
}

// BenchmarkLargePrompt: a call whose request carries a 405 KB prompt, on an
// in-memory transport. The request is read and its parameters parsed before
// it is sent, so this is latency the instrumentation adds to the call.
func BenchmarkLargePrompt(b *testing.B) {
	prompt := strings.Repeat("lorem ipsum dolor sit amet ", 15000)
	for _, c := range []struct{ name, url, body string }{
		{"openai", "http://api.openai.test/v1/chat/completions", `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"` + prompt + `"}],"temperature":0.2}`},
		{"anthropic", "http://api.anthropic.test/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":100,"messages":[{"role":"user","content":"` + prompt + `"}]}`},
	} {
		for _, bc := range benchClients(b) {
			if bc.name == "otelhttp" {
				continue
			}
			b.Run(c.name+"/"+bc.name, func(b *testing.B) {
				client := bc.client(memoryTransport{body: []byte(benchFull)})
				b.SetBytes(int64(len(c.body)))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					req, _ := http.NewRequest(http.MethodPost, c.url, strings.NewReader(c.body))
					req.Header.Set("anthropic-version", "2023-06-01")
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				}
			})
		}
	}
}
