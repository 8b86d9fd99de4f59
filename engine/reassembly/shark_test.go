package reassembly

// The differential test: every TCP stream of the shared captures,
// reassembled from the real decoder's packets, against tshark's
// `-z follow,tcp,raw,N`.

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// record is one line of Follow's output: bytes of one direction.
type record struct {
	dir  Dir
	data []byte
}

// conv is what the test collects of one connection.
type conv struct {
	client    [18]byte // address (IPv4 as mapped IPv6) and port of Follow's Node 0
	records   []record // what tshark would print, derived from our chunks
	flushed   [2]int   // bytes delivered after a hole skipped at close, per direction
	delivered [2]int   // bytes delivered, per direction
	offered   [2]int   // payload bytes offered, per direction
}

// missing is the text Wireshark puts in place of bytes acknowledged but
// not captured (check_follow_fragments).
func missing(n int) []byte {
	return append([]byte(fmt.Sprintf("[%d bytes missing in capture file]", n)), 0)
}

// seqMode chooses the sequence numbers fed to the Reassembler.
type seqMode int

const (
	// rawSeq: the numbers in the header.
	rawSeq seqMode = iota
	// relSeq: Wireshark's relative numbers (tcp.seq, tcp.ack), as
	// engine/packet computes them. Follow works on these, so when
	// Wireshark moves a direction's base (a SYN seen after its data) it
	// places the later data by the new base.
	relSeq
)

func (m seqMode) String() string { return [...]string{"raw", "relative"}[m] }

// tcpSegment extracts the segment of a decoded packet's first unquoted TCP
// header, with the client/server key of its source, as Wireshark's follow
// tap sees it: only segments whose length tcp.len is known (not quoted in
// an ICMP error, not in an IP fragment, header whole), with the payload
// bounded by the IP length, so never link-layer padding.
func tcpSegment(p *packet.Packet, mode seqMode) (seg Segment, src [18]byte, ok bool) {
	if !p.TCP.Valid || !p.TCP.Analysed || p.TCP.Quoted {
		return seg, src, false
	}
	var l *packet.Layer
	ip := -1
	for i := range p.Layers {
		switch p.Layers[i].Proto {
		case packet.ProtoIP, packet.ProtoIPv6:
			ip = i
		case packet.ProtoTCP:
			if !p.Layers[i].Quoted {
				l = &p.Layers[i]
			}
		}
		if l != nil {
			break
		}
	}
	if l == nil || ip < 0 || l.End-l.Off < 20 || l.Hdr > l.End {
		return seg, src, false
	}
	d := p.Data[l.Off:]
	n := &p.Layers[ip]
	if n.Proto == packet.ProtoIP {
		src[10], src[11] = 0xff, 0xff
		copy(src[12:16], p.Data[n.Off+12:n.Off+16])
	} else {
		copy(src[:16], p.Data[n.Off+8:n.Off+24])
	}
	copy(src[16:], d[0:2])
	end := min(l.End, l.Hdr+p.TCP.Len)
	addr := netip.AddrFrom16([16]byte(src[:16])).Unmap()
	seg = Segment{
		Stream:  p.TCP.Stream,
		Seq:     binary.BigEndian.Uint32(d[4:]),
		Ack:     binary.BigEndian.Uint32(d[8:]),
		Flags:   TCPFlags(d[13]),
		Payload: p.Data[l.Hdr:max(end, l.Hdr)],
		Len:     p.TCP.Len,
		Time:    p.Time,
		Frame:   p.Num,
		Src:     netip.AddrPortFrom(addr, binary.BigEndian.Uint16(d[0:2])),
	}
	if mode == relSeq {
		seg.Seq, seg.Ack = p.TCP.SeqRel, p.TCP.AckRel
	}
	return seg, src, true
}

