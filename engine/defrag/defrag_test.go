package defrag

import (
	"bytes"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/internal/pcaptest"
)

// step is one fragment of a test case. Its frame number is its index in
// the case plus one.
type step struct {
	off, n int
	more   bool
	alt    bool   // bytes differ from the datagram's usual ones
	id     uint16 // datagram id; 0 means 1
	v6     bool
	at     time.Duration // capture time, from the case's start
}

// pattern is the byte at payload offset p of datagram id: fragments that
// overlap carry equal bytes unless one is alt.
func pattern(id uint16, p int, alt bool) byte {
	b := byte(p*7 + int(id)*31 + 1)
	if alt {
		b ^= 0xa5
	}
	return b
}

func (s step) id1() uint16 {
	if s.id == 0 {
		return 1
	}
	return s.id
}

func (s step) payload() []byte {
	b := make([]byte, s.n)
	for i := range b {
		b[i] = pattern(s.id1(), s.off+i, s.alt)
	}
	return b
}

// done describes a datagram a case expects to complete.
type done struct {
	at      int   // the step (1-based) that completes it
	len     int   // reassembled length
	pieces  []int // steps in Wireshark's order
	illegal []int // those shown as ip.fragment.error
	flags   Flags
	from    string // optional: for each 8-byte block, the step whose bytes it holds
}

type tcase struct {
	name   string
	lim    Limits
	steps  []step
	status string // one letter per step: Held, Complete, Unfragmented, Ignored, Dropped
	done   []done
	// noShark, when set, says why the case is not compared with tshark.
	noShark string
}

var statusLetter = map[Status]byte{Held: 'H', Complete: 'C', Unfragmented: 'U', Ignored: 'I', Dropped: 'D'}

func s4(off, n int, more bool) step { return step{off: off, n: n, more: more} }

