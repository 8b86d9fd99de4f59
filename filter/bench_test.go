package filter

import (
	"bytes"
	"io"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/trafficgen"
)

// benchExpr is the benchmark filter: on top of decoding, it must
// cost less than 15%.
const benchExpr = "tcp.flags.syn == 1 && ip.addr == 10.0.0.0/8"

const benchPackets = 50000

var (
	benchOnce   sync.Once
	benchFrames []source.Frame
	benchErr    error
)

// generatedFrames returns the frames of a generated office-LAN capture,
// held in memory so that reading the file is not measured.
func generatedFrames(b *testing.B) []source.Frame {
	benchOnce.Do(func() {
		var buf bytes.Buffer
		if _, benchErr = trafficgen.Write(&buf, trafficgen.Options{Packets: benchPackets, Seed: 1}); benchErr != nil {
			return
		}
		r, err := source.NewReader("generated", io.NopCloser(&buf))
		if err != nil {
			benchErr = err
			return
		}
		var f source.Frame
		for {
			if err := r.Next(&f); err != nil {
				if err != io.EOF {
					benchErr = err
				}
				return
			}
			g := f
			g.Data = append([]byte(nil), f.Data...)
			benchFrames = append(benchFrames, g)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchFrames
}

// decodePass decodes frames[:n] with a fresh decoder, running match on
// each packet if it is not nil, and returns the number matched.
func decodePass(frames []source.Frame, n int, match func(*packet.Packet) bool) int {
	d := packet.NewDecoder()
	m := 0
	for i := range n {
		p := d.Decode(&frames[i])
		if match != nil && match(p) {
			m++
		}
	}
	return m
}

// run decodes b.N packets, cycling through the capture, each cycle with a
// fresh decoder so that its connection tables do not grow without end.
func run(b *testing.B, frames []source.Frame, match func(*packet.Packet) bool) {
	b.ReportAllocs()
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(len(frames), b.N-done)
		decodePass(frames, n, match)
		done += n
	}
}

// BenchmarkDecode is decoding alone, the baseline.
func BenchmarkDecode(b *testing.B) {
	run(b, generatedFrames(b), nil)
}

// BenchmarkDecodeMatch is decoding plus the benchmark filter.
func BenchmarkDecodeMatch(b *testing.B) {
	f := MustCompile(benchExpr)
	run(b, generatedFrames(b), f.Match)
}

// BenchmarkFilterOverhead reports the filter's cost relative to decoding.
// It alternates decode-only and decode+Match over the same chunks of
// frames, measures the CPU time of its own thread (not wall time, which
// other work on the machine skews), and reports the median over chunks.
func BenchmarkFilterOverhead(b *testing.B) {
	frames := generatedFrames(b)
	f := MustCompile(benchExpr)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const chunk = 2000
	var ratios []float64
	var dec, both time.Duration
	matched := 0
	b.ResetTimer()
	for done := 0; done < b.N; {
		n := min(chunk, b.N-done)
		part := frames[done%len(frames)/chunk*chunk:]
		n = min(n, len(part))
		// An untimed pass brings the chunk into the caches; then dec,
		// match, match, dec, so that neither gains from its place.
		decodePass(part, n, nil)
		t0 := threadTime()
		decodePass(part, n, nil)
		t1 := threadTime()
		matched += decodePass(part, n, f.Match)
		t2 := threadTime()
		decodePass(part, n, f.Match)
		t3 := threadTime()
		decodePass(part, n, nil)
		t4 := threadTime()
		d, m := (t1-t0)+(t4-t3), (t2-t1)+(t3-t2)
		dec += d
		both += m
		if n == chunk && d > 0 {
			ratios = append(ratios, float64(m)/float64(d))
		}
		done += n
	}
	b.ReportMetric(float64(dec.Nanoseconds())/float64(2*b.N), "decode-ns/pkt")
	b.ReportMetric(float64(both.Nanoseconds())/float64(2*b.N), "decode+match-ns/pkt")
	if len(ratios) > 0 {
		slices.Sort(ratios)
		b.ReportMetric(100*(ratios[len(ratios)/2]-1), "overhead-%")
	}
	if b.N >= len(frames) && matched == 0 {
		b.Fatal("the filter selected nothing: the benchmark measures the wrong thing")
	}
}

// BenchmarkMatch is the filter alone over decoded packets, for several
// kinds of filter.
func BenchmarkMatch(b *testing.B) {
	frames := generatedFrames(b)
	d := packet.NewDecoder()
	pkts := make([]*packet.Packet, 0, 5000)
	for i := range min(len(frames), cap(pkts)) {
		pkts = append(pkts, d.Decode(&frames[i]).Clone())
	}
	for _, e := range []string{
		benchExpr, "tcp", "ip.addr == 10.1.2.3", "tcp.port in {80, 443, 8080}", "ipv6.addr == fe80::/10",
		`tcp.payload contains "HTTP"`, `tcp.payload matches "^(get|post) "`, "not arp and frame.len > 100",
	} {
		f := MustCompile(e)
		b.Run(e, func(b *testing.B) {
			b.ReportAllocs()
			for i := range b.N {
				f.Match(pkts[i%len(pkts)])
			}
		})
	}
}
