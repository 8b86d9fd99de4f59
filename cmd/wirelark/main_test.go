package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const captures = "../../../shared/captures"

func runCmd(t *testing.T, stdin []byte, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, bytes.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func needShared(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(captures); err != nil {
		t.Skip("shared captures not found beside the repository")
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "Usage"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"show"}, "no capture file"},
		{[]string{"show", "x.pcap", "-e", "ip.scr"}, `did you mean "ip.src"`},
		{[]string{"show", "x.pcap", "-e", "ip.src", "-E", "occurrence=z"}, "occurrence=z"},
		{[]string{"show", "/nonexistent/x.pcap"}, "no such file"},
		{[]string{"fields", "tcpp"}, `did you mean "tcp"`},
	}
	for _, tc := range tests {
		_, stderr, code := runCmd(t, nil, tc.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want %d", tc.args, code, exitUsage)
		}
		if !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: stderr %q lacks %q", tc.args, stderr, tc.want)
		}
	}
}

func TestShowFieldsAndOptions(t *testing.T) {
	needShared(t)
	file := filepath.Join(captures, "icmp_ping.pcap")
	out, stderr, code := runCmd(t, nil, "show", file, "-e", "frame.number", "-e", "ip.src", "-e", "eth.addr", "--header", "-c", "3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 4 || lines[0] != "frame.number\tip.src\teth.addr" {
		t.Fatalf("unexpected output:\n%s", out)
	}
	// Frame 1 is an ARP request: no ip.src; eth.addr lists dst then src.
	if lines[1] != "1\t\tff:ff:ff:ff:ff:ff,02:00:c0:a8:01:64" {
		t.Errorf("line 1 = %q", lines[1])
	}
	out, _, _ = runCmd(t, nil, "show", file, "-e", "eth.addr", "-E", "occurrence=l", "-E", "separator=,", "-e", "frame.len", "-c", "1")
	if out != "02:00:c0:a8:01:64,42\n" {
		t.Errorf("occurrence=l with separator: %q", out)
	}
}

func TestShowStdinGzip(t *testing.T) {
	needShared(t)
	raw, err := os.ReadFile(filepath.Join(captures, "icmp_ping.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	w := gzip.NewWriter(&gz)
	w.Write(raw)
	w.Close()
	out, stderr, code := runCmd(t, gz.Bytes(), "show", "-", "-e", "frame.number")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if n := strings.Count(out, "\n"); n != 22 {
		t.Errorf("read %d packets from gzip'd stdin, want 22", n)
	}
}

func TestShowDamagedFile(t *testing.T) {
	needShared(t)
	raw, err := os.ReadFile(filepath.Join(captures, "icmp_ping.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	// The header (24) and the first two 42-byte ARP frames (16+42 each)
	// end at byte 140; cut 10 bytes into the third record.
	os.WriteFile(cut, raw[:150], 0o644)
	out, stderr, code := runCmd(t, nil, "show", cut, "-e", "frame.number")
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if out != "1\n2\n" {
		t.Errorf("packets before the damage: %q", out)
	}
	if !strings.Contains(stderr, cut) || !strings.Contains(stderr, "byte 140") {
		t.Errorf("stderr %q should name the file and byte 140", stderr)
	}
}

func TestShowNotACapture(t *testing.T) {
	f := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(f, []byte("hello, this is text\n"), 0o644)
	_, stderr, code := runCmd(t, nil, "show", f)
	if code != exitUsage || !strings.Contains(stderr, "not a pcap or pcapng file") || !strings.Contains(stderr, f) {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestFieldsListing(t *testing.T) {
	out, _, code := runCmd(t, nil, "fields", "ip")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"ip\tprotocol\t", "ip.src\tipv4\t", "ip.flags.mf\tbool\t", "ip.ttl\tuint8\t"} {
		if !strings.Contains(out, want) {
			t.Errorf("fields ip lacks %q", want)
		}
	}
	if strings.Contains(out, "tcp.srcport") {
		t.Error("fields ip lists tcp fields")
	}
}

func TestShowDisplayFilter(t *testing.T) {
	needShared(t)
	file := filepath.Join(captures, "icmp_ping.pcap")
	out, stderr, code := runCmd(t, nil, "show", file, "-Y", "icmp.type == 0 && ip.src == 192.168.1.20", "-e", "frame.number", "-c", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The second ping run targets 192.168.1.20; its replies come after the
	// ARP exchange, and -c counts shown packets.
	if out != "14\n16\n" {
		t.Fatalf("want frames 14 and 16 (as tshark selects), got %q", out)
	}
	_, stderr, code = runCmd(t, nil, "show", file, "-Y", "icmp.tpye == 8")
	if code != exitUsage || !strings.Contains(stderr, "column 1") || !strings.Contains(stderr, "^~~~") || !strings.Contains(stderr, `"icmp.type"`) {
		t.Errorf("bad filter: exit %d, stderr %q", code, stderr)
	}
}

func TestDoc(t *testing.T) {
	out, _, code := runCmd(t, nil, "doc", "stats")
	if code != 0 || !strings.Contains(out, "stats.inc(name, key=None, by=1)") || strings.Contains(out, "emit(") {
		t.Errorf("doc stats: exit %d\n%s", code, out)
	}
	_, stderr, code := runCmd(t, nil, "doc", "stast")
	if code != exitUsage || !strings.Contains(stderr, `did you mean "stats"`) {
		t.Errorf("doc stast: exit %d, %q", code, stderr)
	}
}
