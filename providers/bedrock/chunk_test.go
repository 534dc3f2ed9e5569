package bedrock

import (
	"encoding/base64"
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// decodeCanonical agrees with encoding/base64 on everything it accepts,
// and accepts every canonical encoding.
func TestDecodeCanonical(t *testing.T) {
	for n := 0; n < 20; n++ {
		plain := make([]byte, n)
		for i := range plain {
			plain[i] = byte(i*37 + n)
		}
		enc := []byte(base64.StdEncoding.EncodeToString(plain))
		dst := make([]byte, len(enc))
		got, ok := decodeCanonical(dst, enc)
		assert.True(t, ok, "%s", enc)
		assert.Equal(t, plain, dst[:got], "%s", enc)
	}
	for _, s := range []string{"", "QQ==", "QUI=", "QUJD", "QR==", "QUJ=", "Q===", "=QQQ", "QQ=Q", "QUJD\n", "QU\nJD", "QUJDQQ", "QU JD", "QUJ-", "QQ==QUJD"} {
		dst := make([]byte, len(s))
		got, ok := decodeCanonical(dst, []byte(s))
		want, err := base64.StdEncoding.Strict().DecodeString(s)
		if !ok {
			continue // left to encoding/base64
		}
		assert.NoError(t, err, "%q", s)
		assert.Equal(t, want, dst[:got], "%q", s)
	}
	_, ok := decodeCanonical(make([]byte, 3), []byte("QR=="))
	assert.False(t, ok, "stray bits are not canonical")
}

func FuzzDecodeCanonical(f *testing.F) {
	for _, s := range []string{"QUJD", "QQ==", "QUI=", "QR==", "eyJ0eXBlIjoiY29udGVudF9ibG9ja19kZWx0YSJ9"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		dst := make([]byte, len(src))
		n, ok := decodeCanonical(dst, src)
		want, err := base64.StdEncoding.Strict().DecodeString(string(src))
		if ok && (err != nil || string(want) != string(dst[:n])) {
			t.Fatalf("%q: decoded %q, encoding/base64 %q (%v)", src, dst[:n], want, err)
		}
		if !ok && err == nil && len(src)%4 == 0 && base64.StdEncoding.EncodeToString(want) == string(src) {
			t.Fatalf("%q: canonical, not decoded", src)
		}
	})
}

// chunkPayload is a chunk payload as Bedrock writes it.
func chunkPayload(native, pad string) []byte {
	return []byte(`{"bytes":"` + base64.StdEncoding.EncodeToString([]byte(native)) + `","p":"` + pad + `"}`)
}

// FuzzChunkShortcuts: reading chunks by their base64 text gives what
// reading each in full gives, for any sequence of valid chunks, whatever
// the deltas the shortcuts learnt from.
func FuzzChunkShortcuts(f *testing.F) {
	claude := func(text string) string {
		return `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"` + text + `"}}`
	}
	nova := func(text string) string {
		return `{"contentBlockDelta":{"delta":{"text":"` + text + `"},"contentBlockIndex":0}}`
	}
	f.Add(claude("Hello"), claude(" there"), claude("!"), []byte(`{"bytes":"eyJ0eXBlIjoibWVzc2FnZV9zdG9wIn0="}`))
	f.Add(nova("It"), nova(" is"), nova(" a"), []byte(`{"bytes":"eyJ9","p":"ab"}`))
	f.Add(claude("a"), claude(`\"b\"`), `{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"usage":{"output_tokens":3}}`, []byte(`{"p":"x","bytes":"e30="}`))
	f.Add(nova("x"), nova("y"), `{"contentBlockDelta":{"delta":{"text":"z"},"contentBlockIndex":0},"amazon-bedrock-invocationMetrics":{"inputTokenCount":1}}`, []byte(`{"bytes":"e30\u003d","p":"a"}`))
	f.Fuzz(func(t *testing.T, first, second, third string, raw []byte) {
		var chunks [][]byte
		for i, native := range []string{first, second, third, second, first, third} {
			chunks = append(chunks, chunkPayload(native, "abcdefghij"[:i]))
		}
		chunks = append(chunks, raw, chunkPayload(third, ""))
		fast, full := &dialect{}, &dialect{}
		var got, want providers.Result
		for _, c := range chunks {
			if !jsonscan.Valid(c) {
				continue // the shortcuts take a jsonscan.Shape's view of validity
			}
			if s, ok := jsonscan.String(c, "bytes"); ok {
				if b, err := base64.StdEncoding.DecodeString(s); err == nil && !jsonscan.Valid(b) {
					continue
				}
			}
			fast.chunk(c, &got)
			readChunk(full, c, &want)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("shortcuts read\n%+v\nreading in full\n%+v", got, want)
		}
	})
}

// readChunk reads a chunk payload the long way: validated, its bytes
// unescaped and decoded by encoding/base64, the event read as it is.
func readChunk(d *dialect, payload []byte, r *providers.Result) {
	if !r.Valid(payload) {
		return
	}
	s, ok := jsonscan.String(payload, "bytes")
	if !ok {
		return
	}
	event, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		r.Malformed()
		return
	}
	d.nativeEvent(event, r)
}
