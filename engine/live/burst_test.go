package live_test

import (
	"io"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/live"
	"github.com/wirelark/wirelark/engine/live/netnstest"
	"github.com/wirelark/wirelark/engine/source"
)

// TestBurst sends 200,000 small UDP datagrams between the namespaces as
// fast as one socket writes them and reports how many the capture saw and
// what the kernel counted as dropped. It is a measurement for the notes,
// not a timed assertion: the only checks are that what was seen is what
// was sent less what the counters say was dropped.
func TestBurst(t *testing.T) {
	if testing.Short() {
		t.Skip("burst of 200,000 packets: skipped with -short")
	}
	const n, port = 200_000, 7777
	p := netnstest.New(t)
	src := openIn(t, p.B, []string{p.IfB}, live.Options{Tick: 100 * time.Millisecond})
	seen := 0
	done := make(chan error, 1)
	go func() {
		var f source.Frame
		for {
			err := src.Next(&f)
			if live.IsIdle(err) {
				continue
			}
			if err != nil {
				if err == io.EOF {
					err = nil
				}
				done <- err
				return
			}
			// UDP to the port: EtherType IPv4, protocol 17, port.
			d := f.Data
			if len(d) >= 38 && d[12] == 8 && d[13] == 0 && d[23] == byte(layers.IPProtocolUDP) && int(d[36])<<8|int(d[37]) == port {
				seen++
			}
		}
	}()
	t0 := time.Now()
	sent, err := netnstest.SendUDP(p.A, p.AddrB, port, n, 16)
	if err != nil {
		t.Fatal(err)
	}
	elapsed := time.Since(t0)
	time.Sleep(500 * time.Millisecond)
	src.Stop()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st := src.Stats()[0]
	t.Logf("burst: %d sent in %v (%.0f packets/s), %d seen (%.1f%%); kernel: %d received, %d dropped; interface: %d dropped",
		sent, elapsed.Round(time.Millisecond), float64(sent)/elapsed.Seconds(), seen, 100*float64(seen)/float64(sent), st.Received, st.KernelDrops, st.IfaceDrops)
	if seen > sent || uint64(seen) > st.Received {
		t.Errorf("seen %d of %d sent, kernel received %d", seen, sent, st.Received)
	}
	// Every packet the socket took in was either handed out or counted
	// as dropped (the count includes a few packets not of the burst).
	if lost := uint64(sent - seen); lost > st.KernelDrops+st.IfaceDrops+uint64(sent/100) {
		t.Errorf("%d packets neither seen nor counted as dropped (kernel %d, interface %d)", lost, st.KernelDrops, st.IfaceDrops)
	}
}
