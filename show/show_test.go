package show

import (
	"bufio"
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// render runs every packet of a capture through fn.
func render(t *testing.T, path string, fn func(w *bufio.Writer, p *packet.Packet)) []byte {
	t.Helper()
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	d := packet.NewDecoder()
	var f source.Frame
	for {
		err := r.Next(&f)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		fn(w, d.Decode(&f))
	}
	w.Flush()
	return buf.Bytes()
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", name)
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./show -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if !bytes.Equal(gl[i], wl[i]) {
				t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test ./show -update after checking the change)", name, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("%s: %d lines, golden has %d", name, len(gl), len(wl))
	}
}

const mixed = "../testdata/mixed.pcap"

func TestGoldenList(t *testing.T) {
	golden(t, "mixed.list.txt", render(t, mixed, func(w *bufio.Writer, p *packet.Packet) {
		w.WriteString(List(p).String() + "\n")
	}))
}

func TestGoldenTree(t *testing.T) {
	golden(t, "mixed.tree.txt", render(t, mixed, func(w *bufio.Writer, p *packet.Packet) {
		Tree(w, p)
		w.WriteByte('\n')
	}))
}

func TestGoldenFields(t *testing.T) {
	names := []string{"frame.number", "frame.time_relative", "eth.addr", "vlan.id", "ip.src", "ip.dst", "ip.flags.df",
		"ipv6.src", "tcp.stream", "tcp.srcport", "tcp.flags", "tcp.seq", "tcp.ack", "tcp.len", "tcp.options.mss_val",
		"udp.stream", "udp.length", "icmp.type", "arp.opcode", "dns.qry.name", "dns.a", "dhcp.option.dhcp"}
	var fw *FieldWriter
	got := render(t, mixed, func(w *bufio.Writer, p *packet.Packet) {
		if fw == nil {
			var err error
			if fw, err = NewFieldWriter(w, names); err != nil {
				t.Fatal(err)
			}
			fw.Header()
		}
		fw.Write(p)
	})
	golden(t, "mixed.fields.tsv", got)
}

func TestFieldLineBits(t *testing.T) {
	mf := packet.Fields.Field("ip.flags.mf")
	if got := FieldLine(mf, packet.Bool(true)); got != "..1. .... = More fragments: Set" {
		t.Errorf("ip.flags.mf: %q", got)
	}
	proto := packet.Fields.Field("ip.proto")
	if got := FieldLine(proto, packet.Uint(17)); got != "Protocol: UDP (17)" {
		t.Errorf("ip.proto: %q", got)
	}
	id := packet.Fields.Field("ip.id")
	if got := FieldLine(id, packet.Uint(0x1234)); got != "Identification: 0x1234 (4660)" {
		t.Errorf("ip.id: %q", got)
	}
}

func TestFieldWriterOptions(t *testing.T) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	fw, err := NewFieldWriter(w, []string{"ip.addr", "frame.number"})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []string{"separator=;", "aggregator=/s", "quote=d"} {
		if _, err := fw.ParseOption(o); err != nil {
			t.Fatal(err)
		}
	}
	if h, _ := fw.ParseOption("header=y"); !h {
		t.Error("header=y not reported")
	}
	if _, err := fw.ParseOption("bogus=1"); err == nil {
		t.Error("unknown option accepted")
	}
	// An IPv4/UDP packet built by hand.
	data := []byte{0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x30, 0x39, 0, 53, 0, 8, 0, 0}
	p := packet.Decode(data, 101)
	fw.Write(p)
	w.Flush()
	if got := buf.String(); got != "\"10.0.0.1 10.0.0.2\";\"1\"\n" {
		t.Errorf("got %q", got)
	}
}

func TestProtocolAsField(t *testing.T) {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	fw, err := NewFieldWriter(w, []string{"ip", "udp"})
	if err != nil {
		t.Fatal(err)
	}
	data := []byte{0x45, 0, 0, 28, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x30, 0x39, 0, 53, 0, 8, 0, 0}
	fw.Write(packet.Decode(data, 101))
	w.Flush()
	want := "Internet Protocol Version 4, Src: 10.0.0.1, Dst: 10.0.0.2\tUser Datagram Protocol, Src Port: 12345, Dst Port: 53\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
