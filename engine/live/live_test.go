package live_test

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/wirelark/wirelark/engine/live"
	"github.com/wirelark/wirelark/engine/live/netnstest"
	"github.com/wirelark/wirelark/engine/source"
)

// tcpdumpCompile compiles a capture filter with tcpdump -ddd, the
// reference the project's compiler is tested against.
func tcpdumpCompile(t *testing.T) live.CompileFunc {
	t.Helper()
	if _, err := exec.LookPath("tcpdump"); err != nil {
		t.Skip("tcpdump is not installed")
	}
	return func(expr string, link layers.LinkType, snaplen int) ([]bpf.RawInstruction, error) {
		dlt := map[layers.LinkType]string{layers.LinkTypeEthernet: "EN10MB", layers.LinkTypeLinuxSLL: "LINUX_SLL"}[link]
		out, err := exec.Command("tcpdump", "-y", dlt, "-s", strconv.Itoa(snaplen), "-ddd", expr).Output()
		if err != nil {
			return nil, fmt.Errorf("tcpdump -ddd %q: %w", expr, err)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		var prog []bpf.RawInstruction
		for _, l := range lines[1:] {
			var in bpf.RawInstruction
			if _, err := fmt.Sscan(l, &in.Op, &in.Jt, &in.Jf, &in.K); err != nil {
				return nil, err
			}
			prog = append(prog, in)
		}
		return prog, nil
	}
}

// frame is a copy of a captured frame.
type frame struct {
	source.Frame
	pkt gopacket.Packet
}

// capture reads from src until it ends, in a goroutine; wait returns
// what was read.
func capture(t *testing.T, src *live.Source) (wait func() []frame) {
	var (
		out  []frame
		err  error
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		var f source.Frame
		for {
			e := src.Next(&f)
			if live.IsIdle(e) {
				continue
			}
			if e != nil {
				if e != io.EOF {
					err = e
				}
				return
			}
			c := f
			c.Data = slices.Clone(f.Data)
			out = append(out, frame{c, gopacket.NewPacket(c.Data, f.LinkType, gopacket.Default)})
		}
	}()
	return func() []frame {
		time.Sleep(200 * time.Millisecond) // the last packets reach the socket
		src.Stop()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Next did not return after Stop")
		}
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

// openIn opens a capture inside namespace ns.
func openIn(t *testing.T, ns string, ifaces []string, opt live.Options) *live.Source {
	t.Helper()
	var src *live.Source
	if err := netnstest.Do(ns, func() error {
		var err error
		src, err = live.Open(ifaces, opt)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

// handshakes returns the client ports of the TCP handshakes to port seen
// whole (SYN, SYN-ACK, ACK).
func handshakes(frames []frame, port int) []int {
	state := map[int]int{}
	var done []int
	for _, f := range frames {
		tl, _ := f.pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if tl == nil {
			continue
		}
		switch {
		case int(tl.DstPort) == port && tl.SYN && !tl.ACK:
			state[int(tl.SrcPort)] = 1
		case int(tl.SrcPort) == port && tl.SYN && tl.ACK && state[int(tl.DstPort)] == 1:
			state[int(tl.DstPort)] = 2
		case int(tl.DstPort) == port && tl.ACK && !tl.SYN && state[int(tl.SrcPort)] == 2:
			state[int(tl.SrcPort)] = 3
			done = append(done, int(tl.SrcPort))
		}
	}
	slices.Sort(done)
	return done
}

func count(frames []frame, keep func(gopacket.Packet) bool) int {
	n := 0
	for _, f := range frames {
		if keep(f.pkt) {
			n++
		}
	}
	return n
}

func isUDP(port int) func(gopacket.Packet) bool {
	return func(p gopacket.Packet) bool {
		u, _ := p.Layer(layers.LayerTypeUDP).(*layers.UDP)
		return u != nil && int(u.DstPort) == port
	}
}

func isEcho(typ uint8) func(gopacket.Packet) bool {
	return func(p gopacket.Packet) bool {
		i, _ := p.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4)
		return i != nil && i.TypeCode.Type() == typ
	}
}

// traffic makes TCP handshakes to 8080 and 9090, pings and UDP from A to
// B, and returns the client ports of each TCP port.
func traffic(t *testing.T, p *netnstest.Pair) (p8080, p9090 []int) {
	t.Helper()
	for _, port := range []int{8080, 9090} {
		srv, err := netnstest.Listen(p.B, p.AddrB, port)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
	}
	var err error
	if p8080, err = netnstest.Connect(p.A, p.AddrB, 8080, 5); err != nil {
		t.Fatal(err)
	}
	if p9090, err = netnstest.Connect(p.A, p.AddrB, 9090, 4); err != nil {
		t.Fatal(err)
	}
	if n, err := netnstest.Ping(p.A, p.AddrB, 3); err != nil || n != 3 {
		t.Fatalf("ping: %d replies, %v", n, err)
	}
	if n, err := netnstest.SendUDP(p.A, p.AddrB, 5353, 10, 64); err != nil || n != 10 {
		t.Fatalf("udp: %d sent, %v", n, err)
	}
	slices.Sort(p8080)
	slices.Sort(p9090)
	return p8080, p9090
}

func TestCaptureVeth(t *testing.T) {
	p := netnstest.New(t)
	start := time.Now()
	src := openIn(t, p.B, []string{p.IfB}, live.Options{Tick: 50 * time.Millisecond})
	if lt := src.LinkTypes(); len(lt) != 1 || lt[0] != layers.LinkTypeEthernet {
		t.Fatalf("link types %v, want Ethernet", lt)
	}
	wait := capture(t, src)
	p8080, p9090 := traffic(t, p)
	frames := wait()
	end := time.Now()

	if got := handshakes(frames, 8080); !slices.Equal(got, p8080) {
		t.Errorf("handshakes to 8080: %v, want %v", got, p8080)
	}
	if got := handshakes(frames, 9090); !slices.Equal(got, p9090) {
		t.Errorf("handshakes to 9090: %v, want %v", got, p9090)
	}
	if n := count(frames, isEcho(layers.ICMPv4TypeEchoRequest)); n != 3 {
		t.Errorf("%d echo requests, want 3", n)
	}
	if n := count(frames, isEcho(layers.ICMPv4TypeEchoReply)); n != 3 {
		t.Errorf("%d echo replies, want 3", n)
	}
	if n := count(frames, isUDP(5353)); n != 10 {
		t.Errorf("%d UDP datagrams, want 10", n)
	}
	for i, f := range frames {
		if f.Time < start.UnixNano() || f.Time > end.UnixNano() {
			t.Errorf("frame %d: time %v outside the capture (%v to %v)", i+1, time.Unix(0, f.Time), start, end)
		}
		if i > 0 && f.Time < frames[i-1].Time {
			t.Errorf("frame %d: time goes back", i+1)
		}
		if f.Len != len(f.Data) || !f.Nano {
			t.Errorf("frame %d: len %d, caplen %d, nano %v", i+1, f.Len, len(f.Data), f.Nano)
		}
	}
	st := src.Stats()
	t.Logf("%d frames; stats %+v", len(frames), st)
	if len(st) != 1 || st[0].Received < uint64(len(frames)) || st[0].KernelDrops != 0 {
		t.Errorf("stats %+v for %d frames", st, len(frames))
	}
}

func TestCaptureFilterInKernel(t *testing.T) {
	compile := tcpdumpCompile(t)
	p := netnstest.New(t)
	// On the veth (Ethernet) and on any (cooked, the filter rewritten for
	// the kernel's view of the packet).
	for _, iface := range []string{p.IfB, live.Any} {
		t.Run(iface, func(t *testing.T) {
			src := openIn(t, p.B, []string{iface}, live.Options{Filter: "tcp port 8080", Compile: compile, Snaplen: 96})
			wait := capture(t, src)
			p8080, _ := traffic(t, p)
			frames := wait()
			if got := handshakes(frames, 8080); !slices.Equal(got, p8080) {
				t.Errorf("handshakes to 8080: %v, want %v", got, p8080)
			}
			want := layers.LinkTypeEthernet
			if iface == live.Any {
				want = layers.LinkTypeLinuxSLL
			}
			for i, f := range frames {
				tl, _ := f.pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
				if tl == nil || tl.SrcPort != 8080 && tl.DstPort != 8080 || f.LinkType != want {
					t.Fatalf("frame %d (%v) passed the filter: %v", i+1, f.LinkType, f.pkt)
				}
				if len(f.Data) > 96 {
					t.Fatalf("frame %d: %d bytes, snap length 96", i+1, len(f.Data))
				}
			}
			if iface == live.Any {
				// The SLL header: the packet's direction and protocol.
				for _, f := range frames {
					sll, _ := f.pkt.Layer(layers.LayerTypeLinuxSLL).(*layers.LinuxSLL)
					if sll == nil || sll.EthernetType != layers.EthernetTypeIPv4 || sll.AddrType != 1 || sll.AddrLen != 6 {
						t.Fatalf("SLL header %+v", sll)
					}
				}
			}
		})
	}
}

func TestErrors(t *testing.T) {
	_, err := live.Open([]string{"wl-no-such-if0"}, live.Options{})
	var ue *live.UnknownInterfaceError
	if !errors.As(err, &ue) || !slices.Contains(ue.Available, "lo") || !strings.Contains(err.Error(), "available: ") {
		t.Errorf("unknown interface: %v", err)
	}
	_, err = live.Open([]string{"lo"}, live.Options{Filter: "tcp", Compile: func(string, layers.LinkType, int) ([]bpf.RawInstruction, error) {
		return nil, errors.New("capture filter: column 1: bad")
	}})
	if err == nil || err.Error() != "capture filter: column 1: bad" {
		t.Errorf("filter error: %v", err)
	}
}

// TestStopWakesNext checks that Stop ends a Next waiting on a quiet
// interface at once, with no tick.
func TestStopWakesNext(t *testing.T) {
	p := netnstest.New(t)
	src := openIn(t, p.B, []string{"lo"}, live.Options{Tick: -1})
	var wg sync.WaitGroup
	wg.Add(1)
	var err error
	go func() {
		defer wg.Done()
		var f source.Frame
		err = src.Next(&f)
	}()
	time.Sleep(100 * time.Millisecond)
	t0 := time.Now()
	src.Stop()
	wg.Wait()
	if err != io.EOF || time.Since(t0) > time.Second {
		t.Errorf("Next after Stop: %v after %v", err, time.Since(t0))
	}
}
