package packet

import (
	"encoding/binary"
	"strings"
)

// Info-column text for the link, network and transport protocols, as
// Wireshark writes it in a single pass.

func init() {
	protoTCP.Info = tcpInfo
	protoUDP.Info = udpInfo
	protoARP.Info = arpInfo
	protoIP.Info = ipInfo
	protoIPv6.Info = ipv6Info
	protoIP.Short = "IPv4"
	protoIPv6.Short = "IPv6"
	protoEth.Short = "Ethernet"
	protoARP.Short = "ARP"
	protoTCP.Short = "TCP"
	protoUDP.Short = "UDP"
	protoData.Short = "Data"
}

var tcpFlagNames = [...]struct {
	bit  uint16
	name string
}{{0x001, "FIN"}, {0x002, "SYN"}, {0x004, "RST"}, {0x008, "PSH"}, {0x010, "ACK"}, {0x020, "URG"}, {0x040, "ECE"}, {0x080, "CWR"}, {0x100, "AE"}}

func tcpInfo(p *Packet, l *Layer) string {
	h := p.Data[l.Off:l.Hdr]
	if len(h) < 14 {
		return ""
	}
	if set := &p.st.pdu; set.held && firstTCP(p, l) {
		// The segment's bytes wait in a message that later frames
		// complete. HTTP has written the first line of a message the
		// segment begins, if it holds it, before asking for more.
		const seg = " [TCP segment of a reassembled PDU]"
		switch set.app {
		case ProtoHTTP:
			if s := httpInfo(p, l); s != "" {
				return s + seg
			}
		case ProtoNBSS:
			// So has NBSS the type of a message whose header it holds.
			if o := set.partial - 1; o >= 0 && o+4 <= p.frameLen {
				if s, ok := nbssTypeNames[uint64(p.Data[o])]; ok {
					return s + seg
				}
			}
		}
		return tcpSummary(p, l, h) + seg
	}
	return tcpSummary(p, l, h)
}

// tcpSummary is the Info text of a TCP segment by its header alone.
func tcpSummary(p *Packet, l *Layer, h []byte) string {
	var b strings.Builder
	b.WriteString(itoa(int(binary.BigEndian.Uint16(h))))
	b.WriteString(" → ")
	b.WriteString(itoa(int(binary.BigEndian.Uint16(h[2:]))))
	flags := binary.BigEndian.Uint16(h[12:]) & 0x1ff
	b.WriteString(" [")
	n := 0
	for _, f := range tcpFlagNames {
		if flags&f.bit != 0 {
			if n > 0 {
				b.WriteString(", ")
			}
			b.WriteString(f.name)
			n++
		}
	}
	if n == 0 {
		b.WriteString("<None>")
	}
	b.WriteString("] ")
	if firstTCP(p, l) {
		b.WriteString("Seq=" + itoa(int(p.TCP.SeqRel)))
		if flags&0x10 != 0 {
			b.WriteString(" Ack=" + itoa(int(p.TCP.AckRel)))
		}
	} else {
		b.WriteString("Seq=" + itoa(int(binary.BigEndian.Uint32(h[4:]))))
		if flags&0x10 != 0 {
			b.WriteString(" Ack=" + itoa(int(binary.BigEndian.Uint32(h[8:]))))
		}
	}
	if len(h) >= 16 {
		b.WriteString(" Win=" + itoa(tcpWindow(p, l, h)))
	}
	if flags&0x20 != 0 && len(h) >= 20 {
		b.WriteString(" Urg=" + itoa(int(binary.BigEndian.Uint16(h[18:]))))
	}
	if n, ok := tcpSegLen(p, l); ok {
		b.WriteString(" Len=" + itoa(n))
	}
	for _, o := range tcpOpts(p, l) {
		d := o.OptionData
		switch o.OptionType {
		case 2:
			if len(d) >= 2 {
				b.WriteString(" MSS=" + itoa(int(binary.BigEndian.Uint16(d))))
			}
		case 3:
			if len(d) >= 1 {
				b.WriteString(" WS=" + itoa(1<<min(d[0], 14)))
			}
		case 4:
			b.WriteString(" SACK_PERM")
		case 5:
			for ; len(d) >= 8; d = d[8:] {
				le, re := binary.BigEndian.Uint32(d), binary.BigEndian.Uint32(d[4:])
				b.WriteString(" SLE=" + itoa(int(le)) + " SRE=" + itoa(int(re)))
			}
		case 8:
			if len(d) >= 8 {
				b.WriteString(" TSval=" + itoa(int(binary.BigEndian.Uint32(d))) + " TSecr=" + itoa(int(binary.BigEndian.Uint32(d[4:]))))
			}
		}
	}
	return b.String()
}

