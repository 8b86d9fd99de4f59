//go:build unix

package scripting

// Throughput of scripts over a generated capture of realistic mixed
// traffic (internal/trafficgen), one full pass per iteration:
//
//	go test ./scripting -run '^$' -bench . -benchtime 3x -cpu 1
//
// packets/cpu-s and calls/cpu-s divide by the CPU time the process used
// (getrusage, hence unix only) instead of wall time: on a busy machine
// they are the steadier figures.
//
// BenchmarkDecodeOnly is the floor: reading and decoding with no script.
// BenchmarkOnEndOnly runs a script with only on_end (no Packet value is
// made: it should cost nothing over decoding). BenchmarkOnPacketSyn calls
// on_packet for every packet, reading pkt.tcp.flags.syn and counting;
// calls/s is handler calls per second of the whole run (reading and
// decoding included), calls/script-s per second spent in handlers
// (BenchmarkOnPacketSynTimed, which reads the clock around every call).
// BenchmarkOnPacketPassPipelined calls an empty on_packet with reading
// and decoding on their own goroutine: what the pipeline itself costs.

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/trafficgen"
	"github.com/wirelark/wirelark/scripting/output"
)

const (
	benchPackets = 300_000
	benchSeed    = 1
)

// benchCapture returns the benchmark capture, shared with the other
// packages' benchmarks.
func benchCapture(b *testing.B) string {
	b.Helper()
	path, err := trafficgen.Cached(benchPackets, 1)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// cpuTime is the CPU time the process has used, all threads.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkDecodeOnly(b *testing.B) {
	file := benchCapture(b)
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		src, err := source.OpenAll([]string{file})
		if err != nil {
			b.Fatal(err)
		}
		dec := packet.NewDecoder()
		var f source.Frame
		n := 0
		for {
			if err := src.Next(&f); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			p := dec.Decode(&f)
			if p.Malformed != "" {
				n++
			}
		}
		src.Close()
	}
	b.ReportMetric(float64(benchPackets*b.N)/b.Elapsed().Seconds(), "packets/s")
	b.ReportMetric(float64(benchPackets*b.N)/(cpuTime()-cpu0).Seconds(), "packets/cpu-s")
}

// benchScript runs src over the benchmark capture b.N times; timing
// measures the time spent in handlers (two clock reads per call). It
// reports packets per second and per CPU second, and returns the summed
// counters with the CPU time of the runs in ScriptTime's place when
// timing is off.
func benchScript(b *testing.B, src string, timing bool, tweak ...func(*Config)) (RunStats, time.Duration) {
	file := benchCapture(b)
	path := filepath.Join(b.TempDir(), "bench.star")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	ref, err := FileRef(path)
	if err != nil {
		b.Fatal(err)
	}
	var total RunStats
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := bufio.NewWriter(io.Discard)
		cfg := Config{Sink: output.NewStream(w, output.Text), Stdout: w, MaxSteps: DefaultMaxSteps, Timing: timing}
		for _, tw := range tweak {
			tw(&cfg)
		}
		s, err := Load(ref, cfg)
		if err != nil {
			b.Fatal(err)
		}
		src, err := source.OpenAll([]string{file})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		cpu0 := cpuTime()
		if err := s.Run(src); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - cpu0
		b.StopTimer()
		src.Close()
		cfg.Sink.Close()
		st := s.Stats()
		total.Packets += st.Packets
		total.PacketValues += st.PacketValues
		total.ScriptTime += st.ScriptTime
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Packets)/b.Elapsed().Seconds(), "packets/s")
	b.ReportMetric(float64(total.Packets)/cpu.Seconds(), "packets/cpu-s")
	return total, cpu
}

func BenchmarkOnEndOnly(b *testing.B) {
	st, _ := benchScript(b, "def on_end():\n    pass\n", false)
	if st.PacketValues != 0 {
		b.Fatalf("%d packet values made for a script without on_packet", st.PacketValues)
	}
}

