package gemini

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/testkit"
)

// wirePart is a Part as encoding/json reads it.
type wirePart struct {
	Text         *string `json:"text"`
	Thought      bool    `json:"thought"`
	FunctionCall *struct {
		ID   string          `json:"id"`
		Name string          `json:"name"`
		Args json.RawMessage `json:"args"`
	} `json:"functionCall"`
	InlineData *struct {
		MimeType string `json:"mimeType"`
		Data     string `json:"data"`
	} `json:"inlineData"`
	ExecutableCode      json.RawMessage `json:"executableCode"`
	CodeExecutionResult json.RawMessage `json:"codeExecutionResult"`
}

func compactJSON(t *testing.T, raw []byte) []byte {
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, raw))
	return b.Bytes()
}

// part is the providers.Part a wire part is, computed apart from the
// package's reader.
func (p wirePart) part(t *testing.T) providers.Part {
	switch {
	case p.Text != nil && p.Thought:
		return providers.Part{Type: providers.PartReasoning, Content: *p.Text}
	case p.Text != nil:
		return providers.Part{Type: providers.PartText, Content: *p.Text}
	case p.FunctionCall != nil:
		return providers.Part{Type: providers.PartToolCall, ID: p.FunctionCall.ID, Name: p.FunctionCall.Name, Arguments: compactJSON(t, p.FunctionCall.Args)}
	case p.InlineData != nil:
		data, err := base64.StdEncoding.DecodeString(p.InlineData.Data)
		require.NoError(t, err)
		return providers.Part{Type: providers.PartBlob, Modality: strings.Split(p.InlineData.MimeType, "/")[0], MIMEType: p.InlineData.MimeType, Size: int64(len(data))}
	case p.ExecutableCode != nil:
		return providers.Part{Type: providers.PartServerToolCall, Name: "code_execution", GenericType: "executableCode", Arguments: compactJSON(t, p.ExecutableCode)}
	case p.CodeExecutionResult != nil:
		return providers.Part{Type: providers.PartServerToolCallResponse, Name: "code_execution", GenericType: "codeExecutionResult", Response: compactJSON(t, p.CodeExecutionResult)}
	}
	t.Fatalf("unexpected part %+v", p)
	return providers.Part{}
}

// chunks returns the GenerateContentResponses of a body: its SSE data, the
// elements of its array, or the one document.
func chunks(t *testing.T, body []byte) [][]byte {
	trimmed := bytes.TrimSpace(body)
	switch {
	case bytes.HasPrefix(trimmed, []byte("data:")):
		var out [][]byte
		for _, line := range bytes.Split(body, []byte("\n")) {
			if data, ok := bytes.CutPrefix(bytes.TrimSpace(line), []byte("data:")); ok {
				out = append(out, bytes.TrimSpace(data))
			}
		}
		return out
	case trimmed[0] == '[':
		var elems []json.RawMessage
		require.NoError(t, json.Unmarshal(trimmed, &elems))
		out := make([][]byte, len(elems))
		for i, e := range elems {
			out[i] = e
		}
		return out
	}
	return [][]byte{trimmed}
}

// answerOf is what encoding/json reads of a body: one message a
// candidate, with its finish reason; a stream's text and thought parts run
// on into one part until a part of another kind.
func answerOf(t *testing.T, body []byte, streamed bool) []providers.Message {
	var msgs []providers.Message
	for _, c := range chunks(t, body) {
		var resp struct {
			Candidates []struct {
				Index   *int `json:"index"`
				Content struct {
					Parts []wirePart `json:"parts"`
				} `json:"content"`
				FinishReason string `json:"finishReason"`
			} `json:"candidates"`
		}
		require.NoError(t, json.Unmarshal(c, &resp))
		for pos, cand := range resp.Candidates {
			idx := pos
			if cand.Index != nil {
				idx = *cand.Index
			}
			for len(msgs) <= idx {
				msgs = append(msgs, providers.Message{Role: providers.RoleAssistant})
			}
			m := &msgs[idx]
			if cand.FinishReason != "" {
				m.FinishReason = cand.FinishReason
			}
			for _, wp := range cand.Content.Parts {
				p := wp.part(t)
				if n := len(m.Parts); streamed && n > 0 && (p.Type == providers.PartText || p.Type == providers.PartReasoning) && m.Parts[n-1].Type == p.Type {
					m.Parts[n-1].Content += p.Content
					continue
				}
				m.Parts = append(m.Parts, p)
			}
		}
	}
	return msgs
}

