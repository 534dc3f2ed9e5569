package otelllm

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers/openai"
	"github.com/otelllm/otelllm/semconv"
)

// includeUsageServer answers chat streams as OpenAI does: with
// stream_options.include_usage, every chunk carries "usage":null and a
// usage-only chunk comes before [DONE]; without it, no usage at all.
func includeUsageServer(t *testing.T, got *[]string) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/chat/completions", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		*got = append(*got, string(b))
		var req struct {
			Stream        bool `json:"stream"`
			StreamOptions struct {
				IncludeUsage bool `json:"include_usage"`
			} `json:"stream_options"`
		}
		require.NoError(t, json.Unmarshal(b, &req))
		if r.ContentLength != int64(len(b)) {
			http.Error(w, "Content-Length does not match the body", http.StatusBadRequest)
			return
		}
		usageNull := ""
		if req.StreamOptions.IncludeUsage {
			usageNull = `,"usage":null`
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for _, word := range []string{"Hello", " there"} {
			_, _ = io.WriteString(w, `data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{"content":"`+word+`"},"finish_reason":null}]`+usageNull+"}\n\n")
		}
		_, _ = io.WriteString(w, `data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]`+usageNull+"}\n\n")
		if req.StreamOptions.IncludeUsage {
			_, _ = io.WriteString(w, `data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}`+"\n\n")
		}
		_, _ = io.WriteString(w, "data: [DONE]\n\n")
	})
	return mux
}

func TestWithStreamUsage(t *testing.T) {
	var bodies []string
	srv := server(t, includeUsageServer(t, &bodies).ServeHTTP)
	read := func(t *testing.T, opts ...Option) (string, *telemetryRecorder, Usage) {
		rec := newRecorder(t)
		client := &http.Client{Transport: NewTransport(routeTo(srv.URL), rec.options(append([]Option{WithProviders(openai.New())}, opts...)...)...)}
		ctx, tracker := Track(context.Background())
		resp := post(t, ctx, client, openAIURL, `{"model":"gpt-4o-mini","stream":true,"messages":[]}`)
		got, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		return string(got), rec, tracker.Usage()
	}

	plain, rec, u := read(t)
	assert.Equal(t, `{"model":"gpt-4o-mini","stream":true,"messages":[]}`, bodies[0], "off: the request is sent untouched")
	assert.NotContains(t, plain, `"usage"`)
	assert.EqualValues(t, 1, u.UnmeteredRequests)
	_, amended := attrsOf(rec.onlySpan(t))[semconv.StreamUsageAmendedKey]
	assert.False(t, amended)

	got, rec, u := read(t, WithStreamUsage())
	assert.JSONEq(t, `{"stream_options":{"include_usage":true},"model":"gpt-4o-mini","stream":true,"messages":[]}`, bodies[1])
	assert.NotContains(t, got, `"choices":[]`, "the usage-only chunk the application did not ask for is removed")
	assert.Equal(t, plain, strings.ReplaceAll(got, `,"usage":null`, ""), "every other byte is the server's")
	a := attrsOf(rec.onlySpan(t))
	assert.True(t, a[semconv.StreamUsageAmendedKey].AsBool())
	assert.EqualValues(t, 12, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.EqualValues(t, 3, a[semconv.GenAIUsageOutputTokensKey].AsInt64())
	assert.EqualValues(t, 15, u.TotalTokens)
	assert.Zero(t, u.UnmeteredRequests)

	// A request that asks already is sent untouched, and its usage chunk
	// reaches the application.
	rec = newRecorder(t)
	client := &http.Client{Transport: NewTransport(routeTo(srv.URL), rec.options(WithProviders(openai.New()), WithStreamUsage())...)}
	asked := `{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true}}`
	resp := post(t, context.Background(), client, openAIURL, asked)
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Equal(t, asked, bodies[2])
	assert.Contains(t, string(body), `"choices":[],"usage":{`)
	_, amended = attrsOf(rec.onlySpan(t))[semconv.StreamUsageAmendedKey]
	assert.False(t, amended)
}

func TestWithStreamUsageFromTheEnvironment(t *testing.T) {
	t.Setenv("OTELLLM_STREAM_USAGE", "true")
	assert.True(t, newConfig(nil).streamUsage)
	t.Setenv("OTELLLM_STREAM_USAGE", "false")
	assert.False(t, newConfig(nil).streamUsage)
	assert.True(t, newConfig([]Option{WithStreamUsage()}).streamUsage, "the option turns it on whatever the environment")
}

// Bodies that cannot be rewritten safely are sent untouched, with the reason.
func TestWithStreamUsageSkips(t *testing.T) {
	var bodies []string
	srv := server(t, includeUsageServer(t, &bodies).ServeHTTP)
	const body = `{"model":"gpt-4o-mini","stream":true}`
	for _, c := range []struct {
		name   string
		req    func() *http.Request
		opts   []Option
		reason string
	}{
		{"no GetBody", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, openAIURL, io.NopCloser(strings.NewReader(body)))
			return r
		}, nil, "request body has no GetBody: it cannot be read before it is sent"},
		{"over the limit", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, openAIURL, strings.NewReader(body))
			return r
		}, []Option{WithMaxRequestBody(10)}, "request body over the read limit"},
		{"signed", func() *http.Request {
			r, _ := http.NewRequest(http.MethodPost, openAIURL, strings.NewReader(body))
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x, SignedHeaders=host, Signature=y")
			return r
		}, nil, "request body is signed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			client := &http.Client{Transport: NewTransport(routeTo(srv.URL), rec.options(append([]Option{WithProviders(openai.New()), WithStreamUsage()}, c.opts...)...)...)}
			resp, err := client.Do(c.req())
			require.NoError(t, err)
			_, _ = io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			assert.Equal(t, body, bodies[len(bodies)-1], "sent untouched")
			assert.Equal(t, c.reason, attrsOf(rec.onlySpan(t))[semconv.StreamUsageSkippedKey].AsString())
		})
	}
}

const openAIURL = "https://api.openai.com/v1/chat/completions"

// routeTo is a base transport that sends every request to the test server
// at base, whatever its URL says: the request keeps its real host for the
// providers to recognise.
func routeTo(base string) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		u, err := url.Parse(base)
		if err != nil {
			return nil, err
		}
		out := r.Clone(r.Context())
		out.URL.Scheme, out.URL.Host, out.Host = u.Scheme, u.Host, ""
		return http.DefaultTransport.RoundTrip(out)
	})
}
