package filter

import (
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// compiles must all compile; they cover syntax the tshark comparison does
// not (Wireshark 4.0 rejects some of it, or no capture exercises it).
var compiles = []string{
	"", "   ", "tcp", "(tcp)", "((tcp))", "not not arp", "!!arp", "tcp.port in {80 443}",
	"tcp.port in {80,443}", "tcp.port in {80 .. 443}", "tcp.port in {70..79, 80}", "tcp.port not in {1}",
	"tcp.port any_eq 80", "tcp.port all_ne 80", "tcp.port all_eq 80", "tcp.port any_ne 80", "tcp.port !== 80",
	"tcp.port ~= 80", "tcp.port === 80", "ip.ttl==64", "ip.ttl == 0b1000000", "ip.ttl == 0x40", "ip.ttl == 0100",
	"tcp.flags bitwise_and 2", "tcp.flags & 0x12 == 0x12", "tcp.flags.syn == TRUE", "tcp.flags.syn == false",
	"tcp.flags.syn == 2", "arp.opcode == Request", `arp.opcode == "REPLY"`, "arp.opcode in {request, reply}",
	"ip.proto == udp", "ip.proto in {tcp, udp}", `arp.opcode == '\x01'`,
	`frame.time > "Jan  1, 2000 00:00:00"`, `frame.time > "Jan 1, 2000 00:00:00.5 UTC"`,
	`frame.time < "2000-01-01T00:00:00Z"`, `frame.time > "2000-01-01"`, "frame.time_relative < 1.5e0",
	"frame.time_delta < -1", "frame.time_relative == 0.000000001", `tcp.payload contains "\u0047ET"`,
	`tcp.payload contains "\107ET\x20"`, `tcp.payload contains r"\d"`, "tcp.payload contains 474554",
	"tcp.payload contains 4", "tcp.payload[0-2] == 47:45:54", "tcp.payload[:3] == 47-45-54",
	"tcp.payload[-1] == 0a", "tcp.payload[2:] == 54", "frame[0:6] == ff:ff:ff:ff:ff:ff", "eth[0:6] == ff.ff.ff.ff.ff.ff",
	"tcp[13] & 02", "eth.addr == 0200c0a80164", "eth.addr == 0200.c0a8.0164", "eth.dst contains ff:ff",
	"eth.src[0:3] == 00:11:22", "eth.src == eth.dst", "tcp.payload == eth.src", "ip.dst[0:2] == c0:a8",
	"ipv6.addr == ::ffff:1.2.3.4", "ipv6.addr == ::", "ipv6.addr == fe80::/10", "ip.addr == 0.0.0.0/0",
	"ip.dst in {192.168.1.1 .. 192.168.1.10}", "tcp.port == tcp.srcport", "tcp.port == ip.ttl",
	"frame.time_relative == frame.time_delta", "len(eth.src) == 6", "count(tcp.port) == 2",
	"len( tcp.payload ) > 100", "tcp.len > 0 and tcp.port==80", "ip.len < 100 || ip.len > 1000",
	"frame.cap_len == frame.len", `_ws.malformed.reason contains "short"`, "sll", "_ws.malformed",
	"tcp.flags.syn==1&&ip.addr==10.0.0.0/8", "ip.addr==1.2.3.4||!(arp)", "tcp.port\tin\n{80}",
}

func TestCompiles(t *testing.T) {
	for _, e := range compiles {
		if _, err := Compile(e); err != nil {
			t.Errorf("Compile(%q): %v\n%s", e, err, Caret(err))
		}
	}
}

// errorCases must fail at the given column with a message containing msg.
var errorCases = []struct {
	expr string
	col  int
	msg  string
}{
	{"ip.scr == 1.2.3.4", 1, `unknown field or protocol "ip.scr" (did you mean "ip.src"?)`},
	{"tcp.flgs.syn == 1", 1, `did you mean "tcp.flags.syn"?`},
	{"ip.src == ip.dts", 11, `unknown field "ip.dts" (did you mean "ip.dst"?)`},
	{"icmpv7", 1, `did you mean "icmpv6"?`},
	{"nosuchthing_at_all_whatsoever", 1, `unknown field or protocol "nosuchthing_at_all_whatsoever"`},
	{`ip.src == "abc"`, 11, "ip.src is an IPv4 address, not a string"},
	{`ip.src == "10.0.0.1"`, 11, "without quotes"},
	{"ip.src == abc", 11, `"abc" is not a valid IPv4 address or subnet (host names are not resolved)`},
	{"ip.dst == localhost", 11, "host names are not resolved"},
	{"ip.dst == 192.168.1", 11, "not a valid IPv4 address"},
	{"ip.dst == 1.2.3.4/33", 11, "not a valid IPv4"},
	{"ip.dst == 192.168.0.0/255.255.0.0", 11, "not a valid IPv4"},
	{"ipv6.dst == 1.2.3.4", 13, "not a valid IPv6"},
	{"ip.dst == 3232235777", 11, "not a valid IPv4"},
	{"(arp", 1, `this "(" is never closed`},
	{"((arp)", 1, `this "(" is never closed`},
	{"(arp or (ip)", 1, `never closed`},
	{"arp)", 4, `unexpected ")": there is no "(" to close`},
	{"(arp))", 6, `there is no "(" to close`},
	{"()", 2, "expected a test inside the parentheses"},
	{"(arp ip)", 6, `expected ")" or "and" or "or"`},
	{"arp ==", 7, "unexpected end of filter"},
	{"arp and", 8, "unexpected end of filter"},
	{"!", 2, "unexpected end of filter"},
	{"ip.addr == 1.2.3.4 ip", 20, `missing "and" or "or"?`},
	{"arp AND tcp", 5, `unexpected "AND"`},
	{"tcp.port = 80", 10, `use "==" to compare`},
	{"tcp.port == 80 | udp", 16, `use "||" or "or"`},
	{"tcp.port == 70000", 13, "too big for tcp.port, maximum 65535"},
	{"ip.ttl == 256", 11, "maximum 255"},
	{"tcp.port == -1", 13, "negative"},
	{"tcp.port == 08", 13, "not a valid number"},
	{"tcp.port == 1e3", 13, "not a valid number"},
	{"tcp.port == 0o10", 13, "not a valid number"},
	{"tcp.port == 1_000", 13, "not a valid number"},
	{`tcp.port == "80"`, 13, "write the number without quotes"},
	{"arp.opcode == nosuch", 15, "neither a number nor one of the value names of arp.opcode"},
	{"tcp.flags.syn == yes", 18, "boolean"},
	{"tcp.port in {}", 14, "at least one element"},
	{"tcp.port in {80,}", 17, `a set element after ","`},
	{"tcp.port in {1..80..90}", 19, `unexpected ".."`},
	{"tcp.port in 80", 13, `expected "{"`},
	{"tcp.port in {tcp.srcport}", 14, "set elements must be values"},
	{"ip.dst in {10.0.0.0/8 .. 11.0.0.0/8}", 12, "subnets"},
	{"tcp.port == ip.src", 13, "cannot compare tcp.port (an unsigned integer) with ip.src (an IPv4 address)"},
	{"udp.port == dns", 13, "cannot compare"},
	{"ip.dst contains c0:a8", 8, "ip.dst is an IPv4 address and cannot be searched with \"contains\""},
	{"tcp.port matches \"8\"", 10, "cannot be searched with \"matches\""},
	{`tcp.payload matches "("`, 21, "invalid regular expression (Go syntax)"},
	{"tcp.payload matches foo", 21, "quoted regular expression"},
	{"tcp.payload matches tcp.payload", 21, "not a field"},
	{"tcp.srcport[0:1] == 00", 1, "tcp.srcport is an unsigned integer and cannot be sliced"},
	{"tcp.payload[0:0] == 00", 12, "bad slice length"},
	{"tcp.payload[x] == 00", 12, "bad slice"},
	{"tcp.payload[3-1] == 00", 12, "first <= last"},
	{"eth.src[0:3", 8, `missing "]"`},
	{"1 == 1", 1, "must be a field, protocol or function, not the value 1"},
	{"80 == tcp.port", 1, "not the value 80"},
	{`"x" == tcp.payload`, 1, `must be a field, protocol or function, not the value "x"`},
	{"count(tcp.port)", 1, "a function is not a test"},
	{"foo(tcp.port) == 1", 1, "unknown function foo()"},
	{"len(tcp.port) == 2", 5, "len() takes a string, byte or address field"},
	{"len(tcp.port, 1) == 2", 13, "takes one argument"},
	{"len(1) == 2", 5, "not the value 1"},
	{"tcp.options.sack_perm == 1", 23, "has no value to compare"},
	{"tcp == 1", 5, "tcp is a protocol and can only be tested for presence"},
	{"ip.dst > 10.0.0.0/8", 10, "a subnet can only be compared with ==, != or in"},
	{"frame.time > 1000000000", 14, "not a valid absolute time"},
	{`frame.time > "yesterday"`, 14, "not a valid absolute time"},
	{"frame.time_relative < 1s", 23, "not a valid time in seconds"},
	{`tcp.payload contains "\q"`, 23, `\q is not a valid escape sequence`},
	{`tcp.payload contains "\x"`, 23, `\x must be followed by hex digits`},
	{`tcp.payload contains "\400"`, 23, "not a byte"},
	{`tcp.payload contains "\uD800"`, 23, "not a valid character"},
	{`tcp.payload contains "abc`, 22, "missing closing quote"},
	{`tcp.payload contains "G"ET"`, 25, `unexpected "ET"`},
	{`tcp.payload contains 'GE'`, 22, "one character"},
	{`tcp.payload contains ''`, 22, "one character"},
	{"tcp.payload contains 4745:54", 22, "not a valid byte string"},
	{"eth.dst == ff:ff", 12, "not a valid Ethernet address"},
	{"eth.dst == broadcast", 12, "not a valid Ethernet address"},
	{"tcp.flags & ip.src", 13, `the mask after "&" must be a value, not the field ip.src`},
	{"ip.src & 1", 1, `"&" takes an integer field or a byte slice`},
	{"ip.src == ü", 11, "unexpected character 'ü'"},
	{"ü == 1", 1, "unexpected character"},
	{"ip.src == 10.0.0.1 && ü", 23, "unexpected character"},
	{strings.Repeat("(", 300) + "arp" + strings.Repeat(")", 300), 201, "nested too deeply"},
	{strings.Repeat("!", 300) + "arp", 201, "nested too deeply"},
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		_, err := Compile(c.expr)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Errorf("Compile(%q) = %v, want a *SyntaxError", c.expr, err)
			continue
		}
		if se.Col != c.col || !strings.Contains(se.Msg, c.msg) {
			t.Errorf("Compile(%q):\n got column %d: %s\nwant column %d: ...%s...\n%s", c.expr, se.Col, se.Msg, c.col, c.msg, se.Caret())
		}
		if strings.Contains(se.Error(), "\n") {
			t.Errorf("Compile(%q): Error() spans lines: %q", c.expr, se.Error())
		}
		if lines := strings.Split(se.Caret(), "\n"); len(lines) != 2 {
			t.Errorf("Compile(%q): Caret() has %d lines, want 2", c.expr, len(lines))
		}
	}
}

