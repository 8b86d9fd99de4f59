package packet

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
)

// ICMP, ICMPv6 and IGMP fields depend on the message type, and Wireshark
// stops dissecting a message at the first field whose bytes were not
// captured. Each of these protocols therefore has a walker that visits
// its fields in Wireshark's order, reporting where each one lies, and
// stops where the captured bytes run out; a field's getter walks the
// message and keeps the occurrences of its own field.

// wfid names a field within one protocol's walker; 0 is a read that
// yields no registered field.
type wfid uint8

// msgWalk is the state of one walk over a message.
type msgWalk struct {
	m    []byte // the captured bytes of the message
	stop bool
	p    *Packet
	l    *Layer
	// The field being collected, how to read it, and its values so far.
	want wfid
	spec *msgSpec
	dst  []Value
	// hook, when set, sees every field (the Info column's walk).
	hook func(id wfid, off, n int)
}

// emit records field id at m[off:off+n].
func (w *msgWalk) emit(id wfid, off, n int) {
	if w.hook != nil {
		w.hook(id, off, n)
	}
	if id == w.want && w.spec != nil {
		if v, ok := w.spec.value(w.p, w.l, w.m, off, n); ok {
			w.dst = append(w.dst, v)
		}
	}
}

// f reports field id as the n bytes at off. It returns false, and the
// walk stops, once a field lies past the captured bytes: Wireshark throws
// an exception there and adds nothing more.
func (w *msgWalk) f(id wfid, off, n int) bool {
	if w.stop {
		return false
	}
	if off < 0 || n < 0 || off+n > len(w.m) {
		w.stop = true
		return false
	}
	if id != 0 {
		w.emit(id, off, n)
	}
	return true
}

// none reports a field without a value (FT_NONE) that starts at off.
// Wireshark does not check such a field's length against the captured
// bytes, only its start.
func (w *msgWalk) none(id wfid, off int) bool {
	if w.stop {
		return false
	}
	if off < 0 || off > len(w.m) {
		w.stop = true
		return false
	}
	w.emit(id, off, 0)
	return true
}

// has reports whether the n bytes at off were captured, stopping the walk
// if not (a read without a field of its own).
func (w *msgWalk) has(off, n int) bool { return w.f(0, off, n) }

func (w *msgWalk) u8(off int) int { return int(w.m[off]) }

func (w *msgWalk) u16(off int) int { return int(binary.BigEndian.Uint16(w.m[off:])) }

// msgProto says which walker visits a layer. The walkers are called
// directly, not through function values, so that a walk's state stays on
// the stack.
type msgProto uint8

const (
	msgICMP msgProto = iota
	msgICMPv6
	msgIGMP
)

func (k msgProto) walk(p *Packet, l *Layer, w *msgWalk) {
	switch k {
	case msgICMP:
		icmpWalk(p, l, w)
	case msgICMPv6:
		icmpv6Walk(p, l, w)
	case msgIGMP:
		igmpWalk(p, l, w)
	}
}

// msgConv computes the value of the field at m[off:off+n]; false drops it.
type msgConv func(p *Packet, l *Layer, m []byte, off, n int) (Value, bool)

// msgSpec says how a field's value is read from its bytes.
type msgSpec struct {
	t     Type
	mask  uint64
	shift int
	cv    msgConv
}

func (s *msgSpec) value(p *Packet, l *Layer, m []byte, off, n int) (Value, bool) {
	if s.cv != nil {
		return s.cv(p, l, m, off, n)
	}
	b := m[off : off+n]
	switch s.t {
	case TUint:
		v := beUint(b)
		if s.mask != 0 {
			v = v & s.mask >> s.shift
		}
		return Uint(v), true
	case TBool:
		return Bool(beUint(b)&s.mask != 0), true
	case TInt:
		return Int(int64(beUint(b)) << (64 - 8*len(b)) >> (64 - 8*len(b))), true
	case TString:
		// Strings end at a NUL, as C strings do.
		if i := bytes.IndexByte(b, 0); i >= 0 {
			b = b[:i]
		}
		return Str(string(b)), true
	case TNone:
		return Value{}, true
	}
	return Bytes(b), true
}

