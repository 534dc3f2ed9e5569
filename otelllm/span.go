package otelllm

import (
	"fmt"
	"net/http"
	"reflect"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// responseAttributes are the span attributes the end of a call gives,
// named as stability s says.
func responseAttributes(rec *record, s semconv.Stability) []attribute.KeyValue {
	resp := &rec.response
	attrs := make([]attribute.KeyValue, 0, 24)
	attrs = append(attrs, semconv.ResponseEndKey.String(string(rec.End)))
	if rec.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCodeKey.Int(rec.StatusCode))
	}
	if resp.ID != "" {
		attrs = append(attrs, semconv.GenAIResponseIDKey.String(resp.ID))
	}
	if resp.Model != "" {
		attrs = append(attrs, semconv.GenAIResponseModelKey.String(resp.Model))
	}
	if len(resp.FinishReasons) > 0 {
		attrs = append(attrs, semconv.GenAIResponseFinishReasonsKey.StringSlice(resp.FinishReasons))
	}
	if resp.ServiceTier != "" {
		attrs = append(attrs, semconv.OpenAIResponseServiceTierKey.String(resp.ServiceTier))
	}
	if resp.SystemFingerprint != "" {
		attrs = append(attrs, semconv.OpenAIResponseSystemFingerprintKey.String(resp.SystemFingerprint))
	}
	if rec.TimeToFirstChunk > 0 {
		attrs = append(attrs, semconv.GenAIResponseTimeToFirstChunkKey.Float64(rec.TimeToFirstChunk.Seconds()))
	}
	if resp.RequestID != "" && rec.Provider == providers.ProviderAWSBedrock {
		attrs = append(attrs, semconv.AWSRequestIDKey.String(resp.RequestID))
	}
	if rec.usageRecordedBy != "" {
		attrs = append(attrs, semconv.UsageRecordedByKey.String(rec.usageRecordedBy))
	} else {
		attrs = appendGenAIUsage(attrs, rec.Usage, s)
	}
	attrs = appendUsage(attrs, rec.Usage)
	if rec.hasUsage {
		attrs = append(attrs, semconv.UsageCompleteKey.Bool(resp.Complete))
	}
	switch {
	case rec.Priced:
		if rec.usageRecordedBy == "" {
			attrs = append(attrs, semconv.UsageCostKey.Float64(rec.CostUSD))
		}
		attrs = append(attrs, semconv.PricingSourceKey.String(rec.pricingSource))
		if rec.tablePriced {
			// The provider stated the cost; the table's figure beside it.
			attrs = append(attrs, semconv.PricingTableCostKey.Float64(rec.TableCostUSD))
		}
		if rec.CostSource == CostFromTable || rec.tablePriced {
			attrs = append(attrs,
				semconv.PricingModelKey.String(rec.PriceKey),
				semconv.PricingVersionKey.String(rec.pricingVersion))
			if rec.PriceTier != "" {
				attrs = append(attrs, semconv.PricingServiceTierKey.String(rec.PriceTier))
			}
		}
	case rec.hasUsage:
		attrs = append(attrs, semconv.PricingUnpricedKey.Bool(true))
	}
	if resp.ErrorType != "" {
		attrs = append(attrs, semconv.ProviderErrorTypeKey.String(resp.ErrorType))
	}
	if rec.observeError != "" {
		attrs = append(attrs, semconv.ObserveErrorKey.String(rec.observeError))
	}
	attrs = appendRateLimits(attrs, rec)
	return appendBudget(attrs, rec)
}

// errorDescription is the span status description of a failed call: the
// application's error, with any URL and secret in it redacted, or the HTTP
// status and the provider's error type.
func errorDescription(rec *record) string {
	switch {
	case rec.Err != nil:
		return redactSecrets(rec.Err.Error())
	case rec.StatusCode >= 400:
		desc := fmt.Sprintf("HTTP %d %s", rec.StatusCode, http.StatusText(rec.StatusCode))
		if rec.response.ErrorType != "" {
			desc += ": " + rec.response.ErrorType
		}
		return desc
	}
	return rec.ErrorType
}

