package repl

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/wirelark/wirelark/engine/live/netnstest"
)

// The terminal tests run the wirelark binary, built once, on a
// pseudo-terminal, typing as a person does and waiting for what the
// screen shows.

var wirelarkBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "wirelark-repl-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	wirelarkBin = filepath.Join(dir, "wirelark")
	build := exec.Command("go", "build", "-o", wirelarkBin, "../../cmd/wirelark")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building wirelark:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// waitTimeout bounds every wait for output.
const waitTimeout = 20 * time.Second

// term is the REPL running on a pseudo-terminal.
type term struct {
	t    *testing.T
	cmd  *exec.Cmd
	f    *os.File
	mu   sync.Mutex
	buf  bytes.Buffer
	seen int // output before this offset was matched already
	done chan struct{}
}

// startREPL runs `wirelark repl args...` with its state (history) under
// state.
func startREPL(t *testing.T, state string, args ...string) *term {
	t.Helper()
	return startOn(t, state, exec.Command(wirelarkBin, append([]string{"repl"}, args...)...))
}

// startOn runs cmd, a wirelark repl command, as startREPL does.
func startOn(t *testing.T, state string, cmd *exec.Cmd) *term {
	t.Helper()
	cmd.Env = append(os.Environ(), "HOME="+state, "XDG_STATE_HOME="+filepath.Join(state, "xdg"), "TERM=xterm", "WIRELARK_PATH=")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 50, Cols: 200})
	if err != nil {
		t.Fatal(err)
	}
	tm := &term{t: t, cmd: cmd, f: f, done: make(chan struct{})}
	go func() {
		defer close(tm.done)
		b := make([]byte, 4096)
		for {
			n, err := f.Read(b)
			tm.mu.Lock()
			tm.buf.Write(b[:n])
			tm.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
	})
	tm.expect(">>> ")
	return tm
}

// send types text.
func (tm *term) send(s string) {
	tm.t.Helper()
	if _, err := tm.f.Write([]byte(s)); err != nil {
		tm.t.Fatal(err)
	}
}

// expect waits until the output since the last match holds want.
func (tm *term) expect(want string) {
	tm.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		tm.mu.Lock()
		out := tm.buf.String()
		tm.mu.Unlock()
		if i := strings.Index(out[tm.seen:], want); i >= 0 {
			tm.seen += i + len(want)
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("no %q in the output after %v; output since the last match:\n%s", want, waitTimeout, out[tm.seen:])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// exit sends Ctrl-D at the prompt and waits for the REPL to end.
func (tm *term) exit() {
	tm.t.Helper()
	tm.send("\x04")
	select {
	case <-tm.done:
	case <-time.After(waitTimeout):
		tm.t.Fatal("the REPL did not exit on Ctrl-D")
	}
	if err := tm.cmd.Wait(); err != nil {
		tm.t.Errorf("exit: %v", err)
	}
}

func sharedCapture(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "captures", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared capture %s not available: %v", p, err)
	}
	return p
}

func TestTerminalCompletion(t *testing.T) {
	tm := startREPL(t, t.TempDir(), sharedCapture(t, "http_get.pcap"))
	// A global name, then attributes of the value before the dot.
	tm.send("ca\t")
	tm.expect("cap")
	tm.send("[2].tc\t")
	tm.expect("cap[2].tcp")
	tm.send(".fl\t")
	tm.expect("cap[2].tcp.flags")
	// Below a field with children: its bits. Frame 3 is the SYN.
	tm.send(".sy\t")
	tm.expect("cap[2].tcp.flags.syn")
	tm.send("\r")
	tm.expect("True")
	// Field names inside a filter string.
	tm.send("len(cap.filter(\"tcp.stre\t")
	tm.expect("tcp.stream")
	tm.send(" == 1\"))\r")
	tm.expect("12") // tshark -Y "tcp.stream == 1" counts 12 frames
	tm.exit()
}

func TestTerminalHistoryPersists(t *testing.T) {
	state := t.TempDir()
	tm := startREPL(t, state)
	tm.send("marker = 41\r")
	tm.expect(">>> ")
	tm.exit()

	path := filepath.Join(state, "xdg", "wirelark", "history")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("history mode %v, want 0600", fi.Mode().Perm())
	}
	if data, _ := os.ReadFile(path); !strings.Contains(string(data), "marker = 41") {
		t.Errorf("history file holds %q", data)
	}

	tm = startREPL(t, state)
	tm.send("\x1b[A") // Up: the line typed in the last session
	tm.expect("marker = 41")
	tm.send("\r")
	tm.expect(">>> ")
	tm.send("marker + 1\r")
	tm.expect("42")
	tm.exit()
}

