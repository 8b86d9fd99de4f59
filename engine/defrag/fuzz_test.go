package defrag

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
)

// The fuzz input is 5 bytes of limits followed by 5-byte fragments.
//
// Limits: MaxDatagrams 1+b0%8, MaxFragments 1+b1%16, MaxBytes 64*(1+b2),
// MaxDatagram 16*(1+b3), Timeout b4 seconds (0: none).
//
// Fragment: byte 0 picks the datagram (bits 0-1 the id, bit 2 IPv6), the
// more-fragments flag (bit 3) and how its bytes differ from the
// datagram's usual ones (bits 4-5); bytes 1-2 are the offset, byte 3 the
// length, byte 4 the time since the previous fragment in tenths of a
// second.
const fuzzHead, fuzzRec = 5, 5

func fuzzLimits(b []byte) Limits {
	l := Limits{
		MaxDatagrams: 1 + int(b[0]%8),
		MaxFragments: 1 + int(b[1]%16),
		MaxBytes:     64 * (1 + int(b[2])),
		MaxDatagram:  16 * (1 + int(b[3])),
		Timeout:      time.Duration(b[4]) * time.Second,
	}
	if b[4] == 0 {
		l.Timeout = -1
	}
	return l
}

// fuzzFrag encodes one fragment record.
func fuzzFrag(id int, v6, more bool, alt, off, n, dt int) []byte {
	b := byte(id&3) | byte(alt&3)<<4
	if v6 {
		b |= 4
	}
	if more {
		b |= 8
	}
	r := []byte{b, 0, 0, byte(n), byte(dt)}
	binary.BigEndian.PutUint16(r[1:], uint16(off))
	return r
}

func FuzzDefrag(f *testing.F) {
	lim := []byte{7, 15, 255, 255, 30}
	seed := func(recs ...[]byte) []byte {
		s := append([]byte(nil), lim...)
		for _, r := range recs {
			s = append(s, r...)
		}
		return s
	}
	// In order, reversed, overlapping with other bytes, too long, a
	// flood of one datagram, interleaved datagrams, a slow one.
	f.Add(seed(fuzzFrag(0, false, true, 0, 0, 16, 0), fuzzFrag(0, false, false, 0, 16, 5, 1)))
	f.Add(seed(fuzzFrag(1, true, false, 0, 16, 5, 0), fuzzFrag(1, true, true, 0, 0, 16, 0)))
	f.Add(seed(fuzzFrag(0, false, true, 0, 0, 16, 0), fuzzFrag(0, false, true, 1, 8, 16, 0), fuzzFrag(0, false, false, 0, 24, 8, 0)))
	f.Add(seed(fuzzFrag(0, false, true, 0, 0, 16, 0), fuzzFrag(0, false, false, 0, 48, 40, 0), fuzzFrag(0, false, true, 2, 0, 120, 0)))
	flood := seed()
	for i := range 40 {
		flood = append(flood, fuzzFrag(i%4, i%3 == 0, true, i%4, i*8, 200, 3)...)
	}
	f.Add(flood)
	f.Add(seed(fuzzFrag(0, false, true, 0, 0, 8, 0), fuzzFrag(1, false, true, 0, 0, 8, 0), fuzzFrag(1, false, false, 0, 8, 3, 0), fuzzFrag(0, false, false, 0, 8, 5, 0)))
	f.Add(seed(fuzzFrag(2, false, true, 0, 0, 8, 0), fuzzFrag(2, false, false, 0, 16, 8, 200), fuzzFrag(2, false, true, 0, 8, 8, 200)))
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) < fuzzHead {
			return
		}
		lim := fuzzLimits(in)
		d := New(lim)
		kept := map[int][]byte{} // frame: payload
		keys := map[int]Key{}
		var now int64
		for frame, rec := 1, in[fuzzHead:]; len(rec) >= fuzzRec; frame, rec = frame+1, rec[fuzzRec:] {
			b := rec[0]
			id, alt := uint16(b&3), byte(b>>4&3)*0x55
			k := KeyV4([4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2}, id, 17)
			if b&4 != 0 {
				k = KeyV6([16]byte{0xfd}, [16]byte{0xfd, 1}, uint32(id))
			}
			off := int(binary.BigEndian.Uint16(rec[1:]))
			data := make([]byte, rec[3])
			for i := range data {
				data[i] = pattern(id, off+i, false) ^ alt
			}
			now += int64(rec[4]) * int64(100*time.Millisecond)
			kept[frame], keys[frame] = bytes.Clone(data), k
			r := d.Add(Fragment{Key: k, Offset: off, More: b&8 != 0, Data: data, Time: now, Frame: frame})
			// The defragmenter must not keep the caller's buffer.
			for i := range data {
				data[i] = 0xee
			}
			checkFuzz(t, d, lim, r, frame, kept, keys)
		}
	})
}

func checkFuzz(t *testing.T, d *Defragmenter, lim Limits, r Result, frame int, kept map[int][]byte, keys map[int]Key) {
	s := d.Stats()
	if s.HeldBytes > lim.MaxBytes || s.InProgress > lim.MaxDatagrams || s.PeakBytes > lim.MaxBytes {
		t.Fatalf("over the limits %+v: %+v", lim, s)
	}
	for _, g := range d.table {
		if len(g.frags) > lim.MaxFragments {
			t.Fatalf("datagram holds %d fragments, limit %d", len(g.frags), lim.MaxFragments)
		}
	}
	checkStats(t, d)
	if r.Status != Complete {
		if r.Pieces != nil || r.Status != Unfragmented && r.Data != nil {
			t.Fatalf("%v result with data", r.Status)
		}
		return
	}
	if len(r.Data) == 0 || len(r.Data) > lim.MaxDatagram {
		t.Fatalf("reassembled %d bytes, limit %d", len(r.Data), lim.MaxDatagram)
	}
	seen := map[int]bool{}
	var flags Flags
	last := -1
	covered := false
	for _, p := range r.Pieces {
		if seen[p.Frame] || keys[p.Frame] != keys[frame] || len(kept[p.Frame]) != p.Len {
			t.Fatalf("piece %+v does not belong", p)
		}
		if p.Frame == frame {
			covered = true
		}
		seen[p.Frame] = true
		if p.Offset < last {
			t.Fatalf("pieces out of order: %+v", r.Pieces)
		}
		last = p.Offset
		flags |= p.Flags
	}
	if !covered || flags != r.Flags {
		t.Fatalf("completing frame %d missing, or flags %v != %v: %+v", frame, r.Flags, flags, r.Pieces)
	}
	// Each byte comes from the first piece, in order, that covers it.
	for p := range r.Data {
		found := false
		for _, pc := range r.Pieces {
			if pc.Offset <= p && p < pc.Offset+pc.Len {
				if r.Data[p] != kept[pc.Frame][p-pc.Offset] {
					t.Fatalf("byte %d is %#x, frame %d has %#x", p, r.Data[p], pc.Frame, kept[pc.Frame][p-pc.Offset])
				}
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("byte %d covered by no piece: %+v", p, r.Pieces)
		}
	}
}
