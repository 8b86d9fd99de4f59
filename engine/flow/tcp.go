package flow

// This file ports Zeek's per-packet TCP analysis: the sequence tracking
// and history letters of TCPSessionAdapter::Process and its helpers
// (src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc), the endpoint
// state machine (UpdateStateMachine and the Update*State functions), the
// payload size (TCP_Endpoint::Size) and the content-gap accounting of
// TCP_Reassembler. Names follow Zeek's so the two can be read side by side.

// TCP flag bits (TCP_Flags.h).
const (
	flagFIN = 0x01
	flagSYN = 0x02
	flagRST = 0x04
	flagACK = 0x10
)

// History bits of an endpoint (TCP_Endpoint.h); the responder's are
// shifted left 16.
const (
	histSYN    = 0x1
	histFIN    = 0x2
	histRST    = 0x4
	histFINRST = 0x8
	histData   = 0x10
	histACK    = 0x20
	histMulti  = 0x40
)

// tooLargeSeqDelta is Zeek's TOO_LARGE_SEQ_DELTA: SYNs and RSTs jumping
// further than this do not move the sequence space.
const tooLargeSeqDelta = 1048576

// segment is what the TCP analysis reads from one packet.
type segment struct {
	flags    uint8
	seq, ack uint32
	win      uint16
	len      int // payload length per the IP header
	caplen   int // payload bytes captured
}

func seqDelta(a, b uint32) int32 { return int32(a - b) }

func (e *endpoint) setState(s EndpointState) {
	if s != e.state {
		e.prevState, e.state = e.state, s
	}
}

func full(seq, wraps uint32) uint64 { return uint64(wraps)<<32 + uint64(seq) }

func (e *endpoint) toRel(seq, wraps uint32) uint64 { return full(seq, wraps) - uint64(e.startSeq) }

func (e *endpoint) updateLastSeq(seq uint32) {
	if seq < e.lastSeq {
		e.seqWraps++
	}
	e.lastSeq = seq
}

func (e *endpoint) updateAckSeq(seq uint32) {
	if seq < e.ackSeq {
		e.ackWraps++
	}
	e.ackSeq = seq
}

// noDataAcked: none of this endpoint's data acknowledged (the SYN's octet
// may be).
func (e *endpoint) noDataAcked() bool {
	ack, start := full(e.ackSeq, e.ackWraps), uint64(e.startSeq)
	return ack == start || ack == start+1
}

// tcpSize is TCP_Endpoint::Size: the sequence space the endpoint covered,
// by the highest sequence number it sent or the highest acknowledged,
// without the SYN and FIN octets.
func (e *endpoint) tcpSize(peer *endpoint) uint64 {
	if e.prevState == SynSent && e.state == Reset && peer.state == Inactive && !e.noDataAcked() {
		// A half-open connection discovered and aborted: its sequence
		// numbers say nothing about data.
		return 0
	}
	last, ack := full(e.lastSeq, e.seqWraps), full(e.ackSeq, e.ackWraps)
	size := ack - uint64(e.startSeq)
	if last > ack {
		size = last - uint64(e.startSeq)
	}
	if size != 0 {
		size--
	}
	if e.finCnt > 0 && size != 0 {
		size--
	}
	return size
}

// relSeq is get_relative_seq: cur relative to the endpoint's start, with
// the wrap count adjusted around last; underflow reports a number before
// the start.
func (e *endpoint) relSeq(cur, last, wraps uint32) (rel uint64, underflow bool) {
	d := seqDelta(cur, last)
	if d < 0 {
		if wraps != 0 && cur > last {
			wraps--
		}
	} else if d > 0 && cur < last {
		wraps++
	}
	if wraps == 0 {
		d = seqDelta(cur, uint32(e.startSeq))
		return uint64(int64(d)), d < 0
	}
	return e.toRel(cur, wraps), false
}

