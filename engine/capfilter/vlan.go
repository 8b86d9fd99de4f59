package capfilter

import (
	"errors"

	"golang.org/x/net/bpf"
)

// VLAN tags on live Linux sockets.
//
// A file holds the 802.1Q tag in the frame, but on a live AF_PACKET socket
// the kernel usually takes it out of the packet data before the filter
// runs and keeps it in the packet's metadata, where the ancillary loads
// SKF_AD_VLAN_TAG_PRESENT and SKF_AD_VLAN_TAG read it. A tag the hardware
// did not offload is still in the data. So, as libpcap's
// gen_vlan_bpf_extensions, the outermost "vlan" of a live filter tests the
// metadata first and the frame's TPID second; when the TPID test runs the
// tag is in the packet, so the offsets of everything after "vlan" grow by
// four bytes at run time: they are kept in two scratch words (the network
// layer's in word 0, the link type's in word 1), set to 0 on entry and to 4
// where the in-packet test runs, and later loads add them through X.

// The kernel's ancillary load offsets (linux/filter.h).
const (
	skfADOff             = 0xfffff000
	skfADVLANTag         = skfADOff + 44
	skfADVLANTagPresent  = skfADOff + 48
	vlanWordNet          = 0 // scratch word of the network-layer offset
	vlanWordLinkType     = 1 // scratch word of the link type's offset
	vlanWords            = 2 // words taken by the two above
	vlanTagInPacketShift = 4 // bytes the tag adds when it is in the data
)

// errPseudo is what the placeholder statements say if assembled before
// finishVLAN replaced them; Compile never returns them.
var errPseudo = errors.New("capture filter: internal placeholder statement")

// vlanShift marks the in-packet TPID test of a live "vlan": it becomes
// "ld #4; st M[w]" for each offset word the program reads, or nothing.
// The optimiser never jumps over the block holding it.
type vlanShift struct{}

// vlanTCI loads the tag control information into A: from the metadata
// when the kernel has the tag, else the halfword at off; then, with mask,
// keeps the VLAN ID, as libpcap's gen_vlan_patch_vid_test (its branches
// stay inside the block). Without mask the block tests the ID bits itself.
type vlanTCI struct {
	off  uint32
	mask bool
}

func (vlanShift) Assemble() (bpf.RawInstruction, error) { return bpf.RawInstruction{}, errPseudo }
func (vlanTCI) Assemble() (bpf.RawInstruction, error)   { return bpf.RawInstruction{}, errPseudo }

// vlan compiles "vlan [ID]": every later test looks past the tag, as in
// libpcap.
func (g *gen) vlan(n *specialNode) frag {
	first := g.vlans == 0
	g.vlans++
	if g.live && first {
		present := test([]bpf.Instruction{ldAbs(skfADVLANTagPresent, 1)}, bpf.JumpEqual, 1)
		tpid := g.tpid()
		tpid.head.stmts = append([]bpf.Instruction{vlanShift{}}, tpid.head.stmts...)
		r := or(present, tpid)
		if n.hasNum {
			off := uint32(g.link.offNet)
			if n.num == 0 {
				r = and(r, not(test([]bpf.Instruction{vlanTCI{off: off}}, bpf.JumpBitsSet, 0x0fff)))
			} else {
				r = and(r, test([]bpf.Instruction{vlanTCI{off: off, mask: true}}, bpf.JumpEqual, n.num))
			}
		}
		g.link.varNet, g.link.varLinkType = vlanWordNet, vlanWordLinkType
		g.shifted = true
		return r
	}
	r := g.tpid()
	if n.hasNum {
		r = and(r, g.netMcmp(0, 2, n.num, 0x0fff))
	}
	g.link.offLinkType += 4
	g.link.offNet += 4
	return r
}

// tpid tests for an 802.1Q, 802.1ad or QinQ tag.
func (g *gen) tpid() frag {
	return orAll(test(g.typeLoad(0, 2), bpf.JumpEqual, 0x8100),
		test(g.typeLoad(0, 2), bpf.JumpEqual, 0x88a8),
		test(g.typeLoad(0, 2), bpf.JumpEqual, 0x9100))
}

// hasVLAN reports whether the expression uses "vlan".
func hasVLAN(n node) bool {
	switch n := n.(type) {
	case *andNode:
		return hasVLAN(n.l) || hasVLAN(n.r)
	case *orNode:
		return hasVLAN(n.l) || hasVLAN(n.r)
	case *notNode:
		return hasVLAN(n.x)
	case *specialNode:
		return n.what == "vlan"
	}
	return false
}

