package jsonscan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShape(t *testing.T) {
	chunk := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"word1 "},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"ab"}`
	var s Shape
	assert.False(t, s.Matches([]byte(chunk)), "the zero Shape matches nothing")
	require.True(t, s.Learn([]byte(chunk)))
	// The first match closes the strings that did not change (id, model,
	// object); the content and the padding stay open.
	next := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"word2 "},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"xyz"}`
	require.True(t, s.Matches([]byte(next)))
	for _, c := range []struct {
		doc  string
		want bool
	}{
		{chunk, true},
		{`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"a \"quoted\" \\ word"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"abcdef"}`, true},
		{`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":""}`, true},
		// A string whose text closes it and opens new members.
		{`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"x"},"usage":{"a":1},"y":"z"},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"ab"}`, false},
		{`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"word1 "},"logprobs":null,"finish_reason":"stop"}],"usage":null,"obfuscation":"ab"}`, false},
		{`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[],"usage":{"prompt_tokens":1},"obfuscation":"ab"}`, false},
		{`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":2,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"word1 "},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"ab"}`, false},
		{`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"word1 "},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"ab"} `, false},
		{`{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"word1 `, false},
		{``, false},
		// A closed string that changes: not the same shape any more.
		{`{"id":"chatcmpl-2","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"word1 "},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"ab"}`, false},
	} {
		assert.Equal(t, c.want, s.Matches([]byte(c.doc)), c.doc)
	}

	// Kept members: the event type decides.
	delta := `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}`
	require.True(t, s.Learn([]byte(delta), "type"))
	assert.True(t, s.Matches([]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"there"}}`)))
	assert.True(t, s.Matches([]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"there, \"you\""}}`)))
	assert.False(t, s.Matches([]byte(`{"type":"error","index":0,"delta":{"type":"text_delta","text":"Hi"}}`)))
	assert.False(t, s.Matches([]byte(`{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","text":"Hi"}}`)))

	assert.False(t, s.Learn([]byte(`["a"]`)))
	assert.False(t, s.Matches([]byte(delta)), "a failed Learn keeps no shape")
}

func TestShapeAllocatesNothingOnceLearnt(t *testing.T) {
	var s Shape
	doc := []byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}`)
	other := []byte(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"there"}}`)
	s.Learn(doc, "type")
	s.Matches(other)
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		s.Learn(doc, "type")
		s.Matches(other)
		s.Matches(doc)
	}))
}

func FuzzShape(f *testing.F) {
	f.Add(`{"a":"x","b":[1,{"c":"y"}],"d":null}`, `{"a":"zz","b":[1,{"c":""}],"d":null}`)
	f.Fuzz(func(t *testing.T, learnt, doc string) {
		if !Valid([]byte(learnt)) {
			return
		}
		var s Shape
		if !s.Learn([]byte(learnt)) {
			return
		}
		if !s.Matches([]byte(doc)) || !Valid([]byte(doc)) {
			return
		}
		// A match differs only in string texts: the same members.
		var keysA, keysB []string
		collectKeys([]byte(learnt), &keysA)
		collectKeys([]byte(doc), &keysB)
		require.Equal(t, keysA, keysB)
	})
}

func collectKeys(v []byte, out *[]string) {
	ObjectEach(v, func(key, value []byte, k Kind) {
		*out = append(*out, string(key))
		switch k {
		case KindObject:
			collectKeys(value, out)
		case KindArray:
			ArrayEach(value, func(e []byte, k Kind) {
				if k == KindObject {
					collectKeys(e, out)
				}
			})
		}
	})
}
