package fakellm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

type geminiRequest struct {
	Contents []struct {
		Role  string       `json:"role"`
		Parts []geminiPart `json:"parts"`
	} `json:"contents"`
	SystemInstruction *struct {
		Parts []geminiPart `json:"parts"`
	} `json:"systemInstruction"`
	Tools []struct {
		FunctionDeclarations []struct {
			Name string `json:"name"`
		} `json:"functionDeclarations"`
	} `json:"tools"`
}

type geminiPart struct {
	Text             *string         `json:"text"`
	FunctionResponse json.RawMessage `json:"functionResponse"`
}

// geminiToolCallOutput is the output count of a function call when the fake
// counts.
const geminiToolCallOutput = 12

// gemini answers generateContent and streamGenerateContent, for the Gemini
// API and Vertex AI alike: a functionCall while function declarations are
// offered and no functionResponse is in the contents, the answer otherwise.
// A stream is SSE with ?alt=sse and a streamed JSON array without it; every
// chunk carries usageMetadata, the last one the complete counts, as
// Gemini's do.
func (f *fake) gemini(c *call) {
	sseStream := c.r.URL.Query().Get("alt") == "sse"
	if f.opts.Recorded {
		if c.Stream {
			serveRecording(c.w, "vertex_gemini_streamGenerateContent_alt_sse_recorded.sse", "text/event-stream", nil)
			return
		}
		serveRecording(c.w, "vertex_gemini_generateContent_recorded.json", "application/json", nil)
		return
	}
	var req geminiRequest
	if err := json.Unmarshal(c.Body, &req); err != nil {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "Invalid JSON payload received."})
		return
	}
	var texts []string
	sawResult := false
	addParts := func(parts []geminiPart) {
		for _, p := range parts {
			switch {
			case p.Text != nil:
				texts = append(texts, *p.Text)
			case len(p.FunctionResponse) > 0:
				sawResult = true
				texts = append(texts, string(p.FunctionResponse))
			}
		}
	}
	if req.SystemInstruction != nil {
		addParts(req.SystemInstruction.Parts)
	}
	for _, content := range req.Contents {
		addParts(content.Parts)
	}
	var offered string
	for _, t := range req.Tools {
		if len(t.FunctionDeclarations) > 0 {
			offered = t.FunctionDeclarations[0].Name
			break
		}
	}
	rep := f.reply(c, texts, offered, sawResult, geminiToolCallOutput)
	u := rep.usage
	id := c.id("")
	vertex := c.Provider == ProviderVertexAI

	fullUsage := obj{{"promptTokenCount", u.InputTokens}, {"candidatesTokenCount", max(u.OutputTokens-u.ReasoningTokens, 0)},
		{"totalTokenCount", u.InputTokens + u.OutputTokens}}
	if u.CacheReadTokens > 0 {
		fullUsage = append(fullUsage, kv{"cachedContentTokenCount", u.CacheReadTokens})
	}
	if u.ReasoningTokens > 0 {
		fullUsage = append(fullUsage, kv{"thoughtsTokenCount", u.ReasoningTokens})
	}
	fullUsage = append(fullUsage,
		kv{"promptTokensDetails", []any{obj{{"modality", "TEXT"}, {"tokenCount", u.InputTokens}}}},
		kv{"candidatesTokensDetails", []any{obj{{"modality", "TEXT"}, {"tokenCount", max(u.OutputTokens-u.ReasoningTokens, 0)}}}})
	// Gemini's chunks before the last count the prompt only.
	partialUsage := obj{{"promptTokenCount", u.InputTokens}, {"totalTokenCount", u.InputTokens},
		{"promptTokensDetails", []any{obj{{"modality", "TEXT"}, {"tokenCount", u.InputTokens}}}}}

	response := func(parts []any, finish string, usage obj) obj {
		candidate := obj{{"content", obj{{"parts", parts}, {"role", "model"}}}}
		if finish != "" {
			candidate = append(candidate, kv{"finishReason", finish})
		}
		r := obj{{"candidates", []any{candidate}}, {"usageMetadata", usage}, {"modelVersion", c.Model}}
		if vertex {
			r = append(r, kv{"createTime", time.Now().UTC().Format(time.RFC3339Nano)})
		}
		return append(r, kv{"responseId", id})
	}
	functionCall := []any{obj{{"functionCall", obj{{"name", rep.tool}, {"args", rawJSON(rep.toolArgs)}}}}}

	if !c.Stream {
		parts := []any{obj{{"text", rep.text}}}
		if rep.tool != "" {
			parts = functionCall
		}
		writeJSON(c.w, http.StatusOK, nil, response(parts, "STOP", fullUsage))
		return
	}

	var chunks []obj
	if rep.tool != "" {
		chunks = append(chunks, response(functionCall, "STOP", fullUsage))
	} else {
		pieces := words(rep.text)
		for i, word := range pieces {
			if i == len(pieces)-1 {
				chunks = append(chunks, response([]any{obj{{"text", word}}}, "STOP", fullUsage))
				break
			}
			chunks = append(chunks, response([]any{obj{{"text", word}}}, "", partialUsage))
		}
	}
	if sseStream {
		c.w.Header().Set("Content-Type", "text/event-stream")
		for i, ch := range chunks {
			if i > 0 {
				f.pause()
			}
			fmt.Fprintf(c.w, "data: %s\r\n\r\n", mustMarshal(ch))
			flush(c.w)
		}
		return
	}
	c.w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	for i, ch := range chunks {
		sep := "["
		if i > 0 {
			f.pause()
			sep = ",\r\n"
		}
		fmt.Fprintf(c.w, "%s%s\n", sep, mustMarshal(ch))
		flush(c.w)
	}
	fmt.Fprint(c.w, "]")
	flush(c.w)
}
