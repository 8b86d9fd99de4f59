package packet

import (
	"encoding/binary"

	"github.com/wirelark/wirelark/engine/defrag"
)

var arpOpcodes = map[uint64]string{1: "request", 2: "reply", 3: "reverse request", 4: "reverse reply", 8: "inverse request", 9: "inverse reply"}

// arpAddr declares an ARP address field: which is 0..3 for sender
// hardware, sender protocol, target hardware, target protocol; typed
// fields appear only when the sizes fit (Ethernet MAC, IPv4).
func arpAddr(name, label string, which int, t Type) *Field {
	return &Field{Name: name, Label: label, Type: t, Get: func(p *Packet, l *Layer, dst []Value) []Value {
		h := p.Data[l.Off:l.Hdr]
		if len(h) < 8 {
			return dst
		}
		hs, ps := int(h[4]), int(h[5])
		offs := [4]int{8, 8 + hs, 8 + hs + ps, 8 + 2*hs + ps}
		sizes := [4]int{hs, ps, hs, ps}
		o, n := offs[which], sizes[which]
		if o+n > len(h) {
			return dst
		}
		hw := which%2 == 0
		switch t {
		case TMAC:
			if !hw || n != 6 || binary.BigEndian.Uint16(h[0:]) != 1 && binary.BigEndian.Uint16(h[0:]) != 6 {
				return dst
			}
		case TIPv4:
			if hw || n != 4 || binary.BigEndian.Uint16(h[2:]) != 0x0800 {
				return dst
			}
		case TBytes:
			if hw && n == 6 || !hw && n == 4 && binary.BigEndian.Uint16(h[2:]) == 0x0800 {
				return dst
			}
		}
		return append(dst, Bytes(h[o:o+n]))
	}}
}

var (
	fARPOpcode = withStrings(uintAt("arp.opcode", "Opcode", 6, 2, Dec, 0, ""), arpOpcodes)
	fARPSrcIP  = arpAddr("arp.src.proto_ipv4", "Sender IP address", 1, TIPv4)
	fARPDstIP  = arpAddr("arp.dst.proto_ipv4", "Target IP address", 3, TIPv4)
	fARPSrcMAC = arpAddr("arp.src.hw_mac", "Sender MAC address", 0, TMAC)
	fARPDstMAC = arpAddr("arp.dst.hw_mac", "Target MAC address", 2, TMAC)
)

// arpIs reports ARP's gratuitous flag: sender and target protocol
// addresses equal.
func arpGratuitous(p *Packet, l *Layer, dst []Value) []Value {
	var a, b [1]Value
	s := fARPSrcIP.Get(p, l, a[:0])
	t := fARPDstIP.Get(p, l, b[:0])
	if len(s) == 0 || len(t) == 0 {
		return dst
	}
	return append(dst, Bool(string(s[0].B) == string(t[0].B)))
}

var protoARP = register(&Proto{ID: ProtoARP, Name: "arp", Title: "Address Resolution Protocol",
	Node: func(p *Packet, l *Layer) string {
		op := "?"
		var v [1]Value
		if vs := fARPOpcode.Get(p, l, v[:0]); len(vs) > 0 {
			op = fARPOpcode.Strings[vs[0].U]
		}
		return "Address Resolution Protocol (" + op + ")"
	}},
	withStrings(uintAt("arp.hw.type", "Hardware type", 0, 2, Dec, 0, ""), map[uint64]string{1: "Ethernet", 6: "IEEE 802"}),
	withStrings(uintAt("arp.proto.type", "Protocol type", 2, 2, Hex, 0, ""), etherTypeNames),
	uintAt("arp.hw.size", "Hardware size", 4, 1, Dec, 0, ""),
	uintAt("arp.proto.size", "Protocol size", 5, 1, Dec, 0, ""),
	fARPOpcode,
	computed("arp.isgratuitous", "Is gratuitous", TBool, Dec, 0, "Sender and target IP addresses are the same", arpGratuitous),
	fARPSrcMAC,
	arpAddr("arp.src.hw", "Sender hardware address", 0, TBytes),
	fARPSrcIP,
	arpAddr("arp.src.proto", "Sender protocol address", 1, TBytes),
	fARPDstMAC,
	arpAddr("arp.dst.hw", "Target hardware address", 2, TBytes),
	fARPDstIP,
	arpAddr("arp.dst.proto", "Target protocol address", 3, TBytes),
)

