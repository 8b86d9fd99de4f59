package flow

import (
	"cmp"
	"encoding/binary"
	"math"
	"net/netip"
	"slices"
	"time"

	"github.com/wirelark/wirelark/engine/packet"
)

// Defaults for the zero fields of Config. The timeouts are Zeek's
// (init-bare.zeek): tcp_inactivity_timeout, udp_inactivity_timeout,
// icmp_inactivity_timeout, tcp_attempt_delay, tcp_close_delay and
// tcp_connection_linger.
const (
	DefaultMaxConns       = 1 << 18
	DefaultTCPInactivity  = 5 * time.Minute
	DefaultUDPInactivity  = time.Minute
	DefaultICMPInactivity = time.Minute
	DefaultAttemptDelay   = 5 * time.Second
	DefaultCloseDelay     = 5 * time.Second
	DefaultLinger         = 5 * time.Second
)

// Config sets up a Table. A zero duration takes its default; a negative
// one turns the timer off (Zeek's 0 secs).
type Config struct {
	// MaxConns bounds the connections in the table; when a new one would
	// exceed it, the least recently active one ends (EndEvicted).
	MaxConns int

	// Inactivity timeouts by protocol: a connection with no packet for
	// this long ends (EndInactive).
	TCPInactivity, UDPInactivity, ICMPInactivity time.Duration
	// AttemptDelay: a connection whose SYN is still unanswered this long
	// after it ends (EndAttempt).
	AttemptDelay time.Duration
	// CloseDelay: how long a closed or reset connection stays, to take
	// the last ACKs and retransmissions, before it ends (EndClosed).
	CloseDelay time.Duration
	// Linger: a half-closed connection whose other side is reset or
	// never spoke ends after this much inactivity.
	Linger time.Duration

	// VerifyChecksums checks TCP, UDP and ICMP checksums as Zeek does by
	// default: a packet with a bad one counts only as 'C'/'c' in the
	// history (a TCP or UDP one) and is otherwise ignored. Off by default,
	// as with Zeek's -C, because captures taken on a sending host carry
	// the unfilled checksums of offloading NICs.
	VerifyChecksums bool

	// MergeEchoIDs keys ICMP echo connections as Zeek does, by addresses
	// and types only, so pings with different identifiers between the
	// same hosts share a connection. By default each identifier is a
	// connection of its own.
	MergeEchoIDs bool

	// ServerPort reports whether a port is a likely server port, which
	// decides the roles of a connection whose first packet is not a SYN
	// (Zeek's likely_server_ports). Nil uses the ports Zeek's base
	// protocol scripts register.
	ServerPort func(p Proto, port uint16) bool

	Events Events
}

// Events are called as connections start, complete their handshake and
// end. Any may be nil. Calls happen inside Observe, Expire and Flush; the
// Packet is the one being observed and is valid only during the call.
type Events struct {
	// Start follows the first packet of a connection, once the packet is
	// accounted.
	Start func(c *Conn, p *packet.Packet)
	// Handshake follows the ACK that completes a TCP three-way handshake
	// seen whole (SYN, SYN-ACK, ACK).
	Handshake func(c *Conn, p *packet.Packet)
	// End is called exactly once for every connection started, with
	// c.EndReason set.
	End func(c *Conn)
}

// Stats counts what a Table did.
type Stats struct {
	Packets uint64 // packets observed
	// NoTransport counts packets without a TCP, UDP or ICMP header of
	// their own (ARP, IGMP, non-final fragments, ...).
	NoTransport uint64
	// Skipped counts transport headers left out: cut short, carried in
	// an IP fragment that was not reassembled, not numbered by the
	// decoder (tracking off), or with an address family not understood.
	Skipped uint64
	// BadChecksums counts packets refused by VerifyChecksums.
	BadChecksums uint64

	Conns                         uint64 // connections started
	TCPConns, UDPConns, ICMPConns uint64
	Active                        int // connections in the table now
	MaxActive                     int // the most at once

	// Ended connections by reason.
	Closed, Attempts, Inactive, Reused, Evicted, Flushed uint64
}

