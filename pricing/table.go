package pricing

import (
	"fmt"
	"io"
	"maps"
	"os"
	"sync"

	"github.com/otelllm/otelllm/pricing/internal/litellm"
)

// Table is a set of model prices keyed as in the LiteLLM file (gpt-4o,
// azure/gpt-4o, bedrock/us-east-1/..., ...).
//
// A Table is immutable and safe for concurrent use: Extend and WithPrice
// return new tables. A nil *Table is an empty table.
type Table struct {
	source, version string
	entries         map[string]*entry
	// profiles holds, for each provider name Lookup knows, the key
	// namespaces this table really has, so Lookup never probes a
	// namespace that cannot match.
	profiles map[string]*profile
}

// entry is one priced model. It keeps its own key so Lookup can report the
// key it matched without building a string.
type entry struct {
	key string
	// provider is litellm_provider; "" for prices added with WithPrice.
	provider string
	price    Price
	// given marks a price added with WithPrice: it wins over the table's
	// entries for either model a call names.
	given bool
}

// defaultTable parses the embedded table on first use only, so programs that
// never price a call never pay for it.
var defaultTable = sync.OnceValue(func() *Table {
	t, err := load(embeddedPrices, Source, Version)
	if err != nil {
		// Unreachable: TestDefault parses this very data. An empty table
		// prices nothing, which is safer for a library than a panic.
		return newTable(Source, Version, map[string]*entry{})
	}
	return t
})

// Default returns the embedded table: prices from the LiteLLM file of
// Version, for the providers, modes and fields this package uses. It is
// parsed once, on first use.
func Default() *Table {
	return defaultTable()
}

// Load reads a LiteLLM-format JSON table: an object mapping model keys to
// objects with litellm_provider, mode, input_cost_per_token,
// output_cost_per_token, cache_read_input_token_cost,
// cache_creation_input_token_cost (and its _above_1hr one-hour variant),
// output_cost_per_reasoning_token, input_cost_per_audio_token,
// output_cost_per_audio_token, input_cost_per_image_token,
// output_cost_per_image_token, search_context_cost_per_query, and their
// _above_200k_tokens, _above_272k_tokens, _flex and _priority variants. The full upstream file is fine: entries of
// modes other than chat, completion, embedding and responses, entries that
// are not priced per token, other fields and non-object members are skipped.
// An absent mode counts as chat, so a hand-written file needs only the two
// base prices.
//
// Malformed JSON, a root that is not an object, a price that is not a
// non-negative number or is above MaxPrice (a cost of it could overflow),
// and a file with no usable entry are errors that name the problem (and
// the entry and field).
//
// source and version label the table (see Table.Source); an empty version is
// taken from the file's last_updated date when it has one.
func Load(r io.Reader, source, version string) (*Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("pricing: reading %s: %w", sourceLabel(source), err)
	}
	t, err := load(data, source, version)
	if err != nil {
		return nil, fmt.Errorf("pricing: %s: %w", sourceLabel(source), err)
	}
	return t, nil
}

// LoadFile reads a LiteLLM-format JSON table from the file at path, as Load
// does. The table's source is path and its version the file's last_updated
// date, if any.
func LoadFile(path string) (*Table, error) {
	t, err := loadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pricing: %w", err)
	}
	return t, nil
}

// loadFile is LoadFile without the package prefix on its errors, so FromEnv
// can say which variable named the file.
func loadFile(path string) (*Table, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err // *fs.PathError already names the operation and path
	}
	t, err := load(data, path, "")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return t, nil
}

// FromEnv returns base extended with the file named by $OTELLLM_PRICES_FILE,
// or base itself when the variable is unset or empty. A nil base means
// Default(). If the file cannot be read or parsed, FromEnv returns base with
// the error, so a caller can report it and carry on pricing with base.
func FromEnv(base *Table) (*Table, error) {
	if base == nil {
		base = Default()
	}
	path := os.Getenv(EnvFile)
	if path == "" {
		return base, nil
	}
	overlay, err := loadFile(path)
	if err != nil {
		return base, fmt.Errorf("pricing: $%s: %w", EnvFile, err)
	}
	return base.Extend(overlay), nil
}

func sourceLabel(source string) string {
	if source == "" {
		return "price table"
	}
	return source
}

