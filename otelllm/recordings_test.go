package otelllm_test

// This file replays every response in testdata/recordings (responses other
// public projects recorded from real API calls: see its README.md and the
// two INDEX.md files) through the real transport, over real HTTP and TLS
// connections, and compares the exported span and a Tracker with the ground
// truth in testdata/recordings/want.json.
//
// want.json is written by recordings_reference_test.go, which reads every
// body with its own code (encoding/json, its own SSE, NDJSON and AWS event
// stream readers, the providers' documented semantics) and shares nothing
// with the providers; run
//
//	go test ./otelllm -run TestRecordingsReference -update
//
// to regenerate it, then review the diff. The hand-written members of an
// entry (note, known_issue, known_fields, known_modes) survive -update.
//
// A case marked known_issue is a diagnosed miss: the test skips it while the
// fields that mismatch are exactly known_fields, and fails as soon as they
// are not (the miss is fixed, or changed), so a marker cannot go stale.
// `go test ./otelllm -run Recordings -v` lists each skip with its diagnosis
// and every mismatch (case, field, want, got).

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/attribute"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/pricing"
	"github.com/otelllm/otelllm/semconv"
)

var updateKnown = flag.Bool("update-known", false,
	"set known_fields of every want.json entry that has a known_issue to the fields that mismatch today")

const recordingsDir = "testdata/recordings"

// recording is one recorded response and the request that produced it.
type recording struct {
	name   string // family/source/case, e.g. openai-family/otelcontrib/chat_full_basic
	family string // openai-family or other-providers
	// shape names the wire format: openai_chat, openai_completions,
	// openai_embeddings, openai_responses, or the kind of an
	// other-providers sidecar (anthropic, anthropic_stream,
	// bedrock_converse, bedrock_invoke_stream, gemini, cohere_chat, ...).
	shape string

	method, scheme, host string
	path, query          string // as recorded: the path escaped, the query raw

	status int
	// header is what the server sends: the recorded Content-Type and
	// Content-Encoding and the other recorded headers that matter.
	header http.Header

	request   []byte // the request body the application sends
	reqHeader http.Header

	served []byte // the body bytes on the wire (compressed when Content-Encoding says so)
	plain  []byte // the body as the application reads it after decoding

	// wantProvider is the provider name the case file states, "" when it
	// leaves it open.
	wantProvider string
}

func (r recording) url() string {
	u := r.scheme + "://" + r.host + r.path
	if r.query != "" {
		u += "?" + r.query
	}
	return u
}

func (r recording) gzipped() bool { return strings.EqualFold(r.header.Get("Content-Encoding"), "gzip") }

// stream reports whether the body is a stream an SDK reads incrementally.
func (r recording) stream() bool {
	if strings.HasSuffix(r.shape, "_stream") {
		return true
	}
	ct := strings.ToLower(r.header.Get("Content-Type"))
	return strings.Contains(ct, "event-stream") || strings.Contains(ct, "ndjson") || strings.Contains(ct, "eventstream")
}

// caseFile is an openai-family <case>.case.json sidecar.
type caseFile struct {
	API             string          `json:"api"`
	BodyFile        string          `json:"body_file"`
	ContentEncoding string          `json:"content_encoding"`
	ContentType     string          `json:"content_type"`
	Host            string          `json:"host"`
	Method          string          `json:"method"`
	Path            string          `json:"path"`
	Query           string          `json:"query"`
	Request         json.RawMessage `json:"request"`
	Scheme          string          `json:"scheme"`
	Status          int             `json:"status"`
	WantProvider    string          `json:"want_provider"`
}

// metaFile is an other-providers <case>.meta.json sidecar.
type metaFile struct {
	Kind              string            `json:"kind"`
	Method            string            `json:"method"`
	Path              string            `json:"path"`
	Query             string            `json:"query"`
	Host              string            `json:"host"`
	Status            int               `json:"status"`
	Headers           map[string]string `json:"headers"`
	Request           json.RawMessage   `json:"request"`
	Body              string            `json:"body"`
	Provider          string            `json:"provider"`
	AppAcceptEncoding *string           `json:"app_accept_encoding"`
}

