// Package defrag reassembles fragmented IPv4 and IPv6 datagrams the way
// Wireshark does with its default preferences (epan/reassemble.c,
// fragment_add_check, as called by packet-ip.c and packet-ipv6.c), with the
// memory bounds and timeouts a streaming engine needs.
//
// # What Wireshark does, and so what this package does
//
//   - A datagram is keyed by source, destination and identification (and
//     the protocol for IPv4). A datagram completes on the frame whose
//     fragment makes the bytes received contiguous from 0 up to the end
//     given by a fragment without the more-fragments flag: the last
//     fragment to arrive, which is not the tail when fragments come out of
//     order. The upper layer is dissected there, over the reassembled
//     bytes; the other fragments show only data.
//   - Fragments are kept as received. At completion they are taken in
//     order of offset, fragments with equal offsets in order of arrival,
//     and each contributes only the bytes past what the ones before it
//     covered. So for overlapping bytes the fragment with the lowest offset
//     wins, and among equal offsets the first received. A fragment that
//     starts before the end of what precedes it is flagged Overlap, and
//     Conflict as well when its overlapping bytes differ from those already
//     placed. A duplicate (a retransmitted fragment) is just an overlap
//     without conflict: it does not disturb reassembly and is listed among
//     the datagram's fragments.
//   - The first tail fixes the length; a later tail that ends elsewhere is
//     flagged MultipleTails and changes nothing. A fragment reaching past
//     that length is flagged TooLong and cut (or, starting past it, unused).
//     Flagged datagrams are still delivered, as Wireshark still dissects
//     them. Its fields: pieces without Conflict, MultipleTails or TooLong
//     are ip.fragment (ipv6.fragment), the others ip.fragment.error.
//   - Once complete, a datagram is forgotten: a fragment with the same key
//     arriving later starts a new datagram.
//   - A fragment without payload is ignored (neither starts nor completes a
//     datagram): the IPv4 dissector adds a fragment only when its total
//     length exceeds its header, the IPv6 one only when payload follows
//     the fragment header. A fragment at offset 0 without more fragments
//     (an IPv6 atomic fragment) is not reassembled: it is whole as it is.
//
// Linux differs: since 4.19 it drops an exact duplicate but discards the
// whole datagram when fragments otherwise overlap (RFC 5722 requires that
// for IPv6), and a zero-length fragment discards the datagram too.
// Following it would hide datagrams that Wireshark shows and an analyst
// wants to see (overlaps are how some evasions work), so wirelark follows
// Wireshark and reports overlaps in flags and counters instead.
//
// # Where this package departs from Wireshark, and why
//
// Wireshark keeps everything until the file ends. A streaming engine
// cannot, so:
//
//   - Timeout (default 30 s of packet time, as Linux's ipfrag_time):
//     a datagram whose first fragment is older than that is dropped, and a
//     fragment that would have completed it starts a new one. Wireshark
//     would still reassemble such a datagram; a negative Timeout keeps that
//     behaviour at the cost of memory held by datagrams that never finish.
//   - Bounds: datagrams in progress, fragments per datagram, payload bytes
//     held in total, and the largest datagram (MaxDatagram, default 65535
//     bytes of payload; no real IP datagram is larger, IPv6 jumbograms are
//     not fragmented). A fragment that would end past MaxDatagram is
//     refused (Wireshark would reassemble it, Linux drops the datagram as
//     "oversized"); the rest of its datagram is kept. To make room, the
//     oldest datagram in progress goes first. A datagram that reaches
//     MaxFragments, or that alone would exceed MaxBytes, is discarded with
//     the fragment. Every fragment lost this way is counted in Stats.
//
// A Defragmenter is not safe for concurrent use.
package defrag

import (
	"bytes"
	"time"
)

