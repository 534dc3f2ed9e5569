package openai

import (
	"bytes"
	"io"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Asking for usage on the application's behalf (otelllm.WithStreamUsage):
// a chat or legacy completions stream sent without
// stream_options.include_usage carries no usage at all, so its tokens
// would go uncounted. The request is amended to ask for it, and the one
// event this adds, the final usage-only chunk ("choices":[]), is removed
// from what the application reads.

var _ providers.UsageAsker = (*call)(nil)

// AskUsage amends a streamed chat or completions request body to ask for
// usage, on the hosts known to accept stream_options.include_usage.
func (c *call) AskUsage(body []byte) ([]byte, func(io.ReadCloser) io.ReadCloser, string) {
	if c.api != apiChat && c.api != apiCompletions {
		return nil, nil, ""
	}
	if reason := c.refusesIncludeUsage(); reason != "" {
		if c.request.Stream && !c.includeUsage {
			return nil, nil, reason
		}
		return nil, nil, ""
	}
	amended, reason := withIncludeUsage(body)
	if amended == nil {
		return nil, nil, reason
	}
	c.includeUsage = true
	return amended, newUsageFilter, ""
}

// streamNotAskingUsage reports a chat or legacy completions stream request
// that does not set stream_options.include_usage, nor had AskUsage add it.
func (c *call) streamNotAskingUsage() bool {
	return (c.api == apiChat || c.api == apiCompletions) && c.request.Stream && !c.includeUsage
}

// refusesIncludeUsage says why the call's host is not sent
// stream_options.include_usage, "" when it accepts it. Mistral rejects the
// member (422); Azure accepts it from api-version 2024-08-01-preview on and
// in the /openai/v1 API; hosts whose behaviour is not known are left alone
// rather than risk a rejected call; OpenRouter and Perplexity send usage
// unasked.
func (c *call) refusesIncludeUsage() string {
	switch c.provider {
	case providerOpenAI:
		if c.host != "" && !hasDomain(c.host, "openai.com") {
			return "stream_options.include_usage not added: not known to be accepted by this OpenAI-compatible server"
		}
		return ""
	case providerGroq, providerDeepSeek, providerXAI, providerOllama:
		return ""
	case providerAzure:
		if c.azureV1 || c.apiVersion >= "2024-08-01" {
			return ""
		}
		return "stream_options.include_usage not added: Azure accepts it from api-version 2024-08-01-preview"
	case providerOpenRouter, providerPerplexity:
		return "stream_options.include_usage not added: " + c.provider + " sends usage unasked"
	case providerMistral:
		return "stream_options.include_usage not added: Mistral rejects it"
	}
	return "stream_options.include_usage not added: not known to be accepted by " + c.provider
}

// withIncludeUsage returns body with stream_options.include_usage set to
// true when it is a stream request that does not set it so: added to an
// existing stream_options (whose other members are kept), or as a new
// member. It returns nil for a body it leaves alone, and a reason when it
// could not amend a stream request.
func withIncludeUsage(body []byte) ([]byte, string) {
	var stream bool
	var options []byte
	optionsKind := jsonscan.KindInvalid
	isObject := jsonscan.ObjectEach(body, func(key, v []byte, k jsonscan.Kind) {
		// A repeated member: the last one counts, as for the server.
		switch string(key) {
		case "stream":
			stream = k == jsonscan.KindBool && v[0] == 't'
		case "stream_options":
			options, optionsKind = v, k
		}
	})
	if !isObject || !jsonscan.Valid(body) {
		return nil, "stream_options.include_usage not added: the request body is not a JSON object"
	}
	if !stream {
		return nil, ""
	}
	const member = `"include_usage":true`
	switch optionsKind {
	case jsonscan.KindInvalid: // absent
		open := offset(body, bytes.TrimLeft(body, " \t\r\n")) + 1
		return splice(body, open, open, `"stream_options":{`+member+`},`), ""
	case jsonscan.KindNull:
		start := offset(body, options)
		return splice(body, start, start+len("null"), `{`+member+`}`), ""
	case jsonscan.KindObject:
	default:
		return nil, "stream_options.include_usage not added: stream_options is not an object"
	}
	var value []byte
	valueKind := jsonscan.KindInvalid
	empty := true
	jsonscan.ObjectEach(options, func(key, v []byte, k jsonscan.Kind) {
		empty = false
		if string(key) == "include_usage" {
			value, valueKind = v, k
		}
	})
	switch {
	case valueKind == jsonscan.KindBool && value[0] == 't':
		return nil, "" // asked for already
	case valueKind != jsonscan.KindInvalid:
		start := offset(body, value)
		return splice(body, start, start+scalarLen(value, valueKind), "true"), ""
	}
	open := offset(body, options) + 1
	if empty {
		return splice(body, open, open, member), ""
	}
	return splice(body, open, open, member+","), ""
}

// offset is where sub, a subslice of body, starts in it.
func offset(body, sub []byte) int { return cap(body) - cap(sub) }

// scalarLen is the length of the JSON value at the start of v.
func scalarLen(v []byte, k jsonscan.Kind) int {
	switch k {
	case jsonscan.KindBool, jsonscan.KindNull, jsonscan.KindNumber, jsonscan.KindString:
		raw, _, _ := jsonscan.Get(v)
		return len(firstValue(raw))
	}
	full, _, _ := jsonscan.Get(v)
	return len(full)
}

// firstValue trims v to its first JSON scalar.
func firstValue(v []byte) []byte {
	if len(v) == 0 {
		return v
	}
	if v[0] == '"' {
		for i := 1; i < len(v); i++ {
			switch v[i] {
			case '\\':
				i++
			case '"':
				return v[:i+1]
			}
		}
		return v
	}
	end := bytes.IndexAny(v, ",}] \t\r\n")
	if end < 0 {
		return v
	}
	return v[:end]
}

// splice returns a copy of body with body[from:to] replaced by s.
func splice(body []byte, from, to int, s string) []byte {
	out := make([]byte, 0, len(body)-(to-from)+len(s))
	out = append(out, body[:from]...)
	out = append(out, s...)
	return append(out, body[to:]...)
}

// usageFilter passes a Server-Sent Events stream on event by event, leaving
// out the usage-only chunks ("choices":[] with a usage object) that asking
// for usage added. Every other byte, comments and blank lines included, is
// passed on as it came; an event is held only until its last byte arrives.
type usageFilter struct {
	rc      io.ReadCloser
	in      []byte // read from rc, not yet framed
	event   []byte // the current event, not yet complete
	out     []byte // decided bytes, not yet handed over
	err     error  // rc's error, once it has one
	scratch [32 << 10]byte
}

// maxHeldEvent bounds the event held while it is incomplete: a larger one
// cannot be the usage chunk and is passed on as it comes.
const maxHeldEvent = 1 << 20

func newUsageFilter(rc io.ReadCloser) io.ReadCloser { return &usageFilter{rc: rc} }

func (f *usageFilter) Read(p []byte) (int, error) {
	for {
		if len(f.out) > 0 {
			n := copy(p, f.out)
			f.out = f.out[n:]
			if len(f.out) == 0 {
				f.out = f.out[:0:0]
			}
			return n, nil
		}
		if f.err != nil {
			return 0, f.err
		}
		n, err := f.rc.Read(f.scratch[:])
		f.feed(f.scratch[:n])
		if err != nil {
			// The end of the stream: an event cut short is passed on as
			// it is.
			f.out = append(f.out, f.event...)
			f.event = f.event[:0]
			f.err = err
		}
	}
}

// feed frames p into events, deciding each complete one.
func (f *usageFilter) feed(p []byte) {
	f.event = append(f.event, p...)
	rest := f.event
	for {
		end := blankLineEnd(rest)
		if end < 0 {
			break
		}
		if !usageOnlyEvent(rest[:end]) {
			f.out = append(f.out, rest[:end]...)
		}
		rest = rest[end:]
	}
	if len(rest) > maxHeldEvent {
		f.out = append(f.out, rest...)
		rest = rest[:0]
	}
	f.event = f.event[:copy(f.event, rest)]
}

// blankLines are the ways two line ends meet: LF LF, LF CRLF (CRLF CRLF
// contains it), CRLF LF and CR CR.
var blankLines = [...][]byte{[]byte("\n\n"), []byte("\n\r\n"), []byte("\r\n\n"), []byte("\r\r")}

// blankLineEnd returns the end of the first blank line in b, which ends
// the event before it, or -1.
func blankLineEnd(b []byte) int {
	end := -1
	for _, bl := range blankLines {
		if i := bytes.Index(b, bl); i >= 0 && (end < 0 || i+len(bl) < end) {
			end = i + len(bl)
		}
	}
	return end
}

// usageOnlyEvent reports whether an SSE event's data is a chunk with no
// choices and a usage object: the chunk include_usage adds.
func usageOnlyEvent(event []byte) bool {
	if !bytes.Contains(event, usageKey) {
		return false
	}
	var data []byte
	for _, line := range strings.Split(string(event), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if rest, ok := strings.CutPrefix(line, "data:"); ok {
			data = append(data, strings.TrimPrefix(rest, " ")...)
		}
	}
	if len(data) == 0 || !jsonscan.Valid(data) {
		return false
	}
	choices, ck, _ := jsonscan.Get(data, "choices")
	_, uk, _ := jsonscan.Get(data, "usage")
	if ck != jsonscan.KindArray || uk != jsonscan.KindObject {
		return false
	}
	empty := true
	jsonscan.ArrayEach(choices, func([]byte, jsonscan.Kind) { empty = false })
	return empty
}

func (f *usageFilter) Close() error { return f.rc.Close() }

var usageKey = []byte(`"usage"`)
