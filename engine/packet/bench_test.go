package packet_test

// Throughput benchmarks over a generated capture of realistic mixed
// traffic (internal/trafficgen). One iteration is one full pass over the
// file; packets/s and ns/packet are per packet, MB/s per byte of the
// capture file. Run them with, for instance,
//
//	go test ./engine/packet -run '^$' -bench . -benchtime 3x -cpu 1
//
// -cpu 1 keeps the garbage collector on the same core, for one-core
// figures. The capture is generated once into the temporary directory and
// reused by later runs (its name carries the generator's version).

import (
	"io"
	"os"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/trafficgen"
)

const (
	benchPackets = 300_000
	benchSeed    = 1
)

// benchCapture returns the path and size of the benchmark capture.
func benchCapture(b *testing.B) (string, int64) {
	b.Helper()
	path, err := trafficgen.Cached(benchPackets, benchSeed)
	if err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return path, fi.Size()
}

// benchPass reads the capture once, calling fn for every frame, and
// returns the number of frames.
func benchPass(b *testing.B, path string, fn func(f *source.Frame)) int {
	r, err := source.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
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
		fn(&f)
		n++
	}
}

// benchRun times whole passes over the capture and reports per-packet
// metrics.
func benchRun(b *testing.B, newPass func() func(f *source.Frame)) {
	path, size := benchCapture(b)
	b.SetBytes(size)
	b.ReportAllocs()
	total := 0
	for b.Loop() {
		n := benchPass(b, path, newPass())
		if n != benchPackets {
			b.Fatalf("read %d packets, want %d", n, benchPackets)
		}
		total += n
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(total)/sec, "packets/s")
	b.ReportMetric(sec*1e9/float64(total), "ns/packet")
}

var benchSink int

// BenchmarkReadOnly is the capture reader alone: the floor under every
// other figure.
func BenchmarkReadOnly(b *testing.B) {
	benchRun(b, func() func(*source.Frame) {
		return func(f *source.Frame) { benchSink += len(f.Data) }
	})
}

// BenchmarkDecode reads and decodes every packet with a default Decoder,
// TCP/UDP stream analysis included. A fresh Decoder per pass, as per
// capture file.
func BenchmarkDecode(b *testing.B) {
	benchRun(b, func() func(*source.Frame) {
		dec := packet.NewDecoder()
		return func(f *source.Frame) { benchSink += len(dec.Decode(f).Layers) }
	})
}

// BenchmarkDecodeComplete also decodes what is otherwise left for when
// asked (DNS and DHCP messages, headers quoted in ICMP errors).
func BenchmarkDecodeComplete(b *testing.B) {
	benchRun(b, func() func(*source.Frame) {
		dec := packet.NewDecoder()
		return func(f *source.Frame) {
			p := dec.Decode(f)
			p.Complete()
			benchSink += len(p.Layers)
		}
	})
}

// BenchmarkDecodeFields is the work of `show -e ip.src -e tcp.dstport`
// without the output: decode (with the stream analysis only if a field
// needs it, as show does), get the fields' values, format them into a
// reused line buffer.
func BenchmarkDecodeFields(b *testing.B) {
	var fields []*packet.Field
	track := false
	for _, name := range []string{"ip.src", "tcp.dstport"} {
		f, err := packet.Fields.Lookup(name)
		if err != nil {
			b.Fatal(err)
		}
		fields = append(fields, f)
		track = track || f.Tracked
	}
	benchRun(b, func() func(*source.Frame) {
		dec := packet.NewDecoder()
		dec.Track = track
		var vals []packet.Value
		var line []byte
		return func(f *source.Frame) {
			p := dec.Decode(f)
			line = line[:0]
			for i, fl := range fields {
				if i > 0 {
					line = append(line, '\t')
				}
				vals = fl.Values(p, vals[:0])
				for j, v := range vals {
					if j > 0 {
						line = append(line, ',')
					}
					line = fl.AppendValue(line, v)
				}
			}
			line = append(line, '\n')
			benchSink += len(line)
		}
	})
}

// BenchmarkGopacketDLP is a reference: gopacket's DecodingLayerParser
// over Ethernet, IPv4, IPv6, TCP and UDP, reading the same frames.
func BenchmarkGopacketDLP(b *testing.B) {
	benchRun(b, func() func(*source.Frame) {
		var (
			eth layers.Ethernet
			ip4 layers.IPv4
			ip6 layers.IPv6
			tcp layers.TCP
			udp layers.UDP
		)
		parser := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &ip4, &ip6, &tcp, &udp)
		parser.IgnoreUnsupported = true
		decoded := make([]gopacket.LayerType, 0, 8)
		return func(f *source.Frame) {
			_ = parser.DecodeLayers(f.Data, &decoded)
			benchSink += len(decoded)
		}
	})
}