// initEndpoint is init_endpoint: the first packet of a side, or a SYN
// restarting it, sets its sequence numbers.
func (e *endpoint) initEndpoint(flags uint8, first, last uint32) {
	syn := flags&flagSYN != 0
	reinit := func() {
		e.startSeq, e.ackSeq, e.lastSeq = int64(first), first, last
	}
	switch e.state {
	case Inactive:
		if syn {
			e.ackSeq, e.startSeq = first, int64(first)
		} else {
			// A partial connection: number as though a SYN had come
			// just before, and do not count this packet as a duplicate.
			e.ackSeq, e.startSeq = first-1, int64(first-1)
			last = first
		}
		e.lastSeq = last
	case SynSent, SynAckSent:
		if syn && first != uint32(e.startSeq) {
			reinit()
		}
	case Established, Partial:
		if syn {
			reinit()
		}
	case Reset:
		if syn && e.prevState == Inactive {
			// The sequence numbers came from a RST that may have been
			// spoofed; the SYN is more trustworthy.
			reinit()
		}
	}
}

// tcpSegment processes one segment of c; isOrig says which role sent it.
func (t *Table) tcpSegment(c *Conn, isOrig bool, s segment, now int64) {
	ep, peer := c.side(isOrig), c.side(!isOrig)
	syn, fin, rst, ack := s.flags&flagSYN != 0, s.flags&flagFIN != 0, s.flags&flagRST != 0, s.flags&flagACK != 0

	// SetPartialStatus.
	if isOrig {
		if c.firstSeen&1 == 0 {
			c.isPartial = !syn || ack
		}
	} else if c.firstSeen&2 == 0 && !c.isPartial {
		c.isPartial = !syn
	}

	segLen := s.len
	if syn {
		segLen++
	}
	if fin {
		segLen++
	}
	if rst {
		// A RST's payload is not part of the stream.
		segLen -= s.len
	}
	onePast := s.seq + uint32(segLen)
	ep.initEndpoint(s.flags, s.seq, onePast)
	relSeq, underflow := ep.relSeq(s.seq, ep.lastSeq, ep.seqWraps)

	c.updateHistory(s.flags, ep, isOrig, relSeq, s.len)
	// update_window: only its zero-window check bears on the log. A
	// scaled window is zero exactly when the field is.
	if s.win == 0 && !rst && peer.state != Closed && ep.state != Reset {
		c.scaled(letter('W', isOrig), &ep.win0Cnt, &ep.win0Thresh)
	}
	if !c.ep[0].didClose || !c.ep[1].didClose {
		c.End = now
	}
	if fin {
		ep.finCnt++
		ep.finSeq = relSeq + uint64(segLen)
	}
	if rst {
		ep.rstCnt++
	}
	var relAck uint64
	if ack {
		if peer.state == Inactive {
			// init_peer: number the silent side from what is acked.
			relAck = 1
			peer.startSeq, peer.ackSeq, peer.lastSeq = int64(s.ack-1), s.ack-1, s.ack-1
		} else if r, under := peer.relSeq(s.ack, peer.ackSeq, peer.ackWraps); !under {
			relAck = r
			// update_ack_seq; acks in RSTs are not trusted.
			if d := seqDelta(s.ack, peer.ackSeq); !rst && !(s.ack == 0 && d > tooLargeSeqDelta) && d > 0 {
				peer.updateAckSeq(s.ack)
			}
		}
	}
	c.updateLastSeq(ep, isOrig, onePast, s.flags, s.len)

	doClose := t.updateStateMachine(c, ep, peer, isOrig, s, now)

	if ack {
		// After the state machine, so that gaps revealed by the final
		// FIN or RST are judged in the closing state.
		c.ackReceived(peer, relAck)
	}
	// CheckPIA_FirstPacket: this role's first packet has been seen.
	c.firstSeen |= roleBit(isOrig)
	relData := relSeq
	if syn {
		relData++
	}
	if s.len > 0 && s.caplen >= s.len && !rst && !underflow {
		ep.dataSent(relData, uint64(s.len))
	}
	if doClose {
		t.connectionClosed(c, ep, peer)
	}
}

