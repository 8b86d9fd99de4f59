package capfilter

import "golang.org/x/net/bpf"

// Arithmetic relations: proto[expr:size], len, numbers and operators,
// compared with ==, !=, <, <=, >, >=. Constant parts are folded here (where
// libpcap leaves it to its optimiser), so "tcp[tcpflags] & (tcp-syn|tcp-ack)"
// becomes one load and one "and #0x12".

// scratchWords is the number of scratch memory words of classic BPF.
const scratchWords = 16

// aval is a compiled arithmetic operand: a constant, or statements leaving
// the value in A, plus the protocol checks the loads need.
type aval struct {
	konst bool
	k     uint32
	stmts []bpf.Instruction
	conds []frag
}

var aluOps = map[string]bpf.ALUOp{
	"+": bpf.ALUOpAdd, "-": bpf.ALUOpSub, "*": bpf.ALUOpMul, "/": bpf.ALUOpDiv,
	"%": bpf.ALUOpMod, "&": bpf.ALUOpAnd, "|": bpf.ALUOpOr, "^": bpf.ALUOpXor,
	"<<": bpf.ALUOpShiftLeft, ">>": bpf.ALUOpShiftRight,
}

func (g *gen) errArith(a arith, format string, args ...any) *SyntaxError {
	p, e := a.aspan()
	return errAt(g.expr, p, e, format, args...)
}

// arith compiles a; scratch words from base up are free to use.
func (g *gen) arith(a arith, base int) (aval, error) {
	switch a := a.(type) {
	case *numArith:
		return aval{konst: true, k: a.v}, nil
	case *lenArith:
		return aval{stmts: []bpf.Instruction{bpf.LoadExtension{Num: bpf.ExtLen}}}, nil
	case *negArith:
		x, err := g.arith(a.x, base)
		if err != nil {
			return aval{}, err
		}
		if x.konst {
			return aval{konst: true, k: -x.k}, nil
		}
		// -A is A * 0xffffffff modulo 2^32; unlike "neg" this runs in
		// golang.org/x/net/bpf's VM as well as in the kernel.
		x.stmts = append(x.stmts, bpf.ALUOpConstant{Op: bpf.ALUOpMul, Val: 0xffffffff})
		return x, nil
	case *binArith:
		return g.binary(a, base)
	case *loadArith:
		return g.load(a, base)
	}
	panic("capfilter: unknown arithmetic node")
}

func fold(op string, l, r uint32) uint32 {
	switch op {
	case "+":
		return l + r
	case "-":
		return l - r
	case "*":
		return l * r
	case "/":
		return l / r
	case "%":
		return l % r
	case "&":
		return l & r
	case "|":
		return l | r
	case "^":
		return l ^ r
	case "<<":
		return l << r
	}
	return l >> r
}

func (g *gen) binary(a *binArith, base int) (aval, error) {
	if base >= scratchWords {
		return aval{}, g.errArith(a, "arithmetic expression too complex (more than %d intermediate values)", scratchWords)
	}
	r, err := g.arith(a.r, base)
	if err != nil {
		return aval{}, err
	}
	l, err := g.arith(a.l, base+1)
	if err != nil {
		return aval{}, err
	}
	if r.konst {
		switch {
		case (a.op == "/" || a.op == "%") && r.k == 0:
			return aval{}, g.errArith(a, "division by zero")
		case (a.op == "<<" || a.op == ">>") && r.k > 31:
			return aval{}, g.errArith(a, "shift by %d bits: at most 31", r.k)
		}
	}
	conds := append(l.conds, r.conds...)
	switch {
	case l.konst && r.konst:
		return aval{konst: true, k: fold(a.op, l.k, r.k)}, nil
	case r.konst:
		return aval{stmts: append(l.stmts, bpf.ALUOpConstant{Op: aluOps[a.op], Val: r.k}), conds: conds}, nil
	case l.konst && (a.op == "+" || a.op == "*" || a.op == "&" || a.op == "|" || a.op == "^"):
		return aval{stmts: append(r.stmts, bpf.ALUOpConstant{Op: aluOps[a.op], Val: l.k}), conds: conds}, nil
	}
	// r is computed first and parked in scratch word base while l is
	// computed (l only uses words above base).
	stmts := append(g.value(r), bpf.StoreScratch{Src: bpf.RegA, N: base})
	stmts = append(stmts, g.value(l)...)
	stmts = append(stmts, bpf.LoadScratch{Dst: bpf.RegX, N: base}, bpf.ALUOpX{Op: aluOps[a.op]})
	return aval{stmts: stmts, conds: conds}, nil
}

// value returns statements leaving v in A.
func (g *gen) value(v aval) []bpf.Instruction {
	if v.konst {
		return []bpf.Instruction{bpf.LoadConstant{Dst: bpf.RegA, Val: v.k}}
	}
	return v.stmts
}

