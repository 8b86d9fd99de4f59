package scripting

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/show"
)

// Packets read in random order through the cache (where a frame decoded
// again on the way to another is kept) are those of a front-to-back
// decode, in every shared capture.
func TestCaptureRandomOrderMatchesSequential(t *testing.T) {
	files := allCaptures(t)
	total := 0
	rnd := rand.New(rand.NewSource(1))
	for _, file := range files {
		lines, trees := sequential(t, file)
		c, err := OpenCapture(file, nil)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		for _, i := range rnd.Perm(min(c.Len(), len(lines))) {
			p, err := c.ix.packet(i)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if got := show.List(p).String(); got != lines[i] {
				t.Errorf("%s frame %d:\n got %s\nwant %s", file, i+1, got, lines[i])
			} else if got := treeText(p); got != trees[i] {
				t.Errorf("%s frame %d: detail tree differs:\n got %s\nwant %s", file, i+1, got, trees[i])
			}
			total++
		}
		c.Close()
	}
	t.Logf("%d packets of %d files compared", total, len(files))
}

// dependent counts the frames of a capture whose decoding depends on
// earlier frames, as a front-to-back decode shows them: those that TCP
// desegmentation made different from the frame alone, and those that
// complete an IP datagram. (Other fragments decode alone as in the
// capture: Wireshark shows them before it knows the datagram.)
func dependent(t *testing.T, path string) int {
	t.Helper()
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dec := packet.NewDecoder()
	var f source.Frame
	n := 0
	for r.Next(&f) == nil {
		p := dec.Decode(&f)
		earlier := false
		for _, k := range p.Reasm.Frames {
			earlier = earlier || p.Reasm.Valid && k < p.Num
		}
		if p.Desegmented() || earlier {
			n++
		}
	}
	return n
}

// The index stays small: at most 16 bytes a frame on the shared captures
// of some size, no frame kept decoded and no TCP analysis kept whole;
// the frames decoded again with others are exactly those that depend on
// others.
func TestCaptureIndexCompact(t *testing.T) {
	files := allCaptures(t)
	var frames, bytes int
	for _, file := range files {
		c, err := OpenCapture(file, nil)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		total, kept := c.ix.size()
		n := c.Len()
		if per := float64(total) / float64(n); n >= 100 && per > 16 {
			t.Errorf("%s: %.1f bytes of index per frame", file, per)
		}
		if kept != 0 || len(c.ix.kept) != 0 || len(c.ix.exact) != 0 {
			t.Errorf("%s: %d frames kept decoded (%d bytes), %d with their TCP analysis whole", file, len(c.ix.kept), kept, len(c.ix.exact))
		}
		if want := dependent(t, file); c.ix.replays != want {
			t.Errorf("%s: %d frames decoded with others, want %d", file, c.ix.replays, want)
		}
		frames += n
		bytes += total
		c.Close()
	}
	t.Logf("%d frames of %d files: %.1f bytes of index per frame", frames, len(files), float64(bytes)/float64(frames))
}

