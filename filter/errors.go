package filter

import (
	"fmt"
	"strings"

	"github.com/wirelark/wirelark/internal/caret"
)

// SyntaxError reports a filter that cannot be compiled: a syntax error, an
// unknown field, or a value that does not fit the field it is compared
// with. Error gives one line; Caret gives the expression with a marker
// under the offending part.
type SyntaxError struct {
	Expr string // the whole filter expression
	Col  int    // 1-based column (in characters) of the offending part
	Len  int    // its width in characters, at least 1
	Msg  string // what is wrong, without the column
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("column %d: %s", e.Col, e.Msg)
}

// Caret returns two lines: the expression, then a caret under the column
// the error points at and tildes under the rest of the offending part,
// as Wireshark shows it. Tabs and newlines in the expression are shown as
// spaces so that the marker stays aligned.
func (e *SyntaxError) Caret() string {
	return caret.Draw(e.Expr, e.Col, e.Len)
}

// Caret returns the two-line display of err if it is a *SyntaxError, and
// "" otherwise.
func Caret(err error) string {
	if se, ok := err.(*SyntaxError); ok {
		return se.Caret()
	}
	return ""
}

// newError makes an error pointing at src[pos:end] (byte offsets).
func newError(src string, pos, end int, format string, args ...any) *SyntaxError {
	col, n := caret.Span(src, pos, end)
	return &SyntaxError{Expr: src, Col: col, Len: n, Msg: oneLine.Replace(fmt.Sprintf(format, args...))}
}

// oneLine keeps messages that quote the expression on one line.
var oneLine = strings.NewReplacer("\n", "\\n", "\r", "\\r", "\v", "\\v", "\f", "\\f",
	"\u0085", "\\u0085", "\u2028", "\\u2028", "\u2029", "\\u2029")
