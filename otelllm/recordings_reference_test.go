package otelllm_test

// The reference reader: the ground truth of every recorded case, derived
// from the recorded bytes by code that shares nothing with otelllm's
// providers. It decodes bodies with encoding/json into the providers'
// documented shapes, frames streams with its own small SSE, NDJSON and AWS
// event-stream readers, and applies the providers' documented usage
// semantics, normalised to otelllm's convention: input tokens include cache
// reads and cache writes, output tokens include reasoning.
//
// TestRecordingsReference checks that want.json is what this reader says
// (so want.json cannot drift from it) and, with -update, rewrites it.

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/recordings/want.json from the reference reader")

func TestRecordingsReference(t *testing.T) {
	recs := loadRecordings(t)
	pt, err := loadPriceTable()
	if err != nil {
		t.Fatal(err)
	}
	old := map[string]*wantEntry{}
	if _, err := os.Stat(filepath.Join(recordingsDir, "want.json")); err == nil {
		old = loadWant(t)
	}
	var list []*wantEntry
	for _, r := range recs {
		e := reference(t, r, pt)
		if o := old[r.name]; o != nil {
			e.Note, e.KnownIssue, e.KnownFields, e.KnownModes = o.Note, o.KnownIssue, o.KnownFields, o.KnownModes
		}
		list = append(list, e)
	}
	if *update {
		writeWant(t, list)
		t.Logf("wrote want.json: %d entries", len(list))
		return
	}
	if len(old) != len(list) {
		t.Errorf("want.json has %d entries, the reference %d: run with -update", len(old), len(list))
	}
	for _, e := range list {
		o := old[e.Case]
		if o == nil {
			t.Errorf("%s: not in want.json: run with -update", e.Case)
			continue
		}
		a, _ := json.Marshal(e)
		b, _ := json.Marshal(o)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: want.json differs from the reference reader: run with -update and review\n\treference: %s\n\twant.json: %s", e.Case, a, b)
		}
	}
}

// refBuilder accumulates one case's ground truth and the reasons for it.
type refBuilder struct {
	e *wantEntry
	// responseTier is the service tier the response names, "" when it
	// names none.
	responseTier string
}

func (b *refBuilder) why(format string, args ...any) {
	b.e.Why = append(b.e.Why, fmt.Sprintf(format, args...))
}

func count(v int64) *int64 { return &v }

func sum(parts ...*int64) int64 {
	var n int64
	for _, p := range parts {
		if p != nil {
			n += *p
		}
	}
	return n
}

func reference(t *testing.T, r recording, pt priceTable) *wantEntry {
	t.Helper()
	b := &refBuilder{e: &wantEntry{Case: r.name}}
	var req struct {
		Model       string `json:"model"`
		ServiceTier string `json:"service_tier"`
	}
	_ = json.Unmarshal(r.request, &req)
	var requestModel string
	switch {
	case strings.HasPrefix(r.shape, "openai_"):
		requestModel = req.Model
		refOpenAI(t, b, r)
	case strings.HasPrefix(r.shape, "anthropic"):
		requestModel = refAnthropic(t, b, r, req.Model)
	case strings.HasPrefix(r.shape, "bedrock"):
		requestModel = refBedrock(t, b, r)
	case strings.HasPrefix(r.shape, "gemini"):
		requestModel = refGemini(t, b, r)
	case strings.HasPrefix(r.shape, "cohere"):
		requestModel = req.Model
		refCohere(t, b, r)
	case strings.HasPrefix(r.shape, "ollama"):
		requestModel = req.Model
		refOllama(t, b, r)
	default:
		t.Fatalf("%s: no reference reader for shape %q", r.name, r.shape)
	}
	e := b.e
	if r.wantProvider != "" && r.wantProvider != e.Provider {
		t.Fatalf("%s: the case file names provider %q, the reference %q", r.name, r.wantProvider, e.Provider)
	}
	if e.Usage.reported() {
		refPrice(b, pt, requestModel, req.ServiceTier)
	}
	return e
}

// --- framing -------------------------------------------------------------

type sseEvent struct {
	name string
	data []byte
}

// sseEvents splits an SSE body into events (the WHATWG rules: CRLF, CR or
// LF line ends; "field: value" with one optional space; comment lines start
// with a colon; data lines join with LF; a blank line dispatches).
func sseEvents(body []byte) []sseEvent {
	text := strings.ReplaceAll(strings.ReplaceAll(string(body), "\r\n", "\n"), "\r", "\n")
	var out []sseEvent
	var name string
	var data []string
	hasData := false
	dispatch := func() {
		if hasData {
			out = append(out, sseEvent{name: name, data: []byte(strings.Join(data, "\n"))})
		}
		name, data, hasData = "", nil, false
	}
	for _, line := range strings.Split(text, "\n") {
		if line == "" {
			dispatch()
			continue
		}
		if strings.HasPrefix(line, ":") {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			name = value
		case "data":
			data = append(data, value)
			hasData = true
		}
	}
	dispatch()
	return out
}

func isDone(data []byte) bool { return strings.TrimSpace(string(data)) == "[DONE]" }

func ndjsonLines(body []byte) [][]byte {
	var out [][]byte
	for _, line := range bytes.Split(body, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			out = append(out, line)
		}
	}
	return out
}

type awsMessage struct {
	headers map[string]string
	payload []byte
}

// awsEvents decodes an AWS event stream (application/vnd.amazon.eventstream):
// each message is total length, headers length, prelude CRC, headers,
// payload, message CRC, big-endian. Header values are read as strings
// (type 7), the only type Bedrock sends; any other type fails the test.
func awsEvents(t *testing.T, name string, body []byte) []awsMessage {
	var out []awsMessage
	for len(body) > 0 {
		if len(body) < 16 {
			t.Fatalf("%s: event stream ends inside a prelude", name)
		}
		total := int(binary.BigEndian.Uint32(body[0:4]))
		hlen := int(binary.BigEndian.Uint32(body[4:8]))
		if total > len(body) || 12+hlen+4 > total {
			t.Fatalf("%s: bad event stream message lengths", name)
		}
		h := body[12 : 12+hlen]
		m := awsMessage{headers: map[string]string{}, payload: body[12+hlen : total-4]}
		for len(h) > 0 {
			n := int(h[0])
			key := string(h[1 : 1+n])
			typ := h[1+n]
			h = h[2+n:]
			if typ != 7 {
				t.Fatalf("%s: header %s has type %d", name, key, typ)
			}
			l := int(binary.BigEndian.Uint16(h[:2]))
			m.headers[key] = string(h[2 : 2+l])
			h = h[2+l:]
		}
		out = append(out, m)
		body = body[total:]
	}
	return out
}

func mustJSON(t *testing.T, name string, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v in %.200s", name, err, data)
	}
}

// --- OpenAI wire family ---------------------------------------------------

// openaiHostProvider names the provider of an OpenAI-compatible host the
// case file leaves open. Hosts of a provider otelllm has a name for get that
// name; other servers speak OpenAI's protocol and, following otelllm's
// documented rule for unknown hosts, count as "openai".
func openaiHostProvider(host string) (string, string) {
	h := strings.Split(host, ":")[0]
	switch {
	case strings.HasSuffix(h, "together.xyz"), strings.HasSuffix(h, "together.ai"):
		return "together_ai", "Together AI's host"
	case strings.HasSuffix(h, "openrouter.ai"):
		return "openrouter", "OpenRouter's host"
	case h == "ollama.com":
		return "ollama", "Ollama's own (cloud) host: otelllm names Ollama \"ollama\""
	}
	return "openai", "no provider of its own for " + host + ": otelllm's rule for other OpenAI-compatible hosts is \"openai\" (debatable)"
}

