// Package caret points at the offending part of a one-line expression
// (a display filter, a capture filter) the way Wireshark does: the
// expression, then a caret under the column where the error starts and
// tildes under the rest of the offending part.
package caret

import (
	"strings"
	"unicode/utf8"
)

// Span converts the byte range [pos, end) of expr, clamped to expr, to the
// 1-based column (in characters) where it starts and its width in
// characters, at least 1: users count characters, not UTF-8 bytes.
func Span(expr string, pos, end int) (col, width int) {
	pos = min(max(pos, 0), len(expr))
	end = min(max(end, pos), len(expr))
	return utf8.RuneCountInString(expr[:pos]) + 1, max(utf8.RuneCountInString(expr[pos:end]), 1)
}

// Draw returns two lines: expr, then a caret under column col (1-based)
// and tildes under the rest of an offending part width characters wide.
// Tabs and line breaks in expr are shown as spaces so that the marker
// stays aligned and the display stays two lines.
func Draw(expr string, col, width int) string {
	line := strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
			return ' '
		}
		return r
	}, expr)
	return line + "\n" + strings.Repeat(" ", max(col-1, 0)) + "^" + strings.Repeat("~", max(width, 1)-1)
}
