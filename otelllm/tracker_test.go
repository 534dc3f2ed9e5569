package otelllm

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"

	"github.com/otelllm/otelllm/semconv"
)

// trackerServer answers full calls with fullBody (100 in, 20 out), streams
// with streamBody(3) (7 in, 9 out), and "fail" models with a 500.
func trackerServer(t *testing.T) string {
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		switch {
		case strings.Contains(string(b), `"fail"`):
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"error":"server_error"}`)
		case strings.Contains(string(b), `"stream":true`):
			w.Header().Set("Content-Type", "application/x-ndjson")
			_, _ = io.WriteString(w, streamBody(3))
		case strings.Contains(string(b), `"other-model"`):
			_, _ = io.WriteString(w, `{"model":"other-model","in":10,"out":1}`)
		default:
			_, _ = io.WriteString(w, fullBody)
		}
	})
	return srv.URL + "/test/chat"
}

func call(t *testing.T, ctx context.Context, c *http.Client, url, body string) {
	t.Helper()
	resp := post(t, ctx, c, url, body)
	_, err := io.Copy(io.Discard, resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
}

var (
	fullCost   = 100*testPrice.Input + 20*testPrice.Output
	streamCost = 7*testPrice.Input + 9*testPrice.Output
)

func TestTrackerScenarios(t *testing.T) {
	rec := newRecorder(t)
	url := trackerServer(t)
	client := WrapClient(nil, rec.options()...)

	t.Run("one call", func(t *testing.T) {
		ctx, tr := Track(context.Background())
		call(t, ctx, client, url, `{"model":"test-model"}`)
		u := tr.Usage()
		assert.EqualValues(t, 1, u.Requests)
		assert.EqualValues(t, 1, u.SuccessfulRequests)
		assert.EqualValues(t, 100, u.InputTokens)
		assert.EqualValues(t, 20, u.OutputTokens)
		assert.EqualValues(t, 120, u.TotalTokens)
		assert.InDelta(t, fullCost, u.CostUSD, 1e-15)
		assert.Equal(t, "Tokens Used: 120\n\tPrompt Tokens: 100\n\t\tPrompt Tokens Cached: 0\n\tCompletion Tokens: 20\n\t\tReasoning Tokens: 0\nSuccessful Requests: 1\nTotal Cost (USD): $0.00014", tr.String())
	})

	t.Run("two sequential calls double", func(t *testing.T) {
		ctx, tr := Track(context.Background())
		call(t, ctx, client, url, `{"model":"test-model"}`)
		call(t, ctx, client, url, `{"model":"test-model"}`)
		u := tr.Usage()
		assert.EqualValues(t, 2, u.SuccessfulRequests)
		assert.EqualValues(t, 240, u.TotalTokens)
		assert.InDelta(t, 2*fullCost, u.CostUSD, 1e-15)
	})

	t.Run("a streamed call counts when its stream ends", func(t *testing.T) {
		ctx, tr := Track(context.Background())
		resp := post(t, ctx, client, url, `{"model":"test-model","stream":true}`)
		assert.Zero(t, tr.Usage().Requests, "not counted before the stream ends")
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		u := tr.Usage()
		assert.EqualValues(t, 1, u.Requests)
		assert.EqualValues(t, 16, u.TotalTokens)
		assert.InDelta(t, streamCost, u.CostUSD, 1e-15)
	})

	t.Run("agent run: tool call, streamed answer, derived contexts", func(t *testing.T) {
		ctx, tr := Track(context.Background())
		step, cancel := context.WithCancel(ctx) // a derived context counts too
		call(t, step, client, url, `{"model":"test-model"}`)
		cancel()
		call(t, ctx, client, url, `{"model":"test-model","stream":true}`)
		call(t, ctx, client, url, `{"model":"other-model"}`)
		u := tr.Usage()
		assert.EqualValues(t, 3, u.Requests)
		assert.EqualValues(t, 100+7+10, u.InputTokens)
		assert.EqualValues(t, 1, u.UnpricedRequests, "other-model has no price")
		assert.InDelta(t, fullCost+streamCost, u.CostUSD, 1e-15, "the unpriced call adds no cost")
		assert.EqualValues(t, 2, u.ByModel["test-model-2025"].Requests)
		assert.EqualValues(t, 11, u.ByModel["other-model"].TotalTokens)
		assert.Contains(t, tr.String(), "Unpriced Requests: 1")
	})

	t.Run("nested trackers", func(t *testing.T) {
		outerCtx, outer := Track(context.Background())
		call(t, outerCtx, client, url, `{"model":"test-model"}`)
		innerCtx, inner := Track(outerCtx)
		call(t, innerCtx, client, url, `{"model":"test-model"}`)
		assert.EqualValues(t, 1, inner.Usage().Requests)
		assert.EqualValues(t, 2, outer.Usage().Requests)
		assert.InDelta(t, 2*fullCost, outer.Usage().CostUSD, 1e-15)
		assert.Same(t, inner, TrackerFromContext(innerCtx))
	})

	t.Run("a failed call", func(t *testing.T) {
		ctx, tr := Track(context.Background())
		call(t, ctx, client, url, `{"model":"fail"}`)
		u := tr.Usage()
		assert.EqualValues(t, 1, u.Requests)
		assert.EqualValues(t, 1, u.FailedRequests)
		assert.EqualValues(t, 0, u.SuccessfulRequests)
		assert.EqualValues(t, 1, u.UnmeteredRequests)
		assert.Zero(t, u.CostUSD)
	})

	t.Run("a stream closed early counts its partial usage", func(t *testing.T) {
		ctx, tr := Track(context.Background())
		resp := post(t, ctx, client, url, `{"model":"test-model","stream":true}`)
		_ = resp.Body.Close()
		u := tr.Usage()
		assert.EqualValues(t, 1, u.Requests)
		assert.EqualValues(t, 1, u.SuccessfulRequests)
	})

	t.Run("calls without a tracker are not counted anywhere", func(t *testing.T) {
		_, tr := Track(context.Background())
		call(t, context.Background(), client, url, `{"model":"test-model"}`)
		assert.Zero(t, tr.Usage().Requests)
	})
}

func TestTrackerExactUnderConcurrency(t *testing.T) {
	rec := newRecorder(t)
	url := trackerServer(t)
	client := WrapClient(nil, rec.options()...)
	ctx, tr := Track(context.Background())
	const calls = 200
	var wg sync.WaitGroup
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			body := `{"model":"test-model"}`
			if i%2 == 1 {
				body = `{"model":"test-model","stream":true}`
			}
			resp := post(t, ctx, client, url, body)
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}(i)
	}
	wg.Wait()
	u := tr.Usage()
	assert.EqualValues(t, calls, u.Requests)
	assert.EqualValues(t, calls, u.SuccessfulRequests)
	assert.EqualValues(t, calls/2*(100+7), u.InputTokens)
	assert.EqualValues(t, calls/2*(20+9), u.OutputTokens)
	assert.InDelta(t, calls/2*(fullCost+streamCost), u.CostUSD, 1e-12)
	assert.Len(t, rec.ended(), calls, "every call's span ended")

	rm := rec.collect(t)
	assert.EqualValues(t, calls/2*(100+7), sumInt(t, rm, "otelllm.client.token.count", semconv.TokenTypeKey.String("input")))
	cost, _ := sumFloat(t, rm, "otelllm.client.cost")
	assert.InDelta(t, u.CostUSD, cost, 1e-12, "the cost counter agrees with the tracker")
}

func TestCallbackGetsTheRecord(t *testing.T) {
	rec := newRecorder(t)
	url := trackerServer(t)
	var mu sync.Mutex
	var got []CallRecord
	client := WrapClient(nil, rec.options(WithCallback(func(ctx context.Context, r CallRecord) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r)
	}), WithCallback(func(context.Context, CallRecord) { panic("a bad callback") }))...)
	call(t, context.Background(), client, url, `{"model":"test-model","stream":true}`)
	call(t, context.Background(), client, url, `{"model":"fail"}`)
	require.Len(t, got, 2)
	assert.Equal(t, "testai", got[0].Provider)
	assert.Equal(t, "chat", got[0].Operation)
	assert.Equal(t, "test-model", got[0].RequestModel)
	assert.Equal(t, "test-model-2025", got[0].ResponseModel)
	assert.True(t, got[0].Streamed)
	assert.True(t, got[0].Priced)
	assert.InDelta(t, streamCost, got[0].CostUSD, 1e-15)
	assert.Positive(t, got[0].Duration)
	assert.Positive(t, got[0].TimeToFirstChunk)
	assert.Equal(t, EndEOF, got[0].End)
	assert.Equal(t, "server_error", got[1].ErrorType)
	assert.Equal(t, 500, got[1].StatusCode)
	assert.Len(t, rec.ended(), 2, "a panicking callback does not stop the span from ending")
}

// A Gemini countTokens call has its span and duration, and no usage: the
// prompt size it answers with is not tokens used, and the tracker does not
// count it as a call whose usage went missing.
func TestCountTokensCallHasNoUsage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"totalTokens": 7, "cachedContentTokenCount": 3}`)
	}))
	defer srv.Close()
	rec := newRecorder(t)
	client := WrapClient(srv.Client(), WithTracerProvider(rec.tp), WithMeterProvider(rec.mp))
	ctx, tracker := Track(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/v1beta/models/gemini-2.5-flash:countTokens?key=secret-query",
		strings.NewReader(`{"contents":[{"parts":[{"text":"hi"}]}]}`))
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.JSONEq(t, `{"totalTokens": 7, "cachedContentTokenCount": 3}`, string(body))

	span := rec.onlySpan(t)
	assert.Equal(t, "count_tokens gemini-2.5-flash", span.Name())
	assert.NotEqual(t, codes.Error, span.Status().Code)
	a := attrsOf(span)
	assert.Equal(t, "count_tokens", a[semconv.GenAIOperationNameKey].AsString())
	for _, k := range []attribute.Key{semconv.GenAIUsageInputTokensKey, semconv.GenAIUsageOutputTokensKey, semconv.UsageCostKey, semconv.PricingUnpricedKey, semconv.ObserveErrorKey, semconv.ErrorTypeKey} {
		assert.NotContains(t, a, k)
	}
	assertNoSecrets(t, span)

	rm := rec.collect(t)
	_, n := sumFloat(t, rm, semconv.ClientOperationDuration().Name, semconv.GenAIOperationNameKey.String("count_tokens"))
	assert.EqualValues(t, 1, n)
	_, found := findMetric(rm, semconv.ClientTokenUsage().Name)
	assert.False(t, found, "no token usage recorded")

	u := tracker.Usage()
	assert.EqualValues(t, 1, u.Requests)
	assert.EqualValues(t, 1, u.SuccessfulRequests)
	assert.Zero(t, u.UnmeteredRequests)
	assert.Zero(t, u.TotalTokens)
}
