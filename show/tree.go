package show

import (
	"bufio"
	"encoding/hex"
	"math/bits"
	"strings"

	"github.com/wirelark/wirelark/engine/packet"
)

// Tree writes the detail tree of p (tshark -V): one node per layer, then
// every registered field of the layer with its value, children indented
// under their parent.
func Tree(w *bufio.Writer, p *packet.Packet) {
	p.Complete()
	var vals []packet.Value
	for i := range p.Layers {
		l := &p.Layers[i]
		pr := packet.Fields.ProtoByID(l.Proto)
		if pr == nil {
			continue
		}
		indent := 0
		if l.Quoted {
			indent = 1
		}
		title := pr.Title
		if pr.Node != nil {
			title = pr.Node(p, l)
		}
		writeIndent(w, indent)
		w.WriteString(title)
		w.WriteByte('\n')
		for _, f := range pr.Fields {
			if f.Hidden {
				continue
			}
			vals = f.Get(p, l, vals[:0])
			depth := indent + 1
			for q := f.Parent; q != nil; q = q.Parent {
				depth++
			}
			for _, v := range vals {
				writeIndent(w, depth)
				w.WriteString(FieldLine(f, v))
				w.WriteByte('\n')
			}
		}
	}
}

func writeIndent(w *bufio.Writer, n int) {
	for i := 0; i < n; i++ {
		w.WriteString("    ")
	}
}

// FieldLine renders one field value as a tree line: "Label: value", with
// the bit view for bit fields ("..0. .... = More fragments: Not set").
func FieldLine(f *packet.Field, v packet.Value) string {
	var b strings.Builder
	if f.Mask != 0 && f.Size > 0 {
		raw := v.U << bits.TrailingZeros64(f.Mask)
		if f.Type == packet.TBool && v.U != 0 {
			raw = f.Mask
		}
		n := int(f.Size) * 8
		for i := n - 1; i >= 0; i-- {
			bit := uint64(1) << i
			switch {
			case f.Mask&bit == 0:
				b.WriteByte('.')
			case raw&bit != 0:
				b.WriteByte('1')
			default:
				b.WriteByte('0')
			}
			if i > 0 && i%4 == 0 {
				b.WriteByte(' ')
			}
		}
		b.WriteString(" = ")
	}
	b.WriteString(f.Label)
	if f.Type == packet.TNone || f.Type == packet.TProto {
		return b.String()
	}
	b.WriteString(": ")
	b.WriteString(Display(f, v))
	return b.String()
}

// Display renders a value for people: names of enumerated values, units
// of times.
func Display(f *packet.Field, v packet.Value) string {
	switch f.Type {
	case packet.TBool:
		if v.U != 0 {
			return "Set"
		}
		return "Not set"
	case packet.TTime:
		return packet.FormatTime(v.I)
	case packet.TDuration:
		return f.FormatValue(v) + " seconds"
	case packet.TBytes:
		if len(v.B) > 32 {
			return hex.EncodeToString(v.B[:32]) + "…"
		}
		return hex.EncodeToString(v.B)
	case packet.TUint:
		raw := f.FormatValue(v)
		switch f.Base {
		case packet.HexDec:
			raw += " (" + itoa(v.U) + ")"
		case packet.DecHex:
			h := *f
			h.Base = packet.Hex
			raw += " (" + h.FormatValue(v) + ")"
		}
		if name, ok := f.Strings[v.U]; ok {
			return name + " (" + raw + ")"
		}
		return raw
	}
	return f.FormatValue(v)
}

func itoa(u uint64) string {
	var buf [20]byte
	i := len(buf)
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	return string(buf[i:])
}