func TestTerminalMultiLine(t *testing.T) {
	tm := startREPL(t, t.TempDir())
	tm.send("def f(x):\r")
	tm.expect("... ")
	tm.send("    return x * 2\r")
	tm.expect("... ")
	tm.send("\r")
	tm.expect(">>> ")
	tm.send("for i in range(3):\r")
	tm.expect("... ")
	tm.send("    print('item', f(i))\r")
	tm.expect("... ")
	tm.send("\r")
	tm.expect("item 0")
	tm.expect("item 4")
	tm.expect(">>> ")
	// Ctrl-C in the middle of a block drops it.
	tm.send("if True:\r")
	tm.expect("... ")
	tm.send("\x03")
	tm.expect(">>> ")
	tm.send("f(21)\r")
	tm.expect("42")
	tm.exit()
}

func TestTerminalInterruptLongLoop(t *testing.T) {
	// No step budget: only Ctrl-C can end the loop, however slowly the
	// test gets to send it on a loaded machine.
	tm := startREPL(t, t.TempDir(), "--max-steps", "0")
	tm.send("for i in range(1000000000):\r")
	tm.expect("... ")
	tm.send("    if i == 1000: print('looping')\r")
	tm.expect("... ")
	tm.send("\r")
	tm.expect("looping")
	tm.send("\x03")
	tm.expect("interrupted")
	tm.expect(">>> ")
	tm.send("i > 1000 and i < 1000000000 - 1\r")
	tm.expect("True")
	tm.exit()
}

func TestTerminalErrorsDoNotExit(t *testing.T) {
	tm := startREPL(t, t.TempDir(), sharedCapture(t, "dhcp_dora.pcap"))
	tm.send("1 // 0\r")
	tm.expect("Traceback")
	tm.expect("division by zero")
	tm.expect(">>> ")
	tm.send("cap[0].nosuch\r")
	tm.expect("packet has no attribute .nosuch")
	tm.expect(">>> ")
	tm.send("cap.filter(\"ip.src ==\")\r")
	tm.expect("filter:")
	tm.expect(">>> ")
	tm.send("def g(:\r")
	tm.expect("<stdin>:1:8: got ':'")
	tm.expect(">>> ")
	tm.send("len(cap)\r")
	tm.expect("48")
	tm.exit()
}

// Ctrl-C during capture.live ends the capture: the REPL binds what was
// seen and goes on. The REPL runs in a network namespace of the test's,
// where the pings it sees come from.
func TestTerminalInterruptLiveCapture(t *testing.T) {
	p := netnstest.New(t)
	tm := startOn(t, t.TempDir(), netnstest.Command(p.B, wirelarkBin, "repl"))
	tm.send(fmt.Sprintf("c = capture.live(%q, filter=\"icmp\")\r", p.IfB))
	tm.expect("capturing on " + p.IfB)
	if n, err := netnstest.Ping(p.A, p.AddrB, 2); err != nil || n != 2 {
		t.Fatalf("ping: %d, %v", n, err)
	}
	// The replies are back; give the REPL time to read them.
	time.Sleep(500 * time.Millisecond)
	tm.send("\x03")
	tm.expect("capture.live: 4 packets captured")
	tm.expect(p.IfB + ": 4 packets received by filter")
	tm.expect(">>> ")
	tm.send("[p.icmp.type for p in c]\r")
	tm.expect("[8, 0, 8, 0]")
	tm.send("c\r")
	tm.expect("<capture " + p.IfB + ": 4 packets>")
	tm.exit()
}
