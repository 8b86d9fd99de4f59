package scripting

import (
	"encoding/binary"
	"net"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/internal/pcaptest"
)

// DHCPv6 messages for on_dhcp, serialized with gopacket's DHCPv6 layer.

func v6opt(code layers.DHCPv6Opt, parts ...[]byte) layers.DHCPv6Option {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return layers.NewDHCPv6Option(code, b)
}

func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }
func be32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// rawOpt encodes an option as it sits inside another option.
func rawOpt(code uint16, parts ...[]byte) []byte {
	var v []byte
	for _, p := range parts {
		v = append(v, p...)
	}
	return append(append(be16(code), be16(uint16(len(v)))...), v...)
}

func v6msg(t layers.DHCPv6MsgType, xid uint32, opts ...layers.DHCPv6Option) *layers.DHCPv6 {
	return &layers.DHCPv6{MsgType: t, TransactionID: be32(xid)[1:], Options: opts}
}

func v6bytes(tb testing.TB, d *layers.DHCPv6) []byte {
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, d); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// writeDHCPv6Capture writes the messages, one frame each over
// Ethernet/IPv6/UDP 546 -> 547, to a pcap in a temporary directory.
func writeDHCPv6Capture(tb testing.TB, msgs []*layers.DHCPv6) string {
	name := filepath.Join(tb.TempDir(), "dhcpv6.pcap")
	var frames []pcaptest.Frame
	mac := net.HardwareAddr{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}
	for i, m := range msgs {
		eth := &layers.Ethernet{SrcMAC: mac, DstMAC: net.HardwareAddr{0x33, 0x33, 0, 1, 0, 2}, EthernetType: layers.EthernetTypeIPv6}
		ip := &layers.IPv6{Version: 6, HopLimit: 1, NextHeader: layers.IPProtocolUDP,
			SrcIP: net.ParseIP("fe80::211:22ff:fe33:4455"), DstIP: net.ParseIP("ff02::1:2")}
		udp := &layers.UDP{SrcPort: 546, DstPort: 547}
		if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
			tb.Fatal(err)
		}
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ip, udp, gopacket.Payload(v6bytes(tb, m))); err != nil {
			tb.Fatal(err)
		}
		frames = append(frames, pcaptest.Frame{Time: (1700000000 + int64(i)) * 1e9, Data: buf.Bytes()})
	}
	pcaptest.Write(tb, name, layers.LinkTypeEthernet, frames)
	return name
}

func dhcpv6TestMessages(tb testing.TB) []*layers.DHCPv6 {
	mac := []byte{0x00, 0x11, 0x22, 0x33, 0x44, 0x55}
	llt := v6opt(layers.DHCPv6OptClientID, be16(1), be16(1), be32(0x2a2b2c2d), mac)
	server := v6opt(layers.DHCPv6OptServerID, be16(2), be32(311), []byte{0xde, 0xad, 0xbe, 0xef})
	iana := func(addr string, pref, valid uint32) layers.DHCPv6Option {
		return v6opt(layers.DHCPv6OptIANA, be32(10), be32(3600), be32(5400),
			rawOpt(5, net.ParseIP(addr).To16(), be32(pref), be32(valid)))
	}
	iapd := v6opt(layers.DHCPv6OptIAPD, be32(1), be32(1800), be32(2880),
		rawOpt(26, be32(4000), be32(8000), []byte{56}, net.ParseIP("2001:db8:1200::").To16()))
	solicit := v6msg(layers.DHCPv6MsgTypeSolicit, 0x1a2b3c, llt, v6opt(layers.DHCPv6OptElapsedTime, be16(150)),
		v6opt(layers.DHCPv6OptOro, be16(23), be16(24)), v6opt(layers.DHCPv6OptIANA, be32(10), be32(0), be32(0)),
		v6opt(layers.DHCPv6OptRapidCommit))
	advertise := v6msg(layers.DHCPv6MsgTypeAdvertise, 0x1a2b3c, llt, server, iana("2001:db8::100", 3600, 7200), iapd,
		v6opt(layers.DHCPv6OptDNSServers, net.ParseIP("2001:db8::53").To16()),
		v6opt(layers.DHCPv6OptDomainList, []byte{7}, []byte("example"), []byte{3}, []byte("com"), []byte{0}),
		v6opt(layers.DHCPv6OptPreference, []byte{255}))
	noaddr := v6msg(layers.DHCPv6MsgTypeReply, 0x445566, llt, server,
		v6opt(layers.DHCPv6OptStatusCode, be16(2), []byte("no addresses")))
	relay := &layers.DHCPv6{MsgType: layers.DHCPv6MsgTypeRelayForward, HopCount: 0,
		LinkAddr: net.ParseIP("2001:db8:1::1"), PeerAddr: net.ParseIP("fe80::211:22ff:fe33:4455"),
		Options: layers.DHCPv6Options{v6opt(layers.DHCPv6OptInterfaceID, []byte("eth0")),
			v6opt(layers.DHCPv6OptRelayMessage, v6bytes(tb, advertise))}}
	ll := v6opt(layers.DHCPv6OptClientID, be16(3), be16(1), mac)
	release := v6msg(layers.DHCPv6MsgTypeRelease, 0x0a0b0c, ll, server,
		v6opt(layers.DHCPv6OptIANA, be32(10), be32(0), be32(0), rawOpt(5, net.ParseIP("2001:db8::100").To16(), be32(0), be32(0)),
			rawOpt(13, be16(3), []byte("gone"))))
	return []*layers.DHCPv6{solicit, advertise, noaddr, relay, release}
}