// updateHistory is update_history.
func (c *Conn) updateHistory(flags uint8, ep *endpoint, isOrig bool, relSeq uint64, n int) {
	var sh uint32
	if !isOrig {
		sh = 16
	}
	syn, fin, rst := flags&flagSYN != 0, flags&flagFIN != 0, flags&flagRST != 0
	bits := 0
	for _, b := range [3]bool{syn, fin, rst} {
		if b {
			bits++
		}
	}
	switch {
	case bits > 1:
		if fin && rst {
			c.checkHistory(histFINRST<<sh, letter('I', isOrig))
		} else {
			c.checkHistory(histMulti<<sh, letter('Q', isOrig))
		}
	case bits == 1:
		// S, H, F and R repeat when the sequence number differs from the
		// last packet of the same kind (a FIN's is at its end).
		if syn {
			code := letter('S', isOrig)
			if flags&flagACK != 0 {
				code = letter('H', isOrig)
			}
			if c.checkHistory(histSYN<<sh, code) && relSeq != ep.histLastSYN {
				c.addHistory(code)
			}
			ep.histLastSYN = relSeq
		}
		if fin {
			end := relSeq + uint64(n)
			if c.checkHistory(histFIN<<sh, letter('F', isOrig)) && end != ep.histLastFIN {
				c.addHistory(letter('F', isOrig))
			}
			ep.histLastFIN = end
		}
		if rst {
			if c.checkHistory(histRST<<sh, letter('R', isOrig)) && relSeq != ep.histLastRST {
				c.addHistory(letter('R', isOrig))
			}
			ep.histLastRST = relSeq
		}
	default:
		if n != 0 {
			c.checkHistory(histData<<sh, letter('D', isOrig))
		} else if flags&flagACK != 0 {
			c.checkHistory(histACK<<sh, letter('A', isOrig))
		}
	}
}

// updateLastSeq is update_last_seq: it moves the endpoint's highest
// sequence number and counts as a retransmission ('T') any payload that
// does not move it, which includes out-of-order segments filling a hole.
func (c *Conn) updateLastSeq(ep *endpoint, isOrig bool, last uint32, flags uint8, n int) {
	d := seqDelta(last, ep.lastSeq)
	switch {
	case flags&(flagSYN|flagRST) != 0 && (d > tooLargeSeqDelta || d < -tooLargeSeqDelta):
	case flags&flagFIN != 0 && ep.lastSeq == uint32(ep.startSeq)+1:
		// Only the SYN and the FIN seen: trust the FIN even backwards
		// (connections over 2 GB).
		ep.updateLastSeq(last)
	case ep.state == Reset:
		// Nothing after a RST moves the sequence space.
	case d > 0:
		ep.updateLastSeq(last)
	case n > 0:
		c.scaled(letter('T', isOrig), &ep.rxmtCnt, &ep.rxmtThresh)
	}
}

