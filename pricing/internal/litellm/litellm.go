package litellm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Field names of the LiteLLM format that this package reads and writes.
const (
	FieldProvider = "litellm_provider"
	FieldMode     = "mode"

	// The base per-token prices.
	FieldInput           = "input_cost_per_token"
	FieldOutput          = "output_cost_per_token"
	FieldCacheRead       = "cache_read_input_token_cost"
	FieldCacheCreation   = "cache_creation_input_token_cost"
	FieldReasoning       = "output_cost_per_reasoning_token"
	FieldCacheCreation1h = FieldCacheCreation + "_above_1hr" // a cache write with a one-hour lifetime

	// The prices of audio and image tokens, apart from text.
	FieldInputAudio  = "input_cost_per_audio_token"
	FieldOutputAudio = "output_cost_per_audio_token"
	FieldInputImage  = "input_cost_per_image_token"
	FieldOutputImage = "output_cost_per_image_token"

	// Suffixes of the variants of a base price: the long-context tier
	// (above 200k input tokens) and the flex and priority service tiers,
	// alone or combined (input_cost_per_token_above_200k_tokens_priority).
	SuffixAbove200k = "_above_200k_tokens"
	// SuffixAbove272k is the long-context tier of OpenAI's 1.05M-context
	// models (above 272k input tokens).
	SuffixAbove272k = "_above_272k_tokens"

	// FieldSearchPerQuery is the price of one web search, an object by
	// search context size (SearchSizes).
	FieldSearchPerQuery = "search_context_cost_per_query"
	SuffixFlex          = "_flex"
	SuffixPriority      = "_priority"

	// lastUpdatedKey is the root member upstream stamps the file with; it is
	// the only non-object root member it has, and it dates the table.
	lastUpdatedKey = "last_updated"
)

// SearchSizes are the members of FieldSearchPerQuery.
var SearchSizes = []string{"search_context_size_low", "search_context_size_medium", "search_context_size_high"}

// BaseFields are the base prices, in the order package pricing reads them.
var BaseFields = []string{FieldInput, FieldOutput, FieldCacheRead, FieldCacheCreation, FieldReasoning, FieldCacheCreation1h,
	FieldInputAudio, FieldOutputAudio, FieldInputImage, FieldOutputImage}

// Suffixes are the variants of every base price: none, each long-context
// tier, each service tier, and each long-context tier of each service tier.
var Suffixes = []string{"", SuffixAbove200k, SuffixAbove272k, SuffixFlex, SuffixPriority,
	SuffixAbove200k + SuffixFlex, SuffixAbove200k + SuffixPriority, SuffixAbove272k + SuffixFlex, SuffixAbove272k + SuffixPriority}

// PriceFields lists every price field this package reads and writes: each
// base price alone and with each variant suffix.
var PriceFields = func() []string {
	var fields []string
	for _, base := range BaseFields {
		for _, suffix := range Suffixes {
			fields = append(fields, base+suffix)
		}
	}
	return fields
}()

// MaxPrice is the largest price Decode accepts (package pricing's
// MaxPrice): above it a cost could overflow.
const MaxPrice = 1e200

// Entry is the token-pricing part of one LiteLLM entry.
type Entry struct {
	// Key is the entry's name in the file: a model id, often qualified by a
	// provider namespace (azure/gpt-4o, bedrock/us-east-1/...).
	Key string
	// Provider is litellm_provider, "" when absent.
	Provider string
	// Mode is mode, "" when absent.
	Mode string
	// Prices holds the entry's prices by field name (see PriceFields);
	// absent and null fields are not in it.
	Prices map[string]float64
	// SearchPerQuery holds FieldSearchPerQuery by search context size (see
	// SearchSizes); nil when absent.
	SearchPerQuery map[string]float64
}

// Price returns the price in field, nil when the entry has none.
func (e Entry) Price(field string) *float64 {
	v, ok := e.Prices[field]
	if !ok {
		return nil
	}
	return &v
}

// Document is a decoded LiteLLM file: its usable entries, sorted by key.
type Document struct {
	Entries []Entry
	// LastUpdated is the root last_updated string, "" when absent.
	LastUpdated string
}

// UsableMode reports whether entries of mode price tokens of the calls this
// project observes. An absent mode counts: LiteLLM treats it as chat, and a
// hand-written overlay file should not need it.
func UsableMode(mode string) bool {
	switch mode {
	case "", "chat", "completion", "embedding", "responses":
		return true
	}
	return false
}

