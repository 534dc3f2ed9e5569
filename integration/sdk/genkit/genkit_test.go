package sdk

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/firebase/genkit/go/ai"
	"github.com/firebase/genkit/go/genkit"
	genkitopenai "github.com/firebase/genkit/go/plugins/compat_oai/openai"
	"github.com/firebase/genkit/go/plugins/googlegenai"
	openaiv1 "github.com/openai/openai-go"
	openaiv1option "github.com/openai/openai-go/option"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/genai"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// This module is apart from integration/sdk because Genkit cannot be built
// beside anthropic-sdk-go/v2: Genkit's dotprompt needs
// github.com/invopop/jsonschema v0.13, anthropic-sdk-go/v2 v0.14, whose API
// differs. harness_test.go and fakellm_harness_test.go are links to the
// parent module's, so that both modules check telemetry alike.

const geminiModel = "gemini-2.5-flash"

// searchInput is the argument of the tool, as fakellm's tool calls send it.
type searchInput struct {
	Query string `json:"query" jsonschema:"description=what to search the web for"`
}

const searchResult = "The ruby-throated hummingbird (Archilochus colubris) weighs 2.5 to 3.5 grams."

// openAIWantUsage is the telemetry of an OpenAI-shaped usage, which always
// sends cached_tokens.
func openAIWantUsage(u fakellm.Usage, stream bool) wantUsage {
	w := wantUsage{input: int64(u.InputTokens), output: int64(u.OutputTokens), total: int64(u.InputTokens + u.OutputTokens),
		cacheRead: int64(u.CacheReadTokens), reasoning: int64(u.ReasoningTokens), source: "response_body", cacheReadSent: true}
	if stream {
		w.source = "stream"
	}
	return w
}

// genkitRun is what the tests compare of a Genkit run: the tool's inputs,
// the answers (streamed as chunks, then whole) and the usage Genkit
// reports for the last call of each run.
type genkitRun struct {
	ToolInputs             []string
	Answer, StreamedAnswer string
	StreamedChunks         string
	Usage, StreamUsage     [2]int
}

// runGenkit generates twice with a tool, once whole and once streamed: each
// run is a tool call, the tool, and the answer, so four model calls.
// streamConfig is the model config of the streamed run.
func runGenkit(ctx context.Context, g *genkit.Genkit, modelName string, streamConfig any) (genkitRun, error) {
	var run genkitRun
	var mu sync.Mutex
	search := genkit.DefineTool(g, "search", "Searches the web.", func(_ *ai.ToolContext, in searchInput) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		run.ToolInputs = append(run.ToolInputs, in.Query)
		return searchResult, nil
	})
	const question = "How much does a ruby-throated hummingbird weigh?"
	resp, err := genkit.Generate(ctx, g, ai.WithModelName(modelName), ai.WithPrompt(question), ai.WithTools(search))
	if err != nil {
		return run, err
	}
	run.Answer = resp.Text()
	if resp.Usage != nil {
		run.Usage = [2]int{resp.Usage.InputTokens, resp.Usage.OutputTokens}
	}

	var chunks strings.Builder
	opts := []ai.GenerateOption{ai.WithModelName(modelName), ai.WithPrompt(question), ai.WithTools(search),
		ai.WithStreaming(func(_ context.Context, chunk *ai.ModelResponseChunk) error {
			chunks.WriteString(chunk.Text())
			return nil
		})}
	if streamConfig != nil {
		opts = append(opts, ai.WithConfig(streamConfig))
	}
	resp, err = genkit.Generate(ctx, g, opts...)
	if err != nil {
		return run, err
	}
	run.StreamedAnswer, run.StreamedChunks = resp.Text(), chunks.String()
	if resp.Usage != nil {
		run.StreamUsage = [2]int{resp.Usage.InputTokens, resp.Usage.OutputTokens}
	}
	return run, nil
}

// genkitUsages are the usages the fake reports for the four calls of
// runGenkit.
var genkitUsages = []fakellm.Usage{
	{InputTokens: 290, OutputTokens: 16, CacheReadTokens: 128},
	{InputTokens: 380, OutputTokens: 31},
	{InputTokens: 291, OutputTokens: 15},
	{InputTokens: 377, OutputTokens: 29, CacheReadTokens: 256},
}

// TestGenkitOpenAI runs Firebase Genkit's OpenAI plugin (built on its
// OpenAI-compatible plugin, which takes the same options), its HTTP client
// given as an openai-go option, through two tool-calling runs.
//
// Genkit's OpenAI-compatible plugin streams without
// stream_options.include_usage, so an OpenAI stream carries no usage unless
// the model config asks for it, as the streamed run here does.
func TestGenkitOpenAI(t *testing.T) {
	h := newHarness(t)
	got, reqs := sameAsBareFake(t, h, fakellm.Options{Usage: usagePerCall(genkitUsages...)},
		func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (genkitRun, error) {
			g := genkit.Init(ctx, genkit.WithPlugins(&genkitopenai.OpenAI{
				APIKey: openAIKey,
				Opts: []openaiv1option.RequestOption{
					openaiv1option.WithBaseURL(fake.OpenAIBaseURL()),
					openaiv1option.WithHTTPClient(hc),
				},
			}))
			return runGenkit(ctx, g, "openai/gpt-4o-mini", &openaiv1.ChatCompletionNewParams{
				StreamOptions: openaiv1.ChatCompletionStreamOptionsParam{IncludeUsage: openaiv1.Bool(true)},
			})
		})
	assertGenkitRun(t, got, reqs)
	assert.Contains(t, string(reqs[2].Body), `"stream_options":{"include_usage":true}`)

	var wants []wantCall
	for i, u := range genkitUsages {
		wants = append(wants, wantCall{
			provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-4o-mini", responseModel: "gpt-4o-mini-2024-07-18",
			responseID:    []string{"chatcmpl-fake000001", "chatcmpl-fake000002", "chatcmpl-fake000003", "chatcmpl-fake000004"}[i],
			finishReasons: []string{[]string{"tool_calls", "stop"}[i%2]}, stream: i >= 2, usage: openAIWantUsage(u, i >= 2),
		})
	}
	h.check(t, []string{openAIKey}, wants...)
}

