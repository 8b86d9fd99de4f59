package capfilter

import (
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"
)

// The optimiser does what libpcap's does to the programs the primitives
// produce, in three passes over the graph:
//
//  1. jump threading: a test whose outcome is already known on an edge
//     (from the tests that dominate it: "ethertype == 0x86dd" was true, so
//     "ethertype == 0x800" is false) is jumped over;
//  2. redundant loads: statements that reload what A or X already hold on
//     every path into a block are dropped;
//  3. identical blocks are merged.
//
// Values are named by what computes them from the packet ("P2[12]" for
// ldh [12]), which is what makes tests and loads comparable across blocks.

// state is what the registers hold, by name; "" is unknown.
type state struct {
	a, x string
	m    [scratchWords]string
}

func aluName(op bpf.ALUOp) string {
	return strconv.Itoa(int(op))
}

// step applies one statement to s.
func step(s *state, ins bpf.Instruction) {
	switch i := ins.(type) {
	case bpf.LoadAbsolute:
		s.a = fmt.Sprintf("P%d[%d]", i.Size, i.Off)
	case bpf.LoadIndirect:
		if s.x == "" {
			s.a = ""
		} else {
			s.a = fmt.Sprintf("P%d[%s+%d]", i.Size, s.x, i.Off)
		}
	case bpf.LoadMemShift:
		s.x = fmt.Sprintf("H[%d]", i.Off)
	case bpf.LoadConstant:
		if i.Dst == bpf.RegA {
			s.a = "#" + strconv.FormatUint(uint64(i.Val), 10)
		} else {
			s.x = "#" + strconv.FormatUint(uint64(i.Val), 10)
		}
	case bpf.LoadExtension:
		s.a = "len"
	case bpf.LoadScratch:
		if i.Dst == bpf.RegA {
			s.a = s.m[i.N]
		} else {
			s.x = s.m[i.N]
		}
	case bpf.StoreScratch:
		if i.Src == bpf.RegA {
			s.m[i.N] = s.a
		} else {
			s.m[i.N] = s.x
		}
	case bpf.ALUOpConstant:
		if s.a != "" {
			s.a = "(" + s.a + " " + aluName(i.Op) + " #" + strconv.FormatUint(uint64(i.Val), 10) + ")"
		}
	case bpf.ALUOpX:
		if s.a != "" && s.x != "" {
			s.a = "(" + s.a + " " + aluName(i.Op) + " " + s.x + ")"
		} else {
			s.a = ""
		}
	case bpf.NegateA:
		if s.a != "" {
			s.a = "(-" + s.a + ")"
		}
	case bpf.TAX:
		s.x = s.a
	case bpf.TXA:
		s.a = s.x
	case vlanShift:
		// May become "ld #4" and stores to the offset words, which the
		// state does not track (their names never change).
		s.a = ""
	case vlanTCI:
		s.a = "TCI[" + strconv.FormatUint(uint64(i.off), 10) + "]"
		if i.mask {
			s.a = "VID[" + strconv.FormatUint(uint64(i.off), 10) + "]"
		}
	default:
		*s = state{}
	}
	// Names grow with nested arithmetic; past a bound they are dropped,
	// which only loses optimisations.
	if len(s.a) > 512 {
		s.a = ""
	}
	if len(s.x) > 512 {
		s.x = ""
	}
}

func run(s state, stmts []bpf.Instruction) state {
	for _, ins := range stmts {
		step(&s, ins)
	}
	return s
}

// fact is the known outcome of a test on a named value.
type fact struct {
	key  string
	cond bpf.JumpTest
	k    uint32
	val  bool
}

// decide tells whether facts fix the outcome of "key cond k".
func decide(facts []fact, key string, cond bpf.JumpTest, k uint32) (outcome, known bool) {
	if key == "" {
		return false, false
	}
	lo, hi := uint64(0), uint64(0xffffffff)
	for _, f := range facts {
		if f.key != key {
			continue
		}
		if f.cond == cond && f.k == k {
			return f.val, true
		}
		switch {
		case f.cond == bpf.JumpEqual && f.val:
			lo, hi = uint64(f.k), uint64(f.k)
		case f.cond == bpf.JumpGreaterThan && f.val:
			lo = max(lo, uint64(f.k)+1)
		case f.cond == bpf.JumpGreaterThan:
			hi = min(hi, uint64(f.k))
		case f.cond == bpf.JumpGreaterOrEqual && f.val:
			lo = max(lo, uint64(f.k))
		case f.cond == bpf.JumpGreaterOrEqual && f.k > 0:
			hi = min(hi, uint64(f.k)-1)
		}
	}
	if lo > hi {
		return false, false // contradictory: the edge is never taken
	}
	kk := uint64(k)
	switch cond {
	case bpf.JumpEqual:
		if lo == hi {
			return lo == kk, true
		}
		if kk < lo || kk > hi {
			return false, true
		}
	case bpf.JumpGreaterThan:
		if lo > kk {
			return true, true
		}
		if hi <= kk {
			return false, true
		}
	case bpf.JumpGreaterOrEqual:
		if lo >= kk {
			return true, true
		}
		if hi < kk {
			return false, true
		}
	case bpf.JumpBitsSet:
		if lo == hi {
			return lo&kk != 0, true
		}
	}
	return false, false
}

