package capturetest

import (
	"path/filepath"
	"testing"
)

func TestDir(t *testing.T) {
	// This package is two levels below the repository root.
	if got, want := Dir(), filepath.Join("..", "..", "..", "shared"); got != want {
		t.Errorf("Dir() = %q, want %q", got, want)
	}
}

// skipTB records a skip instead of ending the test.
type skipTB struct {
	testing.TB
	skipped bool
}

func (s *skipTB) Helper()              {}
func (s *skipTB) Skipf(string, ...any) { s.skipped = true }

func TestLookupAndPath(t *testing.T) {
	const present = "captures/smb2_session.pcap"
	if _, ok := Lookup(present); !ok {
		t.Skipf("%s not found under %s", present, Dir())
	}
	cases := []struct {
		rel  string
		want bool
	}{
		{present, true},
		{"corpus/kerberos/kinit.pcap", true},
		{"captures/no-such-capture.pcap", false},
		{"no-such-dir/x.pcap", false},
	}
	for _, c := range cases {
		p, ok := Lookup(c.rel)
		if ok != c.want {
			t.Errorf("Lookup(%q) = %q, %v; want found %v", c.rel, p, ok, c.want)
		}
		if want := filepath.Join(Dir(), filepath.FromSlash(c.rel)); p != want {
			t.Errorf("Lookup(%q) = %q, want %q", c.rel, p, want)
		}
		tb := &skipTB{TB: t}
		if got := Path(tb, c.rel); got != p || tb.skipped == c.want {
			t.Errorf("Path(%q) = %q, skipped %v", c.rel, got, tb.skipped)
		}
	}
}
