package packet

import (
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
)

// tcpSeg builds an Ethernet/IPv4/TCP frame from the client (c2s) or to it.
func tcpSeg(c2s bool, seq, ack uint32, flags byte, payload []byte) []byte {
	f := make([]byte, 14+20+20, 14+20+20+len(payload))
	f[12], f[13] = 0x08, 0x00
	ip := f[14:34]
	ip[0] = 0x45
	tl := 40 + len(payload)
	ip[2], ip[3] = byte(tl>>8), byte(tl)
	ip[8], ip[9] = 64, 6
	a, b := []byte{10, 0, 0, 1}, []byte{10, 0, 0, 2}
	sp, dp := uint16(40000), uint16(53)
	if !c2s {
		a, b, sp, dp = b, a, dp, sp
	}
	copy(ip[12:], a)
	copy(ip[16:], b)
	tc := f[34:54]
	tc[0], tc[1], tc[2], tc[3] = byte(sp>>8), byte(sp), byte(dp>>8), byte(dp)
	copy(tc[4:], ddU32(seq))
	copy(tc[8:], ddU32(ack))
	tc[12] = 5 << 4
	tc[13] = flags
	tc[14], tc[15] = 0xff, 0xff
	return append(f, payload...)
}

// dnsTCPCrafted is a DNS-over-TCP conversation whose messages are cut
// across segments in every way desegmentation must handle.
func dnsTCPCrafted() [][]byte {
	const syn, ack, psh, fin = 0x02, 0x10, 0x08, 0x01
	q := func(id int, name string) []byte {
		m := ddCat(ddHdr(id, 0x0100, 1, 0, 0, 0), ddQ(ddName(name, "example", "com"), 1, 1))
		return ddCat(ddU16(len(m)), m)
	}
	r := func(id int, name string) []byte {
		n := ddName(name, "example", "com")
		m := ddCat(ddHdr(id, 0x8180, 1, 1, 0, 0), ddQ(n, 1, 1), ddRR([]byte{0xc0, 12}, 1, 1, 60, []byte{192, 0, 2, byte(id)}))
		return ddCat(ddU16(len(m)), m)
	}
	q1, q2, q3, q4, q5 := q(1, "one"), q(2, "two"), q(3, "three"), q(4, "four"), q(5, "five")
	r1, r2 := r(1, "one"), r(2, "two")
	var fs [][]byte
	cs, ss := uint32(1000), uint32(5000) // next sequence numbers
	c := func(p []byte, fl byte) {
		fs = append(fs, tcpSeg(true, cs, ss, ack|fl, p))
		cs += uint32(len(p))
	}
	s := func(p []byte, fl byte) {
		fs = append(fs, tcpSeg(false, ss, cs, ack|fl, p))
		ss += uint32(len(p))
	}
	fs = append(fs, tcpSeg(true, cs-1, 0, syn, nil), tcpSeg(false, ss-1, cs, syn|ack, nil))
	c(nil, 0)
	c(q1[:2], psh)                                           // 4: the length alone
	c(q1[2:10], psh)                                         // 5: part of the message
	c(ddCat(q1[10:], q2, q3[:5]), psh)                       // 6: end of q1, all of q2, start of q3
	retr := cs                                               //
	c(q3[5:], psh)                                           // 7: the rest of q3
	fs = append(fs, tcpSeg(true, retr, ss, ack|psh, q3[5:])) // 8: retransmission of 7
	s(r1, psh)                                               // 9: a whole response
	s(r2[:1], psh)                                           // 10: half the length
	s(r2[1:], psh)                                           // 11: the rest
	c(q4[:7], psh)                                           // 12: start of q4, whose rest is never seen
	cs += uint32(len(q4) - 7)                                // a hole
	c(q5, psh)                                               // 14: a whole message after the hole
	c(nil, fin)
	s(nil, fin)
	return fs
}

func TestDesegmentDNSAgainstTshark(t *testing.T) {
	file := ddWritePcap(t, dnsTCPCrafted())
	ddCompare(t, []string{file}, ddRegistered("dns"), []ProtoID{ProtoDNS}, dnsAllow)
}

// TestDesegmentDNS checks which frames carry which messages, without
// tshark.
func TestDesegmentDNS(t *testing.T) {
	file := ddWritePcap(t, dnsTCPCrafted())
	r, err := source.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := map[int][]int{6: {1, 2}, 7: {3}, 9: {1}, 11: {2}, 13: {5}}
	id, _ := Fields.Lookup("dns.id")
	dec := NewDecoder()
	var fr source.Frame
	var vals []Value
	for r.Next(&fr) == nil {
		p := dec.Decode(&fr)
		vals = id.Values(p, vals[:0])
		var got []int
		for _, v := range vals {
			got = append(got, int(v.U))
		}
		if w := want[p.Num]; len(w) != len(got) || len(w) > 0 && w[0] != got[0] || len(w) > 1 && w[1] != got[1] {
			t.Errorf("frame %d: dns.id %v, want %v", p.Num, got, w)
		}
		c := p.Clone()
		vals = id.Values(c, vals[:0])
		if len(vals) != len(got) {
			t.Errorf("frame %d: clone has %d messages, packet %d", p.Num, len(vals), len(got))
		}
	}
	if st := dec.PDUStats(); st.Holes != 1 || st.Buffered != 0 {
		t.Errorf("stats %+v: want one hole, nothing held", st)
	}
}

// TestDesegmentOffline checks that a decoder without tracking still
// dissects messages that fit one segment.
func TestDesegmentUntracked(t *testing.T) {
	fs := dnsTCPCrafted()
	p := Decode(fs[8], layers.LinkTypeEthernet)
	p.Complete()
	if !p.Has(ProtoDNS) {
		t.Errorf("a whole message in one segment, decoded alone, has no DNS layer")
	}
}
