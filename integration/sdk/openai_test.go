package sdk

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
)

func newOpenAIClient(hc *http.Client, baseURL string) openai.Client {
	return openai.NewClient(
		option.WithBaseURL(baseURL+"/v1/"),
		option.WithHTTPClient(hc),
		option.WithAPIKey(openAIKey),
		option.WithMaxRetries(0),
	)
}

var (
	openAISSE  = reply{contentType: "text/event-stream"}
	openAIJSON = reply{contentType: "application/json"}
)

func withFile(r reply, file string) reply {
	r.file = file
	return r
}

// usageJSON is the part of an openai-go usage object the tests compare.
type openAIUsage struct {
	Prompt, Completion, Total, Cached, Reasoning int64
}

func fromCompletionUsage(u openai.CompletionUsage) openAIUsage {
	return openAIUsage{u.PromptTokens, u.CompletionTokens, u.TotalTokens, u.PromptTokensDetails.CachedTokens, u.CompletionTokensDetails.ReasoningTokens}
}

func TestOpenAIGoChatCompletion(t *testing.T) {
	h := newHarness(t)
	srv := newFixtureServer(t, map[string]reply{"POST /v1/chat/completions": withFile(openAIJSON, "chat_completion_nonstream.json")})

	type result struct {
		ID, Model, Text, Finish string
		Usage                   openAIUsage
		Raw                     string
	}
	got, _ := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
		client := newOpenAIClient(hc, srv.URL)
		c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
			Model:    "gpt-5.4",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hello!")},
		})
		if err != nil {
			return result{}, err
		}
		return result{c.ID, c.Model, c.Choices[0].Message.Content, c.Choices[0].FinishReason, fromCompletionUsage(c.Usage), c.RawJSON()}, nil
	})
	assert.Equal(t, result{
		ID: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", Model: "gpt-5.4", Text: "Hello! How can I assist you today?", Finish: "stop",
		Usage: openAIUsage{Prompt: 19, Completion: 10, Total: 29},
		Raw:   strings.TrimSpace(string(readFixture(t, "chat_completion_nonstream.json"))),
	}, got)

	h.check(t, []string{openAIKey}, wantCall{
		provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-5.4", responseModel: "gpt-5.4",
		responseID: got.ID, finishReasons: []string{"stop"},
		usage: wantUsage{input: 19, output: 10, total: 29, source: "response_body", cacheReadSent: true},
	})
}

func TestOpenAIGoChatCompletionStream(t *testing.T) {
	h := newHarness(t)
	srv := newFixtureServer(t, map[string]reply{"POST /v1/chat/completions": withFile(openAISSE, "chat_stream_include_usage_text_synthetic.sse")})

	type result struct {
		Chunks, UsageChunks int
		ID, Model, Text     string
		Finish              string
		Usage               openAIUsage
	}
	got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
		client := newOpenAIClient(hc, srv.URL)
		stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
			Model:         "gpt-4o-mini",
			Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("How heavy is a hummingbird?")},
			StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
		})
		defer stream.Close()
		var r result
		acc := openai.ChatCompletionAccumulator{}
		for stream.Next() {
			chunk := stream.Current()
			r.Chunks++
			if chunk.JSON.Usage.Valid() && chunk.Usage.TotalTokens > 0 {
				r.UsageChunks++
			}
			acc.AddChunk(chunk)
		}
		if err := stream.Err(); err != nil {
			return r, err
		}
		r.ID, r.Model, r.Text, r.Finish = acc.ID, acc.Model, acc.Choices[0].Message.Content, acc.Choices[0].FinishReason
		r.Usage = fromCompletionUsage(acc.Usage)
		return r, nil
	})
	assert.Equal(t, result{
		Chunks: 13, UsageChunks: 1,
		ID: "chatcmpl-SynthText0001", Model: "gpt-4o-mini-2024-07-18",
		Text:   "Hello! The ruby-throated hummingbird weighs about 3 grams.",
		Finish: "stop",
		Usage:  openAIUsage{Prompt: 1536, Completion: 11, Total: 1547, Cached: 1024},
	}, got)

	assertStreamWithUsage(t, reqs)

	h.check(t, []string{openAIKey}, wantCall{
		provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-4o-mini", responseModel: "gpt-4o-mini-2024-07-18",
		responseID: got.ID, finishReasons: []string{"stop"}, stream: true,
		usage: wantUsage{input: 1536, output: 11, total: 1547, cacheRead: 1024, source: "stream"},
	})
}

func TestOpenAIGoResponses(t *testing.T) {
	h := newHarness(t)
	srv := newFixtureServer(t, map[string]reply{"POST /v1/responses": withFile(openAIJSON, "responses_nonstream_text.json")})

	type result struct {
		ID, Model, Status, Text          string
		Input, Output, Total, Cached, Re int64
	}
	got, _ := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
		client := newOpenAIClient(hc, srv.URL)
		r, err := client.Responses.New(ctx, responses.ResponseNewParams{
			Model: "gpt-5.4",
			Input: responses.ResponseNewParamsInputUnion{OfString: openai.String("Tell me a three sentence bedtime story about a unicorn.")},
		})
		if err != nil {
			return result{}, err
		}
		u := r.Usage
		return result{r.ID, r.Model, string(r.Status), r.OutputText(), u.InputTokens, u.OutputTokens, u.TotalTokens, u.InputTokensDetails.CachedTokens, u.OutputTokensDetails.ReasoningTokens}, nil
	})
	assert.Equal(t, "resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b", got.ID)
	assert.Equal(t, "completed", got.Status)
	assert.Contains(t, got.Text, "a unicorn named Lumina")
	assert.Equal(t, [3]int64{36, 87, 123}, [3]int64{got.Input, got.Output, got.Total})

	h.check(t, []string{openAIKey}, wantCall{
		provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-5.4", responseModel: "gpt-5.4",
		responseID: got.ID, finishReasons: []string{"stop"},
		usage: wantUsage{input: 36, output: 87, total: 123, source: "response_body", cacheReadSent: true, cacheCreationSent: true},
	})
}

