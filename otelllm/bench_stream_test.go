package otelllm

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// The per-chunk benchmarks stream from memory, so that loopback noise does
// not hide what observing a chunk costs: each op is one whole stream read
// in 4 KiB reads, and ns/chunk is that time divided by the stream's chunks.
// Compare otelllm's ns/chunk with bare's: the difference is the
// observation's.

// memoryStream answers every request with body, from memory.
type memoryStream struct {
	body        []byte
	contentType string
}

func (m memoryStream) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {m.contentType}},
		Body: io.NopCloser(bytes.NewReader(m.body)), ContentLength: int64(len(m.body)), Request: r}, nil
}

// geminiStream is a Gemini API ?alt=sse stream of n text chunks, each with
// the running usage Gemini sends.
func geminiStream(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"word%d \"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 25,\"candidatesTokenCount\": %d,\"totalTokenCount\": %d},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"resp-1\"}\r\n\r\n", i, i+1, i+26)
	}
	fmt.Fprintf(&b, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 25,\"candidatesTokenCount\": %d,\"totalTokenCount\": %d},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"resp-1\"}\r\n\r\n", n, n+25)
	return b.String()
}

type streamBenchCase struct {
	name, url, request, contentType string
	body                            string
	chunks                          int
}

func streamBenchCases() []streamBenchCase {
	return []streamBenchCase{
		{"openai", "http://api.openai.test/v1/chat/completions", fmt.Sprintf(benchRequest, true), "text/event-stream", benchStream(300), 302},
		{"anthropic", "http://api.anthropic.test/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Hi"}]}`,
			"text/event-stream", anthropicStream(300), 302},
		{"bedrock", "http://bedrock-runtime.test/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse-stream", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`,
			"application/vnd.amazon.eventstream", converseStream(300), 301},
		{"gemini", "http://generativelanguage.googleapis.test/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", `{"contents":[{"parts":[{"text":"Hi"}]}]}`,
			"text/event-stream", geminiStream(300), 301},
	}
}

// BenchmarkChunk: a 300-chunk stream of each provider, from memory, through
// bare, otelhttp and otelllm clients; ns/chunk is per streamed chunk.
// "otelllm-nometrics" is otelllm with a no-op MeterProvider: the difference
// to "otelllm" is the SDK's cost of the time_per_output_chunk record each
// chunk gets.
func BenchmarkChunk(b *testing.B) {
	for _, c := range streamBenchCases() {
		for _, bc := range withNoMetrics(b, benchClients(b)) {
			b.Run(c.name+"/"+bc.name, func(b *testing.B) {
				client := bc.client(memoryStream{body: []byte(c.body), contentType: c.contentType})
				buf := make([]byte, 4096)
				b.SetBytes(int64(len(c.body)))
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					req, _ := http.NewRequestWithContext(context.Background(), http.MethodPost, c.url, strings.NewReader(c.request))
					req.Header.Set("anthropic-version", "2023-06-01")
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{resp.Body}, buf); err != nil {
						b.Fatal(err)
					}
					_ = resp.Body.Close()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.chunks), "ns/chunk")
			})
		}
	}
}

// repeatedStream is an endless-looking OpenAI chat stream of small chunks:
// size bytes of them, then the finish, usage and [DONE] events.
type repeatedStream struct {
	block     []byte // whole chunks, repeated
	tail      []byte
	remaining int64
	off       int
}

func newRepeatedStream(size int64) *repeatedStream {
	var block bytes.Buffer
	for block.Len() < 64<<10 {
		block.WriteString("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"},\"finish_reason\":null}]}\n\n")
	}
	full := benchStream(0)
	return &repeatedStream{block: block.Bytes(), tail: []byte(full), remaining: size}
}

func (s *repeatedStream) Read(p []byte) (int, error) {
	if s.remaining <= 0 {
		if len(s.tail) == 0 {
			return 0, io.EOF
		}
		n := copy(p, s.tail)
		s.tail = s.tail[n:]
		return n, nil
	}
	n := copy(p, s.block[s.off:])
	if int64(n) > s.remaining {
		n = int(s.remaining)
	}
	s.off = (s.off + n) % len(s.block)
	s.remaining -= int64(n)
	return n, nil
}

// BenchmarkStreamGiB: one 1 GiB stream of small chunks over loopback,
// read in 32 KiB reads; MB/s is the throughput. Run it with -benchtime 1x.
func BenchmarkStreamGiB(b *testing.B) {
	const size = 1 << 30
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.CopyBuffer(w, newRepeatedStream(size), make([]byte, 64<<10))
	}))
	b.Cleanup(srv.Close)
	url := srv.URL + "/v1/chat/completions"
	for _, bc := range withNoMetrics(b, benchClients(b)) {
		if bc.name == "otelhttp" {
			continue
		}
		b.Run(bc.name, func(b *testing.B) {
			c := bc.client(benchBase())
			buf := make([]byte, 32<<10)
			b.SetBytes(size)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(fmt.Sprintf(benchRequest, true)))
				resp, err := c.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{resp.Body}, buf); err != nil {
					b.Fatal(err)
				}
				_ = resp.Body.Close()
			}
		})
	}
}

// withNoMetrics adds to clients an otelllm client whose MeterProvider is a
// no-op (the observation without the SDK's metric records), and one whose
// MeterProvider drops the per-chunk histogram with a View (every other
// metric recorded, no chunk timed).
func withNoMetrics(b *testing.B, clients []benchClient) []benchClient {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()), sdkmetric.WithView(dropPerChunk))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	return append(clients, benchClient{"otelllm-nometrics", func(base http.RoundTripper) *http.Client {
		return &http.Client{Transport: NewTransport(base, WithTracerProvider(tp), WithMeterProvider(metricnoop.NewMeterProvider()))}
	}}, benchClient{"otelllm-droppedperchunk", func(base http.RoundTripper) *http.Client {
		return &http.Client{Transport: NewTransport(base, WithTracerProvider(tp), WithMeterProvider(mp))}
	}})
}

// dropPerChunk is the View a user adds to drop the per-chunk histogram.
var dropPerChunk = sdkmetric.NewView(
	sdkmetric.Instrument{Name: "gen_ai.client.operation.time_per_output_chunk"},
	sdkmetric.Stream{Aggregation: sdkmetric.AggregationDrop{}},
)
