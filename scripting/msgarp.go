package scripting

import (
	"fmt"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// ARP messages (arp_msg): op, sender_mac, sender_ip, target_mac,
// target_ip, besides the arp.* registry fields.

var (
	fARPOpcode = field("arp.opcode")
	fARPGrat   = field("arp.isgratuitous")
	fARPSrcMAC = field("arp.src.hw_mac")
	fARPSrcHW  = field("arp.src.hw")
	fARPSrcIP  = field("arp.src.proto_ipv4")
	fARPDstMAC = field("arp.dst.hw_mac")
	fARPDstHW  = field("arp.dst.hw")
	fARPDstIP  = field("arp.dst.proto_ipv4")
)

// arpOpNames name the opcodes other than request and reply.
var arpOpNames = map[uint64]string{3: "rarp-request", 4: "rarp-reply", 8: "inarp-request", 9: "inarp-reply"}

var arpKind = newKind("arp_msg", "on_arp", map[string]msgAttr{
	"op":         arpOp,
	"sender_mac": hwAddr(fARPSrcMAC, fARPSrcHW),
	"sender_ip":  func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value { return m.one(p, l, fARPSrcIP) },
	"target_mac": hwAddr(fARPDstMAC, fARPDstHW),
	"target_ip":  func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value { return m.one(p, l, fARPDstIP) },
})

// arpOp names what the message does: "probe" (a request from 0.0.0.0,
// RFC 5227), "gratuitous" (sender and target IP the same, request or
// reply form), "request", "reply", or the opcode's name.
func arpOp(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	op, ok := m.uintOf(p, l, fARPOpcode)
	if !ok {
		return starlark.None
	}
	if ip, _ := m.one(p, l, fARPSrcIP).(starlark.String); op == 1 && ip == "0.0.0.0" {
		return starlark.String("probe")
	}
	if g, _ := m.uintOf(p, l, fARPGrat); g != 0 {
		return starlark.String("gratuitous")
	}
	switch op {
	case 1:
		return starlark.String("request")
	case 2:
		return starlark.String("reply")
	}
	if s, ok := arpOpNames[op]; ok {
		return starlark.String(s)
	}
	return starlark.String(fmt.Sprintf("op %d", op))
}

// hwAddr reads a hardware address: the MAC of an Ethernet address field,
// else the raw address bytes as colon-separated hex.
func hwAddr(mac, raw *packet.Field) msgAttr {
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
		if v := m.one(p, l, mac); v != starlark.None {
			return v
		}
		vs := m.values(p, l, raw)
		if len(vs) == 0 {
			return starlark.None
		}
		return starlark.String(colonHex(vs[0].B))
	}
}

// colonHex writes bytes as aa:bb:cc.
func colonHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 3*len(b))
	for i, c := range b {
		if i > 0 {
			out = append(out, ':')
		}
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
