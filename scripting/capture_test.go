package scripting

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/tsharktest"
	"github.com/wirelark/wirelark/scripts"
	"github.com/wirelark/wirelark/show"
)

// sequential decodes a capture front to back, as `wirelark show` does,
// and returns each packet's list line and detail tree.
func sequential(t *testing.T, path string) (lines, trees []string) {
	t.Helper()
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	dec := packet.NewDecoder()
	var f source.Frame
	for r.Next(&f) == nil {
		p := dec.Decode(&f)
		lines = append(lines, show.List(p).String())
		trees = append(trees, treeText(p))
	}
	return lines, trees
}

func treeText(p *packet.Packet) string {
	var sb strings.Builder
	w := bufio.NewWriter(&sb)
	show.Tree(w, p)
	w.Flush()
	return sb.String()
}

// allCaptures lists the shared captures and corpus files.
func allCaptures(t *testing.T) []string {
	var files []string
	for _, pat := range []string{filepath.Join(sharedCaptures, "*.pcap*"), filepath.Join(sharedCorpus, "*", "*.pcap*")} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no shared captures")
	}
	return files
}

// A packet read at random from the index is the packet a front-to-back
// decode gives: same list line, same detail tree (stream indexes,
// relative sequence numbers and reassembled datagrams included), in
// every shared capture, read back to front.
func TestCaptureRandomAccessMatchesSequential(t *testing.T) {
	files := allCaptures(t)
	total := 0
	for _, file := range files {
		lines, trees := sequential(t, file)
		c, err := OpenCapture(file, nil)
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		if c.Len() != len(lines) {
			t.Errorf("%s: %d packets indexed, %d decoded", file, c.Len(), len(lines))
		}
		for i := c.Len() - 1; i >= 0 && i < len(lines); i-- {
			p, err := c.ix.decode(i)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			if got := show.List(p).String(); got != lines[i] {
				t.Errorf("%s frame %d:\n got %s\nwant %s", file, i+1, got, lines[i])
				continue
			}
			if got := treeText(p); got != trees[i] {
				t.Errorf("%s frame %d: detail tree differs:\n got %s\nwant %s", file, i+1, got, trees[i])
			}
			total++
		}
		c.Close()
	}
	t.Logf("%d packets of %d files compared", total, len(files))
}

