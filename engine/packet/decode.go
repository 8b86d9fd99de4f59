package packet

import (
	"encoding/binary"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/defrag"
	"github.com/wirelark/wirelark/engine/source"
)

// maxRepeat bounds the instances of one protocol in a packet (stacked VLAN
// tags, tunnels, quoted headers); deeper nesting is left undecoded.
const maxRepeat = 4

// maxLayers bounds the layers of one packet.
const maxLayers = 96

// storage is the typed, reusable state of the gopacket DecodingLayers.
type storage struct {
	ip4      [maxRepeat]layers.IPv4
	tcp      [maxRepeat]layers.TCP
	arp      layers.ARP
	igmp     layers.IGMP
	igmp12   layers.IGMPv1or2
	radiotap layers.RadioTap
	tcpOpts  [maxRepeat]bool // st.tcp[i] holds the options of TCP layer i
	reasmBuf []byte          // frame bytes followed by a reassembled payload
	pdu      pduSet          // messages desegmentation completed in this frame
	parsed   []parsed        // application messages parsed by the dissectors
	count    [numProtos]uint8
	layerBuf [maxLayers]Layer
}

func newStorage() *storage { return &storage{} }

type pendKind uint8

const (
	pendNone  pendKind = iota
	pendApp            // an application message in a UDP or TCP payload
	pendQuote          // an IP datagram quoted in an ICMP error
)

// pendingWork is decoding left for when a lazily decoded protocol is
// asked for.
type pendingWork struct {
	kind  pendKind
	proto ProtoID // pendApp: which dissector
	tcp   bool    // pendApp: message carried over TCP (length-prefixed)
	pdus  bool    // pendApp: the messages are storage.pdu's (desegmented)
	// quoted: the message is in a datagram an ICMP error quotes; its
	// layers are marked Quoted, as the headers around it are.
	quoted bool
	v6     bool // pendQuote: quoted IPv6 rather than IPv4
	off    int
	end    int
}

var nopFeedback = gopacket.NilDecodeFeedback

// Decoder turns frames into Packets, numbering them and keeping the
// per-capture state that Wireshark's fields need (relative times, TCP and
// UDP stream indexes, relative sequence numbers).
type Decoder struct {
	defrag *defrag.Defragmenter
	// Track turns the capture-wide TCP/UDP analysis on (the default). With
	// it off, decoding is faster and fields marked Tracked have no value.
	Track bool
	// Defrag reassembles fragmented IPv4 and IPv6 datagrams (the default):
	// the frame that completes one carries its upper layers, as in
	// Wireshark. Set it before the first Decode.
	Defrag bool
	// HTTP desegments HTTP messages (the head, then the body) and runs
	// Wireshark's HTTP heuristic on unassigned ports (the default). Off,
	// an HTTP segment's layers come from its own bytes alone (a message
	// it holds whole): for runs that read no packet's layers (connection
	// handlers only), where bodies would be copied for nothing. Set it
	// before the first Decode.
	HTTP    bool
	p       Packet
	num     int
	first   int64
	prev    int64
	timed   bool // a frame with a timestamp has been seen
	tracker *tracker
}

// NewDecoder returns a decoder for one capture.
func NewDecoder() *Decoder {
	d := &Decoder{tracker: newTracker(), Track: true, Defrag: true, HTTP: true}
	d.p.st = newStorage()
	return d
}

// Decode decodes the next frame of the capture. The Packet and its bytes
// are valid until the next call.
func (d *Decoder) Decode(f *source.Frame) *Packet {
	d.decodeInto(f, &d.p, f.Data)
	return &d.p
}

// DecodeInto decodes the next frame of the capture into p, which the
// caller owns: p keeps a copy of the frame's bytes, so frames can be
// decoded on one goroutine while packets decoded before are used on
// another. p may be a zero Packet or one decoded before; it is valid
// until the next DecodeInto into it.
func (d *Decoder) DecodeInto(f *source.Frame, p *Packet) {
	if p.st == nil {
		p.st = newStorage()
	}
	if cap(p.own) > ownKeep && len(f.Data) <= ownKeep {
		// As with storage.reasmBuf: a packet that once held a jumbo or
		// TSO frame does not keep its size for every later frame.
		p.own = nil
	}
	p.own = append(p.own[:0], f.Data...)
	d.decodeInto(f, p, p.own)
}

// ownKeep is the largest frame copy a Packet keeps for the next frame,
// reasmKeep the largest buffer of frame and reassembled bytes.
const (
	ownKeep   = 1 << 14
	reasmKeep = 4 << 10
)

