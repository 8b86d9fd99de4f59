package scripting

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/scripting/output"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBacktrace(t *testing.T) {
	src := `FILTER = "arp"

def helper(pkt):
    return 1 // (pkt.arp.opcode - pkt.arp.opcode)

def on_packet(pkt):
    emit("before", n = pkt.num)
    helper(pkt)
`
	r := runSrc(t, src, []string{mixed})
	var he *HandlerError
	if !errors.As(r.err, &he) {
		t.Fatalf("error %v, want a HandlerError", r.err)
	}
	if he.Handler != "on_packet" || he.Packet != 3 || he.Where() != "on_packet, packet 3" {
		t.Errorf("handler %q, packet %d", he.Handler, he.Packet)
	}
	bt := he.Backtrace()
	for _, want := range []string{
		"Traceback (most recent call last):",
		"x.star:8:11: in on_packet",
		"x.star:4:14: in helper",
		"Error: floored division by zero",
	} {
		if !strings.Contains(bt, want) {
			t.Errorf("backtrace lacks %q:\n%s", want, bt)
		}
	}
	// Rows emitted before the error are kept; nothing runs after it.
	if r.out != "# before\nn\n3\n" {
		t.Errorf("output %q", r.out)
	}
}

// Errors in the top level are reported with their position.
func TestScriptErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"def on_packet(pkt)\n    pass\n", "x.star:2:1: got newline, want ':'"},
		{"def on_packet(pkt):\n    pkt.x = undefined_name\n", "x.star:2:13: undefined: undefined_name"},
		{"X = 1 // 0\n", "x.star:1:7: in <toplevel>"},
		{"FILTER = \"tcp.port == 80 and\"\n", "x.star:1:10: FILTER: column"},
		{"FILTER = \"ip.scr == 1.2.3.4\"\n", `(did you mean "ip.src"?)`},
		{"FILTER = 80\n", "FILTER must be a string"},
	}
	for _, tc := range tests {
		r := runSrc(t, tc.src, []string{mixed})
		var se *ScriptError
		if !errors.As(r.err, &se) || !strings.Contains(se.Msg, tc.want) {
			t.Errorf("%q: error %v, want a ScriptError with %q", tc.src, r.err, tc.want)
		}
	}
	r := runSrc(t, "FILTER = \"ip.scr == 1.2.3.4\"\n", []string{mixed})
	if !strings.Contains(r.err.Error(), "\n    ip.scr == 1.2.3.4\n    ^~~~~~") {
		t.Errorf("FILTER error lacks the caret lines: %v", r.err)
	}
}

// With KeepGoing, errors are counted per handler and the run goes on;
// a call stopped by its step budget does not stop the next one.
func TestKeepGoing(t *testing.T) {
	src := `
def on_packet(pkt):
    if pkt.arp:
        fail_here = 1 // 0
    if pkt.num == 7:
        for i in range(1 << 40):
            pass
    emit("ok", n = pkt.num)
def on_end(stats):
    print(stats.errors, stats.handler_calls)
    x = {}["missing"]
`
	r := runSrc(t, src, []string{mixed}, func(c *Config) { c.KeepGoing = true; c.MaxSteps = 100000 })
	if r.err != nil {
		t.Fatalf("run stopped: %v", r.err)
	}
	errs := r.script.Errors()
	if len(errs) != 2 || errs[0].Handler != "on_packet" || errs[0].Count != 12 || errs[0].First.Packet != 3 ||
		errs[1].Handler != "on_end" || errs[1].Count != 1 {
		t.Fatalf("errors %+v", errs)
	}
	if !strings.Contains(errs[0].First.Backtrace(), "floored division by zero") {
		t.Errorf("first error %v", errs[0].First.Backtrace())
	}
	if n := strings.Count(r.out, "\n"); n != 300-12+3 {
		t.Errorf("%d lines of output, want 288 rows, the title, the header and the print", n)
	}
	if !strings.Contains(r.out, `{"on_packet": 12, "on_end": 0} {"on_packet": 300, "on_end": 1}`) {
		t.Errorf("stats in on_end: %q", r.out[strings.LastIndex(r.out[:len(r.out)-1], "\n")+1:])
	}
	st := r.script.Stats()
	if st.Errors["on_packet"] != 12 || st.Calls["on_packet"] != 300 {
		t.Errorf("stats %+v", st)
	}
}

func TestRunStatsValue(t *testing.T) {
	r := runSrc(t, `
FILTER = "arp"
def on_packet(pkt):
    pass
def on_end(s):
    print(s.packets, s.decoded, s.filtered_out, s.malformed, s.bytes, s.handler_calls, s.errors)
    print(s.first_time == 1709542800.0, "%f" % s.last_time, type(s.script_time))
`, []string{mixed})
	want := "300 300 289 0 128034 {\"on_packet\": 11, \"on_end\": 1} {\"on_packet\": 0, \"on_end\": 0}\nTrue 1709542802.679753 float\n"
	if r.err != nil || r.out != want {
		t.Errorf("got %q (%v), want %q", r.out, r.err, want)
	}
	var b strings.Builder
	r.script.Stats().Print(&b, "> ")
	for _, w := range []string{"> 300 packets read, 300 decoded, 289 filtered out, 0 malformed, 128034 bytes\n", "> handler calls: on_packet 11, on_end 1\n", "> script time "} {
		if !strings.Contains(b.String(), w) {
			t.Errorf("--stats output %q lacks %q", b.String(), w)
		}
	}
}

// A source error (a damaged file) comes after on_end has run over what
// was read.
func TestDamagedCaptureStillEnds(t *testing.T) {
	data := readFile(t, mixed)
	cut := writeScript(t, "cut.pcap", string(data[:1000]))
	r := runSrc(t, "def on_end(s):\n    print(s.packets)\n", []string{cut})
	if r.err == nil || !strings.Contains(r.err.Error(), "cut.pcap: byte ") {
		t.Errorf("error %v", r.err)
	}
	if r.out == "" || r.out == "0\n" {
		t.Errorf("on_end output %q: the packets before the damage should be counted", r.out)
	}
}

// Interrupt cancels the running handler; nothing runs after it, and
// what was emitted is still written.
func TestInterrupt(t *testing.T) {
	path := writeScript(t, "x.star", "def on_packet(pkt):\n    emit(\"t\", n = pkt.num)\n    for i in range(1 << 40):\n        pass\ndef on_end():\n    print(\"on_end ran\")\n")
	ref, _ := FileRef(path)
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	cfg := Config{Sink: output.NewStream(w, output.Text), Stdout: w} // no step budget
	s, err := Load(ref, cfg)
	if err != nil {
		t.Fatal(err)
	}
	src, err := source.OpenAll([]string{mixed})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	done := make(chan error)
	go func() { done <- s.Run(src) }()
	time.Sleep(50 * time.Millisecond)
	s.Interrupt()
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Interrupt did not stop the handler")
	}
	cfg.Sink.Close()
	w.Flush()
	if !errors.Is(err, ErrInterrupted) || !s.Interrupted() {
		t.Errorf("Run returned %v", err)
	}
	if buf.String() != "# t\nn\n1\n" {
		t.Errorf("output %q", buf.String())
	}
}
