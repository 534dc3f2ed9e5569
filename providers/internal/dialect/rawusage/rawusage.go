package rawusage

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/count"
)

// Counts are raw usage counts, each marked reported once seen. The zero
// value is ready.
type Counts struct {
	raw providers.Usage // InputTokens as on the wire: without the cache
}

// Merge sets count f from the value at keys of the usage object u, when
// there is one, overwriting what an earlier event said, by the rule of
// package count: absent and null members leave f as it was, a value that
// is not a count marks f invalid. It does not allocate.
func (c *Counts) Merge(u []byte, f providers.UsageField, keys ...string) {
	if len(keys) == 0 || keys[0] == "" {
		return
	}
	count.SetAt(&c.raw, f, u, keys...)
}

// Set records count f as reported.
func (c *Counts) Set(f providers.UsageField, v int64) { c.raw.Set(f, v) }

// Reject marks count f as given a value that is not a count.
func (c *Counts) Reject(f providers.UsageField) { c.raw.Reject(f) }

// Raw returns the counts as on the wire: InputTokens without the cache.
func (c Counts) Raw() providers.Usage { return c.raw }

// Plus returns the counts of c and o added, count by count: a count is
// reported when either reports it, invalid when either has it invalid.
func (c Counts) Plus(o Counts) Counts {
	sum := c
	for f := providers.InputTokens; f <= providers.OutputImageTokens; f <<= 1 {
		switch {
		case c.raw.Invalid&f != 0 || o.raw.Invalid&f != 0:
			sum.raw.Reject(f)
		case c.raw.Has(f) || o.raw.Has(f):
			sum.raw.Set(f, count.Add(c.raw.Get(f), o.raw.Get(f)))
		}
	}
	return sum
}

// Any reports whether any count was reported.
func (c Counts) Any() bool { return c.raw.Reported != 0 }

// HasCache reports whether a cache read or cache write count was reported.
func (c Counts) HasCache() bool {
	return c.raw.Has(providers.CacheReadInputTokens) || c.raw.Has(providers.CacheCreationInputTokens)
}

// Usage returns the counts normalised: InputTokens includes cache reads and
// cache writes, and is reported when the input count was. A sum with a part
// that is not a count is not a count either: the input is invalid when a
// cache count is.
func (c Counts) Usage(source providers.UsageSource) providers.Usage {
	if c.raw.Reported == 0 && c.raw.Invalid == 0 {
		return providers.Usage{}
	}
	u := c.raw
	u.Source = source
	if u.Has(providers.InputTokens) {
		if u.Invalid&(providers.CacheReadInputTokens|providers.CacheCreationInputTokens) != 0 {
			u.Reject(providers.InputTokens)
		} else {
			u.InputTokens = count.Add(count.Add(u.InputTokens, u.CacheReadInputTokens), u.CacheCreationInputTokens)
		}
	}
	return u
}
