package suggest

import "testing"

func TestNearest(t *testing.T) {
	names := []string{"ip.src", "ip.dst", "ip.ttl", "tcp", "tcp.port", "udp", "icmp.type", "on_packet", "on_end"}
	tests := []struct{ in, want string }{
		{"ip.scr", "ip.src"}, // a swap is one edit
		{"ip.dts", "ip.dst"}, // ... and beats ip.ttl at the same Levenshtein distance
		{"tcpp", "tcp"},      // a letter too many
		{"icmp.tpye", "icmp.type"},
		{"on_pakcet", "on_packet"},
		{"IP.SRC", "ip.src"}, // case is not an edit
		{"frobnicate", ""},   // nothing close
		{"", ""},
	}
	for _, tc := range tests {
		if got := Nearest(tc.in, names); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestNearestIsOrderIndependent(t *testing.T) {
	a := Nearest("ip.ds", []string{"ip.dst", "ip.src", "ip.id"})
	b := Nearest("ip.ds", []string{"ip.id", "ip.src", "ip.dst"})
	if a != b {
		t.Errorf("answer depends on order: %q vs %q", a, b)
	}
}
