package packet

import (
	"encoding/binary"
)

// TCPInfo is what the capture-wide TCP analysis knows of a packet's first
// TCP header.
type TCPInfo struct {
	Valid  bool
	Stream int    // tcp.stream: conversation index in order of appearance
	SeqRel uint32 // tcp.seq: sequence number relative to the flow's base
	// AckRel is tcp.ack: relative to the other flow's base when the ACK
	// flag is set, the raw field otherwise (as Wireshark shows it).
	AckRel uint32
	// Len is tcp.len, set when Analysed: the payload length per the IP
	// header, but not past the frame's length on the wire.
	Len int
	// Analysed is set when Wireshark's sequence analysis applies: the
	// header is not quoted in an ICMP error, not in an IP fragment, and
	// whole. Otherwise SeqRel and AckRel are the raw numbers and tshark
	// shows no tcp.len or tcp.nxtseq.
	Analysed bool
	// Quoted is set when the header is one quoted in an ICMP error (the
	// packet has no TCP header of its own).
	Quoted bool
	// Window is tcp.window_size: the window field scaled by the shift its
	// sender announced in its SYN, when both SYNs carried the option.
	Window uint32
	// WinScale is tcp.window_size_scalefactor: the multiplier, -1 when the
	// handshake was not seen, -2 when scaling is not in use.
	WinScale int32
}

// UDPInfo is the capture-wide UDP analysis of a packet's first UDP header.
type UDPInfo struct {
	Valid  bool
	Stream int  // udp.stream
	Quoted bool // the header is one quoted in an ICMP error
}

// endpoint is an address (IPv4 as IPv4-mapped IPv6) and a port, as bytes:
// cheap to hash and compare, built straight from the headers.
type endpoint [18]byte

type convKey struct {
	a, b endpoint // a < b
}

// tcpFlow is one direction of a TCP conversation.
type tcpFlow struct {
	baseSet bool
	sawSYN  bool // base is a SYN's sequence number, not a guess
	base    uint32
	// winScale is the window shift of this direction: -1 unknown (no SYN
	// seen), -2 not in use, else the shift from the SYN's option.
	winScale int8
	fin      bool // a FIN was seen from this side
	pdu      pduFlow
}

type tcpConv struct {
	stream int
	last   int64      // time of its latest packet
	rst    bool       // a RST was seen
	flows  [2]tcpFlow // [0] from key.a, [1] from key.b
	app    appState   // what the application protocol's dissection follows
}

// closed reports whether the conversation is over: reset, or FIN both ways.
func (c *tcpConv) closed() bool { return c.rst || c.flows[0].fin && c.flows[1].fin }

// tracker numbers TCP and UDP conversations and computes relative
// sequence numbers as Wireshark 4.0 does (epan/dissectors/packet-tcp.c,
// packet-udp.c, with default preferences):
//
//   - every TCP or UDP header, including one quoted in an ICMP error or
//     carried in an IP fragment, looks its conversation up by addresses
//     and ports (either direction) and makes a new one, with the next
//     index, when there is none; a TCP header needs its first 16 bytes for
//     that, a UDP header its 8 and a length of at least 8;
//   - a SYN without ACK whose sequence number differs from the base of its
//     direction starts a new conversation on the same ports (ports reused);
//   - sequence analysis sees only whole, unquoted, unfragmented segments:
//     the first of a direction sets its base (its sequence number for a
//     SYN, one less otherwise, so a capture starting mid-stream counts
//     from 1; a SYN seen later still replaces a guessed base), and the
//     first with ACK set fixes the other direction's base to ack-1 if that
//     direction has none yet.
//
// Unlike Wireshark, which keeps every conversation of a file, it forgets
// conversations that are over, so memory stays flat on long captures: a
// TCP conversation ClosedLinger after its RST or its second FIN, any TCP
// conversation after TCPIdle without a packet, a UDP one after UDPIdle.
// A 5-tuple that comes back after that gets a new index where Wireshark
// would reuse the old one.
type tracker struct {
	tcp map[convKey]*tcpConv
	// The conversation of the last TCP segment and its key.
	lastTCP    *tcpConv
	lastTCPKey convKey
	udp        map[convKey]*udpConv
	nextTCP    int
	nextUDP    int
	now        int64 // time of the latest packet
	sweepAt    int   // conversations held when the next sweep is due
	pduStats   PDUStats
	bufPool    [][]byte // desegmentation's spare message buffers
	noHTTP     bool     // Decoder.HTTP off
}

type udpConv struct {
	stream int
	last   int64
}

// How long (packet time, ns) the stream analysis keeps conversations; see
// tracker. They are longer than Zeek's matching timeouts.
const (
	TCPIdle      = 10 * 60 * 1e9
	UDPIdle      = 3 * 60 * 1e9
	ClosedLinger = 2 * 60 * 1e9
)

