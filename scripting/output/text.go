package output

import (
	"bufio"
	"strings"
	"unicode/utf8"
)

// colSep separates text columns.
const colSep = "  "

// textEscaper keeps a cell on one line.
var textEscaper = strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`)

func textCell(c Cell) string {
	s := c.text(textStyle)
	if c.Kind == String || c.Kind == List {
		s = textEscaper.Replace(s)
	}
	return s
}

// layoutText sizes the columns from the header and the held rows; a
// column whose held values are all numbers is right-aligned.
func (t *Table) layoutText() {
	t.widths = make([]int, len(t.Cols))
	t.numeric = make([]bool, len(t.Cols))
	for i, c := range t.Cols {
		t.widths[i] = utf8.RuneCountInString(c)
		t.numeric[i] = len(t.held) > 0
	}
	for _, r := range t.held {
		for i, c := range r {
			t.widths[i] = max(t.widths[i], utf8.RuneCountInString(textCell(c)))
			if c.Kind != None && !c.IsNumber() {
				t.numeric[i] = false
			}
		}
	}
}

func (t *Table) textHeader(w *bufio.Writer) error {
	cells := make([]string, len(t.Cols))
	copy(cells, t.Cols)
	return t.textLine(w, cells, t.numeric)
}

func (t *Table) textRow(w *bufio.Writer, r []Cell) error {
	cells := make([]string, len(r))
	for i, c := range r {
		cells[i] = textCell(c)
	}
	return t.textLine(w, cells, t.numeric)
}

// textLine pads each cell to its column, numbers (and their headers) on
// the left; the last cell is not padded on the right, so lines carry no
// trailing blanks.
func (t *Table) textLine(w *bufio.Writer, cells []string, right []bool) error {
	for i, s := range cells {
		if i > 0 {
			w.WriteString(colSep)
		}
		pad := t.widths[i] - utf8.RuneCountInString(s)
		if right[i] {
			writeSpaces(w, pad)
			w.WriteString(s)
			continue
		}
		w.WriteString(s)
		if i < len(cells)-1 {
			writeSpaces(w, pad)
		}
	}
	return w.WriteByte('\n')
}

func writeSpaces(w *bufio.Writer, n int) {
	for ; n > 0; n-- {
		w.WriteByte(' ')
	}
}
