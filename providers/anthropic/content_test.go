package anthropic_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/anthropic"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

const captureLimit = 64 << 10

// refStream reassembles a Messages stream independently of the package,
// with encoding/json: the blocks by index, text and thinking deltas
// joined, input_json_delta fragments joined (the start's input when none
// came), and the stop reason.
func refStream(t *testing.T, body []byte) (blocks []map[string]any, stop string) {
	t.Helper()
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	jsonOf := map[int]*strings.Builder{}
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data:")
		if !ok {
			continue
		}
		var ev struct {
			Type         string         `json:"type"`
			Index        int            `json:"index"`
			ContentBlock map[string]any `json:"content_block"`
			Delta        map[string]any `json:"delta"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &ev))
		switch ev.Type {
		case "content_block_start":
			for len(blocks) <= ev.Index {
				blocks = append(blocks, nil)
			}
			blocks[ev.Index] = ev.ContentBlock
		case "content_block_delta":
			b := blocks[ev.Index]
			switch ev.Delta["type"] {
			case "text_delta":
				b["text"] = b["text"].(string) + ev.Delta["text"].(string)
			case "thinking_delta":
				b["thinking"] = b["thinking"].(string) + ev.Delta["thinking"].(string)
			case "input_json_delta":
				if jsonOf[ev.Index] == nil {
					jsonOf[ev.Index] = &strings.Builder{}
				}
				jsonOf[ev.Index].WriteString(ev.Delta["partial_json"].(string))
			}
		case "message_delta":
			if s, ok := ev.Delta["stop_reason"].(string); ok {
				stop = s
			}
		}
	}
	for i, sb := range jsonOf {
		var input any
		require.NoError(t, json.Unmarshal([]byte(sb.String()), &input), "block %d", i)
		blocks[i]["input"] = input
	}
	return blocks, stop
}

// requireMatchesRef requires the captured output to hold, block by block,
// what the independent reassembly found.
func requireMatchesRef(t *testing.T, body []byte, out []providers.Message) {
	t.Helper()
	blocks, stop := refStream(t, body)
	require.Len(t, out, 1)
	assert.Equal(t, providers.RoleAssistant, out[0].Role)
	assert.Equal(t, stop, out[0].FinishReason)
	require.Len(t, out[0].Parts, len(blocks))
	for i, b := range blocks {
		p := out[0].Parts[i]
		switch b["type"] {
		case "text":
			assert.Equal(t, providers.Part{Type: providers.PartText, Content: b["text"].(string)}, p, "block %d", i)
		case "thinking":
			assert.Equal(t, providers.Part{Type: providers.PartReasoning, Content: b["thinking"].(string)}, p, "block %d", i)
		case "tool_use", "server_tool_use":
			assert.Equal(t, b["id"], p.ID, "block %d", i)
			assert.Equal(t, b["name"], p.Name, "block %d", i)
			want, _ := json.Marshal(b["input"])
			assert.JSONEq(t, string(want), string(p.Arguments), "block %d", i)
			if b["type"] == "tool_use" {
				assert.Equal(t, providers.PartToolCall, p.Type)
			} else {
				assert.Equal(t, providers.PartServerToolCall, p.Type)
				assert.Equal(t, "server_tool_use", p.GenericType)
			}
		default:
			if id, ok := b["tool_use_id"].(string); ok {
				// The server tool's outcome, as sent.
				want, _ := json.Marshal(b["content"])
				assert.JSONEq(t, string(want), string(p.Response), "block %d", i)
				p.Response = nil
				assert.Equal(t, providers.Part{Type: providers.PartServerToolCallResponse, ID: id, GenericType: b["type"].(string)}, p, "block %d", i)
			}
		}
	}
}

func TestCaptureStreams(t *testing.T) {
	for _, c := range []struct {
		file, url string
		header    http.Header
		check     func(t *testing.T, out []providers.Message)
	}{
		{"anthropic_stream_parallel_tools.sse", messagesURL, apiHeader, func(t *testing.T, out []providers.Message) {
			// Two tool calls in one answer, each with its arguments.
			parts := out[0].Parts
			require.Len(t, parts, 3)
			assert.Equal(t, "I'll check both the current weather and time in New York simultaneously right away!", parts[0].Content)
			assert.Equal(t, "get_weather", parts[1].Name)
			assert.JSONEq(t, `{"location":"New York, NY"}`, string(parts[1].Arguments))
			assert.Equal(t, "get_time", parts[2].Name)
			assert.Equal(t, "tool_use", out[0].FinishReason)
		}},
		{"anthropic_stream_thinking.sse", messagesURL, apiHeader, func(t *testing.T, out []providers.Message) {
			parts := out[0].Parts
			require.Len(t, parts, 2)
			assert.Equal(t, providers.PartReasoning, parts[0].Type)
			assert.True(t, strings.HasPrefix(parts[0].Content, "Let me count"), parts[0].Content)
			assert.Equal(t, providers.PartText, parts[1].Type)
		}},
		{"anthropic_stream_web_search.sse", messagesURL + "?beta=true", apiHeader, nil},
		{"anthropic_stream_compaction_cache.sse", messagesURL + "?beta=true", apiHeader, func(t *testing.T, out []providers.Message) {
			parts := out[0].Parts
			require.Len(t, parts, 2)
			assert.Equal(t, providers.PartCompaction, parts[0].Type)
			assert.True(t, strings.HasPrefix(parts[0].Content, "The user provided a very long context"), parts[0].Content)
		}},
		{"vertex_claude_streamrawpredict.sse", vertexBase + ":streamRawPredict", http.Header{"Authorization": {"Bearer ya29.secret"}}, nil},
	} {
		t.Run(c.file, func(t *testing.T) {
			body := read(c.file)
			e := testkit.Exchange{URL: c.url, Header: c.header, Body: []byte(`{"model":"claude-sonnet-4-6","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Hi"}]}`),
				ResponseHeader: sseHeader, ResponseBody: body, Capture: captureLimit}
			_, resp := testkit.Replay(t, anthropic.New(), e)
			requireMatchesRef(t, body, resp.Output)
			if c.check != nil {
				c.check(t, resp.Output)
			}

			// Capture changes nothing else the result says.
			e.Capture = 0
			_, plain := testkit.Replay(t, anthropic.New(), e)
			assert.Nil(t, plain.Output, "no content without capture")
			resp.Output = nil
			assert.Equal(t, plain, resp)
		})
	}
}

func TestCaptureFullResponses(t *testing.T) {
	e := testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: []byte(`{"model":"claude-3-7-sonnet-20250219","max_tokens":1024,"messages":[]}`),
		ResponseHeader: jsonHeader, ResponseBody: read("messages_nonstream_0.json"), Capture: captureLimit}
	_, resp := testkit.Replay(t, anthropic.New(), e)
	assert.Equal(t, []providers.Message{{Role: "assistant", FinishReason: "tool_use", Parts: []providers.Part{
		{Type: providers.PartText, Content: "I'll get the current weather in San Francisco for you in Fahrenheit."},
		{Type: providers.PartToolCall, ID: "toolu_01TZR6ZrLHdpAWdmhVPuDfjQ", Name: "get_weather", Arguments: []byte(`{"city":"San Francisco","units":"fahrenheit"}`)},
	}}}, resp.Output)

	// Server tools: the search call's input is kept, and its results,
	// the outcome the conventions' server_tool_call_response holds.
	e.ResponseBody = read("anthropic_full_web_search.json")
	_, resp = testkit.Replay(t, anthropic.New(), e)
	require.Len(t, resp.Output, 1)
	var kinds []string
	for _, p := range resp.Output[0].Parts {
		kinds = append(kinds, p.Type)
		switch p.Type {
		case providers.PartServerToolCall:
			assert.Equal(t, "web_search", p.Name)
			assert.Contains(t, string(p.Arguments), `"query"`)
		case providers.PartServerToolCallResponse:
			assert.Equal(t, "web_search_tool_result", p.GenericType)
			var results []map[string]any
			require.NoError(t, json.Unmarshal(p.Response, &results), "search results are recorded as sent, JSON")
			assert.NotEmpty(t, results)
		}
	}
	assert.Contains(t, kinds, providers.PartServerToolCall)
	assert.Contains(t, kinds, providers.PartServerToolCallResponse)
	assert.Contains(t, kinds, providers.PartText)

	// An error body has no answer.
	e.Status, e.ResponseBody = 529, read("synthetic_error_529.json")
	_, resp = testkit.Replay(t, anthropic.New(), e)
	assert.Nil(t, resp.Output)
}

func TestCaptureRequest(t *testing.T) {
	body := `{"model":"claude-sonnet-4-5","max_tokens":1024,
	"system":[{"type":"text","text":"You are a weather bot.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Answer briefly."}],
	"tools":[{"name":"get_weather","description":"Get the weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}},
		{"type":"web_search_20250305","name":"web_search","max_uses":3}],
	"messages":[
		{"role":"user","content":[{"type":"text","text":"Weather here?"},
			{"type":"image","source":{"type":"base64","media_type":"image/png","data":"aGVsbG8="}},
			{"type":"image","source":{"type":"url","url":"https://example.com/paris.jpg"}},
			{"type":"document","source":{"type":"file","file_id":"file_011"}}]},
		{"role":"assistant","content":[{"type":"thinking","thinking":"Paris.","signature":"sig"},{"type":"redacted_thinking","data":"opaque"},
			{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
		{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"rainy, 14°C"},
			{"type":"tool_result","tool_use_id":"toolu_2","content":[{"type":"text","text":"chart:"},{"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"aGVsbG8h"}}]},
			{"type":"tool_result","tool_use_id":"toolu_3","content":[{"type":"text","text":"line 1"},{"type":"text","text":"line 2"}]}]},
		{"role":"user","content":"Thanks!"}]}`
	call := anthropic.New().Match(testkit.Exchange{URL: messagesURL, Header: apiHeader}.Request())
	call.(providers.ContentCapturer).CaptureContent(captureLimit)
	r := call.Request([]byte(body))
	require.NotNil(t, r.Content)
	assert.Equal(t, []providers.Part{
		{Type: providers.PartText, Content: "You are a weather bot."},
		{Type: providers.PartText, Content: "Answer briefly."},
	}, r.Content.System)
	assert.Equal(t, []providers.ToolDefinition{
		{Type: "function", Name: "get_weather", Description: "Get the weather", Parameters: []byte(`{"type":"object","properties":{"city":{"type":"string"}}}`)},
		{Type: "web_search_20250305", Name: "web_search"},
	}, r.Content.Tools)
	assert.Equal(t, []providers.Message{
		{Role: "user", Parts: []providers.Part{
			{Type: providers.PartText, Content: "Weather here?"},
			{Type: providers.PartBlob, Modality: "image", MIMEType: "image/png", Size: 5},
			{Type: providers.PartURI, Modality: "image", URI: "https://example.com/paris.jpg"},
			{Type: providers.PartFile, Modality: "document", FileID: "file_011"},
		}},
		{Role: "assistant", Parts: []providers.Part{
			{Type: providers.PartReasoning, Content: "Paris."},
			{Type: providers.PartGeneric, GenericType: "redacted_thinking"},
			{Type: providers.PartToolCall, ID: "toolu_1", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
		}},
		{Role: "user", Parts: []providers.Part{
			{Type: providers.PartToolCallResponse, ID: "toolu_1", Response: []byte("rainy, 14°C")},
			{Type: providers.PartToolCallResponse, ID: "toolu_2", Response: []byte(`[{"type":"text","text":"chart:"},{"type":"image","media_type":"image/jpeg","byte_size":6}]`)},
			{Type: providers.PartToolCallResponse, ID: "toolu_3", Response: []byte("line 1\nline 2")},
		}},
		{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Thanks!"}}},
	}, r.Content.Messages)
	// The rest of the request is read as without capture.
	plain := anthropic.New().Match(testkit.Exchange{URL: messagesURL, Header: apiHeader}.Request()).Request([]byte(body))
	assert.Nil(t, plain.Content)
	r.Content = nil
	assert.Equal(t, plain, r)

	// A system string, and Vertex AI's body without a model.
	vertex := anthropic.New().Match(testkit.Exchange{URL: vertexBase + ":rawPredict"}.Request())
	vertex.(providers.ContentCapturer).CaptureContent(captureLimit)
	r = vertex.Request([]byte(`{"anthropic_version":"vertex-2023-10-16","max_tokens":256,"system":"Be terse.","messages":[{"role":"user","content":"Hi"}]}`))
	assert.Equal(t, &providers.RequestContent{
		System:   []providers.Part{{Type: providers.PartText, Content: "Be terse."}},
		Messages: []providers.Message{{Role: "user", Parts: []providers.Part{{Type: providers.PartText, Content: "Hi"}}}},
	}, r.Content)
}

func TestCaptureLimit(t *testing.T) {
	body := read("anthropic_stream_parallel_tools.sse")
	e := testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: []byte(`{"model":"m","stream":true,"system":"0123456789abcdef","messages":[]}`),
		ResponseHeader: sseHeader, ResponseBody: body, Capture: 10}
	req, resp := testkit.Replay(t, anthropic.New(), e)
	assert.Equal(t, []providers.Part{{Type: providers.PartText, Content: "0123456789", Truncated: true}}, req.Content.System)
	parts := resp.Output[0].Parts
	assert.Equal(t, providers.Part{Type: providers.PartText, Content: "I'll check", Truncated: true}, parts[0])
	assert.Equal(t, `{"location`, string(parts[1].Arguments))
	assert.True(t, parts[1].Truncated)
	assert.Equal(t, "get_weather", parts[1].Name, "what identifies the call is kept whole")
}

func TestCaptureTruncations(t *testing.T) {
	// Every prefix of a captured stream reads without panicking, and holds
	// at most what the whole stream did.
	body := read("anthropic_stream_parallel_tools.sse")
	e := testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: []byte(`{"model":"m","stream":true}`),
		ResponseHeader: sseHeader, ResponseBody: body, Capture: captureLimit}
	_, full := testkit.Replay(t, anthropic.New(), e)
	testkit.Truncations(t, anthropic.New(), e, func(cut int, complete bool, r providers.Response) {
		if len(r.Output) == 0 {
			return
		}
		require.LessOrEqual(t, len(r.Output[0].Parts), len(full.Output[0].Parts), "cut %d", cut)
		for i, p := range r.Output[0].Parts {
			w := full.Output[0].Parts[i]
			assert.True(t, strings.HasPrefix(w.Content, p.Content), "cut %d part %d", cut, i)
			assert.True(t, bytes.HasPrefix(w.Arguments, p.Arguments), "cut %d part %d", cut, i)
		}
	})
}

func TestCaptureAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	e := testkit.Exchange{URL: messagesURL, Header: apiHeader, Body: []byte(`{"model":"m","stream":true}`), ResponseHeader: sseHeader, Capture: captureLimit}
	body := read("synthetic_stream_cache.sse")
	start := bytes.Index(body, []byte("event: content_block_delta"))
	end := bytes.Index(body, []byte("event: content_block_stop"))
	allocs := testkit.AllocsPerChunk(t, anthropic.New(), e, body[:start], body[start:end], body[end:], 50)
	// The delta's text is appended to the part's buffer, which grows
	// geometrically: nothing is allocated per delta.
	assert.Less(t, allocs, 0.1, "content_block_delta with capture on")
	t.Logf("content_block_delta, capture on: %.2f allocations", allocs)
}
