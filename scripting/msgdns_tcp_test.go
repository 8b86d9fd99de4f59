package scripting

import (
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/internal/pcaptest"
)

// writeDNSOverTCP writes a capture, with gopacket, of one DNS query and
// its response over TCP, each cut across segments: the query's length
// alone, then its message in two pieces; the response in two pieces
// split inside its length. The segment numbered drop (from 1; 0 for
// none) is left out of the file, a hole in its direction.
func writeDNSOverTCP(t *testing.T, drop int) string {
	t.Helper()
	q := &layers.DNS{ID: 0x1234, RD: true, QDCount: 1,
		Questions: []layers.DNSQuestion{{Name: []byte("www.example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN}}}
	r := &layers.DNS{ID: 0x1234, QR: true, RD: true, RA: true, QDCount: 1, ANCount: 1,
		Questions: q.Questions,
		Answers: []layers.DNSResourceRecord{{Name: []byte("www.example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN,
			TTL: 60, IP: net.IP{192, 0, 2, 7}}}}
	msg := func(d *layers.DNS) []byte {
		buf := gopacket.NewSerializeBuffer()
		if err := d.SerializeTo(buf, gopacket.SerializeOptions{FixLengths: true}); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		return append([]byte{byte(len(b) >> 8), byte(len(b))}, b...)
	}
	qb, rb := msg(q), msg(r)
	cli, srv := net.IP{10, 0, 0, 1}, net.IP{10, 0, 0, 2}
	cseq, sseq := uint32(100), uint32(900)
	var frames []pcaptest.Frame
	ts := time.Unix(1700000000, 0)
	nseg := 0
	seg := func(fromClient bool, flags string, payload []byte) {
		nseg++
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: cli, DstIP: srv}
		tcp := &layers.TCP{SrcPort: 40000, DstPort: 53, Seq: cseq, Ack: sseq, Window: 65535}
		if !fromClient {
			ip.SrcIP, ip.DstIP = srv, cli
			tcp.SrcPort, tcp.DstPort, tcp.Seq, tcp.Ack = 53, 40000, sseq, cseq
		}
		pcaptest.SetTCPFlags(tcp, flags)
		tcp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ip, tcp, gopacket.Payload(payload)); err != nil {
			t.Fatal(err)
		}
		ts = ts.Add(time.Millisecond)
		if nseg != drop { // a dropped segment still counts in the sequence numbers
			frames = append(frames, pcaptest.Frame{Time: ts.UnixNano(), Data: buf.Bytes()})
		}
		n := uint32(len(payload))
		if tcp.SYN || tcp.FIN {
			n++
		}
		if fromClient {
			cseq += n
		} else {
			sseq += n
		}
	}
	seg(true, "S", nil)
	seg(false, "SA", nil)
	seg(true, "A", nil)
	seg(true, "AP", qb[:2])    // frame 4
	seg(true, "AP", qb[2:10])  // frame 5
	seg(true, "AP", qb[10:])   // frame 6: the query is whole
	seg(false, "AP", rb[:1])   // frame 7
	seg(false, "AP", rb[1:30]) // frame 8
	seg(false, "AP", rb[30:])  // frame 9: the response is whole
	seg(true, "AF", nil)
	seg(false, "AF", nil)
	name := filepath.Join(t.TempDir(), "dns-tcp.pcap")
	pcaptest.Write(t, name, layers.LinkTypeEthernet, frames)
	return name
}

// TestDNSOverTCPSegments checks that on_dns sees DNS messages cut
// across TCP segments once, on the frame that completes each, whether
// the run is pipelined or not.
func TestDNSOverTCPSegments(t *testing.T) {
	file := writeDNSOverTCP(t, 0)
	src := `
def on_dns(msg):
    print(msg.pkt.num, msg.id, msg.is_response, [q.name for q in msg.questions], [a.data for a in msg.answers], msg.conn.id)
`
	want := "6 4660 False [\"www.example.com\"] [] 0\n9 4660 True [\"www.example.com\"] [\"192.0.2.7\"] 0\n"
	for _, pipe := range []bool{false, true} {
		res := runSrc(t, src, []string{file}, func(c *Config) { c.Pipeline = pipe })
		if res.err != nil {
			t.Fatalf("pipeline %v: %v", pipe, res.err)
		}
		if res.out != want {
			t.Errorf("pipeline %v:\n got %q\nwant %q", pipe, res.out, want)
		}
	}
}

// TestDNSOverTCPHole: a segment missing inside a DNS message drops the
// message; the run's counters say so, pipelined or not, and --stats
// prints it. As in Wireshark, the segment after the hole is taken for the
// start of a message, which makes it a malformed one.
func TestDNSOverTCPHole(t *testing.T) {
	file := writeDNSOverTCP(t, 8) // the middle of the response
	src := "def on_dns(msg):\n    print(msg.pkt.num, msg.is_response)\n"
	for _, pipe := range []bool{false, true} {
		res := runSrc(t, src, []string{file}, func(c *Config) { c.Pipeline = pipe })
		if res.err != nil {
			t.Fatalf("pipeline %v: %v", pipe, res.err)
		}
		if res.out != "6 False\n8 None\n" {
			t.Errorf("pipeline %v: on_dns printed %q, want the query and a malformed message", pipe, res.out)
		}
		st := res.script.Stats()
		if st.PDU.Holes != 1 || st.PDU.Peak != 35 {
			t.Errorf("pipeline %v: desegmentation counters %+v, want 1 hole, at most 35 bytes held", pipe, st.PDU)
		}
		var b strings.Builder
		st.Print(&b, "")
		if !strings.Contains(b.String(), ", 1 dropped at a hole\n") {
			t.Errorf("pipeline %v: --stats does not show the hole:\n%s", pipe, b.String())
		}
	}
}
