package otelllm

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
)

func TestCallRecordString(t *testing.T) {
	r := CallRecord{Operation: "chat", RequestModel: "gpt-4o-mini", ResponseModel: "gpt-4o-mini-2024-07-18",
		Priced: true, CostUSD: 9e-6, Duration: 1234567 * time.Nanosecond}
	r.Usage.Set(providers.InputTokens, 16)
	r.Usage.Set(providers.OutputTokens, 11)
	assert.Equal(t, "chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input + 11 output tokens, $0.000009, 1.235ms", r.String())

	r.Streamed, r.TimeToFirstChunk = true, 250*time.Microsecond
	r.Usage.Set(providers.CacheReadInputTokens, 8)
	assert.Equal(t, "chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input + 11 output tokens (cache: 8 read, 0 written), $0.000009, 1.235ms (streamed, first chunk after 250µs)", r.String())

	failed := CallRecord{Operation: "chat", RequestModel: "x", ErrorType: "429", Duration: time.Millisecond}
	assert.Equal(t, "chat x: no usage reported, 1ms FAILED: 429", failed.String())

	unpriced := CallRecord{Operation: "embeddings", RequestModel: "local"}
	unpriced.Usage.Set(providers.InputTokens, 5)
	assert.Equal(t, "embeddings local: 5 input + 0 output tokens, unpriced, 0s", unpriced.String())
}
