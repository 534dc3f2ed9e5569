package bedrock

import (
	"strconv"
	"strings"

	"github.com/otelllm/otelllm/providers"
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
		c.Set(providers.CacheCreation1hInputTokens, oneHour)
	}
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