// Key identifies the datagram a fragment belongs to. Build it with KeyV4
// or KeyV6 so that unused bytes stay zero. Lookups use it as a map key and
// allocate nothing.
//
// Wireshark keys IPv4 by the addresses and proto^id^src^dst (the four
// XORed into one 32-bit number), so two datagrams between the same hosts
// whose protocol and id XOR alike would mix there; they stay apart here.
type Key struct {
	Src, Dst [16]byte // IPv4 addresses in the first 4 bytes
	ID       uint32   // IPv4 identification or IPv6 fragment identification
	Proto    uint8    // IPv4 protocol; 0 for IPv6 (Wireshark keys IPv6 without it)
	Version  uint8    // 4 or 6
	// VLAN separates datagrams of equal addresses seen on different VLANs.
	// Wireshark mixes the VLAN id in only when either IPv4 address is
	// private (RFC 1918) or link-local; a caller that wants its results
	// sets it under the same rule, and leaves it 0 for IPv6.
	VLAN uint16
}

// KeyV4 returns the key of an IPv4 fragment.
func KeyV4(src, dst [4]byte, id uint16, proto uint8) Key {
	k := Key{ID: uint32(id), Proto: proto, Version: 4}
	copy(k.Src[:], src[:])
	copy(k.Dst[:], dst[:])
	return k
}

// KeyV6 returns the key of an IPv6 fragment.
func KeyV6(src, dst [16]byte, id uint32) Key {
	return Key{Src: src, Dst: dst, ID: id, Version: 6}
}

// Fragment is one fragment handed to Add.
type Fragment struct {
	Key    Key
	Offset int  // byte offset of Data in the datagram's payload
	More   bool // more-fragments flag
	// Data is the fragment's payload (after the IPv4 header, or after the
	// IPv6 fragment header). Add copies what it keeps: the caller's buffer
	// may change once Add returns.
	Data  []byte
	Time  int64 // capture time, nanoseconds
	Frame int   // frame number, reported back in Result.Pieces
}

// Flags describe what happened to a fragment (Piece.Flags) or to any
// fragment of a datagram (Result.Flags). They are Wireshark's.
type Flags uint8

const (
	// Overlap: the fragment starts before the end of the bytes placed by
	// the fragments before it (ip.fragment.overlap).
	Overlap Flags = 1 << iota
	// Conflict: overlapping bytes differ (ip.fragment.overlap.conflict).
	Conflict
	// MultipleTails: a second fragment without more-fragments ends
	// somewhere else than the first (ip.fragment.multipletails).
	MultipleTails
	// TooLong: the fragment reaches past the end fixed by the first tail
	// (ip.fragment.toolongfragment).
	TooLong
)

// Illegal reports the flags Wireshark shows as an error: such a piece is
// an ip.fragment.error (ipv6.fragment.error) rather than an ip.fragment.
func (f Flags) Illegal() bool { return f&(Conflict|MultipleTails|TooLong) != 0 }

// Status is what Add did with a fragment.
type Status uint8

const (
	// Held: the fragment is kept; its datagram is not complete.
	Held Status = iota
	// Complete: the fragment completed its datagram, which is in
	// Result.Data.
	Complete
	// Unfragmented: offset 0 and no more fragments (an IPv6 atomic
	// fragment). Result.Data is the fragment's own Data; nothing is held
	// and no datagram in progress is touched.
	Unfragmented
	// Ignored: the fragment has no payload. Wireshark never adds one, so
	// it neither starts nor completes a datagram.
	Ignored
	// Dropped: the fragment was refused by a limit (Result.Drop says
	// which).
	Dropped
)

var statusNames = [...]string{"held", "complete", "unfragmented", "ignored", "dropped"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "?"
}

// Drop says which limit refused a fragment.
type Drop uint8

const (
	// NoDrop: the fragment was not refused.
	NoDrop Drop = iota
	// DropOversize: the fragment ends past Limits.MaxDatagram. Its
	// datagram, if any, is kept.
	DropOversize
	// DropFragments: the datagram already held Limits.MaxFragments
	// fragments; it is discarded with this one.
	DropFragments
	// DropBytes: the datagram alone would exceed Limits.MaxBytes; it is
	// discarded with this one.
	DropBytes
)

// Piece is one fragment of a completed datagram.
type Piece struct {
	Frame  int
	Offset int
	Len    int
	Flags  Flags
}

