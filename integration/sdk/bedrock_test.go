package sdk

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/semconv"
)

const awsRegion = "us-east-1"

func newBedrockClient(hc *http.Client, baseURL string) *bedrockruntime.Client {
	return bedrockruntime.NewFromConfig(aws.Config{
		Region:           awsRegion,
		Credentials:      credentials.NewStaticCredentialsProvider(awsKeyID, awsSecret, ""),
		HTTPClient:       hc,
		RetryMaxAttempts: 1,
	}, func(o *bedrockruntime.Options) {
		o.BaseEndpoint = aws.String(baseURL)
	})
}

// newBedrockServer is a fixture server that checks every request's SigV4
// signature against the body it received: a body changed on the way, or a
// header the signature covers, fails the test.
func newBedrockServer(t *testing.T, routes map[string]reply) *fixtureServer {
	srv := newFixtureServer(t, routes)
	srv.verify = verifySigV4
	return srv
}

// verifySigV4 recomputes the request's SigV4 signature from what the server
// received (the signed headers, the path, the SHA-256 of the body) with the
// static test credentials, and compares it with the Authorization header.
func verifySigV4(r *http.Request, body []byte) error {
	auth := r.Header.Get("Authorization")
	const algorithm = "AWS4-HMAC-SHA256 "
	if !strings.HasPrefix(auth, algorithm) {
		return fmt.Errorf("no SigV4 Authorization header: %q", auth)
	}
	if len(body) == 0 {
		return errors.New("empty request body")
	}
	fields := map[string]string{}
	for f := range strings.SplitSeq(strings.TrimPrefix(auth, algorithm), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), "=")
		fields[k] = v
	}
	scope := strings.Split(fields["Credential"], "/") // AKID/date/region/service/aws4_request
	if len(scope) != 5 || scope[0] != awsKeyID || scope[2] != awsRegion || scope[3] != "bedrock" {
		return fmt.Errorf("unexpected credential scope %q", fields["Credential"])
	}
	signingTime, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return fmt.Errorf("X-Amz-Date: %w", err)
	}
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	if h := r.Header.Get("X-Amz-Content-Sha256"); h != "" && h != payloadHash {
		return fmt.Errorf("X-Amz-Content-Sha256 %s is not the SHA-256 of the body received (%s)", h, payloadHash)
	}

	// Rebuild the request with only the headers the client signed, and sign
	// it again: the signer then covers exactly the same headers.
	u := &url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	resigned, err := http.NewRequest(r.Method, u.String(), nil)
	if err != nil {
		return err
	}
	resigned.Host = r.Host
	for h := range strings.SplitSeq(fields["SignedHeaders"], ";") {
		switch h {
		case "host", "x-amz-date":
		case "content-length":
			resigned.ContentLength = r.ContentLength
		default:
			resigned.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	creds := aws.Credentials{AccessKeyID: awsKeyID, SecretAccessKey: awsSecret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, resigned, payloadHash, "bedrock", awsRegion, signingTime); err != nil {
		return err
	}
	if got := resigned.Header.Get("Authorization"); got != auth {
		return fmt.Errorf("SigV4 signature does not match the request received:\n sent:       %s\n recomputed: %s", auth, got)
	}
	return nil
}

func bedrockMessages(text string) []types.Message {
	return []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: text}}}}
}

type bedrockUsage struct{ Input, Output, Total, CacheRead, CacheWrite int32 }

func fromTokenUsage(u *types.TokenUsage) bedrockUsage {
	if u == nil {
		return bedrockUsage{}
	}
	return bedrockUsage{
		aws.ToInt32(u.InputTokens), aws.ToInt32(u.OutputTokens), aws.ToInt32(u.TotalTokens),
		aws.ToInt32(u.CacheReadInputTokens), aws.ToInt32(u.CacheWriteInputTokens),
	}
}

func requestID(md middleware.Metadata) string {
	id, _ := awsmiddleware.GetRequestIDMetadata(md)
	return id
}

