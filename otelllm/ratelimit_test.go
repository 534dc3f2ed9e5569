package otelllm

import (
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// providerServer answers every provider's host: the client's base
// transport dials it whatever the URL's host, and the handler answers with
// the body and headers set for that host.
type providerServer struct {
	mu      sync.Mutex
	replies map[string]providerReply // by host
}

type providerReply struct {
	status int
	body   string
	header map[string]string
}

func newProviderClient(t *testing.T, rec *telemetryRecorder, p *providerServer) *http.Client {
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		p.mu.Lock()
		rep, ok := p.replies[r.Host]
		p.mu.Unlock()
		if !ok {
			t.Errorf("no reply for %s", r.Host)
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		if rep.status != 0 {
			w.WriteHeader(rep.status)
		}
		_, _ = io.WriteString(w, rep.body)
	})
	base := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", srv.Listener.Addr().String())
	}}
	t.Cleanup(base.CloseIdleConnections)
	opts := rec.options(WithProviders(DefaultProviders()...))
	return &http.Client{Transport: NewTransport(base, opts...)}
}

func (p *providerServer) set(host string, r providerReply) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.replies == nil {
		p.replies = map[string]providerReply{}
	}
	p.replies[host] = r
}

func send(t *testing.T, c *http.Client, u, body string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, u, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
}

// gaugeValue is the value of the int64 gauge name's point whose attributes
// are exactly want, and whether there is one.
func gaugeValue(t *testing.T, rm metricdata.ResourceMetrics, name string, want ...attribute.KeyValue) (int64, bool) {
	t.Helper()
	m, ok := findMetric(rm, name)
	if !ok {
		return 0, false
	}
	g, ok := m.Data.(metricdata.Gauge[int64])
	require.True(t, ok, "%s is an int64 gauge, not %T", name, m.Data)
	wantSet := attribute.NewSet(want...)
	for _, dp := range g.DataPoints {
		if dp.Attributes.Equals(&wantSet) {
			return dp.Value, true
		}
	}
	return 0, false
}

