package capturetest

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/reassembly"
)

// HeaderLen is the length of the record headers Framing describes.
const HeaderLen = 4

// Framing says how a protocol cuts a TCP direction into records: each
// starts with a HeaderLen-byte header giving the length of the body that
// follows.
type Framing struct {
	// Length returns the body length a header gives.
	Length func(hdr [HeaderLen]byte) int
	// After a hole the bytes no longer start at a record boundary. With
	// Sync nil the splitter takes the first byte after the hole as a
	// header; otherwise it drops bytes until Sync, given SyncLen bytes,
	// reports that they begin a record.
	Sync    func(b []byte) bool
	SyncLen int
}

// RecordMark is the framing of Kerberos over TCP (RFC 4120 section 7.2.2):
// a 4-byte big-endian length whose top bit is reserved.
var RecordMark = Framing{
	Length: func(h [HeaderLen]byte) int { return int(binary.BigEndian.Uint32(h[:]) & 0x7fffffff) },
}

// NBSS is the framing of SMB over TCP port 139 or 445: a NetBIOS session
// header, a type byte then a 24-bit length (RFC 1002 section 4.3.1, with
// the length's extension that MS-SMB2 section 2.1 direct TCP uses). After
// a hole it looks for a session message (type 0) carrying an SMB1, SMB2,
// transform or compression header: the byte 0xff, 0xfe, 0xfd or 0xfc then
// "SMB".
var NBSS = Framing{
	Length:  func(h [HeaderLen]byte) int { return int(h[1])<<16 | int(h[2])<<8 | int(h[3]) },
	Sync:    func(b []byte) bool { return b[0] == 0 && string(b[5:8]) == "SMB" },
	SyncLen: HeaderLen + 4,
}

// Record is one record of a TCP direction.
type Record struct {
	Stream int            // tcp.stream
	Dir    reassembly.Dir // Orig: sent by the connection's first sender
	Src    netip.AddrPort // the direction's sender
	Frame  int            // the frame that completed the record
	Header [HeaderLen]byte
	Body   []byte // a copy, the caller's to keep
}

// Splitter cuts one direction's bytes into records.
type Splitter struct {
	fr   Framing
	buf  []byte
	lost bool // after a hole, with Sync: looking for a record's start
}

// NewSplitter returns a Splitter for one direction.
func NewSplitter(fr Framing) *Splitter { return &Splitter{fr: fr} }

// Feed adds a chunk of the direction and returns the records it
// completed. The part of a record before a hole is dropped with the
// hole. It keeps at most what the chunks gave, however long a header says
// its body is.
func (s *Splitter) Feed(c Chunk) []Record {
	if c.Gap > 0 {
		s.buf = s.buf[:0]
		s.lost = s.fr.Sync != nil
	}
	s.buf = append(s.buf, c.Data...)
	var out []Record
	b := s.buf
	for len(b) >= HeaderLen {
		if s.lost {
			if len(b) < s.fr.SyncLen {
				break
			}
			if !s.fr.Sync(b[:s.fr.SyncLen]) {
				b = b[1:]
				continue
			}
			s.lost = false
		}
		hdr := [HeaderLen]byte(b)
		n := s.fr.Length(hdr)
		if n < 0 || len(b)-HeaderLen < n {
			break
		}
		out = append(out, Record{
			Stream: c.Stream, Dir: c.Dir, Src: c.Src, Frame: c.Frame,
			Header: hdr, Body: append([]byte(nil), b[HeaderLen:HeaderLen+n]...),
		})
		b = b[HeaderLen+n:]
	}
	// Keep the incomplete rest at the front of the buffer.
	s.buf = s.buf[:copy(s.buf, b)]
	return out
}

// NewRecords returns Streams that split each TCP direction with framing
// and hand fn every complete record, in the order they complete.
func NewRecords(fr Framing, fn func(Record)) *Streams {
	split := map[[2]int]*Splitter{}
	return NewStreams(func(c Chunk) {
		k := [2]int{c.Stream, int(c.Dir)}
		sp := split[k]
		if sp == nil {
			sp = NewSplitter(fr)
			split[k] = sp
		}
		for _, r := range sp.Feed(c) {
			fn(r)
		}
	})
}

// TCPRecords reads a capture, reassembles every TCP connection and splits
// each direction with framing. It returns the records in the order they
// completed; errors are handled as by Frames.
func TCPRecords(tb testing.TB, file string, fr Framing) []Record {
	tb.Helper()
	var out []Record
	s := NewRecords(fr, func(r Record) { out = append(out, r) })
	Packets(tb, file, func(p *packet.Packet) { s.Add(p) })
	s.Close()
	return out
}
