package packet

import (
	"net"
	"os/exec"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func init() {
	ddMalformedNames[ProtoDHCPv6] = "DHCPv6"
	ddMalformed[ProtoDHCPv6] = dhcpv6Malformed
}

// Helpers to build DHCPv6 messages (prefix d6).

// d6Opt encodes one option.
func d6Opt(code int, value ...[]byte) []byte {
	v := ddCat(value...)
	return ddCat(ddU16(code), ddU16(len(v)), v)
}

// d6Msg encodes a client/server message header and its options.
func d6Msg(typ byte, xid uint32, opts ...[]byte) []byte {
	return ddCat([]byte{typ, byte(xid >> 16), byte(xid >> 8), byte(xid)}, ddCat(opts...))
}

// d6Relay encodes a relay message header and its options.
func d6Relay(typ, hops byte, link, peer string, opts ...[]byte) []byte {
	return ddCat([]byte{typ, hops}, net.ParseIP(link).To16(), net.ParseIP(peer).To16(), ddCat(opts...))
}

func d6IP(s string) []byte { return net.ParseIP(s).To16() }

var (
	d6MAC    = []byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}
	d6DUIDLL = ddCat(ddU16(3), ddU16(1), d6MAC)
	// DUID-LLT: Ethernet, 2022-06-02 08:07:09 UTC.
	d6DUIDLLT = ddCat(ddU16(1), ddU16(1), ddU32(0x2a2b2c2d), d6MAC)
	d6Server  = ddCat(ddU16(2), ddU32(311), []byte{0xde, 0xad, 0xbe, 0xef})
)

// d6IANA is an IA_NA with one address.
func d6IANA(iaid uint32, addr string, pref, valid uint32, sub ...[]byte) []byte {
	return d6Opt(3, ddU32(iaid), ddU32(3600), ddU32(5400),
		d6Opt(5, d6IP(addr), ddU32(pref), ddU32(valid), ddCat(sub...)))
}

// d6IAPD is an IA_PD with one prefix.
func d6IAPD(iaid uint32, prefix string, plen byte, pref, valid uint32) []byte {
	return d6Opt(25, ddU32(iaid), ddU32(1800), ddU32(2880),
		d6Opt(26, ddU32(pref), ddU32(valid), []byte{plen}, d6IP(prefix)))
}

// d6Frame builds an Ethernet/IPv6/UDP frame around a DHCPv6 message.
func d6Frame(sport, dport uint16, msg []byte) []byte {
	eth := &layers.Ethernet{SrcMAC: d6MAC, DstMAC: net.HardwareAddr{0x33, 0x33, 0, 1, 0, 2}, EthernetType: layers.EthernetTypeIPv6}
	ip := &layers.IPv6{Version: 6, HopLimit: 1, NextHeader: layers.IPProtocolUDP,
		SrcIP: net.ParseIP("fe80::211:22ff:fe33:4455"), DstIP: net.ParseIP("ff02::1:2")}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		panic(err)
	}
	buf := gopacket.NewSerializeBuffer()
	err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		eth, ip, udp, gopacket.Payload(msg))
	if err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// dhcpv6Messages are the crafted messages: every message type, IA_NA and
