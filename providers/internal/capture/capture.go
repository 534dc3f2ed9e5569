package capture

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// String returns the text of the JSON string value v unescaped and cut to
// limit bytes at a character boundary, and whether it was cut; ok is false
// when v is not a well-formed JSON string. Only as much of v is decoded as
// the limit keeps, so that a long prompt costs no more than its kept part.
// Invalid UTF-8 becomes U+FFFD, as encoding/json decodes it.
func String(v []byte, limit int) (s string, cut, ok bool) {
	if len(v) < 2 || v[0] != '"' {
		return "", false, false
	}
	limit = max(limit, 0)
	if raw := v[1 : len(v)-1]; len(raw) <= limit && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw), false, true // the text is the bytes as sent
	}
	buf, _, ok := jsonscan.AppendUnquotedPrefix(make([]byte, 0, min(len(v), limit+2*utf8.UTFMax)), v, limit)
	if !ok {
		return "", false, false
	}
	if len(buf) > limit {
		return string(cutText(buf, limit)), true, true
	}
	return string(buf), false, true
}

// Text is String for a value that is text when it is a string at all:
// other kinds give "".
func Text(v []byte, limit int) (string, bool) {
	s, cut, _ := String(v, limit)
	return s, cut
}

// TextPart returns a part of type typ (text, reasoning) holding the text of
// the JSON string value v, cut to limit.
func TextPart(typ string, v []byte, limit int) providers.Part {
	s, cut, _ := String(v, limit)
	return providers.Part{Type: typ, Content: s, Truncated: cut}
}

// Str returns the unescaped text of a JSON string value, "" for other
// kinds; for names, ids and types, which are short and never cut.
func Str(v []byte) string {
	s, _ := jsonscan.Str(v)
	return s
}

// cutText returns b cut to at most n bytes, at a UTF-8 character boundary.
func cutText(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for n > 0 && b[n]&0xC0 == 0x80 {
		n--
	}
	return b[:n]
}

// Value returns a tool call's arguments or a tool's response from the JSON
// value v: the text of a string (OpenAI-style arguments are JSON inside a
// string), a compact copy of any other value, "null" for a null (the
// conventions record a call's null arguments as null), nil for an absent
// value; cut to limit bytes, and whether it was cut.
func Value(v []byte, limit int) ([]byte, bool) {
	switch {
	case len(v) == 0:
		return nil, false
	case v[0] == '"':
		s, cut := Text(v, limit)
		return []byte(s), cut
	}
	return JSON(v, limit)
}

// JSON returns a compact copy of the JSON value v cut to limit bytes (at a
// character boundary), and whether it was cut. A value that is not valid
// JSON is copied as it is.
func JSON(v []byte, limit int) ([]byte, bool) {
	return cutJSON(compact(v), max(limit, 0))
}

func cutJSON(v []byte, limit int) ([]byte, bool) {
	if len(v) <= limit {
		return bytes.Clone(v), false
	}
	return bytes.Clone(cutText(v, limit)), true
}

// compact returns v without the space between its tokens (v itself when
// it has none, or is not valid JSON).
func compact(v []byte) []byte {
	if !bytes.ContainsAny(v, " \t\r\n") {
		return v
	}
	var b bytes.Buffer
	if json.Compact(&b, v) != nil {
		return v
	}
	return b.Bytes()
}

// Array returns the JSON array of the raw JSON values vals, compact and cut
// to limit: how a tool result of several blocks is kept.
func Array(vals [][]byte, limit int) ([]byte, bool) {
	limit = max(limit, 0)
	b := []byte{'['}
	for i, v := range vals {
		if len(b) > limit {
			break // cut below, whatever follows
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, compact(v)...)
	}
	b = append(b, ']')
	return cutJSON(b, limit)
}

// base64Chars marks the bytes of the standard and URL-safe base64
// alphabets.
var base64Chars = func() (t [256]bool) {
	for _, c := range []byte("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_") {
		t[c] = true
	}
	return t
}()

// Base64Size returns the number of bytes base64 text decodes to, without
// decoding it: the text of a JSON string value (with or without its
// quotes), standard or URL alphabet, padded or not. Padding, line breaks
// and escapes other than "\/" are not data.
func Base64Size(v []byte) int64 {
	v = unquoted(v)
	if bytes.IndexByte(v, '\\') < 0 {
		// A JSON string holds no raw line breaks: without escapes, every
		// byte but the padding is data. Images are megabytes of this.
		n := len(v)
		for n > 0 && v[n-1] == '=' {
			n--
		}
		return int64(n) * 3 / 4
	}
	n := int64(0)
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c == '\\' {
			if i+1 < len(v) && v[i+1] == '/' {
				n++
			}
			i++
			continue
		}
		if base64Chars[c] {
			n++
		}
	}
	return n * 3 / 4
}