// testKey names the value a block tests ("" when it compares with X).
func (o *optimizer) testKey(b *block) string {
	if b.ret || b.useX {
		return ""
	}
	return run(o.init, b.stmts).a
}

// topo lists the blocks reachable from root, each before its successors.
func topo(root *block, epoch int) []*block {
	var post []*block
	var visit func(b *block)
	visit = func(b *block) {
		if b == nil || b.mark == epoch {
			return
		}
		b.mark = epoch
		if !b.ret {
			visit(b.jt)
			visit(b.jf)
		}
		post = append(post, b)
	}
	visit(root)
	for i, j := 0, len(post)-1; i < j; i, j = i+1, j-1 {
		post[i], post[j] = post[j], post[i]
	}
	return post
}

// optimizer carries the epoch counter that marks visited blocks.
type optimizer struct {
	epoch int
	init  state // the registers on entry
}

func (o *optimizer) order(root *block) []*block {
	o.epoch++
	bs := topo(root, o.epoch)
	for i, b := range bs {
		b.order = i
	}
	return bs
}

// maxFacts bounds the facts carried along an edge; forgetting facts only
// loses optimisations, and keeps large filters fast to compile.
const maxFacts = 64

// addFact returns facts with f added, without duplicates.
func addFact(facts []fact, f fact) []fact {
	if len(facts) >= maxFacts {
		return facts
	}
	for _, g := range facts {
		if g == f {
			return facts
		}
	}
	return append(facts[:len(facts):len(facts)], f)
}

