package otelllm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/openai"
	"github.com/otelllm/otelllm/semconv"
)

// chatServer is an OpenAI Chat Completions server whose every answer
// reports in input and out output tokens (streams too: the last chunk
// before [DONE] carries the usage). It counts the requests it receives.
type chatServer struct {
	*httptest.Server
	in, out  int64
	received atomic.Int64
	// header, when set, adds response headers.
	header func(n int64, h http.Header)
}

func newChatServer(t *testing.T, in, out int64) *chatServer {
	s := &chatServer{in: in, out: out}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.received.Add(1)
		body, _ := io.ReadAll(r.Body)
		var in struct{ Model string }
		_ = json.Unmarshal(body, &in)
		model := in.Model + "-2025"
		if s.header != nil {
			s.header(n, w.Header())
		}
		usage := fmt.Sprintf(`"usage":{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}`, s.in, s.out, s.in+s.out)
		if strings.Contains(string(body), `"stream":true`) {
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprintf(w, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"%s\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\":\"stop\"}]}\n\n", model)
			fmt.Fprintf(w, "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"%s\",\"choices\":[],%s}\n\ndata: [DONE]\n\n", model, usage)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"chatcmpl-%d","object":"chat.completion","model":"%s","choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],%s}`, n, model, usage)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *chatServer) url() string { return s.URL + "/v1/chat/completions" }

// baseCounter is the base transport under the otelllm transport: it counts
// the requests handed to it, so that a test can tell that a refused call
// never got past the budget check.
type baseCounter struct {
	base  http.RoundTripper
	calls atomic.Int64
}

func (b *baseCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	b.calls.Add(1)
	return b.base.RoundTrip(r)
}

// gptTestPrice prices the model the chat server answers for: 1 µ$ per input
// token, 2 µ$ per output token.
var gptTestPrice = pricing.Price{Input: 1e-6, Output: 2e-6}

func budgetClient(rec *telemetryRecorder, extra ...Option) (*http.Client, *baseCounter) {
	base := &baseCounter{base: http.DefaultTransport}
	opts := append(rec.options(WithProviders(openai.New()), WithModelPrice("gpt-test", gptTestPrice)), extra...)
	return &http.Client{Transport: NewTransport(base, opts...)}, base
}

// chatCall makes one chat call and reads its answer to the end. body's
// fields are added to the request's.
func chatCall(ctx context.Context, c *http.Client, u, fields string) error {
	body := `{"model":"gpt-test","messages":[{"role":"user","content":"hello"}]` + fields + `}`
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer sk-secret-key")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func budgetErrorOf(t *testing.T, err error) *BudgetError {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, ErrBudgetExceeded)
	var be *BudgetError
	require.ErrorAs(t, err, &be)
	var ue *url.Error
	require.ErrorAs(t, err, &ue, "net/http wraps the transport's error as usual")
	return be
}

// rejectedSpans returns the spans of refused calls.
func rejectedSpans(spans []sdktrace.ReadOnlySpan) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if attrsOf(s)[semconv.ResponseEndKey].AsString() == semconv.EndRejected {
			out = append(out, s)
		}
	}
	return out
}

