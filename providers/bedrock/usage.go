package bedrock

import (
	"strconv"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// The counts of a Bedrock usage object, as a bit mask of those seen.
const (
	hasInput uint8 = 1 << iota
	hasOutput
	hasTotal
	hasCacheRead
	hasCacheWrite
	hasCacheWrite1h
)

// counts holds Bedrock's own usage counts (Converse's TokenUsage, Nova's
// native usage), each with whether it was reported. input excludes the
// cache, as on the wire.
type counts struct {
	input, output, total, cacheRead, cacheWrite int64
	// cacheWrite1h is the part of cacheWrite with a one-hour lifetime,
	// from Converse's cacheDetails ([{"ttl":"1h","inputTokens":N}, ...]).
	cacheWrite1h int64
	has          uint8
}

// The member names of one usage dialect.
type usageKeys struct {
	input, output, total, cacheRead, cacheWrite string
}

var (
	// converseKeys name Converse's TokenUsage members (also Nova's
	// native stream metadata.usage).
	converseKeys = usageKeys{"inputTokens", "outputTokens", "totalTokens", "cacheReadInputTokens", "cacheWriteInputTokens"}
	// novaKeys name Nova's InvokeModel usage members, whose cache counts are
	// spelt differently from Converse's.
	novaKeys = usageKeys{"inputTokens", "outputTokens", "totalTokens", "cacheReadInputTokenCount", "cacheWriteInputTokenCount"}
)

// merge overwrites the counts with those present in the usage object u. It
// does not allocate.
func (c *counts) merge(u []byte, k usageKeys) {
	c.mergeOne(u, k.input, &c.input, hasInput)
	c.mergeOne(u, k.output, &c.output, hasOutput)
	c.mergeOne(u, k.total, &c.total, hasTotal)
	c.mergeOne(u, k.cacheRead, &c.cacheRead, hasCacheRead)
	c.mergeOne(u, k.cacheWrite, &c.cacheWrite, hasCacheWrite)
	if details, kind, ok := jsonscan.Get(u, "cacheDetails"); ok && kind == jsonscan.KindArray {
		var oneHour int64
		jsonscan.ArrayEach(details, func(d []byte, kind jsonscan.Kind) {
			if kind != jsonscan.KindObject {
				return
			}
			if ttl, ok := jsonscan.RawString(d, "ttl"); ok && string(ttl) == "1h" {
				if n, ok := jsonscan.Int(d, "inputTokens"); ok {
					oneHour += n
				}
			}
		})
		c.cacheWrite1h = oneHour
		c.has |= hasCacheWrite1h
	}
}

func (c *counts) mergeOne(u []byte, key string, dst *int64, bit uint8) {
	if v, ok := jsonscan.Int(u, key); ok {
		*dst = v
		c.has |= bit
	}
}

func (c counts) any() bool      { return c.has != 0 }
func (c counts) hasCache() bool { return c.has&(hasCacheRead|hasCacheWrite) != 0 }

// usage returns the counts normalised: InputTokens includes cache reads and
// writes, which Bedrock's inputTokens leaves out.
func (c counts) usage(source providers.UsageSource) providers.Usage {
	var u providers.Usage
	if c.has == 0 {
		return u
	}
	u.Source = source
	if c.has&hasInput != 0 {
		u.Set(providers.InputTokens, c.input+c.cacheRead+c.cacheWrite)
	}
	if c.has&hasOutput != 0 {
		u.Set(providers.OutputTokens, c.output)
	}
	if c.has&hasTotal != 0 {
		u.Set(providers.TotalTokens, c.total)
	}
	if c.has&hasCacheRead != 0 {
		u.Set(providers.CacheReadInputTokens, c.cacheRead)
	}
	if c.has&hasCacheWrite != 0 {
		u.Set(providers.CacheCreationInputTokens, c.cacheWrite)
	}
	if c.has&hasCacheWrite1h != 0 {
		u.Set(providers.CacheCreation1hInputTokens, c.cacheWrite1h)
	}
	return u
}

// headerUsage reads the X-Amzn-Bedrock-*-Token-Count response headers of
// InvokeModel.
func headerUsage(input, output string) providers.Usage {
	var u providers.Usage
	if n, err := strconv.ParseInt(strings.TrimSpace(input), 10, 64); err == nil && n >= 0 {
		u.Set(providers.InputTokens, n)
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(output), 10, 64); err == nil && n >= 0 {
		u.Set(providers.OutputTokens, n)
	}
	if u.Reported != 0 {
		u.Source = providers.SourceResponseHeaders
	}
	return u
}
