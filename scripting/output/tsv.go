package output

import (
	"bufio"
	"strings"
)

// The TSV format follows Zeek's ASCII logs: a header block of #-lines
// naming the separator, the set separator, the markers of empty and unset
// fields, the table (#path), the columns (#fields) and their types
// (#types); then one line per row. Zeek's #open and #close lines carry
// wall-clock times and are left out, so that runs repeat byte for byte.

// tsvEscaper escapes what would break a line or a field, as Zeek does.
var tsvEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\x09`, "\n", `\x0a`, "\r", `\x0d`)

func tsvCell(c Cell) string {
	s := c.text(tsvStyle)
	if c.Kind == String || c.Kind == List {
		s = tsvEscaper.Replace(s)
	}
	return s
}

// zeekType names a cell's type as Zeek's #types line does; "" when the
// cell says nothing (None).
func zeekType(c Cell) string {
	switch c.Kind {
	case Bool:
		return "bool"
	case Int:
		return "int"
	case Float:
		return "double"
	case String, Bytes:
		return "string"
	case List:
		for _, e := range c.L {
			if ty := zeekType(e); ty != "" {
				return "vector[" + ty + "]"
			}
		}
		return ""
	}
	return ""
}

// layoutTSV takes each column's type from its first held value that has
// one; columns with none are strings.
func (t *Table) layoutTSV() {
	t.types = make([]string, len(t.Cols))
	for _, r := range t.held {
		for i, c := range r {
			if t.types[i] == "" {
				t.types[i] = zeekType(c)
			}
		}
	}
	for i := range t.types {
		if t.types[i] == "" {
			t.types[i] = "string"
		}
	}
}

func (t *Table) tsvHeader(w *bufio.Writer) error {
	w.WriteString("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n")
	w.WriteString("#path\t" + t.Name + "\n")
	w.WriteString("#fields\t" + strings.Join(t.Cols, "\t") + "\n")
	_, err := w.WriteString("#types\t" + strings.Join(t.types, "\t") + "\n")
	return err
}

func (t *Table) tsvRow(w *bufio.Writer, r []Cell) error {
	for i, c := range r {
		if i > 0 {
			w.WriteByte('\t')
		}
		w.WriteString(tsvCell(c))
	}
	return w.WriteByte('\n')
}
