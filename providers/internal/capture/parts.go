package capture

import "github.com/otelllm/otelllm/providers"

// maxParts bounds the parts of a message a Parts numbers: those an
// Assembler keeps.
const maxParts = providers.MaxAssembled

// Parts numbers the parts of one streamed message for a providers.Assembler
// in the order they first appear, whatever a provider numbers them by: its
// own content block indexes (Bedrock, Claude, Cohere), nothing at all
// (Gemini's parts, Ollama's lines), or a new index for every delta (Amazon
// Nova's InvokeModel stream). Past maxParts it returns indexes the
// Assembler ignores. The zero value is ready.
type Parts struct {
	blocks []int    // the provider's block index of each part, -1 for none
	kinds  []string // the part type of each part
}

// Block returns the part of the provider's block index b, which holds a
// part of type kind: the part b was given before, or a new one.
func (p *Parts) Block(b int, kind string) int {
	for i := len(p.blocks) - 1; i >= 0; i-- {
		if p.blocks[i] == b {
			return i
		}
	}
	return p.add(b, kind)
}

// Continue returns the part a delta of type kind belongs to when deltas of
// one kind run on into one part (text after text, reasoning after
// reasoning): the last part if it is of that kind, else a new one. b is
// the provider's block index, -1 for none; a block met before keeps its
// part.
func (p *Parts) Continue(b int, kind string) int {
	if b >= 0 {
		for i := len(p.blocks) - 1; i >= 0; i-- {
			if p.blocks[i] == b {
				return i
			}
		}
	}
	if n := len(p.kinds); n > 0 && p.kinds[n-1] == kind {
		if b >= 0 {
			p.blocks[n-1] = b
		}
		return n - 1
	}
	return p.add(b, kind)
}

// New returns a new part of type kind.
func (p *Parts) New(kind string) int { return p.add(-1, kind) }

func (p *Parts) add(b int, kind string) int {
	if len(p.blocks) >= maxParts {
		return maxParts
	}
	p.blocks = append(p.blocks, b)
	p.kinds = append(p.kinds, kind)
	return len(p.blocks) - 1
}

// Len returns how many parts were numbered.
func (p *Parts) Len() int { return len(p.blocks) }
