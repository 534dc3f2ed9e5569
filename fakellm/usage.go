package fakellm

import (
	"fmt"
	"strconv"
	"strings"
)

// Usage is the token usage an answer reports, in one shape for every API:
// InputTokens counts all input tokens, cached ones included, and
// OutputTokens all output tokens, reasoning included, as the OpenTelemetry
// GenAI conventions count them. The fake writes each count where the API
// puts it: Anthropic and Bedrock report input without the cache, so their
// input count is InputTokens less CacheReadTokens and CacheWriteTokens
// (never below zero); Gemini reports output without reasoning, so its
// candidates count is OutputTokens less ReasoningTokens.
type Usage struct {
	InputTokens  int
	OutputTokens int
	// CacheReadTokens are input tokens read from a prompt cache (OpenAI
	// cached_tokens, Anthropic cache_read_input_tokens, Bedrock
	// cacheReadInputTokens, Gemini cachedContentTokenCount, Cohere
	// cached_tokens).
	CacheReadTokens int
	// CacheWriteTokens are input tokens written to a prompt cache
	// (Anthropic cache_creation_input_tokens, Bedrock
	// cacheWriteInputTokens, OpenAI cache_write_tokens). APIs without such
	// a count leave it out.
	CacheWriteTokens int
	// ReasoningTokens are output tokens spent on reasoning (OpenAI
	// reasoning_tokens, Gemini thoughtsTokenCount). Anthropic, Bedrock,
	// Cohere and Ollama have no such count and leave it out.
	ReasoningTokens int
}

// UsageHeader is the request header that chooses one call's usage, for
// tests that can add a header to a call (most SDKs have a per-request
// header option). Its value is comma-separated key=value pairs, with keys
// input, output, cache_read, cache_write and reasoning:
//
//	Fakellm-Usage: input=1200, output=80, cache_read=1024
//
// Keys left out are zero. The header takes precedence over Options.Usage;
// a malformed one is answered with a 400 error.
const UsageHeader = "Fakellm-Usage"

// String formats u as a UsageHeader value.
func (u Usage) String() string {
	return fmt.Sprintf("input=%d, output=%d, cache_read=%d, cache_write=%d, reasoning=%d",
		u.InputTokens, u.OutputTokens, u.CacheReadTokens, u.CacheWriteTokens, u.ReasoningTokens)
}

// ParseUsage parses a UsageHeader value.
func ParseUsage(s string) (Usage, error) {
	var u Usage
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return Usage{}, fmt.Errorf("%q is not key=value", part)
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 {
			return Usage{}, fmt.Errorf("%q: the count must be a whole number, 0 or more", part)
		}
		switch strings.TrimSpace(k) {
		case "input":
			u.InputTokens = n
		case "output":
			u.OutputTokens = n
		case "cache_read":
			u.CacheReadTokens = n
		case "cache_write":
			u.CacheWriteTokens = n
		case "reasoning":
			u.ReasoningTokens = n
		default:
			return Usage{}, fmt.Errorf("unknown key %q", k)
		}
	}
	return u, nil
}

// FixedUsage returns an Options.Usage that reports u on every call.
func FixedUsage(u Usage) func(Request) (Usage, bool) {
	return func(Request) (Usage, bool) { return u, true }
}

// UsageByModel returns an Options.Usage that reports byModel[model] for a
// call to a model it holds, and lets the fake count for the others.
func UsageByModel(byModel map[string]Usage) func(Request) (Usage, bool) {
	return func(r Request) (Usage, bool) {
		u, ok := byModel[r.Model]
		return u, ok
	}
}

// uncachedInput is the input count of the APIs whose input count leaves
// the cache out.
func (u Usage) uncachedInput() int {
	return max(u.InputTokens-u.CacheReadTokens-u.CacheWriteTokens, 0)
}
