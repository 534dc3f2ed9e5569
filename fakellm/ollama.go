package fakellm

import (
	"encoding/json"
	"net/http"
	"time"
)

// ollamaToolCallOutput is the output count of a tool call when the fake
// counts.
const ollamaToolCallOutput = 16

// ollamaFinal is the durations and counts of Ollama's last object.
func ollamaFinal(u Usage) []kv {
	return []kv{
		{"total_duration", 480_000_000}, {"load_duration", 1_600_000},
		{"prompt_eval_count", u.InputTokens}, {"prompt_eval_duration", 120_000_000},
		{"eval_count", u.OutputTokens}, {"eval_duration", 350_000_000},
	}
}

func ollamaTime() string { return time.Now().UTC().Format(time.RFC3339Nano) }

// ndjson writes one object of an NDJSON stream and flushes it.
func ndjson(w http.ResponseWriter, v obj) {
	_, _ = w.Write(append(mustMarshal(v), '\n'))
	flush(w)
}

// ollamaChat answers /api/chat: streamed as NDJSON unless the request says
// "stream": false, the counts in the last object ("done": true); a tool call
// while tools are offered and no tool message is in the conversation.
func (f *fake) ollamaChat(c *call) {
	if f.opts.Recorded {
		if c.Stream {
			serveRecording(c.w, "api_chat_stream_from_docs.ndjson", "application/x-ndjson", nil)
			return
		}
		serveRecording(c.w, "api_chat_nonstream_from_docs.json", "application/json", nil)
		return
	}
	var req chatRequest
	if err := json.Unmarshal(c.Body, &req); err != nil || req.Model == "" {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "model is required"})
		return
	}
	texts, offered, sawResult := req.turn()
	rep := f.reply(c, texts, offered, sawResult, ollamaToolCallOutput)
	message := func(content string) obj {
		m := obj{{"role", "assistant"}, {"content", content}}
		if rep.tool != "" {
			m = append(m, kv{"tool_calls", []any{obj{{"function", obj{{"name", rep.tool}, {"arguments", rawJSON(rep.toolArgs)}}}}}})
		}
		return m
	}
	final := func(content string) obj {
		return append(obj{{"model", req.Model}, {"created_at", ollamaTime()}, {"message", message(content)},
			{"done_reason", "stop"}, {"done", true}}, ollamaFinal(rep.usage)...)
	}
	if !c.Stream {
		text := rep.text
		if rep.tool != "" {
			text = ""
		}
		writeJSON(c.w, http.StatusOK, nil, final(text))
		return
	}
	c.w.Header().Set("Content-Type", "application/x-ndjson")
	if rep.tool == "" {
		for i, word := range words(rep.text) {
			if i > 0 {
				f.pause()
			}
			ndjson(c.w, obj{{"model", req.Model}, {"created_at", ollamaTime()}, {"message", obj{{"role", "assistant"}, {"content", word}}}, {"done", false}})
		}
	}
	f.pause()
	ndjson(c.w, final(""))
}

// ollamaGenerate answers /api/generate, streamed unless told not to.
func (f *fake) ollamaGenerate(c *call) {
	if f.opts.Recorded {
		serveRecording(c.w, "api_generate_stream_from_docs.ndjson", "application/x-ndjson", nil)
		return
	}
	var req struct {
		Model  string `json:"model"`
		Prompt string `json:"prompt"`
		System string `json:"system"`
	}
	if err := json.Unmarshal(c.Body, &req); err != nil || req.Model == "" {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "model is required"})
		return
	}
	rep := f.reply(c, []string{req.System, req.Prompt}, "", false, 0)
	final := func(response string) obj {
		return append(obj{{"model", req.Model}, {"created_at", ollamaTime()}, {"response", response},
			{"done", true}, {"done_reason", "stop"}}, ollamaFinal(rep.usage)...)
	}
	if !c.Stream {
		writeJSON(c.w, http.StatusOK, nil, final(rep.text))
		return
	}
	c.w.Header().Set("Content-Type", "application/x-ndjson")
	for i, word := range words(rep.text) {
		if i > 0 {
			f.pause()
		}
		ndjson(c.w, obj{{"model", req.Model}, {"created_at", ollamaTime()}, {"response", word}, {"done", false}})
	}
	f.pause()
	ndjson(c.w, final(""))
}

// ollamaEmbed answers /api/embed: one vector per input, the input count as
// prompt_eval_count.
func (f *fake) ollamaEmbed(c *call) {
	if f.opts.Recorded {
		serveRecording(c.w, "api_embed_from_docs.json", "application/json", nil)
		return
	}
	var req struct {
		Model string          `json:"model"`
		Input json.RawMessage `json:"input"`
	}
	if err := json.Unmarshal(c.Body, &req); err != nil || req.Model == "" {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "model is required"})
		return
	}
	texts := promptTexts(req.Input)
	u := c.usageOr(Usage{InputTokens: countInput(texts)})
	vectors := make([]any, 0, len(texts))
	for range texts {
		vectors = append(vectors, []float64{0.010071029, -0.0017594862, 0.05007221})
	}
	writeJSON(c.w, http.StatusOK, nil, obj{{"model", req.Model}, {"embeddings", vectors},
		{"total_duration", 14_143_917}, {"load_duration", 1_019_500}, {"prompt_eval_count", u.InputTokens}})
}
