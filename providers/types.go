package providers

import "time"

// Operation names, as the GenAI semantic conventions define them.
const (
	OperationChat            = "chat"
	OperationTextCompletion  = "text_completion"
	OperationEmbeddings      = "embeddings"
	OperationGenerateContent = "generate_content"
	// OperationCountTokens is not a semantic-convention value: it names
	// calls that count a prompt's tokens (Gemini's countTokens). They
	// generate nothing and bill nothing, so they carry no usage.
	OperationCountTokens = "count_tokens"
)

// Request holds what a request says about the call. Pointer fields are nil when
// the request did not set them.
type Request struct {
	// Provider is the gen_ai.provider.name value, e.g. "openai", "aws.bedrock".
	Provider string
	// Operation is the gen_ai.operation.name value, e.g. OperationChat.
	Operation string
	// Model is the model the request asked for (for Azure, the deployment).
	Model string
	// Stream reports that the request asked for a streamed response.
	Stream bool
	// StreamFraming is how this call's stream is framed when the response
	// headers do not say: FramingDefault (Server-Sent Events) unless the
	// provider says otherwise.
	StreamFraming Framing
	// StreamUnknown reports that the request body could not be read, so
	// whether it asked for a stream is not known: a response whose headers
	// do not tell is then framed by its first byte.
	StreamUnknown bool

	MaxTokens        *int64
	Temperature      *float64
	TopP             *float64
	TopK             *float64
	FrequencyPenalty *float64
	PresencePenalty  *float64
	StopSequences    []string
	Seed             *int64
	ChoiceCount      *int64
	// EncodingFormats and Dimensions apply to embeddings requests.
	EncodingFormats []string
	Dimensions      *int64
	// ServiceTier is the service tier requested (OpenAI), "" when unset.
	ServiceTier string
	// SearchContextSize is the web search context size requested
	// (web_search_options.search_context_size of Perplexity and OpenAI:
	// low, medium, high), "" when unset.
	SearchContextSize string

	// Content is what the request says to the model, when the call
	// captures content (ContentCapturer); nil otherwise.
	Content *RequestContent
}

// UsageField names one count of a [Usage]; a set of them is a bit mask.
type UsageField uint16

// The counts a Usage can carry.
const (
	InputTokens UsageField = 1 << iota
	OutputTokens
	TotalTokens
	CacheReadInputTokens
	CacheCreationInputTokens
	ReasoningTokens
	// CacheCreation1hInputTokens is the part of CacheCreationInputTokens
	// written to a one-hour cache (Anthropic's extended cache lifetime),
	// which is priced above five-minute writes.
	CacheCreation1hInputTokens
	// WebSearchRequests counts the web searches the provider ran for the
	// call, billed per search rather than per token.
	WebSearchRequests
)

// UsageSource says where the counts of a Usage came from.
type UsageSource string

// The places usage can come from.
const (
	// SourceNone is the zero value: a Usage with no counts.
	SourceNone UsageSource = ""
	// SourceAbsent: the response carried no usage (for example an OpenAI
	// stream requested without stream_options.include_usage). The
	// transport's records say it where a provider left SourceNone.
	SourceAbsent UsageSource = "absent"
	// SourceResponseBody: a full (non-streamed) response body.
	SourceResponseBody UsageSource = "response_body"
	// SourceStream: a stream event (final usage chunk, message_delta,
	// metadata frame, ...).
	SourceStream UsageSource = "stream"
	// SourceResponseHeaders: response headers (Bedrock InvokeModel).
	SourceResponseHeaders UsageSource = "response_headers"
)

// Usage is the token usage of one call, normalised to the semantic conventions:
// InputTokens includes cache reads and cache writes, OutputTokens includes
// reasoning tokens. Only the counts in Reported were reported by the provider;
// the others are zero and must not be presented as measured.
type Usage struct {
	InputTokens              int64
	OutputTokens             int64
	TotalTokens              int64
	CacheReadInputTokens     int64
	CacheCreationInputTokens int64
	ReasoningTokens          int64
	// CacheCreation1hInputTokens is the part of CacheCreationInputTokens
	// written to a one-hour cache.
	CacheCreation1hInputTokens int64
	// WebSearchRequests is the number of web searches the provider ran
	// for the call (Anthropic's server_tool_use.web_search_requests,
	// Perplexity's num_search_queries): not tokens, but billed per search.
	WebSearchRequests int64

	Reported UsageField
	Source   UsageSource
}

// Has reports whether the provider reported count f.
func (u Usage) Has(f UsageField) bool { return u.Reported&f != 0 }

// Set records count f with value v as reported.
func (u *Usage) Set(f UsageField, v int64) {
	switch f {
	case InputTokens:
		u.InputTokens = v
	case OutputTokens:
		u.OutputTokens = v
	case TotalTokens:
		u.TotalTokens = v
	case CacheReadInputTokens:
		u.CacheReadInputTokens = v
	case CacheCreationInputTokens:
		u.CacheCreationInputTokens = v
	case ReasoningTokens:
		u.ReasoningTokens = v
	case CacheCreation1hInputTokens:
		u.CacheCreation1hInputTokens = v
	case WebSearchRequests:
		u.WebSearchRequests = v
	default:
		return
	}
	u.Reported |= f
}

// Response holds what the response said, as far as it was observed.
type Response struct {
	// ID is the provider's response id (for Bedrock, the request id header).
	ID string
	// Model is the model that served the call, as the response names it.
	Model string
	// FinishReasons holds each choice's finish reason, in the provider's words.
	FinishReasons []string
	Usage         Usage

	// Streamed reports that the response was a stream.
	Streamed bool

	// Complete reports that the response was seen to its logical end: a
	// full body parsed, or a stream's final event ([DONE], message_stop,
	// metadata, done:true, ...), whatever became of the connection after.
	// SDKs close a stream once its final event arrives, before EOF: the
	// transport tells that apart from an abandoned stream by this.
	Complete bool

	// ServiceTier and SystemFingerprint are OpenAI's response fields.
	ServiceTier       string
	SystemFingerprint string

	// ErrorType is the provider's error type or code, from an error body or
	// an error event inside a stream; "" when the provider reported none.
	ErrorType string

	// Output is the answer's messages, when the call captures content
	// (ContentCapturer); nil otherwise.
	Output []Message

	// RateLimits are the rate limits the response headers state, ordered
	// by resource and window (SortRateLimits); nil when they state none.
	RateLimits []RateLimit
	// RetryAfter is how long the response asks the client to wait before
	// retrying (Retry-After, Retry-After-Ms); nil when it does not say.
	RetryAfter *time.Duration

	// ObserveError explains why part of the response could not be understood
	// (malformed JSON, a corrupt frame, a body over the parse limit). It never
	// means the application saw an error.
	ObserveError string
}