// IA_PD, relays with nested messages, status codes, the rarer options,
// and damaged ones. The damaged ones stay last.
func dhcpv6Messages() [][]byte {
	oro := d6Opt(6, ddU16(23), ddU16(24), ddU16(56), ddU16(39))
	elapsed := d6Opt(8, ddU16(150))
	fqdn := d6Opt(39, []byte{0x01}, ddName("pc", "example", "com"))
	dns := d6Opt(23, d6IP("2001:db8::53"), d6IP("2001:db8::54"))
	search := d6Opt(24, ddName("eng", "example", "com"), ddName("example", "org"))
	solicit := d6Msg(1, 0x1a2b3c, d6Opt(1, d6DUIDLLT), elapsed, oro, fqdn,
		d6Opt(3, ddU32(0x0a0b0c0d), ddU32(0), ddU32(0)), d6Opt(25, ddU32(1), ddU32(0), ddU32(0)),
		d6Opt(14), d6Opt(16, ddU32(311), ddU16(8), []byte("MSFT 5.0")),
		d6Opt(15, ddU16(3), []byte("abc"), ddU16(2), []byte("de")))
	msgs := [][]byte{
		solicit,
		d6Msg(2, 0x1a2b3c, d6Opt(1, d6DUIDLLT), d6Opt(2, d6Server), d6Opt(7, []byte{255}),
			d6IANA(0x0a0b0c0d, "2001:db8::100", 3600, 7200),
			d6IAPD(1, "2001:db8:1200::", 56, 4000, 8000), dns, search,
			d6Opt(39, []byte{0x03}, ddName("pc", "example", "com"))),
		d6Msg(3, 0x445566, d6Opt(1, d6DUIDLLT), d6Opt(2, d6Server), elapsed,
			d6IANA(0x0a0b0c0d, "2001:db8::100", 0, 0), d6IAPD(1, "2001:db8:1200::", 56, 0, 0), oro),
		d6Msg(7, 0x445566, d6Opt(1, d6DUIDLLT), d6Opt(2, d6Server),
			d6IANA(0x0a0b0c0d, "2001:db8::100", 3600, 0xffffffff), d6IAPD(1, "2001:db8:1200::", 56, 4000, 8000),
			dns, search, d6Opt(13, ddU16(0), []byte("All addresses assigned")),
			d6Opt(56, d6Opt(1, d6IP("2001:db8::123")), d6Opt(3, ddName("ntp", "example", "com")))),
		d6Msg(5, 0x010203, d6Opt(1, d6DUIDLL), d6Opt(2, d6Server), elapsed,
			d6IANA(0x0a0b0c0d, "2001:db8::100", 3600, 7200)),
		d6Msg(6, 0x010204, d6Opt(1, d6DUIDLL), elapsed, d6IANA(0x0a0b0c0d, "2001:db8::100", 3600, 7200)),
		d6Msg(8, 0x010205, d6Opt(1, d6DUIDLL), d6Opt(2, d6Server), d6IANA(0x0a0b0c0d, "2001:db8::100", 0, 0)),
		d6Msg(9, 0x010206, d6Opt(1, d6DUIDLL), d6Opt(2, d6Server), d6IANA(0x0a0b0c0d, "2001:db8::100", 0, 0)),
		d6Msg(4, 0x010207, d6Opt(1, d6DUIDLL), d6IANA(0x0a0b0c0d, "2001:db8::100", 0, 0)),
		d6Msg(11, 0x010208, d6Opt(1, ddCat(ddU16(4), make([]byte, 16))), elapsed, oro),
		d6Msg(10, 0, d6Opt(1, d6DUIDLL), d6Opt(2, d6Server), d6Opt(19, []byte{5}),
			d6Opt(11, []byte{3, 1, 0}, make([]byte, 8), []byte{2}, make([]byte, 16))),
		// Status codes in a reply and inside an IA.
		d6Msg(7, 0x0a0a0a, d6Opt(1, d6DUIDLLT), d6Opt(2, d6Server), d6Opt(13, ddU16(2), []byte("No addresses available")),
			d6Opt(3, ddU32(7), ddU32(0), ddU32(0), d6Opt(13, ddU16(3), []byte("NoBinding"))),
			d6Opt(25, ddU32(8), ddU32(0), ddU32(0), d6Opt(13, ddU16(6)))),
		// A relayed solicit, and the relayed advertise, the relay
		// message followed by an interface id.
		d6Relay(12, 0, "2001:db8:1::1", "fe80::211:22ff:fe33:4455",
			d6Opt(18, []byte("eth0")), d6Opt(37, ddU32(9), d6MAC), d6Opt(9, solicit)),
		d6Relay(13, 0, "2001:db8:1::1", "fe80::211:22ff:fe33:4455",
			d6Opt(9, d6Msg(2, 0x1a2b3c, d6Opt(1, d6DUIDLLT), d6Opt(2, d6Server), d6IANA(0x0a0b0c0d, "2001:db8::100", 3600, 7200))),
			d6Opt(18, []byte("eth0"))),
		// Two relays deep.
		d6Relay(12, 1, "2001:db8:2::1", "2001:db8:1::1",
			d6Opt(9, d6Relay(12, 0, "2001:db8:1::1", "fe80::1", d6Opt(9, solicit)))),
		// Rarer options: unicast, vendor options, lifetime, NIS, SIP,
		// time zone, remote and subscriber ids, a DUID-EN client, AFTR.
		d6Msg(7, 0x0b0b0b, d6Opt(1, d6Server), d6Opt(2, d6DUIDLL), d6Opt(12, d6IP("2001:db8::1")),
			d6Opt(17, ddU32(9), ddU16(1), ddU16(2), []byte{1, 2}, ddU16(3), ddU16(0)),
			d6Opt(32, ddU32(86400)), d6Opt(27, d6IP("2001:db8::27")), d6Opt(29, ddName("nis", "example")),
			d6Opt(21, ddName("sip", "example", "com")), d6Opt(22, d6IP("2001:db8::5060")),
			d6Opt(41, []byte("CET-1CEST")), d6Opt(42, []byte("Europe/Zurich")), d6Opt(38, []byte("sub1")),
			d6Opt(64, ddName("aftr", "example", "net")), d6Opt(103, []byte("https://portal.example/")),
			d6Opt(112, []byte("https://mud.example/x")), d6Opt(67, []byte{60, 0x80}), d6Opt(135, ddU16(547)),
			d6Opt(31, d6IP("2001:db8::7b")), d6Opt(40, d6IP("2001:db8::40")), d6Opt(999, []byte{1, 2, 3})),
		// Domain fields: a TLD, a partial name, a root-only name, a
		// label running past the field, and a name after a partial one.
		d6Msg(7, 0x0c0c0c, d6Opt(24, ddName("com")), d6Opt(24, []byte{3, 'f', 'o', 'o'}),
			d6Opt(24, []byte{0}), d6Opt(24, []byte{9, 'a', 'b'}), d6Opt(24, ddName("a", "b"), []byte{2, 'x', 'y', 3, 'p', 'q', 'r'}),
			d6Opt(24, []byte{0x80, 'x'})),
		d6Msg(1, 0x0d0d0d, d6Opt(39, []byte{0x05}), d6Opt(39)),
		d6Msg(12, 0x0e0e0e, d6Opt(39, []byte{0}, ddName("a", "b"))),
		// Leasequery.
		d6Msg(14, 0x0f0f0f, d6Opt(44, []byte{1}, d6IP("2001:db8::1"), d6Opt(6, ddU16(46))), d6Opt(1, d6DUIDLL)),
		d6Msg(15, 0x0f0f0f, d6Opt(45, d6Opt(1, d6DUIDLL), d6IANA(1, "2001:db8::9", 1, 2), d6Opt(46, ddU32(60))),
			d6Opt(47, d6IP("fe80::9"), []byte("msg")), d6Opt(48, d6IP("2001:db8::30"))),
		// Short client identifiers; text with a backslash, a quote,
		// control and non-ASCII characters.
		d6Msg(1, 0x161616, d6Opt(1, []byte{7}), d6Opt(1), d6Opt(13, ddU16(1), []byte("a\\b\"c\x7f\x01\xe9z"))),
		// An unknown message type.
		d6Msg(99, 0x123456, d6Opt(1, d6DUIDLL)),
		// Damage: options of the wrong length are not shown.
		d6Msg(7, 0x101010, d6Opt(1, []byte{0}), d6Opt(1, ddU16(1), ddU16(1)), d6Opt(7, []byte{1, 2}),
			d6Opt(8, []byte{1}), d6Opt(3, ddU32(1)), d6Opt(5, make([]byte, 10)), d6Opt(23, make([]byte, 17)),
			d6Opt(26, make([]byte, 24)), d6Opt(16, ddU32(1)), d6Opt(16, ddU32(1), []byte{0}), d6Opt(13)),
		// An option running past the end: the walk ends there.
		ddCat(d6Msg(1, 0x111111, d6Opt(8, ddU16(1))), ddU16(1), ddU16(40), []byte{0, 3}),
		// An IA whose address runs past the IA: the message ends there.
		d6Msg(7, 0x121212, d6Opt(3, ddU32(1), ddU32(0), ddU32(0), ddU16(5), ddU16(40)), d6Opt(8, ddU16(1))),
		// Reads past the option: an odd option request list, a status
		// code without its code, a vendor option with its length cut.
		d6Msg(1, 0x131313, d6Opt(6, []byte{0, 23, 0})),
		d6Msg(7, 0x141414, d6Opt(13, []byte{0})),
		d6Msg(7, 0x151515, d6Opt(17, ddU32(9), []byte{0})),
		// Cut short: no transaction id, a relay header cut, nothing.
		{1, 2},
		d6Relay(12, 0, "2001:db8::1", "::")[:20],
		{},
	}
	return msgs
}