// conversation is a request that carries every kind of content: a system
// instruction, a user turn with text, an inline image and a file, the
// model's earlier thought and two parallel function calls, the functions'
// responses, and tools (declared functions and Google Search).
var conversation = []byte(`{"systemInstruction":{"parts":[{"text":"You are a weather bot."},{"text":"Answer briefly."}]},"contents":[` +
	`{"role":"user","parts":[{"text":"Weather here and in Zürich?"},{"inlineData":{"mimeType":"image/jpeg","data":"/9j/4AAQSkZJRgABAQ=="}},{"fileData":{"mimeType":"application/pdf","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc123"}}]},` +
	`{"role":"model","parts":[{"text":"Two cities.","thought":true},{"functionCall":{"id":"fc_1","name":"get_weather","args":{"city":"Paris"}},"thoughtSignature":"CiQB"},{"functionCall":{"name":"get_weather","args":{"city":"Zürich"}}}]},` +
	`{"role":"user","parts":[{"functionResponse":{"id":"fc_1","name":"get_weather","response":{"sky":"rain","temp_c":14}}},{"function_response":{"name":"get_weather","response":{"sky":"clear"}}}]}],` +
	`"tools":[{"functionDeclarations":[{"name":"get_weather","description":"The weather in a city.","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}}]},{"googleSearch":{}}],` +
	`"generationConfig":{"temperature":0.2}}`)

func conversationContent() *providers.RequestContent {
	return &providers.RequestContent{
		System: []providers.Part{{Type: providers.PartText, Content: "You are a weather bot."}, {Type: providers.PartText, Content: "Answer briefly."}},
		Messages: []providers.Message{
			{Role: "user", Parts: []providers.Part{
				{Type: providers.PartText, Content: "Weather here and in Zürich?"},
				{Type: providers.PartBlob, Modality: "image", MIMEType: "image/jpeg", Size: 13},
				{Type: providers.PartURI, Modality: "document", MIMEType: "application/pdf", URI: "https://generativelanguage.googleapis.com/v1beta/files/abc123"},
			}},
			{Role: "assistant", Parts: []providers.Part{
				{Type: providers.PartReasoning, Content: "Two cities."},
				{Type: providers.PartToolCall, ID: "fc_1", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
				{Type: providers.PartToolCall, Name: "get_weather", Arguments: []byte(`{"city":"Zürich"}`)},
			}},
			{Role: "user", Parts: []providers.Part{
				{Type: providers.PartToolCallResponse, ID: "fc_1", Name: "get_weather", Response: []byte(`{"sky":"rain","temp_c":14}`)},
				{Type: providers.PartToolCallResponse, Name: "get_weather", Response: []byte(`{"sky":"clear"}`)},
			}},
		},
		Tools: []providers.ToolDefinition{
			{Type: "function", Name: "get_weather", Description: "The weather in a city.", Parameters: []byte(`{"type":"OBJECT","properties":{"city":{"type":"STRING"}}}`)},
			{Type: "googleSearch", Name: "googleSearch"},
		},
	}
}

type contentCase struct {
	file, url string
	header    http.Header
	streamed  bool
}

func contentCases() []contentCase {
	return []contentCase{
		{"gemini_api_generate_function_calls_recorded.json", geminiBase + ":generateContent", jsonHeader, false},
		{"gemini_api_generate_code_execution_recorded.json", geminiBase + ":generateContent", jsonHeader, false},
		{"gemini_api_generate_image_synthetic.json", geminiBase + ":generateContent", jsonHeader, false},
		{"gemini_api_generate_thoughts_cached_synthetic.json", geminiBase + ":generateContent", jsonHeader, false},
		{"vertex_gemini_generateContent_recorded.json", vertexBase + ":generateContent", jsonHeader, false},
		{"gemini_api_stream_sse_reasoning_recorded.sse", geminiBase + ":streamGenerateContent?alt=sse", sseHeader, true},
		{"gemini_api_stream_sse_code_execution_recorded.sse", geminiBase + ":streamGenerateContent?alt=sse", sseHeader, true},
		{"gemini_api_stream_sse_function_calls_synthetic.sse", geminiBase + ":streamGenerateContent?alt=sse", sseHeader, true},
		{"gemini_api_stream_sse_lf_synthetic.sse", geminiBase + ":streamGenerateContent?alt=sse", sseHeader, true},
		{"vertex_gemini_streamGenerateContent_alt_sse_recorded.sse", vertexBase + ":streamGenerateContent?alt=sse", sseHeader, true},
		{"gemini_api_stream_array_recorded.json", geminiBase + ":streamGenerateContent", jsonHeader, true},
		{"gemini_api_stream_array_synthetic.json", geminiBase + ":streamGenerateContent", jsonHeader, true},
	}
}

// Every answer, whole and streamed (SSE and the JSON array), is what
// encoding/json reads of it, byte by byte and at random splits alike.
func TestContent(t *testing.T) {
	for _, c := range contentCases() {
		body := read(t, c.file)
		e := testkit.Exchange{URL: c.url, Body: conversation, ResponseHeader: c.header, ResponseBody: body}
		req, resp := testkit.Replay(t, New(), e.WithCapture(1<<20))
		assert.Equal(t, conversationContent(), req.Content, c.file)
		want := answerOf(t, body, c.streamed)
		require.NotEmpty(t, want, c.file)
		assert.Equal(t, want, resp.Output, c.file)
	}
}

func TestContentParallelFunctionCalls(t *testing.T) {
	e := testkit.Exchange{URL: geminiBase + ":generateContent", Body: conversation, ResponseHeader: jsonHeader, ResponseBody: read(t, "gemini_api_generate_function_calls_recorded.json")}
	_, resp := testkit.Replay(t, New(), e.WithCapture(1<<20))
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "STOP", Parts: []providers.Part{
		{Type: providers.PartToolCall, Name: "get_weather", Arguments: []byte(`{"location":"Boston"}`)},
		{Type: providers.PartToolCall, Name: "get_weather", Arguments: []byte(`{"location":"New Delhi"}`)},
	}}}, resp.Output, "no id is invented for calls Gemini sent without one")

	e = testkit.Exchange{URL: geminiBase + ":streamGenerateContent?alt=sse", Body: conversation, ResponseHeader: sseHeader, ResponseBody: read(t, "gemini_api_stream_sse_function_calls_synthetic.sse")}
	_, resp = testkit.Replay(t, New(), e.WithCapture(1<<20))
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "STOP", Parts: []providers.Part{
		{Type: providers.PartReasoning, Content: "**Two cities**\n\nThe user wants Paris and Zürich. I will call the tool twice."},
		{Type: providers.PartText, Content: "Let me check both."},
		{Type: providers.PartToolCall, ID: "fc_1", Name: "get_weather", Arguments: []byte(`{"city":"Paris"}`)},
		{Type: providers.PartToolCall, ID: "fc_2", Name: "get_weather", Arguments: []byte(`{"city":"Zürich"}`)},
	}}}, resp.Output, "thoughts are reasoning, not answer text")
}

