package otelllm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/baggage"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"

	"github.com/otelllm/otelllm/semconv"
)

const (
	tenantKey  = attribute.Key("app.tenant")
	featureKey = attribute.Key("app.feature")
	tierKey    = attribute.Key("app.user_tier")
)

// requestPoints returns the attribute sets of otelllm.client.requests.
func requestPoints(t *testing.T, rm metricdata.ResourceMetrics) []attribute.Set {
	t.Helper()
	m, ok := findMetric(rm, "otelllm.client.requests")
	require.True(t, ok)
	var sets []attribute.Set
	for _, dp := range m.Data.(metricdata.Sum[int64]).DataPoints {
		sets = append(sets, dp.Attributes)
	}
	return sets
}

func TestContextAttributesOnSpansRecordsAndNamedMetrics(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 10, 2)
	var mu sync.Mutex
	var records []CallRecord
	client, _ := budgetClient(rec, WithContextMetricKeys(tenantKey),
		WithCallback(func(_ context.Context, r CallRecord) { mu.Lock(); records = append(records, r); mu.Unlock() }))

	ctx := ContextWithAttributes(context.Background(), tenantKey.String("acme"), featureKey.String("search"), tierKey.Int(2))
	require.NoError(t, chatCall(ctx, client, srv.url(), ""))
	// An inner context adds to the enclosing attributes and overrides a key.
	inner := ContextWithAttributes(ctx, featureKey.String("summary"), attribute.KeyValue{})
	require.NoError(t, chatCall(inner, client, srv.url(), ""))
	// A refused call carries them too.
	refusedCtx, _ := Track(inner, WithRequestLimit(0))
	budgetErrorOf(t, chatCall(refusedCtx, client, srv.url(), ""))

	spans := rec.ended()
	require.Len(t, spans, 3)
	wants := []map[attribute.Key]attribute.Value{
		{tenantKey: attribute.StringValue("acme"), featureKey: attribute.StringValue("search"), tierKey: attribute.IntValue(2)},
		{tenantKey: attribute.StringValue("acme"), featureKey: attribute.StringValue("summary"), tierKey: attribute.IntValue(2)},
		{tenantKey: attribute.StringValue("acme"), featureKey: attribute.StringValue("summary"), tierKey: attribute.IntValue(2)},
	}
	for i, want := range wants {
		a := attrsOf(spans[i])
		got := map[attribute.Key]attribute.Value{}
		for k := range want {
			got[k] = a[k]
		}
		assert.Equal(t, want, got, "span %d", i)
		recAttrs := map[attribute.Key]attribute.Value{}
		for _, kv := range records[i].Attributes {
			recAttrs[kv.Key] = kv.Value
		}
		assert.Equal(t, want, recAttrs, "record %d", i)
	}
	// The attributes are on the span from its start, for samplers.
	assert.Equal(t, "acme", attrsOf(rec.spans.Started()[0])[tenantKey].AsString())

	rm := rec.collect(t)
	for _, set := range requestPoints(t, rm) {
		v, ok := set.Value(tenantKey)
		assert.True(t, ok, "the named key is on the metrics: %v", set.ToSlice())
		assert.Equal(t, "acme", v.AsString())
		assert.False(t, set.HasValue(featureKey), "a key not named stays off the metrics")
		assert.False(t, set.HasValue(tierKey))
	}
	assert.EqualValues(t, 3, sumInt(t, rm, "otelllm.client.requests", tenantKey.String("acme")))
	assert.EqualValues(t, 20, sumInt(t, rm, "otelllm.client.token.count", tenantKey.String("acme"), semconv.TokenTypeKey.String("input")))
	_, n := sumFloat(t, rm, "gen_ai.client.operation.duration", tenantKey.String("acme"))
	assert.EqualValues(t, 2, n)
}

// Without WithContextMetricKeys, context attributes are on spans only.
func TestContextAttributesStayOffMetricsByDefault(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 10, 2)
	client, _ := budgetClient(rec)
	require.NoError(t, chatCall(ContextWithAttributes(context.Background(), tenantKey.String("acme")), client, srv.url(), ""))
	assert.Equal(t, "acme", attrsOf(rec.onlySpan(t))[tenantKey].AsString())
	for _, set := range requestPoints(t, rec.collect(t)) {
		assert.False(t, set.HasValue(tenantKey))
	}
}

