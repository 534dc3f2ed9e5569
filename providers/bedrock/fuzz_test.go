package bedrock_test

import (
	"encoding/base64"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers/bedrock"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// FuzzStream feeds the stream observers arbitrary bodies, and valid frames
// around arbitrary payloads (raw, as ConverseStream events, and base64 in
// InvokeModel chunks), split at an arbitrary point: nothing may panic, and
// the split may not change the result.
func FuzzStream(f *testing.F) {
	for _, name := range []string{"converse_stream_titan_recorded.bin", "invoke_with_response_stream_claude_recorded.bin", "invoke_with_response_stream_nova_recorded.bin",
		"converse_stream_nova_tool_use_recorded.bin", "invoke_stream_claude_tool_use_recorded.bin"} {
		f.Add(read(name), "chunk", uint16(100))
	}
	f.Add([]byte(claudeMessageStart), "chunk", uint16(3))
	f.Add([]byte(`{"usage":{"inputTokens":1e99,"cacheReadInputTokens":-5}}`), "metadata", uint16(9))
	f.Add([]byte(`{"stopReason":"\u0000"}`), "messageStop", uint16(9))
	f.Add([]byte(`{"outputs":[{"stop_reason":7},{"stop_reason":"x"}],"amazon-bedrock-invocationMetrics":{"inputTokenCount":"1"}}`), "chunk", uint16(1))
	f.Fuzz(func(t *testing.T, data []byte, eventType string, split uint16) {
		if len(eventType) == 0 || len(eventType) > 255 || len(data) > 60000 {
			t.Skip()
		}
		bodies := [][]byte{
			data, // arbitrary bytes
			concat(event(eventType, string(data)), event("metadata", `{"usage":{"inputTokens":1}}`)),
			concat(event("chunk", `{"bytes":"`+base64.StdEncoding.EncodeToString(data)+`"}`), chunk(`{"amazon-bedrock-invocationMetrics":{"inputTokenCount":2}}`)),
		}
		for _, body := range bodies {
			for _, path := range []string{"/converse-stream", "/invoke-with-response-stream"} {
				e := testkit.Exchange{URL: host + "/model/m" + path, ResponseHeader: streamHeader, ResponseBody: body}
				at := int(split) % (len(body) + 1)
				_, whole := testkit.Observe(t, bedrock.New(), e, testkit.Whole(body), true)
				_, parts := testkit.Observe(t, bedrock.New(), e, [][]byte{body[:at], body[at:]}, true)
				if whole.Usage != parts.Usage || whole.ErrorType != parts.ErrorType || whole.ObserveError != parts.ObserveError {
					t.Fatalf("split at %d changed the result:\n%+v\n%+v", at, whole, parts)
				}
				// With content capture on: the same result whole and
				// split, and nothing but the content changed.
				capture := e.WithCapture(1 + int(split%64))
				_, capturedWhole := testkit.Observe(t, bedrock.New(), capture, testkit.Whole(body), true)
				_, capturedParts := testkit.Observe(t, bedrock.New(), capture, [][]byte{body[:at], body[at:]}, true)
				require.Equal(t, capturedWhole, capturedParts, "split at %d", at)
				capturedWhole.Output = nil
				require.Equal(t, whole, capturedWhole)
			}
		}
		// The same bytes as a full body, and as a request.
		for _, path := range []string{"/converse", "/invoke"} {
			e := testkit.Exchange{URL: host + "/model/m" + path, Body: data, ResponseHeader: jsonHeader, ResponseBody: data}
			_, plain := testkit.Observe(t, bedrock.New(), e, testkit.Whole(data), true)
			_, captured := testkit.Observe(t, bedrock.New(), e.WithCapture(16), testkit.Whole(data), true)
			captured.Output = nil
			require.Equal(t, plain, captured)
		}
	})
}
