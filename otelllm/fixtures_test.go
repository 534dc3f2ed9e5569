package otelllm

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelllm/otelllm/semconv"
)

// wireCase is one recorded response replayed through the real transport
// with the default providers.
type wireCase struct {
	file        string
	url         string
	request     string
	contentType string
	headers     map[string]string
	// want are span attributes the replay must produce.
	want map[attribute.Key]any
	// noUsage: the recording carries no usage (the request did not ask).
	noUsage bool
}

var wireCases = []wireCase{
	{file: "chat_stream_include_usage_recorded.sse", url: "https://api.openai.com/v1/chat/completions",
		request: `{"model":"gpt-5-nano","stream":true,"stream_options":{"include_usage":true}}`, contentType: "text/event-stream",
		want: map[attribute.Key]any{semconv.GenAIProviderNameKey: "openai", semconv.GenAIResponseModelKey: "gpt-5-nano-2025-08-07",
			semconv.GenAIUsageInputTokensKey: int64(12), semconv.GenAIUsageOutputTokensKey: int64(100), semconv.GenAIUsageReasoningOutputTokensKey: int64(100)}},
	{file: "chat_nonstream_reasoning_recorded.json", url: "https://api.openai.com/v1/chat/completions",
		request: `{"model":"gpt-5-nano"}`, contentType: "application/json",
		want: map[attribute.Key]any{semconv.GenAIUsageInputTokensKey: int64(27), semconv.GenAIUsageOutputTokensKey: int64(267)}},
	{file: "chat_stream_azure_prompt_filter_first_frame.sse", url: "https://res.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
		request: `{"stream":true}`, contentType: "text/event-stream", noUsage: true,
		want: map[attribute.Key]any{semconv.GenAIProviderNameKey: "azure.ai.openai", semconv.GenAIRequestModelKey: "gpt-4o", semconv.GenAIResponseModelKey: "gpt-4o-2024-08-06"}},
	{file: "responses_stream_sse.txt", url: "https://api.openai.com/v1/responses",
		request: `{"model":"gpt-4.1","stream":true}`, contentType: "text/event-stream",
		want: map[attribute.Key]any{semconv.GenAIProviderNameKey: "openai"}},
	{file: "messages_stream_tool_use.sse", url: "https://api.anthropic.com/v1/messages?beta=true",
		request: `{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true}`, contentType: "text/event-stream",
		want: map[attribute.Key]any{semconv.GenAIProviderNameKey: "anthropic", semconv.GenAIUsageInputTokensKey: int64(394), semconv.GenAIUsageOutputTokensKey: int64(79)}},
	{file: "messages_nonstream_0.json", url: "https://api.anthropic.com/v1/messages",
		request: `{"model":"claude-3-7-sonnet-latest","max_tokens":1024}`, contentType: "application/json",
		want: map[attribute.Key]any{semconv.GenAIUsageInputTokensKey: int64(402), semconv.GenAIUsageOutputTokensKey: int64(89)}},
	{file: "converse_stream_titan_recorded.bin", url: "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.titan-text-lite-v1/converse-stream",
		request: `{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}],"inferenceConfig":{"maxTokens":10}}`, contentType: "application/vnd.amazon.eventstream",
		headers: map[string]string{"x-amzn-RequestId": "req-1"},
		want:    map[attribute.Key]any{semconv.GenAIProviderNameKey: "aws.bedrock", semconv.GenAIRequestModelKey: "amazon.titan-text-lite-v1"}},
	{file: "invoke_with_response_stream_claude_recorded.bin", url: "https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-v2/invoke-with-response-stream",
		request: `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10}`, contentType: "application/vnd.amazon.eventstream",
		want: map[attribute.Key]any{semconv.GenAIProviderNameKey: "aws.bedrock"}},
	{file: "vertex_gemini_streamGenerateContent_alt_sse_recorded.sse", url: "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse",
		request: `{"contents":[]}`, contentType: "text/event-stream",
		want: map[attribute.Key]any{semconv.GenAIProviderNameKey: "gcp.vertex_ai", semconv.GenAIRequestModelKey: "gemini-2.5-flash"}},
	{file: "v2_chat_stream_sdk_wiremock.sse", url: "https://api.cohere.com/v2/chat",
		request: `{"model":"command-a-03-2025","stream":true}`, contentType: "text/event-stream",
		want: map[attribute.Key]any{semconv.GenAIProviderNameKey: "cohere"}},
	{file: "api_chat_stream_from_docs.ndjson", url: "http://localhost:11434/api/chat",
		request: `{"model":"llama3.2"}`, contentType: "application/x-ndjson",
		want: map[attribute.Key]any{semconv.GenAIProviderNameKey: "ollama"}},
}

