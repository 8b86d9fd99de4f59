package scripting

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/internal/tsharktest"
	"github.com/wirelark/wirelark/scripting/output"
)

// The connection handlers against Wireshark, end to end through scripts,
// over the recorded captures: conn ids are tcp.stream / udp.stream with
// the same endpoints, handshake times are the SYN, SYN-ACK and ACK frame
// times, and the bytes on_stream_data delivers are Follow TCP Stream's.

func sharkCaptures(t *testing.T) []string {
	files, _ := filepath.Glob(filepath.Join(sharedCaptures, "*.pcap"))
	if len(files) == 0 {
		t.Skipf("no captures in %s: the comparison with Wireshark needs them", sharedCaptures)
	}
	return files
}

// rows runs a script over one capture and returns its rows as TSV cells,
// without headers.
func rows(t *testing.T, src, capture string) [][]string {
	t.Helper()
	r := runRef(t, mustRef(t, src), []string{capture}, output.TSV)
	if r.err != nil {
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
	bin := tsharktest.Path(t)
	const src = `
def on_conn_end(conn):
    if conn.proto != "icmp":
        emit("c", key = "%s %d" % (conn.proto, conn.id), ends = " ".join(sorted([conn.client, conn.server])))
`
	compared := 0
	defer func() {
		if compared == 0 && !t.Skipped() {
			t.Error("no stream compared")
		}
	}()
	for _, file := range sharkCaptures(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			fields := []string{"tcp.stream", "udp.stream", "ip.src", "ipv6.src", "ip.dst", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "icmp.type", "icmpv6.type"}
			tr, err := sharkFields(bin, file, fields)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for _, r := range tr {
				if r[10] != "" || r[11] != "" {
					continue // an ICMP error quoting a datagram
				}
				src, dst := r[2]+r[3], r[4]+r[5]
				ep := func(a, p string) string {
					if strings.Contains(a, ":") {
						return "[" + a + "]:" + p
					}
					return a + ":" + p
				}
				for i, proto := range []string{"tcp", "udp"} {
					if r[i] == "" {
						continue
					}
					e := []string{ep(src, r[6+2*i]), ep(dst, r[7+2*i])}
					sort.Strings(e)
					want[proto+" "+r[i]] = strings.Join(e, " ")
				}
			}
			got := map[string]string{}
			for _, r := range rows(t, src, file) {
				if prev, ok := got[r[0]]; ok && prev != r[1] {
					t.Errorf("%s: two conns with different endpoints: %s and %s", r[0], prev, r[1])
				}
				got[r[0]] = r[1]
			}
			for k, w := range want {
				compared++
				if got[k] != w {
					t.Errorf("%s: conn endpoints %q, tshark %q", k, got[k], w)
				}
			}
			for k := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("%s: no such stream in tshark", k)
				}
			}
		})
	}
}

// (b) on_handshake's times are the frame times of the SYN the SYN-ACK
// answers (the last SYN before the first SYN-ACK with the sequence number
// it acknowledges), that SYN-ACK, and the client's first ACK of it; and a
// conn has a handshake exactly when tshark shows all three.
func TestHandshakeTimesMatchTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	const src = `
def us(t):
    return int(t * 1e6 + 0.5)
def on_handshake(conn):
    emit("h", id = conn.id, times = "%d %d %d" % (us(conn.syn_time), us(conn.synack_time), us(conn.ack_time)))
`
	compared := 0
	defer func() {
		if compared == 0 && !t.Skipped() {
			t.Error("no handshake compared")
		}
	}()
	for _, file := range sharkCaptures(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			fields := []string{"tcp.stream", "frame.time_epoch", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.srcport", "icmp.type", "icmpv6.type"}
			tr, err := sharkFields(bin, file, fields, "-Y", "tcp")
			if err != nil {
				t.Fatal(err)
			}
			want := expectHandshakes(t, tr)
			got := map[string]string{}
			for _, r := range rows(t, src, file) {
				got[r[0]] = r[1]
			}
			for k, w := range want {
				compared++
				if got[k] != w {
					t.Errorf("stream %s: handshake %q, tshark %q", k, got[k], w)
				}
			}
			for k, g := range got {
				if _, ok := want[k]; !ok {
					t.Errorf("stream %s: handshake %q that tshark does not show", k, g)
				}
			}
		})
	}
}

