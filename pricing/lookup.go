package pricing

import "strings"

// Match is the result of a successful Table.Lookup.
type Match struct {
	// Key is the table entry that matched (gpt-4o-mini, azure/gpt-4o,
	// us.anthropic.claude-3-5-haiku-20241022-v1:0, ...). It can differ from
	// the model asked for when Lookup fell back to a normalised form.
	Key string
	// Price is that entry's price.
	Price Price
}

// Lookup finds the price of a model served by provider.
//
// provider is an OpenTelemetry gen_ai.provider.name value (openai,
// azure.ai.openai, anthropic, aws.bedrock, gcp.gemini, gcp.vertex_ai, cohere,
// groq, deepseek, mistral_ai, x_ai, perplexity, ollama, ...); an unknown
// provider only loses the provider-specific keys and preferences. models are
// tried in order, empty ones skipped: pass the response model first, then the
// request model.
//
// For each model Lookup tries, from the most to the least exact, and stops at
// the first level that matches:
//
//  1. the model as given, and unwrapped: the last segment of a Bedrock ARN,
//     without a models/ (Gemini) or publishers/.../models/ (Vertex) path;
//  2. without a Bedrock cross-region prefix (us., eu., apac., global.,
//     us-gov., jp., au.), and a fine-tuned OpenAI model (ft:base:org::id) as
//     its base fine-tune price (ft:base), never the base model's;
//  3. a Vertex version (claude-sonnet-4-5@20250929) as a dated id
//     (claude-sonnet-4-5-20250929) and as its base (claude-sonnet-4-5);
//  4. without one version suffix: a date (-2024-07-18, -20241022), -latest,
//     a three-digit version (-001), :latest, or for Ollama any :tag.
//
// Each form is tried under the provider's namespaces the table has
// (azure/, bedrock/ and, for an ARN, bedrock/<region>/, gemini/,
// vertex_ai/, groq/, mistral/, deepseek/, xai/, perplexity/, cohere/,
// ollama/, openrouter/, together_ai/) and then bare. Within a level, an entry
// whose litellm_provider belongs to provider (or a price added with
// WithPrice) wins over one that does not; and across models too: a later
// model that finds such an entry wins over an earlier one that found only
// another provider's. Claude on Bedrock, for one, names its response model
// as Anthropic does (claude-3-5-haiku-20241022), which finds Anthropic's
// own price, while the request's model id finds Bedrock's.
//
// A price added with WithPrice under exactly one of the models wins over
// all of that, in the models' order: an application's own price for the
// model it asked for applies even when the response names a dated
// snapshot the table prices.
//
// Lookup never guesses beyond that: a model the table does not have is
// reported as not found, never priced at zero.
func (t *Table) Lookup(provider string, models ...string) (Match, bool) {
	if t.Len() == 0 {
		return Match{}, false
	}
	// A price given in code for either model wins: the application's own
	// price for gpt-4o-mini applies though OpenAI answers as a dated
	// snapshot the table prices.
	for _, model := range models {
		if e := t.entries[model]; e != nil && e.given {
			return Match{Key: e.key, Price: e.price}, true
		}
	}
	prof := t.profiles[provider]
	// Candidate keys are assembled here, and map lookups by string(buf)
	// do not allocate, so a lookup costs a few hashes and no garbage.
	var buf [keyBufferSize]byte
	var fallback *entry
	for _, model := range models {
		if model == "" {
			continue
		}
		e := t.lookupModel(prof, model, buf[:0])
		if e == nil {
			continue
		}
		if prof.owns(e) {
			return Match{Key: e.key, Price: e.price}, true
		}
		fallback = cmpOr(fallback, e)
	}
	if fallback != nil {
		return Match{Key: fallback.key, Price: fallback.price}, true
	}
	return Match{}, false
}

// keyBufferSize fits every key the upstream table has; a longer candidate
// still works, it just allocates.
const keyBufferSize = 160

// lookupModel tries the forms of model level by level, building each level
// only when the one before it found nothing: most lookups end at the first.
func (t *Table) lookupModel(prof *profile, model string, buf []byte) *entry {
	var level forms
	name, region := unwrap(model)
	level.add(model, "", "")
	level.add(name, "", "")
	if e := t.probeLevel(prof, region, &level, buf); e != nil {
		return e
	}

	level.reset()
	if strings.HasPrefix(name, "ft:") {
		// A fine-tune costs more than its base model: price it as the
		// fine-tune of that base or not at all.
		if i := strings.IndexByte(name[len("ft:"):], ':'); i > 0 {
			level.add(name[:len("ft:")+i], "", "")
		}
		return t.probeLevel(prof, region, &level, buf)
	}
	if stripped, ok := stripRegionPrefix(name); ok {
		level.add(stripped, "", "")
		name = stripped
	}
	if e := t.probeLevel(prof, region, &level, buf); e != nil {
		return e
	}

	level.reset()
	if at := strings.LastIndexByte(name, '@'); at > 0 && at < len(name)-1 {
		level.add(name[:at], "-", name[at+1:])
		name = name[:at]
		level.add(name, "", "")
	}
	if e := t.probeLevel(prof, region, &level, buf); e != nil {
		return e
	}

	level.reset()
	if i := strings.LastIndexByte(name, ':'); i > 0 && (name[i+1:] == "latest" || (prof != nil && prof.ollamaTags)) {
		level.add(name[:i], "", "")
	}
	if base, ok := strings.CutSuffix(name, "-latest"); ok {
		level.add(base, "", "")
	}
	if base, ok := stripDate(name); ok {
		level.add(base, "", "")
	}
	if base, ok := stripNumericVersion(name); ok {
		level.add(base, "", "")
	}
	return t.probeLevel(prof, region, &level, buf)
}

