package conformance

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// sharedDir returns ../shared relative to the repository root, or skips
// the test when the corpus is not there.
func sharedDir(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	// Tests run in the package directory, one level below the root.
	dir := filepath.Clean(filepath.Join(wd, "..", "..", "shared"))
	if _, err := os.Stat(filepath.Join(dir, "corpus", "tshark", "FIELDS")); err != nil {
		t.Skipf("shared corpus not found: looked for %s (../shared/corpus next to the repository root): %v", filepath.Join(dir, "corpus"), err)
	}
	return dir
}

// corpusFiles lists the captures of the corpus, as paths relative to it,
// from MANIFEST.tsv.
func corpusFiles(t testing.TB, corpus string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
		if i == 0 {
			continue
		}
		p, _, _ := strings.Cut(line, "\t")
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// captureFiles lists ../shared/captures/*.pcap and *.pcapng.
func captureFiles(t testing.TB, shared string) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"*.pcap", "*.pcapng"} {
		m, err := filepath.Glob(filepath.Join(shared, "captures", pat))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	sort.Strings(out)
	return out
}

func readLines(t testing.TB, name string) []string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// reference is a tshark -T fields table: a header of field names and one
// row per frame.
type reference struct {
	header []string
	col    map[string]int
	rows   [][]string
}

func parseTSV(data []byte) (*reference, error) {
	lines := strings.Split(string(data), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return nil, errors.New("no header line")
	}
	r := &reference{header: strings.Split(lines[0], "\t"), col: map[string]int{}}
	for i, h := range r.header {
		r.col[h] = i
	}
	if _, ok := r.col["frame.number"]; !ok {
		return nil, errors.New("no frame.number column")
	}
	for _, l := range lines[1:] {
		cells := strings.Split(l, "\t")
		for len(cells) < len(r.header) {
			cells = append(cells, "")
		}
		r.rows = append(r.rows, cells)
	}
	return r, nil
}

// merge appends the columns of o that r lacks; both must describe the same
// frames.
func (r *reference) merge(o *reference) error {
	if len(o.rows) != len(r.rows) {
		return fmt.Errorf("tables have %d and %d rows", len(r.rows), len(o.rows))
	}
	var add []int
	for i, h := range o.header {
		if _, dup := r.col[h]; !dup {
			r.col[h] = len(r.header)
			r.header = append(r.header, h)
			add = append(add, i)
		}
	}
	for i := range r.rows {
		for _, c := range add {
			r.rows[i] = append(r.rows[i], o.rows[i][c])
		}
	}
	return nil
}

// tshark runs tshark over capture files with a fixed field list and keeps
// the tables in a temporary directory.
type tshark struct {
	bin    string
	dir    string // temporary: outputs and an empty configuration directory
	fields []string
	opts   []string // extra options, e.g. preferences
}

func findTshark() string {
	bin, err := exec.LookPath("tshark")
	if err != nil {
		return ""
	}
	return bin
}

type tsharkResult struct {
	ref    *reference
	stderr string
	err    error
}

// run runs tshark over files (path by name), a few at a time, and returns
// the tables by name.
func (ts *tshark) run(files map[string]string) map[string]*tsharkResult {
	out := make(map[string]*tsharkResult, len(files))
	var mu sync.Mutex
	sem := make(chan struct{}, max(2, runtime.NumCPU()))
	var wg sync.WaitGroup
	for name, file := range files {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			res := ts.one(name, file)
			mu.Lock()
			out[name] = res
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func (ts *tshark) one(name, file string) *tsharkResult {
	args := append([]string{"-n", "-r", file, "-T", "fields", "-E", "header=y", "-E", "separator=/t", "-E", "occurrence=f"}, ts.opts...)
	for _, f := range ts.fields {
		args = append(args, "-e", f)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, ts.bin, args...)
	// An empty configuration directory: tshark's default preferences, as
	// the cached tables were made with, whatever the user has set.
	cmd.Env = append(os.Environ(), "WIRESHARK_CONFIG_DIR="+filepath.Join(ts.dir, "config"), "HOME="+ts.dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	// Keep the table for whoever wants to look at it after a failure.
	_ = os.WriteFile(filepath.Join(ts.dir, strings.ReplaceAll(name, "/", "_")+".tsv"), stdout.Bytes(), 0o644)
	res := &tsharkResult{stderr: cleanStderr(stderr.String()), err: err}
	if ref, perr := parseTSV(stdout.Bytes()); perr == nil {
		res.ref = ref
	} else if err == nil {
		res.err = perr
	}
	return res
}

// cleanStderr drops tshark's warning about running as root.
func cleanStderr(s string) string {
	var keep []string
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "Running as user") || strings.TrimSpace(l) == "" {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}
