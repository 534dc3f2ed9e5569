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
	"time"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// The benchmarks run one OpenAI Chat Completions call over loopback through
// three clients: the bare transport, otelhttp's transport, and ours, all on
// a real SDK (always sampled, no exporter; a manual metric reader), so that
// the figures compare the instrumentation itself.

const benchFull = `{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_1"}`

func benchStream(chunks int) string {
	var b strings.Builder
	for i := 0; i < chunks; i++ {
		fmt.Fprintf(&b, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word%d \"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n", i)
	}
	b.WriteString("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n")
	b.WriteString("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":300,\"total_tokens\":319}}\n\ndata: [DONE]\n\n")
	return b.String()
}

func benchServer(b *testing.B, body, contentType string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		_, _ = io.WriteString(w, body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

type benchClient struct {
	name   string
	client func(base http.RoundTripper) *http.Client
}

func benchClients(b *testing.B) []benchClient {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	return []benchClient{
		{"bare", func(base http.RoundTripper) *http.Client { return &http.Client{Transport: base} }},
		{"otelhttp", func(base http.RoundTripper) *http.Client {
			return &http.Client{Transport: otelhttp.NewTransport(base, otelhttp.WithTracerProvider(tp), otelhttp.WithMeterProvider(mp))}
		}},
		{"otelllm", func(base http.RoundTripper) *http.Client {
			return &http.Client{Transport: NewTransport(base, WithTracerProvider(tp), WithMeterProvider(mp))}
		}},
	}
}

const benchRequest = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello!"}],"stream":%t,"stream_options":{"include_usage":true}}`

func benchBase() *http.Transport {
	return &http.Transport{MaxIdleConnsPerHost: 4}
}

// doProviderCall makes one call and reads the body in 4 KiB reads.
func doProviderCall(b *testing.B, ctx context.Context, c *http.Client, url, body string) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{resp.Body}, make([]byte, 4096)); err != nil {
		b.Fatal(err)
	}
	_ = resp.Body.Close()
}

// doCall makes one call and reads the body the way SDKs do, in 4 KiB reads;
// it returns the time until the first body bytes arrived.
func doCall(b *testing.B, ctx context.Context, c *http.Client, url string, stream bool) time.Duration {
	start := time.Now()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(fmt.Sprintf(benchRequest, stream)))
	req.Header.Set("Authorization", "Bearer sk-bench")
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 4096)
	var first time.Duration
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 && first == 0 {
			first = time.Since(start)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	_ = resp.Body.Close()
	return first
}

func runBench(b *testing.B, body, contentType string, stream, tracked bool) {
	srv := benchServer(b, body, contentType)
	url := srv.URL + "/v1/chat/completions"
	clients := benchClients(b)
	if stream {
		clients = withNoMetrics(b, clients)
	}
	for _, bc := range clients {
		b.Run(bc.name, func(b *testing.B) {
			c := bc.client(benchBase())
			ctx := context.Background()
			if tracked {
				ctx, _ = Track(ctx)
			}
			doCall(b, ctx, c, url, stream) // warm the connection
			var first time.Duration
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				first += doCall(b, ctx, c, url, stream)
			}
			b.ReportMetric(float64(first.Nanoseconds())/float64(b.N), "ns-to-first-byte/op")
		})
	}
}

// BenchmarkFullCall: one non-streamed Chat Completions call.
func BenchmarkFullCall(b *testing.B) {
	runBench(b, benchFull, "application/json", false, false)
}

// BenchmarkStream300: a 300-chunk stream with include_usage.
func BenchmarkStream300(b *testing.B) {
	runBench(b, benchStream(300), "text/event-stream", true, false)
}

// BenchmarkStream30: the same stream with 30 chunks; allocations per call
// must match BenchmarkStream300's (they do not grow with chunks).
func BenchmarkStream30(b *testing.B) {
	runBench(b, benchStream(30), "text/event-stream", true, false)
}

// BenchmarkTracked: a full call inside a Tracker, against BenchmarkFullCall.
func BenchmarkTracked(b *testing.B) {
	runBench(b, benchFull, "application/json", false, true)
}

// memoryTransport answers every request with the same response, without a
// network: BenchmarkInstrumentation measures the instrumentation alone.
type memoryTransport struct{ body []byte }

func (m memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(m.body)), ContentLength: int64(len(m.body)), Request: r}, nil
}

// BenchmarkInstrumentation: one full Chat Completions call through each
// client with an in-memory base transport, so that the difference to
// "bare" is the instrumentation's own cost.
func BenchmarkInstrumentation(b *testing.B) {
	for _, bc := range benchClients(b) {
		b.Run(bc.name, func(b *testing.B) {
			c := bc.client(memoryTransport{body: []byte(benchFull)})
			ctx := context.Background()
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				doCall(b, ctx, c, "http://api.openai.test/v1/chat/completions", false)
			}
		})
	}
}
