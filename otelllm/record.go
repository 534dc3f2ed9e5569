package otelllm

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.opentelemetry.io/otel/attribute"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// EndReason says how a call's response ended: the otelllm.response.end
// attribute of its span.
type EndReason string

// The ways a response ends.
const (
	// EndEOF: the body was read to its end.
	EndEOF EndReason = semconv.EndEOF
	// EndClosed: the application closed the body after the response's
	// final event, as SDKs do after a stream's [DONE].
	EndClosed EndReason = semconv.EndClosed
	// EndClosedEarly: the application closed the body before its end.
	EndClosedEarly EndReason = semconv.EndClosedEarly
	// EndReadError: reading the body failed.
	EndReadError EndReason = semconv.EndReadError
	// EndCanceled: the request's context ended before the body did.
	EndCanceled EndReason = semconv.EndCanceled
	// EndNoBody: the response had no body (or it is an upgraded
	// connection).
	EndNoBody EndReason = semconv.EndNoBody
	// EndTransportError: no response arrived; the base transport failed.
	EndTransportError EndReason = semconv.EndTransportError
	// EndRejected: a tracker's limit refused the call; nothing was sent
	// (see Track).
	EndRejected EndReason = semconv.EndRejected
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
	ResponseID string
	// FinishReasons holds each choice's finish reason, in the provider's
	// words.
	FinishReasons []string
	// Streamed reports that the response was a stream.
	Streamed bool

	// Usage holds the token counts the provider reported; Usage.Reported
	// says which, Usage.Source where from (providers.SourceAbsent when
	// the response carried none). InputTokens includes cached input and
	// OutputTokens includes reasoning tokens.
	Usage providers.Usage
	// UsageNotRequested reports a stream that ran to its end without usage
	// because its request did not ask for any (an OpenAI-style stream sent
	// without stream_options.include_usage): WithStreamUsage asks for it.
	UsageNotRequested bool

	// CostUSD is the cost in US dollars when Priced; 0 and meaningless
	// otherwise.
	CostUSD float64
	// Priced reports that the call has a cost: the response stated one,
	// or the price table prices the model and the usage.
	Priced bool
	// CostSource says where CostUSD came from: CostFromProvider when the
	// response stated the call's cost (OpenRouter, xAI, Perplexity),
	// CostFromTable when the price table priced the usage; "" when the
	// call is not priced.
	CostSource CostSource
	// TableCostUSD is what the price table says the usage costs when
	// CostSource is CostFromProvider and the table prices the model
	// (PriceKey names its entry), so that drift between the table and
	// what the provider bills shows; 0 otherwise.
	TableCostUSD float64
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
	// End says how the response ended.
	End EndReason

	// ResendCount is which retry of a call the request was, as the SDK
	// that sent it says (X-Stainless-Retry-Count, amz-sdk-request): 0 for
	// a first attempt, or when no SDK says.
	ResendCount int
	// Attributes are the call's context attributes (ContextWithAttributes,
	// and the baggage members WithContextMetricKeys names), sorted by key.
	Attributes []attribute.KeyValue
	// RateLimits are the provider's rate limits as the response headers
	// stated them; RetryAfter how long the response asked the client to
	// wait before retrying, nil when it did not say.
	RateLimits []providers.RateLimit
	RetryAfter *time.Duration
}

// CostSource says where a call's cost came from.
type CostSource string

// The places a cost comes from.
const (
	// CostFromProvider: the response stated the call's cost.
	CostFromProvider CostSource = semconv.PricingSourceProvider
	// CostFromTable: the price table priced the call's usage.
	CostFromTable CostSource = "table"
)

