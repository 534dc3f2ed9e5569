package bedrock

import (
	"strconv"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/count"
	"github.com/otelllm/otelllm/providers/internal/dialect/rawusage"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// counts holds Bedrock's own usage counts (Converse's TokenUsage, Nova's
// native usage, the invocation metrics), each with whether it was
// reported; the input count excludes the cache, as on the wire.
type counts struct{ rawusage.Counts }

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

// merge overwrites the counts with those present in the usage object u,
// and takes the one-hour part of the cache writes from Converse's
// cacheDetails ([{"ttl":"1h","inputTokens":N}, ...]). It does not allocate.
func (c *counts) merge(u []byte, k usageKeys) {
	c.Merge(u, providers.InputTokens, k.input)
	c.Merge(u, providers.OutputTokens, k.output)
	c.Merge(u, providers.TotalTokens, k.total)
	c.Merge(u, providers.CacheReadInputTokens, k.cacheRead)
	c.Merge(u, providers.CacheCreationInputTokens, k.cacheWrite)
	if details, kind, ok := jsonscan.Get(u, "cacheDetails"); ok && kind == jsonscan.KindArray {
		var oneHour int64
		bad := false
		jsonscan.ArrayEach(details, func(d []byte, kind jsonscan.Kind) {
			if kind != jsonscan.KindObject {
				return
			}
			if ttl, ok := jsonscan.RawString(d, "ttl"); ok && string(ttl) == "1h" {
				var one providers.Usage
				if count.SetAt(&one, providers.CacheCreation1hInputTokens, d, "inputTokens") {
					oneHour = count.Add(oneHour, one.CacheCreation1hInputTokens)
				}
				bad = bad || one.Invalid != 0
			}
		})
		if bad {
			c.Reject(providers.CacheCreation1hInputTokens)
		} else {
			c.Set(providers.CacheCreation1hInputTokens, oneHour)
		}
	}
}

// Usage normalises the counts as rawusage does, input including the cache
// writes and reads, unless Bedrock's own total says the input count
// already included them. For Claude inputTokens leaves the cache out
// (totalTokens = inputTokens + cache reads + cache writes + outputTokens);
// AWS documents no such rule for the other families, so where totalTokens
// is inputTokens + outputTokens with cache counts beside them, the input
// count is taken to include them, as the total does.
func (c counts) Usage(source providers.UsageSource) providers.Usage {
	u := c.Counts.Usage(source)
	raw := c.Raw()
	cached := count.Add(raw.CacheReadInputTokens, raw.CacheCreationInputTokens)
	if cached > 0 && raw.Has(providers.InputTokens) && raw.Has(providers.OutputTokens) && raw.Has(providers.TotalTokens) &&
		raw.TotalTokens == count.Add(raw.InputTokens, raw.OutputTokens) &&
		raw.TotalTokens != count.Add(count.Add(raw.InputTokens, raw.OutputTokens), cached) {
		u.InputTokens = raw.InputTokens
	}
	return u
}

// headerUsage reads the X-Amzn-Bedrock-*-Token-Count response headers of
// InvokeModel. A header that is there without a count in it is not a count
// (and the span says so).
func headerUsage(input, output string) providers.Usage {
	var u providers.Usage
	headerCount(&u, providers.InputTokens, input)
	headerCount(&u, providers.OutputTokens, output)
	if u.Reported != 0 || u.Invalid != 0 {
		u.Source = providers.SourceResponseHeaders
	}
	return u
}

func headerCount(u *providers.Usage, f providers.UsageField, h string) {
	h = strings.TrimSpace(h)
	if h == "" {
		return
	}
	if n, err := strconv.ParseInt(h, 10, 64); err == nil && n >= 0 {
		u.Set(f, n)
		return
	}
	u.Reject(f)
}
