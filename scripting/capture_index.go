package scripting

import (
	"container/list"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// The index of an open capture (capture.open, `wirelark repl CAPTURE`).
//
// Opening reads the file once with the decoder's fast path, which is
// what gives every packet its capture-wide context: tcp.stream and
// udp.stream, relative sequence numbers, window scaling, and the
// datagrams completed by IP reassembly. The index keeps, per frame, where
// its bytes are and that context; cap[n] then reads the frame's bytes
// again and decodes it alone, restoring the context, so the packet is
// the one `wirelark show` prints, without holding decoded packets for the
// whole file. The few frames that carry IP fragments, and those whose
// application messages span TCP segments, are kept decoded (how they
// decode depends on the other frames).

// frameRec is what the index keeps of one frame.
type frameRec struct {
	off    int64 // the frame's bytes: offset in the file, or in blob
	time   int64
	wire   uint32
	caplen uint32
	link   uint16
	iface  uint16
	flags  uint8
	ctx    int32 // index in captureIndex.ctxs, -1 without TCP/UDP context
}

const (
	recNano   = 1 << iota // timestamps finer than microseconds
	recNoTime             // the record has no timestamp
)

// frameCtx is the capture-wide analysis of one packet's TCP and UDP
// headers.
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

// cacheLen bounds the decoded packets cap[n] keeps for reuse.
const cacheLen = 1024

// captureIndex is an indexed capture file.
type captureIndex struct {
	path   string
	format string
	file   *os.File // for ReadAt; nil when the frames are in blob
	blob   []byte   // frame bytes of a compressed file, which cannot be read at an offset
	recs   []frameRec
	ctxs   []frameCtx
	reasm  map[int]*packet.Packet // frames carrying IP fragments, decoded
	first  int64                  // time of the first frame with a time
	links  []layers.LinkType      // link types, in order of first use
	bytes  int64                  // captured bytes
	damage error                  // the file's damage after the last good frame, if any

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
	ix := &captureIndex{path: path, format: r.Format(), reasm: map[int]*packet.Packet{}, cache: list.New(), byNum: map[int]*list.Element{}}
	inMemory := path == "-" || strings.HasSuffix(ix.format, "+gzip")
	if !inMemory {
		if ix.file, err = os.Open(path); err != nil {
			return nil, err
		}
	}
	ng := strings.HasPrefix(ix.format, "pcapng")
	dec := packet.NewDecoder()
	var f source.Frame
	cur := &packet.Packet{}
	timed := false
	for {
		if len(ix.recs)&0x3ff == 0 && cancelled != nil && cancelled() {
			ix.close()
			return nil, ErrInterrupted
		}
		if err := r.Next(&f); err != nil {
			if err != io.EOF {
				ix.damage = err
			}
			break
		}
		if len(ix.recs) >= 1<<31-1 {
			ix.damage = fmt.Errorf("%s: more than %d frames: the rest is not indexed", path, 1<<31-1)
			break
		}
		// Decoded into a packet of its own, which is kept as it is when
		// the frame carries a fragment.
		p := cur
		dec.DecodeInto(&f, p)
		rec := frameRec{time: f.Time, wire: uint32(f.Len), caplen: uint32(len(f.Data)), link: uint16(f.LinkType), iface: uint16(f.Iface), ctx: -1}
		if f.Nano {
			rec.flags |= recNano
		}
		if f.NoTime {
			rec.flags |= recNoTime
		} else if !timed {
			ix.first, timed = f.Time, true
		}
		switch {
		case inMemory:
			rec.off = int64(len(ix.blob))
			ix.blob = append(ix.blob, f.Data...)
		case !ng:
			rec.off = f.Offset + pcapRecHdr
		case f.NoTime:
			rec.off = f.Offset + pcapngSPBHdr
		default:
			rec.off = f.Offset + pcapngEPBHdr
		}
		if p.TCP.Valid || p.UDP.Valid {
			rec.ctx = int32(len(ix.ctxs))
			ix.ctxs = append(ix.ctxs, frameCtx{p.TCP, p.UDP})
		}
		if p.Reasm.Valid || isFragment(p) || p.Desegmented() {
			p.Complete()
			ix.reasm[len(ix.recs)] = p
			cur = &packet.Packet{}
		}
		if !containsLink(ix.links, f.LinkType) {
			ix.links = append(ix.links, f.LinkType)
		}
		ix.bytes += int64(len(f.Data))
		ix.recs = append(ix.recs, rec)
	}
	return ix, nil
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
func (ix *captureIndex) len() int { return len(ix.recs) }

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
	ix.byNum[i] = ix.cache.PushFront(&cached{i, p})
	if ix.cache.Len() > cacheLen {
		last := ix.cache.Back()
		ix.cache.Remove(last)
		delete(ix.byNum, last.Value.(*cached).i)
	}
	return p, nil
}

// decode reads frame i and decodes it alone.
func (ix *captureIndex) decode(i int) (*packet.Packet, error) {
	if p := ix.reasm[i]; p != nil {
		return p, nil
	}
	rec := &ix.recs[i]
	buf := make([]byte, rec.caplen)
	if ix.file == nil {
		copy(buf, ix.blob[rec.off:rec.off+int64(rec.caplen)])
	} else if _, err := ix.file.ReadAt(buf, rec.off); err != nil {
		return nil, fmt.Errorf("%s: reading frame %d at byte %d: %v (has the file changed since it was opened?)", ix.path, i+1, rec.off, err)
	}
	p := packet.Decode(buf, layers.LinkType(rec.link))
	p.Num = i + 1
	p.Time = rec.time
	p.Len = int(rec.wire)
	p.Iface = int(rec.iface)
	p.Nano = rec.flags&recNano != 0
	p.NoTime = rec.flags&recNoTime != 0
	// A frame without a time shows the times of the frame before it, as
	// the decoder leaves them.
	if j := ix.timedAtOrBefore(i); j >= 0 {
		p.Rel = ix.recs[j].time - ix.first
		p.Delta = ix.recs[j].time - ix.prevTime(j)
	}
	if rec.ctx >= 0 {
		c := &ix.ctxs[rec.ctx]
		p.TCP, p.UDP = c.tcp, c.udp
	}
	return p, nil
}

// prevTime is the time of the last frame with a time before frame i, or
// frame i's own when there is none (a delta of 0, as for the first).
func (ix *captureIndex) prevTime(i int) int64 {
	for j := i - 1; j >= 0; j-- {
		if ix.recs[j].flags&recNoTime == 0 {
			return ix.recs[j].time
		}
	}
	return ix.recs[i].time
}

// timedAtOrBefore is the last frame with a time at or before frame i,
// -1 if none.
func (ix *captureIndex) timedAtOrBefore(i int) int {
	for ; i >= 0; i-- {
		if ix.recs[i].flags&recNoTime == 0 {
			return i
		}
	}
	return -1
}

// span returns the times of the first and last frames with a time.
func (ix *captureIndex) span() (first, last int64, ok bool) {
	for i := len(ix.recs) - 1; i >= 0; i-- {
		if ix.recs[i].flags&recNoTime == 0 {
			return ix.first, ix.recs[i].time, true
		}
	}
	return 0, 0, false
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
	for n := 0; n < len(ix.recs); n++ {
		if n&0x3ff == 0 && cancelled != nil && cancelled() {
			return ErrInterrupted
		}
		if err := r.Next(&f); err != nil {
			if err == io.EOF {
				err = fmt.Errorf("%s: the file ended after %d of its %d frames (has it changed since it was opened?)", ix.path, n, len(ix.recs))
			}
			return err
		}
		if err := fn(dec.Decode(&f)); err != nil {
			return err
		}
	}
	return nil
}

// reopen returns a reader of the file from its start.
func (ix *captureIndex) reopen() (source.Reader, error) {
	if ix.path == "-" {
		return nil, fmt.Errorf("a capture read from standard input cannot be read again")
	}
	return source.Open(ix.path)
}

// frames is a FrameSource over the indexed frames, for cap.run.
type frames struct {
	r  source.Reader
	n  int
	ix *captureIndex
}

func (fs *frames) Next(f *source.Frame) error {
	if fs.n >= len(fs.ix.recs) {
		return io.EOF
	}
	if err := fs.r.Next(f); err != nil {
		return err
	}
	fs.n++
	return nil
}
