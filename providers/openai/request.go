package openai

import (
	"bytes"

	"github.com/otelllm/otelllm/providers"
	"github.com/otelllm/otelllm/providers/internal/jsonscan"
)

// parseRequest reads the parameters of a request body into r, and the
// stream flags into stream and includeUsage. It reports false, leaving r
// untouched, when body is not a JSON object.
func parseRequest(body []byte, r *providers.Request, stream, includeUsage *bool) bool {
	// No json.Valid pass: request bodies can be long prompts, and this runs
	// before the request is sent; the scan reports malformed structure.
	doc, kind, ok := jsonscan.Get(body)
	if !ok || kind != jsonscan.KindObject {
		return false
	}
	var maxCompletion, maxTokens, maxOutput *int64
	jsonscan.ObjectEach(doc, func(key, v []byte, k jsonscan.Kind) {
		switch string(key) {
		case "model":
			if s, ok := jsonscan.StringValue(v, k); ok && s != "" {
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
			maxCompletion = jsonscan.IntPtr(v, k)
		case "max_tokens":
			maxTokens = jsonscan.IntPtr(v, k)
		case "max_output_tokens":
			maxOutput = jsonscan.IntPtr(v, k)
		case "temperature":
			r.Temperature = jsonscan.FloatPtr(v, k)
		case "top_p":
			r.TopP = jsonscan.FloatPtr(v, k)
		case "frequency_penalty":
			r.FrequencyPenalty = jsonscan.FloatPtr(v, k)
		case "presence_penalty":
			r.PresencePenalty = jsonscan.FloatPtr(v, k)
		case "stop":
			r.StopSequences = jsonscan.Strings(v, k)
		case "seed":
			r.Seed = jsonscan.IntPtr(v, k)
		case "n":
			r.ChoiceCount = jsonscan.IntPtr(v, k)
		case "service_tier":
			if s, ok := jsonscan.StringValue(v, k); ok {
				r.ServiceTier = s
			}
		case "web_search_options":
			if s, ok := jsonscan.String(v, "search_context_size"); ok {
				r.SearchContextSize = s
			}
		case "tools":
			// The Responses API's web search tool carries the size.
			jsonscan.ArrayEach(v, func(tool []byte, _ jsonscan.Kind) {
				if t, ok := jsonscan.RawString(tool, "type"); ok && bytes.HasPrefix(t, []byte("web_search")) {
					if s, ok := jsonscan.String(tool, "search_context_size"); ok {
						r.SearchContextSize = s
					}
				}
			})
		case "dimensions":
			r.Dimensions = jsonscan.IntPtr(v, k)
		case "encoding_format":
			if s, ok := jsonscan.StringValue(v, k); ok && s != "" {
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
