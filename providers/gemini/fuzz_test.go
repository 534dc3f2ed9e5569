package gemini

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

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
	})
}
