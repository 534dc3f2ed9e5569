package otelllm

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// WithParentUsageDedup turns on or off what the Transport does when another
// GenAI instrumentation is recording a span for the same call: an SDK that
// traces its own calls (anthropic-sdk-go v2.15 and later does, through the
// global TracerProvider) makes its span the parent of otelllm's, and both
// carry the call's gen_ai.usage.* attributes, so a backend that sums usage
// over the spans of a trace counts every token twice. With the dedup on,
// otelllm's span keeps all its other attributes but leaves out the
// gen_ai.usage.* ones (gen_ai.usage.cost too) and says which scope records
// them in otelllm.usage.recorded_by; metrics, trackers and callbacks still
// count the call once, since the SDKs emit no metrics. A parent counts as
// such an instrumentation when it is a recording SDK span of kind CLIENT,
// from another instrumentation scope, that started with the
// gen_ai.operation.name of one call (chat, text_completion,
// generate_content, embeddings) and the call's gen_ai.provider.name. The
// default is on; WithParentUsageDedup(false) puts usage on otelllm's span
// whatever its parent.
func WithParentUsageDedup(on bool) Option {
	return optionFunc(func(c *config) { c.parentUsageDedup = on })
}

// readOnlySpan is what an OpenTelemetry SDK span lets a child read of it
// (sdktrace.ReadOnlySpan's methods): the library needs no more of the SDK.
type readOnlySpan interface {
	SpanKind() trace.SpanKind
	InstrumentationScope() instrumentation.Scope
	Attributes() []attribute.KeyValue
	EndTime() time.Time
}

// parentGenAIScope returns the instrumentation scope of the span in ctx
// when another GenAI instrumentation is recording it for this call to
// provider, "" otherwise. Only the attributes a span starts with are
// looked at: an SDK sets usage on its span after the transport is done.
func parentGenAIScope(ctx context.Context, provider string) string {
	parent := trace.SpanFromContext(ctx)
	if !parent.IsRecording() {
		return ""
	}
	ro, ok := parent.(readOnlySpan)
	if !ok || ro.SpanKind() != trace.SpanKindClient || !ro.EndTime().IsZero() {
		return ""
	}
	scope := ro.InstrumentationScope().Name
	if scope == ScopeName {
		return ""
	}
	var sameOperation, sameProvider bool
	for _, kv := range ro.Attributes() {
		switch kv.Key {
		case semconv.GenAIOperationNameKey:
			sameOperation = callOperation(kv.Value.AsString())
		case semconv.GenAIProviderNameKey:
			sameProvider = kv.Value.AsString() == provider
		}
	}
	if sameOperation && sameProvider {
		return scope
	}
	return ""
}

// callOperation reports the operations whose span stands for one call to
// the model, as otelllm's does; an agent's or a workflow's span spans many.
func callOperation(op string) bool {
	switch op {
	case providers.OperationChat, providers.OperationTextCompletion, providers.OperationGenerateContent, providers.OperationEmbeddings:
		return true
	}
	return false
}