// msgField declares a field found by walking the message of a layer of
// kind k. Integer values are read big-endian from the field's bytes and
// masked; cv, when set, computes the value instead.
func msgField(k msgProto, id wfid, name, label string, t Type, base Base, size uint8, mask uint64, desc string, cv msgConv) *Field {
	f := &Field{Name: name, Label: label, Type: t, Base: base, Size: size, Mask: mask, Desc: desc}
	spec := &msgSpec{t: t, mask: mask, cv: cv}
	for mask != 0 && mask>>spec.shift&1 == 0 {
		spec.shift++
	}
	f.Get = func(p *Packet, l *Layer, dst []Value) []Value {
		w := msgWalk{m: msgBytes(p, l), p: p, l: l, want: id, spec: spec, dst: dst}
		k.walk(p, l, &w)
		return w.dst
	}
	return f
}

// msgBytes returns the captured bytes of a layer, header and body.
func msgBytes(p *Packet, l *Layer) []byte {
	if l.Off < 0 || l.Off > l.End || l.End > len(p.Data) {
		return nil
	}
	return p.Data[l.Off:l.End]
}

// msgLayerIndex finds l among p's layers.
func msgLayerIndex(p *Packet, l *Layer) int {
	for i := range p.Layers {
		if &p.Layers[i] == l {
			return i
		}
	}
	for i := range p.Layers {
		if p.Layers[i].Off == l.Off && p.Layers[i].Proto == l.Proto {
			return i
		}
	}
	return -1
}

// msgNetLayer returns the IPv4 or IPv6 header that carries l, and whether
// an IPv6 fragment header lies between them.
func msgNetLayer(p *Packet, l *Layer) (n *Layer, v6frag bool) {
	for i := msgLayerIndex(p, l) - 1; i >= 0; i-- {
		switch p.Layers[i].Proto {
		case ProtoIP, ProtoIPv6:
			return &p.Layers[i], v6frag
		case ProtoIPv6Frag:
			v6frag = true
		}
	}
	return nil, false
}

// msgReportedLen is the length of l's message as the IP header claims it
// (Wireshark's reported length), which may exceed what was captured.
func msgReportedLen(p *Packet, l *Layer) int {
	n, _ := msgNetLayer(p, l)
	if n != nil {
		h := p.Data[n.Off:n.Hdr]
		switch {
		case n.Proto == ProtoIP && len(h) >= 4:
			if tl := int(binary.BigEndian.Uint16(h[2:])); tl != 0 {
				return max(n.Off+tl-l.Off, 0)
			}
		case n.Proto == ProtoIPv6 && len(h) >= 6:
			if pl := int(binary.BigEndian.Uint16(h[4:])); pl != 0 {
				return max(n.Off+40+pl-l.Off, 0)
			}
		}
	}
	return l.End - l.Off
}

// msgFragmented reports whether the datagram carrying l is a fragment, in
// which case Wireshark does not verify checksums.
func msgFragmented(p *Packet, l *Layer) bool {
	n, v6frag := msgNetLayer(p, l)
	if v6frag {
		return true
	}
	if n == nil || n.Proto != ProtoIP || n.Hdr-n.Off < 8 {
		return false
	}
	return binary.BigEndian.Uint16(p.Data[n.Off+6:])&0x3fff != 0
}

// msgChecksumVerifiable reports whether Wireshark verifies the checksum:
// the message is neither quoted in an error nor a fragment, and was
// captured whole.
func msgChecksumVerifiable(p *Packet, l *Layer) bool {
	return !l.Quoted && !msgFragmented(p, l) && l.End-l.Off >= msgReportedLen(p, l)
}

// msgUnder puts fs under parent in the detail tree; unlike children it
// leaves parent out of the list, for groups of fields declared apart.
func msgUnder(parent *Field, fs ...*Field) []*Field {
	for _, f := range fs {
		f.Parent = parent
	}
	return fs
}

// msgHidden hides a field from the detail tree, as Wireshark hides the
// duplicates it adds for filtering.
func msgHidden(f *Field) *Field {
	f.Hidden = true
	return f
}