// reassembleFile feeds a capture to a Reassembler and returns its
// connections by index. A file that cannot be opened skips the test;
// damage part-way ends the file there, as it does for tshark.
func reassembleFile(t *testing.T, f sharkFile, lim Limits, mode seqMode) (map[int]*conv, Stats) {
	t.Helper()
	file := f.path
	convs, st, err := reassemble(file, lim, mode, f.closeAfter)
	var fe *source.FormatError
	switch {
	case errors.As(err, &fe) && len(convs) > 0:
		t.Logf("%v", err)
	case err != nil:
		t.Skipf("cannot read %s: %v", file, err)
	}
	return convs, st
}

// reassemble feeds a capture to a Reassembler. closeAfter names frames
// after which their connection is closed, as a caller does when a
// connection times out and then sees more segments.
func reassemble(file string, lim Limits, mode seqMode, closeAfter map[int]bool) (map[int]*conv, Stats, error) {
	rd, err := source.Open(file)
	if err != nil {
		return nil, Stats{}, err
	}
	defer rd.Close()
	convs := map[int]*conv{}
	r := New(lim, func(c Chunk) {
		v := convs[c.Stream]
		v.delivered[c.Dir] += len(c.Data)
		switch {
		case c.Cause == GapClosed || c.Cause == GapEvicted || v.flushed[c.Dir] > 0:
			// Wireshark shows nothing past a hole that was never
			// acknowledged.
			v.flushed[c.Dir] += len(c.Data)
			return
		case c.Cause == GapAcked:
			v.records = append(v.records, record{c.Dir, missing(c.Gap)})
		}
		if len(c.Data) > 0 {
			v.records = append(v.records, record{c.Dir, bytes.Clone(c.Data)})
		}
	})
	dec := packet.NewDecoder()
	var f source.Frame
	for {
		err = rd.Next(&f)
		if errors.Is(err, io.EOF) {
			err = nil
			break
		}
		if err != nil {
			break
		}
		p := dec.Decode(&f)
		seg, src, ok := tcpSegment(p, mode)
		if !ok {
			continue
		}
		v := convs[seg.Stream]
		if v == nil {
			v = &conv{client: src}
			convs[seg.Stream] = v
		}
		if src != v.client {
			seg.Dir = Resp
		}
		v.offered[seg.Dir] += len(seg.Payload)
		r.Segment(seg)
		if closeAfter[p.Num] {
			r.Close(seg.Stream)
		}
	}
	r.CloseAll()
	return convs, r.Stats(), err
}

// followFile runs tshark once over a file, following the given streams,
// and returns their records.
func followFile(tshark, file string, streams []int) (map[int][]record, error) {
	args := []string{"-n", "-r", file, "-q"}
	for _, s := range streams {
		args = append(args, "-z", fmt.Sprintf("follow,tcp,raw,%d", s))
	}
	cmd := exec.Command(tshark, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("tshark %s: %v\n%s", file, err, stderr.Bytes())
	}
	res := map[int][]record{}
	cur := -1
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "Filter: tcp.stream eq "):
			n, err := strconv.Atoi(strings.TrimPrefix(line, "Filter: tcp.stream eq "))
			if err != nil {
				return nil, fmt.Errorf("tshark %s: %q", file, line)
			}
			cur = n
			res[cur] = []record{}
		case strings.HasPrefix(line, "====="):
			cur = -1
		case cur < 0, line == "", strings.HasPrefix(line, "Follow: "), strings.HasPrefix(line, "Node "):
		default:
			dir := Orig
			if line[0] == '\t' {
				dir, line = Resp, line[1:]
			}
			b, err := hex.DecodeString(line)
			if err != nil {
				return nil, fmt.Errorf("tshark %s: stream %d: %v", file, cur, err)
			}
			res[cur] = append(res[cur], record{dir, b})
		}
	}
	return res, nil
}

// sharkFile is a capture to compare, and whether the comparison is one
// the package must pass in every run.
type sharkFile struct {
	path       string
	required   bool
	closeAfter map[int]bool // frames after which their connection is closed
}

