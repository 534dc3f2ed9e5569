package providers

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBodyBuffer(t *testing.T) {
	for _, tc := range []struct{ body, doc, problem string }{
		{` {"id":"x"} `, `{"id":"x"}`, ""},
		{"", "", "response body is empty"},
		{" \n", "", "response body is empty"},
		{`{"id":"x"`, "", "response JSON is malformed or truncated"},
		{"<html>502 Bad Gateway</html>", "", "response is not JSON"},
	} {
		var b BodyBuffer
		for i := range tc.body {
			b.Write([]byte{tc.body[i]})
		}
		doc, problem := b.Document()
		assert.Equal(t, tc.doc, string(doc), tc.body)
		assert.Equal(t, tc.problem, problem, tc.body)
	}
	var b BodyBuffer
	b.Write(bytes.Repeat([]byte("x"), MaxBufferedBody))
	assert.False(t, b.Over())
	b.Write([]byte("y"))
	assert.True(t, b.Over())
	assert.Nil(t, b.Bytes(), "what was held is let go")
	b.Write([]byte("z"))
	_, problem := b.Document()
	assert.Equal(t, "response body over 8 MiB not parsed", problem)
}
