package otelllm

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"

	"go.opentelemetry.io/otel/attribute"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// ErrBudgetExceeded is what a recognised call made with a tracked context
// gets, as a *BudgetError, once its tracker or an enclosing one has reached
// one of its limits: errors.Is(err, ErrBudgetExceeded) tells it apart from
// the provider's errors. Nothing of such a call is sent.
var ErrBudgetExceeded = errors.New("otelllm: budget exceeded")

// Limit names one of a tracker's limits.
type Limit string

// The limits of a tracker.
const (
	// LimitCost is WithCostLimit's: US dollars of priced calls.
	LimitCost Limit = semconv.BudgetLimitCost
	// LimitTokens is WithTokenLimit's: input plus output tokens.
	LimitTokens Limit = semconv.BudgetLimitTokens
	// LimitRequests is WithRequestLimit's: requests sent, retries included.
	LimitRequests Limit = semconv.BudgetLimitRequests
)

// BudgetError is the error of a call a tracker's limit refused. errors.Is
// matches it to ErrBudgetExceeded, through the *url.Error of net/http and the
// SDKs' wrappers.
type BudgetError struct {
	// Limit is the limit that refused the call.
	Limit Limit
	// Total is the tracker's total against the limit when it refused the
	// call, in the limit's unit (US dollars, tokens, requests): what the
	// calls that had ended used, plus, for the request limit, the calls
	// in flight, and, with WithReservation, what calls in flight reserve.
	Total float64
	// Value is the limit's value.
	Value float64
	// Reserve is, with WithReservation, the call's own worst case that
	// did not fit under the limit; 0 when the limit was simply reached.
	Reserve float64
}

// Error says which limit refused the call.
func (e *BudgetError) Error() string {
	var value, total, reserve string
	switch e.Limit {
	case LimitCost:
		value, total, reserve = "$"+formatUSD(e.Value), "$"+formatUSD(e.Total), "$"+formatUSD(e.Reserve)
	default:
		value, total, reserve = formatCount(e.Value), formatCount(e.Total), formatCount(e.Reserve)
	}
	if e.Reserve > 0 {
		return fmt.Sprintf("%v: the call's worst case (%s) does not fit under the %s limit of %s (%s used or reserved)", ErrBudgetExceeded, reserve, e.Limit, value, total)
	}
	return fmt.Sprintf("%v: %s limit of %s reached (%s used)", ErrBudgetExceeded, e.Limit, value, total)
}

