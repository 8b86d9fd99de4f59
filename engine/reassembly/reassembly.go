// Package reassembly puts the payload of TCP segments back into order, one
// byte stream per direction of a connection, with the bytes Wireshark's
// Follow TCP Stream shows, the holes it cannot fill reported as gaps, and
// bounded memory.
//
// The caller names each connection by an index of its own (wirelark uses
// Wireshark's tcp.stream, which engine/packet computes) and each direction
// as Orig (the side that sent the connection's first packet, normally the
// SYN) or Resp. A Reassembler is fed one Segment per TCP header in capture
// order and hands in-order data to its handler as Chunks. It is
// synchronous: Segment and Close call the handler before they return, and
// nothing runs in the background.
//
// To see what Wireshark's follow tap sees, feed the TCP headers whose
// segment length Wireshark knows (not quoted in an ICMP error, not in an
// IP fragment, header whole: engine/packet's TCPInfo.Analysed), with the
// payload bounded by the IP length (TCPInfo.Len), never link-layer
// padding. Sequence numbers may be the raw ones or Wireshark's relative
// ones (TCPInfo.SeqRel, AckRel): only differences matter, except where
// Wireshark moves a direction's base (a SYN seen after data of that
// direction), which relative numbers follow. Name each segment's sender
// (Segment.Src) and the Reassembler tells the directions apart as Follow
// does, whatever the caller thinks of who is the client; without Src it
// takes Segment.Dir. Close a connection when the caller is done with it
// (idle timeout, end of capture), not at its FIN or RST: Close delivers
// what it holds. A segment with the same index after Close continues the
// stream where it stood, as Follow does: Wireshark keeps a tcp.stream's
// state for the whole capture, so a late retransmission is no new data.
//
// # What it does, and why: Wireshark's Follow TCP Stream
//
// The policies are those of Wireshark's follow tap (packet-tcp.c,
// follow_tcp_tap_listener and check_follow_fragments, 4.0), so that
// wirelark's streams equal what an analyst sees there:
//
//   - A direction starts at the first segment seen in it, with or without
//     payload: at its sequence number plus one for a SYN, at its sequence
//     number otherwise. A capture that begins mid-connection still yields
//     both streams, and bytes before that point are never asked for.
//   - A SYN's payload (TCP Fast Open) is data at the SYN's sequence number
//     plus one. FIN and RST do not end a stream: payload carried by a FIN
//     or a RST, and data after them, are delivered (the caller ends a
//     connection with Close).
//   - Bytes already delivered never change: a retransmission delivers only
//     what lies past the end of the stream so far. A keep-alive (one byte,
//     or none, just before the next expected byte) is such a
//     retransmission and delivers nothing.
//   - A segment that starts past the next expected byte is held. When the
//     stream reaches held data, the held segment that arrived first among
//     those covering the next expected byte is taken, from there to its
//     end, and so on. So for overlapping bytes with different contents, the
//     copy delivered is the first to arrive among the segments that cover
//     that point when the stream gets there, and a segment that arrives in
//     order wins over held data it overlaps. Segments whose bytes differ
//     where they overlap are counted (Stats.Conflicts): always against held
//     data, and against delivered data within the last Limits.History
//     bytes.
//   - A hole is skipped when the other direction acknowledges data past the
//     start of the lowest held segment: the receiver had those bytes, so
//     the capture lost them and no retransmission will fill the hole
//     (Wireshark writes "[N bytes missing in capture file]" there). The
//     next chunk reports the gap (Chunk.Gap, Cause GapAcked).
//   - A segment whose payload was not captured in full (snapshot length)
//     advances the stream by its length on the wire: the missing tail is
//     a gap (GapTruncated), which Wireshark skips silently.
//   - A connection's index names it for the whole capture: a segment
//     after Close (a conn that timed out, then a retransmission or more
//     data) continues the stream at the byte that was next before Close
//     skipped its holes, with the same Node 0 (see Segment.Src), as the
//     Follow of that tcp.stream does. Up to Limits.MaxClosed closed
//     connections are remembered so; beyond that the oldest is forgotten
//     and a segment with its index starts a new stream.
//
// # Where it departs from Wireshark, and why
//
// Wireshark keeps every held segment until the file ends and never shows
// held data that was not acknowledged. A streaming engine must bound its
// memory and should lose no captured byte, so, as Zeek does with its
// content gaps:
//
//   - When a direction would hold more than Limits.MaxDirBytes bytes or
//     Limits.MaxSegments segments, the stream skips to the lowest held
//     segment (GapOverflow) and delivers what follows, as often as needed.
//     When all connections together would hold more than Limits.MaxBytes,
//     the connection that has been holding data longest delivers all it
//     holds, skipping its holes (GapMemory).
//   - Close, and eviction of the least recently active connection when a
//     new one would exceed Limits.MaxStreams, deliver everything held,
//     skipping the holes (GapClosed, GapEvicted). Wireshark would show
//     none of those bytes. Should the connection go on after Close, it
//     goes on from the byte before those holes, so held bytes that a
//     retransmission then fills in are delivered again.
//   - A FIN takes one sequence number. Data sent after a FIN (one past its
//     sequence number, which no correct stack does but an evasion may) is
//     delivered when the stream reaches the FIN, without a gap; Wireshark
//     counts the FIN's number as a missing byte and so never shows such
//     data.
//
// Every skipped hole, overflow and eviction is counted in Stats.
//
// # Why not gopacket's reassembly package
//
// github.com/gopacket/gopacket/reassembly was read and not used. It cannot
// give Wireshark's bytes: it overwrites queued data with a later
// overlapping copy, stops a direction at its FIN or RST (dropping data
// carried after them), starts a direction only at a SYN unless forced, and
// skips holes only on page limits or age, never on acknowledgements. Its
// overlap policy is fixed. Its limits count 1900-byte pages, it has no
// bound on connections and no counters of what its limits cost. It keys
// connections by gopacket flows rather than by the caller's index (so its
// idea of port reuse differs from tcp.stream), takes *layers.TCP and an
// AssemblerContext interface per packet, and locks a mutex per connection
// and a shared pool for concurrent assemblers the engine does not need.
// This package is a few hundred lines with the policies above.
//
// # Memory and speed
//
// Segments that arrive in order are handed to the handler straight from
// the caller's buffer; only held segments are copied, into one buffer per
// direction that is reused. Connections, their buffers and the lookup
// table are recycled, so steady traffic allocates nothing per segment.
//
// A Reassembler is not safe for concurrent use, and its handler must not
// call back into it.
package reassembly

