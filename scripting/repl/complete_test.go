package repl

import (
	"bufio"
	"io"
	"reflect"
	"strings"
	"testing"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/scripting"
)

// newTestCompleter is the completer of a session with cap bound to a
// shared capture.
func newTestCompleter(t testing.TB, capture string) *completer {
	sess := scripting.NewSession(scripting.SessionConfig{Out: bufio.NewWriter(io.Discard)})
	t.Cleanup(sess.Close)
	if capture != "" {
		c, err := sess.Open(capture)
		if err != nil {
			t.Fatal(err)
		}
		sess.Globals()["cap"] = c
	}
	sess.Globals()["counter"] = starlark.MakeInt(0)
	return &completer{names: sess.Names, globals: func(n string) starlark.Value {
		if v, ok := sess.Globals()[n]; ok {
			return v
		}
		return starlark.Universe[n]
	}}
}

func TestComplete(t *testing.T) {
	c := newTestCompleter(t, sharedCapture(t, "http_get.pcap"))
	tests := []struct {
		line  string
		head  string
		comps []string
	}{
		{"ca", "", []string{"capture", "cap"}},
		{"x = le", "x = ", []string{"len"}},
		{"cap[0].tc", "cap[0].", nil}, // an ARP packet: no tcp
		{"cap[0].ar", "cap[0].", []string{"arp"}},
		{"cap[2].tc", "cap[2].", []string{"tcp"}},
		{"cap[-1].tc", "cap[-1].", []string{"tcp"}},
		{"cap[3].tcp.fl", "cap[3].tcp.", []string{"flags"}},
		{"cap[3].tcp.flags.sy", "cap[3].tcp.flags.", []string{"syn"}},
		{"cap[3].tcp.flags.", "cap[3].tcp.flags.", []string{"ack", "ae", "cwr", "ece", "fin", "ns", "push", "res", "reset", "str", "syn", "urg"}},
		{"cap.fil", "cap.", []string{"filter"}},
		{"capture.o", "capture.", []string{"open"}},
		{`cap.filter("tcp.stre`, `cap.filter("`, []string{"tcp.stream"}},
		{`cap.filter("ip.src == 1.2.3.4 && tcp.dstp`, `cap.filter("ip.src == 1.2.3.4 && `, []string{"tcp.dstport"}},
		{`print("tcp.stre`, `print("tcp.stre`, nil},
		{"cap.filter(\"x\").le", "cap.filter(\"x\").le", nil}, // a call is never evaluated
		{"counter.", "counter.", nil},
		{"nosuch.a", "nosuch.", nil},
		{"cap[999999].tc", "cap[999999].", nil},
		{"cap[0][1].x", "cap[0][1].", nil},
		{"", "", nil},
	}
	for _, tc := range tests {
		head, comps, tail := c.complete(tc.line, len(tc.line))
		if tail != "" {
			t.Errorf("%q: tail %q", tc.line, tail)
		}
		if tc.comps != nil && head != tc.head {
			t.Errorf("%q: head %q, want %q", tc.line, head, tc.head)
		}
		if tc.line == "cap[3].tcp.flags." {
			// The bits the registry has; at least these.
			for _, w := range []string{"ack", "syn", "fin", "reset"} {
				if !contains(comps, w) {
					t.Errorf("%q: %v lacks %s", tc.line, comps, w)
				}
			}
			continue
		}
		if tc.line == "ca" {
			if !contains(comps, "cap") || !contains(comps, "capture") {
				t.Errorf("%q: %v", tc.line, comps)
			}
			continue
		}
		if !reflect.DeepEqual(comps, tc.comps) {
			t.Errorf("%q: completions %v, want %v", tc.line, comps, tc.comps)
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

// The completer never panics, whatever the line and cursor.
func FuzzComplete(f *testing.F) {
	for _, s := range []string{"cap[0].tc", `cap.filter("dhcp.opt`, "cap[-1].tcp.flags.", "x = [1, 2][", "'\\'", "a.b.c[\"k\"].d", "((cap)).", "cap[0x10].", strings.Repeat("[", 50)} {
		f.Add(s, len(s))
	}
	c := newTestCompleter(f, "")
	f.Fuzz(func(t *testing.T, line string, pos int) {
		if pos < 0 || pos > len(line) {
			pos = len(line)
		}
		head, _, tail := c.complete(line, pos)
		if !strings.HasPrefix(line, head) || !strings.HasSuffix(line, tail) {
			t.Fatalf("head %q / tail %q do not frame %q", head, tail, line)
		}
	})
}
