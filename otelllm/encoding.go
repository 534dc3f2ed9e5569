package otelllm

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"strings"

	"github.com/otelllm/otelllm/providers"
)

// wrapEncoding handles bodies the application asked to receive compressed
// (Go's transport decompresses only when it asked for compression itself).
// A non-streamed gzip or deflate body is buffered compressed, within the
// buffering limit, and decompressed for the observer at its end; other
// encodings, and compressed streams, are not observed.
func wrapEncoding(resp *http.Response, req providers.Request, obs providers.Observer) providers.Observer {
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	if obs == nil || enc == "" || enc == "identity" || resp.Uncompressed {
		return obs
	}
	if kind := providers.StreamKindOf(resp, providers.NotStream); kind != providers.NotStream || req.Stream && resp.StatusCode < 400 {
		return &unreadable{reason: "compressed stream (Content-Encoding " + enc + ") not observed", inner: obs}
	}
	switch enc {
	case "gzip", "x-gzip", "deflate":
		return &decodingObserver{inner: obs, encoding: enc}
	}
	return &unreadable{reason: "response with Content-Encoding " + enc + " not parsed", inner: obs}
}

// unreadable stands in for an observer that cannot be shown the bytes.
type unreadable struct {
	reason string
	inner  providers.Observer
}

func (u *unreadable) Write([]byte) {}
func (u *unreadable) Chunks() int  { return 0 }
func (u *unreadable) Finish(bool) providers.Response {
	r := u.inner.Finish(false)
	r.ObserveError = u.reason
	return r
}

type decodingObserver struct {
	inner      providers.Observer
	encoding   string
	compressed providers.BodyBuffer
}

func (d *decodingObserver) Write(p []byte) { d.compressed.Write(p) }

func (d *decodingObserver) Chunks() int { return 0 }

func (d *decodingObserver) Finish(complete bool) providers.Response {
	if d.compressed.Over() {
		r := d.inner.Finish(false)
		r.ObserveError = "compressed response body over 8 MiB not parsed"
		return r
	}
	if !complete {
		return d.inner.Finish(false)
	}
	var zr io.Reader
	var err error
	switch d.encoding {
	case "gzip", "x-gzip":
		zr, err = gzip.NewReader(bytes.NewReader(d.compressed.Bytes()))
	default:
		// "deflate" is zlib-wrapped by the standard, raw by some servers.
		zr, err = zlib.NewReader(bytes.NewReader(d.compressed.Bytes()))
		if err != nil {
			zr, err = flate.NewReader(bytes.NewReader(d.compressed.Bytes())), nil
		}
	}
	var plain []byte
	if err == nil {
		plain, err = io.ReadAll(io.LimitReader(zr, providers.MaxBufferedBody+1))
	}
	if err != nil {
		r := d.inner.Finish(false)
		r.ObserveError = "could not decompress the " + d.encoding + " response: " + err.Error()
		return r
	}
	if len(plain) > providers.MaxBufferedBody {
		r := d.inner.Finish(false)
		r.ObserveError = "decompressed response body over 8 MiB not parsed"
		return r
	}
	d.inner.Write(plain)
	return d.inner.Finish(true)
}
