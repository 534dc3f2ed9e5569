package otelllm_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"go.opentelemetry.io/otel/attribute"

	"github.com/otelllm/otelllm/fakellm"
	"github.com/otelllm/otelllm/otelllm"
)

// Stop an agent once it has spent its budget: the call that would go over
// is not sent, and the SDK gets an error that says why.
func ExampleWithCostLimit() {
	fake := fakellm.NewServer()
	defer fake.Close()
	client := otelllm.WrapClient(nil)

	ctx, tracker := otelllm.Track(context.Background(), otelllm.WithCostLimit(0.00001))
	for step := 1; ; step++ {
		if err := tracker.Err(); err != nil { // stop before the call, and before an SDK's retries of it
			fmt.Println("stopped before step", step, "by", err)
			break
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fake.OpenAIBaseURL()+"/chat/completions",
			strings.NewReader(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"How much does a hummingbird weigh?"}]}`))
		resp, err := client.Do(req)
		if errors.Is(err, otelllm.ErrBudgetExceeded) {
			fmt.Println("refused:", err)
			break
		}
		if err != nil {
			panic(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	u := tracker.Usage()
	fmt.Printf("%d calls sent, $%.7f\n", u.Requests, u.CostUSD)
	// Output:
	// stopped before step 3 by otelllm: budget exceeded: cost limit of $0.00001 reached ($0.0000171 used)
	// 2 calls sent, $0.0000171
}

// Attribute calls to a tenant and a feature; keep the tenant on the metrics.
func ExampleContextWithAttributes() {
	fake := fakellm.NewServer()
	defer fake.Close()
	client := otelllm.WrapClient(nil,
		otelllm.WithContextMetricKeys("app.tenant"), // a key with few values; app.feature stays on spans only
		otelllm.WithCallback(func(_ context.Context, r otelllm.CallRecord) {
			for _, kv := range r.Attributes {
				fmt.Printf("%s=%s ", kv.Key, kv.Value.Emit())
			}
			fmt.Println()
		}))
	ctx := otelllm.ContextWithAttributes(context.Background(),
		attribute.String("app.tenant", "acme"), attribute.String("app.feature", "search"))
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, fake.OpenAIBaseURL()+"/chat/completions",
		strings.NewReader(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}`))
	resp, err := client.Do(req)
	if err != nil {
		panic(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	// Output: app.feature=search app.tenant=acme
}