func (d *Decoder) decodeInto(f *source.Frame, p *Packet, data []byte) {
	d.num++
	p.Num = d.num
	p.Time = f.Time
	p.Len = f.Len
	p.Data = data
	p.LinkType = f.LinkType
	p.Iface = f.Iface
	p.File = f.File
	p.Nano = f.Nano
	p.NoTime = f.NoTime
	p.frameLen = len(data)
	if d.Defrag && d.defrag == nil {
		d.defrag = defrag.New(defrag.Limits{})
	}
	if d.Defrag {
		p.defrag = d.defrag
	} else {
		p.defrag = nil
	}
	if !f.NoTime {
		// Times count from the first frame that has one.
		if !d.timed {
			d.first, d.prev, d.timed = f.Time, f.Time, true
		}
		p.Rel = f.Time - d.first
		p.Delta = f.Time - d.prev
		d.prev = f.Time
	}
	p.decode()
	if d.Track {
		d.tracker.noHTTP = !d.HTTP
		d.tracker.observe(p)
	}
}

// Decode decodes a single frame with no capture context (no stream
// indexes); the packet owns nothing, so data must outlive it.
func Decode(data []byte, linkType layers.LinkType) *Packet {
	p := &Packet{Data: data, LinkType: linkType, Len: len(data), Num: 1, st: newStorage(), frameLen: len(data)}
	p.decode()
	return p
}

func (p *Packet) decode() {
	st := p.st
	st.count = [numProtos]uint8{}
	st.tcpOpts = [maxRepeat]bool{}
	p.Layers = st.layerBuf[:0]
	p.Malformed, p.MalformedWhy = "", ""
	p.pending = pendingWork{}
	p.TCP = TCPInfo{}
	p.UDP = UDPInfo{}
	p.Data = p.Data[:p.frameLen]
	st.pdu = pduSet{spans: st.pdu.spans[:0], tail: -1}
	if cap(st.reasmBuf) > reasmKeep {
		// A reassembled datagram or message of some size is not kept for
		// the next frame: pipelined runs hold a thousand packets, each
		// with its own storage, and would keep the largest each saw.
		st.reasmBuf = nil
	}
	clear(st.parsed)
	st.parsed = st.parsed[:0]
	if !p.Reasm.Valid || p.Reasm.saved == nil {
		p.Reasm = Reassembly{Frames: p.Reasm.Frames[:0], Errors: p.Reasm.Errors[:0]}
	}
	n := len(p.Data)
	p.add(ProtoFrame, 0, 0, n)
	switch p.LinkType {
	case layers.LinkTypeEthernet:
		p.eth(0, n)
	case layers.LinkTypeLinuxSLL:
		p.sll(0, n)
	case 276: // LINKTYPE_LINUX_SLL2
		p.sll2(0, n)
	case layers.LinkTypeNull, layers.LinkTypeLoop:
		p.null(0, n)
	case layers.LinkTypeRaw, 12, 14, layers.LinkTypeIPv4, layers.LinkTypeIPv6:
		p.rawIP(0, n)
	case layers.LinkTypePPP:
		p.ppp(0, n)
	case layers.LinkTypeIEEE80211Radio:
		p.radiotap(0, n)
	case layers.LinkTypeIEEE802_11:
		p.wlan(0, n)
	default:
		p.data(0, n)
	}
}

// redecode decodes p's bytes again into fresh storage (used by Clone),
// with the messages desegmentation found in the original (pdu, whose
// reassembled bytes are tail).
func (p *Packet) redecode(pdu pduSet, tail []byte) {
	tcp, udp := p.TCP, p.UDP
	p.decode()
	p.TCP, p.UDP = tcp, udp
	if pdu.spans != nil {
		p.appendData(tail)
		p.st.pdu = pdu
		p.pending = pendingWork{kind: pendApp, proto: pdu.app, tcp: true, pdus: true}
	}
	p.Complete()
}

// add appends a layer; it returns nil when the packet has too many.
func (p *Packet) add(id ProtoID, off, hdr, end int) *Layer {
	c := &p.st.count[id]
	if int(*c) >= maxRepeat && id != ProtoFrame && !messageProto[id] || len(p.Layers) >= maxLayers-1 {
		return nil
	}
	// Fill the element in place: building a Layer value and appending it
	// costs a copy on every layer of every packet.
	n := len(p.Layers)
	p.Layers = p.Layers[:n+1]
	l := &p.Layers[n]
	l.Proto, l.Idx, l.Off, l.Hdr, l.End, l.Bad, l.Quoted = id, *c, off, hdr, end, false, false
	*c++
	return l
}

// bad marks l damaged and the packet malformed, as Wireshark's
// [Malformed Packet].
func (p *Packet) bad(l *Layer, why string) {
	if l != nil {
		l.Bad = true
	}
	if p.Malformed == "" {
		name := "frame"
		if l != nil {
			if pr := Fields.ProtoByID(l.Proto); pr != nil {
				name = pr.Name
			}
		}
		p.Malformed, p.MalformedWhy = name, why
		off := len(p.Data)
		if l != nil {
			off = l.Off
		}
		p.add(ProtoMalformed, off, len(p.Data), len(p.Data))
	}
}

