package otelllm

import (
	"fmt"
	"strings"
)

// usageFields is Usage without its methods, so that fmt prints its fields.
type usageFields Usage

// Format makes %v, %s and fmt.Println print the LangChain-style summary of
// String, and %+v and %#v every field, ByModel included, as they would for
// a plain struct: the summary leaves out what a debugging print needs. Other
// verbs apply to each field, as for a plain struct; %q quotes the summary.
func (u Usage) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		// The type's own name, not the method-free copy's; the usages of
		// ByModel are printed by this method in turn, so they say it too.
		s := fmt.Sprintf("%#v", usageFields(u))
		_, _ = fmt.Fprint(f, "otelllm.Usage"+strings.TrimPrefix(s, "otelllm.usageFields"))
	case verb == 'v' && f.Flag('+'):
		_, _ = fmt.Fprintf(f, "%+v", usageFields(u))
	case verb == 'v':
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, 's'), u.String())
	case verb == 's' || verb == 'q':
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), u.String())
	default:
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), usageFields(u))
	}
}
