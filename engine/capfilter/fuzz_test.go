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
	})
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