// RecognisedProvider reports whether the embedded table keeps entries of this
// litellm_provider: the APIs whose calls the project observes. The completion
// providers are there because OpenAI and Azure serve their legacy completion
// models (babbage-002, gpt-3.5-turbo-instruct) under these names.
func RecognisedProvider(provider string) bool {
	switch provider {
	case "openai", "text-completion-openai",
		"azure", "azure_text",
		"anthropic",
		"bedrock", "bedrock_converse",
		"gemini",
		"vertex_ai",
		"mistral",
		"cohere", "cohere_chat",
		"groq", "deepseek", "xai", "perplexity",
		"together_ai", "openrouter", "ollama":
		return true
	}
	// Vertex AI files every partner family under its own vertex_ai-* name
	// (anthropic_models, language-models, mistral_models, ...).
	return strings.HasPrefix(provider, "vertex_ai-")
}

// Decode reads a LiteLLM-format document. It returns an error for malformed
// JSON, a root that is not an object, or a price that is not a number (or is
// negative) in an entry it would keep. It skips, silently, root members that
// are not objects, entries whose mode is not usable, and entries without a
// numeric input price (or, except for embeddings, output price): such entries
// are priced per second, per character or per call, and pricing only part of
// them would report a cost that looks right and is not. Zero usable entries is
// an error too: a table that prices nothing is always a mistake.
func Decode(data []byte) (Document, error) {
	var root map[string]json.RawMessage
	if err := json.Unmarshal(data, &root); err != nil {
		return Document{}, rootError(data, err)
	}
	if root == nil {
		return Document{}, errors.New("root is null, want a JSON object mapping model names to prices")
	}
	doc := Document{Entries: make([]Entry, 0, len(root))}
	members := map[string]json.RawMessage{} // reused: entries are many and alike
	for key, value := range root {
		if !isObject(value) {
			if key == lastUpdatedKey {
				_ = json.Unmarshal(value, &doc.LastUpdated) // a non-string date is not worth failing a table over
			}
			continue
		}
		clear(members)
		entry, keep, err := decodeEntry(key, value, members)
		if err != nil {
			return Document{}, err
		}
		if keep {
			doc.Entries = append(doc.Entries, entry)
		}
	}
	if len(doc.Entries) == 0 {
		return Document{}, fmt.Errorf("no usable entries among %d root members: want objects with mode chat, completion, embedding or responses (or none) and numeric %s and %s", len(root), FieldInput, FieldOutput)
	}
	slices.SortFunc(doc.Entries, func(a, b Entry) int { return strings.Compare(a.Key, b.Key) })
	return doc, nil
}

func rootError(data []byte, err error) error {
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return fmt.Errorf("malformed JSON at byte offset %d: %w", syntax.Offset, err)
	}
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field == "" {
		return fmt.Errorf("root is a JSON %s, want an object mapping model names to prices", typ.Value)
	}
	// A type error below the root cannot happen with RawMessage values; keep
	// the original message should encoding/json ever report one.
	return fmt.Errorf("malformed JSON: %w", err)
}

func isObject(value json.RawMessage) bool {
	value = bytes.TrimLeft(value, " \t\r\n")
	return len(value) > 0 && value[0] == '{'
}

func decodeEntry(key string, value json.RawMessage, raw map[string]json.RawMessage) (Entry, bool, error) {
	if err := json.Unmarshal(value, &raw); err != nil {
		return Entry{}, false, fmt.Errorf("entry %q: %w", key, err)
	}
	entry := Entry{Key: key}
	if !optionalString(raw[FieldMode], &entry.Mode) || !UsableMode(entry.Mode) {
		return Entry{}, false, nil
	}
	// A provider that is not a string is some other tool's field; the entry
	// still prices tokens, it is just not attributed to a provider.
	optionalString(raw[FieldProvider], &entry.Provider)

	for _, field := range PriceFields {
		v, err := price(raw[field])
		if err != nil {
			return Entry{}, false, fmt.Errorf("entry %q: %s: %w", key, field, err)
		}
		if v != nil {
			if entry.Prices == nil {
				entry.Prices = make(map[string]float64, len(raw))
			}
			entry.Prices[field] = *v
		}
	}
	if search := raw[FieldSearchPerQuery]; len(search) > 0 && string(search) != "null" {
		var sizes map[string]json.RawMessage
		if !isObject(search) || json.Unmarshal(search, &sizes) != nil {
			return Entry{}, false, fmt.Errorf("entry %q: %s: got %s, want an object of prices by search context size", key, FieldSearchPerQuery, search)
		}
		for _, size := range SearchSizes {
			v, err := price(sizes[size])
			if err != nil {
				return Entry{}, false, fmt.Errorf("entry %q: %s.%s: %w", key, FieldSearchPerQuery, size, err)
			}
			if v != nil {
				if entry.SearchPerQuery == nil {
					entry.SearchPerQuery = map[string]float64{}
				}
				entry.SearchPerQuery[size] = *v
			}
		}
	}
	if entry.Price(FieldInput) == nil || (entry.Price(FieldOutput) == nil && entry.Mode != "embedding") {
		return Entry{}, false, nil
	}
	return entry, true, nil
}

