package output

import (
	"encoding/hex"
	"math"
	"strconv"
	"strings"
)

// Kind is the type of a Cell.
type Kind uint8

const (
	None Kind = iota // no value: the row left the column out, or None
	Bool
	Int
	Float
	String
	Bytes
	List
)

// Cell is one value of a row.
type Cell struct {
	Kind Kind
	B    bool
	I    string // Int: decimal digits (integers may exceed 64 bits)
	F    float64
	S    string // String; Bytes as raw bytes
	L    []Cell // List: scalar cells
}

// IsNumber reports whether the cell is an int or a float (right-aligned in
// text tables).
func (c Cell) IsNumber() bool { return c.Kind == Int || c.Kind == Float }

// FormatFloat writes a float without an exponent in the range where
// people read numbers (times as epoch seconds included), shortest form.
func FormatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	if a := math.Abs(f); a == 0 || a >= 1e-4 && a < 1e21 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// style says how the delimited formats show the kinds that text has no
// single convention for.
type style struct {
	none, empty string // None; an empty string or list
	t, f        string // booleans
	sep         string // between list elements
}

var (
	textStyle = style{none: "-", t: "True", f: "False", sep: ","}
	csvStyle  = style{t: "True", f: "False", sep: ","}
	tsvStyle  = style{none: "-", empty: "(empty)", t: "T", f: "F", sep: ","}
)

// text formats c as one field.
func (c Cell) text(st style) string {
	switch c.Kind {
	case None:
		return st.none
	case Bool:
		if c.B {
			return st.t
		}
		return st.f
	case Int:
		return c.I
	case Float:
		return FormatFloat(c.F)
	case String:
		if c.S == "" {
			return st.empty
		}
		return c.S
	case Bytes:
		if c.S == "" {
			return st.empty
		}
		return hex.EncodeToString([]byte(c.S))
	case List:
		if len(c.L) == 0 {
			return st.empty
		}
		parts := make([]string, len(c.L))
		for i, e := range c.L {
			parts[i] = e.text(st)
		}
		return strings.Join(parts, st.sep)
	}
	return ""
}
