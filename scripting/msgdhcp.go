package scripting

import (
	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// DHCP messages (dhcp_msg): the BOOTP header (op, xid, secs, flags,
// ciaddr, yiaddr, siaddr, giaddr, chaddr), message_type by name, every
// option in options (typed where the registry has a typed field), and the
// options scripts ask for most by name. DHCPv6 is not decoded by the
// engine yet, so every DHCP message is version 4.

var (
	fDHCPOp      = field("dhcp.type")
	fDHCPHwType  = field("dhcp.hw.type")
	fDHCPHwLen   = field("dhcp.hw.len")
	fDHCPXid     = field("dhcp.id")
	fDHCPCiaddr  = field("dhcp.ip.client")
	fDHCPYiaddr  = field("dhcp.ip.your")
	fDHCPSiaddr  = field("dhcp.ip.server")
	fDHCPGiaddr  = field("dhcp.ip.relay")
	fDHCPMAC     = field("dhcp.hw.mac_addr")
	fDHCPHwAddr  = field("dhcp.hw.addr")
	fDHCPOptType = field("dhcp.option.type")
	fDHCPOptVal  = field("dhcp.option.value")
	fDHCPMsgType = field("dhcp.option.dhcp")
	fDHCPParams  = field("dhcp.option.request_list_item")
	fDHCPHost    = field("dhcp.option.hostname")
	fDHCPReqAddr = field("dhcp.option.requested_ip_address")
	fDHCPServID  = field("dhcp.option.dhcp_server_id")
	fDHCPLease   = field("dhcp.option.ip_address_lease_time")
)

var dhcpKind = newKind("dhcp_msg", "on_dhcp", addIPAttrs(map[string]msgAttr{
	"version":        func(*Msg, *packet.Packet, *packet.Layer) starlark.Value { return starlark.MakeInt(4) },
	"op":             dhcpOne(fDHCPOp),
	"xid":            dhcpOne(fDHCPXid),
	"ciaddr":         dhcpOne(fDHCPCiaddr),
	"yiaddr":         dhcpOne(fDHCPYiaddr),
	"siaddr":         dhcpOne(fDHCPSiaddr),
	"giaddr":         dhcpOne(fDHCPGiaddr),
	"chaddr":         dhcpChaddr,
	"message_type":   dhcpMessageType,
	"options":        dhcpOptions,
	"host_name":      dhcpOne(fDHCPHost),
	"requested_addr": dhcpOne(fDHCPReqAddr),
	"server_id":      dhcpOne(fDHCPServID),
	"lease_time":     dhcpOne(fDHCPLease),
	"client_id":      dhcpClientID,
	"params":         func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value { return m.list(p, l, fDHCPParams) },
}, true))

func dhcpOne(f *packet.Field) msgAttr {
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value { return m.one(p, l, f) }
}

// dhcpChaddr is the client hardware address of the header: a MAC for
// Ethernet, else the hlen bytes as colon-separated hex. (Option 61 may
// carry a MAC too; the header's comes first.)
func dhcpChaddr(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	ht, _ := m.uintOf(p, l, fDHCPHwType)
	hl, _ := m.uintOf(p, l, fDHCPHwLen)
	if (ht == 1 || ht == 6) && hl == 6 {
		return m.one(p, l, fDHCPMAC)
	}
	vs := m.values(p, l, fDHCPHwAddr)
	if len(vs) == 0 {
		return starlark.None
	}
	b := vs[0].B
	if int(hl) < len(b) {
		b = b[:hl]
	}
	return starlark.String(colonHex(b))
}

// dhcpMessageType names option 53: "DISCOVER", "ACK", ...; None for a
// plain BOOTP message.
func dhcpMessageType(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	t, ok := m.uintOf(p, l, fDHCPMsgType)
	if !ok {
		return starlark.None
	}
	return starlark.String(nameOr(dhcpTypes, t, "TYPE%d"))
}

// dhcpRawOptions returns each option's code and value bytes, in message
// order (Pad and End left out: the registry gives them code 0).
func dhcpRawOptions(m *Msg, p *packet.Packet, l *packet.Layer) (codes []uint64, vals [][]byte) {
	types, values := m.own(p, l, fDHCPOptType), m.own(p, l, fDHCPOptVal)
	for _, t := range types {
		if t.U == 0 {
			continue
		}
		if len(vals) == len(values) {
			break // the walk stopped inside this option
		}
		codes = append(codes, t.U)
		vals = append(vals, values[len(vals)].B)
	}
	return codes, vals
}

// dhcpClientID is option 61: the MAC for a hardware type 1 identifier,
// else the identifier's bytes as colon-separated hex; None without one.
func dhcpClientID(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	codes, vals := dhcpRawOptions(m, p, l)
	for i, c := range codes {
		if c != 61 {
			continue
		}
		if b := vals[i]; len(b) == 7 && b[0] == 1 {
			return starlark.String(colonHex(b[1:]))
		}
		return starlark.String(colonHex(vals[i]))
	}
	return starlark.None
}

// dhcpOptions is a dict option code -> value: the typed value where the
// registry has a typed field for the option (a list for options that
// hold several values), the raw bytes otherwise.
func dhcpOptions(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	codes, vals := dhcpRawOptions(m, p, l)
	d := starlark.NewDict(len(codes))
	for i, c := range codes {
		key := starlark.MakeUint64(c)
		if _, found, _ := d.Get(key); found {
			continue // a repeated option: its typed fields hold every occurrence already
		}
		v := dhcpTypedOption(m, p, l, c)
		if v == nil {
			v = starlark.Bytes(vals[i])
		}
		d.SetKey(key, v)
	}
	return d
}

// dhcpTypedOption reads option code through the registry, or returns nil
// when the registry has no typed field for it (or the value did not fit
// its type, which the registry then does not show).
func dhcpTypedOption(m *Msg, p *packet.Packet, l *packet.Layer, code uint64) starlark.Value {
	o, ok := dhcpOptionFields[code]
	if !ok {
		return nil
	}
	if o.sub != nil {
		return o.sub(m, p, l)
	}
	vs := m.values(p, l, o.f)
	switch {
	case o.list:
		return allOf(o.f, vs)
	case len(vs) == 0:
		return nil
	}
	return toStarlark(o.f, vs[0])
}
