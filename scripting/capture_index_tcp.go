package scripting

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"sort"

	"github.com/wirelark/wirelark/engine/packet"
)

// The TCP context of an index, kept per conversation rather than per
// packet.
//
// A TCP segment decoded alone has the right header, payload length and
// analysis flags, but its relative sequence and acknowledgement numbers
// and its scaled window depend on the conversation: the base sequence
// number of each direction and the window shift each side announced.
// Those change rarely (at the handshake; when a SYN seen late replaces a
// guessed base), so the index keeps, per conversation, the list of
// changes with the frame where each took effect, and cap[n] recomputes
// the numbers from the header and the state in force at frame n. The
// list is made from what the decoder gave every packet while indexing,
// and each packet's numbers are recomputed then and compared: a packet
// the recomputation would get wrong keeps its numbers whole (none does in
// the shared captures).

// tcpChange is the state of one direction of a conversation from a frame
// on.
type tcpChange struct {
	frame int32
	base  uint32 // sequence number that relative numbers count from
	scale int8   // window shift; -1 unknown, -2 not in use, scaleUnset
	dir   uint8
}

// scaleUnset marks a direction whose base is known from the other side's
// acknowledgements before it sent a segment of its own.
const scaleUnset = -3

// tcpContext is the conversations' changes, grouped by tcp.stream.
type tcpContext struct {
	start   []uint32    // changes of stream s: ch[start[s]:start[s+1]]
	ch      []tcpChange // by stream, then frame
	streams int
	// While building: the changes in frame order, with their stream, and
	// the latest change of each stream direction.
	build  []tcpChange
	of     []int32
	latest [][2]int32
}

// state returns the change in force for a stream direction at frame i.
func (t *tcpContext) state(stream int32, dir int, i int32) (tcpChange, bool) {
	if t.build != nil {
		if int(stream) < len(t.latest) {
			if k := t.latest[stream][dir]; k >= 0 {
				return t.build[k], true
			}
		}
		return tcpChange{}, false
	}
	if stream < 0 || int(stream) >= t.streams {
		return tcpChange{}, false
	}
	ch := t.ch[t.start[stream]:t.start[stream+1]]
	// The last change at or before i, in this direction.
	k := sort.Search(len(ch), func(k int) bool { return ch[k].frame > i })
	for k--; k >= 0; k-- {
		if int(ch[k].dir) == dir {
			return ch[k], true
		}
	}
	return tcpChange{}, false
}

// set records that stream direction dir has base (and, when scale is not
// scaleUnset, window shift scale) at frame i.
func (t *tcpContext) set(stream int32, dir int, i int32, base uint32, scale int8) {
	for int(stream) >= len(t.latest) {
		t.latest = append(t.latest, [2]int32{-1, -1})
	}
	cur, ok := t.state(stream, dir, i)
	if scale == scaleUnset && ok {
		scale = cur.scale
	}
	if ok && cur.base == base && cur.scale == scale {
		return
	}
	if k := t.latest[stream][dir]; k >= 0 && t.build[k].frame == i {
		t.build[k].base, t.build[k].scale = base, scale
		return
	}
	t.latest[stream][dir] = int32(len(t.build))
	t.build = append(t.build, tcpChange{frame: i, base: base, scale: scale, dir: uint8(dir)})
	t.of = append(t.of, stream)
}

// finish groups the changes by stream (a stable counting sort: frame
// order is kept within a stream).
func (t *tcpContext) finish() {
	t.streams = len(t.latest)
	t.start = make([]uint32, t.streams+1)
	for _, s := range t.of {
		t.start[s+1]++
	}
	for s := 1; s <= t.streams; s++ {
		t.start[s] += t.start[s-1]
	}
	t.ch = make([]tcpChange, len(t.build))
	next := append([]uint32(nil), t.start[:t.streams]...)
	for k, c := range t.build {
		s := t.of[k]
		t.ch[next[s]] = c
		next[s]++
	}
	t.build, t.of, t.latest = nil, nil, nil
}

func (t *tcpContext) size() int { return len(t.start)*4 + len(t.ch)*12 }

// tcpHeader returns the first TCP header of p that is not quoted in an
// ICMP error and has the fields the analysis reads, and which way the
// segment goes: 0 from the lower address and port to the higher, 1 the
// other way (so both directions of a conversation keep one number each).
func tcpHeader(p *packet.Packet) (h []byte, dir int, ok bool) {
	var src, dst []byte
	for i := range p.Layers {
		l := &p.Layers[i]
		if l.Quoted {
			continue
		}
		switch l.Proto {
		case packet.ProtoIP:
			if b := l.Header(p); len(b) >= 20 {
				src, dst = b[12:16], b[16:20]
			}
		case packet.ProtoIPv6:
			if b := l.Header(p); len(b) >= 40 {
				src, dst = b[8:24], b[24:40]
			}
		case packet.ProtoTCP:
			h = l.Header(p)
			if len(h) < 16 {
				continue
			}
			c := bytes.Compare(src, dst)
			if c == 0 {
				c = bytes.Compare(h[0:2], h[2:4])
			}
			if c > 0 {
				dir = 1
			}
			return h, dir, true
		}
	}
	return nil, 0, false
}

// recompute returns the TCP analysis of frame i, given the packet decoded
// without its conversation's history (stream and relative numbers
// aside, the analysis is the same).
func (t *tcpContext) recompute(p *packet.Packet, stream int32, i int32) packet.TCPInfo {
	info := p.TCP
	info.Stream = int(stream)
	if !info.Analysed {
		return info
	}
	h, dir, ok := tcpHeader(p)
	if !ok {
		return info
	}
	seq, ack := binary.BigEndian.Uint32(h[4:]), binary.BigEndian.Uint32(h[8:])
	syn, ackf := h[13]&0x02 != 0, h[13]&0x10 != 0
	win := uint32(binary.BigEndian.Uint16(h[14:]))
	f, _ := t.state(stream, dir, i)
	info.SeqRel = seq - f.base
	info.AckRel = ack
	if ackf {
		r, _ := t.state(stream, 1-dir, i)
		info.AckRel = ack - r.base
	}
	info.Window, info.WinScale = win, int32(f.scale)
	if f.scale >= 0 {
		info.WinScale = 1 << f.scale
		if !syn {
			info.Window = win << f.scale
		}
	}
	return info
}

// observe records the state packet p (frame i, decoded in order) shows,
// and reports whether recompute gives its analysis back.
func (t *tcpContext) observe(p *packet.Packet, i int32) bool {
	info := p.TCP
	stream := int32(info.Stream)
	for int(stream) >= len(t.latest) {
		t.latest = append(t.latest, [2]int32{-1, -1})
	}
	if info.Analysed {
		h, dir, ok := tcpHeader(p)
		if !ok {
			return false
		}
		seq, ack := binary.BigEndian.Uint32(h[4:]), binary.BigEndian.Uint32(h[8:])
		scale := int8(info.WinScale)
		if info.WinScale > 0 {
			scale = int8(bits.TrailingZeros32(uint32(info.WinScale)))
		}
		t.set(stream, dir, i, seq-info.SeqRel, scale)
		if h[13]&0x10 != 0 {
			t.set(stream, 1-dir, i, ack-info.AckRel, scaleUnset)
		}
	}
	return t.recompute(p, stream, i) == info
}