// updateStateMachine is UpdateStateMachine; it reports whether the packet
// closes the sender's side.
func (t *Table) updateStateMachine(c *Conn, ep, peer *endpoint, isOrig bool, s segment, now int64) (doClose bool) {
	syn, fin, rst, ack := s.flags&flagSYN != 0, s.flags&flagFIN != 0, s.flags&flagRST != 0, s.flags&flagACK != 0
	switch ep.state {
	case Inactive:
		if syn {
			if isOrig {
				if ack {
					ep.setState(SynAckSent)
				} else {
					ep.setState(SynSent)
				}
				if t.attempt > 0 {
					c.attemptAt = now + t.attempt
				}
			} else {
				if !ack && peer.state == SynAckSent && s.seq == uint32(ep.startSeq) {
					// The SYN-ACK came before its SYN (two interfaces
					// merged): flip the roles and establish.
					c.isPartial = false
					c.flip()
					peer.setState(Established)
					c.firstSeen |= 1
				}
				if peer.state == SynSent {
					peer.setState(Established)
				}
				ep.setState(Established)
			}
		}
		if fin {
			ep.setState(Closed)
			doClose = true
		}
		if rst {
			ep.setState(Reset)
			doClose = true
		}
		if ep.state == Inactive {
			switch {
			case !isOrig && s.len == 0 && c.side(true).state == SynSent:
				// Some TCPs ack a SYN before answering it: not partial.
			case ack && peer.state == Established:
				// The SYN-ACK was seen, the SYN missed: establish.
				ep.setState(Established)
				c.isPartial = false
				c.firstSeen |= roleBit(isOrig)
			default:
				ep.setState(Partial)
			}
		}
	case SynSent, SynAckSent:
		if fin {
			ep.setState(Closed)
			doClose = true
		}
		if rst {
			ep.setState(Reset)
			doClose = true
		}
	case Established, Partial:
		if syn && ep.state == Partial && peer.state == Inactive && !ack {
			ep.setState(SynSent)
		}
		if fin && !rst {
			ep.setState(Closed)
			if peer.state == Reset && peer.prevState == Closed {
				// The peer's FIN then RST was a normal close after all.
				peer.setState(Closed)
			}
			doClose = true
		}
		if rst {
			ep.setState(Reset)
			doClose = true
		}
	case Closed:
		// After a FIN exchange a RST changes nothing; after our FIN alone
		// it resets, and the connection goes after the reset delay.
		if rst && peer.state != Closed {
			ep.setState(Reset)
			if !ep.didClose {
				doClose = true
			}
			if !c.closing() {
				c.closeAt, c.closeSet = now+t.closeDelay, true
			}
		}
	}
	return doClose
}

func roleBit(isOrig bool) uint8 {
	if isOrig {
		return 1
	}
	return 2
}

// connectionClosed is ConnectionClosed: once both sides closed, or one
// reset, or one closed while the other never spoke, the connection is
// removed after the close delay (its other timers are cancelled).
func (t *Table) connectionClosed(c *Conn, ep, peer *endpoint) {
	if ep.didClose {
		return
	}
	ep.didClose = true
	if ep.state == Reset || peer.didClose || peer.state == Inactive {
		c.closeAt, c.closeSet = c.End+t.closeDelay, true
		c.attemptAt = 0
	}
}

// isReuse is TCPSessionAdapter::IsReuse for a SYN arriving on an existing
// connection: a new connection starts when the old one has closed in any
// way, or when the SYN's sequence number is not the one the connection
// started with.
func isReuse(c *Conn, flags uint8, seq uint32) bool {
	if flags&flagSYN == 0 {
		return false
	}
	orig, resp := c.side(true), c.side(false)
	connOrig := orig
	if flags&flagACK != 0 {
		// A SYN-ACK reuses only a half connection.
		if orig.state != Inactive {
			return false
		}
		connOrig = resp
	}
	if !orig.didClose && !resp.didClose {
		if seq == uint32(connOrig.startSeq) {
			return false
		}
		if flags&flagACK == 0 && connOrig.state == SynAckSent && resp.state == Inactive && seq == uint32(resp.startSeq) {
			// SYN and SYN-ACK seen in reverse order: the state machine
			// flips the roles instead.
			return false
		}
	}
	return true
}

// wantFlip is TCPAnalyzer::WantConnection's guess at the true responder
// for a connection whose first packet is not a SYN: the sender is taken
// for the server when its port is a likely server port, unless both are
// (then only a non-SYN from the lower port flips, to spare stealth scans).
func (t *Table) wantFlip(flags uint8, sport, dport uint16) bool {
	if flags&flagSYN != 0 && flags&flagACK == 0 {
		return false
	}
	if !t.serverPort(TCP, sport) {
		return false
	}
	if t.serverPort(TCP, dport) {
		return flags&flagSYN == 0 && sport < dport
	}
	return true
}

// Content gaps. Zeek reports a gap when an acknowledgement passes bytes
// its reassembler never received (TCP_Reassembler::AckReceived and
// Undelivered); here coverage is tracked without the bytes.

