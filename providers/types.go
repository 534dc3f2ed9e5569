package providers

import (
	"strings"
	"time"
)

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
	// InputAudioTokens and InputImageTokens are the audio and image parts
	// of InputTokens; OutputAudioTokens and OutputImageTokens those of
	// OutputTokens. Models that take or give audio and images price them
	// apart from text.
	InputAudioTokens
	OutputAudioTokens
	InputImageTokens
	OutputImageTokens
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
	// InputAudioTokens and InputImageTokens are the audio and image parts
	// of InputTokens (OpenAI's prompt_tokens_details.audio_tokens and
	// image_tokens, input_tokens_details.image_tokens of the Responses and
	// Images APIs); OutputAudioTokens and OutputImageTokens those of
	// OutputTokens. They are priced at the table's audio and image prices
	// where it has them.
	InputAudioTokens  int64
	OutputAudioTokens int64
	InputImageTokens  int64
	OutputImageTokens int64

	Reported UsageField
	// Invalid holds the counts the response gave a value that is not a
	// count (negative, a fraction, a string, more than an int64 holds),
	// and the totals that include one: they are not in Reported, and are
	// not recorded. The observers of NewObserver say so in ObserveError.
	Invalid UsageField
	Source  UsageSource
}

// Get returns count f (0 when it was not reported).
func (u Usage) Get(f UsageField) int64 {
	switch f {
	case InputTokens:
		return u.InputTokens
	case OutputTokens:
		return u.OutputTokens
	case TotalTokens:
		return u.TotalTokens
	case CacheReadInputTokens:
		return u.CacheReadInputTokens
	case CacheCreationInputTokens:
		return u.CacheCreationInputTokens
	case ReasoningTokens:
		return u.ReasoningTokens
	case CacheCreation1hInputTokens:
		return u.CacheCreation1hInputTokens
	case WebSearchRequests:
		return u.WebSearchRequests
	case InputAudioTokens:
		return u.InputAudioTokens
	case OutputAudioTokens:
		return u.OutputAudioTokens
	case InputImageTokens:
		return u.InputImageTokens
	case OutputImageTokens:
		return u.OutputImageTokens
	}
	return 0
}

// Has reports whether the provider reported count f.
func (u Usage) Has(f UsageField) bool { return u.Reported&f != 0 }

// Reject marks count f as given a value that is not a count: it is no
// longer reported, and its value is zero.
func (u *Usage) Reject(f UsageField) {
	u.Set(f, 0)
	u.Reported &^= f
	u.Invalid |= f
}

// Set records count f with value v as reported (and no longer invalid).
// A negative v is not a count: Set rejects it.
func (u *Usage) Set(f UsageField, v int64) {
	if v < 0 {
		u.Reject(f)
		return
	}
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
	case InputAudioTokens:
		u.InputAudioTokens = v
	case OutputAudioTokens:
		u.OutputAudioTokens = v
	case InputImageTokens:
		u.InputImageTokens = v
	case OutputImageTokens:
		u.OutputImageTokens = v
	default:
		return
	}
	u.Reported |= f
	u.Invalid &^= f
}

// usageFieldNames are the names of the counts, in bit order, as
// ObserveError lists them.
var usageFieldNames = [...]string{"input_tokens", "output_tokens", "total_tokens", "cache_read_input_tokens",
	"cache_creation_input_tokens", "reasoning_tokens", "cache_creation_1h_input_tokens", "web_search_requests",
	"input_audio_tokens", "output_audio_tokens", "input_image_tokens", "output_image_tokens"}

// String lists the counts of the mask f by name, comma-separated.
func (f UsageField) String() string {
	var b strings.Builder
	for i, name := range usageFieldNames {
		if f&(1<<i) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		b.WriteString(name)
	}
	return b.String()
}

// ProviderCost is the cost of a call as the response itself states it
// (OpenRouter's usage.cost, xAI's usage.cost_in_usd_ticks, Perplexity's
// usage.cost.total_cost): what the provider bills, whatever a price table
// says.
type ProviderCost struct {
	// USD is the cost in US dollars, never negative.
	USD float64
	// Reported is set when the response stated a cost: a stated 0 (a
	// free model) is a cost of 0.
	Reported bool
}

// Response holds what the response said, as far as it was observed.
type Response struct {
	// ID is the provider's response id: the message id Claude's body names
	// on Bedrock, and for other Bedrock responses, which name none, the
	// request id.
	ID string
	// RequestID is the request id the provider's host gave the call where
	// it is not the response id (Bedrock's x-amzn-RequestId header).
	RequestID string
	// Model is the model that served the call, as the response names it.
	Model string
	// FinishReasons holds each choice's finish reason, in the provider's words.
	FinishReasons []string
	Usage         Usage
	// Cost is the cost the response states, where it states one.
	Cost ProviderCost
	// SearchContextSize is the web search context size the response says
	// served the call (Perplexity's usage.search_context_size: low,
	// medium, high), "" when it says none.
	SearchContextSize string
	// RequestSearchFee reports a search fee billed per request rather than
	// per search: Perplexity bills one at SearchContextSize's price when
	// the response counts no searches (no num_search_queries).
	RequestSearchFee bool

	// Streamed reports that the response was a stream.
	Streamed bool
	// UsageNotRequested reports a stream that ran to its final event
	// without usage because its request did not ask for any: an
	// OpenAI-style chat or completions stream sent without
	// stream_options.include_usage. Its tokens were not lost to a fault
	// but never sent; otelllm.WithStreamUsage asks for them on the
	// application's behalf.
	UsageNotRequested bool

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
