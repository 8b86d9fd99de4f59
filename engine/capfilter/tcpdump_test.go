package capfilter

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gopacket/gopacket/layers"
	"github.com/wirelark/wirelark/engine/source"
	"golang.org/x/net/bpf"
)

// The expressions compared with tcpdump -d. Each is compiled for every
// link type below by both compilers; where libpcap's optimiser produces
// the same program the instructions must be equal, and in every case both
// programs must accept and reject the same packets of every capture.
var tcpdumpExprs = []string{
	"host 10.0.0.1", "src host 192.168.1.1", "dst host 192.168.1.1",
	"ip host 10.0.0.1", "arp host 10.0.0.1", "rarp host 10.0.0.1",
	"host 2001:db8::1", "ip6 host ::1", "src host fe80::1", "ip6 dst host ff02::1",
	"net 10.0.0.0/8", "src net 192.168.0.0/16", "dst net 172.16.0.0 mask 255.240.0.0",
	"net 10", "ip6 net fe80::/10", "net 2001:db8::/32",
	"port 80", "src port 53", "dst port 445", "tcp port 80", "udp port 53", "sctp port 9",
	"tcp src port 22", "udp dst port 67 or udp dst port 68", "port 80 or port 443",
	"portrange 1-1024", "tcp portrange 6000-6010", "udp src portrange 100-200",
	"ether host 00:11:22:33:44:55", "ether src 0:1:2:3:4:5", "ether dst ff:ff:ff:ff:ff:ff",
	"ether proto \\ip", "ether proto \\arp", "ether proto \\ip6", "ether proto 0x88cc",
	"ether broadcast", "ether multicast", "broadcast",
	"ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "igmp", "sctp",
	"ip proto 6", "ip proto \\tcp", "ip6 proto 17", "ip6 proto 58", "proto \\tcp", "proto \\udp",
	"vlan", "vlan 100", "vlan and ip", "vlan 10 and tcp port 80", "vlan and vlan 5 and udp",
	"less 100", "greater 1000", "len >= 60", "len - 14 > 200", "len < 100 and udp",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", "tcp[tcpflags] & tcp-syn != 0",
	"tcp[13] = 18", "icmp[icmptype] == icmp-echo", "icmp[icmptype] = icmp-echoreply",
	"icmp[0] != 8 and icmp[0] != 0", "ip[0] & 0xf > 5", "ip[2:2] > 576", "ip[6] & 0x20 != 0",
	"ip[8] < 64", "ip6[6] = 17", "icmp6[0] = 128", "icmp6[icmp6type] = icmp6-neighborsolicit",
	"tcp[12] >> 4 > 5", "udp[8:2] + 3 < len", "tcp[tcp[12] >> 4] > 1", "ether[0] & 1 = 1",
	"ether[12:2] = 0x800", "arp[7] = 2", "ip[9] * 2 + 1 = 13", "tcp[2:2] % 2 = 0",
	"udp[0:2] ^ udp[2:2] != 0", "ip[12:4] - ip[16:4] > 0", "ip[1] | 4 = 4", "tcp[13] << 2 = 8",
	"ip[8] + -1 > 62", "ip[0] - -1 != 0", "ip[4:2] / 256 > 100",
	"host 10.0.0.1 and tcp port 445", "udp port 67 or udp port 68", "arp or icmp", "icmp6 or arp",
	"not port 22", "not (tcp or udp)", "! ip6 && ! arp", "tcp and not port 80 and not port 443",
	"host 10.0.0.1 or 10.0.0.2", "tcp dst port 21 or 22", "port 80 and not 22",
	"ip and udp or arp", "udp or tcp and port 53", "(udp or tcp) and port 53",
	"host 192.168.1.1 and (port 80 or port 8080)", "src host (10.0.0.1 or 10.0.0.2)",
	"ip multicast", "ip6 multicast", "tcp and (tcp[tcpflags] & tcp-rst) != 0",
	"port http or port domain", "ip host 10.1.2.3 and not arp",
}

// linkCases maps the link types the corpus uses to tcpdump's -y names.
var linkCases = []struct {
	lt  layers.LinkType
	dlt string
}{
	{layers.LinkTypeEthernet, "EN10MB"},
	{layers.LinkTypeLinuxSLL, "LINUX_SLL"},
	{layers.LinkTypeLinuxSLL2, "LINUX_SLL2"},
	{layers.LinkTypeRaw, "RAW"},
}

