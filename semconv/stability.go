package semconv

import (
	"strconv"
	"strings"
)

// StabilityOptInEnv is the environment variable through which OpenTelemetry
// instrumentations let users choose which version of a convention they emit.
const StabilityOptInEnv = "OTEL_SEMCONV_STABILITY_OPT_IN"

// The OTEL_SEMCONV_STABILITY_OPT_IN tokens that select the GenAI names.
const (
	// OptInGenAILatest emits the latest GenAI names instead of v1.41.0's.
	OptInGenAILatest = "gen_ai_latest_experimental"
	// OptInGenAILatestDup emits both, for a migration. OpenTelemetry
	// defines the /dup form for HTTP and database conventions; otelllm
	// offers it for GenAI too, so that dashboards can move over while
	// both names arrive.
	OptInGenAILatestDup = OptInGenAILatest + "/dup"
)

// Stability says which GenAI names otelllm emits.
type Stability uint8

const (
	// StabilityDefault emits the v1.41.0 names, the ones otelllm has
	// always emitted.
	StabilityDefault Stability = iota
	// StabilityLatest emits the names of the conventions at
	// [GenAICommit] and none of the v1.41.0 ones they replace.
	StabilityLatest
	// StabilityDup emits both the v1.41.0 and the latest names.
	StabilityDup
)

// ParseStability reads an OTEL_SEMCONV_STABILITY_OPT_IN value as
// OpenTelemetry instrumentations do: a comma-separated list whose tokens are
// compared exactly, case included, once surrounding whitespace is trimmed.
// Tokens for other conventions (http, database/dup...) and unknown tokens are
// ignored, and the /dup form wins over the plain one wherever it appears.
func ParseStability(optIn string) Stability {
	s := StabilityDefault
	for token := range strings.SplitSeq(optIn, ",") {
		switch strings.TrimSpace(token) {
		case OptInGenAILatestDup:
			return StabilityDup
		case OptInGenAILatest:
			s = StabilityLatest
		}
	}
	return s
}

// EmitsDefault reports whether the v1.41.0 names are emitted.
func (s Stability) EmitsDefault() bool { return s != StabilityLatest }

// EmitsLatest reports whether the latest names are emitted.
func (s Stability) EmitsLatest() bool { return s == StabilityLatest || s == StabilityDup }

// String returns the opt-in token that selects s, or "default".
func (s Stability) String() string {
	switch s {
	case StabilityLatest:
		return OptInGenAILatest
	case StabilityDup:
		return OptInGenAILatestDup
	case StabilityDefault:
		return "default"
	}
	return "Stability(" + strconv.Itoa(int(s)) + ")"
}