// A named key keeps at most semconv.MaxContextMetricValues values on the
// metrics; the spans keep every value.
func TestContextMetricValuesAreBounded(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 1, 1)
	client, _ := budgetClient(rec, WithContextMetricKeys(tenantKey))
	const tenants = semconv.MaxContextMetricValues + 50
	for i := range tenants {
		require.NoError(t, chatCall(ContextWithAttributes(context.Background(), tenantKey.String(fmt.Sprintf("tenant-%03d", i))), client, srv.url(), ""))
	}
	long := string(make([]byte, 300))
	require.NoError(t, chatCall(ContextWithAttributes(context.Background(), tenantKey.String(long)), client, srv.url(), ""))

	seen := map[string]bool{}
	for _, set := range requestPoints(t, rec.collect(t)) {
		v, _ := set.Value(tenantKey)
		seen[v.AsString()] = true
	}
	assert.Len(t, seen, semconv.MaxContextMetricValues+1, "the kept values and the overflow")
	assert.True(t, seen[semconv.ContextValueOverflow])
	assert.True(t, seen["tenant-000"])
	assert.False(t, seen[fmt.Sprintf("tenant-%03d", tenants-1)])
	assert.EqualValues(t, 51, sumInt(t, rec.collect(t), "otelllm.client.requests", tenantKey.String(semconv.ContextValueOverflow)))
	spans := rec.ended()
	assert.Equal(t, fmt.Sprintf("tenant-%03d", tenants-1), attrsOf(spans[tenants-1])[tenantKey].AsString(), "spans keep the value")
}

func TestBaggageMembersNamedAsMetricKeys(t *testing.T) {
	rec := newRecorder(t)
	srv := newChatServer(t, 10, 2)
	client, _ := budgetClient(rec, WithContextMetricKeys(tenantKey, tierKey))
	member := func(k, v string) baggage.Member {
		m, err := baggage.NewMember(k, v)
		require.NoError(t, err)
		return m
	}
	bag, err := baggage.New(member(string(tenantKey), "globex"), member(string(tierKey), "gold"), member("session.secret", "s3cr3t"))
	require.NoError(t, err)
	ctx := baggage.ContextWithBaggage(context.Background(), bag)
	require.NoError(t, chatCall(ctx, client, srv.url(), ""))
	// A ContextWithAttributes value beats the baggage member.
	require.NoError(t, chatCall(ContextWithAttributes(ctx, tenantKey.String("acme")), client, srv.url(), ""))

	spans := rec.ended()
	require.Len(t, spans, 2)
	a := attrsOf(spans[0])
	assert.Equal(t, "globex", a[tenantKey].AsString())
	assert.Equal(t, "gold", a[tierKey].AsString())
	assert.NotContains(t, a, attribute.Key("session.secret"), "baggage members not named are never read")
	assert.Equal(t, "acme", attrsOf(spans[1])[tenantKey].AsString())

	rm := rec.collect(t)
	assert.EqualValues(t, 1, sumInt(t, rm, "otelllm.client.requests", tenantKey.String("globex"), tierKey.String("gold")))
	assert.EqualValues(t, 1, sumInt(t, rm, "otelllm.client.requests", tenantKey.String("acme"), tierKey.String("gold")))
}

// Attribution crosses a process boundary with the W3C baggage header: the
// front end names the tenant, the back end that calls the model gets it.
func TestBaggageCrossesProcesses(t *testing.T) {
	rec := newRecorder(t)
	llm := newChatServer(t, 10, 2)
	client, _ := budgetClient(rec, WithContextMetricKeys(tenantKey))
	prop := propagation.Baggage{}
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := prop.Extract(r.Context(), propagation.HeaderCarrier(r.Header))
		if err := chatCall(ctx, client, llm.url(), ""); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
		}
	}))
	t.Cleanup(backend.Close)

	m, err := baggage.NewMember(string(tenantKey), "initech")
	require.NoError(t, err)
	bag, err := baggage.New(m)
	require.NoError(t, err)
	ctx := baggage.ContextWithBaggage(context.Background(), bag)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, backend.URL, nil)
	require.NoError(t, err)
	prop.Inject(ctx, propagation.HeaderCarrier(req.Header))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)

	assert.Equal(t, "initech", attrsOf(rec.onlySpan(t))[tenantKey].AsString())
	assert.EqualValues(t, 1, sumInt(t, rec.collect(t), "otelllm.client.requests", tenantKey.String("initech")))
}