func TestLimitRefusesTheCallOnceReached(t *testing.T) {
	for _, c := range []struct {
		name      string
		opt       TrackOption
		sent      int64 // calls sent before the limit is reached (each 100 in + 20 out)
		limit     Limit
		value     float64
		total     float64
		errorText string
	}{
		{"requests", WithRequestLimit(3), 3, LimitRequests, 3, 3, "otelllm: budget exceeded: requests limit of 3 reached (3 used)"},
		{"tokens", WithTokenLimit(250), 3, LimitTokens, 250, 360, "otelllm: budget exceeded: tokens limit of 250 reached (360 used)"},
		// 1.4e-4 per call: the fourth call is refused at 4.2e-4.
		{"cost", WithCostLimit(0.0004), 3, LimitCost, 0.0004, 0.00042, "otelllm: budget exceeded: cost limit of $0.0004 reached ($0.00042 used)"},
		{"zero refuses every call", WithTokenLimit(0), 0, LimitTokens, 0, 0, "otelllm: budget exceeded: tokens limit of 0 reached (0 used)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := newRecorder(t)
			srv := newChatServer(t, 100, 20)
			client, base := budgetClient(rec)
			ctx, tr := Track(context.Background(), c.opt)

			var err error
			calls := int64(0)
			for ; calls < 10; calls++ {
				if err = chatCall(ctx, client, srv.url(), ""); err != nil {
					break
				}
			}
			be := budgetErrorOf(t, err)
			assert.Equal(t, c.sent, calls, "calls made before the refusal")
			assert.Equal(t, c.limit, be.Limit)
			assert.Equal(t, c.value, be.Value)
			assert.InDelta(t, c.total, be.Total, 1e-12)
			assert.Zero(t, be.Reserve)
			assert.Equal(t, c.errorText, be.Error())
			assert.Equal(t, c.sent, srv.received.Load(), "no byte of the refused call reached the server")
			assert.Equal(t, c.sent, base.calls.Load(), "the refused call never reached the base transport")
			assert.Equal(t, be, tr.Err(), "Err says what the next call gets")

			u := tr.Usage()
			assert.Equal(t, c.sent, u.Requests, "Requests counts only requests sent")
			assert.EqualValues(t, 1, u.RejectedRequests)
			assert.Zero(t, u.RejectedRetries)
			assert.Equal(t, c.sent+1, u.Calls())
			assert.EqualValues(t, 1, u.ByModel["gpt-test"].RejectedRequests, "a refused call is accounted under its request model")
			assert.Contains(t, tr.String(), "Rejected Requests: 1 (retried 0 times)")

			spans := rec.ended()
			require.Len(t, spans, int(c.sent)+1, "one span per call, the refused one included")
			require.Len(t, rec.spans.Started(), len(spans), "no span left open")
			refused := rejectedSpans(spans)
			require.Len(t, refused, 1)
			s := refused[0]
			a := attrsOf(s)
			assert.Equal(t, "chat gpt-test", s.Name())
			assert.Equal(t, codes.Error, s.Status().Code)
			assert.Equal(t, be.Error(), s.Status().Description)
			assert.Equal(t, semconv.ErrorTypeBudgetExceeded, a[semconv.ErrorTypeKey].AsString())
			assert.Equal(t, string(c.limit), a[semconv.BudgetLimitKey].AsString())
			assert.Equal(t, c.value, a[semconv.BudgetLimitValueKey].AsFloat64())
			assert.InDelta(t, c.total, a[semconv.BudgetTotalKey].AsFloat64(), 1e-12)
			assert.Equal(t, "gpt-test", a[semconv.GenAIRequestModelKey].AsString())
			for _, k := range []attribute.Key{semconv.HTTPResponseStatusCodeKey, semconv.GenAIUsageInputTokensKey, semconv.UsageCostKey} {
				assert.NotContains(t, a, k)
			}
			require.Len(t, s.Events(), 1, "the exception event of the error the application saw")

			rm := rec.collect(t)
			assert.EqualValues(t, 1, sumInt(t, rm, "otelllm.client.requests", semconv.ErrorTypeKey.String(semconv.ErrorTypeBudgetExceeded)))
			assert.Equal(t, c.sent+1, sumInt(t, rm, "otelllm.client.requests"))
			_, timed := sumFloat(t, rm, "gen_ai.client.operation.duration")
			assert.Equal(t, uint64(c.sent), timed, "a call that was not sent has no duration")
		})
	}
}

// A refused call's request body is closed, as a RoundTripper must.
func TestRefusedCallClosesTheBody(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 1, 1)
	client, _ := budgetClient(rec)
	ctx, _ := Track(context.Background(), WithRequestLimit(0))
	body := &closeTracker{Reader: strings.NewReader(`{"model":"gpt-test","messages":[]}`)}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.url(), body)
	require.NoError(t, err)
	req.GetBody = nil // the body can only be read as it is sent
	resp, err := client.Transport.RoundTrip(req)
	assert.Nil(t, resp)
	require.ErrorIs(t, err, ErrBudgetExceeded)
	assert.True(t, body.closed.Load())
	assert.Zero(t, srv.received.Load())
}

type closeTracker struct {
	io.Reader
	closed atomic.Bool
}

func (c *closeTracker) Close() error { c.closed.Store(true); return nil }

