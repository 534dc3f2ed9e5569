package fakellm_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// A test of an application's token accounting: the fake stands in for
// OpenAI and reports the usage the test chose, so the test can assert exact
// totals. With an SDK, give it fake.OpenAIBaseURL() as its base URL.
func Example() {
	fake := fakellm.NewServer(fakellm.Options{
		Usage: fakellm.FixedUsage(fakellm.Usage{InputTokens: 1200, OutputTokens: 80, CacheReadTokens: 1024}),
	})
	defer fake.Close()

	client := otelllm.WrapClient(nil)
	ctx, tracker := otelllm.Track(context.Background())
	for range 2 {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fake.OpenAIBaseURL()+"/chat/completions",
			strings.NewReader(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`))
		resp, err := client.Do(req)
		if err != nil {
			panic(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	u := tracker.Usage()
	fmt.Printf("%d calls: %d input (%d cached) + %d output tokens\n", u.SuccessfulRequests, u.InputTokens, u.CacheReadInputTokens, u.OutputTokens)
	// Output: 2 calls: 2400 input (2048 cached) + 160 output tokens
}

// Rate limit the first call and let the retry through, as a test of a
// client's retries does. SDKs such as openai-go and anthropic-sdk-go honour
// retry-after-ms, so their retry waits only that long.
func ExampleServer_FailNext() {
	fake := fakellm.NewServer()
	defer fake.Close()
	fake.FailNext(1, fakellm.RateLimited(10*time.Millisecond))

	for attempt := 1; ; attempt++ {
		resp, err := http.Post(fake.AnthropicBaseURL()+"/v1/messages", "application/json",
			strings.NewReader(`{"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}`))
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusTooManyRequests {
			fmt.Println(attempt, resp.StatusCode)
			break
		}
		fmt.Println(attempt, resp.StatusCode, string(body))
		fmt.Println("retry-after-ms:", resp.Header.Get("retry-after-ms"),
			"requests remaining:", resp.Header.Get("anthropic-ratelimit-requests-remaining"))
		ms, _ := strconv.Atoi(resp.Header.Get("retry-after-ms"))
		time.Sleep(time.Duration(ms) * time.Millisecond)
	}
	fmt.Println(len(fake.Requests()), "requests reached the fake")
	// Output:
	// 1 429 {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed your organization's rate limit. Please try again later."},"request_id":"req_fake000001"}
	// retry-after-ms: 10 requests remaining: 0
	// 2 200
	// 2 requests reached the fake
}

// Choose the usage per model, and for one call with the Fakellm-Usage
// header; the fake counts for the models the map leaves out.
func ExampleUsageByModel() {
	fake := fakellm.NewServer(fakellm.Options{Usage: fakellm.UsageByModel(map[string]fakellm.Usage{
		"gemini-2.5-pro": {InputTokens: 5000, OutputTokens: 900, ReasoningTokens: 600},
	})})
	defer fake.Close()

	call := func(model, header string) {
		req, _ := http.NewRequest(http.MethodPost, fake.GeminiBaseURL()+"/v1beta/models/"+model+":generateContent",
			strings.NewReader(`{"contents":[{"role":"user","parts":[{"text":"Hi"}]}]}`))
		if header != "" {
			req.Header.Set(fakellm.UsageHeader, header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		usage := string(body)[strings.Index(string(body), `"usageMetadata"`):]
		fmt.Println(model+":", usage[:strings.Index(usage, `,"promptTokensDetails"`)]+"}")
	}
	call("gemini-2.5-pro", "")
	call("gemini-2.5-flash", "")
	call("gemini-2.5-flash", "input=40, output=10")
	// Output:
	// gemini-2.5-pro: "usageMetadata":{"promptTokenCount":5000,"candidatesTokenCount":300,"totalTokenCount":5900,"thoughtsTokenCount":600}
	// gemini-2.5-flash: "usageMetadata":{"promptTokenCount":5,"candidatesTokenCount":11,"totalTokenCount":16}
	// gemini-2.5-flash: "usageMetadata":{"promptTokenCount":40,"candidatesTokenCount":10,"totalTokenCount":50}
}

// Fail calls by what they ask: here every call to one model is overloaded,
// in the error shape of the API called.
func ExampleOptions_fault() {
	fake := fakellm.NewServer(fakellm.Options{Fault: func(r fakellm.Request) *fakellm.Fault {
		if r.Model == "gpt-4.1" {
			return &fakellm.Fault{Status: http.StatusServiceUnavailable}
		}
		return nil
	}})
	defer fake.Close()

	for _, model := range []string{"gpt-4.1", "gpt-4.1-mini"} {
		resp, err := http.Post(fake.OpenAIBaseURL()+"/chat/completions", "application/json",
			strings.NewReader(`{"model":"`+model+`","messages":[{"role":"user","content":"Hi"}]}`))
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			fmt.Println(model, resp.StatusCode, string(body))
			continue
		}
		fmt.Println(model, resp.StatusCode)
	}
	// Output:
	// gpt-4.1 503 {"error":{"message":"The server is overloaded or not ready yet.","type":"server_error","param":null,"code":null}}
	// gpt-4.1-mini 200
}
