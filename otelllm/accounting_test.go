package otelllm

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// These tests run the real providers through the real transport and check
// the call's accounting on the exported span, the cost counter, the
// Tracker and the CallRecord: the cost a response states, charges beside
// the tokens, and numbers that are not counts.

// accountedCall is what one call left in every place it is counted.
type accountedCall struct {
	attrs   map[string]any
	cost    float64 // the otelllm.client.cost counter's sum
	costs   uint64  // its data points
	tracker Usage
	record  CallRecord
}

// account makes one call to url with body as the request, answered with
// the response bytes of a real provider, and returns its accounting.
func account(t *testing.T, url, request, contentType string, response []byte, opts ...Option) accountedCall {
	t.Helper()
	rec := newRecorder(t)
	var mu sync.Mutex
	var got CallRecord
	opts = append(realOptions(rec), append(opts, WithCallback(func(_ context.Context, r CallRecord) {
		mu.Lock()
		defer mu.Unlock()
		got = r
	}))...)
	client := &http.Client{Transport: NewTransport(replayTransport{c: wireCase{contentType: contentType}, body: response}, opts...)}
	ctx, tr := Track(context.Background())
	call(t, ctx, client, url, request)
	a := accountedCall{attrs: map[string]any{}, tracker: tr.Usage()}
	for k, v := range attrsOf(rec.onlySpan(t)) {
		a.attrs[string(k)] = v.AsInterface()
	}
	a.cost, a.costs = sumFloat(t, rec.collect(t), semconv.ClientCost().Name)
	mu.Lock()
	defer mu.Unlock()
	a.record = got
	return a
}

func recording(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(recordingsDirPath, name))
	require.NoError(t, err)
	return b
}

const recordingsDirPath = "testdata/recordings/openai-family"

