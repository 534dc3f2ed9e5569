package pricing_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/pricing"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		name     string
		provider string
		models   []string
		want     string
	}{
		// exact keys
		{"openai snapshot", "openai", []string{"gpt-4o-mini-2024-07-18"}, "gpt-4o-mini-2024-07-18"},
		{"openai gpt-5 snapshot", "openai", []string{"gpt-5-nano-2025-08-07"}, "gpt-5-nano-2025-08-07"},
		{"anthropic snapshot", "anthropic", []string{"claude-sonnet-4-5-20250929"}, "claude-sonnet-4-5-20250929"},
		{"bedrock model id", "aws.bedrock", []string{"anthropic.claude-3-haiku-20240307-v1:0"}, "anthropic.claude-3-haiku-20240307-v1:0"},
		{"bedrock amazon nova", "aws.bedrock", []string{"amazon.nova-micro-v1:0"}, "amazon.nova-micro-v1:0"},
		{"bedrock amazon titan", "aws.bedrock", []string{"amazon.titan-text-express-v1"}, "amazon.titan-text-express-v1"},
		{"cohere", "cohere", []string{"command-a-03-2025"}, "command-a-03-2025"},
		{"openai embedding", "openai", []string{"text-embedding-3-small"}, "text-embedding-3-small"},
		{"openai legacy completion", "openai", []string{"babbage-002"}, "babbage-002"},
		{"unknown provider, bare key", "some.gateway", []string{"gpt-4o-mini"}, "gpt-4o-mini"},
		{"fully qualified key", "", []string{"azure/eu/gpt-4o-2024-08-06"}, "azure/eu/gpt-4o-2024-08-06"},

		// provider namespaces and preference
		{"gemini api namespace", "gcp.gemini", []string{"gemini-2.5-flash"}, "gemini/gemini-2.5-flash"},
		{"vertex bare gemini key", "gcp.vertex_ai", []string{"gemini-2.5-flash"}, "gemini-2.5-flash"},
		{"azure namespace", "azure.ai.openai", []string{"gpt-4o-mini-2024-07-18"}, "azure/gpt-4o-mini-2024-07-18"},
		{"azure embedding", "azure.ai.openai", []string{"text-embedding-3-small"}, "azure/text-embedding-3-small"},
		{"groq", "groq", []string{"llama-3.3-70b-versatile"}, "groq/llama-3.3-70b-versatile"},
		{"groq nested", "groq", []string{"openai/gpt-oss-120b"}, "groq/openai/gpt-oss-120b"},
		{"mistral", "mistral_ai", []string{"mistral-large-2411"}, "mistral/mistral-large-2411"},
		{"mistral latest alias", "mistral_ai", []string{"mistral-small-latest"}, "mistral/mistral-small-latest"},
		{"deepseek", "deepseek", []string{"deepseek-chat"}, "deepseek/deepseek-chat"},
		{"xai", "x_ai", []string{"grok-4"}, "xai/grok-4"},
		{"perplexity", "perplexity", []string{"sonar-deep-research"}, "perplexity/sonar-deep-research"},
		{"openrouter", "openrouter", []string{"anthropic/claude-3-haiku"}, "openrouter/anthropic/claude-3-haiku"},

		// Bedrock ARNs and cross-region profiles
		// The table has this profile both bare and under bedrock/; the
		// provider's namespace comes first.
		{"cross-region profile in the table", "aws.bedrock", []string{"us.anthropic.claude-3-5-haiku-20241022-v1:0"}, "bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0"},
		{"cross-region profile, no provider", "", []string{"us.anthropic.claude-3-5-haiku-20241022-v1:0"}, "us.anthropic.claude-3-5-haiku-20241022-v1:0"},
		{"cross-region profile not in the table", "aws.bedrock", []string{"jp.anthropic.claude-3-haiku-20240307-v1:0"}, "anthropic.claude-3-haiku-20240307-v1:0"},
		{"nova cross-region profile", "aws.bedrock", []string{"us.amazon.nova-micro-v1:0"}, "us.amazon.nova-micro-v1:0"},
		{
			"inference profile ARN", "aws.bedrock",
			[]string{"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-5-haiku-20241022-v1:0"},
			"bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0",
		},
		{
			"foundation model ARN with a regional price", "aws.bedrock",
			[]string{"arn:aws:bedrock:eu-central-1::foundation-model/anthropic.claude-instant-v1"},
			"bedrock/eu-central-1/anthropic.claude-instant-v1",
		},
		{
			"foundation model ARN without a regional price", "aws.bedrock",
			[]string{"arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-micro-v1:0"},
			"amazon.nova-micro-v1:0",
		},

		// Vertex and Gemini names
		{"vertex @version in the table", "gcp.vertex_ai", []string{"claude-sonnet-4-5@20250929"}, "vertex_ai/claude-sonnet-4-5@20250929"},
		{"vertex resource name", "gcp.vertex_ai", []string{"publishers/anthropic/models/claude-sonnet-4-5@20250929"}, "vertex_ai/claude-sonnet-4-5@20250929"},
		{"vertex @version not in the table prefers a vertex entry", "gcp.vertex_ai", []string{"claude-opus-4-1@20250806"}, "vertex_ai/claude-opus-4-1"},
		{"@version joined as a dated id", "", []string{"claude-sonnet-4-5@20250929"}, "claude-sonnet-4-5-20250929"},
		{"gemini models/ path", "gcp.gemini", []string{"models/gemini-2.0-flash-001"}, "gemini/gemini-2.0-flash-001"},
		{"numeric version in the table keeps its own price", "gcp.vertex_ai", []string{"gemini-2.0-flash-001"}, "gemini-2.0-flash-001"},
		{"numeric version not in the table", "gcp.vertex_ai", []string{"gemini-2.0-flash-009"}, "gemini-2.0-flash"},

		// snapshots, aliases, tags
		{"unknown openai snapshot", "openai", []string{"gpt-4o-mini-2099-01-01"}, "gpt-4o-mini"},
		{"unknown anthropic snapshot", "anthropic", []string{"claude-sonnet-4-5-20991231"}, "claude-sonnet-4-5"},
		{"-latest alias", "openai", []string{"gpt-4o-latest"}, "gpt-4o"},
		{"fine-tune", "openai", []string{"ft:gpt-4o-mini-2024-07-18:acme:support:9abc"}, "ft:gpt-4o-mini-2024-07-18"},
		{"ollama :latest", "ollama", []string{"llama3:latest"}, "ollama/llama3"},
		{"ollama tag in the table", "ollama", []string{"llama3:8b"}, "ollama/llama3:8b"},
		{"ollama tag not in the table", "ollama", []string{"llama3.1:8b-instruct-q4_0"}, "ollama/llama3.1"},

		// several models
		{"response model first", "openai", []string{"gpt-4o-mini-2024-07-18", "gpt-4o"}, "gpt-4o-mini-2024-07-18"},
		{"empty response model skipped", "openai", []string{"", "gpt-4o"}, "gpt-4o"},
		{"unknown response model, known request model", "openai", []string{"my-proxy-alias", "gpt-4o"}, "gpt-4o"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := lookup(t, tt.provider, tt.models...)
			if m.Key != tt.want {
				t.Errorf("Lookup(%q, %q).Key = %q, want %q", tt.provider, tt.models, m.Key, tt.want)
			}
		})
	}
}

