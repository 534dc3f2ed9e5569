package semconv

import "go.opentelemetry.io/otel/attribute"

// UsageRecordedByKey names the instrumentation scope of the parent span
// that records this call's gen_ai.usage.* attributes, when another GenAI
// instrumentation (an SDK's own, such as anthropic-sdk-go's
// com.anthropic.sdk.go) is recording a span for the same call: otelllm's
// span then leaves out its gen_ai.usage.* attributes (and captured
// content), so that a backend summing usage over the spans of a trace
// counts each token once. The otelllm.usage.* keys, the metrics and the
// trackers still carry the call's usage.
const UsageRecordedByKey = attribute.Key("otelllm.usage.recorded_by")
