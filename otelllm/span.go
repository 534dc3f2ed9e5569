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

// responseAttributes are the span attributes the end of a call gives.
func responseAttributes(rec *record) []attribute.KeyValue {
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
	attrs = appendUsage(attrs, rec.Usage)
	if rec.hasUsage {
		attrs = append(attrs, semconv.UsageCompleteKey.Bool(resp.Complete))
		if rec.Priced {
			attrs = append(attrs,
				semconv.UsageCostKey.Float64(rec.CostUSD),
				semconv.PricingModelKey.String(rec.PriceKey),
				semconv.PricingSourceKey.String(rec.pricingSource),
				semconv.PricingVersionKey.String(rec.pricingVersion))
			if rec.PriceTier != "" {
				attrs = append(attrs, semconv.PricingServiceTierKey.String(rec.PriceTier))
			}
		} else {
			attrs = append(attrs, semconv.PricingUnpricedKey.Bool(true))
		}
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

func appendUsage(attrs []attribute.KeyValue, u providers.Usage) []attribute.KeyValue {
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
		attrs = append(attrs, semconv.GenAIUsageCacheCreationInputTokensKey.Int64(u.CacheCreationInputTokens))
	}
	if u.Has(providers.ReasoningTokens) {
		attrs = append(attrs, semconv.GenAIUsageReasoningOutputTokensKey.Int64(u.ReasoningTokens))
	}
	if u.Has(providers.CacheCreation1hInputTokens) {
		attrs = append(attrs, semconv.UsageCacheCreation1hInputTokensKey.Int64(u.CacheCreation1hInputTokens))
	}
	if u.Has(providers.WebSearchRequests) {
		attrs = append(attrs, semconv.UsageWebSearchRequestsKey.Int64(u.WebSearchRequests))
	}
	return append(attrs, semconv.UsageSourceKey.String(string(u.Source)))
}
