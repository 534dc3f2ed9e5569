package eventstream_test

import (
	"fmt"

	"github.com/otelllm/otelllm/providers/internal/framing/eventstream"
)

// An observer shows the decoder each run of bytes the application read, cut
// wherever the reads cut them; the decoder calls back once per frame.
func Example() {
	var stream []byte
	for _, event := range []struct{ typ, payload string }{
		{"messageStart", `{"role":"assistant"}`},
		{"contentBlockDelta", `{"delta":{"text":"Hi"},"contentBlockIndex":0}`},
		{"metadata", `{"usage":{"inputTokens":8,"outputTokens":2}}`},
	} {
		stream = append(stream, eventstream.Encode([]eventstream.Header{
			eventstream.StringHeader(":message-type", "event"),
			eventstream.StringHeader(":event-type", event.typ),
			eventstream.StringHeader(":content-type", "application/json"),
		}, []byte(event.payload))...)
	}

	d := eventstream.NewDecoder(func(m *eventstream.Message) {
		// m is valid only during the callback: copy what you keep.
		fmt.Printf("%s %s\n", m.String(":event-type"), m.Payload)
	})
	for len(stream) > 0 { // the application's reads, 50 bytes at a time
		n := min(len(stream), 50)
		if err := d.Write(stream[:n]); err != nil {
			fmt.Println("error:", err)
			return
		}
		stream = stream[n:]
	}
	fmt.Println("frames:", d.Frames(), "truncated:", d.Partial())
	// Output:
	// messageStart {"role":"assistant"}
	// contentBlockDelta {"delta":{"text":"Hi"},"contentBlockIndex":0}
	// metadata {"usage":{"inputTokens":8,"outputTokens":2}}
	// frames: 3 truncated: false
}