// replayTransport answers every request with body, read through wrap.
type replayTransport struct {
	c    wireCase
	body []byte
	wrap func(io.Reader) io.Reader
	// tail is the error the body returns after its bytes (io.EOF if nil).
	tail error
}

func (r replayTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	_, _ = io.Copy(io.Discard, req.Body)
	h := http.Header{"Content-Type": {r.c.contentType}}
	for k, v := range r.c.headers {
		h.Set(k, v)
	}
	var body io.Reader = bytes.NewReader(r.body)
	if r.tail != nil {
		body = io.MultiReader(body, iotest.ErrReader(r.tail))
	}
	if r.wrap != nil {
		body = r.wrap(body)
	}
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(body), Request: req}, nil
}

type randomReader struct {
	r   io.Reader
	rnd *rand.Rand
}

func (r *randomReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1+r.rnd.Intn(len(p))]
	}
	return r.r.Read(p)
}

// replayOnce replays c through a fresh transport and returns what the
// application read, its error, and the one span that ended.
func replayOnce(t *testing.T, rt replayTransport) ([]byte, error, sdktrace.ReadOnlySpan) {
	t.Helper()
	rec := newRecorder(t)
	client := &http.Client{Transport: NewTransport(rt, WithTracerProvider(rec.tp), WithMeterProvider(rec.mp))}
	req, err := http.NewRequest(http.MethodPost, rt.c.url, strings.NewReader(rt.c.request))
	require.NoError(t, err)
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := client.Do(req)
	require.NoError(t, err)
	got, readErr := io.ReadAll(resp.Body)
	require.NoError(t, resp.Body.Close())
	return got, readErr, rec.onlySpan(t)
}

// stableAttributes drops the attributes that measure time.
func stableAttributes(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	a := attrsOf(s)
	delete(a, semconv.GenAIResponseTimeToFirstChunkKey)
	return a
}

func TestWireFixturesThroughTheTransport(t *testing.T) {
	for _, c := range wireCases {
		t.Run(c.file, func(t *testing.T) {
			body := []byte(fixture(t, c.file))
			got, err, span := replayOnce(t, replayTransport{c: c, body: body})
			require.NoError(t, err)
			require.Equal(t, body, got, "the application reads the recorded bytes")
			want := stableAttributes(span)
			for k, v := range c.want {
				require.Contains(t, want, k)
				assert.Equal(t, v, want[k].AsInterface(), k)
			}
			assert.Equal(t, "eof", want[semconv.ResponseEndKey].AsString())
			_, observeErr := want[semconv.ObserveErrorKey]
			assert.False(t, observeErr, "a recorded payload is understood: %v", want[semconv.ObserveErrorKey])
			if c.noUsage {
				assert.Equal(t, "absent", want[semconv.UsageSourceKey].AsString())
			} else {
				assert.NotEqual(t, "absent", want[semconv.UsageSourceKey].AsString())
			}

			reads := map[string]func(io.Reader) io.Reader{
				"one byte per read": iotest.OneByteReader,
				"half reads":        iotest.HalfReader,
			}
			for seed := int64(1); seed <= 5; seed++ {
				rnd := rand.New(rand.NewSource(seed))
				reads["random reads"+string(rune('0'+seed))] = func(r io.Reader) io.Reader { return &randomReader{r: r, rnd: rnd} }
			}
			for name, wrap := range reads {
				got, err, span := replayOnce(t, replayTransport{c: c, body: body, wrap: wrap})
				require.NoError(t, err, name)
				require.Equal(t, body, got, name)
				assert.Equal(t, want, stableAttributes(span), name)
			}
		})
	}
}

