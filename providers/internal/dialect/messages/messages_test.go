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
	oneHour := []byte(`{"cache_creation":{"ephemeral_1h_input_tokens":1}}`)
	assert.Zero(t, testing.AllocsPerRun(10, func() { old.Merge(oneHour) }))
}

// thinking_tokens is the reasoning part of output_tokens: kept beside it,
// not added to it; a reported 0 is reported.
func TestCountsThinkingTokens(t *testing.T) {
	var c Counts
	c.Merge([]byte(`{"input_tokens":50,"output_tokens":93,"output_tokens_details":{"thinking_tokens":53}}`))
	u := c.Usage(providers.SourceStream)
	assert.EqualValues(t, 93, u.OutputTokens)
	assert.EqualValues(t, 53, u.ReasoningTokens)
	c.Merge([]byte(`{"output_tokens":98,"output_tokens_details":{"thinking_tokens":0}}`))
	u = c.Usage(providers.SourceStream)
	assert.True(t, u.Has(providers.ReasoningTokens))
	assert.Zero(t, u.ReasoningTokens)
}

// A compaction iteration is a sampling step of its own, billed, which the
// top-level usage leaves out: its counts are added to the top level. The
// message iterations are in the top level already.
func TestCountsCompactionIterations(t *testing.T) {
	var c Counts
	// pydantic-ai's recorded compaction stream, message_start then message_delta.
	c.Merge([]byte(`{"input_tokens":100,"cache_creation_input_tokens":0,"cache_read_input_tokens":55096,"output_tokens":7}`))
	delta := []byte(`{"input_tokens":181,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":8,"iterations":[` +
		`{"input_tokens":100,"output_tokens":83,"cache_read_input_tokens":55096,"cache_creation_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"type":"compaction"},` +
		`{"input_tokens":181,"output_tokens":8,"cache_read_input_tokens":0,"cache_creation_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"type":"message"}]}`)
	c.Merge(delta)
	u := c.Usage(providers.SourceStream)
	assert.EqualValues(t, 181+100+55096, u.InputTokens)
	assert.EqualValues(t, 8+83, u.OutputTokens)
	assert.EqualValues(t, 55096, u.CacheReadInputTokens)
	assert.EqualValues(t, 0, u.CacheCreationInputTokens)
	// A later event's iterations replace the earlier ones, never add to them.
	c.Merge(delta)
	assert.Equal(t, u, c.Usage(providers.SourceStream))
	assert.Zero(t, testing.AllocsPerRun(10, func() { c.Merge(delta) }))

	msg, ok := ParseMessage([]byte(`{"id":"msg_1","type":"message","model":"claude-sonnet-4-6","usage":` + string(delta) + `}`))
	assert.True(t, ok)
	assert.Equal(t, u.InputTokens, msg.Counts.Usage(providers.SourceResponseBody).InputTokens)
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

// streamDialect reads Server-Sent Events with a Stream, as
// providers/anthropic does.
type streamDialect struct{ stream Stream }

func (d *streamDialect) Document([]byte, *providers.Result) {}

func (d *streamDialect) Event(ev *providers.Event, r *providers.Result) { d.stream.Event(ev.Data, r) }

func TestStreamIgnoresBrokenEvents(t *testing.T) {
	d := &streamDialect{}
	obs := providers.NewPlannedObserver(providers.BodyPlan{Framing: providers.FramingSSE}, d)
	obs.Write([]byte("data: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":5\n\n")) // cut
	obs.Write([]byte("data: {\"type\":\"message_stop\"\n\n"))                                                          // cut
	obs.Write([]byte("data: garbage\n\n"))
	r := obs.Finish(false)
	assert.False(t, d.stream.Counts.Any())
	assert.False(t, r.Complete, "a cut message_stop is not the end of the stream")
	assert.Equal(t, "3 "+providers.ProblemEventMalformed, r.ObserveError)
	assert.Zero(t, obs.Chunks())
}

// A delta of the shape of one read in full is counted without a scan; one
// of another type or shape is read in full.
func TestStreamDeltaShape(t *testing.T) {
	d := &streamDialect{}
	obs := providers.NewPlannedObserver(providers.BodyPlan{Framing: providers.FramingSSE}, d)
	delta := func(typ, text string) []byte {
		return []byte(`data: {"type":"content_block_delta","index":0,"delta":{"type":"` + typ + `","text":"` + text + `"}}` + "\n\n")
	}
	obs.Write(delta("text_delta", "Hello"))
	obs.Write(delta("text_delta", " world"))
	obs.Write(delta("text_delta", `\"quoted\"`))
	obs.Write([]byte(`data: {"type":"content_block_stop","index":0}` + "\n\n"))
	obs.Write(delta("text_delta", `cut`)[:40])
	obs.Write([]byte("\n\n"))
	obs.Write([]byte(`data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}` + "\n\n"))
	obs.Write([]byte(`data: {"type":"message_stop"}` + "\n\n"))
	assert.Equal(t, 4, obs.Chunks(), "three deltas and message_delta")
	r := obs.Finish(true)
	assert.True(t, r.Complete)
	assert.Equal(t, []string{"end_turn"}, r.FinishReasons)
	assert.EqualValues(t, 3, r.Usage.OutputTokens)
	assert.Equal(t, "1 "+providers.ProblemEventMalformed, r.ObserveError)
}

// The id and model of message_start are the response's, over whatever the
// host named it (Bedrock names it by its request id and path first).
func TestStreamNamesTheMessage(t *testing.T) {
	start := []byte(`{"type":"message_start","message":{"id":"msg_1","model":"claude-x","usage":{"input_tokens":3,"output_tokens":1}}}`)
	var own, hosted providers.Result
	hosted.ID, hosted.Model = "request-id", "anthropic.claude-x-v1:0"
	(&Stream{}).Event(start, &own)
	(&Stream{}).Event(start, &hosted)
	assert.Equal(t, "msg_1", own.ID)
	assert.Equal(t, "claude-x", own.Model)
	assert.Equal(t, own.Response, hosted.Response)
	assert.Equal(t, 1, hosted.Chunks)
}

func TestParseMessage(t *testing.T) {
	msg, ok := ParseMessage([]byte(`{"id":"msg_1","type":"message","model":"claude-x","stop_reason":"end_turn","usage":{"input_tokens":10,"cache_read_input_tokens":5,"output_tokens":2}}`))
	assert.True(t, ok)
	assert.Equal(t, "msg_1", msg.ID)
	assert.Equal(t, "claude-x", msg.Model)
	assert.Equal(t, "end_turn", msg.StopReason)
	assert.EqualValues(t, 15, msg.Counts.Usage(providers.SourceResponseBody).InputTokens)
	assert.Empty(t, msg.ErrorType)

	msg, ok = ParseMessage([]byte(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`))
	assert.True(t, ok)
	assert.Equal(t, "overloaded_error", msg.ErrorType)

	msg, ok = ParseMessage([]byte(`{"id":null,"stop_reason":null,"usage":null}`))
	assert.True(t, ok)
	assert.Equal(t, Message{}, msg)

	_, ok = ParseMessage([]byte(`[1,2]`))
	assert.False(t, ok)
}
