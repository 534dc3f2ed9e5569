package deploy_test

import (
	"fmt"

	"github.com/otelllm/otelllm/integration/deploy"
)

// The names a PromQL query uses for each instrument otelllm records, as the
// collector's prometheus exporter writes them.
func ExamplePrometheusName() {
	for _, m := range deploy.Metrics() {
		name, err := deploy.PrometheusName(m)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-46s %-10s -> %s\n", m.Instrument.Name, m.Instrument.Unit, name)
	}
	// Output:
	// gen_ai.client.token.usage                      {token}    -> gen_ai_client_token_usage
	// gen_ai.client.operation.duration               s          -> gen_ai_client_operation_duration_seconds
	// gen_ai.client.operation.time_to_first_chunk    s          -> gen_ai_client_operation_time_to_first_chunk_seconds
	// gen_ai.client.operation.time_per_output_chunk  s          -> gen_ai_client_operation_time_per_output_chunk_seconds
	// otelllm.client.token.count                     {token}    -> otelllm_client_token_count_total
	// otelllm.client.cost                            USD        -> otelllm_client_cost_USD_total
	// otelllm.client.requests                        {request}  -> otelllm_client_requests_total
}
