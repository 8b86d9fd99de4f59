package packet

import (
	"encoding/binary"
	"net/netip"
	"strconv"
	"strings"
)

// ICMPv6 (RFC 4443), Neighbor Discovery (RFC 4861) and its options,
// MLDv1 (RFC 2710) and MLDv2 (RFC 3810), after Wireshark 4.0's
// packet-icmpv6.c.

var icmpv6TypeNames = map[uint64]string{
	1: "Destination Unreachable", 2: "Packet Too Big", 3: "Time Exceeded", 4: "Parameter Problem",
	100: "Private experimentation", 101: "Private experimentation",
	127: "Reserved for expansion of ICMPv6 error messages",
	128: "Echo (ping) request", 129: "Echo (ping) reply",
	130: "Multicast Listener Query", 131: "Multicast Listener Report", 132: "Multicast Listener Done",
	133: "Router Solicitation", 134: "Router Advertisement", 135: "Neighbor Solicitation",
	136: "Neighbor Advertisement", 137: "Redirect", 138: "Router Renumbering",
	139: "Node Information Query", 140: "Node Information Reply",
	141: "Inverse Neighbor Discovery Solicitation", 142: "Inverse Neighbor Discovery Advertisement",
	143: "Multicast Listener Report Message v2", 144: "Home Agent Address Discovery Request",
	145: "Home Agent Address Discovery Reply", 146: "Mobile Prefix Solicitation",
	147: "Mobile Prefix Advertisement", 148: "Certification Path Solicitation",
	149: "Certification Path Advertisement", 150: "Experimental Mobility",
	151: "Multicast Router Advertisement", 152: "Multicast Router Solicitation",
	153: "Multicast Router Termination", 154: "FMIPv6", 155: "RPL Control",
	156: "Locator Update", 157: "Duplicate Address Request", 158: "Duplicate Address Confirmation",
	159: "MPL Control Message", 160: "Extended Echo request", 161: "Extended Echo reply",
	200: "Private experimentation", 201: "Private experimentation",
	255: "Reserved for expansion of ICMPv6 informational messages",
}

var icmpv6CodeNames = map[uint8]map[uint8]string{
	1: {0: "no route to destination", 1: "Administratively prohibited", 2: "Beyond scope of source address",
		3: "Address unreachable", 4: "Port unreachable", 5: "Source address failed ingress/egress policy",
		6: "Reject route to destination", 7: "Error in Source Routing Header"},
	3: {0: "hop limit exceeded in transit", 1: "fragment reassembly time exceeded"},
	4: {0: "erroneous header field encountered", 1: "unrecognized Next Header type encountered",
		2: "unrecognized IPv6 option encountered", 3: "IPv6 First Fragment has incomplete IPv6 Header Chain"},
	138: {0: "Command", 1: "Result", 255: "Sequence number reset"},
	139: {0: "Query subject = IPv6 addresses", 1: "Query subject = DNS name or empty",
		2: "Query subject = IPv4 addresses"},
	140: {0: "Successful", 1: "Refused", 2: "Unknown query type"},
	160: {0: "No error"},
	161: {0: "No error", 1: "Malformed Query", 2: "No Such Interface", 3: "No Such Table Entry",
		4: "Multiple Interfaces Satisfy Query"},
}

// icmpv6CodeName names the code of the types that have named codes.
func icmpv6CodeName(t, code uint8) (string, bool) {
	names, ok := icmpv6CodeNames[t]
	if !ok {
		return "", false
	}
	if s, ok := names[code]; ok {
		return s, true
	}
	if t == 1 {
		return "Unknown", true
	}
	return "Unknown (" + strconv.Itoa(int(code)) + ")", true
}

var icmpv6OptNames = map[uint64]string{
	1: "Source link-layer address", 2: "Target link-layer address", 3: "Prefix information",
	4: "Redirected header", 5: "MTU", 6: "NBMA Shortcut Limit Option", 7: "Advertisement Interval",
	8: "Home Agent Information", 9: "Source Address List", 10: "Target Address List", 11: "CGA",
	12: "RSA Signature", 13: "Timestamp", 14: "Nonce", 15: "Trust Anchor", 16: "Certificate",
	17: "IP Address/Prefix Option", 18: "New Router Prefix Information", 19: "Link-layer Address",
	20: "Neighbor Advertisement Acknowledgment", 23: "MAP", 24: "Route Information",
	25: "Recursive DNS Server", 26: "RA Flags Extension", 27: "Handover Key Request",
	28: "Handover Key Reply", 29: "Handover Assist Information", 30: "Mobile Node Identifier",
	31: "DNS Search List Option", 32: "Proxy Signature", 33: "Address Registration",
	34: "6LoWPAN Context", 35: "Authoritative Border Router", 36: "6LoWPAN Capability Indication",
	37: "DHCP Captive-Portal", 38: "PREF64",
}

var mldRecordTypeNames = map[uint64]string{1: "Include", 2: "Exclude", 3: "Changed to include",
	4: "Changed to exclude", 5: "Allow new sources", 6: "Block old sources"}

var raPreferenceNames = map[uint64]string{0: "Medium", 1: "High", 2: "Reserved", 3: "Low"}