func TestOpenAIGoResponsesStream(t *testing.T) {
	h := newHarness(t)
	srv := newFixtureServer(t, map[string]reply{"POST /v1/responses": withFile(openAISSE, "responses_stream_synthetic.sse")})

	type result struct {
		Events               map[string]int
		Deltas, Done, ID     string
		Model                string
		Input, Output, Total int64
		CompletedOutputText  string
		Created              float64
	}
	got, _ := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
		client := newOpenAIClient(hc, srv.URL)
		stream := client.Responses.NewStreaming(ctx, responses.ResponseNewParams{
			Model:        "gpt-5.4",
			Instructions: openai.String("You are a helpful assistant."),
			Input:        responses.ResponseNewParamsInputUnion{OfString: openai.String("Hello!")},
		})
		defer stream.Close()
		r := result{Events: map[string]int{}}
		for stream.Next() {
			ev := stream.Current()
			r.Events[ev.Type]++
			switch ev.Type {
			case "response.output_text.delta":
				r.Deltas += ev.Delta
			case "response.output_text.done":
				r.Done = ev.Text
			case "response.created":
				r.Created = ev.Response.CreatedAt
			case "response.completed":
				resp := ev.Response
				r.ID, r.Model = resp.ID, resp.Model
				r.Input, r.Output, r.Total = resp.Usage.InputTokens, resp.Usage.OutputTokens, resp.Usage.TotalTokens
				r.CompletedOutputText = resp.OutputText()
			}
		}
		return r, stream.Err()
	})
	assert.Equal(t, map[string]int{
		"response.created": 1, "response.in_progress": 1, "response.output_item.added": 1, "response.content_part.added": 1,
		"response.output_text.delta": 10, "response.output_text.done": 1, "response.content_part.done": 1,
		"response.output_item.done": 1, "response.completed": 1,
	}, got.Events)
	const text = "Hi there! How can I assist you today?"
	assert.Equal(t, text, got.Deltas)
	assert.Equal(t, text, got.Done)
	assert.Equal(t, text, got.CompletedOutputText)
	assert.Equal(t, [3]int64{37, 11, 48}, [3]int64{got.Input, got.Output, got.Total})

	h.check(t, []string{openAIKey}, wantCall{
		provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-5.4", responseModel: "gpt-5.4",
		responseID: "resp_67c9fdcecf488190bdd9a0409de3a1ec07b8b0ad4e5eb654", finishReasons: []string{"stop"}, stream: true,
		usage: wantUsage{input: 37, output: 11, total: 48, source: "stream"},
	})
}

func TestOpenAIGoEmbeddings(t *testing.T) {
	h := newHarness(t)
	srv := newFixtureServer(t, map[string]reply{"POST /v1/embeddings": withFile(openAIJSON, "embeddings_nonstream_synthetic.json")})

	type result struct {
		Model         string
		Vectors       [][]float64
		Prompt, Total int64
	}
	got, _ := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
		client := newOpenAIClient(hc, srv.URL)
		r, err := client.Embeddings.New(ctx, openai.EmbeddingNewParams{
			Model:          openai.EmbeddingModelTextEmbeddingAda002,
			Input:          openai.EmbeddingNewParamsInputUnion{OfString: openai.String("The food was delicious and the waiter...")},
			EncodingFormat: openai.EmbeddingNewParamsEncodingFormatFloat,
		})
		if err != nil {
			return result{}, err
		}
		res := result{Model: r.Model, Prompt: r.Usage.PromptTokens, Total: r.Usage.TotalTokens}
		for _, e := range r.Data {
			res.Vectors = append(res.Vectors, e.Embedding)
		}
		return res, nil
	})
	assert.Equal(t, result{
		Model: "text-embedding-ada-002", Vectors: [][]float64{{0.0023064255, -0.009327292, -0.0028842222}}, Prompt: 8, Total: 8,
	}, got)

	h.check(t, []string{openAIKey}, wantCall{
		provider: providers.ProviderOpenAI, operation: "embeddings", requestModel: "text-embedding-ada-002", responseModel: "text-embedding-ada-002",
		usage: wantUsage{input: 8, total: 8, noOutput: true, source: "response_body"},
	})
}

// requestJSON decodes the body of the only request srv got into v.
func requestJSON(t *testing.T, reqs []received, v any) {
	t.Helper()
	require.Len(t, reqs, 1)
	require.NoError(t, json.Unmarshal(reqs[0].body, v))
}

// assertStreamWithUsage asserts that the SDK asked for a stream with usage
// (stream_options.include_usage), as the SDK option says.
func assertStreamWithUsage(t *testing.T, reqs []received) {
	t.Helper()
	var body struct {
		Stream        bool `json:"stream"`
		StreamOptions struct {
			IncludeUsage bool `json:"include_usage"`
		} `json:"stream_options"`
	}
	requestJSON(t, reqs, &body)
	assert.True(t, body.Stream, "stream")
	assert.True(t, body.StreamOptions.IncludeUsage, "stream_options.include_usage")
}
