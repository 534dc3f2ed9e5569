package providers

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The resources a provider's rate limits count, the values of
// RateLimit.Resource.
const (
	RateLimitRequests     = "requests"
	RateLimitTokens       = "tokens"
	RateLimitInputTokens  = "input_tokens"
	RateLimitOutputTokens = "output_tokens"
)

// RateLimitField names one value of a [RateLimit]; a set of them is a bit
// mask.
type RateLimitField uint8

// The values a RateLimit can carry.
const (
	RateLimitLimit RateLimitField = 1 << iota
	RateLimitRemaining
	RateLimitReset
)

// RateLimit is one rate limit as a response's headers state it: how much of
// a resource the limit allows, how much of it is left, and when it is
// replenished. Only the values in Reported were sent; the others are zero
// and must not be presented as measured.
type RateLimit struct {
	// Resource is what the limit counts: RateLimitRequests,
	// RateLimitTokens, RateLimitInputTokens or RateLimitOutputTokens.
	Resource string
	// Window is the period the limit applies to where the header names it
	// (Mistral's "10-second", "minute", "month"; Cerebras' "day"): "" when
	// the provider does not say. One of a small set, so that it is safe as
	// a metric attribute.
	Window string
	// Limit is the most the window allows; Remaining what is left of it.
	Limit, Remaining int64
	// Reset is the time from the response until the limit is replenished
	// (fully, or by one unit, as the provider defines it); never negative.
	Reset time.Duration
	// Reported says which of Limit, Remaining and Reset the headers gave.
	Reported RateLimitField
}

// Has reports whether the headers gave value f.
func (l RateLimit) Has(f RateLimitField) bool { return l.Reported&f != 0 }

// A HeaderReader is a Dialect that reads facts from the response headers
// (rate limits). NewObserver calls Headers once, before the body's first
// byte.
type HeaderReader interface {
	Dialect
	Headers(h http.Header, r *Result)
}

// SetRateLimit records value f of the limit on resource in window, adding
// the limit to r.RateLimits if it is not there yet. The number of limits a
// response can carry is bounded: past 16 the rest are dropped.
func (r *Result) SetRateLimit(resource, window string, f RateLimitField, count int64, reset time.Duration) {
	i := 0
	for i < len(r.RateLimits) && (r.RateLimits[i].Resource != resource || r.RateLimits[i].Window != window) {
		i++
	}
	if i == len(r.RateLimits) {
		if i >= maxRateLimits {
			return
		}
		r.RateLimits = append(r.RateLimits, RateLimit{Resource: resource, Window: window})
	}
	l := &r.RateLimits[i]
	switch f {
	case RateLimitLimit:
		l.Limit = count
	case RateLimitRemaining:
		l.Remaining = count
	case RateLimitReset:
		l.Reset = max(reset, 0)
	default:
		return
	}
	l.Reported |= f
}

const maxRateLimits = 16

// ParseRateLimitCount reads the value of a limit or remaining header: a
// non-negative decimal integer (a trailing ".0" is tolerated, as some
// gateways print counts as floats).
func ParseRateLimitCount(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSuffix(s, ".0")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// ParseResetDuration reads a reset header that gives a time from now: a Go
// duration as OpenAI and Groq send it ("6ms", "1m26.4s", "17.399999999s"),
// or a number of seconds (Together's "1", Cerebras' "26.284").
func ParseResetDuration(s string) (time.Duration, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, false
	}
	if secs, err := strconv.ParseFloat(s, 64); err == nil {
		return secondsDuration(secs)
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, false
	}
	return d, true
}

// ParseResetTime reads a reset header that gives an instant (Anthropic's
// RFC 3339 "2024-04-07T07:31:00Z") as the time from the response, at, until
// then; an instant already past is 0.
func ParseResetTime(s string, at time.Time) (time.Duration, bool) {
	t, err := time.Parse(time.RFC3339, strings.TrimSpace(s))
	if err != nil {
		return 0, false
	}
	return max(t.Sub(at), 0), true
}

// ResponseTime is when the response was sent, by its Date header, so that
// instants in other headers are read against the server's clock; the
// local time when it has none.
func ResponseTime(h http.Header) time.Time {
	if d := h.Get("Date"); d != "" {
		if t, err := http.ParseTime(d); err == nil {
			return t
		}
	}
	return time.Now()
}

// RetryAfter reads how long a response asks the client to wait before it
// retries: Retry-After-Ms (Azure OpenAI; the Stainless SDKs prefer it), else
// Retry-After in seconds or as an HTTP date. It returns nil when the
// response says nothing readable.
func RetryAfter(h http.Header) *time.Duration {
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			if d, ok := secondsDuration(ms / 1000); ok {
				return &d
			}
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return nil
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if d, ok := secondsDuration(secs); ok {
			return &d
		}
		return nil
	}
	if t, err := http.ParseTime(v); err == nil {
		d := max(t.Sub(ResponseTime(h)), 0)
		return &d
	}
	return nil
}

// secondsDuration converts a count of seconds, refusing what is negative,
// not a number, or beyond a year (no limit resets that far off: such a value
// is a misread).
func secondsDuration(secs float64) (time.Duration, bool) {
	const year = 365 * 24 * 3600
	if !(secs >= 0 && secs <= year) {
		return 0, false
	}
	return time.Duration(secs * float64(time.Second)), true
}

// RateLimitWindow returns w if it is a window name providers use in their
// header names ("second", "10-second", "minute", "hour", "day", "month"),
// optionally prefixed by a count of up to four digits, and false otherwise:
// windows become metric attributes, so they are kept to that small set.
func RateLimitWindow(w string) (string, bool) {
	unit := w
	if i := strings.IndexByte(w, '-'); i >= 0 {
		n := w[:i]
		if len(n) == 0 || len(n) > 4 || strings.Trim(n, "0123456789") != "" {
			return "", false
		}
		unit = w[i+1:]
	}
	switch strings.ToLower(unit) {
	case "second", "minute", "hour", "day", "week", "month":
		return strings.ToLower(w), true
	}
	return "", false
}

// SortRateLimits orders limits by resource (requests, tokens, input
// tokens, output tokens, then others) and window, so that a response's
// limits come out the same whatever the order its header map gave them in.
func SortRateLimits(limits []RateLimit) {
	slices.SortFunc(limits, func(a, b RateLimit) int {
		if c := cmp.Compare(resourceRank(a.Resource), resourceRank(b.Resource)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Resource, b.Resource); c != 0 {
			return c
		}
		return cmp.Compare(a.Window, b.Window)
	})
}

func resourceRank(r string) int {
	switch r {
	case RateLimitRequests:
		return 0
	case RateLimitTokens:
		return 1
	case RateLimitInputTokens:
		return 2
	case RateLimitOutputTokens:
		return 3
	}
	return 4
}
