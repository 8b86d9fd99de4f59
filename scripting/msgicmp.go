package scripting

import (
	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// ICMP messages (icmp_msg), ICMPv4 and ICMPv6 alike: version, type and
// code with names, echo id and seq, the quoted datagram of an error, the
// redirect gateway, Neighbor Discovery and MLD contents.

var (
	fICMPType    = field("icmp.type")
	fICMPCode    = field("icmp.code")
	fICMPGateway = field("icmp.redir_gw")
	fICMPMTU     = field("icmp.mtu")

	fICMP6Type      = field("icmpv6.type")
	fICMP6Code      = field("icmpv6.code")
	fICMP6MTU       = field("icmpv6.mtu")
	fICMP6OptMTU    = field("icmpv6.opt.mtu")
	fNSTarget       = field("icmpv6.nd.ns.target_address")
	fNATarget       = field("icmpv6.nd.na.target_address")
	fRDTarget       = field("icmpv6.nd.rd.target_address")
	fNARouter       = field("icmpv6.nd.na.flag.r")
	fNASolicited    = field("icmpv6.nd.na.flag.s")
	fNAOverride     = field("icmpv6.nd.na.flag.o")
	fRAManaged      = field("icmpv6.nd.ra.flag.m")
	fRAOther        = field("icmpv6.nd.ra.flag.o")
	fRAHomeAgent    = field("icmpv6.nd.ra.flag.h")
	fRAPreference   = field("icmpv6.nd.ra.flag.prf")
	fRAProxy        = field("icmpv6.nd.ra.flag.p")
	fRALifetime     = field("icmpv6.nd.ra.router_lifetime")
	fOptSrcLL       = field("icmpv6.opt.src_linkaddr")
	fOptTgtLL       = field("icmpv6.opt.target_linkaddr")
	fPfxLen         = field("icmpv6.opt.prefix.length")
	fPfxOnLink      = field("icmpv6.opt.prefix.flag.l")
	fPfxAuto        = field("icmpv6.opt.prefix.flag.a")
	fPfxValid       = field("icmpv6.opt.prefix.valid_lifetime")
	fPfxPreferred   = field("icmpv6.opt.prefix.preferred_lifetime")
	fPfx            = field("icmpv6.opt.prefix")
	fRDNSS          = field("icmpv6.opt.rdnss")
	fDNSSL          = field("icmpv6.opt.dnssl")
	fMLDGroup       = field("icmpv6.mld.multicast_address")
	fMLDSource      = field("icmpv6.mld.source_address")
	fMLDRecType     = field("icmpv6.mldr.mar.record_type")
	fMLDRecSources  = field("icmpv6.mldr.mar.nb_sources")
	fMLDRecGroup    = field("icmpv6.mldr.mar.multicast_address")
	fMLDRecSourceIP = field("icmpv6.mldr.mar.source_address")
)

var icmpKind = newKind("icmp_msg", "on_icmp", addIPAttrs(map[string]msgAttr{
	"version":         icmpVersion,
	"type":            icmpBoth(fICMPType, fICMP6Type),
	"code":            icmpBoth(fICMPCode, fICMP6Code),
	"type_name":       icmpTypeName,
	"code_name":       icmpCodeName,
	"is_error":        icmpIsError,
	"id":              icmpBoth(fICMPIdent, fICMP6ID),
	"seq":             icmpBoth(fICMPSeq, fICMP6Seq),
	"inner":           inner,
	"gateway":         icmpBoth(fICMPGateway, fRDTarget),
	"mtu":             icmpMTU,
	"target":          icmpV6(fNSTarget, fNATarget, fRDTarget),
	"flags":           icmpNDFlags,
	"router_lifetime": icmpV6(fRALifetime),
	"source_lladdr":   icmpV6(fOptSrcLL),
	"target_lladdr":   icmpV6(fOptTgtLL),
	"prefixes":        icmpPrefixes,
	"rdnss":           icmpV6List(fRDNSS),
	"dnssl":           icmpV6List(fDNSSL),
	"group":           icmpV6(fMLDGroup),
	"sources":         icmpV6List(fMLDSource),
	"records":         mldRecords,
}, false))

func isV6(l *packet.Layer) bool { return l.Proto == packet.ProtoICMPv6 }

func icmpVersion(_ *Msg, _ *packet.Packet, l *packet.Layer) starlark.Value {
	if isV6(l) {
		return starlark.MakeInt(6)
	}
	return starlark.MakeInt(4)
}

// icmpBoth reads f4 from an ICMPv4 message, f6 from an ICMPv6 one.
func icmpBoth(f4, f6 *packet.Field) msgAttr {
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
		if isV6(l) {
			return m.one(p, l, f6)
		}
		return m.one(p, l, f4)
	}
}

// icmpV6 reads the first of fs present in an ICMPv6 message; None for
// ICMPv4.
func icmpV6(fs ...*packet.Field) msgAttr {
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
		if !isV6(l) {
			return starlark.None
		}
		for _, f := range fs {
			if v := m.one(p, l, f); v != starlark.None {
				return v
			}
		}
		return starlark.None
	}
}

// icmpV6List reads every occurrence of f in an ICMPv6 message, always as
// a list.
func icmpV6List(f *packet.Field) msgAttr {
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
		if !isV6(l) {
			return starlark.NewList(nil)
		}
		return m.list(p, l, f)
	}
}