const snaplen = 262144

// tcpdumpPath returns tcpdump's path, or skips the test.
func tcpdumpPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tcpdump")
	if err != nil {
		if _, err2 := os.Stat("/usr/bin/tcpdump"); err2 == nil {
			return "/usr/bin/tcpdump"
		}
		t.Skip("tcpdump is not installed: the comparison with libpcap's compiler needs it")
	}
	return p
}

var ddLine = regexp.MustCompile(`^\{ 0x([0-9a-f]+), (\d+), (\d+), 0x([0-9a-f]+) \},?$`)

// tcpdumpCompile runs tcpdump -y DLT -dd EXPR and parses its program.
// An expression libpcap refuses gives the message.
func tcpdumpCompile(bin, dlt, expr string) ([]bpf.RawInstruction, string, error) {
	return tcpdumpProgram(exec.Command(bin, "-y", dlt, "-dd", expr))
}

// tcpdumpProgram runs a tcpdump -dd command and parses the program it
// prints; an expression libpcap refuses gives its message.
func tcpdumpProgram(cmd *exec.Cmd) ([]bpf.RawInstruction, string, error) {
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, strings.TrimSpace(stderr.String()), nil
		}
		return nil, "", err
	}
	var prog []bpf.RawInstruction
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		m := ddLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			return nil, "", fmt.Errorf("unexpected tcpdump -dd line %q", line)
		}
		op, _ := strconv.ParseUint(m[1], 16, 16)
		jt, _ := strconv.ParseUint(m[2], 10, 8)
		jf, _ := strconv.ParseUint(m[3], 10, 8)
		k, _ := strconv.ParseUint(m[4], 16, 32)
		prog = append(prog, bpf.RawInstruction{Op: uint16(op), Jt: uint8(jt), Jf: uint8(jf), K: uint32(k)})
	}
	return prog, "", nil
}

// sharedDir returns ../shared next to the repository root, or "".
func sharedDir(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	// Tests run in engine/capfilter, two levels below the root.
	return filepath.Clean(filepath.Join(wd, "..", "..", "..", "shared"))
}

// packet is one captured frame.
type packet struct {
	file string
	data []byte
}

var (
	corpusOnce sync.Once
	corpus     map[layers.LinkType][]packet
	corpusErr  error
)

// loadCorpus reads every frame of every capture in ../shared/corpus and
// ../shared/captures, grouped by link type.
func loadCorpus(t *testing.T) map[layers.LinkType][]packet {
	t.Helper()
	shared := sharedDir(t)
	if _, err := os.Stat(filepath.Join(shared, "corpus")); err != nil {
		t.Skipf("shared captures not found at %s: %v", shared, err)
	}
	corpusOnce.Do(func() {
		corpus = map[layers.LinkType][]packet{}
		var files []string
		for _, dir := range []string{"corpus", "captures"} {
			filepath.WalkDir(filepath.Join(shared, dir), func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".pcap") || strings.HasSuffix(p, ".pcapng")) {
					files = append(files, p)
				}
				return nil
			})
		}
		sort.Strings(files)
		for _, name := range files {
			r, err := source.Open(name)
			if err != nil {
				continue // damaged on purpose (corpus/malformed)
			}
			var f source.Frame
			for {
				err := r.Next(&f)
				if err != nil {
					if err != io.EOF {
						// Keep the frames before the damage.
						_ = err
					}
					break
				}
				rel, _ := filepath.Rel(shared, name)
				corpus[f.LinkType] = append(corpus[f.LinkType], packet{file: rel, data: append([]byte(nil), f.Data...)})
			}
			r.Close()
		}
		// The captures have no raw IP link; the IP packets of the Ethernet
		// frames, without their Ethernet header, stand in for one.
		for _, p := range corpus[layers.LinkTypeEthernet] {
			if len(p.data) > 14 && (p.data[12] == 0x08 && p.data[13] == 0x00 || p.data[12] == 0x86 && p.data[13] == 0xdd) {
				corpus[layers.LinkTypeRaw] = append(corpus[layers.LinkTypeRaw], packet{file: p.file + " (as raw IP)", data: p.data[14:]})
			}
		}
		if len(corpus) == 0 {
			corpusErr = errors.New("no frames read from " + shared)
		}
	})
	if corpusErr != nil {
		t.Fatal(corpusErr)
	}
	return corpus
}