const (
	i6Type wfid = iota + 1
	i6Code
	i6Checksum
	i6ChecksumStatus
	i6Reserved
	i6MTU
	i6Pointer
	i6EchoID
	i6EchoSeq
	i6Nonce
	i6MLDMRD
	i6MLDMAddr
	i6MLDMRC
	i6MLDFlag
	i6MLDFlagS
	i6MLDFlagQRV
	i6MLDFlagRsv
	i6MLDQQI
	i6MLDNbSources
	i6MLDSource
	i6MLDRNbRecords
	i6MAR
	i6MARType
	i6MARAuxLen
	i6MARNbSources
	i6MARMAddr
	i6MARSource
	i6MARAux
	i6RAHopLimit
	i6RAFlag
	i6RAFlagM
	i6RAFlagO
	i6RAFlagH
	i6RAFlagPrf
	i6RAFlagP
	i6RAFlagRsv
	i6RALifetime
	i6RAReachable
	i6RARetrans
	i6NSTarget
	i6NAFlag
	i6NAFlagR
	i6NAFlagS
	i6NAFlagO
	i6NAFlagRsv
	i6NATarget
	i6RDTarget
	i6RDDest
	i6Opt
	i6OptType
	i6OptLength
	i6OptReserved
	i6OptPadding
	i6LinkAddr
	i6SrcLinkAddr
	i6TgtLinkAddr
	i6LinkAddrEUI64
	i6SrcLinkAddrEUI64
	i6TgtLinkAddrEUI64
	i6PrefixLen
	i6PrefixFlag
	i6PrefixFlagL
	i6PrefixFlagA
	i6PrefixFlagR
	i6PrefixFlagRsv
	i6PrefixValid
	i6PrefixPreferred
	i6Prefix
	i6RedirectedPacket
	i6OptMTU
	i6NBMALimit
	i6AdvInterval
	i6HAPreference
	i6HALifetime
	i6OptIPv6Addr
	i6OptNonce
	i6RouteFlag
	i6RoutePref
	i6RouteFlagRsv
	i6RouteLifetime
	i6RDNSSLifetime
	i6RDNSS
	i6DNSSLLifetime
	i6DNSSL
	i6CaptivePortal
	i6Data
	i6UnknownData
	// Not fields: the link-layer addresses the Info column names.
	i6InfoFrom
	i6InfoIsAt
)

// icmpv6Walk visits an ICMPv6 message's fields in the order of Wireshark
// 4.0's dissect_icmpv6.
func icmpv6Walk(p *Packet, l *Layer, w *msgWalk) {
	if !w.f(i6Type, 0, 1) || !w.f(i6Code, 1, 1) || !w.f(i6Checksum, 2, 2) {
		return
	}
	w.f(i6ChecksumStatus, 2, 2)
	m := w.m
	switch t := m[0]; t {
	case 1, 3:
		w.f(i6Reserved, 4, 4)
	case 2:
		w.f(i6MTU, 4, 4)
	case 4:
		w.f(i6Pointer, 4, 4)
	case 128, 129:
		w.f(i6EchoID, 4, 2)
		w.f(i6EchoSeq, 6, 2)
		if t == 128 && teredoProbe(p, l) {
			w.f(i6Nonce, 8, 4)
		}
	case 130, 131, 132:
		// A query of at least 28 captured bytes is MLDv2's.
		if t == 130 && len(m) >= 28 {
			w.f(i6MLDMRC, 4, 2)
			w.f(i6Reserved, 6, 2)
			w.f(i6MLDMAddr, 8, 16)
			w.f(i6MLDFlag, 24, 1)
			w.f(i6MLDFlagS, 24, 1)
			w.f(i6MLDFlagQRV, 24, 1)
			w.f(i6MLDFlagRsv, 24, 1)
			w.f(i6MLDQQI, 25, 1)
			if !w.f(i6MLDNbSources, 26, 2) {
				return
			}
			for i, off := 0, 28; i < w.u16(26); i, off = i+1, off+16 {
				if !w.f(i6MLDSource, off, 16) {
					return
				}
			}
		} else {
			w.f(i6MLDMRD, 4, 2)
			w.f(i6Reserved, 6, 2)
			w.f(i6MLDMAddr, 8, 16)
		}
	case 133, 141, 142:
		if w.f(i6Reserved, 4, 4) {
			icmpv6Options(w, 8)
		}
	case 134:
		w.f(i6RAHopLimit, 4, 1)
		w.f(i6RAFlag, 5, 1)
		w.f(i6RAFlagM, 5, 1)
		w.f(i6RAFlagO, 5, 1)
		w.f(i6RAFlagH, 5, 1)
		w.f(i6RAFlagPrf, 5, 1)
		w.f(i6RAFlagP, 5, 1)
		w.f(i6RAFlagRsv, 5, 1)
		w.f(i6RALifetime, 6, 2)
		w.f(i6RAReachable, 8, 4)
		if w.f(i6RARetrans, 12, 4) {
			icmpv6Options(w, 16)
		}
	case 135:
		w.f(i6Reserved, 4, 4)
		if w.f(i6NSTarget, 8, 16) {
			icmpv6Options(w, 24)
		}
	case 136:
		w.f(i6NAFlag, 4, 4)
		w.f(i6NAFlagR, 4, 4)
		w.f(i6NAFlagS, 4, 4)
		w.f(i6NAFlagO, 4, 4)
		w.f(i6NAFlagRsv, 4, 4)
		if w.f(i6NATarget, 8, 16) {
			icmpv6Options(w, 24)
		}
	case 137:
		w.f(i6Reserved, 4, 4)
		w.f(i6RDTarget, 8, 16)
		if w.f(i6RDDest, 24, 16) {
			icmpv6Options(w, 40)
		}
	case 143:
		w.f(i6Reserved, 4, 2)
		w.f(i6MLDRNbRecords, 6, 2)
		for off := 8; off < len(m) && !w.stop; {
			if !w.none(i6MAR, off) || !w.f(i6MARType, off, 1) || !w.f(i6MARAuxLen, off+1, 1) ||
				!w.f(i6MARNbSources, off+2, 2) || !w.f(i6MARMAddr, off+4, 16) {
				return
			}
			aux, n := w.u8(off+1), w.u16(off+2)
			off += 20
			for i := 0; i < n; i++ {
				if !w.f(i6MARSource, off, 16) {
					return
				}
				off += 16
			}
			if aux > 0 {
				if !w.f(i6MARAux, off, aux*4) {
					return
				}
				off += aux * 4
			}
		}
	case 138:
		// Router renumbering: sequence, segment, flags, delay, reserved.
		w.has(4, 8)
		w.f(i6Reserved, 12, 4)
	case 144, 145, 146:
		w.has(4, 2)
		w.f(i6Reserved, 6, 2)
	case 147, 148:
		if w.has(4, 4) {
			icmpv6Options(w, 8)
		}
	case 149:
		if w.has(4, 6) && w.f(i6Reserved, 10, 2) {
			icmpv6Options(w, 12)
		}
	case 150, 154:
		if !w.has(4, 1) {
			return
		}
		switch m[4] {
		case 2, 3, 5:
			w.f(i6Reserved, 5, 1)
		case 4:
			w.has(5, 1)
		}
		if w.has(6, 2) {
			icmpv6Options(w, 8)
		}
	case 139, 140, 151, 152, 153, 155, 157, 158, 159:
		// Their fields are not decoded here.
	case 156:
		w.has(4, 1)
		w.f(i6Reserved, 5, 1)
		w.f(i6Reserved, 6, 2)
	case 160, 161:
		w.f(i6EchoID, 4, 2)
		w.has(6, 2)
	default:
		// Types Wireshark has no dissector for show their data.
		if len(m) > 4 {
			w.f(i6Data, 4, len(m)-4)
		}
	}
}

