package scripting

import (
	"net/netip"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/wirelark/wirelark/engine/flow"
	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/reassembly"
)

// Connection handlers: on_conn_start, on_handshake, on_conn_end and
// on_stream_data.
//
// The flow table and the reassembler run where the handlers run (on the
// script's goroutine, in capture order, in both the sequential and the
// pipelined run): their events call Starlark directly, so there is no
// queue of events to keep in step with packets, and the decoding
// goroutine of a pipelined run stays as fast as without them. They see
// every packet read, not only those FILTER and -Y keep (those select the
// packets of on_packet and the message handlers): a connection's state,
// counts and bytes are only right over all its packets.
//
// Nothing of this exists unless a connection handler is defined, and the
// reassembler only with on_stream_data.

// connTracker runs the flow table and the reassembler for a script.
type connTracker struct {
	s       *Script
	table   *flow.Table
	reasm   *reassembly.Reassembler // nil without on_stream_data
	streams map[int]*streamState    // by tcp.stream, with reasm
	budget  int                     // stream bytes all connections may still keep
	frame   int                     // packet being observed, for error reports
	err     error                   // first error that stops the run
	keep    StreamKeepStats
}

// StreamKeepStats counts the bytes kept for stream.data() and follow().
type StreamKeepStats struct {
	Kept, Dropped int64 // bytes kept and delivered but not kept
	Peak          int   // most kept at once
}

// wantsConns reports whether the script has a connection handler.
func (s *Script) wantsConns() bool {
	return s.usesConn || s.handlers[hConnStart] != nil || s.handlers[hHandshake] != nil || s.handlers[hConnEnd] != nil || s.handlers[hStreamData] != nil
}

// newConnTracker returns nil when the script has no connection handler.
// cfg sets the table's limits and timeouts; its events are the tracker's.
func newConnTracker(s *Script, cfg flow.Config) *connTracker {
	if !s.wantsConns() {
		return nil
	}
	t := &connTracker{s: s}
	ev := flow.Events{End: t.end}
	// on_stream_data needs each conn's start to name its streams.
	if s.handlers[hConnStart] != nil || s.handlers[hStreamData] != nil {
		ev.Start = t.start
	}
	if s.handlers[hHandshake] != nil {
		ev.Handshake = t.handshake
	}
	cfg = s.cfg.Limits.apply(cfg)
	cfg.Events = ev
	t.table = flow.New(cfg)
	if s.handlers[hStreamData] != nil {
		t.reasm = reassembly.New(s.cfg.Limits.reassembly(), t.chunk)
		t.streams = map[int]*streamState{}
		t.budget = StreamKeepTotal
	}
	return t
}

// call runs a connection handler with one or two arguments, unless an
// earlier one failed.
func (t *connTracker) call(h int, args ...starlark.Value) {
	b := t.s.handlers[h]
	if b == nil || t.err != nil {
		return
	}
	copy(b.args, args)
	t.err = t.s.call(b, t.frame)
	clear(b.args)
}

func (t *connTracker) start(c *flow.Conn, p *packet.Packet) {
	setService(c, p)
	if t.s.handlers[hConnStart] != nil {
		t.call(hConnStart, snapshotConn(c))
	}
}

func (t *connTracker) handshake(c *flow.Conn, _ *packet.Packet) {
	t.call(hHandshake, snapshotConn(c))
}

// end delivers what the reassembler holds for the conn, then on_conn_end.
// A conn ended because a new one reuses its tuple keeps its stream: the
// new conn has the same tcp.stream, which Wireshark follows as one.
func (t *connTracker) end(c *flow.Conn) {
	if t.reasm != nil && c.Proto == flow.TCP && c.EndReason != flow.EndReused {
		if st := t.streams[c.ID]; st != nil && st.conn == c {
			t.reasm.Close(c.ID)
			t.budget += st.kept()
			delete(t.streams, c.ID)
		}
	}
	t.call(hConnEnd, &Conn{c: c})
}

// observe accounts one packet; it returns an error when a handler failed
// and the run must stop.
func (t *connTracker) observe(p *packet.Packet) error {
	t.frame = p.Num
	c, fromOrig := t.table.Observe(p)
	t.s.sc.conn = c
	if c != nil && c.Service == "" && c.Proto != flow.ICMP {
		setService(c, p)
	}
	if t.reasm != nil && c != nil && c.Proto == flow.TCP && t.err == nil {
		t.segment(p, c, fromOrig)
	}
	return t.err
}