func icmpTypeCode(m *Msg, p *packet.Packet, l *packet.Layer) (t, c uint64, ok bool) {
	ft, fc := fICMPType, fICMPCode
	if isV6(l) {
		ft, fc = fICMP6Type, fICMP6Code
	}
	t, ok = m.uintOf(p, l, ft)
	c, _ = m.uintOf(p, l, fc)
	return t, c, ok
}

func icmpTypeName(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	t, _, ok := icmpTypeCode(m, p, l)
	if !ok {
		return starlark.None
	}
	names := icmpTypes
	if isV6(l) {
		names = icmpv6Types
	}
	return starlark.String(nameOr(names, t, "type-%d"))
}

// icmpCodeName names the code of the types whose codes have names; None
// for the others, whose code is 0 or carries no meaning.
func icmpCodeName(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	t, c, ok := icmpTypeCode(m, p, l)
	codes := icmpCodes
	if isV6(l) {
		codes = icmpv6Codes
	}
	if !ok || codes[t] == nil {
		return starlark.None
	}
	return starlark.String(nameOr(codes[t], c, "code-%d"))
}

// icmpIsError reports the error messages: those that quote the datagram
// that caused them.
func icmpIsError(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	t, _, ok := icmpTypeCode(m, p, l)
	if isV6(l) {
		return starlark.Bool(ok && t >= 1 && t <= 4)
	}
	return starlark.Bool(ok && (t == 3 || t == 4 || t == 5 || t == 11 || t == 12))
}

// icmpMTU is the next-hop MTU of a fragmentation-needed or packet-too-big
// error, or the MTU option of a router advertisement.
func icmpMTU(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	if !isV6(l) {
		return m.one(p, l, fICMPMTU)
	}
	if v := m.one(p, l, fICMP6MTU); v != starlark.None {
		return v
	}
	return m.one(p, l, fICMP6OptMTU)
}

// icmpNDFlags are a neighbor advertisement's flags (router, solicited,
// override) or a router advertisement's (managed, other, home_agent,
// preference, proxy); None for other messages.
func icmpNDFlags(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	if !isV6(l) {
		return starlark.None
	}
	switch t, _ := m.uintOf(p, l, fICMP6Type); t {
	case 136:
		return newRecord(
			"router", m.one(p, l, fNARouter),
			"solicited", m.one(p, l, fNASolicited),
			"override", m.one(p, l, fNAOverride))
	case 134:
		return newRecord(
			"managed", m.one(p, l, fRAManaged),
			"other", m.one(p, l, fRAOther),
			"home_agent", m.one(p, l, fRAHomeAgent),
			"preference", m.one(p, l, fRAPreference),
			"proxy", m.one(p, l, fRAProxy))
	}
	return starlark.None
}

// icmpPrefixes lists the prefix information options of a router
// advertisement: record(prefix "2001:db8::/64", length, on_link,
// autonomous, valid_lifetime, preferred_lifetime).
func icmpPrefixes(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	out := []starlark.Value{}
	if !isV6(l) {
		return starlark.NewList(out)
	}
	pfx, plen := m.own(p, l, fPfx), m.own(p, l, fPfxLen)
	onlink, auto := m.own(p, l, fPfxOnLink), m.own(p, l, fPfxAuto)
	valid, pref := m.own(p, l, fPfxValid), m.own(p, l, fPfxPreferred)
	for i := range pfx {
		prefix := at(fPfx, pfx, i)
		if s, ok := prefix.(starlark.String); ok && i < len(plen) {
			prefix = starlark.String(string(s) + "/" + starlark.MakeUint64(plen[i].U).String())
		}
		out = append(out, newRecord(
			"prefix", prefix,
			"length", at(fPfxLen, plen, i),
			"on_link", at(fPfxOnLink, onlink, i),
			"autonomous", at(fPfxAuto, auto, i),
			"valid_lifetime", at(fPfxValid, valid, i),
			"preferred_lifetime", at(fPfxPreferred, pref, i)))
	}
	return starlark.NewList(out)
}

// mldRecords lists the multicast address records of an MLDv2 report.
func mldRecords(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	if !isV6(l) {
		return starlark.NewList(nil)
	}
	return groupRecords(m.own(p, l, fMLDRecType), fMLDRecType, m.own(p, l, fMLDRecGroup), fMLDRecGroup,
		m.own(p, l, fMLDRecSources), m.own(p, l, fMLDRecSourceIP), fMLDRecSourceIP)
}

// groupRecords zips the fields of IGMPv3 or MLDv2 group records:
// record(type, type_name, group, sources). counts says how many of the
// sources belong to each record.
func groupRecords(types []packet.Value, ft *packet.Field, groups []packet.Value, fg *packet.Field,
	counts, sources []packet.Value, fs *packet.Field) *starlark.List {
	out := []starlark.Value{}
	next := 0
	for i := range types {
		var srcs []starlark.Value
		if i < len(counts) {
			for n := 0; n < int(counts[i].U) && next < len(sources); n++ {
				srcs = append(srcs, toStarlark(fs, sources[next]))
				next++
			}
		}
		out = append(out, newRecord(
			"type", toStarlark(ft, types[i]),
			"type_name", starlark.String(nameOr(groupRecordTypes, types[i].U, "type-%d")),
			"group", at(fg, groups, i),
			"sources", starlark.NewList(srcs)))
	}
	return starlark.NewList(out)
}