func formatCount(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Is reports whether target is ErrBudgetExceeded.
func (e *BudgetError) Is(target error) bool { return target == ErrBudgetExceeded }

// RetryableError reports false: the AWS SDK for Go consults it, and does
// not retry a call a budget refused (it would be refused again).
func (e *BudgetError) RetryableError() bool { return false }

// A TrackOption sets a limit of the tracker Track returns.
type TrackOption interface {
	applyTrack(*limits)
}

type trackOptionFunc func(*limits)

func (f trackOptionFunc) applyTrack(l *limits) { f(l) }

// limits are a tracker's limits; they do not change once Track returns.
type limits struct {
	cost             float64
	tokens, requests int64
	hasCost          bool
	hasTokens        bool
	hasRequests      bool
	reserve          bool
}

func (l *limits) any() bool { return l.hasCost || l.hasTokens || l.hasRequests }

// WithCostLimit refuses the tracker's calls once the cost of the calls it
// has counted reaches usd US dollars. Unpriced calls add nothing to the
// cost (see Usage.UnpricedRequests). 0 refuses every call; a negative or
// NaN value is ignored. Calls in flight when the limit is reached finish and
// are counted, so the total can end above the limit: see Track for the
// bound, and WithReservation to keep it under.
func WithCostLimit(usd float64) TrackOption {
	return trackOptionFunc(func(l *limits) {
		if usd >= 0 && !math.IsInf(usd, 1) {
			l.cost, l.hasCost = usd, true
		}
	})
}

// WithTokenLimit refuses the tracker's calls once the calls it has counted
// have used tokens input and output tokens together (Usage.TotalTokens). 0 refuses every
// call; a negative value is ignored. Calls in flight when the limit is
// reached finish and are counted: see Track for the bound.
func WithTokenLimit(tokens int64) TrackOption {
	return trackOptionFunc(func(l *limits) {
		if tokens >= 0 {
			l.tokens, l.hasTokens = tokens, true
		}
	})
}

// WithRequestLimit refuses the tracker's calls once n requests have been
// sent with it, retries included (Usage.Requests). Requests in flight count
// from the moment they are sent, so this limit is never overshot, however
// many calls run at once. 0 refuses every call; a negative value is ignored.
func WithRequestLimit(n int64) TrackOption {
	return trackOptionFunc(func(l *limits) {
		if n >= 0 {
			l.requests, l.hasRequests = n, true
		}
	})
}

// WithReservation makes the tracker reserve each call's worst case against
// its cost and token limits from the moment it is sent until it ends, so
// that calls running at once cannot together overshoot them: a call whose
// worst case does not fit beside what the calls that ended used and what
// the calls in flight reserve is refused.
//
// A call has a worst case when its request names its maximum output tokens
// (max_tokens, max_completion_tokens, max_output_tokens, maxOutputTokens;
// times n choices) or is an embeddings call, and its body's size is known:
// the worst case counts one input token per byte of the request body, far
// more than the real count, and every output token at the dearest price
// the table has for the model (service tiers, reasoning, cache writes).
// A stream holds its reservation until its body ends, however it ends.
// For an unpriced model only the tokens are reserved: its calls add nothing
// to the cost. Calls without a worst case (no maximum output, a body of
// unknown size, a compressed body) reserve nothing and are refused only
// once the limit is reached, as without this option.
//
// Input that is not in the request body is outside the worst case: images,
// audio and files referred to by URL or id, a conversation continued by
// previous_response_id, and per-search fees of server-side tools. The
// price is the request model's: a model alias served by a dearer snapshot
// is outside it too. Where a call carries such input, the limit can still
// be overshot by it.
func WithReservation() TrackOption {
	return trackOptionFunc(func(l *limits) { l.reserve = true })
}

// inFlight is what the calls a tracker admitted and has not yet counted
// hold against its limits. It is guarded by the tracker's mutex.
type inFlight struct {
	requests int64
	tokens   int64
	nanoUSD  int64 // reserved cost, in billionths of a dollar, rounded up
}

// admission is what one admitted call holds in every tracker of its
// context, released when the call is counted; the zero value holds
// nothing (a call without a tracker, or refused).
type admission struct {
	admitted bool
	tokens   int64
	nanoUSD  int64
}

// worstCase is the most a call can use, as WithReservation counts it.
type worstCase struct {
	bounded bool // the token count is a bound
	tokens  int64
	priced  bool // nanoUSD is a bound
	nanoUSD int64
}

// admit admits a call into t and every tracker enclosing it, or returns
// the error of the first whose limit refuses it. The trackers are locked
// together, innermost first (an order every caller keeps, so no two can
// deadlock), so that checks and holds are one step for all of them.
func (t *Tracker) admit(w worstCase) (admission, *BudgetError) {
	var buf [8]*Tracker
	chain := buf[:0]
	for tr := t; tr != nil; tr = tr.parent {
		chain = append(chain, tr)
	}
	for _, tr := range chain {
		tr.mu.Lock()
	}
	defer func() {
		for _, tr := range chain {
			tr.mu.Unlock()
		}
	}()
	for _, tr := range chain {
		if err := tr.checkLocked(w); err != nil {
			return admission{}, err
		}
	}
	held := admission{admitted: true}
	if w.bounded {
		held.tokens = w.tokens
	}
	if w.priced {
		held.nanoUSD = w.nanoUSD
	}
	for _, tr := range chain {
		tr.flight.requests++
		tr.flight.tokens += held.tokens
		tr.flight.nanoUSD += held.nanoUSD
	}
	return held, nil
}

// releaseLocked lets go of what an admitted call held, as it is counted.
func (t *Tracker) releaseLocked(held admission) {
	if !held.admitted {
		return
	}
	t.flight.requests--
	t.flight.tokens -= held.tokens
	t.flight.nanoUSD -= held.nanoUSD
}

// checkLocked returns the error of the first of t's own limits that
// refuses a call whose worst case is w. The caller holds t.mu.
func (t *Tracker) checkLocked(w worstCase) *BudgetError {
	l := &t.limits
	if !l.any() {
		return nil
	}
	u := &t.usage
	if l.hasRequests {
		if sent := u.Requests + t.flight.requests; sent >= l.requests {
			return &BudgetError{Limit: LimitRequests, Total: float64(sent), Value: float64(l.requests)}
		}
	}
	if l.hasTokens {
		used := u.TotalTokens
		if l.reserve {
			used += t.flight.tokens
		}
		if used >= l.tokens {
			return &BudgetError{Limit: LimitTokens, Total: float64(used), Value: float64(l.tokens)}
		}
		if l.reserve && w.bounded && used+w.tokens > l.tokens {
			return &BudgetError{Limit: LimitTokens, Total: float64(used), Value: float64(l.tokens), Reserve: float64(w.tokens)}
		}
	}
	if l.hasCost {
		used := u.CostUSD
		if l.reserve {
			used = roundUSD(used + float64(t.flight.nanoUSD)/1e9)
		}
		if used >= l.cost {
			return &BudgetError{Limit: LimitCost, Total: used, Value: l.cost}
		}
		if reserve := float64(w.nanoUSD) / 1e9; l.reserve && w.priced && used+reserve > l.cost {
			return &BudgetError{Limit: LimitCost, Total: used, Value: l.cost, Reserve: reserve}
		}
	}
	return nil
}

// Err returns the *BudgetError a call made with the tracker's context would
// get because a limit of the tracker, or of a tracker enclosing it, has been
// reached, and nil while none has. An agent loop that checks it before each
// step stops without making the call (and without an SDK's retries of it).
// With WithReservation, a call can be refused before Err says so: its own
// worst case may not fit. A nil Tracker (TrackerFromContext of a context
// without one) has no limits: its Err is nil.
func (t *Tracker) Err() error {
	for tr := t; tr != nil; tr = tr.parent {
		tr.mu.Lock()
		err := tr.checkLocked(worstCase{})
		tr.mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// reserves reports whether t or a tracker enclosing it reserves worst cases.
func (t *Tracker) reserves() bool {
	for tr := t; tr != nil; tr = tr.parent {
		if tr.limits.reserve {
			return true
		}
	}
	return false
}

// admit admits the call into the trackers of its context before anything
// is sent, or returns the error that refuses it. Calls without a tracker
// are not limited.
func (c *callState) admit(req *http.Request, body []byte, got bodyStatus) *BudgetError {
	tr := trackerFrom(req.Context())
	if tr == nil {
		return nil
	}
	var w worstCase
	if tr.reserves() {
		w = c.t.worstCase(c.request, inputBound(req, body, got))
	}
	held, err := tr.admit(w)
	if err != nil {
		return err
	}
	c.admitted = held
	return nil
}

// inputBound is the size of the request body in bytes, a bound on its
// input tokens (a token covers at least one byte of text), or -1 when the
// size is not known or the body is compressed.
func inputBound(req *http.Request, body []byte, got bodyStatus) int64 {
	if req.Header.Get("Content-Encoding") != "" {
		return -1
	}
	switch {
	case got == bodyRead:
		return int64(len(body))
	case got == bodyNone && (req.Body == nil || req.Body == http.NoBody):
		return 0
	case req.ContentLength > 0:
		return req.ContentLength
	}
	return -1
}

// worstCase is the most the call r can use, for WithReservation, with
// input bytes of request body (-1: unknown).
func (t *Transport) worstCase(r providers.Request, input int64) worstCase {
	if input < 0 {
		return worstCase{}
	}
	var output int64
	switch {
	case r.Operation == providers.OperationEmbeddings:
	case r.MaxTokens != nil && *r.MaxTokens >= 0:
		output = *r.MaxTokens
		if r.ChoiceCount != nil && *r.ChoiceCount > 1 {
			output *= *r.ChoiceCount
		}
	default:
		return worstCase{}
	}
	w := worstCase{bounded: true, tokens: input + output}
	m, ok := t.cfg.prices.Lookup(r.Provider, r.Model)
	if !ok {
		return w
	}
	usd := dearest(m.Price, input, output)
	for _, tier := range [2]*pricing.Price{m.Price.Flex, m.Price.Priority} {
		if tier != nil {
			usd = max(usd, dearest(*tier, input, output))
		}
	}
	// Rounded up, but not for the float error of an exact product.
	w.priced, w.nanoUSD = true, int64(math.Ceil(usd*1e9-1e-3))
	return w
}

// dearest is the highest cost p gives input and output tokens, whatever
// kind of token (plain, cache write, one-hour cache write; plain output or
// reasoning) they turn out to be.
func dearest(p pricing.Price, input, output int64) float64 {
	inputs := [3]pricing.Tokens{
		{Input: input},
		{Input: input, CacheCreation: input},
		{Input: input, CacheCreation: input, CacheCreation1h: input},
	}
	worst := 0.0
	for _, in := range inputs {
		in.Output = output
		worst = max(worst, p.Cost(in))
		in.Reasoning = output
		worst = max(worst, p.Cost(in))
	}
	return worst
}

// addRejected counts a call a limit refused: a first attempt as a refused
// call, an SDK's retry of one as a retry.
func (u *Usage) addRejected(r *CallRecord) {
	if r.ResendCount > 0 {
		u.RejectedRetries++
	} else {
		u.RejectedRequests++
	}
}

// Calls is the number of calls the application made: the requests sent
// that were not retries, and the calls refused.
func (u Usage) Calls() int64 { return u.Requests - u.Retries + u.RejectedRequests }

// appendBudget adds the span attributes of a call a limit refused.
func appendBudget(attrs []attribute.KeyValue, rec *record) []attribute.KeyValue {
	b := rec.budget
	if b == nil {
		return attrs
	}
	return append(attrs,
		semconv.BudgetLimitKey.String(string(b.Limit)),
		semconv.BudgetLimitValueKey.Float64(b.Value),
		semconv.BudgetTotalKey.Float64(b.Total))
}
