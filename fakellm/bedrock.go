package fakellm

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// bedrockToolCallOutput is the output count of a tool call when the fake
// counts.
const bedrockToolCallOutput = 20

// bedrockLatencyMs is the latency the fake's Bedrock answers report.
const bedrockLatencyMs = 120

// converseRequest is a Converse request, and the Nova InvokeModel body,
// which has the same messages.
type converseRequest struct {
	Messages []struct {
		Role    string `json:"role"`
		Content []struct {
			Text       *string         `json:"text"`
			ToolResult json.RawMessage `json:"toolResult"`
		} `json:"content"`
	} `json:"messages"`
	ToolConfig *struct {
		Tools []struct {
			ToolSpec struct {
				Name string `json:"name"`
			} `json:"toolSpec"`
		} `json:"tools"`
	} `json:"toolConfig"`
}

func (f *fake) converseReply(c *call, req *converseRequest) reply {
	var texts []string
	sawResult := false
	for _, m := range req.Messages {
		for _, block := range m.Content {
			switch {
			case block.Text != nil:
				texts = append(texts, *block.Text)
			case len(block.ToolResult) > 0:
				sawResult = true
				texts = append(texts, string(block.ToolResult))
			}
		}
	}
	var offered string
	if req.ToolConfig != nil && len(req.ToolConfig.Tools) > 0 {
		offered = req.ToolConfig.Tools[0].ToolSpec.Name
	}
	return f.reply(c, texts, offered, sawResult, bedrockToolCallOutput)
}

// converseUsage is a Converse (and Nova) usage object: input without the
// cache, the cache counts when there are any, a total of all of them.
func converseUsage(u Usage, nova bool) obj {
	in := u.uncachedInput()
	usage := obj{{"inputTokens", in}, {"outputTokens", u.OutputTokens}, {"totalTokens", in + u.OutputTokens + u.CacheReadTokens + u.CacheWriteTokens}}
	switch {
	case nova:
		usage = append(usage, kv{"cacheReadInputTokenCount", u.CacheReadTokens}, kv{"cacheWriteInputTokenCount", u.CacheWriteTokens})
	case u.CacheReadTokens > 0 || u.CacheWriteTokens > 0:
		usage = append(usage, kv{"cacheReadInputTokens", u.CacheReadTokens}, kv{"cacheWriteInputTokens", u.CacheWriteTokens})
	}
	return usage
}

func stopReason(rep reply) string {
	if rep.tool != "" {
		return "tool_use"
	}
	return "end_turn"
}

// converseContent is the assistant message content of a Converse or Nova
// answer.
func converseContent(rep reply) []any {
	if rep.tool != "" {
		return []any{obj{{"toolUse", obj{{"toolUseId", "tooluse_fake_1"}, {"name", rep.tool}, {"input", rawJSON(rep.toolArgs)}}}}}
	}
	return []any{obj{{"text", rep.text}}}
}

// bedrockConverse answers Converse and ConverseStream. Bedrock names no
// model in the answer: the model is the one in the path.
func (f *fake) bedrockConverse(c *call) {
	if f.opts.Recorded {
		if c.Stream {
			serveRecording(c.w, "converse_stream_titan_recorded.bin", "application/vnd.amazon.eventstream", map[string]string{"x-amzn-RequestId": "3f5d2b0e-bedrock-stream"})
			return
		}
		serveRecording(c.w, "converse_nonstream_titan_recorded.json", "application/json", map[string]string{"x-amzn-RequestId": "180bdcbc-0fea-4b99-a0f0-b858dd830a83"})
		return
	}
	var req converseRequest
	if err := json.Unmarshal(c.Body, &req); err != nil {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "Malformed input request, please reformat your input and try again."})
		return
	}
	rep := f.converseReply(c, &req)
	c.w.Header().Set("x-amzn-RequestId", c.uuid())
	if !c.Stream {
		writeJSON(c.w, http.StatusOK, nil, obj{
			{"metrics", obj{{"latencyMs", bedrockLatencyMs}}},
			{"output", obj{{"message", obj{{"content", converseContent(rep)}, {"role", "assistant"}}}}},
			{"stopReason", stopReason(rep)},
			{"usage", converseUsage(rep.usage, false)},
		})
		return
	}
	es := newEventStream(c.w)
	es.event("messageStart", obj{{"p", padding(1)}, {"role", "assistant"}})
	if rep.tool != "" {
		es.event("contentBlockStart", obj{{"contentBlockIndex", 0}, {"p", padding(2)},
			{"start", obj{{"toolUse", obj{{"name", rep.tool}, {"toolUseId", "tooluse_fake_1"}}}}}})
		f.pause()
		es.event("contentBlockDelta", obj{{"contentBlockIndex", 0}, {"delta", obj{{"toolUse", obj{{"input", string(rawJSONBytes(rep.toolArgs))}}}}}, {"p", padding(3)}})
	} else {
		for i, word := range words(rep.text) {
			f.pause()
			es.event("contentBlockDelta", obj{{"contentBlockIndex", 0}, {"delta", obj{{"text", word}}}, {"p", padding(i)}})
		}
	}
	es.event("contentBlockStop", obj{{"contentBlockIndex", 0}, {"p", padding(4)}})
	es.event("messageStop", obj{{"p", padding(5)}, {"stopReason", stopReason(rep)}})
	es.event("metadata", obj{{"metrics", obj{{"latencyMs", bedrockLatencyMs}}}, {"p", padding(6)}, {"usage", converseUsage(rep.usage, false)}})
}