// sharkFiles lists the captures compared with tshark: the TCP and HTTP
// captures, and in long runs every other capture of the shared corpus
// too (malformed ones included).
func sharkFiles(t *testing.T) []sharkFile {
	root := filepath.Join("..", "..", "..", "shared")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("shared captures not found at %s", root)
	}
	var files []sharkFile
	seen := map[string]bool{}
	add := func(glob string, required bool) {
		m, _ := filepath.Glob(filepath.Join(root, glob))
		for _, f := range m {
			if !seen[f] {
				seen[f] = true
				files = append(files, sharkFile{path: f, required: required})
			}
		}
	}
	for _, g := range []string{"captures/*.pcap", "corpus/tcp/*.pcap*", "corpus/http/*.pcap"} {
		add(g, true)
	}
	if !testing.Short() {
		add("captures/*.pcap*", false)
		add("corpus/*/*.pcap*", false)
	}
	return files
}

// allowed lists the directions whose bytes may differ from Follow's, with
// the reason; the key is "mode file:stream dir".
var allowed = map[string]string{
	"raw linux_sll_oversized_addr.pcapng:0 resp": "a fuzzed capture: frame 96 is a SYN from the server after its data, " +
		"so Wireshark moves that direction's relative base, and Follow, which works on relative numbers, " +
		"places the later data by it; fed Wireshark's relative numbers the bytes are equal",
}

// allowedUsed records the allowed differences that occurred.
var allowedUsed = map[string]bool{}

func concat(rs []record, d Dir) []byte {
	var b []byte
	for _, r := range rs {
		if r.dir == d {
			b = append(b, r.data...)
		}
	}
	return b
}

// turns merges consecutive records of one direction.
func turns(rs []record) []record {
	var out []record
	for _, r := range rs {
		if n := len(out); n > 0 && out[n-1].dir == r.dir {
			out[n-1].data = append(out[n-1].data, r.data...)
			continue
		}
		out = append(out, record{r.dir, bytes.Clone(r.data)})
	}
	return out
}

func equalRecords(a, b []record) bool {
	return slices.EqualFunc(a, b, func(x, y record) bool { return x.dir == y.dir && bytes.Equal(x.data, y.data) })
}

// TestFollowAgainstTshark checks, for every TCP stream of the shared
// captures, that the bytes delivered per direction, and the pieces they
// come in, are those of tshark's Follow TCP Stream, with the raw sequence
// numbers and with Wireshark's relative ones.
func TestFollowAgainstTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark not installed: cannot compare with Follow TCP Stream")
	}
	files := sharkFiles(t)
	// Run tshark on every file first, a few at a time: its start-up is
	// most of the test's time.
	type result struct {
		recs map[int][]record
		err  error
		done chan struct{}
	}
	results := make([]*result, len(files))
	sem := make(chan struct{}, 4)
	for i, f := range files {
		res := &result{done: make(chan struct{})}
		results[i] = res
		var ids []int
		convs, _, _ := reassemble(f.path, Limits{}, rawSeq, nil)
		for id := range convs {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		go func() {
			defer close(res.done)
			if len(ids) == 0 {
				return
			}
			sem <- struct{}{}
			defer func() { <-sem }()
			res.recs, res.err = followFile(tshark, f.path, ids)
		}()
	}
	for _, mode := range []seqMode{rawSeq, relSeq} {
		var sum, req agreement
		for i, f := range files {
			name := filepath.Base(f.path)
			t.Run(mode.String()+"/"+name, func(t *testing.T) {
				res := results[i]
				<-res.done
				if res.err != nil {
					t.Fatal(res.err)
				}
				a := compareFile(t, mode, f, res.recs)
				sum.add(a)
				if f.required {
					req.add(a)
				}
			})
		}
		t.Logf("%s sequence numbers, TCP and HTTP captures: %v", mode, req)
		if !testing.Short() && !t.Failed() {
			for key := range allowed {
				if !allowedUsed[key] {
					t.Errorf("allowed difference %q did not occur: take it off the list", key)
				}
			}
		}
		if !testing.Short() {
			t.Logf("%s sequence numbers, whole corpus: %v", mode, sum)
		}
	}
}