func dhcpv6Crafted() [][]byte {
	var frames [][]byte
	for i, m := range dhcpv6Messages() {
		sp, dp := uint16(546), uint16(547)
		if i%2 == 1 {
			sp, dp = dp, sp
		}
		frames = append(frames, d6Frame(sp, dp, m))
	}
	return frames
}

// dhcpv6Allow lists the differences from tshark that are understood.
var dhcpv6Allow = []ddAllow{ddMissing}

func TestDHCPv6CraftedAgainstTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed: the DHCPv6 fields cannot be compared with Wireshark's")
	}
	frames := dhcpv6Crafted()
	file := ddWritePcap(t, frames)
	ddCompare(t, []string{file}, ddRegistered("dhcpv6"), []ProtoID{ProtoDHCPv6}, dhcpv6Allow)
}

// TestDHCPv6TreeTitles compares the layer's title with Wireshark's; a
// relayed message is a second DHCPv6 item in Wireshark's tree, nested in
// the option, and part of the one layer in wirelark.
func TestDHCPv6TreeTitles(t *testing.T) {
	msgs := dhcpv6Messages()
	var relays []int
	for i, m := range msgs {
		if len(m) > 0 && (m[0] == 12 || m[0] == 13) && len(m) > 34 {
			relays = append(relays, i+1)
		}
	}
	file := ddWritePcap(t, dhcpv6Crafted())
	ddCompareNodes(t, []string{file}, map[ProtoID]string{ProtoDHCPv6: "dhcpv6"},
		ddAllow{file: "*", field: "#node", frames: relays, reason: "relayed messages are nested items in Wireshark's tree, in the relay's layer in wirelark"},
		ddAllow{file: "*", field: "#node", frames: []int{len(msgs)}, reason: "an empty datagram: Wireshark throws before adding the protocol item"})
}

