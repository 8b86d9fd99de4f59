package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the command in a child process (for signals):
// with WIRELARK_TEST_MAIN=1 the test binary is wirelark.
func TestMain(m *testing.M) {
	if os.Getenv("WIRELARK_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

const mixedPcap = "../../testdata/mixed.pcap"

// script writes a script file and returns its path.
func script(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x.star")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunUsageErrors(t *testing.T) {
	ok := script(t, "def on_end(): pass\n")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run"}, "no script given"},
		{[]string{"run", ok}, "no capture file given"},
		{[]string{"run", ok, mixedPcap, "--format", "xml"}, `unknown output format "xml" (want text, json, csv, tsv)`},
		{[]string{"run", ok, mixedPcap, "-Y", "ip.scr == 1"}, "-Y: column 1"},
		{[]string{"run", ok, mixedPcap, "--arg", "novalue"}, `--arg "novalue": want key=value`},
		{[]string{"run", ok, mixedPcap, "--lib", "x"}, `--lib: library "x": want name=dir`},
		{[]string{"run", "no_such_script", mixedPcap}, "no script no_such_script: not a file, and no no_such_script.star in @scripts (built in)"},
		{[]string{"run", ok, "/nonexistent/x.pcap"}, "no such file"},
		{[]string{"check"}, "no script given"},
		{[]string{"scripts", "extra"}, `unexpected argument "extra"`},
	}
	for _, tc := range tests {
		_, stderr, code := runCmd(t, nil, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %d and %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
}

func TestRunScriptErrors(t *testing.T) {
	// A syntax error: exit 1, the position named.
	_, stderr, code := runCmd(t, nil, "run", script(t, "def on_packet(pkt)\n"), mixedPcap)
	if code != exitScript || !strings.Contains(stderr, "x.star:2:1: got newline, want ':'") {
		t.Errorf("syntax error: exit %d, stderr %q", code, stderr)
	}
	// A handler error: exit 1, backtrace, handler and packet, rows so far
	// written.
	src := "FILTER = \"arp\"\ndef on_packet(pkt):\n    emit(\"t\", n = pkt.num)\n    if pkt.num == 57:\n        fail()\ndef fail():\n    return {}[\"k\"]\n"
	stdout, stderr, code := runCmd(t, nil, "run", script(t, src), mixedPcap, "--format", "csv")
	if code != exitScript {
		t.Errorf("handler error: exit %d", code)
	}
	for _, want := range []string{"wirelark run: error in on_packet, packet 57:\nTraceback (most recent call last):\n", "x.star:5:13: in on_packet\n", "x.star:7:14: in fail\n", `Error: key "k" not in dict`} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
	if stdout != "n\n3\n4\n57\n" {
		t.Errorf("rows before the error: %q", stdout)
	}
}

func TestRunKeepGoingAndStats(t *testing.T) {
	src := "def on_packet(pkt):\n    if pkt.arp:\n        x = 1 // 0\ndef on_end():\n    print(\"done\")\n"
	stdout, stderr, code := runCmd(t, nil, "run", script(t, src), mixedPcap, "--keep-going", "--stats")
	if code != exitScript || stdout != "done\n" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	for _, want := range []string{
		"wirelark run: 11 error(s) in on_packet; the first, in on_packet, packet 3:\nTraceback",
		"wirelark run: 300 packets read, 300 decoded, 0 filtered out, 0 malformed, 128034 bytes\n",
		"wirelark run: handler calls: on_packet 300 (11 errors), on_end 1\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr %q lacks %q", stderr, want)
		}
	}
}

func TestRunArgsFilterFormats(t *testing.T) {
	src := "def on_packet(pkt):\n    emit(\"t\", n = pkt.num, who = ARGS[\"who\"])\n"
	stdout, stderr, code := runCmd(t, nil, "run", script(t, src), mixedPcap, "-Y", "arp", "--arg", "who=me", "--format", "json", "--arg", "x=y=z")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if len(lines) != 11 || lines[0] != `{"_table":"t","n":3,"who":"me"}` {
		t.Errorf("output %q", stdout)
	}
	// -o DIR: one file per table, nothing on standard output but print.
	dir := filepath.Join(t.TempDir(), "out")
	src = "def on_packet(pkt):\n    emit(\"arp\" if pkt.arp else \"other\", n = pkt.num)\ndef on_end():\n    print(\"printed\")\n"
	stdout, stderr, code = runCmd(t, nil, "run", script(t, src), mixedPcap, "-o", dir, "--format", "tsv")
	if code != exitOK || stdout != "printed\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	arp, _ := os.ReadFile(filepath.Join(dir, "arp.tsv"))
	other, _ := os.ReadFile(filepath.Join(dir, "other.tsv"))
	if !strings.Contains(string(arp), "#path\tarp\n#fields\tn\n#types\tint\n3\n4\n57\n") || strings.Count(string(other), "\n") != 289+7 {
		t.Errorf("arp.tsv:\n%s\nother.tsv has %d lines", arp, strings.Count(string(other), "\n"))
	}
}

// A damaged capture: what was read is analysed (on_end runs), then the
// file and byte offset are named, exit 2.
func TestRunDamagedCapture(t *testing.T) {
	raw, err := os.ReadFile(mixedPcap)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.pcap")
	os.WriteFile(cut, raw[:1000], 0o644)
	stdout, stderr, code := runCmd(t, nil, "run", script(t, "def on_end(s):\n    print(s.packets)\n"), cut)
	if code != exitUsage || stdout == "" || stdout == "0\n" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
	if !strings.Contains(stderr, cut+": byte ") || !strings.Contains(stderr, "packets analysed before the damage") {
		t.Errorf("stderr %q", stderr)
	}
}

func TestRunByNameAndLibraries(t *testing.T) {
	lib := t.TempDir()
	os.WriteFile(filepath.Join(lib, "count_arp.star"), []byte("\"\"\"Counts ARP packets.\"\"\"\nload(\"./common.star\", \"label\")\nFILTER = \"arp\"\ndef on_end(s):\n    print(label, s.handler_calls)\ndef on_packet(pkt): pass\n"), 0o644)
	os.WriteFile(filepath.Join(lib, "common.star"), []byte("label = \"arp packets:\"\n"), 0o644)
	t.Setenv("WIRELARK_PATH", "team="+lib)

	stdout, stderr, code := runCmd(t, nil, "run", "count_arp", mixedPcap)
	if code != exitOK || stdout != "arp packets: {\"on_packet\": 11, \"on_end\": 1}\n" {
		t.Errorf("run by name: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	stdout, _, code = runCmd(t, nil, "run", script(t, "load(\"@team/common.star\", \"label\")\ndef on_start():\n    print(label)\n"), mixedPcap)
	if code != exitOK || stdout != "arp packets:\n" {
		t.Errorf("load from WIRELARK_PATH: exit %d, stdout %q", code, stdout)
	}
	stdout, _, code = runCmd(t, nil, "scripts")
	if code != exitOK {
		t.Fatalf("scripts: exit %d", code)
	}
	for _, want := range []string{"NAME", "count_arp", "@team (" + lib + ")", "Counts ARP packets.", "summary", "arp_watch", "@scripts (built in)", "Protocol hierarchy and top talkers"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("scripts output lacks %q:\n%s", want, stdout)
		}
	}
	stdout, stderr, code = runCmd(t, nil, "check", "count_arp", "summary", "arp_watch")
	if code != exitOK || !strings.Contains(stdout, "@team/count_arp.star: ok, handlers on_end, on_packet, FILTER \"arp\"\n") || !strings.Contains(stdout, "@scripts/summary.star: ok") {
		t.Errorf("check: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	_, stderr, code = runCmd(t, nil, "check", script(t, "def on_pakcet(pkt): pass\n"))
	if code != exitScript || !strings.Contains(stderr, "unknown handler on_pakcet (did you mean on_packet?)") {
		t.Errorf("check typo: exit %d, stderr %q", code, stderr)
	}
}

// pcapRecords splits a classic pcap file into its header and records.
func pcapRecords(t *testing.T, raw []byte) ([]byte, [][]byte) {
	t.Helper()
	hdr, rest := raw[:24], raw[24:]
	var recs [][]byte
	for len(rest) >= 16 {
		n := int(binary.LittleEndian.Uint32(rest[8:12]))
		recs = append(recs, rest[:16+n])
		rest = rest[16+n:]
	}
	return hdr, recs
}

// child starts wirelark in a child process reading a capture from a
// pipe on its standard input.
func child(t *testing.T, args ...string) (*exec.Cmd, io.WriteCloser, *bufio.Reader, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "WIRELARK_TEST_MAIN=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	return cmd, stdin, bufio.NewReader(stdout), &stderr
}

// readLines reads n lines, failing after a timeout.
func readLines(t *testing.T, r *bufio.Reader, n int) []string {
	t.Helper()
	ch := make(chan []string, 1)
	go func() {
		var lines []string
		for len(lines) < n {
			l, err := r.ReadString('\n')
			if err != nil {
				break
			}
			lines = append(lines, strings.TrimSuffix(l, "\n"))
		}
		ch <- lines
	}()
	select {
	case lines := <-ch:
		return lines
	case <-time.After(20 * time.Second):
		t.Fatalf("timed out waiting for %d lines of output", n)
	}
	return nil
}

// waitExit reads the rest of the child's output, waits for it to exit
// and returns its exit status.
func waitExit(t *testing.T, cmd *exec.Cmd, stdout io.Reader) (int, string) {
	t.Helper()
	done := make(chan error, 1)
	var rest []byte
	go func() {
		// Wait closes the pipe: read everything first.
		rest, _ = io.ReadAll(stdout)
		done <- cmd.Wait()
	}()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), string(rest)
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0, string(rest)
	case <-time.After(20 * time.Second):
		t.Fatal("the child did not exit after SIGINT")
	}
	return -1, ""
}

// Ctrl-C while reading an endless capture from a pipe: rows emitted so
// far are written (they appear as soon as the input goes quiet), nothing
// else runs (no on_end), exit 130.
func TestRunSIGINTWhileReading(t *testing.T) {
	raw, err := os.ReadFile(mixedPcap)
	if err != nil {
		t.Fatal(err)
	}
	hdr, recs := pcapRecords(t, raw)
	src := script(t, "def on_packet(pkt):\n    emit(\"t\", n = pkt.num)\ndef on_end():\n    print(\"on_end ran\")\n")
	cmd, stdin, stdout, stderr := child(t, "run", src, "-", "--format", "json")
	stdin.Write(hdr)
	for _, r := range recs[:5] {
		stdin.Write(r)
	}
	// The pipe stays open: the capture has no end.
	lines := readLines(t, stdout, 5)
	if len(lines) != 5 || lines[4] != `{"_table":"t","n":5}` {
		t.Fatalf("rows while the input is quiet: %q", lines)
	}
	cmd.Process.Signal(syscall.SIGINT)
	code, rest := waitExit(t, cmd, stdout)
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr %q", code, exitInterrupted, stderr.String())
	}
	if len(rest) != 0 || !strings.Contains(stderr.String(), "wirelark run: interrupted") {
		t.Errorf("after the signal: stdout %q, stderr %q", rest, stderr.String())
	}
	stdin.Close()
}

