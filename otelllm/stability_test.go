package otelllm_test

// The GenAI names in each OTEL_SEMCONV_STABILITY_OPT_IN mode, on real
// exported telemetry: recorded API responses replayed through the
// transport, every span key and every instrument (with each data point's
// attribute keys) compared with what the mode must emit, and the counts
// with want.json's ground truth.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/semconv"
)

// modeCall is one call the mode tests make: a recording (with request
// fields added where a test needs them), or a response written here.
type modeCall struct {
	name    string // a recording's case, or a label
	addReq  map[string]any
	url     string // for a written response
	request string
	status  int
	body    string
}

var modeCalls = []modeCall{
	// Anthropic with cache reads and writes; top_k to see its type change.
	{name: "other-providers/pydanticai/anthropic_full_cache_read_and_write", addReq: map[string]any{"top_k": 40}},
	// An Anthropic stream that writes the cache: time to first chunk and
	// per chunk.
	{name: "other-providers/openllmetry/anthropic_stream_cache_write"},
	// OpenAI with reasoning tokens; n=1, which the latest names leave out.
	{name: "openai-family/crewai/chat_full_o4mini_reasoning", addReq: map[string]any{"n": 1}},
	// A failed chat: error.type, and no usage.
	{name: "openai-family/otelcontrib/chat_404_model_not_found"},
	// A stream that fails after its first chunks: the time to first chunk
	// and per chunk carry no error.type, the duration does.
	{name: "openai-family/pydanticai/groq_chat_stream_error_event"},
	{name: "openai-family/otelcontrib/embeddings_dimensions"},
	{name: "openai-family/otelcontrib/embeddings_404"},
	// countTokens: neither inference nor embeddings.
	{name: "count_tokens", url: "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens",
		request: `{"contents":[{"parts":[{"text":"hello"}]}]}`, status: 200, body: `{"totalTokens":2}`},
}

// servedTransport answers each request with the response of the call
// being made, in memory, in 97-byte reads.
type servedTransport struct{ next *served }

type served struct {
	status int
	header http.Header
	body   []byte
}

type pieceReader struct{ r io.Reader }

func (p pieceReader) Read(b []byte) (int, error) { return p.r.Read(b[:min(len(b), 97)]) }

func (s servedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	r := s.next
	return &http.Response{StatusCode: r.status, Header: r.header.Clone(), Request: req,
		Body: io.NopCloser(pieceReader{bytes.NewReader(r.body)})}, nil
}

// modeRun is the telemetry of modeCalls made through one Transport.
type modeRun struct {
	spans  map[string]sdktrace.ReadOnlySpan // by call name
	rm     metricdata.ResourceMetrics
	truth  map[string]*wantEntry
	called []modeCall
}

func runModeCalls(t *testing.T, opts ...otelllm.Option) modeRun {
	t.Helper()
	return runModeCallsAfter(t, nil, opts...)
}

// runModeCallsAfter makes the calls, running made (when not nil) once the
// Transport is made and before the first call.
func runModeCallsAfter(t *testing.T, made func(), opts ...otelllm.Option) modeRun {
	t.Helper()
	recs := map[string]recording{}
	for _, r := range loadRecordings(t) {
		recs[r.name] = r
	}
	run := modeRun{spans: map[string]sdktrace.ReadOnlySpan{}, truth: loadWant(t), called: modeCalls}
	base := servedTransport{next: &served{}}
	type sent struct {
		name, method, url string
		header            http.Header
		body              []byte
		response          served
	}
	var calls []sent
	for _, c := range modeCalls {
		if c.url != "" {
			calls = append(calls, sent{c.name, http.MethodPost, c.url, http.Header{"Content-Type": {"application/json"}}, []byte(c.request),
				served{status: c.status, header: http.Header{"Content-Type": {"application/json"}}, body: []byte(c.body)}})
			continue
		}
		r, ok := recs[c.name]
		require.True(t, ok, "recording %s", c.name)
		header := r.header.Clone()
		header.Del("Content-Encoding")
		body := r.request
		if c.addReq != nil {
			var m map[string]any
			require.NoError(t, json.Unmarshal(body, &m))
			for k, v := range c.addReq {
				m[k] = v
			}
			var err error
			body, err = json.Marshal(m)
			require.NoError(t, err)
		}
		calls = append(calls, sent{c.name, r.method, r.url(), r.reqHeader, body, served{status: r.status, header: header, body: r.plain}})
	}

	spans := tracetest.NewSpanRecorder()
	reader := sdkmetric.NewManualReader()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	client := &http.Client{Transport: otelllm.NewTransport(base, append([]otelllm.Option{
		otelllm.WithTracerProvider(tp), otelllm.WithMeterProvider(mp), otelllm.WithPriceTable(pricing.Default()),
	}, opts...)...)}
	if made != nil {
		made()
	}
	for _, c := range calls {
		*base.next = c.response
		req, err := http.NewRequest(c.method, c.url, bytes.NewReader(c.body))
		require.NoError(t, err)
		for k, vs := range c.header {
			req.Header[k] = vs
		}
		resp, err := client.Do(req)
		require.NoError(t, err, c.name)
		_, err = io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		ended := spans.Ended()
		require.Len(t, ended, len(run.spans)+1, "%s: one span per call", c.name)
		run.spans[c.name] = ended[len(ended)-1]
	}
	require.Len(t, spans.Started(), len(calls), "no span left open")
	require.NoError(t, reader.Collect(context.Background(), &run.rm))
	return run
}

