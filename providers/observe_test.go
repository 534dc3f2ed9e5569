package providers

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPlanBody(t *testing.T) {
	stream := Request{Stream: true}
	for _, tc := range []struct {
		contentType, encoding string
		status                int
		req                   Request
		want                  BodyPlan
	}{
		{"text/event-stream; charset=utf-8", "", 200, Request{}, BodyPlan{Framing: FramingSSE}},
		{"application/x-ndjson", "", 200, Request{}, BodyPlan{Framing: FramingNDJSON}},
		{"application/stream+json", "", 200, Request{}, BodyPlan{Framing: FramingNDJSON}},
		{"application/vnd.amazon.eventstream", "", 200, Request{}, BodyPlan{Framing: FramingEventStream}},
		{"application/json", "", 200, stream, BodyPlan{Framing: FramingDocument}}, // a JSON answer to a streamed request
		{"application/json", "", 200, Request{Stream: true, StreamFraming: FramingJSONArray}, BodyPlan{Framing: FramingJSONArray}},
		{"application/json", "", 400, Request{Stream: true, StreamFraming: FramingJSONArray}, BodyPlan{Framing: FramingDocument}},
		{"text/html; charset=utf-8", "", 502, stream, BodyPlan{Framing: FramingDocument}}, // a proxy's error page
		{"", "", 200, stream, BodyPlan{Framing: FramingSSE}},                              // no header: what the request asked
		{"", "", 200, Request{Stream: true, StreamFraming: FramingNDJSON}, BodyPlan{Framing: FramingNDJSON}},
		{"", "", 500, stream, BodyPlan{Framing: FramingDocument}}, // an error status is never a stream
		{"text/plain", "", 200, Request{Stream: true, StreamFraming: FramingNDJSON}, BodyPlan{Framing: FramingNDJSON}},
		{"not a media type;;", "", 200, Request{Stream: true, StreamFraming: FramingEventStream}, BodyPlan{Framing: FramingEventStream}},
		{" Text/Event-Stream ;charset=utf-8", "", 200, Request{}, BodyPlan{Framing: FramingSSE}}, // media types are case-insensitive
		{"application/problem+json", "", 400, stream, BodyPlan{Framing: FramingDocument}},
		{"APPLICATION/JSON", "", 200, stream, BodyPlan{Framing: FramingDocument}},
		{"", "", 200, Request{StreamUnknown: true}, BodyPlan{Framing: FramingSniff}},
		{"", "", 200, Request{}, BodyPlan{Framing: FramingDocument}},
		// Bodies the application asked to get compressed.
		{"application/json", "gzip", 200, Request{}, BodyPlan{Framing: FramingDocument, Encoding: "gzip"}},
		{"application/json", " Deflate ", 200, Request{}, BodyPlan{Framing: FramingDocument, Encoding: "deflate"}},
		{"application/json", "identity", 200, Request{}, BodyPlan{Framing: FramingDocument}},
		{"application/json", "br", 200, Request{}, BodyPlan{Framing: FramingUnread, Reason: "response with Content-Encoding br not parsed"}},
		{"text/event-stream", "gzip", 200, Request{}, BodyPlan{Framing: FramingUnread, Reason: "compressed stream (Content-Encoding gzip) not observed"}},
		{"", "gzip", 200, stream, BodyPlan{Framing: FramingUnread, Reason: "compressed stream (Content-Encoding gzip) not observed"}},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}}
		if tc.contentType != "" {
			resp.Header.Set("Content-Type", tc.contentType)
		}
		if tc.encoding != "" {
			resp.Header.Set("Content-Encoding", tc.encoding)
		}
		assert.Equal(t, tc.want, PlanBody(resp, tc.req), "%q %q %d", tc.contentType, tc.encoding, tc.status)
		if tc.encoding == "" {
			assert.Zero(t, testing.AllocsPerRun(10, func() { PlanBody(resp, tc.req) }), "%q", tc.contentType)
		}
	}
	// Go's transport decompressed it itself: read as it is.
	resp := &http.Response{StatusCode: 200, Header: http.Header{"Content-Encoding": {"gzip"}}, Uncompressed: true}
	assert.Equal(t, BodyPlan{Framing: FramingDocument}, PlanBody(resp, Request{}))
}