type oaError struct {
	Error *struct {
		Type string          `json:"type"`
		Code json.RawMessage `json:"code"`
	} `json:"error"`
}

// errorType is the error.type of an OpenAI-style error object: its type,
// else its code (a string or a number).
func (e oaError) errorType() string {
	if e.Error == nil {
		return ""
	}
	if e.Error.Type != "" {
		return e.Error.Type
	}
	var s string
	if json.Unmarshal(e.Error.Code, &s) == nil && s != "" {
		return s
	}
	var n json.Number
	if json.Unmarshal(e.Error.Code, &n) == nil && n != "" {
		return n.String()
	}
	return "error"
}

type oaUsage struct {
	PromptTokens        *int64 `json:"prompt_tokens"`
	CompletionTokens    *int64 `json:"completion_tokens"`
	TotalTokens         *int64 `json:"total_tokens"`
	PromptTokensDetails *struct {
		CachedTokens     *int64 `json:"cached_tokens"`
		CacheWriteTokens *int64 `json:"cache_write_tokens"`
	} `json:"prompt_tokens_details"`
	CompletionTokensDetails *struct {
		ReasoningTokens *int64 `json:"reasoning_tokens"`
	} `json:"completion_tokens_details"`
	// DeepSeek: prompt_tokens = prompt_cache_hit_tokens + prompt_cache_miss_tokens.
	PromptCacheHitTokens *int64 `json:"prompt_cache_hit_tokens"`
	// Together: the cached part of prompt_tokens, at the top level.
	CachedTokens *int64 `json:"cached_tokens"`
	// Perplexity: beside completion_tokens and outside it.
	ReasoningTokens  *int64 `json:"reasoning_tokens"`
	CitationTokens   *int64 `json:"citation_tokens"`
	NumSearchQueries *int64 `json:"num_search_queries"`
	// Perplexity: the search context size that served the call, which
	// prices its request fee when it counts no searches.
	SearchContextSize string `json:"search_context_size"`
	// OpenRouter: a number; Perplexity: an object with total_cost.
	Cost json.RawMessage `json:"cost"`
	// OpenRouter: with is_byok the upstream provider billed the user's own
	// key too, cost_details.upstream_inference_cost.
	IsByok      *bool `json:"is_byok"`
	CostDetails *struct {
		UpstreamInferenceCost *float64 `json:"upstream_inference_cost"`
	} `json:"cost_details"`
	// xAI: the cost in units of 1e-10 USD.
	CostInUSDTicks *int64 `json:"cost_in_usd_ticks"`
}

// chatUsage normalises a Chat Completions (or legacy Completions, or
// embeddings) usage object of provider.
func chatUsage(b *refBuilder, provider string, u oaUsage) {
	w := &b.e.Usage
	w.Input, w.Output, w.Total = u.PromptTokens, u.CompletionTokens, u.TotalTokens
	switch {
	case u.PromptTokensDetails != nil && u.PromptTokensDetails.CachedTokens != nil:
		w.CacheRead = u.PromptTokensDetails.CachedTokens
	case u.PromptCacheHitTokens != nil:
		w.CacheRead = u.PromptCacheHitTokens
		b.why("cache_read = prompt_cache_hit_tokens (DeepSeek; prompt_tokens includes them)")
	case u.CachedTokens != nil:
		w.CacheRead = u.CachedTokens
		b.why("cache_read = usage.cached_tokens (%s puts the cached part of prompt_tokens at the top level)", provider)
	}
	if u.PromptTokensDetails != nil && u.PromptTokensDetails.CacheWriteTokens != nil {
		w.CacheCreation = u.PromptTokensDetails.CacheWriteTokens
	}
	if u.CompletionTokensDetails != nil {
		w.Reasoning = u.CompletionTokensDetails.ReasoningTokens
	}
	switch provider {
	case "x_ai":
		if w.Reasoning != nil && w.Output != nil {
			w.Output = count(*w.Output + *w.Reasoning)
			b.why("output = completion_tokens %d + reasoning_tokens %d: xAI counts reasoning outside completion_tokens (total_tokens %s = prompt + completion + reasoning)",
				*u.CompletionTokens, *w.Reasoning, fmtCount(u.TotalTokens))
		}
		if u.CostInUSDTicks != nil {
			c := float64(*u.CostInUSDTicks) / 1e10
			b.e.ProviderCost = &c
			b.why("provider_cost = cost_in_usd_ticks %d / 1e10", *u.CostInUSDTicks)
		}
	case "perplexity":
		if u.ReasoningTokens != nil && w.Reasoning == nil {
			w.Reasoning = u.ReasoningTokens
			w.Output = count(sum(w.Output, u.ReasoningTokens))
			b.why("output includes Perplexity's reasoning_tokens, reported beside completion_tokens")
		}
		if u.CitationTokens != nil && w.Input != nil {
			w.Input = count(*w.Input + *u.CitationTokens)
			b.why("input includes Perplexity's citation_tokens (billed as input)")
		}
		w.WebSearches = u.NumSearchQueries
		if u.SearchContextSize != "" {
			b.e.SearchContextSize = u.SearchContextSize
			if u.NumSearchQueries == nil {
				b.e.RequestSearchFee = true
				b.why("Perplexity's request fee: one search at the response's search_context_size %q (no num_search_queries)", u.SearchContextSize)
			}
		}
		var cost struct {
			TotalCost *float64 `json:"total_cost"`
		}
		if len(u.Cost) > 0 && json.Unmarshal(u.Cost, &cost) == nil && cost.TotalCost != nil {
			b.e.ProviderCost = cost.TotalCost
			b.why("provider_cost = usage.cost.total_cost %g (includes its request fee)", *cost.TotalCost)
		}
	case "openrouter":
		var c float64
		if len(u.Cost) > 0 && json.Unmarshal(u.Cost, &c) == nil {
			if u.IsByok != nil && *u.IsByok && u.CostDetails != nil && u.CostDetails.UpstreamInferenceCost != nil {
				b.why("provider_cost = usage.cost %g + cost_details.upstream_inference_cost %g (BYOK: the upstream provider billed the user's key too)", c, *u.CostDetails.UpstreamInferenceCost)
				c += *u.CostDetails.UpstreamInferenceCost
			} else {
				b.why("provider_cost = usage.cost %g (OpenRouter's charge)", c)
			}
			b.e.ProviderCost = &c
		}
	}
	if w.Input != nil && w.CacheRead != nil && *w.CacheRead > 0 {
		b.why("input = prompt_tokens, which already includes the %d cached tokens", *w.CacheRead)
	}
	if w.Reasoning != nil && *w.Reasoning > 0 && provider != "x_ai" && provider != "perplexity" {
		b.why("output = completion_tokens, which already includes the %d reasoning tokens", *w.Reasoning)
	}
}

type oaChoice struct {
	Index        *int    `json:"index"`
	FinishReason *string `json:"finish_reason"`
}

