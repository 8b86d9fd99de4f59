package scripting

import (
	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// The IP header and transport that carry a message, and the datagram an
// ICMP error quotes, read through the registry like everything else.

var (
	fIPSrc     = field("ip.src")
	fIPDst     = field("ip.dst")
	fIPTTL     = field("ip.ttl")
	fIPProto   = field("ip.proto")
	fIPv6Src   = field("ipv6.src")
	fIPv6Dst   = field("ipv6.dst")
	fIPv6Hlim  = field("ipv6.hlim")
	fIPv6Nxt   = field("ipv6.nxt")
	fUDPSport  = field("udp.srcport")
	fUDPDport  = field("udp.dstport")
	fTCPSport  = field("tcp.srcport")
	fTCPDport  = field("tcp.dstport")
	fICMPIdent = field("icmp.ident")
	fICMPSeq   = field("icmp.seq")
	fICMP6ID   = field("icmpv6.echo.identifier")
	fICMP6Seq  = field("icmpv6.echo.sequence_number")
)

// carrier returns the index of the last layer before the message's of one
// of the protocols in ids, outside any quoted datagram, or -1.
func carrier(p *packet.Packet, idx int, ids ...packet.ProtoID) int {
	for i := idx - 1; i >= 0; i-- {
		l := &p.Layers[i]
		if l.Quoted {
			continue
		}
		for _, id := range ids {
			if l.Proto == id {
				return i
			}
		}
	}
	return -1
}

// ipAttr reads a field of the IP header carrying the message: the v4
// field for IPv4, the v6 one for IPv6.
func ipAttr(f4, f6 *packet.Field) msgAttr {
	return func(m *Msg, p *packet.Packet, _ *packet.Layer) starlark.Value {
		i := carrier(p, m.layer.idx, packet.ProtoIP, packet.ProtoIPv6)
		if i < 0 {
			return starlark.None
		}
		f := f4
		if p.Layers[i].Proto == packet.ProtoIPv6 {
			f = f6
		}
		return m.one(p, &p.Layers[i], f)
	}
}

// portAttr reads a port of the UDP or TCP header carrying the message.
func portAttr(udp, tcp *packet.Field) msgAttr {
	return func(m *Msg, p *packet.Packet, _ *packet.Layer) starlark.Value {
		i := carrier(p, m.layer.idx, packet.ProtoUDP, packet.ProtoTCP)
		if i < 0 {
			return starlark.None
		}
		f := udp
		if p.Layers[i].Proto == packet.ProtoTCP {
			f = tcp
		}
		return m.one(p, &p.Layers[i], f)
	}
}

// addIPAttrs adds src, dst and ttl (the carrying IP header's addresses
// and TTL or hop limit) to a kind's attributes, and sport and dport when
// the message rides UDP or TCP.
func addIPAttrs(attrs map[string]msgAttr, ports bool) map[string]msgAttr {
	attrs["src"] = ipAttr(fIPSrc, fIPv6Src)
	attrs["dst"] = ipAttr(fIPDst, fIPv6Dst)
	attrs["ttl"] = ipAttr(fIPTTL, fIPv6Hlim)
	if ports {
		attrs["sport"] = portAttr(fUDPSport, fTCPSport)
		attrs["dport"] = portAttr(fUDPDport, fTCPDport)
	}
	return attrs
}

// inner describes the datagram an ICMP error (or an ICMPv6 redirect)
// quotes: record(version, src, dst, proto, ttl, sport, dport, id, seq),
// the ports of a quoted UDP or TCP header and the id and sequence number
// of a quoted echo request; None when nothing is quoted.
func inner(m *Msg, p *packet.Packet, _ *packet.Layer) starlark.Value {
	ipi := -1
	for i := m.layer.idx + 1; i < len(p.Layers); i++ {
		if l := &p.Layers[i]; l.Quoted && (l.Proto == packet.ProtoIP || l.Proto == packet.ProtoIPv6) {
			ipi = i
			break
		}
	}
	if ipi < 0 {
		return starlark.None
	}
	ipl := &p.Layers[ipi]
	version := 4
	src, dst, ttl, proto := fIPSrc, fIPDst, fIPTTL, fIPProto
	if ipl.Proto == packet.ProtoIPv6 {
		version = 6
		src, dst, ttl, proto = fIPv6Src, fIPv6Dst, fIPv6Hlim, fIPv6Nxt
	}
	var sport, dport, id, seq starlark.Value = starlark.None, starlark.None, starlark.None, starlark.None
	protoV := m.one(p, ipl, proto)
	// The transport is the first quoted header after the IP header (IPv6
	// extension headers may come between).
	for i := ipi + 1; i < len(p.Layers); i++ {
		l := &p.Layers[i]
		if !l.Quoted {
			break
		}
		var num int
		switch l.Proto {
		case packet.ProtoUDP:
			num, sport, dport = 17, m.one(p, l, fUDPSport), m.one(p, l, fUDPDport)
		case packet.ProtoTCP:
			num, sport, dport = 6, m.one(p, l, fTCPSport), m.one(p, l, fTCPDport)
		case packet.ProtoICMP:
			num, id, seq = 1, m.one(p, l, fICMPIdent), m.one(p, l, fICMPSeq)
		case packet.ProtoICMPv6:
			num, id, seq = 58, m.one(p, l, fICMP6ID), m.one(p, l, fICMP6Seq)
		default:
			continue
		}
		protoV = starlark.MakeInt(num)
		break
	}
	return newRecord(
		"version", starlark.MakeInt(version),
		"src", m.one(p, ipl, src),
		"dst", m.one(p, ipl, dst),
		"proto", protoV,
		"ttl", m.one(p, ipl, ttl),
		"sport", sport,
		"dport", dport,
		"id", id,
		"seq", seq)
}
