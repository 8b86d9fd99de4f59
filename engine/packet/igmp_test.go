package packet

import "testing"

// igmpFiles are the captures with IGMP messages.
var igmpFiles = []string{
	"corpus/igmp/IGMP_V1.pcap",
	"corpus/igmp/IGMP_V2.pcap",
	"corpus/igmp/home-multicast-short.pcap",
	"corpus/dns/mdns.pcap",
	"captures/igmp_membership.pcap",
	"captures/mixed_office.pcap",
}

var igmpAllow = []msgAllow{}

func TestIGMPFieldsMatchTshark(t *testing.T) {
	c := &msgCompare{protos: []string{"igmp"}, files: igmpFiles, allow: igmpAllow, column: IGMPColumn}
	c.run(t)
}

// igmpPkt wraps an IGMP message, its checksum computed over the first n
// bytes (all when n is 0), in an IPv4 header.
func igmpPkt(n int, dst []byte, msg ...[]byte) synth {
	m := withChecksum(cat8(msg...), 2, n)
	return synth{pkt: ipv4Pkt(2, 1, synthSrc4, dst, m)}
}

func igmpSynth() []synth {
	all := []byte{224, 0, 0, 1}
	g := []byte{239, 1, 2, 3}
	r := []byte{224, 0, 0, 22}
	s1, s2, s3 := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}, []byte{10, 0, 0, 3}
	var f []synth
	add := func(s synth) { f = append(f, s) }
	// Version 0 (RFC 988).
	add(igmpPkt(20, all, []byte{0x01, 1, 0, 0}, be32(77), g, fill(8, 0x11)))
	add(igmpPkt(20, all, []byte{0x02, 0, 0, 0}, be32(77), g, fill(8, 0x11)))
	add(igmpPkt(20, all, []byte{0x02, 9, 0, 0}, be32(77), g, fill(8, 0x11)))
	add(igmpPkt(20, all, []byte{0x03, 0, 0, 0}, be32(77), g, fill(8, 0x11)))
	add(igmpPkt(20, all, []byte{0x0c, 0, 0, 0}, be32(77), g, fill(8, 0x11)))
	// Versions 1 and 2.
	add(igmpPkt(8, all, []byte{0x11, 0, 0, 0}, zeros(4)))
	add(igmpPkt(8, g, []byte{0x11, 100, 0, 0}, g))
	add(igmpPkt(8, g, []byte{0x16, 0, 0, 0}, g))
	add(igmpPkt(8, g, []byte{0x12, 0, 0, 0}, g))
	add(igmpPkt(8, r, []byte{0x17, 0, 0, 0}, g))
	add(igmpPkt(8, r, []byte{0x17, 0, 0, 0}, zeros(4)))
	bad := igmpPkt(8, g, []byte{0x16, 0, 0, 0}, g)
	bad.pkt[len(bad.pkt)-1] ^= 0x40
	add(bad)
	// Version 3 queries and reports.
	add(igmpPkt(0, all, []byte{0x11, 0x8f, 0, 0}, zeros(4), []byte{0x0f, 200}, be16(0)))
	add(igmpPkt(0, g, []byte{0x11, 0xff, 0, 0}, g, []byte{0x0a, 125}, be16(3), s1, s2, s3))
	add(igmpPkt(0, g, []byte{0x11, 50, 0, 0}, g, []byte{0x02, 10}, be16(1), s1))
	add(igmpPkt(0, r, []byte{0x22, 0, 0, 0}, zeros(2), be16(0)))
	add(igmpPkt(0, r, []byte{0x22, 0, 0, 0}, zeros(2), be16(8),
		[]byte{1, 0}, be16(2), g, s1, s2,
		[]byte{2, 1}, be16(1), g, s3, be32(0xcafef00d),
		[]byte{3, 0}, be16(0), g,
		[]byte{4, 0}, be16(2), g, s1, s2,
		[]byte{5, 0}, be16(0), g,
		[]byte{6, 0}, be16(2), g, s1, s2,
		[]byte{9, 0}, be16(1), g, s1,
		[]byte{9, 0}, be16(0), g))
	tr := igmpPkt(0, r, []byte{0x22, 0, 0, 0}, zeros(2), be16(2), []byte{1, 0}, be16(2), g, s1, s2, []byte{4, 0}, be16(0), g)
	tr.capture = 20 + 20
	add(tr)
	tr = igmpPkt(0, g, []byte{0x11, 50, 0, 0}, g, []byte{0x02, 10}, be16(1), s1)
	tr.capture = 20 + 10
	add(tr)
	// Multicast traceroute, a type another dissector owns, unknown types.
	add(igmpPkt(0, all, []byte{0x1f, 30, 0, 0}, g, s1, s2, s3, []byte{64, 0, 0, 9}))
	add(igmpPkt(0, all, []byte{0x1e, 30, 0, 0}, g, s1, s2, s3, []byte{64, 0, 0, 9}, zeros(32)))
	add(igmpPkt(0, all, []byte{0x50, 30, 0, 0}, g, fill(4, 0xee)))
	add(igmpPkt(0, all, []byte{0x14, 30, 0, 0}, g, fill(4, 0xee)))
	return f
}

func TestIGMPSyntheticMatchTshark(t *testing.T) {
	msgTsharkPath(t)
	path := writeSynth(t, "igmp.pcap", igmpSynth())
	c := &msgCompare{protos: []string{"igmp"}, files: []string{path}, column: IGMPColumn, allow: []msgAllow{
		{"synthetic/igmp.pcap", "_ws.col.*", []int{23},
			"IGMP type 0x14 is PIMv1, which Wireshark hands to its PIM dissector; wirelark has no PIM decoder, " +
				"so the message shows no igmp fields and no Info of its own"},
	}}
	c.run(t)
}

func FuzzIGMPMessage(f *testing.F) {
	for _, s := range msgSeeds(f, ProtoIGMP, "captures/igmp_membership.pcap", "corpus/igmp/IGMP_V1.pcap", "corpus/igmp/IGMP_V2.pcap") {
		f.Add(s)
	}
	for _, s := range igmpSynth() {
		f.Add(append([]byte{0}, s.pkt[20:]...))
	}
	f.Fuzz(func(t *testing.T, data []byte) { fuzzMessage(t, data, false, 2, "igmp") })
}
