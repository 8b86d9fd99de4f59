package flow

import (
	"encoding/binary"

	"github.com/wirelark/wirelark/engine/packet"
)

// sum adds b to a ones'-complement sum kept unfolded in 64 bits, eight
// bytes at a time.
func sum(s uint64, b []byte) uint64 {
	for len(b) >= 8 {
		v := binary.BigEndian.Uint64(b)
		s += v >> 32
		s += v & 0xffffffff
		b = b[8:]
	}
	for len(b) >= 2 {
		s += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint64(b[0]) << 8
	}
	return s
}

func fold(s uint64) uint16 {
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}

// pseudo sums the pseudo-header of RFC 793 / RFC 8200 section 8.1.
func pseudo(n *netInfo, proto uint8, length int) uint64 {
	var s uint64
	if n.v6 {
		s = sum(s, n.src[:])
		s = sum(s, n.dst[:])
	} else {
		s = sum(s, n.src[:4])
		s = sum(s, n.dst[:4])
	}
	return s + uint64(proto) + uint64(length)&0xffff + uint64(length)>>16
}

// transportChecksumOK verifies a TCP or UDP checksum over the IP payload
// from the header at l on (Zeek computes it over the IP payload length).
func transportChecksumOK(p *packet.Packet, l *packet.Layer, n *netInfo, proto uint8) bool {
	b := p.Data[l.Off : l.Off+n.plen]
	if proto == 17 && !n.v6 && len(b) >= 8 && b[6] == 0 && b[7] == 0 {
		return true // no checksum (optional over IPv4)
	}
	return fold(sum(pseudo(n, proto, len(b)), b)) == 0xffff
}

// icmpChecksumOK verifies an ICMP checksum (ICMPv6 includes a
// pseudo-header, ICMP does not).
func icmpChecksumOK(p *packet.Packet, l *packet.Layer, n *netInfo, v6 bool) bool {
	b := p.Data[l.Off : l.Off+n.plen]
	var s uint64
	if v6 {
		s = pseudo(n, 58, len(b))
	}
	return fold(sum(s, b)) == 0xffff
}
