package semconv

// Instrument describes one metric instrument this project records.
type Instrument struct {
	Name        string
	Unit        string
	Description string
	// Buckets is the explicit bucket advice for histograms, nil otherwise.
	Buckets []float64
}

// The semantic-convention histograms, with their bucket advice. Each call
// returns a fresh value: nothing here can be changed from outside.

// ClientTokenUsage is gen_ai.client.token.usage.
func ClientTokenUsage() Instrument {
	return Instrument{
		Name:        "gen_ai.client.token.usage",
		Unit:        "{token}",
		Description: "Number of input and output tokens used.",
		Buckets:     []float64{1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864},
	}
}

// ClientOperationDuration is gen_ai.client.operation.duration.
func ClientOperationDuration() Instrument {
	return Instrument{
		Name:        "gen_ai.client.operation.duration",
		Unit:        "s",
		Description: "GenAI operation duration.",
		Buckets:     []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92},
	}
}

// ClientTimeToFirstChunk is gen_ai.client.operation.time_to_first_chunk.
func ClientTimeToFirstChunk() Instrument {
	return Instrument{
		Name:        "gen_ai.client.operation.time_to_first_chunk",
		Unit:        "s",
		Description: "Time to receive the first chunk, measured from when the client issues the generation request to when the first chunk is received in the response stream.",
		Buckets:     []float64{0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92},
	}
}

// ClientTimePerOutputChunk is gen_ai.client.operation.time_per_output_chunk.
func ClientTimePerOutputChunk() Instrument {
	return Instrument{
		Name:        "gen_ai.client.operation.time_per_output_chunk",
		Unit:        "s",
		Description: "Time per output chunk, recorded for each chunk received after the first one, measured as the time elapsed from the end of the previous chunk to the end of the current chunk.",
		Buckets:     []float64{0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5},
	}
}

// This project's monotonic counters. A token type the provider reported as
// 0 (no cached input, say) creates its otelllm.client.token.count series
// with a 0, once per series and transport; later zeros, which leave the sum
// unchanged, are not recorded again.

// ClientTokenCount is otelllm.client.token.count.
func ClientTokenCount() Instrument {
	return Instrument{
		Name:        "otelllm.client.token.count",
		Unit:        "{token}",
		Description: "Tokens used, by otelllm.token.type (input, output, cache_read, cache_creation, reasoning). Input includes cached input; output includes reasoning.",
	}
}

// ClientCost is otelllm.client.cost.
func ClientCost() Instrument {
	return Instrument{
		Name:        "otelllm.client.cost",
		Unit:        "USD",
		Description: "Cost of GenAI calls in US dollars, from the price table; unpriced calls add nothing.",
	}
}

// ClientRequests is otelllm.client.requests.
func ClientRequests() Instrument {
	return Instrument{
		Name:        "otelllm.client.requests",
		Unit:        "{request}",
		Description: "GenAI calls made, with error.type set on failed ones.",
	}
}

// Histograms lists the semantic-convention histograms, for views that keep
// their bucket advice.
func Histograms() []Instrument {
	return []Instrument{ClientTokenUsage(), ClientOperationDuration(), ClientTimeToFirstChunk(), ClientTimePerOutputChunk()}
}
