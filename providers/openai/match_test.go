package openai

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
)

func TestMatch(t *testing.T) {
	cases := []struct {
		url       string
		provider  string
		operation string
		model     string // the URL-derived model (Azure deployment)
	}{
		{"https://api.openai.com/v1/chat/completions", "openai", "chat", ""},
		{"https://api.openai.com/v1/responses", "openai", "chat", ""},
		{"https://api.openai.com/v1/embeddings", "openai", "embeddings", ""},
		{"https://api.openai.com/v1/completions", "openai", "text_completion", ""},
		{"https://eu.api.openai.com/v1/chat/completions", "openai", "chat", ""},
		{"https://myres.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21", "azure.ai.openai", "chat", "gpt-4o-prod"},
		{"https://myres.cognitiveservices.azure.com/openai/deployments/emb/embeddings?api-version=2024-10-21", "azure.ai.openai", "embeddings", "emb"},
		{"https://myres.openai.azure.com/openai/deployments/instruct/completions?api-version=2024-10-21", "azure.ai.openai", "text_completion", "instruct"},
		{"https://myres.openai.azure.com/openai/v1/chat/completions", "azure.ai.openai", "chat", ""},
		{"https://myres.openai.azure.com/openai/v1/responses", "azure.ai.openai", "chat", ""},
		{"https://myres.openai.azure.com/openai/v1/embeddings", "azure.ai.openai", "embeddings", ""},
		{"https://myproj.services.ai.azure.com/openai/v1/chat/completions", "azure.ai.openai", "chat", ""},
		{"https://MyRes.OpenAI.Azure.COM/openai/v1/chat/completions", "azure.ai.openai", "chat", ""},
		{"https://apim.example.com/llm/openai/deployments/gpt4/chat/completions", "azure.ai.openai", "chat", "gpt4"},
		{"https://api.groq.com/openai/v1/chat/completions", "groq", "chat", ""},
		{"https://api.groq.com/openai/v1/responses", "groq", "chat", ""},
		{"https://api.deepseek.com/chat/completions", "deepseek", "chat", ""},
		{"https://api.deepseek.com/v1/chat/completions", "deepseek", "chat", ""},
		{"https://api.deepseek.com/responses", "deepseek", "chat", ""},
		{"https://myres.openai.azure.com/openai/responses?api-version=2025-03-01-preview", "azure.ai.openai", "chat", ""},
		{"https://myres.openai.azure.com/openai/v1/completions", "azure.ai.openai", "text_completion", ""},
		{"https://ollama.com/v1/chat/completions", "ollama", "chat", ""},
		{"https://api.mistral.ai/v1/chat/completions", "mistral_ai", "chat", ""},
		{"https://api.mistral.ai/v1/embeddings", "mistral_ai", "embeddings", ""},
		{"https://api.x.ai/v1/chat/completions", "x_ai", "chat", ""},
		{"https://api.x.ai/v1/responses", "x_ai", "chat", ""},
		{"https://api.perplexity.ai/chat/completions", "perplexity", "chat", ""},
		{"https://openrouter.ai/api/v1/chat/completions", "openrouter", "chat", ""},
		{"https://openrouter.ai/api/v1/responses", "openrouter", "chat", ""},
		{"https://api.together.xyz/v1/chat/completions", "together_ai", "chat", ""},
		{"https://api.together.ai/v1/completions", "together_ai", "text_completion", ""},
		{"https://api.fireworks.ai/inference/v1/chat/completions", "fireworks_ai", "chat", ""},
		{"https://generativelanguage.googleapis.com/v1beta/openai/chat/completions", "gcp.gemini", "chat", ""},
		{"https://generativelanguage.googleapis.com/v1beta/openai/embeddings", "gcp.gemini", "embeddings", ""},
		{"http://localhost:11434/v1/chat/completions", "ollama", "chat", ""},
		{"http://gpu-box:11434/v1/embeddings", "ollama", "embeddings", ""},
		{"http://localhost:8000/v1/chat/completions", "openai", "chat", ""},
		{"http://[::1]:8000/v1/completions", "openai", "text_completion", ""},
		{"http://[::1]:11434/v1/chat/completions", "ollama", "chat", ""},
		{"https://llm.internal.example/chat/completions", "openai", "chat", ""},
		{"https://api.openai.com.evil.example/v1/chat/completions", "openai", "chat", ""},
		{"https://notopenrouter.ai/api/v1/chat/completions", "openai", "chat", ""},
	}
	p := New()
	assert.Equal(t, "openai", p.Name())
	for _, c := range cases {
		req := httptest.NewRequest(http.MethodPost, c.url, nil)
		call := p.Match(req)
		require.NotNil(t, call, c.url)
		r := call.Request(nil)
		assert.Equal(t, providers.Request{Provider: c.provider, Operation: c.operation, Model: c.model, StreamUnknown: true}, r, c.url)
	}
}

func TestMatchRejects(t *testing.T) {
	p := New()
	for _, c := range []struct{ method, url string }{
		{http.MethodGet, "https://api.openai.com/v1/chat/completions"},
		{http.MethodGet, "https://api.openai.com/v1/responses/resp_123"},
		{http.MethodPost, "https://api.openai.com/v1/responses/resp_123/cancel"},
		{http.MethodPost, "https://api.openai.com/v1/responses/input_tokens"},
		{http.MethodDelete, "https://api.openai.com/v1/responses/resp_123"},
		{http.MethodPost, "https://api.openai.com/v1/chat/completions/chatcmpl-123"},
		{http.MethodGet, "https://api.openai.com/v1/chat/completions/chatcmpl-123/messages"},
		{http.MethodPost, "https://api.openai.com/v1/chat/completionsX"},
		{http.MethodPost, "https://api.openai.com/v1/embeddings/x"},
		{http.MethodPost, "https://api.openai.com/v1/models"},
		{http.MethodPost, "https://api.openai.com/v1/files"},
		{http.MethodPost, "https://api.openai.com/v1/audio/transcriptions"},
		{http.MethodPost, "https://api.openai.com/v1/images/generations"},
		{http.MethodPost, "https://api.anthropic.com/v1/messages"},
		{http.MethodPost, "http://localhost:11434/api/chat"},
		{http.MethodPost, "http://localhost:11434/api/embed"},
		{http.MethodPost, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent"},
		{http.MethodPost, "https://bedrock-runtime.us-east-1.amazonaws.com/model/x/converse"},
		{http.MethodPost, "https://myres.openai.azure.com/openai/deployments/gpt4/images/generations"},
		{http.MethodPost, "https://myres.openai.azure.com/openai/deployments//chat/completions"},
		{http.MethodPost, "https://myres.openai.azure.com/openai/deployments/gpt4/chat/completions/extra"},
		{http.MethodPost, "https://api.cohere.com/v2/chat"},
		{http.MethodPost, "https://example.com/"},
	} {
		req := httptest.NewRequest(c.method, c.url, nil)
		assert.Nil(t, p.Match(req), "%s %s", c.method, c.url)
	}
	assert.Nil(t, p.Match(nil))
}

func TestMatchIsCheapOnMisses(t *testing.T) {
	p := New()
	miss := httptest.NewRequest(http.MethodPost, "https://api.anthropic.com/v1/messages", nil)
	assert.Zero(t, testing.AllocsPerRun(100, func() { p.Match(miss) }))
}
