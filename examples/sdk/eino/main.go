// Eino runs a CloudWeGo Eino ReAct agent (github.com/cloudwego/eino) with a
// search tool on each eino-ext chat model component: OpenAI, Claude, Gemini
// and Ark. Each model's HTTP client is wrapped by otelllm, so every model
// call of the agent's tool loop is observed; it prints a line per call and
// the totals.
//
// With no configuration it runs offline against fakellm, an embedded fake of
// the providers' APIs, and prints spans and metrics to the console. Set
// OPENAI_API_KEY to run the agent on the real OpenAI API instead
// (OPENAI_MODEL picks the model, gpt-4o-mini by default), and the standard
// OTEL_* variables to send the telemetry elsewhere, for example
// OTEL_EXPORTER_OTLP_ENDPOINT.
package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cloudwego/eino-ext/components/model/ark"
	"github.com/cloudwego/eino-ext/components/model/claude"
	"github.com/cloudwego/eino-ext/components/model/gemini"
	"github.com/cloudwego/eino-ext/components/model/openai"
	"github.com/cloudwego/eino/components/model"
	"github.com/cloudwego/eino/components/tool"
	"github.com/cloudwego/eino/components/tool/utils"
	"github.com/cloudwego/eino/compose"
	"github.com/cloudwego/eino/flow/agent/react"
	"github.com/cloudwego/eino/schema"
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

// chatModel makes one eino-ext model component on the wrapped client.
type chatModel struct {
	name string
	make func(ctx context.Context, httpClient *http.Client) (model.ToolCallingChatModel, error)
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

	// CallLogger writes a line per model call, printed after each agent's
	// answer.
	var calls bytes.Buffer
	httpClient := otelllm.WrapClient(http.DefaultClient, otelllm.WithCallback(otelllm.CallLogger(&calls)))

	var models []chatModel
	if apiKey := os.Getenv("OPENAI_API_KEY"); apiKey != "" {
		name := os.Getenv("OPENAI_MODEL")
		if name == "" {
			name = "gpt-4o-mini"
		}
		fmt.Fprintln(out, "Calling the OpenAI API ("+name+").")
		models = append(models, chatModel{"OpenAI", func(ctx context.Context, hc *http.Client) (model.ToolCallingChatModel, error) {
			return openai.NewChatModel(ctx, &openai.ChatModelConfig{APIKey: apiKey, Model: name, HTTPClient: hc})
		}})
	} else {
		fake := fakellm.NewServer(fakellm.Options{ChunkDelay: 2 * time.Millisecond})
		defer fake.Close()
		fmt.Fprintln(out, "No OPENAI_API_KEY: calling the embedded fake LLM server at "+fake.URL+".")
		models = fakeModels(fake)
	}

	ctx, tracker := otelllm.Track(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	for _, m := range models {
		// The line that hooks otelllm up is the component's HTTPClient
		// field (for Gemini, the genai client's).
		cm, err := m.make(ctx, httpClient)
		if err != nil {
			return err
		}
		answer, err := ask(ctx, cm, out)
		if err != nil {
			return fmt.Errorf("%s: %w", m.name, err)
		}
		fmt.Fprintf(out, "%s agent answered: %s\n", m.name, answer)
		printCalls(out, &calls, "  ")
	}

	fmt.Fprintf(out, "\nUsage seen by the tracker:\n%s\n\n", tracker)
	return nil
}

// fakeModels are the four eino-ext components, each pointed at the fake.
func fakeModels(fake *fakellm.Server) []chatModel {
	return []chatModel{
		{"OpenAI", func(ctx context.Context, hc *http.Client) (model.ToolCallingChatModel, error) {
			return openai.NewChatModel(ctx, &openai.ChatModelConfig{
				APIKey: "sk-fake", BaseURL: fake.OpenAIBaseURL(), Model: "gpt-4o-mini", HTTPClient: hc})
		}},
		{"Claude", func(ctx context.Context, hc *http.Client) (model.ToolCallingChatModel, error) {
			baseURL := fake.AnthropicBaseURL()
			return claude.NewChatModel(ctx, &claude.Config{
				APIKey: "sk-ant-fake", BaseURL: &baseURL, Model: "claude-haiku-4-5", MaxTokens: 1024, HTTPClient: hc})
		}},
		{"Gemini", func(ctx context.Context, hc *http.Client) (model.ToolCallingChatModel, error) {
			client, err := genai.NewClient(ctx, &genai.ClientConfig{
				Backend: genai.BackendGeminiAPI, APIKey: "fake-gemini-key", HTTPClient: hc,
				HTTPOptions: genai.HTTPOptions{BaseURL: fake.GeminiBaseURL() + "/"}})
			if err != nil {
				return nil, err
			}
			return gemini.NewChatModel(ctx, &gemini.Config{Client: client, Model: "gemini-2.5-flash"})
		}},
		{"Ark", func(ctx context.Context, hc *http.Client) (model.ToolCallingChatModel, error) {
			return ark.NewChatModel(ctx, &ark.ChatModelConfig{
				APIKey: "fake-ark-key", BaseURL: fake.ArkBaseURL(), Model: "doubao-seed-1-6-250615", HTTPClient: hc})
		}},
	}
}

type searchInput struct {
	Query string `json:"query" jsonschema:"description=what to search the web for"`
}

// ask runs a ReAct agent with a search tool: the model asks for a search,
// the tool runs, the model answers; two model calls.
func ask(ctx context.Context, cm model.ToolCallingChatModel, out io.Writer) (string, error) {
	search, err := utils.InferTool("search", "Searches the web.", func(_ context.Context, in searchInput) (string, error) {
		fmt.Fprintf(out, "  (the agent searched for %q)\n", in.Query)
		return "The ruby-throated hummingbird (Archilochus colubris) weighs 2.5 to 3.5 grams.", nil
	})
	if err != nil {
		return "", err
	}
	agent, err := react.NewAgent(ctx, &react.AgentConfig{
		ToolCallingModel: cm,
		ToolsConfig:      compose.ToolsNodeConfig{Tools: []tool.BaseTool{search}},
	})
	if err != nil {
		return "", err
	}
	msg, err := agent.Generate(ctx, []*schema.Message{schema.UserMessage("How much does a ruby-throated hummingbird weigh?")})
	if err != nil {
		return "", err
	}
	if msg.Content == "" {
		return "", errors.New("the agent gave no answer")
	}
	return msg.Content, nil
}

func serviceName() string {
	if s := os.Getenv("OTEL_SERVICE_NAME"); s != "" {
		return s
	}
	return "otelllm-example-eino"
}

// printCalls prints the lines otelllm.CallLogger wrote to calls, each
// indented, and empties it.
func printCalls(out io.Writer, calls *bytes.Buffer, indent string) {
	for line := range strings.Lines(calls.String()) {
		fmt.Fprint(out, indent+line)
	}
	calls.Reset()
}