// Rejected reports whether a tracker's limit refused the call (nothing of
// it was sent).
func (r CallRecord) Rejected() bool { return r.End == EndRejected }

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
	case u.Reported == 0 && r.UsageNotRequested:
		b.WriteString(": no usage reported (stream sent without stream_options.include_usage: otelllm.WithStreamUsage asks for it)")
	case u.Reported == 0:
		b.WriteString(": no usage reported")
	default:
		fmt.Fprintf(&b, ": %d input + %d output tokens", u.InputTokens, u.OutputTokens)
		if u.CacheReadInputTokens > 0 || u.CacheCreationInputTokens > 0 {
			fmt.Fprintf(&b, " (cache: %d read, %d written)", u.CacheReadInputTokens, u.CacheCreationInputTokens)
		}
		if r.Priced {
			fmt.Fprintf(&b, ", $%s", formatUSD(r.CostUSD))
			if r.CostSource == CostFromProvider {
				b.WriteString(" (the provider's figure)")
			}
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

// record is the plain record of one finished call: everything its
// telemetry says, decided here once, from the request, the observer's
// result and how the body ended. emit turns it into the span's attributes
// and status, the metrics, the trackers' counts and the callbacks.
type record struct {
	CallRecord
	request  providers.Request
	response providers.Response
	server   string
	port     int
	// observeError explains what of the response could not be
	// understood (the transport's own problem first).
	observeError string
	// hasUsage: the provider reported input or output tokens.
	hasUsage bool
	// pricingSource names what priced it: the table, or "provider";
	// pricingVersion the table's version. tablePriced says the table
	// priced a call whose cost the provider stated (TableCostUSD).
	pricingSource, pricingVersion string
	tablePriced                   bool
	end                           time.Time
	// usageRecordedBy is the scope of the parent span that carries this
	// call's gen_ai.usage.* attributes (WithParentUsageDedup): the span
	// leaves them to it. Captured content stays on the span (the SDKs'
	// spans carry none), and metrics, trackers and callbacks count the
	// call all the same.
	usageRecordedBy string
	// content is the message content recorded, when the application
	// opted in (content.go); never part of the CallRecord.
	content *recordContent
	// budget is the error of a call a tracker's limit refused.
	budget *BudgetError
}

// record builds the call's record as it ends, at now.
func (c *callState) record(e endState, resp providers.Response, now time.Time) record {
	req := c.request
	u := resp.Usage
	if u.Reported == 0 {
		u.Source = providers.SourceAbsent
	}
	if resp.Complete {
		switch e.end {
		case EndClosedEarly:
			// Closed after the response's final event, as SDKs do
			// after [DONE]: nothing was cut short.
			e.end = EndClosed
		case EndCanceled:
			// Cancelled once the answer was whole: not a failure.
			e.errType, e.err = "", nil
		}
	}
	rec := record{
		CallRecord: CallRecord{
			Provider:      req.Provider,
			Operation:     req.Operation,
			RequestModel:  req.Model,
			ResponseModel: resp.Model,
			ResponseID:    resp.ID,
			FinishReasons: resp.FinishReasons,
			Streamed:      resp.Streamed,
			Usage:         u,
			Duration:      now.Sub(c.start),
			End:           e.end,
			StatusCode:    c.status,
			Err:           e.err,
			ResendCount:   c.resend,
			Attributes:    c.attrs,
			RateLimits:    resp.RateLimits,
			RetryAfter:    resp.RetryAfter,
		},
		request:      req,
		response:     resp,
		server:       c.server,
		port:         c.port,
		observeError: resp.ObserveError,
		hasUsage:     u.Has(providers.InputTokens) || u.Has(providers.OutputTokens),
		end:          now,

		usageRecordedBy: c.usageRecordedBy,
	}
	if c.observeError != "" {
		rec.observeError = c.observeError
	}
	if e.end == EndRejected {
		rec.budget, _ = e.err.(*BudgetError)
	}
	if !c.firstChunk.IsZero() {
		rec.TimeToFirstChunk = c.firstChunk.Sub(c.start)
	}
	rec.UsageNotRequested = resp.UsageNotRequested

	// error.type: the call's own failure first, then the provider's error
	// (in an error body or inside a 200 stream), then the HTTP status.
	switch {
	case e.errType != "":
		rec.ErrorType = e.errType
	case resp.ErrorType != "":
		rec.ErrorType = resp.ErrorType
	case c.status >= 400:
		rec.ErrorType = strconv.Itoa(c.status)
	}

	if rec.hasUsage || resp.Cost.Reported {
		c.t.price(&rec)
	}
	if mode := c.t.cfg.content; mode.inEvent() || mode.onSpan() && c.span.IsRecording() {
		rec.content = c.t.content(c.ctx, req, resp)
	}
	return rec
}

// price decides the call's cost, once: the cost the response states is
// the call's cost; otherwise the price table's price of the usage, when
// the table prices the model. Where both exist the table's figure is kept
// beside the provider's, so that drift between them shows.
func (t *Transport) price(rec *record) {
	table, tabled := t.tableCost(rec)
	stated := rec.response.Cost
	if stated.Reported && !(stated.USD >= 0 && stated.USD <= pricing.MaxCost) {
		// Providers mark no cost this way; NaN and infinities never
		// reach here (the providers reject them), nor may any figure a
		// cost counter could not hold.
		rec.observeError = joinProblems(rec.observeError, providers.ProblemBadCost)
		stated.Reported = false
	}
	if stated.Reported {
		rec.CostUSD = roundUSD(stated.USD)
		rec.Priced = true
		rec.CostSource = CostFromProvider
		rec.pricingSource = semconv.PricingSourceProvider
		if tabled {
			rec.TableCostUSD = table.cost
			rec.PriceKey, rec.PriceTier, rec.pricingVersion = table.key, table.tier, table.version
			rec.tablePriced = true
		}
		return
	}
	if !tabled || !rec.hasUsage {
		return
	}
	rec.CostUSD = table.cost
	rec.Priced = true
	rec.CostSource = CostFromTable
	rec.PriceKey, rec.PriceTier = table.key, table.tier
	rec.pricingSource, rec.pricingVersion = table.source, table.version
}

// tablePrice is what the price table says a call costs.
type tablePrice struct {
	cost                       float64
	key, tier, source, version string
}

// tableCost prices the record's usage from the price table, when it prices
// the model.
func (t *Transport) tableCost(rec *record) (tablePrice, bool) {
	if !rec.hasUsage {
		return tablePrice{}, false
	}
	prices := t.cfg.prices
	req, resp := &rec.request, &rec.response
	m, ok := prices.Lookup(req.Provider, resp.Model, req.Model)
	if !ok {
		return tablePrice{}, false
	}
	// The tier the response says served the call, else the one the
	// request asked for: flex is half price, priority more.
	tier := resp.ServiceTier
	if tier == "" {
		tier = req.ServiceTier
	}
	price, tiered := m.Price.ForServiceTier(tier)
	p := tablePrice{key: m.Key, source: prices.Source(), version: prices.Version()}
	if tiered {
		p.tier = tier
	}
	// The search context size the response says served the call, else
	// the one the request asked for.
	size := resp.SearchContextSize
	if size == "" {
		size = req.SearchContextSize
	}
	u := rec.Usage
	searches := u.WebSearchRequests
	if resp.RequestSearchFee {
		searches++ // Perplexity's request fee: one search's price
	}
	cost := price.Cost(pricing.Tokens{
		Input:             u.InputTokens,
		CacheRead:         u.CacheReadInputTokens,
		CacheCreation:     u.CacheCreationInputTokens,
		CacheCreation1h:   u.CacheCreation1hInputTokens,
		InputAudio:        u.InputAudioTokens,
		InputImage:        u.InputImageTokens,
		WebSearches:       searches,
		SearchContextSize: size,
		Output:            u.OutputTokens,
		Reasoning:         u.ReasoningTokens,
		OutputAudio:       u.OutputAudioTokens,
		OutputImage:       u.OutputImageTokens,
	})
	if !(cost >= 0 && cost <= pricing.MaxCost) {
		return tablePrice{}, false // unreachable: tables whose prices could overflow are not loaded
	}
	p.cost = roundUSD(cost)
	return p, true
}

// joinProblems appends problem to the observe error text.
func joinProblems(text, problem string) string {
	if text == "" {
		return problem
	}
	return text + "; " + problem
}
