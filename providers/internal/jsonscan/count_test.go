package jsonscan

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCount(t *testing.T) {
	for _, c := range []struct {
		doc   string
		want  int64
		fault CountFault
	}{
		{`0`, 0, CountOK},
		{`12`, 12, CountOK},
		{`12.0`, 12, CountOK},
		{`1e3`, 1000, CountOK},
		{`1.5e1`, 15, CountOK},
		{`-0`, 0, CountOK},
		{`-0.0`, 0, CountOK},
		{`9223372036854775807`, math.MaxInt64, CountOK},
		{`-5`, 0, CountNegative},
		{`-1.5`, 0, CountNegative},
		{`-1e400`, 0, CountNegative},
		{`1.5`, 0, CountFraction},
		{`0.1`, 0, CountFraction},
		{`1e-400`, 0, CountFraction},
		{`9223372036854775808`, 0, CountTooLarge}, // one past MaxInt64
		{`99999999999999999999999`, 0, CountTooLarge},
		{`9.3e18`, 0, CountTooLarge},
		{`1e400`, 0, CountTooLarge},
		{`"5"`, 0, CountNotNumber},
		{`true`, 0, CountNotNumber},
		{`{}`, 0, CountNotNumber},
		{`[1]`, 0, CountNotNumber},
		{`null`, 0, CountNull},
	} {
		v, k, ok := Get([]byte(c.doc))
		assert.True(t, ok, c.doc)
		n, fault := Count(v, k)
		assert.Equal(t, c.fault, fault, c.doc)
		assert.Equal(t, c.want, n, c.doc)
	}
	assert.Equal(t, "negative", CountNegative.String())
}

func TestCountDoesNotAllocate(t *testing.T) {
	v := []byte(`123456`)
	f := []byte(`1.5e3`)
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		Count(v, KindNumber)
		Count(f, KindNumber)
	}))
}

func TestAddCountsSaturates(t *testing.T) {
	assert.Equal(t, int64(5), AddCounts(2, 3))
	assert.Equal(t, int64(math.MaxInt64), AddCounts(1<<62, 1<<62))
	assert.Equal(t, int64(math.MaxInt64), AddCounts(math.MaxInt64, 1))
	assert.Equal(t, int64(3), AddCounts(-4, 3), "a negative addend counts as zero")
}

// A key given twice resolves to its last value, as encoding/json keeps it.
func TestGetDuplicateKeyLastWins(t *testing.T) {
	doc := []byte(`{"usage":{"prompt_tokens":1,"prompt_tokens":7},"id":"a","id":"b","usage2":0}`)
	n, ok := Int(doc, "usage", "prompt_tokens")
	assert.True(t, ok)
	assert.Equal(t, int64(7), n)
	s, ok := String(doc, "id")
	assert.True(t, ok)
	assert.Equal(t, "b", s)

	dup := []byte(`{"usage":{"prompt_tokens":1},"usage":{"completion_tokens":2}}`)
	_, ok = Int(dup, "usage", "prompt_tokens")
	assert.False(t, ok, "the last usage object replaces the first")
	n, _ = Int(dup, "usage", "completion_tokens")
	assert.Equal(t, int64(2), n)

	// A malformed tail after a match still yields the match.
	n, ok = Int([]byte(`{"a":1,"a":2,`), "a")
	assert.True(t, ok)
	assert.Equal(t, int64(2), n)
}