// Result is the outcome of Add.
type Result struct {
	Status Status
	// Data is the reassembled payload (Complete) or the fragment's own
	// payload (Unfragmented). A reassembled payload is owned by the
	// Defragmenter and valid until the next call to Add; copy it to keep
	// it longer. Its length is Wireshark's ip.reassembled.length.
	Data []byte
	// Pieces lists the fragments that made the datagram, in Wireshark's
	// order (offset, then arrival), duplicates included. Valid as long as
	// Data.
	Pieces []Piece
	// Flags is the union of the pieces' flags.
	Flags Flags
	// Start is the capture time of the datagram's first fragment.
	Start int64
	Drop  Drop
}

// Frames appends the frame numbers of the pieces to dst.
func (r *Result) Frames(dst []int) []int {
	for _, p := range r.Pieces {
		dst = append(dst, p.Frame)
	}
	return dst
}

// Limits bound the Defragmenter. A zero field takes its default.
type Limits struct {
	// Timeout drops a datagram this long after its first fragment (packet
	// time). Default 30 s; negative: never, as Wireshark.
	Timeout time.Duration
	// MaxDatagrams bounds the datagrams in progress; a new one evicts the
	// oldest. Default 4096.
	MaxDatagrams int
	// MaxFragments bounds the fragments of one datagram, duplicates
	// included. Default 128: a 64 KiB datagram over a 576-byte MTU needs
	// 118.
	MaxFragments int
	// MaxBytes bounds the fragment payload bytes held in total. Default
	// 4 MiB, Linux's ipfrag_high_thresh.
	MaxBytes int
	// MaxDatagram bounds the reassembled payload. Default 65535.
	MaxDatagram int
}

// Defaults for the zero fields of Limits.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxDatagrams = 4096
	DefaultMaxFragments = 128
	DefaultMaxBytes     = 4 << 20
	DefaultMaxDatagram  = 65535
)

