package otelllm

import (
	"net/http"
	"strconv"
	"strings"
)

// maxResendCount bounds the resend count read from a header: no SDK retries
// a call more often, and a bogus value must not pass for a count.
const maxResendCount = 1000

// resendCount is which retry of a call req is, as the SDK that sent it
// says: X-Stainless-Retry-Count (openai-go, anthropic-sdk-go and the other
// Stainless SDKs send 0 on the first attempt, then 1, 2, ...), or the
// attempt of amz-sdk-request ("attempt=2; max=3": the AWS SDKs count the
// first attempt as 1). 0 for a first attempt, and when no SDK says.
func resendCount(h http.Header) int {
	if v := h.Get("X-Stainless-Retry-Count"); v != "" {
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 && n <= maxResendCount {
			return n
		}
		return 0
	}
	if v := h.Get("Amz-Sdk-Request"); v != "" {
		for part := range strings.SplitSeq(v, ";") {
			name, value, ok := strings.Cut(strings.TrimSpace(part), "=")
			if !ok || !strings.EqualFold(name, "attempt") {
				continue
			}
			if n, err := strconv.Atoi(strings.TrimSpace(value)); err == nil && n > 1 && n <= maxResendCount+1 {
				return n - 1
			}
			return 0
		}
	}
	return 0
}
