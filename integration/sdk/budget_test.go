package sdk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go/v2"
	anthropicoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/otelllm/otelllm/otelllm"
	"github.com/otelllm/otelllm/semconv"
)

// agentServer answers every chat completion with a tool call and 100 input
// + 20 output tokens: an agent loop against it never ends by itself. It
// counts the requests that reach it.
type agentServer struct {
	*httptest.Server
	received atomic.Int64
}

func newAgentServer(t *testing.T) *agentServer {
	s := &agentServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.received.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"id":"chatcmpl-agent-%d","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18",`+
			`"choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_%d","type":"function","function":{"name":"search","arguments":"{\"q\":\"more\"}"}}]},"finish_reason":"tool_calls"}],`+
			`"usage":{"prompt_tokens":100,"completion_tokens":20,"total_tokens":120}}`, n, n)
	}))
	t.Cleanup(s.Close)
	return s
}

// agentLoop runs an agent with openai-go until a step fails, and returns
// the steps that succeeded and the error that stopped it.
func agentLoop(ctx context.Context, client openai.Client) (int, error) {
	messages := []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Research this until you are done.")}
	tools := []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{
		Name: "search", Parameters: openai.FunctionParameters{"type": "object", "properties": map[string]any{"q": map[string]any{"type": "string"}}},
	})}
	for step := 0; step < 100; step++ {
		c, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{Model: "gpt-4o-mini", Messages: messages, Tools: tools})
		if err != nil {
			return step, err
		}
		messages = append(messages, c.Choices[0].Message.ToParam())
		for _, call := range c.Choices[0].Message.ToolCalls {
			messages = append(messages, openai.ToolMessage(`{"results":["one more lead"]}`, call.ID))
		}
	}
	return 100, nil
}

func rejected(spans []sdktrace.ReadOnlySpan) []sdktrace.ReadOnlySpan {
	var out []sdktrace.ReadOnlySpan
	for _, s := range spans {
		if attrsOf(s)[semconv.ResponseEndKey].AsString() == semconv.EndRejected {
			out = append(out, s)
		}
	}
	return out
}

// A token limit reached in the middle of an openai-go agent loop: the SDK
// returns otelllm's error, and the refused step reaches no server.
func TestOpenAIGoBudgetStopsAnAgentLoop(t *testing.T) {
	t.Run("without retries", func(t *testing.T) {
		h := newHarness(t)
		srv := newAgentServer(t)
		ctx, tr := otelllm.Track(h.ctx, otelllm.WithTokenLimit(500)) // 4 steps of 120 tokens stay under it
		steps, err := agentLoop(ctx, newOpenAIClient(h.client, srv.URL))

		require.ErrorIs(t, err, otelllm.ErrBudgetExceeded, "the SDK returns otelllm's error")
		var be *otelllm.BudgetError
		require.ErrorAs(t, err, &be)
		assert.Equal(t, &otelllm.BudgetError{Limit: otelllm.LimitTokens, Total: 600, Value: 500}, be)
		assert.Equal(t, 5, steps)
		assert.EqualValues(t, 5, srv.received.Load(), "the refused step sent nothing")

		u := tr.Usage()
		assert.EqualValues(t, 5, u.Requests)
		assert.EqualValues(t, 600, u.TotalTokens)
		assert.EqualValues(t, 1, u.RejectedRequests)
		assert.EqualValues(t, 6, u.Calls())
		assert.EqualValues(t, 1, h.tracker.Usage().RejectedRequests, "the enclosing tracker counts the refusal too")
		spans := h.spans.Ended()
		require.Len(t, spans, 6)
		refused := rejected(spans)
		require.Len(t, refused, 1)
		a := attrsOf(refused[0])
		assert.Equal(t, semconv.ErrorTypeBudgetExceeded, a[semconv.ErrorTypeKey].AsString())
		assert.Equal(t, "gpt-4o-mini", a[semconv.GenAIRequestModelKey].AsString())
		assert.Equal(t, be, tr.Err(), "a loop that checks Err stops before the call")
	})

	t.Run("the SDK's retries are refused at once and counted as retries", func(t *testing.T) {
		h := newHarness(t)
		srv := newAgentServer(t)
		ctx, tr := otelllm.Track(h.ctx, otelllm.WithRequestLimit(2))
		// openai-go's default: two retries of a transport error, with
		// backoff (capped here, to keep the test short).
		client := openai.NewClient(option.WithBaseURL(srv.URL+"/v1/"), option.WithHTTPClient(h.client), option.WithAPIKey(openAIKey),
			option.WithMaxRetryDelay(time.Millisecond))
		steps, err := agentLoop(ctx, client)
		require.ErrorIs(t, err, otelllm.ErrBudgetExceeded)
		assert.Equal(t, 2, steps)
		assert.EqualValues(t, 2, srv.received.Load())

		u := tr.Usage()
		assert.EqualValues(t, 2, u.Requests)
		assert.EqualValues(t, 1, u.RejectedRequests, "one refused call")
		assert.EqualValues(t, 2, u.RejectedRetries, "retried twice by the SDK")
		assert.EqualValues(t, 3, u.Calls())
		refused := rejected(h.spans.Ended())
		require.Len(t, refused, 3, "each attempt has its span")
		for i, s := range refused {
			v, ok := attrsOf(s)[semconv.HTTPRequestResendCountKey]
			assert.Equal(t, i > 0, ok)
			assert.EqualValues(t, i, v.AsInt64())
		}
	})
}

// openai-go against a server that answers 429 then 200: both requests are
// counted, the second as a retry, and the 429's rate-limit headers and
// Retry-After are on its span.
func TestOpenAIGoRetryAfter429(t *testing.T) {
	h := newHarness(t)
	var received atomic.Int64
	var retryCounts []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		retryCounts = append(retryCounts, r.Header.Get("X-Stainless-Retry-Count"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Ratelimit-Limit-Requests", "500")
		w.Header().Set("X-Ratelimit-Reset-Requests", "120ms")
		if received.Add(1) == 1 {
			w.Header().Set("X-Ratelimit-Remaining-Requests", "0")
			w.Header().Set("Retry-After-Ms", "5")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"error":{"message":"Rate limit reached for gpt-4o-mini in organization org-x on requests per min (RPM): Limit 500, Used 500, Requested 1.","type":"requests","param":null,"code":"rate_limit_exceeded"}}`)
			return
		}
		w.Header().Set("X-Ratelimit-Remaining-Requests", "499")
		_, _ = io.WriteString(w, `{"id":"chatcmpl-retried","object":"chat.completion","created":1,"model":"gpt-4o-mini-2024-07-18","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":8,"completion_tokens":1,"total_tokens":9}}`)
	}))
	t.Cleanup(srv.Close)

	client := openai.NewClient(option.WithBaseURL(srv.URL+"/v1/"), option.WithHTTPClient(h.client), option.WithAPIKey(openAIKey)) // default retries
	c, err := client.Chat.Completions.New(h.ctx, openai.ChatCompletionNewParams{Model: "gpt-4o-mini", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")}})
	require.NoError(t, err)
	assert.Equal(t, "chatcmpl-retried", c.ID)
	assert.Equal(t, []string{"0", "1"}, retryCounts)

	spans := h.spans.Ended()
	require.Len(t, spans, 2)
	first, second := attrsOf(spans[0]), attrsOf(spans[1])
	assert.EqualValues(t, 429, first[semconv.HTTPResponseStatusCodeKey].AsInt64())
	assert.NotContains(t, first, semconv.HTTPRequestResendCountKey)
	assert.InDelta(t, 0.005, first[semconv.ResponseRetryAfterKey].AsFloat64(), 1e-9)
	assert.EqualValues(t, 0, first["otelllm.ratelimit.requests.remaining"].AsInt64())
	assert.EqualValues(t, 500, first["otelllm.ratelimit.requests.limit"].AsInt64())
	assert.InDelta(t, 0.12, first["otelllm.ratelimit.requests.reset"].AsFloat64(), 1e-9)
	assert.EqualValues(t, 1, second[semconv.HTTPRequestResendCountKey].AsInt64())
	assert.EqualValues(t, 499, second["otelllm.ratelimit.requests.remaining"].AsInt64())
	assert.EqualValues(t, 8, second[semconv.GenAIUsageInputTokensKey].AsInt64())

	u := h.tracker.Usage()
	assert.EqualValues(t, 2, u.Requests, "two requests were sent")
	assert.EqualValues(t, 1, u.Retries)
	assert.EqualValues(t, 1, u.FailedRequests)
	assert.EqualValues(t, 1, u.Calls(), "the application made one call")
	assert.EqualValues(t, 9, u.TotalTokens)
}

// anthropic-sdk-go sends the same retry count; Anthropic's rate-limit
// headers reach the span.
func TestAnthropicSDKRetryAfter429(t *testing.T) {
	h := newHarness(t)
	var received atomic.Int64
	body := readFixture(t, "messages_nonstream_1.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Anthropic-Ratelimit-Requests-Limit", "50")
		w.Header().Set("Anthropic-Ratelimit-Input-Tokens-Limit", "40000")
		if received.Add(1) == 1 {
			w.Header().Set("Anthropic-Ratelimit-Requests-Remaining", "0")
			w.Header().Set("Anthropic-Ratelimit-Input-Tokens-Remaining", "0")
			w.Header().Set("Retry-After-Ms", "5")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}`)
			return
		}
		w.Header().Set("Anthropic-Ratelimit-Requests-Remaining", "49")
		w.Header().Set("Anthropic-Ratelimit-Input-Tokens-Remaining", "39486")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	client := anthropic.NewClient(anthropicoption.WithoutEnvironmentDefaults(), anthropicoption.WithBaseURL(srv.URL),
		anthropicoption.WithHTTPClient(h.client), anthropicoption.WithAPIKey(anthropicKey))
	_, err := client.Messages.New(h.ctx, anthropic.MessageNewParams{Model: "claude-3-7-sonnet-20250219", MaxTokens: 1024,
		Messages: []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("weather?"))}})
	require.NoError(t, err)

	spans := h.spans.Ended()
	require.Len(t, spans, 2)
	first, second := attrsOf(spans[0]), attrsOf(spans[1])
	// The SDK closes the 429's body unread before it retries: the status
	// is the error type.
	assert.Equal(t, "429", first[semconv.ErrorTypeKey].AsString())
	assert.EqualValues(t, 0, first["otelllm.ratelimit.input_tokens.remaining"].AsInt64())
	assert.EqualValues(t, 1, second[semconv.HTTPRequestResendCountKey].AsInt64())
	assert.EqualValues(t, 39486, second["otelllm.ratelimit.input_tokens.remaining"].AsInt64())
	assert.EqualValues(t, 50, second["otelllm.ratelimit.requests.limit"].AsInt64())
	u := h.tracker.Usage()
	assert.EqualValues(t, 2, u.Requests)
	assert.EqualValues(t, 1, u.Retries)
	assert.EqualValues(t, 1, u.Calls())
}

func newRetryingBedrockClient(hc *http.Client, baseURL string) *bedrockruntime.Client {
	return bedrockruntime.NewFromConfig(aws.Config{
		Region:      awsRegion,
		Credentials: credentials.NewStaticCredentialsProvider(awsKeyID, awsSecret, ""),
		HTTPClient:  hc,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) {
				o.MaxAttempts = 3
				o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			})
		},
	}, func(o *bedrockruntime.Options) { o.BaseEndpoint = aws.String(baseURL) })
}

// The AWS SDK numbers its attempts in amz-sdk-request; it does not retry a
// call a budget refused (BudgetError.RetryableError).
func TestBedrockRetriesAndRefusals(t *testing.T) {
	h := newHarness(t)
	var received atomic.Int64
	body := readFixture(t, "bedrock_converse_cache_synthetic.json")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		if received.Add(1) == 1 {
			w.Header().Set("X-Amzn-Errortype", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/")
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"message":"Too many requests, please wait before trying again."}`)
			return
		}
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	client := newRetryingBedrockClient(h.client, srv.URL)
	converse := func(ctx context.Context) error {
		_, err := client.Converse(ctx, &bedrockruntime.ConverseInput{
			ModelId:  aws.String("anthropic.claude-3-7-sonnet-20250219-v1:0"),
			Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: "test"}}}},
		})
		return err
	}
	require.NoError(t, converse(h.ctx))
	spans := h.spans.Ended()
	require.Len(t, spans, 2)
	assert.Equal(t, "ThrottlingException", attrsOf(spans[0])[semconv.ErrorTypeKey].AsString())
	assert.EqualValues(t, 1, attrsOf(spans[1])[semconv.HTTPRequestResendCountKey].AsInt64())
	u := h.tracker.Usage()
	assert.EqualValues(t, 2, u.Requests)
	assert.EqualValues(t, 1, u.Retries)

	ctx, tr := otelllm.Track(h.ctx, otelllm.WithRequestLimit(0))
	err := converse(ctx)
	require.ErrorIs(t, err, otelllm.ErrBudgetExceeded)
	var be *otelllm.BudgetError
	require.True(t, errors.As(err, &be))
	assert.EqualValues(t, 2, received.Load(), "nothing sent")
	assert.Len(t, rejected(h.spans.Ended()), 1, "the AWS SDK did not retry the refused call")
	assert.EqualValues(t, 1, tr.Usage().RejectedRequests)
	assert.Zero(t, tr.Usage().RejectedRetries)
}