// Ctrl-C while a handler loops for ever (no step budget): the handler is
// cancelled, what it emitted first is written, exit 130.
func TestRunSIGINTCancelsHandler(t *testing.T) {
	raw, err := os.ReadFile(mixedPcap)
	if err != nil {
		t.Fatal(err)
	}
	hdr, recs := pcapRecords(t, raw)
	src := script(t, "def on_packet(pkt):\n    emit(\"t\", n = pkt.num)\n    if pkt.num == 3:\n        for i in range(1 << 62):\n            pass\ndef on_end():\n    print(\"on_end ran\")\n")
	cmd, stdin, stdout, stderr := child(t, "run", src, "-", "--format", "json", "--max-steps", "0")
	stdin.Write(hdr)
	stdin.Write(recs[0])
	stdin.Write(recs[1])
	if lines := readLines(t, stdout, 2); len(lines) != 2 {
		t.Fatalf("first rows: %q", lines)
	}
	stdin.Write(recs[2]) // its handler never returns by itself
	time.Sleep(500 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGINT)
	code, rest := waitExit(t, cmd, stdout)
	if code != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr %q", code, exitInterrupted, stderr.String())
	}
	if rest != `{"_table":"t","n":3}`+"\n" {
		t.Errorf("after the signal: stdout %q, stderr %q", rest, stderr.String())
	}
	stdin.Close()
}
