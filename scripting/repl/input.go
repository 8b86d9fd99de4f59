package repl

import (
	"errors"
	"strings"

	"go.starlark.net/syntax"
)

// errAborted is the input being cancelled with Ctrl-C.
var errAborted = errors.New("input cancelled")

// lineSource gives input lines: from the terminal with a prompt, or from
// a pipe without one. next returns a line without its newline; io.EOF
// at the end of input, errAborted when the user cancelled the line.
type lineSource interface {
	next(prompt string) (string, error)
}

// reader splits input into compound statements, as Python's REPL: a
// simple statement (continued while brackets are open), or a def, for or
// if block, continued until a blank line or a line back at the left
// margin.
type reader struct {
	src  lineSource
	opts *syntax.FileOptions
	// back is a line read past the end of a block: the start of the next
	// statement, given again before any new input.
	back    *string
	eof     bool
	aborted bool
}

// Prompts.
const (
	ps1 = ">>> "
	ps2 = "... "
)

// read parses the next statement. It returns the parsed file and the
// lines it was made of; io.EOF at the end of input; errAborted for input
// cancelled with Ctrl-C; a syntax error otherwise.
func (r *reader) read() (*syntax.File, []string, error) {
	var lines []string
	r.aborted = false
	prompt := ps1
	readline := func() ([]byte, error) {
		var l string
		if r.back != nil {
			l, r.back = *r.back, nil
		} else {
			var err error
			l, err = r.src.next(prompt)
			if err != nil {
				if errors.Is(err, errAborted) {
					r.aborted = true
				} else {
					r.eof = true
				}
				return nil, err
			}
		}
		prompt = ps2
		lines = append(lines, l)
		return []byte(l + "\n"), nil
	}
	f, err := r.opts.ParseCompoundStmt("<stdin>", readline)
	switch {
	case r.aborted:
		return nil, nil, errAborted
	case err != nil && r.eof && allBlank(lines):
		return nil, nil, errEOF
	case err != nil:
		return nil, lines, err
	}
	// The parser ends a block at the first line back at the margin: that
	// line begins the next statement.
	if len(f.Stmts) == 1 && isBlock(f.Stmts[0]) && len(lines) > 1 {
		last := lines[len(lines)-1]
		if strings.TrimSpace(last) != "" && !startsIndented(last) {
			r.back = &last
			lines = lines[:len(lines)-1]
		}
	}
	return f, lines, nil
}

// errEOF ends the input.
var errEOF = errors.New("end of input")

func allBlank(lines []string) bool {
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			return false
		}
	}
	return true
}

func isBlock(s syntax.Stmt) bool {
	switch s.(type) {
	case *syntax.DefStmt, *syntax.ForStmt, *syntax.IfStmt, *syntax.WhileStmt:
		return true
	}
	return false
}

func startsIndented(l string) bool {
	return strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t")
}
