package jsonarray

import (
	"fmt"
	"strings"
	"testing"
)

// benchText is a chunk's text as Gemini streams it, with a quote and
// newlines escaped.
const benchText = ` sun had gone down, painting the sky in \"deep\" shades of blue.\n\nThe moon was shining like a nightlight`

// benchArrays are streams of 300 elements in Gemini's shapes: the
// pretty-printed array streamGenerateContent sends, and the same elements
// compact.
var benchArrays = []struct {
	name    string
	element string
}{
	{"pretty", "{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \"%s %d\"\n          }\n        ],\n        \"role\": \"model\"\n      },\n      \"index\": 0\n    }\n  ],\n  \"usageMetadata\": {\n    \"promptTokenCount\": 11,\n    \"candidatesTokenCount\": %d,\n    \"totalTokenCount\": %d,\n    \"promptTokensDetails\": [\n      {\n        \"modality\": \"TEXT\",\n        \"tokenCount\": 11\n      }\n    ],\n    \"thoughtsTokenCount\": 713\n  },\n  \"modelVersion\": \"gemini-3.5-flash\",\n  \"responseId\": \"iCUhao2zJ-LHjuMP1vvH2Qk\"\n}\n"},
	{"compact", `{"candidates":[{"content":{"parts":[{"text":"%s %d"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":11,"candidatesTokenCount":%d,"totalTokenCount":%d,"promptTokensDetails":[{"modality":"TEXT","tokenCount":11}],"thoughtsTokenCount":713},"modelVersion":"gemini-3.5-flash","responseId":"iCUhao2zJ-LHjuMP1vvH2Qk"}`},
}

const benchElements = 300

// BenchmarkFramer frames whole arrays read in 4 KiB runs; an op is one
// element, as in the providers' benchmarks, so that ns/op is the framing
// cost of an element.
func BenchmarkFramer(b *testing.B) {
	for _, ba := range benchArrays {
		var body strings.Builder
		body.WriteString("[")
		for i := range benchElements {
			if i > 0 {
				body.WriteString(",\r\n")
			}
			fmt.Fprintf(&body, ba.element, benchText, i, 2+25*i, 726+25*i)
		}
		body.WriteString("]")
		all := []byte(body.String())
		var runs [][]byte
		for p := all; len(p) > 0; p = p[min(len(p), 4096):] {
			runs = append(runs, p[:min(len(p), 4096)])
		}
		b.Run(ba.name, func(b *testing.B) {
			b.SetBytes(int64(len(all) / benchElements))
			b.ReportAllocs()
			for i := 0; i < b.N; i += benchElements {
				elements := 0
				f := New(0, func([]byte) { elements++ })
				for _, run := range runs {
					f.Write(run)
				}
				if elements != benchElements || !f.Closed() {
					b.Fatalf("%d elements, closed %v", elements, f.Closed())
				}
			}
		})
	}
}