var msgChecksumStatusNames = map[uint64]string{0: "Bad", 1: "Good", 2: "Unverified"}

// ICMP (RFC 792, 1191, 1256, 4884).

var icmpTypeNames = map[uint64]string{
	0: "Echo (ping) reply", 1: "Reserved", 2: "Reserved", 3: "Destination unreachable",
	4: "Source quench (flow control)", 5: "Redirect", 6: "Alternate host address",
	8: "Echo (ping) request", 9: "Router advertisement", 10: "Router solicitation",
	11: "Time-to-live exceeded", 12: "Parameter problem", 13: "Timestamp request",
	14: "Timestamp reply", 15: "Information request", 16: "Information reply",
	17: "Address mask request", 18: "Address mask reply", 19: "Reserved (for security)",
	30: "Traceroute", 31: "Datagram Conversion Error", 32: "Mobile Host Redirect",
	33: "IPv6 Where-Are-You", 34: "IPv6 I-Am-Here", 35: "Mobile Registration Request",
	36: "Mobile Registration Reply", 37: "Domain Name Request", 38: "Domain Name Reply",
	39: "SKIP", 40: "Photuris", 41: "Experimental mobility protocols",
	42: "Extended Echo request", 43: "Extended Echo reply",
}

var icmpCodeNames = map[uint8]map[uint8]string{
	3: {0: "Network unreachable", 1: "Host unreachable", 2: "Protocol unreachable",
		3: "Port unreachable", 4: "Fragmentation needed", 5: "Source route failed",
		6: "Destination network unknown", 7: "Destination host unknown",
		8: "Source host isolated", 9: "Network administratively prohibited",
		10: "Host administratively prohibited", 11: "Network unreachable for TOS",
		12: "Host unreachable for TOS", 13: "Communication administratively filtered",
		14: "Host precedence violation", 15: "Precedence cutoff in effect"},
	5: {0: "Redirect for network", 1: "Redirect for host", 2: "Redirect for TOS and network",
		3: "Redirect for TOS and host"},
	6:  {0: "Alternate address for host"},
	9:  {0: "Normal router advertisement", 16: "Does not route common traffic"},
	11: {0: "Time to live exceeded in transit", 1: "Fragment reassembly time exceeded"},
	12: {0: "Pointer indicates the error", 1: "Required option missing", 2: "Bad length"},
	40: {0: "Bad SPI", 1: "Authentication Failed", 2: "Decompression Failed",
		3: "Decryption Failed", 4: "Need Authentication", 5: "Need Authorization"},
	42: {0: "No error"},
	43: {0: "No error", 1: "Malformed Query", 2: "No Such Interface", 3: "No Such Table Entry",
		4: "Multiple Interfaces Satisfy Query"},
}

// icmpTypeName is the type's name as the Info column and tree show it.
func icmpTypeName(t, code uint8) string {
	if t == 9 && (code == 0 || code == 16) {
		return "Mobile IP Advertisement"
	}
	if s, ok := icmpTypeNames[uint64(t)]; ok {
		return s
	}
	return "Unknown ICMP (obsolete or malformed?)"
}

// icmpCodeName names the code of the types that have named codes.
func icmpCodeName(t, code uint8) (string, bool) {
	names, ok := icmpCodeNames[t]
	if !ok {
		return "", false
	}
	if s, ok := names[code]; ok {
		return s, true
	}
	return "Unknown code: " + strconv.Itoa(int(code)), true
}

const (
	icType wfid = iota + 1
	icCode
	icChecksum
	icChecksumStatus
	icUnused
	icIdent
	icIdentLE
	icSeq
	icSeqLE
	icMTU
	icLength
	icLengthOrig
	icPointer
	icRedirGW
	icNumAddrs
	icAddrEntrySize
	icLifetime
	icRouterAddr
	icPrefLevel
	icOrigTS
	icRecvTS
	icXmitTS
	icAddrMask
	icDataTime
	icDataTimeRel
	icExt
	icExtVersion
	icExtRes
	icExtChecksum
	icExtChecksumStatus
	icExtLength
	icExtClass
	icExtCType
	icExtData
	icMPLSLabel
	icMPLSExp
	icMPLSS
	icMPLSTTL
	icMPLSData
)