// probeLevel tries every form of one level under the provider's namespaces
// and bare. The first entry that belongs to the provider wins; failing that,
// the first entry found at all.
func (t *Table) probeLevel(prof *profile, region string, level *forms, buf []byte) *entry {
	var fallback *entry
	for i := range level.n {
		f := &level.list[i]
		if prof != nil {
			if prof.bedrockRegions && region != "" {
				if e := t.probe(buf, "bedrock/", region, "/", f); e != nil {
					if prof.owns(e) {
						return e
					}
					fallback = cmpOr(fallback, e)
				}
			}
			for _, prefix := range prof.prefixes {
				if e := t.probe(buf, prefix, "", "", f); e != nil {
					if prof.owns(e) {
						return e
					}
					fallback = cmpOr(fallback, e)
				}
			}
		}
		if e := t.probe(buf, "", "", "", f); e != nil {
			if prof.owns(e) {
				return e
			}
			fallback = cmpOr(fallback, e)
		}
	}
	return fallback
}

func cmpOr(first, next *entry) *entry {
	if first != nil {
		return first
	}
	return next
}

// probe looks up the key p1+p2+p3+f without allocating for it.
func (t *Table) probe(buf []byte, p1, p2, p3 string, f *form) *entry {
	if p1 == "" && f.sep == "" {
		return t.entries[f.head]
	}
	key := append(buf, p1...)
	key = append(key, p2...)
	key = append(key, p3...)
	key = append(key, f.head...)
	key = append(key, f.sep...)
	key = append(key, f.tail...)
	return t.entries[string(key)]
}

// form is one candidate model name, head+sep+tail, kept in pieces so that
// joining a Vertex @version needs no new string.
type form struct {
	head, sep, tail string
}

// forms is the candidate names of one level, all equally exact, in a
// fixed-size array so that building them does not allocate.
type forms struct {
	n    int
	list [4]form
}

func (fs *forms) reset() { fs.n = 0 }

func (fs *forms) add(head, sep, tail string) {
	if head == "" {
		return
	}
	for _, f := range fs.list[:fs.n] {
		if f.head == head && f.sep == sep && f.tail == tail {
			return
		}
	}
	if fs.n < len(fs.list) {
		fs.list[fs.n] = form{head: head, sep: sep, tail: tail}
		fs.n++
	}
}

// unwrap returns the model id inside a Bedrock ARN or a Google resource name,
// and the region of the ARN.
func unwrap(model string) (name, region string) {
	name = model
	if rest, ok := strings.CutPrefix(name, "arn:"); ok {
		// arn:partition:service:region:account:resource-type/resource-id
		for range 2 { // skip partition and service
			i := strings.IndexByte(rest, ':')
			if i < 0 {
				return name, ""
			}
			rest = rest[i+1:]
		}
		if i := strings.IndexByte(rest, ':'); i >= 0 {
			region = rest[:i]
		}
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			name = name[i+1:]
		}
		return name, region
	}
	if strings.HasPrefix(name, "models/") || strings.HasPrefix(name, "projects/") || strings.HasPrefix(name, "publishers/") {
		if i := strings.LastIndex(name, "models/"); i >= 0 {
			name = name[i+len("models/"):]
		}
	}
	return name, ""
}

// bedrockRegionPrefixes are the geographies of Bedrock cross-region inference
// profiles (us.anthropic.claude-...).
var bedrockRegionPrefixes = [...]string{"us.", "eu.", "apac.", "global.", "us-gov.", "jp.", "au."}

func stripRegionPrefix(name string) (string, bool) {
	for _, prefix := range bedrockRegionPrefixes {
		if rest, ok := strings.CutPrefix(name, prefix); ok && rest != "" {
			return rest, true
		}
	}
	return name, false
}

