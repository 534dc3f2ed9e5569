// Package sdk holds the compatibility tests of otelllm with the provider
// SDKs people actually use: openai-go, sashabaranov/go-openai,
// anthropic-sdk-go, aws-sdk-go-v2's bedrockruntime, google.golang.org/genai
// and langchaingo.
//
// It is a module of its own so that the library's go.mod never depends on a
// provider SDK. Each test runs an SDK twice against an httptest server that
// replays recorded API payloads (testdata/): once with a bare *http.Client
// and once with otelllm.WrapClient's client, given to the SDK through its own
// HTTP-client option. The SDK must see exactly the same result both times
// and the server must receive the same request bodies, which proves the
// transport transparent; the wrapped run must then yield the right spans,
// metrics and tracker totals. The wrapped clients use the default providers,
// so the tests also prove that the defaults recognise every SDK's calls.
//
// The package has no code of its own: everything is in its tests.
package sdk