var ipProtoNames = map[uint64]string{0: "IPv6 Hop-by-Hop Option", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 17: "UDP", 41: "IPv6",
	43: "IPv6 Routing", 44: "IPv6 Fragment", 47: "GRE", 50: "ESP", 51: "AH", 58: "ICMPv6", 59: "IPv6 No Next Header",
	60: "IPv6 Destination Options", 89: "OSPF", 103: "PIM", 112: "VRRP", 132: "SCTP"}

var (
	fIPSrc   = bytesAt("ip.src", "Source Address", 12, 4, TIPv4, "")
	fIPDst   = bytesAt("ip.dst", "Destination Address", 16, 4, TIPv4, "")
	fIPFlags = uintAt("ip.flags", "Flags", 6, 1, Hex, 0xe0, "Flags (3 bits)")
	fIPProto = withStrings(uintAt("ip.proto", "Protocol", 9, 1, Dec, 0, ""), ipProtoNames)
)

// ipChecksumStatus verifies the IPv4 header checksum: 0 bad, 1 good, 2
// not verifiable (header not all captured). tshark reports 2 unless its
// ip.check_checksum preference is on.
func ipChecksumStatus(p *Packet, l *Layer, dst []Value) []Value {
	h := p.Data[l.Off:l.Hdr]
	if len(h) < 20 || int(h[0]&15)*4 != len(h) {
		return append(dst, Uint(2))
	}
	if internetChecksum(h) == 0 {
		return append(dst, Uint(1))
	}
	return append(dst, Uint(0))
}

func internetChecksum(b []byte) uint16 {
	var s uint32
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return ^uint16(s)
}

var protoIP = register(&Proto{ID: ProtoIP, Name: "ip", Title: "Internet Protocol Version 4",
	Node: func(p *Packet, l *Layer) string {
		return "Internet Protocol Version 4, Src: " + firstString(p, l, fIPSrc) + ", Dst: " + firstString(p, l, fIPDst)
	}},
	cat(
		[]*Field{
			uintAt("ip.version", "Version", 0, 1, Dec, 0xf0, ""),
			{Name: "ip.hdr_len", Label: "Header Length", Type: TUint, Base: Dec, Size: 1, Desc: "Header length in bytes",
				Get: func(p *Packet, l *Layer, dst []Value) []Value {
					if b, ok := hdrBytes(p, l, 0, 1); ok {
						return append(dst, Uint(uint64(b[0]&15)*4))
					}
					return dst
				}},
		},
		children(uintAt("ip.dsfield", "Differentiated Services Field", 1, 1, Hex, 0, ""),
			uintAt("ip.dsfield.dscp", "Differentiated Services Codepoint", 1, 1, Dec, 0xfc, ""),
			uintAt("ip.dsfield.ecn", "Explicit Congestion Notification", 1, 1, Dec, 0x03, "")),
		[]*Field{
			uintAt("ip.len", "Total Length", 2, 2, Dec, 0, ""),
			uintAt("ip.id", "Identification", 4, 2, HexDec, 0, ""),
		},
		children(fIPFlags,
			boolAt("ip.flags.rb", "Reserved bit", 6, 1, 0x80, ""),
			boolAt("ip.flags.df", "Don't fragment", 6, 1, 0x40, ""),
			boolAt("ip.flags.mf", "More fragments", 6, 1, 0x20, "")),
		[]*Field{
			uintAt("ip.frag_offset", "Fragment Offset", 6, 2, Dec, 0x1fff, "Fragment offset in 8-byte units"),
			uintAt("ip.ttl", "Time to Live", 8, 1, Dec, 0, ""),
			fIPProto,
			uintAt("ip.checksum", "Header Checksum", 10, 2, Hex, 0, ""),
			withStrings(computed("ip.checksum.status", "Header checksum status", TUint, Dec, 1, "0 bad, 1 good, 2 unverified", ipChecksumStatus),
				map[uint64]string{0: "Bad", 1: "Good", 2: "Unverified"}),
			fIPSrc,
			fIPDst,
			either("ip.addr", "Source or Destination Address", TIPv4, "", fIPSrc, fIPDst),
		},
		reasmFields("ip"),
	)...,
)