// TestDHCPv6Messages runs on_dhcp over a capture of DHCPv6 messages built
// here: each value expected is the one put in the message above.
func TestDHCPv6Messages(t *testing.T) {
	file := writeDHCPv6Capture(t, dhcpv6TestMessages(t))
	cases := []struct {
		frame int
		want  []evalCase
	}{
		{1, []evalCase{
			{"type(msg)", `"dhcp_msg"`},
			{"msg.version", "6"},
			{"msg.message_type", `"SOLICIT"`},
			{"msg.xid == 0x1a2b3c", "True"},
			{"msg.client_id", `"00:11:22:33:44:55"`},
			{"msg.server_id", "None"},
			{"msg.addresses", "[]"},
			{"msg.prefixes", "[]"},
			{"msg.status", "None"},
			{"msg.options[6]", "[23, 24]"},
			{"msg.options[8]", "150"},
			{"msg.options[14]", "True"},
			{"msg.options[3]", "record(iaid = 10, t1 = 0, t2 = 0, addresses = [])"},
			{"(msg.op, msg.chaddr, msg.yiaddr, msg.host_name, msg.lease_time, msg.params, msg.relayed_type)", "(None, None, None, None, None, None, None)"},
			{"(msg.src, msg.dst, msg.sport, msg.dport)", `("fe80::211:22ff:fe33:4455", "ff02::1:2", 546, 547)`},
			{"msg.msgtype", "1"},
			{"msg.secs", "None"}, // a DHCPv4 field: absent, not an error
			{"msg[\"flags.bc\"]", "None"},
		}},
		{2, []evalCase{
			{"msg.message_type", `"ADVERTISE"`},
			{"msg.server_id", `"000200000137deadbeef"`},
			{"msg.addresses", `[record(iaid = 10, addr = "2001:db8::100", preferred = 3600, valid = 7200)]`},
			{"msg.prefixes", `[record(iaid = 1, prefix = "2001:db8:1200::/56", preferred = 4000, valid = 8000)]`},
			{"msg.options[23]", `["2001:db8::53"]`},
			{"msg.options[24]", `["example.com"]`},
			{"msg.options[7]", "255"},
		}},
		{3, []evalCase{
			{"msg.message_type", `"REPLY"`},
			{"msg.status", `"NoAddrAvail"`},
			{"msg.options[13]", `record(code = 2, name = "NoAddrAvail", message = "no addresses")`},
			{"msg.xid == 0x445566", "True"},
		}},
		{4, []evalCase{
			{"msg.message_type", `"RELAY-FORW"`},
			{"msg.relayed_type", `"ADVERTISE"`},
			{"msg.xid == 0x1a2b3c", "True"},
			{"msg.client_id", `"00:11:22:33:44:55"`},
			{"[a.addr for a in msg.addresses]", `["2001:db8::100"]`},
			{"msg.options[18]", `b"eth0"`},
			{"msg.all(\"msgtype\")", "[12, 2]"},
			{"msg.peeraddr", `"fe80::211:22ff:fe33:4455"`},
		}},
		{5, []evalCase{
			{"msg.message_type", `"RELEASE"`},
			{"msg.client_id", `"00:11:22:33:44:55"`},
			{"msg.status", `"NoBinding"`},
			{"msg.addresses[0].valid", "0"},
		}},
	}
	for _, c := range cases {
		exprs := make([]string, len(c.want))
		for i, w := range c.want {
			exprs[i] = w.expr
		}
		got := evalMsg(t, file, "on_dhcp", c.frame, exprs)
		if len(got) != len(c.want) {
			t.Fatalf("frame %d: got %d lines for %d expressions: %q", c.frame, len(got), len(c.want), got)
		}
		for i, w := range c.want {
			if got[i] != w.want {
				t.Errorf("frame %d: %s = %s, want %s", c.frame, w.expr, got[i], w.want)
			}
		}
	}
}
