package bedrock

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
)

func TestCacheDetails(t *testing.T) {
	var c counts // no cacheDetails: the one-hour part is not reported
	c.merge([]byte(`{"inputTokens":4,"cacheWriteInputTokens":1024}`), converseKeys)
	assert.False(t, c.Usage(providers.SourceStream).Has(providers.CacheCreation1hInputTokens))

	c.merge([]byte(`{"cacheDetails":[{"ttl":"5m","inputTokens":1024}]}`), converseKeys) // only five-minute writes
	u := c.Usage(providers.SourceStream)
	assert.True(t, u.Has(providers.CacheCreation1hInputTokens))
	assert.Zero(t, u.CacheCreation1hInputTokens)

	c.merge([]byte(`{"cacheDetails":[{"ttl":"1h","inputTokens":600},{"ttl":"1h","inputTokens":24},"junk",{"ttl":"5m","inputTokens":400}]}`), converseKeys)
	assert.EqualValues(t, 624, c.Usage(providers.SourceStream).CacheCreation1hInputTokens)
	details := []byte(`{"cacheDetails":[{"ttl":"1h","inputTokens":600}]}`)
	assert.Zero(t, testing.AllocsPerRun(10, func() { c.merge(details, converseKeys) }))
}
