package capturetest

import (
	"encoding/binary"
	"net/netip"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/reassembly"
)

// Chunk is in-order bytes of one TCP direction, as engine/reassembly
// delivers them, with the direction's sender.
type Chunk struct {
	reassembly.Chunk
	Src netip.AddrPort
}

// Streams reassembles the TCP directions of decoded packets as the engine
// does (scripting's connection tracker): each packet's own TCP segment
// goes to an engine/reassembly Reassembler with the default limits, in
// the direction Wireshark's Follow gives it: Orig for the sender of the
// connection's first segment, Resp for the other side.
type Streams struct {
	r     *reassembly.Reassembler
	nodes map[int]*[2]netip.AddrPort // per tcp.stream: the senders, by Dir
	fn    func(Chunk)
}

// NewStreams returns Streams handing fn the reassembled bytes. The chunk's
// Data is valid only during the call.
func NewStreams(fn func(Chunk)) *Streams {
	s := &Streams{nodes: map[int]*[2]netip.AddrPort{}, fn: fn}
	s.r = reassembly.New(reassembly.Limits{}, func(c reassembly.Chunk) {
		var src netip.AddrPort
		if n := s.nodes[c.Stream]; n != nil {
			src = n[c.Dir&1]
		}
		s.fn(Chunk{Chunk: c, Src: src})
	})
	return s
}

// Add offers p's TCP segment and reports whether it was taken: the packet
// must carry a TCP header of its own (not one quoted in an ICMP error)
// that Wireshark's sequence analysis applies to, after an IP header.
func (s *Streams) Add(p *packet.Packet) bool {
	if !p.TCP.Valid || !p.TCP.Analysed || p.TCP.Quoted {
		return false
	}
	var ip, l *packet.Layer
	for i := range p.Layers {
		switch p.Layers[i].Proto {
		case packet.ProtoIP, packet.ProtoIPv6:
			ip = &p.Layers[i] // the innermost before TCP, for tunnels
		case packet.ProtoTCP:
			if !p.Layers[i].Quoted {
				l = &p.Layers[i]
			}
		}
		if l != nil {
			break
		}
	}
	if l == nil || ip == nil || l.End-l.Off < 20 || l.Hdr > l.End {
		return false
	}
	addr, ok := srcAddr(p, ip)
	if !ok {
		return false
	}
	src := netip.AddrPortFrom(addr, binary.BigEndian.Uint16(p.Data[l.Off:]))
	n := s.nodes[p.TCP.Stream]
	if n == nil {
		n = &[2]netip.AddrPort{src}
		s.nodes[p.TCP.Stream] = n
	}
	dir := reassembly.Orig
	if src != n[reassembly.Orig] {
		dir = reassembly.Resp
		if !n[dir].IsValid() {
			n[dir] = src
		}
	}
	end := max(min(l.End, l.Hdr+p.TCP.Len), l.Hdr)
	s.r.Segment(reassembly.Segment{
		Stream:  p.TCP.Stream,
		Dir:     dir,
		Seq:     p.TCP.SeqRel,
		Ack:     p.TCP.AckRel,
		Flags:   reassembly.TCPFlags(p.Data[l.Off+13]),
		Payload: p.Data[l.Hdr:end],
		Len:     p.TCP.Len,
		Time:    p.Time,
		Frame:   p.Num,
	})
	return true
}

// srcAddr returns the source address of the IP header l.
func srcAddr(p *packet.Packet, l *packet.Layer) (netip.Addr, bool) {
	h := p.Data[l.Off:l.Hdr]
	switch {
	case l.Proto == packet.ProtoIP && len(h) >= 20:
		return netip.AddrFrom4([4]byte(h[12:16])), true
	case l.Proto == packet.ProtoIPv6 && len(h) >= 40:
		return netip.AddrFrom16([16]byte(h[8:24])), true
	}
	return netip.Addr{}, false
}

// Close delivers what the Reassembler still holds, as the engine does at
// the end of a capture.
func (s *Streams) Close() { s.r.CloseAll() }