// family is the model family of a Bedrock model id, which decides the
// InvokeModel body.
func family(modelID string) string {
	switch {
	case strings.Contains(modelID, "anthropic."):
		return "anthropic"
	case strings.Contains(modelID, "amazon.nova"):
		return "nova"
	case strings.Contains(modelID, "amazon.titan-text"):
		return "titan"
	}
	return ""
}

var versionSuffix = regexp.MustCompile(`-v\d+(:\d+)?$`)

// claudeModel is the model name Claude's answers on Bedrock carry for a
// Bedrock model id: "us.anthropic.claude-3-5-haiku-20241022-v1:0" answers
// as "claude-3-5-haiku-20241022".
func claudeModel(modelID string) string {
	_, name, _ := strings.Cut(modelID, "anthropic.")
	return versionSuffix.ReplaceAllString(name, "")
}

// bedrockInvoke answers InvokeModel and InvokeModelWithResponseStream with
// the model-native body of Claude, Nova or Titan models, the token counts in
// the X-Amzn-Bedrock-* headers, and in streams the
// amazon-bedrock-invocationMetrics of the last chunk.
func (f *fake) bedrockInvoke(c *call) {
	if f.opts.Recorded {
		if c.Stream {
			serveRecording(c.w, "invoke_with_response_stream_claude_recorded.bin", "application/vnd.amazon.eventstream", nil)
			return
		}
		serveRecording(c.w, "invoke_model_claude_recorded.json", "application/json", map[string]string{
			"X-Amzn-Bedrock-Input-Token-Count":  "14",
			"X-Amzn-Bedrock-Output-Token-Count": "10",
			"X-Amzn-Bedrock-Invocation-Latency": "1131",
			"x-amzn-RequestId":                  "173e5b06-61f1-4368-9926-0a3369f721eb",
		})
		return
	}
	fam := family(c.Model)
	if fam == "" {
		f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "fakellm answers InvokeModel for Anthropic Claude, Amazon Nova and Amazon Titan Text models only; use Converse for " + c.Model})
		return
	}
	var rep reply
	var answer anthropicAnswer
	switch fam {
	case "anthropic":
		var req anthropicRequest
		if err := json.Unmarshal(c.Body, &req); err != nil {
			f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "Malformed input request, please reformat your input and try again."})
			return
		}
		answer = f.anthropicMessage(c, &req)
		answer.id = c.id("msg_bdrk_")
		rep = answer.reply
	case "nova":
		var req converseRequest
		if err := json.Unmarshal(c.Body, &req); err != nil {
			f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "Malformed input request, please reformat your input and try again."})
			return
		}
		rep = f.converseReply(c, &req)
	case "titan":
		var req struct {
			InputText string `json:"inputText"`
		}
		if err := json.Unmarshal(c.Body, &req); err != nil {
			f.writeFault(c, Fault{Status: http.StatusBadRequest, Message: "Malformed input request, please reformat your input and try again."})
			return
		}
		rep = f.reply(c, []string{req.InputText}, "", false, 0)
	}
	u := rep.usage
	h := c.w.Header()
	h.Set("x-amzn-RequestId", c.uuid())
	if !c.Stream {
		h.Set("X-Amzn-Bedrock-Input-Token-Count", strconv.Itoa(u.uncachedInput()))
		h.Set("X-Amzn-Bedrock-Output-Token-Count", strconv.Itoa(u.OutputTokens))
		h.Set("X-Amzn-Bedrock-Invocation-Latency", strconv.Itoa(bedrockLatencyMs))
		if u.CacheReadTokens > 0 || u.CacheWriteTokens > 0 || fam == "nova" {
			h.Set("X-Amzn-Bedrock-Cache-Read-Input-Token-Count", strconv.Itoa(u.CacheReadTokens))
			h.Set("X-Amzn-Bedrock-Cache-Write-Input-Token-Count", strconv.Itoa(u.CacheWriteTokens))
		}
		switch fam {
		case "anthropic":
			writeJSON(c.w, http.StatusOK, nil, answer.message(claudeModel(c.Model)))
		case "nova":
			writeJSON(c.w, http.StatusOK, nil, obj{
				{"output", obj{{"message", obj{{"content", converseContent(rep)}, {"role", "assistant"}}}}},
				{"stopReason", stopReason(rep)}, {"usage", converseUsage(u, true)},
			})
		case "titan":
			writeJSON(c.w, http.StatusOK, nil, obj{
				{"inputTextTokenCount", u.InputTokens},
				{"results", []any{obj{{"tokenCount", u.OutputTokens}, {"outputText", rep.text}, {"completionReason", "FINISH"}}}},
			})
		}
		return
	}

	metrics := obj{{"inputTokenCount", u.uncachedInput()}, {"outputTokenCount", u.OutputTokens},
		{"invocationLatency", bedrockLatencyMs}, {"firstByteLatency", bedrockLatencyMs / 2}}
	if u.CacheReadTokens > 0 || u.CacheWriteTokens > 0 {
		metrics = append(metrics, kv{"cacheReadInputTokenCount", u.CacheReadTokens}, kv{"cacheWriteInputTokenCount", u.CacheWriteTokens})
	}
	es := newEventStream(c.w)
	n := 0
	chunk := func(v obj) {
		es.event("chunk", obj{{"bytes", base64.StdEncoding.EncodeToString(mustMarshal(v))}, {"p", padding(n)}})
		n++
	}
	switch fam {
	case "anthropic":
		answer.stream(f, claudeModel(c.Model), func(_ string, v obj) {
			if len(v) > 0 && v[0].v == "message_stop" {
				v = append(v, kv{"amazon-bedrock-invocationMetrics", metrics})
			}
			chunk(v)
		})
	case "nova":
		chunk(obj{{"messageStart", obj{{"role", "assistant"}}}})
		if rep.tool != "" {
			chunk(obj{{"contentBlockStart", obj{{"start", obj{{"toolUse", obj{{"toolUseId", "tooluse_fake_1"}, {"name", rep.tool}}}}}, {"contentBlockIndex", 0}}}})
			f.pause()
			chunk(obj{{"contentBlockDelta", obj{{"delta", obj{{"toolUse", obj{{"input", string(rawJSONBytes(rep.toolArgs))}}}}}, {"contentBlockIndex", 0}}}})
		} else {
			for _, word := range words(rep.text) {
				f.pause()
				chunk(obj{{"contentBlockDelta", obj{{"delta", obj{{"text", word}}}, {"contentBlockIndex", 0}}}})
			}
		}
		chunk(obj{{"contentBlockStop", obj{{"contentBlockIndex", 0}}}})
		chunk(obj{{"messageStop", obj{{"stopReason", stopReason(rep)}}}})
		streamUsage := obj{{"inputTokens", u.uncachedInput()}, {"outputTokens", u.OutputTokens}}
		if u.CacheReadTokens > 0 || u.CacheWriteTokens > 0 {
			streamUsage = append(streamUsage, kv{"cacheReadInputTokenCount", u.CacheReadTokens}, kv{"cacheWriteInputTokenCount", u.CacheWriteTokens})
		}
		chunk(obj{{"metadata", obj{{"usage", streamUsage}, {"metrics", obj{}}, {"trace", obj{}}}},
			{"amazon-bedrock-invocationMetrics", metrics}})
	case "titan":
		chunk(obj{{"outputText", rep.text}, {"index", 0}, {"totalOutputTextTokenCount", u.OutputTokens},
			{"completionReason", "FINISH"}, {"inputTextTokenCount", u.InputTokens}, {"amazon-bedrock-invocationMetrics", metrics}})
	}
}

