package capfilter

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// FuzzCompile checks that any expression compiles or fails cleanly and
// quickly, and that every program produced is one the kernel accepts.
func FuzzCompile(f *testing.F) {
	for _, e := range tcpdumpExprs {
		f.Add(e)
	}
	for _, e := range []string{"", "host", "tcp[", "((((((((((tcp))))))))))", "not not not ip",
		"tcp[tcp[tcp[0]]] = 1", "host 1.2.3.4 or 5.6.7.8 or not 9.9.9.9", "ether host 1:2",
		"1 + 2 * 3 = 7", "len - len = 0", "icmp6[icmp6type] = 1 or vlan 1 or vlan 2"} {
		f.Add(e)
	}
	for _, e := range liveVLANExprs {
		f.Add(e)
	}
	links := []layers.LinkType{layers.LinkTypeEthernet, layers.LinkTypeLinuxSLL, layers.LinkTypeLinuxSLL2, layers.LinkTypeRaw}
	f.Fuzz(func(t *testing.T, expr string) {
		if len(expr) > 4096 {
			return
		}
		for _, lt := range links {
			start := time.Now()
			prog, err := Compile(expr, lt, 262144)
			if d := time.Since(start); d > 2*time.Second {
				t.Fatalf("%q took %v", expr, d)
			}
			if err != nil {
				var se *SyntaxError
				if errors.As(err, &se) && (se.Col < 1 || se.Col > len([]rune(expr))+1) {
					t.Fatalf("%q: column %d out of range", expr, se.Col)
				}
				if !strings.HasPrefix(err.Error(), "capture filter: ") {
					t.Fatalf("%q: error %q lacks the prefix", expr, err)
				}
				continue
			}
			checkProgram(t, expr, prog)
		}
		// For a live socket: the same errors, and programs the kernel
		// accepts; the VM has no ancillary loads, the test interpreter
		// runs them with the tag in the metadata and without.
		start := time.Now()
		live, err := CompileLive(expr, layers.LinkTypeEthernet, 262144)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("%q live took %v", expr, d)
		}
		_, fileErr := Compile(expr, layers.LinkTypeEthernet, 262144)
		// Live VLAN programs keep two scratch words for the offsets, so
		// arithmetic runs out of them sooner.
		if (err == nil) != (fileErr == nil) && !errors.Is(fileErr, ErrRejectsAll) && !errors.Is(err, ErrRejectsAll) && !strings.Contains(err.Error(), "too complex") {
			t.Fatalf("%q: Compile says %v, CompileLive %v", expr, fileErr, err)
		}
		if err != nil {
			return
		}
		if !hasAncillary(live) {
			checkProgram(t, expr, live)
			return
		}
		if err := validate(live); err != nil {
			t.Fatalf("%q live: %v", expr, err)
		}
		raw, err := bpf.Assemble(live)
		if err != nil {
			t.Fatalf("%q live: does not assemble: %v", expr, err)
		}
		for _, p := range [][]byte{nil, make([]byte, 14), make([]byte, 60)} {
			for _, m := range []meta{{}, {vlanPresent: true, tci: 0xffff}} {
				if _, err := runBPF(raw, p, m); err != nil {
					t.Fatalf("%q live: run: %v", expr, err)
				}
			}
		}
		// With no tag in the metadata the live program is the file one:
		// the tag, if any, is in the data.
		fileRaw, err := CompileRaw(expr, layers.LinkTypeEthernet, 262144)
		if err != nil {
			return
		}
		for _, p := range fuzzFrames {
			a, errA := runBPF(raw, p, meta{})
			b, errB := runBPF(fileRaw, p, meta{})
			if a != b || errA != nil || errB != nil {
				t.Fatalf("%q on %x: live program returns %d (%v), file program %d (%v)\nlive:\n%sfile:\n%s", expr, p, a, errA, b, errB, disasm(raw), disasm(fileRaw))
			}
		}
	})
}

// fuzzFrames are Ethernet frames the live and file programs must agree
// on: a TCP SYN, a UDP datagram and an ICMP echo over IPv4, an IPv6 UDP
// datagram and an ARP request, each untagged, tagged, and tagged twice.
var fuzzFrames = func() [][]byte {
	eth := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	ip4 := func(proto byte, l4 []byte) []byte {
		h := []byte{0x08, 0x00, 0x45, 0, 0, byte(20 + len(l4)), 0, 1, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}
		return append(h, l4...)
	}
	udp := []byte{0, 53, 0x04, 0xd2, 0, 12, 0, 0, 1, 2, 3, 4}
	payloads := [][]byte{
		ip4(6, []byte{0x04, 0xd2, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0}),
		ip4(17, udp),
		ip4(1, []byte{8, 0, 0xf7, 0xff, 0, 0, 0, 0}),
		append([]byte{0x86, 0xdd, 0x60, 0, 0, 0, 0, 12, 17, 64,
			0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
			0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}, udp...),
		{0x08, 0x06, 0, 1, 8, 0, 6, 4, 0, 1, 0, 1, 2, 3, 4, 5, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2},
	}
	var out [][]byte
	for _, p := range payloads {
		out = append(out,
			append(append([]byte(nil), eth...), p...),
			append(append(append([]byte(nil), eth...), 0x81, 0x00, 0x20, 100), p...),
			append(append(append([]byte(nil), eth...), 0x88, 0xa8, 0, 5, 0x81, 0x00, 0, 100), p...))
	}
	return out
}()

// hasAncillary tells whether prog reads the kernel's packet metadata
// (other than the length, which the VM has).
func hasAncillary(prog []bpf.Instruction) bool {
	for _, ins := range prog {
		if l, ok := ins.(bpf.LoadAbsolute); ok && l.Off >= skfADOff {
			return true
		}
	}
	return false
}

// checkProgram checks what the kernel's checker does.
func checkProgram(t *testing.T, expr string, prog []bpf.Instruction) {
	t.Helper()
	if err := validate(prog); err != nil {
		t.Fatalf("%q: %v", expr, err)
	}
	if _, err := bpf.Assemble(prog); err != nil {
		t.Fatalf("%q: does not assemble: %v", expr, err)
	}
	vm, err := bpf.NewVM(prog)
	if err != nil {
		t.Fatalf("%q: VM refuses the program: %v", expr, err)
	}
	// The program runs to a return on short and empty packets.
	for _, p := range [][]byte{nil, make([]byte, 14), make([]byte, 60)} {
		if _, err := vm.Run(p); err != nil {
			t.Fatalf("%q: run: %v", expr, err)
		}
	}
}