// Table tracks the connections of one capture or live source. It is not
// safe for concurrent use.
type Table struct {
	cfg        Config
	max        int
	inactivity [4]int64 // by Proto
	attempt    int64
	closeDelay int64
	linger     int64
	serverPort func(p Proto, port uint16) bool

	tcp    map[int]*Conn
	udp    map[int]*Conn
	icmp   map[icmpKey]*Conn
	tuples map[tupleKey]*Conn // TCP connections by 5-tuple, for reuse

	heap       []heapEnt // by due time
	head, tail *Conn     // recency list
	now        int64     // latest time seen
	uid        uint64
	nextICMP   int
	st         Stats
	order      []*Conn // scratch for Flush
}

// New returns an empty Table.
func New(cfg Config) *Table {
	t := &Table{cfg: cfg, tcp: map[int]*Conn{}, udp: map[int]*Conn{}, icmp: map[icmpKey]*Conn{}, tuples: map[tupleKey]*Conn{}}
	t.max = cfg.MaxConns
	if t.max <= 0 {
		t.max = DefaultMaxConns
	}
	dur := func(d, def time.Duration) int64 {
		switch {
		case d == 0:
			return int64(def)
		case d < 0:
			return 0
		}
		return int64(d)
	}
	t.inactivity[TCP] = dur(cfg.TCPInactivity, DefaultTCPInactivity)
	t.inactivity[UDP] = dur(cfg.UDPInactivity, DefaultUDPInactivity)
	t.inactivity[ICMP] = dur(cfg.ICMPInactivity, DefaultICMPInactivity)
	t.attempt = dur(cfg.AttemptDelay, DefaultAttemptDelay)
	t.closeDelay = dur(cfg.CloseDelay, DefaultCloseDelay)
	t.linger = dur(cfg.Linger, DefaultLinger)
	t.serverPort = cfg.ServerPort
	if t.serverPort == nil {
		t.serverPort = likelyServerPort
	}
	return t
}

// Stats returns the counters.
func (t *Table) Stats() Stats { return t.st }

// Len is the number of connections in the table.
func (t *Table) Len() int { return t.st.Active }

