package semconv

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseStability(t *testing.T) {
	tests := []struct {
		name  string
		optIn string
		want  Stability
	}{
		{"unset", "", StabilityDefault},
		{"latest", "gen_ai_latest_experimental", StabilityLatest},
		{"dup", "gen_ai_latest_experimental/dup", StabilityDup},
		{"surrounding whitespace", "  gen_ai_latest_experimental\t", StabilityLatest},
		{"among other conventions", "http/dup, gen_ai_latest_experimental ,database", StabilityLatest},
		{"dup after plain wins", "gen_ai_latest_experimental,gen_ai_latest_experimental/dup", StabilityDup},
		{"dup before plain wins", "gen_ai_latest_experimental/dup,gen_ai_latest_experimental", StabilityDup},
		{"only other conventions", "http,database/dup", StabilityDefault},
		{"unknown tokens", "gen_ai,gen_ai_latest,latest", StabilityDefault},
		{"case differs", "GEN_AI_LATEST_EXPERIMENTAL", StabilityDefault},
		{"token inside a word", "xgen_ai_latest_experimental", StabilityDefault},
		{"space inside the token", "gen_ai_latest_experimental /dup", StabilityDefault},
		{"empty tokens", ",,gen_ai_latest_experimental,,", StabilityLatest},
		{"semicolon is not a separator", "http;gen_ai_latest_experimental", StabilityDefault},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, ParseStability(tt.optIn))
		})
	}
}

func TestStabilityEmits(t *testing.T) {
	tests := []struct {
		s                   Stability
		wantOld, wantLatest bool
		wantString          string
	}{
		{StabilityDefault, true, false, "default"},
		{StabilityLatest, false, true, OptInGenAILatest},
		{StabilityDup, true, true, OptInGenAILatestDup},
		{Stability(7), true, false, "Stability(7)"},
	}
	for _, tt := range tests {
		t.Run(tt.wantString, func(t *testing.T) {
			assert.Equal(t, tt.wantOld, tt.s.EmitsDefault())
			assert.Equal(t, tt.wantLatest, tt.s.EmitsLatest())
			assert.Equal(t, tt.wantString, tt.s.String())
		})
	}
}

func TestStabilityStringRoundTrips(t *testing.T) {
	for _, s := range []Stability{StabilityLatest, StabilityDup} {
		assert.Equal(t, s, ParseStability(s.String()))
	}
}