func load(data []byte, source, version string) (*Table, error) {
	doc, err := litellm.Decode(data)
	if err != nil {
		return nil, err
	}
	if version == "" {
		version = dateOf(doc.LastUpdated)
	}
	entries := make(map[string]*entry, len(doc.Entries))
	for _, e := range doc.Entries {
		entries[e.Key] = &entry{key: e.Key, provider: e.Provider, price: priceOf(e)}
	}
	return newTable(source, version, entries), nil
}

// dateOf keeps the date of an RFC 3339 timestamp such as upstream's
// last_updated, which is what Version means; other strings pass unchanged.
func dateOf(timestamp string) string {
	if len(timestamp) > len("2006-01-02") && timestamp[len("2006-01-02")] == 'T' {
		return timestamp[:len("2006-01-02")]
	}
	return timestamp
}

// priceOf converts a decoded entry. The long-context and service tiers are
// resolved against the base here, once, so that callers who read them see
// the prices that really apply rather than holes.
func priceOf(e litellm.Entry) Price {
	p := tierOf(e, "", Price{WebSearch: webSearchOf(e)})
	if long, ok := tierVariant(e, litellm.SuffixAbove200k, p); ok {
		p.Above200k = &long
	}
	if long, ok := tierVariant(e, litellm.SuffixAbove272k, p); ok {
		p.Above272k = &long
	}
	for _, st := range []struct {
		suffix string
		dst    **Price
	}{{litellm.SuffixFlex, &p.Flex}, {litellm.SuffixPriority, &p.Priority}} {
		tier, ok := tierVariant(e, st.suffix, p)
		if !ok {
			continue
		}
		// A service tier's own long-context prices, where the table has
		// them; without them the tier's prices apply at any length.
		tier.Above200k, tier.Above272k = nil, nil
		if long, ok := tierVariant(e, litellm.SuffixAbove200k+st.suffix, tier); ok {
			tier.Above200k = &long
		}
		if long, ok := tierVariant(e, litellm.SuffixAbove272k+st.suffix, tier); ok {
			tier.Above272k = &long
		}
		*st.dst = &tier
	}
	return p
}

// baseFieldCount is how many prices a Price holds per tier: those of
// litellm.BaseFields, in the order of tierOf.
const baseFieldCount = 10

// suffixed holds litellm.BaseFields with each suffix priceOf uses, named
// once.
var suffixed = func() map[string][baseFieldCount]string {
	m := map[string][baseFieldCount]string{}
	for _, suffix := range litellm.Suffixes {
		var names [baseFieldCount]string
		for i, f := range litellm.BaseFields {
			names[i] = f + suffix
		}
		m[suffix] = names
	}
	return m
}()

// tierOf reads the prices of e with the given suffix, each absent one taken
// from base.
func tierOf(e litellm.Entry, suffix string, base Price) Price {
	f := suffixed[suffix]
	return Price{
		Input:           orDefault(e.Price(f[0]), base.Input),
		Output:          orDefault(e.Price(f[1]), base.Output), // absent only for embeddings, which have no output
		CacheRead:       firstNonNil(e.Price(f[2]), base.CacheRead),
		CacheCreation:   firstNonNil(e.Price(f[3]), base.CacheCreation),
		Reasoning:       firstNonNil(e.Price(f[4]), base.Reasoning),
		CacheCreation1h: firstNonNil(e.Price(f[5]), base.CacheCreation1h),
		InputAudio:      firstNonNil(e.Price(f[6]), base.InputAudio),
		OutputAudio:     firstNonNil(e.Price(f[7]), base.OutputAudio),
		InputImage:      firstNonNil(e.Price(f[8]), base.InputImage),
		OutputImage:     firstNonNil(e.Price(f[9]), base.OutputImage),
		Above200k:       base.Above200k,
		Above272k:       base.Above272k,
		WebSearch:       base.WebSearch,
	}
}