func TestWireFixturesTruncatedAtEveryOffset(t *testing.T) {
	errCut := errors.New("unexpected EOF from the peer")
	for _, c := range wireCases {
		t.Run(c.file, func(t *testing.T) {
			body := []byte(fixture(t, c.file))
			_, _, full := replayOnce(t, replayTransport{c: c, body: body})
			fullIn := attrsOf(full)[semconv.GenAIUsageInputTokensKey].AsInt64()
			fullOut := attrsOf(full)[semconv.GenAIUsageOutputTokensKey].AsInt64()
			step := 1
			if testing.Short() || len(body) > 4000 {
				step = len(body)/400 + 1
			}
			for cut := 0; cut < len(body); cut += step {
				for _, tail := range []error{nil, errCut} {
					got, err, span := replayOnce(t, replayTransport{c: c, body: body[:cut], tail: tail})
					require.Equal(t, body[:cut], got)
					if tail == nil {
						require.NoError(t, err)
					} else {
						require.Same(t, errCut, err, "the application gets the body's own error")
					}
					a := attrsOf(span)
					if v, ok := a[semconv.GenAIUsageInputTokensKey]; ok {
						assert.LessOrEqual(t, v.AsInt64(), fullIn, "cut %d", cut)
					}
					if v, ok := a[semconv.GenAIUsageOutputTokensKey]; ok {
						assert.LessOrEqual(t, v.AsInt64(), fullOut, "cut %d", cut)
					}
					if tail != nil {
						assert.Equal(t, "read_error", a[semconv.ResponseEndKey].AsString())
					}
				}
			}
		})
	}
}

// TestBadInputThroughTheTransport: what the application sees is what the
// base transport returned, and the span says what could not be known.
func TestBadInputThroughTheTransport(t *testing.T) {
	c := wireCases[0]
	for _, tc := range []struct {
		name, contentType, body string
		status                  int
		wantErrorType           string
		wantObserveError        bool
	}{
		{"malformed JSON", "application/json", `{"id":"x","usage":{"prompt_tokens":`, 200, "", true},
		{"HTML 502 from a proxy", "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>", 502, "502", true},
		{"empty body", "application/json", "", 200, "", true},
		{"provider error", "application/json", `{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}`, 429, "requests", false},
		{"error inside a 200 stream", "text/event-stream", "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n", 200, "server_error", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t)
			base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				return &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {tc.contentType}, "X-Request-Id": {"abc"}},
					Body: io.NopCloser(strings.NewReader(tc.body)), Request: r}, nil
			})
			client := &http.Client{Transport: NewTransport(base, WithTracerProvider(rec.tp), WithMeterProvider(rec.mp))}
			resp, err := client.Post(c.url, "application/json", strings.NewReader(`{"model":"gpt-5-nano","stream":true}`))
			require.NoError(t, err)
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			_ = resp.Body.Close()
			assert.Equal(t, tc.body, string(got))
			assert.Equal(t, tc.status, resp.StatusCode)
			assert.Equal(t, "abc", resp.Header.Get("X-Request-Id"))
			a := attrsOf(rec.onlySpan(t))
			if tc.wantErrorType != "" {
				assert.Equal(t, tc.wantErrorType, a[semconv.ErrorTypeKey].AsString())
			} else {
				_, has := a[semconv.ErrorTypeKey]
				assert.False(t, has)
			}
			_, hasObserveErr := a[semconv.ObserveErrorKey]
			assert.Equal(t, tc.wantObserveError, hasObserveErr, "observe error: %v", a[semconv.ObserveErrorKey])
			_, hasInput := a[semconv.GenAIUsageInputTokensKey]
			assert.False(t, hasInput, "no usage invented")
		})
	}
}

