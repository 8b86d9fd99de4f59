package http_test

import (
	"testing"

	. "github.com/wirelark/wirelark/dissectors/http"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/internal/capturetest"
)

// The expectations follow what tshark 4.0 shows for the same lines.
func TestParseFirstLine(t *testing.T) {
	cases := []struct {
		line                 string
		kind                 Kind
		method, uri, version string
		code                 int
		hasCode              bool
		phrase               string
	}{
		{line: "GET /index.html HTTP/1.1", kind: Request, method: "GET", uri: "/index.html", version: "HTTP/1.1"},
		{line: "GET /x", kind: Request, method: "GET", uri: "/x"},
		{line: "GET", kind: Request, method: "GET"},
		{line: "M-SEARCH * HTTP/1.1", kind: Request, method: "M-SEARCH", uri: "*", version: "HTTP/1.1"},
		{line: "get /x HTTP/1.1", kind: NotHTTP},
		{line: "FOO /x HTTP/1.1", kind: NotHTTP},
		{line: "HTTP/1.1 200 OK", kind: Response, version: "HTTP/1.1", code: 200, hasCode: true, phrase: "OK"},
		{line: "HTTP/1.0 404 File not found", kind: Response, version: "HTTP/1.0", code: 404, hasCode: true, phrase: "File not found"},
		{line: "HTTP/2 200", kind: Response, version: "HTTP/2", code: 200, hasCode: true},
		{line: "HTTP/1.1 abc OK", kind: Response, version: "HTTP/1.1", code: 0, hasCode: true, phrase: "OK"},
		{line: "HTTP/1.1 99999 OK", kind: Response, version: "HTTP/1.1", code: 999, hasCode: true, phrase: "OK"},
		{line: "HTTP/1.1", kind: Response, version: "HTTP/1.1"},
	}
	for _, c := range cases {
		fl := ParseFirstLine([]byte(c.line))
		if fl.Kind != c.kind || string(fl.Method) != c.method || string(fl.URI) != c.uri || string(fl.Version) != c.version ||
			fl.Code != c.code || fl.HasCode != c.hasCode || string(fl.Phrase) != c.phrase {
			t.Errorf("%q: %+v", c.line, fl)
		}
	}
}