// TestDHCPv6FieldDefinitions checks every registered dhcpv6 field against
// the type, base and bit mask Wireshark declares for it.
func TestDHCPv6FieldDefinitions(t *testing.T) {
	ddCheckFieldDefs(t, "dhcpv6")
}

// TestDHCPv6Values checks values read from the crafted messages without
// tshark: the fields scripts rely on, the Info text and the malformed
// verdict.
func TestDHCPv6Values(t *testing.T) {
	msgs := dhcpv6Messages()
	tests := []struct {
		msg               int
		field, want, info string
		bad               bool
	}{
		{0, "dhcpv6.xid", "0x1a2b3c", "Solicit XID: 0x1a2b3c CID: 000100012a2b2c2d001122334455 ", false},
		{0, "dhcpv6.duidllt.time", "Jun  2, 2022 08:07:09.000000000 UTC", "", false},
		{0, "dhcpv6.elapsed_time", "1500", "", false},
		{0, "dhcpv6.client_domain", "pc.example.com.", "", false},
		{1, "dhcpv6.iaaddr.ip", "2001:db8::100", "Advertise XID: 0x1a2b3c CID: 000100012a2b2c2d001122334455 IAA: 2001:db8::100 ", false},
		{1, "dhcpv6.iaprefix.pref_addr", "2001:db8:1200::", "", false},
		{1, "dhcpv6.iaprefix.pref_len", "56", "", false},
		{1, "dhcpv6.search_list_entry", "eng.example.com.,example.org.", "", false},
		{1, "dhcpv6.iaid", "0a0b0c0d,00000001", "", false},
		{3, "dhcpv6.status_msg", "All addresses assigned", "", false},
		{3, "dhcpv6.iaaddr.valid_lifetime", "4294967295", "", false},
		{4, "dhcpv6.duidll.link_layer_addr", "00:11:22:33:44:55", "", false},
		{11, "dhcpv6.status_code", "2,3,6", "", false},
		{12, "dhcpv6.msgtype", "12,1", "Relay-forw L: 2001:db8:1::1 Solicit XID: 0x1a2b3c CID: 000100012a2b2c2d001122334455 ", false},
		{12, "dhcpv6.option.type", "18,37,9,1,8,6,39,3,25,14,16,15", "", false},
		{14, "dhcpv6.hopcount", "1,0", "", false},
		{14, "dhcpv6.xid", "0x1a2b3c", "", false},
		// The IA's address runs past the IA: the elapsed time after
		// the IA is not shown, and nothing throws.
		{len(msgs) - 7, "dhcpv6.elapsed_time", "", "", false},
		{len(msgs) - 7, "dhcpv6.iaid", "00000001", "", false},
		// The odd option request list reads past the datagram.
		{len(msgs) - 6, "dhcpv6.requested_option_code", "23", "", true},
		{len(msgs) - 3, "dhcpv6.msgtype", "1", "Solicit ", true},
	}
	for _, tc := range tests {
		p := Decode(d6Frame(546, 547, msgs[tc.msg]), layers.LinkTypeEthernet)
		f := Fields.Field(tc.field)
		var parts []string
		for _, v := range f.Values(p, nil) {
			parts = append(parts, f.FormatValue(v))
		}
		if got := strings.Join(parts, ","); got != tc.want {
			t.Errorf("message %d %s = %q, want %q", tc.msg, tc.field, got, tc.want)
		}
		var l *Layer
		for i := range p.Layers {
			if p.Layers[i].Proto == ProtoDHCPv6 {
				l = &p.Layers[i]
			}
		}
		if l == nil {
			t.Errorf("message %d: no dhcpv6 layer", tc.msg)
			continue
		}
		if tc.info != "" {
			if got := dhcpv6Info(p, l); got != tc.info {
				t.Errorf("message %d Info = %q, want %q", tc.msg, got, tc.info)
			}
		}
		if bad := dhcpv6Malformed(p, l) != ""; bad != tc.bad || (p.Malformed == "dhcpv6") != tc.bad {
			t.Errorf("message %d: malformed %v (packet %q), want %v", tc.msg, bad, p.Malformed, tc.bad)
		}
	}
}