import (
	"bytes"
	"net/netip"
	"slices"
)

// Dir is the direction of a segment within its connection.
type Dir uint8

const (
	// Orig is the side that sent the connection's first packet (the
	// client, Follow's "Node 0", Zeek's originator).
	Orig Dir = 0
	// Resp is the other side.
	Resp Dir = 1
)

func (d Dir) String() string {
	if d == Orig {
		return "orig"
	}
	return "resp"
}

// Flags are the TCP flags the Reassembler looks at.
type Flags uint8

// The flags, each one bit.
const (
	FIN Flags = 1 << iota
	SYN
	RST
	ACK
)

// TCPFlags converts the flags byte of a TCP header (offset 13).
func TCPFlags(b byte) Flags {
	return Flags(b&0x07) | Flags(b>>1&0x08)
}

// Segment is one TCP segment handed to Reassembler.Segment.
type Segment struct {
	Stream int // the connection's index (Wireshark's tcp.stream)
	Dir    Dir
	Seq    uint32 // sequence number, as in the header
	Ack    uint32 // acknowledgement number, used when Flags has ACK
	Flags  Flags
	// Payload is the captured payload: after the TCP header, up to the end
	// the IP header gives (not link-layer padding). The Reassembler copies
	// what it keeps; the caller's buffer may change once Segment returns.
	Payload []byte
	// Len is the payload's length on the wire (tcp.len) when more than was
	// captured; 0 means len(Payload).
	Len   int
	Time  int64 // capture time, nanoseconds
	Frame int   // frame number, reported back in Chunks
	// Src, when valid, is the sender's address and port. The Reassembler
	// then sets the direction itself, as Follow does: Orig for the sender
	// of the connection's first segment (Follow's Node 0, remembered
	// across Close; see Origin), Resp for any other; Dir is ignored.
	Src netip.AddrPort
}

// Cause says why bytes are missing before a chunk.
type Cause uint8

const (
	// NoGap: nothing is missing.
	NoGap Cause = iota
	// GapAcked: the other side acknowledged bytes the capture lacks.
	GapAcked
	// GapTruncated: a segment's payload was captured in part.
	GapTruncated
	// GapOverflow: the direction reached MaxDirBytes or MaxSegments.
	GapOverflow
	// GapMemory: all connections together reached MaxBytes.
	GapMemory
	// GapClosed: Close or CloseAll delivered what was held.
	GapClosed
	// GapEvicted: the connection was evicted to respect MaxStreams.
	GapEvicted
)

var causeNames = [...]string{"none", "acked", "truncated", "overflow", "memory", "closed", "evicted"}

func (c Cause) String() string {
	if int(c) < len(causeNames) {
		return causeNames[c]
	}
	return "?"
}

