package litellm

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Field names of the LiteLLM format that this package reads and writes.
const (
	FieldProvider                 = "litellm_provider"
	FieldMode                     = "mode"
	FieldInput                    = "input_cost_per_token"
	FieldOutput                   = "output_cost_per_token"
	FieldCacheRead                = "cache_read_input_token_cost"
	FieldCacheCreation            = "cache_creation_input_token_cost"
	FieldReasoning                = "output_cost_per_reasoning_token"
	FieldCacheCreation1h          = FieldCacheCreation + "_above_1hr"
	FieldInputAbove200k           = FieldInput + above200kSuffix
	FieldOutputAbove200k          = FieldOutput + above200kSuffix
	FieldCacheReadAbove200k       = FieldCacheRead + above200kSuffix
	FieldCacheCreationAbove200k   = FieldCacheCreation + above200kSuffix
	FieldReasoningAbove200k       = FieldReasoning + above200kSuffix
	FieldCacheCreation1hAbove200k = FieldCacheCreation1h + above200kSuffix

	// lastUpdatedKey is the root member upstream stamps the file with; it is
	// the only non-object root member it has, and it dates the table.
	lastUpdatedKey = "last_updated"

	above200kSuffix = "_above_200k_tokens"
)

// Entry is the token-pricing part of one LiteLLM entry. A nil price means the
// field is absent (or null) in the file.
type Entry struct {
	// Key is the entry's name in the file: a model id, often qualified by a
	// provider namespace (azure/gpt-4o, bedrock/us-east-1/...).
	Key string
	// Provider is litellm_provider, "" when absent.
	Provider string
	// Mode is mode, "" when absent.
	Mode string

	// Input, Output, CacheRead, CacheCreation and Reasoning are the base
	// per-token prices: FieldInput, FieldOutput, FieldCacheRead,
	// FieldCacheCreation and FieldReasoning.
	Input, Output, CacheRead, CacheCreation, Reasoning *float64
	// CacheCreation1h is FieldCacheCreation1h: the price of a cache write
	// with a one-hour lifetime (Anthropic's extended cache).
	CacheCreation1h *float64

	// The Above200k prices are the long-context tier, the
	// _above_200k_tokens variants of the base prices.
	InputAbove200k, OutputAbove200k, CacheReadAbove200k, CacheCreationAbove200k, ReasoningAbove200k *float64
	CacheCreation1hAbove200k                                                                        *float64
}

// Document is a decoded LiteLLM file: its usable entries, sorted by key.
type Document struct {
	Entries []Entry
	// LastUpdated is the root last_updated string, "" when absent.
	LastUpdated string
}

// rawEntry picks the fields Decode reads out of an entry, still undecoded, so
// that a bad value can be reported with the entry's key and field name rather
// than encoding/json's Go-centric message.
type rawEntry struct {
	Provider               json.RawMessage `json:"litellm_provider"`
	Mode                   json.RawMessage `json:"mode"`
	Input                  json.RawMessage `json:"input_cost_per_token"`
	Output                 json.RawMessage `json:"output_cost_per_token"`
	CacheRead              json.RawMessage `json:"cache_read_input_token_cost"`
	CacheCreation          json.RawMessage `json:"cache_creation_input_token_cost"`
	Reasoning              json.RawMessage `json:"output_cost_per_reasoning_token"`
	InputAbove200k         json.RawMessage `json:"input_cost_per_token_above_200k_tokens"`
	OutputAbove200k        json.RawMessage `json:"output_cost_per_token_above_200k_tokens"`
	CacheReadAbove200k     json.RawMessage `json:"cache_read_input_token_cost_above_200k_tokens"`
	CacheCreationAbove200k json.RawMessage `json:"cache_creation_input_token_cost_above_200k_tokens"`
	ReasoningAbove200k     json.RawMessage `json:"output_cost_per_reasoning_token_above_200k_tokens"`

	CacheCreation1h          json.RawMessage `json:"cache_creation_input_token_cost_above_1hr"`
	CacheCreation1hAbove200k json.RawMessage `json:"cache_creation_input_token_cost_above_1hr_above_200k_tokens"`
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
	for key, value := range root {
		if !isObject(value) {
			if key == lastUpdatedKey {
				_ = json.Unmarshal(value, &doc.LastUpdated) // a non-string date is not worth failing a table over
			}
			continue
		}
		entry, keep, err := decodeEntry(key, value)
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

func decodeEntry(key string, value json.RawMessage) (Entry, bool, error) {
	var raw rawEntry
	if err := json.Unmarshal(value, &raw); err != nil {
		// Only a string field given a non-string can fail here, since every
		// field is raw; prices are checked below with a better message.
		return Entry{}, false, fmt.Errorf("entry %q: %w", key, err)
	}
	entry := Entry{Key: key}
	if !optionalString(raw.Mode, &entry.Mode) || !UsableMode(entry.Mode) {
		return Entry{}, false, nil
	}
	// A provider that is not a string is some other tool's field; the entry
	// still prices tokens, it is just not attributed to a provider.
	optionalString(raw.Provider, &entry.Provider)

	prices := []struct {
		field string
		raw   json.RawMessage
		dst   **float64
	}{
		{FieldInput, raw.Input, &entry.Input},
		{FieldOutput, raw.Output, &entry.Output},
		{FieldCacheRead, raw.CacheRead, &entry.CacheRead},
		{FieldCacheCreation, raw.CacheCreation, &entry.CacheCreation},
		{FieldReasoning, raw.Reasoning, &entry.Reasoning},
		{FieldInputAbove200k, raw.InputAbove200k, &entry.InputAbove200k},
		{FieldOutputAbove200k, raw.OutputAbove200k, &entry.OutputAbove200k},
		{FieldCacheReadAbove200k, raw.CacheReadAbove200k, &entry.CacheReadAbove200k},
		{FieldCacheCreationAbove200k, raw.CacheCreationAbove200k, &entry.CacheCreationAbove200k},
		{FieldReasoningAbove200k, raw.ReasoningAbove200k, &entry.ReasoningAbove200k},
		{FieldCacheCreation1h, raw.CacheCreation1h, &entry.CacheCreation1h},
		{FieldCacheCreation1hAbove200k, raw.CacheCreation1hAbove200k, &entry.CacheCreation1hAbove200k},
	}
	for _, p := range prices {
		v, err := price(p.raw)
		if err != nil {
			return Entry{}, false, fmt.Errorf("entry %q: %s: %w", key, p.field, err)
		}
		*p.dst = v
	}
	if entry.Input == nil || (entry.Output == nil && entry.Mode != "embedding") {
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
	var v float64
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, fmt.Errorf("got %s, want a number: %w", raw, err)
	}
	if v < 0 {
		return nil, fmt.Errorf("got %s, want a price of zero or more", raw)
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
		for name, v := range map[string]*float64{
			FieldInput: e.Input, FieldOutput: e.Output,
			FieldCacheRead: e.CacheRead, FieldCacheCreation: e.CacheCreation, FieldReasoning: e.Reasoning,
			FieldInputAbove200k: e.InputAbove200k, FieldOutputAbove200k: e.OutputAbove200k,
			FieldCacheReadAbove200k: e.CacheReadAbove200k, FieldCacheCreationAbove200k: e.CacheCreationAbove200k,
			FieldReasoningAbove200k: e.ReasoningAbove200k,
			FieldCacheCreation1h:    e.CacheCreation1h, FieldCacheCreation1hAbove200k: e.CacheCreation1hAbove200k,
		} {
			if v != nil {
				fields[name] = *v
			}
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
