package scripting

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/gopacket/gopacket/layers"
)

// The per-frame part of a capture index, packed.
//
// Each frame is a few varints appended to one byte slice, most of them
// differences from the frame before: where its bytes start (after the
// previous frame's bytes: the record header, usually), its captured and
// wire lengths, its time, and its TCP and UDP stream indexes (packets of
// a conversation come in bursts, so the difference is mostly 0). A
// typical frame takes 8 to 10 bytes. Every markEvery frames a mark keeps
// the decoder's state, so frame n is found by decoding at most
// markEvery-1 frames from the mark before it.

// markEvery is how many frames share a mark.
const markEvery = 64

// frameRec is one frame as the index gives it back.
type frameRec struct {
	off    int64 // the frame's bytes: offset in the file, or in the blob
	time   int64
	rel    int64 // frame.time_relative as the decoder gives it
	delta  int64 // frame.time_delta
	wire   int
	caplen int
	meta   frameMeta
	tcp    int32 // tcp.stream of the first TCP header, -1 without one
	udp    int32 // udp.stream, -1 without one
	dir    int   // which way the TCP segment goes (see tcpDirection)
	// from is the frame (from 0) from which the decoder must run again to
	// give this frame as in the capture: the frame itself, except for
	// frames that depend on others (IP fragments, TCP segments of
	// messages that span segments).
	from int
	// all is set when every frame from `from` on must be decoded again,
	// not only those of the frame's TCP stream.
	all bool
}

// frameMeta is what few frames differ in: the link type, pcapng
// interface and time precision. The index keeps each distinct one once.
type frameMeta struct {
	link   layers.LinkType
	iface  int
	nano   bool
	noTime bool
}

// Bits of a frame's first varint; the meta's number follows them.
const (
	hasTCP = 1 << iota
	hasUDP
	tcpDir1
	replay    // `from` differs from the frame itself
	replayAll // with all frames
	headBits  = iota
)

// codecState is what a frame's encoding is relative to: the state after
// the frame before.
type codecState struct {
	end       int64 // end of the previous frame's bytes
	lastTime  int64 // time of the last frame with a time
	lastDelta int64 // its frame.time_delta
	timed     bool  // a frame with a time has been seen
	tcp, udp  int32 // streams of the last frames with one
}

// mark is the state before frame k*markEvery, and where its encoding
// starts.
type mark struct {
	pos int64
	codecState
}

// frameCodec is the packed per-frame index.
type frameCodec struct {
	buf   []byte
	marks []mark
	metas []frameMeta
	n     int // frames
	first int64
	st    codecState // after the last frame appended
	// metaNum finds a meta's number while the index is built.
	metaNum map[frameMeta]int
}

func (c *frameCodec) init() { c.st = codecState{tcp: -1, udp: -1} }

// add appends frame i (which must be c.n).
func (c *frameCodec) add(r *frameRec) {
	i := c.n
	if i%markEvery == 0 {
		c.marks = append(c.marks, mark{pos: int64(len(c.buf)), codecState: c.st})
	}
	m, ok := c.metaNum[r.meta]
	if !ok {
		if c.metaNum == nil {
			c.metaNum = map[frameMeta]int{}
		}
		m = len(c.metas)
		c.metas = append(c.metas, r.meta)
		c.metaNum[r.meta] = m
	}
	head := uint64(m) << headBits
	if r.tcp >= 0 {
		head |= hasTCP
		if r.dir == 1 {
			head |= tcpDir1
		}
	}
	if r.udp >= 0 {
		head |= hasUDP
	}
	if r.from != i {
		head |= replay
		if r.all {
			head |= replayAll
		}
	}
	b := binary.AppendUvarint(c.buf, head)
	b = binary.AppendVarint(b, r.off-c.st.end)
	b = binary.AppendUvarint(b, uint64(r.caplen))
	b = binary.AppendUvarint(b, uint64(r.wire-r.caplen))
	if !r.meta.noTime {
		b = binary.AppendVarint(b, r.time-c.st.lastTime)
	}
	if r.tcp >= 0 {
		b = binary.AppendVarint(b, int64(r.tcp)-int64(c.st.tcp))
	}
	if r.udp >= 0 {
		b = binary.AppendVarint(b, int64(r.udp)-int64(c.st.udp))
	}
	if r.from != i {
		b = binary.AppendUvarint(b, uint64(i-r.from))
	}
	c.buf = b
	if i == 0 || !c.st.timed && !r.meta.noTime {
		c.first = r.time
	}
	c.st.advance(r, c.first)
	c.n++
}

