package gemini

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// learnt reads chunk as the dialect does and learns its shape.
func learnt(t *testing.T, chunk string) (*dialect, *providers.Result) {
	t.Helper()
	d, r := &dialect{}, &providers.Result{}
	output, plain := d.read([]byte(chunk), r)
	require.True(t, output)
	require.True(t, plain)
	require.True(t, d.plain.learn([]byte(chunk), d.countsAt[:d.nCounts]))
	return d, r
}

func TestChunkShape(t *testing.T) {
	first := `{"candidates": [{"content": {"parts": [{"text": "a"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 1,"totalTokenCount": 12,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`
	d, _ := learnt(t, first)
	assert.Equal(t, counts{prompt: 11, candidates: 1, total: 12, has: countPrompt | countCandidates | countTotal}, d.counts)

	// Text and counts may differ; the first match closes what did not.
	second := `{"candidates": [{"content": {"parts": [{"text": "b \"c\" \\"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 22,"totalTokenCount": 33,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`
	require.True(t, d.plain.matches([]byte(second), &d.counts))
	assert.Equal(t, counts{prompt: 11, candidates: 22, total: 33, has: countPrompt | countCandidates | countTotal}, d.counts)
	assert.Equal(t, 4, d.plain.n, "holes left open: the text and the two counts that changed")

	for name, chunk := range map[string]string{
		"closed count differs":   `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 12,"candidatesTokenCount": 23,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
		"closed string differs":  `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 23,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "n","responseId": "r"}`,
		"another candidate":      `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 1}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 23,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
		"a finish reason":        `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"finishReason": "STOP","index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 23,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
		"a float count":          `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 23.5,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
		"a negative count":       `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": -2,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
		"a leading zero":         `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 023,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
		"a null count":           `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": null,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
		"a text left open":       `{"candidates": [{"content": {"parts": [{"text": "d}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 23,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
		"trailing bytes":         `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 23,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"} `,
		"cut":                    `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 23,"totalTokenCount": 34`,
		"a count of 19 digits":   `{"candidates": [{"content": {"parts": [{"text": "d"}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 1234567890123456789,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
		"another part structure": `{"candidates": [{"content": {"parts": [{"text": "d","thought": true}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 23,"totalTokenCount": 34,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`,
	} {
		before := d.counts
		assert.False(t, d.plain.matches([]byte(chunk), &d.counts), name)
		assert.Equal(t, before, d.counts, "%s: a chunk that does not match sets no count", name)
	}

	third := `{"candidates": [{"content": {"parts": [{"text": ""}],"role": "model"},"index": 0}],"usageMetadata": {"promptTokenCount": 11,"candidatesTokenCount": 0,"totalTokenCount": 11,"promptTokensDetails": [{"modality": "TEXT","tokenCount": 11}]},"modelVersion": "m","responseId": "r"}`
	require.True(t, d.plain.matches([]byte(third), &d.counts))
	assert.Equal(t, counts{prompt: 11, candidates: 0, total: 11, has: countPrompt | countCandidates | countTotal}, d.counts)

	d.plain.forget()
	assert.False(t, d.plain.matches([]byte(third), &d.counts))
}

// Chunks that change what is known of the stream are not learnt.
func TestChunkNotPlain(t *testing.T) {
	for name, chunk := range map[string]string{
		"finish reason":   `{"candidates": [{"content": {"parts": [{"text": "a"}]},"finishReason": "STOP"}],"usageMetadata": {"promptTokenCount": 1}}`,
		"no candidates":   `{"usageMetadata": {"promptTokenCount": 1}}`,
		"prompt feedback": `{"candidates": [{"content": {"parts": [{"text": "a"}]}}],"promptFeedback": {"safetyRatings": []}}`,
		"error":           `{"error": {"code": 500, "status": "INTERNAL"}}`,
		"index too large": `{"candidates": [{"content": {"parts": [{"text": "a"}]},"index": 128}]}`,
		"empty id":        `{"candidates": [{"content": {"parts": [{"text": "a"}]}}],"responseId": ""}`,
		"float count":     `{"candidates": [{"content": {"parts": [{"text": "a"}]}}],"usageMetadata": {"promptTokenCount": 1.0}}`,
	} {
		d, r := &dialect{}, &providers.Result{}
		_, plain := d.read([]byte(chunk), r)
		assert.False(t, plain, name)
	}
}

// sseData returns the data of each event of an SSE body.
func sseData(body []byte) [][]byte {
	var events [][]byte
	for _, ev := range bytes.Split(bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n")), []byte("\n\n")) {
		if data := bytes.TrimSpace(bytes.TrimPrefix(bytes.TrimSpace(ev), []byte("data:"))); len(data) > 0 {
			events = append(events, data)
		}
	}
	return events
}

// Most chunks of real streams are read by their shape: all but the first
// of a shape, the one that changes a closed count and the final one.
func TestShapeReadsMostChunks(t *testing.T) {
	for _, c := range []struct {
		name          string
		body          []byte
		shaped, total int
	}{
		{"gemini api, running counts", testkit.Read(t, "testdata/gemini_api_stream_sse_reasoning_recorded.sse"), 29, 32},
		{"vertex", testkit.Read(t, "testdata/vertex_gemini_streamGenerateContent_alt_sse_recorded.sse"), 4, 6},
		{"benchmark", benchGeminiSSE(300), 299, 301},
	} {
		d := &dialect{}
		var r providers.Result
		shaped, events := 0, sseData(c.body)
		for _, data := range events {
			// Event's own first step, taken apart to count it.
			if d.plain.matches(data, &d.counts) {
				shaped++
				r.Chunks++
				continue
			}
			d.Event(&providers.Event{Data: data}, &r)
		}
		assert.Equal(t, c.total, len(events), c.name)
		assert.Equal(t, c.shaped, shaped, c.name)
		assert.True(t, r.Terminal, c.name)
	}
}
