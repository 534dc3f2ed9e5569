package capture

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// String returns the JSON string value v (with its quotes, as jsonscan
// returns it) unescaped and cut to limit bytes at a character boundary, and
// whether it was cut; ok is false when v is not a string. Only as much of v
// is decoded as the limit keeps, so a long prompt costs no more than its
// kept part. Invalid UTF-8 becomes U+FFFD, as encoding/json decodes it.
func String(v []byte, k jsonscan.Kind, limit int) (s string, cut, ok bool) {
	if k != jsonscan.KindString || len(v) < 2 {
		return "", false, false
	}
	s, cut = unquote(v[1:len(v)-1], max(limit, 0))
	return s, cut, true
}

// Text is String for a value known to be a string when it is one at all:
// other kinds give "".
func Text(v []byte, k jsonscan.Kind, limit int) (string, bool) {
	s, cut, _ := String(v, k, limit)
	return s, cut
}

// unquote decodes the text of a JSON string (without its quotes) until
// more than limit bytes are decoded, then cuts it to limit.
func unquote(raw []byte, limit int) (string, bool) {
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		if len(raw) <= limit {
			return string(raw), false
		}
		return providers.Cut(string(raw[:min(len(raw), limit+utf8.UTFMax)]), limit), true
	}
	buf := make([]byte, 0, min(len(raw), limit+utf8.UTFMax))
	i := 0
	for i < len(raw) && len(buf) <= limit {
		c := raw[i]
		switch {
		case c == '\\' && i+1 < len(raw):
			i = unescape(raw, i, &buf)
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, raw[i:i+size]...)
			}
			i += size
		}
	}
	s := string(buf)
	if len(s) > limit {
		return providers.Cut(s, limit), true
	}
	return s, i < len(raw)
}

// unescape appends the character of the escape at raw[i] to buf and
// returns the index after the escape.
func unescape(raw []byte, i int, buf *[]byte) int {
	switch c := raw[i+1]; c {
	case 'b':
		*buf = append(*buf, '\b')
	case 'f':
		*buf = append(*buf, '\f')
	case 'n':
		*buf = append(*buf, '\n')
	case 'r':
		*buf = append(*buf, '\r')
	case 't':
		*buf = append(*buf, '\t')
	case 'u':
		r, ok := hex4(raw, i+2)
		if !ok {
			*buf = append(*buf, raw[i:i+2]...)
			return i + 2
		}
		next := i + 6
		if utf16.IsSurrogate(r) {
			if r2, ok := hex4(raw, i+8); ok && raw[i+6] == '\\' && raw[i+7] == 'u' {
				if pair := utf16.DecodeRune(r, r2); pair != utf8.RuneError {
					*buf = utf8.AppendRune(*buf, pair)
					return i + 12
				}
			}
			r = utf8.RuneError
		}
		*buf = utf8.AppendRune(*buf, r)
		return next
	default: // \" \\ \/
		*buf = append(*buf, c)
	}
	return i + 2
}

