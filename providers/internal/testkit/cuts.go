package testkit

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
)

// CheckCuts requires of a body cut at each of cuts what CheckTruncations
// requires of every prefix, for recordings too long
// to cut at every byte (that takes minutes under the race detector): no
// count the full result lacks or above the full one, no more finish
// reasons, a problem when a body that ended at EOF was cut before finalEnd,
// Complete only past it and then as the full result, and an early end never
// reported as a malformed stream.
func CheckCuts(t *testing.T, p providers.Provider, e Exchange, full providers.Response, finalEnd int, cuts []int) {
	t.Helper()
	for _, cut := range cuts {
		if cut < 0 || cut > len(e.ResponseBody) {
			continue
		}
		for _, complete := range []bool{false, true} {
			_, r := Observe(t, p, e, Whole(e.ResponseBody[:cut]), complete)
			require.Zero(t, r.Usage.Reported&^full.Usage.Reported, "cut %d reports counts the full body does not", cut)
			require.LessOrEqual(t, r.Usage.InputTokens, full.Usage.InputTokens, "cut %d", cut)
			require.LessOrEqual(t, r.Usage.OutputTokens, full.Usage.OutputTokens, "cut %d", cut)
			require.LessOrEqual(t, r.Usage.TotalTokens, full.Usage.TotalTokens, "cut %d", cut)
			require.LessOrEqual(t, len(r.FinishReasons), len(full.FinishReasons), "cut %d", cut)
			if complete && cut < finalEnd {
				require.NotEmpty(t, r.ObserveError, "cut %d passed as complete", cut)
			}
			if r.Complete {
				require.GreaterOrEqual(t, cut, finalEnd, "cut %d: Complete before the final event", cut)
			}
			if complete && cut >= finalEnd {
				require.Equal(t, full.Complete, r.Complete, "cut %d", cut)
			}
			if !complete {
				require.NotContains(t, r.ObserveError, providers.ProblemEventMalformed, "cut %d: an early end is not malformed", cut)
			}
		}
	}
}

// EventCuts returns the offsets in and around each place an event (a line,
// an SSE event) begins in body: where it begins, the bytes just before and
// after, and a few bytes into it; and every offset from the last one on.
func EventCuts(body []byte, begin string) []int {
	var cuts []int
	last := 0
	for i := 0; ; {
		j := bytes.Index(body[i:], []byte(begin))
		if j < 0 {
			break
		}
		at := i + j
		last = at
		cuts = append(cuts, at-2, at-1, at, at+1, at+len(begin)+1)
		i = at + 1
	}
	for cut := last; cut <= len(body); cut++ {
		cuts = append(cuts, cut)
	}
	return cuts
}