// recordException adds the exception event span.RecordError would, with
// the message redacted: error texts carry URLs, and URLs carry keys.
func recordException(span trace.Span, err error) {
	span.AddEvent(semconv.ExceptionEventName, trace.WithAttributes(
		semconv.ExceptionTypeKey.String(errorTypeName(err)),
		semconv.ExceptionMessageKey.String(redactSecrets(err.Error())),
	))
}

// errorTypeName is the exception.type of err, as span.RecordError names it.
func errorTypeName(err error) string {
	t := reflect.TypeOf(err)
	if t.PkgPath() == "" && t.Name() == "" {
		return t.String() // a pointer or other unnamed type: *url.Error
	}
	return t.PkgPath() + "." + t.Name()
}

// appendGenAIUsage adds the gen_ai.usage.* counts the provider reported:
// the cache writes as gen_ai.usage.cache_creation.input_tokens (v1.41.0),
// gen_ai.usage.cache_write.input_tokens (latest), or both.
func appendGenAIUsage(attrs []attribute.KeyValue, u providers.Usage, s semconv.Stability) []attribute.KeyValue {
	if u.Has(providers.InputTokens) {
		attrs = append(attrs, semconv.GenAIUsageInputTokensKey.Int64(u.InputTokens))
	}
	if u.Has(providers.OutputTokens) {
		attrs = append(attrs, semconv.GenAIUsageOutputTokensKey.Int64(u.OutputTokens))
	}
	if u.Has(providers.TotalTokens) {
		attrs = append(attrs, semconv.UsageTotalTokensKey.Int64(u.TotalTokens))
	}
	if u.Has(providers.CacheReadInputTokens) {
		attrs = append(attrs, semconv.GenAIUsageCacheReadInputTokensKey.Int64(u.CacheReadInputTokens))
	}
	if u.Has(providers.CacheCreationInputTokens) {
		if s.EmitsDefault() {
			attrs = append(attrs, semconv.GenAIUsageCacheCreationInputTokensKey.Int64(u.CacheCreationInputTokens))
		}
		if s.EmitsLatest() {
			attrs = append(attrs, semconv.LatestGenAIUsageCacheWriteInputTokensKey.Int64(u.CacheCreationInputTokens))
		}
	}
	if u.Has(providers.ReasoningTokens) {
		attrs = append(attrs, semconv.GenAIUsageReasoningOutputTokensKey.Int64(u.ReasoningTokens))
	}
	return attrs
}

// appendUsage adds otelllm's own usage keys, which every span carries.
func appendUsage(attrs []attribute.KeyValue, u providers.Usage) []attribute.KeyValue {
	if u.Has(providers.CacheCreation1hInputTokens) {
		attrs = append(attrs, semconv.UsageCacheCreation1hInputTokensKey.Int64(u.CacheCreation1hInputTokens))
	}
	if u.Has(providers.WebSearchRequests) {
		attrs = append(attrs, semconv.UsageWebSearchRequestsKey.Int64(u.WebSearchRequests))
	}
	// Audio and image parts only when there are any: most calls report
	// zeros for both, which say nothing a reader needs.
	for _, part := range [...]struct {
		f   providers.UsageField
		key attribute.Key
	}{
		{providers.InputAudioTokens, semconv.UsageAudioInputTokensKey},
		{providers.OutputAudioTokens, semconv.UsageAudioOutputTokensKey},
		{providers.InputImageTokens, semconv.UsageImageInputTokensKey},
		{providers.OutputImageTokens, semconv.UsageImageOutputTokensKey},
	} {
		if n := u.Get(part.f); n > 0 {
			attrs = append(attrs, part.key.Int64(n))
		}
	}
	return append(attrs, semconv.UsageSourceKey.String(string(u.Source)))
}
