package packet

import (
	"encoding/binary"
	"strings"
)

var (
	fFrameNumber = computed("frame.number", "Frame Number", TFrameNum, Dec, 4, "",
		func(p *Packet, l *Layer, dst []Value) []Value { return append(dst, Uint(uint64(p.Num))) })
	fFrameLen = computed("frame.len", "Frame Length", TUint, Dec, 4, "Frame length on the wire",
		func(p *Packet, l *Layer, dst []Value) []Value { return append(dst, Uint(uint64(p.Len))) })
)

var protoFrame = register(&Proto{ID: ProtoFrame, Name: "frame", Title: "Frame",
	Node: func(p *Packet, l *Layer) string {
		return "Frame " + itoa(p.Num) + ": " + itoa(p.Len) + " bytes on wire (" + itoa(p.Len*8) + " bits), " +
			itoa(p.frameLen) + " bytes captured (" + itoa(p.frameLen*8) + " bits)"
	}},
	computed("frame.interface_id", "Interface id", TUint, Dec, 4, "",
		func(p *Packet, l *Layer, dst []Value) []Value { return append(dst, Uint(uint64(p.Iface))) }),
	frameTime("frame.time", "Arrival Time", TTime, "Absolute time when this frame was captured", func(p *Packet) int64 { return p.Time }),
	frameTime("frame.time_epoch", "Epoch Time", TDuration, "Epoch time when this frame was captured", func(p *Packet) int64 { return p.Time }),
	frameTime("frame.time_delta", "Time delta from previous captured frame", TDuration, "", func(p *Packet) int64 { return p.Delta }),
	frameTime("frame.time_relative", "Time since reference or first frame", TDuration, "Time relative to the first frame", func(p *Packet) int64 { return p.Rel }),
	fFrameNumber,
	fFrameLen,
	computed("frame.cap_len", "Capture Length", TUint, Dec, 4, "Frame length stored into the capture file",
		func(p *Packet, l *Layer, dst []Value) []Value { return append(dst, Uint(uint64(p.frameLen))) }),
	computed("frame.protocols", "Protocols in frame", TString, Dec, 0, "Protocols carried by this frame",
		func(p *Packet, l *Layer, dst []Value) []Value { return append(dst, Str(p.ProtocolPath())) }),
)

// frameTime declares a time field of the frame; records without a
// timestamp have none.
func frameTime(name, label string, t Type, desc string, get func(p *Packet) int64) *Field {
	return computed(name, label, t, Dec, 0, desc, func(p *Packet, l *Layer, dst []Value) []Value {
		if p.NoTime {
			return dst
		}
		return append(dst, Int(get(p)))
	})
}

// ProtocolPath lists the packet's protocols as frame.protocols does
// ("eth:ethertype:ip:udp:dns").
func (p *Packet) ProtocolPath() string {
	p.Complete()
	var b strings.Builder
	for i := 1; i < len(p.Layers); i++ {
		l := &p.Layers[i]
		pr := Fields.ProtoByID(l.Proto)
		if pr == nil || l.Proto == ProtoMalformed {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(':')
		}
		b.WriteString(pr.Name)
		switch l.Proto {
		case ProtoEth, ProtoVLAN, ProtoIEEE8021AD, ProtoSLL, ProtoSLL2:
			if i+1 < len(p.Layers) && p.Layers[i+1].Proto != ProtoLLC {
				b.WriteString(":ethertype")
			}
		}
	}
	return b.String()
}

func itoa(i int) string { return string(appendUint(nil, uint64(i), Dec, 0)) }

var (
	fEthDst = bytesAt("eth.dst", "Destination", 0, 6, TMAC, "Destination Hardware Address")
	fEthSrc = bytesAt("eth.src", "Source", 6, 6, TMAC, "Source Hardware Address")
)

// ethType is present only for Ethernet II frames; 802.3 frames carry a
// length in its place.
func ethTypeOrLen(isType bool) Getter {
	return func(p *Packet, l *Layer, dst []Value) []Value {
		b, ok := hdrBytes(p, l, 12, 2)
		if !ok {
			return dst
		}
		v := binary.BigEndian.Uint16(b)
		if (v > 1500) != isType {
			return dst
		}
		return append(dst, Uint(uint64(v)))
	}
}

