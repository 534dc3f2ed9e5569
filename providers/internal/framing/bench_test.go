package framing

import (
	"fmt"
	"strings"
	"testing"
)

// benchBodies are stream bodies of 300 events in the shapes the providers
// send: OpenAI's one data line, Anthropic's event line and data line,
// Gemini's long CRLF chunks, and Ollama's NDJSON.
var benchBodies = []struct {
	name string
	body func(i int) string
}{
	{"openai", func(i int) string {
		return fmt.Sprintf("data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word%d \"},\"finish_reason\":null}]}\n\n", i)
	}},
	{"anthropic", func(i int) string {
		return fmt.Sprintf("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"word%d \"}}\n\n", i)
	}},
	{"gemini", func(i int) string {
		return fmt.Sprintf("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \" sun had gone down, painting the sky in \\\"deep\\\" shades of blue.\\n\\nThe moon was shining like a nightlight %d\"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 11,\"candidatesTokenCount\": %d,\"totalTokenCount\": %d,\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 11}],\"thoughtsTokenCount\": 713,\"serviceTier\": \"standard\"},\"modelVersion\": \"gemini-3.5-flash\",\"responseId\": \"iCUhao2zJ-LHjuMP1vvH2Qk\"}\r\n\r\n", i, 2+25*i, 726+25*i)
	}},
}

const benchEvents = 300

// benchRuns returns body(i) for 300 events, cut into 4 KiB runs as an
// application reading with a bufio-sized buffer would show them.
func benchRuns(body func(int) string) (runs [][]byte, size int) {
	var b strings.Builder
	for i := range benchEvents {
		b.WriteString(body(i))
	}
	all := []byte(b.String())
	for p := all; len(p) > 0; p = p[min(len(p), 4096):] {
		runs = append(runs, p[:min(len(p), 4096)])
	}
	return runs, len(all)
}

// BenchmarkSSE frames whole streams; an op is one event, as in the
// providers' benchmarks, so that ns/op is the framing cost of an event.
func BenchmarkSSE(b *testing.B) {
	for _, bb := range benchBodies {
		runs, size := benchRuns(bb.body)
		b.Run(bb.name, func(b *testing.B) {
			b.SetBytes(int64(size / benchEvents))
			b.ReportAllocs()
			for i := 0; i < b.N; i += benchEvents {
				events := 0
				s := NewSSE(0, func(event, data []byte) { events++ })
				for _, run := range runs {
					s.Write(run)
				}
				s.End()
				if events != benchEvents {
					b.Fatalf("%d events", events)
				}
			}
		})
	}
}

// BenchmarkLines is BenchmarkSSE for an NDJSON stream.
func BenchmarkLines(b *testing.B) {
	runs, size := benchRuns(func(i int) string {
		return fmt.Sprintf("{\"model\":\"llama3.2\",\"created_at\":\"2025-01-01T00:00:00.%06dZ\",\"message\":{\"role\":\"assistant\",\"content\":\"word%d \"},\"done\":false}\n", i, i)
	})
	b.SetBytes(int64(size / benchEvents))
	b.ReportAllocs()
	for i := 0; i < b.N; i += benchEvents {
		lines := 0
		l := NewLines(0, func([]byte) { lines++ })
		for _, run := range runs {
			l.Write(run)
		}
		l.End()
		if lines != benchEvents {
			b.Fatalf("%d lines", lines)
		}
	}
}
