package conformance

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// extraFields are compared where the test runs tshark itself: the cached
// tables lack them, and they check the capture-wide TCP/UDP analysis.
var extraFields = []string{"tcp.seq", "tcp.ack", "tcp.nxtseq", "udp.stream"}

// Running tshark on every corpus file takes tens of seconds, so the extra
// fields are checked on the corpus only on request.
var corpusTshark = flag.Bool("corpus-tshark", false, "also run tshark on every corpus file to compare "+strings.Join(extraFields, ", "))

// job is one capture with its tshark reference table.
type job struct {
	name, path string
	ref        *reference
	err        string // why there is no reference
}

// The tables are made once per test binary: TestTshark and TestTracker
// share them.
var (
	jobsOnce  sync.Once
	jobsCache []*job
	jobsNote  string
	tmpDir    string
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if tmpDir != "" {
		os.RemoveAll(tmpDir)
	}
	reportStale()
	os.Exit(code)
}

// The allow-list is shared by the tests so that, after a run of them all,
// entries no difference needed can be reported as stale.
var (
	allowOnce sync.Once
	allow     *allowList
	allowErr  error
	allowRuns = map[string]bool{}
)

func loadAllow(t *testing.T) *allowList {
	allowOnce.Do(func() { allow, allowErr = loadAllowList(filepath.Join("testdata", "allow.tsv")) })
	if allowErr != nil {
		t.Fatal(allowErr)
	}
	allowRuns[t.Name()] = true
	return allow
}

// reportStale lists allow-list entries that matched nothing, when both
// tests that use the list ran over every capture (-corpus-tshark: some
// entries are for fields only that run compares).
func reportStale() {
	if allow == nil || !allowRuns["TestTshark"] || !allowRuns["TestTracker"] {
		return
	}
	stale := allow.unused()
	if len(stale) == 0 {
		return
	}
	if !*corpusTshark {
		fmt.Printf("allow.tsv: %d entries matched nothing; run with -corpus-tshark to tell the stale ones\n", len(stale))
		return
	}
	for _, e := range stale {
		fmt.Printf("allow.tsv:%d matched nothing, remove it: %s %s %s\n", e.line, e.file, e.field, e.reason)
	}
}

// loadJobs returns every capture with its reference: the corpus with its
// cached tables (plus the extra fields when -corpus-tshark is given), then
// ../shared/captures with tshark's output when tshark is installed.
func loadJobs(t *testing.T) []*job {
	shared := sharedDir(t)
	jobsOnce.Do(func() { jobsCache, jobsNote = makeJobs(t, shared) })
	if jobsCache == nil {
		t.Fatal("the reference tables could not be made (see the first test's failure)")
	}
	if jobsNote != "" {
		t.Log(jobsNote)
	}
	return jobsCache
}

func makeJobs(t *testing.T, shared string) ([]*job, string) {
	corpus := filepath.Join(shared, "corpus")
	fields := readLines(t, filepath.Join(corpus, "tshark", "FIELDS"))
	var jobs []*job
	for _, rel := range corpusFiles(t, corpus) {
		j := &job{name: rel, path: filepath.Join(corpus, rel)}
		data, err := os.ReadFile(filepath.Join(corpus, "tshark", rel+".tsv"))
		if err == nil {
			j.ref, err = parseTSV(data)
		}
		if err != nil {
			j.err = "reading the cached tshark table: " + err.Error()
		}
		jobs = append(jobs, j)
	}
	bin := findTshark()
	if bin == "" {
		return jobs, fmt.Sprintf("tshark is not installed: ../shared/captures and the fields %s are not compared", strings.Join(extraFields, ", "))
	}
	var err error
	if tmpDir, err = os.MkdirTemp("", "wirelark-conformance-"); err != nil {
		t.Fatal(err)
	}
	// The captures have no cached tables: tshark gives every field.
	full := &tshark{bin: bin, dir: tmpDir, fields: append(append([]string(nil), fields...), extraFields...)}
	run := map[string]string{}
	var captures []*job
	for _, p := range captureFiles(t, shared) {
		j := &job{name: "captures/" + filepath.Base(p), path: p}
		captures = append(captures, j)
		run[j.name] = p
	}
	res := full.run(run)
	for _, j := range captures {
		j.ref, j.err = res[j.name].table(j.name, false)
	}
	if *corpusTshark {
		extra := &tshark{bin: bin, dir: tmpDir, fields: append([]string{"frame.number"}, extraFields...)}
		run := map[string]string{}
		for _, j := range jobs {
			run[j.name] = j.path
		}
		res := extra.run(run)
		for _, j := range jobs {
			if j.ref == nil {
				continue
			}
			ref, msg := res[j.name].table(j.name, true)
			if ref == nil {
				j.ref, j.err = nil, msg
			} else if err := j.ref.merge(ref); err != nil {
				j.ref, j.err = nil, "adding tshark's extra fields to the cached table: "+err.Error()
			}
		}
	}
	return append(jobs, captures...), ""
}
