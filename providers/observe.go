package providers

import (
	"mime"
	"net/http"
	"strings"
)

// StreamKind is how a response body is framed.
type StreamKind uint8

// The framings a response can have.
const (
	NotStream StreamKind = iota
	SSEStream
	NDJSONStream
	EventStream // AWS application/vnd.amazon.eventstream
)

// StreamKindOf tells the framing of resp from its Content-Type, falling back
// to requested (what the request asked for) when the header is absent or
// generic. A JSON Content-Type always wins: error bodies of a streamed
// request are plain JSON.
func StreamKindOf(resp *http.Response, requested StreamKind) StreamKind {
	ct := resp.Header.Get("Content-Type")
	if ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err == nil {
			switch {
			case mt == "text/event-stream":
				return SSEStream
			case mt == "application/x-ndjson" || mt == "application/jsonl" || mt == "application/ndjson":
				return NDJSONStream
			case mt == "application/vnd.amazon.eventstream":
				return EventStream
			case mt == "application/json" || strings.HasSuffix(mt, "+json") || strings.HasPrefix(mt, "text/html"):
				return NotStream
			}
		}
	}
	if resp.StatusCode >= 400 {
		return NotStream
	}
	return requested
}