// data records undecoded bytes.
func (p *Packet) data(off, end int) {
	if off < end {
		p.add(ProtoData, off, end, end)
	}
}

func (p *Packet) eth(off, end int) {
	if end-off < 14 {
		// Wireshark shows none of a header it could not read whole.
		l := p.add(ProtoEth, off, off, end)
		p.bad(l, "Ethernet header cut short")
		return
	}
	t := binary.BigEndian.Uint16(p.Data[off+12:])
	if t <= 1500 {
		// IEEE 802.3: a length, then LLC.
		l := p.add(ProtoEth, off, off+14, end)
		pe := min(end, off+14+int(t))
		if l != nil {
			l.End = pe
		}
		p.llc(off+14, pe)
		return
	}
	p.add(ProtoEth, off, off+14, end)
	p.ether(off+14, end, t)
}

// ether dispatches on an EtherType.
func (p *Packet) ether(off, end int, t uint16) {
	switch t {
	case 0x0800:
		p.ipv4(off, end, false)
	case 0x86dd:
		p.ipv6(off, end, false)
	case 0x0806, 0x8035: // ARP; RARP shares its format and dissector
		p.arp(off, end)
	case 0x8100, 0x9100:
		p.vlan(off, end, ProtoVLAN)
	case 0x88a8: // 802.1ad service tag: its own protocol in Wireshark 4.0
		p.vlan(off, end, ProtoIEEE8021AD)
	case 0x8847, 0x8848:
		p.mpls(off, end)
	default:
		p.data(off, end)
	}
}

func (p *Packet) vlan(off, end int, id ProtoID) {
	if end-off < 4 {
		p.bad(p.add(id, off, end, end), "802.1Q tag cut short")
		return
	}
	if p.add(id, off, off+4, end) == nil {
		p.data(off, end)
		return
	}
	t := binary.BigEndian.Uint16(p.Data[off+2:])
	if t <= 1500 {
		p.llc(off+4, min(end, off+4+int(t)))
		return
	}
	p.ether(off+4, end, t)
}

func (p *Packet) llc(off, end int) {
	if end-off < 3 {
		p.bad(p.add(ProtoLLC, off, end, end), "LLC header cut short")
		return
	}
	d := p.Data
	hdr := 3
	if d[off+2]&3 != 3 { // I or S format: two-byte control field
		hdr = 4
	}
	if d[off] == 0xaa && d[off+1] == 0xaa && d[off+2] == 0x03 {
		if end-off < 8 {
			p.bad(p.add(ProtoLLC, off, end, end), "SNAP header cut short")
			return
		}
		p.add(ProtoLLC, off, off+8, end)
		p.ether(off+8, end, binary.BigEndian.Uint16(d[off+6:]))
		return
	}
	if end-off < hdr {
		p.bad(p.add(ProtoLLC, off, end, end), "LLC header cut short")
		return
	}
	p.add(ProtoLLC, off, off+hdr, end)
	p.data(off+hdr, end)
}

func (p *Packet) sll(off, end int) {
	if end-off < 16 {
		p.bad(p.add(ProtoSLL, off, end, end), "Linux cooked header cut short")
		return
	}
	p.add(ProtoSLL, off, off+16, end)
	p.sllPayload(off+16, end, binary.BigEndian.Uint16(p.Data[off+14:]), binary.BigEndian.Uint16(p.Data[off+2:]))
}

func (p *Packet) sll2(off, end int) {
	if end-off < 20 {
		p.bad(p.add(ProtoSLL2, off, end, end), "Linux cooked v2 header cut short")
		return
	}
	p.add(ProtoSLL2, off, off+20, end)
	p.sllPayload(off+20, end, binary.BigEndian.Uint16(p.Data[off:]), binary.BigEndian.Uint16(p.Data[off+8:]))
}

// sllPayload dispatches a Linux cooked payload on its protocol field;
// hatype says how to read it (linux/if_arp.h, packet(7)).
func (p *Packet) sllPayload(off, end int, proto, hatype uint16) {
	switch proto {
	case 0x0004: // ETH_P_802_2: LLC
		p.llc(off, end)
		return
	case 0x0001, 0x0003: // ETH_P_802_3, ETH_P_ALL: raw frames
		p.data(off, end)
		return
	}
	_ = hatype
	p.ether(off, end, proto)
}

