package packet

import (
	"encoding/binary"
	"math"

	httpdis "github.com/wirelark/wirelark/dissectors/http"
)

// HTTP desegmentation: HTTP delimits its messages by their headers
// (Content-Length, chunked transfer coding, or the end of the connection
// for a response), so the framing comes from dissectors/http's Framer
// rather than a length field; a message of known length also takes
// segments that come out of order, as Wireshark's reassembly does.

// httpFlow is what HTTP desegmentation follows in one direction, besides
// pduFlow's.
type httpFlow struct {
	fr httpdis.Framer // where the message in pduFlow.buf ends
	// For a message of known length: the relative sequence number of
	// buf[0], and the ranges of buf still missing (segments came out of
	// order), at most maxGaps.
	base uint32
	gaps []pduSpan
	// lostEnd, when lost is set, ends (in relative sequence numbers) a
	// message that will not complete: its segments still belong to it,
	// as in Wireshark, and show no message.
	lost    bool
	lostEnd uint32
	// nextTime is when pduFlow.next last advanced: a segment before next
	// that comes sooner after than oooThreshold is out of order, else a
	// retransmission.
	nextTime int64
}

// oooThreshold is Wireshark's default bound between an out-of-order
// segment and a retransmission, when the handshake's round trip is not
// known (packet-tcp.c, ooo_thres).
const oooThreshold = 3e6

// maxGaps bounds the missing ranges of a message held while its
// segments come out of order; one more drops the message.
const maxGaps = 8

// maxGapBytes bounds one missing range held open: a segment further
// ahead than that gives the message up rather than hold the space.
const maxGapBytes = 4 << 20

// httpSegment runs an HTTP segment (Data[off:end] at relative sequence
// number seq) through its direction's state: a message that will not
// complete takes its own segments, one of known length takes segments
// wherever they fall in it, and otherwise the bytes go in sequence order.
func (t *tracker) httpSegment(p *Packet, f *pduFlow, h *httpFlow, s *appState, seq uint32, off, end int, fin bool) {
	set := &p.st.pdu
	if h.lost && off < end {
		switch d := int32(h.lostEnd - seq); {
		case int(d) >= end-off: // all in the lost message
			if int32(seq+uint32(end-off)-f.next) > 0 {
				f.next = seq + uint32(end-off)
			}
			set.stateful = true
			return
		case d > 0: // the rest starts the next message
			f.next = h.lostEnd
		}
		h.lost = false
	}
	if len(f.buf) > 0 && off < end && t.httpFill(p, f, h, s, seq, off, end, fin) {
		return
	}
	seq0, seg0 := seq, off
	off = t.newBytes(f, set, seq, off, end)
	t.httpPDUs(p, f, h, s, seq0-uint32(seg0), off, end, fin)
}