// icmpWalk visits an ICMP message's fields in the order of Wireshark's
// dissect_icmp.
func icmpWalk(p *Packet, l *Layer, w *msgWalk) {
	// The original-datagram length (byte 5) is read before anything is
	// added, so a message of fewer than 6 bytes shows no field at all.
	if !w.has(0, 6) {
		return
	}
	t, code, dglen := w.m[0], w.m[1], w.m[5]
	if t == 6 {
		dglen = 0
	}
	w.f(icType, 0, 1)
	w.f(icCode, 1, 1)
	w.f(icChecksum, 2, 2)
	w.f(icChecksumStatus, 2, 2)
	switch t {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		w.f(icIdent, 4, 2)
		w.f(icIdentLE, 4, 2)
		w.f(icSeq, 6, 2)
		w.f(icSeqLE, 6, 2)
	case 3:
		switch {
		case dglen > 0:
			w.f(icUnused, 4, 1)
			w.f(icLength, 5, 1)
			w.f(icLengthOrig, 5, 1)
			if code == 4 {
				w.f(icMTU, 6, 2)
			} else {
				w.f(icUnused, 6, 2)
			}
		case code == 4:
			w.f(icUnused, 4, 2)
			w.f(icMTU, 6, 2)
		default:
			w.f(icUnused, 4, 4)
		}
	case 9:
		w.f(icNumAddrs, 4, 1)
		w.f(icAddrEntrySize, 5, 1)
		w.f(icLifetime, 6, 2)
	case 12:
		w.f(icPointer, 4, 1)
		if dglen > 0 {
			w.f(icLength, 5, 1)
			w.f(icLengthOrig, 5, 1)
			w.f(icUnused, 6, 2)
		} else {
			w.f(icUnused, 5, 3)
		}
	case 5:
		w.f(icRedirGW, 4, 4)
	case 11:
		if dglen > 0 {
			w.f(icUnused, 4, 1)
			w.f(icLength, 5, 1)
			w.f(icLengthOrig, 5, 1)
			w.f(icUnused, 6, 2)
		} else {
			w.f(icUnused, 4, 4)
		}
	case 42, 43:
		w.f(icIdent, 4, 2)
		w.f(icIdentLE, 4, 2)
	}
	if w.stop {
		return
	}
	switch t {
	case 0, 8:
		// The first bytes of the data are shown as the sender's clock
		// when they look like a timeval near the capture time.
		if len(w.m)-8 >= 8 {
			w.f(icDataTime, 8, 8)
			w.f(icDataTimeRel, 8, 8)
		}
	case 9:
		if int(w.m[5]) == 2 {
			for i := 0; i < int(w.m[4]); i++ {
				if !w.f(icRouterAddr, 8+8*i, 4) || !w.f(icPrefLevel, 12+8*i, 4) {
					return
				}
			}
		}
	case 13, 14:
		w.f(icOrigTS, 8, 4)
		w.f(icRecvTS, 12, 4)
		w.f(icXmitTS, 16, 4)
	case 17, 18:
		w.f(icAddrMask, 8, 4)
	case 42:
		// An extended echo request (RFC 8335) is all extension objects.
		if rep := msgReportedLen(p, l); rep > 8 {
			icmpExtensions(w, 8, rep)
		}
	case 3, 4, 5, 11, 12:
		// RFC 4884 extensions follow the first 128 bytes of the quoted
		// datagram when that datagram is no longer (Wireshark's default,
		// which does not favour MPLS extensions over longer quotes).
		if rep := msgReportedLen(p, l); rep > 8+128 && w.has(10, 2) && w.u16(10) <= 128 {
			icmpExtensions(w, 8+128, rep)
		}
	}
}

