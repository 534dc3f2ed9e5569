package pricing

import _ "embed"

//go:generate go run ./internal/gen -in upstream/model_prices_and_context_window.json -out prices.json

// embeddedPrices is the table Default serves: the upstream LiteLLM file cut
// down to the providers, modes and fields this package uses, regenerated with
// go generate whenever Version moves.
//
//go:embed prices.json
var embeddedPrices []byte
