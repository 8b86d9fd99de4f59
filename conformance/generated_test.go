package conformance

import (
	"encoding/binary"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/internal/pcaptest"
)

// gen builds Ethernet frames for the generated capture.
type gen struct {
	t      *testing.T
	frames [][]byte
}

var (
	macA = net.HardwareAddr{2, 0, 0, 0, 0, 1}
	macB = net.HardwareAddr{2, 0, 0, 0, 0, 2}
)

func ip4(s string) net.IP { return net.ParseIP(s).To4() }

func (g *gen) serialize(ls ...gopacket.SerializableLayer) []byte {
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, ls...); err != nil {
		g.t.Fatal(err)
	}
	return append([]byte(nil), buf.Bytes()...)
}

// ipv4 returns an IPv4 packet (no link header) carrying the layers.
func (g *gen) ipv4(src, dst string, proto layers.IPProtocol, ls ...gopacket.SerializableLayer) []byte {
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, SrcIP: ip4(src), DstIP: ip4(dst), Id: uint16(len(g.frames))}
	return g.serialize(append([]gopacket.SerializableLayer{ip}, ls...)...)
}

func (g *gen) ipv6(src, dst string, next layers.IPProtocol, ls ...gopacket.SerializableLayer) []byte {
	ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: next, SrcIP: net.ParseIP(src), DstIP: net.ParseIP(dst)}
	return g.serialize(append([]gopacket.SerializableLayer{ip}, ls...)...)
}

// eth frames an IP packet and adds it to the capture.
func (g *gen) eth(pkt []byte, v6 bool) []byte {
	t := layers.EthernetTypeIPv4
	if v6 {
		t = layers.EthernetTypeIPv6
	}
	f := g.serialize(&layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: t}, gopacket.Payload(pkt))
	g.frames = append(g.frames, f)
	return f
}

// tcp4 adds a TCP segment over IPv4; flags are "S", "SA", "A", "PA",
// "R", "RA", "FA".
func (g *gen) tcp4(src string, sp uint16, dst string, dp uint16, flags string, seq, ack uint32, data int) []byte {
	return g.ipv4(src, dst, layers.IPProtocolTCP, tcpLayer(sp, dp, flags, seq, ack), gopacket.Payload(make([]byte, data)))
}

func tcpLayer(sp, dp uint16, flags string, seq, ack uint32) *layers.TCP {
	t := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), Seq: seq, Ack: ack, Window: 1000}
	pcaptest.SetTCPFlags(t, flags)
	return t
}

// icmpError adds an ICMP destination unreachable (code) from router to
// the sender of orig, quoting the first quote bytes of orig.
func (g *gen) icmpError(router string, code uint8, orig []byte, quote int) {
	src := net.IP(orig[12:16]).String()
	g.eth(g.ipv4(router, src, layers.IPProtocolICMPv4,
		&layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(3, code)},
		gopacket.Payload(orig[:min(quote, len(orig))])), false)
}

