package openai

import (
	"encoding/json"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// parseRequest reads the parameters of a request body into r, and the
// stream flags into stream and includeUsage. It reports false, leaving r
// untouched, when body is not a JSON object.
func parseRequest(body []byte, r *providers.Request, stream, includeUsage *bool) bool {
	if !json.Valid(body) {
		return false
	}
	doc, kind, ok := jsonscan.Get(body)
	if !ok || kind != jsonscan.KindObject {
		return false
	}
	var maxCompletion, maxTokens, maxOutput *int64
	jsonscan.ObjectEach(doc, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "model":
			if s, ok := stringValue(v, k); ok && s != "" {
				r.Model = s
			}
		case "stream":
			if k == jsonscan.KindBool {
				*stream = v[0] == 't'
			}
		case "stream_options":
			if b, ok := jsonscan.Bool(v, "include_usage"); ok {
				*includeUsage = b
			}
		case "max_completion_tokens":
			maxCompletion = intValue(v, k)
		case "max_tokens":
			maxTokens = intValue(v, k)
		case "max_output_tokens":
			maxOutput = intValue(v, k)
		case "temperature":
			r.Temperature = floatValue(v, k)
		case "top_p":
			r.TopP = floatValue(v, k)
		case "frequency_penalty":
			r.FrequencyPenalty = floatValue(v, k)
		case "presence_penalty":
			r.PresencePenalty = floatValue(v, k)
		case "stop":
			r.StopSequences = stopSequences(v, k)
		case "seed":
			r.Seed = intValue(v, k)
		case "n":
			r.ChoiceCount = intValue(v, k)
		case "service_tier":
			if s, ok := stringValue(v, k); ok {
				r.ServiceTier = s
			}
		case "dimensions":
			r.Dimensions = intValue(v, k)
		case "encoding_format":
			if s, ok := stringValue(v, k); ok && s != "" {
				r.EncodingFormats = []string{s}
			}
		}
	})
	switch {
	case maxCompletion != nil:
		r.MaxTokens = maxCompletion
	case maxTokens != nil:
		r.MaxTokens = maxTokens
	default:
		r.MaxTokens = maxOutput
	}
	return true
}

func stringValue(v []byte, k jsonscan.Kind) (string, bool) {
	if k != jsonscan.KindString {
		return "", false
	}
	return jsonscan.Str(v)
}

func intValue(v []byte, k jsonscan.Kind) *int64 {
	if k != jsonscan.KindNumber {
		return nil
	}
	n, ok := jsonscan.ParseInt(v)
	if !ok {
		return nil
	}
	return &n
}

func floatValue(v []byte, k jsonscan.Kind) *float64 {
	if k != jsonscan.KindNumber {
		return nil
	}
	f, ok := jsonscan.Float(v)
	if !ok {
		return nil
	}
	return &f
}

// stopSequences reads "stop", which is a string or an array of strings.
func stopSequences(v []byte, k jsonscan.Kind) []string {
	switch k {
	case jsonscan.KindString:
		if s, ok := jsonscan.Str(v); ok {
			return []string{s}
		}
	case jsonscan.KindArray:
		var out []string
		jsonscan.ArrayEach(v, func(elem []byte, ek jsonscan.Kind) {
			if s, ok := stringValue(elem, ek); ok {
				out = append(out, s)
			}
		})
		return out
	}
	return nil
}