// icmpv6Options visits the ND options from off to the end of the message,
// as dissect_icmpv6_nd_opt does.
func icmpv6Options(w *msgWalk, off int) {
	m := w.m
	for off < len(m) {
		if !w.has(off+1, 1) {
			return
		}
		typ, optLen := m[off], int(m[off+1])*8
		if !w.none(i6Opt, off) || !w.f(i6OptType, off, 1) || !w.f(i6OptLength, off+1, 1) {
			return
		}
		if optLen == 0 {
			// Wireshark gives up on the message at a zero length.
			w.stop = true
			return
		}
		end := off + optLen
		o := off + 2
		known := true
		switch typ {
		case 1, 2:
			src := typ == 1
			switch {
			case optLen == 8:
				w.f(i6LinkAddr, o, 6)
				if src {
					w.f(i6SrcLinkAddr, o, 6)
					w.f(i6InfoFrom, o, 6)
				} else {
					w.f(i6TgtLinkAddr, o, 6)
					w.f(i6InfoIsAt, o, 6)
				}
			case optLen == 16 && w.has(o+8, 4) && binary.BigEndian.Uint32(m[o+8:]) == 0 &&
				w.has(o+12, 2) && binary.BigEndian.Uint16(m[o+12:]) == 0:
				w.f(i6LinkAddrEUI64, o, 8)
				if src {
					w.f(i6SrcLinkAddrEUI64, o, 8)
					w.f(i6LinkAddr, o, 8)
					w.f(i6SrcLinkAddr, o, 8)
				} else {
					w.f(i6TgtLinkAddrEUI64, o, 8)
				}
				w.none(i6OptPadding, o+8)
				// Wireshark says "from" for a target EUI-64 too.
				w.f(i6InfoFrom, o, 8)
			default:
				w.f(i6LinkAddr, o, optLen-2)
				if src {
					w.f(i6SrcLinkAddr, o, optLen-2)
				} else {
					w.f(i6TgtLinkAddr, o, optLen-2)
				}
			}
			o += optLen
		case 3:
			w.f(i6PrefixLen, o, 1)
			for _, id := range [...]wfid{i6PrefixFlag, i6PrefixFlagL, i6PrefixFlagA, i6PrefixFlagR, i6PrefixFlagRsv} {
				w.f(id, o+1, 1)
			}
			w.f(i6PrefixValid, o+2, 4)
			w.f(i6PrefixPreferred, o+6, 4)
			w.none(i6OptReserved, o+10)
			w.f(i6Prefix, o+14, 16)
			o += 30
		case 4:
			w.none(i6OptReserved, o)
			o += 6
			if optLen > 8 {
				// Wireshark dissects the packet inside as an IPv6
				// datagram quoted in an error.
				w.none(i6RedirectedPacket, o)
				o += optLen - 8
			}
		case 5:
			w.none(i6OptReserved, o)
			w.f(i6OptMTU, o+2, 4)
			o += 6
		case 6:
			w.f(i6NBMALimit, o, 1)
			w.none(i6OptReserved, o)
			w.none(i6OptReserved, o+1)
			o += 5
		case 7:
			w.none(i6OptReserved, o)
			w.f(i6AdvInterval, o+2, 4)
			o += 6
		case 8:
			w.none(i6OptReserved, o)
			w.f(i6HAPreference, o+2, 2)
			w.f(i6HALifetime, o+4, 2)
			o += 6
		case 9, 10:
			w.none(i6OptReserved, o)
			for o += 6; o < end && w.f(i6OptIPv6Addr, o, 16); o += 16 {
			}
		case 14:
			w.f(i6OptNonce, o, optLen-2)
			o += optLen - 2
		case 24:
			w.f(i6PrefixLen, o, 1)
			w.f(i6RouteFlag, o+1, 1)
			w.f(i6RoutePref, o+1, 1)
			w.f(i6RouteFlagRsv, o+1, 1)
			w.f(i6RouteLifetime, o+2, 4)
			o += 6
			switch optLen {
			case 16:
				w.f(i6Prefix, o, 8)
				o += 8
			case 24:
				w.f(i6Prefix, o, 16)
				o += 16
			}
		case 25:
			w.none(i6OptReserved, o)
			w.f(i6RDNSSLifetime, o+2, 4)
			for o += 6; o < end && w.f(i6RDNSS, o, 16); o += 16 {
			}
		case 26:
			w.has(o, 2)
			w.none(i6OptReserved, o+2)
			o += 6
		case 31:
			w.none(i6OptReserved, o)
			w.f(i6DNSSLLifetime, o+2, 4)
			for o += 6; o < end && w.has(o, 1); {
				if m[o] == 0 {
					w.none(i6OptPadding, o)
					o = end
					break
				}
				_, n, ok := ndName(m, o, o, false)
				if !ok {
					// The name runs past the captured bytes: an exception.
					w.stop = true
					return
				}
				// The name's bytes may lie anywhere a pointer led.
				if !w.f(i6DNSSL, o, 0) {
					return
				}
				o += n
			}
		case 37:
			w.f(i6CaptivePortal, o, optLen-2)
			o += optLen - 2
		case 11, 12, 13, 15, 16, 17, 18, 19, 20, 23, 27, 28, 29, 30, 32, 33, 34, 35, 36, 38:
			// Options whose fields are not decoded here.
			known = false
		default:
			w.f(i6Data, o, optLen-2)
			o += optLen - 2
		}
		if w.stop {
			return
		}
		if known && end > o {
			w.f(i6UnknownData, o, end-o)
		}
		off = end
	}
}

