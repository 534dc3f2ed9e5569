package cohere

import (
	"bytes"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// FuzzStream feeds arbitrary bodies to the SSE, line and whole-body parsers
// and requires no panic and the same result whole and split.
func FuzzStream(f *testing.F) {
	for _, name := range []string{"v2_chat_stream_sdk_wiremock.sse", "v1_chat_stream_synthetic.jsonl", "v2_chat_float_counts_synthetic.json",
		"v2_chat_stream_tool_call_recorded.sse", "v2_chat_stream_thinking_synthetic.sse", "v2_chat_tool_call_recorded.json"} {
		body := testkit.Read(f, "testdata/"+name)
		for which := uint8(0); which < 3; which++ {
			f.Add(body, which, int64(which))
		}
	}
	headers := []http.Header{
		{"Content-Type": {"text/event-stream"}},
		{"Content-Type": {"application/stream+json"}},
		{"Content-Type": {"application/json"}},
	}
	f.Fuzz(func(t *testing.T, body []byte, which uint8, seed int64) {
		e := testkit.Exchange{URL: chatURL, Body: []byte(`{"stream":true}`), ResponseHeader: headers[int(which)%len(headers)], ResponseBody: body}
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

// FuzzShapeAgreesWithFullRead requires that counting delta events by their
// shape gives what reading every event in full gives, for any sequence of
// valid JSON events (v2 SSE events, or v1 lines).
func FuzzShapeAgreesWithFullRead(f *testing.F) {
	for _, name := range []string{"v2_chat_stream_sdk_wiremock.sse", "v2_chat_stream_done_recorded.sse", "v1_chat_stream_synthetic.jsonl"} {
		f.Add(testkit.Read(f, "testdata/"+name))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var events [][]byte
		for _, line := range bytes.Split(body, []byte("\n")) {
			line = bytes.TrimSpace(line)
			if bytes.HasPrefix(line, []byte("event:")) || len(line) == 0 {
				continue
			}
			data := bytes.TrimSpace(bytes.TrimPrefix(line, []byte("data:")))
			if !jsonscan.Valid(data) && string(data) != "[DONE]" {
				return
			}
			events = append(events, data)
		}
		fast, full := &dialect{}, &dialect{}
		var rFast, rFull providers.Result
		for _, data := range events {
			fast.Event(&providers.Event{Data: data}, &rFast)
			full.plain = jsonscan.Shape{}
			full.Event(&providers.Event{Data: data}, &rFull)
		}
		fast.Finish(&rFast)
		full.Finish(&rFull)
		require.Equal(t, rFull, rFast)
	})
}
