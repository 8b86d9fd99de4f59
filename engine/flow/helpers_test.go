package flow

// Test helpers: packets built with gopacket's serializers and decoded by
// engine/packet, so that the table is tested through the real decoder.

import (
	"net"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// Hosts of the crafted traffic.
var (
	cliIP  = net.IP{10, 0, 0, 1}
	srvIP  = net.IP{10, 0, 0, 2}
	cli6IP = net.ParseIP("2001:db8::1")
	srv6IP = net.ParseIP("2001:db8::2")
	cliMAC = net.HardwareAddr{2, 0, 0, 0, 0, 1}
	srvMAC = net.HardwareAddr{2, 0, 0, 0, 0, 2}
)

// Initial sequence numbers: step seq and ack values are relative to them.
const (
	cliISN = 1_000_000
	srvISN = 7_000_000
	t0     = int64(1_700_000_000) * 1e9
)

// bench drives a Table with crafted packets and records its events.
type bench struct {
	t       testing.TB
	d       *packet.Decoder
	tab     *Table
	now     int64
	buf     gopacket.SerializeBuffer
	started []*Conn
	hands   []*Conn
	ended   []*Conn
	endSeen map[*Conn]int
	// Ports of the crafted TCP and UDP packets.
	cport, sport uint16
	v6           bool
}

func newBench(t testing.TB, cfg Config) *bench {
	b := &bench{t: t, d: packet.NewDecoder(), now: t0, buf: gopacket.NewSerializeBuffer(), endSeen: map[*Conn]int{},
		cport: 40000, sport: 80}
	cfg.Events = Events{
		Start:     func(c *Conn, p *packet.Packet) { b.started = append(b.started, c) },
		Handshake: func(c *Conn, p *packet.Packet) { b.hands = append(b.hands, c) },
		End: func(c *Conn) {
			b.ended = append(b.ended, c)
			b.endSeen[c]++
		},
	}
	b.tab = New(cfg)
	return b
}

// step is one crafted TCP segment. dir 'c' goes from the client, 's' from
// the server. seq is relative to the sender's ISN, ack to the receiver's.
type step struct {
	dir      byte
	flags    string // letters S A F R P
	seq, ack uint32
	n        int // payload bytes
	win      int // window; 0 means 502, -1 a zero window
	dt       time.Duration
	badSum   bool
}

// frame serializes layers into an Ethernet frame, its checksums filled in.
func (b *bench) frame(ls ...gopacket.SerializableLayer) []byte {
	b.t.Helper()
	if err := gopacket.SerializeLayers(b.buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		b.t.Fatal(err)
	}
	return append([]byte(nil), b.buf.Bytes()...)
}

// ipLayers returns the Ethernet and IP layers of a packet from the client
// (fromCli) or the server, and the IP layer to compute checksums over.
func (b *bench) ipLayers(fromCli bool, proto layers.IPProtocol) (*layers.Ethernet, gopacket.SerializableLayer, gopacket.NetworkLayer) {
	eth := &layers.Ethernet{SrcMAC: cliMAC, DstMAC: srvMAC, EthernetType: layers.EthernetTypeIPv4}
	if !fromCli {
		eth.SrcMAC, eth.DstMAC = srvMAC, cliMAC
	}
	if b.v6 {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: cli6IP, DstIP: srv6IP}
		if !fromCli {
			ip.SrcIP, ip.DstIP = srv6IP, cli6IP
		}
		return eth, ip, ip
	}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: proto, SrcIP: cliIP, DstIP: srvIP}
	if !fromCli {
		ip.SrcIP, ip.DstIP = srvIP, cliIP
	}
	return eth, ip, ip
}

// tcp sends one crafted segment and returns the connection Observe gave.
func (b *bench) tcp(s step) *Conn {
	b.t.Helper()
	return b.send(b.tcpFrame(s), s.dt)
}

// tcpFrame builds the frame of a crafted segment.
func (b *bench) tcpFrame(s step) []byte {
	b.t.Helper()
	fromCli := s.dir == 'c'
	eth, ip, nl := b.ipLayers(fromCli, layers.IPProtocolTCP)
	tcp := &layers.TCP{SrcPort: layers.TCPPort(b.cport), DstPort: layers.TCPPort(b.sport), Window: 502}
	isn, peerISN := uint32(cliISN), uint32(srvISN)
	if !fromCli {
		tcp.SrcPort, tcp.DstPort = tcp.DstPort, tcp.SrcPort
		isn, peerISN = peerISN, isn
	}
	tcp.Seq = isn + s.seq
	for _, f := range s.flags {
		switch f {
		case 'S':
			tcp.SYN = true
		case 'A':
			tcp.ACK = true
			tcp.Ack = peerISN + s.ack
		case 'F':
			tcp.FIN = true
		case 'R':
			tcp.RST = true
		case 'P':
			tcp.PSH = true
		}
	}
	switch {
	case s.win < 0:
		tcp.Window = 0
	case s.win > 0:
		tcp.Window = uint16(s.win)
	}
	tcp.SetNetworkLayerForChecksum(nl)
	payload := make([]byte, s.n)
	for i := range payload {
		payload[i] = byte('a' + i%26)
	}
	data := b.frame(eth, ip, tcp, gopacket.Payload(payload))
	if s.badSum {
		data[14+ipHdrLen(b.v6)+16] ^= 0xff
	}
	return data
}

