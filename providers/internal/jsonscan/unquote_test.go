package jsonscan

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendUnquoted(t *testing.T) {
	for _, v := range []string{
		`""`, `"plain"`, `"a\"b\\c\/d"`, `"\b\f\n\r\t"`, `"\u00e9\u4e2d"`, `"\ud83d\ude00 smile"`,
		`"lone \ud83d surrogate"`, `"héllo wörld"`, `"{\"location\": \"New Y"`,
	} {
		var want string
		require.NoError(t, json.Unmarshal([]byte(v), &want), v)
		got, ok := AppendUnquoted([]byte("pre:"), []byte(v))
		assert.True(t, ok, v)
		assert.Equal(t, "pre:"+want, string(got), v)
	}
	for _, bad := range []string{`"`, `x`, `"\q"`, `"\u12"`, `"ends\"`} {
		got, ok := AppendUnquoted([]byte("pre:"), []byte(bad))
		assert.False(t, ok, bad)
		assert.Equal(t, "pre:", string(got), bad)
	}
	buf := make([]byte, 0, 64)
	assert.Zero(t, testing.AllocsPerRun(100, func() { buf, _ = AppendUnquoted(buf[:0], []byte(`"a\nb\u00e9"`)) }))
}
