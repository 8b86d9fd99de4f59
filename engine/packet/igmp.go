package packet

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// IGMP versions 0 to 3 (RFC 988, 1112, 2236, 3376), after Wireshark 4.0's
// packet-igmp.c. The message's type and length say which version it is;
// types that other Wireshark dissectors own (DVMRP, PIMv1, MRDISC, MSNIP,
// IGAP, RGMP) show no igmp fields.

var igmpTypeNames = map[uint64]string{
	0x01: "Create Group Request", 0x02: "Create Group Reply", 0x03: "Join Group Request",
	0x04: "Join Group Reply", 0x05: "Leave Group Request", 0x06: "Leave Group Reply",
	0x07: "Confirm Group Request", 0x08: "Confirm Group Reply", 0x11: "Membership Query",
	0x12: "Membership Report", 0x13: "DVMRP Protocol", 0x14: "PIM Routing Message",
	0x16: "Membership Report", 0x17: "Leave Group", 0x1e: "Traceroute Response",
	0x1f: "Traceroute Query or Request", 0x22: "Membership Report",
}

var igmpRecordTypeNames = map[uint64]string{1: "Mode Is Include", 2: "Mode Is Exclude",
	3: "Change To Include Mode", 4: "Change To Exclude Mode", 5: "Allow New Sources", 6: "Block Old Sources"}

const (
	igmpKindNone  = -1 // a type another dissector owns
	igmpKindOther = -2 // an unknown type
	igmpKindTrace = -3 // multicast traceroute
)

// igmpKind returns the IGMP version a message is dissected as (0 to 3),
// or one of the igmpKind constants.
func igmpKind(p *Packet, l *Layer, m []byte) int {
	if len(m) < 1 {
		return igmpKindNone
	}
	switch t := m[0]; {
	case t <= 0x0f:
		return 0
	case t == 0x11:
		switch {
		case msgReportedLen(p, l) >= 12:
			return 3
		case len(m) < 2:
			return igmpKindNone
		case m[1] != 0:
			return 2
		}
		return 1
	case t == 0x12:
		return 1
	case t == 0x16 || t == 0x17:
		return 2
	case t == 0x22:
		return 3
	case t == 0x1e || t == 0x1f:
		return igmpKindTrace
	case t == 0x13 || t == 0x14 || t >= 0x23 && t <= 0x26 || t >= 0x40 && t <= 0x42 || t >= 0xfc:
		return igmpKindNone
	}
	return igmpKindOther
}

const (
	igVersion wfid = iota + 1
	igType
	igReserved
	igGroupType
	igReply
	igReplyPending
	igChecksum
	igChecksumStatus
	igIdentifier
	igAccessKey
	igMaxResp
	igMaxRespExp
	igMaxRespMant
	igS
	igQRV
	igQQIC
	igNumSrc
	igSAddr
	igNumGrpRecs
	igRecordType
	igAuxDataLen
	igMAddr
	igAuxData
	igData
)

