package scripting

import (
	"fmt"
	"regexp"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/scripting/output"
	"github.com/wirelark/wirelark/stdlib"
)

// emit(table, **fields) adds a row to a named table.
//
// A table's columns are the keywords of its first row, in order. A later
// row may leave columns out (they are empty: "-" in text and TSV, "" in
// CSV, null in JSON) but may not bring new ones: a keyword the first row
// did not have is an error naming the table's columns, which catches
// misspelt names instead of silently growing a column nobody fills.
//
// Values may be None, bool, int, float, string, bytes, or a list or tuple
// of those; anything else (a dict, a packet) is an error, so that the
// same script writes every format. Every row also counts under the
// table's name in stats (stats.count("arp") is the rows of table arp).
type emitter struct {
	sink   *output.Sink
	stats  *stdlib.Stats
	tables map[string]*table
}

type table struct {
	t     *output.Table
	index map[string]int
}

var tableName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$`)

func (e *emitter) builtin() *starlark.Builtin {
	return starlark.NewBuiltin("emit", e.emit)
}

func (e *emitter) emit(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if len(args) != 1 {
		return nil, fmt.Errorf("emit: want emit(table, column=value, ...), got %d positional arguments", len(args))
	}
	name, ok := starlark.AsString(args[0])
	if !ok {
		return nil, fmt.Errorf("emit: table name: got %s, want string", args[0].Type())
	}
	if !tableName.MatchString(name) {
		return nil, fmt.Errorf("emit: table name %q: use letters, digits, _, . and - (it names the table's file with -o DIR)", name)
	}
	if len(kwargs) == 0 {
		return nil, fmt.Errorf("emit: table %s: a row needs at least one column=value", name)
	}
	t := e.tables[name]
	if t == nil {
		cols := make([]string, len(kwargs))
		for i, kv := range kwargs {
			cols[i] = string(kv[0].(starlark.String))
			if cols[i] == "_table" {
				return nil, fmt.Errorf("emit: table %s: the column name _table is reserved", name)
			}
		}
		ot, err := e.sink.NewTable(name, cols)
		if err != nil {
			return nil, fmt.Errorf("emit: table %s: %v", name, err)
		}
		t = &table{t: ot, index: make(map[string]int, len(cols))}
		for i, c := range cols {
			t.index[c] = i
		}
		e.tables[name] = t
	}
	row := make([]output.Cell, len(t.t.Cols))
	for _, kv := range kwargs {
		col := string(kv[0].(starlark.String))
		i, ok := t.index[col]
		if !ok {
			return nil, fmt.Errorf("emit: table %s has no column %s: its columns are those of its first row: %s", name, col, quoteList(t.t.Cols))
		}
		c, err := toCell(kv[1], true)
		if err != nil {
			return nil, fmt.Errorf("emit: table %s, column %s: %v", name, col, err)
		}
		row[i] = c
	}
	e.stats.Inc(name)
	if err := e.sink.Write(t.t, row); err != nil {
		return nil, fmt.Errorf("emit: writing table %s: %v", name, err)
	}
	return starlark.None, nil
}

// toCell converts an emitted value; lists may hold scalars only.
func toCell(v starlark.Value, top bool) (output.Cell, error) {
	switch v := v.(type) {
	case starlark.NoneType:
		return output.Cell{}, nil
	case starlark.Bool:
		return output.Cell{Kind: output.Bool, B: bool(v)}, nil
	case starlark.Int:
		return output.Cell{Kind: output.Int, I: v.String()}, nil
	case starlark.Float:
		return output.Cell{Kind: output.Float, F: float64(v)}, nil
	case starlark.String:
		return output.Cell{Kind: output.String, S: string(v)}, nil
	case starlark.Bytes:
		return output.Cell{Kind: output.Bytes, S: string(v)}, nil
	case *starlark.List, starlark.Tuple:
		if !top {
			break
		}
		seq := v.(starlark.Indexable)
		c := output.Cell{Kind: output.List, L: make([]output.Cell, seq.Len())}
		for i := range c.L {
			e, err := toCell(seq.Index(i), false)
			if err != nil {
				return c, fmt.Errorf("element %d: %v", i, err)
			}
			c.L[i] = e
		}
		return c, nil
	}
	what := "None, bool, int, float, string, bytes, or a list or tuple of those"
	if !top {
		what = "None, bool, int, float, string or bytes (lists do not nest)"
	}
	return output.Cell{}, fmt.Errorf("cannot emit a %s value (emit takes %s)", v.Type(), what)
}