// load compiles proto[idx:size]. Transport-layer loads are relative to the
// IPv4 header length and only for first fragments, as in libpcap.
func (g *gen) load(a *loadArith, base int) (aval, error) {
	if base >= scratchWords {
		return aval{}, g.errArith(a, "arithmetic expression too complex (more than %d intermediate values)", scratchWords)
	}
	idx, err := g.arith(a.idx, base)
	if err != nil {
		return aval{}, err
	}
	net := uint32(g.link.offNet)
	variable := false
	var conds []frag
	var off uint32
	transport := false
	switch a.proto {
	case "ether", "link":
		// The link-layer header, whatever the link type, as in libpcap.
	case "ip":
		conds, off, variable = []frag{g.linkType(etherIPv4)}, net, true
	case "arp":
		conds, off, variable = []frag{g.linkType(etherARP)}, net, true
	case "rarp":
		conds, off, variable = []frag{g.linkType(etherRARP)}, net, true
	case "ip6":
		conds, off, variable = []frag{g.linkType(etherIPv6)}, net, true
	case "icmp6":
		// As libpcap: the ICMPv6 header right after the fixed header.
		conds, off, variable = []frag{and(g.linkType(etherIPv6), g.netCmp(6, 1, ipprotoICMPv6))}, net+40, true
	default:
		conds = []frag{g.linkType(etherIPv4)}
		transport, off = true, net
	}
	conds = append(conds, idx.conds...)
	if transport {
		conds = append(conds, and(g.netCmp(9, 1, transportProto[a.proto]), g.notFragment()))
	}
	var stmts []bpf.Instruction
	switch {
	case idx.konst && transport:
		stmts = append(g.ipHeaderLen(), bpf.LoadIndirect{Off: off + idx.k, Size: a.size})
	case variable && g.link.varNet >= 0:
		// The variable part of the offset is added at run time; libpcap
		// leaves even a constant index unfolded here.
		stmts = append(append([]bpf.Instruction(nil), g.value(idx)...), bpf.LoadScratch{Dst: bpf.RegX, N: g.link.varNet},
			bpf.ALUOpX{Op: bpf.ALUOpAdd}, bpf.TAX{}, bpf.LoadIndirect{Off: off, Size: a.size})
	case idx.konst:
		stmts = []bpf.Instruction{bpf.LoadAbsolute{Off: off + idx.k, Size: a.size}}
	case transport:
		stmts = append(idx.stmts, bpf.StoreScratch{Src: bpf.RegA, N: base})
		stmts = append(stmts, g.ipHeaderLen()...)
		stmts = append(stmts, bpf.LoadScratch{Dst: bpf.RegA, N: base}, bpf.ALUOpX{Op: bpf.ALUOpAdd}, bpf.TAX{},
			bpf.LoadIndirect{Off: off, Size: a.size})
	default:
		stmts = append(idx.stmts, bpf.TAX{}, bpf.LoadIndirect{Off: off, Size: a.size})
	}
	return aval{stmts: stmts, conds: conds}, nil
}

// mirror gives the operator with its operands swapped.
var mirror = map[string]string{"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

func (g *gen) relation(n *relNode) (frag, error) {
	l, err := g.arith(n.l, g.base)
	if err != nil {
		return frag{}, err
	}
	r, err := g.arith(n.r, g.base)
	if err != nil {
		return frag{}, err
	}
	op := n.op
	conds := append(l.conds, r.conds...)
	var cmpFrag frag
	switch {
	case l.konst && r.konst:
		cmpFrag = fragFalse
		if compare(op, l.k, r.k) {
			cmpFrag = fragTrue
		}
	case l.konst || r.konst:
		v, k := l, r.k
		if l.konst {
			v, k, op = r, l.k, mirror[op]
		}
		// "x & m != 0" is a bit test, as libpcap's optimiser makes it.
		if n := len(v.stmts); k == 0 && (op == "==" || op == "!=") && n > 1 {
			if and, ok := v.stmts[n-1].(bpf.ALUOpConstant); ok && and.Op == bpf.ALUOpAnd {
				cmpFrag = test(v.stmts[:n-1:n-1], bpf.JumpBitsSet, and.Val)
				if op == "==" {
					cmpFrag = not(cmpFrag)
				}
				break
			}
		}
		cmpFrag = jump(op, func(c bpf.JumpTest) frag { return test(v.stmts, c, k) })
	default:
		stmts := append(g.value(r), bpf.StoreScratch{Src: bpf.RegA, N: g.base})
		// Recompile l with scratch word base taken.
		l, err = g.arith(n.l, g.base+1)
		if err != nil {
			return frag{}, err
		}
		stmts = append(stmts, l.stmts...)
		stmts = append(stmts, bpf.LoadScratch{Dst: bpf.RegX, N: g.base})
		cmpFrag = jump(op, func(c bpf.JumpTest) frag { return testX(stmts, c) })
	}
	return and(andAll(conds...), cmpFrag), nil
}

func jump(op string, mk func(bpf.JumpTest) frag) frag {
	switch op {
	case "==":
		return mk(bpf.JumpEqual)
	case "!=":
		return not(mk(bpf.JumpEqual))
	case ">":
		return mk(bpf.JumpGreaterThan)
	case ">=":
		return mk(bpf.JumpGreaterOrEqual)
	case "<":
		return not(mk(bpf.JumpGreaterOrEqual))
	}
	return not(mk(bpf.JumpGreaterThan))
}

func compare(op string, l, r uint32) bool {
	switch op {
	case "==":
		return l == r
	case "!=":
		return l != r
	case ">":
		return l > r
	case ">=":
		return l >= r
	case "<":
		return l < r
	}
	return l <= r
}
