package scripts_test

import (
	"bufio"
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/scripting"
	"github.com/wirelark/wirelark/scripting/output"
	"github.com/wirelark/wirelark/scripts"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const (
	goldenDir = "../testdata/scripts"
	shared    = "../../shared/captures"
)

var builtin = scripting.EmbeddedRoot(scripting.BuiltinRoot, scripts.Files)

// run runs a shipped script by name over a capture in one format.
func run(t *testing.T, name, capture string, f output.Format, args map[string]string) string {
	t.Helper()
	ref, err := scripting.Find(name, nil, builtin)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	cfg := scripting.Config{Args: args, Builtin: builtin, Sink: output.NewStream(w, f), Stdout: w, MaxSteps: scripting.DefaultMaxSteps}
	s, err := scripting.Load(ref, cfg)
	if err != nil {
		t.Fatal(err)
	}
	src, err := source.OpenAll([]string{capture})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if err := s.Run(src); err != nil {
		t.Fatal(err)
	}
	if err := cfg.Sink.Close(); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	return buf.String()
}

// TestGolden runs each shipped script over a generated capture and a
// real one, in every format, against the files in testdata/scripts
// (go test ./scripts -update rewrites them).
func TestGolden(t *testing.T) {
	cases := []struct{ script, capture string }{
		{"summary", "../testdata/mixed.pcap"},
		{"summary", filepath.Join(shared, "mixed_office.pcap")},
		{"arp_watch", "../testdata/mixed.pcap"},
		{"arp_watch", filepath.Join(shared, "arp_resolution.pcap")},
	}
	for _, tc := range cases {
		if _, err := os.Stat(tc.capture); err != nil {
			t.Logf("skipping %s over %s: %v", tc.script, tc.capture, err)
			continue
		}
		for _, f := range []output.Format{output.Text, output.JSON, output.CSV, output.TSV} {
			base := strings.TrimSuffix(filepath.Base(tc.capture), ".pcap")
			golden := filepath.Join(goldenDir, tc.script+"."+base+"."+f.Ext())
			t.Run(filepath.Base(golden), func(t *testing.T) {
				got := run(t, tc.script, tc.capture, f, nil)
				checkGolden(t, golden, got)
			})
		}
	}
}

// diff shows the first differing line.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\nwant " + w + "\ngot  " + g
		}
	}
	return ""
}

func itoa(i int) string {
	s := ""
	for ; i > 0; i /= 10 {
		s = string(rune('0'+i%10)) + s
	}
	return s
}

// Every shipped script has a docstring and passes check.
func TestShippedScriptsDocumentedAndClean(t *testing.T) {
	entries, err := scripting.List(nil, builtin)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := fs.Glob(scripts.Files, "*.star")
	if len(entries) != len(files) || len(files) < 2 {
		t.Fatalf("%d entries for %d files", len(entries), len(files))
	}
	for _, e := range entries {
		if e.Doc == "" {
			t.Errorf("%s has no docstring", e.Name)
		}
		ref, err := scripting.Find(e.Name, nil, builtin)
		if err != nil {
			t.Fatal(err)
		}
		if res := scripting.Check(ref, nil, builtin); len(res.Problems) > 0 {
			t.Errorf("%s: %v", e.Name, res.Problems)
		}
	}
}

// summary's parameter: --arg top=N.
func TestSummaryTop(t *testing.T) {
	out := run(t, "summary", "../testdata/mixed.pcap", output.JSON, map[string]string{"top": "3"})
	if n := strings.Count(out, `"_table":"endpoints"`); n != 3 {
		t.Errorf("%d endpoints with top=3", n)
	}
	out = run(t, "summary", "../testdata/mixed.pcap", output.JSON, map[string]string{"top": "0"})
	if n := strings.Count(out, `"_table":"endpoints"`); n <= 10 {
		t.Errorf("%d endpoints with top=0 (all)", n)
	}
}

// checkGolden compares a script's output with its golden file, or
// rewrites the file with -update.
func checkGolden(t *testing.T, golden, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s:\n%s", golden, diff(string(want), got))
	}
}