func TestCaret(t *testing.T) {
	for _, c := range []struct{ expr, err, caret string }{
		{"ip.scr == 10.0.0.1", `column 1: unknown field or protocol "ip.scr" (did you mean "ip.src"?)`,
			"ip.scr == 10.0.0.1\n^~~~~~"},
		{`tcp.port == 80 && ip.src == "abc"`, "column 29: ip.src is an IPv4 address, not a string",
			"tcp.port == 80 && ip.src == \"abc\"\n                            ^~~~~"},
		{"(arp or ip", `column 1: this "(" is never closed`, "(arp or ip\n^"},
		{"arp or", "column 7: unexpected end of filter: expected a field, protocol or test", "arp or\n      ^"},
		{"ip.src\t== 1", `column 11: "1" is not a valid IPv4 address or subnet (host names are not resolved)`,
			"ip.src == 1\n          ^"},
		// Columns count characters, not bytes.
		{`frame contains "é" and ip.src == x`, `column 34: "x" is not a valid IPv4 address or subnet (host names are not resolved)`,
			"frame contains \"é\" and ip.src == x\n                                 ^"},
	} {
		_, err := Compile(c.expr)
		if err == nil {
			t.Errorf("Compile(%q) succeeded", c.expr)
			continue
		}
		if err.Error() != c.err {
			t.Errorf("Compile(%q).Error() =\n%s\nwant\n%s", c.expr, err, c.err)
		}
		if got := Caret(err); got != c.caret {
			t.Errorf("Caret for %q =\n%s\nwant\n%s", c.expr, got, c.caret)
		}
	}
	if Caret(io.EOF) != "" {
		t.Error("Caret of a foreign error is not empty")
	}
}