// unquoted returns the raw content of a JSON string value, v itself when
// it is not quoted.
func unquoted(v []byte) []byte {
	if len(v) >= 2 && v[0] == '"' {
		return v[1 : len(v)-1]
	}
	return v
}

// DataURL reads a data: URL, "data:<mime>[;<parameter>]*[;base64],<data>",
// from a JSON string value (with or without its quotes). It returns the
// MIME type and the size of the data it holds (decoded from base64;
// otherwise as sent), and false when url is not a data: URL.
func DataURL(url []byte) (mimeType string, size int64, ok bool) {
	url = unquoted(url)
	const scheme = "data:"
	if len(url) < len(scheme) || !strings.EqualFold(string(url[:len(scheme)]), scheme) {
		return "", 0, false
	}
	rest := url[len(scheme):]
	comma := bytes.IndexByte(rest, ',')
	if comma < 0 {
		return "", 0, false
	}
	meta, data := rest[:comma], rest[comma+1:]
	// base64 is the last parameter, if any (RFC 2397).
	base64 := false
	if i := bytes.LastIndexByte(meta, ';'); i >= 0 && strings.EqualFold(string(bytes.TrimSpace(meta[i+1:])), "base64") {
		base64, meta = true, meta[:i]
	}
	if i := bytes.IndexByte(meta, ';'); i >= 0 {
		meta = meta[:i] // ;charset=... and the like
	}
	mimeType = string(bytes.TrimSpace(meta))
	if base64 {
		return mimeType, Base64Size(data), true
	}
	return mimeType, int64(len(data)), true
}

// Modality returns the modality of a MIME type: image, audio or video for
// those major types, document for the rest (application/pdf, text/plain),
// "" for an empty type.
func Modality(mimeType string) string {
	major, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(mimeType)), "/")
	switch major {
	case "":
		return ""
	case "image", "audio", "video":
		return major
	}
	return "document"
}

// Blob returns the part of binary data of the given MIME type and size
// (its modality from its type unless given).
func Blob(modality, mimeType string, size int64) providers.Part {
	if modality == "" {
		modality = Modality(mimeType)
	}
	return providers.Part{Type: providers.PartBlob, Modality: modality, MIMEType: mimeType, Size: size}
}

// SniffImage returns the image type the first bytes of base64 text (a JSON
// string value, with or without its quotes) show (PNG, JPEG, GIF, WebP,
// BMP), "" when they show none: for APIs that send images without their
// type.
func SniffImage(v []byte) string {
	v = unquoted(v)
	head := v[:min(len(v), 24)]
	head = head[:len(head)/4*4]
	plain := make([]byte, base64.StdEncoding.DecodedLen(len(head)))
	n, err := base64.StdEncoding.Decode(plain, head)
	if err != nil || n == 0 {
		return ""
	}
	if mime := http.DetectContentType(plain[:n]); strings.HasPrefix(mime, "image/") {
		return mime
	}
	return ""
}

// Content returns c, or nil when it holds nothing.
func Content(c *providers.RequestContent) *providers.RequestContent {
	if c == nil || len(c.System) == 0 && len(c.Messages) == 0 && len(c.Tools) == 0 {
		return nil
	}
	return c
}

// Describe sets a tool definition's description from the JSON string
// value v, cut to limit (and the definition marked Truncated if it was).
func Describe(def *providers.ToolDefinition, v []byte, limit int) {
	var cut bool
	def.Description, cut = Text(v, limit)
	def.Truncated = def.Truncated || cut
}

// Parameters sets a tool definition's parameter schema from the JSON
// object v, compact; a schema over the limit is left out (and the
// definition marked Truncated), since a cut schema is not a schema. Other
// kinds are no schema.
func Parameters(def *providers.ToolDefinition, v []byte, limit int) {
	if len(v) == 0 || v[0] != '{' {
		return
	}
	s, cut := JSON(v, limit)
	if cut {
		def.Parameters, def.Truncated = nil, true
		return
	}
	def.Parameters = s
}
