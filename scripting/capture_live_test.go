package scripting

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/live"
	"github.com/wirelark/wirelark/engine/live/netnstest"
	"github.com/wirelark/wirelark/scripts"
)

// liveSession is a session whose output is kept, safe to read while an
// evaluation writes it.
type liveSession struct {
	sess *Session
	mu   sync.Mutex
	out  bytes.Buffer
}

func (l *liveSession) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.out.Write(b)
}

func (l *liveSession) output() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.out.String()
}

func newLiveSession() *liveSession {
	l := &liveSession{}
	l.sess = NewSession(SessionConfig{Out: bufio.NewWriter(l), MaxSteps: DefaultMaxSteps, Builtin: EmbeddedRoot(BuiltinRoot, scripts.Files)})
	return l
}

// eval evaluates src; the value of an expression, or an error.
func (l *liveSession) eval(t *testing.T, src string) (starlark.Value, error) {
	t.Helper()
	f, err := l.sess.Options().ParseCompoundStmt("<test>", lineReader(src))
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return l.sess.Eval(f)
}

// mustEval evaluates expressions and returns their values' String.
func (l *liveSession) mustEval(t *testing.T, exprs ...string) []string {
	t.Helper()
	var out []string
	for _, e := range exprs {
		v, err := l.eval(t, e)
		if err != nil {
			t.Fatalf("%s: %s", e, Describe(err))
		}
		out = append(out, v.String())
	}
	return out
}

// Arguments capture.live refuses, before any capture starts (no
// privilege needed).
func TestCaptureLiveArgs(t *testing.T) {
	tests := []struct{ src, want string }{
		{`capture.live()`, "missing argument for iface"},
		{`capture.live(3)`, "iface: got int"},
		{`capture.live([])`, "no interface named"},
		{`capture.live(["lo", 1])`, "got a int in the list"},
		{`capture.live("lo", count=-1)`, "must not be negative"},
		{`capture.live("lo", duration="soon")`, "duration: time: invalid duration"},
		{`capture.live("lo", duration=-2)`, "want a positive duration"},
		{`capture.live("lo", duration=[1])`, "duration: got list"},
		{`capture.live("wl-no-such-if0")`, `no interface "wl-no-such-if0" (available: `},
		{`capture.live("lo", filter="tcp port")`, "tcp port\n"},
	}
	l := newLiveSession()
	for _, tc := range tests {
		_, err := l.eval(t, tc.src)
		if err == nil || !strings.Contains(Describe(err), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.src, err, tc.want)
		}
	}
}

// liveNamespaces makes the namespaces of a live test and opens captures
// in B.
func liveNamespaces(t *testing.T) *netnstest.Pair {
	p := netnstest.New(t)
	old := openLiveSource
	openLiveSource = func(names []string, opt live.Options) (*live.Source, error) {
		var src *live.Source
		err := netnstest.Do(p.B, func() error {
			var err error
			src, err = live.Open(names, opt)
			return err
		})
		return src, err
	}
	t.Cleanup(func() { openLiveSource = old })
	return p
}

// startLive evaluates src (a capture.live assignment) in the background
// and waits until the capture is on.
func startLive(t *testing.T, l *liveSession, src string) <-chan error {
	done := make(chan error, 1)
	go func() {
		_, err := l.eval(t, src)
		done <- err
	}()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		l.sess.mu.Lock()
		on := l.sess.liveSrc != nil
		l.sess.mu.Unlock()
		if on {
			return done
		}
		select {
		case err := <-done:
			t.Fatalf("%s ended before capturing: %v\n%s", src, err, l.output())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: the capture did not start", src)
		}
	}
}

func wait(t *testing.T, done <-chan error, l *liveSession) {
	t.Helper()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("capture.live: %s\n%s", Describe(err), l.output())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("capture.live did not return")
	}
}

