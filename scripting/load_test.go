package scripting

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadResolution(t *testing.T) {
	libDir := t.TempDir()
	os.WriteFile(filepath.Join(libDir, "team.star"), []byte("load(\"./sub/inner.star\", \"inner\")\ndef team(): return \"team+\" + inner()\n"), 0o644)
	os.MkdirAll(filepath.Join(libDir, "sub"), 0o755)
	os.WriteFile(filepath.Join(libDir, "sub", "inner.star"), []byte("load(\"../leaf.star\", \"leaf\")\ndef inner(): return \"inner+\" + leaf\n"), 0o644)
	os.WriteFile(filepath.Join(libDir, "leaf.star"), []byte("leaf = \"leaf\"\n"), 0o644)
	lib, err := ParseLib("team=" + libDir)
	if err != nil {
		t.Fatal(err)
	}
	path := writeScript(t,
		"main.star", `
load("./helpers/h.star", "h")
load("@stdlib/fmt.star", "ms")
load("@team/team.star", "team")
def on_start():
    print(h(), ms(0.0015), team())
`,
		"helpers/h.star", "load(\"../common.star\", \"c\")\ndef h(): return \"h+\" + c\n",
		"common.star", "c = \"common\"\n")
	r := runFile(t, path, []string{mixed}, func(c *Config) { c.Libs = []*Root{lib} })
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.out != "h+common 1.5 team+inner+leaf\n" {
		t.Errorf("output %q", r.out)
	}
}

func TestLoadRefused(t *testing.T) {
	tests := []struct{ spec, want string }{
		{"../outside.star", `"../outside.star" leaves its root, the script's directory`},
		{"./a/../../outside.star", "leaves its root"},
		{"/etc/passwd", `"/etc/passwd": absolute paths are not allowed`},
		{"@stdlib/../../x", `"@stdlib/../../x" leaves its root, @stdlib (built in)`},
		{"@stdlib/../x.star", "leaves its root, @stdlib"},
		{"@nolib/x.star", `no library named @nolib (search path: @stdlib (built in); add libraries with WIRELARK_PATH=name=dir:... or --lib name=dir)`},
		{"./missing.star", `./missing.star": missing.star not found in the script's directory`},
		{"@stdlib/missing.star", "missing.star not found in @stdlib (built in) (search path: @stdlib"},
		{"x.star", `a load names "./x.star" or "../x.star"`},
		{"./x.txt", "only .star files can be loaded"},
		{"@stdlib", `want "@NAME/path.star"`},
	}
	for _, tc := range tests {
		r := runSrc(t, "load(\""+tc.spec+"\", \"x\")\n", []string{mixed})
		if r.err == nil || !strings.Contains(r.err.Error(), tc.want) {
			t.Errorf("load(%q): error %v, want %q", tc.spec, r.err, tc.want)
		}
	}
}

// A symbolic link inside a library root that points outside it is
// refused.
func TestLoadSymlinkEscape(t *testing.T) {
	outside := t.TempDir()
	os.WriteFile(filepath.Join(outside, "secret.star"), []byte("x = 1\n"), 0o644)
	path := writeScript(t, "main.star", "load(\"./link/secret.star\", \"x\")\n")
	if err := os.Symlink(outside, filepath.Join(filepath.Dir(path), "link")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	r := runFile(t, path, []string{mixed})
	if r.err == nil || !strings.Contains(r.err.Error(), "leaves its root") {
		t.Errorf("error %v", r.err)
	}
}

// Modules load once per run, whoever loads them, and are frozen.
func TestModulesLoadOnceFrozen(t *testing.T) {
	path := writeScript(t,
		"main.star", `
load("./a.star", "a")
load("./b.star", "b")
load("./counted.star", "seen")
def on_start():
    print(a, b, stats.count("loads"))
    seen.append(1)
`,
		"a.star", "load(\"./counted.star\", \"seen\")\na = len(seen)\n",
		"b.star", "load(\"./counted.star\", \"seen\")\nb = len(seen)\n",
		"counted.star", "stats.inc(\"loads\")\nseen = []\n")
	r := runFile(t, path, []string{mixed})
	if r.out != "0 0 1\n" {
		t.Errorf("output %q", r.out)
	}
	if r.err == nil || !strings.Contains(r.err.Error(), "frozen") {
		t.Errorf("appending to a loaded module's list: error %v, want a frozen-list error", r.err)
	}
}

func TestLoadCycle(t *testing.T) {
	for _, files := range [][]string{
		{"main.star", "load(\"./a.star\", \"a\")\n", "a.star", "load(\"./b.star\", \"b\")\na = 1\n", "b.star", "load(\"./a.star\", \"a\")\nb = 1\n"},
		// Back to the script itself.
		{"main.star", "load(\"./a.star\", \"a\")\nm = 1\n", "a.star", "load(\"./main.star\", \"m\")\na = 1\n"},
	} {
		r := runFile(t, writeScript(t, files...), []string{mixed})
		if r.err == nil || !strings.Contains(r.err.Error(), "load cycle") {
			t.Errorf("error %v", r.err)
		}
	}
}

func TestParseLibs(t *testing.T) {
	d1, d2 := t.TempDir(), t.TempDir()
	libs, err := ParseLibs([]string{"team=" + d1}, "team="+d2+":other="+d2)
	if err != nil {
		t.Fatal(err)
	}
	if len(libs) != 2 || libs[0].Name != "team" || libs[0].Dir != d1 || libs[1].Name != "other" {
		t.Errorf("libs %+v: --lib must come first and shadow WIRELARK_PATH", libs)
	}
	for _, bad := range []string{"team", "=x", "te am=" + d1, "stdlib=" + d1, "scripts=" + d1, "x=/nonexistent/dir"} {
		if _, err := ParseLibs(nil, bad); err == nil || !strings.Contains(err.Error(), "WIRELARK_PATH") {
			t.Errorf("%q: error %v", bad, err)
		}
	}
}
