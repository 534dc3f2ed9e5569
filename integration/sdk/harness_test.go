package sdk

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/semconv"
)

// Fake credentials. Each is a distinctive string so that the secret check
// finds it wherever it might leak.
const (
	openAIKey    = "sk-otelllm-compat-openai-KEY"
	anthropicKey = "sk-ant-otelllm-compat-KEY"
	geminiKey    = "AIza-otelllm-compat-gemini-KEY"
	vertexToken  = "ya29.otelllm-compat-vertex-TOKEN"
	awsKeyID     = "AKID"
	awsSecret    = "SECRET"
)

func TestMain(m *testing.M) {
	// The expected costs come from the embedded table; a price file in the
	// environment would change what the transport uses.
	os.Unsetenv("OTELLLM_PRICES_FILE")
	// The tests check the default (v1.41.0) names; an opt-in to the latest
	// ones in the environment would change them.
	os.Unsetenv("OTEL_SEMCONV_STABILITY_OPT_IN")
	os.Exit(m.Run())
}

// harness is one test's telemetry: in-memory spans and metrics, the wrapped
// client the SDKs are given, and a tracked context to call them with.
type harness struct {
	spans   *tracetest.SpanRecorder
	metrics *sdkmetric.ManualReader
	client  *http.Client
	ctx     context.Context
	tracker *otelllm.Tracker
}

func newHarness(t *testing.T) *harness { return newHarnessOver(t, freshConnections()) }

// newHarnessOver is newHarness with the wrapped client's base transport and
// more options of its own.
func newHarnessOver(t *testing.T, base http.RoundTripper, opts ...otelllm.Option) *harness {
	h := &harness{spans: tracetest.NewSpanRecorder(), metrics: sdkmetric.NewManualReader()}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(h.spans))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(h.metrics))
	t.Cleanup(func() {
		_ = tp.Shutdown(context.Background())
		_ = mp.Shutdown(context.Background())
	})
	// No WithProviders: the defaults must recognise every SDK's calls.
	h.client = otelllm.WrapClient(&http.Client{Transport: base}, append([]otelllm.Option{otelllm.WithTracerProvider(tp), otelllm.WithMeterProvider(mp)}, opts...)...)
	h.ctx, h.tracker = otelllm.Track(t.Context())
	return h
}

// reply is a recorded response a fixture server replays.
type reply struct {
	file        string // under testdata/
	contentType string
	header      map[string]string
}

// received is one request as the server got it.
type received struct {
	method string
	path   string
	query  string
	header http.Header
	body   []byte
}

// fixtureServer replays recorded responses and keeps the requests it got.
// Streams are written in small flushed pieces, so that the SDK's reads (and
// the transport's observer) see them split at arbitrary points.
type fixtureServer struct {
	*httptest.Server
	mu  sync.Mutex
	got []received
	// verify, when set, checks each request; its error fails the test.
	verify func(r *http.Request, body []byte) error
}

// streamPiece is the size of the pieces a stream is written in: a prime, so
// that piece boundaries fall everywhere in the events.
const streamPiece = 97

func newFixtureServer(t *testing.T, routes map[string]reply) *fixtureServer {
	t.Helper()
	s := &fixtureServer{}
	mux := http.NewServeMux()
	for pattern, rep := range routes {
		payload := readFixture(t, rep.file)
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(r.Body)
			if err != nil {
				t.Errorf("%s: reading the request body: %v", pattern, err)
			}
			s.mu.Lock()
			s.got = append(s.got, received{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery, header: r.Header.Clone(), body: body})
			s.mu.Unlock()
			if s.verify != nil {
				if err := s.verify(r, body); err != nil {
					t.Errorf("%s: %v", pattern, err)
				}
			}
			w.Header().Set("Content-Type", rep.contentType)
			for k, v := range rep.header {
				w.Header().Set(k, v)
			}
			if !isStream(rep.contentType) {
				_, _ = w.Write(payload)
				return
			}
			flusher, _ := w.(http.Flusher)
			for rest := payload; len(rest) > 0; {
				n := min(streamPiece, len(rest))
				_, _ = w.Write(rest[:n])
				rest = rest[n:]
				if flusher != nil {
					flusher.Flush()
				}
			}
		})
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("fixture server: unexpected request %s %s", r.Method, r.URL)
		http.Error(w, "no fixture for this request", http.StatusNotFound)
	})
	s.Server = httptest.NewServer(mux)
	t.Cleanup(s.Close)
	return s
}

