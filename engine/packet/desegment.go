package packet

import (
	"encoding/binary"

	httpdis "github.com/wirelark/wirelark/dissectors/http"
)

// TCP desegmentation: application protocols that frame their messages with
// a length over TCP (DNS's two-byte prefix, NetBIOS session service
// framing for SMB, Kerberos record marking), or delimit them by their
// headers (HTTP: see httpPDUs), have messages that span segments, and
// segments that hold several messages. As Wireshark does
// (tcp_dissect_pdus and desegment_tcp, with its default preferences), the
// frame whose segment completes a message carries its layers, decoded from
// the message's bytes put back together after the frame's own; the frames
// before carry only their TCP header.
//
// The bytes are followed in sequence order per direction of a TCP
// conversation, from the first segment with payload seen in it (taken to
// start a message). A retransmission of bytes already seen adds nothing; a
// segment past a hole drops the message being assembled and starts again
// at its own first byte, as Wireshark without out-of-order reassembly
// does; only an HTTP message of known length takes segments out of order
// (httpFill), as Wireshark's reassembly of one message does. Memory is
// bounded: a message longer than MaxPDU is not
// assembled (its bytes are skipped as they come), and all directions
// together hold at most MaxPDUBuffered bytes of incomplete messages, the
// message that would exceed it being dropped; both are counted
// (Decoder.PDUStats).

// Limits of TCP desegmentation.
const (
	MaxPDU         = 1 << 24 // longest message assembled
	MaxPDUBuffered = 64 << 20
)

// maxPrealloc bounds the buffer made for a message from its length field
// alone; a longer one grows as its bytes come.
const maxPrealloc = 256 << 10

// pduFraming says how a protocol's messages carry their length over TCP.
type pduFraming uint8

const (
	frameNone    pduFraming = iota
	frameLen16              // two-byte big-endian length, then the message (DNS)
	frameNBSS               // NetBIOS session service: type, flags/length (RFC 1002 4.3.1; 24 bits on 445)
	frameRecMark            // four-byte record mark, top bit reserved (Kerberos, RFC 4120 7.2.2)
	frameHTTP               // HTTP/1.x: a head, then a body by its headers (httpPDUs)
)

// framingOf says how a TCP dissector's messages are framed.
func framingOf(app ProtoID) pduFraming {
	switch app {
	case ProtoDNS:
		return frameLen16
	case ProtoNBSS:
		return frameNBSS
	case ProtoKerberos:
		return frameRecMark
	case ProtoHTTP:
		return frameHTTP
	}
	return frameNone
}

// pduLen returns the length of the message starting b, its framing
// included, or ok false when b is too short to tell.
func pduLen(f pduFraming, b []byte) (n int, ok bool) {
	switch f {
	case frameLen16:
		if len(b) < 2 {
			return 0, false
		}
		return 2 + int(binary.BigEndian.Uint16(b)), true
	case frameNBSS:
		if len(b) < 4 {
			return 0, false
		}
		// Direct-hosted SMB (port 445) uses 24 bits; on 139 the top 7 of
		// them are flags that must be zero, so reading 24 works for both.
		return 4 + (int(b[1])<<16 | int(b[2])<<8 | int(b[3])), true
	case frameRecMark:
		if len(b) < 4 {
			return 0, false
		}
		return 4 + int(binary.BigEndian.Uint32(b)&0x7fffffff), true
	case frameHTTP:
		// A segment decoded alone: its whole messages, or continuation
		// data to its end.
		var fr httpdis.Framer
		switch n, st := fr.Next(b, false); st {
		case httpdis.Complete, httpdis.Continuation:
			return n, true
		}
	}
	return 0, false
}

// pduFlow is the desegmentation state of one direction of a conversation.
type pduFlow struct {
	started bool
	next    uint32    // relative sequence number of the next byte expected
	skip    int       // bytes still to skip of a message too long to assemble
	buf     []byte    // the incomplete message so far
	http    *httpFlow // frameHTTP's state, made for HTTP directions only
}

