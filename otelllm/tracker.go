package otelllm

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/otelllm/otelllm/providers"
)

// Usage is a running total of the calls a Tracker has counted.
type Usage struct {
	// Requests counts the requests sent, retries included;
	// SuccessfulRequests and FailedRequests split them by whether the call
	// failed.
	Requests           int64
	SuccessfulRequests int64
	FailedRequests     int64
	// Retries counts the requests among Requests that an SDK sent as a
	// retry of an earlier attempt (http.request.resend_count above 0), so
	// that Requests - Retries is the calls the application made that were
	// sent (see Calls).
	Retries int64
	// RejectedRequests counts the calls a limit refused (see Track):
	// nothing of them was sent, and they are not in Requests.
	// RejectedRetries counts an SDK's retries of refused calls, refused
	// again at once: retries of a call, not calls.
	RejectedRequests int64
	RejectedRetries  int64
	// UnpricedRequests counts calls that reported usage for a model the
	// price table does not know: CostUSD leaves them out.
	UnpricedRequests int64
	// UnmeteredRequests counts calls whose response reported no usage at
	// all (for example an OpenAI stream without include_usage, or a call
	// that failed before its usage arrived); token-counting calls, which
	// bill nothing, are not among them.
	UnmeteredRequests int64
	// UsageNotRequested counts the calls among UnmeteredRequests that were
	// streams sent without asking for usage (CallRecord.UsageNotRequested):
	// WithStreamUsage asks for it.
	UsageNotRequested int64

	// InputTokens includes cached input; OutputTokens includes reasoning.
	// TotalTokens is InputTokens + OutputTokens.
	InputTokens              int64
	OutputTokens             int64
	TotalTokens              int64
	CacheReadInputTokens     int64
	CacheCreationInputTokens int64
	ReasoningTokens          int64
	// CacheCreation1hInputTokens is the part of CacheCreationInputTokens
	// written to a one-hour cache (Anthropic), priced apart.
	CacheCreation1hInputTokens int64
	// WebSearchRequests counts the web searches providers ran (billed per
	// search).
	WebSearchRequests int64

	// CostUSD is the cost of the priced calls, in US dollars.
	CostUSD float64

	// ByModel breaks the totals down by model (the response model, else the
	// request model). It is nil inside the breakdown itself.
	ByModel map[string]Usage
}

func (u *Usage) add(r *CallRecord) {
	if r.Rejected() {
		u.addRejected(r)
		return
	}
	u.Requests++
	if r.ResendCount > 0 {
		u.Retries++
	}
	if r.Failed() {
		u.FailedRequests++
	} else {
		u.SuccessfulRequests++
	}
	usage := r.Usage
	if usage.Reported == 0 {
		if r.Operation != providers.OperationCountTokens { // bills nothing by design
			u.UnmeteredRequests++
			if r.UsageNotRequested {
				u.UsageNotRequested++
			}
		}
		if r.Priced { // a cost the response stated without counts
			u.CostUSD = addCost(u.CostUSD, r.CostUSD)
		}
		return
	}
	// Sums saturate: a total past what an int64 holds stays the largest
	// count there is, never wraps negative.
	u.InputTokens = addCount(u.InputTokens, usage.InputTokens)
	u.OutputTokens = addCount(u.OutputTokens, usage.OutputTokens)
	u.TotalTokens = addCount(u.TotalTokens, addCount(usage.InputTokens, usage.OutputTokens))
	u.CacheReadInputTokens = addCount(u.CacheReadInputTokens, usage.CacheReadInputTokens)
	u.CacheCreationInputTokens = addCount(u.CacheCreationInputTokens, usage.CacheCreationInputTokens)
	u.ReasoningTokens = addCount(u.ReasoningTokens, usage.ReasoningTokens)
	u.CacheCreation1hInputTokens = addCount(u.CacheCreation1hInputTokens, usage.CacheCreation1hInputTokens)
	u.WebSearchRequests = addCount(u.WebSearchRequests, usage.WebSearchRequests)
	if r.Priced {
		u.CostUSD = addCost(u.CostUSD, r.CostUSD)
	} else {
		u.UnpricedRequests++
	}
}

