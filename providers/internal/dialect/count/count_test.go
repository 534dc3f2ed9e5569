package count

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
)

func TestSetAt(t *testing.T) {
	doc := []byte(`{"a":7,"b":null,"c":-1,"d":2.5,"e":"3","f":9223372036854775808,"g":{"h":4}}`)
	var u providers.Usage
	assert.True(t, SetAt(&u, providers.InputTokens, doc, "a"))
	assert.False(t, SetAt(&u, providers.OutputTokens, doc, "b"), "null is not reported")
	assert.False(t, SetAt(&u, providers.TotalTokens, doc, "missing"))
	assert.True(t, SetAt(&u, providers.ReasoningTokens, doc, "g", "h"))
	assert.Equal(t, providers.InputTokens|providers.ReasoningTokens, u.Reported)
	assert.Zero(t, u.Invalid, "null and absent members are no fault")
	for _, key := range []string{"c", "d", "e", "f"} {
		var bad providers.Usage
		assert.False(t, SetAt(&bad, providers.CacheReadInputTokens, doc, key), key)
		assert.Equal(t, providers.CacheReadInputTokens, bad.Invalid, key)
		assert.False(t, bad.Has(providers.CacheReadInputTokens), key)
	}

	// A later good value clears an earlier bad one, and a later bad one
	// an earlier good one: the last value is the count.
	SetAt(&u, providers.InputTokens, doc, "c")
	assert.False(t, u.Has(providers.InputTokens))
	assert.Equal(t, providers.InputTokens, u.Invalid)
	SetAt(&u, providers.InputTokens, doc, "a")
	assert.True(t, u.Has(providers.InputTokens))
	assert.Zero(t, u.Invalid)
	assert.Zero(t, testing.AllocsPerRun(100, func() { SetAt(&u, providers.InputTokens, doc, "g", "h") }))
}

func TestAdd(t *testing.T) {
	assert.Equal(t, int64(3), Add(1, 2))
	assert.Equal(t, int64(math.MaxInt64), Add(math.MaxInt64, math.MaxInt64))
}