func TestNestedTrackersWithDifferentLimits(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 100, 20)
	client, _ := budgetClient(rec)
	outerCtx, outer := Track(context.Background(), WithRequestLimit(5))
	innerCtx, inner := Track(outerCtx, WithTokenLimit(240)) // two calls

	require.NoError(t, chatCall(innerCtx, client, srv.url(), ""))
	require.NoError(t, chatCall(innerCtx, client, srv.url(), ""))
	be := budgetErrorOf(t, chatCall(innerCtx, client, srv.url(), ""))
	assert.Equal(t, LimitTokens, be.Limit, "the inner tracker's own limit")
	assert.Equal(t, be, inner.Err())
	require.NoError(t, outer.Err(), "the outer tracker has room")

	// The outer tracker's other calls go on, up to its own limit, which
	// the inner tracker's calls count towards.
	require.NoError(t, chatCall(outerCtx, client, srv.url(), ""))
	require.NoError(t, chatCall(outerCtx, client, srv.url(), ""))
	require.NoError(t, chatCall(outerCtx, client, srv.url(), ""))
	be = budgetErrorOf(t, chatCall(outerCtx, client, srv.url(), ""))
	assert.Equal(t, &BudgetError{Limit: LimitRequests, Total: 5, Value: 5}, be)

	// A call in the inner context is refused by the enclosing limit too:
	// the inner one is checked first.
	sibling, _ := Track(outerCtx, WithTokenLimit(1_000_000))
	be = budgetErrorOf(t, chatCall(sibling, client, srv.url(), ""))
	assert.Equal(t, LimitRequests, be.Limit, "an enclosing tracker's limit binds the trackers inside it")

	assert.EqualValues(t, 5, srv.received.Load())
	iu, ou := inner.Usage(), outer.Usage()
	assert.EqualValues(t, 2, iu.Requests)
	assert.EqualValues(t, 1, iu.RejectedRequests)
	assert.EqualValues(t, 5, ou.Requests)
	assert.EqualValues(t, 3, ou.RejectedRequests, "a refusal counts in every enclosing tracker")
	assert.EqualValues(t, 8, ou.Calls())
}

// Requests no provider recognises are never refused, whatever the limits.
func TestUnrecognisedRequestsAreNeverRefused(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 1, 1)
	client, base := budgetClient(rec)
	ctx, tr := Track(context.Background(), WithRequestLimit(0), WithCostLimit(0), WithTokenLimit(0))
	for _, path := range []string{"/v1/models", "/health"} {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		require.NoError(t, err)
		resp, err := client.Do(req)
		require.NoError(t, err, path)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	assert.EqualValues(t, 2, base.calls.Load())
	assert.Empty(t, rec.ended())
	assert.Zero(t, tr.Usage().RejectedRequests)
}

// 64 goroutines call until refused. The token limit is overshot by at most
// what the calls in flight when it was reached used: less than 64 calls.
func TestConcurrentCallsRacingALimit(t *testing.T) {
	const workers, perCall, limit = 64, 120, 3000
	rec := newRecorder(t)
	srv := newChatServer(t, 100, 20)
	client, base := budgetClient(rec)
	ctx, tr := Track(context.Background(), WithTokenLimit(limit))

	var wg sync.WaitGroup
	errs := make([]error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if err := chatCall(ctx, client, srv.url(), ""); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		be := budgetErrorOf(t, err)
		assert.Equal(t, LimitTokens, be.Limit)
	}
	u := tr.Usage()
	assert.GreaterOrEqual(t, u.TotalTokens, int64(limit), "the calls went on until the limit was reached")
	assert.Less(t, u.TotalTokens, int64(limit+workers*perCall), "overshoot within the documented bound")
	assert.Equal(t, u.Requests*perCall, u.TotalTokens)
	assert.Equal(t, srv.received.Load(), u.Requests, "every call sent was counted")
	assert.Equal(t, base.calls.Load(), u.Requests)
	assert.EqualValues(t, workers, u.RejectedRequests)
	assert.Len(t, rec.ended(), int(u.Requests)+workers)
	assert.Len(t, rec.spans.Started(), len(rec.ended()), "no span left open")
}