func hex4(raw []byte, at int) (rune, bool) {
	if at+4 > len(raw) {
		return 0, false
	}
	var r rune
	for _, c := range raw[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// JSON returns a compact copy of the JSON value v cut to limit bytes (at a
// character boundary), and whether it was cut. A value that is not valid
// JSON is copied as it is.
func JSON(v []byte, limit int) ([]byte, bool) {
	return cutJSON(compact(v), max(limit, 0))
}

func cutJSON(v []byte, limit int) ([]byte, bool) {
	if len(v) <= limit {
		return append([]byte{}, v...), false
	}
	return []byte(providers.Cut(string(v[:min(len(v), limit+utf8.UTFMax)]), limit)), true
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

// Arguments returns a tool call's arguments: the text of a string value
// (OpenAI-style arguments are JSON inside a string), the JSON of any other,
// cut to limit; nil for a null or absent value.
func Arguments(v []byte, k jsonscan.Kind, limit int) ([]byte, bool) {
	switch k {
	case jsonscan.KindInvalid, jsonscan.KindNull:
		return nil, false
	case jsonscan.KindString:
		s, cut := Text(v, k, limit)
		return []byte(s), cut
	}
	return JSON(v, limit)
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

// Base64Size returns the number of bytes the base64 text of the JSON string
// value v decodes to, without decoding it: padding, line breaks and escapes
// other than "\/" are not data.
func Base64Size(v []byte) int64 {
	if len(v) >= 2 && v[0] == '"' {
		v = v[1 : len(v)-1]
	}
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

// DataURL reads a data: URL given as the JSON string value v
// ("data:image/png;base64,iVBOR..."): its MIME type and the size of its
// data; ok is false for any other URL.
func DataURL(v []byte) (mime string, size int64, ok bool) {
	if len(v) >= 2 && v[0] == '"' {
		v = v[1 : len(v)-1]
	}
	const scheme = "data:"
	if len(v) < len(scheme) || !strings.EqualFold(string(v[:len(scheme)]), scheme) {
		return "", 0, false
	}
	comma := bytes.IndexByte(v, ',')
	if comma < 0 {
		return "", 0, false
	}
	meta := string(v[len(scheme):comma])
	data := v[comma+1:]
	base64 := false
	if m, ok := strings.CutSuffix(meta, ";base64"); ok {
		meta, base64 = m, true
	}
	mime, _, _ = strings.Cut(meta, ";")
	if base64 {
		return mime, Base64Size(data), true
	}
	return mime, int64(len(data)), true
}

// Modality returns the modality of a MIME type: image, audio or video by
// its major type, document for any other; "" when the type is unknown.
func Modality(mime string) string {
	if mime == "" {
		return ""
	}
	major, _, _ := strings.Cut(mime, "/")
	switch major = strings.ToLower(strings.TrimSpace(major)); major {
	case "image", "audio", "video":
		return major
	}
	return "document"
}

// Blob returns the part of binary data of the given MIME type and size
// (its modality from its type unless given).
func Blob(modality, mime string, size int64) providers.Part {
	if modality == "" {
		modality = Modality(mime)
	}
	return providers.Part{Type: providers.PartBlob, Modality: modality, MIMEType: mime, Size: size}
}

// TextPart returns a text part of the JSON string value v, cut to limit;
// ok is false when v is not a string.
func TextPart(v []byte, k jsonscan.Kind, limit int) (providers.Part, bool) {
	s, cut, ok := String(v, k, limit)
	return providers.Part{Type: providers.PartText, Content: s, Truncated: cut}, ok
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
func Describe(def *providers.ToolDefinition, v []byte, k jsonscan.Kind, limit int) {
	var cut bool
	def.Description, cut = Text(v, k, limit)
	def.Truncated = def.Truncated || cut
}

// Parameters sets a tool definition's parameter schema from the JSON
// object v, compact; a schema over the limit is left out (and the
// definition marked Truncated), since a cut schema is not a schema.
func Parameters(def *providers.ToolDefinition, v []byte, k jsonscan.Kind, limit int) {
	if k != jsonscan.KindObject {
		return
	}
	s, cut := JSON(v, limit)
	if cut {
		def.Parameters, def.Truncated = nil, true
		return
	}
	def.Parameters = s
}

// Delta returns the text of a streamed delta, the JSON string value v, for
// a providers.Assembler, which cuts what it appends to the limit and marks
// it: decoded no further than a few bytes past the limit, so that the
// Assembler still sees that it was over.
func Delta(v []byte, limit int) string {
	s, _, _ := String(v, jsonscan.KindString, max(limit, 0)+utf8.UTFMax)
	return s
}

// SniffImage returns the image type the first bytes of the base64 text of
// the JSON string value v show (PNG, JPEG, GIF, WebP, BMP), "" when they
// show none: for APIs that send images without their type.
func SniffImage(v []byte) string {
	if len(v) >= 2 && v[0] == '"' {
		v = v[1 : len(v)-1]
	}
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