func ipHdrLen(v6 bool) int {
	if v6 {
		return 40
	}
	return 20
}

// send decodes a frame at the bench's clock (advanced by dt, 1 ms if 0)
// and observes it.
func (b *bench) send(data []byte, dt time.Duration) *Conn {
	if dt == 0 {
		dt = time.Millisecond
	}
	b.now += int64(dt)
	f := source.Frame{Time: b.now, Len: len(data), Data: data, LinkType: layers.LinkTypeEthernet}
	c, _ := b.tab.Observe(b.d.Decode(&f))
	return c
}

// udp sends a datagram with n payload bytes.
func (b *bench) udp(fromCli bool, n int, dt time.Duration, badSum bool) *Conn {
	b.t.Helper()
	return b.send(b.udpFrame(fromCli, n, badSum), dt)
}

func (b *bench) udpFrame(fromCli bool, n int, badSum bool) []byte {
	b.t.Helper()
	eth, ip, nl := b.ipLayers(fromCli, layers.IPProtocolUDP)
	u := &layers.UDP{SrcPort: layers.UDPPort(b.cport), DstPort: layers.UDPPort(b.sport)}
	if !fromCli {
		u.SrcPort, u.DstPort = u.DstPort, u.SrcPort
	}
	u.SetNetworkLayerForChecksum(nl)
	data := b.frame(eth, ip, u, gopacket.Payload(make([]byte, n)))
	if badSum {
		data[14+ipHdrLen(b.v6)+6] ^= 0xff
	}
	return data
}

// ping sends an ICMP (or ICMPv6) echo request from the client or a reply
// from the server, with identifier id.
func (b *bench) ping(fromCli bool, id, seq uint16, dt time.Duration) *Conn {
	b.t.Helper()
	return b.send(b.pingFrame(fromCli, id, seq), dt)
}

func (b *bench) pingFrame(fromCli bool, id, seq uint16) []byte {
	b.t.Helper()
	if b.v6 {
		eth, ip, nl := b.ipLayers(fromCli, layers.IPProtocolICMPv6)
		typ := uint8(layers.ICMPv6TypeEchoRequest)
		if !fromCli {
			typ = layers.ICMPv6TypeEchoReply
		}
		ic := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(typ, 0)}
		ic.SetNetworkLayerForChecksum(nl)
		echo := &layers.ICMPv6Echo{Identifier: id, SeqNumber: seq}
		return b.frame(eth, ip, ic, echo, gopacket.Payload(make([]byte, 56)))
	}
	eth, ip, _ := b.ipLayers(fromCli, layers.IPProtocolICMPv4)
	typ := uint8(layers.ICMPv4TypeEchoRequest)
	if !fromCli {
		typ = layers.ICMPv4TypeEchoReply
	}
	ic := &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(typ, 0), Id: id, Seq: seq}
	return b.frame(eth, ip, ic, gopacket.Payload(make([]byte, 56)))
}

// run sends the steps, flushes the table and returns the connections in
// the order they ended.
func (b *bench) run(steps ...step) []*Conn {
	b.t.Helper()
	for _, s := range steps {
		b.tcp(s)
	}
	b.tab.Flush()
	b.check()
	return b.ended
}

// check verifies the event invariants: every connection started ended
// exactly once, after starting, and the table is empty after a flush.
func (b *bench) check() {
	b.t.Helper()
	for _, c := range b.started {
		if n := b.endSeen[c]; n != 1 {
			b.t.Errorf("connection %d (uid %d) ended %d times", c.ID, c.UID, n)
		}
	}
	if len(b.ended) != len(b.started) {
		b.t.Errorf("%d connections started, %d ended", len(b.started), len(b.ended))
	}
	if b.tab.Len() != 0 {
		b.t.Errorf("%d connections left after Flush", b.tab.Len())
	}
}

// handshake is the usual opening: SYN, SYN-ACK, ACK.
var handshake = []step{
	{dir: 'c', flags: "S"},
	{dir: 's', flags: "SA", ack: 1},
	{dir: 'c', flags: "A", seq: 1, ack: 1},
}

func with(steps ...[]step) []step {
	var out []step
	for _, s := range steps {
		out = append(out, s...)
	}
	return out
}
