package otelllm

import (
	"bytes"
	"io"
	"math/rand"
	"net/http"
	"os"
	"strings"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
)

// fuzzTargets are one recognised call per provider and API shape.
var fuzzTargets = []struct{ url, request string }{
	{"https://api.openai.com/v1/chat/completions", `{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true}}`},
	{"https://api.openai.com/v1/responses", `{"model":"gpt-4.1","stream":true}`},
	{"https://api.anthropic.com/v1/messages", `{"model":"claude-sonnet-4-5","max_tokens":10,"stream":true}`},
	{"https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-micro-v1%3A0/converse-stream", `{"messages":[]}`},
	{"https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2/invoke-with-response-stream", `{}`},
	{"https://bedrock-runtime.us-east-1.amazonaws.com/model/meta.llama3-8b-instruct-v1%3A0/invoke", `{"prompt":"x"}`},
	{"https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?key=secret", `{}`},
	{"https://api.cohere.com/v2/chat", `{"model":"command-a-03-2025","stream":true}`},
	{"http://localhost:11434/api/chat", `{"model":"llama3.2"}`},
}

var fuzzContentTypes = []string{"", "application/json", "text/event-stream", "application/x-ndjson", "application/vnd.amazon.eventstream", "text/html"}

// FuzzTransport: whatever a server answers, the application reads exactly
// those bytes, nothing panics, and exactly one span ends.
func FuzzTransport(f *testing.F) {
	for _, c := range wireCases {
		b, err := os.ReadFile("testdata/" + c.file)
		if err == nil {
			f.Add(b, uint8(0), uint8(2), int64(1), uint16(200))
		}
	}
	f.Add([]byte(`{"usage":{"prompt_tokens":1}}`), uint8(0), uint8(1), int64(2), uint16(200))
	f.Add([]byte("<html>502</html>"), uint8(2), uint8(5), int64(3), uint16(502))
	f.Fuzz(func(t *testing.T, body []byte, target, contentType uint8, seed int64, status uint16) {
		tg := fuzzTargets[int(target)%len(fuzzTargets)]
		ct := fuzzContentTypes[int(contentType)%len(fuzzContentTypes)]
		code := 200 + int(status)%400
		base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			h := http.Header{}
			if ct != "" {
				h.Set("Content-Type", ct)
			}
			h.Set("X-Amzn-Bedrock-Input-Token-Count", "7")
			return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(bytes.NewReader(body)), Request: r}, nil
		})
		spans := tracetest.NewSpanRecorder()
		tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
		client := &http.Client{Transport: NewTransport(base, WithTracerProvider(tp))}
		resp, err := client.Post(tg.url, "application/json", strings.NewReader(tg.request))
		if err != nil {
			t.Fatal(err)
		}
		// The application reads in random sizes, and sometimes stops early.
		rnd := rand.New(rand.NewSource(seed))
		stopAt := len(body) + 1
		if seed%3 == 0 && len(body) > 0 {
			stopAt = rnd.Intn(len(body))
		}
		var got []byte
		buf := make([]byte, 1+rnd.Intn(64))
		for len(got) < stopAt {
			n, err := resp.Body.Read(buf[:1+rnd.Intn(len(buf))])
			got = append(got, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		_ = resp.Body.Close()
		if stopAt > len(body) && !bytes.Equal(got, body) {
			t.Fatalf("the application read %q, the server sent %q", got, body)
		}
		if !bytes.HasPrefix(body, got) {
			t.Fatalf("the application read bytes the server did not send")
		}
		if n := len(spans.Ended()); n != 1 {
			t.Fatalf("%d spans ended", n)
		}
		for _, kv := range spans.Ended()[0].Attributes() {
			if strings.Contains(kv.Value.Emit(), "secret") {
				t.Fatalf("the API key reached %s", kv.Key)
			}
		}
	})
}