// null is BSD loopback: a 4-byte address family in host byte order.
func (p *Packet) null(off, end int) {
	if end-off < 4 {
		p.bad(p.add(ProtoNull, off, end, end), "loopback header cut short")
		return
	}
	p.add(ProtoNull, off, off+4, end)
	fam := binary.LittleEndian.Uint32(p.Data[off:])
	if fam > 0xffff {
		fam = binary.BigEndian.Uint32(p.Data[off:])
	}
	switch fam {
	case 2:
		p.ipv4(off+4, end, false)
	case 10, 24, 28, 30: // AF_INET6 on Linux, the BSDs, Darwin
		p.ipv6(off+4, end, false)
	default:
		p.data(off+4, end)
	}
}

func (p *Packet) rawIP(off, end int) {
	if off >= end {
		return
	}
	switch p.Data[off] >> 4 {
	case 4:
		p.ipv4(off, end, false)
	case 6:
		p.ipv6(off, end, false)
	default:
		p.data(off, end)
	}
}

func (p *Packet) ppp(off, end int) {
	d := p.Data
	h := off
	if end-h >= 2 && d[h] == 0xff && d[h+1] == 0x03 {
		h += 2
	}
	if end-h < 1 {
		p.bad(p.add(ProtoPPP, off, end, end), "PPP header cut short")
		return
	}
	var proto uint16
	if d[h]&1 == 1 { // compressed one-byte protocol field
		proto = uint16(d[h])
		h++
	} else {
		if end-h < 2 {
			p.bad(p.add(ProtoPPP, off, end, end), "PPP header cut short")
			return
		}
		proto = binary.BigEndian.Uint16(d[h:])
		h += 2
	}
	p.add(ProtoPPP, off, h, end)
	switch proto {
	case 0x0021:
		p.ipv4(h, end, false)
	case 0x0057:
		p.ipv6(h, end, false)
	case 0x0281, 0x0283:
		p.mpls(h, end)
	default:
		p.data(h, end)
	}
}

func (p *Packet) mpls(off, end int) {
	for {
		if end-off < 4 {
			p.bad(p.add(ProtoMPLS, off, end, end), "MPLS label cut short")
			return
		}
		if p.add(ProtoMPLS, off, off+4, end) == nil {
			p.data(off, end)
			return
		}
		bottom := p.Data[off+2]&1 == 1
		off += 4
		if bottom {
			break
		}
	}
	// The payload type is not signalled: guess from the version nibble, as
	// Wireshark does.
	if off < end {
		switch p.Data[off] >> 4 {
		case 4:
			p.ipv4(off, end, false)
			return
		case 6:
			p.ipv6(off, end, false)
			return
		}
	}
	p.data(off, end)
}

func (p *Packet) radiotap(off, end int) {
	st := p.st
	if err := st.radiotap.DecodeFromBytes(p.Data[off:end], nopFeedback); err != nil {
		p.bad(p.add(ProtoRadiotap, off, end, end), err.Error())
		return
	}
	h := off + int(st.radiotap.Length)
	p.add(ProtoRadiotap, off, h, end)
	p.wlan(h, end)
}

// wlan records the 802.11 frame; its fields are not decoded yet.
func (p *Packet) wlan(off, end int) {
	if off < end {
		p.add(ProtoWLAN, off, end, end)
	}
}

func (p *Packet) arp(off, end int) {
	st := p.st
	if err := st.arp.DecodeFromBytes(p.Data[off:end], nopFeedback); err != nil {
		p.bad(p.add(ProtoARP, off, end, end), err.Error())
		return
	}
	h := off + len(st.arp.Contents)
	p.add(ProtoARP, off, h, h)
}

// ipv4 decodes an IPv4 header with gopacket, then its payload.
func (p *Packet) ipv4(off, end int, quoted bool) {
	st := p.st
	i := st.count[ProtoIP]
	if int(i) >= maxRepeat {
		p.data(off, end)
		return
	}
	ip := &st.ip4[i]
	if err := ip.DecodeFromBytes(p.Data[off:end], nopFeedback); err != nil {
		l := p.add(ProtoIP, off, end, end)
		l.Quoted = quoted
		if !quoted {
			p.bad(l, err.Error())
		}
		return
	}
	hdr := off + int(ip.IHL)*4
	pend := hdr + len(ip.Payload)
	l := p.add(ProtoIP, off, hdr, pend)
	l.Quoted = quoted
	frag := ip.Flags&layers.IPv4MoreFragments != 0
	if (frag || ip.FragOffset != 0) && !quoted && pend-hdr == int(ip.Length)-int(ip.IHL)*4 && pend > hdr {
		// A whole fragment: hand it to the defragmenter.
		k := defrag.KeyV4([4]byte(p.Data[off+12:off+16]), [4]byte(p.Data[off+16:off+20]), ip.Id, uint8(ip.Protocol))
		if roff, rend, done, ok := p.reassemble(k, off, int(ip.FragOffset)*8, frag, hdr, pend); ok {
			if done {
				p.ipProto(roff, rend, uint8(ip.Protocol), false, false)
			} else {
				p.data(hdr, pend)
			}
			return
		}
	}
	if ip.FragOffset != 0 {
		p.data(hdr, pend)
		return
	}
	p.ipProto(hdr, pend, uint8(ip.Protocol), quoted, frag)
}