func isStream(contentType string) bool {
	return strings.HasPrefix(contentType, "text/event-stream") ||
		strings.HasPrefix(contentType, "application/x-ndjson") ||
		strings.HasPrefix(contentType, "application/vnd.amazon.eventstream")
}

// take returns the requests received since the last take.
func (s *fixtureServer) take() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	got := s.got
	s.got = nil
	return got
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

// sameAsBare runs call twice: with a bare client and a background context,
// then with the harness's wrapped client and tracked context. The SDK must
// return the same result both times and the server must receive the same
// requests (method, path, query, body), so the wrapper is invisible to the
// SDK and the API. It returns the wrapped run's result and requests.
func sameAsBare[R any](t *testing.T, h *harness, srv *fixtureServer, call func(ctx context.Context, hc *http.Client) (R, error)) (R, []received) {
	t.Helper()
	bare, err := call(context.Background(), &http.Client{Transport: freshConnections()})
	require.NoError(t, err, "bare client")
	bareReqs := srv.take()
	require.NotEmpty(t, bareReqs, "bare client: the server got no request")
	require.Empty(t, h.spans.Started(), "the bare client must not be observed")

	got, err := call(h.ctx, h.client)
	require.NoError(t, err, "wrapped client")
	gotReqs := srv.take()

	assert.Equal(t, bare, got, "the SDK's result differs with the wrapped client")
	require.Len(t, gotReqs, len(bareReqs), "the wrapped client sent a different number of requests")
	for i := range bareReqs {
		b, g := bareReqs[i], gotReqs[i]
		assert.Equal(t, b.method+" "+b.path+"?"+b.query, g.method+" "+g.path+"?"+g.query, "request %d line", i)
		assert.Equal(t, string(b.body), string(g.body), "request %d body", i)
		assert.NotEmpty(t, g.body, "request %d body", i)
	}
	return got, gotReqs
}

// wantCall is what one call's telemetry must say.
type wantCall struct {
	provider      string
	operation     string
	requestModel  string
	responseModel string
	responseID    string // "" when the API gives none: the attribute must be absent
	finishReasons []string
	stream        bool
	usage         wantUsage
	// unpriced says the model has no price: the call must be counted as
	// unpriced and carry no cost.
	unpriced bool
	// end is the otelllm.response.end value; "" means "eof" (or, for a
	// stream, "eof" or "closed").
	end string
}

// wantUsage is a call's normalised usage: input includes cached input,
// output includes reasoning. total is gen_ai.usage.total_tokens, 0 when the
// API reports none.
type wantUsage struct {
	input, output, total             int64
	cacheRead, cacheCreation         int64
	reasoning                        int64
	source                           string
	noOutput                         bool // embeddings: no output count at all
	cacheReadSent, cacheCreationSent bool // the API reported the count, even 0
}

func (w wantCall) spanName() string {
	if w.requestModel == "" {
		return w.operation
	}
	return w.operation + " " + w.requestModel
}

// model is the model the tracker accounts the call under.
func (w wantCall) model() string {
	if w.responseModel != "" {
		return w.responseModel
	}
	return w.requestModel
}

// cost recomputes the call's cost from the embedded price table, field by
// field, independently of pricing.Price.Cost.
func (w wantCall) cost(t *testing.T) (usd float64, key string) {
	t.Helper()
	m, ok := pricing.Default().Lookup(w.provider, w.responseModel, w.requestModel)
	if w.unpriced {
		require.False(t, ok, "%s %s is priced (%s) but the test expects it unpriced", w.provider, w.model(), m.Key)
		return 0, ""
	}
	require.True(t, ok, "no price for %s %s / %s", w.provider, w.responseModel, w.requestModel)
	p := m.Price
	require.Less(t, w.usage.input, int64(200_000), "the long-context tier is not recomputed here")
	u := w.usage
	usd = float64(u.input-u.cacheRead-u.cacheCreation) * p.Input
	usd += float64(u.cacheRead) * priceOr(p.CacheRead, p.Input)
	usd += float64(u.cacheCreation) * priceOr(p.CacheCreation, p.Input)
	if p.Reasoning != nil {
		usd += float64(u.output-u.reasoning)*p.Output + float64(u.reasoning)*(*p.Reasoning)
	} else {
		usd += float64(u.output) * p.Output
	}
	require.Positive(t, usd, "%s costs nothing: the test proves nothing about cost", m.Key)
	return usd, m.Key
}