// The packed records read back as written, from any frame on.
func TestFrameCodecRoundTrip(t *testing.T) {
	eth := frameMeta{link: layers.LinkTypeEthernet}
	tests := []struct {
		name string
		recs []frameRec
	}{
		{"empty", nil},
		{"one", []frameRec{{off: 24 + 16, time: 1e18, wire: 60, caplen: 60, meta: eth, tcp: -1, udp: -1}}},
		{"streams and replays", func() []frameRec {
			var rs []frameRec
			for i := 0; i < 3*markEvery+5; i++ {
				r := frameRec{off: int64(40 + 100*i), time: int64(1e9 * i), wire: 80 + i%3, caplen: 80, meta: eth, tcp: -1, udp: -1, from: i}
				switch i % 4 {
				case 0:
					r.tcp, r.dir = int32(i/2), i%8/4
				case 1:
					r.udp = int32(1000 - i)
				case 2:
					r.tcp, r.udp = 7, 3
					r.from, r.all = max(0, i-70), i%3 == 0
				}
				rs = append(rs, r)
			}
			return rs
		}()},
		{"untimed frames, time going back, offsets going back", []frameRec{
			{off: 100, meta: frameMeta{link: layers.LinkTypeRaw, noTime: true}, caplen: 20, wire: 20, tcp: -1, udp: -1},
			{off: 200, time: 5e9, meta: frameMeta{link: layers.LinkTypeEthernet, iface: 2, nano: true}, caplen: 1, wire: 65535, tcp: 1 << 30, udp: -1},
			{off: 150, meta: frameMeta{noTime: true}, caplen: 0, wire: 0, tcp: -1, udp: 0},
			{off: 1 << 40, time: -3e9, meta: eth, caplen: 262144, wire: 262144, tcp: 0, udp: -1},
			{off: 1<<40 + 262144 + 16, time: 4e9, meta: eth, caplen: 60, wire: 60, tcp: -1, udp: -1},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c frameCodec
			c.init()
			for i := range tc.recs {
				r := tc.recs[i]
				if r.from == 0 && i > 0 && !r.all {
					r.from = i
				}
				c.add(&r)
				tc.recs[i] = r // with rel and delta
			}
			c.done()
			if c.n != len(tc.recs) {
				t.Fatalf("%d frames, want %d", c.n, len(tc.recs))
			}
			// Times relative to the first timed frame, deltas to the
			// timed frame before, as the decoder gives them.
			var first, last, delta int64
			timed := false
			for i, want := range tc.recs {
				if !want.meta.noTime {
					if !timed {
						first, last = want.time, want.time
					}
					delta, last, timed = want.time-last, want.time, true
				}
				if timed && (want.rel != last-first || want.delta != delta) {
					t.Errorf("frame %d: rel %d delta %d, want %d %d", i+1, want.rel, want.delta, last-first, delta)
				}
			}
			for from := 0; from < len(tc.recs); from += 1 + from/3 {
				cur := c.seek(from)
				for i := from; i < len(tc.recs); i++ {
					var got frameRec
					if err := cur.next(&got); err != nil {
						t.Fatalf("frame %d: %v", i+1, err)
					}
					if got != tc.recs[i] {
						t.Fatalf("frame %d from %d:\n got %+v\nwant %+v", i+1, from, got, tc.recs[i])
					}
				}
				var r frameRec
				if cur.next(&r) == nil {
					t.Errorf("a frame past the last")
				}
			}
		})
	}
}

// An index without frames reads as one: no frame, and an empty capture
// held in memory (capture.live that saw nothing) scans and filters.
func TestCaptureIndexEmpty(t *testing.T) {
	ix := newIndex("lo", "live")
	ix.live = true
	ix.builder().done()
	var r frameRec
	for _, i := range []int{0, 1, -1} {
		if err := ix.frames.seek(i).next(&r); err == nil {
			t.Errorf("seek(%d): a frame in an empty index", i)
		}
	}
	if _, err := ix.decode(0); err == nil {
		t.Error("decode(0) of an empty index succeeds")
	}
	c := &Capture{ix: ix}
	if got := evalCap(t, c, `len(cap)`, `cap.filter("ip")`, `len(cap.conns())`, `[p for p in cap]`); strings.Join(got, " ") != "0 [] 0 []" {
		t.Errorf("got %q", got)
	}
}

