package sdk

import (
	"context"
	"net/http"
	"testing"
	"time"

	"cloud.google.com/go/auth"
	"cloud.google.com/go/auth/httptransport"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"google.golang.org/genai"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

const (
	vertexProject  = "otelllm-compat"
	vertexLocation = "us-central1"
	geminiModel    = "gemini-2.5-flash"
)

// staticToken is a token provider that needs no network: what a test (or
// a workload with its own token source) gives the auth library.
type staticToken struct{}

func (staticToken) Token(context.Context) (*auth.Token, error) {
	return &auth.Token{Value: vertexToken, Type: "Bearer", Expiry: time.Now().Add(time.Hour)}, nil
}

// genaiBackend is one way of reaching Gemini with the genai SDK.
type genaiBackend struct {
	name     string
	provider string
	// path is the route of the model, before ":method".
	path string
	// client returns a genai client on hc that sends to baseURL.
	client func(t *testing.T, ctx context.Context, hc *http.Client, baseURL string) (*genai.Client, error)
	// credential is the request header that carries the credential, and
	// its value.
	credential, credentialValue string
}

var genaiBackends = []genaiBackend{
	{
		name: "gemini api", provider: providers.ProviderGCPGemini,
		path: "/v1beta/models/" + geminiModel,
		client: func(t *testing.T, ctx context.Context, hc *http.Client, baseURL string) (*genai.Client, error) {
			return genai.NewClient(ctx, &genai.ClientConfig{
				Backend:     genai.BackendGeminiAPI,
				APIKey:      geminiKey,
				HTTPClient:  hc,
				HTTPOptions: genai.HTTPOptions{BaseURL: baseURL + "/"},
			})
		},
		credential: "X-Goog-Api-Key", credentialValue: geminiKey,
	},
	{
		name: "vertex ai", provider: providers.ProviderGCPVertexAI,
		path: "/v1beta1/projects/" + vertexProject + "/locations/" + vertexLocation + "/publishers/google/models/" + geminiModel,
		client: func(t *testing.T, ctx context.Context, hc *http.Client, baseURL string) (*genai.Client, error) {
			// With an HTTPClient of its own, genai leaves authentication
			// to that client: the auth library's middleware adds the
			// bearer token, around the wrapped transport. The client is
			// copied so that the harness's client stays as it was.
			authed := *hc
			creds := auth.NewCredentials(&auth.CredentialsOptions{TokenProvider: staticToken{}})
			if err := httptransport.AddAuthorizationMiddleware(&authed, creds); err != nil {
				return nil, err
			}
			return genai.NewClient(ctx, &genai.ClientConfig{
				Backend:     genai.BackendVertexAI,
				Project:     vertexProject,
				Location:    vertexLocation,
				Credentials: creds,
				HTTPClient:  &authed,
				HTTPOptions: genai.HTTPOptions{BaseURL: baseURL + "/"},
			})
		},
		credential: "Authorization", credentialValue: "Bearer " + vertexToken,
	},
}

type genaiResult struct {
	Chunks                         int
	ID, ModelVersion, Text, Finish string
	Prompt, Candidates, Thoughts   int32
	Total, Cached                  int32
}

func addGenaiResponse(r *genaiResult, resp *genai.GenerateContentResponse) {
	r.Chunks++
	r.ID, r.ModelVersion = resp.ResponseID, resp.ModelVersion
	r.Text += resp.Text()
	if len(resp.Candidates) > 0 && resp.Candidates[0].FinishReason != "" {
		r.Finish = string(resp.Candidates[0].FinishReason)
	}
	if u := resp.UsageMetadata; u != nil && u.TotalTokenCount > 0 {
		r.Prompt, r.Candidates, r.Thoughts, r.Total, r.Cached = u.PromptTokenCount, u.CandidatesTokenCount, u.ThoughtsTokenCount, u.TotalTokenCount, u.CachedContentTokenCount
	}
}

func TestGenaiGenerateContent(t *testing.T) {
	for _, b := range genaiBackends {
		t.Run(b.name, func(t *testing.T) {
			h := newHarness(t)
			srv := newFixtureServer(t, map[string]reply{
				"POST " + b.path + ":generateContent": {file: "vertex_gemini_generateContent_recorded.json", contentType: "application/json; charset=UTF-8"},
			})
			got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (genaiResult, error) {
				client, err := b.client(t, ctx, hc, srv.URL)
				if err != nil {
					return genaiResult{}, err
				}
				resp, err := client.Models.GenerateContent(ctx, geminiModel, genai.Text("Write a poem about OpenTelemetry."), &genai.GenerateContentConfig{
					Temperature: genai.Ptr[float32](0.25), MaxOutputTokens: 4096,
				})
				if err != nil {
					return genaiResult{}, err
				}
				var r genaiResult
				addGenaiResponse(&r, resp)
				return r, nil
			})
			assert.Equal(t, "hizpaKmcH9qs698P85HHgAU", got.ID)
			assert.Equal(t, geminiModel, got.ModelVersion)
			assert.Contains(t, got.Text, "'Tis OpenTelemetry, a guiding hand,")
			assert.Equal(t, genaiResult{Chunks: 1, ID: got.ID, ModelVersion: got.ModelVersion, Text: got.Text, Finish: "STOP", Prompt: 8, Candidates: 433, Thoughts: 1477, Total: 1918}, got)
			assert.Equal(t, b.credentialValue, reqs[0].header.Get(b.credential), "the credential reached the server")

			h.check(t, []string{geminiKey, vertexToken}, wantCall{
				provider: b.provider, operation: "generate_content", requestModel: geminiModel, responseModel: geminiModel,
				responseID: got.ID, finishReasons: []string{"STOP"},
				// Thinking is billed as output: output = candidates + thoughts.
				usage: wantUsage{input: 8, output: 433 + 1477, total: 1918, reasoning: 1477, source: "response_body"},
			})
			a := attrsOf(h.spans.Ended()[0])
			assert.Equal(t, int64(4096), a[semconv.GenAIRequestMaxTokensKey].AsInt64())
			assert.Equal(t, 0.25, a[semconv.GenAIRequestTemperatureKey].AsFloat64())
		})
	}
}

