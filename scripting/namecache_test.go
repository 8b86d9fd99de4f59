package scripting

import (
	"testing"

	"go.starlark.net/starlark"
)

// TestNameCache checks that remembered names resolve exactly as the
// field tree does, whatever order they come in and however many share a
// slot, including names that resolve to nothing.
func TestNameCache(t *testing.T) {
	tr := tree()
	tcp, ip := tr.byPath["tcp"], tr.byPath["ip"]
	tests := []struct {
		base *node
		name string
	}{
		{tr.root, "tcp"}, {tr.root, "udp"}, {tr.root, "ip"}, {tr.root, "eth"},
		{tr.root, "dns"}, {tr.root, "nosuch"}, {tcp, "srcport"}, {tcp, "dstport"},
		{tcp, "flags"}, {ip, "src"}, {ip, "dst"}, {ip, "ttl"}, {ip, "flags"},
		{tcp, "nosuch"},
	}
	rels := []struct {
		base *node
		name string
	}{
		{tcp, "flags.syn"}, {tcp, "flags.ack"}, {tcp, "srcport"}, {ip, "flags.df"},
		{ip, "src"}, {tcp, "flags.nosuch"}, {tr.byPath["tcp.flags"], "syn"},
	}
	var sc scratch
	for round := 0; round < 3; round++ {
		for _, tc := range tests {
			if got, want := sc.kid(tc.base, tc.name), tc.base.kids[tc.name]; got != want {
				t.Errorf("round %d: kid(%s, %q) = %v, want %v", round, tc.base.path, tc.name, got, want)
			}
		}
		for _, tc := range rels {
			owner := func() string { return tc.base.path }
			got, gotErr := sc.below(tc.base, owner, starlark.String(tc.name))
			want, wantErr := below(tc.base, owner, starlark.String(tc.name))
			if got != want || (gotErr == nil) != (wantErr == nil) {
				t.Errorf("round %d: below(%s, %q) = %v, %v; want %v, %v", round, tc.base.path, tc.name, got, gotErr, want, wantErr)
			}
		}
	}
}
