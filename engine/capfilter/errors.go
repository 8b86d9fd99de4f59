package capfilter

import (
	"errors"
	"fmt"

	"github.com/wirelark/wirelark/internal/caret"
)

// SyntaxError reports a capture filter that cannot be compiled, with the
// column of the offending part so that the user sees it before capture
// starts. Error gives one line; Caret gives the expression with a marker
// under the offending part.
type SyntaxError struct {
	Expr string // the whole filter expression
	Col  int    // 1-based column (in characters) of the offending part
	Len  int    // its width in characters, at least 1
	Msg  string // what is wrong, without the column
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("capture filter: column %d: %s", e.Col, e.Msg)
}

// Caret returns two lines: the expression, then a caret under the column
// the error points at and tildes under the rest of the offending part.
// Tabs and newlines are shown as spaces so that the marker stays aligned.
func (e *SyntaxError) Caret() string {
	return caret.Draw(e.Expr, e.Col, e.Len)
}

// Caret returns the two-line display of err if it is a *SyntaxError, and
// "" otherwise.
func Caret(err error) string {
	var se *SyntaxError
	if errors.As(err, &se) {
		return se.Caret()
	}
	return ""
}

// errAt builds a SyntaxError for the byte range [pos, end) of expr,
// converting byte offsets to character columns.
func errAt(expr string, pos, end int, format string, args ...any) *SyntaxError {
	col, n := caret.Span(expr, pos, end)
	return &SyntaxError{Expr: expr, Col: col, Len: n, Msg: fmt.Sprintf(format, args...)}
}
