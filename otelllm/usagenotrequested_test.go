package otelllm

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/openai"
)

// TestUsageNotRequested follows the fact from the OpenAI dialect to the
// callback's record and the tracker's summary: a stream sent without
// stream_options.include_usage says why it has no usage and what asks for
// it; one that asked, a failed call and WithStreamUsage's stream do not.
func TestUsageNotRequested(t *testing.T) {
	var bodies []string
	srv := server(t, includeUsageServer(t, &bodies).ServeHTTP)
	run := func(t *testing.T, calls []string, opts ...Option) ([]CallRecord, Usage) {
		var mu sync.Mutex
		var records []CallRecord
		rec := newRecorder(t)
		opts = append([]Option{WithProviders(openai.New()), WithCallback(func(_ context.Context, r CallRecord) {
			mu.Lock()
			defer mu.Unlock()
			records = append(records, r)
		})}, opts...)
		client := &http.Client{Transport: NewTransport(routeTo(srv.URL), rec.options(opts...)...)}
		ctx, tracker := Track(context.Background())
		for _, body := range calls {
			resp := post(t, ctx, client, openAIURL, body)
			_, err := io.Copy(io.Discard, resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
		}
		mu.Lock()
		defer mu.Unlock()
		return records, tracker.Usage()
	}
	const (
		unasked = `{"model":"gpt-4o-mini","stream":true,"messages":[]}`
		asked   = `{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[]}`
	)

	records, u := run(t, []string{unasked, unasked})
	require.Len(t, records, 2)
	for _, r := range records {
		assert.True(t, r.UsageNotRequested)
		assert.Equal(t, providers.SourceAbsent, r.Usage.Source)
		assert.Contains(t, r.String(), "chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: no usage reported "+
			"(stream sent without stream_options.include_usage: otelllm.WithStreamUsage asks for it), ")
	}
	assert.EqualValues(t, 2, u.UnmeteredRequests)
	assert.EqualValues(t, 2, u.UsageNotRequested)
	assert.EqualValues(t, 2, u.ByModel["gpt-4o-mini-2024-07-18"].UsageNotRequested)
	assert.Contains(t, u.String(), "\nRequests Without Usage: 2 (streams sent without stream_options.include_usage: otelllm.WithStreamUsage asks for it)\n")

	records, u = run(t, []string{asked})
	require.Len(t, records, 1)
	assert.False(t, records[0].UsageNotRequested)
	assert.Zero(t, u.UsageNotRequested)
	assert.NotContains(t, u.String(), "Requests Without Usage")

	records, u = run(t, []string{unasked}, WithStreamUsage())
	require.Len(t, records, 1)
	assert.False(t, records[0].UsageNotRequested, "asked on the application's behalf")
	assert.EqualValues(t, 15, u.TotalTokens)
	assert.Zero(t, u.UsageNotRequested)
}

// TestUsageNotRequestedAmongOthers: the summary says how many of the calls
// without usage are such streams when other calls had none either.
func TestUsageNotRequestedAmongOthers(t *testing.T) {
	u := Usage{SuccessfulRequests: 3, UnmeteredRequests: 3, UsageNotRequested: 2}
	assert.Contains(t, u.String(), "\nRequests Without Usage: 3 (2 of them streams sent without stream_options.include_usage: otelllm.WithStreamUsage asks for it)\n")
	u = Usage{SuccessfulRequests: 1, UnmeteredRequests: 1}
	assert.Contains(t, u.String(), "\nRequests Without Usage: 1\n")
}
