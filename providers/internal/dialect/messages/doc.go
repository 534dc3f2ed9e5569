// Package messages reads the Anthropic Messages wire format, which reaches
// the transport three ways: first-party (api.anthropic.com/v1/messages),
// Claude on Vertex AI (:rawPredict / :streamRawPredict) and Claude on Bedrock
// (InvokeModel and InvokeModelWithResponseStream, whose bodies and decoded
// stream chunks are Anthropic Messages). providers/anthropic and
// providers/bedrock share it so that the three are read and normalised one
// way.
//
// Anthropic's usage.input_tokens excludes the prompt cache; [Counts.Usage]
// normalises it to the project's convention, where InputTokens is
// input_tokens + cache_creation_input_tokens + cache_read_input_tokens.
// Stream usage is cumulative: message_delta.usage overwrites, field by field,
// what message_start.message.usage said; nothing is ever added up.
package messages