// A cost the response states is the call's cost, everywhere it is
// counted; the table's figure, where it has one, is kept beside it.
func TestProviderStatedCost(t *testing.T) {
	t.Run("OpenRouter's usage.cost, for a model the table lacks", func(t *testing.T) {
		body := recording(t, "pydanticai/openrouter_chat_stream_o3.sse")
		_, ok := pricing.Default().Lookup(providers.ProviderOpenRouter, "openai/o3")
		require.False(t, ok, "the table lacks openrouter's openai/o3: pick another recording")
		a := account(t, "https://openrouter.ai/api/v1/chat/completions", `{"model":"openai/o3","stream":true}`, "text/event-stream", body)
		assert.InDelta(t, 0.00085, a.attrs[string(semconv.UsageCostKey)], 1e-15)
		assert.Equal(t, semconv.PricingSourceProvider, a.attrs[string(semconv.PricingSourceKey)])
		for _, k := range []attribute.Key{semconv.PricingTableCostKey, semconv.PricingUnpricedKey, semconv.PricingModelKey, semconv.PricingVersionKey} {
			assert.NotContains(t, a.attrs, string(k))
		}
		assert.InDelta(t, 0.00085, a.cost, 1e-15, "the cost counter counts the provider's figure")
		assert.InDelta(t, 0.00085, a.tracker.CostUSD, 1e-15)
		assert.Zero(t, a.tracker.UnpricedRequests)
		assert.True(t, a.record.Priced)
		assert.Equal(t, CostFromProvider, a.record.CostSource)
		assert.Empty(t, a.record.PriceKey)
		assert.Contains(t, a.record.String(), "$0.00085 (the provider's figure)")
	})

	t.Run("xAI's cost_in_usd_ticks, with the table's figure beside it", func(t *testing.T) {
		body := recording(t, "vercelai/xai_chat_full_reasoning.json")
		a := account(t, "https://api.x.ai/v1/chat/completions", `{"model":"grok-3-mini"}`, "application/json", body)
		stated := 1176500 / 1e10
		p := tableEntry(t, providers.ProviderXAI, "grok-3-mini", "xai/grok-3-mini")
		// 12 prompt tokens, 2 of them cached; 1 completion + 228 reasoning tokens.
		table := 10*p.Input + 2**p.CacheRead + 229*p.Output
		assert.InDelta(t, stated, a.attrs[string(semconv.UsageCostKey)], 1e-15)
		assert.Equal(t, semconv.PricingSourceProvider, a.attrs[string(semconv.PricingSourceKey)])
		assert.InDelta(t, table, a.attrs[string(semconv.PricingTableCostKey)], 1e-15)
		assert.Equal(t, "xai/grok-3-mini", a.attrs[string(semconv.PricingModelKey)])
		assert.Equal(t, pricing.Version, a.attrs[string(semconv.PricingVersionKey)])
		assert.InDelta(t, stated, a.cost, 1e-15)
		assert.InDelta(t, stated, a.tracker.CostUSD, 1e-15)
		assert.Equal(t, CostFromProvider, a.record.CostSource)
		assert.InDelta(t, table, a.record.TableCostUSD, 1e-15)
		assert.Equal(t, "xai/grok-3-mini", a.record.PriceKey)
	})

	t.Run("OpenRouter BYOK adds what the upstream provider billed", func(t *testing.T) {
		body := string(recording(t, "pydanticai/openrouter_chat_stream_comments_cached.sse"))
		require.Contains(t, body, `"is_byok":false`)
		require.Contains(t, body, `"upstream_inference_cost":null`)
		byok := strings.NewReplacer(`"is_byok":false`, `"is_byok":true`, `"upstream_inference_cost":null`, `"upstream_inference_cost":0.002`).Replace(body)
		a := account(t, "https://openrouter.ai/api/v1/chat/completions", `{"model":"x-ai/grok-4","stream":true}`, "text/event-stream", []byte(byok))
		assert.InDelta(t, 0.00333825+0.002, a.attrs[string(semconv.UsageCostKey)], 1e-15)
		// Without BYOK the same figure is only what part was paid upstream.
		notByok := strings.Replace(body, `"upstream_inference_cost":null`, `"upstream_inference_cost":0.002`, 1)
		a = account(t, "https://openrouter.ai/api/v1/chat/completions", `{"model":"x-ai/grok-4","stream":true}`, "text/event-stream", []byte(notByok))
		assert.InDelta(t, 0.00333825, a.attrs[string(semconv.UsageCostKey)], 1e-15)
	})

	t.Run("a stated 0 is a cost of 0", func(t *testing.T) {
		body := recording(t, "pydanticai/openrouter_chat_stream_midstream_error.sse")
		a := account(t, "https://openrouter.ai/api/v1/chat/completions", `{"model":"minimax/minimax-m2:free","stream":true}`, "text/event-stream", body)
		assert.Equal(t, 0.0, a.attrs[string(semconv.UsageCostKey)])
		assert.NotContains(t, a.attrs, string(semconv.PricingUnpricedKey))
		assert.True(t, a.record.Priced)
		assert.Zero(t, a.tracker.UnpricedRequests)
	})

	t.Run("a stated cost that is not one is not used: the table prices the call", func(t *testing.T) {
		body := strings.Replace(string(recording(t, "pydanticai/openrouter_chat_stream_comments_cached.sse")), `"cost":0.00333825`, `"cost":-1`, 1)
		a := account(t, "https://openrouter.ai/api/v1/chat/completions", `{"model":"x-ai/grok-4","stream":true}`, "text/event-stream", []byte(body))
		p := tableEntry(t, providers.ProviderOpenRouter, "x-ai/grok-4", "openrouter/x-ai/grok-4")
		want := 687*p.Input + 187*p.Output // the entry prices no cache read apart
		assert.InDelta(t, want, a.attrs[string(semconv.UsageCostKey)], 1e-15)
		assert.Equal(t, pricing.Source, a.attrs[string(semconv.PricingSourceKey)])
		assert.Contains(t, a.attrs[string(semconv.ObserveErrorKey)], providers.ProblemBadCost)
		assert.Equal(t, CostFromTable, a.record.CostSource)
	})

	t.Run("Perplexity's total_cost includes its request fee; the table's figure adds it too", func(t *testing.T) {
		body := recording(t, "vercelai/perplexity_chat_full_cost.json")
		a := account(t, "https://api.perplexity.ai/chat/completions", `{"model":"sonar"}`, "application/json", body)
		p := tableEntry(t, providers.ProviderPerplexity, "sonar", "perplexity/sonar")
		require.NotNil(t, p.WebSearch)
		assert.InDelta(t, 0.00501, a.attrs[string(semconv.UsageCostKey)], 1e-15)
		assert.InDelta(t, 6*p.Input+1*p.Output+p.WebSearch.Low, a.attrs[string(semconv.PricingTableCostKey)], 1e-15)
	})
}