// segment feeds the reassembler the packet's TCP segment, as Wireshark's
// follow tap sees it (see engine/reassembly's package documentation).
func (t *connTracker) segment(p *packet.Packet, c *flow.Conn, fromOrig bool) {
	if !p.TCP.Valid || !p.TCP.Analysed || p.TCP.Quoted || p.TCP.Stream != c.ID {
		return
	}
	var l *packet.Layer
	for i := range p.Layers {
		if p.Layers[i].Proto == packet.ProtoTCP && !p.Layers[i].Quoted {
			l = &p.Layers[i]
			break
		}
	}
	if l == nil || l.End-l.Off < 20 || l.Hdr > l.End {
		return
	}
	sender, peer := netip.AddrPortFrom(c.OrigH, c.OrigP), netip.AddrPortFrom(c.RespH, c.RespP)
	if !fromOrig {
		sender, peer = peer, sender
	}
	st := t.streams[c.ID]
	if st == nil {
		// Follow's Node 0 is the sender of the tcp.stream's first
		// segment, also when an earlier conn with this id ended (timed
		// out, closed) and the reassembler continues its streams.
		st = &streamState{node0: sender, node1: peer}
		if n0, ok := t.reasm.Origin(c.ID); ok && n0 == peer {
			st.node0, st.node1 = peer, sender
		}
		t.streams[c.ID] = st
	}
	st.conn = c
	dir := reassembly.Orig
	if sender != st.node0 {
		dir = reassembly.Resp
	}
	end := max(min(l.End, l.Hdr+p.TCP.Len), l.Hdr)
	t.reasm.Segment(reassembly.Segment{
		Stream:  c.ID,
		Dir:     dir,
		Seq:     p.TCP.SeqRel,
		Ack:     p.TCP.AckRel,
		Flags:   reassembly.TCPFlags(p.Data[l.Off+13]),
		Payload: p.Data[l.Hdr:end],
		Len:     p.TCP.Len,
		Time:    p.Time,
		Frame:   p.Num,
		Src:     sender,
	})
}

// chunk hands reassembled bytes to on_stream_data.
func (t *connTracker) chunk(ch reassembly.Chunk) {
	st := t.streams[ch.Stream]
	if st == nil {
		return
	}
	st.gaps[ch.Dir] += int64(ch.Gap)
	n := st.keep(&ch, &t.budget)
	t.keep.Kept += int64(n)
	t.keep.Dropped += int64(len(ch.Data) - n)
	t.keep.Peak = max(t.keep.Peak, StreamKeepTotal-t.budget)
	if len(ch.Data) == 0 {
		return
	}
	sv := st.vals[ch.Dir]
	if sv == nil {
		sv = &Stream{st: st, dir: ch.Dir}
		st.vals[ch.Dir] = sv
	}
	if f := ch.Frame; f != 0 {
		t.frame = f
	}
	t.call(hStreamData, sv, starlark.Bytes(ch.Data))
}

// expire runs the connection timers due at now (wall-clock nanoseconds),
// for a live capture whose packets stopped coming.
func (t *connTracker) expire(now int64) error {
	t.frame = 0
	t.table.Expire(now)
	return t.err
}

// finish ends every connection (on_conn_end for each, after its last
// stream bytes) at the end of the capture.
func (t *connTracker) finish() error {
	t.frame = 0
	t.table.Flush()
	if t.reasm != nil && t.err == nil {
		// Streams whose conn ended by reuse under a new tcp.stream.
		t.reasm.CloseAll()
	}
	return t.err
}

// setService names the first application protocol the decoder found in
// a conn's packets (DNS, mDNS, LLMNR, DHCP by their ports), as Zeek's
// service names the analyzer that confirmed the protocol.
func setService(c *flow.Conn, p *packet.Packet) {
	if c.Service != "" || c.Proto == flow.ICMP {
		return
	}
	p.Complete()
	for i := range p.Layers {
		l := &p.Layers[i]
		if l.Quoted {
			return
		}
		switch l.Proto {
		case packet.ProtoDNS, packet.ProtoMDNS, packet.ProtoLLMNR, packet.ProtoDHCP:
			if pr := packet.Fields.ProtoByID(l.Proto); pr != nil {
				c.Service = pr.Name
			}
			return
		}
	}
}

// readsAttr reports whether f reads an attribute called name anywhere
// (x.name): how the engine sees that a script uses pkt.conn or msg.conn,
// which need the connection table.
func readsAttr(f *syntax.File, name string) bool {
	found := false
	syntax.Walk(f, func(n syntax.Node) bool {
		if d, ok := n.(*syntax.DotExpr); ok && d.Name.Name == name {
			found = true
		}
		return !found
	})
	return found
}