// loadRecordings reads every case under testdata/recordings.
func loadRecordings(t testing.TB) []recording {
	t.Helper()
	var recs []recording
	sidecars, err := filepath.Glob(filepath.Join(recordingsDir, "*", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range sidecars {
		isCase, isMeta := strings.HasSuffix(path, ".case.json"), strings.HasSuffix(path, ".meta.json")
		if !isCase && !isMeta {
			continue
		}
		dir := filepath.Dir(path)
		rel, _ := filepath.Rel(recordingsDir, path)
		rel = filepath.ToSlash(rel)
		rec := recording{
			name:      strings.TrimSuffix(strings.TrimSuffix(rel, ".case.json"), ".meta.json"),
			family:    strings.SplitN(rel, "/", 2)[0],
			header:    http.Header{},
			reqHeader: http.Header{"Content-Type": {"application/json"}},
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var bodyFile string
		if isCase {
			var c caseFile
			if err := json.Unmarshal(raw, &c); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			rec.shape = "openai_" + c.API
			rec.method, rec.scheme, rec.host, rec.path, rec.query = c.Method, c.Scheme, c.Host, c.Path, c.Query
			rec.status, rec.request, rec.wantProvider = c.Status, c.Request, c.WantProvider
			rec.header.Set("Content-Type", c.ContentType)
			if c.ContentEncoding != "" {
				rec.header.Set("Content-Encoding", c.ContentEncoding)
			}
			bodyFile = c.BodyFile
		} else {
			var m metaFile
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			rec.shape = m.Kind
			rec.method, rec.host, rec.path, rec.query = m.Method, m.Host, m.Path, m.Query
			rec.scheme = "https"
			if strings.HasPrefix(m.Host, "127.0.0.1:") || strings.HasPrefix(m.Host, "localhost:") {
				rec.scheme = "http"
			}
			rec.status, rec.request, rec.wantProvider = m.Status, m.Request, m.Provider
			for k, v := range m.Headers {
				rec.header.Set(k, v)
			}
			if strings.HasPrefix(m.Kind, "anthropic") && m.Host == "api.anthropic.com" {
				// Every Anthropic SDK sends it; the Vertex AI form carries
				// anthropic_version in the body instead.
				rec.reqHeader.Set("anthropic-version", "2023-06-01")
			}
			bodyFile = m.Body
		}
		if len(rec.request) == 0 || string(rec.request) == "null" {
			rec.request = []byte("{}")
		}
		rec.request = compactJSON(t, rec.request)
		if rec.served, err = os.ReadFile(filepath.Join(dir, bodyFile)); err != nil {
			t.Fatal(err)
		}
		rec.plain = rec.served
		if rec.gzipped() {
			zr, err := gzip.NewReader(bytes.NewReader(rec.served))
			if err != nil {
				t.Fatalf("%s: %v", rec.name, err)
			}
			if rec.plain, err = io.ReadAll(zr); err != nil {
				t.Fatalf("%s: %v", rec.name, err)
			}
		}
		recs = append(recs, rec)
	}
	sort.Slice(recs, func(i, j int) bool { return recs[i].name < recs[j].name })
	if len(recs) == 0 {
		t.Fatal("no recordings found")
	}
	return recs
}

func compactJSON(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		t.Fatalf("request body %s: %v", b, err)
	}
	return buf.Bytes()
}

// wantEntry is the ground truth of one case, as want.json holds it.
type wantEntry struct {
	Case string `json:"case"`

	Provider      string   `json:"provider"`
	Operation     string   `json:"operation"`
	ResponseModel string   `json:"response_model,omitempty"`
	ResponseID    string   `json:"response_id,omitempty"`
	FinishReasons []string `json:"finish_reasons,omitempty"`
	// Usage holds the counts the response reported, normalised: input
	// includes cache reads and writes, output includes reasoning. A count
	// the response did not report is absent, never 0.
	Usage     wantUsage `json:"usage"`
	ErrorType string    `json:"error_type,omitempty"`

	// PriceKey is the price table entry the call is priced with, "" when
	// the table has none (the call is then unpriced); PriceTier the service
	// tier whose prices apply. SearchContextSize prices web searches.
	PriceKey          string `json:"price_key,omitempty"`
	PriceTier         string `json:"price_tier,omitempty"`
	SearchContextSize string `json:"search_context_size,omitempty"`
	// RequestSearchFee: Perplexity bills one search at SearchContextSize
	// per request when the response counts no searches.
	RequestSearchFee bool `json:"request_search_fee,omitempty"`
	// ProviderCost is the cost in USD the response itself states (OpenRouter
	// usage.cost, xAI usage.cost_in_usd_ticks, Perplexity
	// usage.cost.total_cost): it is the call's cost, whatever the table says.
	ProviderCost *float64 `json:"provider_cost,omitempty"`

	// Why explains how the reference derived the values (generated).
	Why []string `json:"why,omitempty"`
	// Note is a hand-written remark, kept by -update.
	Note string `json:"note,omitempty"`
	// KnownIssue diagnoses a known miss of the current code; KnownFields
	// are the fields it makes mismatch, KnownModes the replay modes it
	// shows in (all when empty).
	KnownIssue  string   `json:"known_issue,omitempty"`
	KnownFields []string `json:"known_fields,omitempty"`
	KnownModes  []string `json:"known_modes,omitempty"`
}

type wantUsage struct {
	Input           *int64 `json:"input,omitempty"`
	Output          *int64 `json:"output,omitempty"`
	Total           *int64 `json:"total,omitempty"`
	CacheRead       *int64 `json:"cache_read,omitempty"`
	CacheCreation   *int64 `json:"cache_creation,omitempty"`
	CacheCreation1h *int64 `json:"cache_creation_1h,omitempty"`
	Reasoning       *int64 `json:"reasoning,omitempty"`
	WebSearches     *int64 `json:"web_searches,omitempty"`
}

func (u wantUsage) reported() bool { return u.Input != nil || u.Output != nil }

func (u wantUsage) fields() []struct {
	name string
	v    *int64
} {
	return []struct {
		name string
		v    *int64
	}{
		{"input", u.Input}, {"output", u.Output}, {"total", u.Total},
		{"cache_read", u.CacheRead}, {"cache_creation", u.CacheCreation}, {"cache_creation_1h", u.CacheCreation1h},
		{"reasoning", u.Reasoning}, {"web_searches", u.WebSearches},
	}
}

var usageKeys = map[string]attribute.Key{
	"input":             semconv.GenAIUsageInputTokensKey,
	"output":            semconv.GenAIUsageOutputTokensKey,
	"total":             semconv.UsageTotalTokensKey,
	"cache_read":        semconv.GenAIUsageCacheReadInputTokensKey,
	"cache_creation":    semconv.GenAIUsageCacheCreationInputTokensKey,
	"cache_creation_1h": semconv.UsageCacheCreation1hInputTokensKey,
	"reasoning":         semconv.GenAIUsageReasoningOutputTokensKey,
	"web_searches":      semconv.UsageWebSearchRequestsKey,
}

func loadWant(t testing.TB) map[string]*wantEntry {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(recordingsDir, "want.json"))
	if err != nil {
		t.Fatal(err)
	}
	var list []*wantEntry
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatalf("want.json: %v", err)
	}
	m := make(map[string]*wantEntry, len(list))
	for _, e := range list {
		if m[e.Case] != nil {
			t.Fatalf("want.json: %s twice", e.Case)
		}
		m[e.Case] = e
	}
	return m
}