func TestBedrockConverse(t *testing.T) {
	for _, tc := range []struct {
		name, file, model, requestID string
		wantText                     string
		wantUsage                    bedrockUsage
		usage                        wantUsage
	}{
		{
			name: "recorded titan", file: "converse_nonstream_titan_recorded.json", model: "amazon.titan-text-lite-v1",
			requestID: "180bdcbc-0fea-4b99-a0f0-b858dd830a83", wantText: "Hi, how can I help you",
			wantUsage: bedrockUsage{Input: 8, Output: 10, Total: 18},
			usage:     wantUsage{input: 8, output: 10, total: 18, source: "response_body"},
		},
		{
			// Bedrock's inputTokens excludes the cache: the span's input adds it.
			name: "cache read and write", file: "bedrock_converse_cache_synthetic.json", model: "anthropic.claude-3-7-sonnet-20250219-v1:0",
			requestID: "5a3c9e4e-cache-converse", wantText: "Certainly! If this is a test, here",
			wantUsage: bedrockUsage{Input: 4, Output: 10, Total: 3227, CacheRead: 2701, CacheWrite: 512},
			usage:     wantUsage{input: 4 + 2701 + 512, output: 10, total: 3227, cacheRead: 2701, cacheCreation: 512, source: "response_body"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			srv := newBedrockServer(t, map[string]reply{"POST /model/{model}/converse": {
				file: tc.file, contentType: "application/json", header: map[string]string{"x-amzn-RequestId": tc.requestID},
			}})
			type result struct {
				RequestID, Text, StopReason string
				Usage                       bedrockUsage
			}
			got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
				out, err := newBedrockClient(hc, srv.URL).Converse(ctx, &bedrockruntime.ConverseInput{
					ModelId:         aws.String(tc.model),
					Messages:        bedrockMessages("Say this is a test"),
					InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(10), Temperature: aws.Float32(0.5)},
				})
				if err != nil {
					return result{}, err
				}
				text := out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value
				return result{requestID(out.ResultMetadata), text, string(out.StopReason), fromTokenUsage(out.Usage)}, nil
			})
			assert.Equal(t, result{tc.requestID, tc.wantText, "max_tokens", tc.wantUsage}, got)
			assert.Equal(t, "/model/"+strings.ReplaceAll(tc.model, ":", "%3A")+"/converse", reqs[0].path)

			h.check(t, []string{awsSecret}, wantCall{
				provider: providers.ProviderAWSBedrock, operation: "chat", requestModel: tc.model, responseModel: tc.model,
				responseID: tc.requestID, finishReasons: []string{"max_tokens"}, usage: tc.usage,
			})
			a := attrsOf(h.spans.Ended()[0])
			assert.Equal(t, int64(10), a[semconv.GenAIRequestMaxTokensKey].AsInt64())
			assert.Equal(t, 0.5, a[semconv.GenAIRequestTemperatureKey].AsFloat64())
		})
	}
}

func TestBedrockConverseStream(t *testing.T) {
	h := newHarness(t)
	const model, reqID = "amazon.titan-text-lite-v1", "3f5d2b0e-1c7a-4d47-9a51-converse-stream"
	srv := newBedrockServer(t, map[string]reply{"POST /model/{model}/converse-stream": {
		file: "converse_stream_titan_recorded.bin", contentType: "application/vnd.amazon.eventstream",
		header: map[string]string{"x-amzn-RequestId": reqID},
	}})

	type result struct {
		Events           map[string]int
		Text, StopReason string
		Usage            bedrockUsage
		LatencyMs        int64
	}
	got, _ := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
		out, err := newBedrockClient(hc, srv.URL).ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{
			ModelId:  aws.String(model),
			Messages: bedrockMessages("Say this is a test"),
		})
		if err != nil {
			return result{}, err
		}
		stream := out.GetStream()
		defer stream.Close()
		r := result{Events: map[string]int{}}
		for ev := range stream.Events() {
			r.Events[fmt.Sprintf("%T", ev)]++
			switch v := ev.(type) {
			case *types.ConverseStreamOutputMemberContentBlockDelta:
				if d, ok := v.Value.Delta.(*types.ContentBlockDeltaMemberText); ok {
					r.Text += d.Value
				}
			case *types.ConverseStreamOutputMemberMessageStop:
				r.StopReason = string(v.Value.StopReason)
			case *types.ConverseStreamOutputMemberMetadata:
				r.Usage = fromTokenUsage(v.Value.Usage)
				r.LatencyMs = aws.ToInt64(v.Value.Metrics.LatencyMs)
			}
		}
		return r, stream.Err()
	})
	assert.Equal(t, result{
		Events: map[string]int{
			"*types.ConverseStreamOutputMemberMessageStart":      1,
			"*types.ConverseStreamOutputMemberContentBlockDelta": 1,
			"*types.ConverseStreamOutputMemberContentBlockStop":  1,
			"*types.ConverseStreamOutputMemberMessageStop":       1,
			"*types.ConverseStreamOutputMemberMetadata":          1,
		},
		Text: "I am here and ready to assist", StopReason: "max_tokens",
		Usage: bedrockUsage{Input: 8, Output: 10, Total: 18}, LatencyMs: 605,
	}, got)

	h.check(t, []string{awsSecret}, wantCall{
		provider: providers.ProviderAWSBedrock, operation: "chat", requestModel: model, responseModel: model,
		responseID: reqID, finishReasons: []string{"max_tokens"}, stream: true,
		usage: wantUsage{input: 8, output: 10, total: 18, source: "stream"},
	})
}

