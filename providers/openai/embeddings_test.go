package openai

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

const openAIEmbeddingsURL = "https://api.openai.com/v1/embeddings"

func TestEmbeddingsFixtures(t *testing.T) {
	req := `{"model":"text-embedding-ada-002","input":"The food was delicious and the waiter...","encoding_format":"float"}`
	wantReq := providers.Request{Provider: "openai", Operation: "embeddings", Model: "text-embedding-ada-002",
		EncodingFormats: []string{"float"}}
	replayCase{
		name: "embeddings", path: "synthetic/embeddings_nonstream_valid.json", url: openAIEmbeddingsURL, reqBody: req,
		contentType: ctJSON, wantReq: wantReq,
		wantResp: providers.Response{Model: "text-embedding-ada-002", Complete: true,
			Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 8, providers.TotalTokens, 8)},
	}.run(t)

	// The spec example elides its vector ("....") and keeps a trailing
	// comma: not JSON, reported as such, nothing guessed.
	e := fixture(t, "openai/embeddings_nonstream.json", openAIEmbeddingsURL, req, ctJSON)
	r, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, wantReq, r)
	assert.Equal(t, providers.Response{ObserveError: "response JSON is malformed or truncated"}, resp)
	testkit.Truncations(t, New(), e, nil)
}

func TestEmbeddingsAzureDeployment(t *testing.T) {
	e := testkit.Exchange{
		URL:            "https://myres.openai.azure.com/openai/deployments/emb-large/embeddings?api-version=2024-10-21",
		Body:           []byte(`{"input":["a"],"dimensions":1024}`),
		ResponseHeader: map[string][]string{"Content-Type": {ctJSON}},
		ResponseBody:   []byte(`{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1]}],"model":"text-embedding-3-large","usage":{"prompt_tokens":1,"total_tokens":1}}`),
	}
	req, resp := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Request{Provider: "azure.ai.openai", Operation: "embeddings", Model: "emb-large", Dimensions: ptrI(1024)}, req)
	assert.Equal(t, providers.Response{Model: "text-embedding-3-large", Complete: true,
		Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 1, providers.TotalTokens, 1)}, resp)
}

func TestLegacyCompletionsFixtures(t *testing.T) {
	streamFile := testkit.Read(t, "testdata/openai/completions_legacy_stream_include_usage_recorded.sse")
	cases := []replayCase{
		{
			name: "spec nonstream", path: "openai/completions_legacy_nonstream.json", url: "https://api.openai.com/v1/completions",
			reqBody: `{"model":"VAR_completion_model_id","prompt":"Say this is a test","max_tokens":7,"temperature":0}`, contentType: ctJSON,
			wantReq: providers.Request{Provider: "openai", Operation: "text_completion", Model: "VAR_completion_model_id",
				MaxTokens: ptrI(7), Temperature: ptrF(0)},
			wantResp: providers.Response{ID: "cmpl-uqkvlQyYK7bGYrRHQ0eXlWi7", Model: "VAR_completion_model_id",
				FinishReasons: []string{"length"}, SystemFingerprint: "fp_44709d6fcb", Complete: true,
				Usage: testkit.Usage(providers.SourceResponseBody, providers.InputTokens, 5, providers.OutputTokens, 7, providers.TotalTokens, 12)},
		},
		{
			name: "recorded stream include_usage", path: "openai/completions_legacy_stream_include_usage_recorded.sse", contentType: ctSSE,
			wantReq: providers.Request{Provider: "openai", Operation: "text_completion", Model: "babbage-002", Stream: true,
				MaxTokens: ptrI(25), Temperature: ptrF(0.4), TopP: ptrF(0.9)},
			wantResp: providers.Response{ID: "cmpl-CKzHhit4D82m3cp2zRTC2fpTNlJCX", Model: "babbage:2023-07-21-v2",
				FinishReasons: []string{"length"}, Streamed: true, Complete: true,
				Usage: testkit.Usage(providers.SourceStream, providers.InputTokens, 31, providers.OutputTokens, 25, providers.TotalTokens, 56)},
			chunks: lines(streamFile, "data: {"),
			final:  terminalEnd(streamFile, "[DONE]"),
		},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

func TestLegacyCompletionsStreamChunkFixture(t *testing.T) {
	// The spec's stream chunk misses a comma and has a trailing one: as a
	// body it is malformed JSON.
	chunk := testkit.Read(t, "testdata/openai/completions_legacy_stream_chunk.json")
	e := testkit.Exchange{URL: "https://api.openai.com/v1/completions", Body: []byte(`{"model":"gpt-3.5-turbo-instruct"}`),
		ResponseHeader: map[string][]string{"Content-Type": {ctJSON}}, ResponseBody: chunk}
	_, r := testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{ObserveError: "response JSON is malformed or truncated"}, r)

	// As an SSE event it is skipped and counted; repaired, it reads like
	// any chunk of a stream without include_usage.
	e.Body = []byte(`{"model":"gpt-3.5-turbo-instruct","stream":true}`)
	e.ResponseHeader.Set("Content-Type", ctSSE)
	repaired := bytes.Replace(bytes.Replace(chunk, []byte(`"gpt-3.5-turbo-instruct"`), []byte(`"gpt-3.5-turbo-instruct",`), 1),
		[]byte(`"fp_44709d6fcb",`), []byte(`"fp_44709d6fcb"`), 1)
	require.True(t, json.Valid(repaired))
	var compact bytes.Buffer
	require.NoError(t, json.Compact(&compact, repaired))
	oneLine := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), nil) }
	e.ResponseBody = []byte("data: " + string(oneLine(chunk)) + "\n\ndata: " + compact.String() + "\n\ndata: [DONE]\n\n")
	_, r = testkit.Replay(t, New(), e)
	assert.Equal(t, providers.Response{ID: "cmpl-7iA7iJjj8V2zOkCGvWF2hAkDWBQZe", Model: "gpt-3.5-turbo-instruct",
		SystemFingerprint: "fp_44709d6fcb", Streamed: true, Complete: true, UsageNotRequested: true, ObserveError: "1 stream event(s) not valid JSON"}, r)
	testkit.Truncations(t, New(), e, nil)
}