func priceOr(p *float64, fallback float64) float64 {
	if p == nil {
		return fallback
	}
	return *p
}

// check asserts the spans, metrics and tracker totals of the calls made so
// far, and that none of secrets appears in any telemetry.
func (h *harness) check(t *testing.T, secrets []string, wants ...wantCall) {
	t.Helper()
	spans := h.spans.Ended()
	require.Len(t, spans, len(wants), "one span per call")
	require.Len(t, h.spans.Started(), len(wants), "no span left open")
	used := make([]bool, len(spans))
	for _, w := range wants {
		i := matchSpan(spans, used, w)
		if !assert.GreaterOrEqual(t, i, 0, "no span for %+v", w) {
			continue
		}
		used[i] = true
		t.Run("span "+w.spanName(), func(t *testing.T) { assertSpan(t, spans[i], w) })
	}
	rm := h.collect(t)
	h.checkMetrics(t, rm, wants)
	h.checkTracker(t, wants)
	checkSecrets(t, spans, rm, secrets)
}

// matchSpan finds the unused span of w's call. Sequential tests end their
// spans in call order; the concurrent test needs the search.
func matchSpan(spans []sdktrace.ReadOnlySpan, used []bool, w wantCall) int {
	for i, s := range spans {
		if used[i] {
			continue
		}
		a := attrsOf(s)
		if a[semconv.GenAIProviderNameKey].AsString() == w.provider &&
			a[semconv.GenAIRequestModelKey].AsString() == w.requestModel &&
			a[semconv.GenAIResponseIDKey].AsString() == w.responseID &&
			a[semconv.GenAIRequestStreamKey].AsBool() == w.stream {
			return i
		}
	}
	return -1
}

func assertSpan(t *testing.T, s sdktrace.ReadOnlySpan, w wantCall) {
	a := attrsOf(s)
	assert.Equal(t, w.spanName(), s.Name())
	assert.Equal(t, trace.SpanKindClient, s.SpanKind())
	assert.NotEqual(t, codes.Error, s.Status().Code, "status %v", s.Status())
	assert.Empty(t, s.Events(), "no error events")

	assertString(t, a, semconv.GenAIProviderNameKey, w.provider)
	assertString(t, a, semconv.GenAIOperationNameKey, w.operation)
	assertString(t, a, semconv.GenAIRequestModelKey, w.requestModel)
	assertString(t, a, semconv.GenAIResponseModelKey, w.responseModel)
	assertString(t, a, semconv.GenAIResponseIDKey, w.responseID)
	if v, ok := a[semconv.GenAIRequestStreamKey]; assert.True(t, ok, "gen_ai.request.stream") {
		assert.Equal(t, w.stream, v.AsBool(), "gen_ai.request.stream")
	}
	if w.finishReasons == nil {
		assert.NotContains(t, a, semconv.GenAIResponseFinishReasonsKey)
	} else {
		assert.Equal(t, w.finishReasons, a[semconv.GenAIResponseFinishReasonsKey].AsStringSlice(), "finish reasons")
	}

	u := w.usage
	assertInt(t, a, semconv.GenAIUsageInputTokensKey, u.input, true)
	if u.noOutput {
		assert.NotContains(t, a, semconv.GenAIUsageOutputTokensKey)
	} else {
		assertInt(t, a, semconv.GenAIUsageOutputTokensKey, u.output, true)
	}
	assertInt(t, a, semconv.UsageTotalTokensKey, u.total, u.total != 0)
	assertInt(t, a, semconv.GenAIUsageCacheReadInputTokensKey, u.cacheRead, u.cacheRead != 0 || u.cacheReadSent)
	assertInt(t, a, semconv.GenAIUsageCacheCreationInputTokensKey, u.cacheCreation, u.cacheCreation != 0 || u.cacheCreationSent)
	assertInt(t, a, semconv.GenAIUsageReasoningOutputTokensKey, u.reasoning, u.reasoning != 0)
	assertString(t, a, semconv.UsageSourceKey, u.source)

	switch {
	case w.end != "":
		assertString(t, a, semconv.ResponseEndKey, w.end)
	case w.stream:
		// SDKs stop reading at the stream's final event and close the
		// body; whether net/http had already returned io.EOF with the last
		// bytes depends on the timing of the server's final chunk. Both
		// mean the stream was seen to its end (usage.complete is asserted
		// below); go-openai gave "closed" in 2 of 30 runs.
		assert.Contains(t, []string{semconv.EndEOF, semconv.EndClosed}, a[semconv.ResponseEndKey].AsString(), "otelllm.response.end")
	default:
		assertString(t, a, semconv.ResponseEndKey, semconv.EndEOF)
	}
	assert.NotContains(t, a, semconv.ObserveErrorKey, "observe error: %v", a[semconv.ObserveErrorKey].Emit())
	assert.NotContains(t, a, semconv.ErrorTypeKey)
	if v, ok := a[semconv.UsageCompleteKey]; assert.True(t, ok, "otelllm.usage.complete") {
		assert.True(t, v.AsBool(), "otelllm.usage.complete")
	}

	if w.unpriced {
		assert.NotContains(t, a, semconv.UsageCostKey)
		assert.True(t, a[semconv.PricingUnpricedKey].AsBool(), "otelllm.pricing.unpriced")
		return
	}
	cost, key := w.cost(t)
	if v, ok := a[semconv.UsageCostKey]; assert.True(t, ok, "gen_ai.usage.cost") {
		assert.InDelta(t, cost, v.AsFloat64(), 1e-12, "gen_ai.usage.cost")
	}
	assertString(t, a, semconv.PricingModelKey, key)
}

