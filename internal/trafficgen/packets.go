package trafficgen

import (
	"github.com/gopacket/gopacket/layers"
)

var (
	broadcastMAC = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	zeroMAC      [6]byte
	zeroIP4      [4]byte
	broadcastIP4 = [4]byte{255, 255, 255, 255}
)

// Helpers filling the generator's reusable layers. The address slices
// point into long-lived hosts, servers or package variables: gopacket only
// reads them while serializing.

func (g *generator) setEth(src, dst *[6]byte, t layers.EthernetType) *layers.Ethernet {
	g.eth = layers.Ethernet{SrcMAC: src[:], DstMAC: dst[:], EthernetType: t}
	return &g.eth
}

// setIPv4 fills the IPv4 header; df sets Don't Fragment, as stacks do for
// TCP and most UDP.
func (g *generator) setIPv4(src, dst *[4]byte, proto layers.IPProtocol, ttl uint8, id uint16, df bool) *layers.IPv4 {
	g.ip4 = layers.IPv4{Version: 4, IHL: 5, TTL: ttl, Id: id, Protocol: proto, SrcIP: src[:], DstIP: dst[:]}
	if df {
		g.ip4.Flags = layers.IPv4DontFragment
	}
	return &g.ip4
}

func (g *generator) setIPv6(src, dst *[16]byte, next layers.IPProtocol, hlim uint8, flow uint32) *layers.IPv6 {
	g.ip6 = layers.IPv6{Version: 6, FlowLabel: flow & 0xfffff, NextHeader: next, HopLimit: hlim, SrcIP: src[:], DstIP: dst[:]}
	return &g.ip6
}

// splitmix64 is a tiny mixing function: payload bytes are derived from a
// conversation seed and an offset, so no payload is ever stored.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// fillRandom writes pseudo-random bytes for offsets off.. of a stream.
func fillRandom(dst []byte, seed uint64, off int) {
	for i := range dst {
		o := off + i
		dst[i] = byte(splitmix64(seed^uint64(o>>3)) >> (8 * (o & 7)))
	}
}

// htmlFill is the text that plain HTTP bodies repeat.
const htmlFill = "<li class=\"entry\"><a href=\"/articles/2024/03/network-notes\">Lorem ipsum dolor sit amet, " +
	"consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.</a></li>\n"

func fillText(dst []byte, seed uint64, off int) {
	k := (int(seed%uint64(len(htmlFill))) + off) % len(htmlFill)
	for i := 0; i < len(dst); {
		n := copy(dst[i:], htmlFill[k:])
		i += n
		k = 0
	}
}

// tlsRecordMax is the largest TLS record on the wire: 5 bytes of header
// and 2^14 bytes of payload.
const tlsRecordMax = 5 + 1<<14

// fillTLS writes offsets off.. of a run of TLS records of content type ct
// totalling total bytes: a record header every tlsRecordMax bytes, random
// bytes (as ciphertext looks) in between.
func fillTLS(dst []byte, seed uint64, ct uint8, total, off int) {
	for i := 0; i < len(dst); {
		o := off + i
		rs := o / tlsRecordMax * tlsRecordMax // start of this record
		re := min(rs+tlsRecordMax, total)
		if in := o - rs; in < 5 {
			n := re - rs - 5
			hdr := [5]byte{ct, 3, 3, byte(n >> 8), byte(n)}
			k := copy(dst[i:], hdr[in:])
			i += k
			continue
		}
		k := min(len(dst)-i, re-o)
		fillRandom(dst[i:i+k], seed, o)
		i += k
	}
}

// tlsLen rounds a TLS message length so that its last record is not a
// bare header.
func tlsLen(n int) int {
	if r := n % tlsRecordMax; r > 0 && r < 6 {
		n += 6 - r
	}
	return n
}