// ndName expands the domain name at off as Wireshark's expand_dns_name
// does, compression pointers counting from base: it returns the name
// (when build is set), the bytes the name takes at off, and false where
// Wireshark throws an exception.
func ndName(m []byte, off, base int, build bool) (string, int, bool) {
	const maxName = 1024 // MAXDNAME less the NUL
	var b []byte
	start, used, processed := off, -1, 0
	dataSize := len(m) - base
	put := func(s ...byte) {
		if build {
			for _, c := range s {
				if len(b) < maxName {
					b = append(b, c)
				}
			}
		}
	}
	for {
		if off >= len(m) {
			return "", 0, false
		}
		c := int(m[off])
		off++
		if c == 0 {
			break
		}
		processed++
		switch c & 0xc0 {
		case 0x00:
			if len(b) > 0 {
				put('.')
			}
			if off+c > len(m) {
				return "", 0, false
			}
			put(m[off : off+c]...)
			off += c
			processed += c
		case 0x40:
			if c&0x3f != 1 {
				return "<Unknown extended label>", off - start, true
			}
			// A bitstring label (RFC 2673).
			if off >= len(m) {
				return "", 0, false
			}
			bits := int(m[off])
			off++
			n := (bits-1)/8 + 1
			if off+n > len(m) {
				return "", 0, false
			}
			put([]byte("\\[x")...)
			for _, x := range m[off : off+n] {
				put(hexDigits[x>>4], hexDigits[x&15])
			}
			put([]byte("/" + strconv.Itoa(bits) + "]")...)
			off += n
		case 0x80:
			return "", 0, false
		case 0xc0:
			if off >= len(m) {
				return "", 0, false
			}
			to := base + ((c&0x3f)<<8 | int(m[off]))
			off++
			processed++
			if used < 0 {
				used = off - start
			}
			if processed >= dataSize {
				return "<Name contains a pointer that loops>", used, true
			}
			off = to
		}
	}
	if used < 0 {
		used = off - start
	}
	if len(b) == 0 {
		return "<Root>", used, true
	}
	return ndText(b), used, true
}

// ndText escapes the bytes of a name that are not printable, as
// Wireshark's format_text does.
func ndText(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch {
		case c >= 0x20 && c < 0x7f:
			s.WriteByte(c)
		case c == '\a':
			s.WriteString(`\a`)
		case c == '\b':
			s.WriteString(`\b`)
		case c == '\f':
			s.WriteString(`\f`)
		case c == '\n':
			s.WriteString(`\n`)
		case c == '\r':
			s.WriteString(`\r`)
		case c == '\t':
			s.WriteString(`\t`)
		case c == '\v':
			s.WriteString(`\v`)
		default:
			s.WriteByte('\\')
			s.WriteByte('0' + c>>6)
			s.WriteByte('0' + c>>3&7)
			s.WriteByte('0' + c&7)
		}
	}
	return s.String()
}

func icmpv6ChecksumStatus(p *Packet, l *Layer, _ []byte, _, _ int) (Value, bool) {
	if !msgChecksumVerifiable(p, l) {
		return Uint(2), true
	}
	n, _ := msgNetLayer(p, l)
	if n == nil {
		return Uint(2), true
	}
	// The pseudo-header: the addresses of the IP header (Wireshark's
	// pinfo->src and dst), the message length and the next header, 58.
	var src, dst []byte
	switch h := p.Data[n.Off:n.Hdr]; {
	case n.Proto == ProtoIPv6 && len(h) >= 40:
		src, dst = h[8:24], h[24:40]
	case n.Proto == ProtoIP && len(h) >= 20:
		src, dst = h[12:16], h[16:20]
	default:
		return Uint(2), true
	}
	rep := msgReportedLen(p, l)
	var sum uint32
	add := func(b []byte) {
		for ; len(b) >= 2; b = b[2:] {
			sum += uint32(b[0])<<8 | uint32(b[1])
		}
		if len(b) == 1 {
			sum += uint32(b[0]) << 8
		}
	}
	add(src)
	add(dst)
	sum += uint32(rep>>16) + uint32(rep&0xffff) + 58
	add(p.Data[l.Off : l.Off+rep])
	for sum > 0xffff {
		sum = sum>>16 + sum&0xffff
	}
	if sum == 0xffff {
		return Uint(1), true
	}
	return Uint(0), true
}

// mldMRC decodes MLDv2's Maximum Response Code.
func mldMRC(_ *Packet, _ *Layer, m []byte, off, _ int) (Value, bool) {
	v := uint64(binary.BigEndian.Uint16(m[off:]))
	if v >= 32768 {
		v = (v&0x0fff | 0x1000) << ((v&0x7000)>>12 + 3)
	}
	return Uint(v), true
}