var (
	fIPv6Src = bytesAt("ipv6.src", "Source Address", 8, 16, TIPv6, "")
	fIPv6Dst = bytesAt("ipv6.dst", "Destination Address", 24, 16, TIPv6, "")
)

var protoIPv6 = register(&Proto{ID: ProtoIPv6, Name: "ipv6", Title: "Internet Protocol Version 6",
	Node: func(p *Packet, l *Layer) string {
		return "Internet Protocol Version 6, Src: " + firstString(p, l, fIPv6Src) + ", Dst: " + firstString(p, l, fIPv6Dst)
	}},
	uintAt("ipv6.version", "Version", 0, 1, Dec, 0xf0, ""),
	uintAt("ipv6.tclass", "Traffic Class", 0, 4, Hex, 0x0ff00000, ""),
	uintAt("ipv6.tclass.dscp", "Differentiated Services Codepoint", 0, 4, Dec, 0x0fc00000, ""),
	uintAt("ipv6.tclass.ecn", "Explicit Congestion Notification", 0, 4, Dec, 0x00300000, ""),
	withSize(uintAt("ipv6.flow", "Flow Label", 0, 4, Hex, 0x000fffff, ""), 3),
	uintAt("ipv6.plen", "Payload Length", 4, 2, Dec, 0, ""),
	withStrings(uintAt("ipv6.nxt", "Next Header", 6, 1, Dec, 0, ""), ipProtoNames),
	uintAt("ipv6.hlim", "Hop Limit", 7, 1, Dec, 0, ""),
	fIPv6Src,
	fIPv6Dst,
	either("ipv6.addr", "Source or Destination Address", TIPv6, "", fIPv6Src, fIPv6Dst),
)

func init() {
	protoIPv6.Fields = append(protoIPv6.Fields, registerMore(protoIPv6, reasmFields("ipv6"))...)
}

// withSize overrides the width used for hex display (Wireshark's FT_UINT24
// flow label prints six digits though read from four bytes).
func withSize(f *Field, size uint8) *Field {
	g := f.Get
	f.Size = size
	f.Get = g
	return f
}

func extLen(p *Packet, l *Layer, dst []Value) []Value {
	if b, ok := hdrBytes(p, l, 1, 1); ok {
		return append(dst, Uint(uint64(b[0])))
	}
	return dst
}

var protoHopOpts = register(&Proto{ID: ProtoIPv6HopOpts, Name: "ipv6.hopopts", Title: "IPv6 Hop-by-Hop Option"},
	withStrings(uintAt("ipv6.hopopts.nxt", "Next Header", 0, 1, Dec, 0, ""), ipProtoNames),
	computed("ipv6.hopopts.len", "Length", TUint, Dec, 1, "Extension header length in 8-octet words (minus 1)", extLen),
)

var protoRouting = register(&Proto{ID: ProtoIPv6Routing, Name: "ipv6.routing", Title: "Routing Header for IPv6"},
	withStrings(uintAt("ipv6.routing.nxt", "Next Header", 0, 1, Dec, 0, ""), ipProtoNames),
	computed("ipv6.routing.len", "Length", TUint, Dec, 1, "Extension header length in 8-octet words (minus 1)", extLen),
	uintAt("ipv6.routing.type", "Type", 2, 1, Dec, 0, ""),
	uintAt("ipv6.routing.segleft", "Segments Left", 3, 1, Dec, 0, ""),
)

var protoFragHdr = register(&Proto{ID: ProtoIPv6Frag, Name: "ipv6.fraghdr", Title: "Fragment Header for IPv6"},
	withStrings(uintAt("ipv6.fraghdr.nxt", "Next header", 0, 1, Dec, 0, ""), ipProtoNames),
	uintAt("ipv6.fraghdr.offset", "Offset", 2, 2, Dec, 0xfff8, "Fragment offset in 8-octet units"),
	boolAt("ipv6.fraghdr.more", "More Fragments", 2, 2, 0x0001, ""),
	uintAt("ipv6.fraghdr.ident", "Identification", 4, 4, Hex, 0, ""),
)

