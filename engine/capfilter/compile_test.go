package capfilter

import (
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

func TestEmptyAcceptsAll(t *testing.T) {
	for _, e := range []string{"", "   ", "\t\n"} {
		prog, err := Compile(e, layers.LinkTypeEthernet, 65535)
		if err != nil || len(prog) != 1 || prog[0] != (bpf.RetConstant{Val: 65535}) {
			t.Errorf("%q: got %v, %v; want ret #65535", e, prog, err)
		}
	}
}

func TestCompileRaw(t *testing.T) {
	raw, err := CompileRaw("ip", layers.LinkTypeEthernet, 262144)
	if err != nil {
		t.Fatal(err)
	}
	want := []bpf.RawInstruction{{Op: 0x28, K: 12}, {Op: 0x15, Jt: 0, Jf: 1, K: 0x800}, {Op: 0x06, K: 262144}, {Op: 0x06, K: 0}}
	if len(raw) != len(want) {
		t.Fatalf("got %v", raw)
	}
	for i := range raw {
		if raw[i] != want[i] {
			t.Errorf("instruction %d: got %+v, want %+v", i, raw[i], want[i])
		}
	}
	if _, err := CompileRaw("ip", layers.LinkTypeEthernet, 0); err == nil {
		t.Error("snap length 0 accepted")
	}
}

// TestBehaviour runs programs on hand-made packets.
func TestBehaviour(t *testing.T) {
	// Ethernet + IPv4 + TCP SYN from 10.0.0.1:1234 to 10.0.0.2:80.
	syn := []byte{
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 1, 0, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x04, 0xd2, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0xff, 0xff, 0, 0, 0, 0,
	}
	frag := append([]byte(nil), syn...)
	frag[14+6], frag[14+7] = 0x00, 0x10 // fragment offset 16*8: no TCP header
	vlan := append(append(append([]byte(nil), syn[:12]...), 0x81, 0x00, 0x00, 0x07), syn[12:]...)
	tests := []struct {
		expr string
		pkt  []byte
		want bool
	}{
		{"tcp port 80", syn, true},
		{"tcp port 80", frag, false},
		{"ip[6:2] & 0x1fff != 0", frag, true},
		{"src host 10.0.0.1 and dst port 80", syn, true},
		{"dst host 10.0.0.1", syn, false},
		{"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", syn, true},
		{"tcp[tcpflags] & tcp-ack != 0", syn, false},
		{"net 10.0.0.0/30 and not udp", syn, true},
		{"portrange 1000-2000", syn, true},
		{"vlan 7 and tcp port 80", vlan, true},
		{"vlan 8", vlan, false},
		{"tcp port 80", vlan, false},
		{"ether src 6:7:8:9:a:b", syn, true},
		{"less 54", syn, true},
		{"greater 55", syn, false},
		{"ip or arp and udp", syn, false}, // (ip or arp) and udp
		{"not ip or tcp", syn, true},
	}
	for _, tt := range tests {
		prog, err := Compile(tt.expr, layers.LinkTypeEthernet, 262144)
		if err != nil {
			t.Errorf("%q: %v", tt.expr, err)
			continue
		}
		vm, err := bpf.NewVM(prog)
		if err != nil {
			t.Fatalf("%q: %v", tt.expr, err)
		}
		n, _ := vm.Run(tt.pkt)
		if (n != 0) != tt.want {
			t.Errorf("%q: accepted %v, want %v", tt.expr, n != 0, tt.want)
		}
	}
}

// TestLongJumps builds a program whose jumps reach past 255 instructions,
// which classic BPF cannot encode in a conditional jump.
func TestLongJumps(t *testing.T) {
	var parts []string
	for i := range 120 {
		parts = append(parts, "host 10.0."+itoa(i/250)+"."+itoa(i%250+1))
	}
	expr := strings.Join(parts, " or ")
	prog, err := Compile(expr, layers.LinkTypeEthernet, 262144)
	if err != nil {
		t.Fatal(err)
	}
	if len(prog) < 300 {
		t.Fatalf("program of %d instructions: too short to need long jumps", len(prog))
	}
	checkProgram(t, expr, prog)
	long := 0
	for _, ins := range prog {
		if _, ok := ins.(bpf.Jump); ok {
			long++
		}
	}
	if long == 0 {
		t.Error("no unconditional jump was needed")
	}
	// The last host matches as a source, a destination and an ARP target.
	pkt := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00,
		0x45, 0, 0, 20, 0, 1, 0, 0, 64, 17, 0, 0, 192, 168, 0, 1, 10, 0, 0, 120}
	vm, _ := bpf.NewVM(prog)
	if n, _ := vm.Run(pkt); n == 0 {
		t.Error("10.0.0.120 not matched")
	}
	pkt[33] = 121
	if n, _ := vm.Run(pkt); n != 0 {
		t.Error("10.0.0.121 matched")
	}
}

func TestTooLong(t *testing.T) {
	var parts []string
	for i := range 1500 {
		parts = append(parts, "port "+itoa(i+1))
	}
	_, err := Compile(strings.Join(parts, " or "), layers.LinkTypeEthernet, 262144)
	if err == nil || !strings.Contains(err.Error(), "4096") {
		t.Errorf("got %v, want the 4096-instruction limit", err)
	}
}

func itoa(i int) string {
	const d = "0123456789"
	if i < 10 {
		return d[i : i+1]
	}
	return itoa(i/10) + d[i%10:i%10+1]
}