// The rate-limit headers of each provider, as recorded responses carry them
// (see providers/openai and providers/anthropic for their sources), reach
// the span and the gauges.
func TestRateLimitHeadersOfEachProvider(t *testing.T) {
	chatBody := `{"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-2024-08-06","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":1,"total_tokens":6}}`
	anthropicBody, err := os.ReadFile("testdata/messages_nonstream_0.json")
	require.NoError(t, err)
	type kv = map[attribute.Key]any
	for _, c := range []struct {
		name, host, url, body string
		reply                 providerReply
		provider, model       string
		span                  kv
		gauges                []gauge
	}{
		{
			name: "openai", host: "api.openai.com", url: "http://api.openai.com/v1/chat/completions", body: `{"model":"gpt-4o","messages":[]}`,
			reply: providerReply{body: chatBody, header: map[string]string{
				"x-ratelimit-limit-requests": "10000", "x-ratelimit-limit-tokens": "50000000",
				"x-ratelimit-remaining-requests": "9999", "x-ratelimit-remaining-tokens": "49999974",
				"x-ratelimit-reset-requests": "6ms", "x-ratelimit-reset-tokens": "0s",
			}},
			provider: providers.ProviderOpenAI, model: "gpt-4o",
			span: kv{
				"otelllm.ratelimit.requests.limit": int64(10000), "otelllm.ratelimit.requests.remaining": int64(9999), "otelllm.ratelimit.requests.reset": 0.006,
				"otelllm.ratelimit.tokens.limit": int64(50000000), "otelllm.ratelimit.tokens.remaining": int64(49999974), "otelllm.ratelimit.tokens.reset": 0.0,
			},
			gauges: []gauge{{"requests", "", 9999, 10000}, {"tokens", "", 49999974, 50000000}},
		},
		{
			name: "azure", host: "res.openai.azure.com", url: "http://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", body: `{"messages":[]}`,
			reply:    providerReply{body: chatBody, header: map[string]string{"x-ratelimit-remaining-requests": "119", "x-ratelimit-remaining-tokens": "119984"}},
			provider: providers.ProviderAzureOpenAI, model: "gpt-4o",
			span:   kv{"otelllm.ratelimit.requests.remaining": int64(119), "otelllm.ratelimit.tokens.remaining": int64(119984)},
			gauges: []gauge{{"requests", "", 119, -1}, {"tokens", "", 119984, -1}},
		},
		{
			name: "anthropic", host: "api.anthropic.com", url: "http://api.anthropic.com/v1/messages", body: `{"model":"claude-3-7-sonnet-20250219","max_tokens":1024,"messages":[]}`,
			reply: providerReply{body: string(anthropicBody), header: map[string]string{
				"date":                               "Sun, 07 Apr 2024 07:30:57 GMT",
				"anthropic-ratelimit-requests-limit": "5", "anthropic-ratelimit-requests-remaining": "4",
				"anthropic-ratelimit-requests-reset": "2024-04-07T07:31:00Z",
				"anthropic-ratelimit-tokens-limit":   "10000", "anthropic-ratelimit-tokens-remaining": "9509",
				"anthropic-ratelimit-input-tokens-limit": "8000", "anthropic-ratelimit-input-tokens-remaining": "7598",
				"anthropic-ratelimit-output-tokens-limit": "2000", "anthropic-ratelimit-output-tokens-remaining": "1911",
			}},
			provider: providers.ProviderAnthropic, model: "claude-3-7-sonnet-20250219",
			span: kv{
				"otelllm.ratelimit.requests.limit": int64(5), "otelllm.ratelimit.requests.remaining": int64(4), "otelllm.ratelimit.requests.reset": 3.0,
				"otelllm.ratelimit.tokens.remaining": int64(9509), "otelllm.ratelimit.input_tokens.remaining": int64(7598),
				"otelllm.ratelimit.output_tokens.limit": int64(2000), "otelllm.ratelimit.output_tokens.remaining": int64(1911),
			},
			gauges: []gauge{{"requests", "", 4, 5}, {"tokens", "", 9509, 10000}, {"input_tokens", "", 7598, 8000}, {"output_tokens", "", 1911, 2000}},
		},
		{
			name: "groq", host: "api.groq.com", url: "http://api.groq.com/openai/v1/chat/completions", body: `{"model":"llama-3.1-8b-instant","messages":[]}`,
			reply: providerReply{body: chatBody, header: map[string]string{
				"x-ratelimit-limit-requests": "14400", "x-ratelimit-limit-tokens": "30000",
				"x-ratelimit-remaining-requests": "14397", "x-ratelimit-remaining-tokens": "29987",
				"x-ratelimit-reset-requests": "17.399999999s", "x-ratelimit-reset-tokens": "26ms",
			}},
			provider: providers.ProviderGroq, model: "llama-3.1-8b-instant",
			span:   kv{"otelllm.ratelimit.requests.reset": 17.399999999, "otelllm.ratelimit.tokens.reset": 0.026, "otelllm.ratelimit.tokens.remaining": int64(29987)},
			gauges: []gauge{{"requests", "", 14397, 14400}, {"tokens", "", 29987, 30000}},
		},
		{
			name: "mistral", host: "api.mistral.ai", url: "http://api.mistral.ai/v1/chat/completions", body: `{"model":"mistral-small-latest","messages":[]}`,
			reply: providerReply{body: chatBody, header: map[string]string{
				"x-ratelimit-limit-req-10-second": "60", "x-ratelimit-remaining-req-10-second": "59",
				"x-ratelimit-limit-tokens-minute": "2000000", "x-ratelimit-remaining-tokens-minute": "1999893",
				"x-ratelimit-limit-tokens-month": "10000000000", "x-ratelimit-remaining-tokens-month": "9999999893",
			}},
			provider: providers.ProviderMistralAI, model: "mistral-small-latest",
			span: kv{
				"otelllm.ratelimit.requests.10-second.limit": int64(60), "otelllm.ratelimit.tokens.minute.remaining": int64(1999893),
				"otelllm.ratelimit.tokens.month.remaining": int64(9999999893),
			},
			gauges: []gauge{{"requests", "10-second", 59, 60}, {"tokens", "minute", 1999893, 2000000}, {"tokens", "month", 9999999893, 10000000000}},
		},
		{
			name: "gemini sends none", host: "generativelanguage.googleapis.com",
			url:      "http://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent",
			body:     `{"contents":[]}`,
			reply:    providerReply{body: `{"candidates":[{"content":{"parts":[{"text":"hi"}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":1,"totalTokenCount":3}}`},
			provider: providers.ProviderGCPGemini, model: "gemini-2.0-flash",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			p := &providerServer{}
			p.set(c.host, c.reply)
			client := newProviderClient(t, rec, p)
			send(t, client, c.url, c.body)

			a := attrsOf(rec.onlySpan(t))
			assert.Equal(t, c.provider, a[semconv.GenAIProviderNameKey].AsString())
			for k, want := range c.span {
				v, ok := a[k]
				if !assert.True(t, ok, "%s missing", k) {
					continue
				}
				switch want := want.(type) {
				case int64:
					assert.Equal(t, want, v.AsInt64(), "%s", k)
				case float64:
					assert.InDelta(t, want, v.AsFloat64(), 1e-9, "%s", k)
				}
			}
			rateLimitAttrs := 0
			for k := range a {
				if strings.HasPrefix(string(k), "otelllm.ratelimit.") {
					rateLimitAttrs++
				}
			}
			if c.gauges == nil {
				assert.Zero(t, rateLimitAttrs, "no rate-limit attributes without headers")
			}

			rm := rec.collect(t)
			points := 0
			for _, g := range c.gauges {
				want := []attribute.KeyValue{
					semconv.GenAIProviderNameKey.String(c.provider),
					semconv.GenAIRequestModelKey.String(c.model),
					semconv.RateLimitResourceKey.String(g.resource),
				}
				if g.window != "" {
					want = append(want, semconv.RateLimitWindowKey.String(g.window))
				}
				v, ok := gaugeValue(t, rm, "otelllm.client.ratelimit.remaining", want...)
				if assert.True(t, ok, "remaining %+v", g) {
					assert.Equal(t, g.remaining, v)
					points++
				}
				v, ok = gaugeValue(t, rm, "otelllm.client.ratelimit.limit", want...)
				if g.limit < 0 {
					assert.False(t, ok, "a limit the headers did not give is not recorded")
					continue
				}
				if assert.True(t, ok, "limit %+v", g) {
					assert.Equal(t, g.limit, v)
				}
			}
			m, ok := findMetric(rm, "otelllm.client.ratelimit.remaining")
			if c.gauges == nil {
				assert.False(t, ok, "no gauge without headers")
				return
			}
			require.True(t, ok)
			assert.Len(t, m.Data.(metricdata.Gauge[int64]).DataPoints, points, "one point per limit")
		})
	}
}