func TestBedrockInvokeModel(t *testing.T) {
	for _, tc := range []struct {
		name, file, model, requestID string
		body                         string
		headers                      map[string]string
		wantText                     string
		usage                        wantUsage
		finish                       string
		// responseModel and responseID are what Claude's body names
		// itself by; "" for the families whose bodies name neither
		// (the path's model id and the request id stand for them).
		responseModel, responseID string
	}{
		{
			name: "recorded claude", file: "invoke_model_claude_recorded.json", model: "anthropic.claude-v2:1",
			requestID:     "173e5b06-61f1-4368-9926-0a3369f721eb",
			body:          `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"Say this is a test"}]}`,
			headers:       map[string]string{"X-Amzn-Bedrock-Input-Token-Count": "14", "X-Amzn-Bedrock-Output-Token-Count": "10", "X-Amzn-Bedrock-Invocation-Latency": "1131"},
			wantText:      `Okay, I said \"This is a test\"`,
			usage:         wantUsage{input: 14, output: 10, source: "response_body"},
			finish:        "max_tokens",
			responseModel: "claude-2.0", responseID: "msg_bdrk_01NCxHHwwdtMc7wioSxo2wBC",
		},
		{
			name: "recorded nova", file: "invoke_model_nova_recorded.json", model: "amazon.nova-micro-v1:0",
			requestID: "7e0027c0-ef54-4918-8cef-4c84a35594ab",
			body:      `{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}],"inferenceConfig":{"max_new_tokens":10}}`,
			headers:   map[string]string{"X-Amzn-Bedrock-Input-Token-Count": "5", "X-Amzn-Bedrock-Output-Token-Count": "10", "X-Amzn-Bedrock-Invocation-Latency": "186"},
			wantText:  `Certainly, here's a test:`,
			// Without cache counts in the body, the headers' counts are used.
			usage:  wantUsage{input: 5, output: 10, source: "response_headers"},
			finish: "max_tokens",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			headers := map[string]string{"x-amzn-RequestId": tc.requestID}
			for k, v := range tc.headers {
				headers[k] = v
			}
			srv := newBedrockServer(t, map[string]reply{"POST /model/{model}/invoke": {file: tc.file, contentType: "application/json", header: headers}})

			type result struct {
				RequestID, ContentType, Body string
			}
			got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
				out, err := newBedrockClient(hc, srv.URL).InvokeModel(ctx, &bedrockruntime.InvokeModelInput{
					ModelId:     aws.String(tc.model),
					ContentType: aws.String("application/json"),
					Accept:      aws.String("application/json"),
					Body:        []byte(tc.body),
				})
				if err != nil {
					return result{}, err
				}
				return result{requestID(out.ResultMetadata), aws.ToString(out.ContentType), string(out.Body)}, nil
			})
			assert.Equal(t, string(readFixture(t, tc.file)), got.Body, "the SDK got the body byte for byte")
			assert.Equal(t, tc.requestID, got.RequestID)
			assert.Contains(t, got.Body, tc.wantText)
			assert.Equal(t, tc.body, string(reqs[0].body), "the server got the body byte for byte")
			assert.Equal(t, "/model/"+strings.ReplaceAll(tc.model, ":", "%3A")+"/invoke", reqs[0].path)

			w := wantCall{
				provider: providers.ProviderAWSBedrock, operation: "chat", requestModel: tc.model, responseModel: cmp.Or(tc.responseModel, tc.model),
				responseID: cmp.Or(tc.responseID, tc.requestID), finishReasons: []string{tc.finish}, usage: tc.usage,
			}
			h.check(t, []string{awsSecret}, w)
			assert.Equal(t, tc.requestID, attrsOf(h.spans.Ended()[0])[semconv.AWSRequestIDKey].AsString(), "aws.request_id")
		})
	}
}