// webSearchOf reads the search prices of e; a size the entry lacks costs
// what the next smaller (else larger) size does.
func webSearchOf(e litellm.Entry) *WebSearchPrice {
	if len(e.SearchPerQuery) == 0 {
		return nil
	}
	var sizes [3]float64
	var have [3]bool
	for i, name := range litellm.SearchSizes {
		sizes[i], have[i] = e.SearchPerQuery[name]
	}
	for i := range sizes {
		for _, j := range [...]int{i - 1, i - 2, i + 1, i + 2} {
			if have[i] {
				break
			}
			if j >= 0 && j < len(sizes) && have[j] {
				sizes[i], have[i] = sizes[j], true
			}
		}
	}
	return &WebSearchPrice{Low: sizes[0], Medium: sizes[1], High: sizes[2]}
}

// tierVariant is tierOf when e has any price with the suffix.
func tierVariant(e litellm.Entry, suffix string, base Price) (Price, bool) {
	for _, name := range suffixed[suffix] {
		if _, ok := e.Prices[name]; ok {
			tier := tierOf(e, suffix, base)
			tier.Above200k, tier.Above272k, tier.Flex, tier.Priority = nil, nil, nil, nil
			return tier, true
		}
	}
	return Price{}, false
}

func firstNonNil(a, b *float64) *float64 {
	if a != nil {
		return a
	}
	return b
}

func newTable(source, version string, entries map[string]*entry) *Table {
	t := &Table{source: source, version: version, entries: entries}
	t.profiles = resolveProfiles(entries)
	return t
}

// Source returns where the table's prices come from: Source for the
// embedded table, the path for LoadFile, and both sides joined by " + " for
// an extended table.
func (t *Table) Source() string {
	if t == nil {
		return ""
	}
	return t.source
}

// Version returns the date (or other version label) of the table's prices,
// joined by " + " as Source is for an extended table.
func (t *Table) Version() string {
	if t == nil {
		return ""
	}
	return t.version
}

// Len returns the number of priced entries.
func (t *Table) Len() int {
	if t == nil {
		return 0
	}
	return len(t.entries)
}

// Extend returns a new table holding t's entries and overlay's, with
// overlay's entry winning where both have a key. Its Source and Version
// name both tables, so a span shows that an overlay was in use.
func (t *Table) Extend(overlay *Table) *Table {
	if overlay.Len() == 0 {
		return t
	}
	if t.Len() == 0 {
		return overlay
	}
	entries := make(map[string]*entry, len(t.entries)+len(overlay.entries))
	maps.Copy(entries, t.entries)
	maps.Copy(entries, overlay.entries)
	return newTable(join(t.source, overlay.source), join(t.version, overlay.version), entries)
}

func join(base, overlay string) string {
	switch {
	case base == overlay, overlay == "":
		return base
	case base == "":
		return overlay
	}
	return base + " + " + overlay
}

// WithPrice returns a new table in which model costs p: for fine-tuned,
// self-hosted or newly released models the table does not know, or to
// correct a negotiated price. model is a table key, matched by Lookup like
// any other; to override a price for one provider only, use its qualified
// key (azure/gpt-4o). An empty model returns t unchanged. The price is
// copied, so later changes to what p points to do not reach the table.
func (t *Table) WithPrice(model string, p Price) *Table {
	if model == "" {
		return t
	}
	var entries map[string]*entry
	var source, version string
	if t != nil {
		entries = maps.Clone(t.entries)
		source, version = t.source, t.version
	}
	if entries == nil {
		entries = map[string]*entry{}
	}
	entries[model] = &entry{key: model, price: clonePrice(p), given: true}
	return newTable(source, version, entries)
}

func clonePrice(p Price) Price {
	p.CacheRead = cloneFloat(p.CacheRead)
	p.CacheCreation = cloneFloat(p.CacheCreation)
	p.CacheCreation1h = cloneFloat(p.CacheCreation1h)
	p.Reasoning = cloneFloat(p.Reasoning)
	p.InputAudio, p.OutputAudio = cloneFloat(p.InputAudio), cloneFloat(p.OutputAudio)
	p.InputImage, p.OutputImage = cloneFloat(p.InputImage), cloneFloat(p.OutputImage)
	if p.WebSearch != nil {
		w := *p.WebSearch
		p.WebSearch = &w
	}
	for _, tier := range []**Price{&p.Above200k, &p.Above272k, &p.Flex, &p.Priority} {
		if *tier != nil {
			c := clonePrice(**tier)
			*tier = &c
		}
	}
	return p
}

func cloneFloat(f *float64) *float64 {
	if f == nil {
		return nil
	}
	v := *f
	return &v
}