// advance moves the state past frame r, filling in its relative times
// (first is the time of the first frame with a time).
func (st *codecState) advance(r *frameRec, first int64) {
	st.end = r.off + int64(r.caplen)
	if !r.meta.noTime {
		if st.timed {
			st.lastDelta = r.time - st.lastTime
		}
		st.lastTime, st.timed = r.time, true
	}
	if st.timed {
		r.rel, r.delta = st.lastTime-first, st.lastDelta
	}
	if r.tcp >= 0 {
		st.tcp = r.tcp
	}
	if r.udp >= 0 {
		st.udp = r.udp
	}
}

// done releases what only building needed.
func (c *frameCodec) done() {
	c.metaNum = nil
	c.buf = append([]byte(nil), c.buf...)
	c.marks = append([]mark(nil), c.marks...)
}

// size is the index's memory in bytes.
func (c *frameCodec) size() int {
	return len(c.buf) + len(c.marks)*int(unsafe.Sizeof(mark{})) + len(c.metas)*int(unsafe.Sizeof(frameMeta{}))
}

// cursor reads frames in order from any frame on.
type cursor struct {
	c   *frameCodec
	i   int // the next frame
	pos int
	st  codecState
}

// seek places the cursor before frame i (past the last frame when
// there is no frame i).
func (c *frameCodec) seek(i int) *cursor {
	if i >= c.n || i < 0 {
		return &cursor{c: c, i: c.n, pos: len(c.buf), st: c.st}
	}
	m := &c.marks[i/markEvery]
	cur := &cursor{c: c, i: i / markEvery * markEvery, pos: int(m.pos), st: m.codecState}
	var r frameRec
	for cur.i < i {
		if cur.next(&r) != nil {
			break
		}
	}
	return cur
}

// next decodes the next frame into r.
func (cur *cursor) next(r *frameRec) error {
	c := cur.c
	if cur.i >= c.n {
		return fmt.Errorf("frame %d: past the last frame", cur.i+1)
	}
	b := c.buf[cur.pos:]
	k := 0
	uv := func() uint64 {
		v, n := binary.Uvarint(b[k:])
		k += n
		return v
	}
	sv := func() int64 {
		v, n := binary.Varint(b[k:])
		k += n
		return v
	}
	head := uv()
	m := int(head >> headBits)
	if m >= len(c.metas) {
		return fmt.Errorf("frame %d: damaged index", cur.i+1)
	}
	*r = frameRec{meta: c.metas[m], tcp: -1, udp: -1, from: cur.i}
	r.off = cur.st.end + sv()
	r.caplen = int(uv())
	r.wire = r.caplen + int(uv())
	if !r.meta.noTime {
		r.time = cur.st.lastTime + sv()
	}
	if head&hasTCP != 0 {
		r.tcp = int32(int64(cur.st.tcp) + sv())
		if head&tcpDir1 != 0 {
			r.dir = 1
		}
	}
	if head&hasUDP != 0 {
		r.udp = int32(int64(cur.st.udp) + sv())
	}
	if head&replay != 0 {
		r.from = cur.i - int(uv())
		r.all = head&replayAll != 0
	}
	cur.st.advance(r, c.first)
	cur.pos += k
	cur.i++
	return nil
}