var protoEth = register(&Proto{ID: ProtoEth, Name: "eth", Title: "Ethernet II",
	Node: func(p *Packet, l *Layer) string {
		return "Ethernet II, Src: " + firstString(p, l, fEthSrc) + ", Dst: " + firstString(p, l, fEthDst)
	}},
	cat(
		children(fEthDst,
			boolAt("eth.dst.lg", "LG bit", 0, 3, 0x20000, "Specifies if this is a locally administered or globally unique (IEEE assigned) address"),
			boolAt("eth.dst.ig", "IG bit", 0, 3, 0x10000, "Specifies if this is an individual (unicast) or group (broadcast/multicast) address")),
		children(fEthSrc,
			boolAt("eth.src.lg", "LG bit", 6, 3, 0x20000, "Specifies if this is a locally administered or globally unique (IEEE assigned) address"),
			boolAt("eth.src.ig", "IG bit", 6, 3, 0x10000, "Specifies if this is an individual (unicast) or group (broadcast/multicast) address")),
		[]*Field{
			either("eth.addr", "Address", TMAC, "Source or Destination Hardware Address", fEthDst, fEthSrc),
			withStrings(&Field{Name: "eth.type", Label: "Type", Type: TUint, Base: Hex, Size: 2, Get: ethTypeOrLen(true)}, etherTypeNames),
			{Name: "eth.len", Label: "Length", Type: TUint, Base: Dec, Size: 2, Get: ethTypeOrLen(false)},
		},
	)...,
)

// firstString formats the first value of f in layer l.
func firstString(p *Packet, l *Layer, f *Field) string {
	var buf [2]Value
	vs := f.Get(p, l, buf[:0])
	if len(vs) == 0 {
		return "?"
	}
	return f.FormatValue(vs[0])
}

var etherTypeNames = map[uint64]string{
	0x0800: "IPv4", 0x86dd: "IPv6", 0x0806: "ARP", 0x8100: "802.1Q Virtual LAN",
	0x88a8: "802.1ad Provider Bridge (Q-in-Q)", 0x9100: "VLAN-tagged frame (Q-in-Q)",
	0x8847: "MPLS label switched packet", 0x8848: "MPLS multicast label switched packet",
	0x88cc: "802.1 Link Layer Discovery Protocol (LLDP)", 0x888e: "802.1X Authentication",
	0x8863: "PPPoE Discovery", 0x8864: "PPPoE Session", 0x88e5: "802.1AE (MACsec)",
	0x8035: "RARP", 0x9000: "Loopback",
}

var fVLANID = uintAt("vlan.id", "ID", 0, 2, Dec, 0x0fff, "VLAN ID")

var protoVLAN = register(&Proto{ID: ProtoVLAN, Name: "vlan", Title: "802.1Q Virtual LAN",
	Node: func(p *Packet, l *Layer) string {
		return "802.1Q Virtual LAN, PRI: " + firstString(p, l, Fields.Field("vlan.priority")) + ", DEI: " +
			firstString(p, l, Fields.Field("vlan.dei")) + ", ID: " + firstString(p, l, fVLANID)
	}},
	uintAt("vlan.priority", "Priority", 0, 2, Dec, 0xe000, "Descriptions are recommendations from IEEE standard 802.1D-2004"),
	boolAt("vlan.dei", "DEI", 0, 2, 0x1000, "Drop Eligible Indicator"),
	fVLANID,
	withStrings(&Field{Name: "vlan.etype", Label: "Type", Type: TUint, Base: Hex, Size: 2, Desc: "Ethertype", Get: vlanTypeOrLen(true)}, etherTypeNames),
	&Field{Name: "vlan.len", Label: "Length", Type: TUint, Base: Dec, Size: 2, Get: vlanTypeOrLen(false)},
)

func vlanTypeOrLen(isType bool) Getter {
	return func(p *Packet, l *Layer, dst []Value) []Value {
		b, ok := hdrBytes(p, l, 2, 2)
		if !ok {
			return dst
		}
		v := binary.BigEndian.Uint16(b)
		if (v > 1500) != isType {
			return dst
		}
		return append(dst, Uint(uint64(v)))
	}
}