func disasm(raw []bpf.RawInstruction) string {
	var sb strings.Builder
	for i, r := range raw {
		fmt.Fprintf(&sb, "(%03d) %-30v {%#x %d %d %#x}\n", i, r.Disassemble(), r.Op, r.Jt, r.Jf, r.K)
	}
	return sb.String()
}

// TestTcpdump compares the compiler with libpcap's, through tcpdump -d,
// instruction by instruction where they agree and by behaviour on every
// packet of the shared captures always.
func TestTcpdump(t *testing.T) {
	bin := tcpdumpPath(t)
	packets := loadCorpus(t)
	var exprs, exact, compared, decisions, bothRefused int
	seenLinks := map[layers.LinkType]int{}
	var differing []string
	for _, e := range tcpdumpExprs {
		exprs++
		for _, lc := range linkCases {
			want, refused, err := tcpdumpCompile(bin, lc.dlt, e)
			if err != nil {
				t.Fatalf("tcpdump: %v", err)
			}
			got, gotErr := CompileRaw(e, lc.lt, snaplen)
			if refused != "" {
				if gotErr == nil {
					t.Errorf("%s on %s: libpcap refuses it (%s) but Compile accepted it", e, lc.dlt, refused)
				} else {
					bothRefused++
				}
				continue
			}
			if gotErr != nil {
				t.Errorf("%s on %s: Compile: %v (libpcap compiles it)", e, lc.dlt, gotErr)
				continue
			}
			compared++
			if equalRaw(got, want) {
				exact++
			} else {
				differing = append(differing, lc.dlt+": "+e)
				if testing.Verbose() && lc.lt == layers.LinkTypeEthernet {
					t.Logf("%s on %s differs from libpcap's program (behaviour compared below):\nours:\n%slibpcap:\n%s", e, lc.dlt, disasm(got), disasm(want))
				}
			}
			ours, err := bpf.NewVM(disassembleAll(got))
			if err != nil {
				t.Errorf("%s on %s: our program does not load in the VM: %v", e, lc.dlt, err)
				continue
			}
			theirs, err := bpf.NewVM(disassembleAll(want))
			if err != nil {
				t.Fatalf("%s on %s: libpcap's program does not load in the VM: %v", e, lc.dlt, err)
			}
			bad := 0
			for _, p := range packets[lc.lt] {
				a, errA := ours.Run(p.data)
				b, errB := theirs.Run(p.data)
				decisions++
				seenLinks[lc.lt]++
				if (a != 0) != (b != 0) || a != b || (errA == nil) != (errB == nil) {
					bad++
					if bad <= 3 {
						t.Errorf("%s on %s: %s: ours returns %d (%v), libpcap's %d (%v)\nours:\n%slibpcap:\n%s", e, lc.dlt, p.file, a, errA, b, errB, disasm(got), disasm(want))
					}
				}
			}
		}
	}
	npk := 0
	for _, lc := range linkCases {
		npk += len(packets[lc.lt])
	}
	t.Logf("%d expressions on %d link types: %d programs compared with tcpdump -d, %d identical instruction for instruction, %d refused by both; %d packets (Ethernet %d, SLL %d, SLL2 %d, raw %d), %d accept/reject decisions compared, all equal unless reported above",
		exprs, len(linkCases), compared, exact, bothRefused, npk,
		len(packets[layers.LinkTypeEthernet]), len(packets[layers.LinkTypeLinuxSLL]), len(packets[layers.LinkTypeLinuxSLL2]), len(packets[layers.LinkTypeRaw]), decisions)
	if testing.Verbose() {
		t.Logf("programs that differ from libpcap's (equal in behaviour): %d\n%s", len(differing), strings.Join(differing, "\n"))
	}
	if len(tcpdumpExprs) < 40 {
		t.Errorf("only %d expressions", len(tcpdumpExprs))
	}
	if seenLinks[layers.LinkTypeEthernet] == 0 {
		t.Error("no Ethernet packets were compared")
	}
	// Most programs must be libpcap's exactly: a drop here means the code
	// generation drifted from libpcap's.
	if exact*10 < compared*6 {
		t.Errorf("only %d of %d programs are identical to libpcap's", exact, compared)
	}
}

func equalRaw(a, b []bpf.RawInstruction) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func disassembleAll(raw []bpf.RawInstruction) []bpf.Instruction {
	out := make([]bpf.Instruction, len(raw))
	for i, r := range raw {
		out[i] = r.Disassemble()
	}
	return out
}