func assertString(t *testing.T, a map[attribute.Key]attribute.Value, key attribute.Key, want string) {
	t.Helper()
	v, ok := a[key]
	if want == "" {
		assert.False(t, ok, "%s must be absent, is %q", key, v.Emit())
		return
	}
	if assert.True(t, ok, "%s missing", key) {
		assert.Equal(t, want, v.AsString(), "%s", key)
	}
}

// assertInt checks an integer attribute; when required is false the
// attribute may be absent, but if present must equal want.
func assertInt(t *testing.T, a map[attribute.Key]attribute.Value, key attribute.Key, want int64, required bool) {
	t.Helper()
	v, ok := a[key]
	if !ok {
		assert.False(t, required, "%s missing", key)
		return
	}
	assert.Equal(t, want, v.AsInt64(), "%s", key)
}

func attrsOf(s sdktrace.ReadOnlySpan) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes() {
		m[kv.Key] = kv.Value
	}
	return m
}

func (h *harness) collect(t *testing.T) metricdata.ResourceMetrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	require.NoError(t, h.metrics.Collect(context.Background(), &rm))
	return rm
}

// checkMetrics asserts that the metrics add up to the calls, in total and
// per provider and response model.
func (h *harness) checkMetrics(t *testing.T, rm metricdata.ResourceMetrics, wants []wantCall) {
	t.Helper()
	type key struct{ provider, model string }
	groups := map[key][]wantCall{}
	for _, w := range wants {
		k := key{w.provider, w.responseModel}
		groups[k] = append(groups[k], w)
	}
	groups[key{}] = wants // the grand total
	for k, ws := range groups {
		var filter []attribute.KeyValue
		if k.provider != "" {
			filter = append(filter, semconv.GenAIProviderNameKey.String(k.provider))
			if k.model != "" {
				filter = append(filter, semconv.GenAIResponseModelKey.String(k.model))
			}
		}
		var in, out, cacheRead, cacheCreation, reasoning int64
		var cost float64
		var streams, outputs uint64
		for _, w := range ws {
			if !w.usage.noOutput {
				outputs++
			}
			in += w.usage.input
			out += w.usage.output
			cacheRead += w.usage.cacheRead
			cacheCreation += w.usage.cacheCreation
			reasoning += w.usage.reasoning
			if !w.unpriced {
				c, _ := w.cost(t)
				cost += c
			}
			if w.stream {
				streams++
			}
		}
		name := fmt.Sprintf("%s %s", k.provider, k.model)
		calls := uint64(len(ws))
		tok := semconv.ClientTokenUsage().Name
		sum, count := sumInt(t, rm, tok, append(filter, semconv.GenAITokenTypeKey.String(semconv.TokenTypeInput))...)
		assert.Equal(t, in, sum, "%s: %s input", name, tok)
		assert.Equal(t, calls, count, "%s: %s input records", name, tok)
		sum, count = sumInt(t, rm, tok, append(filter, semconv.GenAITokenTypeKey.String(semconv.TokenTypeOutput))...)
		assert.Equal(t, out, sum, "%s: %s output", name, tok)
		assert.Equal(t, outputs, count, "%s: %s output records", name, tok)

		cnt := semconv.ClientTokenCount().Name
		for typ, want := range map[string]int64{
			semconv.TokenCountInput:         in,
			semconv.TokenCountOutput:        out,
			semconv.TokenCountCacheRead:     cacheRead,
			semconv.TokenCountCacheCreation: cacheCreation,
			semconv.TokenCountReasoning:     reasoning,
		} {
			sum, _ := sumInt(t, rm, cnt, append(filter, semconv.TokenTypeKey.String(typ))...)
			assert.Equal(t, want, sum, "%s: %s %s", name, cnt, typ)
		}

		gotCost, _ := sumFloat(t, rm, semconv.ClientCost().Name, filter...)
		assert.InDelta(t, cost, gotCost, 1e-12, "%s: %s", name, semconv.ClientCost().Name)
		_, durations := sumFloat(t, rm, semconv.ClientOperationDuration().Name, filter...)
		assert.Equal(t, calls, durations, "%s: %s records", name, semconv.ClientOperationDuration().Name)
		_, firsts := sumFloat(t, rm, semconv.ClientTimeToFirstChunk().Name, filter...)
		assert.Equal(t, streams, firsts, "%s: %s records", name, semconv.ClientTimeToFirstChunk().Name)
		requests, _ := sumInt(t, rm, semconv.ClientRequests().Name, filter...)
		assert.Equal(t, int64(calls), requests, "%s: %s", name, semconv.ClientRequests().Name)
	}
}

