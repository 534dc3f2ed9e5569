package sdk

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/fakellm"
)

// usagePerCall is an Options.Usage that gives the server's n-th call
// usages[n-1], so that every call of a multi-step run reports counts of its
// own and the totals prove each one was counted once.
func usagePerCall(usages ...fakellm.Usage) func(fakellm.Request) (fakellm.Usage, bool) {
	return func(r fakellm.Request) (fakellm.Usage, bool) {
		if r.Seq > len(usages) {
			return fakellm.Usage{}, false
		}
		return usages[r.Seq-1], true
	}
}

// sameAsBareFake is sameAsBare for frameworks run against fakellm: run goes
// once with a bare client and a background context, once with the harness's
// wrapped client and tracked context, each against a fresh fake made with
// opts (so both runs get the same answers, ids included). The framework must
// return the same result and the fake must receive the same requests (API,
// model, path, body) both times. It returns the wrapped run's result and
// requests.
func sameAsBareFake[R any](t *testing.T, h *harness, opts fakellm.Options, run func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (R, error)) (R, []fakellm.Request) {
	t.Helper()
	bareFake := fakellm.NewServer(opts)
	t.Cleanup(bareFake.Close)
	bare, err := run(context.Background(), &http.Client{Transport: freshConnections()}, bareFake)
	require.NoError(t, err, "bare client")
	bareReqs := bareFake.Requests()
	require.NotEmpty(t, bareReqs, "bare client: the fake got no request")
	require.Empty(t, h.spans.Started(), "the bare client must not be observed")

	fake := fakellm.NewServer(opts)
	t.Cleanup(fake.Close)
	got, err := run(h.ctx, h.client, fake)
	require.NoError(t, err, "wrapped client")
	gotReqs := fake.Requests()

	// Frameworks close a stream's body on a goroutine of their own after
	// handing over its last message (eino's model components do), and a
	// call is recorded when its body closes: wait for every call's span to
	// end before the telemetry is checked.
	require.Eventually(t, func() bool { return len(h.spans.Ended()) >= len(gotReqs) }, 10*time.Second, time.Millisecond,
		"%d calls, %d spans ended", len(gotReqs), len(h.spans.Ended()))

	assert.Equal(t, bare, got, "the framework's result differs with the wrapped client")
	require.Len(t, gotReqs, len(bareReqs), "the wrapped client sent a different number of requests")
	for i := range bareReqs {
		b, g := bareReqs[i], gotReqs[i]
		assert.Equal(t, b.API, g.API, "request %d API", i)
		assert.Equal(t, b.Model, g.Model, "request %d model", i)
		assert.Equal(t, b.Path+"?"+b.Query, g.Path+"?"+g.Query, "request %d line", i)
		assert.Equal(t, string(b.Body), string(g.Body), "request %d body", i)
	}
	return got, gotReqs
}