// Perplexity bills a fee per request at the search context size its
// response names (search_context_cost_per_query) when the response counts
// no searches; with num_search_queries the searches are what is billed.
func TestPerplexityRequestFee(t *testing.T) {
	p := tableEntry(t, providers.ProviderPerplexity, "sonar", "perplexity/sonar")
	require.NotNil(t, p.WebSearch)
	// The recorded response without the cost it states, its usage edited.
	edited := func(edit func(usage map[string]any)) string {
		var doc map[string]any
		require.NoError(t, json.Unmarshal(recording(t, "vercelai/perplexity_chat_full_cost.json"), &doc))
		usage := doc["usage"].(map[string]any)
		require.Contains(t, usage, "cost")
		delete(usage, "cost")
		edit(usage)
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		return string(b)
	}
	for _, c := range []struct {
		name, body string
		want       float64
	}{
		{"low, from the response", edited(func(map[string]any) {}), 6*p.Input + 1*p.Output + p.WebSearch.Low},
		{"high, from the response", edited(func(u map[string]any) { u["search_context_size"] = "high" }), 6*p.Input + 1*p.Output + p.WebSearch.High},
		{"counted searches instead of the fee", edited(func(u map[string]any) { u["search_context_size"], u["num_search_queries"] = "medium", 2 }),
			6*p.Input + 1*p.Output + 2*p.WebSearch.Medium},
		{"no size, no fee", edited(func(u map[string]any) { delete(u, "search_context_size") }), 6*p.Input + 1*p.Output},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := account(t, "https://api.perplexity.ai/chat/completions", `{"model":"sonar"}`, "application/json", []byte(c.body))
			assert.InDelta(t, c.want, a.attrs[string(semconv.UsageCostKey)], 1e-15)
			assert.InDelta(t, c.want, a.tracker.CostUSD, 1e-15)
			assert.Equal(t, pricing.Source, a.attrs[string(semconv.PricingSourceKey)])
		})
	}
}

// Audio and image tokens cost the table's audio and image prices where it
// has them, not the text prices; predicted outputs' accepted and rejected
// tokens are inside completion_tokens and cost the output price.
func TestAudioImageAndPredictionTokens(t *testing.T) {
	p := tableEntry(t, providers.ProviderOpenAI, "gpt-4o-audio-preview", "gpt-4o-audio-preview")
	require.NotNil(t, p.InputAudio)
	require.NotNil(t, p.OutputAudio)
	body := `{"id":"chatcmpl-audio","object":"chat.completion","model":"gpt-4o-audio-preview","choices":[{"index":0,"message":{"role":"assistant","content":null},"finish_reason":"stop"}],
  "usage":{"prompt_tokens":1000,"completion_tokens":500,"total_tokens":1500,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":600},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":400}}}`
	a := account(t, "https://api.openai.com/v1/chat/completions", `{"model":"gpt-4o-audio-preview"}`, "application/json", []byte(body))
	want := 400*p.Input + 600**p.InputAudio + 100*p.Output + 400**p.OutputAudio
	assert.InDelta(t, want, a.attrs[string(semconv.UsageCostKey)], 1e-15)
	assert.EqualValues(t, 600, a.attrs[string(semconv.UsageAudioInputTokensKey)])
	assert.EqualValues(t, 400, a.attrs[string(semconv.UsageAudioOutputTokensKey)])
	assert.NotContains(t, a.attrs, string(semconv.UsageImageInputTokensKey), "no image tokens: no attribute")

	// Image tokens, as the Images and Responses APIs report them, at the
	// image prices of a price given in code (the table's image models are
	// priced per image generation, a mode it does not keep).
	imagePrice := pricing.Price{Input: 5e-6, Output: 1e-5, InputImage: ptrFloat(1e-5), OutputImage: ptrFloat(4e-5)}
	images := `{"id":"resp_img","object":"response","model":"img-model","status":"completed","output":[],
  "usage":{"input_tokens":300,"input_tokens_details":{"image_tokens":200,"text_tokens":100},"output_tokens":1056,"output_tokens_details":{"image_tokens":1056,"text_tokens":0},"total_tokens":1356}}`
	a = account(t, "https://api.openai.com/v1/responses", `{"model":"img-model"}`, "application/json", []byte(images), WithModelPrice("img-model", imagePrice))
	assert.InDelta(t, 100*imagePrice.Input+200**imagePrice.InputImage+1056**imagePrice.OutputImage, a.attrs[string(semconv.UsageCostKey)], 1e-15)
	assert.EqualValues(t, 200, a.attrs[string(semconv.UsageImageInputTokensKey)])
	assert.EqualValues(t, 1056, a.attrs[string(semconv.UsageImageOutputTokensKey)])

	mini := tableEntry(t, providers.ProviderOpenAI, "gpt-4o-mini", "gpt-4o-mini")
	predicted := `{"id":"chatcmpl-pred","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],
  "usage":{"prompt_tokens":100,"completion_tokens":60,"total_tokens":160,"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":20,"rejected_prediction_tokens":30}}}`
	a = account(t, "https://api.openai.com/v1/chat/completions", `{"model":"gpt-4o-mini"}`, "application/json", []byte(predicted))
	assert.EqualValues(t, 60, a.attrs[string(semconv.GenAIUsageOutputTokensKey)], "prediction tokens are inside completion_tokens")
	assert.InDelta(t, 100*mini.Input+60*mini.Output, a.attrs[string(semconv.UsageCostKey)], 1e-15)
}

