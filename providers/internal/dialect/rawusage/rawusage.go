// Package rawusage holds usage counts the way Anthropic and Bedrock send
// them, with the input count leaving out cache reads and writes, and
// normalises them to providers.Usage, whose input includes the cache.
package rawusage

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Counts are raw usage counts, each marked reported once seen. The zero
// value is ready.
type Counts struct {
	raw providers.Usage // InputTokens as on the wire: without the cache
}

// Merge sets count f from the number at keys of the usage object u, when
// there is one, overwriting what an earlier event said; other kinds and
// absent members leave f as it was. It does not allocate.
func (c *Counts) Merge(u []byte, f providers.UsageField, keys ...string) {
	if len(keys) == 0 || keys[0] == "" {
		return
	}
	if v, ok := jsonscan.Int(u, keys...); ok {
		c.raw.Set(f, v)
	}
}

// Set records count f as reported.
func (c *Counts) Set(f providers.UsageField, v int64) { c.raw.Set(f, v) }

// Any reports whether any count was reported.
func (c Counts) Any() bool { return c.raw.Reported != 0 }

// HasCache reports whether a cache read or cache write count was reported.
func (c Counts) HasCache() bool {
	return c.raw.Has(providers.CacheReadInputTokens) || c.raw.Has(providers.CacheCreationInputTokens)
}

// Usage returns the counts normalised: InputTokens includes cache reads and
// cache writes, and is reported when the input count was.
func (c Counts) Usage(source providers.UsageSource) providers.Usage {
	if c.raw.Reported == 0 {
		return providers.Usage{}
	}
	u := c.raw
	u.Source = source
	if u.Has(providers.InputTokens) {
		u.InputTokens += u.CacheReadInputTokens + u.CacheCreationInputTokens
	}
	return u
}
