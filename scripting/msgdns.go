package scripting

import (
	"strings"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// DNS messages (dns_msg), also mDNS and LLMNR (msg.proto), over UDP or
// TCP (msg.transport): id, is_response, opcode, rcode and rcode_name,
// questions and the three record sections with data typed per record
// type, besides the dns.* registry fields (msg.flags, msg.flags.response,
// msg.qry.name, ...).

var (
	fDNSID      = field("dns.id")
	fDNSFlags   = field("dns.flags")
	fDNSCount   = [...]*packet.Field{field("dns.count.queries"), field("dns.count.answers"), field("dns.count.auth_rr"), field("dns.count.add_rr")}
	fDNSUpdate  = [...]*packet.Field{field("dns.count.zones"), field("dns.count.prerequisites"), field("dns.count.updates"), field("dns.count.add_rr")}
	fQName      = field("dns.qry.name")
	fQType      = field("dns.qry.type")
	fQClass     = field("dns.qry.class")
	fRRName     = field("dns.resp.name")
	fSRVService = field("dns.srv.service")
	fSRVProto   = field("dns.srv.proto")
	fSRVName    = field("dns.srv.name")
	fRRType     = field("dns.resp.type")
	fRRClass    = field("dns.resp.class")
	fRRTTL      = field("dns.resp.ttl")
	fRRLen      = field("dns.resp.len")
	fOPTSize    = field("dns.rr.udp_payload_size")
	fOPTExt     = field("dns.resp.ext_rcode")
	fOPTVersion = field("dns.resp.edns0_version")
	fOPTDO      = field("dns.resp.z.do")
	fDNSA       = field("dns.a")
	fDNSAAAA    = field("dns.aaaa")
	fDNSCNAME   = field("dns.cname")
	fDNSNS      = field("dns.ns")
	fDNSPTR     = field("dns.ptr.domain_name")
	fDNSDName   = field("dns.dname")
	fMXPref     = field("dns.mx.preference")
	fMXExchange = field("dns.mx.mail_exchange")
	fTXTLen     = field("dns.txt.length")
	fTXT        = field("dns.txt")
	fSOA        = [...]*packet.Field{field("dns.soa.mname"), field("dns.soa.rname"), field("dns.soa.serial_number"),
		field("dns.soa.refresh_interval"), field("dns.soa.retry_interval"), field("dns.soa.expire_limit"), field("dns.soa.minimum_ttl")}
	fSRV = [...]*packet.Field{field("dns.srv.priority"), field("dns.srv.weight"), field("dns.srv.port"), field("dns.srv.target")}
)

var soaKeys = [...]string{"mname", "rname", "serial", "refresh", "retry", "expire", "minimum"}
var srvKeys = [...]string{"priority", "weight", "port", "target"}

var dnsKind = newKind("dns_msg", "on_dns", addIPAttrs(map[string]msgAttr{
	"proto":       dnsProto,
	"transport":   dnsTransport,
	"is_response": dnsIsResponse,
	"opcode":      dnsOpcode,
	"rcode":       dnsRcode,
	"rcode_name":  dnsRcodeName,
	"questions":   dnsQuestions,
	"answers":     dnsSection("answers"),
	"authority":   dnsSection("authority"),
	"additional":  dnsSection("additional"),
}, true))

// dnsProto says which protocol carries the message: "dns", "mdns" or
// "llmnr".
func dnsProto(_ *Msg, _ *packet.Packet, l *packet.Layer) starlark.Value {
	return starlark.String(packet.Fields.ProtoByID(l.Proto).Name)
}

func dnsTransport(m *Msg, p *packet.Packet, _ *packet.Layer) starlark.Value {
	switch i := carrier(p, m.layer.idx, packet.ProtoUDP, packet.ProtoTCP); {
	case i < 0:
		return starlark.None
	case p.Layers[i].Proto == packet.ProtoTCP:
		return starlark.String("tcp")
	}
	return starlark.String("udp")
}

func dnsIsResponse(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	fl, ok := m.uintOf(p, l, fDNSFlags)
	if !ok {
		return starlark.None
	}
	return starlark.Bool(fl&0x8000 != 0)
}

func dnsOpcode(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	fl, ok := m.uintOf(p, l, fDNSFlags)
	if !ok {
		return starlark.None
	}
	return starlark.MakeUint64(fl >> 11 & 15)
}

// rcode is the header's RCODE extended by the OPT record's upper bits
// (RFC 6891), so BADVERS reads 16.
func rcode(m *Msg, p *packet.Packet, l *packet.Layer) (uint64, bool) {
	fl, ok := m.uintOf(p, l, fDNSFlags)
	if !ok {
		return 0, false
	}
	ext, _ := m.uintOf(p, l, fOPTExt)
	return ext<<4 | fl&15, true
}

func dnsRcode(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	rc, ok := rcode(m, p, l)
	if !ok {
		return starlark.None
	}
	return starlark.MakeUint64(rc)
}

func dnsRcodeName(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	rc, ok := rcode(m, p, l)
	if !ok {
		return starlark.None
	}
	return starlark.String(nameOr(dnsRcodes, rc, "RCODE%d"))
}

// dnsTypeName is a record type's mnemonic ("A", "MX", "ANY"); RFC 3597's
// TYPEn for types without one.
func dnsTypeName(t uint64) string {
	s, ok := fQType.Strings[t]
	if !ok {
		return "TYPE" + starlark.MakeUint64(t).String()
	}
	if i := strings.Index(s, " ("); i >= 0 {
		s = s[:i]
	}
	if s == "*" {
		return "ANY"
	}
	return s
}

// dnsQuestions lists the question section: record(name, type,
// type_name, class) per question.
func dnsQuestions(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
	qn, qt, qc := m.own(p, l, fQName), m.own(p, l, fQType), m.own(p, l, fQClass)
	qs := make([]starlark.Value, 0, len(qn))
	for i := range qn {
		var tname starlark.Value = starlark.None
		if i < len(qt) {
			tname = starlark.String(dnsTypeName(qt[i].U))
		}
		qs = append(qs, newRecord("name", at(fQName, qn, i), "type", at(fQType, qt, i), "type_name", tname, "class", at(fQClass, qc, i)))
	}
	return starlark.NewList(qs)
}

// dnsSection returns one record section; the three are made together,
// as their records share the registry's lists, and cut by the header's
// counts (the records come answers first, then authority, then
// additional).
func dnsSection(name string) msgAttr {
	return func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value {
		var counts [4]int
		for i := range counts {
			c, ok := m.uintOf(p, l, fDNSCount[i])
			if !ok {
				c, _ = m.uintOf(p, l, fDNSUpdate[i])
			}
			counts[i] = int(c)
		}
		sections := [3][]starlark.Value{}
		for i, rr := range dnsRecords(m, p, l, counts[0]) {
			s := 2
			switch {
			case i < counts[1]:
				s = 0
			case i < counts[1]+counts[2]:
				s = 1
			}
			sections[s] = append(sections[s], rr)
		}
		m.set("answers", starlark.NewList(sections[0]))
		m.set("authority", starlark.NewList(sections[1]))
		m.set("additional", starlark.NewList(sections[2]))
		return m.cache[name]
	}
}

// rrLists are the registry's lists of one message's records, read side by
// side as the records need them; next counts what each list has handed
// out.
type rrLists struct {
	m    *Msg
	p    *packet.Packet
	l    *packet.Layer
	vals map[*packet.Field][]packet.Value
	next map[*packet.Field]int
}

// list returns every occurrence of f, read once.
func (r *rrLists) list(f *packet.Field) []packet.Value {
	vs, ok := r.vals[f]
	if !ok {
		vs = r.m.own(r.p, r.l, f)
		r.vals[f] = vs
	}
	return vs
}

func (r *rrLists) take(f *packet.Field) starlark.Value {
	i := r.next[f]
	r.next[f] = i + 1
	return at(f, r.list(f), i)
}

// dnsRecords reads every resource record, in message order. The
// registry lists dns.resp.len once per record, so it counts them; each
// record's type comes from dnsRData, checked against that length, as the
// registry's dns.resp.type also lists the types of NSEC bit maps.
func dnsRecords(m *Msg, p *packet.Packet, l *packet.Layer, questions int) []starlark.Value {
	lens := m.own(p, l, fRRLen)
	if len(lens) == 0 {
		return nil
	}
	r := &rrLists{m: m, p: p, l: l, vals: map[*packet.Field][]packet.Value{}, next: map[*packet.Field]int{}}
	raw := dnsRData(l.Bytes(p), questions, len(lens))
	out := make([]starlark.Value, 0, len(lens))
	bitmaps := false // an NSEC record came: registry types no longer line up with records
	for i, lv := range lens {
		rdlen := int(lv.U)
		if i < len(raw) && raw[i].n != rdlen {
			raw = raw[:i] // the framing lost its way: trust it no more
		}
		var t uint64
		var rd []byte
		switch {
		case i < len(raw):
			t, rd = raw[i].typ, raw[i].data
		case !bitmaps && i < len(r.list(fRRType)):
			t = r.list(fRRType)[i].U
		default:
			out = append(out, newRecord("name", starlark.None, "type", starlark.None, "type_name", starlark.None,
				"class", starlark.None, "ttl", starlark.None, "data", starlark.None))
			continue
		}
		bitmaps = bitmaps || t == 47 || t == 50
		var name starlark.Value
		if t == 33 {
			name = r.take(fSRVService)
			// SRV owner names come as service, protocol and name parts;
			// joining them is exact when every SRV name has all three.
			svc := len(r.list(fSRVService))
			if len(r.list(fSRVProto)) == svc && len(r.list(fSRVName)) == svc {
				parts := []string{}
				for _, v := range []starlark.Value{name, r.take(fSRVProto), r.take(fSRVName)} {
					if s, ok := v.(starlark.String); ok {
						parts = append(parts, string(s))
					}
				}
				name = starlark.String(strings.Join(parts, "."))
			}
		} else {
			name = r.take(fRRName)
		}
		var class, ttl starlark.Value = starlark.None, starlark.None
		if t != 41 {
			class, ttl = r.take(fRRClass), r.take(fRRTTL)
		}
		out = append(out, newRecord("name", name, "type", starlark.MakeUint64(t), "type_name", starlark.String(dnsTypeName(t)),
			"class", class, "ttl", ttl, "data", rrData(r, t, rdlen, rd)))
	}
	return out
}

// rrData is a record's data typed per type: an address string for A and
// AAAA; a name for CNAME, NS, PTR and DNAME; a list of strings for TXT;
// records for MX, SOA, SRV and OPT; the bytes for other types.
func rrData(r *rrLists, t uint64, rdlen int, raw []byte) starlark.Value {
	if t == 41 { // OPT: its fields sit in the record's class and TTL
		return newRecord("udp_payload_size", r.take(fOPTSize), "ext_rcode", r.take(fOPTExt),
			"version", r.take(fOPTVersion), "do", r.take(fOPTDO))
	}
	if rdlen == 0 {
		return starlark.None // the registry shows no data for an empty record
	}
	switch t {
	case 1:
		return r.take(fDNSA)
	case 28:
		return r.take(fDNSAAAA)
	case 5:
		return r.take(fDNSCNAME)
	case 2:
		return r.take(fDNSNS)
	case 12:
		return r.take(fDNSPTR)
	case 39:
		return r.take(fDNSDName)
	case 15:
		return newRecord("preference", r.take(fMXPref), "exchange", r.take(fMXExchange))
	case 16:
		// The strings of one record add up to its length, each with its
		// length byte.
		strs := []starlark.Value{}
		for used := 0; used < rdlen; {
			n, ok := r.take(fTXTLen).(starlark.Int)
			if !ok {
				break
			}
			nn, _ := n.Int64()
			used += 1 + int(nn)
			strs = append(strs, r.take(fTXT))
		}
		return starlark.NewList(strs)
	case 6:
		kv := make([]any, 0, 2*len(soaKeys))
		for i, k := range soaKeys {
			kv = append(kv, k, r.take(fSOA[i]))
		}
		return newRecord(kv...)
	case 33:
		kv := make([]any, 0, 2*len(srvKeys))
		for i, k := range srvKeys {
			kv = append(kv, k, r.take(fSRV[i]))
		}
		return newRecord(kv...)
	}
	if raw == nil {
		return starlark.None
	}
	return starlark.Bytes(raw)
}

// rawRR is where dnsRData found one record.
type rawRR struct {
	typ  uint64
	n    int
	data []byte
}

// dnsRData finds the type and data of each resource record of message b.
// It follows record boundaries only (names are skipped, not read, and the
// data is not decoded: typed values come from the registry); the caller
// checks each record's length against the registry's and stops trusting
// it at the first difference. It stops where the message does.
func dnsRData(b []byte, questions, records int) []rawRR {
	skipName := func(off int) int {
		for off < len(b) {
			c := int(b[off])
			switch {
			case c == 0:
				return off + 1
			case c&0xc0 == 0xc0:
				return off + 2
			case c&0xc0 != 0:
				return -1
			}
			off += 1 + c
		}
		return -1
	}
	off := 12
	for i := 0; i < questions; i++ {
		if off = skipName(off); off < 0 || off+4 > len(b) {
			return nil
		}
		off += 4
	}
	var out []rawRR
	for i := 0; i < records; i++ {
		if off = skipName(off); off < 0 || off+10 > len(b) {
			break
		}
		t := uint64(b[off])<<8 | uint64(b[off+1])
		n := int(b[off+8])<<8 | int(b[off+9])
		off += 10
		if off+n > len(b) {
			break
		}
		out = append(out, rawRR{typ: t, n: n, data: b[off : off+n]})
		off += n
	}
	return out
}