// checkTracker asserts the tracker's totals and its breakdown by model.
func (h *harness) checkTracker(t *testing.T, wants []wantCall) {
	t.Helper()
	want := otelllm.Usage{ByModel: map[string]otelllm.Usage{}}
	for _, w := range wants {
		m := want.ByModel[w.model()]
		for _, u := range []*otelllm.Usage{&want, &m} {
			u.Requests++
			u.SuccessfulRequests++
			u.InputTokens += w.usage.input
			u.OutputTokens += w.usage.output
			u.TotalTokens += w.usage.input + w.usage.output
			u.CacheReadInputTokens += w.usage.cacheRead
			u.CacheCreationInputTokens += w.usage.cacheCreation
			u.ReasoningTokens += w.usage.reasoning
			if w.unpriced {
				u.UnpricedRequests++
			} else {
				c, _ := w.cost(t)
				u.CostUSD += c
			}
		}
		want.ByModel[w.model()] = m
	}
	got := h.tracker.Usage()
	assert.InDelta(t, want.CostUSD, got.CostUSD, 1e-12, "tracker cost")
	for model, m := range got.ByModel {
		if wm, ok := want.ByModel[model]; ok {
			assert.InDelta(t, wm.CostUSD, m.CostUSD, 1e-12, "tracker cost of %s", model)
			wm.CostUSD = m.CostUSD
			want.ByModel[model] = wm
		}
	}
	want.CostUSD = got.CostUSD
	assert.Equal(t, want, got, "tracker totals")
}

// checkSecrets asserts that no credential appears in any span attribute,
// span event or metric attribute.
func checkSecrets(t *testing.T, spans []sdktrace.ReadOnlySpan, rm metricdata.ResourceMetrics, secrets []string) {
	t.Helper()
	var texts []string
	for _, s := range spans {
		texts = append(texts, s.Name())
		for _, kv := range s.Attributes() {
			texts = append(texts, string(kv.Key)+"="+kv.Value.Emit())
		}
		for _, e := range s.Events() {
			for _, kv := range e.Attributes {
				texts = append(texts, string(kv.Key)+"="+kv.Value.Emit())
			}
		}
	}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			forEachAttributeSet(m.Data, func(set attribute.Set) {
				for _, kv := range set.ToSlice() {
					texts = append(texts, string(kv.Key)+"="+kv.Value.Emit())
				}
			})
		}
	}
	for _, secret := range secrets {
		for _, text := range texts {
			assert.NotContains(t, text, secret, "a credential reached the telemetry")
		}
	}
}