type gauge struct {
	resource, window string
	remaining, limit int64 // limit -1: not sent
}

// The gauges hold the last response's values; a 429 carries its
// Retry-After on the span.
func TestRateLimitGaugesFollowTheLastResponse(t *testing.T) {
	rec := newRecorder(t)
	p := &providerServer{}
	client := newProviderClient(t, rec, p)
	const u = "http://api.openai.com/v1/chat/completions"
	chat := `{"id":"c","object":"chat.completion","model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}`
	p.set("api.openai.com", providerReply{body: chat, header: map[string]string{"x-ratelimit-remaining-requests": "2", "x-ratelimit-limit-requests": "3"}})
	send(t, client, u, `{"model":"gpt-4o-mini","messages":[]}`)
	p.set("api.openai.com", providerReply{status: http.StatusTooManyRequests,
		body:   `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`,
		header: map[string]string{"x-ratelimit-remaining-requests": "0", "x-ratelimit-limit-requests": "3", "retry-after": "20"}})
	send(t, client, u, `{"model":"gpt-4o-mini","messages":[]}`)

	spans := rec.ended()
	require.Len(t, spans, 2)
	a := attrsOf(spans[1])
	assert.Equal(t, 20.0, a[semconv.ResponseRetryAfterKey].AsFloat64())
	assert.EqualValues(t, 0, a["otelllm.ratelimit.requests.remaining"].AsInt64())
	assert.EqualValues(t, http.StatusTooManyRequests, a[semconv.HTTPResponseStatusCodeKey].AsInt64())
	assert.NotContains(t, attrsOf(spans[0]), semconv.ResponseRetryAfterKey)

	rm := rec.collect(t)
	attrs := []attribute.KeyValue{semconv.GenAIProviderNameKey.String("openai"), semconv.GenAIRequestModelKey.String("gpt-4o-mini"), semconv.RateLimitResourceKey.String("requests")}
	v, ok := gaugeValue(t, rm, "otelllm.client.ratelimit.remaining", attrs...)
	require.True(t, ok)
	assert.EqualValues(t, 0, v, "the last response's value")
	v, _ = gaugeValue(t, rm, "otelllm.client.ratelimit.limit", attrs...)
	assert.EqualValues(t, 3, v)
}
