package doccheck

import (
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocSnippetsAreExamples walks every package of the module (nested
// modules, such as examples/sdk and integration, check their own) and
// requires each Go code block of a doc comment to appear in an Example
// function of its package.
func TestDocSnippetsAreExamples(t *testing.T) {
	root := moduleRoot(t)
	fset := token.NewFileSet()
	var goSnippets, otherBlocks int
	err := filepath.WalkDir(root, func(dir string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if dir != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || exists(filepath.Join(dir, "go.mod"))) {
			return filepath.SkipDir
		}
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			return err
		}
		rel, _ := filepath.Rel(root, dir)
		examples := exampleBodies(t, fset, files)
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			src, err := os.ReadFile(path)
			require.NoError(t, err)
			file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
			require.NoError(t, err)
			for _, doc := range docComments(file) {
				for _, code := range codeBlocks(doc.Text()) {
					where := filepath.Join(rel, filepath.Base(path)) + ":" + strconv.Itoa(blockLine(src, fset.Position(doc.Pos()).Line, code))
					switch {
					case isGo(code):
						goSnippets++
						assert.True(t, foundIn(examples, code),
							"%s: this doc snippet is in no Example function of %s; copy it into one (or fix it) so that it is compiled:\n%s",
							where, rel, code)
					case looksLikeGo(code):
						t.Errorf("%s: this doc snippet looks like Go but does not parse:\n%s", where, code)
					default:
						otherBlocks++
					}
				}
			}
		}
		return nil
	})
	require.NoError(t, err)
	// The package docs of otelllm, exporters and fakellm hold eight Go
	// snippets, and semconv's tables are not Go: a walk or a classifier
	// that found none would pass vacuously.
	assert.GreaterOrEqual(t, goSnippets, 8, "Go snippets found in the doc comments")
	assert.GreaterOrEqual(t, otherBlocks, 4, "blocks that are not Go found in the doc comments")
}

// TestIsGo pins the classifier on the kinds of blocks the doc comments
// hold.
func TestIsGo(t *testing.T) {
	for _, c := range []struct {
		code       string
		isGo, like bool
	}{
		{"client := otelllm.WrapClient(http.DefaultClient) // a copy\n", true, true},
		{"defer func() {\n\tshutdown(ctx)\n}()\n", true, false},
		{"type T struct{ A int }\n", true, false},
		{"client := otelllm.WrapClient(http.DefaultClient\n", false, true}, // a parenthesis short
		{"fmt.Println(x\n", false, true},
		{"go run ./examples/quickstart [-raw]\n", false, false},
		{"Fakellm-Usage: input=1200, output=80, cache_read=1024\n", false, false},
		{"[otelllm] openai chat gpt-4o-mini -> gpt-4o-mini-2024-07-18: 16 input + 11 output tokens, $0.000009, 552µs\n", false, false},
		{"gen_ai.client.token.usage                     {token}  histogram\n", false, false},
		{"otelllm.ratelimit.{resource}.{part}           when the provider names no window\n", false, false},
	} {
		assert.Equal(t, c.isGo, isGo(c.code), "isGo(%q)", c.code)
		assert.Equal(t, c.like, looksLikeGo(c.code), "looksLikeGo(%q)", c.code)
	}
}

// moduleRoot is the directory of the go.mod above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for !exists(filepath.Join(dir, "go.mod")) {
		parent := filepath.Dir(dir)
		require.NotEqual(t, dir, parent, "no go.mod above the test")
		dir = parent
	}
	return dir
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// blockLine is the line of src, from the comment starting at line from,
// where code's first line is.
func blockLine(src []byte, from int, code string) int {
	first, _, _ := strings.Cut(code, "\n")
	lines := strings.Split(string(src), "\n")
	for i := from - 1; i < len(lines); i++ {
		if strings.HasSuffix(lines[i], first) && strings.HasPrefix(strings.TrimSpace(lines[i]), "//") {
			return i + 1
		}
	}
	return from
}

// exampleBodies returns the source of the body of each Example function in
// the package's test files, one tab of indentation removed.
func exampleBodies(t *testing.T, fset *token.FileSet, files []string) []string {
	t.Helper()
	var bodies []string
	for _, path := range files {
		if !strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		require.NoError(t, err)
		file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		require.NoError(t, err)
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Body == nil || !strings.HasPrefix(fn.Name.Name, "Example") {
				continue
			}
			lbrace := fset.Position(fn.Body.Lbrace).Offset
			rbrace := fset.Position(fn.Body.Rbrace).Offset
			lines := strings.Split(string(src[lbrace+1:rbrace]), "\n")
			for i, line := range lines {
				lines[i] = strings.TrimPrefix(line, "\t")
			}
			bodies = append(bodies, strings.Join(lines, "\n"))
		}
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

// isGo reports whether code parses as Go statements or declarations.
func isGo(code string) bool {
	fset := token.NewFileSet()
	if _, err := parser.ParseFile(fset, "", "package p\nfunc _() {\n"+code+"\n}\n", 0); err == nil {
		return true
	}
	_, err := parser.ParseFile(fset, "", "package p\n"+code, 0)
	return err == nil
}

// goLike matches what only Go code in these docs has: a short variable
// declaration, or a call of an exported name of a package.
var goLike = regexp.MustCompile(`:=|\b[a-z][a-z0-9]*\.[A-Z]\w*\(`)

func looksLikeGo(code string) bool { return goLike.MatchString(code) }

// foundIn reports whether code is a run of whole lines of some body.
func foundIn(bodies []string, code string) bool {
	for _, body := range bodies {
		if strings.Contains("\n"+body+"\n", "\n"+code) {
			return true
		}
	}
	return false
}