func forEachAttributeSet(data metricdata.Aggregation, fn func(attribute.Set)) {
	switch d := data.(type) {
	case metricdata.Sum[int64]:
		for _, dp := range d.DataPoints {
			fn(dp.Attributes)
		}
	case metricdata.Sum[float64]:
		for _, dp := range d.DataPoints {
			fn(dp.Attributes)
		}
	case metricdata.Histogram[int64]:
		for _, dp := range d.DataPoints {
			fn(dp.Attributes)
		}
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			fn(dp.Attributes)
		}
	}
}

func findMetric(rm metricdata.ResourceMetrics, name string) (metricdata.Metrics, bool) {
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			if m.Name == name {
				return m, true
			}
		}
	}
	return metricdata.Metrics{}, false
}

// sumInt adds the int64 data points of metric name whose attributes include
// all of want: the values of a sum, the sums of a histogram. count is the
// number of histogram records, or of sum data points.
func sumInt(t *testing.T, rm metricdata.ResourceMetrics, name string, want ...attribute.KeyValue) (sum int64, count uint64) {
	t.Helper()
	m, ok := findMetric(rm, name)
	if !ok {
		return 0, 0
	}
	switch d := m.Data.(type) {
	case metricdata.Sum[int64]:
		for _, dp := range d.DataPoints {
			if hasAll(dp.Attributes, want) {
				sum += dp.Value
				count++
			}
		}
	case metricdata.Histogram[int64]:
		for _, dp := range d.DataPoints {
			if hasAll(dp.Attributes, want) {
				sum += dp.Sum
				count += dp.Count
			}
		}
	default:
		t.Fatalf("%s: unexpected data %T", name, m.Data)
	}
	return sum, count
}

func sumFloat(t *testing.T, rm metricdata.ResourceMetrics, name string, want ...attribute.KeyValue) (sum float64, count uint64) {
	t.Helper()
	m, ok := findMetric(rm, name)
	if !ok {
		return 0, 0
	}
	switch d := m.Data.(type) {
	case metricdata.Sum[float64]:
		for _, dp := range d.DataPoints {
			if hasAll(dp.Attributes, want) {
				sum += dp.Value
				count++
			}
		}
	case metricdata.Histogram[float64]:
		for _, dp := range d.DataPoints {
			if hasAll(dp.Attributes, want) {
				sum += dp.Sum
				count += dp.Count
			}
		}
	default:
		t.Fatalf("%s: unexpected data %T", name, m.Data)
	}
	return sum, count
}

func hasAll(set attribute.Set, want []attribute.KeyValue) bool {
	return !slices.ContainsFunc(want, func(kv attribute.KeyValue) bool {
		v, ok := set.Value(kv.Key)
		return !ok || v != kv.Value
	})
}

// freshConnections is the base transport of every SDK test client, bare or
// wrapped.
//
// aws-sdk-go-v2 (smithy-go) wraps request bodies in a reader whose WriteTo
// returns io.EOF once closed, and closes it as soon as client.Do returns. When
// that happens while net/http's write loop is still draining the body after
// its Content-Length, the write fails with io.EOF and the transport closes
// the connection under the streaming response: the SDK then reports "use of
// closed network connection" mid-stream, with or without otelllm (about 1 in
// 150 bare InvokeModelWithResponseStream calls here; httptrace's WroteRequest
// showed the EOF). Hiding WriteTo makes io.Copy treat that EOF as the end it
// is. otelllm's own re-wrapped request bodies have no WriteTo either.
func freshConnections() http.RoundTripper {
	return noWriterTo{base: &http.Transport{}}
}

type noWriterTo struct{ base *http.Transport }

func (n noWriterTo) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && req.Body != http.NoBody {
		if _, ok := req.Body.(io.WriterTo); ok {
			req = req.Clone(req.Context())
			req.Body = readOnlyBody{req.Body}
		}
	}
	return n.base.RoundTrip(req)
}

func (n noWriterTo) CloseIdleConnections() { n.base.CloseIdleConnections() }

// readOnlyBody is a request body without the WriteTo of the one it wraps.
type readOnlyBody struct{ io.ReadCloser }
