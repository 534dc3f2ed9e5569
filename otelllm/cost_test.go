package otelllm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/semconv"
)

// These scenarios run the real providers through the real transport against
// httptest servers replaying provider payloads, and check cost against the
// price table's own numbers, computed here field by field.

type replay struct {
	contentType string
	headers     map[string]string
	body        string
}

func replayServer(t *testing.T, routes map[string]replay) string {
	srv := server(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		rp, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", rp.contentType)
		for k, v := range rp.headers {
			w.Header().Set(k, v)
		}
		_, _ = io.WriteString(w, rp.body)
	})
	return srv.URL
}

func tableEntry(t *testing.T, provider, model, wantKey string) pricing.Price {
	t.Helper()
	m, ok := pricing.Default().Lookup(provider, model)
	require.True(t, ok, "%s is in the table", model)
	require.Equal(t, wantKey, m.Key)
	return m.Price
}

func realOptions(rec *telemetryRecorder) []Option {
	return []Option{WithTracerProvider(rec.tp), WithMeterProvider(rec.mp), WithPriceTable(pricing.Default())}
}

func fixture(t *testing.T, name string) string {
	b, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(b)
}

func TestCostOpenAICachedInput(t *testing.T) {
	rec := newRecorder(t)
	url := replayServer(t, map[string]replay{"/v1/chat/completions": {contentType: "application/json", body: `{
  "id": "chatcmpl-cached", "object": "chat.completion", "created": 1755137921, "model": "gpt-4o-mini-2024-07-18",
  "choices": [{"index": 0, "message": {"role": "assistant", "content": "Yes."}, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 2000, "completion_tokens": 100, "total_tokens": 2100,
    "prompt_tokens_details": {"cached_tokens": 1536, "audio_tokens": 0},
    "completion_tokens_details": {"reasoning_tokens": 0}},
  "service_tier": "default", "system_fingerprint": "fp_1"}`}})
	client := WrapClient(nil, realOptions(rec)...)
	ctx, tr := Track(context.Background())
	call(t, ctx, client, url+"/v1/chat/completions", `{"model":"gpt-4o-mini","messages":[]}`)

	p := tableEntry(t, "openai", "gpt-4o-mini-2024-07-18", "gpt-4o-mini-2024-07-18")
	require.NotNil(t, p.CacheRead)
	want := float64(2000-1536)*p.Input + 1536**p.CacheRead + 100*p.Output
	a := attrsOf(rec.onlySpan(t))
	assert.EqualValues(t, 2000, a[semconv.GenAIUsageInputTokensKey].AsInt64(), "input includes cached tokens")
	assert.EqualValues(t, 1536, a[semconv.GenAIUsageCacheReadInputTokensKey].AsInt64())
	assert.InDelta(t, want, a[semconv.UsageCostKey].AsFloat64(), 1e-12)
	assert.Less(t, want, float64(2000)*p.Input+100*p.Output, "cached input is cheaper")
	assert.Equal(t, pricing.Version, a[semconv.PricingVersionKey].AsString())
	u := tr.Usage()
	assert.InDelta(t, want, u.CostUSD, 1e-12)
	assert.EqualValues(t, 1536, u.CacheReadInputTokens)
	assert.Contains(t, tr.String(), "Prompt Tokens Cached: 1536")
}