// mldQQI decodes MLDv2's Querier's Query Interval Code (as a 16-bit value
// kept in an 8-bit field, as Wireshark does).
func mldQQI(_ *Packet, _ *Layer, m []byte, off, _ int) (Value, bool) {
	v := uint64(m[off])
	if v >= 128 {
		v = uint64(uint16((v&0x0f | 0x10) << ((v&0x70)>>4 + 3)))
	}
	return Uint(v), true
}

// paddedIPv6 widens a prefix of fewer than 16 bytes to an address.
func paddedIPv6(_ *Packet, _ *Layer, m []byte, off, n int) (Value, bool) {
	if n == 16 {
		return Bytes(m[off : off+16]), true
	}
	b := make([]byte, 16)
	copy(b, m[off:off+n])
	return Bytes(b), true
}

func dnsslName(_ *Packet, _ *Layer, m []byte, off, _ int) (Value, bool) {
	name, _, _ := ndName(m, off, off, true)
	return Str(name), true
}

func i6Field(id wfid, name, label string, t Type, base Base, size uint8, desc string) *Field {
	return msgField(msgICMPv6, id, name, label, t, base, size, 0, desc, nil)
}

func i6Bits(id wfid, name, label string, t Type, base Base, size uint8, mask uint64, desc string) *Field {
	return msgField(msgICMPv6, id, name, label, t, base, size, mask, desc, nil)
}

func i6Computed(id wfid, name, label string, t Type, base Base, size uint8, desc string, cv msgConv) *Field {
	return msgField(msgICMPv6, id, name, label, t, base, size, 0, desc, cv)
}

var (
	fICMPv6Type   = withStrings(i6Field(i6Type, "icmpv6.type", "Type", TUint, Dec, 1, "Indicates the type of the message"), icmpv6TypeNames)
	fICMPv6Code   = i6Field(i6Code, "icmpv6.code", "Code", TUint, Dec, 1, "Depends on the message type.  It is used to create an additional level of message granularity")
	fICMPv6MLDFl  = i6Field(i6MLDFlag, "icmpv6.mld.flag", "Flags", TUint, Hex, 1, "")
	fICMPv6RAFl   = i6Field(i6RAFlag, "icmpv6.nd.ra.flag", "Flags", TUint, Hex, 1, "")
	fICMPv6NAFl   = i6Field(i6NAFlag, "icmpv6.nd.na.flag", "Flags", TUint, Hex, 4, "")
	fICMPv6PfxFl  = i6Field(i6PrefixFlag, "icmpv6.opt.prefix.flag", "Flag", TUint, Hex, 1, "")
	fICMPv6RteFl  = i6Field(i6RouteFlag, "icmpv6.opt.route_info.flag", "Flag", TUint, Hex, 1, "")
	fICMPv6Opt    = i6Field(i6Opt, "icmpv6.opt", "ICMPv6 Option", TNone, Dec, 0, "Option")
	fICMPv6MAR    = i6Field(i6MAR, "icmpv6.mldr.mar", "Multicast Address Record", TNone, Dec, 0, "Each Multicast Address Record is a block of fields that contain information on the sender listening to a single multicast address on the interface from which the Report is sent")
	fICMPv6Target = i6Field(i6NSTarget, "icmpv6.nd.ns.target_address", "Target Address", TIPv6, Dec, 0, "The IP address of the target of the solicitation")
)

