package bedrock_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/framing/eventstream"
)

const host = "https://bedrock-runtime.us-east-1.amazonaws.com"

// read returns a testdata file; a missing one is a broken checkout.
func read(name string) []byte {
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		panic(err)
	}
	return b
}

// readHeaders loads a recorded .headers.json, whose values are lists of
// strings or (for the recorder's redactions) plain strings.
func readHeaders(name string) http.Header {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(read(name), &raw); err != nil {
		panic(err)
	}
	h := http.Header{}
	for k, v := range raw {
		var list []string
		if json.Unmarshal(v, &list) != nil {
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				panic(err)
			}
			list = []string{s}
		}
		h[http.CanonicalHeaderKey(k)] = list
	}
	return h
}

var streamHeader = http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}, "X-Amzn-Requestid": {"11111111-2222-3333-4444-555555555555"}}

func i64(v int64) *int64     { return &v }
func f64(v float64) *float64 { return &v }

// usage builds a Usage with the given counts reported; a negative count is
// not reported.
func usage(src providers.UsageSource, in, out, total, cacheRead, cacheWrite int64) providers.Usage {
	u := providers.Usage{Source: src}
	for _, c := range []struct {
		f providers.UsageField
		v int64
	}{{providers.InputTokens, in}, {providers.OutputTokens, out}, {providers.TotalTokens, total},
		{providers.CacheReadInputTokens, cacheRead}, {providers.CacheCreationInputTokens, cacheWrite}} {
		if c.v >= 0 {
			u.Set(c.f, c.v)
		}
	}
	return u
}

// event encodes one event frame.
func event(eventType, payload string) []byte {
	return eventstream.Encode([]eventstream.Header{
		eventstream.StringHeader(":event-type", eventType),
		eventstream.StringHeader(":content-type", "application/json"),
		eventstream.StringHeader(":message-type", "event"),
	}, []byte(payload))
}

// chunk encodes an InvokeModelWithResponseStream chunk carrying native JSON.
func chunk(native string) []byte {
	return event("chunk", `{"bytes":"`+base64.StdEncoding.EncodeToString([]byte(native))+`","p":"abcd"}`)
}

// exception encodes an exception frame.
func exception(name, message string) []byte {
	return eventstream.Encode([]eventstream.Header{
		eventstream.StringHeader(":exception-type", name),
		eventstream.StringHeader(":content-type", "application/json"),
		eventstream.StringHeader(":message-type", "exception"),
	}, []byte(`{"message":"`+message+`"}`))
}

// corrupt returns frame with its message checksum broken.
func corrupt(frame []byte) []byte {
	b := append([]byte{}, frame...)
	b[len(b)-1] ^= 0xff
	return b
}

func concat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

// errorFrame encodes an error frame.
func errorFrame(code string) []byte {
	return eventstream.Encode([]eventstream.Header{
		eventstream.StringHeader(":error-code", code),
		eventstream.StringHeader(":error-message", "An internal error occurred."),
		eventstream.StringHeader(":message-type", "error"),
	}, nil)
}

func newDecoder() *eventstream.Decoder { return eventstream.NewDecoder(nil) }

// withInvalid marks counts of u as given values that are not counts.
func withInvalid(u providers.Usage, f providers.UsageField) providers.Usage {
	u.Invalid |= f
	return u
}