// appState is what application protocols follow across both directions
// of a TCP conversation.
type appState struct {
	// switched is set once the connection carries another protocol (TLS
	// after FTP's AUTH TLS, what an HTTP 101 response upgraded to): its
	// later segments are data.
	switched bool
	tlsAsked bool // FTP: "AUTH TLS" was sent; a 234 reply switches
	// http is set when Wireshark's HTTP heuristic took the connection,
	// on a port no dissector claims.
	http bool
	// afterHEAD: HTTP's latest request was a HEAD, so a response has no
	// body (Wireshark keeps the conversation's last method so).
	afterHEAD bool
}

// follow advances the direction past a segment of n bytes at relative
// sequence number seq: seen is how many of its first bytes came before
// (a retransmission), hole whether bytes are missing before it.
func (f *pduFlow) follow(seq uint32, n int) (seen int, hole bool) {
	if n <= 0 {
		return 0, false
	}
	if !f.started {
		f.started, f.next = true, seq
	}
	switch d := int32(seq - f.next); {
	case d > 0:
		f.next = seq + uint32(n)
		return 0, true
	case d < 0: // starts with bytes seen before
		if int(-d) < n {
			f.next = seq + uint32(n)
		}
		return min(int(-d), n), false
	}
	f.next = seq + uint32(n)
	return 0, false
}

// PDUStats counts what TCP desegmentation held and could not do.
type PDUStats struct {
	TooLong  int64 // messages longer than MaxPDU, not assembled
	Overflow int64 // incomplete messages dropped at MaxPDUBuffered
	Holes    int64 // incomplete messages dropped at a hole in the sequence
	Buffered int   // bytes of incomplete messages held now
	Peak     int   // most held at once
}

// pduSpan is one whole message of a packet, framing included, in
// Packet.Data: in the frame's bytes, or reassembled after them.
type pduSpan struct{ off, end int }

// pduSet is what desegmentation found in a packet: its messages, and for
// Clone, where the reassembled bytes start in Data.
type pduSet struct {
	app   ProtoID
	spans []pduSpan
	tail  int // start of the reassembled bytes in Data, or -1
	// stateful is set when the segment decoded differently from the
	// same segment alone: it continued, repeated or left part of a
	// message.
	stateful bool
	// partial, when not 0, is 1 + where the message the segment begins
	// but does not complete starts in Data (HTTP: its first line shows
	// in the Info column).
	partial int
	// held is set when the segment's new bytes all went to messages not
	// complete in this frame: Wireshark's "[TCP segment of a reassembled
	// PDU]".
	held bool
}

// desegment runs the payload of an analysed TCP segment (Data[off:end], at
// relative sequence number seq) through its direction's state and records
// in p the messages it completes.
func (t *tracker) desegment(p *Packet, f *pduFlow, fr pduFraming, app ProtoID, seq uint32, off, end int, s *appState, fin bool) {
	set := &p.st.pdu
	*set = pduSet{app: app, spans: set.spans[:0], tail: -1, stateful: len(f.buf) > 0 || f.skip > 0}
	next0 := f.next
	defer func() { set.held = len(set.spans) == 0 && f.next != next0 }()
	if fr == frameHTTP {
		if f.http == nil {
			f.http = new(httpFlow)
		}
		h := f.http
		next0 := f.next
		t.httpSegment(p, f, h, s, seq, off, end, fin)
		if f.next != next0 {
			h.nextTime = p.Time
		}
		t.setPending(p, app)
		return
	}
	off = t.newBytes(f, set, seq, off, end)
	t.lengthPDUs(p, f, fr, off, end)
	t.setPending(p, app)
}

// newBytes follows the direction past a segment (Data[off:end] at
// relative sequence number seq) and returns where its bytes not seen
// before, and not skipped as part of a message too long, start. A hole
// drops the message being assembled.
func (t *tracker) newBytes(f *pduFlow, set *pduSet, seq uint32, off, end int) int {
	switch seen, hole := f.follow(seq, end-off); {
	case hole: // what was being assembled cannot be finished
		if len(f.buf) > 0 {
			t.pduStats.Holes++
		}
		t.dropPDU(f)
		f.skip = 0
	case seen > 0:
		set.stateful = true
		off += seen
	}
	if f.skip > 0 {
		k := min(f.skip, end-off)
		f.skip -= k
		off += k
	}
	return off
}

