package output

import (
	"bufio"
	"encoding/csv"
)

func (t *Table) csvHeader(w *bufio.Writer) error {
	return writeCSV(w, t.Cols)
}

func (t *Table) csvRow(w *bufio.Writer, r []Cell) error {
	rec := make([]string, len(r))
	for i, c := range r {
		rec[i] = c.text(csvStyle)
	}
	return writeCSV(w, rec)
}

// writeCSV writes one record with RFC 4180 quoting.
func writeCSV(w *bufio.Writer, rec []string) error {
	cw := csv.NewWriter(w)
	cw.Write(rec)
	cw.Flush()
	return cw.Error()
}
