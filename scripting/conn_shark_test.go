package scripting

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/tsharktest"
	"github.com/wirelark/wirelark/scripting/output"
)

// The connection handlers against Wireshark, end to end through scripts,
// over every capture of ../shared/captures and ../shared/corpus: conn ids
// are tcp.stream / udp.stream with the same endpoints, handshake times are
// the SYN, SYN-ACK and ACK frame times, and the bytes on_stream_data
// delivers are Follow TCP Stream's.
//
// tshark's start-up costs more than reading most of these captures, so it
// runs once per capture for the three tests together: one pass printing
// the fields all three need and following every TCP stream the decoder
// sees (sharkViewOf). The captures are compared in parallel.

// sharkCapture is one capture compared with tshark: its path, and its name
// relative to the shared directory (the subtest's name).
type sharkCapture struct {
	path, name string
}

// sharkCaptures lists the captures of ../shared/captures and, recursively,
// the .pcap, .pcapng and .cap files of ../shared/corpus.
func sharkCaptures(t *testing.T) []sharkCapture {
	root := filepath.Dir(sharedCaptures)
	var files []sharkCapture
	for _, dir := range []string{sharedCaptures, sharedCorpus} {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			switch filepath.Ext(path) {
			case ".pcap", ".pcapng", ".cap":
				name, _ := filepath.Rel(root, path)
				files = append(files, sharkCapture{path: path, name: filepath.ToSlash(name)})
			}
			return nil
		})
	}
	if len(files) == 0 {
		t.Skipf("no captures in %s or %s: the comparison with Wireshark needs them", sharedCaptures, sharedCorpus)
	}
	return files
}

// knownDiff lists the captures on which a test is known to differ from
// tshark, by test ("ids", "handshake", "follow") and capture name, with
// the cause and the package it lies in. They are compared in every run:
// a listed capture whose differences are gone fails the test (take it
// off the list), one still differing is skipped with the reason and its
// differences logged. WIRELARK_KNOWN_DIFF=1 makes them fail. None is
// known now.
var knownDiff = map[string]map[string]string{
	"ids":       {},
	"handshake": {},
	"follow":    {},
}

// forEachCapture runs check on every capture, in parallel, and fails
// when nothing at all was compared. check reports differences with the
// errorf it is given, so that a known difference is logged, not failed.
func forEachCapture(t *testing.T, test string, check func(t *testing.T, c sharkCapture, v *sharkView, errorf func(string, ...any)) int) {
	bin := tsharktest.Path(t)
	files := sharkCaptures(t)
	var compared atomic.Int64
	t.Run("all", func(t *testing.T) {
		for _, c := range files {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				if !readable(t, bin, c.path) {
					return
				}
				v := sharkViewOf(t, bin, c.path)
				why, known := knownDiff[test][c.name]
				var diffs []string
				errorf := t.Errorf
				if known && os.Getenv("WIRELARK_KNOWN_DIFF") == "" {
					errorf = func(format string, args ...any) {
						diffs = append(diffs, fmt.Sprintf(format, args...))
					}
				}
				compared.Add(int64(check(t, c, v, errorf)))
				switch {
				case !known || t.Failed():
				case len(diffs) == 0:
					t.Errorf("listed in knownDiff[%q] (%s) but equal to tshark: take it off the list", test, why)
				default:
					for _, d := range diffs {
						t.Log(d)
					}
					t.Skipf("known difference (knownDiff[%q]): %s; %d differences, logged above", test, why, len(diffs))
				}
			})
		}
	})
	if compared.Load() == 0 && !t.Skipped() {
		t.Error("nothing compared")
	}
	t.Logf("%d captures, %d compared", len(files), compared.Load())
}

// readable reports whether the capture opens; one that does not must be
// one tshark cannot read either.
func readable(t *testing.T, bin, file string) bool {
	rd, err := source.Open(file)
	if err == nil {
		rd.Close()
		return true
	}
	if out, terr := exec.Command(bin, "-n", "-r", file, "-c", "1").Output(); terr == nil {
		t.Errorf("cannot open %s (%v), which tshark reads: %q", file, err, out)
	}
	return false
}