// Prompts above 272K input tokens to GPT-5.4 cost the long-context prices
// for every token of the call.
func TestLongContext272k(t *testing.T) {
	p := tableEntry(t, providers.ProviderOpenAI, "gpt-5.4", "gpt-5.4")
	require.NotNil(t, p.Above272k)
	const above = "_above_272k_tokens"
	for _, c := range []struct {
		prompt int64
		want   float64
	}{
		{272000, 272000*tableField(t, "gpt-5.4", "input_cost_per_token") + 1000*tableField(t, "gpt-5.4", "output_cost_per_token")},
		{300000, 300000*tableField(t, "gpt-5.4", "input_cost_per_token"+above) + 1000*tableField(t, "gpt-5.4", "output_cost_per_token"+above)},
	} {
		body := `{"id":"chatcmpl-long","object":"chat.completion","model":"gpt-5.4","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],` +
			`"usage":{"prompt_tokens":` + itoa(c.prompt) + `,"completion_tokens":1000,"total_tokens":` + itoa(c.prompt+1000) + `}}`
		a := account(t, "https://api.openai.com/v1/chat/completions", `{"model":"gpt-5.4"}`, "application/json", []byte(body))
		assert.InDelta(t, c.want, a.attrs[string(semconv.UsageCostKey)], 1e-12, "prompt %d", c.prompt)
	}
}

// tableField reads a price of the embedded table's prices.json, not
// through package pricing, so the test compares with the file's numbers.
func tableField(t *testing.T, key, name string) float64 {
	t.Helper()
	b, err := os.ReadFile("../pricing/prices.json")
	require.NoError(t, err)
	var table map[string]map[string]any
	require.NoError(t, json.Unmarshal(b, &table))
	v, ok := table[key][name].(float64)
	require.True(t, ok, "%s has no %s", key, name)
	return v
}

func ptrFloat(f float64) *float64 { return &f }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A count that is not a non-negative integer is not recorded, and the span
// says why; a repeated key counts at its last value, as encoding/json and
// the SDKs read it.
func TestBadNumbersThroughTheTransport(t *testing.T) {
	chat := func(id, usage string) []byte {
		return []byte(`{"id":"` + id + `","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"x"},"finish_reason":"stop"}],"usage":` + usage + `}`)
	}
	url := "https://api.openai.com/v1/chat/completions"
	mini := tableEntry(t, providers.ProviderOpenAI, "gpt-4o-mini", "gpt-4o-mini")

	a := account(t, url, `{"model":"gpt-4o-mini"}`, "application/json", chat("a", `{"prompt_tokens":-5,"completion_tokens":1.5,"total_tokens":"7"}`))
	for _, k := range []attribute.Key{semconv.GenAIUsageInputTokensKey, semconv.GenAIUsageOutputTokensKey, semconv.UsageTotalTokensKey, semconv.UsageCostKey} {
		assert.NotContains(t, a.attrs, string(k))
	}
	assert.Equal(t, providers.ProblemBadCount+": input_tokens, output_tokens, total_tokens", a.attrs[string(semconv.ObserveErrorKey)])
	assert.Equal(t, string(providers.SourceAbsent), a.attrs[string(semconv.UsageSourceKey)])
	assert.EqualValues(t, 1, a.tracker.UnmeteredRequests)
	assert.Zero(t, a.tracker.InputTokens)

	// One bad count spoils only itself.
	a = account(t, url, `{"model":"gpt-4o-mini"}`, "application/json", chat("b", `{"prompt_tokens":10,"completion_tokens":-1}`))
	assert.EqualValues(t, 10, a.attrs[string(semconv.GenAIUsageInputTokensKey)])
	assert.NotContains(t, a.attrs, string(semconv.GenAIUsageOutputTokensKey))
	assert.InDelta(t, 10*mini.Input, a.attrs[string(semconv.UsageCostKey)], 1e-15)
	assert.Equal(t, providers.ProblemBadCount+": output_tokens", a.attrs[string(semconv.ObserveErrorKey)])

	// One past what an int64 holds is not a count.
	a = account(t, url, `{"model":"gpt-4o-mini"}`, "application/json", chat("c", `{"prompt_tokens":9223372036854775808,"completion_tokens":2}`))
	assert.NotContains(t, a.attrs, string(semconv.GenAIUsageInputTokensKey))
	assert.EqualValues(t, 2, a.attrs[string(semconv.GenAIUsageOutputTokensKey)])

	// Repeated keys: the last value, as encoding/json keeps it.
	body := []byte(`{"id":"first","id":"last","object":"chat.completion","model":"gpt-4o-mini","choices":[{"index":0,"finish_reason":"stop"}],` +
		`"usage":{"prompt_tokens":1,"completion_tokens":2},"usage":{"prompt_tokens":100,"prompt_tokens":200,"completion_tokens":20}}`)
	a = account(t, url, `{"model":"gpt-4o-mini"}`, "application/json", body)
	assert.Equal(t, "last", a.attrs[string(semconv.GenAIResponseIDKey)])
	assert.EqualValues(t, 200, a.attrs[string(semconv.GenAIUsageInputTokensKey)])
	assert.EqualValues(t, 20, a.attrs[string(semconv.GenAIUsageOutputTokensKey)])
	assert.InDelta(t, 200*mini.Input+20*mini.Output, a.attrs[string(semconv.UsageCostKey)], 1e-15)
}