// The request limit is never overshot: requests in flight count from the
// moment they are sent.
func TestRequestLimitIsExactUnderConcurrency(t *testing.T) {
	const workers, limit = 64, 40
	rec := newRecorder(t)
	srv := newChatServer(t, 1, 1)
	client, _ := budgetClient(rec)
	ctx, tr := Track(context.Background(), WithRequestLimit(limit))
	var wg sync.WaitGroup
	var refused atomic.Int64
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if err := chatCall(ctx, client, srv.url(), ""); err != nil {
					if errors.Is(err, ErrBudgetExceeded) {
						refused.Add(1)
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	assert.EqualValues(t, limit, srv.received.Load())
	u := tr.Usage()
	assert.EqualValues(t, limit, u.Requests)
	assert.EqualValues(t, workers, u.RejectedRequests)
	assert.EqualValues(t, workers, refused.Load())
}

// A stream open while another call starts: without a reservation the
// second call is admitted (the first has counted nothing yet) and the limit
// is overshot; with WithReservation the stream's worst case is held until
// its body ends, and the second call is refused until then.
func TestReservationHoldsAStreamsWorstCase(t *testing.T) {
	// Each call: 100 in + 20 out = 120 tokens, $0.00014. A request of N
	// bytes with max_tokens 50 reserves N+50 tokens.
	const fields = `,"stream":true,"stream_options":{"include_usage":true},"max_tokens":50`
	open := func(t *testing.T, ctx context.Context, client *http.Client, u string) *http.Response {
		body := `{"model":"gpt-test","messages":[{"role":"user","content":"hello"}]` + fields + `}`
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, strings.NewReader(body))
		require.NoError(t, err)
		resp, err := client.Do(req)
		require.NoError(t, err)
		return resp
	}
	bodySize := int64(len(`{"model":"gpt-test","messages":[{"role":"user","content":"hello"}]` + fields + `}`))

	t.Run("without reservation the limit is overshot", func(t *testing.T) {
		rec := newRecorder(t)
		srv := newChatServer(t, 100, 20)
		client, _ := budgetClient(rec)
		ctx, tr := Track(context.Background(), WithTokenLimit(200))
		stream := open(t, ctx, client, srv.url())
		require.NoError(t, chatCall(ctx, client, srv.url(), ""), "admitted: the stream has counted nothing yet")
		_, _ = io.Copy(io.Discard, stream.Body)
		require.NoError(t, stream.Body.Close())
		assert.EqualValues(t, 240, tr.Usage().TotalTokens, "over the limit of 200, by one call in flight")
	})

	t.Run("with reservation it is not", func(t *testing.T) {
		rec := newRecorder(t)
		srv := newChatServer(t, 100, 20)
		client, _ := budgetClient(rec)
		limit := 2*bodySize + 99 // room for one worst case, not two
		ctx, tr := Track(context.Background(), WithTokenLimit(limit), WithReservation())
		stream := open(t, ctx, client, srv.url())
		require.NoError(t, tr.Err(), "nothing used yet")
		be := budgetErrorOf(t, chatCall(ctx, client, srv.url(), fields))
		assert.Equal(t, &BudgetError{Limit: LimitTokens, Total: float64(bodySize + 50), Value: float64(limit), Reserve: float64(bodySize + 50)}, be)
		assert.Contains(t, be.Error(), "does not fit under the tokens limit")

		_, _ = io.Copy(io.Discard, stream.Body)
		require.NoError(t, stream.Body.Close())
		// The stream is counted at 120 tokens and its reservation let go.
		require.NoError(t, chatCall(ctx, client, srv.url(), fields))
		u := tr.Usage()
		assert.EqualValues(t, 240, u.TotalTokens)
		assert.LessOrEqual(t, u.TotalTokens, limit)
		assert.EqualValues(t, 1, u.RejectedRequests)
		assert.EqualValues(t, 2, srv.received.Load())
	})
}

// With WithReservation, 64 calls racing a cost limit never overshoot it.
func TestReservationKeepsConcurrentCallsUnderTheCostLimit(t *testing.T) {
	const workers = 64
	rec := newRecorder(t)
	srv := newChatServer(t, 100, 20)
	client, _ := budgetClient(rec)
	const limit = 0.005 // 35 calls at $0.00014, fewer reserved at once
	ctx, tr := Track(context.Background(), WithCostLimit(limit), WithReservation())
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for chatCall(ctx, client, srv.url(), `,"max_completion_tokens":40`) == nil {
			}
		}()
	}
	wg.Wait()
	u := tr.Usage()
	assert.LessOrEqual(t, u.CostUSD, limit, "never overshot")
	assert.Positive(t, u.Requests)
	assert.EqualValues(t, workers, u.RejectedRequests)
	assert.Equal(t, srv.received.Load(), u.Requests)
	// Once every call has ended nothing is held: the next call is refused
	// only if its worst case does not fit beside what was used.
	tr.mu.Lock()
	assert.Equal(t, inFlight{}, tr.flight, "every reservation released")
	tr.mu.Unlock()
}

