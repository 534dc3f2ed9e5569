package semconv

import "go.opentelemetry.io/otel/attribute"

// SchemaURL is the semantic-convention version the GenAI keys follow.
const SchemaURL = "https://opentelemetry.io/schemas/1.41.0"

// GenAI span and metric attribute keys (semantic conventions v1.41.0).
const (
	GenAIOperationNameKey           = attribute.Key("gen_ai.operation.name")
	GenAIProviderNameKey            = attribute.Key("gen_ai.provider.name")
	GenAIRequestModelKey            = attribute.Key("gen_ai.request.model")
	GenAIRequestMaxTokensKey        = attribute.Key("gen_ai.request.max_tokens")
	GenAIRequestTemperatureKey      = attribute.Key("gen_ai.request.temperature")
	GenAIRequestTopPKey             = attribute.Key("gen_ai.request.top_p")
	GenAIRequestTopKKey             = attribute.Key("gen_ai.request.top_k")
	GenAIRequestFrequencyPenaltyKey = attribute.Key("gen_ai.request.frequency_penalty")
	GenAIRequestPresencePenaltyKey  = attribute.Key("gen_ai.request.presence_penalty")
	GenAIRequestStopSequencesKey    = attribute.Key("gen_ai.request.stop_sequences")
	GenAIRequestSeedKey             = attribute.Key("gen_ai.request.seed")
	GenAIRequestChoiceCountKey      = attribute.Key("gen_ai.request.choice.count")
	GenAIRequestEncodingFormatsKey  = attribute.Key("gen_ai.request.encoding_formats")
	GenAIRequestStreamKey           = attribute.Key("gen_ai.request.stream")
	GenAIEmbeddingsDimensionCount   = attribute.Key("gen_ai.embeddings.dimension.count")

	GenAIResponseIDKey               = attribute.Key("gen_ai.response.id")
	GenAIResponseModelKey            = attribute.Key("gen_ai.response.model")
	GenAIResponseFinishReasonsKey    = attribute.Key("gen_ai.response.finish_reasons")
	GenAIResponseTimeToFirstChunkKey = attribute.Key("gen_ai.response.time_to_first_chunk")

	GenAIUsageInputTokensKey              = attribute.Key("gen_ai.usage.input_tokens")
	GenAIUsageOutputTokensKey             = attribute.Key("gen_ai.usage.output_tokens")
	GenAIUsageCacheReadInputTokensKey     = attribute.Key("gen_ai.usage.cache_read.input_tokens")
	GenAIUsageCacheCreationInputTokensKey = attribute.Key("gen_ai.usage.cache_creation.input_tokens")
	GenAIUsageReasoningOutputTokensKey    = attribute.Key("gen_ai.usage.reasoning.output_tokens")

	GenAITokenTypeKey = attribute.Key("gen_ai.token.type")

	OpenAIRequestServiceTierKey        = attribute.Key("openai.request.service_tier")
	OpenAIResponseServiceTierKey       = attribute.Key("openai.response.service_tier")
	OpenAIResponseSystemFingerprintKey = attribute.Key("openai.response.system_fingerprint")

	ServerAddressKey = attribute.Key("server.address")
	ServerPortKey    = attribute.Key("server.port")
	ErrorTypeKey     = attribute.Key("error.type")

	HTTPResponseStatusCodeKey = attribute.Key("http.response.status_code")

	// AWSRequestIDKey is the AWS request id of a Bedrock call (its
	// x-amzn-RequestId response header), the key of the AWS SDK
	// conventions. gen_ai.response.id is the message id where the
	// response names one (Claude's msg_bdrk_...), the request id
	// otherwise.
	AWSRequestIDKey = attribute.Key("aws.request_id")
)

// The exception event a failed call's span carries (its message redacted
// of URLs and secrets).
const (
	ExceptionEventName  = "exception"
	ExceptionTypeKey    = attribute.Key("exception.type")
	ExceptionMessageKey = attribute.Key("exception.message")
)

