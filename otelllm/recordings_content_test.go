package otelllm_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdklog "go.opentelemetry.io/otel/sdk/log"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/semconv"
)

// This file replays every recording again with content capture on, span
// and event, and requires three things of each: that capture changes
// nothing else (the application reads the same bytes, and the span still
// matches want.json exactly as TestRecordings requires); that what is
// captured is well-formed (JSON arrays on the span, one details event in
// the span's context); and, for the providers that capture content
// (the OpenAI family, Anthropic and Claude on Vertex AI), one output
// message per finish reason want.json states, each with that reason.

type logExporter struct {
	mu      sync.Mutex
	records []sdklog.Record
}

func (e *logExporter) Export(_ context.Context, recs []sdklog.Record) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, r := range recs {
		e.records = append(e.records, r.Clone())
	}
	return nil
}

func (e *logExporter) Shutdown(context.Context) error   { return nil }
func (e *logExporter) ForceFlush(context.Context) error { return nil }

// capturesContent reports whether the recording's provider captures
// content today.
func capturesContent(r recording) bool {
	return r.family == "openai-family" || strings.HasPrefix(r.shape, "anthropic")
}

func TestRecordingsWithContent(t *testing.T) {
	recs := loadRecordings(t)
	want := loadWant(t)
	pt, err := loadPriceTable()
	if err != nil {
		t.Fatal(err)
	}
	withOutput := 0
	for _, r := range recs {
		w := want[r.name]
		if w == nil {
			continue // TestRecordings reports it
		}
		cost, priced, _ := expectedCost(t, pt, w)
		tableCost, tabled := expectedTableCost(t, pt, w)
		for _, mode := range modesFor(r) {
			t.Run(r.name+"/"+mode.name, func(t *testing.T) {
				logs := &logExporter{}
				lp := sdklog.NewLoggerProvider(sdklog.WithProcessor(sdklog.NewSimpleProcessor(logs)))
				defer func() { _ = lp.Shutdown(context.Background()) }()
				res := replay(t, r, mode, otelllm.WithContentCapture(otelllm.ContentSpanAndEvent), otelllm.WithLoggerProvider(lp))
				for _, p := range res.problems {
					t.Errorf("%s [%s] with content: %s", r.name, mode.name, p)
				}
				// The rest of the telemetry is what it is without content.
				got := fieldNames(compare(w, res, cost, priced, tableCost, tabled))
				applies := len(w.KnownModes) == 0 || slices.Contains(w.KnownModes, mode.name)
				if w.KnownIssue != "" && applies {
					if !slices.Equal(got, w.KnownFields) {
						t.Errorf("with content, mismatching %q, without %q", got, w.KnownFields)
					}
				} else if len(got) > 0 {
					t.Errorf("with content, fields differ from want.json: %q", got)
				}
				if len(res.spans) != 1 {
					if w.KnownIssue != "" && applies {
						return // a known miss, unchanged by content (checked above)
					}
					t.Fatalf("%d spans", len(res.spans))
				}
				span := res.spans[0]
				attrs := map[attribute.Key]attribute.Value{}
				for _, kv := range span.Attributes() {
					attrs[kv.Key] = kv.Value
				}
				decoded := map[attribute.Key][]map[string]any{}
				for _, k := range []attribute.Key{semconv.GenAIInputMessagesKey, semconv.GenAIOutputMessagesKey,
					semconv.GenAISystemInstructionsKey, semconv.GenAIToolDefinitionsKey} {
					v, ok := attrs[k]
					if !ok {
						continue
					}
					var arr []map[string]any
					if err := json.Unmarshal([]byte(v.AsString()), &arr); err != nil {
						t.Errorf("%s is not a JSON array of objects: %v: %s", k, err, v.AsString())
					}
					decoded[k] = arr
				}
				logs.mu.Lock()
				defer logs.mu.Unlock()
				if len(logs.records) != 1 {
					t.Fatalf("%d details events, want 1", len(logs.records))
				}
				ev := logs.records[0]
				if ev.EventName() != semconv.InferenceDetailsEventName || ev.SpanID() != span.SpanContext().SpanID() || ev.TraceID() != span.SpanContext().TraceID() {
					t.Errorf("event %q in span %s, want %q in %s", ev.EventName(), ev.SpanID(), semconv.InferenceDetailsEventName, span.SpanContext().SpanID())
				}
				if !capturesContent(r) || r.status >= 400 {
					return
				}
				out := decoded[semconv.GenAIOutputMessagesKey]
				if w.FinishReasons != nil && len(w.FinishReasons) > 0 {
					if len(out) != len(w.FinishReasons) {
						t.Fatalf("%d output messages for finish reasons %q", len(out), w.FinishReasons)
					}
					for i, m := range out {
						if m["finish_reason"] != w.FinishReasons[i] {
							t.Errorf("output message %d: finish_reason %v, want %q", i, m["finish_reason"], w.FinishReasons[i])
						}
					}
					withOutput++
				}
			})
		}
	}
	t.Logf("%d replays carried one output message per finish reason", withOutput)
}