// ipProto dispatches an IP payload on its protocol number.
func (p *Packet) ipProto(off, end int, proto uint8, quoted, frag bool) {
	switch proto {
	case 1:
		p.icmp(off, end, quoted, frag)
	case 2:
		p.igmp(off, end)
	case 6:
		p.tcp(off, end, quoted, frag)
	case 17:
		p.udp(off, end, quoted, frag)
	case 4:
		p.ipv4(off, end, quoted)
	case 41:
		p.ipv6(off, end, quoted)
	case 58:
		p.icmpv6(off, end, quoted, frag)
	case 50:
		p.add(ProtoESP, off, min(end, off+8), end)
	default:
		p.data(off, end)
	}
}

// ipv6 walks the fixed IPv6 header and its extension headers. Wireshark
// shows each extension header as a layer of its own; gopacket folds
// hop-by-hop options into the IPv6 layer, so the walk is the project's.
func (p *Packet) ipv6(off, end int, quoted bool) {
	d := p.Data
	if end-off < 40 {
		l := p.add(ProtoIPv6, off, end, end)
		if l != nil {
			l.Quoted = quoted
		}
		if !quoted {
			p.bad(l, "IPv6 header cut short")
		}
		return
	}
	plen := int(binary.BigEndian.Uint16(d[off+4:]))
	pend := min(end, off+40+plen)
	if plen == 0 {
		pend = end // jumbogram or TSO: take what was captured
	}
	l := p.add(ProtoIPv6, off, off+40, pend)
	if l == nil {
		p.data(off, end)
		return
	}
	l.Quoted = quoted
	next := d[off+6]
	off += 40
	frag := false
	for {
		switch next {
		case 0, 43, 60, 51: // hop-by-hop, routing, destination options, AH
			id := extProto(next)
			if pend-off < 2 {
				p.bad(p.add(id, off, pend, pend), "IPv6 extension header cut short")
				return
			}
			n := (int(d[off+1]) + 1) * 8
			if next == 51 {
				n = (int(d[off+1]) + 2) * 4
			}
			if pend-off < n {
				p.bad(p.add(id, off, pend, pend), "IPv6 extension header cut short")
				return
			}
			l := p.add(id, off, off+n, pend)
			if l == nil {
				p.data(off, pend)
				return
			}
			if (next == 0 || next == 60) && !optionsFit(d[off+2:off+n]) {
				// An option running past its header: Wireshark stops here.
				p.bad(l, "IPv6 option runs past the end of its header")
				return
			}
			next = d[off]
			off += n
		case 44: // fragment
			if pend-off < 8 {
				p.bad(p.add(ProtoIPv6Frag, off, pend, pend), "IPv6 fragment header cut short")
				return
			}
			if p.add(ProtoIPv6Frag, off, off+8, pend) == nil {
				p.data(off, pend)
				return
			}
			fo := binary.BigEndian.Uint16(d[off+2:])
			id := binary.BigEndian.Uint32(d[off+4:])
			next = d[off]
			off += 8
			if fo != 0 && !quoted && off < pend && pend == l.Off+40+int(binary.BigEndian.Uint16(d[l.Off+4:])) {
				// Not atomic, and whole: reassemble.
				k := defrag.KeyV6([16]byte(d[l.Off+8:l.Off+24]), [16]byte(d[l.Off+24:l.Off+40]), id)
				if roff, rend, done, ok := p.reassemble(k, l.Off, int(fo&0xfff8), fo&1 != 0, off, pend); ok {
					if done {
						p.ipProto(roff, rend, next, false, false)
					} else {
						p.data(off, pend)
					}
					return
				}
			}
			if fo&0xfff8 != 0 {
				p.data(off, pend)
				return
			}
			frag = fo&1 != 0
		case 59: // no next header
			p.data(off, pend)
			return
		default:
			p.ipProto(off, pend, next, quoted, frag)
			return
		}
	}
}

func (p *Packet) icmp(off, end int, quoted, frag bool) {
	if end-off < 4 {
		l := p.add(ProtoICMP, off, end, end)
		if !quoted {
			p.bad(l, "ICMP header cut short")
		}
		return
	}
	hdr := min(end, off+8)
	l := p.add(ProtoICMP, off, hdr, end)
	if l == nil {
		return
	}
	l.Quoted = quoted
	switch p.Data[off] {
	case 3, 4, 5, 11, 12: // errors quote the offending datagram
		if !quoted && !frag && hdr < end {
			qend := end
			// RFC 4884: a non-zero length (in 32-bit words, after the IP
			// header of the quote) bounds the quote; extensions follow.
			if t := p.Data[off]; t != 5 && hdr-off >= 8 && p.Data[off+5] != 0 && hdr < end {
				ihl := int(p.Data[hdr]&15) * 4
				qend = min(end, hdr+ihl+int(p.Data[off+5])*4)
			}
			p.pending = pendingWork{kind: pendQuote, off: hdr, end: qend}
			return
		}
	}
	if !quoted {
		p.data(hdr, end)
	}
}

