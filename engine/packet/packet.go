// Package packet decodes captured frames into layers and holds the field
// registry: one declaration per protocol field, with its Wireshark
// display-filter name, type, description and accessor. The registry is what
// `show -e`, `show -V`, `wirelark fields`, display filters and Starlark
// attribute access all read.
//
// Decoding drives gopacket's DecodingLayer implementations (Ethernet,
// Dot1Q, ARP, IPv4, IPv6, ICMP, IGMP, TCP, UDP, DNS, DHCPv4, ...) from the
// project's own loop rather than gopacket.DecodingLayerParser: the parser
// keeps one instance per layer type, so a second VLAN tag, an IP header
// quoted inside an ICMP error or a tunnelled IP header would overwrite the
// first, and Wireshark's fields list every occurrence in order. Fields whose
// bytes sit at a fixed place in a header are read straight from the frame's
// bytes, so a header cut short still shows the fields that were captured,
// as Wireshark does.
package packet

import (
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/defrag"
)

// Layer is one decoded protocol header in a packet.
type Layer struct {
	Proto ProtoID
	Idx   uint8 // instance of the protocol's typed storage
	Off   int   // first byte of the header in Packet.Data
	Hdr   int   // first byte after the header (start of its payload)
	End   int   // first byte after the layer's data (header + payload)
	// Bad is set when the header could not be decoded in full: the packet
	// is malformed at this layer.
	Bad bool
	// Quoted is set for headers quoted inside an ICMP error.
	Quoted bool
}

// Bytes returns the layer's bytes, header and payload.
func (l *Layer) Bytes(p *Packet) []byte { return p.Data[l.Off:l.End] }

// Header returns the bytes of the layer's header.
func (l *Layer) Header(p *Packet) []byte { return p.Data[l.Off:l.Hdr] }

// Payload returns the bytes after the layer's header.
func (l *Layer) Payload(p *Packet) []byte { return p.Data[l.Hdr:l.End] }

// Packet is one decoded frame. A Packet handed out by a Decoder is reused
// for the next frame; Clone keeps one.
type Packet struct {
	Num  int   // 1-based frame number, as Wireshark counts
	Time int64 // nanoseconds since the epoch
	Len  int   // length on the wire
	// Data holds the captured bytes (Frame) followed by any IP payload
	// reassembled from fragments: layers decoded from a reassembled
	// datagram point past the frame's end.
	Data     []byte
	LinkType layers.LinkType
	Iface    int
	File     int
	Nano     bool // timestamps finer than microseconds
	NoTime   bool // the record carries no timestamp: no time fields

	Layers []Layer
	// Malformed names the protocol whose header was damaged, "" if none.
	Malformed string
	// MalformedWhy says what was wrong.
	MalformedWhy string

	// Filled by the Decoder's analysis, in frame order.
	Rel   int64 // time since the first frame
	Delta int64 // time since the previous frame
	TCP   TCPInfo
	UDP   UDPInfo

	// Reasm describes the datagram this frame completed by reassembly.
	Reasm Reassembly

	frameLen int    // captured bytes: Data[:frameLen] is the frame
	own      []byte // the packet's own copy of the frame (DecodeInto)
	st       *storage
	pending  pendingWork
	defrag   *defrag.Defragmenter // nil: no reassembly
}

// Reassembly is what a frame that completed an IP datagram knows of it.
type Reassembly struct {
	Valid  bool
	IPOff  int    // where the IP header that was completed starts in Data
	Off    int    // where the reassembled payload starts in Data
	Length int    // ip.reassembled.length
	Frames []int  // ip.fragment: frames that made the datagram, in order
	Errors []int  // ip.fragment.error: pieces Wireshark flags as illegal
	Flags  uint8  // defrag.Flags of the datagram
	saved  []byte // the payload, kept for Clone
}

// Frame returns the captured bytes of the frame.
func (p *Packet) Frame() []byte { return p.Data[:p.frameLen] }

// CapLen is the number of bytes captured.
func (p *Packet) CapLen() int { return p.frameLen }

// Has reports whether a layer of the protocol is present.
func (p *Packet) Has(id ProtoID) bool {
	p.need(id)
	for i := range p.Layers {
		if p.Layers[i].Proto == id {
			return true
		}
	}
	return false
}

// Layer returns the first layer of the protocol, or nil.
func (p *Packet) Layer(id ProtoID) *Layer {
	p.need(id)
	for i := range p.Layers {
		if p.Layers[i].Proto == id {
			return &p.Layers[i]
		}
	}
	return nil
}

// Complete decodes whatever was left for later (application layers and
// headers quoted in ICMP errors).
func (p *Packet) Complete() {
	if p.pending.kind != pendNone {
		p.finish()
	}
}

// need completes decoding when id is a protocol decoded lazily.
func (p *Packet) need(id ProtoID) {
	if p.pending.kind == pendQuote || p.pending.kind != pendNone && lazyProto[id] {
		p.finish()
	}
}

// Clone returns a copy of p that owns its bytes and storage.
func (p *Packet) Clone() *Packet {
	p.Complete()
	q := &Packet{}
	*q = *p
	q.Data = append([]byte(nil), p.Frame()...)
	q.Layers = nil
	q.Reasm.saved = nil
	if p.Reasm.Valid {
		q.Reasm.saved = append([]byte(nil), p.Data[p.Reasm.Off:p.Reasm.Off+p.Reasm.Length]...)
		q.Reasm.Frames = append([]int(nil), p.Reasm.Frames...)
		q.Reasm.Errors = append([]int(nil), p.Reasm.Errors...)
	}
	// Decoded structures alias Data; decode them again over the copy,
	// reusing the reassembled payload rather than defragmenting again.
	q.defrag = nil
	q.st = newStorage()
	var pdu pduSet
	var tail []byte
	if src := p.st.pdu; len(src.spans) > 0 {
		pdu = pduSet{app: src.app, spans: append([]pduSpan{}, src.spans...), tail: src.tail}
		if src.tail >= 0 {
			tail = append([]byte(nil), p.Data[src.tail:]...)
		}
	}
	q.redecode(pdu, tail)
	return q
}
