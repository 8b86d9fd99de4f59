package scripting

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/filter"
	"github.com/wirelark/wirelark/scripting/output"
)

// mixed is the capture the project generates for tests.
const mixed = "../testdata/mixed.pcap"

// result is what a test run produced.
type result struct {
	out    string // standard output: rows and prints
	script *Script
	err    error // from Load or Run
}

// writeScript writes files into a new directory and returns the path of
// the first.
func writeScript(t *testing.T, files ...string) string {
	t.Helper()
	dir := t.TempDir()
	var first string
	for i := 0; i+1 < len(files); i += 2 {
		p := filepath.Join(dir, filepath.FromSlash(files[i]))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(files[i+1]), 0o644); err != nil {
			t.Fatal(err)
		}
		if first == "" {
			first = p
		}
	}
	return first
}

// runSrc runs a script over captures with text output.
func runSrc(t *testing.T, src string, captures []string, tweak ...func(*Config)) result {
	t.Helper()
	return runFile(t, writeScript(t, "x.star", src), captures, tweak...)
}

func runFile(t *testing.T, path string, captures []string, tweak ...func(*Config)) result {
	t.Helper()
	ref, err := FileRef(path)
	if err != nil {
		t.Fatal(err)
	}
	return runRef(t, ref, captures, output.Text, tweak...)
}

func runRef(t *testing.T, ref Ref, captures []string, f output.Format, tweak ...func(*Config)) result {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	cfg := Config{Sink: output.NewStream(w, f), Stdout: w, MaxSteps: DefaultMaxSteps}
	for _, tw := range tweak {
		tw(&cfg)
	}
	s, err := Load(ref, cfg)
	if err == nil {
		var src *source.Merge
		src, err = source.OpenAll(captures)
		if err != nil {
			t.Fatal(err)
		}
		err = s.Run(src)
		src.Close()
	}
	cfg.Sink.Close()
	w.Flush()
	return result{out: buf.String(), script: s, err: err}
}

func mustFilter(t *testing.T, expr string) *filter.Filter {
	t.Helper()
	f, err := filter.Compile(expr)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
