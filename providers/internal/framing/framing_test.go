package framing

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type sseEvent struct{ name, data string }

func collectSSE(t *testing.T, input string, splits func(string) []string, max int) ([]sseEvent, *SSE) {
	t.Helper()
	var got []sseEvent
	s := NewSSE(max, func(event, data []byte) { got = append(got, sseEvent{string(event), string(data)}) })
	for _, part := range splits(input) {
		s.Write([]byte(part))
	}
	s.End()
	return got, s
}

func whole(s string) []string { return []string{s} }

func bytewise(s string) []string {
	out := make([]string, len(s))
	for i := 0; i < len(s); i++ {
		out[i] = s[i : i+1]
	}
	return out
}

func randomSplits(seed int64) func(string) []string {
	return func(s string) []string {
		r := rand.New(rand.NewSource(seed))
		var out []string
		for len(s) > 0 {
			n := 1 + r.Intn(len(s))
			out = append(out, s[:n])
			s = s[n:]
		}
		return out
	}
}

func TestSSE(t *testing.T) {
	input := "event: message_start\ndata: {\"a\":1}\n\n" +
		": keep-alive\n\n" +
		"data: line1\r\ndata: line2\r\n\r\n" +
		"id: 7\nretry: 10\ndata:nospace\n\n" +
		"event: ping\n\n" + // no data: not dispatched
		"data: [DONE]\r\r" +
		"data: {\"last\":true}" // no final blank line
	want := []sseEvent{
		{"message_start", `{"a":1}`},
		{"", "line1\nline2"},
		{"", "nospace"},
		{"", "[DONE]"},
		{"", `{"last":true}`},
	}
	for name, split := range map[string]func(string) []string{"whole": whole, "bytewise": bytewise} {
		got, _ := collectSSE(t, input, split, 0)
		assert.Equal(t, want, got, name)
	}
	for seed := int64(0); seed < 200; seed++ {
		got, _ := collectSSE(t, input, randomSplits(seed), 0)
		require.Equal(t, want, got, "seed %d", seed)
	}
}

func TestSSEOversizedEventIsSkippedNotFatal(t *testing.T) {
	big := strings.Repeat("x", 100)
	input := "data: small\n\ndata: " + big + "\n\ndata: after\n\n"
	for _, split := range []func(string) []string{whole, bytewise} {
		got, s := collectSSE(t, input, split, 50)
		assert.Equal(t, []sseEvent{{"", "small"}, {"", "after"}}, got)
		assert.Equal(t, 1, s.Dropped())
	}
	// Many data lines that together pass the limit.
	input = "data: " + strings.Repeat("y", 30) + "\ndata: " + strings.Repeat("y", 30) + "\n\ndata: ok\n\n"
	got, s := collectSSE(t, input, whole, 50)
	assert.Equal(t, []sseEvent{{"", "ok"}}, got)
	assert.Equal(t, 1, s.Dropped())
}

func TestSSEPendingAtTruncation(t *testing.T) {
	s := NewSSE(0, func(event, data []byte) {})
	s.Write([]byte("data: {\"a\""))
	assert.True(t, s.Pending())
	s = NewSSE(0, func(event, data []byte) {})
	s.Write([]byte("data: {}\n\n"))
	assert.False(t, s.Pending())
}

func TestSSESteadyStateAllocatesNothing(t *testing.T) {
	s := NewSSE(0, func(event, data []byte) {})
	chunk := []byte("data: {\"id\":\"x\",\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n")
	s.Write(chunk)
	allocs := testing.AllocsPerRun(1000, func() {
		s.Write(chunk[:7])
		s.Write(chunk[7:])
	})
	assert.Zero(t, allocs)
}

func TestLines(t *testing.T) {
	input := "{\"a\":1}\n\n{\"b\":2}\r\n  \n{\"c\":3}"
	want := []string{`{"a":1}`, `{"b":2}`, `{"c":3}`}
	for seed := int64(-2); seed < 100; seed++ {
		split := randomSplits(seed)
		if seed == -2 {
			split = whole
		} else if seed == -1 {
			split = bytewise
		}
		var got []string
		l := NewLines(0, func(line []byte) { got = append(got, string(line)) })
		for _, p := range split(input) {
			l.Write([]byte(p))
		}
		assert.True(t, l.Pending())
		l.End()
		require.Equal(t, want, got)
		assert.Equal(t, 3, l.Count())
	}
	var got []string
	l := NewLines(5, func(line []byte) { got = append(got, string(line)) })
	l.Write([]byte("12\n1234567890\n34\n"))
	assert.Equal(t, []string{"12", "34"}, got)
	assert.Equal(t, 1, l.Dropped())
}

