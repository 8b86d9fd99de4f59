package caret

import (
	"strings"
	"testing"
)

func TestSpan(t *testing.T) {
	cases := []struct {
		expr       string
		pos, end   int
		col, width int
	}{
		{"tcp port 80", 4, 8, 5, 4},
		{"tcp", 0, 0, 1, 1},            // an empty range is one wide
		{"tcp", 3, 3, 4, 1},            // the end of the expression
		{"tcp", -5, 2, 1, 2},           // clamped at the start
		{"tcp", 2, 99, 3, 1},           // clamped at the end
		{"tcp", 2, 1, 3, 1},            // end before pos
		{"ip.src == é", 10, 12, 11, 1}, // é is two bytes, one column
		{"héllo wörld", 7, 13, 7, 5},
	}
	for _, c := range cases {
		col, width := Span(c.expr, c.pos, c.end)
		if col != c.col || width != c.width {
			t.Errorf("Span(%q, %d, %d) = %d, %d; want %d, %d", c.expr, c.pos, c.end, col, width, c.col, c.width)
		}
	}
}

func TestDraw(t *testing.T) {
	cases := []struct {
		expr       string
		col, width int
		want       string
	}{
		{"tcp port 80", 5, 4, "tcp port 80\n    ^~~~"},
		{"tcp", 1, 1, "tcp\n^"},
		{"tcp", 1, 0, "tcp\n^"}, // a width below 1 is drawn as 1
		{"tcp", 0, 1, "tcp\n^"}, // a column below 1 is drawn at the start
		{"a\tb\nc", 3, 1, "a b c\n  ^"},
		{"a\u2028b\u0085c", 5, 1, "a b c\n    ^"},
		{"é == 1", 3, 2, "é == 1\n  ^~"},
	}
	for _, c := range cases {
		if got := Draw(c.expr, c.col, c.width); got != c.want {
			t.Errorf("Draw(%q, %d, %d) =\n%s\nwant\n%s", c.expr, c.col, c.width, got, c.want)
		}
	}
}

// FuzzDraw checks that any range of any expression gives a column inside
// the expression (or just past it) and a two-line display whose marker
// line is as long as the span it marks. A range that starts inside a
// UTF-8 sequence counts its bytes as columns, as Draw shows each of them
// as one replacement character.
func FuzzDraw(f *testing.F) {
	f.Add("tcp port 80", 4, 8)
	f.Add("ip.src == é", 10, 12)
	f.Add("a\tb\u2028c", -1, 100)
	f.Fuzz(func(t *testing.T, expr string, pos, end int) {
		col, width := Span(expr, pos, end)
		if col < 1 || col > len(expr)+1 || width < 1 {
			t.Fatalf("Span(%q, %d, %d) = %d, %d", expr, pos, end, col, width)
		}
		d := Draw(expr, col, width)
		if strings.Count(d, "\n") != 1 {
			t.Fatalf("Draw(%q) has %d line breaks", expr, strings.Count(d, "\n"))
		}
		if marker := d[strings.IndexByte(d, '\n')+1:]; len(marker) != col-1+width {
			t.Fatalf("marker %q for column %d, width %d", marker, col, width)
		}
	})
}
