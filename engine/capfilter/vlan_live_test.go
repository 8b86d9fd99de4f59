package capfilter

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"
)

// liveVLANExprs are compared with what tcpdump -i IFACE -d prints, which
// is libpcap compiling for a live Linux socket (VLAN ancillary loads).
var liveVLANExprs = []string{
	"vlan", "vlan 100", "vlan and tcp port 80", "vlan 100 and host 10.0.0.1",
	"vlan and ip", "vlan and ip6", "vlan and arp", "vlan and tcp", "vlan and udp",
	"vlan and icmp", "vlan and port 53", "vlan 10 and udp port 53", "vlan and host 10.0.0.1",
	"vlan and src host 192.168.1.1", "vlan 200 and ip6 host 2001:db8::1", "vlan and net 10.0.0.0/8",
	"vlan and vlan", "vlan 100 and vlan 200", "vlan and vlan and ip", "vlan 1 and vlan 2 and tcp port 22",
	"vlan and tcp[13] = 18", "vlan and ip and udp", "vlan and not ip", "not vlan",
	"vlan and (tcp or udp)", "vlan 4095", "vlan 0 and arp host 10.1.1.1",
	"vlan and tcp portrange 1000-2000", "vlan and ip6 and icmp6", "vlan and ip multicast",
	"vlan and ether host 00:11:22:33:44:55", "vlan and less 100", "vlan and ip[8] < 64",
	"tcp and vlan", "vlan or ip", "vlan and ip proto 47",
	"vlan or tcp port 80", "vlan or ip[8] < 64", "not vlan and ip", "vlan 100 or vlan 200", "not vlan",
	"vlan 0", "vlan or arp or icmp6", "vlan and len > 100", "vlan and ip[2:2] > 576", "ether multicast and vlan",
}

// tcpdumpLive runs tcpdump -i IFACE -dd EXPR.
func tcpdumpLive(bin, iface, expr string) ([]bpf.RawInstruction, string, error) {
	return tcpdumpProgram(exec.Command(bin, "-i", iface, "-dd", expr))
}

// liveDiffers lists the live programs known to differ from libpcap's in
// their instructions (libpcap's optimiser keeps one more IPv4 header
// length computation); their behaviour is still compared.
var liveDiffers = map[string]bool{"vlan and tcp portrange 1000-2000": true}

// presentations gives the ways a live socket can show frame to a filter:
// as it is; with an 802.1Q tag in it taken out into the metadata, as the
// kernel does; and, for an untagged frame, tagged (VID 100, priority 5)
// in the metadata or in the data.
func presentations(frame []byte) (pkts [][]byte, metas []meta) {
	pkts, metas = append(pkts, frame), append(metas, meta{})
	if len(frame) < 18 {
		return
	}
	if frame[12] == 0x81 && frame[13] == 0x00 {
		stripped := append(append([]byte(nil), frame[:12]...), frame[16:]...)
		pkts = append(pkts, stripped)
		metas = append(metas, meta{vlanPresent: true, tci: uint16(frame[14])<<8 | uint16(frame[15])})
		return
	}
	const tci = 5<<13 | 100
	tagged := append(append(append([]byte(nil), frame[:12]...), 0x81, 0x00, tci>>8, tci&0xff), frame[12:]...)
	pkts = append(pkts, frame, tagged)
	metas = append(metas, meta{vlanPresent: true, tci: tci}, meta{})
	return
}

// TestLiveTcpdump compares CompileLive with libpcap compiling for a live
// Linux interface (tcpdump -i lo -dd): the instructions, for the VLAN
// expressions (all identical but liveDiffers) and for all the expressions
// of TestTcpdump (as identical as Compile's there), and what the
// programs decide on every Ethernet frame of the shared captures shown
// as a live socket would show it.
func TestLiveTcpdump(t *testing.T) {
	bin := tcpdumpPath(t)
	frames := loadCorpus(t)[layers.LinkTypeEthernet]
	var pkts [][]byte
	var metas []meta
	for _, f := range frames {
		p, m := presentations(f.data)
		pkts, metas = append(pkts, p...), append(metas, m...)
	}
	exprs := append(append([]string(nil), liveVLANExprs...), tcpdumpExprs...)
	var compared, exact, decisions, accepted, vlanExact int
	for _, e := range exprs {
		want, refused, err := tcpdumpLive(bin, "lo", e)
		if err != nil {
			t.Fatal(err)
		}
		got, gotErr := CompileLiveRaw(e, layers.LinkTypeEthernet, snaplen)
		if refused != "" {
			if gotErr == nil {
				t.Errorf("%s: libpcap refuses it (%s) but CompileLive accepted it", e, refused)
			}
			continue
		}
		if gotErr != nil {
			t.Errorf("%s: CompileLive: %v", e, gotErr)
			continue
		}
		compared++
		switch {
		case equalRaw(got, want):
			exact++
			if strings.Contains(e, "vlan") {
				vlanExact++
			}
			if liveDiffers[e] {
				t.Errorf("%s is now libpcap's program exactly: take it out of liveDiffers", e)
			}
		case liveDiffers[e] || !strings.Contains(e, "vlan"):
			// Without vlan the program is Compile's (TestLiveWithoutVLAN),
			// compared with libpcap's in TestTcpdump.
		default:
			t.Errorf("%s: not libpcap's program:\nours:\n%slibpcap:\n%s", e, disasm(got), disasm(want))
		}
		bad := 0
		for i, p := range pkts {
			a, errA := runBPF(got, p, metas[i])
			b, errB := runBPF(want, p, metas[i])
			if errA != nil || errB != nil {
				t.Fatalf("%s: run: %v, %v", e, errA, errB)
			}
			decisions++
			if a != 0 {
				accepted++
			}
			if a != b {
				bad++
				if bad <= 3 {
					t.Errorf("%s: packet %d (metadata %+v) ours returns %d, libpcap's %d", e, i, metas[i], a, b)
				}
			}
		}
	}
	t.Logf("%d expressions compiled for a live socket and compared with tcpdump -i lo -dd: %d identical (%d of them with vlan), %d in liveDiffers; %d frames in %d presentations, %d decisions compared (%d accepts), all equal unless reported",
		compared, exact, vlanExact, len(liveDiffers), len(frames), len(pkts), decisions, accepted)
	if vlanExact < 40 {
		t.Errorf("only %d vlan expressions identical to libpcap's", vlanExact)
	}
}

