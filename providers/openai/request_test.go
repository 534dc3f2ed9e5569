package openai

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

func TestRequestParsing(t *testing.T) {
	cases := []struct {
		name string
		url  string
		body string
		want providers.Request
	}{
		{"chat all params", openAIChatURL,
			`{"model":"gpt-4o","messages":[{"role":"user","content":"secret text"}],"max_completion_tokens":300,"max_tokens":100,` +
				`"temperature":0.2,"top_p":0.5,"frequency_penalty":0.1,"presence_penalty":-0.1,"stop":"\n","seed":42,"n":3,` +
				`"service_tier":"flex","stream":true,"stream_options":{"include_usage":true}}`,
			providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-4o", Stream: true, MaxTokens: ptrI(300),
				Temperature: ptrF(0.2), TopP: ptrF(0.5), FrequencyPenalty: ptrF(0.1), PresencePenalty: ptrF(-0.1),
				StopSequences: []string{"\n"}, Seed: ptrI(42), ChoiceCount: ptrI(3), ServiceTier: "flex"}},
		{"perplexity search context", "https://api.perplexity.ai/chat/completions",
			`{"model":"sonar-pro","messages":[],"web_search_options":{"search_context_size":"high","user_location":{"country":"US"}}}`,
			providers.Request{Provider: "perplexity", Operation: "chat", Model: "sonar-pro", SearchContextSize: "high"}},
		{"max_tokens alone", openAIChatURL, `{"model":"m","max_tokens":100}`,
			providers.Request{Provider: "openai", Operation: "chat", Model: "m", MaxTokens: ptrI(100)}},
		{"nulls and wrong types ignored", openAIChatURL,
			`{"model":null,"stream":"yes","temperature":"hot","stop":null,"seed":null,"n":"two","max_tokens":{}}`,
			providers.Request{Provider: "openai", Operation: "chat"}},
		{"stop array skips non-strings", openAIChatURL, `{"model":"m","stop":["a",1,null,"b\u00e9"]}`,
			providers.Request{Provider: "openai", Operation: "chat", Model: "m", StopSequences: []string{"a", "bé"}}},
		{"stream false", openAIChatURL, `{"model":"m","stream":false}`,
			providers.Request{Provider: "openai", Operation: "chat", Model: "m"}},
		{"responses", "https://api.openai.com/v1/responses",
			`{"model":"gpt-5","input":"hi","max_output_tokens":512,"temperature":1,"top_p":1,"reasoning":{"effort":"low"},"service_tier":"priority","stream":true}`,
			providers.Request{Provider: "openai", Operation: "chat", Model: "gpt-5", Stream: true, MaxTokens: ptrI(512),
				Temperature: ptrF(1), TopP: ptrF(1), ServiceTier: "priority"}},
		{"embeddings", "https://api.openai.com/v1/embeddings",
			`{"model":"text-embedding-3-small","input":["a","b"],"dimensions":256,"encoding_format":"base64","stream":true}`,
			providers.Request{Provider: "openai", Operation: "embeddings", Model: "text-embedding-3-small",
				Dimensions: ptrI(256), EncodingFormats: []string{"base64"}}},
		{"legacy completions", "https://api.openai.com/v1/completions",
			`{"model":"gpt-3.5-turbo-instruct","prompt":"x","max_tokens":7,"stop":["\n"],"n":2,"stream":true}`,
			providers.Request{Provider: "openai", Operation: "text_completion", Model: "gpt-3.5-turbo-instruct", Stream: true,
				MaxTokens: ptrI(7), StopSequences: []string{"\n"}, ChoiceCount: ptrI(2)}},
		{"azure body model wins over deployment", "https://r.openai.azure.com/openai/deployments/dep/chat/completions?api-version=x",
			`{"model":"gpt-4o"}`, providers.Request{Provider: "azure.ai.openai", Operation: "chat", Model: "gpt-4o"}},
		{"azure deployment when body has no model", "https://r.openai.azure.com/openai/deployments/dep/chat/completions?api-version=x",
			`{"messages":[]}`, providers.Request{Provider: "azure.ai.openai", Operation: "chat", Model: "dep"}},
		{"malformed body: URL facts only", "https://r.openai.azure.com/openai/deployments/dep/chat/completions",
			`{"model":"gpt-4o","stream":true`, providers.Request{Provider: "azure.ai.openai", Operation: "chat", Model: "dep", StreamUnknown: true}},
		{"not an object", openAIChatURL, `["model"]`, providers.Request{Provider: "openai", Operation: "chat", StreamUnknown: true}},
		{"empty body", openAIChatURL, ``, providers.Request{Provider: "openai", Operation: "chat", StreamUnknown: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := testkit.Exchange{URL: c.url}
			call := testkit.Match(t, New(), e)
			assert.Equal(t, c.want, call.Request([]byte(c.body)))
		})
	}
}

func TestRequestNilBody(t *testing.T) {
	call := testkit.Match(t, New(), testkit.Exchange{URL: "https://api.groq.com/openai/v1/chat/completions"})
	assert.Equal(t, providers.Request{Provider: "groq", Operation: "chat", StreamUnknown: true}, call.Request(nil))
}

func TestRequestSecretsNotCopied(t *testing.T) {
	e := testkit.Exchange{URL: "https://r.openai.azure.com/openai/deployments/dep/chat/completions?api-version=1&api-key=sk-SECRET",
		Header: map[string][]string{"Api-Key": {"sk-SECRET"}, "Authorization": {"Bearer sk-SECRET"}}}
	call := testkit.Match(t, New(), e)
	r := call.Request([]byte(`{"messages":[{"role":"user","content":"sk-SECRET"}]}`))
	assert.NotContains(t, fmtAll(r), "SECRET")
}
