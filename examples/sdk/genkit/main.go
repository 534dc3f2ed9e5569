// Genkit asks a question with a search tool through Firebase Genkit for Go
// (github.com/firebase/genkit/go), once with its OpenAI plugin and once with
// its Google AI plugin, and prints a line per model call otelllm observed
// and the totals. Each ask is a tool loop: the model asks for a search, the
// tool runs, the model answers.
//
// The OpenAI plugin takes openai-go request options, so it gets the wrapped
// client with option.WithHTTPClient. The Google AI plugin takes no client:
// it builds its own on http.DefaultTransport when genkit.Init runs, so the
// program wraps http.DefaultTransport before Init.
//
// With no configuration it runs offline against fakellm, an embedded fake of
// the providers' APIs, and prints spans and metrics to the console. Set
// OPENAI_API_KEY or GEMINI_API_KEY to call the real API of that plugin
// instead (only the plugins with a key then run), and the standard OTEL_*
// variables to send the telemetry elsewhere, for example
// OTEL_EXPORTER_OTLP_ENDPOINT.
//
// This directory is a module of its own: Genkit cannot be built beside
// anthropic-sdk-go/v2, which the other examples use (Genkit's dotprompt
// needs github.com/invopop/jsonschema v0.13, the Anthropic SDK v0.14).
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/firebase/genkit/go/ai"
	"github.com/firebase/genkit/go/core/api"
	"github.com/firebase/genkit/go/genkit"
	"github.com/firebase/genkit/go/plugins/compat_oai/openai"
	"github.com/firebase/genkit/go/plugins/googlegenai"
	openaigo "github.com/openai/openai-go"
	"github.com/openai/openai-go/option"
	"google.golang.org/genai"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer) error {
	_, shutdown, err := exporters.Setup(ctx, exporters.WithServiceName(serviceName()))
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := shutdown(sctx); err != nil {
			log.Printf("telemetry shutdown: %v", err)
		}
	}()

	// One otelllm transport for both plugins: the OpenAI plugin gets it as
	// its client, the Google AI plugin through http.DefaultTransport. It
	// wraps the transport http.DefaultTransport was, so no call is
	// observed twice. CallLogger writes a line per model call, printed
	// after each answer.
	var calls bytes.Buffer
	transport := otelllm.NewTransport(http.DefaultTransport, otelllm.WithCallback(otelllm.CallLogger(&calls)))
	defaultTransport := http.DefaultTransport
	http.DefaultTransport = transport
	defer func() { http.DefaultTransport = defaultTransport }()

	openAIKey, geminiKey := os.Getenv("OPENAI_API_KEY"), os.Getenv("GEMINI_API_KEY")
	offline := openAIKey == "" && geminiKey == ""
	var plugins []api.Plugin
	var models []string
	openAIOpts := []option.RequestOption{option.WithHTTPClient(&http.Client{Transport: transport})}
	if offline {
		fake := fakellm.NewServer(fakellm.Options{ChunkDelay: 2 * time.Millisecond})
		defer fake.Close()
		fmt.Fprintln(out, "No OPENAI_API_KEY or GEMINI_API_KEY: calling the embedded fake LLM server at "+fake.URL+".")
		openAIKey, geminiKey = "sk-fake", "fake-gemini-key"
		openAIOpts = append(openAIOpts, option.WithBaseURL(fake.OpenAIBaseURL()))
		// Read by the genai client the plugin makes in genkit.Init.
		genai.SetDefaultBaseURLs(genai.BaseURLParameters{GeminiURL: fake.GeminiBaseURL() + "/"})
		defer genai.SetDefaultBaseURLs(genai.BaseURLParameters{})
	}
	if openAIKey != "" {
		plugins = append(plugins, &openai.OpenAI{APIKey: openAIKey, Opts: openAIOpts})
		models = append(models, "openai/gpt-4o-mini")
	}
	if geminiKey != "" {
		plugins = append(plugins, &googlegenai.GoogleAI{APIKey: geminiKey})
		models = append(models, "googleai/gemini-2.5-flash")
	}
	g := genkit.Init(ctx, genkit.WithPlugins(plugins...))
	search := genkit.DefineTool(g, "search", "Searches the web.", func(_ *ai.ToolContext, in searchInput) (string, error) {
		fmt.Fprintf(out, "  (the model searched for %q)\n", in.Query)
		return "The ruby-throated hummingbird (Archilochus colubris) weighs 2.5 to 3.5 grams.", nil
	})

	ctx, tracker := otelllm.Track(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	for _, model := range models {
		opts := []ai.GenerateOption{
			ai.WithModelName(model), ai.WithTools(search),
			ai.WithPrompt("How much does a ruby-throated hummingbird weigh?"),
		}
		streamed := ""
		opts = append(opts, ai.WithStreaming(func(_ context.Context, chunk *ai.ModelResponseChunk) error {
			streamed += chunk.Text()
			return nil
		}))
		if model == "openai/gpt-4o-mini" {
			// Genkit's OpenAI plugin streams without include_usage:
			// without this config the stream reports no tokens, and
			// otelllm counts the call as a request without usage.
			opts = append(opts, ai.WithConfig(&openaigo.ChatCompletionNewParams{
				StreamOptions: openaigo.ChatCompletionStreamOptionsParam{IncludeUsage: openaigo.Bool(true)},
			}))
		}
		resp, err := genkit.Generate(ctx, g, opts...)
		if err != nil {
			return fmt.Errorf("%s: %w", model, err)
		}
		fmt.Fprintf(out, "%s streamed: %s\n", model, streamed)
		fmt.Fprintf(out, "%s answered: %s\n", model, resp.Text())
		printCalls(out, &calls, "  ")
	}

	fmt.Fprintf(out, "\nUsage seen by the tracker:\n%s\n\n", tracker)
	return nil
}

type searchInput struct {
	Query string `json:"query" jsonschema:"description=what to search the web for"`
}

func serviceName() string {
	if s := os.Getenv("OTEL_SERVICE_NAME"); s != "" {
		return s
	}
	return "otelllm-example-genkit"
}

// printCalls prints the lines otelllm.CallLogger wrote to calls, each
// indented, and empties it.
func printCalls(out io.Writer, calls *bytes.Buffer, indent string) {
	for line := range strings.Lines(calls.String()) {
		fmt.Fprint(out, indent+line)
	}
	calls.Reset()
}