// addCount adds two counts, saturating at math.MaxInt64.
func addCount(a, b int64) int64 {
	a, b = max(a, 0), max(b, 0)
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// addCost adds two costs, holding the sum at math.MaxFloat64 rather than
// letting it become +Inf (costs are bounded by pricing.MaxCost, so only
// an astronomical number of calls could get there).
func addCost(a, b float64) float64 {
	if sum := a + b; sum <= math.MaxFloat64 {
		return sum
	}
	return math.MaxFloat64
}

// String formats u the way LangChain's get_openai_callback() prints its
// totals, with lines for cache writes, failures and unpriced calls when
// there are any.
func (u Usage) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Tokens Used: %d\n", u.TotalTokens)
	fmt.Fprintf(&b, "\tPrompt Tokens: %d\n", u.InputTokens)
	fmt.Fprintf(&b, "\t\tPrompt Tokens Cached: %d\n", u.CacheReadInputTokens)
	if u.CacheCreation1hInputTokens > 0 {
		fmt.Fprintf(&b, "\t\tPrompt Tokens Cache Write: %d (1h: %d)\n", u.CacheCreationInputTokens, u.CacheCreation1hInputTokens)
	} else if u.CacheCreationInputTokens > 0 {
		fmt.Fprintf(&b, "\t\tPrompt Tokens Cache Write: %d\n", u.CacheCreationInputTokens)
	}
	fmt.Fprintf(&b, "\tCompletion Tokens: %d\n", u.OutputTokens)
	fmt.Fprintf(&b, "\t\tReasoning Tokens: %d\n", u.ReasoningTokens)
	if u.WebSearchRequests > 0 {
		fmt.Fprintf(&b, "Web Searches: %d\n", u.WebSearchRequests)
	}
	fmt.Fprintf(&b, "Successful Requests: %d\n", u.SuccessfulRequests)
	if u.FailedRequests > 0 {
		fmt.Fprintf(&b, "Failed Requests: %d\n", u.FailedRequests)
	}
	if u.Retries > 0 {
		fmt.Fprintf(&b, "Retries: %d\n", u.Retries)
	}
	if u.RejectedRequests > 0 || u.RejectedRetries > 0 {
		fmt.Fprintf(&b, "Rejected Requests: %d (retried %d times)\n", u.RejectedRequests, u.RejectedRetries)
	}
	if u.UnpricedRequests > 0 {
		fmt.Fprintf(&b, "Unpriced Requests: %d (not in Total Cost)\n", u.UnpricedRequests)
	}
	switch {
	case u.UnmeteredRequests > 0 && u.UsageNotRequested == u.UnmeteredRequests:
		fmt.Fprintf(&b, "Requests Without Usage: %d (%s)\n", u.UnmeteredRequests, notRequestedHint)
	case u.UnmeteredRequests > 0 && u.UsageNotRequested > 0:
		fmt.Fprintf(&b, "Requests Without Usage: %d (%d of them %s)\n", u.UnmeteredRequests, u.UsageNotRequested, notRequestedHint)
	case u.UnmeteredRequests > 0:
		fmt.Fprintf(&b, "Requests Without Usage: %d\n", u.UnmeteredRequests)
	}
	fmt.Fprintf(&b, "Total Cost (USD): $%s", formatUSD(u.CostUSD))
	return b.String()
}

// notRequestedHint says why streams had no usage, and what asks for it.
const notRequestedHint = "streams sent without stream_options.include_usage: otelllm.WithStreamUsage asks for it"

func formatUSD(v float64) string {
	s := fmt.Sprintf("%.8f", v)
	s = strings.TrimRight(s, "0")
	if strings.HasSuffix(s, ".") {
		s += "00"
	}
	return s
}

// Tracker keeps a running total of the calls made with a context it was
// attached to by Track: every call whose request context is that context or
// one derived from it, from any goroutine, streamed or not. A call is counted
// when it ends (for a stream, when its body ends, however it ends).
type Tracker struct {
	parent *Tracker
	limits limits

	mu      sync.Mutex
	usage   Usage
	byModel map[string]*Usage
	flight  inFlight
}

type trackerKey struct{}

// Track returns a context that counts the calls made with it, and its
// Tracker. Trackers nest: a call counted by an inner tracker is counted by
// every tracker of the enclosing contexts too.
//
// Options set limits (WithCostLimit, WithTokenLimit, WithRequestLimit). A
// recognised call made with a context whose tracker, or any tracker
// enclosing it, has reached a limit is not sent: the transport returns a
// *BudgetError (errors.Is ErrBudgetExceeded), the call's span says
// error.type budget_exceeded and otelllm.response.end rejected, and every
// enclosing tracker counts it in Usage.RejectedRequests. Requests no
// provider recognises are never refused.
//
// Calls already in flight when a limit is reached finish and are counted,
// so concurrent calls can overshoot a cost or token limit: a call is
// admitted while the calls that have ended total less than the limit, and
// the total can then end above it by what the calls in flight at that
// moment use. With at most N calls in flight, the overshoot is less than N
// times the most one call uses. The request limit is never overshot
// (requests count from the moment they are sent), and WithReservation keeps
// the cost and token limits from being overshot by calls whose worst case
// is known.
func Track(ctx context.Context, opts ...TrackOption) (context.Context, *Tracker) {
	t := &Tracker{parent: trackerFrom(ctx), byModel: map[string]*Usage{}}
	for _, o := range opts {
		if o != nil {
			o.applyTrack(&t.limits)
		}
	}
	return context.WithValue(ctx, trackerKey{}, t), t
}

// TrackerFromContext returns the innermost Tracker of ctx, or nil.
func TrackerFromContext(ctx context.Context) *Tracker { return trackerFrom(ctx) }

func trackerFrom(ctx context.Context) *Tracker {
	if ctx == nil {
		return nil
	}
	t, _ := ctx.Value(trackerKey{}).(*Tracker)
	return t
}

func (t *Tracker) add(r *CallRecord, held admission) {
	model := r.Model()
	for tr := t; tr != nil; tr = tr.parent {
		tr.mu.Lock()
		tr.releaseLocked(held)
		tr.usage.add(r)
		m := tr.byModel[model]
		if m == nil {
			m = &Usage{}
			tr.byModel[model] = m
		}
		m.add(r)
		tr.mu.Unlock()
	}
}

// Usage returns a consistent snapshot of the totals so far.
func (t *Tracker) Usage() Usage {
	t.mu.Lock()
	defer t.mu.Unlock()
	u := t.usage
	u.ByModel = make(map[string]Usage, len(t.byModel))
	for model, m := range t.byModel {
		u.ByModel[model] = *m
	}
	return u
}

// String formats the totals as LangChain's get_openai_callback() does.
func (t *Tracker) String() string {
	u := t.Usage()
	return u.String()
}