// TestDHCPv6Ports checks the port dispatch: either port, either way.
func TestDHCPv6Ports(t *testing.T) {
	msg := dhcpv6Messages()[0]
	for _, ports := range [][2]uint16{{546, 547}, {547, 546}, {547, 547}, {40000, 547}, {546, 40000}} {
		p := Decode(d6Frame(ports[0], ports[1], msg), layers.LinkTypeEthernet)
		p.Complete()
		if top := p.Layers[len(p.Layers)-1].Proto; top != ProtoDHCPv6 {
			t.Errorf("ports %v: top layer %v, want dhcpv6", ports, top)
		}
	}
}

// FuzzDHCPv6 decodes arbitrary bytes as a DHCPv6 message over UDP port
// 547 and reads every dhcpv6 field: no panic, no hang.
func FuzzDHCPv6(f *testing.F) {
	for _, m := range dhcpv6Messages() {
		f.Add(m)
	}
	// A deep relay chain.
	deep := d6Msg(1, 1)
	for i := 0; i < 200; i++ {
		deep = ddCat(make([]byte, 34), d6Opt(9, deep))
		deep[0] = 12
	}
	f.Add(deep)
	fields := ddRegistered("dhcpv6")
	f.Fuzz(func(t *testing.T, msg []byte) {
		if len(msg) > 65000 {
			return
		}
		p := Decode(d6Frame(546, 547, msg), layers.LinkTypeEthernet)
		ddReadAll(p, fields)
		for i := range p.Layers {
			if l := &p.Layers[i]; l.Proto == ProtoDHCPv6 {
				_ = dhcpv6Malformed(p, l)
			}
		}
		if m, err := ParseDHCPv6(msg); err == nil {
			_ = m.Innermost()
		}
	})
}

