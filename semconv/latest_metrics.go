package semconv

// The instruments of the latest conventions (see latest.go for their
// names), described as the v1.41.0 ones are in metrics.go. Each call
// returns a fresh value.

// LatestClientInferenceDuration is gen_ai.client.inference.duration.
func LatestClientInferenceDuration() Instrument {
	return Instrument{Name: LatestClientInferenceDurationName, Unit: UnitSeconds,
		Description: LatestClientInferenceDurationDescription, Buckets: LatestDurationBuckets()}
}

// LatestClientInferenceTimeToFirstChunk is
// gen_ai.client.inference.time_to_first_chunk.
func LatestClientInferenceTimeToFirstChunk() Instrument {
	return Instrument{Name: LatestClientInferenceTimeToFirstChunkName, Unit: UnitSeconds,
		Description: LatestClientInferenceTimeToFirstChunkDescription, Buckets: LatestDurationBuckets()}
}

// LatestClientInferenceTimePerOutputChunk is
// gen_ai.client.inference.time_per_output_chunk.
func LatestClientInferenceTimePerOutputChunk() Instrument {
	return Instrument{Name: LatestClientInferenceTimePerOutputChunkName, Unit: UnitSeconds,
		Description: LatestClientInferenceTimePerOutputChunkDescription, Buckets: LatestDurationBuckets()}
}

// LatestClientInferenceOperationInputTokens is
// gen_ai.client.inference.operation.input_tokens.
func LatestClientInferenceOperationInputTokens() Instrument {
	return Instrument{Name: LatestClientInferenceOperationInputTokensName, Unit: UnitTokens,
		Description: LatestClientInferenceOperationInputTokensDescription, Buckets: LatestTokenBuckets()}
}

// LatestClientInferenceOperationOutputTokens is
// gen_ai.client.inference.operation.output_tokens.
func LatestClientInferenceOperationOutputTokens() Instrument {
	return Instrument{Name: LatestClientInferenceOperationOutputTokensName, Unit: UnitTokens,
		Description: LatestClientInferenceOperationOutputTokensDescription, Buckets: LatestTokenBuckets()}
}

// LatestClientEmbeddingsDuration is gen_ai.client.embeddings.duration.
func LatestClientEmbeddingsDuration() Instrument {
	return Instrument{Name: LatestClientEmbeddingsDurationName, Unit: UnitSeconds,
		Description: LatestClientEmbeddingsDurationDescription, Buckets: LatestDurationBuckets()}
}

// LatestClientEmbeddingsOperationInputTokens is
// gen_ai.client.embeddings.operation.input_tokens.
func LatestClientEmbeddingsOperationInputTokens() Instrument {
	return Instrument{Name: LatestClientEmbeddingsOperationInputTokensName, Unit: UnitTokens,
		Description: LatestClientEmbeddingsOperationInputTokensDescription, Buckets: LatestTokenBuckets()}
}

// LatestClientInferenceUsageInputTokens is the counter
// gen_ai.client.inference.usage.input_tokens.
func LatestClientInferenceUsageInputTokens() Instrument {
	return Instrument{Name: LatestClientInferenceUsageInputTokensName, Unit: UnitTokens,
		Description: LatestClientInferenceUsageInputTokensDescription}
}

// LatestClientInferenceUsageOutputTokens is the counter
// gen_ai.client.inference.usage.output_tokens.
func LatestClientInferenceUsageOutputTokens() Instrument {
	return Instrument{Name: LatestClientInferenceUsageOutputTokensName, Unit: UnitTokens,
		Description: LatestClientInferenceUsageOutputTokensDescription}
}

// LatestClientInferenceUsageCacheReadInputTokens is the counter
// gen_ai.client.inference.usage.cache_read.input_tokens.
func LatestClientInferenceUsageCacheReadInputTokens() Instrument {
	return Instrument{Name: LatestClientInferenceUsageCacheReadInputTokensName, Unit: UnitTokens,
		Description: LatestClientInferenceUsageCacheReadDescription}
}

// LatestClientInferenceUsageCacheWriteInputTokens is the counter
// gen_ai.client.inference.usage.cache_write.input_tokens.
func LatestClientInferenceUsageCacheWriteInputTokens() Instrument {
	return Instrument{Name: LatestClientInferenceUsageCacheWriteInputTokensName, Unit: UnitTokens,
		Description: LatestClientInferenceUsageCacheWriteDescription}
}

// LatestClientInferenceUsageReasoningOutputTokens is the counter
// gen_ai.client.inference.usage.reasoning.output_tokens.
func LatestClientInferenceUsageReasoningOutputTokens() Instrument {
	return Instrument{Name: LatestClientInferenceUsageReasoningOutputTokensName, Unit: UnitTokens,
		Description: LatestClientInferenceUsageReasoningDescription}
}

// LatestHistograms lists the histograms of the latest conventions, for
// views that keep their bucket advice; [Histograms] lists the v1.41.0 ones.
func LatestHistograms() []Instrument {
	return []Instrument{
		LatestClientInferenceDuration(), LatestClientInferenceTimeToFirstChunk(), LatestClientInferenceTimePerOutputChunk(),
		LatestClientInferenceOperationInputTokens(), LatestClientInferenceOperationOutputTokens(),
		LatestClientEmbeddingsDuration(), LatestClientEmbeddingsOperationInputTokens(),
	}
}
