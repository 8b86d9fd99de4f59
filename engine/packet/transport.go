package packet

import (
	"encoding/binary"

	"github.com/gopacket/gopacket/layers"
)

// ipClaimedEnd returns where the IP datagram enclosing l ends according to
// its length field, which may lie past the captured bytes.
func (p *Packet) ipClaimedEnd(l *Layer) (int, bool) {
	if p.inReassembled(l) {
		return len(p.Data), true
	}
	for i := len(p.Layers) - 1; i >= 0; i-- {
		n := &p.Layers[i]
		if n.Off >= l.Off {
			continue
		}
		switch n.Proto {
		case ProtoIP:
			b, ok := hdrBytes(p, n, 2, 2)
			if !ok {
				return 0, false
			}
			tl := int(binary.BigEndian.Uint16(b))
			if tl == 0 { // TSO: the length is not filled in
				return n.End, true
			}
			return n.Off + tl, true
		case ProtoIPv6:
			b, ok := hdrBytes(p, n, 4, 2)
			if !ok {
				return 0, false
			}
			pl := int(binary.BigEndian.Uint16(b))
			if pl == 0 {
				return n.End, true
			}
			return n.Off + 40 + pl, true
		}
	}
	return 0, false
}

func tcpHdrLen(p *Packet, l *Layer) (int, bool) {
	b, ok := hdrBytes(p, l, 12, 1)
	if !ok {
		return 0, false
	}
	return int(b[0]>>4) * 4, true
}

// tcpSegLen is tcp.len: the payload length the IP header implies.
func tcpSegLen(p *Packet, l *Layer) (int, bool) {
	if firstTCP(p, l) {
		return p.TCP.Len, p.TCP.Analysed
	}
	if l.Quoted {
		return 0, false
	}
	hl, ok := tcpHdrLen(p, l)
	if !ok || hl < 20 {
		return 0, false
	}
	n := p.reportedEnd(l) - l.Off
	if n < hl {
		return 0, false
	}
	return n - hl, true
}

// firstTCP reports whether l is the packet's first unquoted TCP header,
// the one the capture-wide analysis describes.
func firstTCP(p *Packet, l *Layer) bool {
	return p.TCP.Valid && l.Idx == 0
}

// analysedTCP reports whether l has Wireshark's sequence analysis: the
// first TCP header, whole, not quoted and not in an IP fragment.
func analysedTCP(p *Packet, l *Layer) bool {
	return firstTCP(p, l) && p.TCP.Analysed
}

// tcpAt guards a TCP header field at off: a header whose data offset is
// below 5 words is bogus, and Wireshark stops dissecting it after the
// sequence number.
func tcpAt(f *Field, off int) *Field {
	g := f.Get
	f.Get = func(p *Packet, l *Layer, dst []Value) []Value {
		if off >= 8 {
			if b, ok := hdrBytes(p, l, 12, 1); ok && b[0]>>4 < 5 {
				return dst
			}
		}
		return g(p, l, dst)
	}
	return f
}

// tcpOpts returns the options gopacket decoded for l, or nil.
func tcpOpts(p *Packet, l *Layer) []layers.TCPOption {
	if l.Bad || l.Quoted || int(l.Idx) >= maxRepeat || l.Hdr-l.Off < 20 {
		return nil
	}
	st := p.st
	t := &st.tcp[l.Idx]
	if !st.tcpOpts[l.Idx] {
		st.tcpOpts[l.Idx] = true
		if t.DecodeFromBytes(p.Data[l.Off:l.End], nopFeedback) != nil {
			t.Options = t.Options[:0]
		}
	}
	return t.Options
}

// tcpOption declares a field read from the first TCP option of a kind.
func tcpOption(name, label string, kind layers.TCPOptionKind, t Type, size uint8, get func(data []byte, dst []Value) []Value) *Field {
	return &Field{Name: name, Label: label, Type: t, Size: size, Get: func(p *Packet, l *Layer, dst []Value) []Value {
		for _, o := range tcpOpts(p, l) {
			if o.OptionType == kind {
				dst = get(o.OptionData, dst)
			}
		}
		return dst
	}}
}

