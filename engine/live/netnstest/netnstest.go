// Package netnstest builds throw-away network namespaces joined by a veth
// pair for live-capture tests, and runs code inside them. Each pair has
// names of its own, so parallel test runs do not collide, and addresses
// in 10.213.0.0/16 that exist only inside the two namespaces: traffic
// the tests send never leaves them. Creating namespaces needs root; New
// skips the test otherwise.
package netnstest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Pair is two namespaces, A and B, joined by a veth pair: IfA in A with
// AddrA, IfB in B with AddrB, on one /24.
type Pair struct {
	A, B         string
	IfA, IfB     string
	AddrA, AddrB netip.Addr
}

// Usable reports why namespaces cannot be made here, or "" when they can.
func Usable() string {
	if os.Geteuid() != 0 {
		return "creating network namespaces needs root"
	}
	if _, err := exec.LookPath("ip"); err != nil {
		return "the ip command (iproute2) is not installed"
	}
	return ""
}

// New creates the namespaces and the veth pair, up and addressed; they
// are deleted when the test ends.
func New(t testing.TB) *Pair {
	t.Helper()
	if why := Usable(); why != "" {
		t.Skip(why)
	}
	var r [3]byte
	if _, err := rand.Read(r[:]); err != nil {
		t.Fatal(err)
	}
	id := hex.EncodeToString(r[:])
	p := &Pair{
		A: "wl-test-" + id + "a", B: "wl-test-" + id + "b",
		IfA: "wl-veth-a", IfB: "wl-veth-b",
		// A /24 of 10.213.0.0/16 picked at random; the namespaces are
		// isolated anyway, the random part only helps reading traces.
		AddrA: netip.AddrFrom4([4]byte{10, 213, r[0], 1}),
		AddrB: netip.AddrFrom4([4]byte{10, 213, r[0], 2}),
	}
	for _, ns := range []string{p.A, p.B} {
		run(t, "ip", "netns", "add", ns)
		t.Cleanup(func() { exec.Command("ip", "netns", "del", ns).Run() })
		// No IPv6: its router solicitations and reports would be traffic
		// the tests did not make.
		for _, c := range []string{"all", "default"} {
			run(t, "ip", "netns", "exec", ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv6/conf/"+c+"/disable_ipv6")
		}
	}
	run(t, "ip", "link", "add", p.IfA, "netns", p.A, "type", "veth", "peer", "name", p.IfB, "netns", p.B)
	for _, s := range []struct {
		ns, dev string
		addr    netip.Addr
	}{{p.A, p.IfA, p.AddrA}, {p.B, p.IfB, p.AddrB}} {
		run(t, "ip", "-n", s.ns, "addr", "add", s.addr.String()+"/24", "dev", s.dev)
		run(t, "ip", "-n", s.ns, "link", "set", s.dev, "up")
		run(t, "ip", "-n", s.ns, "link", "set", "lo", "up")
	}
	return p
}

func run(t testing.TB, name string, args ...string) {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// Do runs fn inside namespace ns, on an OS thread of its own that is
// thrown away afterwards. Sockets fn opens stay in ns and may be used
// from any goroutine later.
func Do(ns string, fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		// Never unlocked: the thread, now in ns, ends with the goroutine.
		runtime.LockOSThread()
		f, err := os.Open("/var/run/netns/" + ns)
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", ns, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}

// Command runs a program inside namespace ns (ip netns exec).
func Command(ns, name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...)
}