// igmpWalk visits an IGMP message's fields in the order of Wireshark's
// dissectors for its version.
func igmpWalk(p *Packet, l *Layer, w *msgWalk) {
	m := w.m
	kind := igmpKind(p, l, m)
	switch kind {
	case igmpKindNone:
		return
	case igmpKindOther:
		w.f(igType, 0, 1)
		w.f(igData, 1, len(m)-1)
		return
	case igmpKindTrace:
		w.f(igType, 0, 1)
		w.has(1, 1)
		w.f(igChecksum, 2, 2)
		w.f(igChecksumStatus, 2, 2)
		w.f(igMAddr, 4, 4)
		return
	}
	if !w.f(igVersion, 0, 1) || !w.f(igType, 0, 1) {
		return
	}
	switch kind {
	case 0:
		if t := m[0]; t == 0x01 {
			w.f(igGroupType, 1, 1)
		} else if t&1 == 0 && w.has(1, 1) {
			if m[1] < 5 {
				w.f(igReply, 1, 1)
			} else {
				w.f(igReplyPending, 1, 1)
			}
		}
		w.f(igChecksum, 2, 2)
		w.f(igChecksumStatus, 2, 2)
		w.f(igIdentifier, 4, 4)
		w.f(igMAddr, 8, 4)
		w.f(igAccessKey, 12, 8)
	case 1:
		w.f(igReserved, 1, 1)
		w.f(igChecksum, 2, 2)
		w.f(igChecksumStatus, 2, 2)
		w.f(igMAddr, 4, 4)
	case 2:
		w.f(igMaxResp, 1, 1)
		w.f(igChecksum, 2, 2)
		w.f(igChecksumStatus, 2, 2)
		w.f(igMAddr, 4, 4)
	case 3:
		if m[0] == 0x11 {
			// The number of sources is read first.
			if !w.has(10, 2) {
				return
			}
			w.f(igMaxResp, 1, 1)
			if m[1]&0x80 != 0 {
				w.f(igMaxRespExp, 1, 1)
				w.f(igMaxRespMant, 1, 1)
			}
			w.f(igChecksum, 2, 2)
			w.f(igChecksumStatus, 2, 2)
			w.f(igMAddr, 4, 4)
			w.f(igS, 8, 1)
			w.f(igQRV, 8, 1)
			w.f(igQQIC, 9, 1)
			w.f(igNumSrc, 10, 2)
			for i, off := 0, 12; i < w.u16(10); i, off = i+1, off+4 {
				if !w.f(igSAddr, off, 4) {
					return
				}
			}
			return
		}
		w.f(igReserved, 1, 1)
		w.f(igChecksum, 2, 2)
		w.f(igChecksumStatus, 2, 2)
		w.f(igReserved, 4, 2)
		if !w.f(igNumGrpRecs, 6, 2) {
			return
		}
		off := 8
		for r := 0; r < w.u16(6); r++ {
			// The record's title reads its type and group first.
			if !w.has(off, 8) {
				return
			}
			w.f(igRecordType, off, 1)
			w.f(igAuxDataLen, off+1, 1)
			w.f(igNumSrc, off+2, 2)
			w.f(igMAddr, off+4, 4)
			aux, n := w.u8(off+1), w.u16(off+2)
			off += 8
			for i := 0; i < n; i++ {
				if !w.f(igSAddr, off, 4) {
					return
				}
				off += 4
			}
			if aux > 0 {
				if !w.f(igAuxData, off, aux*4) {
					return
				}
				off += aux * 4
			}
		}
	}
}

func igmpVersion(p *Packet, l *Layer, m []byte, _, _ int) (Value, bool) {
	return Uint(uint64(igmpKind(p, l, m))), true
}

// igmpChecksumStatus verifies the checksum over the bytes each version
// covers: 8 for v1 and v2, 20 for v0, the whole message otherwise.
func igmpChecksumStatus(p *Packet, l *Layer, m []byte, _, _ int) (Value, bool) {
	n := msgReportedLen(p, l)
	switch igmpKind(p, l, m) {
	case 0:
		n = 20
	case 1, 2:
		n = 8
	}
	if msgFragmented(p, l) || len(m) < n {
		return Uint(2), true
	}
	if internetChecksum(m[:n]) == 0 {
		return Uint(1), true
	}
	return Uint(0), true
}

// igmpMaxResp is the v3 query's Max Resp Code in tenths of seconds, the
// v2 Max Resp Time as it is.
func igmpMaxResp(p *Packet, l *Layer, m []byte, off, _ int) (Value, bool) {
	v := uint64(m[off])
	if igmpKind(p, l, m) == 3 && v&0x80 != 0 {
		v = (v&0x0f | 0x10) << ((v&0x70)>>4 + 3)
	}
	return Uint(v), true
}

func igField(id wfid, name, label string, t Type, base Base, size uint8, mask uint64, desc string, cv msgConv) *Field {
	return msgField(msgIGMP, id, name, label, t, base, size, mask, desc, cv)
}

var (
	fIGMPType  = withStrings(igField(igType, "igmp.type", "Type", TUint, Hex, 1, 0, "IGMP Packet Type", nil), igmpTypeNames)
	fIGMPMAddr = igField(igMAddr, "igmp.maddr", "Multicast Address", TIPv4, Dec, 0, 0, "", nil)
	fIGMPMax   = igField(igMaxResp, "igmp.max_resp", "Max Resp Time", TUint, Dec, 1, 0, "Max Response Time", igmpMaxResp)
)

