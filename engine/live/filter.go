package live

import (
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// CompileFunc compiles a capture filter for a link type and snap length
// into classic BPF. engine/capfilter's CompileLiveRaw is the one for these
// sockets: the kernel usually takes the VLAN tag out of the packet data
// before the filter runs, and CompileLiveRaw's "vlan" finds it in the
// packet's metadata too (its CompileRaw, for files, only looks in the
// data).
type CompileFunc func(expr string, link layers.LinkType, snaplen int) ([]bpf.RawInstruction, error)

// sllLen is the length of the Linux cooked (SLL) header.
const sllLen = 16

// Classic BPF opcode parts and the kernel's ancillary loads
// (linux/filter.h).
const (
	bpfClass = 0x07
	bpfLD    = 0x00
	bpfLDX   = 0x01
	bpfMode  = 0xe0
	bpfABS   = 0x20
	bpfIND   = 0x40
	bpfMSH   = 0xa0
	bpfSize  = 0x18
	bpfH     = 0x08

	skfADOff      = 0xfffff000 // SKF_AD_OFF, -4096
	skfADProtocol = 0
	skfADPktType  = 4
)

// cookedProgram rewrites a filter compiled for Linux cooked frames so the
// kernel can run it on a SOCK_DGRAM socket, which sees the packet without
// the 16-byte SLL header: offsets into the packet move back by 16, loads
// of the SLL packet type and protocol become the kernel's ancillary loads,
// as libpcap's fix_program does. It returns nil when a load reads another
// part of the header; the filter then runs in user space.
func cookedProgram(prog []bpf.RawInstruction) []bpf.RawInstruction {
	out := make([]bpf.RawInstruction, len(prog))
	copy(out, prog)
	for i := range out {
		p := &out[i]
		class, mode := p.Op&bpfClass, p.Op&bpfMode
		if class != bpfLD && class != bpfLDX || mode != bpfABS && mode != bpfIND && mode != bpfMSH {
			continue
		}
		switch {
		case p.K >= skfADOff:
			// Already an ancillary load.
		case p.K >= sllLen:
			p.K -= sllLen
		case mode == bpfABS && p.Op&bpfSize == bpfH && p.K == 0:
			p.K = skfADOff + skfADPktType
		case mode == bpfABS && p.Op&bpfSize == bpfH && p.K == 14:
			p.K = skfADOff + skfADProtocol
		default:
			return nil
		}
	}
	return out
}
