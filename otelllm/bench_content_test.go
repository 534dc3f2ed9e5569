package otelllm

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	sdklog "go.opentelemetry.io/otel/sdk/log"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
)

// The content benchmarks compare one transport with content capture off
// (the default: nothing of the content is kept or parsed) and on, on the
// span and in the event (a real log SDK, exporting to nothing), from
// memory: per call (a tool-calling chat completion with a realistic
// request) and per streamed chunk.

// nopLogExporter drops what it is given.
type nopLogExporter struct{}

func (nopLogExporter) Export(context.Context, []sdklog.Record) error { return nil }
func (nopLogExporter) Shutdown(context.Context) error                { return nil }
func (nopLogExporter) ForceFlush(context.Context) error              { return nil }

func contentClients(b *testing.B) []benchClient {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(nopLogExporter{})))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
		_ = lp.Shutdown(context.Background())
	})
	client := func(mode ContentMode) func(http.RoundTripper) *http.Client {
		return func(base http.RoundTripper) *http.Client {
			return &http.Client{Transport: NewTransport(base, WithTracerProvider(tp), WithMeterProvider(mp), WithLoggerProvider(lp), WithContentCapture(mode))}
		}
	}
	return []benchClient{
		{"bare", func(base http.RoundTripper) *http.Client { return &http.Client{Transport: base} }},
		{"off", client(ContentNone)},
		{"span", client(ContentSpan)},
		{"span+event", client(ContentSpanAndEvent)},
	}
}

// benchToolRound is the second request of a tool round trip: history,
// tool calls, tool results and the tool definitions.
const benchToolRound = `{"model":"gpt-4o-mini","messages":[
 {"role":"system","content":"You're a helpful assistant. Answer in one sentence, with the figures the tools return."},
 {"role":"user","content":"What's the weather in Seattle and San Francisco today?"},
 {"role":"assistant","tool_calls":[
  {"id":"call_eqbDFUdPqay2WjsSzZEiAn0U","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\": \"Seattle, WA\"}"}},
  {"id":"call_tn3sgasg6GaftTdancBYJNJN","type":"function","function":{"name":"get_current_weather","arguments":"{\"location\": \"San Francisco, CA\"}"}}]},
 {"role":"tool","content":"50 degrees and raining","tool_call_id":"call_eqbDFUdPqay2WjsSzZEiAn0U"},
 {"role":"tool","content":"70 degrees and sunny","tool_call_id":"call_tn3sgasg6GaftTdancBYJNJN"}],
 "tools":[{"type":"function","function":{"name":"get_current_weather","description":"Get the current weather in a given location",
  "parameters":{"type":"object","properties":{"location":{"type":"string","description":"The city and state, e.g. Boston, MA"}},"required":["location"]}}}]}`

// BenchmarkContentCall: one full tool-round chat completion per op.
func BenchmarkContentCall(b *testing.B) {
	for _, bc := range contentClients(b) {
		b.Run(bc.name, func(b *testing.B) {
			c := bc.client(memoryTransport{body: []byte(benchFull)})
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				req, _ := http.NewRequest(http.MethodPost, "http://api.openai.test/v1/chat/completions", strings.NewReader(benchToolRound))
				resp, err := c.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
			}
		})
	}
}

// BenchmarkContentChunk: a 300-chunk OpenAI and Anthropic stream per op;
// ns/chunk is per streamed chunk (compare off with bare: capture off must
// cost what otelllm cost before content capture existed).
func BenchmarkContentChunk(b *testing.B) {
	for _, c := range streamBenchCases()[:2] {
		for _, bc := range contentClients(b) {
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