// httpPDUs delimits HTTP messages in Data[off:end], the segment's new
// bytes, as Wireshark's HTTP dissector asks TCP for them: a message whose
// end is not in the segment is held until the segment that completes it
// (a body that runs until the connection closes, until the segment with
// the FIN). The length of a message is not known before its head is
// whole, so the bytes are held as they come, up to MaxPDU; a message
// longer than that is skipped (to its known end, or else to the end of
// the direction).
// seqBase is the relative sequence number Data[0] would have: a message
// that starts buffering at Data[off] starts at seqBase+off.
func (t *tracker) httpPDUs(p *Packet, f *pduFlow, h *httpFlow, s *appState, seqBase uint32, off, end int, fin bool) {
	set := &p.st.pdu
	fr := &h.fr
	if len(f.buf) > 0 && off < end {
		old := len(f.buf)
		if !t.appendPDU(f, p.Data[off:end]) {
			return
		}
		n, st := fr.Next(f.buf, s.afterHEAD)
		t.httpNote(fr, s, set)
		switch st {
		case httpdis.Complete, httpdis.Continuation:
			t.httpTail(p, f, n)
			off += n - old
		default:
			off = end
			if w := fr.Want(); w > MaxPDU {
				t.httpTooLong(f, w-len(f.buf))
			} else if len(f.buf) > MaxPDU {
				t.httpTooLong(f, 0)
			}
		}
	}
	for off < end {
		fr.Reset()
		b := p.Data[off:end]
		n, st := fr.Next(b, s.afterHEAD)
		t.httpNote(fr, s, set)
		switch st {
		case httpdis.Complete:
			set.spans = append(set.spans, pduSpan{off, off + n})
			off += n
			continue
		case httpdis.Continuation:
			set.spans = append(set.spans, pduSpan{off, end})
			off = end
			continue
		}
		set.stateful = true
		if want := fr.Want(); want > MaxPDU {
			t.httpTooLong(f, want-len(b))
			off = end
			continue
		} else if want := min(want, maxPrealloc); cap(f.buf) < want {
			f.buf = t.getBuf(want)
		}
		h.base = seqBase + uint32(off)
		set.partial = off + 1
		t.appendPDU(f, b)
		off = end
	}
	if fin {
		t.httpFIN(p, f)
	}
}

// httpNote keeps what a message's first line tells the conversation:
// whether the latest request is a HEAD, and whether a 101 response
// switches the connection to another protocol.
func (t *tracker) httpNote(fr *httpdis.Framer, s *appState, set *pduSet) {
	switch fr.Kind() {
	case httpdis.Request:
		s.afterHEAD = fr.IsHEAD()
	case httpdis.Response:
		if s.afterHEAD {
			// The message's framing depends on a request of the other
			// direction.
			set.stateful = true
		}
		if fr.Code() == 101 {
			s.switched = true
		}
	}
}

// httpTail completes the message held in f.buf with its first n bytes,
// put after the packet's bytes.
func (t *tracker) httpTail(p *Packet, f *pduFlow, n int) {
	set := &p.st.pdu
	start := len(p.Data)
	if set.tail < 0 {
		set.tail = start
	}
	p.appendData(f.buf[:n])
	set.spans = append(set.spans, pduSpan{start, len(p.Data)})
	set.stateful = true
	t.dropPDU(f)
}

// httpTooLong gives up a message longer than MaxPDU: skip is how many
// bytes of it are still to come, 0 when unknown (then the rest of the
// direction is skipped).
func (t *tracker) httpTooLong(f *pduFlow, skip int) {
	t.pduStats.TooLong++
	t.dropPDU(f)
	if skip <= 0 {
		skip = math.MaxInt
	}
	f.skip = skip
}

// httpFIN ends the direction: a body that runs until the connection
// closes is complete.
func (t *tracker) httpFIN(p *Packet, f *pduFlow) {
	if f.http != nil && len(f.buf) > 0 {
		if _, st := f.http.fr.Next(f.buf, false); st == httpdis.UntilClose {
			t.httpTail(p, f, len(f.buf))
		}
	}
	f.skip = 0
}

// heuristic tries Wireshark's heuristic dissectors on a segment the
// ports gave no dissector (l is its TCP layer, followed by a data layer):
// HTTP's takes the connection, from this segment on, when a segment's
// first line looks like a request or status line.
func (t *tracker) heuristic(p *Packet, c *tcpConv, dir int, l *Layer, seq uint32, end int, fin bool) {
	if t.noHTTP {
		return
	}
	d := p.Data[l.Off:]
	if d[13]&0x04 != 0 {
		return // a RST's data is its reason
	}
	if !c.app.http && (portClaimed(binary.BigEndian.Uint16(d)) || portClaimed(binary.BigEndian.Uint16(d[2:]))) {
		return
	}
	last := len(p.Layers) - 1
	if last < 0 || p.Layers[last].Proto != ProtoData || p.Layers[last].Off != l.Hdr || p.pending.kind != pendNone {
		return
	}
	if !c.app.http && !httpdis.LooksLikeHTTP(p.Data[l.Hdr:end]) {
		return
	}
	c.app.http = true
	w := pendingWork{kind: pendApp, proto: ProtoHTTP, tcp: true, off: l.Hdr, end: p.Layers[last].End}
	p.dropTCPData()
	p.pending = w
	t.appSegment(p, c, dir, w, seq, end, false, fin)
	p.st.pdu.stateful = true
}