// TestGenkitGoogleAI runs Genkit's Google AI plugin, which takes no HTTP
// client: it builds its genai client on http.DefaultTransport when
// genkit.Init runs. What works is to wrap http.DefaultTransport before
// Init; the base URL goes the same way, through genai.SetDefaultBaseURLs (or
// GOOGLE_GEMINI_BASE_URL). The test puts both back after Init, once the
// plugin holds them.
func TestGenkitGoogleAI(t *testing.T) {
	h := newHarness(t)
	got, reqs := sameAsBareFake(t, h, fakellm.Options{Usage: usagePerCall(genkitUsages...)},
		func(ctx context.Context, hc *http.Client, fake *fakellm.Server) (genkitRun, error) {
			defaultTransport := http.DefaultTransport
			http.DefaultTransport = hc.Transport
			genai.SetDefaultBaseURLs(genai.BaseURLParameters{GeminiURL: fake.GeminiBaseURL() + "/"})
			g := genkit.Init(ctx, genkit.WithPlugins(&googlegenai.GoogleAI{APIKey: geminiKey}))
			http.DefaultTransport = defaultTransport
			genai.SetDefaultBaseURLs(genai.BaseURLParameters{})
			return runGenkit(ctx, g, "googleai/"+geminiModel, nil)
		})
	assertGenkitRun(t, got, reqs)

	var wants []wantCall
	for i, u := range genkitUsages {
		source := "response_body"
		if i >= 2 {
			source = "stream"
		}
		wants = append(wants, wantCall{
			provider: providers.ProviderGCPGemini, operation: "generate_content", requestModel: geminiModel, responseModel: geminiModel,
			responseID:    []string{"fake000001", "fake000002", "fake000003", "fake000004"}[i],
			finishReasons: []string{"STOP"}, stream: i >= 2,
			usage: wantUsage{input: int64(u.InputTokens), output: int64(u.OutputTokens), total: int64(u.InputTokens + u.OutputTokens),
				cacheRead: int64(u.CacheReadTokens), source: source},
		})
	}
	h.check(t, []string{geminiKey}, wants...)
}

func assertGenkitRun(t *testing.T, got genkitRun, reqs []fakellm.Request) {
	t.Helper()
	assert.Equal(t, []string{"ruby-throated hummingbird weight", "ruby-throated hummingbird weight"}, got.ToolInputs)
	assert.Equal(t, fakellm.DefaultAnswer, got.Answer)
	assert.Equal(t, fakellm.DefaultAnswer, got.StreamedAnswer)
	assert.Equal(t, fakellm.DefaultAnswer, got.StreamedChunks)
	// Genkit's own count of each run's last call agrees with the chosen
	// usage, and so with otelllm's.
	assert.Equal(t, [2]int{380, 31}, got.Usage)
	assert.Equal(t, [2]int{377, 29}, got.StreamUsage)
	require.Len(t, reqs, 4)
	for i, r := range reqs {
		assert.Equal(t, i >= 2, r.Stream, "request %d streamed", i+1)
	}
}

// TestGenkitOpenAIStreamWithoutIncludeUsage shows what happens to a Genkit
// OpenAI stream whose config does not ask for usage: the request has no
// stream_options, so the stream carries no usage, and otelllm counts the
// call as a request with no token counts rather than guess them.
func TestGenkitOpenAIStreamWithoutIncludeUsage(t *testing.T) {
	h := newHarness(t)
	fake := fakellm.NewServer()
	defer fake.Close()
	g := genkit.Init(h.ctx, genkit.WithPlugins(&genkitopenai.OpenAI{
		APIKey: openAIKey,
		Opts:   []openaiv1option.RequestOption{openaiv1option.WithBaseURL(fake.OpenAIBaseURL()), openaiv1option.WithHTTPClient(h.client)},
	}))
	resp, err := genkit.Generate(h.ctx, g, ai.WithModelName("openai/gpt-4o-mini"), ai.WithPrompt("Hi"),
		ai.WithStreaming(func(context.Context, *ai.ModelResponseChunk) error { return nil }))
	require.NoError(t, err)
	assert.Equal(t, fakellm.DefaultAnswer, resp.Text())

	reqs := fake.Requests()
	require.Len(t, reqs, 1)
	assert.True(t, reqs[0].Stream)
	assert.NotContains(t, string(reqs[0].Body), "stream_options")

	spans := h.spans.Ended()
	require.Len(t, spans, 1)
	a := attrsOf(spans[0])
	assert.True(t, a[semconv.GenAIRequestStreamKey].AsBool())
	assert.NotContains(t, a, semconv.GenAIUsageInputTokensKey, "no usage was sent, none is recorded")
	assert.NotContains(t, a, semconv.GenAIUsageOutputTokensKey)
	u := h.tracker.Usage()
	assert.Equal(t, int64(1), u.Requests)
	assert.Equal(t, int64(1), u.UnmeteredRequests, "counted as a call whose usage never came")
	assert.Zero(t, u.InputTokens+u.OutputTokens)
}
