package capfilter

import (
	"errors"

	"golang.org/x/net/bpf"
)

// A classic BPF interpreter for the tests, as the kernel runs programs on
// a packet socket: golang.org/x/net/bpf's VM has no ancillary loads, and
// the live VLAN programs read the tag from the packet's metadata.

// meta is what the kernel keeps beside the packet data.
type meta struct {
	vlanPresent bool
	tci         uint16
}

var errAncillary = errors.New("unsupported ancillary load")

// runBPF runs prog on pkt and returns what it returns; a load past the
// end of the packet makes it return 0, as in the kernel.
func runBPF(prog []bpf.RawInstruction, pkt []byte, m meta) (uint32, error) {
	var a, x uint32
	var mem [scratchWords]uint32
	load := func(off uint32, size int) (uint32, bool, error) {
		if off >= skfADOff {
			switch off {
			case skfADVLANTag:
				return uint32(m.tci), true, nil
			case skfADVLANTagPresent:
				if m.vlanPresent {
					return 1, true, nil
				}
				return 0, true, nil
			}
			return 0, false, errAncillary
		}
		if uint64(off)+uint64(size) > uint64(len(pkt)) {
			return 0, false, nil
		}
		var v uint32
		for i := 0; i < size; i++ {
			v = v<<8 | uint32(pkt[int(off)+i])
		}
		return v, true, nil
	}
	sizes := map[uint16]int{0x00: 4, 0x08: 2, 0x10: 1}
	for pc := 0; pc < len(prog); pc++ {
		ins := prog[pc]
		op := ins.Op
		src := ins.K
		if op&0x08 != 0 {
			src = x
		}
		switch op & 0x07 {
		case 0x00, 0x01: // ld, ldx
			var v uint32
			switch op & 0xe0 {
			case 0x00: // imm
				v = ins.K
			case 0x20, 0x40: // abs, ind
				off := ins.K
				if op&0xe0 == 0x40 {
					off += x
				}
				w, ok, err := load(off, sizes[op&0x18])
				if err != nil {
					return 0, err
				}
				if !ok {
					return 0, nil
				}
				v = w
			case 0x60: // mem
				v = mem[ins.K%scratchWords]
			case 0x80: // len
				v = uint32(len(pkt))
			case 0xa0: // msh
				w, ok, err := load(ins.K, 1)
				if err != nil {
					return 0, err
				}
				if !ok {
					return 0, nil
				}
				v = (w & 0xf) * 4
			}
			if op&0x07 == 0x00 {
				a = v
			} else {
				x = v
			}
		case 0x02:
			mem[ins.K%scratchWords] = a
		case 0x03:
			mem[ins.K%scratchWords] = x
		case 0x04: // alu
			if op&0x08 == 0 {
				src = ins.K
			}
			switch op & 0xf0 {
			case 0x00:
				a += src
			case 0x10:
				a -= src
			case 0x20:
				a *= src
			case 0x30:
				if src == 0 {
					return 0, nil
				}
				a /= src
			case 0x40:
				a |= src
			case 0x50:
				a &= src
			case 0x60:
				a <<= src & 31
			case 0x70:
				a >>= src & 31
			case 0x80:
				a = -a
			case 0x90:
				if src == 0 {
					return 0, nil
				}
				a %= src
			case 0xa0:
				a ^= src
			}
		case 0x05: // jmp
			if op&0x08 == 0 {
				src = ins.K
			}
			var cond bool
			switch op & 0xf0 {
			case 0x00:
				pc += int(ins.K)
				continue
			case 0x10:
				cond = a == src
			case 0x20:
				cond = a > src
			case 0x30:
				cond = a >= src
			case 0x40:
				cond = a&src != 0
			}
			if cond {
				pc += int(ins.Jt)
			} else {
				pc += int(ins.Jf)
			}
		case 0x06: // ret
			if op&0x18 == 0x10 {
				return a, nil
			}
			return ins.K, nil
		case 0x07: // misc
			if op&0xf8 == 0 {
				x = a
			} else {
				a = x
			}
		}
	}
	return 0, errors.New("program ran off its end")
}