var protoIGMP = register(&Proto{ID: ProtoIGMP, Name: "igmp", Short: "IGMP", Title: "Internet Group Management Protocol",
	Info: igmpInfo},
	cat(
		[]*Field{
			igField(igVersion, "igmp.version", "IGMP Version", TUint, Dec, 1, 0, "", igmpVersion),
			fIGMPType,
			igField(igReserved, "igmp.reserved", "Reserved", TBytes, Dec, 0, 0, "IGMP Reserved", nil),
			withStrings(igField(igGroupType, "igmp.group_type", "Type Of Group", TUint, Dec, 1, 0, "IGMP V0 Type Of Group", nil),
				map[uint64]string{0: "Public Group", 1: "Private Group"}),
			withStrings(igField(igReply, "igmp.reply", "Reply", TUint, Dec, 1, 0, "IGMP V0 Reply", nil),
				map[uint64]string{0: "Request Granted", 1: "Request Denied, No Resources", 2: "Request Denied, Invalid Code",
					3: "Request Denied, Invalid Group", 4: "Request Denied, Invalid Key"}),
			igField(igReplyPending, "igmp.reply.pending", "Reply Pending", TUint, Dec, 1, 0, "IGMP V0 Reply Pending, Retry in this many seconds", nil),
		},
		children(fIGMPMax,
			igField(igMaxRespExp, "igmp.max_resp.exp", "Exponent", TUint, Hex, 1, 0x70, "Maximum Response Time, Exponent", nil),
			igField(igMaxRespMant, "igmp.max_resp.mant", "Mantissa", TUint, Hex, 1, 0x0f, "Maximum Response Time, Mantissa", nil)),
		[]*Field{
			igField(igChecksum, "igmp.checksum", "Checksum", TUint, Hex, 2, 0, "IGMP Checksum", nil),
			withStrings(igField(igChecksumStatus, "igmp.checksum.status", "Checksum Status", TUint, Dec, 1, 0, "", igmpChecksumStatus),
				msgChecksumStatusNames),
			igField(igIdentifier, "igmp.identifier", "Identifier", TUint, Dec, 4, 0, "IGMP V0 Identifier", nil),
			fIGMPMAddr,
			igField(igAccessKey, "igmp.access_key", "Access Key", TBytes, Dec, 0, 0, "IGMP V0 Access Key", nil),
			igField(igS, "igmp.s", "S", TBool, Dec, 1, 0x08, "Suppress Router Side Processing", nil),
			igField(igQRV, "igmp.qrv", "QRV", TUint, Dec, 1, 0x07, "Querier's Robustness Value", nil),
			igField(igQQIC, "igmp.qqic", "QQIC", TUint, Dec, 1, 0, "Querier's Query Interval Code", nil),
			igField(igNumSrc, "igmp.num_src", "Num Src", TUint, Dec, 2, 0, "Number Of Sources", nil),
			igField(igSAddr, "igmp.saddr", "Source Address", TIPv4, Dec, 0, 0, "", nil),
			igField(igNumGrpRecs, "igmp.num_grp_recs", "Num Group Records", TUint, Dec, 2, 0, "Number Of Group Records", nil),
			withStrings(igField(igRecordType, "igmp.record_type", "Record Type", TUint, Dec, 1, 0, "", nil), igmpRecordTypeNames),
			igField(igAuxDataLen, "igmp.aux_data_len", "Aux Data Len", TUint, Dec, 1, 0, "Aux Data Len, In units of 32bit words", nil),
			igField(igAuxData, "igmp.aux_data", "Aux Data", TBytes, Dec, 0, 0, "IGMP V3 Auxiliary Data", nil),
			igField(igData, "igmp.data", "Data", TBytes, Dec, 0, 0, "", nil),
		},
	)...,
)

// IGMPColumn is the Protocol column of an IGMP layer: Wireshark names the
// version ("IGMPv2") when it knows it.
func IGMPColumn(p *Packet, l *Layer) string {
	if v := igmpKind(p, l, msgBytes(p, l)); v >= 0 {
		return "IGMPv" + strconv.Itoa(v)
	}
	return "IGMP"
}

func igmpAddr(b []byte) string { return string(appendIPv4(nil, b)) }