var cases = []tcase{
	{name: "in order", steps: []step{s4(0, 8, true), s4(8, 8, true), s4(16, 5, false)},
		status: "HHC", done: []done{{at: 3, len: 21, pieces: []int{1, 2, 3}}}},
	{name: "reverse order", steps: []step{s4(16, 5, false), s4(8, 8, true), s4(0, 8, true)},
		status: "HHC", done: []done{{at: 3, len: 21, pieces: []int{3, 2, 1}}}},
	{name: "out of order: the last to arrive is not the tail", steps: []step{s4(8, 8, true), s4(16, 4, false), s4(0, 8, true)},
		status: "HHC", done: []done{{at: 3, len: 20, pieces: []int{3, 1, 2}}}},
	{name: "duplicate before completion", steps: []step{s4(0, 8, true), s4(0, 8, true), s4(8, 8, false)},
		status: "HHC", done: []done{{at: 3, len: 16, pieces: []int{1, 2, 3}, flags: Overlap}}},
	{name: "duplicate after completion starts a new datagram",
		steps:  []step{s4(0, 8, true), s4(8, 8, false), s4(8, 8, false), s4(0, 8, true)},
		status: "HCHC", done: []done{{at: 2, len: 16, pieces: []int{1, 2}}, {at: 4, len: 16, pieces: []int{4, 3}}}},
	{name: "duplicate tail", steps: []step{s4(0, 8, true), s4(16, 8, false), s4(16, 8, false), s4(8, 8, true)},
		status: "HHHC", done: []done{{at: 4, len: 24, pieces: []int{1, 4, 2, 3}, flags: Overlap}}},
	{name: "overlap with the same bytes", steps: []step{s4(0, 16, true), s4(8, 16, true), s4(24, 8, false)},
		status: "HHC", done: []done{{at: 3, len: 32, pieces: []int{1, 2, 3}, flags: Overlap, from: "1123"}}},
	{name: "overlap with other bytes: the lower offset wins",
		steps:  []step{s4(0, 16, true), {off: 8, n: 16, more: true, alt: true}, s4(24, 8, false)},
		status: "HHC", done: []done{{at: 3, len: 32, pieces: []int{1, 2, 3}, illegal: []int{2}, flags: Overlap | Conflict, from: "1123"}}},
	{name: "overlap with other bytes: the lower offset wins even when it comes second",
		steps:  []step{{off: 8, n: 16, more: true, alt: true}, s4(0, 16, true), s4(24, 8, false)},
		status: "HHC", done: []done{{at: 3, len: 32, pieces: []int{2, 1, 3}, illegal: []int{1}, flags: Overlap | Conflict, from: "2213"}}},
	{name: "same offset, other bytes: the first received wins",
		steps:  []step{s4(0, 8, true), {off: 0, n: 8, more: true, alt: true}, s4(8, 8, false)},
		status: "HHC", done: []done{{at: 3, len: 16, pieces: []int{1, 2, 3}, illegal: []int{2}, flags: Overlap | Conflict, from: "13"}}},
	{name: "fragment inside a later one (fragmented-4.pcap)",
		steps:  []step{s4(0, 24, true), {off: 48, n: 24, more: true, alt: true}, s4(72, 17, false), s4(24, 48, true)},
		status: "HHHC", done: []done{{at: 4, len: 89, pieces: []int{1, 4, 2, 3}, illegal: []int{2}, flags: Overlap | Conflict, from: "111444444333"}}},
	{name: "too long for the tail (fragmented-1.pcap)",
		steps:  []step{s4(0, 16, true), s4(48, 40, false), {off: 0, n: 120, more: true, alt: true}},
		status: "HHC", done: []done{{at: 3, len: 88, pieces: []int{1, 3, 2}, illegal: []int{3, 2}, flags: Overlap | Conflict | TooLong, from: "11333333333"}}},
	{name: "fragment starting past the tail's end",
		steps:  []step{s4(8, 8, false), s4(24, 8, true), s4(0, 8, true)},
		status: "HHC", done: []done{{at: 3, len: 16, pieces: []int{3, 1, 2}, illegal: []int{2}, flags: TooLong}}},
	{name: "two tails ending apart: the first fixes the length",
		steps:  []step{s4(0, 8, true), s4(16, 8, false), s4(8, 8, false)},
		status: "HHC", done: []done{{at: 3, len: 24, pieces: []int{1, 3, 2}, illegal: []int{3}, flags: MultipleTails}}},
	{name: "tiny fragments",
		steps: []step{s4(0, 8, true), s4(8, 8, true), s4(16, 8, true), s4(24, 8, true), s4(32, 8, true),
			s4(40, 8, true), s4(48, 8, true), s4(56, 1, false)},
		status: "HHHHHHHC", done: []done{{at: 8, len: 57, pieces: []int{1, 2, 3, 4, 5, 6, 7, 8}}}},
	{name: "a one-byte fragment leaves a hole", steps: []step{s4(0, 1, true), s4(8, 8, false)}, status: "HH"},
	{name: "zero-length last fragment is ignored", steps: []step{s4(0, 16, true), s4(16, 0, false)}, status: "HI"},
	{name: "interleaved datagrams of the same hosts",
		steps:  []step{{off: 0, n: 8, more: true, id: 1}, {off: 0, n: 8, more: true, id: 2}, {off: 8, n: 3, id: 2}, {off: 8, n: 5, id: 1}},
		status: "HHCC", done: []done{{at: 3, len: 11, pieces: []int{2, 3}}, {at: 4, len: 13, pieces: []int{1, 4}}}},
	{name: "IPv6", steps: []step{{off: 0, n: 16, more: true, v6: true}, {off: 16, n: 5, v6: true}},
		status: "HC", done: []done{{at: 2, len: 21, pieces: []int{1, 2}}}},
	{name: "IPv6 atomic fragment is whole and leaves datagrams alone",
		steps:  []step{{off: 0, n: 8, more: true, v6: true, id: 5}, {off: 0, n: 16, v6: true, id: 5}, {off: 8, n: 8, v6: true, id: 5}},
		status: "HUC", done: []done{{at: 3, len: 16, pieces: []int{1, 3}}}},
	{name: "IPv4 and IPv6 with one id do not mix",
		steps:  []step{{off: 0, n: 8, more: true}, {off: 8, n: 8, v6: true}, {off: 8, n: 8}},
		status: "HHC", done: []done{{at: 3, len: 16, pieces: []int{1, 3}}}},
	{name: "tail ending at 65535 is kept", steps: []step{s4(0, 8, true), s4(65528, 7, false)}, status: "HH"},
	{name: "offset+len past 65535 is refused", steps: []step{s4(0, 8, true), s4(65528, 16, false), s4(8, 8, true)}, status: "HDH"},
	{name: "MaxFragments discards the datagram", lim: Limits{MaxFragments: 2},
		steps:  []step{s4(0, 8, true), s4(0, 8, true), s4(8, 8, false), s4(0, 8, true), s4(8, 8, false)},
		status: "HHDHC", done: []done{{at: 5, len: 16, pieces: []int{4, 5}}},
		noShark: "a limit Wireshark does not have"},
	// With room for one datagram, each fragment of the other evicts it.
	{name: "MaxDatagrams evicts the oldest", lim: Limits{MaxDatagrams: 1},
		steps:   []step{{off: 0, n: 8, more: true, id: 1}, {off: 0, n: 8, more: true, id: 2}, {off: 8, n: 8, id: 1}, {off: 8, n: 8, id: 2}},
		status:  "HHHH",
		noShark: "a limit Wireshark does not have"},
}

