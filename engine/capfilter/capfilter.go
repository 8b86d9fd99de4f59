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
	g := &gen{expr: expr, link: l}
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

	o := &optimizer{}
	if len(o.order(fr.head)) > maxBlocks {
		return nil, fmt.Errorf("capture filter: expression too large: the program would exceed the kernel's limit of %d instructions", MaxInstructions)
	}
	root := o.thread(fr.head)
	o.dropLoads(root)
	root = o.merge(root)
	if root.ret {
		if root.value == 0 {
			return nil, ErrRejectsAll
		}
		return []bpf.Instruction{bpf.RetConstant{Val: root.value}}, nil
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
	prog, err := Compile(expr, link, snaplen)
	if err != nil {
		return nil, err
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("capture filter: %w", err)
	}
	return raw, nil
}