func FuzzSSESplitInvariance(f *testing.F) {
	f.Add("data: a\n\nevent: e\ndata: b\r\n\r\n", uint8(3))
	f.Fuzz(func(t *testing.T, input string, cut uint8) {
		a, _ := collectSSE(t, input, whole, 64)
		b, _ := collectSSE(t, input, bytewise, 64)
		c, _ := collectSSE(t, input, randomSplits(int64(cut)), 64)
		require.Equal(t, a, b)
		require.Equal(t, a, c)
	})
}

// cutAt cuts s into runs whose lengths cycle through cuts (each plus one).
func cutAt(s string, cuts []byte) []string {
	if len(cuts) == 0 {
		return []string{s}
	}
	var out []string
	for i := 0; len(s) > 0; i++ {
		n := min(int(cuts[i%len(cuts)])+1, len(s))
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

// sseRun is everything observable of one framing, before and after End.
type sseRun struct {
	Events                   []sseEvent
	Dropped, Count           int
	Pending, PendingAfterEnd bool
}

func FuzzSSEMatchesReference(f *testing.F) {
	f.Add("event: message_start\ndata: {\"a\":1}\n\n: keep-alive\n\ndata: x\r\ndata: y\r\n\r\nid: 7\ndata:z\n\nevent: ping\n\ndata: [DONE]\r\rdata: {\"last\":true}", []byte{3, 200, 0, 17}, uint8(40))
	f.Add("data\nevent\ndata:\nevent:e\ndatum: x\nevents: y\n\n", []byte{}, uint8(0))
	f.Add("data: "+strings.Repeat("y", 30)+"\ndata: "+strings.Repeat("y", 30)+"\n\ndata: ok\n\n", []byte{5}, uint8(50))
	f.Add("event: e\r", []byte{8}, uint8(8))
	f.Fuzz(func(t *testing.T, input string, cuts []byte, max uint8) {
		limit := int(max)
		var got, want sseRun
		s := NewSSE(limit, func(event, data []byte) { got.Events = append(got.Events, sseEvent{string(event), string(data)}) })
		r := newRefSSE(limit, func(event, data []byte) { want.Events = append(want.Events, sseEvent{string(event), string(data)}) })
		for _, part := range cutAt(input, cuts) {
			// Each run in its own buffer, scribbled over once written, as an
			// application reusing its read buffer would.
			a, b := []byte(part), []byte(part)
			s.Write(a)
			r.Write(b)
			for i := range a {
				a[i], b[i] = 'X', 'X'
			}
		}
		got.Pending, want.Pending = s.Pending(), r.Pending()
		s.End()
		r.End()
		got.PendingAfterEnd, want.PendingAfterEnd = s.Pending(), r.Pending()
		got.Dropped, want.Dropped = s.Dropped(), r.Dropped()
		got.Count, want.Count = s.Events(), r.Events()
		require.Equal(t, want, got)
	})
}

func FuzzLinesMatchesReference(f *testing.F) {
	f.Add("{\"a\":1}\n\n{\"b\":2}\r\n  \n{\"c\":3}", []byte{2, 9}, uint8(0))
	f.Add("12\n1234567890\n34\r\r\n\r5", []byte{1}, uint8(5))
	f.Fuzz(func(t *testing.T, input string, cuts []byte, max uint8) {
		limit := int(max)
		var got, want []string
		l := NewLines(limit, func(line []byte) { got = append(got, string(line)) })
		r := newRefLines(limit, func(line []byte) { want = append(want, string(line)) })
		for _, part := range cutAt(input, cuts) {
			a, b := []byte(part), []byte(part)
			l.Write(a)
			r.Write(b)
			for i := range a {
				a[i], b[i] = 'X', 'X'
			}
		}
		require.Equal(t, r.Pending(), l.Pending())
		l.End()
		r.End()
		require.Equal(t, want, got)
		require.Equal(t, r.Dropped(), l.Dropped())
		require.Equal(t, r.Count(), l.Count())
		require.Equal(t, r.Pending(), l.Pending())
	})
}