// A gzip'd capture is indexed in memory and reads the same.
func TestCaptureGzip(t *testing.T) {
	src := sharedFile(t, sharedCaptures, "dhcp_dora.pcap")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(t.TempDir(), "dora.pcap.gz")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(data)
	zw.Close()
	os.WriteFile(gz, buf.Bytes(), 0o644)
	lines, _ := sequential(t, src)
	c, err := OpenCapture(gz, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.ix.format != "pcap+gzip" || c.ix.file != nil {
		t.Errorf("format %q, file %v: want pcap+gzip read from memory", c.ix.format, c.ix.file)
	}
	for i := range lines {
		p, err := c.ix.packet(i)
		if err != nil {
			t.Fatal(err)
		}
		if got := show.List(p).String(); got != lines[i] {
			t.Errorf("frame %d: got %s, want %s", i+1, got, lines[i])
		}
	}
}

// evalCap evaluates Starlark expressions with cap bound to a capture and
// returns their values' repr.
func evalCap(t *testing.T, c *Capture, exprs ...string) []string {
	t.Helper()
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	sess := NewSession(SessionConfig{Out: w, MaxSteps: DefaultMaxSteps, Builtin: EmbeddedRoot(BuiltinRoot, scripts.Files)})
	sess.Globals()["cap"] = c
	var got []string
	for _, e := range exprs {
		f, err := sess.Options().ParseCompoundStmt("<test>", lineReader(e))
		if err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		v, err := sess.Eval(f)
		if err != nil {
			got = append(got, "error: "+Describe(err))
			continue
		}
		got = append(got, v.String())
	}
	return got
}

func lineReader(src string) func() ([]byte, error) {
	lines := strings.SplitAfter(src+"\n", "\n")
	return func() ([]byte, error) {
		if len(lines) == 0 || lines[0] == "" {
			return nil, io.EOF
		}
		l := lines[0]
		lines = lines[1:]
		return []byte(l), nil
	}
}

func TestCaptureIndexing(t *testing.T) {
	file := sharedFile(t, sharedCaptures, "dhcp_dora.pcap")
	c, err := OpenCapture(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	n := c.Len()
	tests := []struct{ expr, want string }{
		{"len(cap)", strconv.Itoa(n)},
		{"cap[0].num", "1"},
		{"cap[-1].num", strconv.Itoa(n)},
		{"cap[-2].num", strconv.Itoa(n - 1)},
		{"[p.num for p in cap[10:13]]", "[11, 12, 13]"},
		{"[p.num for p in cap[:3]]", "[1, 2, 3]"},
		{"[p.num for p in cap[-2:]]", "[" + strconv.Itoa(n-1) + ", " + strconv.Itoa(n) + "]"},
		{"[p.num for p in cap[4:0:-2]]", "[5, 3]"},
		{"len([p for p in cap])", strconv.Itoa(n)},
		{"cap[0].time == cap[0].time", "True"},
		{"type(cap)", `"capture"`},
		{"cap.format", `"pcap"`},
		{"cap.link_types", `["Ethernet"]`},
		{"cap[" + strconv.Itoa(n) + "]", "error: capture index " + strconv.Itoa(n) + " out of range"},
		{"cap[-" + strconv.Itoa(n+1) + "]", "error: capture index -" + strconv.Itoa(n+1) + " out of range"},
		{`cap["x"]`, "error: capture index: got string, want int"},
		{"cap.nosuch", "error: capture has no attribute .nosuch"},
		// A packet kept from an earlier read stays valid after others
		// are decoded.
		{"[cap[i].num for i in range(len(cap))][0]", "1"},
	}
	var exprs []string
	for _, tc := range tests {
		exprs = append(exprs, tc.expr)
	}
	got := evalCap(t, c, exprs...)
	for i, tc := range tests {
		if !strings.HasPrefix(got[i], tc.want) && !strings.Contains(got[i], strings.TrimPrefix(tc.want, "error: ")) || strings.HasPrefix(tc.want, "error") != strings.HasPrefix(got[i], "error") {
			t.Errorf("%s = %s, want %s", tc.expr, got[i], tc.want)
		}
	}
}

// Packets stay valid after the cache has cycled through the whole file.
func TestCapturePacketsOutliveCache(t *testing.T) {
	file := sharedFile(t, sharedCaptures, "mixed_office.pcap")
	c, err := OpenCapture(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	first, _ := c.value(0)
	want, _ := first.ListLine()
	for i := 0; i < c.Len(); i++ {
		c.value(i)
	}
	for i := 0; i < cacheLen+10 && i < c.Len(); i++ {
		c.value(c.Len() - 1 - i)
	}
	got, err := first.ListLine()
	if err != nil || got != want {
		t.Errorf("packet 1 after the cache cycled: %q, %v; want %q", got, err, want)
	}
}

// cap.filter selects the frames tshark -Y selects.
func TestCaptureFilterMatchesTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	cases := []struct{ file, expr string }{
		{"dhcp_dora.pcap", "dhcp || arp"},
		{"dhcp_dora.pcap", "dhcp.option.dhcp == 5"},
		{"mixed_office.pcap", "tcp.stream == 1"},
		{"mixed_office.pcap", "dns && udp.srcport == 53"},
		{"http_get.pcap", "tcp.flags.syn == 1"},
		{"tcp_anomalies.pcap", "tcp.len > 0"},
	}
	for _, tc := range cases {
		file := sharedFile(t, sharedCaptures, tc.file)
		rows, err := tsharktest.Fields(bin, file, []string{"frame.number"}, "-Y", tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, r := range rows {
			want = append(want, r[0])
		}
		c, err := OpenCapture(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := evalCap(t, c, `",".join([str(p.num) for p in cap.filter(`+strconv.Quote(tc.expr)+`)])`)[0]
		c.Close()
		if got != strconv.Quote(strings.Join(want, ",")) {
			t.Errorf("%s: filter %q: got %s, want %q", tc.file, tc.expr, got, strings.Join(want, ","))
		} else {
			t.Logf("%s: %q: %d frames equal", tc.file, tc.expr, len(want))
		}
	}
	c, err := OpenCapture(sharedFile(t, sharedCaptures, "dhcp_dora.pcap"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := evalCap(t, c, `cap.filter("ip.src ==")`)[0]; !strings.Contains(got, "error") {
		t.Errorf("a bad filter gave %s, want an error", got)
	}
}

// cap.conns() gives the connections scripts/conn_log.star reports.
func TestCaptureConnsMatchConnLog(t *testing.T) {
	for _, name := range []string{"mixed_office.pcap", "http_get.pcap", "tcp_anomalies.pcap", "dhcp_dora.pcap", "icmp_ping.pcap"} {
		file := sharedFile(t, sharedCaptures, name)
		ref, err := Find("conn_log", nil, EmbeddedRoot(BuiltinRoot, scripts.Files))
		if err != nil {
			t.Fatal(err)
		}
		r := runRef(t, ref, []string{file}, 3) // TSV: one line per conn
		if r.err != nil {
			t.Fatal(r.err)
		}
		var want []string
		for _, l := range strings.Split(r.out, "\n") {
			if l == "" || strings.HasPrefix(l, "#") {
				continue
			}
			cells := strings.Split(l, "\t")
			for i, c := range cells {
				if c == "(empty)" { // TSV's empty string
					cells[i] = ""
				}
			}
			// uid, id, orig_h, orig_p, resp_h, resp_p, proto, state, history, pkts
			want = append(want, strings.Join([]string{cells[1], cells[2], cells[3], cells[4], cells[5], cells[6], cells[7], cells[12], cells[13], cells[14], cells[15]}, " "))
		}
		sort.Strings(want)
		c, err := OpenCapture(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		got := evalCap(t, c, `"\n".join(["%d %d %s %d %s %d %s %s %s %d %d" % (k.uid, k.id, k.orig_h, k.orig_p, k.resp_h, k.resp_p, k.proto, k.state, k.history, k.orig_pkts, k.resp_pkts) for k in cap.conns()])`)[0]
		c.Close()
		s, err := strconv.Unquote(got)
		if err != nil {
			t.Fatalf("%s: %s", name, got)
		}
		lines := strings.Split(s, "\n")
		if s == "" {
			lines = nil
		}
		sort.Strings(lines)
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: cap.conns():\n%s\nconn_log.star:\n%s", name, strings.Join(lines, "\n"), strings.Join(want, "\n"))
		} else if len(want) == 0 {
			t.Errorf("%s: no connections", name)
		} else {
			t.Logf("%s: %d connections equal", name, len(want))
		}
	}
}

// stream.follow() of cap.streams() prints what tshark -z follow,tcp,ascii
// prints for the same stream.
func TestCaptureFollowMatchesTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	for _, tc := range []struct {
		file    string
		streams int
	}{{"http_get.pcap", 1}, {"ftp_session.pcap", 2}, {"telnet_login.pcap", 1}} {
		file := sharedFile(t, sharedCaptures, tc.file)
		c, err := OpenCapture(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		for id := 0; id < tc.streams; id++ {
			cmd := exec.Command(bin, "-n", "-q", "-r", file, "-z", "follow,tcp,ascii,"+strconv.Itoa(id))
			out, err := cmd.Output()
			if err != nil {
				t.Fatal(err)
			}
			want := strings.TrimLeft(string(out), "\n")
			got := evalCap(t, c, "[s for s in cap.streams() if s.conn.id == "+strconv.Itoa(id)+"][0].follow()")[0]
			g, err := strconv.Unquote(got)
			if err != nil {
				t.Fatalf("%s: %s", tc.file, got)
			}
			if g != want {
				t.Errorf("%s stream %d:\n got %s\nwant %s", tc.file, id, g, want)
			} else {
				t.Logf("%s stream %d: %d bytes of follow text equal", tc.file, id, len(want))
			}
		}
		c.Close()
	}
}

// cap.stats() prints tshark's protocol hierarchy.
func TestCaptureStatsMatchesTshark(t *testing.T) {
	bin := tsharktest.Path(t)
	// (Captures with protocols the decoder does not dissect yet, HTTP, SMB,
	// SSH or Kerberos, show them as data where tshark names them.)
	for _, name := range []string{"dhcp_dora.pcap", "ipv6_nd.pcap", "icmp_ping.pcap", "traceroute.pcap", "dns_queries.pcap", "arp_resolution.pcap"} {
		file := sharedFile(t, sharedCaptures, name)
		out, err := exec.Command(bin, "-n", "-q", "-r", file, "-z", "io,phs").Output()
		if err != nil {
			t.Fatal(err)
		}
		c, err := OpenCapture(file, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := strconv.Unquote(evalCap(t, c, "cap.stats()")[0])
		c.Close()
		if got != string(out) {
			t.Errorf("%s:\n got %s\nwant %s", name, got, out)
		} else {
			t.Logf("%s: %d lines equal", name, strings.Count(got, "\n"))
		}
	}
}

// cap.run runs a shipped script over the capture and prints its tables.
func TestCaptureRun(t *testing.T) {
	file := sharedFile(t, sharedCaptures, "dhcp_dora.pcap")
	ref, err := Find("@scripts/dhcp_transactions.star", nil, EmbeddedRoot(BuiltinRoot, scripts.Files))
	if err != nil {
		t.Fatal(err)
	}
	want := runRef(t, ref, []string{file}, 0)
	if want.err != nil {
		t.Fatal(want.err)
	}
	c, err := OpenCapture(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	sess := NewSession(SessionConfig{Out: w, MaxSteps: DefaultMaxSteps, Builtin: EmbeddedRoot(BuiltinRoot, scripts.Files)})
	sess.Globals()["cap"] = c
	for _, src := range []string{`cap.run("@scripts/dhcp_transactions.star")`, `cap.run("nosuch_script")`} {
		f, err := sess.Options().ParseCompoundStmt("<test>", lineReader(src))
		if err != nil {
			t.Fatal(err)
		}
		v, err := sess.Eval(f)
		if src == `cap.run("nosuch_script")` {
			if err == nil {
				t.Errorf("%s: no error", src)
			}
			continue
		}
		if err != nil || v != starlark.None {
			t.Fatalf("%s: %v, %v", src, v, err)
		}
	}
	if out.String() != want.out || want.out == "" {
		t.Errorf("cap.run printed:\n%s\nwirelark run prints:\n%s", out.String(), want.out)
	}
}

// A session interrupted during a long loop stops with ErrInterrupted and
// works again after Reset.
func TestSessionInterrupt(t *testing.T) {
	var out bytes.Buffer
	sess := NewSession(SessionConfig{Out: bufio.NewWriter(&out)})
	f, err := sess.Options().ParseCompoundStmt("<test>", lineReader("for i in range(1000000000):\n    pass\n"))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { _, err := sess.Eval(f); done <- err }()
	sess.Interrupt()
	if err := <-done; err != ErrInterrupted {
		t.Fatalf("got %v, want ErrInterrupted", err)
	}
	sess.Reset()
	f, _ = sess.Options().ParseCompoundStmt("<test>", lineReader("1 + 1"))
	if v, err := sess.Eval(f); err != nil || v.String() != "2" {
		t.Errorf("after Reset: %v, %v", v, err)
	}
}

// help() names every attribute of a capture.
func TestCaptureDocsCoverAttributes(t *testing.T) {
	documented := map[string]bool{}
	for _, d := range CaptureDocs {
		documented[strings.TrimPrefix(d.Name, "cap.")] = true
	}
	for _, a := range captureMembers {
		if !documented[a] {
			t.Errorf("cap.%s is not in CaptureDocs", a)
		}
	}
	// The capture module's functions, documented as capture.NAME.
	mod := NewSession(SessionConfig{Out: bufio.NewWriter(io.Discard)}).Globals()["capture"].(*starlarkstruct.Module)
	for name := range mod.Members {
		if !documented["capture."+name] {
			t.Errorf("capture.%s is not in CaptureDocs", name)
		}
	}
	for name := range documented {
		if fn, ok := strings.CutPrefix(name, "capture."); ok {
			if mod.Members[fn] == nil {
				t.Errorf("CaptureDocs documents %s, which does not exist", name)
			}
		} else if !contains(captureMembers, name) {
			t.Errorf("CaptureDocs documents cap.%s, which does not exist", name)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