func (l Limits) withDefaults() Limits {
	if l.Timeout == 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MaxDatagrams <= 0 {
		l.MaxDatagrams = DefaultMaxDatagrams
	}
	if l.MaxFragments <= 0 {
		l.MaxFragments = DefaultMaxFragments
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxDatagram <= 0 {
		l.MaxDatagram = DefaultMaxDatagram
	}
	return l
}

// Stats counts what the Defragmenter did. Every fragment offered ends in
// exactly one place:
//
//	Fragments == Ignored + Unfragmented + Used + Held + Dropped + TimedOutFragments
type Stats struct {
	Fragments    uint64 // fragments offered to Add
	Ignored      uint64 // fragments without payload
	Unfragmented uint64 // offset 0 without more fragments
	Reassembled  uint64 // datagrams completed
	Used         uint64 // fragments that went into completed datagrams

	Held       int // fragments held now
	HeldBytes  int // payload bytes held now
	PeakBytes  int // largest HeldBytes seen
	InProgress int // datagrams in progress now

	// Dropped counts fragments lost to a limit: refused by Add, or held by
	// a datagram evicted or discarded.
	Dropped  uint64
	Oversize uint64 // fragments refused for ending past MaxDatagram (also in Dropped)
	Evicted  uint64 // datagrams evicted to make room (MaxDatagrams, MaxBytes)
	// Discarded counts datagrams thrown away because they reached
	// MaxFragments or alone would exceed MaxBytes.
	Discarded uint64

	TimedOut          uint64 // datagrams dropped unfinished by the timeout
	TimedOutFragments uint64 // fragments they held

	Overlaps  uint64 // completed datagrams with an overlap
	Conflicts uint64 // completed datagrams whose overlapping bytes differed
}

// frag is a fragment held by a datagram.
type frag struct {
	off, n int
	at     int // where its bytes start in datagram.buf
	frame  int
	flags  Flags
}

// datagram is one datagram in progress. Datagrams sit in a list in the
// order they were started, oldest first: timeouts and evictions take them
// from its head.
type datagram struct {
	key        Key
	start      int64
	frags      []frag // by offset, equal offsets in arrival order
	buf        []byte // fragment payloads in arrival order
	end        int    // payload length fixed by the first tail, -1 until then
	prev, next *datagram
}

// Released datagrams are kept for reuse, so that steady traffic
// allocates nothing: up to maxPool of them, with buffers up to
// maxPooledBuf bytes.
const (
	maxPool      = 256
	maxPooledBuf = 16 << 10
)

// Defragmenter reassembles datagrams. Make one with New.
type Defragmenter struct {
	lim     Limits
	timeout int64 // ns; <= 0 never
	table   map[Key]*datagram
	oldest  *datagram
	newest  *datagram
	pool    []*datagram
	out     []byte
	pieces  []Piece
	st      Stats
}

// New returns a Defragmenter with the given limits (zero fields take the
// defaults).
func New(lim Limits) *Defragmenter {
	lim = lim.withDefaults()
	d := &Defragmenter{lim: lim, table: make(map[Key]*datagram)}
	if lim.Timeout > 0 {
		d.timeout = int64(lim.Timeout)
	}
	return d
}

// Limits returns the limits in force, defaults filled in.
func (d *Defragmenter) Limits() Limits { return d.lim }

// Stats returns the counters.
func (d *Defragmenter) Stats() Stats { return d.st }

// Add offers one fragment. Fragments must come in capture order; frame
// numbers are only reported back. Datagrams that timed out by f.Time are
// dropped first.
func (d *Defragmenter) Add(f Fragment) Result {
	d.st.Fragments++
	d.Expire(f.Time)
	n := len(f.Data)
	if n == 0 {
		d.st.Ignored++
		return Result{Status: Ignored}
	}
	if f.Offset == 0 && !f.More {
		d.st.Unfragmented++
		return Result{Status: Unfragmented, Data: f.Data, Start: f.Time}
	}
	end := f.Offset + n
	if f.Offset < 0 || end > d.lim.MaxDatagram {
		d.st.Oversize++
		d.st.Dropped++
		return Result{Status: Dropped, Drop: DropOversize}
	}

	g := d.table[f.Key]
	if g != nil && d.expired(g, f.Time) {
		// Times went backwards elsewhere in the list; this one is stale.
		d.timeOut(g)
		g = nil
	}
	if g == nil {
		for len(d.table) >= d.lim.MaxDatagrams {
			d.evict(d.oldest)
		}
		g = d.start(f.Key, f.Time)
	}
	if len(g.frags) >= d.lim.MaxFragments {
		d.discard(g)
		d.st.Dropped++
		return Result{Status: Dropped, Drop: DropFragments}
	}
	for d.st.HeldBytes+n > d.lim.MaxBytes {
		v := d.oldest
		if v == g {
			v = g.next
		}
		if v == nil {
			d.discard(g)
			d.st.Dropped++
			return Result{Status: Dropped, Drop: DropBytes}
		}
		d.evict(v)
	}

	// Keep it: bytes at the end of the buffer, record in offset order
	// (after any of equal offset, so equal offsets stay in arrival order).
	fr := frag{off: f.Offset, n: n, at: len(g.buf), frame: f.Frame}
	g.buf = append(g.buf, f.Data...)
	i := len(g.frags)
	for i > 0 && g.frags[i-1].off > f.Offset {
		i--
	}
	if !f.More {
		if g.end < 0 {
			g.end = end
		} else if g.end != end {
			fr.flags |= MultipleTails
		}
	}
	g.frags = append(g.frags, frag{})
	copy(g.frags[i+1:], g.frags[i:])
	g.frags[i] = fr
	d.st.Held++
	d.st.HeldBytes += n
	d.st.PeakBytes = max(d.st.PeakBytes, d.st.HeldBytes)

	if g.end < 0 || !g.covered() {
		return Result{Status: Held}
	}
	return d.complete(g)
}

// covered reports whether the fragments cover the payload from 0 to end
// without a hole (fragments past the end may reach beyond it).
func (g *datagram) covered() bool {
	reach := 0
	for i := range g.frags {
		f := &g.frags[i]
		if f.off > reach {
			break
		}
		reach = max(reach, f.off+f.n)
	}
	return reach >= g.end
}

// complete builds the datagram's payload, as reassemble.c's
// fragment_add_work does once all bytes are there, and releases it.
func (d *Defragmenter) complete(g *datagram) Result {
	end := g.end
	if cap(d.out) < end {
		d.out = make([]byte, end, max(end, 2*cap(d.out)))
	}
	out := d.out[:end]
	d.pieces = d.pieces[:0]
	var flags Flags
	pos := 0 // bytes placed so far: out[:pos]
	for i := range g.frags {
		f := &g.frags[i]
		data := g.buf[f.at : f.at+f.n]
		switch {
		case f.off >= end:
			// Starts past the end the tail gave: nowhere to put it.
			f.flags |= TooLong
		default:
			n := f.n
			if f.off+n > end {
				f.flags |= TooLong
				n = end - f.off
			}
			// covered() guarantees f.off <= pos here.
			if over := pos - f.off; over > 0 {
				f.flags |= Overlap
				c := min(f.n, over)
				if !bytes.Equal(out[f.off:f.off+c], data[:c]) {
					f.flags |= Conflict
				}
			}
			if f.off+n > pos {
				copy(out[pos:], data[pos-f.off:n])
				pos = f.off + n
			}
		}
		flags |= f.flags
		d.pieces = append(d.pieces, Piece{Frame: f.frame, Offset: f.off, Len: f.n, Flags: f.flags})
	}
	d.st.Reassembled++
	d.st.Used += uint64(len(g.frags))
	if flags&Overlap != 0 {
		d.st.Overlaps++
	}
	if flags&Conflict != 0 {
		d.st.Conflicts++
	}
	start := g.start
	d.release(g)
	return Result{Status: Complete, Data: out, Pieces: d.pieces, Flags: flags, Start: start}
}

// Expire drops the datagrams whose first fragment is older than the
// timeout at time now (ns, packet time) and returns how many. Add calls it
// too, so calling it is needed only to free memory when no fragments come.
// Datagrams are expired in the order they started; if capture times go
// backwards, one may wait for an older-started one that has not expired.
func (d *Defragmenter) Expire(now int64) int {
	n := 0
	for d.oldest != nil && d.expired(d.oldest, now) {
		d.timeOut(d.oldest)
		n++
	}
	return n
}

func (d *Defragmenter) expired(g *datagram, now int64) bool {
	return d.timeout > 0 && now-g.start > d.timeout
}

func (d *Defragmenter) timeOut(g *datagram) {
	d.st.TimedOut++
	d.st.TimedOutFragments += uint64(len(g.frags))
	d.release(g)
}

// evict drops a datagram to make room for others.
func (d *Defragmenter) evict(g *datagram) {
	d.st.Evicted++
	d.st.Dropped += uint64(len(g.frags))
	d.release(g)
}

// discard drops a datagram that broke a per-datagram bound.
func (d *Defragmenter) discard(g *datagram) {
	d.st.Discarded++
	d.st.Dropped += uint64(len(g.frags))
	d.release(g)
}

// start begins a datagram, reusing a released one when it can.
func (d *Defragmenter) start(k Key, t int64) *datagram {
	var g *datagram
	if n := len(d.pool); n > 0 {
		g = d.pool[n-1]
		d.pool = d.pool[:n-1]
	} else {
		g = &datagram{}
	}
	g.key, g.start, g.end = k, t, -1
	g.prev, g.next = d.newest, nil
	if d.newest != nil {
		d.newest.next = g
	} else {
		d.oldest = g
	}
	d.newest = g
	d.table[k] = g
	d.st.InProgress++
	return g
}

// release forgets a datagram and keeps its buffers for reuse.
func (d *Defragmenter) release(g *datagram) {
	delete(d.table, g.key)
	if g.prev != nil {
		g.prev.next = g.next
	} else {
		d.oldest = g.next
	}
	if g.next != nil {
		g.next.prev = g.prev
	} else {
		d.newest = g.prev
	}
	d.st.InProgress--
	d.st.Held -= len(g.frags)
	d.st.HeldBytes -= len(g.buf)
	g.prev, g.next = nil, nil
	g.frags = g.frags[:0]
	g.buf = g.buf[:0]
	if cap(g.buf) > maxPooledBuf {
		// Large datagrams are rare: do not keep their memory around.
		g.buf = nil
	}
	if len(d.pool) < maxPool {
		d.pool = append(d.pool, g)
	}
}
