package scripting

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

func TestFindAndList(t *testing.T) {
	builtin := EmbeddedRoot(BuiltinRoot, fstest.MapFS{
		"summary.star":   {Data: []byte("\"\"\"Built-in summary.\n\nMore text.\"\"\"\n")},
		"arp_watch.star": {Data: []byte("# no docstring\n")},
	})
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "summary.star"), []byte("\"\"\"  Team summary, shadowing the shipped one.  \"\"\"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "mine.star"), []byte("'''Mine.'''\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o644)
	lib, err := ParseLib("team=" + dir)
	if err != nil {
		t.Fatal(err)
	}
	libs := []*Root{lib}

	entries, err := List(libs, builtin)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name+"|"+e.Root.Name+"|"+e.Doc+"|"+map[bool]string{true: "shadowed"}[e.Shadowed])
	}
	want := []string{
		"mine|team|Mine.|",
		"summary|team|Team summary, shadowing the shipped one.|",
		"arp_watch|scripts||",
		"summary|scripts|Built-in summary.|shadowed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("List:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	tests := []struct{ arg, name, err string }{
		{"summary", "@team/summary.star", ""},
		{"arp_watch", "@scripts/arp_watch.star", ""},
		{"@scripts/summary.star", "@scripts/summary.star", ""},
		{filepath.Join(dir, "mine.star"), filepath.Join(dir, "mine.star"), ""},
		{"nothing", "", "no script nothing: not a file, and no nothing.star in @team (" + dir + "), @scripts (built in)"},
		{"./nothing.star", "", "no such file"},
		{"@team/nothing.star", "", "not found in @team"},
	}
	for _, tc := range tests {
		ref, err := Find(tc.arg, libs, builtin)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Find(%q): error %v, want %q", tc.arg, err, tc.err)
			}
			continue
		}
		if err != nil || ref.Name() != tc.name {
			t.Errorf("Find(%q) = %q, %v, want %q", tc.arg, ref.Name(), err, tc.name)
		}
	}
}
