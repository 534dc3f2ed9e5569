package count

import (
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Set sets count f of u from the JSON value v of kind k, by the package
// rule. It reports whether the value was a count.
func Set(u *providers.Usage, f providers.UsageField, v []byte, k jsonscan.Kind) bool {
	n, fault := jsonscan.Count(v, k)
	switch fault {
	case jsonscan.CountOK:
		u.Set(f, n)
		return true
	case jsonscan.CountNull:
	default:
		u.Reject(f)
	}
	return false
}

// SetAt is Set for the value at keys of doc; an absent member leaves f as it
// was.
func SetAt(u *providers.Usage, f providers.UsageField, doc []byte, keys ...string) bool {
	v, k, ok := jsonscan.Get(doc, keys...)
	if !ok {
		return false
	}
	return Set(u, f, v, k)
}

// Add is a + b, saturating at math.MaxInt64 (jsonscan.AddCounts).
func Add(a, b int64) int64 { return jsonscan.AddCounts(a, b) }