// An unpriced model adds nothing to the cost, so a cost limit never refuses
// it; its tokens are still reserved against a token limit.
func TestReservationOfUnpricedModels(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 100, 20)
	client, _ := budgetClient(rec)
	ctx, tr := Track(context.Background(), WithCostLimit(0.000001), WithReservation())
	body := `,"max_tokens":10`
	send := func(model string) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.url(), strings.NewReader(`{"model":"`+model+`","messages":[]`+body+`}`))
		require.NoError(t, err)
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.Body.Close()
	}
	require.NoError(t, send("my-own-model"))
	require.NoError(t, send("my-own-model"))
	be := budgetErrorOf(t, send("gpt-test"))
	assert.Equal(t, LimitCost, be.Limit)
	assert.Positive(t, be.Reserve, "the priced model's worst case does not fit")
	u := tr.Usage()
	assert.EqualValues(t, 2, u.UnpricedRequests)
	assert.Zero(t, u.CostUSD)

	tokCtx, tok := Track(context.Background(), WithTokenLimit(50), WithReservation())
	ctx = tokCtx
	be = budgetErrorOf(t, send("my-own-model"))
	assert.Equal(t, LimitTokens, be.Limit, "tokens are reserved for unpriced models too")
	assert.Zero(t, tok.Usage().Requests)
}

// The worst case of a call counts its input bytes, every output token of
// every choice, at the dearest price the model has.
func TestWorstCase(t *testing.T) {
	cacheWrite, cacheWrite1h, reasoning := 3e-6, 4e-6, 5e-6
	tr := NewTransport(nil, WithModelPrice("dear", pricing.Price{
		Input: 1e-6, Output: 2e-6, CacheCreation: &cacheWrite, CacheCreation1h: &cacheWrite1h, Reasoning: &reasoning,
		Priority: &pricing.Price{Input: 2e-6, Output: 10e-6},
	}))
	n := func(v int64) *int64 { return &v }
	for _, c := range []struct {
		name string
		req  openaiRequest
		in   int64
		want worstCase
	}{
		{"no maximum", openaiRequest{model: "dear"}, 100, worstCase{}},
		{"unknown size", openaiRequest{model: "dear", max: n(10)}, -1, worstCase{}},
		// input at the one-hour cache write price, output at the priority tier's.
		// The base price with input as one-hour cache writes and output as
		// reasoning (400 + 50 µ$) beats the priority tier's (200 + 100).
		{"bounded", openaiRequest{model: "dear", max: n(10)}, 100, worstCase{bounded: true, tokens: 110, priced: true, nanoUSD: 450_000}},
		{"choices", openaiRequest{model: "dear", max: n(10), choices: n(3)}, 100, worstCase{bounded: true, tokens: 130, priced: true, nanoUSD: 550_000}},
		// Priority output beats base reasoning when output dominates.
		{"priority", openaiRequest{model: "dear", max: n(1000)}, 100, worstCase{bounded: true, tokens: 1100, priced: true, nanoUSD: 10_200_000}},
		{"unpriced", openaiRequest{model: "nobody-prices-this", max: n(10)}, 100, worstCase{bounded: true, tokens: 110}},
		{"embeddings have no output", openaiRequest{model: "dear", embeddings: true}, 100, worstCase{bounded: true, tokens: 100, priced: true, nanoUSD: 400_000}},
	} {
		assert.Equal(t, c.want, tr.worstCase(c.req.request(), c.in), c.name)
	}
}

type openaiRequest struct {
	model        string
	max, choices *int64
	embeddings   bool
}

func (r openaiRequest) request() (p providers.Request) {
	p.Provider, p.Operation, p.Model, p.MaxTokens, p.ChoiceCount = "openai", "chat", r.model, r.max, r.choices
	if r.embeddings {
		p.Operation = "embeddings"
	}
	return p
}

func TestTrackOptionsIgnoreNonsense(t *testing.T) {
	_, tr := Track(context.Background(), WithCostLimit(-1), WithTokenLimit(-5), WithRequestLimit(-1), nil)
	assert.False(t, tr.limits.any())
	nan := 0.0
	_, tr = Track(context.Background(), WithCostLimit(nan/nan))
	assert.False(t, tr.limits.any())
	_, tr = Track(context.Background(), WithCostLimit(1), WithCostLimit(2))
	assert.Equal(t, 2.0, tr.limits.cost, "the last option wins")
}

func TestErrOfNoTracker(t *testing.T) {
	assert.NoError(t, TrackerFromContext(context.Background()).Err())
}