// snapOnly restricts a getter to LLC headers with a SNAP extension.
func snapOnly(f *Field) *Field {
	g := f.Get
	f.Get = func(p *Packet, l *Layer, dst []Value) []Value {
		if l.Hdr-l.Off != 8 || p.Data[l.Off] != 0xaa {
			return dst
		}
		return g(p, l, dst)
	}
	return f
}

var protoIEEE8021AD = register(&Proto{ID: ProtoIEEE8021AD, Name: "ieee8021ad", Short: "IEEE 802.1ad", Title: "IEEE 802.1ad"},
	uintAt("ieee8021ad.priority", "Priority", 0, 2, Dec, 0xe000, ""),
	uintAt("ieee8021ad.dei", "DEI", 0, 2, Dec, 0x1000, ""),
	uintAt("ieee8021ad.id", "ID", 0, 2, Dec, 0x0fff, ""),
	withStrings(&Field{Name: "ieee8021ad.etype", Label: "Type", Type: TUint, Base: Hex, Size: 2, Desc: "Ethertype", Get: vlanTypeOrLen(true)}, etherTypeNames),
)

var protoLLC = register(&Proto{ID: ProtoLLC, Name: "llc", Title: "Logical-Link Control"},
	uintAt("llc.dsap", "DSAP", 0, 1, Hex, 0, "Destination Service Access Point"),
	uintAt("llc.ssap", "SSAP", 1, 1, Hex, 0, "Source Service Access Point"),
	uintAt("llc.control", "Control field", 2, 1, Hex, 0, ""),
	snapOnly(uintAt("llc.oui", "Organization Code", 3, 3, Hex, 0, "")),
	snapOnly(withStrings(uintAt("llc.type", "Type", 6, 2, Hex, 0, ""), etherTypeNames)),
)

// sllAt reads a Linux cooked header field at off1 (size1 bytes) in v1 and
// off2 (size2 bytes) in v2, which share Wireshark's sll.* names; a
// negative offset means absent.
func sllAt(name, label string, off1 int, size1 uint8, off2 int, size2 uint8, base Base, desc string) *Field {
	f1 := uintAt(name, label, off1, size1, base, 0, desc)
	f2 := uintAt(name, label, off2, size2, base, 0, desc)
	f := *f1
	f.Get = func(p *Packet, l *Layer, dst []Value) []Value {
		if l.Proto == ProtoSLL2 {
			if off2 < 0 {
				return dst
			}
			return f2.Get(p, l, dst)
		}
		if off1 < 0 {
			return dst
		}
		return f1.Get(p, l, dst)
	}
	return &f
}

var sllPacketTypes = map[uint64]string{0: "Unicast to us", 1: "Broadcast", 2: "Multicast", 3: "Unicast to another host", 4: "Sent by us"}

var protoSLL = register(&Proto{ID: ProtoSLL, Name: "sll", Title: "Linux cooked capture"},
	withStrings(sllAt("sll.pkttype", "Packet type", 0, 2, 10, 1, Dec, ""), sllPacketTypes),
	sllAt("sll.hatype", "Link-layer address type", 2, 2, 8, 2, Dec, ""),
	sllAt("sll.halen", "Link-layer address length", 4, 2, 11, 1, Dec, ""),
	&Field{Name: "sll.src.eth", Label: "Source", Type: TMAC, Desc: "Source link-layer address", Get: func(p *Packet, l *Layer, dst []Value) []Value {
		lenOff, addrOff := 4, 6
		if l.Proto == ProtoSLL2 {
			lenOff, addrOff = 11, 12
		}
		n, ok := hdrBytes(p, l, lenOff, 2-lenOff%2)
		if !ok || beUint(n) != 6 {
			return dst
		}
		if b, ok := hdrBytes(p, l, addrOff, 6); ok {
			return append(dst, Bytes(b))
		}
		return dst
	}},
	withStrings(sllAt("sll.etype", "Protocol", 14, 2, 0, 2, Hex, "Ethernet protocol type"), etherTypeNames),
	sllAt("sll.ifindex", "Interface index", -1, 4, 4, 4, Dec, ""),
)

