package scripting

import (
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name     string
		files    []string
		problems []string // substrings, one per expected problem; none: clean
		handlers string
	}{
		{"clean", []string{"x.star", "FILTER = \"arp\"\nload(\"./lib.star\", \"f\")\ndef on_packet(pkt):\n    f(pkt)\ndef on_end(stats): pass\n", "lib.star", "def f(p): pass\n"}, nil, "on_end,on_packet"},
		{"typo and future", []string{"x.star", "def on_pakcet(pkt): pass\ndef on_ftp(m): pass\n"},
			[]string{"x.star:1:5: unknown handler on_pakcet (did you mean on_packet?)", "x.star:2:5: handler on_ftp is not available in this release"}, ""},
		{"signature", []string{"x.star", "def on_packet(): pass\n"}, []string{"handler on_packet must take (pkt)"}, ""},
		{"undefined name", []string{"x.star", "def on_packet(pkt):\n    prnt(pkt)\n"}, []string{"x.star:2:5: undefined: prnt"}, ""},
		{"bad filter", []string{"x.star", "FILTER = \"tcp.prot == 80\"\n"}, []string{"x.star:1:10: FILTER: column 1"}, ""},
		{"missing module", []string{"x.star", "load(\"./nope.star\", \"f\")\n"}, []string{"x.star:1:1: cannot load ./nope.star: nope.star not found"}, ""},
		{"escaping module", []string{"x.star", "load(\"@stdlib/../../x.star\", \"f\")\n"}, []string{"leaves its root"}, ""},
		{"name not in module", []string{"x.star", "load(\"./lib.star\", \"g\")\n", "lib.star", "def f(): pass\n"}, []string{"lib.star does not define g"}, ""},
		{"broken module", []string{"x.star", "load(\"./lib.star\", \"f\")\n", "lib.star", "def f(:\n"}, []string{"lib.star:1:8: got ':'"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ref, err := FileRef(writeScript(t, tc.files...))
			if err != nil {
				t.Fatal(err)
			}
			res := Check(ref, nil, nil)
			if len(res.Problems) != len(tc.problems) {
				t.Fatalf("problems %q, want %d", res.Problems, len(tc.problems))
			}
			for i, want := range tc.problems {
				if !strings.Contains(res.Problems[i], want) {
					t.Errorf("problem %q lacks %q", res.Problems[i], want)
				}
			}
			if tc.problems == nil && strings.Join(res.Handlers, ",") != tc.handlers {
				t.Errorf("handlers %v", res.Handlers)
			}
		})
	}
}

// Check runs nothing: a top level that would fail or loop is not run.
func TestCheckDoesNotRun(t *testing.T) {
	ref, _ := FileRef(writeScript(t, "x.star", "X = 1 // 0\ndef f():\n    for i in range(1 << 62):\n        pass\nY = f()\n"))
	if res := Check(ref, nil, nil); len(res.Problems) != 0 {
		t.Errorf("problems %q", res.Problems)
	}
}
