package otelllm

import (
	"net/url"
	"regexp"
	"strings"
)

// Error texts recorded in telemetry (the span status, the exception event)
// are redacted: a transport's error often quotes the request URL
// (*url.Error, retrying transports), and URLs carry API keys (Gemini's
// ?key=), passwords and presigned AWS signatures. Headers quoted in an
// error, bearer tokens and well-known key shapes are redacted too.

const redacted = "REDACTED"

var (
	urlInText = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>]+`)
	// secretParam matches a secret-looking query parameter outside a URL
	// the pattern above could parse.
	secretParam  = regexp.MustCompile(`(?i)([?&;](?:key|api[-_]?key|token|access[-_]?token|auth|sig|signature|secret|password|x-amz-[a-z-]+|x-goog-[a-z-]+)=)[^&\s"';]+`)
	secretHeader = regexp.MustCompile(`(?i)\b(authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|cookie)(\s*[:=]\s*)("[^"]*"|[^\s,;]+(?:\s+[^\s,;]+)?)`)
	bearer       = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=\-]{8,}`)
	keyShapes    = regexp.MustCompile(`\b(?:sk-(?:ant-|proj-)?[A-Za-z0-9_\-]{12,}|AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|AIza[0-9A-Za-z_\-]{30,})`)
)

// keptParams are query parameters whose values say how a call was made and
// are never secret; every other parameter's value is redacted.
var keptParams = map[string]bool{"api-version": true, "alt": true, "beta": true, "$alt": true}

// redactSecrets returns s with URLs' user information and query values
// (but a few harmless ones), secret headers, bearer tokens and key-shaped
// strings replaced by REDACTED.
func redactSecrets(s string) string {
	s = urlInText.ReplaceAllStringFunc(s, redactURL)
	s = secretParam.ReplaceAllString(s, "${1}"+redacted)
	s = secretHeader.ReplaceAllString(s, "${1}${2}"+redacted)
	s = bearer.ReplaceAllString(s, "${1} "+redacted)
	return keyShapes.ReplaceAllString(s, redacted)
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		// Not a URL after all: keep only what precedes its query.
		if i := strings.IndexAny(raw, "?#"); i >= 0 {
			return raw[:i] + "?" + redacted
		}
		return raw
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for name, values := range q {
			if keptParams[strings.ToLower(name)] {
				continue
			}
			for i := range values {
				values[i] = redacted
			}
		}
		u.RawQuery = q.Encode()
	}
	if u.Fragment != "" {
		u.Fragment = redacted
	}
	return u.String()
}