type oaChunk struct {
	ID          string          `json:"id"`
	Model       string          `json:"model"`
	ServiceTier string          `json:"service_tier"`
	Choices     []oaChoice      `json:"choices"`
	Usage       json.RawMessage `json:"usage"`
	XGroq       *struct {
		Usage json.RawMessage `json:"usage"`
	} `json:"x_groq"`
	oaError
}

func refOpenAI(t *testing.T, b *refBuilder, r recording) {
	e := b.e
	api := strings.TrimPrefix(r.shape, "openai_")
	e.Provider = r.wantProvider
	if e.Provider == "" {
		var why string
		e.Provider, why = openaiHostProvider(r.host)
		b.why("provider %q: %s", e.Provider, why)
	}
	switch api {
	case "completions":
		e.Operation = "text_completion"
	case "embeddings":
		e.Operation = "embeddings"
	default:
		e.Operation = "chat"
	}
	if r.status >= 400 {
		var doc oaError
		mustJSON(t, r.name, r.plain, &doc)
		e.ErrorType = doc.errorType()
		b.why("HTTP %d error body: error.type is the error's type", r.status)
		return
	}
	stream := strings.Contains(r.header.Get("Content-Type"), "event-stream")
	if api == "responses" {
		refResponses(t, b, r, stream)
		return
	}
	var docs [][]byte
	if stream {
		for _, ev := range sseEvents(r.plain) {
			if isDone(ev.data) {
				continue
			}
			docs = append(docs, ev.data)
		}
	} else {
		docs = [][]byte{r.plain}
	}
	finish := map[int]string{}
	maxIndex := -1
	var usage json.RawMessage
	for _, d := range docs {
		var c oaChunk
		mustJSON(t, r.name, d, &c)
		if e.ResponseID == "" {
			e.ResponseID = c.ID
		}
		if e.ResponseModel == "" {
			e.ResponseModel = c.Model
		}
		if b.responseTier == "" {
			b.responseTier = c.ServiceTier
		}
		if t := c.errorType(); t != "" {
			e.ErrorType = t
			b.why("the stream carries an error object: error.type %q", t)
		}
		for pos, ch := range c.Choices {
			i := pos
			if ch.Index != nil {
				i = *ch.Index
			}
			maxIndex = max(maxIndex, i)
			if ch.FinishReason != nil && *ch.FinishReason != "" {
				finish[i] = *ch.FinishReason
			}
		}
		// Servers that repeat usage send running totals: the last one is
		// the call's.
		if len(c.Usage) > 0 && string(c.Usage) != "null" {
			usage = c.Usage
		} else if c.XGroq != nil && len(c.XGroq.Usage) > 0 && string(c.XGroq.Usage) != "null" {
			usage = c.XGroq.Usage
			b.why("usage from x_groq.usage of the last chunk (Groq's stream)")
		}
	}
	for i := 0; i <= maxIndex; i++ {
		if f, ok := finish[i]; ok {
			e.FinishReasons = append(e.FinishReasons, f)
		}
	}
	if usage == nil {
		if stream {
			b.why("no usage: the stream carries none (stream_options.include_usage not set)")
		}
		return
	}
	var u oaUsage
	mustJSON(t, r.name, usage, &u)
	chatUsage(b, e.Provider, u)
	if api == "embeddings" && e.Usage.Output != nil {
		b.why("no output count: an embedding generates no tokens (the server's completion_tokens %d counts nothing)", *e.Usage.Output)
		e.Usage.Output = nil
	}
}

type oaResponse struct {
	ID                string `json:"id"`
	Model             string `json:"model"`
	Status            string `json:"status"`
	ServiceTier       string `json:"service_tier"`
	IncompleteDetails *struct {
		Reason string `json:"reason"`
	} `json:"incomplete_details"`
	Error *struct {
		Code string `json:"code"`
	} `json:"error"`
	Output []struct {
		Type   string `json:"type"`
		Action *struct {
			Type string `json:"type"`
		} `json:"action"`
	} `json:"output"`
	Tools []struct {
		Type              string `json:"type"`
		SearchContextSize string `json:"search_context_size"`
	} `json:"tools"`
	Usage *struct {
		InputTokens        *int64 `json:"input_tokens"`
		OutputTokens       *int64 `json:"output_tokens"`
		TotalTokens        *int64 `json:"total_tokens"`
		InputTokensDetails *struct {
			CachedTokens *int64 `json:"cached_tokens"`
		} `json:"input_tokens_details"`
		OutputTokensDetails *struct {
			ReasoningTokens *int64 `json:"reasoning_tokens"`
		} `json:"output_tokens_details"`
		Cost           json.RawMessage `json:"cost"`
		CostInUSDTicks *int64          `json:"cost_in_usd_ticks"`
	} `json:"usage"`
}

func refResponses(t *testing.T, b *refBuilder, r recording, stream bool) {
	e := b.e
	var final *oaResponse
	if stream {
		for _, ev := range sseEvents(r.plain) {
			if isDone(ev.data) {
				continue
			}
			var env struct {
				Type     string          `json:"type"`
				Response json.RawMessage `json:"response"`
				Code     string          `json:"code"`
			}
			mustJSON(t, r.name, ev.data, &env)
			switch env.Type {
			case "response.created", "response.in_progress":
				var resp oaResponse
				mustJSON(t, r.name, env.Response, &resp)
				if e.ResponseID == "" {
					e.ResponseID = resp.ID
				}
				if e.ResponseModel == "" {
					e.ResponseModel = resp.Model
				}
			case "response.completed", "response.incomplete", "response.failed":
				final = &oaResponse{}
				mustJSON(t, r.name, env.Response, final)
			case "error":
				e.ErrorType = env.Code
			}
		}
		if final == nil {
			t.Fatalf("%s: Responses stream without a terminal event", r.name)
		}
	} else {
		final = &oaResponse{}
		mustJSON(t, r.name, r.plain, final)
	}
	if e.ResponseID == "" {
		e.ResponseID = final.ID
	}
	if e.ResponseModel == "" {
		e.ResponseModel = final.Model
	}
	b.responseTier = final.ServiceTier
	// The Responses API has no finish reason; otelllm's documented rule
	// derives one from status.
	var reason string
	switch final.Status {
	case "completed":
		reason = "stop"
		for _, o := range final.Output {
			if o.Type == "function_call" || o.Type == "custom_tool_call" {
				reason = "tool_calls"
			}
		}
		b.why("finish reason %q derived from status completed (the Responses API has none; otelllm's rule: tool_calls when the output calls a function)", reason)
	case "incomplete":
		reason = "incomplete"
		if final.IncompleteDetails != nil && final.IncompleteDetails.Reason != "" {
			reason = final.IncompleteDetails.Reason
		}
	case "failed":
		reason = "error"
		if final.Error != nil {
			e.ErrorType = final.Error.Code
		}
	}
	if reason != "" {
		e.FinishReasons = []string{reason}
	}
	var searches int64
	for _, o := range final.Output {
		if o.Type == "web_search_call" && (o.Action == nil || o.Action.Type == "search") {
			searches++
		}
	}
	if searches > 0 {
		e.Usage.WebSearches = count(searches)
		b.why("web_searches = %d web_search_call output items with action search (OpenAI bills web search per tool call)", searches)
		for _, tool := range final.Tools {
			if tool.Type == "web_search" || tool.Type == "web_search_preview" {
				e.SearchContextSize = tool.SearchContextSize
			}
		}
	}
	u := final.Usage
	if u == nil {
		return
	}
	w := &e.Usage
	w.Input, w.Output, w.Total = u.InputTokens, u.OutputTokens, u.TotalTokens
	if u.InputTokensDetails != nil {
		w.CacheRead = u.InputTokensDetails.CachedTokens
	}
	if u.OutputTokensDetails != nil {
		w.Reasoning = u.OutputTokensDetails.ReasoningTokens
	}
	if w.CacheRead != nil && *w.CacheRead > 0 {
		b.why("input = input_tokens, which already includes the %d cached tokens", *w.CacheRead)
	}
	if w.Reasoning != nil && *w.Reasoning > 0 {
		b.why("output = output_tokens, which already includes the %d reasoning tokens (total_tokens = input + output)", *w.Reasoning)
	}
	var c float64
	if e.Provider == "openrouter" && len(u.Cost) > 0 && json.Unmarshal(u.Cost, &c) == nil {
		e.ProviderCost = &c
		b.why("provider_cost = usage.cost %g (OpenRouter's charge)", c)
	}
	if u.CostInUSDTicks != nil {
		c := float64(*u.CostInUSDTicks) / 1e10
		e.ProviderCost = &c
		b.why("provider_cost = cost_in_usd_ticks %d / 1e10", *u.CostInUSDTicks)
	}
}

