package scripting

import (
	"encoding/binary"
	"net/netip"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// dhcpOpt says how msg.options reads one option: the registry field that
// holds its value (every occurrence as a list when list is set), or a
// function for options made of several fields.
type dhcpOpt struct {
	f    *packet.Field
	list bool
	sub  msgAttr
}

func one(name string) dhcpOpt  { return dhcpOpt{f: field("dhcp.option." + name)} }
func many(name string) dhcpOpt { return dhcpOpt{f: field("dhcp.option." + name), list: true} }

// dhcpOptionFields are the options the registry gives a typed value,
// after Wireshark's DHCP dissector: the options of basic types (an
// address, a list of addresses, a number, a string, a flag) and those
// with a layout of their own that scripts use (53, 55, 60, 61's parts,
// 77, 81, 82, 119).
var dhcpOptionFields = map[uint64]dhcpOpt{
	1: one("subnet_mask"), 2: one("time_offset"), 3: many("router"), 4: many("time_server"),
	5: many("name_server"), 6: many("domain_name_server"), 7: many("log_server"), 8: many("quotes_server"),
	9: many("lpr_server"), 10: many("impress_server"), 11: many("resource_location_server"),
	12: one("hostname"), 13: one("boot_file_size"), 14: one("merit_dump_file"), 15: one("domain_name"),
	16: one("swap_server"), 17: one("root_path"), 18: one("extension_path"), 19: one("ip_forwarding"),
	20: one("non_local_source_routing"), 21: {sub: dhcpPairs("policy_filter.ip", "policy_filter.subnet_mask", "address", "mask")},
	22: one("max_datagram_reassembly_size"), 23: one("default_ip_ttl"), 24: one("path_mtu_aging_timeout"),
	25: many("path_mtu_plateau_table_item"), 26: one("interface_mtu"), 27: one("all_subnets_are_local"),
	28: one("broadcast_address"), 29: one("perform_mask_discovery"), 30: one("mask_supplier"),
	31: one("perform_router_discover"), 32: one("router_solicitation_address"),
	33: {sub: dhcpPairs("static_route.ip", "static_route.router", "destination", "router")},
	34: one("trailer_encapsulation"), 35: one("arp_cache_timeout"), 36: one("ethernet_encapsulation"),
	37: one("tcp_default_ttl"), 38: one("tcp_keepalive_interval"), 39: one("tcp_keepalive_garbage"),
	40: one("nis_domain"), 41: many("nis_server"), 42: many("ntp_server"),
	44: many("netbios_over_tcpip_name_server"), 45: many("netbios_over_tcpip_dd_name_server"),
	46: one("netbios_over_tcpip_node_type"), 47: one("netbios_over_tcpip_scope"),
	48: many("xwindows_system_font_server"), 49: many("xwindows_system_display_manager"),
	50: one("requested_ip_address"), 51: one("ip_address_lease_time"), 52: one("option_overload"),
	53: one("dhcp"), 54: one("dhcp_server_id"), 55: many("request_list_item"), 56: one("message"),
	57: one("dhcp_max_message_size"), 58: one("renewal_time_value"), 59: one("rebinding_time_value"),
	60: one("vendor_class_id"), 64: one("nis_plus_domain"), 65: many("nis_plus_server"),
	66: one("tftp_server_name"), 67: one("bootfile_name"), 68: many("mobile_ip_home_agent"),
	69: many("smtp_server"), 70: many("pop3_server"), 71: many("nntp_server"), 72: many("default_www_server"),
	73: many("default_finger_server"), 74: many("default_irc_server"), 75: many("streettalk_server"),
	76: many("streettalk_da_server"), 77: {sub: dhcpUserClass}, 81: {sub: dhcpFQDN}, 82: {sub: dhcpAgentInfo},
	85: many("novell_dss.ip"), 86: one("novell_ds_tree_name"), 87: one("novell_ds_context"),
	91: one("client_last_transaction_time"), 92: many("associated_ip_option"),
	93: many("client_system_architecture"), 100: one("tz_pcode"), 101: one("tz_tcode"),
	112: many("netinfo_parent_server_address"), 113: one("netinfo_parent_server_tag"),
	114: one("captive_portal"), 116: one("dhcp_auto_configuration"), 118: many("subnet_selection_option"),
	119: many("dhcp_dns_domain_search_list_fqdn"), 136: many("pana_agent"), 137: one("lost_server_domain_name"),
	138: many("capwap_access_controller"), 142: many("andsf_server"), 150: many("tftp_server_address"),
	153: one("bulk_lease.start_time_of_state"), 156: one("bulk_lease.dhcp_state"),
	157: one("bulk_lease.data_source"), 160: one("captive_portal"), 161: one("mudurl"),
	209: one("pxe_config_file"), 210: one("pxe_path_prefix"), 252: one("private_proxy_autodiscovery"),
}

// dhcpPairs reads options 21 and 33: lists of address pairs, as
// record(ka, kb).
func dhcpPairs(a, b, ka, kb string) msgAttr {
	fa, fb := field("dhcp.option."+a), field("dhcp.option."+b)
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
		as, bs := m.own(p, l, fa), m.own(p, l, fb)
		out := []starlark.Value{}
		for i := range as {
			out = append(out, newRecord(ka, at(fa, as, i), kb, at(fb, bs, i)))
		}
		return starlark.NewList(out)
	}
}