// padding is the "p" field Bedrock adds to stream events so that their
// sizes do not give their content away: letters, of a length that varies.
func padding(i int) string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	return letters[:1+(i*7)%len(letters)]
}

// eventStream writes AWS event stream messages
// (application/vnd.amazon.eventstream): a prelude of total and header
// lengths with its CRC32, the headers, the payload, and a CRC32 of it all.
type eventStream struct {
	w http.ResponseWriter
}

func newEventStream(w http.ResponseWriter) *eventStream {
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	return &eventStream{w: w}
}

func (e *eventStream) event(eventType string, payload obj) {
	_, _ = e.w.Write(eventMessage([][2]string{
		{":event-type", eventType}, {":content-type", "application/json"}, {":message-type", "event"},
	}, mustMarshal(payload)))
	flush(e.w)
}

// eventMessage encodes one event stream message with string headers.
func eventMessage(headers [][2]string, payload []byte) []byte {
	var hb bytes.Buffer
	for _, h := range headers {
		hb.WriteByte(byte(len(h[0])))
		hb.WriteString(h[0])
		hb.WriteByte(7) // string
		_ = binary.Write(&hb, binary.BigEndian, uint16(len(h[1])))
		hb.WriteString(h[1])
	}
	total := 12 + hb.Len() + len(payload) + 4
	msg := make([]byte, 0, total)
	msg = binary.BigEndian.AppendUint32(msg, uint32(total))
	msg = binary.BigEndian.AppendUint32(msg, uint32(hb.Len()))
	msg = binary.BigEndian.AppendUint32(msg, crc32.ChecksumIEEE(msg[:8]))
	msg = append(msg, hb.Bytes()...)
	msg = append(msg, payload...)
	return binary.BigEndian.AppendUint32(msg, crc32.ChecksumIEEE(msg))
}