// httpFill places a segment (Data[off:end] at relative sequence number
// seq) in the HTTP message of known length being held, wherever in it the
// segment falls: Wireshark puts a message's segments together by their
// place, so segments out of order still complete it. It reports false
// when the segment is not for that message (or the message cannot hold
// more gaps), leaving it to the in-order path.
func (t *tracker) httpFill(p *Packet, f *pduFlow, h *httpFlow, s *appState, seq uint32, off, end int, fin bool) bool {
	want := h.fr.Want()
	rel := int64(int32(seq - h.base))
	if want == 0 || rel < 0 || rel >= int64(want) {
		return false
	}
	o, n := int(rel), end-off
	k := min(n, want-o) // the segment's bytes that belong to the message
	p.st.pdu.stateful = true
	if d := int32(seq - f.next); d < 0 && (p.Time-h.nextTime >= oooThreshold || f.next == seq+uint32(n)) {
		// A retransmission, not a segment out of order: Wireshark does
		// not reassemble it.
		return true
	}
	if o > len(f.buf) {
		if len(h.gaps) >= maxGaps || o-len(f.buf) > maxGapBytes {
			t.httpLost(f, want)
			return true
		}
		if t.pduStats.Buffered+o-len(f.buf) > MaxPDUBuffered {
			t.pduStats.Overflow++
			t.dropPDU(f)
			return false
		}
		h.gaps = append(h.gaps, pduSpan{len(f.buf), o})
		t.pduStats.Buffered += o - len(f.buf)
		f.buf = append(f.buf, make([]byte, o-len(f.buf))...)
	}
	if o+k > len(f.buf) {
		if !t.appendPDU(f, p.Data[off+len(f.buf)-o:off+k]) {
			return true
		}
	}
	copy(f.buf[o:o+k], p.Data[off:off+k])
	h.gaps = cutSpans(h.gaps, o, o+k)
	if int32(seq+uint32(n)-f.next) > 0 {
		f.next = seq + uint32(n)
	}
	if len(h.gaps) > 0 && o+k == want {
		// The message's last segment came with bytes still missing:
		// Wireshark completes a message only with its last segment, so
		// it never will.
		t.httpLost(f, want)
		return true
	}
	if len(f.buf) < want || len(h.gaps) > 0 {
		return true
	}
	t.httpTail(p, f, want)
	if k < n {
		// The segment goes on with the next message.
		t.httpPDUs(p, f, h, s, seq-uint32(off), off+k, end, fin)
	} else if fin {
		t.httpFIN(p, f)
	}
	return true
}

// httpLost gives up the message of known length want being held: it
// will not complete, and its later segments show no message.
func (t *tracker) httpLost(f *pduFlow, want int) {
	t.pduStats.Holes++
	h := f.http
	h.lost, h.lostEnd = true, h.base+uint32(want)
	t.dropPDU(f)
}

// cutSpans removes [from, to) from the ranges in ss.
func cutSpans(ss []pduSpan, from, to int) []pduSpan {
	out := ss[:0]
	var extra pduSpan
	for _, g := range ss {
		switch {
		case g.end <= from || g.off >= to:
			out = append(out, g)
		default:
			if g.off < from {
				out = append(out, pduSpan{g.off, from})
			}
			if g.end > to {
				extra = pduSpan{to, g.end}
			}
		}
	}
	if extra.end > extra.off {
		out = append(out, extra)
	}
	return out
}
