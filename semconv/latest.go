package semconv

import "go.opentelemetry.io/otel/attribute"

// GenAICommit is the commit of open-telemetry/semantic-conventions-genai
// whose GenAI conventions the Latest names follow. The conventions left the
// core semantic-conventions repository after v1.41.0 and publish no schema
// URL of their own yet, so the commit is the version.
const GenAICommit = "88eccb155ca7d6984826da1f4b1c08ee916e0f49"

// GenAIRepository is where [GenAICommit] lives.
const GenAIRepository = "https://github.com/open-telemetry/semantic-conventions-genai"

// Span attribute keys of the latest conventions that v1.41.0 did not have
// or named differently. Every key of semconv.go not listed here is
// unchanged in the latest conventions.
const (
	// LatestGenAIUsageCacheWriteInputTokensKey replaces
	// gen_ai.usage.cache_creation.input_tokens
	// ([GenAIUsageCacheCreationInputTokensKey]): input tokens written to a
	// provider-managed cache, included in gen_ai.usage.input_tokens.
	LatestGenAIUsageCacheWriteInputTokensKey = attribute.Key("gen_ai.usage.cache_write.input_tokens")

	// LatestGenAIUsageTextInputTokensKey is the text part of
	// gen_ai.usage.input_tokens, when the provider breaks usage down by
	// modality.
	LatestGenAIUsageTextInputTokensKey = attribute.Key("gen_ai.usage.text.input_tokens")
	// LatestGenAIUsageImageInputTokensKey is the image part of
	// gen_ai.usage.input_tokens.
	LatestGenAIUsageImageInputTokensKey = attribute.Key("gen_ai.usage.image.input_tokens")
	// LatestGenAIUsageAudioInputTokensKey is the audio part of
	// gen_ai.usage.input_tokens.
	LatestGenAIUsageAudioInputTokensKey = attribute.Key("gen_ai.usage.audio.input_tokens")
	// LatestGenAIUsageTextCacheReadInputTokensKey is the text part of
	// gen_ai.usage.cache_read.input_tokens (and of the text input tokens).
	LatestGenAIUsageTextCacheReadInputTokensKey = attribute.Key("gen_ai.usage.text.cache_read.input_tokens")
	// LatestGenAIUsageImageCacheReadInputTokensKey is the image part of
	// gen_ai.usage.cache_read.input_tokens.
	LatestGenAIUsageImageCacheReadInputTokensKey = attribute.Key("gen_ai.usage.image.cache_read.input_tokens")
	// LatestGenAIUsageAudioCacheReadInputTokensKey is the audio part of
	// gen_ai.usage.cache_read.input_tokens.
	LatestGenAIUsageAudioCacheReadInputTokensKey = attribute.Key("gen_ai.usage.audio.cache_read.input_tokens")
	// LatestGenAIUsageTextOutputTokensKey is the text part of
	// gen_ai.usage.output_tokens.
	LatestGenAIUsageTextOutputTokensKey = attribute.Key("gen_ai.usage.text.output_tokens")
	// LatestGenAIUsageImageOutputTokensKey is the image part of
	// gen_ai.usage.output_tokens.
	LatestGenAIUsageImageOutputTokensKey = attribute.Key("gen_ai.usage.image.output_tokens")
	// LatestGenAIUsageAudioOutputTokensKey is the audio part of
	// gen_ai.usage.output_tokens.
	LatestGenAIUsageAudioOutputTokensKey = attribute.Key("gen_ai.usage.audio.output_tokens")

	// LatestGenAIRequestTopKKey has the key of [GenAIRequestTopKKey], but
	// the latest conventions make its value an int (v1.41.0: double) and
	// reserve it for decoding top-K (never OpenAI's top_logprobs).
	LatestGenAIRequestTopKKey = attribute.Key("gen_ai.request.top_k")
	// LatestGenAIRequestReasoningLevelKey is the reasoning or thinking
	// effort the request asked for, the exact string sent to the provider
	// (OpenAI reasoning_effort, Anthropic output_config.effort).
	LatestGenAIRequestReasoningLevelKey = attribute.Key("gen_ai.request.reasoning.level")
	// LatestGenAIRequestPreviousResponseIDKey is the previous response the
	// request continues (OpenAI Responses previous_response_id).
	LatestGenAIRequestPreviousResponseIDKey = attribute.Key("gen_ai.request.previous_response.id")
	// LatestGenAIOutputTypeKey is the output type the request asked for:
	// text, json, image or speech.
	LatestGenAIOutputTypeKey = attribute.Key("gen_ai.output.type")
	// LatestGenAIConversationIDKey identifies the conversation, only when
	// the request or the application carries one; the conventions forbid
	// a generated fallback.
	LatestGenAIConversationIDKey = attribute.Key("gen_ai.conversation.id")
	// LatestGenAIConversationCompactedKey is true when the request carried
	// a compacted view of the conversation, and is never set to false.
	LatestGenAIConversationCompactedKey = attribute.Key("gen_ai.conversation.compacted")

	// LatestGenAITokenModalityKey is the required attribute of the
	// gen_ai.client.inference.usage.* counters.
	LatestGenAITokenModalityKey = attribute.Key("gen_ai.token.modality")
)