// 64 openai-go calls racing a cost limit: each goroutine calls until it is
// refused; the total ends within the documented bound (under the limit plus
// what 64 calls in flight can use), and with WithReservation under the
// limit itself.
func TestOpenAIGoConcurrentCallsRacingACostLimit(t *testing.T) {
	const workers = 64
	for _, reserve := range []bool{false, true} {
		t.Run(fmt.Sprintf("reservation=%v", reserve), func(t *testing.T) {
			h := newHarness(t)
			srv := newAgentServer(t)
			client := newOpenAIClient(h.client, srv.URL)
			perCall := 100*0.15e-6 + 20*0.6e-6 // gpt-4o-mini in the embedded table
			// Between two multiples of a call's cost, so that float sums
			// of the calls' costs fall clearly on one side of it.
			limit := 40.5 * perCall
			opts := []otelllm.TrackOption{otelllm.WithCostLimit(limit)}
			if reserve {
				opts = append(opts, otelllm.WithReservation())
			}
			ctx, tr := otelllm.Track(h.ctx, opts...)
			var wg sync.WaitGroup
			errs := make([]error, workers)
			for i := range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						_, err := client.Chat.Completions.New(ctx, openai.ChatCompletionNewParams{
							Model: "gpt-4o-mini", MaxCompletionTokens: openai.Int(50),
							Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Hi")},
						})
						if err != nil {
							errs[i] = err
							return
						}
					}
				}()
			}
			wg.Wait()
			for _, err := range errs {
				require.ErrorIs(t, err, otelllm.ErrBudgetExceeded)
			}
			u := tr.Usage()
			assert.InDelta(t, float64(u.Requests)*perCall, u.CostUSD, 1e-12, "every call sent was counted")
			assert.EqualValues(t, srv.received.Load(), u.Requests)
			assert.EqualValues(t, workers, u.RejectedRequests)
			if reserve {
				assert.LessOrEqual(t, u.CostUSD, limit, "never overshot")
			} else {
				assert.GreaterOrEqual(t, u.CostUSD, limit-1e-12)
				assert.Less(t, u.CostUSD, limit+workers*perCall, "within the documented bound")
			}
		})
	}
}