// priceTable is pricing/prices.json read as plain JSON, so that expected
// costs come from the table's own fields rather than from package pricing.
type priceTable map[string]map[string]json.RawMessage

var loadPriceTable = sync.OnceValues(func() (priceTable, error) {
	raw, err := os.ReadFile("../pricing/prices.json")
	if err != nil {
		return nil, err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, err
	}
	t := priceTable{}
	for k, v := range all {
		var e map[string]json.RawMessage
		if json.Unmarshal(v, &e) == nil {
			t[k] = e
		}
	}
	return t, nil
})

func (pt priceTable) num(key, field string) (float64, bool) {
	v, ok := pt[key][field]
	if !ok {
		return 0, false
	}
	var f float64
	if json.Unmarshal(v, &f) != nil {
		return 0, false
	}
	return f, true
}

// cost prices w's usage with the table's fields of w.PriceKey, part by part:
// uncached input at input_cost_per_token, cache reads at
// cache_read_input_token_cost, cache writes at
// cache_creation_input_token_cost (one-hour writes at its _above_1hr
// variant), output at output_cost_per_token except reasoning at
// output_cost_per_reasoning_token where the entry has one, web searches at
// search_context_cost_per_query; the service tier's _flex / _priority
// variant of each field where the entry has it. A price the entry lacks is
// the price of the part it belongs to (input, cache write, output).
func (pt priceTable) cost(t testing.TB, w *wantEntry) (float64, []string) {
	t.Helper()
	key := w.PriceKey
	if _, ok := pt[key]; !ok {
		t.Fatalf("%s: price key %q is not in prices.json", w.Case, key)
	}
	u := w.Usage
	get := func(field string, fallback float64) float64 {
		if w.PriceTier != "" {
			if v, ok := pt.num(key, field+"_"+w.PriceTier); ok {
				return v
			}
		}
		if v, ok := pt.num(key, field); ok {
			return v
		}
		return fallback
	}
	n := func(p *int64) int64 {
		if p == nil || *p < 0 {
			return 0
		}
		return *p
	}
	input, output := n(u.Input), n(u.Output)
	if input > 200_000 {
		t.Fatalf("%s: the reference does not price the long-context tier", w.Case)
	}
	// A part the provider reports larger than its total (Cohere's cached
	// tokens count raw tokens, its input billed units) is priced up to the
	// total: the total is what is billed.
	cacheRead := min(n(u.CacheRead), input)
	cacheWrite := min(n(u.CacheCreation), input-cacheRead)
	write1h := min(n(u.CacheCreation1h), cacheWrite)
	reasoning := min(n(u.Reasoning), output)
	uncached := input - cacheRead - cacheWrite

	in := get("input_cost_per_token", 0)
	write := get("cache_creation_input_token_cost", in)
	out := get("output_cost_per_token", 0)
	parts := []struct {
		what   string
		tokens int64
		price  float64
	}{
		{"uncached input", uncached, in},
		{"cache read", cacheRead, get("cache_read_input_token_cost", in)},
		{"cache write 5m", cacheWrite - write1h, write},
		{"cache write 1h", write1h, get("cache_creation_input_token_cost_above_1hr", write)},
		{"output", output - reasoning, out},
		{"reasoning", reasoning, get("output_cost_per_reasoning_token", out)},
	}
	var total float64
	var shown []string
	for _, p := range parts {
		if p.tokens == 0 {
			continue
		}
		total += float64(p.tokens) * p.price
		shown = append(shown, fmt.Sprintf("%d %s × %g", p.tokens, p.what, p.price))
	}
	if searches := n(u.WebSearches) + b2i(w.RequestSearchFee); searches > 0 {
		var sizes map[string]float64
		if raw, ok := pt[key]["search_context_cost_per_query"]; ok && json.Unmarshal(raw, &sizes) == nil {
			size := w.SearchContextSize
			if size == "" {
				size = "low"
			}
			price := sizes["search_context_size_"+size]
			total += float64(searches) * price
			shown = append(shown, fmt.Sprintf("%d web searches × %g", searches, price))
		} else {
			shown = append(shown, fmt.Sprintf("%d web searches not in the table", searches))
		}
	}
	return total, shown
}

