package capture

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

func TestText(t *testing.T) {
	for _, c := range []struct {
		v     string
		limit int
		want  string
		cut   bool
	}{
		{`"hello"`, 10, "hello", false},
		{`"hello"`, 3, "hel", true},
		{`"héllo"`, 2, "h", true}, // not inside the é
		{`"a\nb\u00e9"`, 10, "a\nbé", false},
		{`"a\nb\u00e9"`, 3, "a\nb", true},
		{`"` + strings.Repeat("x", 100) + `"`, 64, strings.Repeat("x", 64), true},
		{`42`, 10, "", false},
	} {
		got, cut := Text([]byte(c.v), c.limit)
		assert.Equal(t, c.want, got, c.v)
		assert.Equal(t, c.cut, cut, c.v)
	}
}

func TestValue(t *testing.T) {
	got, cut := Value([]byte(`"{\"city\":\"Paris\"}"`), jsonscan.KindString, 100)
	assert.Equal(t, `{"city":"Paris"}`, string(got))
	assert.False(t, cut)
	got, cut = Value([]byte(`{"city":"Paris"}`), jsonscan.KindObject, 8)
	assert.Equal(t, `{"city":`, string(got))
	assert.True(t, cut)
}

func TestSizes(t *testing.T) {
	assert.Equal(t, int64(5), Base64Size([]byte("aGVsbG8=")))
	assert.Equal(t, int64(6), Base64Size([]byte("aGVsbG8h")))
	assert.Equal(t, int64(3), Base64Size([]byte(`a\/8v`)))
	mime, size, ok := DataURL([]byte("data:image/png;base64,aGVsbG8="))
	assert.True(t, ok)
	assert.Equal(t, "image/png", mime)
	assert.Equal(t, int64(5), size)
	mime, size, ok = DataURL([]byte("data:text/plain,hi%20there"))
	assert.True(t, ok)
	assert.Equal(t, "text/plain", mime)
	assert.Equal(t, int64(10), size) // as sent, not percent-decoded
	_, _, ok = DataURL([]byte("https://example.com/cat.png"))
	assert.False(t, ok)
	assert.Equal(t, "image", Modality("image/png"))
	assert.Equal(t, "audio", Modality("Audio/WAV"))
	assert.Equal(t, "document", Modality("application/pdf"))
	assert.Equal(t, "", Modality(""))
}
