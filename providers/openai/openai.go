package openai

import (
	"net/http"
	"strings"

	"github.com/otelllm/otelllm/providers"
)

// Provider recognises the calls of the OpenAI wire family: OpenAI itself,
// Azure OpenAI and the OpenAI-compatible servers. It is stateless and safe for
// concurrent use.
type Provider struct{}

// New returns the OpenAI wire-family provider.
func New() *Provider { return &Provider{} }

// Name returns "openai".
func (*Provider) Name() string { return "openai" }

// api is the endpoint family a call belongs to: it decides the operation name
// and the shape of the response.
type api uint8

const (
	apiChat api = iota + 1
	apiCompletions
	apiResponses
	apiEmbeddings
)

// Match recognises POST requests to the chat completions, responses,
// embeddings and legacy completions collections (see the package
// documentation for the URL forms), and returns nil for anything else.
func (*Provider) Match(req *http.Request) providers.Call {
	if req == nil || req.URL == nil || req.Method != http.MethodPost {
		return nil
	}
	kind, deployment, ok := classifyPath(req.URL.Path)
	if !ok {
		return nil
	}
	host := req.URL.Host
	if host == "" {
		host = req.Host
	}
	name := providerName(host)
	if deployment != "" {
		// The deployment form of the path exists only on Azure OpenAI, also
		// when it is reached through a gateway under another host name.
		name = providerAzure
	}
	c := &call{api: kind, provider: name, deployment: deployment, host: hostOnly(host)}
	if name == providerAzure {
		c.azureV1 = strings.Contains(req.URL.Path, "/openai/v1/")
		c.apiVersion = req.URL.Query().Get("api-version")
	}
	return c
}

// hostOnly is the host of a "host[:port]", lower case.
func hostOnly(hostport string) string {
	host, _ := splitHostPort(hostport)
	return strings.ToLower(host)
}

// classifyPath tells which endpoint path names, and the Azure deployment
// when the path has one.
func classifyPath(p string) (kind api, deployment string, ok bool) {
	if i := strings.Index(p, "/openai/deployments/"); i >= 0 {
		rest := p[i+len("/openai/deployments/"):]
		j := strings.IndexByte(rest, '/')
		if j <= 0 {
			return 0, "", false
		}
		deployment, rest = rest[:j], rest[j:]
		switch rest {
		case "/chat/completions":
			return apiChat, deployment, true
		case "/completions":
			return apiCompletions, deployment, true
		case "/embeddings":
			return apiEmbeddings, deployment, true
		}
		return 0, "", false
	}
	switch {
	case strings.HasSuffix(p, "/chat/completions"):
		return apiChat, "", true
	case strings.HasSuffix(p, "/responses"):
		// OpenAI's /v1/responses, DeepSeek's /responses at the root,
		// Azure's /openai/responses?api-version=... and /openai/v1/responses.
		return apiResponses, "", true
	case strings.HasSuffix(p, "/v1/embeddings"), strings.HasSuffix(p, "/openai/embeddings"):
		return apiEmbeddings, "", true
	case strings.HasSuffix(p, "/v1/completions"):
		return apiCompletions, "", true
	}
	return 0, "", false
}

// The provider names this package gives, from package providers.
const (
	providerOpenAI     = providers.ProviderOpenAI
	providerAzure      = providers.ProviderAzureOpenAI
	providerGroq       = providers.ProviderGroq
	providerDeepSeek   = providers.ProviderDeepSeek
	providerMistral    = providers.ProviderMistralAI
	providerXAI        = providers.ProviderXAI
	providerPerplexity = providers.ProviderPerplexity
	providerOpenRouter = providers.ProviderOpenRouter
	providerTogether   = providers.ProviderTogetherAI
	providerFireworks  = providers.ProviderFireworks
	providerGemini     = providers.ProviderGCPGemini
	providerOllama     = providers.ProviderOllama
)

// knownDomains maps a registrable domain to the provider it serves; a host
// matches its domain or any subdomain of it.
var knownDomains = []struct{ domain, name string }{
	{"openai.com", providerOpenAI},
	{"azure.com", providerAzure},
	{"groq.com", providerGroq},
	{"deepseek.com", providerDeepSeek},
	{"mistral.ai", providerMistral},
	{"x.ai", providerXAI},
	{"perplexity.ai", providerPerplexity},
	{"openrouter.ai", providerOpenRouter},
	{"together.xyz", providerTogether},
	{"together.ai", providerTogether},
	{"fireworks.ai", providerFireworks},
	{"generativelanguage.googleapis.com", providerGemini},
	{"ollama.com", providerOllama}, // Ollama's cloud serves its /v1 API
}

// providerName derives gen_ai.provider.name from a "host[:port]".
func providerName(hostport string) string {
	host, port := splitHostPort(hostport)
	for _, d := range knownDomains {
		if hasDomain(host, d.domain) {
			return d.name
		}
	}
	if port == "11434" {
		return providerOllama
	}
	return providerOpenAI
}

func splitHostPort(hostport string) (host, port string) {
	host = hostport
	if strings.HasPrefix(host, "[") { // IPv6 literal
		if i := strings.LastIndex(host, "]"); i >= 0 {
			if strings.HasPrefix(host[i+1:], ":") {
				port = host[i+2:]
			}
			return host[1:i], port
		}
		return host, ""
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port = host[:i], host[i+1:]
	}
	host = strings.TrimSuffix(host, ".")
	return host, port
}

// hasDomain reports whether host is domain or a subdomain of it, ignoring case.
func hasDomain(host, domain string) bool {
	if len(host) < len(domain) || !strings.EqualFold(host[len(host)-len(domain):], domain) {
		return false
	}
	return len(host) == len(domain) || host[len(host)-len(domain)-1] == '.'
}

// call is one recognised request. Its state carries what the observer needs
// to know of the request.
type call struct {
	api        api
	provider   string
	deployment string

	// host is the request's host; azureV1 and apiVersion tell which
	// Azure OpenAI API it calls.
	host       string
	azureV1    bool
	apiVersion string

	// request is what Request returned.
	request providers.Request
	// includeUsage is stream_options.include_usage: a stream asked without it
	// carries no usage by design.
	includeUsage bool
	// capture is the content capture limit, 0 when content is not
	// captured.
	capture int
}

func (c *call) operation() string {
	switch c.api {
	case apiCompletions:
		return providers.OperationTextCompletion
	case apiEmbeddings:
		return providers.OperationEmbeddings
	}
	return providers.OperationChat
}

// Request returns the URL facts and the parameters the body sets.
func (c *call) Request(body []byte) providers.Request {
	r := providers.Request{Provider: c.provider, Operation: c.operation(), StreamUnknown: true}
	if body != nil {
		var stream bool
		if parseRequest(body, &r, &stream, &c.includeUsage) {
			r.StreamUnknown = false
			r.Stream = stream && c.api != apiEmbeddings
			if c.capture > 0 {
				r.Content = c.requestContent(body)
			}
		}
	}
	if r.Model == "" {
		r.Model = c.deployment
	}
	c.request = r
	return r
}

// Observe returns the observer of the response to this call.
func (c *call) Observe(resp *http.Response) providers.Observer {
	d := &dialect{call: c}
	if c.capture > 0 && c.api != apiEmbeddings {
		d.asm = providers.NewAssembler(c.capture)
	}
	return providers.NewObserver(resp, c.request, d)
}
