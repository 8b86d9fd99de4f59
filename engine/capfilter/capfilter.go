package capfilter

import (
	"errors"
	"fmt"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// ErrRejectsAll is returned for an expression no packet can match (as
// "arp" on a raw IP link); libpcap refuses those too.
var ErrRejectsAll = errors.New("capture filter: expression rejects all packets")

// Compile compiles expr for packets of the given link type
// (layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL or LinkTypeLinuxSLL2
// for "-i any", layers.LinkTypeRaw) with the given snap length, the value
// the program returns for a packet it accepts (tcpdump uses 262144). An
// empty expression accepts every packet. Syntax errors are *SyntaxError.
func Compile(expr string, link layers.LinkType, snaplen int) ([]bpf.Instruction, error) {
	return compile(expr, link, snaplen, false)
}

// CompileLive is Compile for a filter attached to a live Linux packet
// socket, where the kernel usually takes the outermost VLAN tag out of the
// packet data: "vlan" then tests the tag in the packet's metadata, or in
// the data where it is still there, as libpcap does when it compiles for
// a live Linux interface (see vlan.go). Without "vlan" the program is
// Compile's.
func CompileLive(expr string, link layers.LinkType, snaplen int) ([]bpf.Instruction, error) {
	return compile(expr, link, snaplen, true)
}

func compile(expr string, link layers.LinkType, snaplen int, live bool) ([]bpf.Instruction, error) {
	l, err := linkFor(link)
	if err != nil {
		return nil, err
	}
	if snaplen <= 0 {
		return nil, fmt.Errorf("capture filter: snap length %d must be positive", snaplen)
	}
	n, err := parse(expr)
	if err != nil {
		return nil, err
	}
	accept := &block{ret: true, value: uint32(min(snaplen, 1<<31-1))}
	if n == nil {
		return []bpf.Instruction{bpf.RetConstant{Val: accept.value}}, nil
	}
	g := &gen{expr: expr, link: l, live: live}
	o := &optimizer{}
	if live && l.ether && hasVLAN(n) {
		g.base = vlanWords
		o.init = vlanState()
	}
	fr, err := g.node(n)
	if err != nil {
		return nil, err
	}
	if fr.constant {
		if !fr.value {
			return nil, ErrRejectsAll
		}
		return []bpf.Instruction{bpf.RetConstant{Val: accept.value}}, nil
	}
	reject := &block{ret: true, value: 0}
	patch(fr.t, accept)
	patch(fr.f, reject)

	if len(o.order(fr.head)) > maxBlocks {
		return nil, fmt.Errorf("capture filter: expression too large: the program would exceed the kernel's limit of %d instructions", MaxInstructions)
	}
	root := o.thread(fr.head)
	if g.shifted {
		o.foldVLAN(root)
	}
	o.dropLoads(root)
	root = o.merge(root)
	if root.ret {
		if root.value == 0 {
			return nil, ErrRejectsAll
		}
		return []bpf.Instruction{bpf.RetConstant{Val: root.value}}, nil
	}
	if g.shifted {
		o.finishVLAN(root)
	}
	o.epoch++
	prog, err := emit(layout(root, o.epoch))
	if err != nil {
		return nil, err
	}
	if err := validate(prog); err != nil {
		return nil, err
	}
	return prog, nil
}

// CompileRaw is Compile followed by bpf.Assemble: the form SO_ATTACH_FILTER
// takes.
func CompileRaw(expr string, link layers.LinkType, snaplen int) ([]bpf.RawInstruction, error) {
	return assemble(Compile(expr, link, snaplen))
}

// CompileLiveRaw is CompileLive followed by bpf.Assemble; it is the
// compiler live capture on Linux needs (a live.CompileFunc).
func CompileLiveRaw(expr string, link layers.LinkType, snaplen int) ([]bpf.RawInstruction, error) {
	return assemble(CompileLive(expr, link, snaplen))
}

func assemble(prog []bpf.Instruction, err error) ([]bpf.RawInstruction, error) {
	if err != nil {
		return nil, err
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("capture filter: %w", err)
	}
	return raw, nil
}
