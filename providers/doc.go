// Package providers defines the contract between the otelllm transport and the
// packages that understand one provider's wire format each (providers/openai,
// providers/anthropic, ...).
//
// A [Provider] recognises a request from its method, URL and headers alone and
// returns a [Call]. The transport gives the Call the request body (when it is
// small enough to read without harm), then the response headers, and then shows
// its [Observer] every byte the application reads from the response body, in
// order, at whatever split points the application's reads produce. When the body
// ends (EOF, read error, Close, cancellation) the Observer reports a [Response].
// The response headers' facts (Retry-After for every provider; the provider's own
// rate-limit headers, read by a [HeaderReader] dialect) are in it too.
//
// Everything here is plain values: this package and the provider packages import
// no OpenTelemetry. One place, package otelllm, turns these values into spans,
// metrics, cost and tracker totals.
//
// The rules every provider keeps:
//   - Never change, retain or block the bytes it is shown; never panic (the
//     transport recovers, but a recovered panic turns observation off).
//   - Token counts are billing data: a count the provider did not report is left
//     unset in [Usage.Reported], never guessed as zero.
//   - [Usage.InputTokens] includes cached input (reads and writes) and
//     [Usage.OutputTokens] includes reasoning tokens, whatever the provider's own
//     convention, so that cost and totals are computed one way for all.
//   - Memory stays bounded whatever the body size; per-chunk work on a stream
//     should not allocate.
//   - Message content is parsed only when the transport asks a
//     [ContentCapturer] to (the application opted in): its request's
//     content goes in [Request.Content], the answer in [Response.Output],
//     a stream's reassembled with an [Assembler], every value cut to the
//     limit; binary data is kept by type and size only. Capture changes
//     nothing else a Call reports.
package providers
