package providers

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/otelllm/otelllm/providers/internal/jsonscan"
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
	if mt := mediaType(resp.Header.Get("Content-Type")); mt != "" {
		switch {
		case strings.EqualFold(mt, "text/event-stream"):
			return SSEStream
		case strings.EqualFold(mt, "application/x-ndjson") || strings.EqualFold(mt, "application/jsonl") || strings.EqualFold(mt, "application/ndjson"):
			return NDJSONStream
		case strings.EqualFold(mt, "application/vnd.amazon.eventstream"):
			return EventStream
		case strings.EqualFold(mt, "application/json") || hasSuffixFold(mt, "+json") || hasPrefixFold(mt, "text/html"):
			return NotStream
		}
	}
	if resp.StatusCode >= 400 {
		return NotStream
	}
	return requested
}

// mediaType is a Content-Type's media type, without parameters or
// surrounding space (compare it case-insensitively). Unlike
// mime.ParseMediaType it does not allocate; it accepts some values that
// function rejects, which only matters here if a server sends them.
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

// BodyBuffer keeps a non-streamed response body for parsing at its end, up
// to MaxBufferedBody; past that it lets go of what it held and keeps nothing,
// so memory stays bounded whatever the body size. The zero value is ready.
type BodyBuffer struct {
	buf  []byte
	over bool
}

// Write keeps a copy of p, unless the body went over the limit.
func (b *BodyBuffer) Write(p []byte) {
	if b.over {
		return
	}
	if len(b.buf)+len(p) > MaxBufferedBody {
		b.over, b.buf = true, nil
		return
	}
	b.buf = append(b.buf, p...)
}

// Bytes returns what was kept: nil once the body went over the limit.
func (b *BodyBuffer) Bytes() []byte { return b.buf }

// Over reports whether the body went over the limit.
func (b *BodyBuffer) Over() bool { return b.over }

// Document returns the body as a JSON document (trimmed of white space), or
// "" and the reason it cannot be parsed, in the words every provider uses
// for Response.ObserveError.
func (b *BodyBuffer) Document() (doc []byte, problem string) {
	if b.over {
		return nil, "response body over 8 MiB not parsed"
	}
	doc = bytes.TrimSpace(b.buf)
	switch {
	case len(doc) == 0:
		return nil, "response body is empty"
	case jsonscan.Valid(doc):
		return doc, ""
	case doc[0] == '{' || doc[0] == '[':
		return nil, "response JSON is malformed or truncated"
	default:
		return nil, "response is not JSON"
	}
}