var (
	fUserClassData = field("dhcp.option.user_class.data")
	fUserClassText = field("dhcp.option.user_class.text")
	fFQDNFlags     = field("dhcp.fqdn.flags")
	fFQDNRcode1    = field("dhcp.fqdn.rcode1")
	fFQDNRcode2    = field("dhcp.fqdn.rcode2")
	fFQDNName      = field("dhcp.fqdn.name")
	f82Sub         = field("dhcp.option.agent_information_option.suboption")
	f82Value       = field("dhcp.option.agent_information_option.value")
	f82VIEnt       = field("dhcp.option.agent_information_option.vi.enterprise")
)

// dhcpUserClass reads option 77 (RFC 3004): the list of user classes as
// bytes, or the text a client sent in its place.
func dhcpUserClass(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	if v := m.one(p, l, fUserClassText); v != starlark.None {
		return v
	}
	return m.list(p, l, fUserClassData)
}

// dhcpFQDN reads option 81 (RFC 4702): record(flags, rcode1, rcode2,
// name).
func dhcpFQDN(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	return newRecord("flags", m.one(p, l, fFQDNFlags), "rcode1", m.one(p, l, fFQDNRcode1),
		"rcode2", m.one(p, l, fFQDNRcode2), "name", m.one(p, l, fFQDNName))
}

// agentSubFields are the sub-options of option 82 with a typed field.
var agentSubFields = map[uint64]*packet.Field{}

func init() {
	for code, name := range map[uint64]string{1: "agent_circuit_id", 2: "agent_remote_id", 4: "docsis_device_class",
		5: "link_selection", 6: "subscriber_id", 10: "flags", 11: "server_id_override", 13: "ani_att",
		14: "ani_network_name", 15: "ani_ap_name", 18: "ani_operator_realm", 150: "link_selection_cisco",
		152: "server_id_override_cisco"} {
		agentSubFields[code] = field("dhcp.option.agent_information_option." + name)
	}
}

// dhcpAgentInfo reads option 82 (RFC 3046) as a dict sub-option code ->
// value, typed where the registry has a field for the sub-option.
func dhcpAgentInfo(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	subs, raw := m.own(p, l, f82Sub), m.own(p, l, f82Value)
	// Vendor-specific sub-options (9) add a value per enterprise after
	// their own, except for CableLabs' (4491).
	extra := 0
	for _, e := range m.own(p, l, f82VIEnt) {
		if e.U != 4491 {
			extra++
		}
	}
	typed := map[*packet.Field][]packet.Value{}
	next := map[*packet.Field]int{}
	d := starlark.NewDict(len(subs))
	ri := 0
	for _, s := range subs {
		var v starlark.Value = starlark.None
		if ri < len(raw) {
			v = starlark.Bytes(raw[ri].B)
		}
		ri++
		if s.U == 9 {
			ri += extra
		}
		if f := agentSubFields[s.U]; f != nil {
			if _, ok := typed[f]; !ok {
				typed[f] = m.own(p, l, f)
			}
			if i := next[f]; i < len(typed[f]) {
				v = toStarlark(f, typed[f][i])
				next[f] = i + 1
			}
		}
		d.SetKey(starlark.MakeUint64(s.U), v)
	}
	return d
}

// dhcpv6Options is a DHCPv6 message's dict option code -> value: typed
// for the options RFC 8415 and its companions give a layout (DUIDs as
// text, IAs as records, address lists, domain lists, numbers, strings),
// the raw bytes otherwise; a repeated option keeps its first value.
func dhcpv6Options(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	d := dhcpv6Msg(m, p, l)
	if d == nil {
		return starlark.NewDict(0)
	}
	out := starlark.NewDict(len(d.Options))
	for _, o := range d.Options {
		key := starlark.MakeUint64(uint64(o.Code))
		if _, found, _ := out.Get(key); found {
			continue
		}
		out.SetKey(key, dhcpv6OptionValue(o.Code, o.Value))
	}
	return out
}