// rows runs a script over one capture and returns its rows as TSV cells,
// without headers. A capture damaged part-way gives the rows of the
// packets before the damage, as tshark shows them.
func rows(t *testing.T, src, capture string) [][]string {
	t.Helper()
	r := runRef(t, mustRef(t, src), []string{capture}, output.TSV)
	var fe *source.FormatError
	if errors.As(r.err, &fe) {
		t.Logf("%v", r.err)
	} else if r.err != nil {
		t.Fatalf("%s: %v", capture, r.err)
	}
	var out [][]string
	for _, line := range strings.Split(r.out, "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "_table") {
			continue
		}
		out = append(out, strings.Split(line, "\t"))
	}
	return out
}

func mustRef(t *testing.T, src string) Ref {
	ref, err := FileRef(writeScript(t, "x.star", src))
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// (a) Every conn's id names a tshark stream of its protocol with the same
// two endpoints, and every tshark stream has a conn.
func TestConnIDsMatchTshark(t *testing.T) {
	const src = `
def on_conn_end(conn):
    if conn.proto != "icmp":
        emit("c", key = "%s %d" % (conn.proto, conn.id), ends = " ".join(sorted([conn.client, conn.server])))
`
	forEachCapture(t, "ids", func(t *testing.T, c sharkCapture, v *sharkView, errorf func(string, ...any)) int {
		want := map[string]string{}
		for _, r := range v.rows {
			ep := func(a, p string) string {
				if strings.Contains(a, ":") {
					return "[" + a + "]:" + p
				}
				return a + ":" + p
			}
			for _, proto := range []struct {
				name               string
				stream, sport, dpt int
			}{{"tcp", skTCPStream, skTCPSrcPort, skTCPDstPort}, {"udp", skUDPStream, skUDPSrcPort, skUDPDstPort}} {
				src, dst, ok := transportAddrs(r, proto.name)
				if !ok || r[proto.stream] == "" {
					continue
				}
				e := []string{ep(src, r[proto.sport]), ep(dst, r[proto.dpt])}
				sort.Strings(e)
				want[proto.name+" "+r[proto.stream]] = strings.Join(e, " ")
			}
		}
		got := map[string]string{}
		for _, r := range rows(t, src, c.path) {
			if prev, ok := got[r[0]]; ok && prev != r[1] {
				errorf("%s: two conns with different endpoints: %s and %s", r[0], prev, r[1])
			}
			got[r[0]] = r[1]
		}
		for _, k := range keysSorted(want) {
			if got[k] != want[k] {
				errorf("%s: conn endpoints %q, tshark %q", k, got[k], want[k])
			}
		}
		for _, k := range keysSorted(got) {
			if _, ok := want[k]; !ok {
				errorf("%s: no such stream in tshark", k)
			}
		}
		return len(want)
	})
}

// (b) on_handshake's times are the frame times of the SYN the SYN-ACK
// answers (the last SYN before the first SYN-ACK with the sequence number
// it acknowledges, the SYN's own or, with TCP Fast Open, the end of its
// data), that SYN-ACK, and the client's first ACK of it; and a
// conn has a handshake exactly when tshark shows all three. Times are
// compared at the precision of the float seconds scripts get, so that
// nanosecond captures are checked to the nanosecond a float can hold.
func TestHandshakeTimesMatchTshark(t *testing.T) {
	const src = `
def on_handshake(conn):
    emit("h", id = conn.id, times = "%s %s %s" % (conn.syn_time, conn.synack_time, conn.ack_time))
`
	forEachCapture(t, "handshake", func(t *testing.T, c sharkCapture, v *sharkView, errorf func(string, ...any)) int {
		want := expectHandshakes(v.rows)
		got := map[string]string{}
		for _, r := range rows(t, src, c.path) {
			got[r[0]] = r[1]
		}
		for _, k := range keysSorted(want) {
			if !sameTimes(got[k], want[k]) {
				errorf("stream %s: handshake %q, tshark %q", k, got[k], want[k])
			}
		}
		for _, k := range keysSorted(got) {
			if _, ok := want[k]; !ok {
				errorf("stream %s: handshake %q that tshark does not show", k, got[k])
			}
		}
		return len(want)
	})
}

// sameTimes compares a script's times (float seconds as Starlark prints
// them) with tshark's decimal ones: equal, or within the one unit in the
// last place that converting integer nanoseconds to a float may cost.
func sameTimes(got, want string) bool {
	g, w := strings.Fields(got), strings.Fields(want)
	if len(g) != len(w) || len(g) == 0 {
		return false
	}
	for i := range g {
		gf, err1 := strconv.ParseFloat(g[i], 64)
		wf, err2 := strconv.ParseFloat(w[i], 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if gf != wf && gf != math.Nextafter(wf, math.Inf(1)) && gf != math.Nextafter(wf, math.Inf(-1)) {
			return false
		}
	}
	return true
}

// expectHandshakes pairs tshark's packets: stream -> "syn synack ack",
// each time as tshark prints it.
func expectHandshakes(tr [][]string) map[string]string {
	type pkt struct {
		time     string
		flags    uint64
		seq, ack uint64
		len      uint64
		port     string
	}
	type hs struct {
		syns        []pkt
		synack, ack *pkt
		client      string
	}
	byStream := map[string]*hs{}
	var order []string
	for _, r := range tr {
		if _, _, ok := transportAddrs(r, "tcp"); !ok || r[skTCPStream] == "" {
			continue
		}
		p := pkt{time: r[skTime], port: r[skTCPSrcPort]}
		p.flags, _ = strconv.ParseUint(strings.TrimPrefix(r[skTCPFlags], "0x"), 16, 16)
		p.seq, _ = strconv.ParseUint(r[skTCPSeqRaw], 10, 32)
		p.ack, _ = strconv.ParseUint(r[skTCPAckRaw], 10, 32)
		p.len, _ = strconv.ParseUint(r[skTCPLen], 10, 32)
		h := byStream[r[skTCPStream]]
		if h == nil {
			h = &hs{}
			byStream[r[skTCPStream]] = h
			order = append(order, r[skTCPStream])
		}
		syn, ack := p.flags&0x02 != 0, p.flags&0x10 != 0
		switch {
		case syn && !ack && h.synack == nil:
			h.syns = append(h.syns, p)
			h.client = p.port
		case syn && ack && h.synack == nil && h.client != "" && p.port != h.client:
			h.synack = &p
		case !syn && ack && h.synack != nil && h.ack == nil && p.port == h.client && p.ack == (h.synack.seq+1)&0xffffffff:
			h.ack = &p
		}
	}
	want := map[string]string{}
	for _, k := range order {
		h := byStream[k]
		if h.synack == nil || h.ack == nil {
			continue
		}
		var syn *pkt
		for i := range h.syns {
			// A SYN-ACK acknowledges the SYN, and with TCP Fast Open
			// the data the SYN carried if the server took it.
			if acked := (h.synack.ack - 1) & 0xffffffff; h.syns[i].seq == acked || (h.syns[i].seq+h.syns[i].len)&0xffffffff == acked {
				syn = &h.syns[i]
			}
		}
		if syn == nil {
			continue
		}
		want[k] = syn.time + " " + h.synack.time + " " + h.ack.time
	}
	return want
}

// (c) The bytes on_stream_data delivers per stream and direction are
// those of tshark -q -z follow,tcp,raw,N, where Follow writes "[N bytes
// missing in capture file]" for a hole the receiver acknowledged and
// on_stream_data sees stream.gaps grow by N.
func TestStreamDataMatchesFollow(t *testing.T) {
	// Each chunk is "WHEN/GAP/HEX": WHEN is "end" when it was delivered as
	// its conn ended (held data flushed past holes), GAP the bytes missing
	// before it.
	const src = `
chunks = {}
gaps = {}
def on_stream_data(stream, data):
    c = stream.conn
    sender = c.client if stream.direction == "orig" else c.server
    k = (c.id, sender)
    if k not in chunks:
        chunks[k] = []
    # stream.gaps counts the gaps of one conn; conns that follow one
    # another under one tcp.stream (after a timeout) share the stream.
    g = (c.uid, stream.direction)
    gap = stream.gaps - gaps.get(g, 0)
    gaps[g] = stream.gaps
    chunks[k].append("%s/%d/%s" % ("end" if c.ended else "pkt", gap, hex.encode(data)))
def on_end():
    for k in sorted(chunks):
        emit("s", id = k[0], sender = k[1], data = " ".join(chunks[k]))
`
	var dirs, equal, pastHole atomic.Int64
	forEachCapture(t, "follow", func(t *testing.T, c sharkCapture, v *sharkView, errorf func(string, ...any)) int {
		got := map[string][]string{} // "id sender" -> chunks: data in hex, or "-N" for a gap
		ids := map[string]bool{}
		for _, r := range rows(t, src, c.path) {
			got[r[0]+" "+r[1]] = strings.Fields(r[2])
			ids[r[0]] = true
		}
		streams := map[string]bool{}
		for _, r := range v.rows {
			if _, _, ok := transportAddrs(r, "tcp"); ok && r[skTCPLen] != "" && r[skTCPLen] != "0" {
				streams[r[skTCPStream]] = true
			}
		}
		for _, id := range keysSorted(ids) {
			if !streams[id] {
				errorf("stream %s: data that tshark does not show", id)
			}
		}
		n := 0
		for _, id := range keysSorted(streams) {
			f, ok := v.follow[id]
			if !ok {
				t.Fatalf("stream %s: not followed", id)
			}
			for node := range f.data {
				sender := f.nodes[node]
				if len(f.data[node]) == 0 {
					if len(got[id+" "+sender]) > 0 {
						errorf("stream %s from %s: data that Follow does not show", id, sender)
					}
					continue
				}
				n++
				dirs.Add(1)
				past, err := compareFollow(got[id+" "+sender], f.data[node])
				if err != nil {
					errorf("stream %s from %s: %v", id, sender, err)
					continue
				}
				equal.Add(1)
				if past > 0 {
					pastHole.Add(int64(past))
					t.Logf("stream %s from %s: %d bytes delivered at close past a hole never acknowledged (Follow shows none)", id, sender, past)
				}
			}
			for k := range got {
				if id0, sender, _ := strings.Cut(k, " "); id0 == id && sender != f.nodes[0] && sender != f.nodes[1] {
					errorf("stream %s from %s: not a node of Follow's (%s, %s)", id, sender, f.nodes[0], f.nodes[1])
				}
			}
		}
		return n
	})
	t.Logf("%d directions with data in Follow, %d equal; %d bytes delivered at close past unacknowledged holes", dirs.Load(), equal.Load(), pastHole.Load())
}

// missingText is what Follow shows for n bytes acknowledged but not
// captured (packet-tcp.c, check_follow_fragments), its NUL included.
func missingText(n int) []byte {
	return append([]byte(fmt.Sprintf("[%d bytes missing in capture file]", n)), 0)
}

// compareFollow compares the chunks a script saw for one direction (see
// TestStreamDataMatchesFollow) with Follow's bytes for it. A gap is
// Follow's "missing" text when Follow has it there. Otherwise it is a
// segment's uncaptured tail, which Follow skips silently, or, in a chunk
// delivered as its conn ended, a hole never acknowledged: Follow shows
// nothing past it, so that chunk and the others delivered with it are
// counted in past and not compared.
func compareFollow(chunks []string, want []byte) (past int, err error) {
	pos := 0
	skipping := false
	for _, c := range chunks {
		f := strings.Split(c, "/")
		if len(f) != 3 {
			return 0, fmt.Errorf("bad chunk %q", c)
		}
		atEnd := f[0] == "end"
		gap, err := strconv.Atoi(f[1])
		if err != nil {
			return 0, fmt.Errorf("bad chunk %q", c)
		}
		b, err := hex.DecodeString(f[2])
		if err != nil {
			return 0, err
		}
		if !atEnd {
			skipping = false
		}
		if gap > 0 {
			if m := missingText(gap); bytes.HasPrefix(want[pos:], m) {
				pos += len(m)
				skipping = false
			} else if atEnd {
				skipping = true
			}
		}
		if skipping {
			past += len(b)
			continue
		}
		if !bytes.HasPrefix(want[pos:], b) {
			d := pos + firstDiff(b, want[pos:])
			return 0, fmt.Errorf("differs from Follow's %d bytes at byte %d", len(want), d)
		}
		pos += len(b)
	}
	if pos != len(want) {
		return 0, fmt.Errorf("%d bytes, Follow has %d", pos, len(want))
	}
	return past, nil
}

// The fields tshark prints for the three tests, in the order of the sk
// constants.
var sharkViewFields = []string{
	"tcp.stream", "udp.stream", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst",
	"tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
	"frame.time_epoch", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "frame.protocols",
}

const (
	skTCPStream = iota
	skUDPStream
	skIPSrc
	skIPv6Src
	skIPDst
	skIPv6Dst
	skTCPSrcPort
	skTCPDstPort
	skUDPSrcPort
	skUDPDstPort
	skTime
	skTCPFlags
	skTCPSeqRaw
	skTCPAckRaw
	skTCPLen
	skProtocols
)

// allOccurrences are the fields whose every occurrence is kept (joined by
// commas): the addresses, of which a tunnel has several.
var allOccurrences = map[int]bool{skIPSrc: true, skIPv6Src: true, skIPDst: true, skIPv6Dst: true}

// transportAddrs returns the source and destination addresses of the IP
// header that carries the first header of proto ("tcp", "udp") in a row;
// ok is false when the frame has no such header or an ICMP error quotes
// it.
func transportAddrs(r []string, proto string) (src, dst string, ok bool) {
	nip, nip6 := 0, 0
	last := ""
	for _, p := range strings.Split(r[skProtocols], ":") {
		switch p {
		case proto:
			ok = true
		case "icmp", "icmpv6":
			return "", "", false
		case "ip", "ipv6":
			last = p
			if p == "ip" {
				nip++
			} else {
				nip6++
			}
		}
		if ok {
			break
		}
	}
	nth := func(cell string, n int) string {
		all := strings.Split(cell, ",")
		if n < 1 || n > len(all) {
			return ""
		}
		return all[n-1]
	}
	switch {
	case !ok:
		return "", "", false
	case last == "ip":
		return nth(r[skIPSrc], nip), nth(r[skIPDst], nip), true
	case last == "ipv6":
		return nth(r[skIPv6Src], nip6), nth(r[skIPv6Dst], nip6), true
	}
	return "", "", true
}

// sharkView is what tshark says about one capture.
type sharkView struct {
	rows   [][]string // one per frame, cells as sharkViewFields
	follow map[string]*sharkFollow
}

// sharkFollow is tshark's Follow TCP Stream of one stream: its nodes'
// "ip:port" and each node's bytes.
type sharkFollow struct {
	nodes [2]string
	data  [2][]byte
}

var sharkViews = struct {
	sync.Mutex
	m map[string]*sharkViewOnce
}{m: map[string]*sharkViewOnce{}}

type sharkViewOnce struct {
	once sync.Once
	v    *sharkView
	err  error
}

// sharkViewOf runs tshark over a capture once for all the tests.
func sharkViewOf(t *testing.T, bin, file string) *sharkView {
	t.Helper()
	sharkViews.Lock()
	o := sharkViews.m[file]
	if o == nil {
		o = &sharkViewOnce{}
		sharkViews.m[file] = o
	}
	sharkViews.Unlock()
	o.once.Do(func() { o.v, o.err = loadSharkView(bin, file) })
	if o.err != nil {
		t.Fatal(o.err)
	}
	return o.v
}

// loadSharkView runs tshark with the fields and Follow of every TCP
// stream the decoder finds; should tshark show data in a stream the
// decoder does not know, a second run follows it.
func loadSharkView(bin, file string) (*sharkView, error) {
	guess, err := decodedTCPStreams(file)
	if err != nil {
		return nil, err
	}
	out, err := runTshark(bin, file, guess, false)
	if err != nil {
		return nil, err
	}
	v := &sharkView{follow: map[string]*sharkFollow{}}
	rest, err := v.parseRows(out)
	if err != nil {
		return nil, err
	}
	if err := v.parseFollow(file, rest); err != nil {
		return nil, err
	}
	var more []int
	for _, r := range v.rows {
		if r[skTCPLen] != "" && r[skTCPLen] != "0" && v.follow[r[skTCPStream]] == nil {
			if id, err := strconv.Atoi(r[skTCPStream]); err == nil && !slices.Contains(more, id) {
				more = append(more, id)
			}
		}
	}
	if len(more) > 0 {
		out, err := runTshark(bin, file, more, true)
		if err != nil {
			return nil, err
		}
		if err := v.parseFollow(file, out); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// decodedTCPStreams returns the tcp.stream of every TCP header the
// decoder finds, up to any damage in the file.
func decodedTCPStreams(file string) ([]int, error) {
	rd, err := source.Open(file)
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	dec := packet.NewDecoder()
	seen := map[int]bool{}
	var ids []int
	var f source.Frame
	for {
		if err := rd.Next(&f); err != nil {
			if errors.Is(err, io.EOF) || errors.As(err, new(*source.FormatError)) {
				break
			}
			return nil, err
		}
		p := dec.Decode(&f)
		if p.TCP.Valid && !seen[p.TCP.Stream] {
			seen[p.TCP.Stream] = true
			ids = append(ids, p.TCP.Stream)
		}
	}
	return ids, nil
}

// runTshark prints the fields of every frame (unless onlyFollow) and then
// Follow's raw output for each stream.
func runTshark(bin, file string, streams []int, onlyFollow bool) ([]byte, error) {
	args := []string{"-n", "-r", file}
	if onlyFollow {
		args = append(args, "-q")
	} else {
		args = append(args, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,", "-E", "quote=n")
		for _, f := range sharkViewFields {
			args = append(args, "-e", f)
		}
	}
	for _, s := range streams {
		args = append(args, "-z", "follow,tcp,raw,"+strconv.Itoa(s))
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "TZ=UTC", "LC_ALL=C")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil && out.Len() == 0 {
		return nil, fmt.Errorf("tshark on %s: %v: %s", file, err, errb.String())
	}
	return out.Bytes(), nil
}

var followSep = []byte("\n=====")

// parseRows reads the field rows, which come before the first Follow
// block, and returns the rest.
func (v *sharkView) parseRows(out []byte) ([]byte, error) {
	rows, rest := out, []byte(nil)
	if bytes.HasPrefix(out, followSep[1:]) {
		rows, rest = nil, out
	} else if i := bytes.Index(out, followSep); i >= 0 {
		rows, rest = out[:i+1], out[i+1:]
	}
	for _, line := range strings.Split(strings.TrimSuffix(string(rows), "\n"), "\n") {
		if line == "" {
			continue
		}
		cells := strings.Split(line, "\t")
		if len(cells) != len(sharkViewFields) {
			return nil, fmt.Errorf("tshark: %d cells in a row of %d fields: %q", len(cells), len(sharkViewFields), line)
		}
		for i := range cells {
			if !allOccurrences[i] {
				// The first occurrence: the outer header of a tunnel.
				cells[i], _, _ = strings.Cut(cells[i], ",")
			}
		}
		v.rows = append(v.rows, cells)
	}
	return rest, nil
}

// parseFollow reads Follow's raw blocks: a header naming the stream and
// its nodes, then one line of hex per record, Node 1's indented by a tab.
func (v *sharkView) parseFollow(file string, out []byte) error {
	var cur *sharkFollow
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "Filter: tcp.stream eq "):
			cur = &sharkFollow{}
			v.follow[strings.TrimPrefix(line, "Filter: tcp.stream eq ")] = cur
		case strings.HasPrefix(line, "====="):
			if cur != nil && cur.nodes[0] != "" {
				cur = nil
			}
		case cur == nil, line == "", strings.HasPrefix(line, "Follow: "):
		case strings.HasPrefix(line, "Node 0: "):
			cur.nodes[0] = strings.TrimPrefix(line, "Node 0: ")
		case strings.HasPrefix(line, "Node 1: "):
			cur.nodes[1] = strings.TrimPrefix(line, "Node 1: ")
		default:
			node := 0
			if line[0] == '\t' {
				node, line = 1, line[1:]
			}
			b, err := hex.DecodeString(line)
			if err != nil {
				return fmt.Errorf("tshark follow on %s: %v", file, err)
			}
			cur.data[node] = append(cur.data[node], b...)
		}
	}
	return nil
}

func keysSorted[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func firstDiff(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}