var (
	fTCPSrcPort = uintAt("tcp.srcport", "Source Port", 0, 2, Dec, 0, "")
	fTCPDstPort = uintAt("tcp.dstport", "Destination Port", 2, 2, Dec, 0, "")
	fTCPFlags   = tcpAt(uintAt("tcp.flags", "Flags", 12, 2, Hex, 0x0fff, "Flags (12 bits)"), 12)
	fTCPSeq     = computed("tcp.seq", "Sequence Number", TUint, Dec, 4, "Relative sequence number", func(p *Packet, l *Layer, dst []Value) []Value {
		if firstTCP(p, l) {
			return append(dst, Uint(uint64(p.TCP.SeqRel)))
		}
		return dst
	})
	fTCPLen = computed("tcp.len", "TCP Segment Len", TUint, Dec, 4, "", func(p *Packet, l *Layer, dst []Value) []Value {
		if n, ok := tcpSegLen(p, l); ok {
			return append(dst, Uint(uint64(n)))
		}
		return dst
	})
)

func init() {
	for _, n := range []string{"tcp.stream", "tcp.seq", "tcp.ack", "tcp.nxtseq", "tcp.len", "tcp.window_size", "tcp.window_size_scalefactor", "udp.stream"} {
		Fields.Field(n).Tracked = true
	}
}