// The changes of a conversation's state read back as in force at each
// frame.
func TestTCPContextChanges(t *testing.T) {
	type set struct {
		stream int32
		dir    int
		frame  int32
		base   uint32
		scale  int8
	}
	type query struct {
		stream int32
		dir    int
		frame  int32
		base   uint32
		scale  int8
		ok     bool
	}
	tests := []struct {
		name    string
		sets    []set
		queries []query
		changes int
	}{
		{"handshake", []set{
			{0, 0, 0, 1000, 7},
			{0, 1, 1, 5000, 7},
			{0, 0, 1, 1000, scaleUnset},
			{0, 0, 2, 1000, 7},
			{0, 1, 2, 5000, scaleUnset},
		}, []query{
			{0, 0, 0, 1000, 7, true},
			{0, 1, 0, 0, 0, false},
			{0, 1, 1, 5000, 7, true},
			{0, 0, 99, 1000, 7, true},
			{1, 0, 5, 0, 0, false},
		}, 2},
		{"guessed base replaced by a late SYN", []set{
			{3, 1, 10, 99, -1},
			{3, 0, 10, 7, scaleUnset},
			{3, 1, 20, 50, -2},
			{3, 0, 21, 7, -2},
		}, []query{
			{3, 1, 10, 99, -1, true},
			{3, 1, 19, 99, -1, true},
			{3, 1, 20, 50, -2, true},
			{3, 0, 15, 7, scaleUnset, true},
			{3, 0, 21, 7, -2, true},
			{0, 0, 21, 0, 0, false},
			{2, 1, 21, 0, 0, false},
		}, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var c tcpContext
			for _, s := range tc.sets {
				for int(s.stream) >= len(c.latest) {
					c.latest = append(c.latest, [2]int32{-1, -1})
				}
				c.set(s.stream, s.dir, s.frame, s.base, s.scale)
			}
			c.finish()
			if len(c.ch) != tc.changes {
				t.Errorf("%d changes kept, want %d: %+v", len(c.ch), tc.changes, c.ch)
			}
			for _, q := range tc.queries {
				got, ok := c.state(q.stream, q.dir, q.frame)
				if ok != q.ok || ok && (got.base != q.base || got.scale != q.scale) {
					t.Errorf("stream %d dir %d at %d: %+v %v, want base %d scale %d %v", q.stream, q.dir, q.frame, got, ok, q.base, q.scale, q.ok)
				}
			}
		})
	}
}

// fuzzSeeds are small shared captures whose frames depend on each other
// (fragments, messages spanning segments) or are damaged.
var fuzzSeeds = []string{
	"ipv4frag/fragmented-1.pcap", "ipv4frag/fragmented-4.pcap", "ipv6/ipv6-fragmented-dns.pcap",
	"dns/dns_tcp.pcap", "malformed/smb_data_print-segv.pcap", "kerberos/aduser1.pcap",
}

// Any capture file indexes without a panic, and every frame read from
// the index is the frame a front-to-back decode gives.
func FuzzCaptureIndex(f *testing.F) {
	for _, s := range fuzzSeeds {
		if b, err := os.ReadFile(filepath.Join(sharedCorpus, s)); err == nil {
			f.Add(b)
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<20 {
			return
		}
		path := filepath.Join(dir, "fuzz.pcap")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		c, err := OpenCapture(path, nil)
		if err != nil {
			return
		}
		defer c.Close()
		r, err := source.Open(path)
		if err != nil {
			t.Fatalf("indexed, but cannot be read again: %v", err)
		}
		defer r.Close()
		dec := packet.NewDecoder()
		var fr source.Frame
		for i := 0; i < c.Len(); i++ {
			if err := r.Next(&fr); err != nil {
				t.Fatalf("frame %d: %v", i+1, err)
			}
			want := treeText(dec.Decode(&fr))
			p, err := c.ix.decode(i)
			if err != nil {
				t.Fatalf("frame %d: %v", i+1, err)
			}
			if got := treeText(p); got != want {
				t.Fatalf("frame %d:\n got %s\nwant %s", i+1, got, want)
			}
		}
	})
}

// Past the bounds of decoding again, frames are kept decoded, and read
// the same.
func TestCaptureKeptFrames(t *testing.T) {
	defer func(a int32, b int) { maxReplay, maxReplayAll = a, b }(maxReplay, maxReplayAll)
	maxReplay, maxReplayAll = 3, 1
	for _, file := range []string{
		sharedFile(t, sharedCaptures, "smb2_session.pcap"),
		sharedFile(t, sharedCorpus, "ipv4frag/afs.pcap"),
	} {
		lines, trees := sequential(t, file)
		c, err := OpenCapture(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, kept := c.ix.size()
		if len(c.ix.kept) == 0 || kept == 0 {
			t.Errorf("%s: no frame kept decoded", file)
		}
		for i := c.Len() - 1; i >= 0; i-- {
			p, err := c.ix.decode(i)
			if err != nil {
				t.Fatal(err)
			}
			if got := treeText(p); got != trees[i] || show.List(p).String() != lines[i] {
				t.Errorf("%s frame %d:\n got %s\nwant %s", file, i+1, got, trees[i])
			}
		}
		t.Logf("%s: %d of %d frames kept decoded, %d bytes; %d decoded again with others", file, len(c.ix.kept), c.Len(), kept, c.ix.replays)
		c.Close()
	}
}