// generatedCapture writes a capture made to exercise the conversation
// and sequence rules the corpus lacks, and returns its path.
func generatedCapture(t *testing.T) string {
	g := &gen{t: t}
	const a, b, c, d, e, r = "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.254"
	// A handshake, data, and ICMP errors quoting the flow's next segment:
	// with 8 bytes of TCP (too few for tshark to look up a conversation)
	// and with the whole header.
	g.eth(g.tcp4(a, 1000, b, 80, "S", 100, 0, 0), false)
	g.eth(g.tcp4(b, 80, a, 1000, "SA", 5000, 101, 0), false)
	g.eth(g.tcp4(a, 1000, b, 80, "A", 101, 5001, 0), false)
	g.eth(g.tcp4(a, 1000, b, 80, "PA", 101, 5001, 10), false)
	next := g.tcp4(a, 1000, b, 80, "PA", 111, 5001, 20)
	g.icmpError(r, 1, next, 20+8)
	g.icmpError(r, 1, next, 20+20)
	g.eth(g.tcp4(b, 80, a, 1000, "FA", 5001, 111, 0), false)
	// The SYN again (a retransmission: same stream), then the ports reused
	// by a new connection with another initial sequence number.
	g.eth(g.tcp4(a, 1000, b, 80, "S", 100, 0, 0), false)
	g.eth(g.tcp4(a, 1000, b, 80, "S", 9000, 0, 0), false)
	g.eth(g.tcp4(b, 80, a, 1000, "SA", 7000, 9001, 0), false)
	g.eth(g.tcp4(a, 1000, b, 80, "A", 9001, 7001, 0), false)
	// A flow seen from the middle: both sides count from 1.
	g.eth(g.tcp4(c, 2000, b, 443, "PA", 123456, 654321, 5), false)
	g.eth(g.tcp4(b, 443, c, 2000, "A", 654321, 123461, 0), false)
	// The SYN/ACK before the SYN.
	g.eth(g.tcp4(b, 22, d, 3000, "SA", 300, 401, 0), false)
	g.eth(g.tcp4(d, 3000, b, 22, "S", 400, 0, 0), false)
	g.eth(g.tcp4(d, 3000, b, 22, "A", 401, 301, 0), false)
	// A RST/ACK before the SYN/ACK: the SYN/ACK resets the guessed base.
	g.eth(g.tcp4(e, 4000, b, 25, "S", 10, 0, 0), false)
	g.eth(g.tcp4(b, 25, e, 4000, "RA", 0, 11, 0), false)
	g.eth(g.tcp4(b, 25, e, 4000, "SA", 77, 11, 0), false)
	g.eth(g.tcp4(e, 4000, b, 25, "R", 11, 0, 0), false)
	// An IP total length past the frame: the segment ends with the frame.
	long := g.tcp4(c, 2000, b, 443, "PA", 123461, 654321, 30)
	binary.BigEndian.PutUint16(long[2:], uint16(len(long)+500))
	g.eth(long, false)
	// A segment shorter than its header length (no sequence analysis).
	short := g.tcp4(c, 2001, b, 443, "A", 5, 6, 0)
	short[20+12] = 15 << 4
	g.eth(short, false)
	// UDP: a datagram, then an ICMP port unreachable quoting it (same
	// stream); an error quoting a datagram not seen before makes its
	// stream, which the datagram itself then finds.
	udp := func(src string, sp uint16, dst string, dp uint16) []byte {
		return g.ipv4(src, dst, layers.IPProtocolUDP, &layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}, gopacket.Payload("hello"))
	}
	u1 := udp(a, 5000, b, 9999)
	g.eth(u1, false)
	g.icmpError(b, 3, u1, len(u1))
	u2 := udp(a, 5001, b, 9998)
	g.icmpError(b, 3, u2, len(u2))
	g.eth(u2, false)
	// IPv6: TCP and an ICMPv6 error quoting a UDP datagram.
	const a6, b6 = "2001:db8::1", "2001:db8::2"
	g.eth(g.ipv6(a6, b6, layers.IPProtocolTCP, tcpLayer(1000, 80, "S", 1, 0)), true)
	g.eth(g.ipv6(b6, a6, layers.IPProtocolTCP, tcpLayer(80, 1000, "SA", 2, 2)), true)
	u6 := g.ipv6(a6, b6, layers.IPProtocolUDP, &layers.UDP{SrcPort: 7, DstPort: 7}, gopacket.Payload("echo"))
	g.eth(u6, true)
	g.eth(g.ipv6(b6, a6, layers.IPProtocolICMPv6, &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(1, 4)}, gopacket.Payload(append(make([]byte, 4), u6...))), true)

	name := filepath.Join(t.TempDir(), "generated.pcap")
	frames := make([]pcaptest.Frame, len(g.frames))
	for i, f := range g.frames {
		frames[i] = pcaptest.Frame{Time: timeAt(i).UnixNano(), Data: f}
	}
	pcaptest.Write(t, name, layers.LinkTypeEthernet, frames)
	return name
}

// TestTrackerGenerated checks the tracker's rules on a capture built for
// them, against tshark run on it; no difference is allowed.
func TestTrackerGenerated(t *testing.T) {
	bin := findTshark()
	if bin == "" {
		t.Skip("tshark is not installed: the generated capture is not compared")
	}
	name := generatedCapture(t)
	ts := &tshark{bin: bin, dir: t.TempDir(), fields: append([]string{"frame.number", "tcp.stream", "tcp.len"}, extraFields...)}
	res := ts.run(map[string]string{"generated": name})["generated"]
	ref, msg := res.table("generated", false)
	if ref == nil {
		t.Fatal(msg)
	}
	cols, _ := trackerCols(ref)
	sum := &summary{byField: map[string]*tally{}}
	compareFile(t, &allowList{}, sum, "generated", name, ref, cols)
	report(t, "tracker vs tshark on a generated capture", sum)
}

func timeAt(i int) time.Time { return time.Unix(1_700_000_000, int64(i)*1000).UTC() }