func (p *Packet) icmpv6(off, end int, quoted, frag bool) {
	if end-off < 4 {
		l := p.add(ProtoICMPv6, off, end, end)
		if !quoted {
			p.bad(l, "ICMPv6 header cut short")
		}
		return
	}
	t := p.Data[off]
	hdr := min(end, off+4)
	switch {
	case t < 128 || t == 128 || t == 129:
		hdr = min(end, off+8)
	}
	l := p.add(ProtoICMPv6, off, hdr, end)
	if l == nil {
		return
	}
	l.Quoted = quoted
	switch {
	case t <= 4 && !quoted && !frag && off+8 < end:
		p.pending = pendingWork{kind: pendQuote, v6: true, off: off + 8, end: end}
	case t == 137 && !quoted && !frag:
		// A redirect's Redirected Header option carries the original
		// packet, which Wireshark decodes like an error's quote.
		for o := off + 40; o+8 <= end; {
			n := int(p.Data[o+1]) * 8
			if n == 0 || o+n > end {
				break
			}
			if p.Data[o] == 4 && n > 8 {
				p.pending = pendingWork{kind: pendQuote, v6: true, off: o + 8, end: o + n}
				break
			}
			o += n
		}
	}
}

func (p *Packet) igmp(off, end int) {
	st := p.st
	data := p.Data[off:end]
	var err error
	if len(data) >= 1 && (data[0] == 0x22 || data[0] == 0x11 && len(data) >= 12) {
		err = st.igmp.DecodeFromBytes(data, nopFeedback)
	} else {
		err = st.igmp12.DecodeFromBytes(data, nopFeedback)
	}
	l := p.add(ProtoIGMP, off, end, end)
	if err != nil {
		p.bad(l, err.Error())
	}
}

func (p *Packet) tcp(off, end int, quoted, frag bool) {
	st := p.st
	i := st.count[ProtoTCP]
	if int(i) >= maxRepeat {
		p.data(off, end)
		return
	}
	// The header is checked here, from its bytes; its options are parsed
	// (with gopacket) only when a field asks for them: most packets never
	// need them.
	d := p.Data
	why := ""
	switch {
	case end-off < 20:
		why = "TCP header cut short (fewer than 20 bytes)"
	case d[off+12]>>4 < 5:
		why = "TCP data offset below 5 words"
	case off+int(d[off+12]>>4)*4 > end:
		why = "TCP data offset past the end of the packet"
	}
	if why != "" {
		l := p.add(ProtoTCP, off, end, end)
		if l == nil {
			return
		}
		l.Quoted = quoted
		if !quoted {
			p.bad(l, why)
		}
		return
	}
	hdr := off + int(d[off+12]>>4)*4
	l := p.add(ProtoTCP, off, hdr, end)
	if l == nil {
		return
	}
	l.Quoted = quoted
	if quoted || hdr >= end {
		return
	}
	// The data of a RST is its reason, which Wireshark gives no
	// application dissector.
	if !frag && d[off+13]&0x04 == 0 {
		sp, dp := binary.BigEndian.Uint16(d[off:]), binary.BigEndian.Uint16(d[off+2:])
		if app := tcpApp(sp, dp); app != ProtoNone {
			p.pending = pendingWork{kind: pendApp, proto: app, tcp: true, off: hdr, end: end}
			return
		}
	}
	p.data(hdr, end)
}

func (p *Packet) udp(off, end int, quoted, frag bool) {
	d := p.Data
	if end-off < 8 {
		l := p.add(ProtoUDP, off, end, end)
		if l != nil {
			l.Quoted = quoted
		}
		if !quoted {
			p.bad(l, "UDP header cut short")
		}
		return
	}
	ulen := int(binary.BigEndian.Uint16(d[off+4:]))
	pend := end
	if ulen >= 8 && !frag {
		pend = min(end, off+ulen)
	}
	l := p.add(ProtoUDP, off, off+8, pend)
	if l == nil {
		return
	}
	l.Quoted = quoted
	if ulen < 8 && ulen != 0 && !quoted {
		p.bad(l, "UDP length field smaller than the header")
		return
	}
	if frag || off+8 >= pend {
		if !quoted {
			p.data(off+8, pend)
		}
		return
	}
	sp, dp := binary.BigEndian.Uint16(d[off:]), binary.BigEndian.Uint16(d[off+2:])
	if !quoted && (sp == 3544 || dp == 3544) {
		if p.teredo(off+8, pend) {
			return
		}
	}
	// Wireshark also dissects the message inside a datagram quoted by an
	// ICMP error.
	if app := udpApp(sp, dp); app != ProtoNone {
		p.pending = pendingWork{kind: pendApp, proto: app, off: off + 8, end: pend, quoted: quoted}
		return
	}
	if !quoted {
		p.data(off+8, pend)
	}
}