// addr returns the addresses of a case's datagrams; each case has its own,
// so that all can share one capture file.
func addr(ci int, v6 bool) (src, dst [16]byte) {
	if v6 {
		src = [16]byte{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, byte(ci >> 8), byte(ci)}
		dst = [16]byte{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}
		return
	}
	copy(src[:], []byte{10, 1, byte(ci), 1})
	copy(dst[:], []byte{10, 2, 0, 1})
	return
}

func (s step) fragment(ci, frame int, base int64) Fragment {
	src, dst := addr(ci, s.v6)
	k := KeyV4([4]byte(src[:4]), [4]byte(dst[:4]), s.id1(), 253)
	if s.v6 {
		k = KeyV6(src, dst, uint32(s.id1()))
	}
	return Fragment{Key: k, Offset: s.off, More: s.more, Data: s.payload(), Time: base + int64(s.at), Frame: frame}
}

// reference computes a datagram's bytes from its definition: each byte
// comes from the first piece, in Wireshark's order, that covers it.
func reference(c tcase, pieces []Piece, n int) []byte {
	out := make([]byte, n)
	for p := range out {
		for _, pc := range pieces {
			if pc.Offset <= p && p < pc.Offset+pc.Len {
				out[p] = c.steps[pc.Frame-1].payload()[p-pc.Offset]
				break
			}
		}
	}
	return out
}

func stepsOf(r Result) (s []int) { return r.Frames(nil) }

func TestCases(t *testing.T) {
	for ci, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := New(c.lim)
			var status []byte
			var got []done
			for i, s := range c.steps {
				r := d.Add(s.fragment(ci, i+1, 0))
				status = append(status, statusLetter[r.Status])
				if r.Status != Complete {
					if r.Data != nil && r.Status != Unfragmented || r.Pieces != nil {
						t.Errorf("step %d: %v result carries data", i+1, r.Status)
					}
					continue
				}
				g := done{at: i + 1, len: len(r.Data), pieces: stepsOf(r), flags: r.Flags}
				var union Flags
				for _, p := range r.Pieces {
					union |= p.Flags
					if p.Flags.Illegal() {
						g.illegal = append(g.illegal, p.Frame)
					}
				}
				if union != r.Flags {
					t.Errorf("step %d: flags %v, union of pieces %v", i+1, r.Flags, union)
				}
				if ref := reference(c, r.Pieces, len(r.Data)); !bytes.Equal(ref, r.Data) {
					t.Errorf("step %d: data\n got %x\nwant %x", i+1, r.Data, ref)
				}
				if w := wantDone(c, len(got)); w != nil && w.from != "" {
					checkFrom(t, c, w.from, r.Data)
				}
				got = append(got, g)
			}
			if string(status) != c.status {
				t.Errorf("statuses %s, want %s", status, c.status)
			}
			if len(got) != len(c.done) {
				t.Fatalf("completed %v, want %v", got, c.done)
			}
			for i, w := range c.done {
				g := got[i]
				w.from = ""
				if g.at != w.at || g.len != w.len || !slices.Equal(g.pieces, w.pieces) ||
					!slices.Equal(g.illegal, w.illegal) || g.flags != w.flags {
					t.Errorf("datagram %d: got %+v, want %+v", i, g, w)
				}
			}
			checkStats(t, d)
		})
	}
}

