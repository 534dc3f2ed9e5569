package providers

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseResetDuration(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		// OpenAI and Groq, from recorded responses (see provider-facts).
		{"6ms", 6 * time.Millisecond, true},
		{"0s", 0, true},
		{"6m0s", 6 * time.Minute, true},
		{"1m26.4s", 86400 * time.Millisecond, true},
		{"17.399999999s", 17399999999 * time.Nanosecond, true},
		// Together (seconds) and Cerebras (float seconds).
		{"1", time.Second, true},
		{"26.28409242630005", 26284092426 * time.Nanosecond, true},
		{"", 0, false},
		{"-1s", 0, false},
		{"-3", 0, false},
		{"soon", 0, false},
		{"NaN", 0, false},
		{"1e300", 0, false},
	} {
		got, ok := ParseResetDuration(c.in)
		assert.Equal(t, c.ok, ok, "%q", c.in)
		if c.ok {
			assert.InDelta(t, float64(c.want), float64(got), float64(time.Microsecond), "%q", c.in)
		}
	}
}

func TestParseResetTime(t *testing.T) {
	at, err := http.ParseTime("Sun, 07 Apr 2024 07:30:20 GMT")
	require.NoError(t, err)
	d, ok := ParseResetTime("2024-04-07T07:31:00Z", at)
	require.True(t, ok)
	assert.Equal(t, 40*time.Second, d)
	d, ok = ParseResetTime("2024-04-07T07:30:00Z", at)
	require.True(t, ok)
	assert.Equal(t, time.Duration(0), d, "an instant already past is 0, never negative")
	_, ok = ParseResetTime("6ms", at)
	assert.False(t, ok)
}

func TestParseRateLimitCount(t *testing.T) {
	for in, want := range map[string]int64{"10000": 10000, "9999999893": 9999999893, " 5 ": 5, "14400.0": 14400} {
		n, ok := ParseRateLimitCount(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, n, in)
	}
	for _, in := range []string{"", "-1", "1.5", "many", "0x10"} {
		_, ok := ParseRateLimitCount(in)
		assert.False(t, ok, in)
	}
}

func TestRetryAfter(t *testing.T) {
	dur := func(d time.Duration) *time.Duration { return &d }
	for _, c := range []struct {
		name   string
		header http.Header
		want   *time.Duration
	}{
		{"seconds", http.Header{"Retry-After": {"2"}}, dur(2 * time.Second)},
		{"fractional seconds", http.Header{"Retry-After": {"0.5"}}, dur(500 * time.Millisecond)},
		// Azure OpenAI sends both; the SDKs prefer the milliseconds.
		{"azure milliseconds first", http.Header{"Retry-After": {"3"}, "Retry-After-Ms": {"2000"}}, dur(2 * time.Second)},
		{"http date against the response's Date", http.Header{
			"Date":        {"Sun, 07 Apr 2024 07:30:20 GMT"},
			"Retry-After": {"Sun, 07 Apr 2024 07:30:50 GMT"},
		}, dur(30 * time.Second)},
		{"date already past", http.Header{
			"Date":        {"Sun, 07 Apr 2024 07:30:20 GMT"},
			"Retry-After": {"Sun, 07 Apr 2024 07:30:00 GMT"},
		}, dur(0)},
		{"none", http.Header{}, nil},
		{"unreadable", http.Header{"Retry-After": {"later"}}, nil},
		{"negative", http.Header{"Retry-After": {"-5"}}, nil},
		{"unreadable milliseconds fall back", http.Header{"Retry-After-Ms": {"x"}, "Retry-After": {"1"}}, dur(time.Second)},
	} {
		assert.Equal(t, c.want, RetryAfter(c.header), c.name)
	}
}

func TestRateLimitWindow(t *testing.T) {
	for in, want := range map[string]string{"minute": "minute", "Minute": "minute", "10-second": "10-second", "10-Second": "10-second", "day": "day", "month": "month"} {
		got, ok := RateLimitWindow(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "query-cost", "cost", "12345-second", "-minute", "x-minute", "fortnight"} {
		_, ok := RateLimitWindow(in)
		assert.False(t, ok, in)
	}
}

func TestSetRateLimitIsBounded(t *testing.T) {
	var r Result
	for i := range 40 {
		r.SetRateLimit(RateLimitTokens, string(rune('a'+i)), RateLimitLimit, int64(i), 0)
	}
	assert.Len(t, r.RateLimits, maxRateLimits)
	r.SetRateLimit(RateLimitTokens, "a", RateLimitReset, 0, -time.Second)
	assert.Equal(t, RateLimit{Resource: RateLimitTokens, Window: "a", Limit: 0, Reset: 0, Reported: RateLimitLimit | RateLimitReset}, r.RateLimits[0])
}

// A dialect that reads headers gets them before any byte of the body, and
// every provider's observer reads Retry-After.
func TestNewObserverReadsHeaders(t *testing.T) {
	resp := &http.Response{StatusCode: 429, Header: http.Header{"Content-Type": {"application/json"}, "Retry-After": {"7"}, "X-Limit": {"3"}}}
	d := &headerDialect{}
	o := NewObserver(resp, Request{}, d)
	o.Write([]byte(`{"error":{}}`))
	got := o.Finish(true)
	require.NotNil(t, got.RetryAfter)
	assert.Equal(t, 7*time.Second, *got.RetryAfter)
	assert.Equal(t, []RateLimit{{Resource: RateLimitRequests, Limit: 3, Reported: RateLimitLimit}}, got.RateLimits)
	assert.True(t, d.headersFirst, "Headers is called before the body")
}

type headerDialect struct{ headersFirst, sawDocument bool }

func (d *headerDialect) Headers(h http.Header, r *Result) {
	d.headersFirst = !d.sawDocument
	if n, ok := ParseRateLimitCount(h.Get("X-Limit")); ok {
		r.SetRateLimit(RateLimitRequests, "", RateLimitLimit, n, 0)
	}
}
func (d *headerDialect) Document(doc []byte, r *Result) { d.sawDocument = true }
func (d *headerDialect) Event(ev *Event, r *Result)     {}
