package gemini

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// FuzzStream feeds arbitrary bodies to the three framings and requires no
// panic and the same result whole and split.
func FuzzStream(f *testing.F) {
	for _, name := range []string{
		"vertex_gemini_streamGenerateContent_alt_sse_recorded.sse",
		"gemini_api_stream_array_synthetic.json",
		"gemini_api_stream_sse_lf_synthetic.sse",
		"stream_array_error_synthetic.json",
		"error_429_synthetic.json",
		"gemini_api_stream_sse_function_calls_synthetic.sse",
		"gemini_api_generate_code_execution_recorded.json",
	} {
		f.Add(testkit.Read(f, "testdata/"+name), uint8(0), int64(1))
		f.Add(testkit.Read(f, "testdata/"+name), uint8(1), int64(2))
		f.Add(testkit.Read(f, "testdata/"+name), uint8(2), int64(3))
	}
	urls := []string{
		geminiBase + ":streamGenerateContent?alt=sse",
		geminiBase + ":streamGenerateContent",
		geminiBase + ":generateContent",
	}
	f.Fuzz(func(t *testing.T, body []byte, which uint8, seed int64) {
		e := testkit.Exchange{URL: urls[int(which)%len(urls)], ResponseHeader: http.Header{}, ResponseBody: body}
		_, whole := testkit.Observe(t, New(), e, testkit.Whole(body), true)
		_, split := testkit.Observe(t, New(), e, testkit.RandomSplits(body, seed), true)
		require.Equal(t, whole, split)
		_, early := testkit.Observe(t, New(), e, testkit.RandomSplits(body, seed), false)
		if whole.Streamed {
			// An early end never reports a count the whole stream did not.
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

// FuzzShapeAgreesWithFullRead requires that reading chunks by their shape
// gives what reading every chunk in full gives: the same counts, finish
// reasons, chunks and end, for any sequence of valid JSON chunks (the
// shape does not validate the strings it leaves open; every other byte it
// compares).
func FuzzShapeAgreesWithFullRead(f *testing.F) {
	for _, name := range []string{
		"vertex_gemini_streamGenerateContent_alt_sse_recorded.sse",
		"gemini_api_stream_sse_lf_synthetic.sse",
		"gemini_api_stream_sse_reasoning_recorded.sse",
	} {
		f.Add(testkit.Read(f, "testdata/"+name))
	}
	f.Add([]byte(sseChunk("a", "11", "1", "12") + sseChunk("b", "11", "2", "13") + sseChunk("c", "12", "3", "15") + sseChunk("d", "11", "4", "16")))
	f.Fuzz(func(t *testing.T, body []byte) {
		events := sseData(body)
		for _, data := range events {
			if !jsonscan.Valid(data) {
				return
			}
		}
		fast, full := &dialect{}, &dialect{}
		var rFast, rFull providers.Result
		for _, data := range events {
			fast.Event(&providers.Event{Data: data}, &rFast)
			full.plain.forget()
			full.Event(&providers.Event{Data: data}, &rFull)
		}
		fast.Finish(&rFast)
		full.Finish(&rFull)
		require.Equal(t, rFull, rFast)
		require.Equal(t, full.counts, fast.counts)
	})
}
