package bedrock

import (
	"encoding/json"
	"strings"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/dialect/count"
	"github.com/otelllm/otelllm/providers/internal/dialect/messages"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// Document reads a whole body: Converse's, InvokeModel's model-native
// one, or an error body.
func (d *dialect) Document(doc []byte, r *providers.Result) {
	d.parsed = true
	switch {
	case d.status >= 400:
		if d.errorType == "" {
			r.ErrorType = errorTypeBody(doc)
		}
	case d.action.invokes():
		r.Usage = d.headerUsage
		parseInvokeBody(doc, &r.Response)
		if d.asm != nil {
			d.answered = true
			d.invokeOutput(doc)
		}
	default:
		parseConverseBody(doc, &r.Response)
		if d.asm != nil {
			d.answered = true
			d.converseOutput(doc)
		}
	}
}

// errorTypeBody returns the error name of a JSON error body without an
// x-amzn-ErrorType header: "__type" ("com.amazon.coral.validate#ValidationException")
// or "code".
func errorTypeBody(body []byte) string {
	for _, key := range [...]string{"__type", "code", "Code"} {
		if s, ok := jsonscan.String(body, key); ok && s != "" {
			if i := strings.LastIndexByte(s, '#'); i >= 0 {
				s = s[i+1:]
			}
			name, _, _ := strings.Cut(s, ":")
			return name
		}
	}
	return ""
}

// parseConverseBody reads a Converse response: stopReason and usage.
func parseConverseBody(body []byte, r *providers.Response) {
	if reason, ok := jsonscan.String(body, "stopReason"); ok && reason != "" {
		r.FinishReasons = []string{reason}
	}
	if u, kind, ok := jsonscan.Get(body, "usage"); ok && kind == jsonscan.KindObject {
		var c counts
		c.merge(u, converseKeys)
		r.Usage = c.Usage(providers.SourceResponseBody)
	}
}

// invokeBody holds the members of every model family's InvokeModel response
// that say why generation stopped and how many tokens it counted.
type invokeBody struct {
	Type  string          `json:"type"`
	Usage json.RawMessage `json:"usage"`
	// Anthropic, Meta Llama.
	StopReason *string `json:"stop_reason"`
	// Amazon Nova.
	NovaStopReason *string `json:"stopReason"`
	// Meta Llama. Counts are kept raw, so that one that is not a count
	// (a fraction, a string) spoils only itself, not the whole body.
	PromptTokenCount     json.RawMessage `json:"prompt_token_count"`
	GenerationTokenCount json.RawMessage `json:"generation_token_count"`
	// Amazon Titan Text.
	InputTextTokenCount json.RawMessage `json:"inputTextTokenCount"`
	Results             []struct {
		TokenCount       json.RawMessage `json:"tokenCount"`
		CompletionReason string          `json:"completionReason"`
	} `json:"results"`
	// Mistral.
	Outputs []struct {
		StopReason string `json:"stop_reason"`
	} `json:"outputs"`
	// Cohere Command R (finish_reason) and Command (generations).
	FinishReason string `json:"finish_reason"`
	Generations  []struct {
		FinishReason string `json:"finish_reason"`
	} `json:"generations"`
	// OpenAI-style bodies (gpt-oss, DeepSeek, AI21 Jamba).
	Choices []struct {
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
}

// parseInvokeBody reads an InvokeModel response of any family. r.Usage
// holds the header counts on entry.
func parseInvokeBody(body []byte, r *providers.Response) {
	var b invokeBody
	if json.Unmarshal(body, &b) != nil {
		return // valid JSON, but not an object
	}
	var reasons []string
	add := func(s string) {
		if s != "" {
			reasons = append(reasons, s)
		}
	}
	var own providers.Usage // the body's own counts
	rich := false           // the body's counts beat the headers
	switch {
	case b.Type == "message" || jsonHas(b.Usage, "input_tokens") || jsonHas(b.Usage, "output_tokens"):
		// Anthropic Messages.
		if msg, ok := messages.ParseMessage(body); ok {
			add(msg.StopReason)
			own = msg.Counts.Usage(providers.SourceResponseBody)
			rich = true
			r.ID, r.Model = msg.ID, msg.Model // msg_bdrk_..., claude-3-5-haiku-20241022
		}
	case b.NovaStopReason != nil || jsonHas(b.Usage, "inputTokens"):
		if b.NovaStopReason != nil {
			add(*b.NovaStopReason)
		}
		var c counts
		if len(b.Usage) > 0 {
			c.merge(b.Usage, novaKeys)
		}
		own = c.Usage(providers.SourceResponseBody)
		rich = c.HasCache()
	case b.PromptTokenCount != nil || b.GenerationTokenCount != nil:
		// Meta Llama.
		if b.StopReason != nil {
			add(*b.StopReason)
		}
		own.Source = providers.SourceResponseBody
		setRaw(&own, providers.InputTokens, b.PromptTokenCount)
		setRaw(&own, providers.OutputTokens, b.GenerationTokenCount)
	case b.InputTextTokenCount != nil || len(b.Results) > 0:
		// Amazon Titan Text.
		own.Source = providers.SourceResponseBody
		setRaw(&own, providers.InputTokens, b.InputTextTokenCount)
		var out providers.Usage
		for _, res := range b.Results {
			add(res.CompletionReason)
			var one providers.Usage
			if setRaw(&one, providers.OutputTokens, res.TokenCount) {
				out.Set(providers.OutputTokens, count.Add(out.OutputTokens, one.OutputTokens))
			}
			out.Invalid |= one.Invalid
		}
		switch {
		case out.Invalid != 0:
			own.Reject(providers.OutputTokens) // a sum with a part that is not a count
		case out.Reported != 0:
			own.Set(providers.OutputTokens, out.OutputTokens)
		}
	case len(b.Outputs) > 0:
		for _, o := range b.Outputs {
			add(o.StopReason)
		}
	case len(b.Generations) > 0:
		for _, g := range b.Generations {
			add(g.FinishReason)
		}
	case b.FinishReason != "":
		add(b.FinishReason)
	case len(b.Choices) > 0:
		// OpenAI-style bodies (imported models, gpt-oss) count as Chat
		// Completions do: prompt_tokens, completion_tokens, total_tokens.
		for _, c := range b.Choices {
			add(c.FinishReason)
		}
		if len(b.Usage) > 0 && b.Usage[0] == '{' {
			count.SetAt(&own, providers.InputTokens, b.Usage, "prompt_tokens")
			count.SetAt(&own, providers.OutputTokens, b.Usage, "completion_tokens")
			count.SetAt(&own, providers.TotalTokens, b.Usage, "total_tokens")
			own.Source = providers.SourceResponseBody
			rich = own.Reported != 0
		}
	}
	r.FinishReasons = reasons
	if own.Reported == 0 && own.Invalid == 0 {
		own = providers.Usage{}
	}
	if rich && own.Reported != 0 || r.Usage.Reported == 0 {
		r.Usage = own
	}
}

// setRaw sets count f of u from a raw JSON value (nil when absent), by the
// rule of package count, and reports whether it was a count.
func setRaw(u *providers.Usage, f providers.UsageField, raw json.RawMessage) bool {
	if raw == nil {
		return false
	}
	v, k, ok := jsonscan.Get(raw)
	if !ok {
		return false
	}
	return count.Set(u, f, v, k)
}

// jsonHas reports whether the object obj has a member key.
func jsonHas(obj []byte, key string) bool {
	if len(obj) == 0 {
		return false
	}
	_, _, ok := jsonscan.Get(obj, key)
	return ok
}