const synScript = `
counts = {"syn": 0}
def on_packet(pkt):
    if pkt.tcp and pkt.tcp.flags.syn:
        counts["syn"] += 1
`

// BenchmarkOnPacketSyn is the whole run: read, decode, call.
func BenchmarkOnPacketSyn(b *testing.B) {
	st, cpu := benchScript(b, synScript, false)
	b.ReportMetric(float64(st.PacketValues)/b.Elapsed().Seconds(), "calls/s")
	b.ReportMetric(float64(st.PacketValues)/cpu.Seconds(), "calls/cpu-s")
}

// BenchmarkOnPacketSynPipelined is the whole run with reading and decoding
// on a second goroutine, as `wirelark run` does for files.
func BenchmarkOnPacketSynPipelined(b *testing.B) {
	st, cpu := benchScript(b, synScript, false, func(c *Config) { c.Pipeline = true })
	b.ReportMetric(float64(st.PacketValues)/b.Elapsed().Seconds(), "calls/s")
	b.ReportMetric(float64(st.PacketValues)/cpu.Seconds(), "calls/cpu-s")
}

// BenchmarkOnPacketSynTimed also measures the time inside handlers, to
// give the rate of handler calls alone.
func BenchmarkOnPacketSynTimed(b *testing.B) {
	st, _ := benchScript(b, synScript, true)
	b.ReportMetric(float64(st.PacketValues)/b.Elapsed().Seconds(), "calls/s")
	b.ReportMetric(float64(st.PacketValues)/st.ScriptTime.Seconds(), "calls/script-s")
	b.ReportMetric(float64(st.ScriptTime)/float64(st.PacketValues), "script-ns/call")
}

// BenchmarkOnPacketStats counts with the stats module instead of a dict.
func BenchmarkOnPacketStats(b *testing.B) {
	st, cpu := benchScript(b, `
def on_packet(pkt):
    if pkt["tcp.flags.syn"]:
        stats.inc("syn")
`, false)
	b.ReportMetric(float64(st.PacketValues)/b.Elapsed().Seconds(), "calls/s")
	b.ReportMetric(float64(st.PacketValues)/cpu.Seconds(), "calls/cpu-s")
}

// BenchmarkOnPacketPassPipelined calls an empty on_packet for every
// packet, pipelined: the cost of the pipeline and the call alone.
func BenchmarkOnPacketPassPipelined(b *testing.B) {
	st, cpu := benchScript(b, "def on_packet(pkt):\n    pass\n", false, func(c *Config) { c.Pipeline = true })
	b.ReportMetric(float64(st.PacketValues)/b.Elapsed().Seconds(), "calls/s")
	b.ReportMetric(float64(st.PacketValues)/cpu.Seconds(), "calls/cpu-s")
}

// BenchmarkPipelineSlots is the reading goroutine's side of a pipelined
// run: frames decoded with DecodeInto into as many packets as the
// pipeline keeps in flight, in turn, against decoding into a single one
// and into four times the slots (1,024, as the pipeline once had). The
// difference is the cost of the slots' cache footprint.
func BenchmarkPipelineSlots(b *testing.B) {
	file := benchCapture(b)
	for _, n := range []int{1, batchLen * batches, 4 * batchLen * batches} {
		b.Run(fmt.Sprintf("slots=%d", n), func(b *testing.B) {
			ring := make([]packet.Packet, n)
			for i := 0; i < b.N; i++ {
				src, err := source.OpenAll([]string{file})
				if err != nil {
					b.Fatal(err)
				}
				dec := packet.NewDecoder()
				var f source.Frame
				for k := 0; ; k++ {
					if err := src.Next(&f); err == io.EOF {
						break
					} else if err != nil {
						b.Fatal(err)
					}
					dec.DecodeInto(&f, &ring[k%n])
				}
				src.Close()
			}
			b.ReportMetric(float64(benchPackets*b.N)/b.Elapsed().Seconds(), "packets/s")
		})
	}
}
