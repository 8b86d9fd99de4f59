package packet

import (
	"encoding/binary"
	"math/bits"
)

// Helpers that declare fields read from fixed places in a layer's header.
// off is relative to the start of the layer; a field whose bytes were not
// captured has no value.

func hdrBytes(p *Packet, l *Layer, off, n int) ([]byte, bool) {
	s, e := l.Off+off, l.Off+off+n
	if e > l.Hdr || e > len(p.Data) {
		return nil, false
	}
	return p.Data[s:e], true
}

// uintAt declares an unsigned field of size bytes at off; a non-zero mask
// keeps those bits, shifted down, as Wireshark's bit fields do.
func uintAt(name, label string, off int, size uint8, base Base, mask uint64, desc string) *Field {
	shift := 0
	if mask != 0 {
		shift = bits.TrailingZeros64(mask)
	}
	return &Field{Name: name, Label: label, Type: TUint, Base: base, Size: size, Mask: mask, Desc: desc,
		Get: func(p *Packet, l *Layer, dst []Value) []Value {
			b, ok := hdrBytes(p, l, off, int(size))
			if !ok {
				return dst
			}
			v := beUint(b)
			if mask != 0 {
				v = (v & mask) >> shift
			}
			return append(dst, Value{U: v})
		}}
}

// boolAt declares a one-bit flag within the size bytes at off.
func boolAt(name, label string, off int, size uint8, mask uint64, desc string) *Field {
	return &Field{Name: name, Label: label, Type: TBool, Size: size, Mask: mask, Desc: desc,
		Get: func(p *Packet, l *Layer, dst []Value) []Value {
			b, ok := hdrBytes(p, l, off, int(size))
			if !ok {
				return dst
			}
			return append(dst, Bool(beUint(b)&mask != 0))
		}}
}

// bytesAt declares a field of n raw bytes at off with the given type
// (TIPv4, TIPv6, TMAC or TBytes).
func bytesAt(name, label string, off, n int, t Type, desc string) *Field {
	return &Field{Name: name, Label: label, Type: t, Desc: desc,
		Get: func(p *Packet, l *Layer, dst []Value) []Value {
			b, ok := hdrBytes(p, l, off, n)
			if !ok {
				return dst
			}
			return append(dst, Value{B: b})
		}}
}

// either declares a hidden field whose occurrences are those of fs in turn
// (ip.addr is ip.src then ip.dst).
func either(name, label string, t Type, desc string, fs ...*Field) *Field {
	f := &Field{Name: name, Label: label, Type: t, Desc: desc, Hidden: true}
	f.Get = func(p *Packet, l *Layer, dst []Value) []Value {
		for _, g := range fs {
			dst = g.Get(p, l, dst)
		}
		return dst
	}
	if len(fs) > 0 {
		f.Base, f.Size = fs[0].Base, fs[0].Size
	}
	return f
}

// computed declares a field computed by get.
func computed(name, label string, t Type, base Base, size uint8, desc string, get Getter) *Field {
	return &Field{Name: name, Label: label, Type: t, Base: base, Size: size, Desc: desc, Get: get}
}

// child sets parent on each field, for the detail tree.
func children(parent *Field, fs ...*Field) []*Field {
	for _, f := range fs {
		f.Parent = parent
	}
	return append([]*Field{parent}, fs...)
}

func beUint(b []byte) uint64 {
	switch len(b) {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.BigEndian.Uint16(b))
	case 4:
		return uint64(binary.BigEndian.Uint32(b))
	case 8:
		return binary.BigEndian.Uint64(b)
	}
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v
}

func cat(groups ...[]*Field) []*Field {
	var out []*Field
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func withStrings(f *Field, s map[uint64]string) *Field {
	f.Strings = s
	return f
}
