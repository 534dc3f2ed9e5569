package otelllm

// ScopeName is the instrumentation scope name of the tracer and meter this
// package creates, as OpenTelemetry instrumentation libraries define it.
const ScopeName = "github.com/otelllm/otelllm/otelllm"

// Version returns the version of the otelllm instrumentation.
func Version() string { return "0.1.0" }
