package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wirelark/wirelark/engine/live/netnstest"
	"github.com/wirelark/wirelark/engine/source"
)

// liveChild runs wirelark inside namespace ns and waits until it says
// the capture is on.
type liveChild struct {
	cmd    *exec.Cmd
	stdout bytes.Buffer
	stderr chan string
	errLog strings.Builder
}

func startLive(t *testing.T, ns string, args ...string) *liveChild {
	t.Helper()
	c := &liveChild{stderr: make(chan string, 100)}
	c.cmd = netnstest.Command(ns, os.Args[0], args...)
	c.cmd.Env = append(os.Environ(), "WIRELARK_TEST_MAIN=1")
	c.cmd.Stdout = &c.stdout
	errPipe, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.cmd.Process.Kill() })
	go func() {
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			c.stderr <- sc.Text()
		}
		close(c.stderr)
	}()
	for {
		select {
		case l, ok := <-c.stderr:
			if !ok {
				c.cmd.Wait()
				t.Fatalf("wirelark %v exited before capturing:\n%s", args, c.errLog.String())
			}
			c.errLog.WriteString(l + "\n")
			if strings.Contains(l, "capturing on") {
				return c
			}
		case <-time.After(20 * time.Second):
			t.Fatal("the capture did not start")
		}
	}
}

// stop sends SIGINT (after a moment for the last packets) and returns
// the exit status, standard output and standard error.
func (c *liveChild) stop(t *testing.T) (int, string, string) {
	t.Helper()
	time.Sleep(300 * time.Millisecond)
	c.cmd.Process.Signal(syscall.SIGINT)
	return c.wait(t)
}

func (c *liveChild) wait(t *testing.T) (int, string, string) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		for l := range c.stderr {
			c.errLog.WriteString(l + "\n")
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("wirelark did not exit")
	}
	err := c.cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, c.stdout.String(), c.errLog.String()
}

// traffic makes n TCP connections from A to B on each port (a server
// listens on each in B), pings and UDP; it returns the client ports by
// server port.
func liveTraffic(t *testing.T, p *netnstest.Pair, n int, ports ...int) map[int][]int {
	t.Helper()
	out := map[int][]int{}
	for _, port := range ports {
		srv, err := netnstest.Listen(p.B, p.AddrB, port)
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		cl, err := netnstest.Connect(p.A, p.AddrB, port, n)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(cl)
		out[port] = cl
	}
	if got, err := netnstest.Ping(p.A, p.AddrB, 3); err != nil || got != 3 {
		t.Fatalf("ping: %d replies, %v", got, err)
	}
	if _, err := netnstest.SendUDP(p.A, p.AddrB, 5353, 5, 32); err != nil {
		t.Fatal(err)
	}
	return out
}

// handshakeRows reads tcp_handshake.star's JSON rows: the client ports of
// the handshakes to each server port, and the summary's count.
func handshakeRows(t *testing.T, out string) (map[int][]int, int) {
	t.Helper()
	got := map[int][]int{}
	count := -1
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var row map[string]any
		if err := json.Unmarshal([]byte(l), &row); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		switch row["_table"] {
		case "handshakes":
			var cport, sport int
			fmt.Sscanf(row["client"].(string)[strings.LastIndex(row["client"].(string), ":")+1:], "%d", &cport)
			fmt.Sscanf(row["server"].(string)[strings.LastIndex(row["server"].(string), ":")+1:], "%d", &sport)
			got[sport] = append(got[sport], cport)
		case "handshake_summary":
			count = int(row["count"].(float64))
		}
	}
	for _, v := range got {
		slices.Sort(v)
	}
	return got, count
}

// TestLiveRunHandshakes runs tcp_handshake.star on a veth while the test
// makes connections across it: every handshake is reported, SIGINT ends
// the capture with on_end's summary and exit 0, and the -w file holds
// what the script saw.
func TestLiveRunHandshakes(t *testing.T) {
	p := netnstest.New(t)
	out := filepath.Join(t.TempDir(), "live.pcapng")
	c := startLive(t, p.B, "run", "tcp_handshake", "-i", p.IfB, "--format", "json", "--stats", "-w", out)
	want := liveTraffic(t, p, 5, 8080, 9090)
	code, stdout, stderr := c.stop(t)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got, count := handshakeRows(t, stdout)
	if !equalPorts(got, want) {
		t.Errorf("handshakes %v, want %v", got, want)
	}
	if count != 10 {
		t.Errorf("summary count %d, want 10 (on_end)\n%s", count, stdout)
	}
	// What the script read (--stats) is what the file holds.
	var pkts, bytes int
	for _, l := range strings.Split(stderr, "\n") {
		if strings.Contains(l, "packets read") {
			fmt.Sscanf(l[strings.Index(l, ": ")+2:], "%d packets read", &pkts)
			fmt.Sscanf(l[strings.LastIndex(l, ", ")+2:], "%d bytes", &bytes)
		}
	}
	fp, fb := readCapture(t, out)
	t.Logf("script read %d packets, %d bytes; file %d, %d", pkts, bytes, fp, fb)
	if pkts == 0 || fp != pkts || fb != bytes {
		t.Errorf("file holds %d packets, %d bytes; the script read %d, %d\n%s", fp, fb, pkts, bytes, stderr)
	}
	if !strings.Contains(stderr, fmt.Sprintf("%d packets captured", pkts)) || !strings.Contains(stderr, "0 dropped by kernel") {
		t.Errorf("capture counters missing:\n%s", stderr)
	}
}