// optionalString decodes a string field, leaving dst alone when the field is
// absent or null. It reports false when the field holds something else.
func optionalString(raw json.RawMessage, dst *string) bool {
	if len(raw) == 0 || string(raw) == "null" {
		return true
	}
	return json.Unmarshal(raw, dst) == nil
}

// price decodes one per-token price: absent or null is nil, a non-negative
// number is its value, anything else is an error that says what was found.
func price(raw json.RawMessage) (*float64, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	switch raw[0] {
	case '"':
		return nil, fmt.Errorf("got the string %s, want a number", raw)
	case 't', 'f':
		return nil, fmt.Errorf("got the boolean %s, want a number", raw)
	case '{':
		return nil, errors.New("got an object, want a number")
	case '[':
		return nil, errors.New("got an array, want a number")
	}
	// raw is a valid JSON value (the document parsed), and JSON's number
	// grammar is a subset of ParseFloat's.
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return nil, fmt.Errorf("got %s, want a number: %w", raw, err)
	}
	if v < 0 {
		return nil, fmt.Errorf("got %s, want a price of zero or more", raw)
	}
	if v > MaxPrice {
		// A cost of it could overflow, and an infinite cost would poison
		// every sum it joins.
		return nil, fmt.Errorf("got %s, want a price of at most %g USD", raw, float64(MaxPrice))
	}
	return &v, nil
}

// Generate turns the upstream LiteLLM file into the table package pricing
// embeds: the entries of recognised providers with an explicitly usable mode,
// and only their token-pricing fields. The output is itself LiteLLM-format
// JSON, so one loader reads it and users' files; it has one entry per line in
// key order, with keys sorted inside entries, so that regenerating an
// unchanged source gives the same bytes and a new one gives a readable diff.
func Generate(upstream []byte) ([]byte, error) {
	doc, err := Decode(upstream)
	if err != nil {
		return nil, err
	}
	kept := doc.Entries[:0]
	for _, e := range doc.Entries {
		// Decode accepts an absent mode for hand-written files; upstream
		// always states it, and the generator keeps only what it states.
		if e.Mode != "" && RecognisedProvider(e.Provider) {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		return nil, errors.New("no entries of recognised providers")
	}
	return Encode(kept)
}

// Encode writes entries (which must be sorted by key) as LiteLLM-format JSON,
// one entry per line, omitting absent fields.
func Encode(entries []Entry) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString("{\n")
	for i, e := range entries {
		fields := map[string]any{} // a map, because encoding/json sorts map keys
		if e.Provider != "" {
			fields[FieldProvider] = e.Provider
		}
		if e.Mode != "" {
			fields[FieldMode] = e.Mode
		}
		for name, v := range e.Prices {
			fields[name] = v
		}
		if len(e.SearchPerQuery) > 0 {
			fields[FieldSearchPerQuery] = e.SearchPerQuery
		}
		key, err := json.Marshal(e.Key)
		if err != nil {
			return nil, err
		}
		body, err := json.Marshal(fields)
		if err != nil {
			return nil, fmt.Errorf("entry %q: %w", e.Key, err)
		}
		out.Write(key)
		out.WriteByte(':')
		out.Write(body)
		if i < len(entries)-1 {
			out.WriteByte(',')
		}
		out.WriteByte('\n')
	}
	out.WriteString("}\n")
	return out.Bytes(), nil
}