func wantDone(c tcase, i int) *done {
	if i < len(c.done) {
		return &c.done[i]
	}
	return nil
}

// checkFrom checks which step each 8-byte block of a datagram came from.
func checkFrom(t *testing.T, c tcase, from string, data []byte) {
	t.Helper()
	if (len(data)+7)/8 != len(from) {
		t.Errorf("from %q does not match %d bytes", from, len(data))
		return
	}
	for b, ch := range from {
		s := c.steps[ch-'1']
		for p := b * 8; p < min(len(data), b*8+8); p++ {
			if data[p] != pattern(s.id1(), p, s.alt) {
				t.Errorf("byte %d is not step %c's", p, ch)
				return
			}
		}
	}
}

// checkStats checks that the counters account for every fragment and
// agree with what is held.
func checkStats(t *testing.T, d *Defragmenter) {
	t.Helper()
	s := d.Stats()
	if s.Fragments != s.Ignored+s.Unfragmented+s.Used+uint64(s.Held)+s.Dropped+s.TimedOutFragments {
		t.Errorf("fragments not accounted for: %+v", s)
	}
	held, bytes := 0, 0
	for _, g := range d.table {
		held += len(g.frags)
		bytes += len(g.buf)
	}
	if held != s.Held || bytes != s.HeldBytes || len(d.table) != s.InProgress {
		t.Errorf("held %d fragments, %d bytes, %d datagrams; stats say %+v", held, bytes, len(d.table), s)
	}
	n := 0
	for g := d.oldest; g != nil; g = g.next {
		n++
	}
	if n != len(d.table) {
		t.Errorf("list holds %d datagrams, table %d", n, len(d.table))
	}
}

// TestCasesAgainstTshark writes the cases into one capture and checks
// that tshark reassembles in the same frames, with the same lengths,
// fragment lists, flags and bytes.
func TestCasesAgainstTshark(t *testing.T) {
	var frames []pcaptest.Frame
	ours := map[int]outcome{}
	compared := 0
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()
	for ci, c := range cases {
		if c.noShark != "" {
			continue
		}
		compared++
		d := New(Limits{Timeout: -1})
		first := len(frames)
		for i, s := range c.steps {
			num := first + i + 1
			f := s.fragment(ci, num, base)
			src, dst := addr(ci, s.v6)
			var b []byte
			if s.v6 {
				b = frame6(src, dst, uint32(s.id1()), s.off, s.more, f.Data)
			} else {
				b = frame4([4]byte(src[:4]), [4]byte(dst[:4]), s.id1(), s.off, s.more, f.Data)
			}
			frames = append(frames, pcaptest.Frame{Time: f.Time, Data: b})
			// Go through the frame as a reader would.
			ff, ok := ipFragment(b, 1)
			if !ok {
				if s.n != 0 && !(s.v6 && s.off == 0 && !s.more) {
					t.Fatalf("%s: step %d is no fragment", c.name, i+1)
				}
				continue
			}
			ff.Time, ff.Frame = f.Time, num
			if r := d.Add(ff); r.Status == Complete {
				ours[num] = outcomeOf(num, r)
			}
		}
		base += int64(time.Minute)
	}
	name := filepath.Join(t.TempDir(), "cases.pcap")
	pcaptest.Write(t, name, layers.LinkTypeEthernet, frames)
	theirs := tsharkOutcomes(t, name)
	eq := compareOutcomes(t, "cases", ours, theirs)
	t.Logf("%d cases, %d frames: %d datagrams reassembled by tshark, %d by us, %d equal", compared, len(frames), len(theirs), len(ours), eq)
}