// TestLiveRunCaptureFilter: with -f "tcp port 8080" the handshakes to
// 9090 are not seen, and the -w file holds only port 8080.
func TestLiveRunCaptureFilter(t *testing.T) {
	p := netnstest.New(t)
	out := filepath.Join(t.TempDir(), "f.pcap")
	c := startLive(t, p.B, "run", "tcp_handshake", "-i", p.IfB, "-f", "tcp port 8080", "--format", "json", "-w", out)
	want := liveTraffic(t, p, 4, 8080, 9090)
	code, stdout, stderr := c.stop(t)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got, count := handshakeRows(t, stdout)
	if !equalPorts(got, map[int][]int{8080: want[8080]}) || count != 4 {
		t.Errorf("handshakes %v (count %d), want only %v", got, count, want[8080])
	}
	// tcpdump's view of the file, where it is installed: only port 8080.
	if _, err := exec.LookPath("tcpdump"); err == nil {
		all, _ := exec.Command("tcpdump", "-nr", out).Output()
		sel, _ := exec.Command("tcpdump", "-nr", out, "tcp port 8080").Output()
		if len(all) == 0 || !bytes.Equal(all, sel) {
			t.Errorf("the file holds packets outside the filter:\n%s", all)
		}
	}
}

// TestLiveShow streams the packet list as packets come, stops at -c.
func TestLiveShow(t *testing.T) {
	p := netnstest.New(t)
	c := startLive(t, p.B, "show", "-i", p.IfB, "-Y", "icmp", "-c", "6")
	if got, err := netnstest.Ping(p.A, p.AddrB, 3); err != nil || got != 3 {
		t.Fatalf("ping: %d, %v", got, err)
	}
	code, stdout, stderr := c.wait(t)
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	if code != 0 || len(lines) != 6 {
		t.Fatalf("exit %d, %d lines:\n%s\n%s", code, len(lines), stdout, stderr)
	}
	for i, l := range lines {
		want := "Echo (ping) request"
		if i%2 == 1 {
			want = "Echo (ping) reply"
		}
		if !strings.Contains(l, want) || !strings.Contains(l, p.AddrA.String()) {
			t.Errorf("line %d: %q lacks %q", i+1, l, want)
		}
	}
}

func TestLiveErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"run", "tcp_handshake", "-i", "wl-no-such-if0"}, `no interface "wl-no-such-if0" (available: lo`},
		{[]string{"show", "-i", "wl-no-such-if0"}, `available: lo`},
		{[]string{"run", "tcp_handshake", "x.pcap", "-i", "lo"}, "not both"},
		{[]string{"run", "tcp_handshake", "x.pcap", "-f", "tcp"}, "-f needs -i"},
		{[]string{"show", "x.pcap", "-w", "y.pcap"}, "-w needs -i"},
		{[]string{"interfaces", "x"}, "unexpected argument"},
		{[]string{"run", "tcp_handshake", "-i", "lo", "-f", "tcp port ("}, "capture filter: column "},
		{[]string{"show", "-i", "lo", "-f", "tcp and"}, "tcp and\n"},
	}
	for _, tc := range tests {
		_, stderr, code := runCmd(t, nil, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d, %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
}

// TestLiveNoPrivilege: without CAP_NET_RAW the message says what is
// needed and how to grant it, exit 2.
func TestLiveNoPrivilege(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to start a process as another user")
	}
	// A copy of the test binary that the other user may run.
	dir := t.TempDir()
	bin := filepath.Join(dir, "wirelark")
	raw, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, raw, 0o755); err != nil {
		t.Fatal(err)
	}
	os.Chmod(dir, 0o755)
	os.Chmod(filepath.Dir(dir), 0o755)
	cmd := exec.Command(bin, "show", "-i", "lo", "-c", "1")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WIRELARK_TEST_MAIN=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	ee, ok := err.(*exec.ExitError)
	if !ok {
		t.Skipf("could not run as nobody: %v %s", err, out)
	}
	if ee.ExitCode() != exitUsage || !strings.Contains(string(out), "CAP_NET_RAW") || !strings.Contains(string(out), "setcap cap_net_raw,cap_net_admin=eip") {
		t.Errorf("exit %d: %s", ee.ExitCode(), out)
	}
}

func TestInterfacesCommand(t *testing.T) {
	stdout, stderr, code := runCmd(t, nil, "interfaces")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "lo (Loopback) [up") || !strings.Contains(stdout, "127.0.0.1/8") || !strings.Contains(stdout, ". any (Pseudo-device") {
		t.Errorf("interfaces:\n%s", stdout)
	}
	for i, l := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if !strings.HasPrefix(l, fmt.Sprintf("%d. ", i+1)) {
			t.Errorf("line %d not numbered: %q", i+1, l)
		}
	}
}

func equalPorts(a, b map[int][]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !slices.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// readCapture counts the packets and captured bytes of a file.
func readCapture(t *testing.T, path string) (int, int) {
	t.Helper()
	r, err := source.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var f source.Frame
	n, b := 0, 0
	for {
		err := r.Next(&f)
		if err == io.EOF {
			return n, b
		}
		if err != nil {
			t.Fatalf("%s after %d packets: %v", path, n, err)
		}
		n++
		b += len(f.Data)
	}
}
