package packet

import "encoding/binary"

// NetBIOS Session Service (RFC 1002 section 4.3), the framing of SMB over
// TCP: on port 139 a type, a flags byte whose low bit extends the 16-bit
// length, and the length; on port 445 ("direct hosting", MS-SMB2 2.1) a
// type and a 24-bit length. As in Wireshark's packet-nbns.c, a session
// message carries SMB (0xFF 'S' 'M' 'B') or SMB2/3 (0xFE, 0xFD or 0xFC
// 'S' 'M' 'B').

var nbssTypeNames = map[uint64]string{
	0x00: "Session message", 0x81: "Session request", 0x82: "Positive session response",
	0x83: "Negative session response", 0x84: "Retarget session response", 0x85: "Session keep-alive",
}

var (
	fNBSSType   = withStrings(uintAt("nbss.type", "Message Type", 0, 1, Hex, 0, "NBSS message type"), nbssTypeNames)
	fNBSSFlags  = computed("nbss.flags", "Flags", TUint, Hex, 1, "NBSS message flags", nbssGet(func(b []byte) uint64 { return uint64(b[1]) }, false))
	fNBSSExtend = &Field{Name: "nbss.flags.e", Label: "Extend", Type: TBool, Size: 1, Mask: 0x01,
		Get: func(p *Packet, l *Layer, dst []Value) []Value {
			if b, ok := hdrBytes(p, l, 0, 4); ok && !nbssCIFS(p, l) {
				return append(dst, Bool(b[1]&1 != 0))
			}
			return dst
		}}
	fNBSSLength = computed("nbss.length", "Length", TUint, Dec, 3, "Length of trailer (payload) following this field in bytes",
		nbssGet(func(b []byte) uint64 { return uint64(b[1])<<16 | uint64(binary.BigEndian.Uint16(b[2:])) }, true))
)

// nbssGet declares a field read from the four-byte header; onCIFS says
// whether port 445's form has it (445 has no flags byte).
func nbssGet(get func(b []byte) uint64, onCIFS bool) Getter {
	return func(p *Packet, l *Layer, dst []Value) []Value {
		b, ok := hdrBytes(p, l, 0, 4)
		if !ok || !onCIFS && nbssCIFS(p, l) {
			return dst
		}
		return append(dst, Value{U: get(b)})
	}
}

// nbssCIFS reports whether the layer rides port 445, where the flags byte
// is part of a 24-bit length.
func nbssCIFS(p *Packet, l *Layer) bool {
	for i := range p.Layers {
		t := &p.Layers[i]
		if t.Proto == ProtoTCP && !t.Quoted && t.Hdr-t.Off >= 4 {
			sp, dp := binary.BigEndian.Uint16(p.Data[t.Off:]), binary.BigEndian.Uint16(p.Data[t.Off+2:])
			return sp == 445 || dp == 445
		}
	}
	return false
}

var protoNBSS = register(&Proto{ID: ProtoNBSS, Name: "nbss", Short: "NBSS", Title: "NetBIOS Session Service", Desegmented: true,
	Info: func(p *Packet, l *Layer) string {
		if b, ok := hdrBytes(p, l, 0, 1); ok {
			if s, ok := nbssTypeNames[uint64(b[0])]; ok {
				return s
			}
		}
		return "NBSS continuation data"
	}},
	cat([]*Field{fNBSSType}, children(fNBSSFlags, fNBSSExtend), []*Field{fNBSSLength})...)

// nbss decodes one NetBIOS session message (off to end, header included)
// and the SMB message it carries.
func (p *Packet) nbss(off, end int) {
	l := p.add(ProtoNBSS, off, min(off+4, end), end)
	if l == nil || end-off < 4 {
		p.bad(l, "NBSS header cut short")
		return
	}
	d := p.Data
	if d[off] != 0 || end-off < 8 {
		return
	}
	pl := off + 4
	if d[pl+1] != 'S' || d[pl+2] != 'M' || d[pl+3] != 'B' {
		return
	}
	switch d[pl] {
	case 0xff:
		p.smbLayer(ProtoSMB, pl, end)
	case 0xfe, 0xfd, 0xfc:
		p.smbLayer(ProtoSMB2, pl, end)
	}
}