// TestDHCPv6CutAgainstTshark compares every field and the malformed
// verdict over each crafted message cut at every length and with one
// byte changed at every offset: the walk must stop, and read past an
// option, exactly where Wireshark's dissector does.
func TestDHCPv6CutAgainstTshark(t *testing.T) {
	if _, err := exec.LookPath("tshark"); err != nil {
		t.Skip("tshark is not installed: the DHCPv6 fields cannot be compared with Wireshark's")
	}
	if testing.Short() {
		t.Skip("thousands of frames through tshark")
	}
	var frames [][]byte
	for _, m := range dhcpv6Messages() {
		for n := 1; n < len(m); n++ {
			frames = append(frames, d6Frame(546, 547, m[:n]))
		}
		for i := range m {
			c := append([]byte(nil), m...)
			c[i] ^= 0x5a
			frames = append(frames, d6Frame(547, 546, c))
		}
	}
	file := ddWritePcap(t, frames)
	ddCompare(t, []string{file}, ddRegistered("dhcpv6"), []ProtoID{ProtoDHCPv6}, dhcpv6Allow)
}

func TestParseDHCPv6(t *testing.T) {
	msgs := dhcpv6Messages()
	deep := d6Msg(1, 7)
	for i := 0; i < dhcpv6MaxRelay+1; i++ {
		deep = d6Relay(12, 0, "::", "::", d6Opt(9, deep))
	}
	tests := []struct {
		name    string
		msg     []byte
		typ     uint8
		xid     uint32
		inner   uint8
		opts    int
		cut, ok bool
	}{
		{"solicit", msgs[0], 1, 0x1a2b3c, 1, 9, false, true},
		{"relay", msgs[12], 12, 0, 1, 3, false, true},
		{"two relays", msgs[14], 12, 0, 1, 1, false, true},
		{"cut option", msgs[len(msgs)-8], 1, 0x111111, 1, 1, true, true},
		{"short header", []byte{1, 2}, 0, 0, 0, 0, false, false},
		{"short relay", msgs[len(msgs)-2], 0, 0, 0, 0, false, false},
		{"too deep", deep, 0, 0, 0, 0, false, false},
	}
	for _, tc := range tests {
		m, err := ParseDHCPv6(tc.msg)
		if (err == nil) != tc.ok {
			t.Errorf("%s: error %v, want ok %v", tc.name, err, tc.ok)
			continue
		}
		if err != nil {
			continue
		}
		if m.Type != tc.typ || m.XID != tc.xid || m.Innermost().Type != tc.inner || len(m.Options) != tc.opts || m.Cut != tc.cut {
			t.Errorf("%s: type %d xid %#x inner %d options %d cut %v, want %d %#x %d %d %v", tc.name,
				m.Type, m.XID, m.Innermost().Type, len(m.Options), m.Cut, tc.typ, tc.xid, tc.inner, tc.opts, tc.cut)
		}
	}
}