// Observe accounts one decoded packet, in capture order, and returns the
// connection it belongs to (the innermost one when a tunnel carries one
// connection in another) and whether the originator sent it; nil when it
// belongs to none. The Decoder must have tracking on (the default): TCP
// and UDP connections take their IDs from it.
//
// Timers due by the packet's time run first, as Zeek runs its timers
// before the packet that advances network time.
func (t *Table) Observe(p *packet.Packet) (c *Conn, fromOrig bool) {
	t.st.Packets++
	t.advance(p.Time)
	found := false
	var seen [3]bool // tcp, udp, icmp: the first header of each
	for i := range p.Layers {
		l := &p.Layers[i]
		if l.Quoted {
			continue
		}
		var k int
		switch l.Proto {
		case packet.ProtoTCP:
			k = 0
		case packet.ProtoUDP:
			k = 1
		case packet.ProtoICMP, packet.ProtoICMPv6:
			k = 2
		default:
			continue
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		found = true
		var cc *Conn
		var o bool
		switch k {
		case 0:
			cc, o = t.tcpPacket(p, i)
		case 1:
			cc, o = t.udpPacket(p, i)
		default:
			cc, o = t.icmpPacket(p, i)
		}
		if cc != nil {
			c, fromOrig = cc, o
		}
	}
	if !found {
		t.st.NoTransport++
	}
	return c, fromOrig
}

// Expire ends the connections whose timers are due at now (nanoseconds
// since the epoch), for live capture where time passes without packets.
// It returns how many ended. Packet times drive the timers otherwise.
func (t *Table) Expire(now int64) int {
	n := t.st.Closed + t.st.Attempts + t.st.Inactive
	t.advance(now)
	return int(t.st.Closed + t.st.Attempts + t.st.Inactive - n)
}

// Flush ends every connection in the table (EndFlushed), in the order they
// started: the end of a capture.
func (t *Table) Flush() {
	t.order = t.order[:0]
	for c := t.head; c != nil; c = c.next {
		t.order = append(t.order, c)
	}
	slices.SortFunc(t.order, func(a, b *Conn) int { return cmp.Compare(a.UID, b.UID) })
	for i, c := range t.order {
		t.end(c, EndFlushed)
		t.order[i] = nil
	}
	t.order = t.order[:0]
}

// netInfo is what a transport header needs from the IP header that
// carries it.
type netInfo struct {
	v6       bool
	src, dst [16]byte
	total    int // Zeek's IP TotalLen
	plen     int // IP payload length from the transport header on (Zeek's PayloadLen)
	captured int // bytes of that payload captured
	frag     bool
}

// netOf finds the IP header carrying the transport layer at index li.
func netOf(p *packet.Packet, li int) (n netInfo, ok bool) {
	l := &p.Layers[li]
	reasm := p.Reasm.Valid && l.Off >= p.Reasm.Off
	d := p.Data
	for j := li - 1; j >= 0; j-- {
		ip := &p.Layers[j]
		if ip.Quoted {
			return n, false
		}
		switch ip.Proto {
		case packet.ProtoIPv6Frag:
			if h := ip.Hdr - ip.Off; h >= 4 && !reasm && (d[ip.Off+3]&1 != 0 || binary.BigEndian.Uint16(d[ip.Off+2:])&0xfff8 != 0) {
				n.frag = true
			}
		case packet.ProtoIP:
			if ip.Hdr-ip.Off < 20 {
				return n, false
			}
			copy(n.src[:4], d[ip.Off+12:ip.Off+16])
			copy(n.dst[:4], d[ip.Off+16:ip.Off+20])
			hl := ip.Hdr - ip.Off
			var end int
			if reasm {
				n.total = hl + p.Reasm.Length
				end = p.Reasm.Off + p.Reasm.Length
			} else {
				n.total = int(binary.BigEndian.Uint16(d[ip.Off+2:]))
				if n.total == 0 {
					// Segmentation offload leaves the length 0: Zeek
					// (ip_hdr_len_zero) and Wireshark take the datagram
					// to be what was captured.
					n.total = ip.End - ip.Off
				}
				end = ip.Off + n.total
				if fo := binary.BigEndian.Uint16(d[ip.Off+6:]); fo&0x3fff != 0 {
					n.frag = true
				}
			}
			n.setPayload(p, l, end, reasm)
			return n, true
		case packet.ProtoIPv6:
			if ip.Hdr-ip.Off < 40 {
				return n, false
			}
			n.v6 = true
			copy(n.src[:], d[ip.Off+8:ip.Off+24])
			copy(n.dst[:], d[ip.Off+24:ip.Off+40])
			var end int
			if reasm {
				n.total = 40 + p.Reasm.Length
				end = p.Reasm.Off + p.Reasm.Length
			} else {
				n.total = 40 + int(binary.BigEndian.Uint16(d[ip.Off+4:]))
				end = ip.Off + n.total
			}
			n.setPayload(p, l, end, reasm)
			return n, true
		}
	}
	return n, false
}

func (n *netInfo) setPayload(p *packet.Packet, l *packet.Layer, end int, reasm bool) {
	n.plen = max(0, end-l.Off)
	capEnd := min(end, len(p.Frame()))
	if reasm {
		capEnd = min(end, len(p.Data))
	}
	n.captured = max(0, capEnd-l.Off)
}

func (t *Table) tcpPacket(p *packet.Packet, li int) (*Conn, bool) {
	l := &p.Layers[li]
	if !p.TCP.Valid || p.TCP.Quoted {
		t.st.Skipped++
		return nil, false
	}
	n, ok := netOf(p, li)
	if !ok || n.frag || n.captured < 20 || n.plen != 0 && n.plen < 20 {
		// Zeek needs the fixed header to make a connection at all (an IP
		// length of 0, from segmentation offload, passes).
		t.st.Skipped++
		return nil, false
	}
	now := p.Time
	d := p.Data[l.Off:]
	sport, dport := binary.BigEndian.Uint16(d), binary.BigEndian.Uint16(d[2:])
	hl := int(d[12]>>4) * 4
	s := segment{
		flags: d[13], seq: binary.BigEndian.Uint32(d[4:]), ack: binary.BigEndian.Uint32(d[8:]),
		win: binary.BigEndian.Uint16(d[14:]), len: p.TCP.Len, caplen: min(p.TCP.Len, n.captured-hl),
	}
	// A header cut short (options beyond the capture or the datagram, or
	// a bogus data offset) makes the connection but is not analysed, as
	// in Zeek's ExtractTCP_Header; its flags still count for the
	// handshake's timing.
	whole := p.TCP.Analysed && hl >= 20 && hl <= n.captured && !l.Bad
	id := p.TCP.Stream
	c := t.tcp[id]
	var syns *synState // SYNs the new connection takes over
	if c != nil && whole && isReuse(c, s.flags, s.seq) {
		if s.flags&flagACK != 0 && c.SynAckFrame == 0 && c.lastSyn.frame != 0 && c.fromOrig(&n.dst, dport) {
			syns = c.takeSyns()
		}
		t.end(c, EndReused)
		c = nil
	}
	created := c == nil
	if created {
		k := makeTupleKey(&n, sport, dport)
		if old := t.tuples[k]; old != nil {
			// Wireshark started a new stream on these ports (a SYN with a
			// new sequence number): the old connection is over.
			t.end(old, EndReused)
		}
		c = t.newConn(TCP, 6, id, &n, sport, dport, now, p.Num)
		c.tupleKey = k
		t.tuples[k] = c
		t.tcp[id] = c
		t.st.TCPConns++
		if t.wantFlip(s.flags, sport, dport) {
			c.flip()
		}
		if syns != nil {
			c.SynCount, c.SynTime, c.SynFrame = syns.count, syns.time, syns.frame
			c.lastSyn = syns.last
		}
	}
	isOrig := c.fromOrig(&n.src, sport)
	switch {
	case !whole:
		t.st.Skipped++
	case t.cfg.VerifyChecksums && n.plen > 0 && n.captured >= n.plen && !transportChecksumOK(p, l, &n, 6):
		t.st.BadChecksums++
		e := c.side(isOrig)
		c.scaled(letter('C', isOrig), &e.chkCnt, &e.chkThresh)
	default:
		t.tcpSegment(c, isOrig, s, now)
		c.count(isOrig, n.total)
	}
	done := c.handshake(isOrig, s, now, p.Num)
	t.touch(c, p)
	if created && t.cfg.Events.Start != nil {
		t.cfg.Events.Start(c, p)
	}
	if done && t.cfg.Events.Handshake != nil {
		t.cfg.Events.Handshake(c, p)
	}
	return c, isOrig
}

// takeSyns removes from a connection its SYNs, for the one a SYN-ACK
// starts on its tuple: Zeek's state machine starts a new connection at a
// SYN-ACK when it could not analyse the SYN (a header cut short by the
// snapshot length: the originator still looks inactive), but the SYN
// and the SYN-ACK are one handshake, as Wireshark shows it.
func (c *Conn) takeSyns() *synState {
	s := &synState{count: c.SynCount, time: c.SynTime, frame: c.SynFrame, last: c.lastSyn}
	c.SynCount, c.SynTime, c.SynFrame, c.lastSyn = 0, 0, 0, lastSyn{}
	return s
}

// synState is what a connection knows of its SYNs before a SYN-ACK.
type synState struct {
	count, frame int
	time         int64
	last         lastSyn
}

// handshake follows the three-way handshake; it reports whether this
// packet completed it.
func (c *Conn) handshake(isOrig bool, s segment, now int64, frame int) bool {
	syn, ack, rst := s.flags&flagSYN != 0, s.flags&flagACK != 0, s.flags&flagRST != 0
	switch {
	case syn && !ack && !rst && isOrig:
		c.SynCount++
		if c.SynAckFrame == 0 {
			if c.SynFrame == 0 {
				c.SynTime, c.SynFrame = now, frame
			}
			c.lastSyn = lastSyn{s.seq, uint32(s.len), now, frame}
		}
	case syn && ack && !rst && !isOrig && c.SynAckFrame == 0:
		c.SynAckTime, c.SynAckFrame, c.synAckSeq = now, frame, s.seq
		// Retransmitted SYNs carry the same sequence number: the one
		// answered is taken to be the last before the SYN-ACK. A SYN
		// with data (TCP Fast Open) is acknowledged with or without it.
		if d := s.ack - 1 - c.lastSyn.seq; c.lastSyn.frame != 0 && (d == 0 || d == c.lastSyn.len) {
			c.SynTime, c.SynFrame = c.lastSyn.at, c.lastSyn.frame
		}
	case ack && !syn && !rst && isOrig && c.AckFrame == 0 && c.SynAckFrame != 0 && c.SynFrame != 0 &&
		seqDelta(s.ack, c.synAckSeq+1) >= 0:
		c.AckTime, c.AckFrame = now, frame
		return true
	}
	return false
}

// count is Zeek's ConnSize analyzer: packets and IP bytes each way.
func (c *Conn) count(isOrig bool, total int) {
	if isOrig {
		c.OrigPkts++
		c.OrigIPBytes += uint64(total)
	} else {
		c.RespPkts++
		c.RespIPBytes += uint64(total)
	}
}

func (t *Table) udpPacket(p *packet.Packet, li int) (*Conn, bool) {
	l := &p.Layers[li]
	if !p.UDP.Valid || p.UDP.Quoted || l.End-l.Off < 8 {
		t.st.Skipped++
		return nil, false
	}
	n, ok := netOf(p, li)
	if !ok || n.frag {
		t.st.Skipped++
		return nil, false
	}
	now := p.Time
	d := p.Data[l.Off:]
	sport, dport := binary.BigEndian.Uint16(d), binary.BigEndian.Uint16(d[2:])
	ulen := int(binary.BigEndian.Uint16(d[4:]))
	id := p.UDP.Stream
	c := t.udp[id]
	created := c == nil
	if created {
		c = t.newConn(UDP, 17, id, &n, sport, dport, now, p.Num)
		t.udp[id] = c
		t.st.UDPConns++
		// UDPAnalyzer::WantConnection.
		if t.serverPort(UDP, sport) && !t.serverPort(UDP, dport) {
			c.flip()
		}
	}
	isOrig := c.fromOrig(&n.src, sport)
	if t.cfg.VerifyChecksums && n.plen > 0 && n.captured >= n.plen && !transportChecksumOK(p, l, &n, 17) {
		t.st.BadChecksums++
		e := c.side(isOrig)
		c.scaled(letter('C', isOrig), &e.chkCnt, &e.chkThresh)
	} else {
		c.End = now
		e := c.side(isOrig)
		if isOrig {
			c.checkHistory(1, 'D')
		} else {
			c.checkHistory(2, 'd')
		}
		e.addSize(ulen - 8)
		e.state = Active
		// The size analyzer sees only datagrams captured whole.
		if n.captured >= n.plen {
			c.count(isOrig, n.total)
		}
	}
	t.touch(c, p)
	if created && t.cfg.Events.Start != nil {
		t.cfg.Events.Start(c, p)
	}
	return c, isOrig
}

// addSize is UpdateLength of Zeek's UDP and ICMP adapters (a negative
// length leaves the side looking inactive there; it is taken as 0 here).
func (e *endpoint) addSize(n int) {
	n = max(n, 0)
	if e.size < 0 {
		e.size = int64(n)
	} else {
		e.size += int64(n)
	}
}

func (t *Table) icmpPacket(p *packet.Packet, li int) (*Conn, bool) {
	l := &p.Layers[li]
	if l.End-l.Off < 8 {
		t.st.Skipped++
		return nil, false
	}
	n, ok := netOf(p, li)
	if !ok || n.frag || n.plen != 0 && n.plen < 8 {
		t.st.Skipped++
		return nil, false
	}
	now := p.Time
	d := p.Data[l.Off:]
	v6 := l.Proto == packet.ProtoICMPv6
	typ, code := d[0], d[1]
	cp, oneWay := counterpart(v6, typ, code)
	k := icmpKey{v6: n.v6, a: n.src, b: n.dst, pa: uint16(typ), pb: uint16(cp), oneWay: oneWay}
	echo := isEcho(v6, typ)
	if echo && !t.cfg.MergeEchoIDs {
		k.id = binary.BigEndian.Uint16(d[4:])
	}
	if !oneWay && (string(k.b[:]) < string(k.a[:]) || k.a == k.b && k.pb < k.pa) {
		k.a, k.b, k.pa, k.pb = k.b, k.a, k.pb, k.pa
	}
	c := t.icmp[k]
	created := c == nil
	if created {
		ipProto := uint8(1)
		if v6 {
			ipProto = 58
		}
		c = t.newConn(ICMP, ipProto, t.nextICMP, &n, uint16(typ), uint16(cp), now, p.Num)
		t.nextICMP++
		if echo {
			c.ICMPID = binary.BigEndian.Uint16(d[4:])
		}
		c.icmpKey = k
		t.icmp[k] = c
		t.st.ICMPConns++
	}
	isOrig := c.fromOrig(&n.src, uint16(typ))
	if t.cfg.VerifyChecksums && n.plen > 0 && n.captured >= n.plen && !icmpChecksumOK(p, l, &n, v6) {
		// Zeek drops the packet without a history letter.
		t.st.BadChecksums++
	} else {
		c.End = now
		e := c.side(isOrig)
		e.addSize(n.plen - 8)
		e.state = Active
		if n.captured >= n.plen {
			c.count(isOrig, n.total)
		}
	}
	t.touch(c, p)
	if created && t.cfg.Events.Start != nil {
		t.cfg.Events.Start(c, p)
	}
	return c, isOrig
}

// fromOrig reports whether a packet from src, port comes from the
// originator (Zeek compares address and port with the originator's).
func (c *Conn) fromOrig(src *[16]byte, port uint16) bool {
	side := uint8(1)
	if c.addr[0] == *src && c.port[0] == port {
		side = 0
	}
	return side == c.origSide
}

func addrOf(v6 bool, b *[16]byte) netip.Addr {
	if v6 {
		return netip.AddrFrom16(*b)
	}
	return netip.AddrFrom4([4]byte(b[:4]))
}

// newConn adds a connection whose first packet goes from n.src:sport to
// n.dst:dport.
func (t *Table) newConn(proto Proto, ipProto uint8, id int, n *netInfo, sport, dport uint16, now int64, frame int) *Conn {
	if t.st.Active >= t.max && t.tail != nil {
		t.end(t.tail, EndEvicted)
	}
	t.uid++
	c := &Conn{ID: id, UID: t.uid, Proto: proto, IPProto: ipProto, Start: now, End: now, LastSeen: now,
		FirstFrame: frame, LastFrame: frame, hidx: -1}
	c.addr[0], c.addr[1] = n.src, n.dst
	c.port[0], c.port[1] = sport, dport
	c.OrigH, c.RespH = addrOf(n.v6, &n.src), addrOf(n.v6, &n.dst)
	c.OrigP, c.RespP = sport, dport
	c.ep[0].init()
	c.ep[1].init()
	if proto == TCP {
		c.initTCP()
	}
	c.hist = c.histBuf[:0]
	// Most recent first.
	c.next = t.head
	if t.head != nil {
		t.head.prev = c
	}
	t.head = c
	if t.tail == nil {
		t.tail = c
	}
	t.st.Conns++
	t.st.Active++
	t.st.MaxActive = max(t.st.MaxActive, t.st.Active)
	c.sched = math.MaxInt64
	t.heapPush(c)
	return c
}

// touch moves c to the front of the recency list and brings its timer
// forward when a state change made it earlier.
func (t *Table) touch(c *Conn, p *packet.Packet) {
	c.LastFrame, c.LastSeen = p.Num, p.Time
	if t.head != c {
		c.prev.next = c.next
		if c.next != nil {
			c.next.prev = c.prev
		} else {
			t.tail = c.prev
		}
		c.prev, c.next = nil, t.head
		t.head.prev = c
		t.head = c
	}
	if d := t.due(c); d < c.sched {
		c.sched = d
		t.heapFix(c)
	}
}

// end ends c: out of the maps, the heap and the list, then the End event.
func (t *Table) end(c *Conn, why EndReason) {
	if c.ended {
		return
	}
	c.ended, c.EndReason = true, why
	switch c.Proto {
	case TCP:
		if t.tcp[c.ID] == c {
			delete(t.tcp, c.ID)
		}
		if t.tuples[c.tupleKey] == c {
			delete(t.tuples, c.tupleKey)
		}
	case UDP:
		if t.udp[c.ID] == c {
			delete(t.udp, c.ID)
		}
	case ICMP:
		if t.icmp[c.icmpKey] == c {
			delete(t.icmp, c.icmpKey)
		}
	}
	t.heapRemove(c)
	if c.prev != nil {
		c.prev.next = c.next
	} else {
		t.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else {
		t.tail = c.prev
	}
	c.prev, c.next = nil, nil
	t.st.Active--
	switch why {
	case EndClosed:
		t.st.Closed++
	case EndAttempt:
		t.st.Attempts++
	case EndInactive:
		t.st.Inactive++
	case EndReused:
		t.st.Reused++
	case EndEvicted:
		t.st.Evicted++
	case EndFlushed:
		t.st.Flushed++
	}
	if t.cfg.Events.End != nil {
		t.cfg.Events.End(c)
	}
}

// Timers. Each connection has one heap entry, due no later than its
// earliest timer; when it comes due the timers are checked, and the entry
// moves to the next one if none fired. Packets only bring entries forward
// (a close, a SYN), so a packet of an established connection costs no heap
// work.

// due returns the earliest time a timer of c could fire.
func (t *Table) due(c *Conn) int64 {
	d := int64(math.MaxInt64)
	if c.closeSet {
		d = c.closeAt
	}
	if c.attemptAt != 0 {
		d = min(d, c.attemptAt)
	}
	if to := t.inactivity[c.Proto]; to > 0 {
		d = min(d, c.End+to)
	}
	if c.Proto == TCP && !c.closeSet && t.linger > 0 && lingerCase(c) {
		d = min(d, c.End+t.linger+1)
	}
	return d
}

// lingerCase is the condition of Zeek's TCP ExpireTimer: one side closed
// and the connection is over in practice (both closed, one reset or one
// never spoke), or nothing was ever accepted from either side.
func lingerCase(c *Conn) bool {
	a, b := &c.ep[0], &c.ep[1]
	if a.state == Inactive && b.state == Inactive {
		return true
	}
	return (a.didClose || b.didClose) &&
		(a.didClose && b.didClose || a.state == Reset || b.state == Reset || a.state == Inactive || b.state == Inactive)
}

// fire checks c's timers at now and returns why it ends, if it does.
func (t *Table) fire(c *Conn, now int64) EndReason {
	if c.closeSet && now >= c.closeAt {
		return EndClosed
	}
	if c.attemptAt != 0 && now >= c.attemptAt {
		// Zeek's AttemptTimer: still only the originator's SYN.
		if o := c.OrigState(); (o == SynSent || o == SynAckSent) && c.RespState() == Inactive {
			return EndAttempt
		}
		c.attemptAt = 0
	}
	if c.Proto == TCP && !c.closeSet && t.linger > 0 && lingerCase(c) && now > c.End+t.linger {
		if c.ep[0].didClose || c.ep[1].didClose {
			return EndClosed
		}
		return EndInactive
	}
	if to := t.inactivity[c.Proto]; to > 0 && now >= c.End+to {
		return EndInactive
	}
	return EndNone
}

// advance runs the timers due at now.
func (t *Table) advance(now int64) {
	if now > t.now {
		t.now = now
	}
	for len(t.heap) > 0 && t.heap[0].at <= t.now {
		c := t.heap[0].c
		if why := t.fire(c, t.now); why != EndNone {
			t.end(c, why)
			continue
		}
		c.sched = t.due(c)
		t.heapFix(c)
	}
}

// heapEnt keeps the due time next to the pointer, so that sifting does
// not visit the connections.
type heapEnt struct {
	at int64
	c  *Conn
}

func (t *Table) heapPush(c *Conn) {
	c.hidx = len(t.heap)
	t.heap = append(t.heap, heapEnt{c.sched, c})
	t.heapUp(c.hidx)
}

// heapFix moves c's entry after its sched changed.
func (t *Table) heapFix(c *Conn) {
	i := c.hidx
	old := t.heap[i].at
	t.heap[i].at = c.sched
	if c.sched < old {
		t.heapUp(i)
	} else {
		t.heapDown(i)
	}
}

func (t *Table) heapRemove(c *Conn) {
	i := c.hidx
	if i < 0 {
		return
	}
	last := len(t.heap) - 1
	if i != last {
		t.heap[i] = t.heap[last]
		t.heap[i].c.hidx = i
	}
	t.heap[last] = heapEnt{}
	t.heap = t.heap[:last]
	c.hidx = -1
	if i < last {
		t.heapDown(i)
		t.heapUp(i)
	}
}

func (t *Table) heapUp(i int) {
	h := t.heap
	e := h[i]
	for i > 0 {
		p := (i - 1) / 2
		if h[p].at <= e.at {
			break
		}
		h[i] = h[p]
		h[i].c.hidx = i
		i = p
	}
	h[i] = e
	e.c.hidx = i
}

func (t *Table) heapDown(i int) {
	h := t.heap
	e := h[i]
	for {
		l := 2*i + 1
		if l >= len(h) {
			break
		}
		m := l
		if r := l + 1; r < len(h) && h[r].at < h[l].at {
			m = r
		}
		if e.at <= h[m].at {
			break
		}
		h[i] = h[m]
		h[i].c.hidx = i
		i = m
	}
	h[i] = e
	e.c.hidx = i
}

// tupleKey is a TCP 5-tuple, lower endpoint first.
type tupleKey struct {
	a, b   [16]byte
	pa, pb uint16
	v6     bool
}

func makeTupleKey(n *netInfo, sport, dport uint16) tupleKey {
	k := tupleKey{a: n.src, b: n.dst, pa: sport, pb: dport, v6: n.v6}
	if c := slices.Compare(k.a[:], k.b[:]); c > 0 || c == 0 && k.pb < k.pa {
		k.a, k.b, k.pa, k.pb = k.b, k.a, k.pb, k.pa
	}
	return k
}

// icmpKey is Zeek's ICMP connection key: addresses, type and counterpart
// (ordered unless the message is one-way), plus the echo identifier.
type icmpKey struct {
	a, b   [16]byte
	pa, pb uint16
	id     uint16
	v6     bool
	oneWay bool
}