// docDialect keeps the documents and events it is given.
type docDialect struct {
	docs   []string
	events []string
}

func (d *docDialect) Document(doc []byte, r *Result) { d.docs = append(d.docs, string(doc)) }
func (d *docDialect) Event(ev *Event, r *Result) {
	if !r.Valid(ev.Data) {
		return
	}
	d.events = append(d.events, string(ev.Data))
	r.Chunks++
	if string(ev.Data) == `{"end":true}` {
		r.Terminal = true
	}
}

func TestObserverDocuments(t *testing.T) {
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(` {"id":"z"} `))
	_ = zw.Close()
	for _, tc := range []struct {
		body     string
		encoding string
		complete bool
		doc      string
		problem  string
		finished bool
	}{
		{` {"id":"x"} `, "", true, `{"id":"x"}`, "", true},
		{"", "", true, "", "response body is empty", false},
		{" \n", "", true, "", "response body is empty", false},
		{`{"id":"x"`, "", true, "", "response JSON is malformed or truncated", false},
		{"<html>502 Bad Gateway</html>", "", true, "", "response is not JSON", false},
		// Closed before EOF: whole if it was read to its last byte.
		{`{"id":"x"}`, "", false, `{"id":"x"}`, "", true},
		{`{"id":"x"`, "", false, "", "response body not read to its end: not parsed", false},
		{"<html>502", "", false, "", "response is not JSON", false},
		{"", "", false, "", "", false},
		{gz.String(), "gzip", true, `{"id":"z"}`, "", true},
		{gz.String()[:10], "gzip", false, "", "response body not read to its end: not parsed", false},
	} {
		d := &docDialect{}
		o := NewPlannedObserver(BodyPlan{Framing: FramingDocument, Encoding: tc.encoding}, d)
		for i := range tc.body {
			o.Write([]byte{tc.body[i]})
		}
		r := o.Finish(tc.complete)
		if tc.doc != "" {
			assert.Equal(t, []string{tc.doc}, d.docs, "%q", tc.body)
		} else {
			assert.Empty(t, d.docs, "%q", tc.body)
		}
		assert.Equal(t, tc.problem, r.ObserveError, "%q", tc.body)
		assert.Equal(t, tc.finished, r.Complete, "%q", tc.body)
		assert.False(t, r.Streamed)
	}
}

func TestObserverStreamProblems(t *testing.T) {
	for _, tc := range []struct {
		body     string
		complete bool
		events   int
		problem  string
		finished bool
	}{
		{"data: {\"a\":1}\n\ndata: {\"end\":true}\n\n", true, 2, "", true},
		{"data: {\"a\":1}\n\n", true, 1, "stream ended before its final event", false},
		{"data: {\"a\":1}\n\n", false, 1, "", false},                                                   // closed early: partial, no problem
		{"data: {oops\n\ndata: {\"end\":true}\n\n", true, 1, "1 stream event(s) not valid JSON", true}, // one bad event
		{"data: {\"end\":true}\n\ndata: {\"cut", true, 1, "", true},                                    // a cut last event after the end is no malformed event
		{"data: {\"a\":1}\n\ndata: {\"cu", true, 1, "stream ended before its final event", false},
	} {
		d := &docDialect{}
		o := NewPlannedObserver(BodyPlan{Framing: FramingSSE}, d)
		for _, part := range strings.SplitAfter(tc.body, "\n") {
			o.Write([]byte(part))
		}
		r := o.Finish(tc.complete)
		assert.Len(t, d.events, tc.events, "%q", tc.body)
		assert.Equal(t, tc.problem, r.ObserveError, "%q", tc.body)
		assert.Equal(t, tc.finished, r.Complete, "%q", tc.body)
		assert.True(t, r.Streamed)
	}
	// The first byte decides when nothing else did.
	for body, streamed := range map[string]bool{"  data: {\"end\":true}\n\n": true, "{\"id\":1}": false, "<html>": false} {
		o := NewPlannedObserver(BodyPlan{Framing: FramingSniff}, &docDialect{})
		o.Write([]byte(body))
		assert.Equal(t, streamed, o.Finish(true).Streamed, body)
	}
}