// icmpExtensions visits the RFC 4884 extension structure at off, which
// runs to the reported end of the message, and its RFC 4950 MPLS label
// stack objects.
func icmpExtensions(w *msgWalk, off, rep int) {
	if !w.none(icExt, off) || rep-off < 4 {
		return
	}
	if !w.f(icExtVersion, off, 1) || !w.f(icExtRes, off, 2) || !w.f(icExtChecksum, off+2, 2) {
		return
	}
	if w.u16(off+2) != 0 && len(w.m) < rep {
		// The checksum covers bytes that were not captured.
		w.stop = true
		return
	}
	w.f(icExtChecksumStatus, off+2, 2)
	if v := w.m[off] >> 4; v != 1 && v != 2 {
		return
	}
	for o := off + 4; rep-o >= 4 && !w.stop; {
		if !w.has(o, 4) {
			return
		}
		objLen := w.u16(o)
		end := o + min(objLen, rep-o)
		w.f(icExtLength, o, 2)
		w.f(icExtClass, o+2, 1)
		if objLen < 4 {
			return
		}
		class, ctype := w.m[o+2], w.m[o+3]
		unknown := false
		switch class {
		case 1:
			w.f(icExtCType, o+3, 1)
			if ctype != 1 {
				unknown = true
				break
			}
			e := o + 4
			for ; e+4 <= end && rep-e >= 4; e += 4 {
				w.f(icMPLSLabel, e, 3)
				w.f(icMPLSExp, e+2, 1)
				w.f(icMPLSS, e+2, 1)
				w.f(icMPLSTTL, e+3, 1)
			}
			if e < end {
				w.f(icMPLSData, e, end-e)
			}
		case 0:
			w.f(icExtCType, o+3, 1)
			if ctype != 1 {
				unknown = true
			} else if end-o > 4 {
				w.f(icExtData, o+4, end-o-4)
			}
		case 2:
			// Interface information (RFC 5837): only its C-Type is decoded.
			w.f(icExtCType, o+3, 1)
		case 3:
			if rep-o < 5 {
				unknown = true
			} else {
				w.f(icExtCType, o+3, 1)
			}
		default:
			unknown = true
		}
		if unknown {
			w.f(icExtCType, o+3, 1)
			if end-o > 4 {
				w.f(icExtData, o+4, end-o-4)
			}
		}
		o = end
	}
}

// icmpExtChecksumStatus verifies the extension checksum; a zero checksum
// is absent.
func icmpExtChecksumStatus(p *Packet, l *Layer, m []byte, off, _ int) (Value, bool) {
	if binary.BigEndian.Uint16(m[off:]) == 0 {
		return Uint(3), true
	}
	rep := msgReportedLen(p, l)
	if rep < off-2 || rep > len(m) {
		return Uint(2), true
	}
	if internetChecksum(m[off-2:rep]) == 0 {
		return Uint(1), true
	}
	return Uint(0), true
}

func icmpChecksumStatus(p *Packet, l *Layer, _ []byte, _, _ int) (Value, bool) {
	if !msgChecksumVerifiable(p, l) {
		return Uint(2), true
	}
	n := msgReportedLen(p, l)
	if internetChecksum(p.Data[l.Off:l.Off+n]) == 0 {
		return Uint(1), true
	}
	return Uint(0), true
}

// icmpDataTime applies Wireshark 4.0's test for a timeval at the start of
// echo data: a big-endian one within a day of the frame's time, else a
// little-endian one.
func icmpDataTime(p *Packet, b []byte) (int64, bool) {
	frameSecs := p.Time / 1e9
	if p.Time < 0 && p.Time%1e9 != 0 {
		frameSecs--
	}
	near := func(secs uint32, usecs uint32) bool {
		d := int32(int64(secs) - frameSecs)
		if d < 0 {
			d = -d
		}
		return d < 86400 && int32(usecs) < 1000000
	}
	secs, usecs := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	if !near(secs, usecs) {
		secs, usecs = binary.LittleEndian.Uint32(b), binary.LittleEndian.Uint32(b[4:])
		if !near(secs, usecs) {
			return 0, false
		}
	}
	return int64(secs)*1e9 + int64(int32(usecs)*1000), true
}

func msgLEUint16(_ *Packet, _ *Layer, m []byte, off, _ int) (Value, bool) {
	return Uint(uint64(binary.LittleEndian.Uint16(m[off:]))), true
}

