package fakellm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

type openAIRequest struct {
	chatRequest
	Stream        bool            `json:"stream"`
	Prompt        json.RawMessage `json:"prompt"`
	Input         json.RawMessage `json:"input"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

// chatRequest is what the fake answers from in the chat requests that copy
// OpenAI's Chat Completions shape: OpenAI's own, Cohere v2 and Ollama.
type chatRequest struct {
	Model    string `json:"model"`
	Messages []struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	} `json:"messages"`
	Tools []struct {
		Name     string `json:"name"` // Responses API
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	} `json:"tools"`
}

// turn reads the conversation: the texts of its messages, the first tool
// offered, and whether a tool result (a "tool" message) is in it.
func (r *chatRequest) turn() (texts []string, offered string, sawResult bool) {
	contents := make([]json.RawMessage, 0, len(r.Messages))
	for _, m := range r.Messages {
		if m.Role == "tool" {
			sawResult = true
		}
		contents = append(contents, m.Content)
	}
	if len(r.Tools) > 0 {
		offered = r.Tools[0].Function.Name
	}
	return textsOf(contents...), offered, sawResult
}

func (r *openAIRequest) includeUsage() bool {
	return r.StreamOptions != nil && r.StreamOptions.IncludeUsage
}

// decodeOpenAI reads an OpenAI-dialect request body, answering a body that
// is not JSON or names no model with the error OpenAI gives.
func (f *fake) decodeOpenAI(c *call) (*openAIRequest, bool) {
	var req openAIRequest
	if err := json.Unmarshal(c.Body, &req); err != nil {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly.)"})
		return nil, false
	}
	if req.Model == "" {
		req.Model = c.Model // an Azure deployment
	}
	if req.Model == "" {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "you must provide a model parameter"})
		return nil, false
	}
	return &req, true
}

// openAIToolCallOutput is the output count of a tool call when the fake
// counts.
const openAIToolCallOutput = 18

// openAIUsage is a Chat Completions or legacy Completions usage object.
func openAIUsage(u Usage, details bool) obj {
	usage := obj{
		{"prompt_tokens", u.InputTokens},
		{"completion_tokens", u.OutputTokens},
		{"total_tokens", u.InputTokens + u.OutputTokens},
	}
	if !details {
		return usage
	}
	prompt := obj{{"cached_tokens", u.CacheReadTokens}, {"audio_tokens", 0}}
	if u.CacheWriteTokens > 0 {
		prompt = append(prompt, kv{"cache_write_tokens", u.CacheWriteTokens})
	}
	return append(usage,
		kv{"prompt_tokens_details", prompt},
		kv{"completion_tokens_details", obj{
			{"reasoning_tokens", u.ReasoningTokens}, {"audio_tokens", 0},
			{"accepted_prediction_tokens", 0}, {"rejected_prediction_tokens", 0}}})
}

// azureFilters is the content-filter verdict Azure OpenAI adds to prompts
// and choices.
var azureFilters = obj{
	{"hate", obj{{"filtered", false}, {"severity", "safe"}}},
	{"self_harm", obj{{"filtered", false}, {"severity", "safe"}}},
	{"sexual", obj{{"filtered", false}, {"severity", "safe"}}},
	{"violence", obj{{"filtered", false}, {"severity", "safe"}}},
}

var azurePromptFilters = []any{obj{{"prompt_index", 0}, {"content_filter_results", azureFilters}}}

// openAIChat answers Chat Completions (OpenAI, Azure OpenAI, Ark and every
// OpenAI-compatible client): a tool call while tools are offered and no tool
// result is in the conversation, the final answer otherwise. A stream
// carries usage only when the request sets stream_options.include_usage, as
// OpenAI's does: then every chunk has "usage":null and a last chunk with no
// choices carries the usage, before [DONE].
func (f *fake) openAIChat(c *call) {
	req, ok := f.decodeOpenAI(c)
	if !ok {
		return
	}
	texts, offered, sawTool := req.turn()
	rep := f.reply(c, texts, offered, sawTool, openAIToolCallOutput)
	id := c.id("chatcmpl-")
	model := snapshot(req.Model)
	created := time.Now().Unix()
	azure := c.Provider == ProviderAzure
	finish := "stop"
	if rep.tool != "" {
		finish = "tool_calls"
	}

	if !req.Stream {
		message := obj{{"role", "assistant"}, {"content", rep.text}, {"refusal", nil}, {"annotations", []any{}}}
		if rep.tool != "" {
			message = obj{{"role", "assistant"}, {"content", nil}, {"tool_calls", []any{obj{
				{"id", "call_fake_1"}, {"type", "function"},
				{"function", obj{{"name", rep.tool}, {"arguments", rep.toolArgs}}}}}},
				{"refusal", nil}, {"annotations", []any{}}}
		}
		choice := obj{{"index", 0}, {"message", message}, {"logprobs", nil}, {"finish_reason", finish}}
		if azure {
			choice = append(choice, kv{"content_filter_results", azureFilters})
		}
		resp := obj{
			{"id", id}, {"object", "chat.completion"}, {"created", created}, {"model", model},
			{"choices", []any{choice}},
			{"usage", openAIUsage(rep.usage, true)},
			{"service_tier", "default"},
			{"system_fingerprint", "fp_fakellm"},
		}
		if azure {
			resp = append(resp, kv{"prompt_filter_results", azurePromptFilters})
		}
		writeJSON(c.w, http.StatusOK, nil, resp)
		return
	}

	includeUsage := req.includeUsage()
	c.w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	if azure {
		// Azure's first frame carries only the prompt's filter verdict,
		// with an empty id and model.
		sse(c.w, "", obj{{"choices", []any{}}, {"created", 0}, {"id", ""}, {"model", ""}, {"object", ""},
			{"prompt_filter_results", azurePromptFilters}})
	}
	chunk := func(delta obj, finishReason any) obj {
		choice := obj{{"index", 0}, {"delta", delta}, {"logprobs", nil}, {"finish_reason", finishReason}}
		if azure {
			choice = append(choice, kv{"content_filter_results", obj{}})
		}
		ch := obj{
			{"id", id}, {"object", "chat.completion.chunk"}, {"created", created}, {"model", model},
			{"service_tier", "default"}, {"system_fingerprint", "fp_fakellm"},
			{"choices", []any{choice}},
		}
		if includeUsage {
			ch = append(ch, kv{"usage", nil})
		}
		return ch
	}
	sse(c.w, "", chunk(obj{{"role", "assistant"}, {"content", ""}, {"refusal", nil}}, nil))
	if rep.tool != "" {
		f.pause()
		sse(c.w, "", chunk(obj{{"tool_calls", []any{obj{{"index", 0}, {"id", "call_fake_1"}, {"type", "function"},
			{"function", obj{{"name", rep.tool}, {"arguments", rep.toolArgs}}}}}}}, nil))
	} else {
		for _, word := range words(rep.text) {
			f.pause()
			sse(c.w, "", chunk(obj{{"content", word}}, nil))
		}
	}
	f.pause()
	sse(c.w, "", chunk(obj{}, finish))
	if includeUsage {
		sse(c.w, "", obj{
			{"id", id}, {"object", "chat.completion.chunk"}, {"created", created}, {"model", model},
			{"service_tier", "default"}, {"system_fingerprint", "fp_fakellm"},
			{"choices", []any{}}, {"usage", openAIUsage(rep.usage, true)},
		})
	}
	fmt.Fprint(c.w, "data: [DONE]\n\n")
	flush(c.w)
}

// openAICompletions answers the legacy Completions API, with the same
// include_usage rule as Chat Completions.
func (f *fake) openAICompletions(c *call) {
	req, ok := f.decodeOpenAI(c)
	if !ok {
		return
	}
	rep := f.reply(c, promptTexts(req.Prompt), "", false, 0)
	id := c.id("cmpl-")
	model := snapshot(req.Model)
	created := time.Now().Unix()
	if !req.Stream {
		writeJSON(c.w, http.StatusOK, nil, obj{
			{"id", id}, {"object", "text_completion"}, {"created", created}, {"model", model},
			{"choices", []any{obj{{"text", rep.text}, {"index", 0}, {"logprobs", nil}, {"finish_reason", "stop"}}}},
			{"usage", openAIUsage(rep.usage, false)},
		})
		return
	}
	includeUsage := req.includeUsage()
	c.w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	pieces := words(rep.text)
	for i, word := range pieces {
		if i > 0 {
			f.pause()
		}
		var finish any
		if i == len(pieces)-1 {
			finish = "stop"
		}
		ch := obj{
			{"id", id}, {"object", "text_completion"}, {"created", created},
			{"choices", []any{obj{{"text", word}, {"index", 0}, {"logprobs", nil}, {"finish_reason", finish}}}},
			{"model", model},
		}
		if includeUsage {
			ch = append(ch, kv{"usage", nil})
		}
		sse(c.w, "", ch)
	}
	if includeUsage {
		sse(c.w, "", obj{
			{"id", id}, {"object", "text_completion"}, {"created", created}, {"model", model},
			{"usage", openAIUsage(rep.usage, false)}, {"choices", []any{}},
		})
	}
	fmt.Fprint(c.w, "data: [DONE]\n\n")
	flush(c.w)
}

// promptTexts returns the texts of a Completions prompt: a string or an
// array of strings.
func promptTexts(prompt json.RawMessage) []string {
	var many []string
	if json.Unmarshal(prompt, &many) == nil {
		return many
	}
	return textsOf(prompt)
}

// responsesInput reads a Responses API input: a string, or a list of items
// whose function_call_output items are tool results.
func responsesInput(input json.RawMessage) (texts []string, sawResult bool) {
	var s string
	if json.Unmarshal(input, &s) == nil {
		return []string{s}, false
	}
	var items []struct {
		Type    string          `json:"type"`
		Content json.RawMessage `json:"content"`
		Output  json.RawMessage `json:"output"`
	}
	_ = json.Unmarshal(input, &items)
	for _, it := range items {
		switch {
		case it.Type == "function_call_output":
			sawResult = true
			texts = append(texts, textsOf(it.Output)...)
		case len(it.Content) > 0:
			texts = append(texts, textsOf(it.Content)...)
		}
	}
	return texts, sawResult
}

// openAIResponses answers the Responses API: a function_call item while
// tools are offered and no function_call_output is in the input, an output
// message otherwise; streamed as the API's typed events, the usage in
// response.completed.
func (f *fake) openAIResponses(c *call) {
	if f.opts.Recorded {
		if c.Stream {
			serveRecording(c.w, "responses_stream.sse", "text/event-stream", nil)
			return
		}
		serveRecording(c.w, "responses_nonstream_text.json", "application/json", nil)
		return
	}
	req, ok := f.decodeOpenAI(c)
	if !ok {
		return
	}
	texts, sawResult := responsesInput(req.Input)
	var offered string
	if len(req.Tools) > 0 {
		offered = req.Tools[0].Name
		if offered == "" {
			offered = req.Tools[0].Function.Name
		}
	}
	rep := f.reply(c, texts, offered, sawResult, openAIToolCallOutput)
	id := c.id("resp_")
	itemID := c.id("msg_")
	model := snapshot(req.Model)
	created := time.Now().Unix()
	u := rep.usage
	inputDetails := obj{{"cached_tokens", u.CacheReadTokens}}
	if u.CacheWriteTokens > 0 {
		inputDetails = append(inputDetails, kv{"cache_write_tokens", u.CacheWriteTokens})
	}
	usage := obj{
		{"input_tokens", u.InputTokens}, {"input_tokens_details", inputDetails},
		{"output_tokens", u.OutputTokens}, {"output_tokens_details", obj{{"reasoning_tokens", u.ReasoningTokens}}},
		{"total_tokens", u.InputTokens + u.OutputTokens},
	}
	textPart := obj{{"type", "output_text"}, {"annotations", []any{}}, {"logprobs", []any{}}, {"text", rep.text}}
	item := obj{{"id", itemID}, {"type", "message"}, {"status", "completed"}, {"content", []any{textPart}}, {"role", "assistant"}}
	if rep.tool != "" {
		itemID = c.id("fc_")
		item = obj{{"id", itemID}, {"type", "function_call"}, {"status", "completed"},
			{"arguments", rep.toolArgs}, {"call_id", "call_fake_1"}, {"name", rep.tool}}
	}
	response := func(status string, output []any, usage any) obj {
		var completed any
		if status == "completed" {
			completed = time.Now().Unix()
		}
		return obj{
			{"id", id}, {"object", "response"}, {"created_at", created}, {"status", status},
			{"background", false}, {"completed_at", completed}, {"error", nil}, {"incomplete_details", nil},
			{"instructions", nil}, {"max_output_tokens", nil}, {"model", model}, {"output", output},
			{"parallel_tool_calls", true}, {"previous_response_id", nil},
			{"reasoning", obj{{"effort", nil}, {"summary", nil}}}, {"service_tier", "default"}, {"store", true},
			{"temperature", 1.0}, {"text", obj{{"format", obj{{"type", "text"}}}, {"verbosity", "medium"}}},
			{"tool_choice", "auto"}, {"tools", []any{}}, {"top_p", 1.0}, {"truncation", "disabled"},
			{"usage", usage}, {"user", nil}, {"metadata", obj{}},
		}
	}
	if !req.Stream {
		writeJSON(c.w, http.StatusOK, nil, response("completed", []any{item}, usage))
		return
	}

	c.w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	seq := 0
	event := func(typ string, fields ...kv) {
		if seq > 0 {
			f.pause()
		}
		e := append(obj{{"type", typ}}, fields...)
		sse(c.w, typ, append(e, kv{"sequence_number", seq}))
		seq++
	}
	event("response.created", kv{"response", response("in_progress", []any{}, nil)})
	event("response.in_progress", kv{"response", response("in_progress", []any{}, nil)})
	if rep.tool != "" {
		added := obj{{"id", itemID}, {"type", "function_call"}, {"status", "in_progress"},
			{"arguments", ""}, {"call_id", "call_fake_1"}, {"name", rep.tool}}
		event("response.output_item.added", kv{"item", added}, kv{"output_index", 0})
		event("response.function_call_arguments.delta", kv{"delta", rep.toolArgs}, kv{"item_id", itemID}, kv{"output_index", 0})
		event("response.function_call_arguments.done", kv{"arguments", rep.toolArgs}, kv{"item_id", itemID}, kv{"output_index", 0})
	} else {
		event("response.output_item.added", kv{"item", obj{{"id", itemID}, {"type", "message"}, {"status", "in_progress"},
			{"content", []any{}}, {"role", "assistant"}}}, kv{"output_index", 0})
		emptyPart := obj{{"type", "output_text"}, {"annotations", []any{}}, {"logprobs", []any{}}, {"text", ""}}
		event("response.content_part.added", kv{"content_index", 0}, kv{"item_id", itemID}, kv{"output_index", 0}, kv{"part", emptyPart})
		for _, word := range words(rep.text) {
			event("response.output_text.delta", kv{"content_index", 0}, kv{"delta", word}, kv{"item_id", itemID},
				kv{"logprobs", []any{}}, kv{"output_index", 0})
		}
		event("response.output_text.done", kv{"content_index", 0}, kv{"item_id", itemID}, kv{"logprobs", []any{}},
			kv{"output_index", 0}, kv{"text", rep.text})
		event("response.content_part.done", kv{"content_index", 0}, kv{"item_id", itemID}, kv{"output_index", 0}, kv{"part", textPart})
	}
	event("response.output_item.done", kv{"item", item}, kv{"output_index", 0})
	event("response.completed", kv{"response", response("completed", []any{item}, usage)})
}

// openAIEmbeddings answers Embeddings: one three-number vector per input,
// usage with prompt and total tokens only.
func (f *fake) openAIEmbeddings(c *call) {
	if f.opts.Recorded {
		serveRecording(c.w, "embeddings.json", "application/json", nil)
		return
	}
	req, ok := f.decodeOpenAI(c)
	if !ok {
		return
	}
	texts := promptTexts(req.Input)
	u := c.usageOr(Usage{InputTokens: countInput(texts)})
	data := make([]any, 0, len(texts))
	for i := range texts {
		data = append(data, obj{{"object", "embedding"}, {"index", i}, {"embedding", []float64{0.0023064255, -0.009327292, -0.0028842222}}})
	}
	writeJSON(c.w, http.StatusOK, nil, obj{
		{"object", "list"}, {"data", data}, {"model", req.Model},
		{"usage", obj{{"prompt_tokens", u.InputTokens}, {"total_tokens", u.InputTokens}}},
	})
}
