package output

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// BufferRows is how many rows a text or TSV table holds back before its
// column widths and types are fixed. Later rows wider than the columns
// are written in full, shifting the rest of their line.
const BufferRows = 100

// Sink receives the rows of every table of a run.
type Sink struct {
	format Format
	dir    string  // "" when every table goes to out
	out    *stream // the shared stream, when dir is ""
	tables []*Table
	err    error // first write error; later writes are dropped
}

// Table is one named table and its columns. Rows are written with
// Sink.Write.
type Table struct {
	Name string
	Cols []string

	st       *stream
	file     *os.File // dir mode: the table's own file
	held     [][]Cell // rows held back until the layout is fixed
	fixed    bool
	widths   []int    // text: column widths
	numeric  []bool   // text: right-align the column
	types    []string // TSV: column types
	resuming bool     // its stream has switched away from it since its header
}

// stream is one destination: standard output shared by every table, or
// one table's file.
type stream struct {
	w       *bufio.Writer
	shared  bool   // tables share the stream: announce each section
	current *Table // table whose rows were written last
	used    bool   // something was written
}

// NewStream returns a sink writing every table to w, each run of rows of
// one table under its own header.
func NewStream(w *bufio.Writer, f Format) *Sink {
	return &Sink{format: f, out: &stream{w: w, shared: true}}
}

// NewDir returns a sink writing each table to DIR/NAME.EXT, creating dir
// if needed.
func NewDir(dir string, f Format) (*Sink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Sink{format: f, dir: dir}, nil
}

// Format returns the sink's format.
func (s *Sink) Format() Format { return s.format }

// Path returns where a table's rows go: its file, or "" for the shared
// stream.
func (s *Sink) Path(name string) string {
	if s.dir == "" {
		return ""
	}
	return filepath.Join(s.dir, name+"."+s.format.Ext())
}

// NewTable declares a table. Names are checked by the caller (they become
// file names with -o DIR).
func (s *Sink) NewTable(name string, cols []string) (*Table, error) {
	t := &Table{Name: name, Cols: cols}
	if s.dir == "" {
		t.st = s.out
	} else {
		f, err := os.Create(s.Path(name))
		if err != nil {
			return nil, err
		}
		t.file = f
		t.st = &stream{w: bufio.NewWriterSize(f, 1<<16)}
	}
	s.tables = append(s.tables, t)
	return t, nil
}

// Write adds a row, one cell per column of t in order.
func (s *Sink) Write(t *Table, row []Cell) error {
	if s.err != nil {
		return s.err
	}
	if !t.fixed {
		t.held = append(t.held, row)
		if s.format.buffers() && len(t.held) < BufferRows {
			return nil
		}
		s.fix(t)
		return s.err
	}
	s.row(t, row)
	return s.err
}

// Drain writes every held-back row, fixing the layout of those tables
// from the rows seen so far (print calls it, so that text printed after
// rows comes after them).
func (s *Sink) Drain() error {
	for _, t := range s.tables {
		if !t.fixed {
			s.fix(t)
		}
	}
	return s.err
}

// Flush drains and writes buffered bytes to the files and the stream.
func (s *Sink) Flush() error {
	s.Drain()
	if s.out != nil {
		s.setErr(s.out.w.Flush())
	}
	for _, t := range s.tables {
		if t.file != nil {
			s.setErr(t.st.w.Flush())
		}
	}
	return s.err
}

// Close flushes and closes the table files.
func (s *Sink) Close() error {
	s.Flush()
	for _, t := range s.tables {
		if t.file != nil {
			s.setErr(t.file.Close())
			t.file = nil
		}
	}
	return s.err
}

func (s *Sink) setErr(err error) {
	if err != nil && s.err == nil {
		s.err = err
	}
}

// fix decides the layout from the held rows and writes them.
func (s *Sink) fix(t *Table) {
	t.fixed = true
	switch s.format {
	case Text:
		t.layoutText()
	case TSV:
		t.layoutTSV()
	}
	held := t.held
	t.held = nil
	for _, r := range held {
		s.row(t, r)
	}
}

// row writes one row, after a section header when the stream last
// carried another table.
func (s *Sink) row(t *Table, r []Cell) {
	st := t.st
	if st.current != t {
		if st.current != nil {
			st.current.resuming = true
		}
		s.header(t)
		st.current = t
		st.used = true
	}
	var err error
	switch s.format {
	case Text:
		err = t.textRow(st.w, r)
	case JSON:
		err = t.jsonRow(st.w, r)
	case CSV:
		err = t.csvRow(st.w, r)
	case TSV:
		err = t.tsvRow(st.w, r)
	}
	s.setErr(err)
}

// header starts a section of t's rows.
func (s *Sink) header(t *Table) {
	st := t.st
	w := st.w
	if st.used && s.format != JSON {
		w.WriteByte('\n')
	}
	switch s.format {
	case Text:
		if st.shared {
			fmt.Fprintf(w, "# %s", t.Name)
			if t.resuming {
				w.WriteString(" (continued)")
			}
			w.WriteByte('\n')
		}
		t.textHeader(w)
	case CSV:
		t.csvHeader(w)
	case TSV:
		t.tsvHeader(w)
	}
}
