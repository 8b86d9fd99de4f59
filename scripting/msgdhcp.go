package scripting

import (
	"encoding/binary"
	"encoding/hex"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// DHCP messages (dhcp_msg): for DHCPv4 the BOOTP header (op, xid, secs,
// flags, ciaddr, yiaddr, siaddr, giaddr, chaddr), message_type by name,
// every option in options (typed where the registry has a typed field),
// and the options scripts ask for most by name. A DHCPv6 message
// (version 6) has the same kind: xid, message_type, client_id and
// server_id, its IA_NA addresses and IA_PD prefixes, its status and
// options; the BOOTP attributes are None.

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
	"version":        dhcpVersion,
	"op":             v4only(dhcpOne(fDHCPOp)),
	"xid":            byVersion(dhcpOne(fDHCPXid), dhcpv6XID),
	"ciaddr":         v4only(dhcpOne(fDHCPCiaddr)),
	"yiaddr":         v4only(dhcpOne(fDHCPYiaddr)),
	"siaddr":         v4only(dhcpOne(fDHCPSiaddr)),
	"giaddr":         v4only(dhcpOne(fDHCPGiaddr)),
	"chaddr":         v4only(dhcpChaddr),
	"message_type":   byVersion(dhcpMessageType, dhcpv6MessageType),
	"options":        byVersion(dhcpOptions, dhcpv6Options),
	"host_name":      v4only(dhcpOne(fDHCPHost)),
	"requested_addr": v4only(dhcpOne(fDHCPReqAddr)),
	"server_id":      byVersion(dhcpOne(fDHCPServID), dhcpv6DUIDOf(2)),
	"lease_time":     v4only(dhcpOne(fDHCPLease)),
	"client_id":      byVersion(dhcpClientID, dhcpv6DUIDOf(1)),
	"params":         v4only(func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value { return m.list(p, l, fDHCPParams) }),
	"addresses":      byVersion(none, dhcpv6Addresses),
	"prefixes":       byVersion(none, dhcpv6Prefixes),
	"status":         byVersion(none, dhcpv6Status),
	"relayed_type":   byVersion(none, dhcpv6RelayedType),
}, true))

// dhcpVersion is 4 for DHCP and BOOTP, 6 for DHCPv6.
func dhcpVersion(_ *Msg, _ *packet.Packet, l *packet.Layer) starlark.Value {
	if l.Proto == packet.ProtoDHCPv6 {
		return starlark.MakeInt(6)
	}
	return starlark.MakeInt(4)
}

// byVersion reads an attribute with v4 from a DHCP layer, with v6 from a
// DHCPv6 one.
func byVersion(v4, v6 msgAttr) msgAttr {
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
		if l.Proto == packet.ProtoDHCPv6 {
			return v6(m, p, l)
		}
		return v4(m, p, l)
	}
}

// v4only is an attribute DHCPv6 messages do not have: None for them.
func v4only(a msgAttr) msgAttr { return byVersion(a, none) }

func none(*Msg, *packet.Packet, *packet.Layer) starlark.Value { return starlark.None }

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

// DHCPv6 (RFC 8415). A relay message (RELAY-FORW, RELAY-REPL) describes
// the client's message it carries: xid, client_id, server_id, addresses,
// prefixes and status are the innermost message's, message_type is the
// relay's and relayed_type the carried message's; options are the
// relay's own.

// dhcpv6Types are the message types by the names of RFC 8415.
var dhcpv6Types = map[uint64]string{1: "SOLICIT", 2: "ADVERTISE", 3: "REQUEST", 4: "CONFIRM", 5: "RENEW",
	6: "REBIND", 7: "REPLY", 8: "RELEASE", 9: "DECLINE", 10: "RECONFIGURE", 11: "INFORMATION-REQUEST",
	12: "RELAY-FORW", 13: "RELAY-REPL", 14: "LEASEQUERY", 15: "LEASEQUERY-REPLY", 16: "LEASEQUERY-DONE",
	17: "LEASEQUERY-DATA", 18: "RECONFIGURE-REQUEST", 19: "RECONFIGURE-REPLY"}

// dhcpv6Statuses are the status codes by the names of RFC 8415.
var dhcpv6Statuses = map[uint64]string{0: "Success", 1: "UnspecFail", 2: "NoAddrAvail", 3: "NoBinding",
	4: "NotOnLink", 5: "UseMulticast", 6: "NoPrefixAvail", 7: "UnknownQueryType", 8: "MalformedQuery",
	9: "NotConfigured", 10: "NotAllowed", 11: "QueryTerminated", 12: "DataMissing", 13: "CatchUpComplete",
	14: "NotSupported", 15: "TLSConnectionRefused"}