// replayMode is one way the application talks to the server.
type replayMode struct {
	name string
	// appGzip: the application asks for gzip itself (Accept-Encoding), so
	// Go's transport hands it the compressed bytes.
	appGzip bool
	// smallReads: the application reads the body the way SDKs read streams,
	// a few bytes at a time; otherwise it reads it whole.
	smallReads bool
}

func modesFor(r recording) []replayMode {
	modes := []replayMode{{name: "whole"}}
	if r.gzipped() {
		modes = append(modes, replayMode{name: "app-gzip", appGzip: true})
	}
	if r.stream() {
		modes = append(modes, replayMode{name: "small-reads", smallReads: true})
	}
	return modes
}

// replayResult is what one replay observed.
type replayResult struct {
	problems []string // things that went wrong outside the comparison
	appRead  []byte
	spans    []sdktrace.ReadOnlySpan
	tracker  otelllm.Usage
	// requestID is the x-amzn-RequestId the server sent, which a Bedrock
	// span carries as aws.request_id.
	requestID string
}

// replay sends r's request through a Transport to a test server (TLS for
// https) that answers with r's recorded response. The connection goes to the
// test server whatever the host, so the request keeps the recorded URL.
func replay(t *testing.T, r recording, mode replayMode, extra ...otelllm.Option) replayResult {
	t.Helper()
	var res replayResult
	var mu sync.Mutex
	problem := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		res.problems = append(res.problems, fmt.Sprintf(format, args...))
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		got, _ := io.ReadAll(req.Body)
		if req.Method != r.method || req.URL.EscapedPath() != r.path || req.URL.RawQuery != r.query {
			problem("server got %s %s?%s, want %s %s?%s", req.Method, req.URL.EscapedPath(), req.URL.RawQuery, r.method, r.path, r.query)
		}
		if req.Host != r.host {
			problem("server got Host %q, want %q", req.Host, r.host)
		}
		if !bytes.Equal(got, r.request) {
			problem("server got request body %s, want %s", got, r.request)
		}
		for k, vs := range r.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(r.status)
		if !r.stream() {
			_, _ = w.Write(r.served)
			return
		}
		// A stream arrives in pieces, as from a real server.
		flusher, _ := w.(http.Flusher)
		for rest := r.served; len(rest) > 0; {
			n := min(len(rest), 512)
			_, _ = w.Write(rest[:n])
			if flusher != nil {
				flusher.Flush()
			}
			rest = rest[n:]
		}
	})
	srv := httptest.NewUnstartedServer(handler)
	if r.scheme == "https" {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	defer srv.Close()

	base := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "tcp", srv.Listener.Addr().String())
		},
	}
	if r.scheme == "https" {
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		// httptest's certificate names example.com: verify against it
		// while the URL keeps the provider's host.
		base.TLSClientConfig = &tls.Config{RootCAs: pool, ServerName: "example.com"}
	}
	defer base.CloseIdleConnections()

	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	defer func() { _ = tp.Shutdown(context.Background()) }()
	client := &http.Client{Transport: otelllm.NewTransport(base, append([]otelllm.Option{
		otelllm.WithTracerProvider(tp),
		otelllm.WithPriceTable(pricing.Default())}, extra...)...)}

	ctx, tracker := otelllm.Track(context.Background())
	req, err := http.NewRequestWithContext(ctx, r.method, r.url(), bytes.NewReader(r.request))
	if err != nil {
		t.Fatal(err)
	}
	if req.URL.EscapedPath() != r.path {
		t.Fatalf("the request would send path %s, want %s", req.URL.EscapedPath(), r.path)
	}
	for k, vs := range r.reqHeader {
		req.Header[k] = vs
	}
	if mode.appGzip {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	if resp.StatusCode != r.status {
		problem("application got status %d, want %d", resp.StatusCode, r.status)
	}
	for _, k := range []string{"Content-Type", "X-Amzn-Requestid", "Request-Id"} {
		if want := r.header.Get(k); want != "" && resp.Header.Get(k) != want {
			problem("application got %s %q, want %q", k, resp.Header.Get(k), want)
		}
	}
	if mode.smallReads {
		sizes := []int{1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233}
		buf := make([]byte, 233)
		for i := 0; ; i++ {
			n, err := resp.Body.Read(buf[:sizes[i%len(sizes)]])
			res.appRead = append(res.appRead, buf[:n]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				problem("application read error: %v", err)
				break
			}
		}
	} else {
		res.appRead, err = io.ReadAll(resp.Body)
		if err != nil {
			problem("application read error: %v", err)
		}
	}
	if err := resp.Body.Close(); err != nil {
		problem("close: %v", err)
	}
	want := r.plain
	if mode.appGzip {
		want = r.served
	}
	if !bytes.Equal(res.appRead, want) {
		problem("the application read %d bytes that differ from the %d the server sent", len(res.appRead), len(want))
	}
	res.requestID = r.header.Get("X-Amzn-Requestid")
	res.spans = spans.Ended()
	if open := len(spans.Started()) - len(res.spans); open != 0 {
		problem("%d span(s) left open", open)
	}
	res.tracker = tracker.Usage()
	// The handler's findings reach this goroutine through the network,
	// which the race detector cannot see: hand them over under the lock.
	mu.Lock()
	defer mu.Unlock()
	res.problems = slices.Clone(res.problems)
	return res
}

