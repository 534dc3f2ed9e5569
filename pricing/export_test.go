package pricing

// EmbeddedPrices exposes the embedded bytes to the black-box tests, which
// check them against their upstream source.
var EmbeddedPrices = embeddedPrices