// Chunk is in-order data of one direction, handed to the handler.
type Chunk struct {
	Stream int
	Dir    Dir
	// Data is the next bytes of the direction. It belongs to the caller's
	// segment or to the Reassembler and is valid only during the handler
	// call. It is empty only in a chunk that reports a trailing gap when a
	// connection is closed.
	Data []byte
	// Gap is the number of bytes missing just before Data, and Cause why
	// (the latest cause if several holes were skipped at once).
	Gap   int
	Cause Cause
	// Offset is the position of Data[0] in the direction's stream: the
	// bytes delivered before it plus the gaps.
	Offset int64
	Seq    uint32 // sequence number of Data[0]
	Frame  int    // frame that carried Data
	Time   int64  // its capture time
}

// Limits bound a Reassembler. A zero field takes its default.
type Limits struct {
	// MaxDirBytes bounds the bytes one direction holds out of order.
	// Default 4 MiB, about a large Linux receive window.
	MaxDirBytes int
	// MaxSegments bounds the segments one direction holds. Default 4096.
	MaxSegments int
	// MaxBytes bounds the bytes all directions hold together. Default
	// 128 MiB.
	MaxBytes int
	// MaxStreams bounds the connections tracked; a new one evicts the
	// least recently active. Default 262144 (a connection costs about 350
	// bytes besides what it holds, so about 90 MB at most).
	MaxStreams int
	// History is how many delivered bytes each direction keeps to compare
	// with retransmissions (Stats.Conflicts). Default 0: retransmissions
	// are compared only with held data, as Zeek's default
	// tcp_max_old_segments of 0 does. Negative is taken as 0.
	History int
	// MaxClosed bounds the closed connections remembered so that a later
	// segment with the same index continues the stream (about 100 bytes
	// each); the oldest closed is forgotten first. Default 65536.
	MaxClosed int
}

// Defaults for the zero fields of Limits.
const (
	DefaultMaxDirBytes = 4 << 20
	DefaultMaxSegments = 4096
	DefaultMaxBytes    = 128 << 20
	DefaultMaxStreams  = 1 << 18
	DefaultMaxClosed   = 1 << 16
)