// agreement sums up a comparison.
type agreement struct {
	files, streams, equal, pieces, allowed int
	bytes, flushed                         int
	gaps                                   uint64
}

func (a *agreement) add(b agreement) {
	a.files += b.files
	a.streams += b.streams
	a.equal += b.equal
	a.pieces += b.pieces
	a.allowed += b.allowed
	a.bytes += b.bytes
	a.flushed += b.flushed
	a.gaps += b.gaps
}

func (a agreement) String() string {
	return fmt.Sprintf("%d files, %d streams compared (%d bytes in Follow's output, %d holes skipped), %d equal (%d also piece for piece), "+
		"%d directions allowed to differ, %d bytes delivered only at close past unacknowledged holes",
		a.files, a.streams, a.bytes, a.gaps, a.equal, a.pieces, a.allowed, a.flushed)
}

// compareFile compares the streams of one capture with tshark's.
func compareFile(t *testing.T, mode seqMode, f sharkFile, theirs map[int][]record) (a agreement) {
	name := filepath.Base(f.path)
	convs, st := reassembleFile(t, f, Limits{}, mode)
	checkStats(t, st)
	a.files = 1
	a.gaps = st.Gaps
	fail := t.Errorf
	if !f.required {
		// Beyond the required set a difference is still an error, but
		// the message says the file is an extra.
		fail = func(format string, args ...any) { t.Errorf("(extended corpus) "+format, args...) }
	}
	ids := make([]int, 0, len(convs))
	for id := range convs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		v := convs[id]
		w, ok := theirs[id]
		if !ok {
			fail("stream %d: tshark has no such stream", id)
			continue
		}
		a.streams++
		a.flushed += v.flushed[0] + v.flushed[1]
		same := true
		for d := Orig; d <= Resp; d++ {
			if v.delivered[d] > v.offered[d] {
				fail("stream %d %v: delivered %d bytes, offered %d", id, d, v.delivered[d], v.offered[d])
			}
			ours, them := concat(v.records, d), concat(w, d)
			a.bytes += len(them)
			if bytes.Equal(ours, them) {
				continue
			}
			same = false
			key := fmt.Sprintf("%v %s:%d %v", mode, name, id, d)
			if why, ok := allowed[key]; ok {
				t.Logf("stream %d %v differs, allowed: %s", id, d, why)
				a.allowed++
				allowedUsed[key] = true
				continue
			}
			fail("stream %d %v: %d bytes, tshark %d; first difference at %d", id, d, len(ours), len(them), firstDiff(ours, them))
		}
		if v.flushed[0]+v.flushed[1] > 0 {
			t.Logf("stream %d: %v bytes delivered at close past unacknowledged holes (Follow shows none)", id, v.flushed)
		}
		if !same {
			continue
		}
		a.equal++
		switch {
		case equalRecords(v.records, w):
			a.pieces++
		case !equalRecords(turns(v.records), turns(w)):
			fail("stream %d: same bytes, other turns: %d turns, tshark %d", id, len(turns(v.records)), len(turns(w)))
		default:
			t.Logf("stream %d: same bytes and turns, %d pieces, tshark %d", id, len(v.records), len(w))
		}
	}
	t.Logf("%d streams, %d segments, %d bytes delivered, %d holes skipped (acked %d, truncated %d, closed %d), overlaps %d, conflicts %d, after FIN %d",
		len(ids), st.Segments, st.Delivered, st.Gaps, st.AckedGaps, st.TruncatedGaps, st.ClosedGaps, st.Overlaps, st.Conflicts, st.AfterFIN)
	return a
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}
