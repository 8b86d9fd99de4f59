package reassembly

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"testing"
)

// The fuzz input is 6 bytes of limits followed by 6-byte records.
//
// Limits: MaxDirBytes 16*(1+b0), MaxSegments 1+b1%32, MaxBytes 32*(1+b2),
// MaxStreams 1+b3%4, MaxClosed 1+(b3>>2)%4, History b4%64; b5 picks the
// initial sequence numbers (near 2^32 when odd, to wrap).
//
// Record: byte 0 is the connection (bits 0-1), the direction (bit 2), the
// flags (bits 3-6: SYN, FIN, RST, ACK) and, with bit 7, a Close of the
// connection instead of a segment; bytes 1-2 are the sequence number
// relative to the direction's initial one (connections 2 and 3 name their
// senders, Segment.Src, so the direction is the Reassembler's); byte 3 is
// the payload length
// (bits 0-5) and how much of it is not captured (bits 6-7); byte 4 how
// its bytes differ from the usual ones; byte 5 the acknowledgement,
// relative to the other direction's initial sequence number, times 4.
const fuzzHead, fuzzRec = 6, 6

func fuzzLimits(b []byte) Limits {
	return Limits{
		MaxDirBytes: 16 * (1 + int(b[0])),
		MaxSegments: 1 + int(b[1]%32),
		MaxBytes:    32 * (1 + int(b[2])),
		MaxStreams:  1 + int(b[3]%4),
		MaxClosed:   1 + int(b[3]>>2%4),
		History:     int(b[4] % 64),
	}
}

// isn is the initial sequence number of a direction.
func isn(b5 byte, stream int, dir Dir) uint32 {
	base := uint32(1000)
	if b5&1 != 0 {
		base = 0xffffff00
	}
	return base + uint32(stream)*0x100000 + uint32(dir)*0x1000 + uint32(b5>>1)
}

// fuzzByte is the usual byte at a sequence number of a direction.
func fuzzByte(stream int, dir Dir, seq uint32) byte {
	return byte(seq*7) ^ byte(stream*31+int(dir)*17)
}

// fuzzSrc is the sender of a direction of a connection.
func fuzzSrc(stream int, dir Dir) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 0, byte(stream), byte(dir)}), 1000+uint16(dir))
}

func fuzzSeg(conn int, dir Dir, flags Flags, rel uint16, n, cut int, alt byte, ack byte) []byte {
	b := byte(conn&3) | byte(dir&1)<<2 | byte(flags&15)<<3
	r := []byte{b, 0, 0, byte(n&63) | byte(cut&3)<<6, alt, ack}
	binary.BigEndian.PutUint16(r[1:], rel)
	return r
}

