package otelllm

import (
	"regexp"
	"strings"
)

// Captured content is scrubbed of secrets before it is recorded, whatever
// the mode and whatever the filters left: API keys and tokens pasted into a
// prompt, credentials in a URL, an Authorization header quoted in a tool's
// output, a password field in a tool call's arguments, a private key. The
// rules keep JSON valid (a quoted value stays quoted), so that arguments
// and responses are still recorded structured. Each rule runs only when a
// literal it needs occurs in the text, so that text without secrets,
// nearly all of it, costs a few substring searches.

// scrubRule is one redaction: re, replaced by with, tried when the text
// (lower-cased) contains one of lits.
type scrubRule struct {
	lits []string
	re   *regexp.Regexp
	with string
}

var scrubRules = []scrubRule{
	{[]string{"private key-----"}, regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)`), redacted},
	{[]string{"://"}, regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://)[^/\s:@"'<>]+:[^@\s/"'<>]+@`), "${1}" + redacted + "@"},
	{[]string{"key=", "token=", "auth=", "sig=", "signature=", "secret=", "password=", "x-amz-", "x-goog-"}, secretParam, "${1}" + redacted},
	{secretHeaderNames, regexp.MustCompile(`(?i)\b(` + secretHeaderPattern + `)("?\s*[:=]\s*)"[^"]*"`), `${1}${2}"` + redacted + `"`},
	{secretHeaderNames, regexp.MustCompile(`(?i)\b(` + secretHeaderPattern + `)(\s*[:=]\s*)[^\s,;"]+(?:\s+[^\s,;"]+)?`), "${1}${2}" + redacted},
	{[]string{"bearer"}, regexp.MustCompile(`(?i)\b(bearer)\s+[A-Za-z0-9._~+/=\-]{16,}`), "${1} " + redacted},
	// Basic credentials are base64: padded, or with digits in them, which
	// the words after "basic" in prose rarely are.
	{[]string{"basic"}, regexp.MustCompile(`(?i)\b(basic)\s+(?:[A-Za-z0-9+/]{6,}={1,2}|[A-Za-z0-9+/]*[0-9][A-Za-z0-9+/]*[0-9][A-Za-z0-9+/]*)`), "${1} " + redacted},
	{secretFieldNames, regexp.MustCompile(`(?i)("(?:` + secretFieldPattern + `)"\s*:\s*)"[^"]*"`), `${1}"` + redacted + `"`},
	{secretFieldNames, regexp.MustCompile(`(?i)\b(` + secretFieldPattern + `)(\s*[:=]\s*)[^\s,;&"'{}\[\]]+`), "${1}${2}" + redacted},
	{[]string{"sk-", "akia", "asia", "aiza"}, keyShapes, redacted},
	{[]string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "glpat-", "hf_", "ya29."}, moreKeyShapes, redacted},
}

const (
	secretHeaderPattern = `authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|cookie|set-cookie`
	secretFieldPattern  = `password|passwd|client_secret|api_key|apikey|access_token|refresh_token|private_key|secret_key`
)

var (
	secretHeaderNames = []string{"authorization", "api-key", "cookie"}
	secretFieldNames  = []string{"password", "passwd", "client_secret", "api_key", "apikey", "access_token", "refresh_token", "private_key", "secret_key"}
	// moreKeyShapes are token formats beyond those of LLM providers and
	// clouds (keyShapes) that people paste: GitHub, Slack, GitLab,
	// Hugging Face and Google OAuth tokens.
	moreKeyShapes = regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9\-]{10,}|glpat-[A-Za-z0-9_\-]{20,}|hf_[A-Za-z0-9]{30,}|ya29\.[A-Za-z0-9_\-.]{20,})`)
)

// scrubText returns s with the secrets the rules find replaced by REDACTED.
func scrubText(s string) string {
	if len(s) < 8 {
		return s // too short to hold any secret the rules know
	}
	var lower string
	for _, r := range scrubRules {
		if lower == "" {
			lower = strings.ToLower(s)
		}
		if !containsAny(lower, r.lits) {
			continue
		}
		if next := r.re.ReplaceAllString(s, r.with); next != s {
			s, lower = next, ""
		}
	}
	return s
}

// scrubBytes is scrubText for arguments and responses; b itself is not
// changed.
func scrubBytes(b []byte) []byte {
	s := string(b)
	if t := scrubText(s); t != s {
		return []byte(t)
	}
	return b
}

// redactURLs redacts a URI part's URI as error texts are: its query values
// (but the harmless few), user information and fragment, which is where
// presigned and keyed URLs carry their secrets.
func redactURLs(uri string) string { return redactSecrets(uri) }

func containsAny(s string, lits []string) bool {
	for _, l := range lits {
		if strings.Contains(s, l) {
			return true
		}
	}
	return false
}