// Two candidates are two messages, each with its finish reason.
func TestContentCandidates(t *testing.T) {
	body := read(t, "gemini_api_generate_thoughts_cached_synthetic.json")
	e := testkit.Exchange{URL: geminiBase + ":generateContent", Body: conversation, ResponseHeader: jsonHeader, ResponseBody: body}
	_, resp := testkit.Replay(t, New(), e.WithCapture(1<<20))
	require.Len(t, resp.Output, 2)
	assert.Equal(t, resp.FinishReasons, []string{resp.Output[0].FinishReason, resp.Output[1].FinishReason})
}

// An image is its type and size, never its bytes, whatever the limit;
// every text is cut to the limit and says so.
func TestContentLimit(t *testing.T) {
	const limit = 8
	e := testkit.Exchange{URL: geminiBase + ":generateContent", Body: conversation, ResponseHeader: jsonHeader, ResponseBody: read(t, "gemini_api_generate_image_synthetic.json")}
	req, resp := testkit.Replay(t, New(), e.WithCapture(limit))
	assert.Equal(t, []providers.Message{{Role: providers.RoleAssistant, FinishReason: "STOP", Parts: []providers.Part{
		{Type: providers.PartText, Content: "Here is ", Truncated: true},
		{Type: providers.PartBlob, Modality: "image", MIMEType: "image/png", Size: 797},
	}}}, resp.Output)
	assert.Equal(t, providers.Part{Type: providers.PartText, Content: "Weather ", Truncated: true}, req.Content.Messages[0].Parts[0])
	assert.Equal(t, providers.Part{Type: providers.PartToolCall, ID: "fc_1", Name: "get_weather", Arguments: []byte(`{"city":`), Truncated: true}, req.Content.Messages[1].Parts[1])
	assert.Nil(t, req.Content.Tools[0].Parameters, "a schema over the limit is left out")
	assert.True(t, req.Content.Tools[0].Truncated, "and the definition says so")

	body := read(t, "gemini_api_stream_sse_reasoning_recorded.sse")
	e = testkit.Exchange{URL: geminiBase + ":streamGenerateContent?alt=sse", Body: conversation, ResponseHeader: sseHeader, ResponseBody: body}
	_, resp = testkit.Replay(t, New(), e.WithCapture(limit))
	full := answerOf(t, body, true)
	require.Len(t, resp.Output, 1)
	for i, p := range resp.Output[0].Parts {
		assert.Equal(t, providers.Cut(full[0].Parts[i].Content, limit), p.Content)
		assert.Equal(t, len(full[0].Parts[i].Content) > limit, p.Truncated)
	}
}