var protoICMPv6 = register(&Proto{ID: ProtoICMPv6, Name: "icmpv6", Short: "ICMPv6", Title: "Internet Control Message Protocol v6",
	Info: icmpv6Info},
	cat(
		[]*Field{
			fICMPv6Type,
			fICMPv6Code,
			i6Field(i6Checksum, "icmpv6.checksum", "Checksum", TUint, Hex, 2, "Used to detect data corruption in the ICMPv6 message and parts of the IPv6 header"),
			withStrings(i6Computed(i6ChecksumStatus, "icmpv6.checksum.status", "Checksum Status", TUint, Dec, 1, "", icmpv6ChecksumStatus),
				msgChecksumStatusNames),
			i6Field(i6Reserved, "icmpv6.reserved", "Reserved", TBytes, Dec, 0, "Must be Zero"),
			i6Field(i6MTU, "icmpv6.mtu", "MTU", TUint, Dec, 4, "The Maximum Transmission Unit of the next-hop link"),
			i6Field(i6Pointer, "icmpv6.pointer", "Pointer", TUint, Dec, 4, "Identifies the octet offset within the invoking packet where the error was detected"),
			i6Field(i6EchoID, "icmpv6.echo.identifier", "Identifier", TUint, Hex, 2, "An identifier to aid in matching with Request and Reply"),
			i6Field(i6EchoSeq, "icmpv6.echo.sequence_number", "Sequence", TUint, Dec, 2, "A sequence number to aid in matching Echo Replies to this Echo Request"),
			i6Field(i6Nonce, "icmpv6.nonce", "Nonce", TBytes, Dec, 0, ""),
			i6Field(i6MLDMRD, "icmpv6.mld.maximum_response_delay", "Maximum Response Delay [ms]", TUint, Dec, 2, "Specifies the maximum allowed delay before sending a responding Report, in units of milliseconds"),
			i6Computed(i6MLDMRC, "icmpv6.mld.maximum_response_code", "Maximum Response Code", TUint, Dec, 2, "Specifies the maximum allowed delay before sending a responding Report", mldMRC),
			i6Field(i6MLDMAddr, "icmpv6.mld.multicast_address", "Multicast Address", TIPv6, Dec, 0, "Specific IPv6 multicast address"),
		},
		children(fICMPv6MLDFl,
			i6Bits(i6MLDFlagS, "icmpv6.mld.flag.s", "Suppress Router-Side Processing", TBool, Dec, 1, 0x08, "Indicates to any receiving multicast routers that they have to suppress the normal timer updates they perform upon hearing a Query"),
			i6Bits(i6MLDFlagQRV, "icmpv6.mld.flag.qrv", "QRV (Querier's Robustness Variable)", TUint, Dec, 1, 0x07, "Contains the RV (Robustness Variable) value used by the Querier"),
			i6Bits(i6MLDFlagRsv, "icmpv6.mld.flag.reserved", "Reserved", TUint, Dec, 1, 0xf0, "Must Be Zero")),
		[]*Field{
			i6Computed(i6MLDQQI, "icmpv6.mld.qqi", "QQIC (Querier's Query Interval Code)", TUint, Dec, 1, "Specifies the QI (Query Interval) used by the Querier", mldQQI),
			i6Field(i6MLDNbSources, "icmpv6.mld.nb_sources", "Number of Sources", TUint, Dec, 2, "Specifies how many source addresses are present in the Query"),
			i6Field(i6MLDSource, "icmpv6.mld.source_address", "Source Address", TIPv6, Dec, 0, "The Source Address fields are a vector of unicast addresses"),
			i6Field(i6MLDRNbRecords, "icmpv6.mldr.nb_mcast_records", "Number of Multicast Address Records", TUint, Dec, 2, "Specifies how many Multicast Address Records are present in this Report"),
		},
		children(fICMPv6MAR,
			withStrings(i6Field(i6MARType, "icmpv6.mldr.mar.record_type", "Record Type", TUint, Dec, 1, "It specifies the type of the Multicast Address Record"), mldRecordTypeNames),
			i6Field(i6MARAuxLen, "icmpv6.mldr.mar.aux_data_len", "Aux Data Len", TUint, Dec, 1, "The Aux Data Len field contains the length (in units of 32-bit words) of the Auxiliary Data Field in this Multicast Address Record"),
			i6Field(i6MARNbSources, "icmpv6.mldr.mar.nb_sources", "Number of Sources", TUint, Dec, 2, "The Number of Sources field specifies how many source addresses are present in this Multicast Address Record"),
			i6Field(i6MARMAddr, "icmpv6.mldr.mar.multicast_address", "Multicast Address", TIPv6, Dec, 0, "The Multicast Address field contains the multicast address to which this Multicast Address Record pertains"),
			i6Field(i6MARSource, "icmpv6.mldr.mar.source_address", "Source Address", TIPv6, Dec, 0, "The Source Address fields are a vector of unicast addresses"),
			i6Field(i6MARAux, "icmpv6.mldr.mar.auxiliary_data", "Auxiliary Data", TBytes, Dec, 0, "Contains additional information that pertain to this Multicast Address Record")),
		[]*Field{
			i6Field(i6RAHopLimit, "icmpv6.nd.ra.cur_hop_limit", "Cur hop limit", TUint, Dec, 1, "The default value that should be placed in the Hop Count field of the IP header for outgoing IP packets"),
		},
		children(fICMPv6RAFl,
			i6Bits(i6RAFlagM, "icmpv6.nd.ra.flag.m", "Managed address configuration", TBool, Dec, 1, 0x80, "When set, it indicates that addresses are available via DHCPv6"),
			i6Bits(i6RAFlagO, "icmpv6.nd.ra.flag.o", "Other configuration", TBool, Dec, 1, 0x40, "When set, it indicates that other configuration information is available via DHCPv6"),
			i6Bits(i6RAFlagH, "icmpv6.nd.ra.flag.h", "Home Agent", TBool, Dec, 1, 0x20, "When set, it indicate that the router sending this Router Advertisement is also functioning as a Mobile IPv6 home agent on this link"),
			withStrings(i6Bits(i6RAFlagPrf, "icmpv6.nd.ra.flag.prf", "Prf (Default Router Preference)", TUint, Dec, 1, 0x18, "Indicates whether to prefer this router over other default routers"), raPreferenceNames),
			i6Bits(i6RAFlagP, "icmpv6.nd.ra.flag.p", "Proxy", TBool, Dec, 1, 0x04, ""),
			i6Bits(i6RAFlagRsv, "icmpv6.nd.ra.flag.rsv", "Reserved", TUint, Dec, 1, 0x03, "Must be Zero")),
		[]*Field{
			i6Field(i6RALifetime, "icmpv6.nd.ra.router_lifetime", "Router lifetime (s)", TUint, Dec, 2, "The lifetime associated with the default router"),
			i6Field(i6RAReachable, "icmpv6.nd.ra.reachable_time", "Reachable time (ms)", TUint, Dec, 4, "The time that a node assumes a neighbor is reachable after having received a reachability confirmation"),
			i6Field(i6RARetrans, "icmpv6.nd.ra.retrans_timer", "Retrans timer (ms)", TUint, Dec, 4, "The time between retransmitted Neighbor Solicitation messages"),
			fICMPv6Target,
		},
		children(fICMPv6NAFl,
			i6Bits(i6NAFlagR, "icmpv6.nd.na.flag.r", "Router", TBool, Dec, 4, 0x80000000, "When set, it indicates that the sender is a router"),
			i6Bits(i6NAFlagS, "icmpv6.nd.na.flag.s", "Solicited", TBool, Dec, 4, 0x40000000, "When set, it indicates that the advertisement was sent in response to a Neighbor Solicitation from the Destination address"),
			i6Bits(i6NAFlagO, "icmpv6.nd.na.flag.o", "Override", TBool, Dec, 4, 0x20000000, "When set, it indicates that the advertisement should override an existing cache entry and update the cached link-layer address"),
			i6Bits(i6NAFlagRsv, "icmpv6.nd.na.flag.rsv", "Reserved", TUint, Dec, 4, 0x1fffffff, "Must be Zero")),
		[]*Field{
			i6Field(i6NATarget, "icmpv6.nd.na.target_address", "Target Address", TIPv6, Dec, 0, "the Target Address field in the Neighbor Solicitation message that prompted this advertisement"),
			i6Field(i6RDTarget, "icmpv6.nd.rd.target_address", "Target Address", TIPv6, Dec, 0, "An IP address that is a better first hop to use for the ICMP Destination Address"),
			i6Field(i6RDDest, "icmpv6.rd.na.destination_address", "Destination Address", TIPv6, Dec, 0, "The IP address of the destination that is redirected to the target"),
		},
		[]*Field{fICMPv6Opt},
		msgUnder(fICMPv6Opt,
			withStrings(i6Field(i6OptType, "icmpv6.opt.type", "Type", TUint, Dec, 1, "Options type"), icmpv6OptNames),
			i6Field(i6OptLength, "icmpv6.opt.length", "Length", TUint, Dec, 1, "The length (in units of 8 bytes) of the option (including the Type and Length fields)"),
			i6Field(i6OptReserved, "icmpv6.opt.reserved", "Reserved", TNone, Dec, 0, "Reserved (Must be 0)"),
			i6Field(i6OptPadding, "icmpv6.opt.padding", "Padding", TNone, Dec, 0, "Padding (Must be 0)"),
			// Wireshark registers these under one name twice: Ethernet
			// addresses for 6-byte link-layer addresses, bytes otherwise.
			i6Field(i6LinkAddr, "icmpv6.opt.linkaddr", "Link-layer address", TMAC, Dec, 0, ""),
			msgHidden(i6Field(i6SrcLinkAddr, "icmpv6.opt.src_linkaddr", "Source Link-layer address", TMAC, Dec, 0, "")),
			msgHidden(i6Field(i6TgtLinkAddr, "icmpv6.opt.target_linkaddr", "Target Link-layer address", TMAC, Dec, 0, "")),
			i6Field(i6LinkAddrEUI64, "icmpv6.opt.linkaddr_eui64", "Link-layer address", TMAC, Dec, 0, ""),
			msgHidden(i6Field(i6SrcLinkAddrEUI64, "icmpv6.opt.src_linkaddr_eui64", "Source Link-layer address", TMAC, Dec, 0, "")),
			msgHidden(i6Field(i6TgtLinkAddrEUI64, "icmpv6.opt.target_linkaddr_eui64", "Target Link-layer address", TMAC, Dec, 0, "")),
			i6Field(i6PrefixLen, "icmpv6.opt.prefix.length", "Prefix Length", TUint, Dec, 1, "The number of leading bits in the Prefix that are valid"),
			fICMPv6PfxFl),
		msgUnder(fICMPv6PfxFl,
			i6Bits(i6PrefixFlagL, "icmpv6.opt.prefix.flag.l", "On-link flag(L)", TBool, Dec, 1, 0x80, "When set, indicates that this prefix can be used for on-link determination"),
			i6Bits(i6PrefixFlagA, "icmpv6.opt.prefix.flag.a", "Autonomous address-configuration flag(A)", TBool, Dec, 1, 0x40, "When set indicates that this prefix can be used for stateless address configuration"),
			i6Bits(i6PrefixFlagR, "icmpv6.opt.prefix.flag.r", "Router address flag(R)", TBool, Dec, 1, 0x20, "When set indicates that the Prefix field contains a complete IP address assigned to the sending router"),
			i6Bits(i6PrefixFlagRsv, "icmpv6.opt.prefix.flag.reserved", "Reserved", TUint, Dec, 1, 0x1f, "")),
		msgUnder(fICMPv6Opt,
			i6Field(i6PrefixValid, "icmpv6.opt.prefix.valid_lifetime", "Valid Lifetime", TUint, Dec, 4, "The length of time in seconds that the prefix is valid for the purpose of on-link determination"),
			i6Field(i6PrefixPreferred, "icmpv6.opt.prefix.preferred_lifetime", "Preferred Lifetime", TUint, Dec, 4, "The length of time in seconds that addresses generated from the prefix via stateless address autoconfiguration remain preferred"),
			i6Computed(i6Prefix, "icmpv6.opt.prefix", "Prefix", TIPv6, Dec, 0, "An IP address or a prefix of an IP address", paddedIPv6),
			i6Field(i6RedirectedPacket, "icmpv6.opt.redirected_packet", "Redirected Packet", TNone, Dec, 0, ""),
			i6Field(i6OptMTU, "icmpv6.opt.mtu", "MTU", TUint, Dec, 4, "The recommended MTU for the link"),
			i6Field(i6NBMALimit, "icmpv6.opt.nbma.shortcut_limit", "Shortcut Limit", TUint, Dec, 1, "Hop limit for shortcut attempt"),
			i6Field(i6AdvInterval, "icmpv6.opt.advertisement_interval", "Advertisement Interval", TUint, Dec, 4, "The maximum time (in milliseconds) between successive unsolicited Router Advertisement messages sent by this router on this network interface"),
			i6Field(i6HAPreference, "icmpv6.opt.home_agent_preference", "Home Agent Preference", TUint, Dec, 2, "The preference for the home agent sending this Router Advertisement"),
			i6Field(i6HALifetime, "icmpv6.opt.home_agent_lifetime", "Home Agent Preference", TUint, Dec, 2, "The lifetime associated with the home agent in units of seconds."),
			i6Field(i6OptIPv6Addr, "icmpv6.opt.ipv6_address", "IPv6 Address", TIPv6, Dec, 0, "IPv6 addresses of the interface"),
			i6Field(i6OptNonce, "icmpv6.opt.nonce", "Nonce", TBytes, Dec, 0, "A field containing a random number selected by the sender of the solicitation message"),
			fICMPv6RteFl),
		msgUnder(fICMPv6RteFl,
			withStrings(i6Bits(i6RoutePref, "icmpv6.opt.route_info.flag.route_preference", "Route Preference", TUint, Dec, 1, 0x18, "The Route Preference indicates whether to prefer the router associated with this prefix over others"), raPreferenceNames),
			i6Bits(i6RouteFlagRsv, "icmpv6.opt.route_info.flag.reserved", "Reserved", TUint, Dec, 1, 0xe7, "Must be 0")),
		msgUnder(fICMPv6Opt,
			i6Field(i6RouteLifetime, "icmpv6.opt.route_lifetime", "Route Lifetime", TUint, Dec, 4, "The length of time in seconds that the prefix is valid for the purpose of route determination"),
			i6Field(i6RDNSSLifetime, "icmpv6.opt.rdnss.lifetime", "Lifetime", TUint, Dec, 4, ""),
			i6Field(i6RDNSS, "icmpv6.opt.rdnss", "Recursive DNS Servers", TIPv6, Dec, 0, ""),
			i6Field(i6DNSSLLifetime, "icmpv6.opt.dnssl.lifetime", "Lifetime", TUint, Dec, 4, ""),
			i6Computed(i6DNSSL, "icmpv6.opt.dnssl", "Domain Names", TString, Dec, 0, "", dnsslName),
			i6Field(i6CaptivePortal, "icmpv6.opt.captive_portal", "Captive Portal", TString, Dec, 0, "The contact URI for the captive portal that the user should connect to"),
			i6Field(i6UnknownData, "icmpv6.unknown_data", "Unknown Data", TBytes, Dec, 0, "Not interpreted Data")),
		[]*Field{
			i6Field(i6Data, "icmpv6.data", "Data", TBytes, Dec, 0, ""),
		},
	)...,
)

