package sdk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	goopenai "github.com/sashabaranov/go-openai"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

// These tests give openai-go and go-openai a server that honours
// stream_options.include_usage exactly as OpenAI does: asked for it, every
// chunk carries "usage":null and a usage-only chunk ("choices":[]) comes
// before [DONE]; not asked, there is no usage at all. With
// otelllm.WithStreamUsage off and on, what the SDK gives the application
// must be the same, the server must get include_usage only with it on, and
// with it on the telemetry's counts and cost must be exact.

// includeUsageServer serves a recorded OpenAI stream that was asked for
// usage, as OpenAI would have sent it for the request it gets.
type includeUsageServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies [][]byte
}

func newIncludeUsageServer(t *testing.T) *includeUsageServer {
	t.Helper()
	recorded := readFixture(t, "chat_stream_include_usage_otelcontrib_recorded.sse")
	require.Contains(t, string(recorded), `"usage":null`)
	require.Contains(t, string(recorded), `"choices":[],"usage":{`)
	s := &includeUsageServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			http.Error(w, "not a chat completions request", http.StatusBadRequest)
			return
		}
		s.mu.Lock()
		s.bodies = append(s.bodies, body)
		s.mu.Unlock()
		var req struct {
			Stream        bool `json:"stream"`
			StreamOptions *struct {
				IncludeUsage bool `json:"include_usage"`
			} `json:"stream_options"`
		}
		if json.Unmarshal(body, &req) != nil || !req.Stream {
			http.Error(w, `{"error":{"message":"want a stream","type":"invalid_request_error"}}`, http.StatusBadRequest)
			return
		}
		if r.ContentLength != int64(len(body)) {
			http.Error(w, "Content-Length does not match the body", http.StatusBadRequest)
			return
		}
		stream := recorded
		if req.StreamOptions == nil || !req.StreamOptions.IncludeUsage {
			stream = withoutUsage(recorded)
		}
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		flusher, _ := w.(http.Flusher)
		for rest := stream; len(rest) > 0; {
			n := min(streamPiece, len(rest))
			_, _ = w.Write(rest[:n])
			rest = rest[n:]
			if flusher != nil {
				flusher.Flush()
			}
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// withoutUsage is the stream OpenAI sends when usage is not asked for: no
// "usage" member, no usage chunk.
func withoutUsage(stream []byte) []byte {
	var out []byte
	for _, event := range bytes.SplitAfter(stream, []byte("\n\n")) {
		if bytes.Contains(event, []byte(`"choices":[],"usage":{`)) {
			continue
		}
		out = append(out, bytes.ReplaceAll(event, []byte(`,"usage":null`), nil)...)
	}
	return out
}

// takeBodies returns the request bodies received since the last call.
func (s *includeUsageServer) takeBodies() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	got := s.bodies
	s.bodies = nil
	return got
}

// toServer is a base transport that sends every request to srv, whatever
// its host: the SDKs call api.openai.com, the host WithStreamUsage knows to
// accept include_usage.
func toServer(srv *httptest.Server) http.RoundTripper {
	addr := srv.Listener.Addr().String()
	return noWriterTo{base: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}}
}

const openAIHostURL = "http://api.openai.com/v1/"

// includeUsageRuns makes the same streamed call three times, the SDK's
// own way: with a bare client, and wrapped with WithStreamUsage off and
// on. It returns the three results, the three request bodies, and the two
// harnesses.
func includeUsageRuns[R any](t *testing.T, call func(ctx context.Context, hc *http.Client) (R, error)) (results [3]R, bodies [3][]byte, off, on *harness) {
	t.Helper()
	srv := newIncludeUsageServer(t)
	off = newHarnessOver(t, toServer(srv.Server))
	on = newHarnessOver(t, toServer(srv.Server), otelllm.WithStreamUsage())
	for i, run := range []struct {
		ctx context.Context
		hc  *http.Client
	}{
		{context.Background(), &http.Client{Transport: toServer(srv.Server)}},
		{off.ctx, off.client},
		{on.ctx, on.client},
	} {
		r, err := call(run.ctx, run.hc)
		require.NoError(t, err, "run %d", i)
		got := srv.takeBodies()
		require.Len(t, got, 1, "run %d: one request", i)
		results[i], bodies[i] = r, got[0]
	}
	return results, bodies, off, on
}

// assertAskedOnlyWithTheOption checks what the server got: the SDK's body
// untouched without the option, include_usage added with it and nothing
// else changed.
func assertAskedOnlyWithTheOption(t *testing.T, bodies [3][]byte) {
	t.Helper()
	assert.Equal(t, string(bodies[0]), string(bodies[1]), "without the option the request is the SDK's")
	assert.NotContains(t, string(bodies[0]), "include_usage")
	var sent map[string]any
	require.NoError(t, json.Unmarshal(bodies[2], &sent))
	assert.Equal(t, map[string]any{"include_usage": true}, sent["stream_options"], "with the option the server is asked for usage")
	delete(sent, "stream_options")
	var sdk map[string]any
	require.NoError(t, json.Unmarshal(bodies[0], &sdk))
	assert.Equal(t, sdk, sent, "and nothing else changes")
}

// wantRecordedUsage is the telemetry of the recorded call: its usage chunk
// says 12 prompt tokens (none cached) and 12 completion tokens.
var wantRecordedUsage = wantCall{
	provider: providers.ProviderOpenAI, operation: "chat", requestModel: "gpt-4o-mini", responseModel: "gpt-4o-mini-2024-07-18",
	responseID: "chatcmpl-CnMM0oFYQitzT43PYAvCrmNt6GIKs", finishReasons: []string{"stop"}, stream: true,
	usage: wantUsage{input: 12, output: 12, total: 24, source: "stream", cacheReadSent: true},
}