// TestLiveWithoutVLAN checks that CompileLive only changes "vlan".
func TestLiveWithoutVLAN(t *testing.T) {
	for _, e := range tcpdumpExprs {
		for _, lc := range linkCases {
			a, errA := CompileRaw(e, lc.lt, snaplen)
			b, errB := CompileLiveRaw(e, lc.lt, snaplen)
			if strings.Contains(e, "vlan") && lc.lt == layers.LinkTypeEthernet {
				continue
			}
			if (errA == nil) != (errB == nil) || errA == nil && !equalRaw(a, b) {
				t.Errorf("%s on %s: Compile gives %v, %v; CompileLive %v, %v", e, lc.dlt, a, errA, b, errB)
			}
		}
	}
}

// TestLiveVLANCases checks decisions on hand-made frames, tag in the
// metadata or in the data, without tcpdump.
func TestLiveVLANCases(t *testing.T) {
	// An untagged IPv4 ICMP echo request from 10.0.0.1 to 10.0.0.2.
	icmp := []byte{
		0, 1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 10, 0x08, 0x00,
		0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		8, 0, 0xf7, 0xff, 0, 0, 0, 0,
	}
	tag := func(vid uint16) []byte {
		return append(append(append([]byte(nil), icmp[:12]...), 0x81, 0x00, byte(vid>>8), byte(vid)), icmp[12:]...)
	}
	inMeta := meta{vlanPresent: true, tci: 3<<13 | 100}
	tests := []struct {
		expr string
		pkt  []byte
		m    meta
		want bool
	}{
		{"vlan", icmp, meta{}, false},
		{"vlan", icmp, inMeta, true},
		{"vlan", tag(100), meta{}, true},
		{"vlan 100", icmp, inMeta, true},
		{"vlan 100", tag(100), meta{}, true},
		{"vlan 200", icmp, inMeta, false},
		{"vlan 200", tag(100), meta{}, false},
		{"not vlan", icmp, meta{}, true},
		{"not vlan", icmp, inMeta, false},
		{"vlan and icmp", icmp, inMeta, true},
		{"vlan and icmp", tag(100), meta{}, true},
		{"vlan and icmp", icmp, meta{}, false},
		{"vlan 100 and host 10.0.0.2", icmp, inMeta, true},
		{"vlan 100 and host 10.0.0.2", tag(100), meta{}, true},
		{"vlan 100 and host 10.0.0.3", tag(100), meta{}, false},
		{"vlan and udp", icmp, inMeta, false},
		{"vlan 0", icmp, meta{vlanPresent: true, tci: 7 << 13}, true},
		{"vlan and vlan 100", tag(100), inMeta, true},
		{"vlan and vlan 100", tag(100), meta{}, false},
		{"vlan or icmp", icmp, meta{}, false}, // libpcap: "icmp" looks past a tag
		{"vlan or icmp", icmp, inMeta, true},
		{"icmp", icmp, meta{}, true},
	}
	for _, tt := range tests {
		prog, err := CompileLiveRaw(tt.expr, layers.LinkTypeEthernet, snaplen)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		got, err := runBPF(prog, tt.pkt, tt.m)
		if err != nil {
			t.Fatalf("%s: %v", tt.expr, err)
		}
		if (got != 0) != tt.want {
			t.Errorf("%s on %d bytes, metadata %+v: accepted %v, want %v\n%s", tt.expr, len(tt.pkt), tt.m, got != 0, tt.want, disasm(prog))
		}
	}
}

// TestRunBPF checks the test interpreter against golang.org/x/net/bpf's VM
// on programs without ancillary loads.
func TestRunBPF(t *testing.T) {
	frames := loadCorpus(t)[layers.LinkTypeEthernet]
	n := 0
	for _, e := range tcpdumpExprs {
		prog, err := CompileRaw(e, layers.LinkTypeEthernet, snaplen)
		if err != nil {
			continue
		}
		vm, err := bpf.NewVM(disassembleAll(prog))
		if err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		for i, f := range frames {
			if i%7 != 0 {
				continue
			}
			want, _ := vm.Run(f.data)
			got, err := runBPF(prog, f.data, meta{})
			if err != nil || uint32(want) != got {
				t.Fatalf("%s on %s: interpreter returns %d (%v), the VM %d", e, f.file, got, err, want)
			}
			n++
		}
	}
	t.Logf("%d runs equal", n)
}
