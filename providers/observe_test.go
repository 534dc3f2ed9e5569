package providers

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBodyBuffer(t *testing.T) {
	for _, tc := range []struct{ body, doc, problem string }{
		{` {"id":"x"} `, `{"id":"x"}`, ""},
		{"", "", "response body is empty"},
		{" \n", "", "response body is empty"},
		{`{"id":"x"`, "", "response JSON is malformed or truncated"},
		{"<html>502 Bad Gateway</html>", "", "response is not JSON"},
	} {
		var b BodyBuffer
		for i := range tc.body {
			b.Write([]byte{tc.body[i]})
		}
		doc, problem := b.Document()
		assert.Equal(t, tc.doc, string(doc), tc.body)
		assert.Equal(t, tc.problem, problem, tc.body)
	}
	var b BodyBuffer
	b.Write(bytes.Repeat([]byte("x"), MaxBufferedBody))
	assert.False(t, b.Over())
	b.Write([]byte("y"))
	assert.True(t, b.Over())
	assert.Nil(t, b.Bytes(), "what was held is let go")
	b.Write([]byte("z"))
	_, problem := b.Document()
	assert.Equal(t, "response body over 8 MiB not parsed", problem)
}

func TestStreamKindOf(t *testing.T) {
	for _, tc := range []struct {
		contentType string
		status      int
		requested   StreamKind
		want        StreamKind
	}{
		{"text/event-stream; charset=utf-8", 200, NotStream, SSEStream},
		{"application/x-ndjson", 200, NotStream, NDJSONStream},
		{"application/vnd.amazon.eventstream", 200, NotStream, EventStream},
		{"application/json", 200, SSEStream, NotStream},         // a JSON answer to a streamed request
		{"text/html; charset=utf-8", 502, SSEStream, NotStream}, // a proxy's error page
		{"", 200, SSEStream, SSEStream},                         // no header: what the request asked
		{"", 500, SSEStream, NotStream},                         // an error status is never a stream
		{"text/plain", 200, NDJSONStream, NDJSONStream},
		{"not a media type;;", 200, EventStream, EventStream},
		{" Text/Event-Stream ;charset=utf-8", 200, NotStream, SSEStream}, // media types are case-insensitive
		{"application/problem+json", 400, SSEStream, NotStream},
		{"APPLICATION/JSON", 200, SSEStream, NotStream},
	} {
		resp := &http.Response{StatusCode: tc.status, Header: http.Header{}}
		if tc.contentType != "" {
			resp.Header.Set("Content-Type", tc.contentType)
		}
		assert.Equal(t, tc.want, StreamKindOf(resp, tc.requested), "%q %d", tc.contentType, tc.status)
		assert.Zero(t, testing.AllocsPerRun(10, func() { StreamKindOf(resp, tc.requested) }), "%q", tc.contentType)
	}
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
