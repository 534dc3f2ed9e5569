// Agent runs a small tool-calling agent with nothing but net/http and
// encoding/json, its HTTP client wrapped by otelllm, and shows how the LLM
// calls of one agent run land in one trace and one tracker.
//
// The agent is asked how much a ruby-throated hummingbird weighs and is
// offered a search tool. The model answers with a call to the tool; the agent
// runs it (a local function) and sends the result back in a streamed call;
// the model answers. The whole run is an invoke_agent span, the tool's run an
// execute_tool span, and otelllm's chat spans are children of the agent's
// span, as the GenAI semantic conventions describe an agent.
//
// Message content capture is on: each chat span carries the messages of its
// step (gen_ai.input.messages: the question, then the tool call and its
// result; gen_ai.output.messages: the tool call the model asked for, then
// its answer) and the tools offered, and each call emits a
// gen_ai.client.inference.operation.details event with the same content,
// structured, in the span's trace. So one trace shows the whole
// conversation. Set OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT
// (NO_CONTENT, SPAN_ONLY, EVENT_ONLY, SPAN_AND_EVENT) to choose otherwise.
//
// With no configuration it runs offline against fakellm, an embedded fake
// OpenAI-compatible server, and prints spans and metrics to the console. Set
// OPENAI_API_KEY to call the real OpenAI API instead (OPENAI_MODEL picks the
// model, gpt-4o-mini by default; the messages sent and received are then
// recorded in your telemetry), and the standard OTEL_* variables to send
// the telemetry elsewhere, for example OTEL_EXPORTER_OTLP_ENDPOINT.
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"go.opentelemetry.io/otel/codes"
	otellog "go.opentelemetry.io/otel/log"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.41.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/otelllm/otelllm/exporters"
	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
	llmsemconv "github.com/otelllm/otelllm/semconv"
)

const (
	agentName = "hummingbird-agent"
	question  = "How much does a ruby-throated hummingbird weigh?"
	// maxSteps bounds the model calls of one run, so that a model that
	// keeps calling tools cannot loop for ever.
	maxSteps = 5
	// scopeName is the instrumentation scope of the agent's own spans.
	scopeName = "github.com/otelllm/otelllm/examples/agent"
)

func main() {
	ctx := context.Background()
	// Setup installs its providers as the otel globals too; passing them
	// on explicitly lets the test hand run providers of its own.
	tel, shutdown, err := exporters.Setup(ctx, exporters.WithServiceName(serviceName()))
	if err != nil {
		log.Fatal(err)
	}
	err = run(ctx, os.Stdout, tel.TracerProvider, tel.MeterProvider, tel.LoggerProvider)
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if serr := shutdown(sctx); serr != nil {
		log.Printf("telemetry shutdown: %v", serr)
	}
	if err != nil {
		log.Fatal(err)
	}
}

func serviceName() string {
	if s := os.Getenv("OTEL_SERVICE_NAME"); s != "" {
		return s
	}
	return "otelllm-example-agent"
}