// --- Anthropic Messages (also inside Bedrock InvokeModel) -----------------

type anUsage struct {
	InputTokens              *int64 `json:"input_tokens"`
	OutputTokens             *int64 `json:"output_tokens"`
	CacheCreationInputTokens *int64 `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     *int64 `json:"cache_read_input_tokens"`
	CacheCreation            *struct {
		Ephemeral1h *int64 `json:"ephemeral_1h_input_tokens"`
	} `json:"cache_creation"`
	ServerToolUse *struct {
		WebSearchRequests *int64 `json:"web_search_requests"`
	} `json:"server_tool_use"`
	OutputTokensDetails *struct {
		ThinkingTokens *int64 `json:"thinking_tokens"`
	} `json:"output_tokens_details"`
	Iterations []struct {
		Type                     string `json:"type"`
		InputTokens              *int64 `json:"input_tokens"`
		OutputTokens             *int64 `json:"output_tokens"`
		CacheCreationInputTokens *int64 `json:"cache_creation_input_tokens"`
		CacheReadInputTokens     *int64 `json:"cache_read_input_tokens"`
		CacheCreation            *struct {
			Ephemeral1h *int64 `json:"ephemeral_1h_input_tokens"`
		} `json:"cache_creation"`
	} `json:"iterations"`
}

// merge overwrites the counts of u with those next reports: each event of a
// stream carries the counts so far, never increments.
func (u *anUsage) merge(next anUsage) {
	if next.InputTokens != nil {
		u.InputTokens = next.InputTokens
	}
	if next.OutputTokens != nil {
		u.OutputTokens = next.OutputTokens
	}
	if next.CacheCreationInputTokens != nil {
		u.CacheCreationInputTokens = next.CacheCreationInputTokens
	}
	if next.CacheReadInputTokens != nil {
		u.CacheReadInputTokens = next.CacheReadInputTokens
	}
	if next.CacheCreation != nil {
		u.CacheCreation = next.CacheCreation
	}
	if next.ServerToolUse != nil {
		u.ServerToolUse = next.ServerToolUse
	}
	if next.OutputTokensDetails != nil {
		u.OutputTokensDetails = next.OutputTokensDetails
	}
	if next.Iterations != nil {
		u.Iterations = next.Iterations
	}
}

// anthropicUsage normalises Anthropic usage: input_tokens leaves out cache
// reads and cache writes, output_tokens includes thinking.
func anthropicUsage(b *refBuilder, u anUsage) {
	in, out := u.InputTokens, u.OutputTokens
	read, write := u.CacheReadInputTokens, u.CacheCreationInputTokens
	var write1h *int64
	if u.CacheCreation != nil {
		write1h = u.CacheCreation.Ephemeral1h
	}
	if len(u.Iterations) > 0 {
		// Compaction runs a sampling step of its own, which the top-level
		// usage leaves out: the call's usage is the sum of its iterations.
		var i, o, cr, cw, c1h int64
		var has1h bool
		var types []string
		for _, it := range u.Iterations {
			types = append(types, it.Type)
			i += sum(it.InputTokens)
			o += sum(it.OutputTokens)
			cr += sum(it.CacheReadInputTokens)
			cw += sum(it.CacheCreationInputTokens)
			if it.CacheCreation != nil && it.CacheCreation.Ephemeral1h != nil {
				c1h += *it.CacheCreation.Ephemeral1h
				has1h = true
			}
		}
		b.why("usage is the sum of usage.iterations %q: the top-level usage (input %s, output %s, cache read %s) counts only the last iteration and leaves out compaction",
			types, fmtCount(in), fmtCount(out), fmtCount(read))
		in, out, read, write = count(i), count(o), count(cr), count(cw)
		if has1h {
			write1h = count(c1h)
		}
	}
	w := &b.e.Usage
	if in != nil {
		w.Input = count(*in + sum(read) + sum(write))
		if sum(read)+sum(write) > 0 {
			b.why("input = input_tokens %d + cache_read_input_tokens %d + cache_creation_input_tokens %d (Anthropic's input_tokens leaves the cache out)", *in, sum(read), sum(write))
		}
	}
	w.Output, w.CacheRead, w.CacheCreation, w.CacheCreation1h = out, read, write, write1h
	if u.OutputTokensDetails != nil && u.OutputTokensDetails.ThinkingTokens != nil {
		w.Reasoning = u.OutputTokensDetails.ThinkingTokens
		b.why("reasoning = output_tokens_details.thinking_tokens %d, part of output_tokens", *w.Reasoning)
	}
	if u.ServerToolUse != nil && u.ServerToolUse.WebSearchRequests != nil {
		w.WebSearches = u.ServerToolUse.WebSearchRequests
	}
}

type anMessage struct {
	Type       string  `json:"type"`
	ID         string  `json:"id"`
	Model      string  `json:"model"`
	StopReason string  `json:"stop_reason"`
	Usage      anUsage `json:"usage"`
}

// anthropicEvents follows a Messages stream given its events' JSON.
func anthropicEvents(t *testing.T, b *refBuilder, name string, events [][]byte) {
	e := b.e
	var usage anUsage
	for _, data := range events {
		var ev struct {
			Type    string    `json:"type"`
			Message anMessage `json:"message"`
			Delta   struct {
				StopReason string `json:"stop_reason"`
			} `json:"delta"`
			Usage *anUsage `json:"usage"`
			Error *struct {
				Type string `json:"type"`
			} `json:"error"`
		}
		mustJSON(t, name, data, &ev)
		switch ev.Type {
		case "message_start":
			e.ResponseID, e.ResponseModel = ev.Message.ID, ev.Message.Model
			usage.merge(ev.Message.Usage)
		case "message_delta":
			if ev.Delta.StopReason != "" {
				e.FinishReasons = []string{ev.Delta.StopReason}
			}
			if ev.Usage != nil {
				if ev.Usage.InputTokens != nil && usage.InputTokens != nil && *ev.Usage.InputTokens != *usage.InputTokens ||
					ev.Usage.CacheReadInputTokens != nil && usage.CacheReadInputTokens != nil && *ev.Usage.CacheReadInputTokens != *usage.CacheReadInputTokens {
					b.why("message_delta's counts (input %s, cache read %s) replace message_start's (%s, %s): each event carries the counts so far, never an increment",
						fmtCount(ev.Usage.InputTokens), fmtCount(ev.Usage.CacheReadInputTokens), fmtCount(usage.InputTokens), fmtCount(usage.CacheReadInputTokens))
				}
				usage.merge(*ev.Usage)
			}
		case "error":
			if ev.Error != nil {
				e.ErrorType = ev.Error.Type
			}
		}
	}
	anthropicUsage(b, usage)
}

func refAnthropic(t *testing.T, b *refBuilder, r recording, requestModel string) string {
	e := b.e
	e.Provider, e.Operation = "anthropic", "chat"
	if strings.Contains(r.host, "aiplatform.googleapis.com") {
		e.Provider = "gcp.vertex_ai"
		// The model is in the URL: .../publishers/anthropic/models/{model}:{method}.
		i := strings.LastIndex(r.path, "/models/")
		m, _ := url.PathUnescape(r.path[i+len("/models/"):])
		requestModel, _, _ = strings.Cut(m, ":")
	}
	if r.shape == "anthropic_stream" {
		var events [][]byte
		for _, ev := range sseEvents(r.plain) {
			events = append(events, ev.data)
		}
		anthropicEvents(t, b, r.name, events)
		return requestModel
	}
	var msg anMessage
	mustJSON(t, r.name, r.plain, &msg)
	e.ResponseID, e.ResponseModel = msg.ID, msg.Model
	if msg.StopReason != "" {
		e.FinishReasons = []string{msg.StopReason}
	}
	anthropicUsage(b, msg.Usage)
	return requestModel
}

// --- Amazon Bedrock -------------------------------------------------------

type brUsage struct {
	InputTokens               *int64 `json:"inputTokens"`
	OutputTokens              *int64 `json:"outputTokens"`
	TotalTokens               *int64 `json:"totalTokens"`
	CacheReadInputTokens      *int64 `json:"cacheReadInputTokens"`
	CacheWriteInputTokens     *int64 `json:"cacheWriteInputTokens"`
	CacheReadInputTokenCount  *int64 `json:"cacheReadInputTokenCount"`
	CacheWriteInputTokenCount *int64 `json:"cacheWriteInputTokenCount"`
}

// bedrockUsage normalises Converse's TokenUsage (and Nova's native usage,
// whose cache members end in Count): inputTokens leaves out cache reads and
// writes (the Bedrock prompt caching guide), totalTokens counts them.
func bedrockUsage(b *refBuilder, u brUsage) {
	read, write := u.CacheReadInputTokens, u.CacheWriteInputTokens
	if read == nil {
		read = u.CacheReadInputTokenCount
	}
	if write == nil {
		write = u.CacheWriteInputTokenCount
	}
	w := &b.e.Usage
	if u.InputTokens != nil {
		w.Input = count(*u.InputTokens + sum(read) + sum(write))
		if sum(read)+sum(write) > 0 {
			b.why("input = inputTokens %d + cache read %d + cache write %d (Bedrock's inputTokens leaves the cache out; totalTokens %s counts it)",
				*u.InputTokens, sum(read), sum(write), fmtCount(u.TotalTokens))
		}
	}
	w.Output, w.Total, w.CacheRead, w.CacheCreation = u.OutputTokens, u.TotalTokens, read, write
}

// bedrockModel is the model id of a /model/{modelId}/{action} path,
// unescaped.
func bedrockModel(t *testing.T, r recording) (model, action string) {
	rest := strings.TrimPrefix(r.path, "/model/")
	escaped, action, _ := strings.Cut(rest, "/")
	model, err := url.PathUnescape(escaped)
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	return model, action
}

func headerCount(r recording, name string) *int64 {
	v := r.header.Get(name)
	if v == "" {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

func refBedrock(t *testing.T, b *refBuilder, r recording) string {
	e := b.e
	e.Provider, e.Operation = "aws.bedrock", "chat"
	model, action := bedrockModel(t, r)
	// No body names the model served but Claude's, nor an id: the model is
	// the path's, the id the request id.
	e.ResponseModel = model
	requestID := r.header.Get("x-amzn-RequestId")
	e.ResponseID = requestID
	defer func() {
		if requestID != "" && e.ResponseID == requestID {
			b.why("response id = x-amzn-RequestId: the response has no id of its own (otelllm's documented fallback; debatable once the request id gets an attribute of its own)")
		}
	}()
	if r.status >= 400 {
		name, _, _ := strings.Cut(r.header.Get("x-amzn-ErrorType"), ":")
		e.ErrorType = name
		e.ResponseModel = ""
		b.why("HTTP %d: error.type from x-amzn-ErrorType; no response model", r.status)
		return model
	}
	switch action {
	case "converse":
		var body struct {
			StopReason string  `json:"stopReason"`
			Usage      brUsage `json:"usage"`
		}
		mustJSON(t, r.name, r.plain, &body)
		e.FinishReasons = []string{body.StopReason}
		bedrockUsage(b, body.Usage)
	case "converse-stream":
		for _, m := range awsEvents(t, r.name, r.plain) {
			switch m.headers[":event-type"] {
			case "messageStop":
				var v struct {
					StopReason string `json:"stopReason"`
				}
				mustJSON(t, r.name, m.payload, &v)
				e.FinishReasons = []string{v.StopReason}
			case "metadata":
				var v struct {
					Usage brUsage `json:"usage"`
				}
				mustJSON(t, r.name, m.payload, &v)
				bedrockUsage(b, v.Usage)
			}
		}
	case "invoke":
		refBedrockInvoke(t, b, r)
	case "invoke-with-response-stream":
		refBedrockInvokeStream(t, b, r)
	default:
		t.Fatalf("%s: Bedrock action %q", r.name, action)
	}
	return model
}

// headerUsage is InvokeModel's X-Amzn-Bedrock-*-Token-Count headers, which
// Bedrock sends for every model family; the input count leaves out the
// cache counts of their own headers.
func headerUsage(r recording) wantUsage {
	var u wantUsage
	in, out := headerCount(r, "X-Amzn-Bedrock-Input-Token-Count"), headerCount(r, "X-Amzn-Bedrock-Output-Token-Count")
	read, write := headerCount(r, "X-Amzn-Bedrock-Cache-Read-Input-Token-Count"), headerCount(r, "X-Amzn-Bedrock-Cache-Write-Input-Token-Count")
	if in != nil {
		u.Input = count(*in + sum(read) + sum(write))
	}
	u.Output, u.CacheRead, u.CacheCreation = out, read, write
	return u
}

func refBedrockInvoke(t *testing.T, b *refBuilder, r recording) {
	e := b.e
	var body struct {
		Type  string          `json:"type"`
		Usage json.RawMessage `json:"usage"`
		// Nova.
		StopReason *string `json:"stopReason"`
		// Llama.
		LlamaStop            *string `json:"stop_reason"`
		PromptTokenCount     *int64  `json:"prompt_token_count"`
		GenerationTokenCount *int64  `json:"generation_token_count"`
		// Titan.
		InputTextTokenCount *int64 `json:"inputTextTokenCount"`
		Results             []struct {
			TokenCount       *int64 `json:"tokenCount"`
			CompletionReason string `json:"completionReason"`
		} `json:"results"`
		// Mistral.
		Outputs []struct {
			StopReason string `json:"stop_reason"`
		} `json:"outputs"`
		// Cohere Command R.
		FinishReason string `json:"finish_reason"`
		// OpenAI-style (imported models).
		Choices []oaChoice `json:"choices"`
	}
	mustJSON(t, r.name, r.plain, &body)
	headers := headerUsage(r)
	switch {
	case body.Type == "message":
		var msg anMessage
		mustJSON(t, r.name, r.plain, &msg)
		e.ResponseID, e.ResponseModel = msg.ID, msg.Model
		b.why("Claude on InvokeModel: the body names the message id and the model; the request id is not the response's id")
		if msg.StopReason != "" {
			e.FinishReasons = []string{msg.StopReason}
		}
		anthropicUsage(b, msg.Usage)
		if h := headers; h.Input != nil && (sum(h.Input) != sum(e.Usage.Input) || sum(h.Output) != sum(e.Usage.Output)) {
			t.Fatalf("%s: token headers %s/%s disagree with the body %s/%s", r.name, fmtCount(h.Input), fmtCount(h.Output), fmtCount(e.Usage.Input), fmtCount(e.Usage.Output))
		}
	case body.StopReason != nil:
		e.FinishReasons = []string{*body.StopReason}
		var u brUsage
		mustJSON(t, r.name, body.Usage, &u)
		bedrockUsage(b, u)
		b.why("Nova: usage from the body (inputTokens leaves the cache out, like Converse)")
	case body.PromptTokenCount != nil:
		e.FinishReasons = []string{*body.LlamaStop}
		e.Usage.Input, e.Usage.Output = body.PromptTokenCount, body.GenerationTokenCount
		b.why("Llama: prompt_token_count, generation_token_count")
	case body.InputTextTokenCount != nil:
		var out int64
		for _, res := range body.Results {
			e.FinishReasons = append(e.FinishReasons, res.CompletionReason)
			out += sum(res.TokenCount)
		}
		e.Usage.Input, e.Usage.Output = body.InputTextTokenCount, count(out)
		b.why("Titan: inputTextTokenCount and results[].tokenCount")
	case len(body.Outputs) > 0:
		for _, o := range body.Outputs {
			e.FinishReasons = append(e.FinishReasons, o.StopReason)
		}
		e.Usage = headers
		b.why("Mistral: the body has no counts; usage from the X-Amzn-Bedrock-*-Token-Count headers")
	case body.FinishReason != "":
		e.FinishReasons = []string{body.FinishReason}
		e.Usage = headers
		b.why("Cohere Command R: the body has no counts; usage from the X-Amzn-Bedrock-*-Token-Count headers (debatable: its response_id/generation_id could be the response id)")
	case len(body.Choices) > 0:
		for _, c := range body.Choices {
			if c.FinishReason != nil {
				e.FinishReasons = append(e.FinishReasons, *c.FinishReason)
			}
		}
		var u oaUsage
		mustJSON(t, r.name, body.Usage, &u)
		e.Usage = headers
		e.Usage.Total = u.TotalTokens
		b.why("OpenAI-style body of an imported model: usage from the headers (the body's prompt/completion agree), total_tokens from the body; its model \"/opt/ml/model\" and empty id name nothing")
		if sum(u.PromptTokens) != sum(headers.Input) || sum(u.CompletionTokens) != sum(headers.Output) {
			t.Fatalf("%s: headers and body disagree", r.name)
		}
	default:
		t.Fatalf("%s: unknown InvokeModel body", r.name)
	}
	if headers.Input != nil && e.Usage.Input != nil && sum(headers.Input) != sum(e.Usage.Input) {
		t.Fatalf("%s: input header %d, body %d", r.name, sum(headers.Input), sum(e.Usage.Input))
	}
}

func refBedrockInvokeStream(t *testing.T, b *refBuilder, r recording) {
	e := b.e
	var claude [][]byte
	var metrics *struct {
		InputTokenCount           *int64 `json:"inputTokenCount"`
		OutputTokenCount          *int64 `json:"outputTokenCount"`
		CacheReadInputTokenCount  *int64 `json:"cacheReadInputTokenCount"`
		CacheWriteInputTokenCount *int64 `json:"cacheWriteInputTokenCount"`
	}
	var nova *brUsage
	for _, m := range awsEvents(t, r.name, r.plain) {
		if m.headers[":message-type"] != "event" {
			e.ErrorType = m.headers[":exception-type"]
			continue
		}
		if m.headers[":event-type"] != "chunk" {
			continue
		}
		var chunk struct {
			Bytes string `json:"bytes"`
		}
		mustJSON(t, r.name, m.payload, &chunk)
		inner, err := base64.StdEncoding.DecodeString(chunk.Bytes)
		if err != nil {
			t.Fatalf("%s: %v", r.name, err)
		}
		var ev struct {
			Type        string          `json:"type"`
			Metrics     json.RawMessage `json:"amazon-bedrock-invocationMetrics"`
			MessageStop *struct {
				StopReason string `json:"stopReason"`
			} `json:"messageStop"`
			Metadata *struct {
				Usage brUsage `json:"usage"`
			} `json:"metadata"`
			CompletionReason string `json:"completionReason"`
		}
		mustJSON(t, r.name, inner, &ev)
		if len(ev.Metrics) > 0 {
			mustJSON(t, r.name, ev.Metrics, &metrics)
		}
		switch {
		case ev.Type != "":
			claude = append(claude, inner)
		case ev.MessageStop != nil:
			e.FinishReasons = []string{ev.MessageStop.StopReason}
		case ev.Metadata != nil:
			nova = &ev.Metadata.Usage
		case ev.CompletionReason != "":
			e.FinishReasons = []string{ev.CompletionReason}
		}
	}
	if len(claude) > 0 {
		anthropicEvents(t, b, r.name, claude)
		b.why("Claude on InvokeModelWithResponseStream: message_start names the message id and the model; the request id is not the response's id")
	}
	if metrics == nil {
		t.Fatalf("%s: no invocation metrics", r.name)
	}
	// The invocation metrics are Bedrock's own metering of the call, what it
	// bills; the model's own counts add what the metrics leave out.
	claudeOut := e.Usage.Output
	read, write := metrics.CacheReadInputTokenCount, metrics.CacheWriteInputTokenCount
	if nova != nil {
		read, write = nova.CacheReadInputTokenCount, nova.CacheWriteInputTokenCount
	}
	if len(claude) > 0 && read == nil && write == nil {
		read, write = e.Usage.CacheRead, e.Usage.CacheCreation
	}
	e.Usage.Input = count(sum(metrics.InputTokenCount) + sum(read) + sum(write))
	e.Usage.Output = metrics.OutputTokenCount
	e.Usage.CacheRead, e.Usage.CacheCreation = read, write
	if nova != nil && (sum(nova.InputTokens) != sum(metrics.InputTokenCount) || sum(nova.OutputTokens) != sum(metrics.OutputTokenCount)) {
		t.Fatalf("%s: Nova metadata and invocation metrics disagree", r.name)
	}
	b.why("usage from amazon-bedrock-invocationMetrics (input %s, output %s): Bedrock's metering of the call", fmtCount(metrics.InputTokenCount), fmtCount(metrics.OutputTokenCount))
	if claudeOut != nil && sum(claudeOut) != sum(metrics.OutputTokenCount) {
		b.why("debatable: Claude's message_delta says output_tokens %d, the invocation metrics %d; the metrics are what Bedrock bills", sum(claudeOut), sum(metrics.OutputTokenCount))
	}
}

// --- Gemini API and Vertex AI ----------------------------------------------

// geminiFinishReasons are the names of google.cloud.aiplatform /
// google.ai.generativelanguage FinishReason values, which REST clients that
// ask for $alt=json;enum-encoding=int receive as numbers.
var geminiFinishReasons = []string{"FINISH_REASON_UNSPECIFIED", "STOP", "MAX_TOKENS", "SAFETY", "RECITATION", "OTHER",
	"BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "MALFORMED_FUNCTION_CALL", "IMAGE_SAFETY"}

type gmResponse struct {
	ResponseID   string `json:"responseId"`
	ModelVersion string `json:"modelVersion"`
	Candidates   []struct {
		Index        *int            `json:"index"`
		FinishReason json.RawMessage `json:"finishReason"`
	} `json:"candidates"`
	UsageMetadata *struct {
		PromptTokenCount        *int64 `json:"promptTokenCount"`
		CandidatesTokenCount    *int64 `json:"candidatesTokenCount"`
		TotalTokenCount         *int64 `json:"totalTokenCount"`
		CachedContentTokenCount *int64 `json:"cachedContentTokenCount"`
		ThoughtsTokenCount      *int64 `json:"thoughtsTokenCount"`
		ToolUsePromptTokenCount *int64 `json:"toolUsePromptTokenCount"`
	} `json:"usageMetadata"`
}

func refGemini(t *testing.T, b *refBuilder, r recording) string {
	e := b.e
	e.Provider = "gcp.gemini"
	if strings.Contains(r.host, "aiplatform.googleapis.com") {
		e.Provider = "gcp.vertex_ai"
	}
	// .../models/{model}:{method}
	i := strings.LastIndex(r.path, "/models/")
	model, method, _ := strings.Cut(r.path[i+len("/models/"):], ":")
	e.Operation = "generate_content"
	if strings.Contains(method, "mbed") {
		e.Operation = "embeddings"
	}
	var docs [][]byte
	switch {
	case r.shape == "gemini_stream" && strings.Contains(r.query, "alt=sse"):
		for _, ev := range sseEvents(r.plain) {
			docs = append(docs, ev.data)
		}
	case r.shape == "gemini_stream":
		var elems []json.RawMessage
		mustJSON(t, r.name, r.plain, &elems)
		for _, el := range elems {
			docs = append(docs, el)
		}
		b.why("streamGenerateContent without alt=sse: one JSON array, an element per chunk")
	default:
		docs = [][]byte{r.plain}
	}
	finish := map[int]string{}
	maxIndex := -1
	var prompt, candidates, total, cached, thoughts, toolUse *int64
	for _, d := range docs {
		var g gmResponse
		mustJSON(t, r.name, d, &g)
		if e.ResponseID == "" {
			e.ResponseID = g.ResponseID
		}
		if e.ResponseModel == "" {
			e.ResponseModel = g.ModelVersion
		}
		for pos, c := range g.Candidates {
			idx := pos
			if c.Index != nil {
				idx = *c.Index
			}
			maxIndex = max(maxIndex, idx)
			if len(c.FinishReason) == 0 {
				continue
			}
			var s string
			var n int
			switch {
			case json.Unmarshal(c.FinishReason, &s) == nil:
				finish[idx] = s
			case json.Unmarshal(c.FinishReason, &n) == nil && n >= 0 && n < len(geminiFinishReasons):
				finish[idx] = geminiFinishReasons[n]
				b.why("finishReason %d is %s: the request asked for $alt=json;enum-encoding=int", n, geminiFinishReasons[n])
			default:
				t.Fatalf("%s: finishReason %s", r.name, c.FinishReason)
			}
		}
		// Each chunk's usageMetadata has the counts so far: the last value
		// of each count is the call's.
		if um := g.UsageMetadata; um != nil {
			for _, f := range []struct {
				dst **int64
				v   *int64
			}{{&prompt, um.PromptTokenCount}, {&candidates, um.CandidatesTokenCount},
				{&total, um.TotalTokenCount}, {&cached, um.CachedContentTokenCount}, {&thoughts, um.ThoughtsTokenCount}, {&toolUse, um.ToolUsePromptTokenCount}} {
				if f.v != nil {
					*f.dst = f.v
				}
			}
		}
	}
	for i := 0; i <= maxIndex; i++ {
		if f, ok := finish[i]; ok {
			e.FinishReasons = append(e.FinishReasons, f)
		}
	}
	w := &e.Usage
	if prompt != nil || toolUse != nil {
		w.Input = count(sum(prompt, toolUse))
		if toolUse != nil {
			b.why("input = promptTokenCount %s + toolUsePromptTokenCount %d (tool results fed back to the model are billed as input)", fmtCount(prompt), *toolUse)
		}
	}
	if candidates != nil || thoughts != nil {
		w.Output = count(sum(candidates, thoughts))
		if thoughts != nil {
			b.why("output = candidatesTokenCount %s + thoughtsTokenCount %d (Gemini counts thoughts apart)", fmtCount(candidates), *thoughts)
		}
	}
	w.Total, w.CacheRead, w.Reasoning = total, cached, thoughts
	if cached != nil {
		b.why("cache_read = cachedContentTokenCount, part of promptTokenCount")
	}
	if len(docs) > 1 {
		b.why("usage: the last value of each usageMetadata count (each chunk carries the counts so far)")
	}
	return model
}

// --- Cohere v2 ----------------------------------------------------------------

type coUsage struct {
	BilledUnits *struct {
		InputTokens  *int64 `json:"input_tokens"`
		OutputTokens *int64 `json:"output_tokens"`
	} `json:"billed_units"`
	Tokens *struct {
		InputTokens  *int64 `json:"input_tokens"`
		OutputTokens *int64 `json:"output_tokens"`
	} `json:"tokens"`
	CachedTokens *int64 `json:"cached_tokens"`
}

// cohereUsage takes Cohere's billed units, what it bills (its tokens also
// count the prompt template), and its cached_tokens as cache reads.
func cohereUsage(b *refBuilder, u coUsage) {
	w := &b.e.Usage
	if u.BilledUnits != nil {
		w.Input, w.Output = u.BilledUnits.InputTokens, u.BilledUnits.OutputTokens
		if u.Tokens != nil {
			b.why("input/output = billed_units, what Cohere bills (its tokens %s/%s also count the prompt template)", fmtCount(u.Tokens.InputTokens), fmtCount(u.Tokens.OutputTokens))
		} else {
			b.why("input = billed_units.input_tokens, what Cohere bills")
		}
	}
	if u.CachedTokens != nil {
		w.CacheRead = u.CachedTokens
		b.why("cache_read = usage.cached_tokens %d (debatable: it counts raw prompt tokens, so it can exceed the billed input %s; the cost prices it up to the billed input)",
			*u.CachedTokens, fmtCount(w.Input))
	}
}

func refCohere(t *testing.T, b *refBuilder, r recording) {
	e := b.e
	e.Provider, e.Operation = "cohere", "chat"
	switch r.shape {
	case "cohere_embed":
		e.Operation = "embeddings"
		var body struct {
			ID   string  `json:"id"`
			Meta coUsage `json:"meta"`
		}
		mustJSON(t, r.name, r.plain, &body)
		e.ResponseID = body.ID
		cohereUsage(b, body.Meta)
	case "cohere_chat":
		var body struct {
			ID           string  `json:"id"`
			FinishReason string  `json:"finish_reason"`
			Usage        coUsage `json:"usage"`
		}
		mustJSON(t, r.name, r.plain, &body)
		e.ResponseID = body.ID
		e.FinishReasons = []string{body.FinishReason}
		cohereUsage(b, body.Usage)
	case "cohere_stream":
		for _, ev := range sseEvents(r.plain) {
			if isDone(ev.data) {
				b.why("the stream ends with data: [DONE], which is not JSON")
				continue
			}
			var v struct {
				Type  string `json:"type"`
				ID    string `json:"id"`
				Delta struct {
					FinishReason string  `json:"finish_reason"`
					Usage        coUsage `json:"usage"`
				} `json:"delta"`
			}
			mustJSON(t, r.name, ev.data, &v)
			switch v.Type {
			case "message-start":
				e.ResponseID = v.ID
			case "message-end":
				e.FinishReasons = []string{v.Delta.FinishReason}
				cohereUsage(b, v.Delta.Usage)
			}
		}
	}
	b.why("Cohere's v2 responses name no model")
}

// --- Ollama -----------------------------------------------------------------

func refOllama(t *testing.T, b *refBuilder, r recording) {
	e := b.e
	e.Provider = "ollama"
	e.Operation = "chat"
	if strings.HasSuffix(r.path, "/generate") {
		e.Operation = "text_completion"
	}
	docs := [][]byte{r.plain}
	if r.shape == "ollama_stream" {
		docs = ndjsonLines(r.plain)
	}
	for _, d := range docs {
		var v struct {
			Model           string `json:"model"`
			Done            bool   `json:"done"`
			DoneReason      string `json:"done_reason"`
			PromptEvalCount *int64 `json:"prompt_eval_count"`
			EvalCount       *int64 `json:"eval_count"`
		}
		mustJSON(t, r.name, d, &v)
		if e.ResponseModel == "" {
			e.ResponseModel = v.Model
		}
		if v.DoneReason != "" {
			e.FinishReasons = []string{v.DoneReason}
		}
		if v.PromptEvalCount != nil {
			e.Usage.Input = v.PromptEvalCount
		}
		if v.EvalCount != nil {
			e.Usage.Output = v.EvalCount
		}
	}
	b.why("input = prompt_eval_count, output = eval_count (thinking included); Ollama names no response id")
}

// --- prices ----------------------------------------------------------------

// providerNamespaces are the price-table key prefixes and litellm_provider
// values of each provider, from the table's own conventions.
var providerNamespaces = map[string]struct {
	prefixes []string
	owners   []string
}{
	"openai":          {[]string{""}, []string{"openai", "text-completion-openai"}},
	"azure.ai.openai": {[]string{"azure/"}, []string{"azure", "azure_text"}},
	"anthropic":       {[]string{""}, []string{"anthropic"}},
	"aws.bedrock":     {[]string{"", "bedrock/"}, []string{"bedrock", "bedrock_converse"}},
	"gcp.gemini":      {[]string{"gemini/"}, []string{"gemini"}},
	"gcp.vertex_ai":   {[]string{"vertex_ai/", ""}, []string{"vertex_ai", "vertex_ai-language-models", "vertex_ai-anthropic_models", "vertex_ai-embedding-models"}},
	"cohere":          {[]string{"", "cohere/"}, []string{"cohere", "cohere_chat"}},
	"groq":            {[]string{"groq/"}, []string{"groq"}},
	"deepseek":        {[]string{"deepseek/"}, []string{"deepseek"}},
	"mistral_ai":      {[]string{"mistral/"}, []string{"mistral"}},
	"x_ai":            {[]string{"xai/"}, []string{"xai"}},
	"perplexity":      {[]string{"perplexity/"}, []string{"perplexity"}},
	"openrouter":      {[]string{"openrouter/"}, []string{"openrouter"}},
	"together_ai":     {[]string{"together_ai/"}, []string{"together_ai"}},
	"ollama":          {[]string{"ollama/"}, []string{"ollama"}},
}

var dateSuffix = regexp.MustCompile(`-(\d{4}-\d{2}-\d{2}|\d{8})$`)

// refPrice picks the table entry that prices the call: the response model,
// then the request model, each as given and without a date suffix, under
// the provider's own namespaces and owned by the provider. A Bedrock model
// id is priced as the Bedrock entry of the path's model (an ARN by its last
// segment), whatever model name the body gives.
func refPrice(b *refBuilder, pt priceTable, requestModel, requestTier string) {
	e := b.e
	ns, ok := providerNamespaces[e.Provider]
	if !ok {
		b.why("unpriced: the table has no namespace for provider %s", e.Provider)
		return
	}
	models := []string{e.ResponseModel, requestModel}
	if e.Provider == "aws.bedrock" {
		m := requestModel
		if strings.HasPrefix(m, "arn:") {
			m = m[strings.LastIndex(m, "/")+1:]
			b.why("priced by the last segment of the ARN in the path, %s", m)
		} else if m != e.ResponseModel {
			b.why("priced as the Bedrock entry of the path's model id %s, not the model name the body gives", m)
		}
		models = []string{m}
	}
	// The tier that served the call is the one the response names; a
	// response that names none was served as the request asked.
	tier, from := b.responseTier, "the response names"
	if tier == "" {
		tier, from = requestTier, "the request asks for"
	}
	if tier == "flex" || tier == "priority" {
		e.PriceTier = tier
		b.why("priced at the %s tier %s (service_tier)", tier, from)
	}
	for _, m := range models {
		if m == "" {
			continue
		}
		forms := []string{m}
		if base := dateSuffix.ReplaceAllString(m, ""); base != m {
			forms = append(forms, base)
		}
		if at := strings.LastIndex(m, "@"); at > 0 {
			forms = append(forms, m[:at]+"-"+m[at+1:], m[:at])
		}
		for _, f := range forms {
			for _, p := range ns.prefixes {
				key := p + f
				entry, ok := pt[key]
				if !ok {
					continue
				}
				var owner string
				_ = json.Unmarshal(entry["litellm_provider"], &owner)
				owned := false
				for _, o := range ns.owners {
					owned = owned || owner == o
				}
				if !owned {
					continue
				}
				e.PriceKey = key
				if e.PriceTier != "" {
					if _, ok := pt.num(key, "input_cost_per_token_"+e.PriceTier); !ok {
						b.why("the %s tier has no prices of its own for %s: standard prices", e.PriceTier, key)
						e.PriceTier = ""
					}
				}
				return
			}
		}
	}
	e.PriceTier = ""
	b.why("unpriced: no %s entry for %q in the price table", e.Provider, models)
}
