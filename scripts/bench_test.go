package scripts_test

// BenchmarkDHCPTransactions runs dhcp_transactions.star over a generated
// capture of realistic mixed traffic (internal/trafficgen: about one DHCP
// message in fifty packets, DORAs of four messages), one full pass per
// iteration, as `wirelark run` does for a file (pipelined):
//
//	go test ./scripts -run '^$' -bench . -benchtime 3x
//
// bench/dhcp.sh times the command itself against tshark plus an awk
// pairing step on a larger capture.

import (
	"bufio"
	"io"
	"testing"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/trafficgen"
	"github.com/wirelark/wirelark/scripting"
	"github.com/wirelark/wirelark/scripting/output"
)

const msgBenchPackets = 300_000

// msgBenchCapture returns the benchmark capture, shared with the other
// packages' benchmarks.
func msgBenchCapture(b *testing.B) string {
	b.Helper()
	path, err := trafficgen.Cached(msgBenchPackets, 1)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

func BenchmarkDHCPTransactions(b *testing.B) {
	benchShippedScript(b, "dhcp_transactions", "on_dhcp")
}

// benchShippedScript runs a shipped script over the benchmark capture b.N
// times and reports packets and handler calls per second.
func benchShippedScript(b *testing.B, script, handler string) {
	file := msgBenchCapture(b)
	ref, err := scripting.Find(script, nil, builtin)
	if err != nil {
		b.Fatal(err)
	}
	var packets, msgs int64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		w := bufio.NewWriter(io.Discard)
		cfg := scripting.Config{Builtin: builtin, Sink: output.NewStream(w, output.TSV), Stdout: w,
			MaxSteps: scripting.DefaultMaxSteps, Pipeline: true}
		s, err := scripting.Load(ref, cfg)
		if err != nil {
			b.Fatal(err)
		}
		src, err := source.OpenAll([]string{file})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.Run(src); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		src.Close()
		cfg.Sink.Close()
		st := s.Stats()
		packets += st.Packets
		msgs += st.Calls[handler]
		b.StartTimer()
	}
	if msgs == 0 {
		b.Fatalf("no %s call over the capture", handler)
	}
	b.ReportMetric(float64(packets)/b.Elapsed().Seconds(), "packets/s")
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkDNSLatency runs dns_latency.star the same way: DNS messages
// are read through many registry fields each (questions, answers).
func BenchmarkDNSLatency(b *testing.B) {
	benchShippedScript(b, "dns_latency", "on_dns")
}