// mismatch is one field that differs from the ground truth.
type mismatch struct{ field, want, got string }

func (m mismatch) String() string { return fmt.Sprintf("%s: want %s, got %s", m.field, m.want, m.got) }

func fmtCount(v *int64) string {
	if v == nil {
		return "absent"
	}
	return fmt.Sprint(*v)
}

func fmtCost(v float64, ok bool) string {
	if !ok {
		return "unpriced"
	}
	return fmt.Sprintf("%.12g", v)
}

// compare lists how res differs from w. wantCost is the expected
// gen_ai.usage.cost, with priced false when the call must be unpriced;
// tableCost the expected otelllm.pricing.table_cost of a call whose
// response states its cost, tabled false when there must be none.
func compare(w *wantEntry, res replayResult, wantCost float64, priced bool, tableCost float64, tabled bool) []mismatch {
	var ms []mismatch
	add := func(field, want, got string) {
		if want != got {
			ms = append(ms, mismatch{field, want, got})
		}
	}
	if len(res.spans) != 1 {
		return []mismatch{{"span", "1 span", fmt.Sprintf("%d spans", len(res.spans))}}
	}
	attrs := map[attribute.Key]attribute.Value{}
	for _, kv := range res.spans[0].Attributes() {
		attrs[kv.Key] = kv.Value
	}
	str := func(k attribute.Key) string {
		v, ok := attrs[k]
		if !ok {
			return ""
		}
		return v.Emit()
	}
	quote := func(s string) string {
		if s == "" {
			return "absent"
		}
		return fmt.Sprintf("%q", s)
	}
	add("provider", quote(w.Provider), quote(str(semconv.GenAIProviderNameKey)))
	add("operation", quote(w.Operation), quote(str(semconv.GenAIOperationNameKey)))
	add("response_model", quote(w.ResponseModel), quote(str(semconv.GenAIResponseModelKey)))
	add("response_id", quote(w.ResponseID), quote(str(semconv.GenAIResponseIDKey)))
	var gotFinish []string
	if v, ok := attrs[semconv.GenAIResponseFinishReasonsKey]; ok {
		gotFinish = v.AsStringSlice()
	}
	add("finish_reasons", fmt.Sprintf("%q", w.FinishReasons), fmt.Sprintf("%q", gotFinish))
	add("error_type", quote(w.ErrorType), quote(str(semconv.ErrorTypeKey)))
	if w.Provider == "aws.bedrock" {
		add("aws.request_id", quote(res.requestID), quote(str(semconv.AWSRequestIDKey)))
	}

	for _, f := range w.Usage.fields() {
		var got *int64
		if v, ok := attrs[usageKeys[f.name]]; ok {
			n := v.AsInt64()
			got = &n
		}
		add("usage."+f.name, fmtCount(f.v), fmtCount(got))
	}
	gotCost, hasCost := attrs[semconv.UsageCostKey]
	_, unpriced := attrs[semconv.PricingUnpricedKey]
	switch {
	case !w.Usage.reported():
		if hasCost || unpriced {
			add("cost", "none (no usage)", fmtCost(gotCost.AsFloat64(), hasCost))
		}
	case priced:
		if !hasCost || !closeUSD(wantCost, gotCost.AsFloat64()) {
			add("cost", fmtCost(wantCost, true), fmtCost(gotCost.AsFloat64(), hasCost))
		}
	default:
		if !unpriced || hasCost {
			add("cost", "unpriced", fmtCost(gotCost.AsFloat64(), hasCost))
		}
	}
	if priced && (w.ProviderCost == nil || tabled) {
		add("price_key", quote(w.PriceKey), quote(str(semconv.PricingModelKey)))
		add("price_tier", quote(w.PriceTier), quote(str(semconv.PricingServiceTierKey)))
	}
	if priced {
		source := "the table"
		if w.ProviderCost != nil {
			source = semconv.PricingSourceProvider
		}
		if got := str(semconv.PricingSourceKey); (got == semconv.PricingSourceProvider) != (w.ProviderCost != nil) {
			add("pricing_source", source, quote(got))
		}
	}
	gotTable, hasTable := attrs[semconv.PricingTableCostKey]
	switch {
	case tabled && (!hasTable || !closeUSD(tableCost, gotTable.AsFloat64())):
		add("table_cost", fmtCost(tableCost, true), fmtCost(gotTable.AsFloat64(), hasTable))
	case !tabled && hasTable:
		add("table_cost", "absent", fmtCost(gotTable.AsFloat64(), true))
	}
	if v, ok := attrs[semconv.ObserveErrorKey]; ok {
		add("observe_error", "absent", fmt.Sprintf("%q", v.AsString()))
	}

	// The Tracker counts what the span says, absent counts as 0.
	tr := res.tracker
	n := func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	}
	u := w.Usage
	for _, c := range []struct {
		name      string
		want, got int64
	}{
		{"requests", 1, tr.Requests},
		{"failed_requests", b2i(w.ErrorType != ""), tr.FailedRequests},
		{"unmetered_requests", b2i(!u.reported() && w.Operation != "count_tokens"), tr.UnmeteredRequests},
		{"unpriced_requests", b2i(u.reported() && !priced), tr.UnpricedRequests},
		{"input", n(u.Input), tr.InputTokens},
		{"output", n(u.Output), tr.OutputTokens},
		{"cache_read", n(u.CacheRead), tr.CacheReadInputTokens},
		{"cache_creation", n(u.CacheCreation), tr.CacheCreationInputTokens},
		{"cache_creation_1h", n(u.CacheCreation1h), tr.CacheCreation1hInputTokens},
		{"reasoning", n(u.Reasoning), tr.ReasoningTokens},
		{"web_searches", n(u.WebSearches), tr.WebSearchRequests},
	} {
		add("tracker."+c.name, fmt.Sprint(c.want), fmt.Sprint(c.got))
	}
	if !closeUSD(wantCostOrZero(wantCost, priced), tr.CostUSD) {
		add("tracker.cost", fmt.Sprintf("%.12g", wantCostOrZero(wantCost, priced)), fmt.Sprintf("%.12g", tr.CostUSD))
	}
	return ms
}