// minSweep is the table size below which idle conversations are kept.
var minSweep = 1 << 14

func newTracker() *tracker {
	return &tracker{tcp: map[convKey]*tcpConv{}, udp: map[convKey]*udpConv{}, sweepAt: minSweep}
}

// sweep forgets the conversations that are over or idle (see tracker). It
// runs when the tables have grown by a quarter since the last sweep: the
// cost stays a few map entries visited per new conversation, and the
// tables (which never give back their space) hold little beyond the
// conversations still wanted.
func (t *tracker) sweep() {
	for k, c := range t.tcp {
		if c.last < t.now-TCPIdle || c.closed() && c.last < t.now-ClosedLinger {
			t.forget(c)
			delete(t.tcp, k)
		}
	}
	for k, c := range t.udp {
		if c.last < t.now-UDPIdle {
			delete(t.udp, k)
		}
	}
	t.lastTCP = nil
	n := len(t.tcp) + len(t.udp)
	t.sweepAt = max(minSweep, n+n/4)
}

// forget releases what a conversation holds for desegmentation.
func (t *tracker) forget(c *tcpConv) {
	t.dropPDU(&c.flows[0].pdu)
	t.dropPDU(&c.flows[1].pdu)
}

// endpoints returns the addresses of the network layer that carries l, and
// whether l lies in an IP fragment (a first fragment: later ones carry no
// transport header).
func (p *Packet) endpoints(l *Layer) (src, dst endpoint, frag, ok bool) {
	for i := len(p.Layers) - 1; i >= 0; i-- {
		n := &p.Layers[i]
		if n.Off >= l.Off {
			continue
		}
		d := p.Data
		switch n.Proto {
		case ProtoIPv6Frag:
			if n.Hdr-n.Off >= 4 && d[n.Off+3]&1 != 0 {
				frag = true
			}
		case ProtoIP:
			if n.Hdr-n.Off < 20 {
				return
			}
			frag = frag || d[n.Off+6]&0x20 != 0
			src[10], src[11], dst[10], dst[11] = 0xff, 0xff, 0xff, 0xff
			copy(src[12:16], d[n.Off+12:n.Off+16])
			copy(dst[12:16], d[n.Off+16:n.Off+20])
			return src, dst, frag, true
		case ProtoIPv6:
			if n.Hdr-n.Off < 40 {
				return
			}
			copy(src[:16], d[n.Off+8:n.Off+24])
			copy(dst[:16], d[n.Off+24:n.Off+40])
			return src, dst, frag, true
		}
	}
	return
}

func (t *tracker) observe(p *Packet) {
	if !p.NoTime && p.Time > t.now {
		t.now = p.Time
	}
	if len(t.tcp)+len(t.udp) >= t.sweepAt {
		t.sweep()
	}
	if p.pending.kind == pendQuote {
		// Wireshark's conversations include headers quoted in ICMP errors
		// (they find the flow the error is about), so decode them now;
		// errors are rare enough for this to cost nothing.
		p.finish()
	}
	// The heuristic dissectors may replace the data layer after TCP:
	// the length is read each time.
	for i := 0; i < len(p.Layers); i++ {
		l := &p.Layers[i]
		switch l.Proto {
		case ProtoTCP:
			t.observeTCP(p, l)
		case ProtoUDP:
			t.observeUDP(p, l)
		}
	}
}

func key(a, b endpoint, sp, dp uint16) (convKey, int) {
	binary.BigEndian.PutUint16(a[16:], sp)
	binary.BigEndian.PutUint16(b[16:], dp)
	if string(a[:]) <= string(b[:]) {
		return convKey{a, b}, 0
	}
	return convKey{b, a}, 1
}

// is6 reports whether an endpoint holds an IPv6 address.
func (e *endpoint) is6() bool {
	return [12]byte(e[:12]) != [12]byte{10: 0xff, 11: 0xff}
}