// TestTimeout shows the trade-off of the timeout: a datagram whose
// fragments are spread over more than it is lost (Wireshark, which has no
// timeout, would reassemble it), while one that never completes stops
// holding memory.
func TestTimeout(t *testing.T) {
	sec := int64(time.Second)
	k := KeyV4([4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2}, 7, 17)
	slow := []Fragment{
		{Key: k, Offset: 0, More: true, Data: make([]byte, 8), Time: 0, Frame: 1},
		{Key: k, Offset: 16, Data: make([]byte, 8), Time: 1 * sec, Frame: 2},
		{Key: k, Offset: 8, More: true, Data: make([]byte, 8), Time: 40 * sec, Frame: 3},
	}
	for _, tc := range []struct {
		lim      Limits
		complete bool
	}{
		{Limits{}, false},                    // default 30 s
		{Limits{Timeout: time.Minute}, true}, // long enough
		{Limits{Timeout: -1}, true},          // never, as Wireshark
		{Limits{Timeout: 10 * time.Second}, false},
	} {
		d := New(tc.lim)
		var last Result
		for _, f := range slow {
			last = d.Add(f)
		}
		if got := last.Status == Complete; got != tc.complete {
			t.Errorf("timeout %v: complete %v, want %v", d.Limits().Timeout, got, tc.complete)
		}
		s := d.Stats()
		if !tc.complete {
			// The first two went stale; the third waits alone.
			if s.TimedOut != 1 || s.TimedOutFragments != 2 || s.Held != 1 || s.HeldBytes != 8 {
				t.Errorf("timeout %v: stats %+v", d.Limits().Timeout, s)
			}
		}
		checkStats(t, d)
	}

	// A missing middle fragment: the datagram holds its bytes until the
	// timeout, and Expire frees them without any further fragment.
	d := New(Limits{})
	d.Add(Fragment{Key: k, Offset: 0, More: true, Data: make([]byte, 1000), Time: 0, Frame: 1})
	d.Add(Fragment{Key: k, Offset: 2000, Data: make([]byte, 500), Time: sec, Frame: 2})
	if s := d.Stats(); s.HeldBytes != 1500 || s.InProgress != 1 {
		t.Fatalf("stats %+v", s)
	}
	if n := d.Expire(30 * sec); n != 0 {
		t.Errorf("expired %d at exactly 30 s", n)
	}
	if n := d.Expire(30*sec + 1); n != 1 {
		t.Errorf("expired %d after 30 s", n)
	}
	s := d.Stats()
	if s.HeldBytes != 0 || s.Held != 0 || s.InProgress != 0 || s.TimedOut != 1 || s.TimedOutFragments != 2 {
		t.Errorf("after expiry: %+v", s)
	}
	// The missing fragment, late, starts a datagram of its own.
	if r := d.Add(Fragment{Key: k, Offset: 1000, More: true, Data: make([]byte, 1000), Time: 31 * sec, Frame: 3}); r.Status != Held {
		t.Errorf("late fragment: %v", r.Status)
	}
	checkStats(t, d)
}

