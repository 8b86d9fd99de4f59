package capfilter

import "golang.org/x/net/bpf"

// block is a node of the control-flow graph the code generator builds,
// as in libpcap: straight-line statements, then either a return or a
// conditional jump comparing A with k (or with X when useX is set).
//
// Until the optimiser removes redundant loads every block is
// self-contained: its statements compute A (and X) from the packet alone,
// so a jump may skip a block without breaking the blocks after it.
type block struct {
	stmts []bpf.Instruction
	ret   bool // a return block: ret value
	value uint32
	cond  bpf.JumpTest // JumpEqual, JumpGreaterThan, JumpGreaterOrEqual or JumpBitsSet
	k     uint32
	useX  bool
	jt    *block
	jf    *block

	// Scratch space of the passes.
	mark  int
	order int
}

// frag is a partly built program: a head block and the edges still to be
// patched when the fragment's outcome is known. A fragment can also be
// constant (head nil): always true or always false.
type frag struct {
	head     *block
	t, f     []**block
	constant bool
	value    bool
}

var fragTrue = frag{constant: true, value: true}
var fragFalse = frag{constant: true, value: false}

// test makes a one-block fragment.
func test(stmts []bpf.Instruction, cond bpf.JumpTest, k uint32) frag {
	b := &block{stmts: stmts, cond: cond, k: k}
	return frag{head: b, t: []**block{&b.jt}, f: []**block{&b.jf}}
}

func testX(stmts []bpf.Instruction, cond bpf.JumpTest) frag {
	fr := test(stmts, cond, 0)
	fr.head.useX = true
	return fr
}

func patch(edges []**block, to *block) {
	for _, e := range edges {
		*e = to
	}
}

// and joins a and b: b runs where a is true.
func and(a, b frag) frag {
	switch {
	case a.constant && !a.value, b.constant && b.value:
		return a
	case a.constant, b.constant && !b.value:
		// a is true, or b is false: the result is b (a's tests do not
		// change the outcome when b is false).
		return b
	}
	patch(a.t, b.head)
	return frag{head: a.head, t: b.t, f: append(a.f[:len(a.f):len(a.f)], b.f...)}
}

// or joins a and b: b runs where a is false.
func or(a, b frag) frag {
	switch {
	case a.constant && a.value, b.constant && !b.value:
		return a
	case a.constant, b.constant && b.value:
		return b
	}
	patch(a.f, b.head)
	return frag{head: a.head, t: append(a.t[:len(a.t):len(a.t)], b.t...), f: b.f}
}

func not(a frag) frag {
	if a.constant {
		return frag{constant: true, value: !a.value}
	}
	return frag{head: a.head, t: a.f, f: a.t}
}

// andAll and orAll fold a list left to right.
func andAll(fs ...frag) frag {
	r := fragTrue
	for _, f := range fs {
		r = and(r, f)
	}
	return r
}

func orAll(fs ...frag) frag {
	r := fragFalse
	for _, f := range fs {
		r = or(r, f)
	}
	return r
}