func icmpField(id wfid, name, label string, t Type, base Base, size uint8, desc string, cv msgConv) *Field {
	return msgField(msgICMP, id, name, label, t, base, size, 0, desc, cv)
}

var (
	fICMPType = withStrings(icmpField(icType, "icmp.type", "Type", TUint, Dec, 1, "", nil), icmpTypeNames)
	fICMPCode = icmpField(icCode, "icmp.code", "Code", TUint, Dec, 1, "", nil)
)

var fICMPExt = icmpField(icExt, "icmp.ext", "ICMP Extensions", TNone, Dec, 0, "", nil)

var protoICMP = register(&Proto{ID: ProtoICMP, Name: "icmp", Short: "ICMP", Title: "Internet Control Message Protocol",
	Info: icmpInfo}, cat([]*Field{
	fICMPType,
	fICMPCode,
	icmpField(icChecksum, "icmp.checksum", "Checksum", TUint, Hex, 2, "", nil),
	withStrings(icmpField(icChecksumStatus, "icmp.checksum.status", "Checksum Status", TUint, Dec, 1, "", icmpChecksumStatus),
		msgChecksumStatusNames),
	icmpField(icUnused, "icmp.unused", "Unused", TBytes, Dec, 0, "", nil),
	icmpField(icIdent, "icmp.ident", "Identifier (BE)", TUint, DecHex, 2, "Identifier (big endian representation)", nil),
	icmpField(icIdentLE, "icmp.ident_le", "Identifier (LE)", TUint, DecHex, 2, "Identifier (little endian representation)",
		msgLEUint16),
	icmpField(icSeq, "icmp.seq", "Sequence Number (BE)", TUint, DecHex, 2, "Sequence Number (big endian representation)", nil),
	icmpField(icSeqLE, "icmp.seq_le", "Sequence Number (LE)", TUint, DecHex, 2, "Sequence Number (little endian representation)",
		msgLEUint16),
	icmpField(icMTU, "icmp.mtu", "MTU of next hop", TUint, Dec, 2, "", nil),
	icmpField(icLength, "icmp.length", "Length", TUint, Dec, 1, "The length of the original datagram", nil),
	icmpField(icLengthOrig, "icmp.length.original_datagram", "Length of original datagram", TUint, Dec, 1,
		"The length of the original datagram (length * 4)",
		func(_ *Packet, _ *Layer, m []byte, off, _ int) (Value, bool) { return Uint(uint64(m[off]) * 4), true }),
	icmpField(icPointer, "icmp.pointer", "Pointer", TUint, Dec, 4, "", nil),
	icmpField(icRedirGW, "icmp.redir_gw", "Gateway Address", TIPv4, Dec, 0, "", nil),
	icmpField(icNumAddrs, "icmp.num_addrs", "Number of addresses", TUint, Dec, 1, "", nil),
	icmpField(icAddrEntrySize, "icmp.addr_entry_size", "Address entry size", TUint, Dec, 1, "", nil),
	icmpField(icLifetime, "icmp.lifetime", "Lifetime", TUint, Dec, 2, "", nil),
	icmpField(icRouterAddr, "icmp.router_address", "Router address", TIPv4, Dec, 0, "", nil),
	icmpField(icPrefLevel, "icmp.pref_level", "Preference level", TInt, Dec, 4, "", nil),
	icmpField(icOrigTS, "icmp.originate_timestamp", "Originate Timestamp", TUint, Dec, 4, "", nil),
	icmpField(icRecvTS, "icmp.receive_timestamp", "Receive Timestamp", TUint, Dec, 4, "", nil),
	icmpField(icXmitTS, "icmp.transmit_timestamp", "Transmit Timestamp", TUint, Dec, 4, "", nil),
	icmpField(icAddrMask, "icmp.address_mask", "Address Mask", TIPv4, Dec, 0, "", nil),
	icmpField(icDataTime, "icmp.data_time", "Timestamp from icmp data", TTime, Dec, 0,
		"The timestamp in the first 8 bytes of the icmp data",
		func(p *Packet, _ *Layer, m []byte, off, _ int) (Value, bool) {
			ts, ok := icmpDataTime(p, m[off:])
			return Int(ts), ok
		}),
	icmpField(icDataTimeRel, "icmp.data_time_relative", "Timestamp from icmp data (relative)", TDuration, Dec, 0,
		"The timestamp of the packet, relative to the timestamp in the first 8 bytes of the icmp data",
		func(p *Packet, _ *Layer, m []byte, off, _ int) (Value, bool) {
			ts, ok := icmpDataTime(p, m[off:])
			return Int(p.Time - ts), ok
		}),
	fICMPExt,
}, msgUnder(fICMPExt,
	icmpField(icExtVersion, "icmp.ext.version", "Version", TUint, Dec, 1, "",
		func(_ *Packet, _ *Layer, m []byte, off, _ int) (Value, bool) { return Uint(uint64(m[off] >> 4)), true }),
	msgField(msgICMP, icExtRes, "icmp.ext.res", "Reserved", TUint, Hex, 2, 0x0fff, "", nil),
	icmpField(icExtChecksum, "icmp.ext.checksum", "Checksum", TUint, Hex, 2, "", nil),
	withStrings(icmpField(icExtChecksumStatus, "icmp.ext.checksum.status", "Checksum Status", TUint, Dec, 1, "", icmpExtChecksumStatus),
		map[uint64]string{0: "Bad", 1: "Good", 2: "Unverified", 3: "Not present"}),
	icmpField(icExtLength, "icmp.ext.length", "Length", TUint, Dec, 2, "", nil),
	withStrings(icmpField(icExtClass, "icmp.ext.class", "Class", TUint, Dec, 1, "", nil),
		map[uint64]string{1: "MPLS Label Stack Class", 2: "Interface Information Object", 3: "Interface Identification Object"}),
	icmpField(icExtCType, "icmp.ext.ctype", "C-Type", TUint, Dec, 1, "", nil),
	icmpField(icExtData, "icmp.ext.data", "Data", TBytes, Dec, 0, "", nil),
	msgField(msgICMP, icMPLSLabel, "icmp.mpls.label", "Label", TUint, Dec, 3, 0xfffff0, "", nil),
	msgField(msgICMP, icMPLSExp, "icmp.mpls.exp", "Experimental", TUint, Dec, 1, 0x0e, "", nil),
	msgField(msgICMP, icMPLSS, "icmp.mpls.s", "Stack bit", TBool, Dec, 1, 0x01, "", nil),
	icmpField(icMPLSTTL, "icmp.mpls.ttl", "Time to live", TUint, Dec, 1, "", nil),
	icmpField(icMPLSData, "icmp.mpls.data", "Data", TBytes, Dec, 0, "", nil),
))...,
)