// intersect keeps the facts present in both lists.
func intersect(a, b []fact) []fact {
	var out []fact
	for _, f := range a {
		for _, g := range b {
			if f == g {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// thread does pass 1 until nothing changes; root may change.
func (o *optimizer) thread(root *block) *block {
	rounds := 50
	for round := 0; round < rounds; round++ {
		changed := false
		bs := o.order(root)
		if len(bs) > 2000 {
			// Large graphs converge in a few rounds; more would only cost
			// compile time.
			rounds = min(rounds, 4)
		}
		keys := make([]string, len(bs))
		for i, b := range bs {
			keys[i] = o.testKey(b)
		}
		// A test whose two edges lead to the same place decides nothing:
		// blocks are still self-contained, so it can be skipped, unless
		// it sets the VLAN offset words.
		skip := func(b *block) *block {
			for n := 0; b != nil && !b.ret && b.jt == b.jf && !hasShift(b) && n < len(bs); n++ {
				b = b.jt
			}
			return b
		}
		if r := skip(root); r != root {
			root, changed = r, true
			continue
		}
		in := make([][]fact, len(bs))
		seen := make([]bool, len(bs))
		seen[0] = true
		for i, b := range bs {
			if b.ret {
				continue
			}
			for _, sense := range []bool{true, false} {
				edge := &b.jf
				if sense {
					edge = &b.jt
				}
				facts := in[i]
				if keys[i] != "" {
					facts = addFact(facts, fact{key: keys[i], cond: b.cond, k: b.k, val: sense})
				}
				t := skip(*edge)
				for n := 0; t != nil && !t.ret && !hasShift(t) && n < len(bs); n++ {
					out, ok := decide(facts, o.testKey(t), t.cond, t.k)
					if !ok {
						break
					}
					if out {
						t = skip(t.jt)
					} else {
						t = skip(t.jf)
					}
				}
				if t != *edge {
					*edge = t
					changed = true
				}
				j := t.order
				if t.mark != o.epoch || bs[j] != t {
					continue // a block first reached now: next round
				}
				if !seen[j] {
					in[j], seen[j] = facts, true
				} else {
					in[j] = intersect(in[j], facts)
				}
			}
		}
		if !changed {
			return root
		}
	}
	return root
}

// dropLoads does pass 2: statements that leave the registers as they were
// on entry are removed. Blocks are visited predecessors first, so each
// block's entry state is the meet of its predecessors' exit states.
func (o *optimizer) dropLoads(root *block) {
	bs := o.order(root)
	entry := make([]*state, len(bs))
	entry[0] = &state{}
	*entry[0] = o.init
	for i, b := range bs {
		s := *entry[i]
		if !b.ret {
			b.stmts = prune(s, b.stmts, b.useX)
			if o.init.m[vlanWordNet] != "" {
				b.stmts = dropDeadA(s, b.stmts)
			}
		}
		exit := run(s, b.stmts)
		for _, succ := range []*block{b.jt, b.jf} {
			if b.ret || succ == nil {
				continue
			}
			j := succ.order
			if entry[j] == nil {
				e := exit
				entry[j] = &e
			} else {
				meet(entry[j], &exit)
			}
		}
	}
}

func meet(a, b *state) {
	if a.a != b.a {
		a.a = ""
	}
	if a.x != b.x {
		a.x = ""
	}
	for i := range a.m {
		if a.m[i] != b.m[i] {
			a.m[i] = ""
		}
	}
}

func sameState(a, b state) bool {
	return a.a == b.a && a.x == b.x && a.m == b.m
}

// prune removes statements that change nothing: the longest prefix after
// which the registers are as on entry, then single loads of a value the
// register already holds. As libpcap's optimiser, it never takes a load of
// a VLAN offset word for redundant (libpcap does not know its value), but
// drops it when nothing in the block reads X after it, and compares a
// reload after such a word only with what the register holds just before.
// useX tells whether the block's jump reads X.
func prune(s state, stmts []bpf.Instruction, useX bool) []bpf.Instruction {
	if s.a != "" || s.x != "" {
		limit := len(stmts)
		cur := s
		for i, ins := range stmts {
			if _, ok := ins.(vlanShift); ok || isVLANWordLoad(cur, ins) {
				limit = i
				break
			}
			step(&cur, ins)
		}
		for p := limit; p > 0; p-- {
			if sameState(run(s, stmts[:p]), s) {
				stmts = stmts[p:]
				break
			}
		}
	}
	var out []bpf.Instruction
	cur := s
	for _, ins := range stmts {
		next := cur
		step(&next, ins)
		if isLoad(ins) && sameState(next, cur) && (next.a != "" || next.x != "") && !isVLANWordLoad(cur, ins) {
			continue
		}
		out = append(out, ins)
		cur = next
	}
	return dropDeadX(s, out, useX)
}

// dropDeadX removes loads of VLAN offset words into X that nothing in
// the block reads.
func dropDeadX(s state, stmts []bpf.Instruction, useX bool) []bpf.Instruction {
	var out []bpf.Instruction
	cur := s
	for i, ins := range stmts {
		before := cur
		step(&cur, ins)
		if isVLANWordLoad(before, ins) && !xReadAfter(stmts[i+1:], useX) {
			cur = before
			continue
		}
		out = append(out, ins)
	}
	return out
}

// xReadAfter tells whether stmts (then the jump) read X before setting it.
func xReadAfter(stmts []bpf.Instruction, useX bool) bool {
	for _, ins := range stmts {
		switch ins := ins.(type) {
		case bpf.LoadIndirect, bpf.ALUOpX, bpf.TXA:
			return true
		case bpf.StoreScratch:
			if ins.Src == bpf.RegX {
				return true
			}
		}
		if setsX(ins) {
			return false
		}
	}
	return useX
}

func setsX(ins bpf.Instruction) bool {
	switch ins := ins.(type) {
	case bpf.LoadMemShift, bpf.TAX:
		return true
	case bpf.LoadScratch:
		return ins.Dst == bpf.RegX
	case bpf.LoadConstant:
		return ins.Dst == bpf.RegX
	}
	return false
}

func isLoad(ins bpf.Instruction) bool {
	switch ins.(type) {
	case bpf.LoadAbsolute, bpf.LoadIndirect, bpf.LoadMemShift, bpf.LoadConstant, bpf.LoadExtension, bpf.LoadScratch:
		return true
	}
	return false
}

// merge does pass 3: blocks with the same statements, test and successors
// become one, successors first.
func (o *optimizer) merge(root *block) *block {
	bs := o.order(root)
	canon := map[string]*block{}
	ids := map[*block]int{}
	for i := len(bs) - 1; i >= 0; i-- {
		b := bs[i]
		key := sig(b, ids)
		if c, ok := canon[key]; ok {
			ids[b] = ids[c]
			continue
		}
		canon[key] = b
		ids[b] = len(ids) + 1
	}
	byID := map[int]*block{}
	for _, b := range canon {
		byID[ids[b]] = b
	}
	for _, b := range bs {
		if !b.ret {
			b.jt = byID[ids[b.jt]]
			b.jf = byID[ids[b.jf]]
		}
	}
	return byID[ids[root]]
}

// sig is a block's code and successors, for merging.
func sig(b *block, ids map[*block]int) string {
	var sb strings.Builder
	for _, s := range b.stmts {
		fmt.Fprintf(&sb, "%#v;", s)
	}
	if b.ret {
		fmt.Fprintf(&sb, "ret %d", b.value)
		return sb.String()
	}
	fmt.Fprintf(&sb, "j%d %d %v t%d f%d", b.cond, b.k, b.useX, ids[b.jt], ids[b.jf])
	return sb.String()
}
