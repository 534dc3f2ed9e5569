package otelllm

import (
	"fmt"
	"strings"
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
	// PriceTier is the service tier whose prices applied ("flex",
	// "priority"), "" for the standard prices.
	PriceTier string

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
	// eof, closed, closed_early, read_error, canceled, no_body,
	// transport_error).
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

// String summarises the call in one line, for logs and examples:
//
//	chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input + 11 output tokens, $0.000009, 1.2ms
func (r CallRecord) String() string {
	var b strings.Builder
	b.WriteString(r.Operation)
	if r.RequestModel != "" {
		b.WriteString(" " + r.RequestModel)
	}
	if r.ResponseModel != "" && r.ResponseModel != r.RequestModel {
		b.WriteString(" -> " + r.ResponseModel)
	}
	u := r.Usage
	switch {
	case u.Reported == 0:
		b.WriteString(": no usage reported")
	default:
		fmt.Fprintf(&b, ": %d input + %d output tokens", u.InputTokens, u.OutputTokens)
		if u.CacheReadInputTokens > 0 || u.CacheCreationInputTokens > 0 {
			fmt.Fprintf(&b, " (cache: %d read, %d written)", u.CacheReadInputTokens, u.CacheCreationInputTokens)
		}
		if r.Priced {
			fmt.Fprintf(&b, ", $%s", formatUSD(r.CostUSD))
		} else {
			b.WriteString(", unpriced")
		}
	}
	fmt.Fprintf(&b, ", %s", r.Duration.Round(time.Microsecond))
	if r.Streamed {
		fmt.Fprintf(&b, " (streamed, first chunk after %s)", r.TimeToFirstChunk.Round(time.Microsecond))
	}
	if r.ErrorType != "" {
		b.WriteString(" FAILED: " + r.ErrorType)
	}
	return b.String()
}