func TestPrecedence(t *testing.T) {
	// The shapes of the trees the parser builds, printed back.
	var show func(n node) string
	show = func(n node) string {
		switch n := n.(type) {
		case *logicNode:
			op := " or "
			if n.and {
				op = " and "
			}
			return "(" + show(n.l) + op + show(n.r) + ")"
		case *notNode:
			return "!" + show(n.x)
		case *testNode:
			return n.x.text
		case *cmpNode:
			return n.l.text + n.op.String() + "x"
		}
		return "?"
	}
	for _, c := range []struct{ in, want string }{
		{"a or b and c", "(a or (b and c))"},
		{"a and b or c", "((a and b) or c)"},
		{"a || b && c || d", "((a or (b and c)) or d)"},
		{"not a and b", "(!a and b)"},
		{"! a == 1 or b", "(!a==x or b)"},
		{"a and b and c", "((a and b) and c)"},
		{"not (a or b) and c", "(!(a or b) and c)"},
		{"a not in {1}", "anot inx"},
	} {
		n, err := parse(c.in)
		if err != nil {
			t.Errorf("parse(%q): %v", c.in, err)
			continue
		}
		if got := show(n); got != c.want {
			t.Errorf("parse(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestProtosFields(t *testing.T) {
	f := MustCompile("tcp.flags.syn == 1 && ip.addr == 10.0.0.0/8 || arp || ip.src == ip.dst || tcp.port in {80}")
	var ps, fs []string
	for _, p := range f.Protos() {
		ps = append(ps, p.Name)
	}
	for _, x := range f.Fields() {
		fs = append(fs, x.Name)
	}
	if want := []string{"tcp", "ip", "arp"}; !slices.Equal(ps, want) {
		t.Errorf("Protos() = %v, want %v", ps, want)
	}
	if want := []string{"tcp.flags.syn", "ip.addr", "ip.src", "ip.dst", "tcp.port"}; !slices.Equal(fs, want) {
		t.Errorf("Fields() = %v, want %v", fs, want)
	}
	if f.String() == "" || MustCompile("").Protos() != nil {
		t.Error("String or Protos of the empty filter")
	}
}

// loadPackets decodes a shared capture and keeps every packet.
func loadPackets(t testing.TB, name string) []*packet.Packet {
	t.Helper()
	r, err := source.Open(filepath.Join(sharedDir, name))
	if err != nil {
		t.Skipf("capture not available: %v", err)
	}
	defer r.Close()
	d := packet.NewDecoder()
	var out []*packet.Packet
	var fr source.Frame
	for {
		if err := r.Next(&fr); err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			return out
		}
		out = append(out, d.Decode(&fr).Clone())
	}
}

func rangeInts(lo, hi int) []int {
	var out []int
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}

// TestMatch evaluates filters on packets of real captures; the expected
// frame numbers are tshark 4.0's for the same filter and file.
func TestMatch(t *testing.T) {
	cases := []struct {
		file, expr string
		want       []int
		count      int // when want is nil: the number of frames
	}{
		{"captures/http_get.pcap", "tcp.flags.syn == 1", []int{3, 4, 73, 74}, 0},
		{"captures/http_get.pcap", "tcp.flags & 0x02", []int{3, 4, 73, 74}, 0},
		{"captures/http_get.pcap", "tcp[13] & 0x02", []int{3, 4, 73, 74}, 0},
		{"captures/http_get.pcap", "tcp.flags == 0x02", []int{3, 73}, 0},
		{"captures/http_get.pcap", "tcp.flags & 0x12 == 0x12", []int{4, 74}, 0},
		{"captures/http_get.pcap", "tcp.flags.syn == 1 and tcp.flags.ack == 1", []int{4, 74}, 0},
		{"captures/http_get.pcap", "tcp.flags.syn == 1 && !tcp.flags.ack", nil, 0},
		{"captures/http_get.pcap", `tcp.payload contains "GET"`, []int{6, 65, 76}, 0},
		{"captures/http_get.pcap", "tcp.payload contains 47:45:54", []int{6, 65, 76}, 0},
		{"captures/http_get.pcap", `tcp.payload contains "get"`, nil, 0},
		{"captures/http_get.pcap", `tcp.payload matches "get"`, []int{6, 65, 76}, 0},
		{"captures/http_get.pcap", `tcp.payload matches "(?-i)get"`, nil, 0},
		{"captures/http_get.pcap", `frame matches "GET"`, []int{6, 65, 76}, 0},
		{"captures/http_get.pcap", `tcp.payload[0:3] == "GET"`, []int{6, 65, 76}, 0},
		{"captures/http_get.pcap", "tcp.payload[0:2,2:1] == 47:45:54", []int{6, 65, 76}, 0},
		{"captures/http_get.pcap", "tcp.payload[0-2] == 47:45:54", []int{6, 65, 76}, 0},
		{"captures/http_get.pcap", "tcp.payload[0] == 'G'", []int{6, 65, 76}, 0},
		{"captures/http_get.pcap", "tcp.payload[-1] == 0a", []int{6, 8, 63, 65, 66, 68, 76, 78, 80}, 0},
		{"captures/http_get.pcap", "tcp.payload[0:1000] == 47", nil, 0},
		{"captures/http_get.pcap", `tcp.payload contains "\r\n\r\n"`, []int{6, 8, 65, 66, 76, 78}, 0},
		{"captures/http_get.pcap", `tcp contains "GET"`, []int{6, 65, 76}, 0},
		{"captures/http_get.pcap", "arp", []int{1, 2}, 0},
		{"captures/http_get.pcap", "!tcp.port == 80", []int{1, 2}, 0},
		{"captures/http_get.pcap", "tcp.port != 80", nil, 0},
		{"captures/http_get.pcap", "tcp.port ~= 80", rangeInts(3, 84), 0},
		{"captures/http_get.pcap", "tcp.port === 80", nil, 0},
		{"captures/http_get.pcap", "tcp.port any_eq 80", rangeInts(3, 84), 0},
		{"captures/http_get.pcap", "ip.addr != 1.2.3.4", rangeInts(3, 84), 0},
		{"captures/http_get.pcap", "not ip.addr == 1.2.3.4", rangeInts(1, 84), 0},
		{"captures/http_get.pcap", "ip.addr === 192.168.0.0/16", rangeInts(3, 84), 0},
		{"captures/http_get.pcap", "ip.addr != 192.168.0.0/16", nil, 0},
		{"captures/http_get.pcap", "arp.opcode not in {1}", rangeInts(2, 84), 0},
		{"captures/http_get.pcap", "arp.opcode in {1 2}", []int{1, 2}, 0},
		{"captures/http_get.pcap", "frame.number in {1..3}", []int{1, 2, 3}, 0},
		{"captures/http_get.pcap", "frame.number > 80", []int{81, 82, 83, 84}, 0},
		{"captures/http_get.pcap", "frame.time_relative > 0.5", rangeInts(73, 84), 0},
		{"captures/http_get.pcap", "frame.time_relative >= 1", rangeInts(73, 84), 0},
		{"captures/http_get.pcap", "frame.time_relative == frame.time_delta", []int{1, 2}, 0},
		{"captures/http_get.pcap", `frame.time > "2000-01-01 00:00:00"`, rangeInts(1, 84), 0},
		{"captures/http_get.pcap", "eth.dst == ff:ff:ff:ff:ff:ff", []int{1}, 0},
		{"captures/http_get.pcap", "eth[0:6] == ff:ff:ff:ff:ff:ff", []int{1}, 0},
		{"captures/http_get.pcap", "eth.addr == 02-00-c0-a8-01-64", rangeInts(1, 84), 0},
		{"captures/http_get.pcap", "eth.dst contains ff:ff", []int{1}, 0},
		{"captures/http_get.pcap", "eth.type == ARP", []int{1, 2}, 0},
		{"captures/http_get.pcap", "count(ip.addr) == 2", rangeInts(3, 84), 0},
		{"captures/http_get.pcap", "count(arp.opcode) == 0", nil, 0},
		{"captures/http_get.pcap", "len(eth.src) == 6", rangeInts(1, 84), 0},
		{"captures/http_get.pcap", "len(tcp.payload) > 100", nil, 40},
		{"captures/http_get.pcap", "ip.src == 192.168.1.20 or ip.src==192.168.1.100 and tcp.flags.syn==1", nil, 50},
		{"captures/http_get.pcap", "tcp.len > 0 or arp and frame.number < 2", nil, 45},
		{"captures/http_get.pcap", "(tcp.len > 0 or arp) and frame.number < 2", []int{1}, 0},
		{"captures/http_get.pcap", "not arp and tcp.len > 0 or arp", nil, 46},
		{"captures/http_get.pcap", "ip.proto == TCP", rangeInts(3, 84), 0},
		{"captures/http_get.pcap", "ip.proto == tcp", rangeInts(3, 84), 0},
		{"captures/http_get.pcap", "ip.ttl == 64 && ip.ttl == 0100", rangeInts(3, 84), 0},
		{"captures/http_get.pcap", "tcp.port == tcp.srcport", rangeInts(3, 84), 0},
		{"captures/http_get.pcap", "tcp.flags.syn == tcp.flags.ack", []int{4, 74}, 0},
		{"captures/http_get.pcap", "", rangeInts(1, 84), 0},
		{"captures/dns_queries.pcap", "ip.src == ip.dst", nil, 0},
		{"captures/dns_queries.pcap", "ip.src != ip.dst", nil, 32},
		{"captures/dns_queries.pcap", "ip.addr == ip.addr", nil, 32},
		{"captures/dns_queries.pcap", "ip.addr != ip.addr", nil, 0},
		{"captures/dns_queries.pcap", "ip.src ~= ip.addr", nil, 32},
		{"captures/dns_queries.pcap", "ip.src < ip.dst", []int{4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 25, 26, 29, 32, 34}, 0},
		{"captures/dns_queries.pcap", "ip.dst in {192.168.1.1 .. 192.168.1.10}", []int{3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 24, 27, 28, 30, 31, 33}, 0},
		{"captures/dns_queries.pcap", "ip.dst[0:2] == c0:a8", nil, 32},
		{"captures/arp_resolution.pcap", "arp.opcode == request", []int{1, 2, 3, 4, 6, 12, 14, 16, 18, 19, 21}, 0},
		{"captures/arp_resolution.pcap", `arp.opcode == "reply"`, []int{5, 7, 13, 15, 17, 20}, 0},
		{"captures/arp_resolution.pcap", "arp.opcode in {1..2}", []int{1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}, 0},
		{"captures/arp_resolution.pcap", "arp.opcode not in {1}", []int{5, 7, 8, 9, 10, 11, 13, 15, 17, 20}, 0},
		{"captures/arp_resolution.pcap", "arp or ip and udp", nil, 17},
		{"captures/arp_resolution.pcap", "(arp or ip) and udp", nil, 0},
	}
	byFile := map[string][]*packet.Packet{}
	for _, c := range cases {
		pkts, ok := byFile[c.file]
		if !ok {
			pkts = loadPackets(t, c.file)
			byFile[c.file] = pkts
		}
		f, err := Compile(c.expr)
		if err != nil {
			t.Errorf("Compile(%q): %v", c.expr, err)
			continue
		}
		var got []int
		for _, p := range pkts {
			if f.Match(p) {
				got = append(got, p.Num)
			}
		}
		if c.want == nil && c.count > 0 {
			if len(got) != c.count {
				t.Errorf("%s: %q selects %d frames, want %d", c.file, c.expr, len(got), c.count)
			}
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %q selects %v, want %v", c.file, c.expr, got, c.want)
		}
	}
}

// allocFilters are the common cases that must not allocate per packet.
var allocFilters = []string{
	"tcp.flags.syn == 1 && ip.addr == 10.0.0.0/8", "tcp", "dns", "dhcp", "not arp",
	"ip.addr == 192.168.1.1", "ip.addr != 192.168.1.1", "ip.addr === 192.168.0.0/16", "ipv6.addr == fe80::/10",
	"eth.addr == ff:ff:ff:ff:ff:ff", "tcp.port in {80, 443, 8000..8080}", "udp.port not in {53}",
	"tcp.flags & 0x12 == 0x12", "frame.len > 1000", "frame.time_relative > 1.5", `tcp.payload contains "HTTP"`,
	`frame contains "example"`, `tcp.payload matches "^(get|post) "`, "tcp.payload[0:4] == 47:45:54:20",
	"udp.payload[0:2,4:2] == 00:01:00:00", "tcp[13] & 0x02", "ip.src == ip.dst", "tcp.srcport > tcp.dstport",
	"len(tcp.payload) > 100", "count(ip.addr) > 2", "eth.dst[0:3] == 01:00:5e", "arp.opcode == reply",
}

func TestMatchAllocs(t *testing.T) {
	pkts := loadPackets(t, "captures/mixed_office.pcap")
	for _, e := range allocFilters {
		f := MustCompile(e)
		n := testing.AllocsPerRun(5, func() {
			for _, p := range pkts {
				f.Match(p)
			}
		})
		if n != 0 && !(raceEnabled && strings.Contains(e, "matches")) {
			t.Errorf("%q: %v allocations per pass over %d packets", e, n, len(pkts))
		}
	}
}

func TestClone(t *testing.T) {
	pkts := loadPackets(t, "captures/http_get.pcap")
	f := MustCompile("tcp.port == 80 && ip.addr == 192.168.1.20")
	var wg sync.WaitGroup
	counts := make([]int, 4)
	for i := range counts {
		g := f.Clone()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				for _, p := range pkts {
					if g.Match(p) {
						counts[i]++
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, c := range counts {
		if c != counts[0] || c == 0 {
			t.Fatalf("clones disagree: %v", counts)
		}
	}
}
