package exporters_test

import (
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocSnippetsAreExamples keeps every code block in this package's doc
// comments compiling: each must appear, line for line, in the body of an
// Example function in example_test.go, which the test binary compiles (and,
// where it has an Output comment, runs). A snippet edited without its
// example, or an API change that breaks the example, fails the build or this
// test. Matching text instead of compiling snippets on their own keeps the
// snippets free of the imports and declarations a compiler would need.
func TestDocSnippetsAreExamples(t *testing.T) {
	fset := token.NewFileSet()
	examples := exampleBodies(t, fset, "example_test.go")
	require.NotEmpty(t, examples)

	sources, err := filepath.Glob("*.go")
	require.NoError(t, err)
	var snippets int
	for _, path := range sources {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		require.NoError(t, err)
		for _, doc := range docComments(file) {
			for _, code := range codeBlocks(doc.Text()) {
				snippets++
				pos := fset.Position(doc.Pos())
				assert.True(t, foundIn(examples, code),
					"%s:%d: this doc snippet is in no Example function of example_test.go; "+
						"copy it into one (or fix it) so that it is compiled:\n%s", path, pos.Line, code)
			}
		}
	}
	// The package doc has three; a parser that found none would pass vacuously.
	assert.GreaterOrEqual(t, snippets, 3, "code blocks found in the doc comments")
}

// exampleBodies returns the source of each Example function's body, one tab
// of indentation removed, keyed by the function's name.
func exampleBodies(t *testing.T, fset *token.FileSet, path string) map[string]string {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	require.NoError(t, err)
	bodies := map[string]string{}
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Recv != nil || !strings.HasPrefix(fn.Name.Name, "Example") {
			continue
		}
		lbrace := fset.Position(fn.Body.Lbrace).Offset
		rbrace := fset.Position(fn.Body.Rbrace).Offset
		lines := strings.Split(string(src[lbrace+1:rbrace]), "\n")
		for i, line := range lines {
			lines[i] = strings.TrimPrefix(line, "\t")
		}
		bodies[fn.Name.Name] = strings.Join(lines, "\n")
	}
	return bodies
}

// docComments returns the comments that go doc shows: the package's and
// those of declarations, specs and struct fields.
func docComments(file *ast.File) []*ast.CommentGroup {
	var docs []*ast.CommentGroup
	add := func(cg *ast.CommentGroup) {
		if cg != nil {
			docs = append(docs, cg)
		}
	}
	add(file.Doc)
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GenDecl:
			add(n.Doc)
		case *ast.FuncDecl:
			add(n.Doc)
		case *ast.TypeSpec:
			add(n.Doc)
		case *ast.ValueSpec:
			add(n.Doc)
		case *ast.Field:
			add(n.Doc)
		}
		return true
	})
	return docs
}

// codeBlocks returns the text of each code block in a doc comment, as
// go/doc/comment parses it: dedented, ending in a newline.
func codeBlocks(text string) []string {
	var p comment.Parser
	var blocks []string
	for _, block := range p.Parse(text).Content {
		if code, ok := block.(*comment.Code); ok {
			blocks = append(blocks, code.Text)
		}
	}
	return blocks
}

// foundIn reports whether code is a run of whole lines of some body.
func foundIn(bodies map[string]string, code string) bool {
	for _, body := range bodies {
		if strings.Contains("\n"+body+"\n", "\n"+code) {
			return true
		}
	}
	return false
}
