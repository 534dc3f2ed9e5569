// Package doccheck holds the test that keeps the code in every doc comment of
// the module compiling; it has no API.
//
// A code block of a doc comment that is Go must appear, line for line, in
// the body of an Example function of its own package, which go test
// compiles (and, where it has an Output comment, runs and checks). A block
// that is not Go (a shell command, a table, an output line, a header) is
// left alone, unless it looks like Go and does not parse: then it is a
// broken snippet. Matching text rather than compiling each snippet on its
// own keeps the snippets free of the imports and declarations a compiler
// would need.
package doccheck