// vlanState is the optimiser's entry state of a live VLAN program: the
// offset words hold values named after themselves, which stay the same
// along any path once set (they are set before any load that reads them).
func vlanState() state {
	var s state
	s.m[vlanWordNet] = "V0"
	s.m[vlanWordLinkType] = "V1"
	return s
}

// isVLANWordLoad tells whether ins loads X with an offset word (s is the
// state before it).
func isVLANWordLoad(s state, ins bpf.Instruction) bool {
	l, ok := ins.(bpf.LoadScratch)
	return ok && l.Dst == bpf.RegX && l.N < vlanWords && s.m[l.N] == vlanState().m[l.N]
}

// finishVLAN replaces the placeholders of the blocks reachable from root
// with real statements, and sets the offset words on entry, only those the
// program reads (libpcap's optimiser drops the other stores).
func (o *optimizer) finishVLAN(root *block) {
	bs := o.order(root)
	var used []int
	for w := 0; w < vlanWords; w++ {
	scan:
		for _, b := range bs {
			for _, ins := range b.stmts {
				if l, ok := ins.(bpf.LoadScratch); ok && l.N == w {
					used = append(used, w)
					break scan
				}
			}
		}
	}
	stores := func(v uint32) []bpf.Instruction {
		if len(used) == 0 {
			return nil
		}
		out := []bpf.Instruction{bpf.LoadConstant{Dst: bpf.RegA, Val: v}}
		for _, w := range used {
			out = append(out, bpf.StoreScratch{Src: bpf.RegA, N: w})
		}
		return out
	}
	for _, b := range bs {
		var out []bpf.Instruction
		for _, ins := range b.stmts {
			switch ins := ins.(type) {
			case vlanShift:
				out = append(out, stores(vlanTagInPacketShift)...)
			case vlanTCI:
				out = append(out,
					ldAbs(skfADVLANTagPresent, 1),
					bpf.JumpIf{Cond: bpf.JumpEqual, Val: 1, SkipTrue: 0, SkipFalse: 2},
					// A byte load, as libpcap 1.10 emits it: the kernel
					// gives the whole tag whatever the size.
					ldAbs(skfADVLANTag, 1),
					bpf.Jump{Skip: 1},
					ldAbs(int(ins.off), 2))
				if ins.mask {
					out = append(out, bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: 0x0fff})
				}
			default:
				out = append(out, ins)
			}
		}
		b.stmts = out
	}
	root.stmts = append(stores(0), root.stmts...)
}

// hasShift tells whether the block sets the offset words.
func hasShift(b *block) bool {
	for _, ins := range b.stmts {
		if _, ok := ins.(vlanShift); ok {
			return true
		}
	}
	return false
}

// foldVLAN does what libpcap's constant propagation does to the offset
// words: in a block every path reaches with the same value in them (0
// where the kernel had the tag or before "vlan", 4 after the in-packet
// test), loads through them become absolute loads and additions of them
// constants ("vlan or ip" tests ldh [16], not ldh [x + 12]).
func (o *optimizer) foldVLAN(root *block) {
	const unknown = -1
	bs := o.order(root)
	entry := make([]int, len(bs))
	seen := make([]bool, len(bs))
	entry[0], seen[0] = 0, true
	for i, b := range bs {
		if b.ret {
			continue
		}
		exit := entry[i]
		if hasShift(b) {
			exit = vlanTagInPacketShift
		}
		for _, succ := range []*block{b.jt, b.jf} {
			j := succ.order
			switch {
			case !seen[j]:
				entry[j], seen[j] = exit, true
			case entry[j] != exit:
				entry[j] = unknown
			}
		}
	}
	for i, b := range bs {
		if !b.ret && entry[i] != unknown {
			b.stmts = foldWords(o.init, b.stmts, uint32(entry[i]), b.useX)
		}
	}
}

