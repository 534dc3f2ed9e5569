// Command gen writes the price table that package pricing embeds.
//
// It reads the upstream LiteLLM model_prices_and_context_window.json and keeps
// the entries and fields package pricing can use (see litellm.Generate), so the
// library ships a small table and never needs the upstream file at run time.
// Package pricing runs it through go generate:
//
//	go run ./internal/gen -in upstream/model_prices_and_context_window.json -out prices.json
//
// After regenerating from a newer upstream file, update pricing.Version to the
// file's date; the package tests check that the two agree.
package main
