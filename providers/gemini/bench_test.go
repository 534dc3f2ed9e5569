package gemini

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// benchText is a chunk's text, of the length Gemini streams (tens of words
// a chunk), with a quote and a newline escaped as the API sends them.
const benchText = ` sun had gone down, painting the sky in \"deep\" shades of blue.\n\nThe moon was shining like a nightlight`

// benchGeminiSSE is a Gemini API stream (?alt=sse, CRLF) of n text chunks
// and a final one, in the shape of the recorded gemini-3.5-flash stream
// (gemini_api_stream_sse_reasoning_recorded.sse): every chunk carries the
// running usageMetadata, so candidatesTokenCount and totalTokenCount change
// chunk by chunk.
func benchGeminiSSE(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"%s %d\"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 11,\"candidatesTokenCount\": %d,\"totalTokenCount\": %d,\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 11}],\"thoughtsTokenCount\": 713,\"serviceTier\": \"standard\"},\"modelVersion\": \"gemini-3.5-flash\",\"responseId\": \"iCUhao2zJ-LHjuMP1vvH2Qk\"}\r\n\r\n", benchText, i, 2+25*i, 726+25*i)
	}
	fmt.Fprintf(&b, "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \".\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 11,\"candidatesTokenCount\": %d,\"totalTokenCount\": %d,\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 11}],\"thoughtsTokenCount\": 713,\"serviceTier\": \"standard\"},\"modelVersion\": \"gemini-3.5-flash\",\"responseId\": \"iCUhao2zJ-LHjuMP1vvH2Qk\"}\r\n\r\n", 3+25*n, 727+25*n)
	return []byte(b.String())
}

// benchVertexSSE is a Vertex AI stream of n text chunks and a final one, in
// the shape of the recorded one
// (vertex_gemini_streamGenerateContent_alt_sse_recorded.sse): the running
// chunks' usageMetadata holds no counts, only the final one does.
func benchVertexSSE(n int) []byte {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \"%s %d\"}]}}],\"usageMetadata\": {\"trafficType\": \"ON_DEMAND\"},\"modelVersion\": \"gemini-2.5-flash\",\"createTime\": \"2025-10-10T15:56:46.229905Z\",\"responseId\": \"vizpaJGEDvXZnvgPisGa2A0\"}\r\n\r\n", benchText, i)
	}
	b.WriteString("data: {\"candidates\": [{\"content\": {\"role\": \"model\",\"parts\": [{\"text\": \".\"}]},\"finishReason\": \"STOP\"}],\"usageMetadata\": {\"promptTokenCount\": 8,\"candidatesTokenCount\": 388,\"totalTokenCount\": 2589,\"trafficType\": \"ON_DEMAND\",\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 8}],\"candidatesTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 388}],\"thoughtsTokenCount\": 2193},\"modelVersion\": \"gemini-2.5-flash\",\"createTime\": \"2025-10-10T15:56:46.229905Z\",\"responseId\": \"vizpaJGEDvXZnvgPisGa2A0\"}\r\n\r\n")
	return []byte(b.String())
}

// benchGeminiArray is the stream of benchGeminiSSE as one JSON array
// (streamGenerateContent without ?alt=sse), pretty-printed as Gemini sends
// it.
func benchGeminiArray(n int) []byte {
	var b strings.Builder
	element := func(text, finish string, candidates, total int) {
		fmt.Fprintf(&b, "{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \"%s\"\n          }\n        ],\n        \"role\": \"model\"\n      },\n%s      \"index\": 0\n    }\n  ],\n  \"usageMetadata\": {\n    \"promptTokenCount\": 11,\n    \"candidatesTokenCount\": %d,\n    \"totalTokenCount\": %d,\n    \"promptTokensDetails\": [\n      {\n        \"modality\": \"TEXT\",\n        \"tokenCount\": 11\n      }\n    ],\n    \"thoughtsTokenCount\": 713\n  },\n  \"modelVersion\": \"gemini-3.5-flash\",\n  \"responseId\": \"iCUhao2zJ-LHjuMP1vvH2Qk\"\n}\n", text, finish, candidates, total)
	}
	b.WriteString("[")
	for i := 0; i < n; i++ {
		element(fmt.Sprintf("%s %d", benchText, i), "", 2+25*i, 726+25*i)
		b.WriteString(",\r\n")
	}
	element(".", "      \"finishReason\": \"STOP\",\n", 3+25*n, 727+25*n)
	b.WriteString("]")
	return []byte(b.String())
}

// BenchmarkObserveStreamSSE is the observation of one chunk of a Gemini API
// stream, framing included, read by read in 4 KiB reads (ns/op is per
// chunk).
func BenchmarkObserveStreamSSE(b *testing.B) {
	e := testkit.Exchange{URL: geminiBase + ":streamGenerateContent?alt=sse", Body: []byte(`{"contents":[{"role":"user","parts":[{"text":"story"}]}]}`),
		ResponseHeader: http.Header{"Content-Type": {"text/event-stream"}}, ResponseBody: benchGeminiSSE(300)}
	testkit.BenchObserve(b, New(), e, 4096, 301)
}

// BenchmarkObserveStreamSSEVertex is BenchmarkObserveStreamSSE for a Vertex
// AI stream, whose running chunks carry no counts.
func BenchmarkObserveStreamSSEVertex(b *testing.B) {
	e := testkit.Exchange{URL: vertexBase + ":streamGenerateContent?alt=sse", Body: []byte(`{"contents":[{"role":"user","parts":[{"text":"poem"}]}]}`),
		ResponseHeader: http.Header{"Content-Type": {"text/event-stream"}}, ResponseBody: benchVertexSSE(300)}
	testkit.BenchObserve(b, New(), e, 4096, 301)
}

// BenchmarkObserveStreamArray is BenchmarkObserveStreamSSE for the JSON
// array framing.
func BenchmarkObserveStreamArray(b *testing.B) {
	e := testkit.Exchange{URL: geminiBase + ":streamGenerateContent", Body: []byte(`{"contents":[{"role":"user","parts":[{"text":"story"}]}]}`),
		ResponseHeader: http.Header{"Content-Type": {"application/json; charset=UTF-8"}}, ResponseBody: benchGeminiArray(300)}
	testkit.BenchObserve(b, New(), e, 4096, 301)
}

// BenchmarkObserveStreamSSECapture is BenchmarkObserveStreamSSE with
// content capture on: every chunk's parts are read into the answer, not
// matched by their shape.
func BenchmarkObserveStreamSSECapture(b *testing.B) {
	e := testkit.Exchange{URL: geminiBase + ":streamGenerateContent?alt=sse", Body: []byte(`{"contents":[{"role":"user","parts":[{"text":"story"}]}]}`),
		ResponseHeader: http.Header{"Content-Type": {"text/event-stream"}}, ResponseBody: benchGeminiSSE(300)}
	testkit.BenchObserve(b, New(), e.WithCapture(1<<20), 4096, 301)
}

// BenchmarkObserveStreamArrayCapture is BenchmarkObserveStreamArray with
// content capture on.
func BenchmarkObserveStreamArrayCapture(b *testing.B) {
	e := testkit.Exchange{URL: geminiBase + ":streamGenerateContent", Body: []byte(`{"contents":[{"role":"user","parts":[{"text":"story"}]}]}`),
		ResponseHeader: http.Header{"Content-Type": {"application/json; charset=UTF-8"}}, ResponseBody: benchGeminiArray(300)}
	testkit.BenchObserve(b, New(), e.WithCapture(1<<20), 4096, 301)
}
