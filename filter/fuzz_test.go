package filter

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelark/wirelark/engine/packet"
)

// fuzzSeeds are every expression of the tests.
func fuzzSeeds() []string {
	seeds := append([]string(nil), compiles...)
	for _, c := range errorCases {
		seeds = append(seeds, c.expr)
	}
	seeds = append(seeds, tsharkFilters...)
	seeds = append(seeds, allocFilters...)
	return seeds
}

var (
	fuzzPktsOnce sync.Once
	fuzzPkts     []*packet.Packet
)

// fuzzPackets are a few decoded packets of several protocols to run
// compiled filters on.
func fuzzPackets(t testing.TB) []*packet.Packet {
	fuzzPktsOnce.Do(func() {
		for _, name := range []string{"captures/http_get.pcap", "captures/dns_queries.pcap", "captures/arp_resolution.pcap",
			"captures/ipv6_nd.pcap", "captures/dhcp_dora.pcap", "captures/icmp_unreachable.pcap"} {
			ps := loadPackets(t, name)
			fuzzPkts = append(fuzzPkts, ps[:min(len(ps), 12)]...)
		}
	})
	return fuzzPkts
}

// checkError checks the shape of a compile error.
func checkError(t *testing.T, expr string, err error) {
	se, ok := err.(*SyntaxError)
	if !ok {
		t.Fatalf("Compile(%q) returned %T %v, want *SyntaxError", expr, err, err)
	}
	if se.Col < 1 || se.Col > utf8.RuneCountInString(expr)+1 || se.Len < 1 {
		t.Fatalf("Compile(%q): column %d, length %d out of range", expr, se.Col, se.Len)
	}
	if strings.Contains(se.Error(), "\n") || se.Msg == "" {
		t.Fatalf("Compile(%q): bad message %q", expr, se.Error())
	}
	if n := strings.Count(se.Caret(), "\n"); n != 1 {
		t.Fatalf("Compile(%q): caret display has %d line breaks", expr, n)
	}
}

// FuzzCompile compiles arbitrary expressions: no panic, no hang, errors
// well formed, and what compiles can be run.
func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := Compile(expr)
		if err != nil {
			checkError(t, expr, err)
			return
		}
		for _, p := range fuzzPackets(t) {
			flt.Match(p)
		}
	})
}

// FuzzMatch runs arbitrary filters over arbitrary Ethernet frames.
func FuzzMatch(f *testing.F) {
	frames := [][]byte{{}}
	for _, p := range fuzzPackets(f) {
		frames = append(frames, p.Data)
	}
	for i, s := range fuzzSeeds() {
		f.Add(s, frames[i%len(frames)])
	}
	f.Fuzz(func(t *testing.T, expr string, data []byte) {
		flt, err := Compile(expr)
		if err != nil {
			checkError(t, expr, err)
			return
		}
		p := packet.Decode(data, layers.LinkTypeEthernet)
		a := flt.Match(p)
		if b := flt.Match(p); a != b {
			t.Fatalf("%q: two evaluations on the same packet disagree", expr)
		}
	})
}
