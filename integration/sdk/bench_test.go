package sdk

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelllm/otelllm/otelllm"
)

// The benchmarks make the same openai-go call over loopback through a bare
// client, otelhttp's transport and otelllm's, on the same SDK setup (always
// sampled, no exporter, a manual metric reader): the columns of the
// README's table for calls made through an SDK.

const benchCompletion = `{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_1"}`

func benchStreamBody(chunks int) string {
	var b strings.Builder
	for i := 0; i < chunks; i++ {
		fmt.Fprintf(&b, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"system_fingerprint\":\"fp_1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word%d \"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n", i)
	}
	b.WriteString("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n")
	b.WriteString("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":300,\"total_tokens\":319}}\n\ndata: [DONE]\n\n")
	return b.String()
}

func benchHTTPClients(b *testing.B) map[string]*http.Client {
	tp := sdktrace.NewTracerProvider(sdktrace.WithSampler(sdktrace.AlwaysSample()))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	base := func() http.RoundTripper { return &http.Transport{MaxIdleConnsPerHost: 4} }
	return map[string]*http.Client{
		"bare":     {Transport: base()},
		"otelhttp": {Transport: otelhttp.NewTransport(base(), otelhttp.WithTracerProvider(tp), otelhttp.WithMeterProvider(mp))},
		"otelllm":  {Transport: otelllm.NewTransport(base(), otelllm.WithTracerProvider(tp), otelllm.WithMeterProvider(mp))},
	}
}

func benchOpenAIServer(b *testing.B, body, contentType string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", contentType)
		_, _ = io.WriteString(w, body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkOpenAIGoChat: one non-streamed openai-go Chat Completions call.
func BenchmarkOpenAIGoChat(b *testing.B) {
	srv := benchOpenAIServer(b, benchCompletion, "application/json")
	for _, name := range []string{"bare", "otelhttp", "otelllm"} {
		b.Run(name, func(b *testing.B) {
			client := newOpenAIClient(benchHTTPClients(b)[name], srv.URL)
			params := openai.ChatCompletionNewParams{Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hello!")}}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := client.Chat.Completions.New(context.Background(), params); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkOpenAIGoStream300: a 300-chunk openai-go stream, read chunk by
// chunk as an application does.
func BenchmarkOpenAIGoStream300(b *testing.B) {
	srv := benchOpenAIServer(b, benchStreamBody(300), "text/event-stream")
	for _, name := range []string{"bare", "otelhttp", "otelllm"} {
		b.Run(name, func(b *testing.B) {
			client := newOpenAIClient(benchHTTPClients(b)[name], srv.URL)
			params := openai.ChatCompletionNewParams{Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hello!")}}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				stream := client.Chat.Completions.NewStreaming(context.Background(), params)
				n := 0
				for stream.Next() {
					n++
				}
				if err := stream.Err(); err != nil || n != 302 {
					b.Fatalf("%d chunks, %v", n, err)
				}
				_ = stream.Close()
			}
		})
	}
}