func TestParseHead(t *testing.T) {
	in := "POST /post HTTP/1.1\r\nHost: httpbin.org\r\nuser-agent: curl/7.29.0\r\nContent-Length:  11 \r\n\r\nabc"
	h, err := ParseHead([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if h.Len != len(in)-3 || len(h.Headers) != 3 {
		t.Errorf("head of %d bytes, %d headers", h.Len, len(h.Headers))
	}
	if v, ok := h.Get("User-Agent"); !ok || string(v) != "curl/7.29.0" {
		t.Errorf("User-Agent %q %v", v, ok)
	}
	if n, ok := h.ContentLength(); !ok || n != 11 {
		t.Errorf("Content-Length %d %v", n, ok)
	}
	if v, ok := FindHeader([]byte(in), "host"); !ok || string(v) != "httpbin.org" {
		t.Errorf("FindHeader host %q %v", v, ok)
	}
	if n, ok := HeadLen([]byte(in)); !ok || n != len(in)-3 {
		t.Errorf("HeadLen %d %v", n, ok)
	}
	if _, err := ParseHead([]byte("HTTP/1.1 200 OK\r\nA: b\r\n")); err != ErrIncomplete {
		t.Errorf("unterminated head: %v", err)
	}
	if _, err := ParseHead([]byte("hello\r\n\r\n")); err != ErrNotHTTP {
		t.Errorf("not HTTP: %v", err)
	}
	for _, c := range []struct {
		v  string
		n  uint64
		ok bool
	}{{"010", 10, true}, {"0x3", 0, false}, {" 5 ", 5, true}, {"", 0, false}, {"99999999999999999999999", 0, false}} {
		if n, ok := ParseDecimal([]byte(c.v)); n != c.n || ok != c.ok {
			t.Errorf("ParseDecimal(%q) = %d %v", c.v, n, ok)
		}
	}
	if mt := MediaType([]byte("Text/HTML; charset=utf-8")); mt != "text/html" {
		t.Errorf("MediaType %q", mt)
	}
}

// TestFramer feeds messages in pieces, as segments bring them, and
// checks where the framer says each ends; the cases are those tshark 4.0
// was seen to delimit so.
func TestFramer(t *testing.T) {
	cases := []struct {
		name      string
		pieces    []string
		afterHEAD bool
		n         int
		st        Status
	}{
		{"whole request", []string{"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET"}, false, 28, Complete},
		{"request body by length", []string{"POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nab", "cd"}, false, 42, Complete},
		{"decimal length", []string{"POST /p HTTP/1.1\r\nContent-Length: 010\r\n\r\n0123456789"}, false, 51, Complete},
		{"length read as %i", []string{"POST /p HTTP/1.1\r\nContent-Length: 0x3\r\n\r\nabcd"}, false, 44, Complete},
		{"head in pieces", []string{"HTTP/1.1 200 OK\r\nContent-Len", "gth: 10\r\n\r\n01234", "56789HTTP"}, false, 49, Complete},
		{"no line yet", []string{"hel", "lo"}, false, 0, NeedMore},
		{"CR at the end", []string{"GET / HTTP/1.1\r"}, false, 0, NeedMore},
		{"binary", []string{"\x00\x01binary"}, false, 8, Continuation},
		{"text not HTTP", []string{"hello world\r\nmore\r\n"}, false, 19, Continuation},
		{"HEAD response", []string{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"}, true, 40, Complete},
		{"1xx", []string{"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No\r\n\r\n"}, false, 25, Complete},
		{"304", []string{"HTTP/1.1 304 NM\r\nContent-Length: 5\r\n\r\n"}, false, 38, Complete},
		{"chunked", []string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", "lo\r\n0\r\n", "\r\nX"}, false, 62, Complete},
		{"chunked waits for the last CRLF", []string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n"}, false, 0, NeedMore},
		{"chunk extension", []string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\n\r\n"}, false, 64, Complete},
		{"bad chunk size", []string{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"}, false, 51, Complete},
		{"until close", []string{"HTTP/1.0 200 OK\r\n\r\nbody"}, false, 0, UntilClose},
		{"bad length: until close", []string{"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nxyz"}, false, 0, UntilClose},
		{"request without length", []string{"GET / HTTP/1.1\r\n\r\nxyz"}, false, 18, Complete},
	}
	for _, c := range cases {
		var f Framer
		var b []byte
		var n int
		var st Status
		for _, p := range c.pieces {
			b = append(b, p...)
			n, st = f.Next(b, c.afterHEAD)
			if st == Complete || st == Continuation {
				break
			}
		}
		if n != c.n || st != c.st {
			t.Errorf("%s: %d, %v; want %d, %v", c.name, n, st, c.n, c.st)
		}
	}
}

func TestLooksLikeHTTP(t *testing.T) {
	cases := []struct {
		in string
		ok bool
	}{
		{"GET /big.bin HTTP/1.1\r\nHost: x\r\n", true},
		{"HTTP/1.1 200 OK\r\n", true},
		{"http/1.0 200 OK\n", true},
		{"GET /big.bin HTTP/1.1", false}, // no line end yet
		{"HTTP/1.1\r\n", false},          // eight characters
		{"SSH-2.0-OpenSSH_9.2\r\n", false},
		{"\x16\x03\x01\x02\x00", false},
	}
	for _, c := range cases {
		if got := LooksLikeHTTP([]byte(c.in)); got != c.ok {
			t.Errorf("LooksLikeHTTP(%q) = %v", c.in, got)
		}
	}
}

// httpCaptures hold HTTP conversations.
var httpCaptures = []string{
	"captures/http_get.pcap", "captures/mixed_office.pcap", "captures/ipv6_tcp.pcap",
	"corpus/http/get.pcap", "corpus/http/post.pcap", "corpus/http/websocket.pcap", "corpus/http/wikipedia.pcap",
	"corpus/http/proxy.pcap", "corpus/http/get-gzip.pcap", "corpus/http/gopacket-test_ethernet.pcap",
}

// messages returns the HTTP messages the decoder delimits in a capture.
func messages(tb testing.TB, path string, fn func(b []byte)) {
	http := packet.Fields.Proto("http")
	capturetest.Packets(tb, path, func(p *packet.Packet) {
		p.Complete()
		for i := range p.Layers {
			if l := &p.Layers[i]; l.Proto == http.ID {
				fn(l.Bytes(p))
			}
		}
	})
}

// TestCaptureMessages checks that each message the decoder delimits in
// the captures frames as a whole message by itself.
func TestCaptureMessages(t *testing.T) {
	n := 0
	for _, rel := range httpCaptures {
		p, ok := capturetest.Lookup(rel)
		if !ok {
			continue
		}
		messages(t, p, func(b []byte) {
			n++
			var f Framer
			got, st := f.Next(b, false)
			switch {
			case st == Continuation, st == UntilClose:
				// Continuation data, or a body the end of the
				// connection completed.
			case st == Complete && got == len(b):
			case st == Complete && f.Kind() == Response && f.Code() == 200 && got < len(b):
				// A response to HEAD read without its request.
			default:
				t.Errorf("%s: a message of %d bytes frames as %d, %v", rel, len(b), got, st)
			}
		})
	}
	if n == 0 {
		t.Skip("no HTTP capture found in the shared directory")
	}
	t.Logf("%d messages", n)
}

func FuzzFramer(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"), uint8(7), false)
	f.Add([]byte("POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"), uint8(3), false)
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"), uint8(1), true)
	for _, rel := range httpCaptures[:4] {
		if p, ok := capturetest.Lookup(rel); ok {
			messages(f, p, func(b []byte) { f.Add(append([]byte(nil), b...), uint8(len(b)%13), false) })
		}
	}
	f.Fuzz(func(t *testing.T, b []byte, step uint8, afterHEAD bool) {
		// Feed b in pieces of step+1 bytes: the result must be the same
		// as for b whole (the framer resumes where it stopped).
		var whole Framer
		wn, wst := whole.Next(b, afterHEAD)
		var f Framer
		var n int
		var st Status
		for i := 0; i < len(b); {
			i = min(len(b), i+int(step)+1)
			n, st = f.Next(b[:i], afterHEAD)
			if st == Complete || st == Continuation {
				if n > i || n <= 0 {
					t.Fatalf("message of %d bytes from %d", n, i)
				}
				// A message that ended before the bytes at hand
				// ends there whatever follows. (Continuation data,
				// or a chunk size that cannot be read, take what
				// there is.)
				if st == Complete && n < i && (n != wn || st != wst) {
					t.Fatalf("pieces give %d, %v; whole %d, %v", n, st, wn, wst)
				}
				break
			}
		}
		if wn > len(b) || wn < 0 {
			t.Fatalf("length %d of %d bytes", wn, len(b))
		}
		if h, err := ParseHead(b); err == nil && h.Len > len(b) {
			t.Fatalf("head of %d bytes from %d", h.Len, len(b))
		}
		_ = LooksLikeHTTP(b)
		_ = ParseFirstLine(b)
	})
}