// Capture changes nothing but the content it adds; without it there is
// none.
func TestContentChangesNothingElse(t *testing.T) {
	cases := append(contentCases(),
		contentCase{"embed_content_synthetic.json", geminiBase + ":embedContent", jsonHeader, false},
		contentCase{"stream_array_error_synthetic.json", geminiBase + ":streamGenerateContent", jsonHeader, true},
		contentCase{"error_429_synthetic.json", geminiBase + ":generateContent", jsonHeader, false},
		contentCase{"html_502_synthetic.html", geminiBase + ":generateContent", http.Header{"Content-Type": {"text/html"}}, false},
	)
	for _, c := range cases {
		e := testkit.Exchange{URL: c.url, Body: conversation, ResponseHeader: c.header, ResponseBody: read(t, c.file)}
		if strings.HasPrefix(c.file, "error") || strings.HasPrefix(c.file, "html") {
			e.Status = http.StatusTooManyRequests
		}
		plainReq, plain := testkit.Replay(t, New(), e)
		assert.Nil(t, plainReq.Content, c.file)
		assert.Nil(t, plain.Output, c.file)
		req, captured := testkit.Replay(t, New(), e.WithCapture(64))
		if e.Status != 0 || strings.HasPrefix(c.file, "embed") {
			assert.Nil(t, captured.Output, c.file)
			if strings.HasPrefix(c.file, "embed") {
				assert.Nil(t, req.Content, "an embed call has no messages")
			}
		} else {
			assert.NotEmpty(t, captured.Output, c.file)
		}
		req.Content, captured.Output = nil, nil
		assert.Equal(t, plainReq, req, c.file)
		assert.Equal(t, plain, captured, c.file)
	}
}

// A stream cut anywhere gives the answer so far: a prefix of each part.
func TestContentTruncations(t *testing.T) {
	body := read(t, "gemini_api_stream_sse_function_calls_synthetic.sse")
	e := testkit.Exchange{URL: geminiBase + ":streamGenerateContent?alt=sse", Body: conversation, ResponseHeader: sseHeader, ResponseBody: body}
	_, full := testkit.Replay(t, New(), e.WithCapture(1<<20))
	testkit.Truncations(t, New(), e.WithCapture(1<<20), func(cut int, complete bool, r providers.Response) {
		if len(r.Output) == 0 {
			return
		}
		require.Len(t, r.Output, 1)
		require.LessOrEqual(t, len(r.Output[0].Parts), len(full.Output[0].Parts), "cut %d", cut)
		for i, p := range r.Output[0].Parts {
			require.True(t, strings.HasPrefix(full.Output[0].Parts[i].Content, p.Content), "cut %d", cut)
		}
	})
}

// With capture on, a streamed part's text is appended to its part's
// buffer, which grows geometrically: nothing is allocated per chunk.
func TestContentOnAllocsPerChunk(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under the race detector")
	}
	chunk := []byte(`{"candidates": [{"content": {"role": "model","parts": [{"text": " into vibrant sight, \"quoted\" [x]"}]}}],"usageMetadata": {"promptTokenCount": 8,"totalTokenCount": 8,"trafficType": "ON_DEMAND"},"modelVersion": "gemini-2.5-flash","responseId": "vizpaJGEDvXZnvgPisGa2A0"}`)
	final := []byte(`{"candidates": [{"content": {"role": "model","parts": [{"text": "."}]},"finishReason": "STOP"}],"usageMetadata": {"promptTokenCount": 8,"candidatesTokenCount": 388,"totalTokenCount": 2589,"thoughtsTokenCount": 2193},"modelVersion": "gemini-2.5-flash","responseId": "vizpaJGEDvXZnvgPisGa2A0"}`)
	sse := testkit.Exchange{URL: vertexBase + ":streamGenerateContent?alt=sse", ResponseHeader: sseHeader}.WithCapture(64 << 10)
	sseChunk := append(append([]byte("data: "), chunk...), "\r\n\r\n"...)
	sseTail := append(append([]byte("data: "), final...), "\r\n\r\n"...)
	allocs := testkit.AllocsPerChunk(t, New(), sse, sseChunk, sseChunk, sseTail, 50)
	t.Logf("sse, capture on: %.3f allocations per chunk", allocs)
	assert.Less(t, allocs, 0.1, "sse")

	arr := testkit.Exchange{URL: geminiBase + ":streamGenerateContent", ResponseHeader: jsonHeader}.WithCapture(64 << 10)
	arrChunk := append(append([]byte{}, chunk...), "\n,\r\n"...)
	allocs = testkit.AllocsPerChunk(t, New(), arr, append([]byte("["), arrChunk...), arrChunk, append(append([]byte{}, final...), "\n]"...), 50)
	t.Logf("array, capture on: %.3f allocations per chunk", allocs)
	assert.Less(t, allocs, 0.1, "array")
}
