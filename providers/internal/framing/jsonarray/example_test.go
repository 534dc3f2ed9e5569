package jsonarray_test

import (
	"fmt"

	"github.com/otelllm/otelllm/providers/internal/framing/jsonarray"
)

// The framer is shown the body at whatever split points the reads produce
// and calls back once per element.
func Example() {
	f := jsonarray.New(0, func(elem []byte) { fmt.Println(string(elem)) })
	f.Write([]byte("[{\"text\": \"a ] b\"}\n,\r\n{\"te"))
	f.Write([]byte("xt\": \"c\"}\n]"))
	f.End()
	fmt.Println(f.Elements(), f.Closed())
	// Output:
	// {"text": "a ] b"}
	// {"text": "c"}
	// 2 true
}