// dhcpv6Msg parses the message once per Msg; nil when its header is cut.
func dhcpv6Msg(m *Msg, p *packet.Packet, l *packet.Layer) *packet.DHCPv6Message {
	if d, ok := m.app.(*packet.DHCPv6Message); ok {
		return d
	}
	d, err := packet.ParseDHCPv6(p.Data[l.Off:l.End])
	if err != nil {
		return nil
	}
	m.app = d
	return d
}

func dhcpv6Inner(m *Msg, p *packet.Packet, l *packet.Layer) *packet.DHCPv6Message {
	if d := dhcpv6Msg(m, p, l); d != nil {
		return d.Innermost()
	}
	return nil
}

func dhcpv6IsRelay(t uint8) bool { return t == 12 || t == 13 }

func dhcpv6XID(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	d := dhcpv6Inner(m, p, l)
	if d == nil || dhcpv6IsRelay(d.Type) {
		return starlark.None
	}
	return starlark.MakeUint64(uint64(d.XID))
}

func dhcpv6MessageType(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	d := dhcpv6Msg(m, p, l)
	if d == nil {
		return starlark.None
	}
	return starlark.String(nameOr(dhcpv6Types, uint64(d.Type), "TYPE%d"))
}

func dhcpv6RelayedType(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	d := dhcpv6Msg(m, p, l)
	if d == nil || d.Relayed == nil {
		return starlark.None
	}
	return starlark.String(nameOr(dhcpv6Types, uint64(d.Innermost().Type), "TYPE%d"))
}

// dhcpv6DUIDOf is the DUID of option code (1 client, 2 server) as text.
func dhcpv6DUIDOf(code uint16) msgAttr {
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
		d := dhcpv6Inner(m, p, l)
		if d == nil {
			return starlark.None
		}
		v, ok := d.Option(code)
		if !ok {
			return starlark.None
		}
		return starlark.String(dhcpv6DUIDText(v))
	}
}

// dhcpv6DUIDText shows a DUID as a MAC when it holds an Ethernet address
// (DUID-LLT, DUID-LL), else as hex.
func dhcpv6DUIDText(b []byte) string {
	if len(b) >= 4 {
		t, hw := binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:])
		switch {
		case t == 1 && (hw == 1 || hw == 6) && len(b) == 14:
			return colonHex(b[8:])
		case t == 3 && (hw == 1 || hw == 6) && len(b) == 10:
			return colonHex(b[4:])
		}
	}
	return hex.EncodeToString(b)
}

// dhcpv6Leases lists the IA_NA addresses (code 3, sub-option 5) or the
// IA_PD prefixes (code 25, sub-option 26) of the innermost message.
func dhcpv6Leases(m *Msg, p *packet.Packet, l *packet.Layer, prefixes bool) starlark.Value {
	d := dhcpv6Inner(m, p, l)
	out := starlark.NewList(nil)
	if d == nil {
		return out
	}
	for _, o := range d.Options {
		if prefixes && o.Code != 25 || !prefixes && o.Code != 3 || len(o.Value) < 12 {
			continue
		}
		for _, s := range dhcpv6SubOptions(o.Value[12:]) {
			if r := dhcpv6Lease(o.Value[:4], s, prefixes); r != nil {
				out.Append(r)
			}
		}
	}
	return out
}

func dhcpv6Addresses(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	return dhcpv6Leases(m, p, l, false)
}

func dhcpv6Prefixes(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	return dhcpv6Leases(m, p, l, true)
}

// dhcpv6SubOptions splits the options inside an option's value, up to
// the first that does not fit.
func dhcpv6SubOptions(b []byte) []packet.DHCPv6Option {
	var out []packet.DHCPv6Option
	for len(b) >= 4 {
		n := int(binary.BigEndian.Uint16(b[2:]))
		if len(b)-4 < n {
			break
		}
		out = append(out, packet.DHCPv6Option{Code: binary.BigEndian.Uint16(b), Value: b[4 : 4+n]})
		b = b[4+n:]
	}
	return out
}

// dhcpv6Status names the status of the innermost message: its own Status
// Code option, else the first inside one of its IAs, else None.
func dhcpv6Status(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	d := dhcpv6Inner(m, p, l)
	if d == nil {
		return starlark.None
	}
	if v, ok := d.Option(13); ok && len(v) >= 2 {
		return starlark.String(nameOr(dhcpv6Statuses, uint64(binary.BigEndian.Uint16(v)), "STATUS%d"))
	}
	for _, o := range d.Options {
		if (o.Code == 3 || o.Code == 25) && len(o.Value) >= 12 {
			for _, s := range dhcpv6SubOptions(o.Value[12:]) {
				if s.Code == 13 && len(s.Value) >= 2 {
					return starlark.String(nameOr(dhcpv6Statuses, uint64(binary.BigEndian.Uint16(s.Value)), "STATUS%d"))
				}
			}
		}
	}
	return starlark.None
}
