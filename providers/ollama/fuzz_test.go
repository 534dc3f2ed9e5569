package ollama

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// FuzzStream feeds arbitrary bodies to the NDJSON and whole-body parsers and
// requires no panic and the same result whole and split.
func FuzzStream(f *testing.F) {
	for _, name := range []string{"api_chat_stream_done_reason_synthetic.ndjson", "api_chat_stream_error_line_synthetic.ndjson", "api_chat_nonstream_from_docs.json"} {
		body := testkit.Read(f, "testdata/"+name)
		f.Add(body, uint8(0), int64(1))
		f.Add(body, uint8(1), int64(2))
	}
	headers := []http.Header{{"Content-Type": {"application/x-ndjson"}}, {"Content-Type": {"application/json"}}, {}}
	f.Fuzz(func(t *testing.T, body []byte, which uint8, seed int64) {
		e := testkit.Exchange{URL: base + "/api/chat", Body: []byte(`{"model":"m","messages":[{"role":"user","content":"hi","images":["aGk="]}]}`), ResponseHeader: headers[int(which)%len(headers)], ResponseBody: body}
		_, whole := testkit.Observe(t, New(), e, testkit.Whole(body), true)
		_, split := testkit.Observe(t, New(), e, testkit.RandomSplits(body, seed), true)
		require.Equal(t, whole, split)
		_, early := testkit.Observe(t, New(), e, testkit.RandomSplits(body, seed), false)
		if whole.Streamed {
			require.Zero(t, early.Usage.Reported&^whole.Usage.Reported)
		}
		// With content capture on: the same result whole and split, and
		// nothing but the content changed.
		capture := e.WithCapture(1 + int(seed&63))
		_, capturedWhole := testkit.Observe(t, New(), capture, testkit.Whole(body), true)
		_, capturedSplit := testkit.Observe(t, New(), capture, testkit.RandomSplits(body, seed), true)
		require.Equal(t, capturedWhole, capturedSplit)
		capturedWhole.Output = nil
		require.Equal(t, whole, capturedWhole)
	})
}

// FuzzShapeAgreesWithFullRead requires that counting lines by their shape
// gives what reading every line in full gives, for any sequence of valid
// JSON lines.
func FuzzShapeAgreesWithFullRead(f *testing.F) {
	for _, name := range []string{"api_chat_stream_recorded.ndjson", "api_chat_stream_done_reason_synthetic.ndjson", "api_generate_stream_from_docs.ndjson"} {
		f.Add(testkit.Read(f, "testdata/"+name))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var lines [][]byte
		for _, line := range bytes.Split(body, []byte("\n")) {
			if line = bytes.TrimSpace(line); len(line) > 0 {
				if !jsonscan.Valid(line) {
					return
				}
				lines = append(lines, line)
			}
		}
		fast, full := &dialect{}, &dialect{}
		var rFast, rFull providers.Result
		for _, line := range lines {
			fast.Event(&providers.Event{Data: line}, &rFast)
			full.plain = jsonscan.Shape{}
			full.Event(&providers.Event{Data: line}, &rFull)
		}
		fast.Finish(&rFast)
		full.Finish(&rFull)
		require.Equal(t, rFull, rFast)
	})
}