func keysOf(s sdktrace.ReadOnlySpan) []string {
	var keys []string
	for _, kv := range s.Attributes() {
		keys = append(keys, string(kv.Key))
	}
	sort.Strings(keys)
	return keys
}

func sorted(keys ...attribute.Key) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, string(k))
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func spanAttrs(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

// modeKeys says which of the keys that differ between the modes a mode
// emits.
type modeKeys struct {
	stream, choiceCountOne, cacheCreation, cacheWrite bool
	topK                                              attribute.Type
	schemaURL                                         string
}

var modes = []struct {
	name      string
	stability semconv.Stability
	keys      modeKeys
}{
	{"default", semconv.StabilityDefault, modeKeys{stream: true, choiceCountOne: true, cacheCreation: true, topK: attribute.FLOAT64, schemaURL: semconv.SchemaURL}},
	{"latest", semconv.StabilityLatest, modeKeys{cacheWrite: true, topK: attribute.INT64}},
	{"dup", semconv.StabilityDup, modeKeys{stream: true, choiceCountOne: true, cacheCreation: true, cacheWrite: true, topK: attribute.INT64}},
}

func TestSemconvModesSpans(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Setenv(semconv.StabilityOptInEnv, "")
			run := runModeCalls(t, otelllm.WithSemconvStability(mode.stability))
			mk := mode.keys
			for name, s := range run.spans {
				assert.Equal(t, mk.schemaURL, s.InstrumentationScope().SchemaURL, "%s: schema URL", name)
				assert.Equal(t, otelllm.ScopeName, s.InstrumentationScope().Name)
			}

			// Every key of each span: those all modes share, and those the
			// mode adds.
			common := []attribute.Key{semconv.GenAIOperationNameKey, semconv.GenAIProviderNameKey, semconv.ServerAddressKey, semconv.ServerPortKey,
				semconv.GenAIRequestModelKey, semconv.ResponseEndKey, semconv.HTTPResponseStatusCodeKey, semconv.UsageSourceKey}
			priced := []attribute.Key{semconv.UsageCompleteKey, semconv.UsageCostKey, semconv.PricingModelKey, semconv.PricingSourceKey, semconv.PricingVersionKey}
			response := []attribute.Key{semconv.GenAIResponseIDKey, semconv.GenAIResponseModelKey, semconv.GenAIResponseFinishReasonsKey}
			failed := []attribute.Key{semconv.ErrorTypeKey, semconv.ProviderErrorTypeKey}
			stream := func(keys []attribute.Key) []attribute.Key {
				if mk.stream {
					keys = append(keys, semconv.GenAIRequestStreamKey)
				}
				return keys
			}
			cacheWrites := func(keys []attribute.Key) []attribute.Key {
				if mk.cacheCreation {
					keys = append(keys, semconv.GenAIUsageCacheCreationInputTokensKey)
				}
				if mk.cacheWrite {
					keys = append(keys, semconv.LatestGenAIUsageCacheWriteInputTokensKey)
				}
				return keys
			}
			join := func(sets ...[]attribute.Key) []attribute.Key { return slices.Concat(sets...) }
			want := map[string][]attribute.Key{
				"other-providers/pydanticai/anthropic_full_cache_read_and_write": cacheWrites(stream(join(common, priced, response, []attribute.Key{
					semconv.GenAIRequestMaxTokensKey, semconv.GenAIRequestTopKKey,
					semconv.GenAIUsageInputTokensKey, semconv.GenAIUsageOutputTokensKey, semconv.GenAIUsageCacheReadInputTokensKey,
					semconv.UsageCacheCreation1hInputTokensKey,
				}))),
				"other-providers/openllmetry/anthropic_stream_cache_write": cacheWrites(join(common, response, []attribute.Key{
					// The model is not in the price table.
					semconv.UsageCompleteKey, semconv.PricingUnpricedKey,
					semconv.GenAIRequestStreamKey, semconv.GenAIRequestMaxTokensKey, semconv.GenAIResponseTimeToFirstChunkKey,
					semconv.GenAIUsageInputTokensKey, semconv.GenAIUsageOutputTokensKey, semconv.GenAIUsageCacheReadInputTokensKey,
				})),
				"openai-family/crewai/chat_full_o4mini_reasoning": stream(join(common, priced, response, []attribute.Key{
					// The response has a null system_fingerprint.
					semconv.OpenAIResponseServiceTierKey,
					semconv.GenAIUsageInputTokensKey, semconv.GenAIUsageOutputTokensKey, semconv.UsageTotalTokensKey,
					semconv.GenAIUsageCacheReadInputTokensKey, semconv.GenAIUsageReasoningOutputTokensKey,
				})),
				"openai-family/otelcontrib/chat_404_model_not_found": stream(join(common, failed)),
				"openai-family/otelcontrib/embeddings_dimensions": stream(join(common, priced, []attribute.Key{
					semconv.GenAIResponseModelKey, semconv.GenAIEmbeddingsDimensionCount,
					semconv.GenAIUsageInputTokensKey, semconv.UsageTotalTokensKey,
				})),
				"openai-family/otelcontrib/embeddings_404": stream(join(common, failed)),
				"openai-family/pydanticai/groq_chat_stream_error_event": join(common, failed, []attribute.Key{
					semconv.GenAIRequestStreamKey, semconv.GenAIResponseIDKey, semconv.GenAIResponseModelKey,
					semconv.GenAIResponseTimeToFirstChunkKey, semconv.OpenAIResponseSystemFingerprintKey,
				}),
				"count_tokens": stream(common),
			}
			if mk.choiceCountOne {
				// Both requests ask for n=1.
				for _, name := range []string{"openai-family/crewai/chat_full_o4mini_reasoning", "openai-family/pydanticai/groq_chat_stream_error_event"} {
					want[name] = append(want[name], semconv.GenAIRequestChoiceCountKey)
				}
			}
			require.Len(t, run.spans, len(want))
			for name, keys := range want {
				s := run.spans[name]
				require.NotNil(t, s, name)
				assert.Equal(t, sorted(keys...), keysOf(s), "%s: span keys", name)
			}

			// The values that differ, and the counts against the truth.
			full := spanAttrs(run.spans["other-providers/pydanticai/anthropic_full_cache_read_and_write"])
			topK := full[semconv.GenAIRequestTopKKey]
			assert.Equal(t, mk.topK, topK.Type(), "gen_ai.request.top_k type")
			if mk.topK == attribute.INT64 {
				assert.EqualValues(t, 40, topK.AsInt64())
			} else {
				assert.EqualValues(t, 40, topK.AsFloat64())
			}
			if mk.stream {
				assert.False(t, full[semconv.GenAIRequestStreamKey].AsBool())
			}
			for name, s := range run.spans {
				a := spanAttrs(s)
				truth := run.truth[name]
				if truth == nil {
					continue
				}
				u := truth.Usage
				for key, want := range map[attribute.Key]*int64{
					semconv.GenAIUsageInputTokensKey: u.Input, semconv.GenAIUsageOutputTokensKey: u.Output,
					semconv.GenAIUsageCacheReadInputTokensKey: u.CacheRead, semconv.GenAIUsageReasoningOutputTokensKey: u.Reasoning,
					semconv.GenAIUsageCacheCreationInputTokensKey:    pick(mk.cacheCreation, u.CacheCreation),
					semconv.LatestGenAIUsageCacheWriteInputTokensKey: pick(mk.cacheWrite, u.CacheCreation),
				} {
					v, ok := a[key]
					if want == nil {
						assert.False(t, ok, "%s: %s must be absent", name, key)
						continue
					}
					assert.Equal(t, *want, v.AsInt64(), "%s: %s", name, key)
				}
			}
			streamed := spanAttrs(run.spans["other-providers/openllmetry/anthropic_stream_cache_write"])
			assert.True(t, streamed[semconv.GenAIRequestStreamKey].AsBool(), "a stream says so in every mode")
			if mk.choiceCountOne {
				assert.EqualValues(t, 1, spanAttrs(run.spans["openai-family/crewai/chat_full_o4mini_reasoning"])[semconv.GenAIRequestChoiceCountKey].AsInt64())
			}
		})
	}
}