var protoDstOpts = register(&Proto{ID: ProtoIPv6DstOpts, Name: "ipv6.dstopts", Title: "Destination Options for IPv6"},
	withStrings(uintAt("ipv6.dstopts.nxt", "Next Header", 0, 1, Dec, 0, ""), ipProtoNames),
	computed("ipv6.dstopts.len", "Length", TUint, Dec, 1, "Extension header length in 8-octet words (minus 1)", extLen),
)

var protoAH = register(&Proto{ID: ProtoAH, Name: "ah", Title: "Authentication Header"},
	withStrings(uintAt("ah.next_header", "Next header", 0, 1, Dec, 0, ""), ipProtoNames),
	uintAt("ah.length", "Length", 1, 1, Dec, 0, ""),
	uintAt("ah.spi", "AH SPI", 4, 4, Hex, 0, ""),
	uintAt("ah.sequence", "AH Sequence", 8, 4, Dec, 0, ""),
)

var protoESP = register(&Proto{ID: ProtoESP, Name: "esp", Title: "Encapsulating Security Payload"},
	uintAt("esp.spi", "ESP SPI", 0, 4, Hex, 0, ""),
	uintAt("esp.sequence", "ESP Sequence", 4, 4, Dec, 0, ""),
)

// reasmOf returns the reassembly a frame completed when l is the IP header
// of that datagram.
func reasmOf(p *Packet, l *Layer) *Reassembly {
	if p.Reasm.Valid && l.Off == p.Reasm.IPOff && !l.Quoted {
		return &p.Reasm
	}
	return nil
}

// reasmFields declares the reassembly fields of an IP version (prefix
// "ip" or "ipv6"), as Wireshark shows them on the completing frame.
func reasmFields(prefix string) []*Field {
	frames := func(list func(r *Reassembly) []int) Getter {
		return func(p *Packet, l *Layer, dst []Value) []Value {
			if r := reasmOf(p, l); r != nil {
				for _, n := range list(r) {
					dst = append(dst, Uint(uint64(n)))
				}
			}
			return dst
		}
	}
	flag := func(bit uint8) Getter {
		return func(p *Packet, l *Layer, dst []Value) []Value {
			if r := reasmOf(p, l); r != nil && r.Flags&bit != 0 {
				return append(dst, Bool(true))
			}
			return dst
		}
	}
	return []*Field{
		computed(prefix+".fragment", "Frame", TFrameNum, Dec, 4, "A fragment of the reassembled datagram", frames(func(r *Reassembly) []int { return r.Frames })),
		computed(prefix+".fragment.error", "Defragmentation error", TFrameNum, Dec, 4, "A fragment Wireshark flags as illegal (conflicting overlap, second tail, too long)", frames(func(r *Reassembly) []int { return r.Errors })),
		computed(prefix+".fragment.count", "Fragment count", TUint, Dec, 4, "", func(p *Packet, l *Layer, dst []Value) []Value {
			if r := reasmOf(p, l); r != nil {
				return append(dst, Uint(uint64(len(r.Frames)+len(r.Errors))))
			}
			return dst
		}),
		computed(prefix+".fragment.overlap", "Fragment overlap", TBool, Dec, 0, "", flag(uint8(defrag.Overlap))),
		computed(prefix+".fragment.overlap.conflict", "Conflicting data in fragment overlap", TBool, Dec, 0, "", flag(uint8(defrag.Conflict))),
		computed(prefix+".fragment.multipletails", "Multiple tail fragments found", TBool, Dec, 0, "", flag(uint8(defrag.MultipleTails))),
		computed(prefix+".fragment.toolongfragment", "Fragment too long", TBool, Dec, 0, "", flag(uint8(defrag.TooLong))),
		computed(prefix+".reassembled.length", "Reassembled length", TUint, Dec, 4, "Length of the reassembled payload", func(p *Packet, l *Layer, dst []Value) []Value {
			if r := reasmOf(p, l); r != nil {
				return append(dst, Uint(uint64(r.Length)))
			}
			return dst
		}),
		computed(prefix+".reassembled.data", "Reassembled data", TBytes, Dec, 0, "", func(p *Packet, l *Layer, dst []Value) []Value {
			if r := reasmOf(p, l); r != nil {
				return append(dst, Bytes(p.Data[r.Off:r.Off+r.Length]))
			}
			return dst
		}),
	}
}