// icmpv6Info writes the Info column as dissect_icmpv6 does: the type, the
// code's name, echo identifiers and the IPv6 hop limit, the target of
// neighbor messages and the link-layer addresses their options carry.
func icmpv6Info(p *Packet, l *Layer) string {
	m := msgBytes(p, l)
	if len(m) < 1 {
		return ""
	}
	t := m[0]
	var b strings.Builder
	if t == 128 && teredoProbe(p, l) {
		b.WriteString("Direct IPv6 Connectivity Test")
	} else if s, ok := icmpv6TypeNames[uint64(t)]; ok {
		b.WriteString(s)
	} else {
		b.WriteString("Unknown (" + strconv.Itoa(int(t)) + ")")
	}
	if len(m) < 2 {
		return b.String()
	}
	if cs, ok := icmpv6CodeName(t, m[1]); ok {
		b.WriteString(" (" + cs + ")")
	}
	switch t {
	case 150, 154:
		if len(m) > 4 {
			b.WriteString(" (" + fmip6SubtypeName(m[4]) + ")")
		}
	case 128, 129:
		if len(m) < 8 {
			return b.String()
		}
		h := strconv.FormatUint(uint64(binary.BigEndian.Uint16(m[4:])), 16)
		b.WriteString(" id=0x" + strings.Repeat("0", 4-len(h)) + h)
		b.WriteString(", seq=" + strconv.Itoa(int(binary.BigEndian.Uint16(m[6:]))))
		if n, _ := msgNetLayer(p, l); n != nil && n.Proto == ProtoIPv6 && n.Hdr-n.Off >= 8 {
			b.WriteString(", hop limit=" + strconv.Itoa(int(p.Data[n.Off+7])))
		}
		return b.String()
	case 135:
		if len(m) < 24 {
			return b.String()
		}
		b.WriteString(" for " + icmpv6Addr(m[8:24]))
	case 136:
		if len(m) < 24 {
			return b.String()
		}
		fl := binary.BigEndian.Uint32(m[4:])
		var names []string
		for i, s := range [...]string{"rtr", "sol", "ovr"} {
			if fl&(0x80000000>>i) != 0 {
				names = append(names, s)
			}
		}
		if len(names) == 0 {
			names = append(names, "none")
		}
		b.WriteString(" " + icmpv6Addr(m[8:24]) + " (" + strings.Join(names, ", ") + ")")
	}
	w := msgWalk{m: m, p: p, l: l}
	w.hook = func(id wfid, off, n int) {
		switch id {
		case i6InfoFrom:
			b.WriteString(" from ")
		case i6InfoIsAt:
			b.WriteString(" is at ")
		default:
			return
		}
		b.Write(appendMAC(nil, m[off:off+n]))
	}
	icmpv6Walk(p, l, &w)
	return b.String()
}