func FuzzReassembly(f *testing.F) {
	lim := []byte{255, 31, 255, 3, 63, 0}
	seed := func(head []byte, recs ...[]byte) []byte {
		s := append([]byte(nil), head...)
		for _, r := range recs {
			s = append(s, r...)
		}
		return s
	}
	// In order, reordered, overlapping with other bytes, an acknowledged
	// gap, wrap, a flood, tiny limits, closes.
	f.Add(seed(lim, fuzzSeg(0, Orig, SYN, 0, 0, 0, 0, 0), fuzzSeg(0, Orig, 0, 1, 20, 0, 0, 0), fuzzSeg(0, Orig, 0, 21, 20, 0, 0, 0)))
	f.Add(seed(lim, fuzzSeg(0, Orig, SYN, 0, 0, 0, 0, 0), fuzzSeg(0, Orig, 0, 21, 20, 0, 0, 0), fuzzSeg(0, Orig, 0, 1, 20, 0, 0, 0)))
	f.Add(seed(lim, fuzzSeg(1, Orig, 0, 10, 30, 0, 0, 0), fuzzSeg(1, Orig, 0, 20, 30, 0, 0x55, 0), fuzzSeg(1, Orig, 0, 0, 15, 0, 0xaa, 0)))
	f.Add(seed(lim, fuzzSeg(0, Orig, 0, 0, 5, 0, 0, 0), fuzzSeg(0, Orig, 0, 10, 5, 0, 0, 0), fuzzSeg(0, Resp, ACK, 0, 0, 0, 0, 5)))
	f.Add(seed([]byte{255, 31, 255, 3, 63, 1}, fuzzSeg(2, Resp, SYN, 0, 63, 0, 0, 0), fuzzSeg(2, Resp, 0, 0x100, 63, 1, 0, 0), fuzzSeg(2, Resp, 0, 64, 63, 0, 0, 0)))
	flood := seed([]byte{3, 3, 3, 1, 8, 0})
	for i := range 40 {
		flood = append(flood, fuzzSeg(i%4, Dir(i%2), Flags(i%16), uint16(i*37%300), i, i%3, byte(i), byte(i*3))...)
	}
	f.Add(flood)
	f.Add(seed(lim, fuzzSeg(0, Orig, FIN, 0, 4, 0, 0, 0), fuzzSeg(0, Orig, 0, 5, 4, 0, 0, 0), []byte{0x80, 0, 0, 0, 0, 0}, fuzzSeg(0, Orig, 0, 9, 4, 0, 0, 0)))
	f.Add([]byte{0, 0, 0, 0, 0, 0})
	// Senders named, the responder first; Close, then more of the same
	// connection, a retransmission among it.
	f.Add(seed(lim, fuzzSeg(2, Resp, 0, 0, 5, 0, 0, 0), fuzzSeg(2, Orig, 0, 0, 5, 0, 0, 0), fuzzSeg(2, Orig, 0, 9, 5, 0, 0, 0),
		[]byte{0x82, 0, 0, 0, 0, 0}, fuzzSeg(2, Orig, 0, 5, 4, 0, 0, 0), fuzzSeg(2, Resp, 0, 0, 5, 0, 0, 0), fuzzSeg(2, Resp, 0, 5, 5, 0, 0, 0)))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < fuzzHead {
			return
		}
		lim := fuzzLimits(in)
		type key struct {
			stream int
			dir    Dir
		}
		type sent struct {
			seq  uint32
			data []byte
		}
		frames := map[int]sent{}
		offered := map[key]int{}
		delivered := map[key]int{}
		next := map[key]int64{} // end offset of the last chunk
		var re *Reassembler
		re = New(lim, func(c Chunk) {
			k := key{c.Stream, c.Dir}
			delivered[k] += len(c.Data)
			if c.Gap < 0 || c.Gap > 0 && c.Cause == NoGap || c.Gap == 0 && c.Cause != NoGap {
				t.Fatalf("gap %d cause %v", c.Gap, c.Cause)
			}
			if start := c.Offset - int64(c.Gap); start != next[k] && start != 0 {
				t.Fatalf("chunk at offset %d after a gap of %d; the previous ended at %d", c.Offset, c.Gap, next[k])
			}
			next[k] = c.Offset + int64(len(c.Data))
			if len(c.Data) == 0 {
				if c.Gap == 0 {
					t.Fatalf("empty chunk without a gap")
				}
				return
			}
			s, ok := frames[c.Frame]
			if !ok {
				t.Fatalf("chunk from frame %d, which carried nothing", c.Frame)
			}
			at := int(c.Seq - s.seq)
			if at < 0 || at+len(c.Data) > len(s.data) || !bytes.Equal(c.Data, s.data[at:at+len(c.Data)]) {
				t.Fatalf("chunk at seq %d from frame %d is not what the frame carried", c.Seq, c.Frame)
			}
		})
		for frame, rec := 1, in[fuzzHead:]; len(rec) >= fuzzRec; frame, rec = frame+1, rec[fuzzRec:] {
			b := rec[0]
			stream, dir, flags := int(b&3), Dir(b>>2&1), Flags(b>>3&15)
			if b&0x80 != 0 {
				re.Close(stream)
				checkFuzz(t, re, lim)
				continue
			}
			seq := isn(in[5], stream, dir) + uint32(binary.BigEndian.Uint16(rec[1:]))
			n, cut := int(rec[3]&63), int(rec[3]>>6)
			data := make([]byte, n-min(n, cut))
			start := seq
			if flags&SYN != 0 {
				start++
			}
			for i := range data {
				data[i] = fuzzByte(stream, dir, start+uint32(i)) ^ rec[4]
			}
			frames[frame] = sent{start, bytes.Clone(data)}
			seg := Segment{Stream: stream, Dir: dir, Seq: seq, Flags: flags, Payload: data, Len: n,
				Ack: isn(in[5], stream, 1-dir) + uint32(rec[5])*4, Frame: frame, Time: int64(frame)}
			eff := dir
			if stream >= 2 {
				// Dir is ignored: the first sender, remembered across
				// Close unless forgotten, is Orig.
				seg.Src, seg.Dir = fuzzSrc(stream, dir), 1-dir
				if n0, ok := re.Origin(stream); ok && n0 != fuzzSrc(stream, dir) {
					eff = Resp
				} else {
					eff = Orig
				}
			}
			offered[key{stream, eff}] += n
			re.Segment(seg)
			// The Reassembler must not keep the caller's buffer.
			for i := range data {
				data[i] ^= 0xff
			}
			checkFuzz(t, re, lim)
		}
		re.CloseAll()
		checkFuzz(t, re, lim)
		if s := re.Stats(); s.Buffered != 0 || s.Streams != 0 || s.HeldSegments != 0 {
			t.Fatalf("after CloseAll: %+v", s)
		}
		for k, n := range delivered {
			if n > offered[k] {
				t.Fatalf("%v: delivered %d bytes, offered %d", k, n, offered[k])
			}
		}
	})
}

// checkFuzz checks the bounds and the counters.
func checkFuzz(t *testing.T, re *Reassembler, lim Limits) {
	t.Helper()
	s := re.Stats()
	if s.Buffered > lim.MaxBytes || s.PeakBuffered > lim.MaxBytes || s.Streams > lim.MaxStreams || s.Remembered > lim.MaxClosed || s.Remembered != len(re.closed) {
		t.Fatalf("over the limits %+v: %+v", lim, s)
	}
	buffered, held := 0, 0
	for _, st := range re.streams {
		for i := range st.half {
			h := &st.half[i]
			if len(h.buf) > lim.MaxDirBytes || len(h.pend) > lim.MaxSegments {
				t.Fatalf("a direction holds %d bytes in %d segments, limits %d and %d", len(h.buf), len(h.pend), lim.MaxDirBytes, lim.MaxSegments)
			}
			buffered += len(h.buf)
			held += len(h.pend)
			for j := range h.pend {
				if p := h.pend[j]; p.off <= h.off || j > 0 && p.off < h.pend[j-1].off {
					t.Fatalf("held segment at %d, next byte at %d, order %+v", p.off, h.off, h.pend)
				}
			}
		}
		if st.holding != (len(st.half[0].pend)+len(st.half[1].pend) > 0) {
			t.Fatalf("holders list out of date")
		}
	}
	if buffered != s.Buffered || held != s.HeldSegments || len(re.streams) != s.Streams {
		t.Fatalf("held %d bytes, %d segments, %d streams; stats say %+v", buffered, held, len(re.streams), s)
	}
	checkStats(t, s)
}