func TestBedrockInvokeModelWithResponseStream(t *testing.T) {
	for _, tc := range []struct {
		name, file, model, body string
		chunks                  int
		text                    string
		usage                   wantUsage
		// responseModel and responseID: what message_start names, as
		// for InvokeModel.
		responseModel, responseID string
	}{
		{
			name: "recorded claude", file: "invoke_with_response_stream_claude_recorded.bin", model: "anthropic.claude-v2:1",
			body:   `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"Say this is a test"}]}`,
			chunks: 15, text: "Okay, I will repeat: This is a test",
			usage:         wantUsage{input: 14, output: 10, source: "stream"},
			responseModel: "claude-2.0", responseID: "msg_bdrk_01Wh9w6Tv2opkib67YP3L9B6",
		},
		{
			name: "recorded nova", file: "invoke_with_response_stream_nova_recorded.bin", model: "amazon.nova-micro-v1:0",
			body:   `{"messages":[{"role":"user","content":[{"text":"Say this is a test"}]}],"inferenceConfig":{"max_new_tokens":10}}`,
			chunks: 23, text: "It sounds like you're initiating a message or",
			usage: wantUsage{input: 5, output: 10, source: "stream"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			const reqID = "9c1e7f52-invoke-stream"
			srv := newBedrockServer(t, map[string]reply{"POST /model/{model}/invoke-with-response-stream": {
				file: tc.file, contentType: "application/vnd.amazon.eventstream", header: map[string]string{"x-amzn-RequestId": reqID},
			}})

			type result struct {
				Chunks   int
				Text     string
				Payloads []string
			}
			got, reqs := sameAsBare(t, h, srv, func(ctx context.Context, hc *http.Client) (result, error) {
				out, err := newBedrockClient(hc, srv.URL).InvokeModelWithResponseStream(ctx, &bedrockruntime.InvokeModelWithResponseStreamInput{
					ModelId:     aws.String(tc.model),
					ContentType: aws.String("application/json"),
					Body:        []byte(tc.body),
				})
				if err != nil {
					return result{}, err
				}
				stream := out.GetStream()
				defer stream.Close()
				var r result
				for ev := range stream.Events() {
					chunk, ok := ev.(*types.ResponseStreamMemberChunk)
					if !ok {
						return r, fmt.Errorf("unexpected event %T", ev)
					}
					r.Chunks++
					r.Payloads = append(r.Payloads, string(chunk.Value.Bytes))
					r.Text += chunkText(t, chunk.Value.Bytes)
				}
				return r, stream.Err()
			})
			assert.Equal(t, tc.chunks, got.Chunks, "every event decoded")
			assert.Equal(t, tc.text, got.Text)
			assert.Contains(t, got.Payloads[len(got.Payloads)-1], "amazon-bedrock-invocationMetrics")
			assert.Equal(t, tc.body, string(reqs[0].body))

			h.check(t, []string{awsSecret}, wantCall{
				provider: providers.ProviderAWSBedrock, operation: "chat", requestModel: tc.model, responseModel: cmp.Or(tc.responseModel, tc.model),
				responseID: cmp.Or(tc.responseID, reqID), finishReasons: []string{"max_tokens"}, stream: true, usage: tc.usage,
			})
			assert.Equal(t, reqID, attrsOf(h.spans.Ended()[0])[semconv.AWSRequestIDKey].AsString(), "aws.request_id")
		})
	}
}

// chunkText is the text of one model-native stream chunk: an Anthropic
// content_block_delta or a Nova contentBlockDelta.
func chunkText(t *testing.T, payload []byte) string {
	var v struct {
		Type  string `json:"type"`
		Delta struct {
			Text string `json:"text"`
		} `json:"delta"`
		ContentBlockDelta *struct {
			Delta struct {
				Text string `json:"text"`
			} `json:"delta"`
		} `json:"contentBlockDelta"`
	}
	require.NoError(t, json.Unmarshal(payload, &v), "chunk %s", payload)
	if v.Type == "content_block_delta" {
		return v.Delta.Text
	}
	if v.ContentBlockDelta != nil {
		return v.ContentBlockDelta.Delta.Text
	}
	return ""
}

// TestVerifySigV4 proves the server's check able to fail: a body changed
// after signing, or a signed header changed, no longer verifies.
func TestVerifySigV4(t *testing.T) {
	body := []byte(`{"messages":[]}`)
	sign := func() *http.Request {
		r, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:1234/model/amazon.nova-micro-v1%3A0/converse", nil)
		require.NoError(t, err)
		r.Header.Set("Content-Type", "application/json")
		r.ContentLength = int64(len(body))
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: awsKeyID, SecretAccessKey: awsSecret}
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "bedrock", awsRegion, time.Now()))
		return r
	}
	require.NoError(t, verifySigV4(sign(), body))
	assert.Error(t, verifySigV4(sign(), []byte(`{"messages":[1]}`)), "changed body")
	r := sign()
	r.Header.Set("Content-Type", "text/plain")
	assert.Error(t, verifySigV4(r, body), "changed signed header")
	r = sign()
	r.Header.Del("Authorization")
	assert.Error(t, verifySigV4(r, body), "unsigned request")
}