// Sums saturate instead of wrapping: 2^62 input tokens twice is more than
// an int64 holds, and the Tracker holds it as the largest count there is.
func TestTrackerSumsSaturate(t *testing.T) {
	rec := newRecorder(t)
	huge := `{"id":"h","object":"chat.completion","model":"m","choices":[{"index":0,"finish_reason":"stop"}],"usage":{"prompt_tokens":4611686018427387904,"completion_tokens":4611686018427387904}}`
	client := &http.Client{Transport: NewTransport(replayTransport{c: wireCase{contentType: "application/json"}, body: []byte(huge)}, realOptions(rec)...)}
	ctx, tr := Track(context.Background())
	for range 3 {
		call(t, ctx, client, "https://api.openai.com/v1/chat/completions", `{"model":"m"}`)
	}
	for _, s := range rec.ended() {
		assert.EqualValues(t, int64(1)<<62, attrsOf(s)[semconv.GenAIUsageInputTokensKey].AsInt64(), "each call's count is recorded")
	}
	u := tr.Usage()
	assert.Equal(t, int64(math.MaxInt64), u.InputTokens)
	assert.Equal(t, int64(math.MaxInt64), u.OutputTokens)
	assert.Equal(t, int64(math.MaxInt64), u.TotalTokens)
	assert.Equal(t, int64(math.MaxInt64), u.ByModel["m"].TotalTokens)
}

// A price file whose prices could make a cost overflow is rejected at load
// like any malformed file; a price given in code that makes one is not a
// cost: no +Inf ever reaches the cost counter or a Tracker.
func TestOverflowingPricesNeverReachTheCostCounter(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prices.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"m": {"input_cost_per_token": 1e308, "output_cost_per_token": 1}}`), 0o600))
	t.Setenv(pricing.EnvFile, path)
	h := &recordingHandler{}
	otel.SetErrorHandler(h)
	t.Cleanup(func() { otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) {})) })

	body := []byte(`{"id":"x","object":"chat.completion","model":"m","choices":[{"index":0,"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":1}}`)
	rec := newRecorder(t)
	client := &http.Client{Transport: NewTransport(replayTransport{c: wireCase{contentType: "application/json"}, body: body},
		WithTracerProvider(rec.tp), WithMeterProvider(rec.mp))}
	ctx, tr := Track(context.Background())
	call(t, ctx, client, "https://api.openai.com/v1/chat/completions", `{"model":"m"}`)
	h.mu.Lock()
	err := errors.Join(h.errs...)
	h.mu.Unlock()
	require.Error(t, err, "the file is reported")
	assert.Contains(t, err.Error(), "input_cost_per_token")
	assert.Contains(t, err.Error(), "at most")
	assert.True(t, attrsOf(rec.onlySpan(t))[semconv.PricingUnpricedKey].AsBool(), "the file's model is not priced")
	assert.Zero(t, tr.Usage().CostUSD)

	// A price set in code is not checked at load; the cost it makes is.
	a := account(t, "https://api.openai.com/v1/chat/completions", `{"model":"m"}`, "application/json", body,
		WithModelPrice("m", pricing.Price{Input: math.MaxFloat64, Output: 1}))
	assert.NotContains(t, a.attrs, string(semconv.UsageCostKey))
	assert.Equal(t, true, a.attrs[string(semconv.PricingUnpricedKey)])
	assert.Zero(t, a.costs, "nothing reached the cost counter")
	assert.False(t, math.IsInf(a.tracker.CostUSD, 0))
}
