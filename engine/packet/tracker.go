package packet

import (
	"encoding/binary"
	"net/netip"
)

// TCPInfo is what the capture-wide TCP analysis knows of a packet's first
// TCP header.
type TCPInfo struct {
	Valid  bool
	Stream int    // tcp.stream: conversation index in order of appearance
	SeqRel uint32 // tcp.seq: sequence number relative to the first seen
	AckRel uint32 // tcp.ack: relative acknowledgment number
	Len    int    // tcp.len: payload length per the IP header
}

// UDPInfo is the capture-wide UDP analysis of a packet's first UDP header.
type UDPInfo struct {
	Valid  bool
	Stream int // udp.stream
}

type convKey struct {
	a, b netip.AddrPort // a < b
}

// tcpFlow is one direction of a TCP conversation.
type tcpFlow struct {
	baseSet bool
	base    uint32
}

type tcpConv struct {
	stream int
	flows  [2]tcpFlow // [0] from key.a, [1] from key.b
}

// tracker numbers TCP and UDP conversations as Wireshark does: a new index
// for each new address/port pair in either direction, and for TCP a new
// one when a SYN reuses the ports of an earlier conversation with another
// initial sequence number.
type tracker struct {
	tcp     map[convKey]*tcpConv
	udp     map[convKey]int
	nextTCP int
	nextUDP int
}

func newTracker() *tracker {
	return &tracker{tcp: map[convKey]*tcpConv{}, udp: map[convKey]int{}}
}

// endpoints returns the addresses of the network layer that carries l.
func (p *Packet) endpoints(l *Layer) (src, dst netip.Addr, ok bool) {
	for i := len(p.Layers) - 1; i >= 0; i-- {
		n := &p.Layers[i]
		if n.Off >= l.Off {
			continue
		}
		d := p.Data
		switch n.Proto {
		case ProtoIP:
			if n.Hdr-n.Off < 20 {
				return
			}
			src = netip.AddrFrom4([4]byte(d[n.Off+12 : n.Off+16]))
			dst = netip.AddrFrom4([4]byte(d[n.Off+16 : n.Off+20]))
			return src, dst, true
		case ProtoIPv6:
			if n.Hdr-n.Off < 40 {
				return
			}
			src = netip.AddrFrom16([16]byte(d[n.Off+8 : n.Off+24]))
			dst = netip.AddrFrom16([16]byte(d[n.Off+24 : n.Off+40]))
			return src, dst, true
		}
	}
	return
}

func (t *tracker) observe(p *Packet) {
	for i := range p.Layers {
		l := &p.Layers[i]
		switch l.Proto {
		case ProtoTCP:
			if !p.TCP.Valid && !l.Quoted {
				t.observeTCP(p, l)
			}
		case ProtoUDP:
			if !p.UDP.Valid && !l.Quoted {
				t.observeUDP(p, l)
			}
		}
	}
}

func key(src, dst netip.Addr, sp, dp uint16) (convKey, int) {
	a, b := netip.AddrPortFrom(src, sp), netip.AddrPortFrom(dst, dp)
	if a.Compare(b) <= 0 {
		return convKey{a, b}, 0
	}
	return convKey{b, a}, 1
}

func (t *tracker) observeTCP(p *Packet, l *Layer) {
	d := p.Data[l.Off:l.End]
	if len(d) < 14 {
		return
	}
	src, dst, ok := p.endpoints(l)
	if !ok {
		return
	}
	sp, dp := binary.BigEndian.Uint16(d[0:]), binary.BigEndian.Uint16(d[2:])
	seq, ack := binary.BigEndian.Uint32(d[4:]), binary.BigEndian.Uint32(d[8:])
	flags := d[13]
	syn, ackf := flags&0x02 != 0, flags&0x10 != 0
	k, dir := key(src, dst, sp, dp)
	c := t.tcp[k]
	if c != nil && syn && !ackf && c.flows[dir].baseSet && c.flows[dir].base != seq {
		c = nil // ports reused by a new connection
	}
	if c == nil {
		c = &tcpConv{stream: t.nextTCP}
		t.nextTCP++
		t.tcp[k] = c
	}
	f := &c.flows[dir]
	if !f.baseSet {
		f.baseSet = true
		if syn {
			f.base = seq
		} else {
			f.base = seq - 1
		}
	}
	r := &c.flows[1-dir]
	p.TCP = TCPInfo{Valid: true, Stream: c.stream, SeqRel: seq - f.base, Len: tcpLen(p, l)}
	if ackf && r.baseSet {
		p.TCP.AckRel = ack - r.base
	} else if ackf {
		p.TCP.AckRel = ack
	}
}

// tcpLen is the TCP payload length the IP header implies.
func tcpLen(p *Packet, l *Layer) int {
	if l.Hdr <= l.Off+12 {
		return 0
	}
	return max(0, l.End-l.Hdr)
}

func (t *tracker) observeUDP(p *Packet, l *Layer) {
	d := p.Data[l.Off:l.End]
	if len(d) < 4 {
		return
	}
	src, dst, ok := p.endpoints(l)
	if !ok {
		return
	}
	k, _ := key(src, dst, binary.BigEndian.Uint16(d[0:]), binary.BigEndian.Uint16(d[2:]))
	s, found := t.udp[k]
	if !found {
		s = t.nextUDP
		t.nextUDP++
		t.udp[k] = s
	}
	p.UDP = UDPInfo{Valid: true, Stream: s}
}
