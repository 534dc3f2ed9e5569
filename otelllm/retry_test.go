package otelllm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers/openai"
	"github.com/otelllm/otelllm/semconv"
)

func TestResendCount(t *testing.T) {
	for _, c := range []struct {
		header http.Header
		want   int
	}{
		{http.Header{}, 0},
		// openai-go and anthropic-sdk-go: 0 on the first attempt.
		{http.Header{"X-Stainless-Retry-Count": {"0"}}, 0},
		{http.Header{"X-Stainless-Retry-Count": {"2"}}, 2},
		{http.Header{"X-Stainless-Retry-Count": {"-1"}}, 0},
		{http.Header{"X-Stainless-Retry-Count": {"many"}}, 0},
		{http.Header{"X-Stainless-Retry-Count": {"100000"}}, 0},
		// The AWS SDKs count the first attempt as 1.
		{http.Header{"Amz-Sdk-Request": {"attempt=1; max=3"}}, 0},
		{http.Header{"Amz-Sdk-Request": {"attempt=3; max=3"}}, 2},
		{http.Header{"Amz-Sdk-Request": {"ttl=20260101T000000Z; attempt=2; max=3"}}, 1},
		{http.Header{"Amz-Sdk-Request": {"max=3"}}, 0},
		{http.Header{"Amz-Sdk-Request": {"attempt=x"}}, 0},
	} {
		assert.Equal(t, c.want, resendCount(c.header), "%v", c.header)
	}
}

// attempt sends one chat request as an SDK's attempt n would.
func attempt(ctx context.Context, c *http.Client, u string, n int) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(`{"model":"gpt-test","messages":[]}`))
	if err != nil {
		return err
	}
	req.Header.Set("X-Stainless-Retry-Count", fmt.Sprint(n))
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func TestRetriesAreCountedApart(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 10, 2)
	client, _ := budgetClient(rec)
	ctx, tr := Track(context.Background())
	var records []CallRecord
	client.Transport = NewTransport(http.DefaultTransport, rec.options(WithProviders(openai.New()), WithModelPrice("gpt-test", gptTestPrice),
		WithCallback(func(_ context.Context, r CallRecord) { records = append(records, r) }))...)
	for n := range 3 {
		require.NoError(t, attempt(ctx, client, srv.url(), n))
	}
	require.NoError(t, attempt(ctx, client, srv.url(), 0)) // a second call

	spans := rec.ended()
	require.Len(t, spans, 4)
	for i, want := range []int64{0, 1, 2, 0} {
		v, ok := attrsOf(spans[i])[semconv.HTTPRequestResendCountKey]
		if want == 0 {
			assert.False(t, ok, "http.request.resend_count only on a retry")
			continue
		}
		assert.Equal(t, want, v.AsInt64())
	}
	assert.Equal(t, []int{0, 1, 2, 0}, []int{records[0].ResendCount, records[1].ResendCount, records[2].ResendCount, records[3].ResendCount})
	u := tr.Usage()
	assert.EqualValues(t, 4, u.Requests, "every request sent")
	assert.EqualValues(t, 2, u.Retries)
	assert.EqualValues(t, 2, u.Calls(), "the calls the application made")
	assert.EqualValues(t, 48, u.TotalTokens, "each attempt's tokens are billed and kept")
	assert.Contains(t, u.String(), "Retries: 2")
}

// An SDK retries a refused call (a transport error, to it): each retry is
// refused again at once and counted as a retry, not as another call.
func TestRetriesOfARefusedCall(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 10, 2)
	client, base := budgetClient(rec)
	ctx, tr := Track(context.Background(), WithRequestLimit(1))
	require.NoError(t, attempt(ctx, client, srv.url(), 0))
	for n := range 3 {
		budgetErrorOf(t, attempt(ctx, client, srv.url(), n))
	}
	assert.EqualValues(t, 1, base.calls.Load())
	u := tr.Usage()
	assert.EqualValues(t, 1, u.Requests)
	assert.EqualValues(t, 1, u.RejectedRequests)
	assert.EqualValues(t, 2, u.RejectedRetries)
	assert.EqualValues(t, 2, u.Calls())
	refused := rejectedSpans(rec.ended())
	require.Len(t, refused, 3)
	assert.EqualValues(t, 2, attrsOf(refused[2])[semconv.HTTPRequestResendCountKey].AsInt64())

	// A retry refused after its first attempt was sent is a retry too.
	ctx, tr = Track(context.Background(), WithRequestLimit(1))
	require.NoError(t, attempt(ctx, client, srv.url(), 0))
	budgetErrorOf(t, attempt(ctx, client, srv.url(), 1))
	u = tr.Usage()
	assert.Zero(t, u.RejectedRequests)
	assert.EqualValues(t, 1, u.RejectedRetries)
	assert.EqualValues(t, 1, u.Calls())
}

// Tokens a failed attempt was billed for (the usage of a stream cut after
// it) are kept, in the span and the tracker.
func TestTokensOfAFailedAttemptAreKept(t *testing.T) {
	rec := newRecorder(t)
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), `"stream":true`) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"id":"c2","model":"gpt-test-2025","choices":[{"index":0,"message":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":30,"completion_tokens":5,"total_tokens":35}}`)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		_, _ = io.WriteString(w, "data: {\"id\":\"c1\",\"model\":\"gpt-test-2025\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\n")
		_, _ = io.WriteString(w, "data: {\"id\":\"c1\",\"model\":\"gpt-test-2025\",\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":5,\"total_tokens\":35}}\n\n")
		w.(http.Flusher).Flush()
		// The connection drops before [DONE] and the end of the body.
		conn, _, err := w.(http.Hijacker).Hijack()
		require.NoError(t, err)
		_ = conn.Close()
	})
	client, _ := budgetClient(rec)
	ctx, tr := Track(context.Background())
	err := chatCall(ctx, client, srv.URL+"/v1/chat/completions", `,"stream":true,"stream_options":{"include_usage":true}`)
	require.Error(t, err, "the application sees the broken stream")
	require.NoError(t, attempt(ctx, client, srv.URL+"/v1/chat/completions", 1), "the retry succeeds")

	spans := rec.ended()
	require.Len(t, spans, 2)
	a := attrsOf(spans[0])
	assert.Equal(t, semconv.EndReadError, a[semconv.ResponseEndKey].AsString())
	assert.NotEmpty(t, a[semconv.ErrorTypeKey].AsString())
	assert.EqualValues(t, 30, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.False(t, a[semconv.UsageCompleteKey].AsBool())
	u := tr.Usage()
	assert.EqualValues(t, 1, u.FailedRequests)
	assert.EqualValues(t, 1, u.Retries)
	assert.EqualValues(t, 1, u.Calls())
	assert.EqualValues(t, 60, u.InputTokens, "the failed attempt's tokens are kept beside the retry's")
	assert.InDelta(t, 2*(30*gptTestPrice.Input+5*gptTestPrice.Output), u.CostUSD, 1e-12)
}