// udpApp picks the dissector for a UDP port pair, trying the lower port
// first as Wireshark does.
func udpApp(sp, dp uint16) ProtoID {
	lo, hi := sp, dp
	if hi < lo {
		lo, hi = hi, lo
	}
	for _, port := range [2]uint16{lo, hi} {
		switch port {
		case 53:
			return ProtoDNS
		case 5353:
			return ProtoMDNS
		case 5355:
			return ProtoLLMNR
		case 67, 68, 4011: // 4011: PXE proxy DHCP
			return ProtoDHCP
		case 546, 547:
			return ProtoDHCPv6
		case 88:
			return ProtoKerberos
		case 1900:
			return ProtoSSDP
		}
	}
	return ProtoNone
}

func tcpApp(sp, dp uint16) ProtoID {
	for _, port := range [2]uint16{min(sp, dp), max(sp, dp)} {
		switch port {
		case 53:
			return ProtoDNS
		case 88:
			return ProtoKerberos
		case 139, 445:
			return ProtoNBSS
		case 21:
			return ProtoFTP
		}
		if httpPort(port) {
			return ProtoHTTP
		}
	}
	return ProtoNone
}

// finish does the decoding left pending.
func (p *Packet) finish() {
	// Finishing one piece of work may leave another (the DNS message in a
	// datagram quoted by an ICMP error).
	for p.pending.kind != pendNone {
		p.finishOne()
	}
}

func (p *Packet) finishOne() {
	w := p.pending
	p.pending = pendingWork{}
	if w.quoted {
		n := len(p.Layers)
		defer func() {
			for i := n; i < len(p.Layers); i++ {
				p.Layers[i].Quoted = true
			}
		}()
	}
	switch w.kind {
	case pendQuote:
		if w.v6 {
			p.ipv6(w.off, w.end, true)
		} else {
			p.ipv4(w.off, w.end, true)
		}
	case pendApp:
		if w.pdus {
			if w.proto == ProtoHTTP {
				p.dropTCPData()
			}
			for _, sp := range p.st.pdu.spans {
				p.pduLayers(w.proto, sp.off, sp.end)
			}
			return
		}
		switch w.proto {
		case ProtoDNS, ProtoMDNS, ProtoLLMNR:
			p.dns(w.proto, w.off, w.end, w.tcp)
		case ProtoDHCP:
			p.dhcp(w.off, w.end)
		case ProtoDHCPv6:
			p.dhcpv6(w.off, w.end)
		case ProtoKerberos:
			if !w.tcp {
				p.kerberosLayer(w.off, w.end, false)
				break
			}
			p.wholePDUs(w.proto, w.off, w.end)
		case ProtoNBSS, ProtoHTTP:
			p.wholePDUs(w.proto, w.off, w.end)
		case ProtoFTP:
			p.ftpLayer(w.off, w.end)
		case ProtoSSDP:
			// One message per datagram, not desegmented.
			p.httpLayer(ProtoSSDP, w.off, w.end)
		}
	}
}

func (p *Packet) dns(id ProtoID, off, end int, tcp bool) {
	if !tcp {
		if l := p.add(id, off, end, end); l != nil {
			if why := dnsMalformed(p, l); why != "" {
				p.bad(l, why)
			}
		}
		return
	}
	// Over TCP each message has a two-byte length; a segment may hold
	// several. A message continued in later segments is TCP reassembly's
	// work.
	for off < end {
		if end-off < 2 {
			p.data(off, end)
			return
		}
		n := int(binary.BigEndian.Uint16(p.Data[off:]))
		if end-off-2 < n {
			p.data(off, end)
			return
		}
		l := p.add(id, off+2, off+2+n, off+2+n)
		if l == nil {
			return
		}
		if why := dnsMalformed(p, l); why != "" {
			p.bad(l, why)
			return
		}
		off += 2 + n
	}
}

// dropTCPData removes the data layer of a TCP payload that a heuristic
// dissector took: a packet decoded again by Clone decodes its port's
// dissector, and only the tracker knew the heuristic's choice.
func (p *Packet) dropTCPData() {
	n := len(p.Layers)
	if n < 2 {
		return
	}
	if d, t := &p.Layers[n-1], &p.Layers[n-2]; d.Proto == ProtoData && t.Proto == ProtoTCP && d.Off == t.Hdr {
		p.Layers = p.Layers[:n-1]
		p.st.count[ProtoData]--
	}
}