func TestGenaiGenerateContentStream(t *testing.T) {
	for _, b := range genaiBackends {
		t.Run(b.name, func(t *testing.T) {
			h := newHarness(t)
			srv := newFixtureServer(t, map[string]reply{
				"POST " + b.path + ":streamGenerateContent": {file: "vertex_gemini_streamGenerateContent_alt_sse_recorded.sse", contentType: "text/event-stream"},
			})
			got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (genaiResult, error) {
				client, err := b.client(t, ctx, hc, srv.URL)
				if err != nil {
					return genaiResult{}, err
				}
				var r genaiResult
				for resp, err := range client.Models.GenerateContentStream(ctx, geminiModel, genai.Text("Write a poem about OpenTelemetry."), nil) {
					if err != nil {
						return r, err
					}
					addGenaiResponse(&r, resp)
				}
				return r, nil
			})
			require.Equal(t, "alt=sse", reqs[0].query)
			assert.Equal(t, 6, got.Chunks, "every event decoded")
			assert.Equal(t, "vizpaJGEDvXZnvgPisGa2A0", got.ID)
			assert.True(t, len(got.Text) > 1000 && got.Text[:40] == "When systems hum, a silent, complex art,", "text %q", got.Text)
			assert.Contains(t, got.Text, "Makes complex software shine so bright.")
			assert.Equal(t, genaiResult{Chunks: 6, ID: got.ID, ModelVersion: geminiModel, Text: got.Text, Finish: "STOP", Prompt: 8, Candidates: 388, Thoughts: 2193, Total: 2589}, got)

			h.check(t, []string{geminiKey, vertexToken}, wantCall{
				provider: b.provider, operation: "generate_content", requestModel: geminiModel, responseModel: geminiModel,
				responseID: got.ID, finishReasons: []string{"STOP"}, stream: true,
				usage: wantUsage{input: 8, output: 388 + 2193, total: 2589, reasoning: 2193, source: "stream"},
			})
		})
	}
}

// countTokens, on both backends: a span and the duration metric, no usage.
// The answer's totalTokens is the prompt's size, not tokens anyone used.
func TestGenaiCountTokens(t *testing.T) {
	for _, b := range genaiBackends {
		t.Run(b.name, func(t *testing.T) {
			h := newHarness(t)
			srv := newFixtureServer(t, map[string]reply{
				"POST " + b.path + ":countTokens": {file: "gemini_countTokens_synthetic.json", contentType: "application/json; charset=UTF-8"},
			})
			got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (int32, error) {
				client, err := b.client(t, ctx, hc, srv.URL)
				if err != nil {
					return 0, err
				}
				resp, err := client.Models.CountTokens(ctx, geminiModel, genai.Text("How many tokens is this?"), nil)
				if err != nil {
					return 0, err
				}
				return resp.TotalTokens, nil
			})
			assert.EqualValues(t, 7, got)
			assert.Equal(t, b.credentialValue, reqs[0].header.Get(b.credential), "the credential reached the server")

			spans := h.spans.Ended()
			require.Len(t, spans, 1)
			require.Len(t, h.spans.Started(), 1, "no span left open")
			s := spans[0]
			assert.Equal(t, "count_tokens "+geminiModel, s.Name())
			assert.NotEqual(t, codes.Error, s.Status().Code)
			a := attrsOf(s)
			assert.Equal(t, b.provider, a[semconv.GenAIProviderNameKey].AsString())
			assert.Equal(t, semconv.EndEOF, a[semconv.ResponseEndKey].AsString())
			for _, k := range []attribute.Key{semconv.GenAIUsageInputTokensKey, semconv.GenAIUsageOutputTokensKey, semconv.UsageCostKey,
				semconv.PricingUnpricedKey, semconv.ObserveErrorKey, semconv.ErrorTypeKey} {
				assert.NotContains(t, a, k)
			}
			u := h.tracker.Usage()
			assert.EqualValues(t, 1, u.Requests)
			assert.Zero(t, u.UnmeteredRequests, "a count_tokens call has no usage to miss")
			assert.Zero(t, u.TotalTokens)
			checkSecrets(t, spans, h.collect(t), []string{geminiKey, vertexToken})
		})
	}
}