func TestLookupPriceIsTheMatchedEntry(t *testing.T) {
	// gemini-2.0-flash-001 is priced differently from gemini-2.0-flash:
	// the match must carry the price of the key it reports.
	for _, key := range []string{"gemini-2.0-flash-001", "gemini-2.0-flash"} {
		m := lookup(t, "gcp.vertex_ai", key)
		if m.Price.Input != field(t, key, in) || m.Price.Output != field(t, key, out) {
			t.Errorf("%s: price %+v, want input %g output %g", key, m.Price, field(t, key, in), field(t, key, out))
		}
		if m.Price.CacheRead == nil || *m.Price.CacheRead != field(t, key, cacheRd) {
			t.Errorf("%s: cache read %v, want %g", key, m.Price.CacheRead, field(t, key, cacheRd))
		}
	}
}

func TestLookupNotFound(t *testing.T) {
	tests := []struct {
		name     string
		provider string
		models   []string
	}{
		{"unknown model", "openai", []string{"no-such-model"}},
		{"no models", "openai", nil},
		{"only empty models", "openai", []string{"", ""}},
		{"retired model is not priced as something else", "anthropic", []string{"claude-3-5-sonnet-20241022"}},
		{"date on an unknown base", "openai", []string{"totally-unknown-2024-07-18"}},
		{"application inference profile ARN", "aws.bedrock", []string{"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3"}},
		{"fine-tune of an unpriced base is not the base", "openai", []string{"ft:gpt-4o:acme::9abc"}},
		{"other tags only for ollama", "openai", []string{"gpt-4o:mini"}},
		{"image model is not in the table", "openai", []string{"dall-e-3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if m, ok := pricing.Default().Lookup(tt.provider, tt.models...); ok {
				t.Errorf("Lookup(%q, %q) = %+v, want not found", tt.provider, tt.models, m)
			}
		})
	}
	var nilTable *pricing.Table
	if _, ok := nilTable.Lookup("openai", "gpt-4o"); ok {
		t.Error("a nil table found a price")
	}
}

