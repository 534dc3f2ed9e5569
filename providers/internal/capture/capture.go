package capture

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Text returns the text of the JSON string value v cut to limit bytes (at a
// character boundary), and whether it was cut. Other kinds give "".
func Text(v []byte, limit int) (string, bool) {
	if len(v) < 2 || v[0] != '"' {
		return "", false
	}
	raw := v[1 : len(v)-1]
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		// No escapes: the text is the raw bytes, and only what is kept
		// is copied.
		if len(raw) <= limit {
			return string(raw), false
		}
		return providers.Cut(string(raw[:min(len(raw), limit+utf8.UTFMax)]), limit), true
	}
	s, ok := jsonscan.Str(v)
	if !ok {
		return "", false
	}
	if len(s) > limit {
		return providers.Cut(s, limit), true
	}
	return s, false
}

// TextPart returns a part of type typ (text, reasoning) holding the text of
// the JSON string value v.
func TextPart(typ string, v []byte, limit int) providers.Part {
	text, cut := Text(v, limit)
	return providers.Part{Type: typ, Content: text, Truncated: cut}
}

// Value returns a tool call's arguments or a tool's response from the JSON
// value v of kind k: the text of a string, a copy of any other JSON value,
// cut to limit bytes; and whether it was cut. A null gives "null".
func Value(v []byte, k jsonscan.Kind, limit int) ([]byte, bool) {
	if k == jsonscan.KindString {
		text, cut := Text(v, limit)
		return []byte(text), cut
	}
	if len(v) > limit {
		return bytes.Clone(v[:limit]), true
	}
	return bytes.Clone(v), false
}

// Base64Size returns the number of bytes the base64 text b64 (standard or
// URL alphabet, padded or not, as a raw JSON string's content) decodes to.
// Escaped slashes ("\/") count as one character.
func Base64Size(b64 []byte) int64 {
	n := int64(len(b64)) - int64(bytes.Count(b64, []byte(`\/`)))
	for i := len(b64) - 1; i >= 0 && b64[i] == '='; i-- {
		n--
	}
	return n * 3 / 4
}

// DataURL reads a data: URL, "data:<mime>[;base64],<data>", from the raw
// content of a JSON string. It returns the MIME type and the size of the
// data it holds (decoded from base64; otherwise as sent), and false when
// url is not a data: URL.
func DataURL(url []byte) (mimeType string, size int64, ok bool) {
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
	base64 := false
	if i := bytes.IndexByte(meta, ';'); i >= 0 {
		base64 = bytes.Contains(bytes.ToLower(meta[i:]), []byte(";base64"))
		meta = meta[:i]
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

// Str returns the unescaped text of a JSON string value, "" for other
// kinds; for names, ids and types, which are short.
func Str(v []byte, k jsonscan.Kind) string {
	s, _ := jsonscan.StringValue(v, k)
	return s
}