// setPending leaves the messages desegmentation found for decoding.
func (t *tracker) setPending(p *Packet, app ProtoID) {
	if len(p.st.pdu.spans) > 0 {
		p.pending = pendingWork{kind: pendApp, proto: app, tcp: true, pdus: true}
	} else {
		// Pieces of longer messages, or bytes seen before: nothing to
		// dissect here.
		p.pending = pendingWork{}
	}
}

// lengthPDUs delimits the messages of a framing with a length field in
// Data[off:end], the segment's new bytes.
func (t *tracker) lengthPDUs(p *Packet, f *pduFlow, fr pduFraming, off, end int) {
	set := &p.st.pdu
	if len(f.buf) > 0 && off < end {
		off = t.continuePDU(p, f, fr, off, end)
	}
	for off < end {
		m, ok := pduLen(fr, p.Data[off:end])
		switch {
		case ok && m > MaxPDU:
			t.pduStats.TooLong++
			f.skip = m - (end - off)
			set.stateful = true
			off = end
		case ok && m <= end-off:
			set.spans = append(set.spans, pduSpan{off, off + m})
			off += m
		default:
			if want := min(m, maxPrealloc); ok && cap(f.buf) < want {
				// The message's length is known: one buffer for it (up to
				// a bound: a length field alone must not claim much
				// memory).
				f.buf = t.getBuf(want)
			}
			if set.partial == 0 {
				set.partial = off + 1
			}
			t.appendPDU(f, p.Data[off:end])
			set.stateful = true
			off = end
		}
	}
}

// continuePDU adds the segment's bytes to the message being assembled and,
// when they complete it, puts the message after the packet's bytes. It
// returns where the segment's unused bytes start.
func (t *tracker) continuePDU(p *Packet, f *pduFlow, fr pduFraming, off, end int) int {
	m, ok := pduLen(fr, f.buf)
	if !ok {
		// Not even the length is known yet: take the bytes that tell it.
		need := 4
		if fr == frameLen16 {
			need = 2
		}
		k := min(need-len(f.buf), end-off)
		if !t.appendPDU(f, p.Data[off:off+k]) {
			return end
		}
		off += k
		if m, ok = pduLen(fr, f.buf); !ok {
			return off
		}
		if m > MaxPDU {
			t.pduStats.TooLong++
			f.skip = m - len(f.buf)
			t.dropPDU(f)
			k := min(f.skip, end-off)
			f.skip -= k
			return off + k
		}
	}
	if want := min(m, maxPrealloc); cap(f.buf) < want {
		f.buf = append(t.getBuf(want), f.buf...)
	}
	k := min(m-len(f.buf), end-off)
	if !t.appendPDU(f, p.Data[off:off+k]) {
		return end
	}
	off += k
	if len(f.buf) < m {
		return off
	}
	set := &p.st.pdu
	set.tail = len(p.Data)
	p.appendData(f.buf)
	set.spans = append(set.spans, pduSpan{set.tail, len(p.Data)})
	t.dropPDU(f)
	return off
}

// appendPDU adds b to the message being assembled; false when the bound
// on all held bytes refuses it (the message is then dropped).
func (t *tracker) appendPDU(f *pduFlow, b []byte) bool {
	if t.pduStats.Buffered+len(b) > MaxPDUBuffered {
		t.pduStats.Overflow++
		t.dropPDU(f)
		return false
	}
	f.buf = append(f.buf, b...)
	t.pduStats.Buffered += len(b)
	t.pduStats.Peak = max(t.pduStats.Peak, t.pduStats.Buffered)
	return true
}

// Spare buffers: messages of some hundred kilobytes (HTTP bodies) come
// one after the other, and a buffer released by one serves the next.
const (
	poolBufs = 8       // spare buffers kept
	poolMax  = 1 << 20 // largest buffer kept
)

