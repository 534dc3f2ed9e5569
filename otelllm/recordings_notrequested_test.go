package otelllm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/otelllm"
)

// TestRecordingsUsageNotRequested replays every recording and checks
// CallRecord.UsageNotRequested and the tracker's count of it against what
// the recording itself shows: an OpenAI-style chat or completions stream
// whose request did not set stream_options.include_usage, which ran to its
// [DONE] without an error and without usage.
func TestRecordingsUsageNotRequested(t *testing.T) {
	want := loadWant(t)
	var flagged int
	for _, r := range loadRecordings(t) {
		w := want[r.name]
		if w == nil {
			continue // TestRecordings reports it
		}
		var req struct {
			Stream        bool `json:"stream"`
			StreamOptions struct {
				IncludeUsage bool `json:"include_usage"`
			} `json:"stream_options"`
		}
		_ = json.Unmarshal(r.request, &req)
		notRequested := (r.shape == "openai_chat" || r.shape == "openai_completions") &&
			req.Stream && !req.StreamOptions.IncludeUsage &&
			bytes.Contains(r.plain, []byte("data: [DONE]")) &&
			!w.Usage.reported() && w.ErrorType == "" && r.status == 200
		if notRequested {
			flagged++
			t.Logf("%s: a stream sent without include_usage", r.name)
		}
		t.Run(r.name, func(t *testing.T) {
			var mu sync.Mutex
			var records []otelllm.CallRecord
			res := replay(t, r, modesFor(r)[0], otelllm.WithCallback(func(_ context.Context, rec otelllm.CallRecord) {
				mu.Lock()
				defer mu.Unlock()
				records = append(records, rec)
			}))
			mu.Lock()
			defer mu.Unlock()
			if !assert.Len(t, records, 1) {
				return
			}
			rec := records[0]
			assert.Equal(t, notRequested, rec.UsageNotRequested, "CallRecord.UsageNotRequested")
			assert.Equal(t, notRequested, strings.Contains(rec.String(), "without stream_options.include_usage"), rec.String())
			assert.Equal(t, b2i(notRequested), res.tracker.UsageNotRequested, "Usage.UsageNotRequested")
			if notRequested {
				assert.EqualValues(t, 1, res.tracker.UnmeteredRequests)
				assert.Contains(t, res.tracker.String(), "Requests Without Usage: 1 (streams sent without stream_options.include_usage: otelllm.WithStreamUsage asks for it)\n")
			}
		})
	}
	assert.Positive(t, flagged, "recordings of streams that did not ask for usage")
}
