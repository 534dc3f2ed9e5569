package jsonscan

import (
	"bytes"
	"testing"
)

const (
	benchChunk = `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":"word17 "},"logprobs":null,"finish_reason":null}],"usage":null}`
	benchDoc   = `{"id":"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT","object":"chat.completion","created":1741569952,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I assist you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_1"}`
)

// BenchmarkObjectEach walks the top-level members of a stream chunk and of
// a full chat completion, as the OpenAI observer does.
func BenchmarkObjectEach(b *testing.B) {
	for _, bc := range []struct{ name, doc string }{{"chunk", benchChunk}, {"doc", benchDoc}} {
		b.Run(bc.name, func(b *testing.B) {
			doc := []byte(bc.doc)
			b.SetBytes(int64(len(doc)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				n := 0
				ObjectEach(doc, func(key, v []byte, k Kind) { n++ })
				if n == 0 {
					b.Fatal("no members")
				}
			}
		})
	}
}

// stringEndReference is the obvious byte loop stringEnd must agree with.
func stringEndReference(v []byte, start int) int {
	for i := start + 1; i < len(v); i++ {
		switch v[i] {
		case '"':
			return i + 1
		case '\\':
			i++
		}
	}
	return -1
}

func FuzzStringEnd(f *testing.F) {
	for _, s := range []string{`"a"`, `"\""`, `"\\"`, `"\\\""x"`, `"0123456789abcde\"f"`, `"0123456789abcdef\\"`, `"0123456789abcde\`, `"` + string(make([]byte, 40)) + `\\\"\"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, v []byte) {
		if len(v) == 0 || v[0] != '"' {
			return
		}
		if got, want := stringEnd(v, 0), stringEndReference(v, 0); got != want {
			t.Fatalf("stringEnd(%q) = %d, want %d", v, got, want)
		}
	})
}

// BenchmarkShapeMatches is the test a stream chunk of an already refined
// shape pays: its kept bytes compared, its open strings' ends found.
func BenchmarkShapeMatches(b *testing.B) {
	var s Shape
	first := []byte(`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_1","choices":[{"index":0,"delta":{"content":"word1 "},"logprobs":null,"finish_reason":null}],"usage":null}`)
	second := bytes.Replace(first, []byte("word1 "), []byte("word2 "), 1)
	if !s.Learn(first) || !s.Matches(second) { // the content stays open, the rest is closed
		b.Fatal("no shape")
	}
	chunk := []byte(benchChunk)
	b.SetBytes(int64(len(chunk)))
	b.ReportAllocs()
	for b.Loop() {
		if !s.Matches(chunk) {
			b.Fatal("no match")
		}
	}
}