func (t *tracker) observeTCP(p *Packet, l *Layer) {
	d := p.Data[l.Off:l.End]
	// Wireshark reads the header up to the window field before it looks
	// the conversation up; a shorter header gets no stream.
	if len(d) < 16 {
		return
	}
	src, dst, frag, ok := p.endpoints(l)
	if !ok {
		return
	}
	frag = frag && !p.inReassembled(l)
	sp, dp := binary.BigEndian.Uint16(d[0:]), binary.BigEndian.Uint16(d[2:])
	seq, ack := binary.BigEndian.Uint32(d[4:]), binary.BigEndian.Uint32(d[8:])
	flags := d[13]
	syn, ackf := flags&0x02 != 0, flags&0x10 != 0
	k, dir := key(src, dst, sp, dp)
	// Segments of one connection come in bursts: look at the last one
	// before the map.
	c := t.lastTCP
	if c == nil || k != t.lastTCPKey {
		c = t.tcp[k]
	}
	if c != nil && syn && !ackf && c.flows[dir].baseSet && c.flows[dir].base != seq {
		t.forget(c)
		c = nil // ports reused by a new connection
	}
	if c == nil {
		c = &tcpConv{stream: t.nextTCP}
		c.flows[0].winScale, c.flows[1].winScale = -1, -1
		t.nextTCP++
		t.tcp[k] = c
	}
	t.lastTCP, t.lastTCPKey = c, k
	c.last = t.now
	if !l.Quoted {
		c.flows[dir].fin = c.flows[dir].fin || flags&0x01 != 0
		c.rst = c.rst || flags&0x04 != 0
	}
	info := TCPInfo{Valid: true, Stream: c.stream, SeqRel: seq, AckRel: ack, Quoted: l.Quoted}
	hl := int(d[12]>>4) * 4
	if n := p.reportedEnd(l) - l.Off; !l.Quoted && !frag && n >= hl {
		f, r := &c.flows[dir], &c.flows[1-dir]
		switch {
		case syn && !f.sawSYN:
			// A SYN fixes the base even when a segment seen before it
			// (a stray RST, data out of order) had set a guessed one.
			f.baseSet, f.sawSYN, f.base = true, true, seq
		case !f.baseSet:
			f.baseSet, f.base = true, seq-1
		}
		if ackf && !r.baseSet {
			// The other side's first sequence number is unknown; ack-1 is
			// right after a handshake and as good a guess as any otherwise.
			r.baseSet = true
			r.base = ack - 1
		}
		info.SeqRel = seq - f.base
		if ackf {
			info.AckRel = ack - r.base
		}
		info.Len = n - hl
		info.Analysed = true
		if w := p.pending; w.kind == pendApp && w.tcp && w.off == l.Hdr && !p.TCP.Valid {
			t.appSegment(p, c, dir, w, seq, min(w.end, l.Off+n), dp == 21, flags&0x01 != 0)
		} else if n > hl && !p.TCP.Valid {
			t.heuristic(p, c, dir, l, seq, l.Off+n, flags&0x01 != 0)
		} else if flags&0x01 != 0 && n == hl && !p.TCP.Valid {
			t.appFIN(p, c, dir)
		}
		if syn {
			windowScaling(p, l, f, r, ackf)
		}
		win := uint32(binary.BigEndian.Uint16(d[14:]))
		info.Window, info.WinScale = win, int32(f.winScale)
		if f.winScale >= 0 {
			info.WinScale = 1 << f.winScale
			if !syn {
				// A SYN's own window is never scaled.
				info.Window = win << f.winScale
			}
		}
	}
	if !p.TCP.Valid {
		p.TCP = info
	}
}

// reportedEnd is where Wireshark takes a transport segment to end (its
// "reported length"): at the end of the IP datagram per its length field,
// but never past the frame's length on the wire, which a bogus IP length
// may claim.
func (p *Packet) reportedEnd(l *Layer) int {
	end := l.End
	if e, ok := p.ipClaimedEnd(l); ok {
		end = e
	}
	if p.inReassembled(l) {
		return end
	}
	return min(end, p.Len)
}

// inReassembled reports whether l was decoded from a reassembled payload.
func (p *Packet) inReassembled(l *Layer) bool {
	return p.Reasm.Valid && l.Off >= p.Reasm.Off
}

func (t *tracker) observeUDP(p *Packet, l *Layer) {
	d := p.Data[l.Off:l.End]
	if len(d) < 8 {
		return
	}
	src, dst, _, ok := p.endpoints(l)
	if !ok {
		return
	}
	// Wireshark gives up on a length below the header's before it looks
	// the conversation up (0 is an IPv6 jumbogram's).
	if ul := binary.BigEndian.Uint16(d[4:]); ul < 8 && (ul != 0 || !src.is6()) {
		return
	}
	k, _ := key(src, dst, binary.BigEndian.Uint16(d[0:]), binary.BigEndian.Uint16(d[2:]))
	c := t.udp[k]
	if c == nil {
		c = &udpConv{stream: t.nextUDP}
		t.nextUDP++
		t.udp[k] = c
	}
	c.last = t.now
	if !p.UDP.Valid {
		p.UDP = UDPInfo{Valid: true, Stream: c.stream, Quoted: l.Quoted}
	}
}

// windowScaling records the window-scale option of a SYN or SYN-ACK as
// Wireshark's verify_tcp_window_scaling does: scaling is in use only when
// both SYNs carry the option.
func windowScaling(p *Packet, l *Layer, f, r *tcpFlow, synack bool) {
	for _, o := range tcpOpts(p, l) {
		if o.OptionType == 3 && len(o.OptionData) >= 1 {
			f.winScale = int8(min(o.OptionData[0], 14))
		}
	}
	switch {
	case f.winScale == -1:
		f.winScale, r.winScale = -2, -2
	case synack && r.winScale == -2:
		f.winScale = -2
	}
}