// icmpInfo writes the Info column as dissect_icmp does: the type name
// padded to 20 characters, the code's name, and for echo-like messages the
// identifier, the sequence number both ways round and the IP TTL.
func icmpInfo(p *Packet, l *Layer) string {
	m := msgBytes(p, l)
	if len(m) < 6 {
		return ""
	}
	t, code := m[0], m[1]
	var b strings.Builder
	name := icmpTypeName(t, code)
	b.WriteString(name)
	for i := len(name); i < 20; i++ {
		b.WriteByte(' ')
	}
	if cs, ok := icmpCodeName(t, code); ok {
		b.WriteString(" (" + cs + ")")
	}
	switch t {
	case 0, 8, 13, 14, 15, 16, 17, 18:
		if len(m) < 8 {
			break
		}
		id, seq := binary.BigEndian.Uint16(m[4:]), binary.BigEndian.Uint16(m[6:])
		b.WriteString(" id=0x")
		h := strconv.FormatUint(uint64(id), 16)
		b.WriteString(strings.Repeat("0", 4-len(h)) + h)
		b.WriteString(", seq=" + strconv.Itoa(int(seq)) + "/" + strconv.Itoa(int(binary.LittleEndian.Uint16(m[6:]))))
		if n, _ := msgNetLayer(p, l); n != nil && n.Proto == ProtoIP && n.Hdr-n.Off >= 9 {
			b.WriteString(", ttl=" + strconv.Itoa(int(p.Data[n.Off+8])))
		}
	}
	return b.String()
}