// dhcpv6OptionValue types one option's value.
func dhcpv6OptionValue(code uint16, v []byte) starlark.Value {
	u32 := func(b []byte) starlark.Value { return starlark.MakeUint64(uint64(binary.BigEndian.Uint32(b))) }
	switch code {
	case 1, 2, 53: // DUIDs
		return starlark.String(dhcpv6DUIDText(v))
	case 3, 25: // IA_NA, IA_PD
		if len(v) < 12 {
			break
		}
		prefixes := code == 25
		leases := starlark.NewList(nil)
		for _, s := range dhcpv6SubOptions(v[12:]) {
			if r := dhcpv6Lease(v[:4], s, prefixes); r != nil {
				leases.Append(r)
			}
		}
		name := "addresses"
		if prefixes {
			name = "prefixes"
		}
		return newRecord("iaid", u32(v), "t1", u32(v[4:]), "t2", u32(v[8:]), name, leases)
	case 6: // option request
		l := starlark.NewList(nil)
		for i := 0; i+2 <= len(v); i += 2 {
			l.Append(starlark.MakeInt(int(binary.BigEndian.Uint16(v[i:]))))
		}
		return l
	case 7, 19: // preference, reconfigure message type
		if len(v) == 1 {
			if code == 19 {
				return starlark.String(nameOr(dhcpv6Types, uint64(v[0]), "TYPE%d"))
			}
			return starlark.MakeInt(int(v[0]))
		}
	case 8: // elapsed time, hundredths of a second
		if len(v) == 2 {
			return starlark.MakeInt(int(binary.BigEndian.Uint16(v)))
		}
	case 12: // server unicast
		if len(v) == 16 {
			a, _ := netip.AddrFromSlice(v)
			return starlark.String(a.String())
		}
	case 13: // status code
		if len(v) >= 2 {
			c := uint64(binary.BigEndian.Uint16(v))
			return newRecord("code", starlark.MakeUint64(c), "name", starlark.String(nameOr(dhcpv6Statuses, c, "STATUS%d")),
				"message", starlark.String(v[2:]))
		}
	case 14, 20: // rapid commit, reconfigure accept: present
		return starlark.True
	case 22, 23, 27, 28, 31, 34, 40, 48, 52: // address lists
		if len(v)%16 == 0 {
			l := starlark.NewList(nil)
			for i := 0; i < len(v); i += 16 {
				a, _ := netip.AddrFromSlice(v[i : i+16])
				l.Append(starlark.String(a.String()))
			}
			return l
		}
	case 21, 24, 29, 30, 33, 64: // domain name lists
		l := starlark.NewList(nil)
		for _, n := range dhcpv6Names(v) {
			l.Append(starlark.String(n))
		}
		return l
	case 32: // information refresh time
		if len(v) == 4 {
			return u32(v)
		}
	case 39: // client FQDN
		if len(v) >= 1 {
			name := starlark.Value(starlark.None)
			if ns := dhcpv6Names(v[1:]); len(ns) > 0 {
				name = starlark.String(ns[0])
			}
			return newRecord("flags", starlark.MakeInt(int(v[0])), "name", name)
		}
	case 41, 42, 103, 112: // time zone, tz database, captive portal, MUD URL
		return starlark.String(v)
	}
	return starlark.Bytes(v)
}

// dhcpv6Lease is one IA address or IA prefix sub-option as a record, nil
// for other sub-options.
func dhcpv6Lease(iaid []byte, s packet.DHCPv6Option, prefixes bool) starlark.Value {
	id := starlark.MakeUint64(uint64(binary.BigEndian.Uint32(iaid)))
	v := s.Value
	switch {
	case !prefixes && s.Code == 5 && len(v) >= 24:
		a, _ := netip.AddrFromSlice(v[:16])
		return newRecord("iaid", id, "addr", starlark.String(a.String()),
			"preferred", starlark.MakeUint64(uint64(binary.BigEndian.Uint32(v[16:]))),
			"valid", starlark.MakeUint64(uint64(binary.BigEndian.Uint32(v[20:]))))
	case prefixes && s.Code == 26 && len(v) >= 25 && v[8] <= 128:
		a, _ := netip.AddrFromSlice(v[9:25])
		return newRecord("iaid", id, "prefix", starlark.String(netip.PrefixFrom(a, int(v[8])).String()),
			"preferred", starlark.MakeUint64(uint64(binary.BigEndian.Uint32(v))),
			"valid", starlark.MakeUint64(uint64(binary.BigEndian.Uint32(v[4:]))))
	}
	return nil
}

// dhcpv6Names splits a field of DNS-encoded names (RFC 8415 section
// 10): each name's labels joined by dots, without the root's; a last
// name without the root label is kept as it stands. Damage ends the list.
func dhcpv6Names(b []byte) []string {
	var out []string
	var cur []byte
	for len(b) > 0 {
		n := int(b[0])
		b = b[1:]
		if n == 0 {
			if len(cur) > 0 {
				out = append(out, string(cur))
			}
			cur = cur[:0]
			continue
		}
		if n > 63 || n > len(b) {
			return out
		}
		if len(cur) > 0 {
			cur = append(cur, '.')
		}
		cur = append(cur, b[:n]...)
		b = b[n:]
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}