// The service tier the response names picks the prices: a flex call costs
// half, a priority call more; "default" gets the standard prices.
func TestCostOpenAIServiceTier(t *testing.T) {
	body := func(tier string) string {
		return `{"id":"chatcmpl-tier","object":"chat.completion","created":1755137921,"model":"gpt-5-mini-2025-08-07",
  "choices":[{"index":0,"message":{"role":"assistant","content":"Yes."},"finish_reason":"stop"}],
  "usage":{"prompt_tokens":3000,"completion_tokens":500,"total_tokens":3500,"prompt_tokens_details":{"cached_tokens":1024},
    "completion_tokens_details":{"reasoning_tokens":320}},"service_tier":"` + tier + `"}`
	}
	m, ok := pricing.Default().Lookup("openai", "gpt-5-mini-2025-08-07")
	require.True(t, ok)
	for _, tc := range []struct {
		tier, request string
		price         *pricing.Price
	}{
		{tier: "flex", request: `"service_tier":"flex",`, price: m.Price.Flex},
		{tier: "priority", request: `"service_tier":"priority",`, price: m.Price.Priority},
		{tier: "default", price: &m.Price},
	} {
		t.Run(tc.tier, func(t *testing.T) {
			require.NotNil(t, tc.price, "%s has %s prices", m.Key, tc.tier)
			rec := newRecorder(t)
			url := replayServer(t, map[string]replay{"/v1/chat/completions": {contentType: "application/json", body: body(tc.tier)}})
			ctx, tr := Track(context.Background())
			call(t, ctx, WrapClient(nil, realOptions(rec)...), url+"/v1/chat/completions", `{"model":"gpt-5-mini",`+tc.request+`"messages":[]}`)

			p := tc.price
			want := float64(3000-1024)*p.Input + 1024**p.CacheRead + 500*p.Output
			a := attrsOf(rec.onlySpan(t))
			assert.InDelta(t, want, a[semconv.UsageCostKey].AsFloat64(), 1e-12)
			assert.InDelta(t, want, tr.Usage().CostUSD, 1e-12)
			if tc.tier == "default" {
				assert.NotContains(t, a, semconv.PricingServiceTierKey)
			} else {
				assert.Equal(t, tc.tier, a[semconv.PricingServiceTierKey].AsString())
				standard := float64(3000-1024)*m.Price.Input + 1024**m.Price.CacheRead + 500*m.Price.Output
				assert.NotEqual(t, standard, want, "the tier has prices of its own")
			}
		})
	}
}

