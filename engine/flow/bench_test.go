package flow

// Throughput over a generated capture of mixed office traffic
// (internal/trafficgen), one iteration being one pass over the file:
//
//	go test ./engine/flow -run '^$' -bench . -benchtime 3x -cpu 1
//
// BenchmarkDecode is the floor (read and decode, as the engine must do
// anyway); BenchmarkFlow adds the connection table, so the difference is
// the table's cost per packet. allocs/packet counts the table's
// allocations, nearly all for new connections; TestSteadyStateAllocs
// checks that packets of existing connections allocate nothing.

import (
	"io"
	"runtime"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/trafficgen"
)

const (
	benchPackets = 300_000
	benchSeed    = 1
)

// benchCapture returns the benchmark capture, the one engine/packet's
// benchmarks use.
func benchCapture(b *testing.B) string {
	b.Helper()
	path, err := trafficgen.Cached(benchPackets, benchSeed)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// benchPass reads the capture once, decoding every frame and handing the
// packet to fn.
func benchPass(b *testing.B, path string, fn func(p *packet.Packet)) int {
	r, err := source.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	d := packet.NewDecoder()
	var f source.Frame
	n := 0
	for {
		err := r.Next(&f)
		if err == io.EOF {
			return n
		}
		if err != nil {
			b.Fatal(err)
		}
		fn(d.Decode(&f))
		n++
	}
}

func benchRun(b *testing.B, pass func(path string) int) {
	path := benchCapture(b)
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		if n := pass(path); n != benchPackets {
			b.Fatalf("%d packets, want %d", n, benchPackets)
		}
		total += benchPackets
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(total)/sec, "packets/s")
	b.ReportMetric(sec*1e9/float64(total), "ns/packet")
}

var benchSink int

// BenchmarkDecode reads and decodes: the work under the table.
func BenchmarkDecode(b *testing.B) {
	benchRun(b, func(path string) int {
		return benchPass(b, path, func(p *packet.Packet) { benchSink += len(p.Layers) })
	})
}

// BenchmarkFlow reads, decodes and tracks connections, with an End
// handler as a script would have.
func BenchmarkFlow(b *testing.B) {
	var conns, mallocs uint64
	var ms runtime.MemStats
	benchRun(b, func(path string) int {
		t := New(Config{Events: Events{End: func(c *Conn) { benchSink += int(c.OrigPkts) }}})
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		n := benchPass(b, path, func(p *packet.Packet) { t.Observe(p) })
		t.Flush()
		runtime.ReadMemStats(&ms)
		mallocs += ms.Mallocs - before
		conns += t.Stats().Conns
		return n
	})
	// Decoding allocates too; TestSteadyStateAllocs isolates the table.
	b.ReportMetric(float64(conns)/float64(b.N), "conns/pass")
	b.ReportMetric(float64(mallocs)/float64(b.N*benchPackets), "allocs/packet")
}

// TestSteadyStateAllocs checks that packets of existing connections, in
// every state they pass through, allocate nothing in the table.
func TestSteadyStateAllocs(t *testing.T) {
	b := newBench(t, Config{})
	var frames [][]byte
	add := func(s step) { frames = append(frames, b.tcpFrame(s)) }
	for _, s := range handshake {
		b.tcp(s)
	}
	b.ping(true, 9, 1, 0)
	b.sport = 53
	b.udp(true, 40, 0, false)
	b.udp(false, 80, 0, false)
	for i := range 50 {
		frames = append(frames, b.udpFrame(i%2 == 0, 40, false), b.pingFrame(i%2 == 0, 9, uint16(i)))
	}
	b.sport = 80
	// Data both ways with retransmissions, zero windows and a gap.
	for i := range uint32(200) {
		add(step{dir: 'c', flags: "PA", seq: 1 + 100*i, ack: 1 + 1000*i, n: 100})
		add(step{dir: 's', flags: "PA", seq: 1 + 1000*i, ack: 101 + 100*i, n: 1000})
		add(step{dir: 's', flags: "PA", seq: 1 + 1000*i, ack: 101 + 100*i, n: 1000})
		add(step{dir: 'c', flags: "A", seq: 101 + 100*i, ack: 1001 + 1000*i + 500*(i%7/6), win: -1 * int(i%2)})
	}
	// The decoder that saw the connections start keeps their stream
	// numbers.
	d := b.d
	i := 0
	var ms runtime.MemStats
	var allocs uint64
	// As testing.AllocsPerRun does: one P, so that nothing else runs (and
	// allocates) between the two readings.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	runtime.GC()
	for range 3 {
		for _, data := range frames {
			f := source.Frame{Time: b.now + int64(i)*1000, Len: len(data), Data: data, LinkType: layers.LinkTypeEthernet}
			i++
			p := d.Decode(&f)
			runtime.ReadMemStats(&ms)
			before := ms.Mallocs
			b.tab.Observe(p)
			runtime.ReadMemStats(&ms)
			if ms.Mallocs != before {
				t.Logf("packet %d: %d allocations", i, ms.Mallocs-before)
			}
			allocs += ms.Mallocs - before
		}
	}
	if allocs != 0 {
		t.Errorf("%d allocations in %d packets of existing connections", allocs, 3*len(frames))
	}
	if b.tab.Stats().Conns != 3 {
		t.Errorf("%d connections", b.tab.Stats().Conns)
	}
}