// TestMaxBytes floods fragments that never complete and checks the bound,
// the oldest-first eviction and the counters.
func TestMaxBytes(t *testing.T) {
	d := New(Limits{MaxBytes: 10000, MaxDatagrams: 1000})
	data := make([]byte, 1000)
	for i := range 100 {
		k := KeyV4([4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2}, uint16(i), 17)
		r := d.Add(Fragment{Key: k, Offset: 0, More: true, Data: data, Time: int64(i), Frame: i + 1})
		if r.Status != Held {
			t.Fatalf("fragment %d: %v", i, r.Status)
		}
		if s := d.Stats(); s.HeldBytes > 10000 {
			t.Fatalf("holding %d bytes", s.HeldBytes)
		}
	}
	s := d.Stats()
	if s.InProgress != 10 || s.Evicted != 90 || s.Dropped != 90 || s.PeakBytes != 10000 {
		t.Errorf("stats %+v", s)
	}
	// The newest survived: datagram 99 completes.
	k := KeyV4([4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2}, 99, 17)
	if r := d.Add(Fragment{Key: k, Offset: 1000, Data: data[:10], Time: 100, Frame: 101}); r.Status != Complete {
		t.Errorf("newest datagram: %v", r.Status)
	}
	// A datagram that alone passes the bound is discarded.
	k = KeyV4([4]byte{192, 0, 2, 9}, [4]byte{192, 0, 2, 2}, 1, 17)
	for i := range 11 {
		r := d.Add(Fragment{Key: k, Offset: 0, More: true, Data: data, Time: 200, Frame: 200 + i})
		if want := Held; i == 10 {
			if r.Status != Dropped || r.Drop != DropBytes {
				t.Errorf("fragment %d: %v %v, want dropped for bytes", i, r.Status, r.Drop)
			}
		} else if r.Status != want {
			t.Errorf("fragment %d: %v", i, r.Status)
		}
	}
	checkStats(t, d)
}

// TestResultOwnership checks that Add copies what it keeps and that a
// result stays valid until the next call.
func TestResultOwnership(t *testing.T) {
	d := New(Limits{})
	k := KeyV6([16]byte{1}, [16]byte{2}, 9)
	buf := []byte("abcdefgh")
	d.Add(Fragment{Key: k, Offset: 0, More: true, Data: buf, Frame: 1})
	copy(buf, "XXXXXXXX") // the caller reuses its buffer
	r := d.Add(Fragment{Key: k, Offset: 8, Data: []byte("ijk"), Frame: 2})
	if string(r.Data) != "abcdefghijk" {
		t.Fatalf("reassembled %q", r.Data)
	}
	if len(r.Pieces) != 2 || r.Pieces[0] != (Piece{Frame: 1, Offset: 0, Len: 8}) || r.Pieces[1] != (Piece{Frame: 2, Offset: 8, Len: 3}) {
		t.Errorf("pieces %+v", r.Pieces)
	}
}

// TestTimeGoesBackwards checks that a datagram stale at its own lookup is
// expired even when an older-started one, later in time, blocks the list.
func TestTimeGoesBackwards(t *testing.T) {
	sec := int64(time.Second)
	a := KeyV4([4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2}, 1, 17)
	b := KeyV4([4]byte{192, 0, 2, 1}, [4]byte{192, 0, 2, 2}, 2, 17)
	d := New(Limits{})
	d.Add(Fragment{Key: a, Offset: 0, More: true, Data: make([]byte, 8), Time: 100 * sec, Frame: 1})
	d.Add(Fragment{Key: b, Offset: 0, More: true, Data: make([]byte, 8), Time: 0, Frame: 2})
	if n := d.Expire(40 * sec); n != 0 {
		t.Errorf("expired %d behind a datagram that is not stale", n)
	}
	r := d.Add(Fragment{Key: b, Offset: 8, Data: make([]byte, 8), Time: 40 * sec, Frame: 3})
	if r.Status != Held {
		t.Errorf("fragment of a stale datagram: %v, want held in a new one", r.Status)
	}
	if s := d.Stats(); s.TimedOut != 1 || s.InProgress != 2 {
		t.Errorf("stats %+v", s)
	}
	if Held.String() != "held" || Dropped.String() != "dropped" || Status(99).String() != "?" {
		t.Errorf("status names")
	}
	checkStats(t, d)
}