// getBuf returns an empty buffer with room for want bytes.
func (t *tracker) getBuf(want int) []byte {
	for i, b := range t.bufPool {
		if cap(b) >= want {
			last := len(t.bufPool) - 1
			t.bufPool[i] = t.bufPool[last]
			t.bufPool[last] = nil
			t.bufPool = t.bufPool[:last]
			return b[:0]
		}
	}
	return make([]byte, 0, want)
}

// dropPDU forgets the message being assembled, releasing a large buffer.
func (t *tracker) dropPDU(f *pduFlow) {
	if h := f.http; h != nil {
		h.fr.Reset()
		h.gaps = h.gaps[:0]
	}
	t.pduStats.Buffered -= len(f.buf)
	if cap(f.buf) > 64<<10 {
		if cap(f.buf) <= poolMax && len(t.bufPool) < poolBufs {
			t.bufPool = append(t.bufPool, f.buf[:0])
		}
		f.buf = nil
	} else {
		f.buf = f.buf[:0]
	}
}

// appendData puts b after the packet's bytes, in a buffer of the
// packet's own, so layers keep indexing one slice.
func (p *Packet) appendData(b []byte) {
	st := p.st
	if len(p.Data) > 0 && len(st.reasmBuf) > 0 && &p.Data[0] == &st.reasmBuf[0] {
		st.reasmBuf = append(st.reasmBuf[:len(p.Data)], b...)
	} else {
		st.reasmBuf = append(append(st.reasmBuf[:0], p.Data...), b...)
	}
	p.Data = st.reasmBuf
}

// Desegmented reports whether TCP desegmentation made the packet decode
// differently from the same frame decoded alone: it completed a message
// begun in earlier segments, began one, or repeated bytes seen before.
func (p *Packet) Desegmented() bool { return p.st.pdu.stateful }

// PDUStats returns the counters of TCP desegmentation.
func (d *Decoder) PDUStats() PDUStats { return d.tracker.pduStats }

// appSegment runs the payload of an analysed TCP segment for the
// application protocol the decoder chose by port (w, whose bytes up to
// end are the segment's, at relative sequence number seq): what earlier
// segments of the conversation tell about it, and desegmentation.
func (t *tracker) appSegment(p *Packet, c *tcpConv, dir int, w pendingWork, seq uint32, end int, request, fin bool) {
	s := &c.app
	if s.switched {
		// The connection carries another protocol now.
		p.pending = pendingWork{}
		p.st.pdu.stateful = true
		p.data(w.off, w.end)
		return
	}
	switch w.proto {
	case ProtoFTP:
		// Not desegmented, but bytes seen before are not dissected
		// again.
		seen, _ := c.flows[dir].pdu.follow(seq, end-w.off)
		if seen > 0 {
			p.st.pdu.stateful = true
			if w.off+seen >= end {
				p.pending = pendingWork{}
				return
			}
			p.pending.off += seen
		}
		s.ftpStartTLS(p.Data[w.off+seen:end], request)
		if s.tlsAsked || s.switched {
			p.st.pdu.stateful = true
		}
	case ProtoHTTP:
		if !t.noHTTP {
			t.desegment(p, &c.flows[dir].pdu, frameHTTP, w.proto, seq, w.off, end, s, fin)
		}
	default:
		if fr := framingOf(w.proto); fr != frameNone {
			t.desegment(p, &c.flows[dir].pdu, fr, w.proto, seq, w.off, end, s, fin)
		}
	}
}

// appFIN ends a direction whose FIN came in a segment without payload.
func (t *tracker) appFIN(p *Packet, c *tcpConv, dir int) {
	f := &c.flows[dir].pdu
	if f.http == nil || len(f.buf) == 0 {
		return
	}
	set := &p.st.pdu
	*set = pduSet{app: ProtoHTTP, spans: set.spans[:0], tail: -1}
	t.httpFIN(p, f)
	if len(set.spans) > 0 {
		p.pending = pendingWork{kind: pendApp, proto: ProtoHTTP, tcp: true, pdus: true}
	}
}
