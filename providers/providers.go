package providers

import "net/http"

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
// goroutine at a time, in this order: Request once, Observe at most once.
type Call interface {
	// Request returns what the request says: the facts known from the URL and
	// headers, plus those parsed from body. body is nil when the request had no
	// body, or when it was too large or could not be read without consuming it;
	// the Call must then still return the URL-derived facts.
	Request(body []byte) Request

	// Observe returns the observer of the response body, given the response
	// status and headers. It is called once per response the application gets.
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