func pick(on bool, v *int64) *int64 {
	if on {
		return v
	}
	return nil
}

// metricWant is one instrument a mode must export: the attribute keys each
// of its data points may carry (error.type only on failed calls' points),
// and how many values it recorded.
type metricWant struct {
	keys     []attribute.Key
	errorKey bool // error.type on failed calls' points
	count    uint64
	anyCount bool  // a count that depends on how the stream was read: > 0
	sum      int64 // for token instruments: the sum of the values
}

func TestSemconvModesMetrics(t *testing.T) {
	op, prov := semconv.GenAIOperationNameKey, semconv.GenAIProviderNameKey
	reqModel, respModel := semconv.GenAIRequestModelKey, semconv.GenAIResponseModelKey
	server := []attribute.Key{semconv.ServerAddressKey, semconv.ServerPortKey}
	histogram := append([]attribute.Key{op, prov, reqModel, respModel}, server...)
	counter := []attribute.Key{op, prov, reqModel, respModel}
	latestUsage := append(slices.Clone(histogram), semconv.LatestGenAITokenModalityKey)

	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			t.Setenv(semconv.StabilityOptInEnv, "")
			run := runModeCalls(t, otelllm.WithSemconvStability(mode.stability))
			truth := func(name string) *wantEntry { return run.truth[name] }
			full := truth("other-providers/pydanticai/anthropic_full_cache_read_and_write").Usage
			stream := truth("other-providers/openllmetry/anthropic_stream_cache_write").Usage
			chat := truth("openai-family/crewai/chat_full_o4mini_reasoning").Usage
			embed := truth("openai-family/otelcontrib/embeddings_dimensions").Usage
			inferenceInput := *full.Input + *stream.Input + *chat.Input
			inferenceOutput := *full.Output + *stream.Output + *chat.Output

			want := map[string]metricWant{
				// otelllm's own, in every mode.
				"otelllm.client.requests":    {keys: counter, errorKey: true, sum: 8},
				"otelllm.client.token.count": {keys: append(slices.Clone(counter), semconv.TokenTypeKey)},
				"otelllm.client.cost":        {keys: counter},
			}
			if mode.stability.EmitsDefault() {
				want["gen_ai.client.operation.duration"] = metricWant{keys: histogram, errorKey: true, count: 8}
				want["gen_ai.client.operation.time_to_first_chunk"] = metricWant{keys: histogram, errorKey: true, count: 2}
				want["gen_ai.client.operation.time_per_output_chunk"] = metricWant{keys: histogram, errorKey: true, anyCount: true}
				want["gen_ai.client.token.usage"] = metricWant{keys: append(slices.Clone(histogram), semconv.GenAITokenTypeKey),
					count: 7, sum: inferenceInput + inferenceOutput + *embed.Input}
			}
			if mode.stability.EmitsLatest() {
				want[semconv.LatestClientInferenceDurationName] = metricWant{keys: histogram, errorKey: true, count: 5}
				want[semconv.LatestClientInferenceTimeToFirstChunkName] = metricWant{keys: histogram, count: 2}
				want[semconv.LatestClientInferenceTimePerOutputChunkName] = metricWant{keys: histogram, anyCount: true}
				// Only the calls that reported usage: the failed one did not.
				want[semconv.LatestClientInferenceOperationInputTokensName] = metricWant{keys: histogram, errorKey: true, count: 3, sum: inferenceInput}
				want[semconv.LatestClientInferenceOperationOutputTokensName] = metricWant{keys: histogram, errorKey: true, count: 3, sum: inferenceOutput}
				want[semconv.LatestClientInferenceUsageInputTokensName] = metricWant{keys: latestUsage, sum: inferenceInput}
				want[semconv.LatestClientInferenceUsageOutputTokensName] = metricWant{keys: latestUsage, sum: inferenceOutput}
				want[semconv.LatestClientInferenceUsageCacheReadInputTokensName] = metricWant{keys: latestUsage,
					sum: *full.CacheRead + *stream.CacheRead + *chat.CacheRead}
				want[semconv.LatestClientInferenceUsageCacheWriteInputTokensName] = metricWant{keys: latestUsage,
					sum: *full.CacheCreation + *stream.CacheCreation}
				want[semconv.LatestClientInferenceUsageReasoningOutputTokensName] = metricWant{keys: latestUsage, sum: *chat.Reasoning}
				want[semconv.LatestClientEmbeddingsDurationName] = metricWant{keys: histogram, errorKey: true, count: 2}
				want[semconv.LatestClientEmbeddingsOperationInputTokensName] = metricWant{keys: histogram, count: 1, sum: *embed.Input}
				if !mode.stability.EmitsDefault() {
					// Kept for the operations that are neither inference
					// nor embeddings: count_tokens.
					want["gen_ai.client.operation.duration"] = metricWant{keys: histogram, count: 1}
				}
			}

			got := map[string]metricdata.Metrics{}
			for _, sm := range run.rm.ScopeMetrics {
				assert.Equal(t, otelllm.ScopeName, sm.Scope.Name)
				assert.Equal(t, mode.keys.schemaURL, sm.Scope.SchemaURL, "meter schema URL")
				for _, m := range sm.Metrics {
					got[m.Name] = m
				}
			}
			assert.ElementsMatch(t, mapKeys(want), mapKeys(got), "the instruments exported")
			for name, w := range want {
				m, ok := got[name]
				if !ok {
					continue
				}
				count, sum := checkPoints(t, name, m, w)
				switch {
				case w.anyCount:
					assert.NotZero(t, count, "%s: values recorded", name)
				case w.count != 0:
					assert.Equal(t, w.count, count, "%s: values recorded", name)
				}
				if w.sum != 0 {
					assert.Equal(t, w.sum, sum, "%s: sum", name)
				}
			}
			if mode.stability == semconv.StabilityDup {
				// Both names record the same chunk gaps.
				a, _ := checkPoints(t, "", got["gen_ai.client.operation.time_per_output_chunk"], metricWant{keys: histogram, errorKey: true})
				b, _ := checkPoints(t, "", got[semconv.LatestClientInferenceTimePerOutputChunkName], metricWant{keys: histogram})
				assert.Equal(t, a, b, "time per output chunk, v1.41.0 and latest")
			}
			if m, ok := got[semconv.LatestClientInferenceUsageInputTokensName]; ok {
				assert.Equal(t, semconv.UnitTokens, m.Unit)
				for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
					v, _ := dp.Attributes.Value(semconv.LatestGenAITokenModalityKey)
					assert.Equal(t, semconv.LatestTokenModalityUnknown, v.AsString(), "no provider splits usage by modality")
				}
			}
			if m, ok := got[semconv.LatestClientInferenceTimePerOutputChunkName]; ok {
				assert.Equal(t, semconv.LatestDurationBuckets(), m.Data.(metricdata.Histogram[float64]).DataPoints[0].Bounds,
					"the latest time per chunk has the duration buckets")
			}
		})
	}
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// checkPoints checks every data point's attribute keys and returns how many
// values the instrument recorded and their sum (ints only).
func checkPoints(t *testing.T, name string, m metricdata.Metrics, w metricWant) (count uint64, sum int64) {
	t.Helper()
	check := func(set attribute.Set) {
		var keys []attribute.Key
		for _, kv := range set.ToSlice() {
			keys = append(keys, kv.Key)
		}
		allowed := sorted(w.keys...)
		if w.errorKey {
			allowed = sorted(append(slices.Clone(w.keys), semconv.ErrorTypeKey)...)
		}
		for _, k := range keys {
			assert.Contains(t, allowed, string(k), "%s: unexpected attribute", name)
		}
		for _, k := range w.keys {
			if k == semconv.GenAIResponseModelKey {
				continue // absent where the call failed
			}
			_, ok := set.Value(k)
			assert.True(t, ok, "%s: %s missing", name, k)
		}
	}
	switch d := m.Data.(type) {
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			check(dp.Attributes)
			count += dp.Count
		}
	case metricdata.Histogram[int64]:
		for _, dp := range d.DataPoints {
			check(dp.Attributes)
			count += dp.Count
			sum += dp.Sum
		}
	case metricdata.Sum[int64]:
		assert.True(t, d.IsMonotonic, name)
		for _, dp := range d.DataPoints {
			check(dp.Attributes)
			count++
			sum += dp.Value
		}
	case metricdata.Sum[float64]:
		for _, dp := range d.DataPoints {
			check(dp.Attributes)
			count++
		}
	default:
		t.Errorf("%s: unexpected data %T", name, m.Data)
	}
	return count, sum
}

