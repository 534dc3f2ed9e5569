package litellm

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

const upstreamSample = `{
	"last_updated": "2026-07-24T18:23:43.215560+00:00",
	"sample_spec": {"litellm_provider": "one of https://docs.litellm.ai/docs/providers", "mode": "one of: chat, embedding", "input_cost_per_token": 0.0, "output_cost_per_token": 0.0},
	"zeta-chat": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06, "output_cost_per_token": 0.00001,
		"cache_read_input_token_cost": 1.25e-06, "input_cost_per_token_batches": 1.25e-06, "max_tokens": 16384, "supports_vision": true},
	"alpha-long": {"litellm_provider": "vertex_ai-language-models", "mode": "chat", "input_cost_per_token": 1.25e-06, "output_cost_per_token": 1e-05,
		"input_cost_per_token_above_200k_tokens": 2.5e-06, "output_cost_per_token_above_200k_tokens": 1.5e-05,
		"cache_creation_input_token_cost_above_1hr": 6e-06, "cache_creation_input_token_cost_above_1hr_above_200k_tokens": 1.2e-05,
		"output_cost_per_token_priority": 2e-05},
	"fireworks-ai-up-to-4b": {"litellm_provider": "fireworks_ai", "input_cost_per_token": 2e-07, "output_cost_per_token": 2e-07},
	"fireworks_ai/llama": {"litellm_provider": "fireworks_ai", "mode": "chat", "input_cost_per_token": 2e-07, "output_cost_per_token": 2e-07},
	"mistral/mistral-embed": {"litellm_provider": "mistral", "mode": "embedding", "input_cost_per_token": 1e-07},
	"twelvelabs.pegasus": {"litellm_provider": "bedrock", "mode": "chat", "input_cost_per_video_per_second": 0.00049, "output_cost_per_token": 7.5e-06},
	"dall-e-3": {"litellm_provider": "openai", "mode": "image_generation", "input_cost_per_pixel": 4e-08}
}`

func TestGenerate(t *testing.T) {
	got, err := Generate([]byte(upstreamSample))
	if err != nil {
		t.Fatal(err)
	}
	want := `{
"alpha-long":{"cache_creation_input_token_cost_above_1hr":0.000006,"cache_creation_input_token_cost_above_1hr_above_200k_tokens":0.000012,"input_cost_per_token":0.00000125,"input_cost_per_token_above_200k_tokens":0.0000025,"litellm_provider":"vertex_ai-language-models","mode":"chat","output_cost_per_token":0.00001,"output_cost_per_token_above_200k_tokens":0.000015,"output_cost_per_token_priority":0.00002},
"mistral/mistral-embed":{"input_cost_per_token":1e-7,"litellm_provider":"mistral","mode":"embedding"},
"zeta-chat":{"cache_read_input_token_cost":0.00000125,"input_cost_per_token":0.0000025,"litellm_provider":"openai","mode":"chat","output_cost_per_token":0.00001}
}
`
	if string(got) != want {
		t.Errorf("Generate =\n%s\nwant\n%s", got, want)
	}
	again, _ := Generate([]byte(upstreamSample))
	if !bytes.Equal(got, again) {
		t.Error("Generate is not deterministic")
	}
	// The output is itself a LiteLLM file that decodes to the same entries.
	doc, err := Decode(got)
	if err != nil {
		t.Fatal(err)
	}
	keys := []string{}
	for _, e := range doc.Entries {
		keys = append(keys, e.Key)
	}
	if !slices.Equal(keys, []string{"alpha-long", "mistral/mistral-embed", "zeta-chat"}) {
		t.Errorf("round trip keys = %v", keys)
	}
	if !json.Valid(got) {
		t.Error("output is not valid JSON")
	}
}

func TestGenerateKeepsNothing(t *testing.T) {
	_, err := Generate([]byte(`{"fireworks_ai/llama": {"litellm_provider": "fireworks_ai", "mode": "chat", "input_cost_per_token": 1, "output_cost_per_token": 1}}`))
	if err == nil || !strings.Contains(err.Error(), "no entries of recognised providers") {
		t.Errorf("err = %v", err)
	}
}

func TestDecode(t *testing.T) {
	doc, err := Decode([]byte(upstreamSample))
	if err != nil {
		t.Fatal(err)
	}
	if doc.LastUpdated != "2026-07-24T18:23:43.215560+00:00" {
		t.Errorf("LastUpdated = %q", doc.LastUpdated)
	}
	// Decode keeps other providers and entries without a mode (user files
	// may need them); only the generator narrows to recognised providers.
	var keys []string
	for _, e := range doc.Entries {
		keys = append(keys, e.Key)
	}
	want := []string{"alpha-long", "fireworks-ai-up-to-4b", "fireworks_ai/llama", "mistral/mistral-embed", "zeta-chat"}
	if !slices.Equal(keys, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
}

func TestRecognisedProvider(t *testing.T) {
	for _, p := range []string{"openai", "azure", "bedrock_converse", "vertex_ai", "vertex_ai-anthropic_models", "vertex_ai-mistral_models", "cohere_chat", "ollama"} {
		if !RecognisedProvider(p) {
			t.Errorf("%s is not recognised", p)
		}
	}
	for _, p := range []string{"", "fireworks_ai", "azure_ai", "vertex_aix", "sagemaker"} {
		if RecognisedProvider(p) {
			t.Errorf("%s is recognised", p)
		}
	}
}