// assertUnmetered checks the telemetry of the run without the option: the
// stream carried no usage, and the span and the tracker say so.
func assertUnmetered(t *testing.T, h *harness) {
	t.Helper()
	spans := h.spans.Ended()
	require.Len(t, spans, 1)
	a := attrsOf(spans[0])
	assert.Equal(t, string(providers.SourceAbsent), a[semconv.UsageSourceKey].AsString())
	assert.NotContains(t, a, semconv.GenAIUsageInputTokensKey)
	assert.NotContains(t, a, semconv.UsageCostKey)
	assert.NotContains(t, a, semconv.StreamUsageAmendedKey)
	u := h.tracker.Usage()
	assert.EqualValues(t, 1, u.UnmeteredRequests)
	assert.Zero(t, u.InputTokens)
	assert.Zero(t, u.CostUSD)
}

// openAIGoChunk is a chunk as openai-go gives it to the application: its
// decoded fields, and whether it says it carries usage. Its JSON metadata
// is left out: its raw text is the one thing that differs, the
// "usage":null members of an amended stream.
type openAIGoChunk struct {
	Chunk      openai.ChatCompletionChunk
	UsageValid bool
}

type openAIGoStreamResult struct {
	Chunks      []openAIGoChunk
	Accumulated openai.ChatCompletion
}

func TestOpenAIGoStreamUsage(t *testing.T) {
	results, bodies, off, on := includeUsageRuns(t, func(ctx context.Context, hc *http.Client) (openAIGoStreamResult, error) {
		client := openai.NewClient(option.WithBaseURL(openAIHostURL), option.WithHTTPClient(hc), option.WithAPIKey(openAIKey), option.WithMaxRetries(0))
		stream := client.Chat.Completions.NewStreaming(ctx, openai.ChatCompletionNewParams{
			Model:    "gpt-4o-mini",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Say this is a test")},
		})
		defer stream.Close()
		var r openAIGoStreamResult
		acc := openai.ChatCompletionAccumulator{}
		for stream.Next() {
			chunk := stream.Current()
			if !acc.AddChunk(chunk) {
				return r, errors.New("the accumulator rejected a chunk")
			}
			view := openAIGoChunk{UsageValid: chunk.JSON.Usage.Valid()}
			var bare openai.ChatCompletionChunk
			chunk.JSON = bare.JSON
			view.Chunk = chunk
			r.Chunks = append(r.Chunks, view)
		}
		r.Accumulated = acc.ChatCompletion
		return r, stream.Err()
	})
	bare := results[0]
	require.Len(t, bare.Chunks, 14, "the recorded stream's 14 content chunks")
	assert.Equal(t, "This is a test. How can I assist you today?", bare.Accumulated.Choices[0].Message.Content)
	assert.Zero(t, bare.Accumulated.Usage.TotalTokens, "the application asked for no usage and gets none")
	assert.Equal(t, bare, results[1], "wrapped, without the option: the SDK's chunks and result are the bare ones")
	assert.Equal(t, bare, results[2], "wrapped, with the option: the SDK's chunks and result are the bare ones")
	assertAskedOnlyWithTheOption(t, bodies)

	assertUnmetered(t, off)
	on.check(t, []string{openAIKey}, wantRecordedUsage)
	assert.True(t, attrsOf(on.spans.Ended()[0])[semconv.StreamUsageAmendedKey].AsBool(), "otelllm.stream_usage.amended")
}

func TestGoOpenAIStreamUsage(t *testing.T) {
	results, bodies, off, on := includeUsageRuns(t, func(ctx context.Context, hc *http.Client) ([]goopenai.ChatCompletionStreamResponse, error) {
		cfg := goopenai.DefaultConfig(openAIKey)
		cfg.BaseURL = openAIHostURL[:len(openAIHostURL)-1]
		cfg.HTTPClient = hc
		stream, err := goopenai.NewClientWithConfig(cfg).CreateChatCompletionStream(ctx, goopenai.ChatCompletionRequest{
			Model:    "gpt-4o-mini",
			Messages: []goopenai.ChatCompletionMessage{{Role: goopenai.ChatMessageRoleUser, Content: "Say this is a test"}},
			Stream:   true,
		})
		if err != nil {
			return nil, err
		}
		defer stream.Close()
		var chunks []goopenai.ChatCompletionStreamResponse
		text := ""
		for {
			chunk, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				if text != "This is a test. How can I assist you today?" {
					return chunks, errors.New("unexpected text " + text)
				}
				return chunks, nil
			}
			if err != nil {
				return chunks, err
			}
			// As go-openai's own example does: a chunk without choices
			// (the usage-only chunk the application did not ask for)
			// would panic here.
			text += chunk.Choices[0].Delta.Content
			chunks = append(chunks, chunk)
		}
	})
	require.Len(t, results[0], 14)
	for _, c := range results[0] {
		assert.Nil(t, c.Usage, "no usage was asked for")
	}
	assert.Equal(t, results[0], results[1], "wrapped, without the option: Recv gives the bare chunks")
	assert.Equal(t, results[0], results[2], "wrapped, with the option: Recv gives the bare chunks")
	assertAskedOnlyWithTheOption(t, bodies)

	assertUnmetered(t, off)
	on.check(t, []string{openAIKey}, wantRecordedUsage)
}
