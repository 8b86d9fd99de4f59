package stdlib

import (
	"encoding/hex"
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
)

// Hex is the predeclared hex module:
//
//	hex.dump(data, width=16)  the bytes as tshark -x shows them: offset,
//	                          hex bytes, then the printable characters
//	hex.encode(data)          lower-case hex text, "0a1b..."
//	hex.decode(text)          bytes from hex text (spaces and colons ignored)
//
// data may be bytes or a string.
var Hex = &starlarkstruct.Module{
	Name: "hex",
	Members: starlark.StringDict{
		"dump":   starlark.NewBuiltin("hex.dump", hexDump),
		"encode": starlark.NewBuiltin("hex.encode", hexEncode),
		"decode": starlark.NewBuiltin("hex.decode", hexDecode),
	},
}

// bytesArg accepts bytes or a string for a data argument.
type bytesArg []byte

func (b *bytesArg) Unpack(v starlark.Value) error {
	switch v := v.(type) {
	case starlark.Bytes:
		*b = []byte(v)
	case starlark.String:
		*b = []byte(v)
	default:
		return fmt.Errorf("got %s, want bytes or string", v.Type())
	}
	return nil
}

func hexDump(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data bytesArg
	width := 16
	if err := starlark.UnpackArgs(fn.Name(), args, kwargs, "data", &data, "width?", &width); err != nil {
		return nil, err
	}
	if width < 1 || width > 64 {
		return nil, fmt.Errorf("%s: width %d out of range 1..64", fn.Name(), width)
	}
	return starlark.String(Dump(data, width)), nil
}

// Dump formats data as tshark -x does: per line a four-digit hex offset,
// two spaces, width bytes in hex separated by spaces, three spaces, and
// the bytes as text with unprintable ones shown as dots. Every line ends
// in a newline; empty data gives "".
func Dump(data []byte, width int) string {
	var b strings.Builder
	for off := 0; off < len(data); off += width {
		line := data[off:min(off+width, len(data))]
		fmt.Fprintf(&b, "%04x  ", off)
		for i := 0; i < width; i++ {
			if i < len(line) {
				b.WriteString(hex.EncodeToString(line[i : i+1]))
			} else {
				b.WriteString("  ")
			}
			if i < width-1 {
				b.WriteByte(' ')
			}
		}
		b.WriteString("   ")
		for _, c := range line {
			if c < 0x20 || c > 0x7e {
				c = '.'
			}
			b.WriteByte(c)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func hexEncode(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var data bytesArg
	if err := starlark.UnpackPositionalArgs(fn.Name(), args, kwargs, 1, &data); err != nil {
		return nil, err
	}
	return starlark.String(hex.EncodeToString(data)), nil
}

func hexDecode(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var text string
	if err := starlark.UnpackPositionalArgs(fn.Name(), args, kwargs, 1, &text); err != nil {
		return nil, err
	}
	clean := strings.Map(func(r rune) rune {
		if r == ' ' || r == ':' || r == '\n' || r == '\t' {
			return -1
		}
		return r
	}, text)
	b, err := hex.DecodeString(clean)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", fn.Name(), err)
	}
	return starlark.Bytes(b), nil
}
