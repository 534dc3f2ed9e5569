package otelllm

import (
	"time"

	"github.com/otelllm/otelllm/providers"
)

// CallRecord is the normalised record of one finished call, as handed to
// WithCallback functions and counted by Trackers.
type CallRecord struct {
	// Provider is the gen_ai.provider.name, e.g. "openai", "aws.bedrock".
	Provider string
	// Operation is the gen_ai.operation.name, e.g. "chat", "embeddings".
	Operation string
	// RequestModel is the model asked for (for Azure, the deployment).
	RequestModel string
	// ResponseModel is the model that answered, as the response names it.
	ResponseModel string
	// ResponseID is the provider's id of the response.
	ResponseID    string
	FinishReasons []string
	Streamed      bool

	// Usage holds the token counts the provider reported; Usage.Reported
	// says which, Usage.Source where from. InputTokens includes cached
	// input and OutputTokens includes reasoning tokens.
	Usage providers.Usage

	// CostUSD is the cost in US dollars when Priced; 0 and meaningless
	// otherwise.
	CostUSD float64
	// Priced reports that a price was found for the model and the usage.
	Priced bool
	// PriceKey is the price table entry used.
	PriceKey string

	// Duration runs from the request to the end of the response body.
	Duration time.Duration
	// TimeToFirstChunk is the time to the first output chunk of a stream,
	// 0 otherwise.
	TimeToFirstChunk time.Duration

	// StatusCode is the HTTP status, 0 when no response arrived.
	StatusCode int
	// ErrorType is the error.type recorded when the call failed: the
	// transport's error, the provider's error type, or the HTTP status.
	ErrorType string
	// Err is the Go error the application saw, if any.
	Err error
	// End says how the response ended (an otelllm.response.end value:
	// eof, closed_early, read_error, canceled, no_body, transport_error).
	End string
}

// Model returns the model a call is accounted under: the response model,
// else the request model.
func (r CallRecord) Model() string {
	if r.ResponseModel != "" {
		return r.ResponseModel
	}
	return r.RequestModel
}

// Failed reports whether the call failed.
func (r CallRecord) Failed() bool { return r.ErrorType != "" }