func TestBodyBufferLimit(t *testing.T) {
	var b BodyBuffer
	b.Write(bytes.Repeat([]byte("x"), MaxBufferedBody))
	assert.False(t, b.Over())
	b.Write([]byte("y"))
	assert.True(t, b.Over())
	assert.Nil(t, b.Bytes(), "what was held is let go")
	o := NewPlannedObserver(BodyPlan{Framing: FramingDocument}, &docDialect{})
	o.Write(bytes.Repeat([]byte("x"), MaxBufferedBody+1))
	assert.Equal(t, "response body over 8 MiB not parsed", o.Finish(true).ObserveError)
}

func TestResultFinishReasons(t *testing.T) {
	var r Result
	r.SetFinishReason(2, []byte("stop"))
	r.SetFinishReason(0, []byte("length"))
	r.SetFinishReason(maxFinishIndex, []byte("ignored"))
	r.SetFinishReason(-1, []byte("ignored"))
	assert.Equal(t, "stop", r.FinishReason(2))
	assert.Equal(t, 2, r.FinishedChoices())
	o := &observer{plan: BodyPlan{Framing: FramingDocument}, dialect: &docDialect{}, result: r}
	assert.Equal(t, []string{"length", "stop"}, o.Finish(true).FinishReasons)
	assert.Zero(t, testing.AllocsPerRun(10, func() { r.SetFinishReason(2, []byte("stop")) }))
}

func TestUsageSet(t *testing.T) {
	var u Usage
	assert.False(t, u.Has(InputTokens))
	u.Set(InputTokens, 0)
	assert.True(t, u.Has(InputTokens), "a reported zero is reported")
	u.Set(CacheReadInputTokens, 5)
	u.Set(UsageField(1<<15), 9) // not a count: ignored
	assert.Equal(t, InputTokens|CacheReadInputTokens, u.Reported)
	assert.EqualValues(t, 5, u.CacheReadInputTokens)
}

// A count that is not a count is rejected: no longer reported, zero, and
// named in the observe error of any dialect's result.
func TestUsageReject(t *testing.T) {
	var u Usage
	u.Set(InputTokens, 10)
	u.Set(OutputTokens, -3) // a negative count is not a count
	assert.True(t, u.Has(InputTokens))
	assert.False(t, u.Has(OutputTokens))
	assert.Equal(t, OutputTokens, u.Invalid)
	u.Reject(InputTokens)
	assert.Zero(t, u.InputTokens)
	assert.Equal(t, UsageField(0), u.Reported)
	assert.Equal(t, InputTokens|OutputTokens, u.Invalid)
	u.Set(OutputTokens, 4)
	assert.Equal(t, InputTokens, u.Invalid, "a count set again is valid again")
	assert.Equal(t, int64(4), u.Get(OutputTokens))
	assert.Equal(t, "input_tokens, output_tokens, output_audio_tokens", (InputTokens | OutputTokens | OutputAudioTokens).String())

	o := NewPlannedObserver(BodyPlan{Framing: FramingDocument}, rejectingDialect{})
	o.Write([]byte(`{}`))
	r := o.Finish(true)
	assert.Equal(t, ProblemBadCount+": input_tokens, cache_read_input_tokens", r.ObserveError)
}

type rejectingDialect struct{}

func (rejectingDialect) Document(_ []byte, r *Result) {
	r.Usage.Set(OutputTokens, 5)
	r.Usage.Reject(InputTokens)
	r.Usage.Reject(CacheReadInputTokens)
}

func (rejectingDialect) Event(*Event, *Result) {}
