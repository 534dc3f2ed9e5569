package messages

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/otelllm/otelllm/providers"
)

func TestCountsOverwriteFieldByField(t *testing.T) {
	var c Counts
	c.Merge([]byte(`{"input_tokens":21,"cache_creation_input_tokens":1800,"cache_read_input_tokens":2500,"output_tokens":3}`))
	c.Merge([]byte(`{"input_tokens":null,"output_tokens":42}`)) // null is absent, not zero
	want := providers.Usage{Source: providers.SourceStream}
	want.Set(providers.InputTokens, 21+1800+2500)
	want.Set(providers.OutputTokens, 42)
	want.Set(providers.CacheReadInputTokens, 2500)
	want.Set(providers.CacheCreationInputTokens, 1800)
	assert.Equal(t, want, c.Usage(providers.SourceStream))
	assert.True(t, c.HasCache())

	var none Counts
	none.Merge([]byte(`{"server_tool_use":{"web_fetch_requests":1}}`))
	assert.False(t, none.Any())
	assert.Equal(t, providers.Usage{}, none.Usage(providers.SourceStream))

	var searches Counts // web searches are billed per search
	searches.Merge([]byte(`{"input_tokens":10,"output_tokens":5,"server_tool_use":{"web_search_requests":3}}`))
	want = providers.Usage{Source: providers.SourceResponseBody}
	want.Set(providers.InputTokens, 10)
	want.Set(providers.OutputTokens, 5)
	want.Set(providers.WebSearchRequests, 3)
	assert.Equal(t, want, searches.Usage(providers.SourceResponseBody))

	var outOnly Counts
	outOnly.Merge([]byte(`{"output_tokens":7}`))
	u := outOnly.Usage(providers.SourceResponseBody)
	assert.False(t, u.Has(providers.InputTokens), "no input_tokens, no InputTokens")
	assert.Equal(t, int64(7), u.OutputTokens)
}

// The cache_creation breakdown's one-hour part is kept beside the total
// cache writes, which include it, and is overwritten like the other counts.
func TestCountsOneHourCacheWrites(t *testing.T) {
	var c Counts
	c.Merge([]byte(`{"input_tokens":10,"cache_creation_input_tokens":1500,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":500,"ephemeral_1h_input_tokens":1000},"output_tokens":1}`))
	c.Merge([]byte(`{"output_tokens":50}`))
	want := providers.Usage{Source: providers.SourceResponseBody}
	want.Set(providers.InputTokens, 10+1500)
	want.Set(providers.OutputTokens, 50)
	want.Set(providers.CacheReadInputTokens, 0)
	want.Set(providers.CacheCreationInputTokens, 1500)
	want.Set(providers.CacheCreation1hInputTokens, 1000)
	assert.Equal(t, want, c.Usage(providers.SourceResponseBody))

	c.Merge([]byte(`{"cache_creation":{"ephemeral_1h_input_tokens":1200}}`))
	assert.EqualValues(t, 1200, c.Usage(providers.SourceStream).CacheCreation1hInputTokens)

	var old Counts // before the breakdown existed
	old.Merge([]byte(`{"input_tokens":10,"cache_creation_input_tokens":1500,"output_tokens":1}`))
	assert.False(t, old.Usage(providers.SourceResponseBody).Has(providers.CacheCreation1hInputTokens))
	assert.Zero(t, testing.AllocsPerRun(10, func() { old.Merge([]byte(`{"cache_creation":{"ephemeral_1h_input_tokens":1}}`)) }))
}

func TestErrorType(t *testing.T) {
	for body, want := range map[string]string{
		`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`: "overloaded_error",
		`{"error":{"code":429,"message":"q","status":"RESOURCE_EXHAUSTED"}}`:          "RESOURCE_EXHAUSTED",
		`{"error":{"code":"bad_thing"}}`:                                              "bad_thing",
		`{"error":{"code":503}}`:                                                      "503",
		`{"error":"flat"}`:                                                            "",
		`{"message":"no type"}`:                                                       "",
		`[{"error":{"code":400}}]`:                                                    "",
	} {
		assert.Equal(t, want, ErrorType([]byte(body)), body)
	}
}

func TestStreamIgnoresBrokenEvents(t *testing.T) {
	var s Stream
	s.Event([]byte(`{"type":"message_start","message":{"id":"m","usage":{"input_tokens":5`)) // cut
	s.Event([]byte(`{"type":"message_stop"`))                                                // cut
	s.Event([]byte(`garbage`))
	assert.False(t, s.Counts.Any())
	assert.False(t, s.Stopped)
	assert.Equal(t, 3, s.Malformed)
}