var protoTCP = register(&Proto{ID: ProtoTCP, Name: "tcp", Title: "Transmission Control Protocol",
	Node: func(p *Packet, l *Layer) string {
		s := "Transmission Control Protocol, Src Port: " + firstString(p, l, fTCPSrcPort) + ", Dst Port: " + firstString(p, l, fTCPDstPort)
		if firstTCP(p, l) {
			s += ", Seq: " + itoa(int(p.TCP.SeqRel))
		}
		if n, ok := tcpSegLen(p, l); ok {
			s += ", Len: " + itoa(n)
		}
		return s
	}},
	cat(
		[]*Field{
			fTCPSrcPort,
			fTCPDstPort,
			either("tcp.port", "Source or Destination Port", TUint, "", fTCPSrcPort, fTCPDstPort),
			computed("tcp.stream", "Stream index", TUint, Dec, 4, "TCP conversation index, in order of first appearance", func(p *Packet, l *Layer, dst []Value) []Value {
				if firstTCP(p, l) {
					return append(dst, Uint(uint64(p.TCP.Stream)))
				}
				return dst
			}),
			fTCPLen,
			fTCPSeq,
			uintAt("tcp.seq_raw", "Sequence Number (raw)", 4, 4, Dec, 0, ""),
			computed("tcp.nxtseq", "Next Sequence Number", TUint, Dec, 4, "Relative sequence number of the next segment", func(p *Packet, l *Layer, dst []Value) []Value {
				// Wireshark stops before it on a bogus (< 20) header length.
				if hl, _ := tcpHdrLen(p, l); !analysedTCP(p, l) || hl < 20 {
					return dst
				}
				n := p.TCP.Len
				if b, ok := hdrBytes(p, l, 13, 1); ok && b[0]&0x03 != 0 {
					n++ // SYN and FIN take a sequence number
				}
				return append(dst, Uint(uint64(p.TCP.SeqRel+uint32(n))))
			}),
			computed("tcp.ack", "Acknowledgment Number", TUint, Dec, 4, "Relative acknowledgment number", func(p *Packet, l *Layer, dst []Value) []Value {
				// Shown whatever the ACK flag: relative when it is set, the
				// raw number otherwise, as tshark 4.0 does.
				if firstTCP(p, l) && !l.Quoted {
					if _, ok := hdrBytes(p, l, 12, 1); ok && p.Data[l.Off+12]>>4 >= 5 {
						return append(dst, Uint(uint64(p.TCP.AckRel)))
					}
				}
				return dst
			}),
			tcpAt(uintAt("tcp.ack_raw", "Acknowledgment number (raw)", 8, 4, Dec, 0, ""), 8),
			{Name: "tcp.hdr_len", Label: "Header Length", Type: TUint, Base: Dec, Size: 1, Desc: "Header length in bytes",
				Get: func(p *Packet, l *Layer, dst []Value) []Value {
					if n, ok := tcpHdrLen(p, l); ok {
						return append(dst, Uint(uint64(n)))
					}
					return dst
				}},
		},
		children(fTCPFlags,
			boolAt("tcp.flags.res", "Reserved", 12, 2, 0x0e00, ""),
			boolAt("tcp.flags.ae", "Accurate ECN", 12, 2, 0x0100, ""),
			boolAt("tcp.flags.cwr", "Congestion Window Reduced", 12, 2, 0x0080, ""),
			boolAt("tcp.flags.ece", "ECN-Echo", 12, 2, 0x0040, ""),
			boolAt("tcp.flags.urg", "Urgent", 12, 2, 0x0020, ""),
			boolAt("tcp.flags.ack", "Acknowledgment", 12, 2, 0x0010, ""),
			boolAt("tcp.flags.push", "Push", 12, 2, 0x0008, ""),
			boolAt("tcp.flags.reset", "Reset", 12, 2, 0x0004, ""),
			boolAt("tcp.flags.syn", "Syn", 12, 2, 0x0002, ""),
			boolAt("tcp.flags.fin", "Fin", 12, 2, 0x0001, "")),
		[]*Field{
			tcpAt(uintAt("tcp.window_size_value", "Window", 14, 2, Dec, 0, ""), 14),
			computed("tcp.window_size", "Calculated window size", TUint, Dec, 4, "The window scaled by the shift its sender announced", func(p *Packet, l *Layer, dst []Value) []Value {
				if analysedTCP(p, l) {
					return append(dst, Uint(uint64(p.TCP.Window)))
				}
				return dst
			}),
			computed("tcp.window_size_scalefactor", "Window size scaling factor", TInt, Dec, 4, "-1 unknown, -2 no window scaling used", func(p *Packet, l *Layer, dst []Value) []Value {
				// Wireshark leaves it out of SYNs, whose window is never scaled.
				if analysedTCP(p, l) && p.Data[l.Off+13]&0x02 == 0 {
					return append(dst, Int(int64(p.TCP.WinScale)))
				}
				return dst
			}),
			tcpAt(uintAt("tcp.checksum", "Checksum", 16, 2, Hex, 0, ""), 16),
			tcpAt(uintAt("tcp.urgent_pointer", "Urgent Pointer", 18, 2, Dec, 0, ""), 18),
			{Name: "tcp.options", Label: "Options", Type: TBytes, Get: func(p *Packet, l *Layer, dst []Value) []Value {
				if hl, ok := tcpHdrLen(p, l); ok && hl > 20 {
					if b, ok := hdrBytes(p, l, 20, hl-20); ok {
						return append(dst, Bytes(b))
					}
				}
				return dst
			}},
			tcpOption("tcp.options.mss_val", "MSS Value", layers.TCPOptionKindMSS, TUint, 2, func(d []byte, dst []Value) []Value {
				if len(d) >= 2 {
					dst = append(dst, Uint(uint64(binary.BigEndian.Uint16(d))))
				}
				return dst
			}),
			tcpOption("tcp.options.wscale.shift", "Shift count", layers.TCPOptionKindWindowScale, TUint, 1, func(d []byte, dst []Value) []Value {
				if len(d) >= 1 {
					dst = append(dst, Uint(uint64(d[0])))
				}
				return dst
			}),
			tcpOption("tcp.options.wscale.multiplier", "Multiplier", layers.TCPOptionKindWindowScale, TUint, 2, func(d []byte, dst []Value) []Value {
				if len(d) >= 1 && d[0] <= 14 {
					dst = append(dst, Uint(1<<d[0]))
				}
				return dst
			}),
			tcpOption("tcp.options.sack_perm", "SACK Permitted", layers.TCPOptionKindSACKPermitted, TNone, 0, func(d []byte, dst []Value) []Value {
				return append(dst, Value{})
			}),
			tcpOption("tcp.options.sack_le", "TCP SACK Left Edge", layers.TCPOptionKindSACK, TUint, 4, func(d []byte, dst []Value) []Value {
				for ; len(d) >= 8; d = d[8:] {
					dst = append(dst, Uint(uint64(binary.BigEndian.Uint32(d))))
				}
				return dst
			}),
			tcpOption("tcp.options.sack_re", "TCP SACK Right Edge", layers.TCPOptionKindSACK, TUint, 4, func(d []byte, dst []Value) []Value {
				for ; len(d) >= 8; d = d[8:] {
					dst = append(dst, Uint(uint64(binary.BigEndian.Uint32(d[4:]))))
				}
				return dst
			}),
			tcpOption("tcp.options.sack.count", "TCP SACK Count", layers.TCPOptionKindSACK, TUint, 1, func(d []byte, dst []Value) []Value {
				return append(dst, Uint(uint64(len(d)/8)))
			}),
			tcpOption("tcp.options.timestamp.tsval", "Timestamp value", layers.TCPOptionKindTimestamps, TUint, 4, func(d []byte, dst []Value) []Value {
				if len(d) >= 8 {
					dst = append(dst, Uint(uint64(binary.BigEndian.Uint32(d))))
				}
				return dst
			}),
			tcpOption("tcp.options.timestamp.tsecr", "Timestamp echo reply", layers.TCPOptionKindTimestamps, TUint, 4, func(d []byte, dst []Value) []Value {
				if len(d) >= 8 {
					dst = append(dst, Uint(uint64(binary.BigEndian.Uint32(d[4:]))))
				}
				return dst
			}),
			{Name: "tcp.payload", Label: "TCP payload", Type: TBytes, Get: func(p *Packet, l *Layer, dst []Value) []Value {
				if !l.Quoted && l.Hdr < l.End {
					return append(dst, Bytes(p.Data[l.Hdr:l.End]))
				}
				return dst
			}},
		},
	)...,
)