func (l Limits) withDefaults() Limits {
	if l.MaxDirBytes <= 0 {
		l.MaxDirBytes = DefaultMaxDirBytes
	}
	if l.MaxSegments <= 0 {
		l.MaxSegments = DefaultMaxSegments
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxStreams <= 0 {
		l.MaxStreams = DefaultMaxStreams
	}
	if l.MaxClosed <= 0 {
		l.MaxClosed = DefaultMaxClosed
	}
	l.History = max(l.History, 0)
	return l
}

// Stats counts what a Reassembler did. Every segment offered ends in one
// place:
//
//	Segments == Empty + InOrder + Retransmitted + Held + Covered
type Stats struct {
	Segments uint64 // offered to Segment
	Bytes    uint64 // captured payload bytes offered

	Empty         uint64 // segments without payload
	InOrder       uint64 // delivered (at least in part) on arrival
	Retransmitted uint64 // nothing new: all their bytes were delivered or skipped
	Held          uint64 // held out of order
	// Covered counts out-of-order segments dropped because a segment held
	// before them covers all their bytes (so they could never be taken).
	Covered uint64

	// Overlaps counts segments that overlap delivered or held bytes
	// (retransmissions included); Conflicts those whose overlapping bytes
	// differ, where they could be compared.
	Overlaps  uint64
	Conflicts uint64

	Delivered uint64 // bytes delivered
	Chunks    uint64 // chunks delivered

	// Gaps counts holes skipped, GapBytes the bytes they lacked; each hole
	// is counted once more under its cause.
	Gaps          uint64
	GapBytes      uint64
	AckedGaps     uint64 // the other side acknowledged past them
	TruncatedGaps uint64 // a segment's tail was not captured
	Overflows     uint64 // MaxDirBytes or MaxSegments
	MemoryGaps    uint64 // MaxBytes
	ClosedGaps    uint64 // Close, CloseAll or eviction

	Truncated uint64 // segments captured in part
	AfterFIN  uint64 // FIN sequence numbers stepped over to reach data sent after a FIN

	Streams      int    // connections tracked now
	Evicted      uint64 // connections evicted for MaxStreams
	Closed       uint64 // connections closed by Close or CloseAll
	Remembered   int    // closed connections remembered now (MaxClosed)
	Resumed      uint64 // closed connections that went on (a segment with their index)
	Buffered     int    // bytes held now, all directions (including space not yet reclaimed)
	PeakBuffered int    // largest Buffered seen
	HeldSegments int    // segments held now
}

// held is a segment held out of order. Its bytes are buf[at:at+n] of its
// direction.
type held struct {
	off   int64 // stream offset of its first byte
	at, n int
	arr   uint32 // arrival order within the direction
	frame int
	time  int64
}

// half is one direction of a connection.
type half struct {
	started bool
	next    uint32 // sequence number of the next byte expected
	off     int64  // its stream offset
	gap     int    // bytes skipped and not yet reported
	cause   Cause
	finSet  bool   // a FIN was seen, at fin
	finDone bool   // the FIN was stepped over
	fin     int64  // stream offset of the FIN's sequence number
	pend    []held // by offset, equal offsets in arrival order
	buf     []byte
	dead    int // bytes of buf no longer referenced by pend
	arr     uint32
	hist    []byte // the last delivered bytes, a ring indexed by offset
	hlen    int    // valid bytes of hist, ending at off
}

// stream is one connection.
type stream struct {
	id           int
	node0        netip.AddrPort // Follow's Node 0, when segments name their sender
	half         [2]half
	prev, next   *stream // activity list, least recent first
	hprev, hnext *stream // holders list: streams holding data, oldest first
	holding      bool
}

// Released connections are kept for reuse, up to maxPool of them. A
// direction holds a buffer only while it holds data; emptied buffers (and
// their lists of segments) are kept for reuse, up to maxPool of them and
// maxPooledBuf bytes (maxPooledSegs segments) each, so that memory beyond
// Stats.Buffered stays small: the buffers' spare capacity and at most
// 16 MiB of free buffers.
const (
	maxPool       = 256
	maxPooledBuf  = 64 << 10
	maxPooledSegs = 256
)

// closedHalf is where a direction of a closed connection stood.
type closedHalf struct {
	started, finSet, finDone bool
	next                     uint32 // next expected byte before Close skipped holes
	off                      int64  // stream offset after what Close delivered
	fin                      uint32 // the FIN's sequence number, with finSet
}

// closedStream is a closed connection, remembered so that a later segment
// with its index continues it.
type closedStream struct {
	node0 netip.AddrPort
	half  [2]closedHalf
	gen   uint64 // its entry in Reassembler.closedQ
}

// closedRef is an entry of the queue of closed connections, oldest first;
// it is stale when the connection went on or was closed again since.
type closedRef struct {
	id  int
	gen uint64
}

// Reassembler reassembles TCP streams. Make one with New.
type Reassembler struct {
	lim     Limits
	handler func(Chunk)
	streams map[int]*stream
	closed  map[int]closedStream
	closedQ []closedRef
	closedN uint64  // closes so far: the generation of the next one
	last    *stream // the stream of the previous segment
	lru     struct{ head, tail *stream }
	holders struct{ head, tail *stream }
	pool    []*stream
	bufs    [][]byte // free buffers
	pends   [][]held // free lists of held segments
	order   []int32  // scratch for compaction
	st      Stats
}

// New returns a Reassembler with the given limits (zero fields take the
// defaults) that hands in-order data to handler.
func New(lim Limits, handler func(Chunk)) *Reassembler {
	return &Reassembler{lim: lim.withDefaults(), handler: handler, streams: make(map[int]*stream), closed: make(map[int]closedStream)}
}

// Limits returns the limits in force, defaults filled in.
func (r *Reassembler) Limits() Limits { return r.lim }

// Stats returns the counters.
func (r *Reassembler) Stats() Stats { return r.st }

// Segment offers one segment. Segments must come in capture order.
func (r *Reassembler) Segment(seg Segment) {
	r.st.Segments++
	r.st.Bytes += uint64(len(seg.Payload))
	s := r.lookup(seg.Stream)
	dir := seg.Dir & 1
	if seg.Src.IsValid() {
		if !s.node0.IsValid() {
			s.node0 = seg.Src
		}
		dir = Orig
		if seg.Src != s.node0 {
			dir = Resp
		}
	}
	// As Wireshark does, the acknowledgement is looked at before the
	// segment's own data.
	if seg.Flags&ACK != 0 {
		if o := &s.half[1-dir]; len(o.pend) > 0 {
			r.acked(s, o, seg.Ack)
		}
	}
	h := &s.half[dir]
	seq := seg.Seq
	if seg.Flags&SYN != 0 {
		seq++
	}
	if !h.started {
		h.started, h.next = true, seq
	}
	n := len(seg.Payload)
	if seg.Flags&FIN != 0 && !h.finSet && !h.finDone {
		h.finSet, h.fin = true, h.offsetOf(seq+uint32(max(n, seg.Len)))
	}
	if n == 0 {
		r.st.Empty++
		return
	}
	wire := max(n, seg.Len)
	if wire > n {
		r.st.Truncated++
	}
	overlap, conflict := r.place(s, h, dir, &seg, seq, wire)
	if overlap {
		r.st.Overlaps++
	}
	if conflict {
		r.st.Conflicts++
	}
}

// place delivers or holds the payload of seg, whose first byte has
// sequence number seq, and says whether it overlapped bytes seen before
// and whether those differed.
func (r *Reassembler) place(s *stream, h *half, dir Dir, seg *Segment, seq uint32, wire int) (overlap, conflict bool) {
	data := seg.Payload
	n := len(data)
	for {
		off := h.offsetOf(seq)
		end := off + int64(n)
		if off == h.fin+1 && h.finSet && h.off == h.fin {
			r.stepFIN(h)
			continue
		}
		switch {
		case end <= h.off:
			// Nothing new: a retransmission, a keep-alive, or bytes that
			// arrive after their hole was skipped.
			r.st.Retransmitted++
			return true, conflict || r.differsDelivered(h, off, data)
		case off <= h.off:
			r.st.InOrder++
			if off < h.off || r.overlapsHeld(h, off, end) {
				overlap = true
				conflict = conflict || r.differsDelivered(h, off, data) || r.differsHeld(h, off, data)
			}
			r.deliver(s, h, dir, data[h.off-off:], seg.Frame, seg.Time)
			if wire > n {
				// The uncaptured tail still takes its sequence numbers.
				r.skipTo(h, off+int64(wire), GapTruncated)
			}
			r.drain(s, h, dir)
			return overlap, conflict
		}
		// Out of order.
		if r.overlapsHeld(h, off, end) {
			overlap = true
			conflict = conflict || r.differsHeld(h, off, data)
			if h.covered(off, end) {
				r.st.Covered++
				return overlap, conflict
			}
		}
		if !r.room(s, h, dir, off, n) {
			continue // holes were skipped: the segment may be in order now
		}
		r.hold(s, h, off, data, seg.Frame, seg.Time)
		return overlap, conflict
	}
}

// offsetOf returns the stream offset of a sequence number, which must lie
// within 2 GiB of the next expected byte.
func (h *half) offsetOf(seq uint32) int64 {
	return h.off + int64(int32(seq-h.next))
}

// advance moves the next expected byte to offset to.
func (h *half) advance(to int64) {
	h.next += uint32(to - h.off)
	h.off = to
}

// covered reports whether one held segment covers [off, end). It arrived
// before the new one, so whenever the new one could be taken the held one
// would be taken instead, and would run past the new one's end.
func (h *half) covered(off, end int64) bool {
	for i := range h.pend {
		p := &h.pend[i]
		if p.off > off {
			break
		}
		if p.off+int64(p.n) >= end {
			return true
		}
	}
	return false
}

func (r *Reassembler) overlapsHeld(h *half, off, end int64) bool {
	for i := range h.pend {
		p := &h.pend[i]
		if p.off >= end {
			break
		}
		if p.off+int64(p.n) > off {
			return true
		}
	}
	return false
}

// differsHeld reports whether data, at offset off, differs from held
// bytes it overlaps.
func (r *Reassembler) differsHeld(h *half, off int64, data []byte) bool {
	end := off + int64(len(data))
	for i := range h.pend {
		p := &h.pend[i]
		if p.off >= end {
			break
		}
		lo, hi := max(off, p.off), min(end, p.off+int64(p.n))
		if lo < hi && !bytes.Equal(data[lo-off:hi-off], h.buf[p.at+int(lo-p.off):p.at+int(hi-p.off)]) {
			return true
		}
	}
	return false
}

// differsDelivered reports whether data, at offset off, differs from the
// delivered bytes kept in the history that it overlaps.
func (r *Reassembler) differsDelivered(h *half, off int64, data []byte) bool {
	lo, hi := max(off, h.off-int64(h.hlen)), min(off+int64(len(data)), h.off)
	size := int64(len(h.hist))
	for lo < hi {
		i := lo % size
		n := min(hi-lo, size-i)
		if !bytes.Equal(data[lo-off:lo-off+n], h.hist[i:i+n]) {
			return true
		}
		lo += n
	}
	return false
}

// deliver hands data, the bytes at the next expected offset, to the
// handler and moves past them.
func (r *Reassembler) deliver(s *stream, h *half, dir Dir, data []byte, frame int, time int64) {
	c := Chunk{Stream: s.id, Dir: dir, Data: data, Gap: h.gap, Cause: h.cause,
		Offset: h.off, Seq: h.next, Frame: frame, Time: time}
	h.gap, h.cause = 0, NoGap
	h.advance(h.off + int64(len(data)))
	if r.lim.History > 0 {
		h.remember(data, h.off)
	}
	r.st.Delivered += uint64(len(data))
	r.st.Chunks++
	if r.handler != nil {
		r.handler(c)
	}
}

// remember keeps the last History bytes delivered; data ends at offset
// end.
func (h *half) remember(data []byte, end int64) {
	size := int64(len(h.hist))
	h.hlen = int(min(size, int64(h.hlen)+int64(len(data))))
	if int64(len(data)) > size {
		data = data[int64(len(data))-size:]
	}
	at := end - int64(len(data))
	for len(data) > 0 {
		i := at % size
		n := copy(h.hist[i:], data)
		data, at = data[n:], at+int64(n)
	}
}

// skipTo moves the next expected byte forward to offset to, recording the
// bytes skipped as a gap.
func (r *Reassembler) skipTo(h *half, to int64, why Cause) {
	n := to - h.off
	if n <= 0 {
		return
	}
	h.gap += int(n)
	h.cause = why
	h.hlen = 0 // the history must stay contiguous
	h.advance(to)
	r.st.Gaps++
	r.st.GapBytes += uint64(n)
	switch why {
	case GapAcked:
		r.st.AckedGaps++
	case GapTruncated:
		r.st.TruncatedGaps++
	case GapOverflow:
		r.st.Overflows++
	case GapMemory:
		r.st.MemoryGaps++
	case GapClosed, GapEvicted:
		r.st.ClosedGaps++
	}
}

// stepFIN steps over the FIN's sequence number when data sent after it is
// next. The FIN takes no place in the stream's offsets: held data moves
// down by one.
func (r *Reassembler) stepFIN(h *half) {
	h.next++
	for i := range h.pend {
		h.pend[i].off--
	}
	h.finSet, h.finDone = false, true
	r.st.AfterFIN++
}

// drain delivers held data that the stream has reached, as Wireshark's
// check_follow_fragments does: of the held segments that start at or
// before the next expected byte and reach past it, the one that arrived
// first, from that byte on.
func (r *Reassembler) drain(s *stream, h *half, dir Dir) {
	for len(h.pend) > 0 {
		best := -1
		i := 0
		for ; i < len(h.pend) && h.pend[i].off <= h.off; i++ {
			p := &h.pend[i]
			if p.off+int64(p.n) > h.off && (best < 0 || p.arr < h.pend[best].arr) {
				best = i
			}
		}
		if best < 0 && i < len(h.pend) && h.finSet && h.off == h.fin && h.pend[i].off == h.fin+1 {
			r.stepFIN(h)
			continue
		}
		if best >= 0 {
			p := &h.pend[best]
			r.deliver(s, h, dir, h.buf[p.at+int(h.off-p.off):p.at+p.n], p.frame, p.time)
		}
		// Forget the segments the stream has now passed (the one taken
		// included), keeping the others in order.
		k := 0
		for j := 0; j < len(h.pend); j++ {
			q := &h.pend[j]
			if j < i && q.off+int64(q.n) <= h.off {
				h.dead += q.n
				r.st.HeldSegments--
				continue
			}
			h.pend[k] = *q
			k++
		}
		h.pend = h.pend[:k]
		if best < 0 {
			break
		}
	}
	if len(h.pend) == 0 {
		r.reset(s, h)
	}
}

// reset releases a direction's buffer once it holds nothing.
func (r *Reassembler) reset(s *stream, h *half) {
	if h.buf == nil && h.pend == nil {
		return
	}
	r.st.Buffered -= len(h.buf)
	if c := cap(h.buf); c > 0 && c <= maxPooledBuf && len(r.bufs) < maxPool {
		r.bufs = append(r.bufs, h.buf[:0])
	}
	if c := cap(h.pend); c > 0 && c <= maxPooledSegs && len(r.pends) < maxPool {
		r.pends = append(r.pends, h.pend[:0])
	}
	h.buf, h.pend, h.dead, h.arr = nil, nil, 0, 0
	if s.holding && len(s.half[0].pend) == 0 && len(s.half[1].pend) == 0 {
		r.unhold(s)
	}
}

// acked skips the holes below an acknowledgement from the other side, as
// Wireshark does when it writes "[N bytes missing in capture file]".
func (r *Reassembler) acked(s *stream, h *half, ack uint32) {
	dir := Orig
	if h == &s.half[1] {
		dir = Resp
	}
	for len(h.pend) > 0 {
		if h.offsetOf(ack) <= h.pend[0].off {
			return
		}
		r.skipTo(h, h.pend[0].off, GapAcked)
		r.drain(s, h, dir)
	}
}

// flush delivers everything a direction holds, skipping its holes.
func (r *Reassembler) flush(s *stream, h *half, dir Dir, why Cause) {
	for len(h.pend) > 0 {
		if h.finSet && h.off == h.fin && h.pend[0].off == h.fin+1 {
			r.stepFIN(h)
		} else {
			r.skipTo(h, h.pend[0].off, why)
		}
		r.drain(s, h, dir)
	}
}

// room makes room for n more held bytes in h, for a segment at offset
// off. It returns false when it had to move h's next expected byte, after
// which the segment must be looked at again.
func (r *Reassembler) room(s *stream, h *half, dir Dir, off int64, n int) bool {
	for len(h.buf)+n > r.lim.MaxDirBytes || len(h.pend) >= r.lim.MaxSegments {
		if h.dead > 0 && len(h.buf)-h.dead+n <= r.lim.MaxDirBytes && len(h.pend) < r.lim.MaxSegments {
			r.compact(h)
			continue
		}
		if len(h.pend) == 0 {
			// The segment alone is over the limit: go to it.
			r.skipTo(h, off, GapOverflow)
			return false
		}
		r.skipTo(h, h.pend[0].off, GapOverflow)
		r.drain(s, h, dir)
		return false
	}
	for r.st.Buffered+n > r.lim.MaxBytes {
		v := r.holders.head
		if v == nil {
			r.skipTo(h, off, GapMemory)
			return false
		}
		r.flush(v, &v.half[0], Orig, GapMemory)
		r.flush(v, &v.half[1], Resp, GapMemory)
		if v == s {
			return false
		}
	}
	return true
}

// compact moves the held bytes to the front of the buffer, dropping those
// of segments already passed.
func (r *Reassembler) compact(h *half) {
	// Move segments in buffer order, so that none is overwritten before
	// it has moved.
	r.order = r.order[:0]
	for i := range h.pend {
		r.order = append(r.order, int32(i))
	}
	slices.SortFunc(r.order, func(a, b int32) int { return h.pend[a].at - h.pend[b].at })
	at := 0
	for _, i := range r.order {
		p := &h.pend[i]
		copy(h.buf[at:], h.buf[p.at:p.at+p.n])
		p.at = at
		at += p.n
	}
	r.st.Buffered -= len(h.buf) - at
	h.buf = h.buf[:at]
	h.dead = 0
}

// hold keeps an out-of-order segment.
func (r *Reassembler) hold(s *stream, h *half, off int64, data []byte, frame int, time int64) {
	r.st.Held++
	r.st.HeldSegments++
	if h.buf == nil {
		if n := len(r.bufs); n > 0 {
			h.buf, r.bufs = r.bufs[n-1], r.bufs[:n-1]
		}
		if n := len(r.pends); n > 0 {
			h.pend, r.pends = r.pends[n-1], r.pends[:n-1]
		}
	}
	p := held{off: off, at: len(h.buf), n: len(data), arr: h.arr, frame: frame, time: time}
	h.arr++
	h.buf = append(h.buf, data...)
	r.st.Buffered += len(data)
	r.st.PeakBuffered = max(r.st.PeakBuffered, r.st.Buffered)
	// Out-of-order data mostly arrives in increasing order: search from
	// the end.
	i := len(h.pend)
	for i > 0 && h.pend[i-1].off > off {
		i--
	}
	h.pend = slices.Insert(h.pend, i, p)
	if !s.holding {
		r.hold1(s)
	}
}

// lookup returns the stream with the given index, making it if needed,
// and marks it the most recently active.
func (r *Reassembler) lookup(id int) *stream {
	s := r.last
	if s == nil || s.id != id {
		s = r.streams[id]
		if s == nil {
			// Take a closed connection's state first: closing the one
			// evicted next must not forget it.
			c, closed := r.closed[id]
			if closed {
				delete(r.closed, id)
				r.st.Remembered = len(r.closed)
			}
			if len(r.streams) >= r.lim.MaxStreams {
				r.st.Evicted++
				r.end(r.lru.head, GapEvicted)
			}
			s = r.newStream(id)
			if closed {
				r.resume(s, &c)
			}
		}
		r.last = s
	}
	if s != r.lru.tail {
		r.unlink(s)
		r.link(s)
	}
	return s
}

func (r *Reassembler) newStream(id int) *stream {
	var s *stream
	if n := len(r.pool); n > 0 {
		s = r.pool[n-1]
		r.pool = r.pool[:n-1]
	} else {
		s = &stream{}
	}
	s.id = id
	if r.lim.History > 0 {
		for i := range s.half {
			h := &s.half[i]
			if len(h.hist) != r.lim.History {
				h.hist = make([]byte, r.lim.History)
			}
		}
	}
	r.streams[id] = s
	r.link(s)
	r.st.Streams++
	return s
}

// Close delivers what the connection holds, skipping its holes, reports
// any gap still unreported, and forgets the connection. A later segment
// with the same index starts a new one. Closing an unknown index does
// nothing.
func (r *Reassembler) Close(stream int) {
	if s := r.streams[stream]; s != nil {
		r.st.Closed++
		r.end(s, GapClosed)
	}
}

// CloseAll closes every connection, least recently active first: call it
// at the end of the capture.
func (r *Reassembler) CloseAll() {
	for r.lru.head != nil {
		r.st.Closed++
		r.end(r.lru.head, GapClosed)
	}
}

// end flushes a connection, remembers where it stood and releases it.
func (r *Reassembler) end(s *stream, why Cause) {
	c := closedStream{node0: s.node0}
	for d := Orig; d <= Resp; d++ {
		h := &s.half[d]
		// Where Follow stands: before the holes flushing skips (and any
		// FIN it steps over).
		c.half[d] = closedHalf{started: h.started, finDone: h.finDone, next: h.next}
		if h.finSet {
			c.half[d].finSet, c.half[d].fin = true, h.next+uint32(h.fin-h.off)
		}
		r.flush(s, h, d, why)
		if h.gap > 0 {
			r.deliver(s, h, d, nil, 0, 0)
		}
		c.half[d].off = h.off
	}
	r.remember(s.id, c)
	delete(r.streams, s.id)
	r.unlink(s)
	if s.holding {
		r.unhold(s)
	}
	if r.last == s {
		r.last = nil
	}
	r.st.Streams--
	for i := range s.half {
		// Flushed, the directions hold nothing: only the history stays.
		h := &s.half[i]
		*h = half{hist: h.hist}
	}
	s.node0 = netip.AddrPort{}
	if len(r.pool) < maxPool {
		r.pool = append(r.pool, s)
	}
}

// The activity list.

func (r *Reassembler) link(s *stream) {
	s.prev, s.next = r.lru.tail, nil
	if r.lru.tail != nil {
		r.lru.tail.next = s
	} else {
		r.lru.head = s
	}
	r.lru.tail = s
}

func (r *Reassembler) unlink(s *stream) {
	if s.prev != nil {
		s.prev.next = s.next
	} else {
		r.lru.head = s.next
	}
	if s.next != nil {
		s.next.prev = s.prev
	} else {
		r.lru.tail = s.prev
	}
	s.prev, s.next = nil, nil
}

// The holders list.

func (r *Reassembler) hold1(s *stream) {
	s.holding = true
	s.hprev, s.hnext = r.holders.tail, nil
	if r.holders.tail != nil {
		r.holders.tail.hnext = s
	} else {
		r.holders.head = s
	}
	r.holders.tail = s
}

func (r *Reassembler) unhold(s *stream) {
	s.holding = false
	if s.hprev != nil {
		s.hprev.hnext = s.hnext
	} else {
		r.holders.head = s.hnext
	}
	if s.hnext != nil {
		s.hnext.hprev = s.hprev
	} else {
		r.holders.tail = s.hprev
	}
	s.hprev, s.hnext = nil, nil
}

// Closed connections.

// remember keeps where a closed connection stood, forgetting the oldest
// closed beyond MaxClosed.
func (r *Reassembler) remember(id int, c closedStream) {
	r.closedN++
	c.gen = r.closedN
	r.closed[id] = c
	r.closedQ = append(r.closedQ, closedRef{id, c.gen})
	for len(r.closed) > r.lim.MaxClosed {
		old := r.closedQ[0]
		r.closedQ = r.closedQ[1:]
		if e, ok := r.closed[old.id]; ok && e.gen == old.gen {
			delete(r.closed, old.id)
		}
	}
	// Drop the stale entries once they are as many as the live ones.
	if len(r.closedQ) > 2*len(r.closed)+64 {
		q := r.closedQ[:0]
		for _, e := range r.closedQ {
			if c, ok := r.closed[e.id]; ok && c.gen == e.gen {
				q = append(q, e)
			}
		}
		clear(r.closedQ[len(q):])
		r.closedQ = q
	}
	r.st.Remembered = len(r.closed)
}

// resume continues a closed connection in s, which is new.
func (r *Reassembler) resume(s *stream, c *closedStream) {
	r.st.Resumed++
	s.node0 = c.node0
	for d := range s.half {
		h, ch := &s.half[d], &c.half[d]
		h.started, h.next, h.off, h.finDone = ch.started, ch.next, ch.off, ch.finDone
		if ch.finSet {
			h.finSet, h.fin = true, h.offsetOf(ch.fin)
		}
	}
}

// Origin returns the sender of a connection's first segment (Follow's
// Node 0), open or remembered closed, when its segments name their
// senders (Segment.Src).
func (r *Reassembler) Origin(stream int) (netip.AddrPort, bool) {
	if s := r.streams[stream]; s != nil {
		return s.node0, s.node0.IsValid()
	}
	c, ok := r.closed[stream]
	return c.node0, ok && c.node0.IsValid()
}
