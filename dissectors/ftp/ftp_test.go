package ftp_test

import (
	"encoding/binary"
	"testing"

	. "github.com/wirelark/wirelark/dissectors/ftp"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/internal/capturetest"
)

func TestLineEnd(t *testing.T) {
	cases := []struct {
		in      string
		n, next int
	}{
		{"USER x\r\nPASS y\r\n", 6, 8},
		{"USER x\nPASS", 6, 7},
		{"A\rB\n", 1, 2},
		{"NOOP", 4, 4},
		{"\r\n", 0, 2},
		{"", 0, 0},
		{"X\r", 1, 2},
	}
	for _, c := range cases {
		n, next := LineEnd([]byte(c.in))
		if n != c.n || next != c.next {
			t.Errorf("LineEnd(%q) = %d, %d; want %d, %d", c.in, n, next, c.n, c.next)
		}
	}
}

// The expectations are what tshark 4.0 shows for the same lines (sent in
// segments of their own to and from port 21).
func TestParseLine(t *testing.T) {
	cases := []struct {
		line      string
		request   bool
		cmd, arg  string
		hasCode   bool
		code      int
		more      bool
		nilCmd    bool
		nilArgExp bool
	}{
		{line: "USER  bob", request: true, cmd: "USER", arg: "bob"},
		{line: "NOOP", request: true, cmd: "NOOP", nilArgExp: true},
		{line: " LIST x", request: true, nilCmd: true, arg: "LIST x"},
		{line: "", request: true, nilCmd: true, nilArgExp: true},
		{line: "user\tx y ", request: true, cmd: "user\tx", arg: "y "},
		{line: "220-hi", hasCode: true, code: 220, arg: "hi", more: true},
		{line: "220 x", hasCode: true, code: 220, arg: "x"},
		{line: "2201x", hasCode: true, code: 220, arg: "x"},
		{line: "220", hasCode: true, code: 220, nilArgExp: true},
		{line: "099 x", hasCode: true, code: 99, arg: "x"},
		{line: "22", arg: "22"},
		{line: "12a b", arg: "12a b"},
		{line: " EPRT", arg: " EPRT"},
	}
	for _, c := range cases {
		l := ParseLine([]byte(c.line), c.request)
		if c.request {
			if (l.Command == nil) != c.nilCmd || string(l.Command) != c.cmd {
				t.Errorf("%q: command %q (nil %v), want %q", c.line, l.Command, l.Command == nil, c.cmd)
			}
		} else if l.HasCode != c.hasCode || l.Code != c.code || l.More != c.more {
			t.Errorf("%q: code %v %d more %v, want %v %d %v", c.line, l.HasCode, l.Code, l.More, c.hasCode, c.code, c.more)
		}
		if (l.Arg == nil) != c.nilArgExp || string(l.Arg) != c.arg {
			t.Errorf("%q: arg %q (nil %v), want %q", c.line, l.Arg, l.Arg == nil, c.arg)
		}
	}
}

func TestParse(t *testing.T) {
	ls, err := Parse([]byte("211-Features:\r\n EPRT\r\n211 End\r\n"), false)
	if err != nil || len(ls) != 3 {
		t.Fatalf("Parse: %d lines, %v", len(ls), err)
	}
	if !ls[0].More || ls[1].HasCode || string(ls[1].Arg) != " EPRT" || ls[2].Code != 211 || ls[2].More {
		t.Errorf("multi-line reply read as %+v", ls)
	}
	if _, err := Parse(nil, true); err != ErrEmpty {
		t.Errorf("Parse(nil) error %v, want ErrEmpty", err)
	}
	if !IsRequest(21) || IsRequest(40000) {
		t.Error("IsRequest: the request goes to port 21")
	}
}

// ftpCaptures hold FTP control connections.
var ftpCaptures = []string{
	"corpus/ftp/bigtransfer.pcap", "corpus/ftp/bruteforce.pcap", "corpus/ftp/ftp-auth-tls.pcap",
	"corpus/ftp/ftp-invalid-reply-code.pcap", "corpus/ftp/retr.pcap",
	"captures/ftp_session.pcap", "captures/ftp_active.pcap",
}

// controlPayloads returns the payloads of TCP segments to or from port
// 21 in a capture, with whether each is a request.
func controlPayloads(tb testing.TB, path string, fn func(b []byte, request bool)) {
	capturetest.Frames(tb, path, func(_ int, f *source.Frame) {
		d := f.Data
		if len(d) < 14+20+20 || d[12] != 8 || d[13] != 0 || d[14]>>4 != 4 || d[23] != 6 {
			return
		}
		ihl := int(d[14]&15) * 4
		tcp := d[14+ihl:]
		if len(tcp) < 20 {
			return
		}
		sp, dp := binary.BigEndian.Uint16(tcp), binary.BigEndian.Uint16(tcp[2:])
		hl := int(tcp[12]>>4) * 4
		if sp != 21 && dp != 21 || hl > len(tcp) || hl == len(tcp) {
			return
		}
		fn(tcp[hl:], IsRequest(dp))
	})
}

// TestCaptures reads every control-connection segment of the captures
// and checks what every parse must satisfy.
func TestCaptures(t *testing.T) {
	n := 0
	for _, rel := range ftpCaptures {
		p, ok := capturetest.Lookup(rel)
		if !ok {
			continue
		}
		controlPayloads(t, p, func(b []byte, request bool) {
			ls, err := Parse(b, request)
			if err != nil {
				t.Fatalf("%s: %v", rel, err)
			}
			checkLines(t, b, ls)
			n++
		})
	}
	if n == 0 {
		t.Skip("no FTP capture found in the shared directory")
	}
	t.Logf("%d segments parsed", n)
}

func checkLines(t *testing.T, b []byte, ls []Line) {
	total := 0
	for _, l := range ls {
		total += len(l.Text)
		if l.HasCode && (l.Code < 0 || l.Code > 999) {
			t.Fatalf("code %d out of range", l.Code)
		}
		if len(l.Command)+len(l.Arg) > len(l.Text) {
			t.Fatalf("command %q and argument %q longer than the line %q", l.Command, l.Arg, l.Text)
		}
	}
	if total > len(b) || len(ls) > MaxLines {
		t.Fatalf("%d lines of %d bytes from %d bytes", len(ls), total, len(b))
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("220-hi\r\n220 x\r\n"), false)
	f.Add([]byte("USER  bob\r\n"), true)
	f.Add([]byte("A\rB\n\r\n"), true)
	for _, rel := range ftpCaptures {
		if p, ok := capturetest.Lookup(rel); ok {
			controlPayloads(f, p, func(b []byte, request bool) { f.Add(append([]byte(nil), b...), request) })
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, request bool) {
		ls, err := Parse(b, request)
		if len(b) == 0 {
			if err == nil {
				t.Fatal("no error for empty input")
			}
			return
		}
		if err != nil || len(ls) == 0 {
			t.Fatalf("%d lines, %v", len(ls), err)
		}
		checkLines(t, b, ls)
	})
}