// Keys that are this project's own, for facts the conventions have no key for.
const (
	// UsageCostKey is the cost of the call in USD: the cost the response
	// states where it states one (otelllm.pricing.source "provider"),
	// else computed from the usage and the price table. The name is the
	// one other GenAI tools use, so dashboards can be shared. Absent when
	// the call is unpriced or the usage is absent.
	UsageCostKey = attribute.Key("gen_ai.usage.cost")
	// UsageTotalTokensKey is the total the provider reported, where it did.
	UsageTotalTokensKey = attribute.Key("gen_ai.usage.total_tokens")
	// UsageCacheCreation1hInputTokensKey is the part of
	// gen_ai.usage.cache_creation.input_tokens written to a one-hour cache
	// (Anthropic's extended cache lifetime, priced above five-minute
	// writes), where the provider says.
	UsageCacheCreation1hInputTokensKey = attribute.Key("otelllm.usage.cache_creation_1h.input_tokens")
	// UsageAudioInputTokensKey and UsageImageInputTokensKey are the audio
	// and image parts of gen_ai.usage.input_tokens, UsageAudioOutputTokensKey
	// and UsageImageOutputTokensKey those of gen_ai.usage.output_tokens,
	// present when the provider reported a non-zero count: they are priced
	// at the table's audio and image prices where it has them.
	UsageAudioInputTokensKey  = attribute.Key("otelllm.usage.audio.input_tokens")
	UsageAudioOutputTokensKey = attribute.Key("otelllm.usage.audio.output_tokens")
	UsageImageInputTokensKey  = attribute.Key("otelllm.usage.image.input_tokens")
	UsageImageOutputTokensKey = attribute.Key("otelllm.usage.image.output_tokens")
	// UsageWebSearchRequestsKey is the number of web searches the provider
	// ran for the call (Anthropic's web search tool, Perplexity), billed
	// per search and part of gen_ai.usage.cost where the table prices them.
	UsageWebSearchRequestsKey = attribute.Key("otelllm.usage.web_search_requests")

	// UsageSourceKey says where the usage counts came from: response_body,
	// stream, response_headers, or absent (the response carried none).
	UsageSourceKey = attribute.Key("otelllm.usage.source")
	// UsageCompleteKey is true when the response was seen to its logical
	// end (a whole body, or a stream's final event), false when it ended
	// before that (early close, error, truncation): the counts present are
	// then the partial ones observed.
	UsageCompleteKey = attribute.Key("otelllm.usage.complete")
	// ResponseEndKey says how the response body ended: eof, closed (the
	// application closed it after the response's final event, as SDKs do
	// after [DONE]), closed_early (before it), read_error, canceled,
	// no_body, transport_error, or rejected (a tracker's limit refused the
	// call before anything was sent).
	ResponseEndKey = attribute.Key("otelllm.response.end")
	// ObserveErrorKey explains why part of the response could not be
	// understood (observation only; the application is unaffected).
	ObserveErrorKey = attribute.Key("otelllm.observe.error")
	// ProviderErrorTypeKey is the provider's own error type or code.
	ProviderErrorTypeKey = attribute.Key("otelllm.provider.error_type")

	// PricingUnpricedKey is true when the model has no price in the table.
	PricingUnpricedKey = attribute.Key("otelllm.pricing.unpriced")
	// PricingSourceKey names what priced the call: the price table, or
	// "provider" (PricingSourceProvider) when the response stated the
	// call's cost.
	PricingSourceKey = attribute.Key("otelllm.pricing.source")
	// PricingVersionKey is the date of the price table behind
	// gen_ai.usage.cost, or behind otelllm.pricing.table_cost when the
	// provider stated the cost.
	PricingVersionKey = attribute.Key("otelllm.pricing.version")
	// PricingTableCostKey is what the price table says the call costs,
	// in USD, when the response stated the cost and the table prices the
	// model: the table's figure kept beside the provider's, so that drift
	// between the two is visible. otelllm.pricing.model names its entry.
	PricingTableCostKey = attribute.Key("otelllm.pricing.table_cost")
	// PricingServiceTierKey is the service tier whose prices priced the
	// call (flex, priority), when the table has prices for it; absent when
	// the standard prices applied.
	PricingServiceTierKey = attribute.Key("otelllm.pricing.service_tier")
	// PricingModelKey is the table entry that priced the call (or gave
	// otelllm.pricing.table_cost).
	PricingModelKey = attribute.Key("otelllm.pricing.model")

	// StreamUsageAmendedKey is true when the transport amended a stream's
	// request to ask for the usage the application did not ask for
	// (otelllm.WithStreamUsage: stream_options.include_usage added), and
	// removed from the response the usage event the amendment added.
	StreamUsageAmendedKey = attribute.Key("otelllm.stream_usage.amended")
	// StreamUsageSkippedKey says why a stream's request was not amended
	// to ask for usage although WithStreamUsage is on: the host does not
	// accept it, the body is signed, over the read limit, or could not be
	// read before it was sent.
	StreamUsageSkippedKey = attribute.Key("otelllm.stream_usage.skipped")

	// TokenTypeKey is the token type on the otelllm token counter.
	TokenTypeKey = attribute.Key("otelllm.token.type")
)

// PricingSourceProvider is the otelllm.pricing.source of a call whose
// response stated its cost.
const PricingSourceProvider = "provider"

// Values of gen_ai.token.type on gen_ai.client.token.usage.
const (
	TokenTypeInput  = "input"
	TokenTypeOutput = "output"
)

// Values of otelllm.token.type on otelllm.client.token.count.
const (
	TokenCountInput         = "input"
	TokenCountOutput        = "output"
	TokenCountCacheRead     = "cache_read"
	TokenCountCacheCreation = "cache_creation"
	TokenCountReasoning     = "reasoning"
)

// Values of otelllm.response.end.
const (
	EndEOF            = "eof"
	EndClosed         = "closed"
	EndClosedEarly    = "closed_early"
	EndReadError      = "read_error"
	EndCanceled       = "canceled"
	EndNoBody         = "no_body"
	EndTransportError = "transport_error"
	// EndRejected: a tracker's limit refused the call; nothing was sent.
	EndRejected = "rejected"
)

// The values of otelllm.usage.source are those of providers.UsageSource:
// response_body, stream, response_headers, and absent when the response
// carried no usage.

// The gen_ai.provider.name values are in package providers
// (providers.ProviderOpenAI, ...), their one source: the provider packages,
// which import no OpenTelemetry, name themselves with them.