// Values of gen_ai.token.modality.
const (
	LatestTokenModalityText  = "text"
	LatestTokenModalityImage = "image"
	LatestTokenModalityAudio = "audio"
	// LatestTokenModalityUnknown is for tokens the provider did not break
	// down by modality.
	LatestTokenModalityUnknown = "unknown"
)

// Values of gen_ai.output.type.
const (
	LatestOutputTypeText   = "text"
	LatestOutputTypeJSON   = "json"
	LatestOutputTypeImage  = "image"
	LatestOutputTypeSpeech = "speech"
)

// Well-known gen_ai.provider.name values added after v1.41.0 that
// otelllm's hosts can be.
const (
	LatestProviderMoonshotAI = "moonshot_ai"
	// LatestProviderGCPGenAI is for a Google endpoint whose backend
	// (Gemini API or Vertex AI) is unknown.
	LatestProviderGCPGenAI = "gcp.gen_ai"
)

// ErrorTypeOther is the well-known error.type fallback, for an error the
// instrumentation has no better class for.
const ErrorTypeOther = "_OTHER"

// Metric instrument names of the latest conventions. Inference
// operations (chat, text_completion, generate_content) report on the
// gen_ai.client.inference.* instruments and embeddings on the
// gen_ai.client.embeddings.* ones; gen_ai.client.operation.duration
// stays for other operations and SHOULD NOT be reported for either.
const (
	// LatestClientInferenceDurationName replaces
	// gen_ai.client.operation.duration for inference (histogram, s).
	LatestClientInferenceDurationName = "gen_ai.client.inference.duration"
	// LatestClientInferenceTimeToFirstChunkName replaces
	// gen_ai.client.operation.time_to_first_chunk (histogram, s, streams).
	LatestClientInferenceTimeToFirstChunkName = "gen_ai.client.inference.time_to_first_chunk"
	// LatestClientInferenceTimePerOutputChunkName replaces
	// gen_ai.client.operation.time_per_output_chunk (histogram, s, streams).
	LatestClientInferenceTimePerOutputChunkName = "gen_ai.client.inference.time_per_output_chunk"

	// LatestClientInferenceUsageInputTokensName is a counter ({token}) of
	// input tokens including cached ones, by gen_ai.token.modality. With
	// the output counter it replaces the sums of gen_ai.client.token.usage.
	LatestClientInferenceUsageInputTokensName = "gen_ai.client.inference.usage.input_tokens"
	// LatestClientInferenceUsageOutputTokensName is a counter ({token}) of
	// output tokens including reasoning ones, by gen_ai.token.modality.
	LatestClientInferenceUsageOutputTokensName = "gen_ai.client.inference.usage.output_tokens"
	// LatestClientInferenceUsageCacheReadInputTokensName is a counter
	// ({token}) of input tokens served from a cache, a subset of input.
	LatestClientInferenceUsageCacheReadInputTokensName = "gen_ai.client.inference.usage.cache_read.input_tokens"
	// LatestClientInferenceUsageCacheWriteInputTokensName is a counter
	// ({token}) of input tokens written to a cache, a subset of input.
	LatestClientInferenceUsageCacheWriteInputTokensName = "gen_ai.client.inference.usage.cache_write.input_tokens"
	// LatestClientInferenceUsageReasoningOutputTokensName is a counter
	// ({token}) of reasoning tokens, a subset of output.
	LatestClientInferenceUsageReasoningOutputTokensName = "gen_ai.client.inference.usage.reasoning.output_tokens"

	// LatestClientInferenceOperationInputTokensName is a histogram
	// ({token}) of input tokens per operation, without modality, with
	// error.type; it replaces gen_ai.client.token.usage{token.type=input}.
	LatestClientInferenceOperationInputTokensName = "gen_ai.client.inference.operation.input_tokens"
	// LatestClientInferenceOperationOutputTokensName is a histogram
	// ({token}) of output tokens per operation; it replaces
	// gen_ai.client.token.usage{token.type=output}.
	LatestClientInferenceOperationOutputTokensName = "gen_ai.client.inference.operation.output_tokens"

	// LatestClientEmbeddingsDurationName replaces
	// gen_ai.client.operation.duration for embeddings (histogram, s).
	LatestClientEmbeddingsDurationName = "gen_ai.client.embeddings.duration"
	// LatestClientEmbeddingsOperationInputTokensName is a histogram
	// ({token}) of input tokens per embeddings operation; it replaces
	// gen_ai.client.token.usage for embeddings. Its attributes have no
	// error.type.
	LatestClientEmbeddingsOperationInputTokensName = "gen_ai.client.embeddings.operation.input_tokens"
)

