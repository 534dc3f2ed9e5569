package openai

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

const (
	ctJSON = "application/json"
	ctSSE  = "text/event-stream"
	ctHTML = "text/html; charset=utf-8"
)

// fixture reads testdata/<path> as the response body of an exchange. When
// <path>.request.txt exists it gives the request (method, URL, body);
// otherwise url and reqBody do.
func fixture(t testing.TB, path, url, reqBody, contentType string) testkit.Exchange {
	t.Helper()
	e := testkit.Exchange{
		URL:            url,
		ResponseHeader: http.Header{},
		ResponseBody:   testkit.Read(t, filepath.Join("testdata", path)),
	}
	if reqBody != "" {
		e.Body = []byte(reqBody)
	}
	if contentType != "" {
		e.ResponseHeader.Set("Content-Type", contentType)
	}
	if raw, err := os.ReadFile(filepath.Join("testdata", path+".request.txt")); err == nil {
		line, body, _ := bytes.Cut(raw, []byte("\n"))
		method, url, ok := strings.Cut(strings.TrimSpace(string(line)), " ")
		require.True(t, ok, "request line of %s", path)
		e.Method, e.URL = method, url
		e.Body = bytes.TrimSpace(body)
	}
	return e
}

// usage builds an expected Usage from field/value pairs.
func ptrI(v int64) *int64     { return &v }
func ptrF(v float64) *float64 { return &v }

// terminalEnd is the offset just past the line that holds the last
// occurrence of marker: a stream cut before it has not reached its final event.
func terminalEnd(body []byte, marker string) int {
	i := bytes.LastIndex(body, []byte(marker))
	if i < 0 {
		return len(body) + 1
	}
	j := bytes.IndexByte(body[i:], '\n')
	if j < 0 {
		return len(body)
	}
	return i + j
}

// checkTruncations runs every prefix of e's body and checks what a partial
// observation may say: nothing beyond the full result, and an ObserveError
// when a body that ended at EOF was cut before its final event (or, for a
// JSON body, before its last byte).
func checkTruncations(t *testing.T, e testkit.Exchange, full providers.Response, final int, monotonic bool) {
	t.Helper()
	fields := []providers.UsageField{providers.InputTokens, providers.OutputTokens, providers.TotalTokens,
		providers.CacheReadInputTokens, providers.CacheCreationInputTokens, providers.ReasoningTokens}
	count := func(u providers.Usage, f providers.UsageField) int64 {
		return map[providers.UsageField]int64{
			providers.InputTokens: u.InputTokens, providers.OutputTokens: u.OutputTokens,
			providers.TotalTokens: u.TotalTokens, providers.CacheReadInputTokens: u.CacheReadInputTokens,
			providers.CacheCreationInputTokens: u.CacheCreationInputTokens, providers.ReasoningTokens: u.ReasoningTokens,
		}[f]
	}
	testkit.Truncations(t, New(), e, func(cut int, complete bool, r providers.Response) {
		if r.ID != "" {
			assert.Equal(t, full.ID, r.ID, "cut %d", cut)
		}
		if r.Model != "" {
			assert.Equal(t, full.Model, r.Model, "cut %d", cut)
		}
		assert.LessOrEqual(t, len(r.FinishReasons), len(full.FinishReasons), "cut %d", cut)
		assert.Equal(t, full.Streamed, r.Streamed, "cut %d", cut)
		if monotonic {
			for _, f := range fields {
				if r.Usage.Has(f) {
					assert.True(t, full.Usage.Has(f), "cut %d field %d", cut, f)
					assert.LessOrEqual(t, count(r.Usage, f), count(full.Usage, f), "cut %d field %d", cut, f)
				}
			}
		}
		if complete && cut < final {
			assert.NotEmpty(t, r.ObserveError, "cut %d of %d complete", cut, len(e.ResponseBody))
		}
		if r.Complete {
			assert.GreaterOrEqual(t, cut, final, "cut %d: Complete before the final event", cut)
		}
		if cut == len(e.ResponseBody) {
			if complete {
				assert.Equal(t, full, r)
			} else if full.Streamed && !bytes.HasSuffix(bytes.TrimRight(e.ResponseBody, " "), []byte("\n\n")) {
				// The last event lacks its closing blank line: closed
				// before EOF, it was never whole.
				assert.False(t, r.Complete, "an unterminated last event after an early close")
			} else {
				// A body read to its last byte but closed before EOF: the
				// same facts, without the end-of-stream verdicts.
				assert.Equal(t, full.Usage, r.Usage)
				assert.Equal(t, full.FinishReasons, r.FinishReasons)
				assert.Equal(t, full.Complete, r.Complete, "closed right after its last byte")
			}
		}
	})
}

// jsonEnd is the offset of the last byte of a JSON document body.
func jsonEnd(body []byte) int { return len(bytes.TrimRight(body, " \r\n\t")) }

// sseFromEvents builds an SSE stream from compact JSON event payloads, each
// named by its "type".
func sseFromEvents(t testing.TB, events ...[]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	for _, ev := range events {
		var compact bytes.Buffer
		require.NoError(t, jsonCompact(&compact, ev))
		typ, _ := jsonString(compact.Bytes(), "type")
		b.WriteString("event: " + typ + "\n")
		b.WriteString("data: ")
		b.Write(compact.Bytes())
		b.WriteString("\n\n")
	}
	return b.Bytes()
}

// lines counts the lines of body that start with prefix.
func lines(body []byte, prefix string) int {
	n := 0
	s := bufio.NewScanner(bytes.NewReader(body))
	s.Buffer(nil, 1<<20)
	for s.Scan() {
		if strings.HasPrefix(s.Text(), prefix) {
			n++
		}
	}
	return n
}

func jsonCompact(dst *bytes.Buffer, src []byte) error { return json.Compact(dst, src) }

func jsonString(doc []byte, key string) (string, bool) { return jsonscan.String(doc, key) }

// keepEnds returns an SSE body made of the first n and the last n events of body.
func keepEnds(body []byte, n int) []byte {
	events := bytes.SplitAfter(body, []byte("\n\n"))
	if len(events) <= 2*n {
		return body
	}
	var out []byte
	for _, ev := range events[:n] {
		out = append(out, ev...)
	}
	for _, ev := range events[len(events)-n:] {
		out = append(out, ev...)
	}
	return out
}

// fmtAll renders v with every field, for "contains no secret" checks.
func fmtAll(v any) string { return fmt.Sprintf("%+v", v) }