// igmpInfo writes the Info column as Wireshark's IGMP dissectors do.
func igmpInfo(p *Packet, l *Layer) string {
	m := msgBytes(p, l)
	kind := igmpKind(p, l, m)
	if kind == igmpKindNone {
		return ""
	}
	if kind == igmpKindTrace {
		switch n := msgReportedLen(p, l); {
		case m[0] == 0x1e:
			blocks := (n - 24) / 32
			s := "Traceroute Response, " + strconv.Itoa(blocks) + " block"
			if blocks != 1 {
				s += "s"
			}
			return s
		case n == 24:
			return "Traceroute Query"
		}
		return "Traceroute Request"
	}
	var b strings.Builder
	if s, ok := igmpTypeNames[uint64(m[0])]; ok {
		b.WriteString(s)
	} else {
		b.WriteString("Unknown Type:0x" + strconv.FormatUint(uint64(m[0])>>4, 16) + strconv.FormatUint(uint64(m[0])&15, 16))
	}
	group := func(off int) (string, bool) {
		if off+4 > len(m) {
			return "", false
		}
		return igmpAddr(m[off : off+4]), true
	}
	sources := func(off, n int) bool {
		for i := 0; i < n; i++ {
			s, ok := group(off + 4*i)
			if !ok {
				return false
			}
			b.WriteString(s)
			if i < n-1 {
				b.WriteString(", ")
			} else {
				b.WriteString("}")
			}
		}
		return true
	}
	switch {
	case kind == 2:
		g, ok := group(4)
		switch {
		case !ok:
		case g == "0.0.0.0":
			b.WriteString(", general")
		case m[0] == 0x17:
			b.WriteString(" " + g)
		case m[0] == 0x11:
			b.WriteString(", specific for group " + g)
		default:
			b.WriteString(" group " + g)
		}
	case kind == 3 && m[0] == 0x11:
		if len(m) < 12 {
			break
		}
		g, _ := group(4)
		if g == "0.0.0.0" {
			b.WriteString(", general")
		} else {
			b.WriteString(", specific for group " + g)
		}
		if n := int(binary.BigEndian.Uint16(m[10:])); n > 0 {
			b.WriteString(", source")
			if n > 1 {
				b.WriteString("s")
			}
			b.WriteString(" {")
			sources(12, n)
		}
	case kind == 3:
		if len(m) < 8 {
			break
		}
		nrec := int(binary.BigEndian.Uint16(m[6:]))
		if nrec == 0 {
			b.WriteString(" - General query")
		}
		off := 8
		for r := 0; r < nrec; r++ {
			if off+8 > len(m) {
				break
			}
			rt, aux, n := m[off], int(m[off+1]), int(binary.BigEndian.Uint16(m[off+2:]))
			g, _ := group(off + 4)
			if n == 0 {
				switch rt {
				case 1, 3:
					b.WriteString(" / Leave group " + g)
				case 2, 4:
					b.WriteString(" / Join group " + g + " for any sources")
				case 5:
					b.WriteString(" / Group " + g + ", ALLOW_NEW_SOURCES but no source specified (?)")
				case 6:
					b.WriteString(" / Group " + g + ", BLOCK_OLD_SOURCES but no source specified (?)")
				default:
					b.WriteString(" / Group " + g + ", unknown record type (?)")
				}
			} else {
				plural := n > 1
				switch rt {
				case 1, 3:
					b.WriteString(" / Join group " + g + " for source" + igmpPick(plural, "s in", "") + " {")
				case 2, 4:
					b.WriteString(" / Join group " + g + ", for source" + igmpPick(plural, "s not in", " not") + " {")
				case 5:
					b.WriteString(" / Group " + g + ", new source" + igmpPick(plural, "s", "") + " {")
				case 6:
					b.WriteString(" / Group " + g + ", block source" + igmpPick(plural, "s", "") + " {")
				default:
					b.WriteString(" / Group " + g + ", unknown record type (?), sources {")
				}
			}
			if !sources(off+8, n) {
				break
			}
			off += 8 + 4*n + 4*aux
		}
	}
	return b.String()
}

func igmpPick(c bool, a, b string) string {
	if c {
		return a
	}
	return b
}