// capture.live with a capture filter and a count: what the filter keeps,
// up to the count, as a capture the REPL can explore.
func TestCaptureLiveCountFilter(t *testing.T) {
	p := liveNamespaces(t)
	l := newLiveSession()
	done := startLive(t, l, fmt.Sprintf(`c = capture.live(%q, filter="udp port 5353", count=10)`, p.IfB))
	// Datagrams to 5353 and pings, until the capture has its count.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < 500; i++ {
			select {
			case <-stop:
				return
			default:
			}
			netnstest.SendUDP(p.A, p.AddrB, 5353, 1, 32)
			netnstest.SendUDP(p.A, p.AddrB, 5354, 1, 32)
			netnstest.Ping(p.A, p.AddrB, 1)
		}
	}()
	wait(t, done, l)
	close(stop)
	wg.Wait()
	got := l.mustEval(t, `len(c)`, `len(c.filter("udp.dstport == 5353"))`, `len(c.filter("icmp || udp.dstport == 5354"))`,
		`c.format`, `c[0].udp.stream`, `c[-1].num`, `len(set([p.udp.srcport for p in c]))`)
	want := []string{"10", "10", "0", `"live"`, "0", "10", "10"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %q, want %q", got, want)
	}
	if out := l.output(); !strings.Contains(out, "capture.live: 10 packets captured") || !strings.Contains(out, "packets received by filter") {
		t.Errorf("output:\n%s", out)
	}
}

// capture.live for a duration: the TCP handshakes and pings made during
// it are all there, the UDP datagrams the filter leaves out are not, and
// the capture's methods work on it as on a file.
func TestCaptureLiveDuration(t *testing.T) {
	p := liveNamespaces(t)
	srv, err := netnstest.Listen(p.B, p.AddrB, 8080)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	l := newLiveSession()
	start := time.Now()
	done := startLive(t, l, fmt.Sprintf(`c = capture.live([%q], filter="tcp port 8080 or icmp", duration="3s")`, p.IfB))
	ports, err := netnstest.Connect(p.A, p.AddrB, 8080, 4)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := netnstest.Ping(p.A, p.AddrB, 2); err != nil || n != 2 {
		t.Fatalf("ping: %d, %v", n, err)
	}
	if _, err := netnstest.SendUDP(p.A, p.AddrB, 5353, 5, 32); err != nil {
		t.Fatal(err)
	}
	wait(t, done, l)
	if d := time.Since(start); d < 3*time.Second || d > 10*time.Second {
		t.Errorf("a capture of 3s took %v", d)
	}
	var wantPorts []string
	for _, port := range ports {
		wantPorts = append(wantPorts, fmt.Sprint(port))
	}
	got := l.mustEval(t,
		`sorted([p.tcp.srcport for p in c.filter("tcp.flags.syn == 1 && tcp.flags.ack == 0")])`,
		`len(c.filter("icmp.type == 8"))`, `len(c.filter("icmp.type == 0"))`, `len(c.filter("udp && !icmp"))`,
		`sorted([x.orig_p for x in c.conns() if x.proto == "tcp"])`,
		`len(c.streams())`,
		`len([p for p in c]) == len(c)`)
	want := []string{
		"[" + strings.Join(wantPorts, ", ") + "]", "2", "2", "0",
		"[" + strings.Join(wantPorts, ", ") + "]", "4", "True",
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// Ctrl-C (Interrupt) during capture.live ends the capture, which returns
// what it saw; the session is not left interrupted.
func TestCaptureLiveInterrupt(t *testing.T) {
	p := liveNamespaces(t)
	l := newLiveSession()
	done := startLive(t, l, fmt.Sprintf(`c = capture.live(%q, filter="icmp")`, p.IfB))
	if n, err := netnstest.Ping(p.A, p.AddrB, 3); err != nil || n != 3 {
		t.Fatalf("ping: %d, %v", n, err)
	}
	for deadline := time.Now().Add(10 * time.Second); l.sess.liveSeen.Load() < 6; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d packets seen, want 6", l.sess.liveSeen.Load())
		}
	}
	l.sess.Interrupt()
	wait(t, done, l)
	if l.sess.Interrupted() {
		t.Error("the session stays interrupted")
	}
	got := l.mustEval(t, `len(c)`, `len(c.filter("icmp.type == 8"))`, `[p.num for p in c]`)
	if want := []string{"6", "3", "[1, 2, 3, 4, 5, 6]"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("got %q, want %q", got, want)
	}
}