// run answers the question with the agent, its spans made by tp, otelllm's
// metrics recorded with mp and its content events emitted through lp, and
// prints each step and the totals to out.
func run(ctx context.Context, out io.Writer, tp trace.TracerProvider, mp metric.MeterProvider, lp otellog.LoggerProvider) error {
	model := os.Getenv("OPENAI_MODEL")
	if model == "" {
		model = "gpt-4o-mini"
	}
	a := &agent{
		out:    out,
		tracer: tp.Tracer(scopeName),
		model:  model,
		apiKey: os.Getenv("OPENAI_API_KEY"),
		tools:  map[string]tool{"search": search},
	}
	if a.apiKey != "" {
		a.baseURL = "https://api.openai.com/v1"
		fmt.Fprintln(out, "Calling the OpenAI API ("+model+").")
	} else {
		fake := fakellm.NewServer(fakellm.Options{ChunkDelay: 2 * time.Millisecond})
		defer fake.Close()
		a.baseURL, a.apiKey = fake.OpenAIBaseURL(), "sk-fake"
		fmt.Fprintln(out, "No OPENAI_API_KEY: calling the embedded fake OpenAI server at "+a.baseURL+".")
	}
	// Content capture on, on the spans and in the events, unless the
	// environment variable says otherwise (the option would win over it).
	capture := otelllm.WithContentCapture(otelllm.ContentSpanAndEvent)
	if os.Getenv(llmsemconv.CaptureMessageContentEnv) != "" {
		capture = nil
	}
	a.client = otelllm.WrapClient(http.DefaultClient,
		otelllm.WithTracerProvider(tp),
		otelllm.WithMeterProvider(mp),
		otelllm.WithLoggerProvider(lp),
		capture,
		otelllm.WithCallback(otelllm.CallLogger(&a.calls)))

	ctx, tracker := otelllm.Track(ctx)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()

	// The agent's span is the parent of everything the run does: otelllm
	// starts each call's span from the request's context, this one.
	ctx, span := a.tracer.Start(ctx, "invoke_agent "+agentName,
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(
			semconv.GenAIOperationNameInvokeAgent,
			semconv.GenAIAgentName(agentName),
			semconv.GenAIProviderNameOpenAI,
			semconv.GenAIRequestModel(model),
		))
	defer span.End()
	fmt.Fprintf(out, "\nAgent %s, trace %s\nQuestion: %s\n", agentName, span.SpanContext().TraceID(), question)

	answer, err := a.answer(ctx, question)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		return err
	}
	// The token usage is left off the agent's span on purpose: the chat
	// spans carry it, and a backend summing gen_ai.usage.* over spans
	// would count it twice.
	fmt.Fprintf(out, "\nAnswer: %s\n", answer)
	fmt.Fprintf(out, "\nUsage seen by the tracker:\n%s\n\n", tracker)
	return nil
}

// tool runs one tool call with its JSON arguments and returns the result
// for the model.
type tool func(ctx context.Context, arguments string) (string, error)

// search is the agent's one tool. A real agent would query a search engine;
// this one knows one fact.
func search(_ context.Context, arguments string) (string, error) {
	var args struct {
		Query string `json:"query"`
	}
	if err := json.Unmarshal([]byte(arguments), &args); err != nil {
		return "", fmt.Errorf("search: bad arguments %q: %w", arguments, err)
	}
	return "The ruby-throated hummingbird (Archilochus colubris) weighs 2.5 to 3.5 grams; a US nickel weighs 5 grams.", nil
}

var searchTool = map[string]any{
	"type": "function",
	"function": map[string]any{
		"name":        "search",
		"description": "Search an encyclopedia of birds; returns the most relevant fact.",
		"parameters": map[string]any{
			"type":       "object",
			"properties": map[string]any{"query": map[string]any{"type": "string", "description": "What to look up."}},
			"required":   []string{"query"},
		},
	},
}

// message is a Chat Completions message, as sent and as received.
type message struct {
	Role       string     `json:"role"`
	Content    string     `json:"content,omitempty"`
	ToolCalls  []toolCall `json:"tool_calls,omitempty"`
	ToolCallID string     `json:"tool_call_id,omitempty"`
}

type toolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"function"`
}

type agent struct {
	out     io.Writer
	tracer  trace.Tracer
	client  *http.Client
	baseURL string
	apiKey  string
	model   string
	tools   map[string]tool
	calls   bytes.Buffer
}

// answer runs the loop: ask the model, run the tools it calls, send their
// results back, until it answers without calling a tool. The first call is a
// plain one and the later ones are streamed, to show both in one trace.
func (a *agent) answer(ctx context.Context, question string) (string, error) {
	messages := []message{{Role: "user", Content: question}}
	for step := 1; step <= maxSteps; step++ {
		streamed := step > 1
		how := "with the search tool offered"
		if streamed {
			how = "with the tool results, streamed"
		}
		fmt.Fprintf(a.out, "Step %d: asking %s %s.\n", step, a.model, how)
		reply, err := a.complete(ctx, messages, streamed)
		printCalls(a.out, &a.calls, "        ")
		if err != nil {
			return "", fmt.Errorf("step %d: %w", step, err)
		}
		messages = append(messages, reply)
		if len(reply.ToolCalls) == 0 {
			return reply.Content, nil
		}
		for _, call := range reply.ToolCalls {
			fmt.Fprintf(a.out, "Step %d: the model calls %s(%s).\n", step, call.Function.Name, call.Function.Arguments)
			result := a.runTool(ctx, call)
			fmt.Fprintf(a.out, "Step %d: %s returned: %s\n", step, call.Function.Name, result)
			messages = append(messages, message{Role: "tool", Content: result, ToolCallID: call.ID})
		}
	}
	return "", fmt.Errorf("no answer after %d model calls", maxSteps)
}

// runTool runs one tool call in an execute_tool span. A tool's failure is
// the model's to handle: it gets the error as the tool's result.
func (a *agent) runTool(ctx context.Context, call toolCall) string {
	ctx, span := a.tracer.Start(ctx, "execute_tool "+call.Function.Name,
		trace.WithSpanKind(trace.SpanKindInternal),
		trace.WithAttributes(
			semconv.GenAIOperationNameExecuteTool,
			semconv.GenAIToolName(call.Function.Name),
			semconv.GenAIToolCallID(call.ID),
			semconv.GenAIToolType("function"),
		))
	defer span.End()
	run, ok := a.tools[call.Function.Name]
	if !ok {
		err := fmt.Errorf("no tool named %q", call.Function.Name)
		span.SetStatus(codes.Error, err.Error())
		return "error: " + err.Error()
	}
	result, err := run(ctx, call.Function.Arguments)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		return "error: " + err.Error()
	}
	return result
}

// complete makes one Chat Completions call and returns the model's message.
func (a *agent) complete(ctx context.Context, messages []message, stream bool) (message, error) {
	body := map[string]any{
		"model":    a.model,
		"messages": messages,
		"tools":    []any{searchTool},
	}
	if stream {
		body["stream"] = true
		// Without include_usage a stream reports no tokens, and the
		// call would be counted as a request without usage.
		body["stream_options"] = map[string]any{"include_usage": true}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return message{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.baseURL+"/chat/completions", bytes.NewReader(b))
	if err != nil {
		return message{}, err
	}
	req.Header.Set("Authorization", "Bearer "+a.apiKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return message{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
		return message{}, fmt.Errorf("API error (HTTP %d): %s", resp.StatusCode, bytes.TrimSpace(b))
	}
	if stream {
		return readStream(resp.Body)
	}
	var completion struct {
		Choices []struct {
			Message message `json:"message"`
		} `json:"choices"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&completion); err != nil {
		return message{}, fmt.Errorf("decoding the response: %w", err)
	}
	if len(completion.Choices) == 0 {
		return message{}, errors.New("no choices in the response")
	}
	return completion.Choices[0].Message, nil
}

// readStream assembles the message of a streamed completion: the content
// deltas in order, and each tool call from the fragments sharing its index.
// It reads the body to its end, so the call is over when it returns.
func readStream(body io.Reader) (message, error) {
	reply := message{Role: "assistant"}
	var content strings.Builder
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		data, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok || data == "[DONE]" {
			continue
		}
		var chunk struct {
			Choices []struct {
				Delta struct {
					Content   string `json:"content"`
					ToolCalls []struct {
						Index int `json:"index"`
						toolCall
					} `json:"tool_calls"`
				} `json:"delta"`
			} `json:"choices"`
		}
		if err := json.Unmarshal([]byte(data), &chunk); err != nil {
			return message{}, fmt.Errorf("decoding a stream chunk: %w", err)
		}
		if len(chunk.Choices) == 0 {
			continue // the usage chunk
		}
		delta := chunk.Choices[0].Delta
		content.WriteString(delta.Content)
		for _, fragment := range delta.ToolCalls {
			for len(reply.ToolCalls) <= fragment.Index {
				reply.ToolCalls = append(reply.ToolCalls, toolCall{Type: "function"})
			}
			call := &reply.ToolCalls[fragment.Index]
			if fragment.ID != "" {
				call.ID = fragment.ID
			}
			if fragment.Function.Name != "" {
				call.Function.Name = fragment.Function.Name
			}
			call.Function.Arguments += fragment.Function.Arguments
		}
	}
	reply.Content = content.String()
	return reply, sc.Err()
}

// printCalls prints the lines otelllm.CallLogger wrote to calls, each
// indented, and empties it.
func printCalls(out io.Writer, calls *bytes.Buffer, indent string) {
	for line := range strings.Lines(calls.String()) {
		fmt.Fprint(out, indent+line)
	}
	calls.Reset()
}
