package live_test

import (
	"bufio"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirelark/wirelark/engine/live"
	"github.com/wirelark/wirelark/engine/live/netnstest"
	"github.com/wirelark/wirelark/scripting"
	"github.com/wirelark/wirelark/scripting/output"
)

// TestIdleConnEndDuringCapture: a UDP exchange left idle past a short
// timeout gets on_conn_end while the capture still runs and no packet
// follows (end_reason "inactive"; at the end of the capture it would be
// "flushed"), and a TCP connection still open at the end is flushed.
func TestIdleConnEndDuringCapture(t *testing.T) {
	p := netnstest.New(t)
	path := filepath.Join(t.TempDir(), "ends.star")
	code := `
def on_conn_end(conn):
    emit("ends", proto = conn.proto, resp_p = conn.resp_p, reason = conn.end_reason)
`
	if err := os.WriteFile(path, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	ref, err := scripting.FileRef(path)
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	w := bufio.NewWriter(&buf)
	sink := output.NewStream(w, output.TSV)
	s, err := scripting.Load(ref, scripting.Config{Sink: sink, Stdout: w})
	if err != nil {
		t.Fatal(err)
	}
	src := openIn(t, p.B, []string{p.IfB}, live.Options{Tick: 100 * time.Millisecond})
	done := make(chan error, 1)
	go func() {
		done <- s.RunLive(src, scripting.Live{UDPInactivity: time.Second, Tick: 100 * time.Millisecond})
	}()
	if _, err := netnstest.SendUDP(p.A, p.AddrB, 6000, 1, 8); err != nil {
		t.Fatal(err)
	}
	srv, err := netnstest.Listen(p.B, p.AddrB, 8080)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	// A TCP connection kept open until the capture ends.
	var conn interface{ Close() error }
	if err := netnstest.Do(p.A, func() error {
		c, err := net.DialTimeout("tcp4", p.AddrB.String()+":8080", 5*time.Second)
		conn = c
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	time.Sleep(2500 * time.Millisecond)
	src.Stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	sink.Close()
	w.Flush()
	out := buf.String()
	t.Logf("%s", out)
	if !strings.Contains(out, "udp\t6000\tinactive") {
		t.Errorf("no on_conn_end for the idle UDP exchange during the capture:\n%s", out)
	}
	if !strings.Contains(out, "tcp\t8080\tflushed") {
		t.Errorf("the open TCP connection did not end with the capture:\n%s", out)
	}
}
