package live

import (
	"slices"
	"testing"

	"golang.org/x/net/bpf"
)

func TestCookedProgram(t *testing.T) {
	ret := bpf.RawInstruction{Op: 0x06, K: 262144}
	tests := []struct {
		name string
		in   []bpf.RawInstruction
		want []bpf.RawInstruction // nil: left to user space
	}{
		{"ethertype to protocol", // ldh [14]; jeq #0x800; ret
			[]bpf.RawInstruction{{Op: 0x28, K: 14}, {Op: 0x15, Jt: 0, Jf: 1, K: 0x800}, ret, {Op: 0x06}},
			[]bpf.RawInstruction{{Op: 0x28, K: skfADOff + skfADProtocol}, {Op: 0x15, Jt: 0, Jf: 1, K: 0x800}, ret, {Op: 0x06}}},
		{"packet type", []bpf.RawInstruction{{Op: 0x28, K: 0}, ret},
			[]bpf.RawInstruction{{Op: 0x28, K: skfADOff + skfADPktType}, ret}},
		{"network offsets move back", // ldb [23]; ldxb 4*([30]&0xf); ldh [x+32]
			[]bpf.RawInstruction{{Op: 0x30, K: 23}, {Op: 0xb1, K: 30}, {Op: 0x48, K: 32}, ret},
			[]bpf.RawInstruction{{Op: 0x30, K: 7}, {Op: 0xb1, K: 14}, {Op: 0x48, K: 16}, ret}},
		{"ancillary load kept", []bpf.RawInstruction{{Op: 0x20, K: skfADOff + 44}, ret},
			[]bpf.RawInstruction{{Op: 0x20, K: skfADOff + 44}, ret}},
		{"link address", []bpf.RawInstruction{{Op: 0x20, K: 6}, ret}, nil},
		{"byte of protocol", []bpf.RawInstruction{{Op: 0x30, K: 14}, ret}, nil},
		{"immediate untouched", []bpf.RawInstruction{{Op: 0x00, K: 3}, ret},
			[]bpf.RawInstruction{{Op: 0x00, K: 3}, ret}},
	}
	for _, tc := range tests {
		got := cookedProgram(tc.in)
		if !slices.Equal(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
}

// FuzzCookedProgram: the rewrite never panics, keeps the program's length
// and its non-load instructions, and moves no load to an offset it did
// not come from.
func FuzzCookedProgram(f *testing.F) {
	enc := func(p []bpf.RawInstruction) []byte {
		var b []byte
		for _, in := range p {
			b = append(b, byte(in.Op), byte(in.Op>>8), in.Jt, in.Jf, byte(in.K), byte(in.K>>8), byte(in.K>>16), byte(in.K>>24))
		}
		return b
	}
	// tcpdump -y LINUX_SLL -ddd "tcp port 8080", first instructions.
	f.Add(enc([]bpf.RawInstruction{{Op: 0x28, K: 14}, {Op: 0x15, Jf: 6, K: 0x86dd}, {Op: 0x30, K: 36}, {Op: 0x15, Jf: 17, K: 6}, {Op: 0x28, K: 70}, {Op: 0x6, K: 262144}}))
	f.Add(enc([]bpf.RawInstruction{{Op: 0x20, K: 6}, {Op: 0x6}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var prog []bpf.RawInstruction
		for ; len(b) >= 8 && len(prog) < 4096; b = b[8:] {
			prog = append(prog, bpf.RawInstruction{Op: uint16(b[0]) | uint16(b[1])<<8, Jt: b[2], Jf: b[3], K: uint32(b[4]) | uint32(b[5])<<8 | uint32(b[6])<<16 | uint32(b[7])<<24})
		}
		out := cookedProgram(prog)
		if out == nil {
			return
		}
		if len(out) != len(prog) {
			t.Fatalf("length %d, want %d", len(out), len(prog))
		}
		for i := range out {
			if out[i].Op != prog[i].Op || out[i].Jt != prog[i].Jt || out[i].Jf != prog[i].Jf {
				t.Fatalf("instruction %d changed: %v to %v", i, prog[i], out[i])
			}
			if out[i].K != prog[i].K && out[i].K != prog[i].K-sllLen && out[i].K < skfADOff {
				t.Fatalf("instruction %d: offset %d to %d", i, prog[i].K, out[i].K)
			}
		}
	})
}