func TestLookupProviderPreference(t *testing.T) {
	table, err := pricing.Load(strings.NewReader(`{
		"claude-x-20250101":  {"litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 1},
		"vertex_ai/claude-x": {"litellm_provider": "vertex_ai-anthropic_models", "mode": "chat", "input_cost_per_token": 2, "output_cost_per_token": 2},
		"claude-y-20250101":  {"litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 3, "output_cost_per_token": 3},
		"claude-y":           {"litellm_provider": "vertex_ai-anthropic_models", "mode": "chat", "input_cost_per_token": 4, "output_cost_per_token": 4}
	}`), "test", "")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		provider, model, want string
	}{
		// The two @version forms are equally exact: the Vertex entry wins.
		{"gcp.vertex_ai", "claude-x@20250101", "vertex_ai/claude-x"},
		{"gcp.vertex_ai", "claude-y@20250101", "claude-y"},
		// With no preference, the first form found wins.
		{"", "claude-x@20250101", "claude-x-20250101"},
		{"anthropic", "claude-y@20250101", "claude-y-20250101"},
		// A more exact form of another provider beats a less exact one of
		// the call's provider.
		{"gcp.vertex_ai", "claude-y-20250101", "claude-y-20250101"},
	}
	for _, tt := range tests {
		if m, ok := table.Lookup(tt.provider, tt.model); !ok || m.Key != tt.want {
			t.Errorf("Lookup(%q, %q) = %q, %v; want %q", tt.provider, tt.model, m.Key, ok, tt.want)
		}
	}
	// When the provider has no entry at all, another provider's is used.
	if m := lookup(t, "gcp.vertex_ai", "gpt-4o-mini"); m.Key != "gpt-4o-mini" {
		t.Errorf("Key = %q", m.Key)
	}
}

// A later model that finds the provider's own entry beats an earlier one
// that finds only another provider's: Claude on Bedrock names its response
// model as Anthropic does, its request model as Bedrock does.
func TestLookupPrefersTheProvidersEntryAcrossModels(t *testing.T) {
	m := lookup(t, "aws.bedrock", "claude-sonnet-4-5-20250929", "au.anthropic.claude-sonnet-4-5-20250929-v1:0")
	if m.Key != "au.anthropic.claude-sonnet-4-5-20250929-v1:0" {
		t.Errorf("Key = %q, want Bedrock's entry", m.Key)
	}
	// Where no model finds the provider's own, the first found stands.
	m = lookup(t, "aws.bedrock", "claude-sonnet-4-5-20250929", "no-such-model")
	if m.Key != "claude-sonnet-4-5-20250929" {
		t.Errorf("Key = %q, want Anthropic's entry", m.Key)
	}
	// And the first model wins where both find the provider's own.
	m = lookup(t, "openai", "gpt-4o-2024-08-06", "gpt-4o")
	if m.Key != "gpt-4o-2024-08-06" {
		t.Errorf("Key = %q", m.Key)
	}
}

// A price given in code for the model asked for wins over the table's price
// of the dated snapshot the response names.
func TestGivenPriceWinsOverTheSnapshot(t *testing.T) {
	table := pricing.Default().WithPrice("gpt-4o-mini", pricing.Price{Input: 1e-3, Output: 2e-3})
	m, ok := table.Lookup("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini")
	if !ok {
		t.Fatal("not found")
	}
	require.Equal(t, "gpt-4o-mini", m.Key)
	require.Equal(t, 1e-3, m.Price.Input)
	// Without it, the snapshot's own entry.
	m, ok = pricing.Default().Lookup("openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini")
	if !ok {
		t.Fatal("not found")
	}
	require.Equal(t, "gpt-4o-mini-2024-07-18", m.Key)
}
