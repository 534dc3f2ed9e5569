// Package litellm reads and writes the LiteLLM price-table format
// (model_prices_and_context_window.json) for package pricing and for its
// generator.
//
// Both need the same rules, which is why they live here: the generator must
// keep exactly the entries and fields the loader can use, and the loader must
// read the generated file and a user's full LiteLLM file alike. The format is a
// JSON object mapping a model key (gpt-4o, azure/gpt-4o, ...) to an object of
// facts about it; only the per-token prices, the provider and the mode matter
// here, and everything else is ignored.
//
// Decode is strict about what it keeps (a price that is not a number is an
// error naming the entry and field) and lenient about what it skips (entries
// of other modes, non-object values such as last_updated, unknown fields), so a
// user can point the library at the full upstream file.
package litellm
