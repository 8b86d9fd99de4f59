package capfilter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// MaxInstructions is the kernel's limit on a classic BPF program
// (BPF_MAXINSNS).
const MaxInstructions = 4096

// maxBlocks bounds the graph the primitives may build before optimising,
// so that a huge expression fails fast instead of taking long to shrink.
const maxBlocks = 4 * MaxInstructions

// layout orders blocks as libpcap's convert_code: depth first, false
// branch before true branch, each block placed before everything it
// reaches. So the accept and reject returns come last.
func layout(root *block, epoch int) []*block {
	var post []*block
	var visit func(b *block)
	visit = func(b *block) {
		if b.mark == epoch {
			return
		}
		b.mark = epoch
		if !b.ret {
			visit(b.jf)
			visit(b.jt)
		}
		post = append(post, b)
	}
	visit(root)
	for i, j := 0, len(post)-1; i < j; i, j = i+1, j-1 {
		post[i], post[j] = post[j], post[i]
	}
	return post
}

// emit turns the ordered blocks into instructions. A conditional jump
// reaches at most 255 instructions ahead; a longer one goes through an
// unconditional jump placed right after it, as libpcap does.
func emit(bs []*block) ([]bpf.Instruction, error) {
	longT := map[*block]bool{}
	longF := map[*block]bool{}
	for round := 0; round <= 2*len(bs); round++ {
		start := map[*block]int{}
		n := 0
		for _, b := range bs {
			start[b] = n
			n += len(b.stmts) + 1
			if longT[b] {
				n++
			}
			if longF[b] {
				n++
			}
			if n > MaxInstructions {
				return nil, fmt.Errorf("capture filter: the program would be longer than the kernel's limit of %d instructions", MaxInstructions)
			}
		}
		var prog []bpf.Instruction
		retry := false
		for _, b := range bs {
			prog = append(prog, b.stmts...)
			if b.ret {
				prog = append(prog, bpf.RetConstant{Val: b.value})
				continue
			}
			at := len(prog) // index of the jump
			tPos, fPos := start[b.jt], start[b.jf]
			st, sf := tPos-at-1, fPos-at-1
			var tramp []bpf.Instruction
			if longT[b] {
				st = len(tramp)
				tramp = append(tramp, bpf.Jump{Skip: uint32(tPos - (at + 1 + len(tramp)) - 1)})
			}
			if longF[b] {
				sf = len(tramp)
				tramp = append(tramp, bpf.Jump{Skip: uint32(fPos - (at + 1 + len(tramp)) - 1)})
			}
			if st > 255 {
				longT[b], retry = true, true
			}
			if sf > 255 {
				longF[b], retry = true, true
			}
			if st < 0 || sf < 0 || tPos <= at || fPos <= at {
				return nil, fmt.Errorf("capture filter: internal error: backward jump")
			}
			if b.useX {
				prog = append(prog, bpf.JumpIfX{Cond: b.cond, SkipTrue: uint8(st), SkipFalse: uint8(sf)})
			} else {
				prog = append(prog, bpf.JumpIf{Cond: b.cond, Val: b.k, SkipTrue: uint8(st), SkipFalse: uint8(sf)})
			}
			prog = append(prog, tramp...)
		}
		if !retry {
			return prog, nil
		}
	}
	return nil, fmt.Errorf("capture filter: internal error: jump layout did not settle")
}

// validate checks what the kernel checks: jumps stay inside the program,
// it ends with a return, no constant division by zero, shifts below 32,
// scratch words in range.
func validate(prog []bpf.Instruction) error {
	if len(prog) == 0 || len(prog) > MaxInstructions {
		return fmt.Errorf("capture filter: program of %d instructions (1 to %d allowed)", len(prog), MaxInstructions)
	}
	for i, ins := range prog {
		left := len(prog) - i - 1
		switch ins := ins.(type) {
		case bpf.Jump:
			if int(ins.Skip) >= left {
				return fmt.Errorf("capture filter: instruction %d jumps out of the program", i)
			}
		case bpf.JumpIf:
			if int(ins.SkipTrue) >= left || int(ins.SkipFalse) >= left {
				return fmt.Errorf("capture filter: instruction %d jumps out of the program", i)
			}
		case bpf.JumpIfX:
			if int(ins.SkipTrue) >= left || int(ins.SkipFalse) >= left {
				return fmt.Errorf("capture filter: instruction %d jumps out of the program", i)
			}
		case bpf.ALUOpConstant:
			if (ins.Op == bpf.ALUOpDiv || ins.Op == bpf.ALUOpMod) && ins.Val == 0 {
				return fmt.Errorf("capture filter: instruction %d divides by zero", i)
			}
			if (ins.Op == bpf.ALUOpShiftLeft || ins.Op == bpf.ALUOpShiftRight) && ins.Val > 31 {
				return fmt.Errorf("capture filter: instruction %d shifts by %d", i, ins.Val)
			}
		case bpf.LoadScratch:
			if ins.N < 0 || ins.N >= scratchWords {
				return fmt.Errorf("capture filter: instruction %d uses scratch word %d", i, ins.N)
			}
		case bpf.StoreScratch:
			if ins.N < 0 || ins.N >= scratchWords {
				return fmt.Errorf("capture filter: instruction %d uses scratch word %d", i, ins.N)
			}
		}
	}
	switch prog[len(prog)-1].(type) {
	case bpf.RetConstant, bpf.RetA:
	default:
		return fmt.Errorf("capture filter: program does not end with a return")
	}
	return nil
}