// pduLayers decodes one message that TCP desegmentation delimited,
// framing included.
func (p *Packet) pduLayers(app ProtoID, off, end int) {
	switch app {
	case ProtoDNS, ProtoMDNS, ProtoLLMNR:
		p.dns(app, off, end, true)
	case ProtoNBSS:
		p.nbss(off, end)
	case ProtoKerberos:
		p.kerberosLayer(off, end, true)
	case ProtoHTTP:
		p.httpLayer(ProtoHTTP, off, end)
	}
}

// wholePDUs decodes the messages a segment holds whole, without
// desegmentation (the decoder does not track): what is left is data.
func (p *Packet) wholePDUs(app ProtoID, off, end int) {
	fr := framingOf(app)
	for off < end {
		n, ok := pduLen(fr, p.Data[off:end])
		if !ok || n > end-off {
			p.data(off, end)
			return
		}
		p.pduLayers(app, off, off+n)
		off += n
	}
}

func (p *Packet) dhcp(off, end int) {
	if l := p.add(ProtoDHCP, off, end, end); l != nil {
		if why := dhcpMalformed(p, l); why != "" {
			p.bad(l, why)
		}
	}
}

// teredo decodes a Teredo payload (RFC 4380: optional authentication and
// origin-indication headers, then IPv6); it reports false when the
// payload is not one, leaving it to other dissectors.
func (p *Packet) teredo(off, end int) bool {
	d := p.Data
	o := off
	if end-o >= 4 && d[o] == 0 && d[o+1] == 1 { // authentication
		n := 4 + int(d[o+2]) + int(d[o+3]) + 9
		if end-o < n {
			return false
		}
		o += n
	}
	if end-o >= 8 && d[o] == 0 && d[o+1] == 0 { // origin indication
		o += 8
	}
	if end-o < 40 || d[o]>>4 != 6 || o+40+int(binary.BigEndian.Uint16(d[o+4:])) > end {
		return false
	}
	if p.add(ProtoTeredo, off, o, end) == nil {
		return false
	}
	p.ipv6(o, end, false)
	return true
}

func extProto(next uint8) ProtoID {
	switch next {
	case 0:
		return ProtoIPv6HopOpts
	case 43:
		return ProtoIPv6Routing
	case 60:
		return ProtoIPv6DstOpts
	}
	return ProtoAH
}

// optionsFit reports whether the type-length-value options of a hop-by-hop
// or destination-options header stay inside it (RFC 8200 section 4.2).
func optionsFit(b []byte) bool {
	for len(b) > 0 {
		if b[0] == 0 { // Pad1
			b = b[1:]
			continue
		}
		if len(b) < 2 {
			return false
		}
		n := 2 + int(b[1])
		if b[0] == 0xc9 {
			// Home Address (RFC 6275) is a 16-byte address whatever its
			// length byte says; Wireshark reads it so.
			n = 18
		}
		if n > len(b) {
			return false
		}
		b = b[n:]
	}
	return true
}

// reassemble offers the fragment at Data[off:end] to the defragmenter. ok
// is false when there is none (no reassembly: decode as before); done says
// the fragment completed its datagram, whose payload is then at
// Data[roff:rend]. A packet cloned from one that completed a datagram
// reuses the saved payload instead.
func (p *Packet) reassemble(k defrag.Key, ipOff, fragOff int, more bool, off, end int) (roff, rend int, done, ok bool) {
	var payload []byte
	switch {
	case p.Reasm.saved != nil:
		payload = p.Reasm.saved
	case p.defrag != nil:
		res := p.defrag.Add(defrag.Fragment{Key: k, Offset: fragOff, More: more, Data: p.Data[off:end], Time: p.Time, Frame: p.Num})
		switch res.Status {
		case defrag.Held, defrag.Dropped:
			return 0, 0, false, true
		case defrag.Complete:
			payload = res.Data
			r := &p.Reasm
			for _, pc := range res.Pieces {
				if pc.Flags.Illegal() {
					r.Errors = append(r.Errors, pc.Frame)
				} else {
					r.Frames = append(r.Frames, pc.Frame)
				}
			}
			r.Flags = uint8(res.Flags)
		default: // unfragmented or empty: decode as it is
			return 0, 0, false, false
		}
	default:
		return 0, 0, false, false
	}
	roff = len(p.Data)
	// The reassembled payload goes after the frame's bytes in a buffer of
	// the packet's own, so layers keep indexing one slice.
	st := p.st
	st.reasmBuf = append(append(st.reasmBuf[:0], p.Data...), payload...)
	p.Data = st.reasmBuf
	r := &p.Reasm
	r.Valid, r.IPOff, r.Off, r.Length = true, ipOff, roff, len(payload)
	return roff, len(p.Data), true, true
}