func init() {
	fieldProto[ProtoSLL2] = ProtoSLL
	// SLL2 layers are shown under the sll protocol's fields.
	for int(ProtoSLL2) >= len(Fields.protos) {
		Fields.protos = append(Fields.protos, nil)
	}
	Fields.protos[ProtoSLL2] = &Proto{ID: ProtoSLL2, Name: "sll", Title: "Linux cooked capture v2", Fields: protoSLL.Fields}
}

var protoNull = register(&Proto{ID: ProtoNull, Name: "null", Title: "Null/Loopback"},
	&Field{Name: "null.family", Label: "Family", Type: TUint, Base: Dec, Size: 4, Get: func(p *Packet, l *Layer, dst []Value) []Value {
		b, ok := hdrBytes(p, l, 0, 4)
		if !ok {
			return dst
		}
		v := binary.LittleEndian.Uint32(b)
		if v > 0xffff {
			v = binary.BigEndian.Uint32(b)
		}
		return append(dst, Uint(uint64(v)))
	}},
)

var protoPPP = register(&Proto{ID: ProtoPPP, Name: "ppp", Title: "Point-to-Point Protocol"},
	&Field{Name: "ppp.protocol", Label: "Protocol", Type: TUint, Base: Hex, Size: 2, Get: func(p *Packet, l *Layer, dst []Value) []Value {
		h := p.Data[l.Off:l.Hdr]
		if len(h) >= 2 && h[0] == 0xff && h[1] == 0x03 {
			h = h[2:]
		}
		return append(dst, Uint(beUint(h)))
	}},
)

var protoMPLS = register(&Proto{ID: ProtoMPLS, Name: "mpls", Title: "MultiProtocol Label Switching Header"},
	uintAt("mpls.label", "MPLS Label", 0, 4, Dec, 0xfffff000, ""),
	uintAt("mpls.exp", "MPLS Experimental Bits", 0, 4, Dec, 0x00000e00, ""),
	boolAt("mpls.bottom", "MPLS Bottom Of Label Stack", 0, 4, 0x00000100, ""),
	uintAt("mpls.ttl", "MPLS TTL", 0, 4, Dec, 0x000000ff, ""),
)

var protoRadiotap = register(&Proto{ID: ProtoRadiotap, Name: "radiotap", Title: "Radiotap Header"},
	uintAt("radiotap.version", "Header revision", 0, 1, Dec, 0, ""),
	&Field{Name: "radiotap.length", Label: "Header length", Type: TUint, Base: Dec, Size: 2, Get: func(p *Packet, l *Layer, dst []Value) []Value {
		b, ok := hdrBytes(p, l, 2, 2)
		if !ok {
			return dst
		}
		return append(dst, Uint(uint64(binary.LittleEndian.Uint16(b))))
	}},
)

var protoWLAN = register(&Proto{ID: ProtoWLAN, Name: "wlan", Title: "IEEE 802.11 frame"},
	uintAt("wlan.fc", "Frame Control Field", 0, 2, Hex, 0, ""),
)

var protoData = register(&Proto{ID: ProtoData, Name: "data", Title: "Data"},
	&Field{Name: "data.data", Label: "Data", Type: TBytes, Get: func(p *Packet, l *Layer, dst []Value) []Value {
		return append(dst, Bytes(p.Data[l.Off:l.End]))
	}},
	&Field{Name: "data.len", Label: "Length", Type: TUint, Base: Dec, Size: 4, Get: func(p *Packet, l *Layer, dst []Value) []Value {
		return append(dst, Uint(uint64(l.End-l.Off)))
	}},
)

var protoMalformed = register(&Proto{ID: ProtoMalformed, Name: "_ws.malformed", Title: "[Malformed Packet]",
	Node: func(p *Packet, l *Layer) string { return "[Malformed Packet: " + p.Malformed + "]" }},
	&Field{Name: "_ws.malformed.reason", Label: "Reason", Type: TString, Get: func(p *Packet, l *Layer, dst []Value) []Value {
		return append(dst, Str(p.MalformedWhy))
	}},
)
