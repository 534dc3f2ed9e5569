package otelllm

import (
	"context"
	"sync/atomic"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/metric"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// opClass is which instruments of the latest conventions an operation
// reports on.
type opClass uint8

const (
	// opOther (count_tokens, and any operation that is neither of the
	// others) keeps gen_ai.client.operation.duration, which the latest
	// conventions leave to "other GenAI client operations".
	opOther opClass = iota
	// opInference: chat, text_completion, generate_content.
	opInference
	// opEmbeddings: embeddings.
	opEmbeddings
)

func classOf(operation string) opClass {
	switch operation {
	case providers.OperationChat, providers.OperationTextCompletion, providers.OperationGenerateContent:
		return opInference
	case providers.OperationEmbeddings:
		return opEmbeddings
	}
	return opOther
}

// latestUsageFields are the counts of the gen_ai.client.inference.usage.*
// counters, in the order of latestInstruments.usage.
var latestUsageFields = [5]providers.UsageField{providers.InputTokens, providers.OutputTokens, providers.CacheReadInputTokens, providers.CacheCreationInputTokens, providers.ReasoningTokens}

// latestInstruments are the instruments of the latest conventions, made
// once per Transport when they are emitted.
type latestInstruments struct {
	inferenceDuration     metric.Float64Histogram
	inferenceFirstChunk   metric.Float64Histogram
	inferencePerChunk     metric.Float64Histogram
	inferenceInputTokens  metric.Int64Histogram
	inferenceOutputTokens metric.Int64Histogram
	// usage are the gen_ai.client.inference.usage.* counters, by
	// latestUsageFields.
	usage [5]metric.Int64Counter

	embeddingsDuration    metric.Float64Histogram
	embeddingsInputTokens metric.Int64Histogram

	// otherDuration is gen_ai.client.operation.duration for opOther, nil
	// when the v1.41.0 instruments are emitted too: they record it.
	otherDuration metric.Float64Histogram
}

func newLatestInstruments(meter metric.Meter, s semconv.Stability) *latestInstruments {
	l := &latestInstruments{
		inferenceDuration:     float64Histogram(meter, semconv.LatestClientInferenceDuration()),
		inferenceFirstChunk:   float64Histogram(meter, semconv.LatestClientInferenceTimeToFirstChunk()),
		inferencePerChunk:     float64Histogram(meter, semconv.LatestClientInferenceTimePerOutputChunk()),
		inferenceInputTokens:  int64Histogram(meter, semconv.LatestClientInferenceOperationInputTokens()),
		inferenceOutputTokens: int64Histogram(meter, semconv.LatestClientInferenceOperationOutputTokens()),
		embeddingsDuration:    float64Histogram(meter, semconv.LatestClientEmbeddingsDuration()),
		embeddingsInputTokens: int64Histogram(meter, semconv.LatestClientEmbeddingsOperationInputTokens()),
	}
	for i, in := range [5]semconv.Instrument{
		semconv.LatestClientInferenceUsageInputTokens(),
		semconv.LatestClientInferenceUsageOutputTokens(),
		semconv.LatestClientInferenceUsageCacheReadInputTokens(),
		semconv.LatestClientInferenceUsageCacheWriteInputTokens(),
		semconv.LatestClientInferenceUsageReasoningOutputTokens(),
	} {
		c, err := meter.Int64Counter(in.Name, metric.WithUnit(in.Unit), metric.WithDescription(in.Description))
		if err != nil {
			otel.Handle(err)
		}
		l.usage[i] = c
	}
	if !s.EmitsDefault() {
		l.otherDuration = float64Histogram(meter, semconv.ClientOperationDuration())
	}
	return l
}

func int64Histogram(meter metric.Meter, i semconv.Instrument) metric.Int64Histogram {
	h, err := meter.Int64Histogram(i.Name, metric.WithUnit(i.Unit), metric.WithDescription(i.Description), metric.WithExplicitBucketBoundaries(i.Buckets...))
	if err != nil {
		otel.Handle(err)
	}
	return h
}

// latestOptions are the record options of one metricKey on the latest
// instruments. Their attribute sets differ by instrument, as the
// conventions define them.
type latestOptions struct {
	class opClass
	// withError: the durations and the inference token histograms
	// (error.type where the call failed).
	withError []metric.RecordOption
	// noError: time to first chunk, time per output chunk, embeddings
	// input tokens.
	noError []metric.RecordOption
	// usage: the usage counters, with gen_ai.token.modality and no
	// error.type. otelllm's providers report no split by modality, so
	// every count is "unknown", as the conventions ask.
	usage []metric.AddOption
	// zeroAdded is metricOptions.zeroAdded for the usage counters.
	zeroAdded [5]atomic.Bool
}

// newLatestOptions builds the latest record options of k; withError is the
// v1.41.0 histograms' options, whose attributes are the same.
func (t *telemetry) newLatestOptions(k metricKey, withError []metric.RecordOption) *latestOptions {
	attrs := make([]attribute.KeyValue, 0, 8+len(t.cfg.metricAttrs))
	attrs = append(attrs,
		semconv.GenAIOperationNameKey.String(k.operation),
		semconv.GenAIProviderNameKey.String(k.provider),
		semconv.ServerAddressKey.String(k.server),
		semconv.ServerPortKey.Int(k.port))
	if k.requestModel != "" {
		attrs = append(attrs, semconv.GenAIRequestModelKey.String(k.requestModel))
	}
	if k.responseModel != "" {
		attrs = append(attrs, semconv.GenAIResponseModelKey.String(k.responseModel))
	}
	attrs = append(attrs, t.cfg.metricAttrs...)
	noError := attribute.NewSet(attrs...)
	usage := attribute.NewSet(append(attrs, semconv.LatestGenAITokenModalityKey.String(semconv.LatestTokenModalityUnknown))...)
	return &latestOptions{
		class:     classOf(k.operation),
		withError: withError,
		noError:   []metric.RecordOption{metric.WithAttributeSet(noError)},
		usage:     []metric.AddOption{metric.WithAttributeSet(usage)},
	}
}

// recordLatest records a finished call on the latest instruments. As on
// the v1.41.0 ones, a count the provider did not report is not recorded:
// the conventions' 0 for a call without usage is not (see package
// semconv).
func (t *telemetry) recordLatest(ctx context.Context, rec *record, o *latestOptions) {
	l := t.latest
	u := rec.Usage
	switch o.class {
	case opInference:
		l.inferenceDuration.Record(ctx, rec.Duration.Seconds(), o.withError...)
		if rec.TimeToFirstChunk > 0 {
			l.inferenceFirstChunk.Record(ctx, rec.TimeToFirstChunk.Seconds(), o.noError...)
		}
		if u.Has(providers.InputTokens) {
			l.inferenceInputTokens.Record(ctx, u.InputTokens, o.withError...)
		}
		if u.Has(providers.OutputTokens) {
			l.inferenceOutputTokens.Record(ctx, u.OutputTokens, o.withError...)
		}
		for i, f := range latestUsageFields {
			if !u.Has(f) {
				continue
			}
			n := usageCount(u, f)
			if n == 0 {
				if o.zeroAdded[i].Load() {
					continue
				}
				o.zeroAdded[i].Store(true)
			}
			l.usage[i].Add(ctx, n, o.usage...)
		}
	case opEmbeddings:
		l.embeddingsDuration.Record(ctx, rec.Duration.Seconds(), o.withError...)
		if u.Has(providers.InputTokens) {
			l.embeddingsInputTokens.Record(ctx, u.InputTokens, o.noError...)
		}
	default:
		if l.otherDuration != nil {
			l.otherDuration.Record(ctx, rec.Duration.Seconds(), o.withError...)
		}
	}
}

// recordLatestGaps records buffered chunk gaps on
// gen_ai.client.inference.time_per_output_chunk, without the call's
// context, as the v1.41.0 histogram has them.
func (t *telemetry) recordLatestGaps(g *chunkGaps, o *metricOptions) {
	if o.latest == nil || o.latest.class != opInference || !t.latest.inferencePerChunk.Enabled(context.Background()) {
		return
	}
	for _, gap := range g.gaps[:g.n] {
		t.latest.inferencePerChunk.Record(context.Background(), gap, o.latest.noError...)
	}
}