func fmip6SubtypeName(st uint8) string {
	switch st {
	case 2:
		return "Router Solicitation for Proxy Advertisement"
	case 3:
		return "Proxy Router Advertisement"
	case 4:
		return "Handover Initiate"
	case 5:
		return "Handover Acknowledge"
	}
	return "Unknown (" + strconv.Itoa(int(st)) + ")"
}

// teredoProbe reports whether an echo request is RFC 4380's direct IPv6
// connectivity test: it travels in UDP to the Teredo port, 3544, and
// carries a nonce.
func teredoProbe(p *Packet, l *Layer) bool {
	if l.Quoted {
		return false
	}
	for i := msgLayerIndex(p, l) - 1; i >= 0; i-- {
		if u := &p.Layers[i]; u.Proto == ProtoUDP {
			return u.Hdr-u.Off >= 4 && binary.BigEndian.Uint16(p.Data[u.Off+2:]) == 3544
		}
	}
	return false
}

// ICMPv6Column is the Protocol column of an ICMPv6 layer: Wireshark shows
// "Teredo" for a Teredo connectivity test.
func ICMPv6Column(p *Packet, l *Layer) string {
	if m := msgBytes(p, l); len(m) > 0 && m[0] == 128 && teredoProbe(p, l) {
		return "Teredo"
	}
	return "ICMPv6"
}

func icmpv6Addr(b []byte) string {
	a, _ := netip.AddrFromSlice(b)
	return a.String()
}
