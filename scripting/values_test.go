package scripting

import (
	"strconv"
	"strings"
	"testing"
)

// evalOn evaluates expressions in on_packet for one frame of mixed.pcap
// and returns their values as repr strings, one per line.
func evalOn(t *testing.T, frame int, exprs []string) []string {
	t.Helper()
	var b strings.Builder
	b.WriteString("FILTER = \"frame.number == " + strconv.Itoa(frame) + "\"\ndef on_packet(pkt):\n")
	for _, e := range exprs {
		b.WriteString("    print(repr(" + e + "))\n")
	}
	r := runSrc(t, b.String(), []string{mixed})
	if r.err != nil {
		t.Fatalf("%v\n%s", r.err, b.String())
	}
	return strings.Split(strings.TrimSuffix(r.out, "\n"), "\n")
}

type evalCase struct{ expr, want string }

func checkEval(t *testing.T, frame int, cases []evalCase) {
	t.Helper()
	exprs := make([]string, len(cases))
	for i, c := range cases {
		exprs[i] = c.expr
	}
	got := evalOn(t, frame, exprs)
	if len(got) != len(cases) {
		t.Fatalf("got %d lines for %d expressions: %q", len(got), len(cases), got)
	}
	for i, c := range cases {
		if got[i] != c.want {
			t.Errorf("frame %d: %s = %s, want %s", frame, c.expr, got[i], c.want)
		}
	}
}

// Frame 7 of mixed.pcap is a TCP SYN over IPv4 with options.
func TestPacketValuesTCP(t *testing.T) {
	checkEval(t, 7, []evalCase{
		{"pkt.num", "7"},
		{"pkt.len", "74"},
		{"pkt.caplen", "74"},
		{"pkt.time == 1709542800.007995", "True"},
		{`"%f" % pkt.time`, `"1709542800.007995"`},
		{"pkt.layers", `["eth", "ip", "tcp"]`},
		{"type(pkt)", `"packet"`},
		{"type(pkt.tcp)", `"layer"`},
		{"pkt.ip.src", `"10.40.162.195"`},
		{"pkt.ip.ttl", "64"},
		{"pkt.ip.addr", `["10.40.162.195", "209.190.197.173"]`},
		{"pkt.eth.src", `"00:0c:29:3f:6d:f0"`},
		{"pkt.tcp.dstport", "443"},
		{"pkt.tcp.flags", "2"},
		{"pkt.tcp.flags == 0x02", "True"},
		{"pkt.tcp.flags.syn", "True"},
		{"pkt.tcp.flags.ack", "False"},
		{"pkt.ip.flags.df", "True"},
		{"pkt.eth.dst.ig", "False"},
		{"pkt.tcp.options.mss_val", "1460"},
		{"pkt.tcp.options.wscale.shift", "7"},
		{"type(pkt.tcp.options.wscale)", `"fields"`},
		{"bool(pkt.tcp.options.wscale)", "True"},
		{"pkt.tcp.options.sack_perm", "True"},
		{"pkt.tcp.options.sack_le", "None"},
		{"type(pkt.tcp.options)", `"bytes"`},
		{"pkt.frame.time_relative", "0.007995"},
		{`pkt["ip.src"]`, `"10.40.162.195"`},
		{`pkt["tcp.flags.syn"]`, "True"},
		{`pkt.tcp["flags.syn"]`, "True"},
		{`pkt["tcp"] == None`, "False"},
		{`pkt["udp.srcport"]`, "None"},
		{"pkt.udp", "None"},
		{"pkt.dns", "None"},
		{"pkt.payload", `b""`},
		{`"srcport" in dir(pkt.tcp) and "flags" in dir(pkt.tcp)`, "True"},
		{`"tcp" in dir(pkt) and "num" in dir(pkt)`, "True"},
		{`pkt.tcp.fields()["srcport"]`, "57784"},
		{`pkt.all("ip.src")`, `["10.40.162.195"]`},
		{`pkt.all("udp.srcport")`, `[]`},
		{`len(pkt.all("tcp"))`, "1"},
		{`pkt.tcp.all("srcport")`, "[57784]"},
		{`pkt.summary()`, `"7    0.007995 10.40.162.195 → 209.190.197.173 TCP 74 57784 → 443 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=86126635 TSecr=0 WS=128"`},
		{`pkt.show().startswith("Frame 7: 74 bytes on wire")`, "True"},
		{`"Transmission Control Protocol, Src Port: 57784" in pkt.show()`, "True"},
		{`pkt.hex().split("\n")[0]`, `"0000  a4 83 e7 d4 52 f5 00 0c 29 3f 6d f0 08 00 45 00   ....R...)?m...E."`},
		{"str(pkt.tcp).startswith(\"Transmission Control Protocol, Src Port: 57784\")", "True"},
	})
}