// Perplexity's deep research reports its reasoning and citation tokens
// beside the completion: reasoning at its own price, citations at the
// input price, and each search at the search price (the numbers of a real
// call, whose searches are more than half its cost).
func TestCostPerplexityDeepResearch(t *testing.T) {
	rec := newRecorder(t)
	body := `{"id":"pplx-1","model":"sonar-deep-research","object":"chat.completion","created":1747000000,
  "choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"..."}}],
  "usage":{"prompt_tokens":108,"completion_tokens":3256,"total_tokens":3364,"citation_tokens":7299,"num_search_queries":74,"reasoning_tokens":73248}}`
	client := &http.Client{Transport: NewTransport(replayTransport{c: wireCase{contentType: "application/json"}, body: []byte(body)}, realOptions(rec)...)}
	ctx, tr := Track(context.Background())
	call(t, ctx, client, "https://api.perplexity.ai/chat/completions", `{"model":"sonar-deep-research","messages":[]}`)

	p := tableEntry(t, "perplexity", "sonar-deep-research", "perplexity/sonar-deep-research")
	require.NotNil(t, p.Reasoning)
	require.NotNil(t, p.WebSearch)
	want := float64(108+7299)*p.Input + 3256*p.Output + 73248**p.Reasoning + 74*p.WebSearch.Low
	a := attrsOf(rec.onlySpan(t))
	assert.Equal(t, "perplexity", a[semconv.GenAIProviderNameKey].AsString())
	assert.EqualValues(t, 108+7299, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.EqualValues(t, 3256+73248, a[semconv.GenAIUsageOutputTokensKey].AsInt64())
	assert.EqualValues(t, 73248, a[semconv.GenAIUsageReasoningOutputTokensKey].AsInt64())
	assert.EqualValues(t, 74, a[semconv.UsageWebSearchRequestsKey].AsInt64())
	assert.InDelta(t, want, a[semconv.UsageCostKey].AsFloat64(), 1e-12)
	assert.InDelta(t, want, tr.Usage().CostUSD, 1e-12)
	assert.EqualValues(t, 74, tr.Usage().WebSearchRequests)
	assert.Contains(t, tr.String(), "Web Searches: 74")
}

// Anthropic's web search tool is billed per search, beside the tokens;
// Perplexity's search price depends on the context size the request asked.
func TestCostWebSearches(t *testing.T) {
	rec := newRecorder(t)
	body := `{"id":"msg_ws","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn",` +
		`"usage":{"input_tokens":2000,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":300,"server_tool_use":{"web_search_requests":3}}}`
	url := replayServer(t, map[string]replay{"/v1/messages": {contentType: "application/json", body: body}})
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/messages", strings.NewReader(`{"model":"claude-sonnet-4-5","max_tokens":1024}`))
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := WrapClient(nil, realOptions(rec)...).Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	p := tableEntry(t, "anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929")
	require.NotNil(t, p.WebSearch)
	a := attrsOf(rec.onlySpan(t))
	assert.EqualValues(t, 3, a[semconv.UsageWebSearchRequestsKey].AsInt64())
	assert.InDelta(t, 2000*p.Input+300*p.Output+3*p.WebSearch.Low, a[semconv.UsageCostKey].AsFloat64(), 1e-12)

	for _, size := range []string{"low", "high"} {
		rec := newRecorder(t)
		body := `{"id":"pplx-2","model":"sonar-pro","object":"chat.completion","created":1,"choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"."}}],` +
			`"usage":{"prompt_tokens":20,"completion_tokens":100,"total_tokens":120,"num_search_queries":2}}`
		client := &http.Client{Transport: NewTransport(replayTransport{c: wireCase{contentType: "application/json"}, body: []byte(body)}, realOptions(rec)...)}
		call(t, context.Background(), client, "https://api.perplexity.ai/chat/completions",
			`{"model":"sonar-pro","messages":[],"web_search_options":{"search_context_size":"`+size+`"}}`)
		p := tableEntry(t, "perplexity", "sonar-pro", "perplexity/sonar-pro")
		require.NotNil(t, p.WebSearch)
		require.NotEqual(t, p.WebSearch.Low, p.WebSearch.High, "sonar-pro prices searches by size")
		want := 20*p.Input + 100*p.Output + 2*p.WebSearch.ForSize(size)
		assert.InDelta(t, want, attrsOf(rec.onlySpan(t))[semconv.UsageCostKey].AsFloat64(), 1e-12, size)
	}
}

func TestCostOpenAIReasoningModel(t *testing.T) {
	rec := newRecorder(t)
	url := replayServer(t, map[string]replay{"/v1/chat/completions": {contentType: "application/json", body: fixture(t, "chat_nonstream_reasoning_recorded.json")}})
	client := WrapClient(nil, realOptions(rec)...)
	ctx, tr := Track(context.Background())
	call(t, ctx, client, url+"/v1/chat/completions", `{"model":"gpt-5-nano","messages":[]}`)

	p := tableEntry(t, "openai", "gpt-5-nano-2025-08-07", "gpt-5-nano-2025-08-07")
	// Reasoning tokens are part of completion_tokens and, for this model,
	// priced as output: 267 output tokens, not 267 + 192.
	want := 27*p.Input + 267*p.Output
	if p.Reasoning != nil {
		want = 27*p.Input + float64(267-192)*p.Output + 192**p.Reasoning
	}
	a := attrsOf(rec.onlySpan(t))
	assert.EqualValues(t, 267, a[semconv.GenAIUsageOutputTokensKey].AsInt64())
	assert.EqualValues(t, 192, a[semconv.GenAIUsageReasoningOutputTokensKey].AsInt64())
	assert.InDelta(t, want, a[semconv.UsageCostKey].AsFloat64(), 1e-12)
	u := tr.Usage()
	assert.EqualValues(t, 192, u.ReasoningTokens)
	assert.EqualValues(t, 27+267, u.TotalTokens)
	assert.InDelta(t, want, u.CostUSD, 1e-12)
}

func TestCostOpenAIStreamWithAndWithoutUsage(t *testing.T) {
	rec := newRecorder(t)
	withUsage := fixture(t, "chat_stream_include_usage_recorded.sse")
	var noUsage strings.Builder
	for _, block := range strings.Split(withUsage, "\n\n") {
		if !strings.Contains(block, `"usage":{`) {
			noUsage.WriteString(block + "\n\n")
		}
	}
	url := replayServer(t, map[string]replay{
		"/with/v1/chat/completions":    {contentType: "text/event-stream", body: withUsage},
		"/without/v1/chat/completions": {contentType: "text/event-stream", body: strings.TrimRight(noUsage.String(), "\n") + "\n\n"},
	})
	client := WrapClient(nil, realOptions(rec)...)
	ctx, tr := Track(context.Background())
	call(t, ctx, client, url+"/with/v1/chat/completions", `{"model":"gpt-5-nano","stream":true,"stream_options":{"include_usage":true}}`)
	call(t, ctx, client, url+"/without/v1/chat/completions", `{"model":"gpt-5-nano","stream":true}`)

	spans := rec.ended()
	require.Len(t, spans, 2)
	p := tableEntry(t, "openai", "gpt-5-nano-2025-08-07", "gpt-5-nano-2025-08-07")
	with, without := attrsOf(spans[0]), attrsOf(spans[1])
	assert.EqualValues(t, 12, with[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.EqualValues(t, 100, with[semconv.GenAIUsageOutputTokensKey].AsInt64())
	assert.Equal(t, "stream", with[semconv.UsageSourceKey].AsString())
	assert.InDelta(t, 12*p.Input+100*p.Output, with[semconv.UsageCostKey].AsFloat64(), 1e-12)

	assert.Equal(t, "absent", without[semconv.UsageSourceKey].AsString(), "no usage is never 0 tokens")
	for _, k := range []string{string(semconv.GenAIUsageInputTokensKey), string(semconv.GenAIUsageOutputTokensKey), string(semconv.UsageCostKey), string(semconv.PricingUnpricedKey)} {
		_, has := without[attribute.Key(k)]
		assert.False(t, has, k)
	}
	u := tr.Usage()
	assert.EqualValues(t, 2, u.SuccessfulRequests)
	assert.EqualValues(t, 1, u.UnmeteredRequests)
	assert.EqualValues(t, 112, u.TotalTokens)
}

func TestCostUnknownModelIsUnpriced(t *testing.T) {
	rec := newRecorder(t)
	url := replayServer(t, map[string]replay{"/v1/chat/completions": {contentType: "application/json", body: `{"id":"x","object":"chat.completion","model":"my-finetune-7b","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15}}`}})
	client := WrapClient(nil, realOptions(rec)...)
	ctx, tr := Track(context.Background())
	call(t, ctx, client, url+"/v1/chat/completions", `{"model":"my-finetune-7b"}`)
	a := attrsOf(rec.onlySpan(t))
	assert.True(t, a[semconv.PricingUnpricedKey].AsBool())
	_, hasCost := a[semconv.UsageCostKey]
	assert.False(t, hasCost, "no cost, rather than a cost of 0")
	assert.EqualValues(t, 1, tr.Usage().UnpricedRequests)
	rm := rec.collect(t)
	_, n := sumFloat(t, rm, "otelllm.client.cost")
	assert.Zero(t, n, "the cost counter gets nothing for an unpriced call")

	// The same model priced at run time.
	rec = newRecorder(t)
	client = WrapClient(nil, append(realOptions(rec), WithModelPrice("my-finetune-7b", pricing.Price{Input: 1e-6, Output: 3e-6}))...)
	call(t, context.Background(), client, url+"/v1/chat/completions", `{"model":"my-finetune-7b"}`)
	assert.InDelta(t, 10e-6+15e-6, attrsOf(rec.onlySpan(t))[semconv.UsageCostKey].AsFloat64(), 1e-15)
}

func anthropicCacheStream(model string) string {
	return fmt.Sprintf(`event: message_start
data: {"type":"message_start","message":{"id":"msg_cache","type":"message","role":"assistant","model":%q,"content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":50,"cache_creation_input_tokens":1000,"cache_read_input_tokens":2000,"output_tokens":1}}}

event: content_block_start
data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

event: ping
data: {"type":"ping"}

event: content_block_delta
data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

event: content_block_stop
data: {"type":"content_block_stop","index":0}

event: message_delta
data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":80}}

event: message_stop
data: {"type":"message_stop"}

`, model)
}

func TestCostAnthropicCacheReadAndWrite(t *testing.T) {
	rec := newRecorder(t)
	url := replayServer(t, map[string]replay{"/v1/messages": {contentType: "text/event-stream", body: anthropicCacheStream("claude-sonnet-4-5-20250929")}})
	client := WrapClient(nil, realOptions(rec)...)
	ctx, tr := Track(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/messages", strings.NewReader(`{"model":"claude-sonnet-4-5","max_tokens":1024,"stream":true}`))
	req.Header.Set("x-api-key", "sk-ant-secret")
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := client.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()

	p := tableEntry(t, "anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929")
	require.NotNil(t, p.CacheRead)
	require.NotNil(t, p.CacheCreation)
	want := 50*p.Input + 1000**p.CacheCreation + 2000**p.CacheRead + 80*p.Output
	span := rec.onlySpan(t)
	a := attrsOf(span)
	assert.Equal(t, "anthropic", a[semconv.GenAIProviderNameKey].AsString())
	assert.EqualValues(t, 3050, a[semconv.GenAIUsageInputTokensKey].AsInt64(), "input = uncached + cache writes + cache reads")
	assert.EqualValues(t, 2000, a[semconv.GenAIUsageCacheReadInputTokensKey].AsInt64())
	assert.EqualValues(t, 1000, a[semconv.GenAIUsageCacheCreationInputTokensKey].AsInt64())
	assert.EqualValues(t, 80, a[semconv.GenAIUsageOutputTokensKey].AsInt64(), "message_delta's cumulative count, not 1 + 80")
	assert.InDelta(t, want, a[semconv.UsageCostKey].AsFloat64(), 1e-12)
	assertNoSecretValue(t, span.Attributes(), "sk-ant-secret")
	u := tr.Usage()
	assert.InDelta(t, want, u.CostUSD, 1e-12)
	assert.EqualValues(t, 1000, u.CacheCreationInputTokens)

	rm := rec.collect(t)
	assert.EqualValues(t, 1000, sumInt(t, rm, "otelllm.client.token.count", semconv.TokenTypeKey.String("cache_creation")))
	assert.EqualValues(t, 2000, sumInt(t, rm, "otelllm.client.token.count", semconv.TokenTypeKey.String("cache_read")))
}

// One-hour cache writes cost more than five-minute ones (2x input against
// 1.25x for Claude): the cache_creation breakdown prices each part, where a
// single cache-write price would under-count the call.
func TestCostAnthropicOneHourCacheWrites(t *testing.T) {
	rec := newRecorder(t)
	body := `{"id":"msg_1h","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"ok"}],"stop_reason":"end_turn","stop_sequence":null,` +
		`"usage":{"input_tokens":40,"cache_creation_input_tokens":3000,"cache_read_input_tokens":500,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},"output_tokens":60,"service_tier":"standard"}}`
	url := replayServer(t, map[string]replay{"/v1/messages": {contentType: "application/json", body: body}})
	client := WrapClient(nil, realOptions(rec)...)
	ctx, tr := Track(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+"/v1/messages", strings.NewReader(`{"model":"claude-sonnet-4-5","max_tokens":1024}`))
	req.Header.Set("anthropic-version", "2023-06-01")
	resp, err := client.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()

	p := tableEntry(t, "anthropic", "claude-sonnet-4-5-20250929", "claude-sonnet-4-5-20250929")
	require.NotNil(t, p.CacheCreation)
	require.NotNil(t, p.CacheCreation1h)
	require.Greater(t, *p.CacheCreation1h, *p.CacheCreation)
	want := 40*p.Input + 500**p.CacheRead + 1000**p.CacheCreation + 2000**p.CacheCreation1h + 60*p.Output
	a := attrsOf(rec.onlySpan(t))
	assert.EqualValues(t, 3540, a[semconv.GenAIUsageInputTokensKey].AsInt64())
	assert.EqualValues(t, 3000, a[semconv.GenAIUsageCacheCreationInputTokensKey].AsInt64())
	assert.EqualValues(t, 2000, a[semconv.UsageCacheCreation1hInputTokensKey].AsInt64())
	assert.InDelta(t, want, a[semconv.UsageCostKey].AsFloat64(), 1e-12)
	assert.Greater(t, want, 40*p.Input+500**p.CacheRead+3000**p.CacheCreation+60*p.Output, "more than at the five-minute price")

	u := tr.Usage()
	assert.InDelta(t, want, u.CostUSD, 1e-12)
	assert.EqualValues(t, 2000, u.CacheCreation1hInputTokens)
	assert.Contains(t, u.String(), "Prompt Tokens Cache Write: 3000 (1h: 2000)")
}

func assertNoSecretValue(t *testing.T, attrs []attributeKeyValue, secret string) {
	t.Helper()
	for _, kv := range attrs {
		assert.NotContains(t, kv.Value.Emit(), secret, kv.Key)
	}
}

// TestBedrockAnthropicCallback is the get_bedrock_anthropic_callback
// scenario: two Claude calls through Bedrock InvokeModel in one tracker.
func TestBedrockAnthropicCallback(t *testing.T) {
	rec := newRecorder(t)
	const model = "anthropic.claude-3-haiku-20240307-v1:0"
	body := func(in, out int) replay {
		return replay{
			contentType: "application/json",
			headers: map[string]string{
				"X-Amzn-Bedrock-Input-Token-Count":  fmt.Sprint(in),
				"X-Amzn-Bedrock-Output-Token-Count": fmt.Sprint(out),
				"x-amzn-RequestId":                  "req-" + fmt.Sprint(in),
			},
			body: fmt.Sprintf(`{"id":"msg_bdrk_1","type":"message","role":"assistant","model":"claude-3-haiku-20240307","content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":%d,"output_tokens":%d}}`, in, out),
		}
	}
	url := replayServer(t, map[string]replay{
		"/model/" + model + "/invoke":    body(14, 10),
		"/model/us." + model + "/invoke": body(20, 30),
	})
	client := WrapClient(nil, realOptions(rec)...)
	ctx, tr := Track(context.Background())
	for _, path := range []string{"/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke", "/model/us.anthropic.claude-3-haiku-20240307-v1%3A0/invoke"} {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url+path, strings.NewReader(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":256,"messages":[{"role":"user","content":"Hi"}]}`))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=deadbeef")
		resp, err := client.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	p := tableEntry(t, "aws.bedrock", model, model)
	want := (14+20)*p.Input + (10+30)*p.Output
	u := tr.Usage()
	assert.EqualValues(t, 2, u.SuccessfulRequests)
	assert.EqualValues(t, 34, u.InputTokens)
	assert.EqualValues(t, 40, u.OutputTokens)
	assert.EqualValues(t, 74, u.TotalTokens)
	assert.InDelta(t, want, u.CostUSD, 1e-12)
	for _, s := range rec.ended() {
		a := attrsOf(s)
		assert.Equal(t, "aws.bedrock", a[semconv.GenAIProviderNameKey].AsString())
		assertNoSecretValue(t, s.Attributes(), "Signature=deadbeef")
	}
}