func TestContextCancelMidStreamKeepsPartialUsage(t *testing.T) {
	// An Anthropic stream whose message_start (with the input count) has
	// arrived when the application cancels.
	c := wireCases[4]
	body := []byte(fixture(t, c.file))
	cut := bytes.Index(body, []byte("event: content_block_delta"))
	require.Positive(t, cut)
	rec := newRecorder(t)
	ctx, cancel := context.WithCancel(context.Background())
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		pr, pw := io.Pipe()
		go func() {
			_, _ = pw.Write(body[:cut])
			<-r.Context().Done()
			_ = pw.CloseWithError(r.Context().Err())
		}()
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"text/event-stream"}}, Body: pr, Request: r}, nil
	})
	client := &http.Client{Transport: NewTransport(base, WithTracerProvider(rec.tp), WithMeterProvider(rec.mp))}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.url, strings.NewReader(c.request))
	resp, err := client.Do(req)
	require.NoError(t, err)
	buf := make([]byte, cut)
	_, err = io.ReadFull(resp.Body, buf)
	require.NoError(t, err)
	cancel()
	_, err = io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, context.Canceled)
	_ = resp.Body.Close()
	// Cancellation ends the span from the context's AfterFunc goroutine,
	// which may still be ending it when the application's read returns.
	require.Eventually(t, func() bool { return len(rec.ended()) == 1 }, 5*time.Second, time.Millisecond)
	a := attrsOf(rec.onlySpan(t))
	assert.Equal(t, "canceled", a[semconv.ResponseEndKey].AsString())
	assert.EqualValues(t, 394, a[semconv.GenAIUsageInputTokensKey].AsInt64(), "message_start's input count is kept")
	assert.False(t, a[semconv.UsageCompleteKey].AsBool())
}

func TestChunkMetricsCarryTheResponseModel(t *testing.T) {
	for _, c := range []wireCase{wireCases[0], wireCases[4]} { // OpenAI, Anthropic streams
		t.Run(c.file, func(t *testing.T) {
			rec := newRecorder(t)
			client := &http.Client{Transport: NewTransport(replayTransport{c: c, body: []byte(fixture(t, c.file)), wrap: iotest.OneByteReader},
				WithTracerProvider(rec.tp), WithMeterProvider(rec.mp))}
			req, _ := http.NewRequest(http.MethodPost, c.url, strings.NewReader(c.request))
			req.Header.Set("anthropic-version", "2023-06-01")
			resp, err := client.Do(req)
			require.NoError(t, err)
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			model := attrsOf(rec.onlySpan(t))[semconv.GenAIResponseModelKey].AsString()
			require.NotEmpty(t, model)

			rm := rec.collect(t)
			m, ok := findMetric(rm, "gen_ai.client.operation.time_per_output_chunk")
			require.True(t, ok)
			var withModel, without uint64
			for _, dp := range m.Data.(metricdata.Histogram[float64]).DataPoints {
				if v, ok := dp.Attributes.Value(semconv.GenAIResponseModelKey); ok {
					assert.Equal(t, model, v.AsString())
					withModel += dp.Count
				} else {
					without += dp.Count
				}
			}
			assert.Positive(t, withModel)
			assert.Zero(t, without, "every chunk after the first follows the event that named the model")
		})
	}
}

// A View that drops the per-chunk histogram turns chunk timing off; every
// other metric of the stream is recorded as before.
func TestDroppedPerChunkHistogramTimesNoChunk(t *testing.T) {
	c := wireCases[0] // an OpenAI stream
	rec := newRecorder(t)
	rec.metrics = sdkmetric.NewManualReader()
	rec.mp = sdkmetric.NewMeterProvider(sdkmetric.WithReader(rec.metrics), sdkmetric.WithView(dropPerChunk))
	t.Cleanup(func() { _ = rec.mp.Shutdown(context.Background()) })
	tr := NewTransport(replayTransport{c: c, body: []byte(fixture(t, c.file)), wrap: iotest.OneByteReader},
		WithTracerProvider(rec.tp), WithMeterProvider(rec.mp))
	req, _ := http.NewRequest(http.MethodPost, c.url, strings.NewReader(c.request))
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()

	rm := rec.collect(t)
	_, ok := findMetric(rm, "gen_ai.client.operation.time_per_output_chunk")
	assert.False(t, ok)
	for _, name := range []string{"gen_ai.client.operation.time_to_first_chunk", "gen_ai.client.operation.duration", "gen_ai.client.token.usage"} {
		m, ok := findMetric(rm, name)
		require.True(t, ok, name)
		var n uint64
		switch d := m.Data.(type) {
		case metricdata.Histogram[float64]:
			for _, dp := range d.DataPoints {
				n += dp.Count
			}
		case metricdata.Histogram[int64]:
			for _, dp := range d.DataPoints {
				n += dp.Count
			}
		}
		assert.Positive(t, n, name)
	}
	assert.False(t, tr.tel.timesChunks(context.Background()), "no chunk is timed")
	assert.True(t, NewTransport(nil, WithMeterProvider(newRecorder(t).mp)).tel.timesChunks(context.Background()))
}