// Frame 11 is a DNS response with two AAAA answers: a repeated field is a
// list; frame 24 carries TCP payload.
func TestPacketValuesRepeatedAndPayload(t *testing.T) {
	checkEval(t, 11, []evalCase{
		{"pkt.dns.aaaa", `["2001:db8:7f19:4ad3::b745", "2001:db8:7f19:4ad3::b746"]`},
		{"pkt.dns.qry.name", `"static.initech.example"`},
		{"pkt.dns.qry.name.len", "22"},
		{"pkt.dns.flags.response", "True"},
		{"pkt.dns.a", "None"},
		{`pkt.all("dns.qry.name")`, `["static.initech.example"]`},
		{"pkt.layers", `["eth", "ip", "udp", "dns"]`},
		{"len(pkt.payload) == pkt.udp.length - 8", "True"},
	})
	checkEval(t, 24, []evalCase{
		{"len(pkt.payload)", "517"},
		{"pkt.payload[:3]", `b"\x16\x03\x03"`},
		{"pkt.tcp.payload[:3]", `b"\x16\x03\x03"`},
		{"type(pkt.tcp.len)", `"int"`},
	})
	// An ICMP error quotes an IP header: pkt.ip is the outer one,
	// pkt.all("ip") both, pkt["ip.src"] every occurrence.
	checkEval(t, 108, []evalCase{
		{`len(pkt.all("ip"))`, "2"},
		{`pkt["ip.src"] == pkt.all("ip.src")`, "True"},
		{`pkt.ip.src == pkt["ip.src"][0]`, "True"},
	})
}

func TestValueErrors(t *testing.T) {
	tests := []struct{ body, want string }{
		{"pkt.tcpp", "packet has no attribute .tcpp (did you mean .tcp?)"},
		{"pkt.tcp.flgs", "tcp layer has no attribute .flgs (did you mean .flags?)"},
		{`pkt["ip.scr"]`, `unknown field "ip.scr" (did you mean "ip.src"?)`},
		{`pkt.tcp["flags.sny"]`, `tcp layer has no field "flags.sny" (did you mean "flags.syn"?)`},
		{"pkt.tcp.options.wscale.shfit", `tcp layer has no field "options.wscale.shfit" (did you mean "options.wscale.shift"?)`},
		{"pkt.dns.qry", "NoneType has no .qry field"},
		{"pkt.ip.flags; g = pkt.tcp.options.wscale; g.shfit", "tcp.options.wscale has no attribute .shfit (did you mean .shift?)"},
		{"pkt.tcp.flags; f = pkt.tcp.flags; f.syn", "int has no .syn field or method"},
		{`pkt.all("tcp.options.wscale")`, "is a group of fields"},
		{"{pkt: 1}", "unhashable type: packet"},
	}
	for _, tc := range tests {
		r := runSrc(t, "FILTER = \"frame.number == 7\"\ndef on_packet(pkt):\n    "+tc.body+"\n", []string{mixed})
		if r.err == nil || !strings.Contains(r.err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.body, r.err, tc.want)
		}
	}
	// An absent layer is None: reading through it is an error, reading the
	// full name from the packet is None.
	r := runSrc(t, "FILTER = \"arp\"\ndef on_packet(pkt):\n    print(pkt[\"tcp.flags.syn\"], pkt.tcp)\n    pkt.tcp.flags.syn\n", []string{mixed})
	if r.err == nil || !strings.HasPrefix(r.out, "None None\n") {
		t.Errorf("absent layer: output %q, error %v", r.out, r.err)
	}
}

// A Packet value is cut from the decoder's packet when its handler call
// returns; pkt.copy() keeps one.
func TestPacketExpiresAfterHandler(t *testing.T) {
	src := `
kept = []
FILTER = "frame.number <= 2"
def on_packet(pkt):
    kept.append(pkt)
    kept.append(pkt.copy())
    kept.append(pkt.ip)
def on_end():
    print(kept[1].num, kept[1].ip.src, kept[4].dns.flags.response)
    print(kept[0])
    print(kept[2])
    kept[0].num
`
	r := runSrc(t, src, []string{mixed})
	want := "1 10.4.15.149 True\n<packet 1, expired>\n<ip layer of an expired packet>\n"
	if r.out != want {
		t.Errorf("output %q, want %q", r.out, want)
	}
	if r.err == nil || !strings.Contains(r.err.Error(), "packet 1 is no longer available: a packet is valid only during the handler call that received it") {
		t.Errorf("error %v", r.err)
	}
	for _, body := range []string{"kept[2].src", "kept[0].summary", "kept[0][\"ip.src\"]"} {
		r := runSrc(t, strings.Replace(src, "kept[0].num", body, 1), []string{mixed})
		if r.err == nil || !strings.Contains(r.err.Error(), "no longer available") {
			t.Errorf("%s: error %v", body, r.err)
		}
	}
}