// emitted says which names a run's telemetry carries, from its instruments
// and the cache-write key of its spans (which must agree).
func emitted(t *testing.T, run modeRun) semconv.Stability {
	t.Helper()
	names := map[string]bool{}
	for _, sm := range run.rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			names[m.Name] = true
		}
	}
	a := spanAttrs(run.spans["other-providers/pydanticai/anthropic_full_cache_read_and_write"])
	_, creation := a[semconv.GenAIUsageCacheCreationInputTokensKey]
	_, write := a[semconv.LatestGenAIUsageCacheWriteInputTokensKey]
	old, latest := names["gen_ai.client.token.usage"], names[semconv.LatestClientInferenceDurationName]
	require.Equal(t, old, creation, "the v1.41.0 instruments and span keys go together")
	require.Equal(t, latest, write, "the latest instruments and span keys go together")
	switch {
	case old && latest:
		return semconv.StabilityDup
	case latest:
		return semconv.StabilityLatest
	case old:
		return semconv.StabilityDefault
	}
	t.Fatal("neither the v1.41.0 nor the latest names")
	return 0
}

func TestSemconvStabilityFromTheEnvironment(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want semconv.Stability
	}{
		{"", semconv.StabilityDefault},
		{"gen_ai_latest_experimental", semconv.StabilityLatest},
		{"gen_ai_latest_experimental/dup", semconv.StabilityDup},
		{" http/dup , gen_ai_latest_experimental ", semconv.StabilityLatest},
		// /dup wins wherever it is.
		{"gen_ai_latest_experimental,gen_ai_latest_experimental/dup", semconv.StabilityDup},
		{"gen_ai_latest_experimental/dup,gen_ai_latest_experimental", semconv.StabilityDup},
		// Other conventions' tokens, and tokens not spelled exactly, are
		// not the GenAI opt-in.
		{"database/dup,http", semconv.StabilityDefault},
		{"GEN_AI_LATEST_EXPERIMENTAL", semconv.StabilityDefault},
		{"gen_ai_latest", semconv.StabilityDefault},
	} {
		t.Run(tc.env, func(t *testing.T) {
			t.Setenv(semconv.StabilityOptInEnv, tc.env)
			assert.Equal(t, tc.want, emitted(t, runModeCalls(t)))
		})
	}
}

func TestSemconvStabilityOptionAndEnvironment(t *testing.T) {
	t.Run("the option wins over the environment", func(t *testing.T) {
		t.Setenv(semconv.StabilityOptInEnv, semconv.OptInGenAILatest)
		assert.Equal(t, semconv.StabilityDefault, emitted(t, runModeCalls(t, otelllm.WithSemconvStability(semconv.StabilityDefault))))
		assert.Equal(t, semconv.StabilityDup, emitted(t, runModeCalls(t, otelllm.WithSemconvStability(semconv.StabilityDup))))
	})
	t.Run("an unknown value is ignored", func(t *testing.T) {
		t.Setenv(semconv.StabilityOptInEnv, semconv.OptInGenAILatest)
		assert.Equal(t, semconv.StabilityLatest, emitted(t, runModeCalls(t, otelllm.WithSemconvStability(semconv.Stability(9)))))
	})
	t.Run("read once, when the Transport is made", func(t *testing.T) {
		t.Setenv(semconv.StabilityOptInEnv, semconv.OptInGenAILatestDup)
		run := runModeCallsAfter(t, func() { t.Setenv(semconv.StabilityOptInEnv, "") })
		assert.Equal(t, semconv.StabilityDup, emitted(t, run))
	})
}
