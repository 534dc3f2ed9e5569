package providers

import (
	"io"
	"net/http"
)

// Provider recognises the API calls of one wire format.
//
// Implementations are stateless and safe for concurrent use; per-call state
// lives in the [Call] that Match returns.
type Provider interface {
	// Name identifies the provider package, e.g. "openai". It is used for
	// diagnostics only; the telemetry name of the provider is Request.Provider.
	Name() string

	// Match inspects the method, URL and headers of req (never its body) and
	// returns a Call when req is an API call this provider understands, or nil.
	// It must be cheap: it runs for every request the transport sees.
	Match(req *http.Request) Call
}

// Call is one recognised API call. The transport calls its methods from one
// goroutine at a time, in this order: Request, Observe at most once.
// Request is called once, or twice when the request body can only be read
// as the base transport sends it: first with nil before the request is
// sent, then with the body once the response has arrived (the second
// result replaces the first).
type Call interface {
	// Request returns what the request says: the facts known from the URL and
	// headers, plus those parsed from body. body is nil when the request had no
	// body, or when it was too large or could not be read without consuming it;
	// the Call must then still return the URL-derived facts.
	Request(body []byte) Request

	// Observe returns the observer of the response body, given the response
	// status and headers. It is called once per response the application
	// gets. Most providers return NewObserver(resp, request, dialect).
	Observe(resp *http.Response) Observer
}

// Observer is shown the response body as the application reads it.
type Observer interface {
	// Write is given, in order, each run of bytes the application read. It
	// must not retain or modify p, and must not block.
	Write(p []byte)

	// Chunks reports how many output chunks (stream events carrying model
	// output or usage) have been seen so far; 0 for a non-streamed response.
	// The transport uses its changes to time chunks.
	Chunks() int

	// Finish ends the observation and returns everything learnt. complete is
	// true when the body was read to EOF; false when it ended early (Close
	// before EOF, read error, cancellation), in which case Response holds the
	// partial result. Finish is called exactly once.
	Finish(complete bool) Response
}

// ModelObserver is an Observer that can name the response model while the
// body is still being read (streams name it in their first event), so that
// the metrics recorded per chunk carry it too. Observers that cannot return
// "" until they can.
type ModelObserver interface {
	Observer
	Model() string
}

// PlannedObserver is an Observer that says how it reads the body (the
// observers of NewObserver are). The transport shows a stream's reads to
// its observer one read late, as a copy, so that parsing never delays a
// chunk and the observer never sees the application's own bytes. A body
// a PlannedObserver reads as a document is only buffered until its end, so
// the transport shows it each read at once, without the copy: its Write
// must keep to the contract, copying what it keeps and changing nothing.
// An Observer that is not a PlannedObserver is treated as reading a stream.
type PlannedObserver interface {
	Observer
	Plan() BodyPlan
}

// A UsageAsker is a Call that can ask, on the application's behalf, for
// the usage its request did not ask for: an OpenAI-family stream requested
// without stream_options.include_usage carries no usage at all. The
// transport asks only when the application opted in (otelllm's
// WithStreamUsage).
type UsageAsker interface {
	Call
	// AskUsage returns body amended to ask for usage, and filter, which
	// wraps the response body so that the application reads exactly what
	// it would have read without the amendment (the events it adds are
	// removed). When the request is left as it is, amended is nil and
	// reason says why; reason is "" when there is nothing to amend (not
	// a stream, or usage already asked for).
	AskUsage(body []byte) (amended []byte, filter func(io.ReadCloser) io.ReadCloser, reason string)
}