var (
	fUDPSrcPort = uintAt("udp.srcport", "Source Port", 0, 2, Dec, 0, "")
	fUDPDstPort = uintAt("udp.dstport", "Destination Port", 2, 2, Dec, 0, "")
)

var protoUDP = register(&Proto{ID: ProtoUDP, Name: "udp", Title: "User Datagram Protocol",
	Node: func(p *Packet, l *Layer) string {
		return "User Datagram Protocol, Src Port: " + firstString(p, l, fUDPSrcPort) + ", Dst Port: " + firstString(p, l, fUDPDstPort)
	}},
	fUDPSrcPort,
	fUDPDstPort,
	either("udp.port", "Source or Destination Port", TUint, "", fUDPSrcPort, fUDPDstPort),
	uintAt("udp.length", "Length", 4, 2, Dec, 0, ""),
	uintAt("udp.checksum", "Checksum", 6, 2, Hex, 0, ""),
	computed("udp.stream", "Stream index", TUint, Dec, 4, "UDP conversation index, in order of first appearance", func(p *Packet, l *Layer, dst []Value) []Value {
		if p.UDP.Valid && l.Idx == 0 {
			return append(dst, Uint(uint64(p.UDP.Stream)))
		}
		return dst
	}),
	&Field{Name: "udp.payload", Label: "Payload", Type: TBytes, Get: func(p *Packet, l *Layer, dst []Value) []Value {
		if !l.Quoted && l.Hdr < l.End {
			return append(dst, Bytes(p.Data[l.Hdr:l.End]))
		}
		return dst
	}},
)