// expectHandshakes pairs tshark's packets: stream -> "syn synack ack" in
// microseconds.
func expectHandshakes(t *testing.T, tr [][]string) map[string]string {
	type pkt struct {
		us       int64
		flags    uint64
		seq, ack uint64
		port     string
	}
	type hs struct {
		syns           []pkt
		synack, ack    *pkt
		client, server string
	}
	byStream := map[string]*hs{}
	var order []string
	for _, r := range tr {
		if r[6] != "" || r[7] != "" || r[0] == "" {
			continue
		}
		var p pkt
		sec, frac, _ := strings.Cut(r[1], ".")
		s, _ := strconv.ParseInt(sec, 10, 64)
		f, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
		p.us = s*1e6 + f
		p.flags, _ = strconv.ParseUint(strings.TrimPrefix(r[2], "0x"), 16, 16)
		p.seq, _ = strconv.ParseUint(r[3], 10, 32)
		p.ack, _ = strconv.ParseUint(r[4], 10, 32)
		p.port = r[5]
		h := byStream[r[0]]
		if h == nil {
			h = &hs{}
			byStream[r[0]] = h
			order = append(order, r[0])
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
			if h.syns[i].seq == (h.synack.ack-1)&0xffffffff {
				syn = &h.syns[i]
			}
		}
		if syn == nil {
			continue
		}
		want[k] = fmt.Sprintf("%d %d %d", syn.us, h.synack.us, h.ack.us)
	}
	return want
}

// (c) The bytes on_stream_data delivers per stream and direction are
// those of tshark -q -z follow,tcp,raw,N.
func TestStreamDataMatchesFollow(t *testing.T) {
	bin := tsharktest.Path(t)
	const src = `
chunks = {}
def on_stream_data(stream, data):
    c = stream.conn
    sender = c.client if stream.direction == "orig" else c.server
    k = (c.id, sender)
    if k not in chunks:
        chunks[k] = []
    chunks[k].append(hex.encode(data))
def on_end():
    for k in sorted(chunks):
        emit("s", id = k[0], sender = k[1], data = "".join(chunks[k]))
`
	compared := 0
	defer func() {
		if compared == 0 && !t.Skipped() {
			t.Error("no stream compared")
		}
	}()
	for _, file := range sharkCaptures(t) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			got := map[string]string{} // "id sender" -> hex
			ids := map[string]bool{}
			for _, r := range rows(t, src, file) {
				got[r[0]+" "+r[1]] = r[2]
				ids[r[0]] = true
			}
			tr, err := sharkFields(bin, file, []string{"tcp.stream"}, "-Y", "tcp.len > 0 && !icmp && !icmpv6")
			if err != nil {
				t.Fatal(err)
			}
			streams := map[string]bool{}
			for _, r := range tr {
				streams[r[0]] = true
			}
			for id := range ids {
				if !streams[id] {
					t.Errorf("stream %s: data that tshark does not show", id)
				}
			}
			for id := range streams {
				want := follow(t, bin, file, id)
				for sender, w := range want {
					compared++
					if g := got[id+" "+sender]; g != w {
						t.Errorf("stream %s from %s: %d bytes, Follow has %d (first difference at byte %d)", id, sender, len(g)/2, len(w)/2, firstDiff(g, w)/2)
					}
				}
				for k := range got {
					if id0, sender, _ := strings.Cut(k, " "); id0 == id && want[sender] == "" {
						t.Errorf("stream %s from %s: data that Follow does not show", id, sender)
					}
				}
			}
		})
	}
}

// follow runs tshark's Follow TCP Stream in raw mode and returns the hex
// of each node's bytes by its "ip:port".
func follow(t *testing.T, bin, file, id string) map[string]string {
	t.Helper()
	cmd := exec.Command(bin, "-n", "-r", file, "-q", "-z", "follow,tcp,raw,"+id)
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark follow %s: %v", id, err)
	}
	var node [2]string
	var data [2]bytes.Buffer
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case strings.HasPrefix(line, "Node 0: "):
			node[0] = strings.TrimPrefix(line, "Node 0: ")
		case strings.HasPrefix(line, "Node 1: "):
			node[1] = strings.TrimPrefix(line, "Node 1: ")
		case strings.HasPrefix(line, "\t"):
			data[1].WriteString(strings.TrimSpace(line))
		case line != "" && !strings.ContainsAny(line, "=:"):
			data[0].WriteString(strings.TrimSpace(line))
		}
	}
	want := map[string]string{}
	for i := range node {
		if data[i].Len() > 0 {
			if _, err := hex.DecodeString(data[i].String()); err != nil {
				t.Fatalf("tshark follow %s: %v", id, err)
			}
			want[node[i]] = data[i].String()
		}
	}
	return want
}

// sharkFields is tsharktest.Fields with the first occurrence of each
// field: the outer header of a tunnel.
func sharkFields(bin, file string, fields []string, extra ...string) ([][]string, error) {
	tr, err := tsharktest.Fields(bin, file, fields, extra...)
	for _, r := range tr {
		for i := range r {
			r[i], _, _ = strings.Cut(r[i], ",")
		}
	}
	return tr, err
}

func firstDiff(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return i
}