func wantCostOrZero(c float64, priced bool) float64 {
	if priced {
		return c
	}
	return 0
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// closeUSD compares costs to a picodollar (otelllm rounds to one) or a part
// in 10^9, whichever is larger.
func closeUSD(a, b float64) bool {
	return math.Abs(a-b) <= math.Max(1.5e-12, 1e-9*math.Max(math.Abs(a), math.Abs(b)))
}

// expectedCost is the cost the span must carry: the provider's own figure
// when the response states one, else the table's price of the usage.
// expectedTableCost is the table's own figure, kept beside a cost the
// response states.
func expectedTableCost(t testing.TB, pt priceTable, w *wantEntry) (float64, bool) {
	if w.ProviderCost == nil || w.PriceKey == "" || !w.Usage.reported() {
		return 0, false
	}
	cost, _ := pt.cost(t, w)
	return cost, true
}

func expectedCost(t testing.TB, pt priceTable, w *wantEntry) (cost float64, priced bool, shown []string) {
	t.Helper()
	if !w.Usage.reported() {
		return 0, false, nil
	}
	if w.ProviderCost != nil {
		shown = []string{fmt.Sprintf("provider-stated cost %g", *w.ProviderCost)}
		if w.PriceKey != "" {
			tc, parts := pt.cost(t, w)
			shown = append(shown, fmt.Sprintf("table cost %.12g (%s: %s)", tc, w.PriceKey, strings.Join(parts, " + ")))
		}
		return *w.ProviderCost, true, shown
	}
	if w.PriceKey == "" {
		return 0, false, []string{"unpriced: no table entry"}
	}
	c, parts := pt.cost(t, w)
	return c, true, []string{fmt.Sprintf("table cost %.12g (%s: %s)", c, w.PriceKey, strings.Join(parts, " + "))}
}

func fieldNames(ms []mismatch) []string {
	var names []string
	for _, m := range ms {
		names = append(names, m.field)
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// TestRecordings replays every recorded case and compares what otelllm
// recorded with want.json.
func TestRecordings(t *testing.T) {
	recs := loadRecordings(t)
	want := loadWant(t)
	pt, err := loadPriceTable()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != len(recs) {
		t.Errorf("want.json has %d entries for %d recordings: run TestRecordingsReference -update", len(want), len(recs))
	}
	var mu sync.Mutex
	var passed, known, failed int
	knownFields := map[string]map[string][]string{} // case -> mode -> mismatching fields
	for _, r := range recs {
		w := want[r.name]
		if w == nil {
			t.Errorf("%s: no want.json entry", r.name)
			continue
		}
		cost, priced, shown := expectedCost(t, pt, w)
		tableCost, tabled := expectedTableCost(t, pt, w)
		for _, mode := range modesFor(r) {
			t.Run(r.name+"/"+mode.name, func(t *testing.T) {
				res := replay(t, r, mode)
				for _, p := range res.problems {
					t.Errorf("%s [%s]: %s", r.name, mode.name, p)
				}
				ms := compare(w, res, cost, priced, tableCost, tabled)
				got := fieldNames(ms)
				report := func() string {
					var b strings.Builder
					for _, m := range ms {
						fmt.Fprintf(&b, "\n\t%s [%s] %s", r.name, mode.name, m)
					}
					for _, s := range shown {
						fmt.Fprintf(&b, "\n\t\texpected %s", s)
					}
					return b.String()
				}
				applies := len(w.KnownModes) == 0 || slices.Contains(w.KnownModes, mode.name)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case w.KnownIssue != "" && applies:
					if knownFields[r.name] == nil {
						knownFields[r.name] = map[string][]string{}
					}
					knownFields[r.name][mode.name] = got
					if *updateKnown {
						t.Skip("known_fields updated")
					}
					switch {
					case len(got) == 0:
						failed++
						t.Errorf("%s [%s]: known issue no longer reproduces: remove its known_issue marker from want.json (%s)", r.name, mode.name, w.KnownIssue)
					case !slices.Equal(got, w.KnownFields):
						failed++
						t.Errorf("%s [%s]: known issue changed: known_fields %q, now mismatching %q (%s)%s", r.name, mode.name, w.KnownFields, got, w.KnownIssue, report())
					default:
						known++
						t.Skipf("KNOWN ISSUE %s [%s]: %s%s", r.name, mode.name, w.KnownIssue, report())
					}
				case len(ms) > 0:
					failed++
					t.Errorf("%s [%s]: %d field(s) differ from want.json%s", r.name, mode.name, len(ms), report())
				default:
					passed++
				}
			})
		}
	}
	if *updateKnown {
		writeKnownFields(t, knownFields)
	}
	t.Logf("recordings: %d cases, %d replays: %d pass, %d known issues, %d fail", len(recs), passed+known+failed, passed, known, failed)
}

// writeKnownFields rewrites want.json with known_fields set from this run,
// for the entries that have a known_issue and were replayed. An issue whose
// fields differ between replay modes needs known_modes, set by hand.
func writeKnownFields(t *testing.T, byMode map[string]map[string][]string) {
	fields := map[string][]string{}
	for name, modes := range byMode {
		var first []string
		i := 0
		for mode, f := range modes {
			if i > 0 && !slices.Equal(f, first) {
				t.Errorf("%s: mode %s mismatches %q, another mode %q: set known_modes by hand", name, mode, f, first)
			}
			first = f
			i++
		}
		fields[name] = first
	}
	path := filepath.Join(recordingsDir, "want.json")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var list []*wantEntry
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if f, replayed := fields[e.Case]; replayed && e.KnownIssue != "" {
			e.KnownFields = f
		}
	}
	writeWant(t, list)
}

func writeWant(t testing.TB, list []*wantEntry) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(list); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(recordingsDir, "want.json"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRecordingsServedAsRecorded checks the harness itself: the URL the
// application sends is the recorded one, byte for byte, so the transport
// sees the host and path the provider would.
func TestRecordingsServedAsRecorded(t *testing.T) {
	for _, r := range loadRecordings(t) {
		u, err := url.Parse(r.url())
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		if u.EscapedPath() != r.path || u.RawQuery != r.query || u.Host != r.host {
			t.Errorf("%s: URL %s does not keep the recorded path %s and query %s", r.name, u, r.path, r.query)
		}
	}
}