// Units of the latest instruments (unchanged from v1.41.0).
const (
	UnitSeconds = "s"
	UnitTokens  = "{token}"
)

// Descriptions of the latest instruments, as the conventions word them.
const (
	LatestClientInferenceDurationDescription              = "GenAI client inference operation duration."
	LatestClientInferenceTimeToFirstChunkDescription      = "Time to receive the first chunk, measured from when the client issues the generation request to when the first chunk is received in the response stream."
	LatestClientInferenceTimePerOutputChunkDescription    = "Time per output chunk, recorded for each chunk received after the first one, measured as the time elapsed from the end of the previous chunk to the end of the current chunk."
	LatestClientInferenceUsageInputTokensDescription      = "The number of input (prompt) tokens used, including cached tokens."
	LatestClientInferenceUsageOutputTokensDescription     = "The number of output (completion) tokens used, including reasoning tokens."
	LatestClientInferenceUsageCacheReadDescription        = "The number of input tokens served from a provider-managed cache."
	LatestClientInferenceUsageCacheWriteDescription       = "The number of input tokens written to a provider-managed cache."
	LatestClientInferenceUsageReasoningDescription        = "The number of output tokens used for reasoning (e.g. chain-of-thought, extended thinking)."
	LatestClientInferenceOperationInputTokensDescription  = "The number of input (prompt) tokens used per inference operation."
	LatestClientInferenceOperationOutputTokensDescription = "The number of output (completion) tokens used per inference operation."
	LatestClientEmbeddingsDurationDescription             = "GenAI client embeddings operation duration."
	LatestClientEmbeddingsOperationInputTokensDescription = "The number of input tokens used per embeddings operation."
)

// LatestDurationBuckets returns the explicit bucket advice of the latest
// duration, time-to-first-chunk and time-per-output-chunk histograms. The
// latest conventions give time-per-output-chunk these buckets too, where
// v1.41.0 advised finer ones. Each call returns a new slice.
func LatestDurationBuckets() []float64 {
	return []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92}
}

// LatestTokenBuckets returns the explicit bucket advice of the latest
// per-operation token histograms (unchanged from gen_ai.client.token.usage).
// Each call returns a new slice.
func LatestTokenBuckets() []float64 {
	return []float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864}
}
