package capfilter

import (
	"errors"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestSyntaxErrors checks the column and message of bad expressions.
func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		expr string
		col  int
		msg  string
	}{
		{"host", 5, `missing value after "host": expected an address, number or name, found end of expression`},
		{"port abc", 1, `unknown port name "abc": give a number`},
		{"port 70000", 1, `port 70000 is out of range (0-65535)`},
		{"tcp[", 5, `expected a number, "len" or proto[offset], found end of expression`},
		{"tcp[13", 7, `missing ']' after tcp[...`},
		{"tcp[13:3] = 1", 8, `data size must be 1, 2 or 4, found "3"`},
		{"ether host 1:2", 12, `"1:2" is neither a MAC address (six hex bytes such as 00:11:22:33:44:55) nor an IPv6 address`},
		{"ether host 1:2:3:4:5:6:7", 12, `"1:2:3:4:5:6:7" is neither a MAC address (six hex bytes such as 00:11:22:33:44:55) nor an IPv6 address`},
		{"ether host 10.0.0.1", 1, `"10.0.0.1" is not a MAC address (expected six hex bytes such as 00:11:22:33:44:55)`},
		{"(host 10.0.0.1", 15, `missing ')' to close the '(' at column 1`},
		{"host 10.0.0.1)", 14, `unbalanced ')'`},
		{"((tcp) or (udp)", 16, `missing ')' to close the '(' at column 1`},
		{")", 1, `unbalanced ')'`},
		{"hots 10.0.0.1", 1, `unknown keyword "hots" (did you mean "host"?)`},
		{"tcp and udpp", 9, `unknown keyword "udpp" (did you mean "udp"?)`},
		{"host 10.0.0.1 and", 18, `expected a filter primitive at end of expression`},
		{"host 10.0.0.1 tcp", 15, `expected "and" or "or" before "tcp"`},
		{"host example.com", 1, `unknown host "example.com": host names are not resolved, give an address`},
		{"host 10.0.0", 1, `"10.0.0" is not a host address (expected a.b.c.d or an IPv6 address)`},
		{"net 10.1.2.3/8", 1, `non-network bits set in "10.1.2.3/8"`},
		{"net 10.0.0.0 mask 255.0.255.0", 1, `netmask 255.0.255.0 is not contiguous`},
		{"ip6 host 10.0.0.1", 1, `"10.0.0.1" is an IPv4 address, not an IPv6 one`},
		{"tcp[0] / 0 = 1", 1, `division by zero`},
		{"tcp[0] << 32 = 1", 1, `shift by 32 bits: at most 31`},
		{"len", 4, `expected a comparison (==, !=, <, <=, >, >=) after the arithmetic expression, found end of expression`},
		{"ip proto 300", 1, `IP protocol 300 is out of range (0-255)`},
		{"ip proto foo", 1, `unknown protocol "foo"`},
		{"vlan 5000", 6, `VLAN ID "5000" is not a number from 0 to 4095`},
		{"less", 5, `expected a length after "less", found end of expression`},
		{"ether", 1, `"ether" alone is not a filter: give a qualifier such as "ether host" or "ether proto"`},
		{"host 10.0.0.1 # x", 15, `unexpected character '#'`},
		{"tcp port 80 and $", 17, `unexpected character '$'`},
		{"udp portrange 10", 1, `a port range is written FIRST-LAST, e.g. 1024-65535`},
		{"ip broadcast", 1, `"ip broadcast" needs the interface's netmask, which capture filters do not know`},
		{"host 10.0.0.1 and port", 23, `missing value after "port": expected an address, number or name, found end of expression`},
		{"tcp port 80 and 1 +", 20, `expected a number, "len" or proto[offset], found end of expression`},
	}
	for _, tt := range tests {
		_, err := Compile(tt.expr, layers.LinkTypeEthernet, 262144)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: got %v, want a *SyntaxError", tt.expr, err)
			continue
		}
		if se.Col != tt.col || se.Msg != tt.msg {
			t.Errorf("%q: got column %d %q, want column %d %q", tt.expr, se.Col, se.Msg, tt.col, tt.msg)
		}
		if !strings.HasPrefix(err.Error(), "capture filter: column ") {
			t.Errorf("%q: Error() = %q", tt.expr, err.Error())
		}
	}
}

func TestCaret(t *testing.T) {
	_, err := Compile("tcp and udpp", layers.LinkTypeEthernet, 262144)
	want := "tcp and udpp\n        ^~~~"
	if got := Caret(err); got != want {
		t.Errorf("Caret:\n%s\nwant\n%s", got, want)
	}
	if got := Caret(errors.New("x")); got != "" {
		t.Errorf("Caret of a plain error = %q", got)
	}
	want = "capture filter: column 9: unknown keyword \"udpp\" (did you mean \"udp\"?)"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

// TestLinkErrors checks primitives a link type cannot support.
func TestLinkErrors(t *testing.T) {
	tests := []struct {
		expr string
		lt   layers.LinkType
		msg  string
	}{
		{"vlan", layers.LinkTypeLinuxSLL, "no VLAN support for Linux cooked v1"},
		{"vlan 3", layers.LinkTypeLinuxSLL2, "no VLAN support for Linux cooked v2"},
		{"ether host 0:1:2:3:4:5", layers.LinkTypeRaw, "Ethernet addresses are supported only on Ethernet links, not raw IP"},
		{"ether broadcast", layers.LinkTypeLinuxSLL, "broadcast is supported only on Ethernet links"},
		{"arp", layers.LinkTypeRaw, "expression rejects all packets"},
		{"ip", layers.LinkTypeIEEE802_11, "link type 105"},
	}
	for _, tt := range tests {
		_, err := Compile(tt.expr, tt.lt, 262144)
		if err == nil || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%q on %v: got %v, want an error containing %q", tt.expr, tt.lt, err, tt.msg)
		}
	}
}
