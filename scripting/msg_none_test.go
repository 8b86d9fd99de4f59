package scripting

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/scripting/output"
)

// frameList is a FrameSource over frames made in memory.
type frameList []source.Frame

func (f *frameList) Next(fr *source.Frame) error {
	if len(*f) == 0 {
		return io.EOF
	}
	*fr = (*f)[0]
	*f = (*f)[1:]
	return nil
}

// craft builds an Ethernet frame carrying payload over IPv4 or IPv6 (ip
// is 4 or 6; 0 for ARP, whose payload follows Ethernet) with the given
// IP protocol, and UDP ports when sport is set.
func craft(t *testing.T, ip int, proto layers.IPProtocol, sport, dport uint16, payload []byte) source.Frame {
	t.Helper()
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}}
	var ls []gopacket.SerializableLayer
	switch ip {
	case 0:
		eth.EthernetType = layers.EthernetTypeARP
		ls = append(ls, eth)
	case 4:
		eth.EthernetType = layers.EthernetTypeIPv4
		ls = append(ls, eth, &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}})
	case 6:
		eth.EthernetType = layers.EthernetTypeIPv6
		ls = append(ls, eth, &layers.IPv6{Version: 6, HopLimit: 255, NextHeader: proto, SrcIP: net.ParseIP("fe80::1"), DstIP: net.ParseIP("ff02::1")})
	}
	if sport != 0 {
		udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
		ls = append(ls, udp)
	}
	ls = append(ls, gopacket.Payload(payload))
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, ls...); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	return source.Frame{Time: 1_700_000_000e9, Len: len(data), Data: data, LinkType: layers.LinkTypeEthernet}
}