// dataSent records payload [seq, seq+n) of the endpoint (relative sequence
// numbers, first byte 1), as TCP_Reassembler::DataSent and NewBlock keep
// it.
func (e *endpoint) dataSent(seq, n uint64) {
	upper := seq + n
	if ack := e.toRel(e.ackSeq, e.ackWraps); seq < ack {
		if upper <= ack {
			return // delivered and acknowledged already
		}
		seq = ack
	}
	if upper <= e.trim {
		return
	}
	seq = max(seq, e.trim)
	if seq <= e.reassem {
		e.reassem = max(e.reassem, upper)
		e.absorb()
		return
	}
	e.insertBlock(seq, upper)
}

// absorb moves reassem over the blocks it reaches.
func (e *endpoint) absorb() {
	i := 0
	for i < int(e.nblocks) && e.blocks[i].lo <= e.reassem {
		e.reassem = max(e.reassem, e.blocks[i].hi)
		i++
	}
	if i > 0 {
		copy(e.blocks[:], e.blocks[i:e.nblocks])
		e.nblocks -= uint8(i)
	}
}

// insertBlock adds [lo, hi) to the sorted, disjoint blocks. When they are
// full the two closest merge, as if the hole between them had been seen:
// a gap may then go unreported, never one reported that was not there.
func (e *endpoint) insertBlock(lo, hi uint64) {
	var tmp [maxBlocks + 1]seqRange
	n := 0
	placed := false
	for _, b := range e.blocks[:e.nblocks] {
		switch {
		case b.hi < lo:
			tmp[n] = b
			n++
		case hi < b.lo:
			if !placed {
				tmp[n] = seqRange{lo, hi}
				n++
				placed = true
			}
			tmp[n] = b
			n++
		default: // overlapping or touching: merge into the new range
			lo, hi = min(lo, b.lo), max(hi, b.hi)
		}
	}
	if !placed {
		tmp[n] = seqRange{lo, hi}
		n++
	}
	if n > maxBlocks {
		best := 0
		for i := 1; i < n-1; i++ {
			if tmp[i+1].lo-tmp[i].hi < tmp[best+1].lo-tmp[best].hi {
				best = i
			}
		}
		tmp[best].hi = tmp[best+1].hi
		copy(tmp[best+1:], tmp[best+2:n])
		n--
	}
	copy(e.blocks[:], tmp[:n])
	e.nblocks = uint8(n)
}

// ackReceived is TCP_Reassembler::AckReceived for the data of e (the
// endpoint whose bytes are acknowledged).
func (c *Conn) ackReceived(e *endpoint, seq uint64) {
	if e.finCnt > 0 && seq >= e.finSeq {
		// The FIN's octet is not data.
		seq = e.finSeq - 1
	}
	if seq <= e.trim {
		return
	}
	if seq > e.reassem {
		c.undelivered(e, seq)
	}
	e.trim = seq
}

// undelivered is TCP_Reassembler::Undelivered: every hole below upTo is a
// gap.
func (c *Conn) undelivered(e *endpoint, upTo uint64) {
	if upTo <= 2 && c.isPartial {
		// The faked-up start of a partial connection (or a keep-alive
		// that opened it), not lost data.
		return
	}
	for e.nblocks > 0 && e.blocks[0].lo < upTo {
		c.gap(e, e.blocks[0].lo-e.reassem)
		e.reassem = e.blocks[0].lo
		e.absorb()
	}
	if upTo > e.reassem {
		c.gap(e, upTo-e.reassem)
		e.reassem = upTo
		e.absorb()
	}
}

// gap is TCP_Reassembler::Gap: counted ('G', missed_bytes) only while both
// sides are established or cleanly closing.
func (c *Conn) gap(e *endpoint, n uint64) {
	peer := &c.ep[0]
	if peer == e {
		peer = &c.ep[1]
	}
	if !isClean(e) || !isClean(peer) {
		return
	}
	c.scaled(letter('G', e == c.side(true)), &e.gapCnt, &e.gapThresh)
	c.MissedBytes += n
}

func isClean(e *endpoint) bool {
	return e.state == Established || e.state == Closed && e.prevState == Established
}
