package providers

import (
	"net/http"
	"strings"
)

// Framing is how a response body is framed.
type Framing uint8

// The framings a response body can have.
const (
	// FramingDefault, in Request.StreamFraming, means Server-Sent Events,
	// the framing of most providers' streams. PlanBody never returns it.
	FramingDefault Framing = iota
	// FramingDocument: one JSON document, read whole at the end of the
	// body. Every error body is one, whatever the request asked for.
	FramingDocument
	// FramingSSE: a Server-Sent Events stream (text/event-stream).
	FramingSSE
	// FramingNDJSON: one JSON value a line (Ollama, Cohere v1).
	FramingNDJSON
	// FramingEventStream: the AWS binary event stream
	// (application/vnd.amazon.eventstream).
	FramingEventStream
	// FramingJSONArray: one JSON array whose elements arrive one by one
	// (Gemini's streamGenerateContent without ?alt=sse).
	FramingJSONArray
	// FramingSniff: neither the headers nor the request say; the body's
	// first byte decides between Server-Sent Events and a document.
	FramingSniff
	// FramingUnread: the body is not observed; BodyPlan.Reason says why.
	FramingUnread
)

// Stream reports whether f frames a stream of events.
func (f Framing) Stream() bool {
	switch f {
	case FramingSSE, FramingNDJSON, FramingEventStream, FramingJSONArray:
		return true
	}
	return false
}

// BodyPlan is how a response body is read: decided once per response, by
// PlanBody, from the response headers and what the request asked for.
type BodyPlan struct {
	Framing Framing
	// Encoding is "gzip" or "deflate" for a compressed document, decoded
	// once the body has ended; "" for a body read as it is.
	Encoding string
	// Reason says why the body is not observed when Framing is
	// FramingUnread.
	Reason string
}

// PlanBody decides how the body of resp, the response to the request req
// describes, is read. In order: the Content-Type when it names a framing
// (a JSON Content-Type means a document, except for the JSON array streams
// of requests that ask for one); every error status means a document; then
// what the request asked for; and when the request body could not be read,
// the body's first byte. A body the application asked to receive compressed
// (Go's transport decompresses only what it asked for itself) is read only
// when it is a gzip or deflate document.
func PlanBody(resp *http.Response, req Request) BodyPlan {
	if resp == nil {
		resp = &http.Response{Header: http.Header{}}
	}
	plan := BodyPlan{Framing: framingOf(resp, req)}
	enc := resp.Header.Get("Content-Encoding")
	if enc == "" || resp.Uncompressed {
		return plan
	}
	enc = strings.ToLower(strings.TrimSpace(enc))
	switch {
	case enc == "identity":
	case plan.Framing.Stream() || plan.Framing == FramingSniff:
		plan = BodyPlan{Framing: FramingUnread, Reason: "compressed stream (Content-Encoding " + enc + ") not observed"}
	case enc == "gzip" || enc == "x-gzip" || enc == "deflate":
		plan.Framing, plan.Encoding = FramingDocument, enc
	default:
		plan = BodyPlan{Framing: FramingUnread, Reason: "response with Content-Encoding " + enc + " not parsed"}
	}
	return plan
}

func framingOf(resp *http.Response, req Request) Framing {
	if mt := mediaType(resp.Header.Get("Content-Type")); mt != "" {
		switch {
		case strings.EqualFold(mt, "text/event-stream"):
			return FramingSSE
		case strings.EqualFold(mt, "application/x-ndjson"), strings.EqualFold(mt, "application/jsonl"),
			strings.EqualFold(mt, "application/ndjson"), strings.EqualFold(mt, "application/stream+json"):
			return FramingNDJSON
		case strings.EqualFold(mt, "application/vnd.amazon.eventstream"):
			return FramingEventStream
		case strings.EqualFold(mt, "application/json") || hasSuffixFold(mt, "+json"):
			if resp.StatusCode < 400 && req.Stream && req.StreamFraming == FramingJSONArray {
				return FramingJSONArray
			}
			return FramingDocument
		case hasPrefixFold(mt, "text/html"):
			return FramingDocument
		}
	}
	switch {
	case resp.StatusCode >= 400:
		return FramingDocument
	case req.Stream:
		if req.StreamFraming == FramingDefault {
			return FramingSSE
		}
		return req.StreamFraming
	case req.StreamUnknown:
		return FramingSniff
	}
	return FramingDocument
}

// mediaType is a Content-Type's media type, without parameters or
// surrounding space (compare it case-insensitively). Unlike
// mime.ParseMediaType it does not allocate.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.TrimSpace(ct)
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}
