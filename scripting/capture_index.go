package scripting

import (
	"container/list"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unsafe"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// The index of an open capture (capture.open, capture.live, `wirelark
// repl CAPTURE`).
//
// Opening reads the file once with the decoder's fast path, which is
// what gives every packet its capture-wide context: tcp.stream and
// udp.stream, relative sequence numbers, window scaling, the datagrams
// completed by IP reassembly and the messages completed by TCP
// desegmentation. The index keeps, in about 10 bytes a frame, where each
// frame's bytes are, its lengths and time and its stream indexes, packed
// as differences from the frame before (capture_index_codec.go), and per
// TCP conversation the few changes of its sequence bases and window
// scaling (capture_index_tcp.go). cap[n] reads the frame's bytes again and
// decodes it with a fresh decoder, then restores the context, so the
// packet is the one `wirelark show` prints.
//
// A frame whose decoding depends on other frames (an IP fragment, a TCP
// segment of a message that spans segments) is decoded again with the
// frames it depends on: from the last frame of its TCP direction at
// which no message was pending (only that conversation's frames), or
// from the first fragment of its datagram (every frame). Such a replay
// is bounded (maxReplay, maxReplayAll); a frame past the bounds is kept
// decoded, which costs its bytes, layers and decoded structures (several
// KB a frame; no frame of the shared captures comes near the bounds).

// frameCtx is the capture-wide analysis of one packet's TCP and UDP
// headers, kept whole for the frames the index cannot recompute it for.
type frameCtx struct {
	tcp packet.TCPInfo
	udp packet.UDPInfo
}

// Record header sizes before a frame's bytes: a pcap record header, and
// pcapng's enhanced (or obsolete) packet block and simple packet block.
const (
	pcapRecHdr   = 16
	pcapngEPBHdr = 28
	pcapngSPBHdr = 12
)

// Bounds of decoding frames again for a frame that depends on others:
// frames of its TCP conversation, and frames in all when they are
// fragments. (Variables for the tests.)
var (
	maxReplay     = int32(4096)
	maxReplaySpan = 1 << 20
	maxReplayAll  = 4096
)

// cacheLen bounds the decoded packets cap[n] keeps for reuse.
const cacheLen = 1024

// captureIndex is an indexed capture file.
type captureIndex struct {
	path   string
	format string
	file   *os.File // for ReadAt; nil when the frames are in blob
	blob   []byte   // frame bytes of a compressed file or a live capture
	live   bool     // the frames exist only in blob
	frames frameCodec
	tcp    tcpContext
	exact  map[int32]frameCtx       // frames whose context recomputing would miss
	kept   map[int32]*packet.Packet // frames kept decoded
	links  []layers.LinkType        // link types, in order of first use
	bytes  int64                    // captured bytes
	last   int64                    // time of the last frame with a time
	damage error                    // the file's damage after the last good frame, if any
	// replays counts frames that depend on others (decoded again with
	// them on access).
	replays int

	cache *list.List // of *cached, most recent first
	byNum map[int]*list.Element
}

type cached struct {
	i int
	p *packet.Packet
}

// openIndex reads a capture file and indexes it. cancelled is polled
// while reading, so that a long indexing can be interrupted.
func openIndex(path string, cancelled func() bool) (*captureIndex, error) {
	r, err := source.Open(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	ix := newIndex(path, r.Format())
	ng := strings.HasPrefix(ix.format, "pcapng")
	inMemory := path == "-" || strings.HasSuffix(ix.format, "+gzip")
	if !inMemory {
		if ix.file, err = os.Open(path); err != nil {
			return nil, err
		}
	}
	b := ix.builder()
	var f source.Frame
	for {
		if b.n&0x3ff == 0 && cancelled != nil && cancelled() {
			ix.close()
			return nil, ErrInterrupted
		}
		if err := r.Next(&f); err != nil {
			if err != io.EOF {
				ix.damage = err
			}
			break
		}
		if b.n >= 1<<31-1 {
			ix.damage = fmt.Errorf("%s: more than %d frames: the rest is not indexed", path, 1<<31-1)
			break
		}
		var off int64
		switch {
		case inMemory:
			off = int64(len(ix.blob))
			ix.blob = append(ix.blob, f.Data...)
		case !ng:
			off = f.Offset + pcapRecHdr
		case f.NoTime:
			off = f.Offset + pcapngSPBHdr
		default:
			off = f.Offset + pcapngEPBHdr
		}
		b.add(&f, off)
	}
	b.done()
	return ix, nil
}

func newIndex(path, format string) *captureIndex {
	ix := &captureIndex{path: path, format: format, exact: map[int32]frameCtx{}, kept: map[int32]*packet.Packet{},
		cache: list.New(), byNum: map[int]*list.Element{}}
	ix.frames.init()
	return ix
}

// builder adds frames to an index in capture order.
type builder struct {
	ix  *captureIndex
	dec *packet.Decoder
	cur *packet.Packet // decoded into, and kept as it is when the frame is kept
	n   int
	// Per TCP stream: its first frame, its frames so far, and per
	// direction the last frame at which no message was pending and the
	// stream's count of frames then.
	first, count      []int32
	resync, resyncCnt [][2]int32
}

func (ix *captureIndex) builder() *builder {
	return &builder{ix: ix, dec: packet.NewDecoder(), cur: &packet.Packet{}}
}

// add indexes the next frame, whose bytes are at off.
func (b *builder) add(f *source.Frame, off int64) {
	ix, i := b.ix, int32(b.n)
	p := b.cur
	b.dec.DecodeInto(f, p)
	rec := frameRec{off: off, time: f.Time, wire: f.Len, caplen: len(f.Data), tcp: -1, udp: -1, from: b.n,
		meta: frameMeta{link: f.LinkType, iface: f.Iface, nano: f.Nano, noTime: f.NoTime}}
	exact := true
	if p.TCP.Valid {
		rec.tcp = int32(p.TCP.Stream)
		_, rec.dir, _ = tcpHeader(p)
		exact = ix.tcp.observe(p, i)
	}
	if p.UDP.Valid {
		rec.udp = int32(p.UDP.Stream)
	}
	if !exact {
		ix.exact[i] = frameCtx{p.TCP, p.UDP}
	}
	b.dependencies(p, &rec)
	if !f.NoTime {
		ix.last = f.Time
	}
	if !containsLink(ix.links, f.LinkType) {
		ix.links = append(ix.links, f.LinkType)
	}
	ix.bytes += int64(len(f.Data))
	ix.frames.add(&rec)
	b.n++
}

// dependencies finds the frames that frame rec.from decodes with, or
// keeps it decoded when there are too many.
func (b *builder) dependencies(p *packet.Packet, rec *frameRec) {
	i := int32(b.n)
	frag := p.Reasm.Valid || isFragment(p)
	deseg := p.Desegmented()
	n := int32(0) // frames of the conversation to decode again
	if p.TCP.Valid {
		s := rec.tcp
		for int(s) >= len(b.first) {
			b.first = append(b.first, i)
			b.count = append(b.count, 0)
			b.resync = append(b.resync, [2]int32{-1, -1})
			b.resyncCnt = append(b.resyncCnt, [2]int32{})
		}
		b.count[s]++
		switch j := b.resync[s][rec.dir]; {
		case !deseg:
			if !frag && p.TCP.Analysed && p.TCP.Len > 0 {
				b.resync[s][rec.dir], b.resyncCnt[s][rec.dir] = i, b.count[s]
			}
		case j >= 0:
			rec.from, n = int(j), b.count[s]-b.resyncCnt[s][rec.dir]+1
		default:
			rec.from, n = int(b.first[s]), b.count[s]
		}
	}
	if frag {
		rec.all = true
		if p.Reasm.Valid {
			for _, num := range p.Reasm.Frames {
				if num >= 1 && num-1 < rec.from {
					rec.from = num - 1
				}
			}
		}
	}
	if rec.from == b.n {
		return
	}
	span := b.n - rec.from
	if span > maxReplaySpan || n > maxReplay || rec.all && span > maxReplayAll {
		p.Complete()
		b.ix.kept[i] = p
		b.cur = &packet.Packet{}
		rec.from, rec.all = b.n, false
		return
	}
	b.ix.replays++
}

// done ends building.
func (b *builder) done() {
	b.ix.frames.done()
	b.ix.tcp.finish()
	b.dec = nil
}

// isFragment reports whether a packet carries an IP fragment: decoded
// alone it would not look as it does in the capture (the first fragment
// would show its transport header, where Wireshark waits for the
// datagram).
func isFragment(p *packet.Packet) bool {
	for i := range p.Layers {
		l := &p.Layers[i]
		if l.Quoted {
			continue
		}
		switch l.Proto {
		case packet.ProtoIPv6Frag:
			return true
		case packet.ProtoIP:
			if h := l.Header(p); len(h) >= 8 && binary.BigEndian.Uint16(h[6:8])&0x3fff != 0 {
				return true
			}
		}
	}
	return false
}

func containsLink(ls []layers.LinkType, l layers.LinkType) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

func (ix *captureIndex) close() {
	if ix.file != nil {
		ix.file.Close()
		ix.file = nil
	}
}

// len is the number of frames.
func (ix *captureIndex) len() int { return ix.frames.n }

// size is the memory the index holds, in bytes, and the part of it that
// frames kept decoded take.
func (ix *captureIndex) size() (total, kept int) {
	for _, p := range ix.kept {
		kept += int(unsafe.Sizeof(*p)) + len(p.Data) + len(p.Layers)*int(unsafe.Sizeof(packet.Layer{}))
	}
	total = ix.frames.size() + ix.tcp.size() + len(ix.exact)*int(unsafe.Sizeof(frameCtx{})+4) + kept
	return total, kept
}

// packet returns frame i (from 0), decoded with its capture-wide context.
// The packet owns its bytes and stays valid; it is shared by every value
// that asks for the same frame while it is cached.
func (ix *captureIndex) packet(i int) (*packet.Packet, error) {
	if e := ix.byNum[i]; e != nil {
		ix.cache.MoveToFront(e)
		return e.Value.(*cached).p, nil
	}
	p, err := ix.decode(i)
	if err != nil {
		return nil, err
	}
	ix.remember(i, p)
	return p, nil
}

func (ix *captureIndex) remember(i int, p *packet.Packet) {
	if e := ix.byNum[i]; e != nil {
		ix.cache.MoveToFront(e)
		return
	}
	ix.byNum[i] = ix.cache.PushFront(&cached{i, p})
	if ix.cache.Len() > cacheLen {
		last := ix.cache.Back()
		ix.cache.Remove(last)
		delete(ix.byNum, last.Value.(*cached).i)
	}
}

// decode reads frame i and decodes it, with the frames it depends on.
func (ix *captureIndex) decode(i int) (*packet.Packet, error) {
	if i < 0 || i >= ix.frames.n {
		return nil, fmt.Errorf("frame %d: the capture has %d frames", i+1, ix.frames.n)
	}
	if p := ix.kept[int32(i)]; p != nil {
		return p, nil
	}
	var rec frameRec
	if err := ix.frames.seek(i).next(&rec); err != nil {
		return nil, err
	}
	dec := packet.NewDecoder()
	var nums []int // the frames decoded, for the numbers of fragments
	if rec.from < i {
		// The frames before it that the decoder must see again; those
		// that depend on the same ones come out on the way, and are
		// cached.
		cur := ix.frames.seek(rec.from)
		var r frameRec
		var buf []byte
		for cur.i < i {
			k := cur.i
			if err := cur.next(&r); err != nil {
				return nil, err
			}
			if !rec.all && r.tcp != rec.tcp {
				continue
			}
			nums = append(nums, k)
			if r.from == rec.from && r.all == rec.all && ix.byNum[k] == nil && ix.kept[int32(k)] == nil {
				q, err := ix.decodeInto(dec, k, &r, nil, nums)
				if err != nil {
					return nil, err
				}
				ix.remember(k, q)
				continue
			}
			var err error
			if buf, err = ix.read(k, &r, buf); err != nil {
				return nil, err
			}
			dec.Decode(ix.frame(&r, buf))
		}
	}
	nums = append(nums, i)
	return ix.decodeInto(dec, i, &rec, nil, nums)
}

// decodeInto decodes frame i (described by rec) with dec into a packet of
// its own, and gives it its capture-wide context. nums are the frames dec
// has decoded, this one last.
func (ix *captureIndex) decodeInto(dec *packet.Decoder, i int, rec *frameRec, buf []byte, nums []int) (*packet.Packet, error) {
	buf, err := ix.read(i, rec, buf)
	if err != nil {
		return nil, err
	}
	p := &packet.Packet{}
	dec.DecodeInto(ix.frame(rec, buf), p)
	p.Num = i + 1
	p.Rel, p.Delta = rec.rel, rec.delta
	if p.Reasm.Valid {
		// The decoder numbered the frames it saw from 1.
		renumber(p.Reasm.Frames, nums)
		renumber(p.Reasm.Errors, nums)
	}
	if c, ok := ix.exact[int32(i)]; ok {
		p.TCP, p.UDP = c.tcp, c.udp
		return p, nil
	}
	if rec.tcp >= 0 && p.TCP.Valid {
		p.TCP = ix.tcp.recompute(p, rec.tcp, int32(i))
	}
	if rec.udp >= 0 && p.UDP.Valid {
		p.UDP.Stream = int(rec.udp)
	}
	return p, nil
}

func renumber(frames []int, nums []int) {
	for k, n := range frames {
		if n >= 1 && n <= len(nums) {
			frames[k] = nums[n-1] + 1
		}
	}
}

// read returns the bytes of frame i, in buf if it is large enough.
func (ix *captureIndex) read(i int, rec *frameRec, buf []byte) ([]byte, error) {
	buf = slices.Grow(buf[:0], rec.caplen)[:rec.caplen]
	if ix.file == nil {
		if rec.off < 0 || rec.off+int64(rec.caplen) > int64(len(ix.blob)) {
			return nil, fmt.Errorf("frame %d: damaged index", i+1)
		}
		copy(buf, ix.blob[rec.off:])
	} else if _, err := ix.file.ReadAt(buf, rec.off); err != nil {
		return nil, fmt.Errorf("%s: reading frame %d at byte %d: %v (has the file changed since it was opened?)", ix.path, i+1, rec.off, err)
	}
	return buf, nil
}

// frame is the source frame of an index record.
func (ix *captureIndex) frame(rec *frameRec, data []byte) *source.Frame {
	return &source.Frame{Time: rec.time, Len: rec.wire, Data: data, LinkType: rec.meta.link, Iface: rec.meta.iface,
		Nano: rec.meta.nano, NoTime: rec.meta.noTime}
}

// span returns the times of the first and last frames with a time.
func (ix *captureIndex) span() (first, last int64, ok bool) {
	if ix.frames.n == 0 || !ix.frames.st.timed {
		return 0, 0, false
	}
	return ix.frames.first, ix.last, true
}

// scan reads the file again from the start with a fresh decoder, which
// gives every packet the same context as the index, and calls fn for each
// packet (valid during the call only). It stops at fn's error, or with
// ErrInterrupted when cancelled reports true.
func (ix *captureIndex) scan(cancelled func() bool, fn func(p *packet.Packet) error) error {
	r, err := ix.reopen()
	if err != nil {
		return err
	}
	defer r.Close()
	dec := packet.NewDecoder()
	var f source.Frame
	for n := 0; n < ix.frames.n; n++ {
		if n&0x3ff == 0 && cancelled != nil && cancelled() {
			return ErrInterrupted
		}
		if err := r.Next(&f); err != nil {
			if err == io.EOF {
				err = fmt.Errorf("%s: the file ended after %d of its %d frames (has it changed since it was opened?)", ix.path, n, ix.frames.n)
			}
			return err
		}
		if err := fn(dec.Decode(&f)); err != nil {
			return err
		}
	}
	return nil
}

// reopen returns a reader of the frames from the first.
func (ix *captureIndex) reopen() (source.Reader, error) {
	if ix.live {
		return &memReader{ix: ix, cur: ix.frames.seek(0)}, nil
	}
	if ix.path == "-" {
		return nil, fmt.Errorf("a capture read from standard input cannot be read again")
	}
	return source.Open(ix.path)
}

// memReader reads the frames of a capture held in memory.
type memReader struct {
	ix  *captureIndex
	cur *cursor
}

func (m *memReader) Next(f *source.Frame) error {
	if m.cur.i >= m.ix.frames.n {
		return io.EOF
	}
	var r frameRec
	if err := m.cur.next(&r); err != nil {
		return err
	}
	*f = *m.ix.frame(&r, m.ix.blob[r.off:r.off+int64(r.caplen)])
	return nil
}

func (m *memReader) Format() string { return m.ix.format }
func (m *memReader) Close() error   { return nil }

// frames is a FrameSource over the indexed frames, for cap.run.
type frames struct {
	r  source.Reader
	n  int
	ix *captureIndex
}

func (fs *frames) Next(f *source.Frame) error {
	if fs.n >= fs.ix.frames.n {
		return io.EOF
	}
	if err := fs.r.Next(f); err != nil {
		return err
	}
	fs.n++
	return nil
}
