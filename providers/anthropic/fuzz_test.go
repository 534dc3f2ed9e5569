package anthropic_test

import (
	"net/http"
	"testing"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/anthropic"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// FuzzStream feeds arbitrary bodies, split at an arbitrary point, to the
// stream and full-body observers: nothing may panic, and a split may not
// change the result.
func FuzzStream(f *testing.F) {
	for _, name := range []string{"messages_stream_tool_use.sse", "synthetic_stream_cache.sse", "synthetic_stream_error.sse", "messages_nonstream_0.json", "synthetic_error_529.json"} {
		f.Add(read(name), uint16(7), true)
	}
	f.Add([]byte("data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":1e400}}\n\n"), uint16(3), true)
	f.Fuzz(func(t *testing.T, body []byte, split uint16, stream bool) {
		header := jsonHeader
		if stream {
			header = sseHeader
		}
		e := testkit.Exchange{URL: messagesURL, Body: []byte(`{"stream":true}`), ResponseHeader: header, ResponseBody: body}
		at := int(split) % (len(body) + 1)
		_, whole := testkit.Observe(t, anthropic.New(), e, testkit.Whole(body), true)
		_, parts := testkit.Observe(t, anthropic.New(), e, [][]byte{body[:at], body[at:]}, true)
		if whole.Usage != parts.Usage || whole.ErrorType != parts.ErrorType || whole.ObserveError != parts.ObserveError {
			t.Fatalf("split at %d changed the result:\n%+v\n%+v", at, whole, parts)
		}
		if whole.Usage.Reported != 0 && whole.Usage.Source == providers.SourceNone {
			t.Fatal("usage without a source")
		}
		// Errors bodies too.
		e.Status = http.StatusTooManyRequests
		testkit.Observe(t, anthropic.New(), e, testkit.Whole(body), true)
	})
}
