package otelllm

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"

	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/semconv"
)

func TestPricesFileFromTheEnvironment(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prices.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"test-model": {"litellm_provider": "testai", "mode": "chat",
		"input_cost_per_token": 5e-6, "output_cost_per_token": 7e-6}}`), 0o600))
	t.Setenv(pricing.EnvFile, path)

	rec := newRecorder(t)
	url := trackerServer(t)
	// No WithModelPrice: the price comes from the file named in the environment.
	client := WrapClient(nil, WithTracerProvider(rec.tp), WithMeterProvider(rec.mp), WithProviders(testProvider{}))
	call(t, context.Background(), client, url, `{"model":"test-model"}`)
	a := attrsOf(rec.onlySpan(t))
	assert.InDelta(t, 100*5e-6+20*7e-6, a[semconv.UsageCostKey].AsFloat64(), 1e-15)
	assert.Contains(t, a[semconv.PricingSourceKey].AsString(), path)
}

type recordingHandler struct {
	mu   sync.Mutex
	errs []error
}

func (h *recordingHandler) Handle(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.errs = append(h.errs, err)
}

func TestMalformedPricesFileIsReportedNotFatal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prices.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"test-model": {"input_cost_per_token": "cheap"`), 0o600))
	t.Setenv(pricing.EnvFile, path)
	h := &recordingHandler{}
	otel.SetErrorHandler(h)
	t.Cleanup(func() { otel.SetErrorHandler(otel.ErrorHandlerFunc(func(error) {})) })

	rec := newRecorder(t)
	url := trackerServer(t)
	client := WrapClient(nil, WithTracerProvider(rec.tp), WithMeterProvider(rec.mp), WithProviders(testProvider{}))
	call(t, context.Background(), client, url, `{"model":"test-model"}`)
	h.mu.Lock()
	defer h.mu.Unlock()
	require.NotEmpty(t, h.errs, "the bad file is reported")
	assert.Contains(t, errors.Join(h.errs...).Error(), path)
	a := attrsOf(rec.onlySpan(t))
	assert.True(t, a[semconv.PricingUnpricedKey].AsBool(), "test-model is not in the embedded table")
	tr := client.Transport.(*Transport)
	assert.Equal(t, pricing.Source, tr.cfg.prices.Source(), "the embedded table is used instead")
	assert.Equal(t, pricing.Default().Len(), tr.cfg.prices.Len())
}

func TestMetricAttributesByOption(t *testing.T) {
	rec := newRecorder(t)
	url := trackerServer(t)
	client := WrapClient(nil, rec.options(WithMetricAttributes(attribute.String("tenant.tier", "gold")))...)
	call(t, context.Background(), client, url, `{"model":"test-model"}`)
	rm := rec.collect(t)
	gold := attribute.String("tenant.tier", "gold")
	assert.EqualValues(t, 100, sumInt(t, rm, "otelllm.client.token.count", gold, semconv.TokenTypeKey.String("input")))
	assert.EqualValues(t, 100, sumInt(t, rm, "gen_ai.client.token.usage", gold, semconv.GenAITokenTypeKey.String("input")))
	_, n := sumFloat(t, rm, "gen_ai.client.operation.duration", gold)
	assert.EqualValues(t, 1, n)
	// Spans are not affected.
	_, onSpan := attrsOf(rec.onlySpan(t))["tenant.tier"]
	assert.False(t, onSpan)
}