func udpInfo(p *Packet, l *Layer) string {
	h := p.Data[l.Off:l.Hdr]
	if len(h) < 6 {
		return ""
	}
	ulen := int(binary.BigEndian.Uint16(h[4:]))
	return itoa(int(binary.BigEndian.Uint16(h))) + " → " + itoa(int(binary.BigEndian.Uint16(h[2:]))) + " Len=" + itoa(max(ulen-8, 0))
}

func arpInfo(p *Packet, l *Layer) string {
	var a, b, c, d [1]Value
	op := fARPOpcode.Get(p, l, a[:0])
	sip := fARPSrcIP.Get(p, l, b[:0])
	tip := fARPDstIP.Get(p, l, c[:0])
	smac := fARPSrcMAC.Get(p, l, d[:0])
	if len(op) == 0 || len(sip) == 0 || len(tip) == 0 {
		return "ARP"
	}
	s, t := fARPSrcIP.FormatValue(sip[0]), fARPDstIP.FormatValue(tip[0])
	switch op[0].U {
	case 1:
		if s == t {
			return "Gratuitous ARP for " + s + " (Request)"
		}
		return "Who has " + t + "? Tell " + s
	case 2:
		if s == t {
			return "Gratuitous ARP for " + s + " (Reply)"
		}
		if len(smac) > 0 {
			return s + " is at " + fARPSrcMAC.FormatValue(smac[0])
		}
	}
	if name, ok := arpOpcodes[op[0].U]; ok {
		return "ARP " + name
	}
	return "Unknown ARP opcode 0x" + string(appendUint(nil, op[0].U, Hex, 2))[2:]
}

func ipInfo(p *Packet, l *Layer) string {
	h := p.Data[l.Off:l.Hdr]
	if len(h) < 20 {
		return ""
	}
	fo := binary.BigEndian.Uint16(h[6:])
	if fo&0x3fff != 0 {
		proto := uint64(h[9])
		name := ipProtoNames[proto]
		if name == "" {
			name = "Unknown"
		}
		return "Fragmented IP protocol (proto=" + name + " " + itoa(int(proto)) + ", off=" + itoa(int(fo&0x1fff)*8) +
			", ID=" + string(appendUint(nil, uint64(binary.BigEndian.Uint16(h[4:])), Hex, 2))[2:] + ")"
	}
	return ""
}

func ipv6Info(p *Packet, l *Layer) string {
	return ""
}

// tcpWindow is the window the Info column shows: scaled where the
// analysis knows the shift.
func tcpWindow(p *Packet, l *Layer, h []byte) int {
	if analysedTCP(p, l) {
		return int(p.TCP.Window)
	}
	return int(binary.BigEndian.Uint16(h[14:]))
}

// ipv6FragInfo describes a fragment whose datagram is not complete in
// this frame.
func ipv6FragInfo(p *Packet, l *Layer) string {
	h := p.Data[l.Off:l.Hdr]
	if len(h) < 8 || p.Reasm.Valid {
		return ""
	}
	fo := binary.BigEndian.Uint16(h[2:])
	more := "n"
	if fo&1 != 0 {
		more = "y"
	}
	return "IPv6 fragment (off=" + itoa(int(fo&0xfff8)) + " more=" + more + " ident=0x" +
		string(appendUint(nil, uint64(binary.BigEndian.Uint32(h[4:])), Hex, 4))[2:] + " nxt=" + itoa(int(h[0])) + ")"
}

func init() { protoFragHdr.Info = ipv6FragInfo }
