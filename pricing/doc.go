// Package pricing prices LLM calls: an embedded, versioned table of per-token
// prices, the lookup of a model in it, and the cost of a call's token usage.
//
// # The table
//
// Default returns the table embedded in the package (prices.json), generated
// from the community price list LiteLLM maintains
// (model_prices_and_context_window.json) as published on Version. It keeps
// only what prices tokens of chat, completion, embedding and responses calls
// to the providers otelllm observes, so programs carry about 250 KB rather
// than 1.5 MB and never read a file at run time. The embedded file is still
// LiteLLM-format JSON, and the same loader reads it and users' files: Load,
// LoadFile and FromEnv ($OTELLLM_PRICES_FILE) take a user's own copy of the
// full upstream file, or a hand-written one, and Extend lays it over the
// embedded table. WithPrice adds a single price, for fine-tuned or
// self-hosted models. Tables are immutable and safe for concurrent use.
//
// To refresh the embedded table, put the new upstream file in upstream/, run
// go generate in this directory and update Version; a test fails until the
// generated file matches its source.
//
// # Lookup
//
// Table.Lookup takes the OpenTelemetry gen_ai.provider.name of the call and
// the model names the call reported, response model first. Providers name
// models in ways the table does not (Bedrock ARNs and cross-region profiles,
// Vertex @versions, Gemini models/ paths, dated snapshots, Ollama tags), so
// Lookup tries normalised forms from the most to the least exact, preferring
// entries priced for the call's provider; it returns the key it matched so
// that spans can say which price was used. It never guesses: a model the
// table does not know is not found, and the caller records no cost rather
// than a cost of zero.
//
// # Cost
//
// Price.Cost applies the providers' billing rules to a usage: cached input
// at the cache read or cache write price, one-hour cache writes (Anthropic's
// extended cache lifetime) at their own price where the model has one,
// reasoning at its own price where the model has one, and the long-context
// tier to the whole call once its input exceeds 200,000 tokens.
// Price.ForServiceTier gives the prices of the flex and priority service
// tiers (OpenAI, Gemini) where the table has them; the transport applies the
// tier the response says served the call. Web searches a provider runs for a
// call are priced per search (search_context_cost_per_query) at the context
// size the request asked for. Tokens counts totals that include their
// parts (Input includes cached tokens; Output includes reasoning tokens),
// whatever each provider's wire format does.
//
// Some prices in the upstream file are left out, and the cost is then that of
// the standard text tier: long-context tiers other than 200k (128k, 272k),
// the batch tier (batch calls do not go through this transport), audio and
// image tokens priced apart from text, and charges that are neither per
// token nor per search (images, seconds, tool calls). Models priced only in
// those ways are not in the table at all, so they are not found rather than
// priced wrong.
package pricing
