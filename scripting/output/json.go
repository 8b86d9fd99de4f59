package output

import (
	"bufio"
	"encoding/hex"
	"math"
	"strconv"
	"unicode/utf8"
)

// jsonRow writes one JSON object on one line: "_table" first, then the
// columns in order. Absent values and None are null, as are NaN and the
// infinities (JSON has no way to write them); bytes are hex text.
func (t *Table) jsonRow(w *bufio.Writer, r []Cell) error {
	b := make([]byte, 0, 128)
	b = append(b, `{"_table":`...)
	b = appendJSONString(b, t.Name)
	for i, c := range r {
		b = append(b, ',')
		b = appendJSONString(b, t.Cols[i])
		b = append(b, ':')
		b = appendJSON(b, c)
	}
	b = append(b, "}\n"...)
	_, err := w.Write(b)
	return err
}

func appendJSON(b []byte, c Cell) []byte {
	switch c.Kind {
	case Bool:
		return strconv.AppendBool(b, c.B)
	case Int:
		return append(b, c.I...)
	case Float:
		if math.IsNaN(c.F) || math.IsInf(c.F, 0) {
			return append(b, "null"...)
		}
		return append(b, FormatFloat(c.F)...)
	case String:
		return appendJSONString(b, c.S)
	case Bytes:
		return appendJSONString(b, hex.EncodeToString([]byte(c.S)))
	case List:
		b = append(b, '[')
		for i, e := range c.L {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	}
	return append(b, "null"...)
}

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			b = append(b, c)
			i++
			continue
		}
		if c < utf8.RuneSelf {
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, `\u00`...)
				b = append(b, hexDigits[c>>4], hexDigits[c&15])
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return append(b, '"')
}

const hexDigits = "0123456789abcdef"