// runFrames runs a script over frames made in memory.
func runFrames(t *testing.T, src string, frames []source.Frame) (string, error) {
	t.Helper()
	ref, err := FileRef(writeScript(t, "x.star", src))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	cfg := Config{Sink: output.NewStream(w, output.Text), Stdout: w, MaxSteps: DefaultMaxSteps}
	s, err := Load(ref, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fl := frameList(frames)
	err = s.Run(&fl)
	cfg.Sink.Close()
	w.Flush()
	return out.String(), err
}

// touchAll reads every attribute of every message, the records inside
// them, and fields(); it prints one line per message.
const touchAll = `
MSGS = ("record", "arp_msg", "icmp_msg", "igmp_msg", "dns_msg", "dhcp_msg")

def touch(msg):
    # Starlark has no recursion: walk the values with a work list.
    todo = [msg]
    for _ in range(100000):
        if not todo:
            break
        v = todo.pop()
        if type(v) in MSGS:
            todo.extend([getattr(v, a) for a in dir(v) if a not in ("pkt", "fields", "all")])
        elif type(v) == "list":
            todo.extend(v)
        elif type(v) == "dict":
            todo.extend(v.values())

def check(msg):
    touch(msg)
    f = msg.fields()
    print(type(msg), msg.pkt.num, len(f) > 0)

def on_arp(msg): check(msg)
def on_icmp(msg): check(msg)
def on_igmp(msg): check(msg)
def on_dns(msg): check(msg)
def on_dhcp(msg): check(msg)
`

// TestMessagesLackingData: messages cut short or without their optional
// parts reach their handlers, and every attribute reads as None, an empty
// list or a partial value, never an error.
func TestMessagesLackingData(t *testing.T) {
	icmp6, udp := layers.IPProtocolICMPv6, layers.IPProtocolUDP
	cases := []struct {
		name  string
		frame source.Frame
		want  string // the line the handler prints
	}{
		{"arp cut after the opcode", craft(t, 0, 0, 0, 0, []byte{0, 1, 8, 0, 6, 4, 0, 1}), "arp_msg 1 True"},
		{"arp with odd address sizes", craft(t, 0, 0, 0, 0, []byte{0, 6, 8, 0, 2, 2, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8}), "arp_msg 1 True"},
		{"icmp header only", craft(t, 4, layers.IPProtocolICMPv4, 0, 0, []byte{3, 3}), "icmp_msg 1 True"},
		{"icmp error quoting nothing", craft(t, 4, layers.IPProtocolICMPv4, 0, 0, []byte{11, 0, 0, 0, 0, 0, 0, 0}), "icmp_msg 1 True"},
		{"icmp error quoting half a header", craft(t, 4, layers.IPProtocolICMPv4, 0, 0, []byte{3, 1, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 40, 0, 0}), "icmp_msg 1 True"},
		{"icmpv6 RA without options", craft(t, 6, icmp6, 0, 0, []byte{134, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), "icmp_msg 1 True"},
		{"icmpv6 NA cut in the target", craft(t, 6, icmp6, 0, 0, []byte{136, 0, 0, 0, 0x60, 0, 0, 0, 0xfe, 0x80}), "icmp_msg 1 True"},
		{"icmpv6 NS with a zero-length option", craft(t, 6, icmp6, 0, 0, append(append([]byte{135, 0, 0, 0, 0, 0, 0, 0}, make([]byte, 16)...), 1, 0)), "icmp_msg 1 True"},
		{"mldv2 report cut in a record", craft(t, 6, icmp6, 0, 0, []byte{143, 0, 0, 0, 0, 0, 0, 2, 4, 0, 0, 3}), "icmp_msg 1 True"},
		{"igmp one byte", craft(t, 4, layers.IPProtocolIGMP, 0, 0, []byte{0x22}), "igmp_msg 1 True"},
		{"igmpv3 report cut in a record", craft(t, 4, layers.IPProtocolIGMP, 0, 0, []byte{0x22, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 5, 239, 1}), "igmp_msg 1 True"},
		{"dns header only, counts promising records", craft(t, 4, udp, 5353, 53, []byte{0, 1, 0x81, 0x80, 0, 1, 0, 2, 0, 1, 0, 1}), "dns_msg 1 True"},
		{"dns four bytes", craft(t, 4, udp, 5353, 53, []byte{0, 1, 0x81, 0x80}), "dns_msg 1 True"},
		{"dns record cut in its data", craft(t, 4, udp, 5353, 53, []byte{0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 10}), "dns_msg 1 True"},
		{"bootp without options", craft(t, 4, udp, 68, 67, append([]byte{1, 1, 6, 0, 1, 2, 3, 4}, make([]byte, 228)...)), "dhcp_msg 1 True"},
		{"dhcp cut in the header", craft(t, 4, udp, 68, 67, []byte{1, 1, 6, 0, 1, 2, 3, 4, 0, 0}), "dhcp_msg 1 True"},
		{"dhcp option running past the end", craft(t, 4, udp, 68, 67, append(append([]byte{2, 1, 6, 0, 1, 2, 3, 4}, make([]byte, 228)...), 99, 130, 83, 99, 53, 1, 5, 51, 4, 0)), "dhcp_msg 1 True"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runFrames(t, touchAll, []source.Frame{tc.frame})
			if err != nil {
				t.Fatalf("handler failed: %v", err)
			}
			if strings.TrimSpace(out) != tc.want {
				t.Errorf("output %q, want %q", out, tc.want)
			}
		})
	}
}

// What a message lacking data reads as: None for values, [] for lists.
func TestMessageAbsentValues(t *testing.T) {
	udp := layers.IPProtocolUDP
	tests := []struct {
		name, handler string
		frame         source.Frame
		exprs         string // printed, one repr per line
		want          []string
	}{
		{"dns header only", "on_dns", craft(t, 4, udp, 5353, 53, []byte{0, 7, 0x81, 0x83, 0, 1, 0, 2, 0, 1, 0, 1}),
			"msg.id, msg.is_response, msg.rcode_name, msg.questions, msg.answers, msg.additional, msg.qry.name",
			[]string{"7", "True", `"NXDOMAIN"`, "[]", "[]", "[]", "None"}},
		{"dns four bytes", "on_dns", craft(t, 4, udp, 5353, 53, []byte{0, 7, 0x01, 0x00}),
			"msg.is_response, msg.opcode, msg.questions",
			[]string{"False", "0", "[]"}},
		{"bootp without options", "on_dhcp", craft(t, 4, udp, 68, 67, append([]byte{1, 1, 6, 0, 1, 2, 3, 4}, make([]byte, 228)...)),
			"msg.message_type, msg.options, msg.host_name, msg.params, msg.client_id, msg.xid, msg.lease_time",
			[]string{"None", "{}", "None", "[]", "None", "16909060", "None"}},
		{"dhcp cut in the header", "on_dhcp", craft(t, 4, udp, 68, 67, []byte{1, 1, 6, 0, 1, 2, 3, 4, 0, 0}),
			"msg.op, msg.xid, msg.yiaddr, msg.chaddr, msg.message_type, msg.options",
			// Wireshark reads the client address first and gives up: no field at all.
			[]string{"None", "None", "None", "None", "None", "{}"}},
		{"icmp header without a quote", "on_icmp", craft(t, 4, layers.IPProtocolICMPv4, 0, 0, []byte{3, 3, 0, 0, 0, 0}),
			"msg.type_name, msg.code_name, msg.inner, msg.id, msg.mtu, msg.prefixes, msg.flags",
			[]string{`"dest-unreach"`, `"port-unreach"`, "None", "None", "None", "[]", "None"}},
		{"igmp one byte", "on_igmp", craft(t, 4, layers.IPProtocolIGMP, 0, 0, []byte{0x22}),
			"msg.type, msg.group, msg.records, msg.sources",
			[]string{"34", "None", "[]", "[]"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := "def " + tc.handler + "(msg):\n    for v in [" + tc.exprs + "]:\n        print(repr(v))\n"
			out, err := runFrames(t, src, []source.Frame{tc.frame})
			if err != nil {
				t.Fatal(err)
			}
			got := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("%s:\ngot  %q\nwant %q", tc.exprs, got, tc.want)
			}
		})
	}
}