// stripDate removes a snapshot date suffix, -YYYY-MM-DD (OpenAI) or
// -YYYYMMDD (Anthropic), with a 20xx year so that other numbers stay.
func stripDate(name string) (string, bool) {
	n := len(name)
	if n > len("-2006-01-02") {
		d := name[n-len("-2006-01-02"):]
		if d[0] == '-' && d[1:3] == "20" && digits(d[3:5]) && d[5] == '-' && digits(d[6:8]) && d[8] == '-' && digits(d[9:11]) {
			return name[:n-len(d)], true
		}
	}
	if n > len("-20060102") {
		d := name[n-len("-20060102"):]
		if d[0] == '-' && d[1:3] == "20" && digits(d[3:]) {
			return name[:n-len(d)], true
		}
	}
	return name, false
}

// stripNumericVersion removes a three-digit version suffix such as Google's
// -001.
func stripNumericVersion(name string) (string, bool) {
	n := len(name)
	if n > len("-001") && name[n-4] == '-' && digits(name[n-3:]) {
		return name[:n-4], true
	}
	return name, false
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// profile is what Lookup knows about one gen_ai.provider.name.
type profile struct {
	// prefixes are the key namespaces to try before the bare key.
	prefixes []string
	// providers are the litellm_provider values that belong to it.
	providers []string
	// vertexFamilies also claims every vertex_ai-* litellm_provider.
	vertexFamilies bool
	// bedrockRegions tries bedrock/<region>/ first when the model is an ARN.
	bedrockRegions bool
	// ollamaTags drops any :tag, not only :latest.
	ollamaTags bool
}

// owns reports whether e is priced for this provider. Prices added with
// WithPrice belong to everyone, and with no profile there is no preference.
func (p *profile) owns(e *entry) bool {
	if p == nil || e.provider == "" {
		return true
	}
	for _, provider := range p.providers {
		if e.provider == provider {
			return true
		}
	}
	return p.vertexFamilies && strings.HasPrefix(e.provider, "vertex_ai-")
}

// knownProfiles maps gen_ai.provider.name values (and the names of two
// gateways LiteLLM prices, which have none) to LiteLLM's naming.
var knownProfiles = map[string]profile{
	"openai":             {prefixes: []string{"openai/"}, providers: []string{"openai", "text-completion-openai"}},
	"azure.ai.openai":    {prefixes: []string{"azure/"}, providers: []string{"azure", "azure_text"}},
	"azure.ai.inference": {prefixes: []string{"azure_ai/"}, providers: []string{"azure_ai"}},
	"anthropic":          {prefixes: []string{"anthropic/"}, providers: []string{"anthropic"}},
	"aws.bedrock":        {prefixes: []string{"bedrock/"}, providers: []string{"bedrock", "bedrock_converse"}, bedrockRegions: true},
	"gcp.gemini":         {prefixes: []string{"gemini/"}, providers: []string{"gemini"}},
	"gcp.vertex_ai":      {prefixes: []string{"vertex_ai/"}, providers: []string{"vertex_ai"}, vertexFamilies: true},
	"gcp.gen_ai":         {prefixes: []string{"gemini/", "vertex_ai/"}, providers: []string{"gemini", "vertex_ai"}, vertexFamilies: true},
	"cohere":             {prefixes: []string{"cohere/", "cohere_chat/"}, providers: []string{"cohere", "cohere_chat"}},
	"groq":               {prefixes: []string{"groq/"}, providers: []string{"groq"}},
	"deepseek":           {prefixes: []string{"deepseek/"}, providers: []string{"deepseek"}},
	"mistral_ai":         {prefixes: []string{"mistral/"}, providers: []string{"mistral"}},
	"x_ai":               {prefixes: []string{"xai/"}, providers: []string{"xai"}},
	"perplexity":         {prefixes: []string{"perplexity/"}, providers: []string{"perplexity"}},
	"ollama":             {prefixes: []string{"ollama/"}, providers: []string{"ollama"}, ollamaTags: true},
	"openrouter":         {prefixes: []string{"openrouter/"}, providers: []string{"openrouter"}},
	"together_ai":        {prefixes: []string{"together_ai/"}, providers: []string{"together_ai"}},
}

// resolveProfiles keeps, for each known provider, only the namespaces the
// table has, so Lookup spends no hash on a namespace that cannot match.
func resolveProfiles(entries map[string]*entry) map[string]*profile {
	namespaces := map[string]bool{}
	regional := false
	for key := range entries {
		slashes := 0
		for i := range len(key) {
			if key[i] == '/' {
				namespaces[key[:i+1]] = true
				slashes++
			}
		}
		regional = regional || (slashes >= 2 && strings.HasPrefix(key, "bedrock/"))
	}
	profiles := make(map[string]*profile, len(knownProfiles))
	for name, known := range knownProfiles {
		p := known
		p.prefixes = nil
		for _, prefix := range known.prefixes {
			if namespaces[prefix] {
				p.prefixes = append(p.prefixes, prefix)
			}
		}
		p.bedrockRegions = known.bedrockRegions && regional
		profiles[name] = &p
	}
	return profiles
}