// foldWords rewrites stmts knowing the offset words hold c: constants in A
// and X are carried instead of loaded while only foldable statements use
// them, and loaded where anything else reads them. Blocks are still
// self-contained here, so only the block's own jump reads what it leaves
// (useX: X too).
func foldWords(s state, stmts []bpf.Instruction, c uint32, useX bool) []bpf.Instruction {
	var out []bpf.Instruction
	var aK, xK uint32
	aConst, xConst := false, false // A or X holds a constant not yet loaded
	flushA := func() {
		if aConst {
			out = append(out, bpf.LoadConstant{Dst: bpf.RegA, Val: aK})
			aConst = false
		}
	}
	flushX := func() {
		if xConst {
			out = append(out, bpf.LoadConstant{Dst: bpf.RegX, Val: xK})
			xConst = false
		}
	}
	for _, ins := range stmts {
		switch i := ins.(type) {
		case bpf.LoadScratch:
			if i.Dst == bpf.RegX && isVLANWordLoad(s, i) {
				xK, xConst = c, true
				continue
			}
		case bpf.LoadConstant:
			if i.Dst == bpf.RegA {
				aK, aConst = i.Val, true
			} else {
				xK, xConst = i.Val, true
			}
			continue
		case bpf.LoadIndirect:
			if xConst {
				aConst = false
				out = append(out, bpf.LoadAbsolute{Off: i.Off + xK, Size: i.Size})
				continue
			}
		case bpf.ALUOpConstant:
			if aConst {
				aK = fold(aluSymbol[i.Op], aK, i.Val)
				continue
			}
		case bpf.ALUOpX:
			if xConst && i.Op == bpf.ALUOpAdd {
				if aConst {
					aK += xK
				} else {
					out = append(out, bpf.ALUOpConstant{Op: bpf.ALUOpAdd, Val: xK})
				}
				continue
			}
		case bpf.TAX:
			if aConst {
				xK, xConst = aK, true
				continue
			}
		}
		readA, readX, writeA, writeX := regUse(ins)
		if readA {
			flushA()
		}
		if readX {
			flushX()
		}
		out = append(out, ins)
		if writeA {
			aConst = false
		}
		if writeX {
			xConst = false
		}
	}
	flushA()
	if useX {
		flushX()
	}
	return out
}

// regUse tells which registers a statement reads and writes.
func regUse(ins bpf.Instruction) (readA, readX, writeA, writeX bool) {
	switch i := ins.(type) {
	case bpf.LoadAbsolute, bpf.LoadExtension, vlanTCI:
		writeA = true
	case bpf.LoadIndirect:
		readX, writeA = true, true
	case bpf.LoadConstant:
		writeA, writeX = i.Dst == bpf.RegA, i.Dst == bpf.RegX
	case bpf.LoadScratch:
		writeA, writeX = i.Dst == bpf.RegA, i.Dst == bpf.RegX
	case bpf.LoadMemShift:
		writeX = true
	case bpf.StoreScratch:
		readA, readX = i.Src == bpf.RegA, i.Src == bpf.RegX
	case bpf.ALUOpConstant, bpf.NegateA:
		readA, writeA = true, true
	case bpf.ALUOpX:
		readA, readX, writeA = true, true, true
	case bpf.TAX:
		readA, writeX = true, true
	case bpf.TXA:
		readX, writeA = true, true
	default:
		// vlanShift ("ld #4" and stores) and anything unforeseen.
		readA, readX, writeA = true, true, true
	}
	return
}

// aluSymbol names an ALU operation as fold takes it.
var aluSymbol = func() map[bpf.ALUOp]string {
	m := map[bpf.ALUOp]string{}
	for s, op := range aluOps {
		m[op] = s
	}
	return m
}()

// dropDeadA removes, as libpcap's optimiser does in live VLAN programs
// (whose folded constants leave such code), a tax that puts in X what X
// holds, then statements computing into A a value that is replaced before
// anything reads it (the block's jump reads A).
func dropDeadA(s state, stmts []bpf.Instruction) []bpf.Instruction {
	var kept []bpf.Instruction
	cur := s
	for _, ins := range stmts {
		if _, ok := ins.(bpf.TAX); ok && cur.a != "" && cur.a == cur.x {
			continue
		}
		step(&cur, ins)
		kept = append(kept, ins)
	}
	live := true // A is read by the jump
	out := make([]bpf.Instruction, 0, len(kept))
	for i := len(kept) - 1; i >= 0; i-- {
		ins := kept[i]
		readA, _, writeA, writeX := regUse(ins)
		_, isStore := ins.(bpf.StoreScratch)
		if writeA && !writeX && !isStore && !live {
			if _, pseudo := ins.(vlanShift); !pseudo {
				continue
			}
		}
		if writeA {
			live = false
		}
		if readA {
			live = true
		}
		out = append(out, ins)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}
