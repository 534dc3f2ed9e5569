package rawusage

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
)

func TestCountsNormaliseInput(t *testing.T) {
	var c Counts
	assert.False(t, c.Any())
	assert.Equal(t, providers.Usage{}, c.Usage(providers.SourceStream))

	u := []byte(`{"in":10,"read":300,"write":50,"out":7,"bad":"x"}`)
	c.Merge(u, providers.InputTokens, "in")
	c.Merge(u, providers.CacheReadInputTokens, "read")
	c.Merge(u, providers.CacheCreationInputTokens, "write")
	c.Merge(u, providers.OutputTokens, "out")
	c.Merge(u, providers.TotalTokens, "bad") // not a number: not reported, invalid
	c.Merge(u, providers.ReasoningTokens)    // no key: nothing
	c.Merge(u, providers.ReasoningTokens, "")
	assert.True(t, c.Any())
	assert.True(t, c.HasCache())
	want := providers.Usage{Source: providers.SourceResponseBody}
	want.Set(providers.InputTokens, 10+300+50)
	want.Set(providers.CacheReadInputTokens, 300)
	want.Set(providers.CacheCreationInputTokens, 50)
	want.Set(providers.OutputTokens, 7)
	want.Invalid = providers.TotalTokens
	assert.Equal(t, want, c.Usage(providers.SourceResponseBody))

	// A cache count that is not a count makes the input, their sum, none.
	var bad Counts
	bad.Merge([]byte(`{"in":10,"read":-3}`), providers.InputTokens, "in")
	bad.Merge([]byte(`{"in":10,"read":-3}`), providers.CacheReadInputTokens, "read")
	got := bad.Usage(providers.SourceStream)
	assert.False(t, got.Has(providers.InputTokens))
	assert.Equal(t, providers.InputTokens|providers.CacheReadInputTokens, got.Invalid)

	// Sums saturate.
	var huge Counts
	huge.Set(providers.InputTokens, 1<<62)
	huge.Set(providers.CacheReadInputTokens, 1<<62)
	huge.Set(providers.CacheCreationInputTokens, 1<<62)
	assert.Equal(t, int64(math.MaxInt64), huge.Usage(providers.SourceStream).InputTokens)

	// Plus adds count by count.
	sum := c.Plus(bad)
	assert.Equal(t, int64(7), sum.Raw().OutputTokens)
	assert.True(t, sum.Raw().Invalid&providers.CacheReadInputTokens != 0)

	var noInput Counts // cache counts without an input count: input stays unreported
	noInput.Set(providers.CacheReadInputTokens, 5)
	assert.False(t, noInput.Usage(providers.SourceStream).Has(providers.InputTokens))
	assert.Zero(t, testing.AllocsPerRun(10, func() { c.Merge(u, providers.InputTokens, "in") }))
}
