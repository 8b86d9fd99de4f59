package conformance

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

// extraFields are compared where the test runs tshark itself: the cached
// tables lack them, and they check the capture-wide TCP/UDP analysis.
var extraFields = []string{"tcp.seq", "tcp.ack", "tcp.nxtseq", "udp.stream"}

// Running tshark on every corpus file takes tens of seconds, so the extra
// fields are checked on the corpus only on request.
var corpusTshark = flag.Bool("corpus-tshark", false, "also run tshark on every corpus file to compare "+strings.Join(extraFields, ", "))

// maxExamples bounds the mismatches printed one by one per file and field.
const maxExamples = 10

// tally counts compared values, overall or for one field.
type tally struct {
	compared   int // cells where tshark or wirelark has a value
	equal      int
	notDecoded int // tshark has a value of a field wirelark does not register
	allowed    int // mismatches covered by the allow-list (not-decoded included)
	failing    int
}

type summary struct {
	files, packets int
	total          tally
	byField        map[string]*tally
	frameCount     []string // files whose frame counts differ (allowed)
	readerErrors   []string // files the reader stopped on (allowed)
}

func (s *summary) field(name string) *tally {
	t := s.byField[name]
	if t == nil {
		t = &tally{}
		s.byField[name] = t
	}
	return t
}

// mismatchGroup collects the differences of one field in one file.
type mismatchGroup struct {
	frames   []int
	examples []string
}

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

// getter appends a column's first value in p to dst (nothing when the
// packet has none).
type getter func(p *packet.Packet, dst []byte) []byte

// column says how to get wirelark's value for a column of tshark's table;
// a nil get means wirelark does not decode the field. name is the field
// as reports and the allow-list know it.
type column struct {
	name string
	get  getter
}

// fieldGetter reads a field of the registry; nil when wirelark does not
// register the field (it is "not decoded").
func fieldGetter(name string) getter {
	f := packet.Fields.Field(name)
	if f == nil {
		return nil
	}
	var buf [8]packet.Value
	return func(p *packet.Packet, dst []byte) []byte {
		if vs := f.Values(p, buf[:0]); len(vs) > 0 {
			dst = f.AppendValue(dst, vs[0])
		}
		return dst
	}
}

// TestTshark compares every field of tshark's tables with the registry's
// value for it.
func TestTshark(t *testing.T) {
	jobs := loadJobs(t)
	al := loadAllow(t)
	sum := &summary{byField: map[string]*tally{}}
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			if j.ref == nil {
				t.Fatal(j.err)
			}
			cols := make([]*column, len(j.ref.header))
			for i, h := range j.ref.header {
				cols[i] = &column{h, fieldGetter(h)}
			}
			compareFile(t, al, sum, j.name, j.path, j.ref, cols)
		})
	}
	report(t, "conformance vs tshark", al, sum)
}

// table returns tshark's table, or why there is none. tshark exits with
// an error on some damaged files after printing the frames before the
// damage; that is accepted when tolerant is set.
func (r *tsharkResult) table(name string, tolerant bool) (*reference, string) {
	if r.err != nil && (r.ref == nil || !tolerant) {
		return nil, fmt.Sprintf("tshark on %s: %v: %s", name, r.err, r.stderr)
	}
	return r.ref, ""
}

// compareFile decodes one capture and compares it with tshark's table.
// compareFile decodes one capture and compares the columns of tshark's
// table that have an entry in cols.
func compareFile(t *testing.T, al *allowList, sum *summary, name, capPath string, ref *reference, cols []*column) {
	sum.files++
	numCol := ref.col["frame.number"]
	rows := ref.rows
	if extra, e := al.frameList(name, allowExtra); e != nil {
		var keep [][]string
		for _, r := range rows {
			n, _ := strconv.Atoi(r[numCol])
			if !extra[n] {
				keep = append(keep, r)
			}
		}
		t.Logf("%d tshark rows that are not packets left out (allow.tsv:%d: %s)", len(rows)-len(keep), e.line, e.reason)
		rows = keep
	}

	groups := map[string]*mismatchGroup{}
	var got []byte

	r, err := source.Open(capPath)
	if err != nil {
		// Opening fails only for a file with no packets at all.
		if len(rows) > 0 || al.match(name, allowError, 0, false) == nil {
			t.Errorf("%s: opening: %v", name, err)
		}
		return
	}
	defer r.Close()
	dec := packet.NewDecoder()
	var fr source.Frame
	n := 0
	for {
		err = r.Next(&fr)
		if err != nil {
			break
		}
		p := dec.Decode(&fr)
		n++
		if n > len(rows) {
			continue
		}
		sum.packets++
		row := rows[n-1]
		tsFrame, _ := strconv.Atoi(row[numCol])
		for i, c := range cols {
			if c == nil {
				continue
			}
			get := c.get
			want := row[i]
			got = got[:0]
			if get != nil {
				got = get(p, got)
			}
			if want == "" && len(got) == 0 {
				continue
			}
			field := c.name
			ft := sum.field(field)
			ft.compared++
			sum.total.compared++
			if string(got) == want {
				ft.equal++
				sum.total.equal++
				continue
			}
			if get == nil {
				ft.notDecoded++
				sum.total.notDecoded++
			}
			if al.match(name, field, tsFrame, get == nil) != nil {
				ft.allowed++
				sum.total.allowed++
				continue
			}
			ft.failing++
			sum.total.failing++
			g := groups[field]
			if g == nil {
				g = &mismatchGroup{}
				groups[field] = g
			}
			g.frames = append(g.frames, tsFrame)
			if len(g.examples) < maxExamples {
				where := fmt.Sprintf("frame %d", tsFrame)
				if tsFrame != n {
					where += fmt.Sprintf(" (wirelark's frame %d)", n)
				}
				ours := strconv.Quote(string(got))
				if get == nil {
					ours = "not decoded (field not registered)"
				}
				g.examples = append(g.examples, fmt.Sprintf("%s: %s: %s: wirelark %s, tshark %q", name, where, field, ours, want))
			}
		}
	}
	if err != io.EOF {
		var fe *source.FormatError
		switch e := al.match(name, allowError, 0, false); {
		case !errors.As(err, &fe):
			t.Errorf("%s: reader error is not a *source.FormatError: %v", name, err)
		case e != nil:
			sum.readerErrors = append(sum.readerErrors, name)
			t.Logf("reader stopped after %d frames: %v (allowed, allow.tsv:%d: %s)", n, err, e.line, e.reason)
		default:
			t.Errorf("%s: reader stopped after %d frames: %v", name, n, err)
		}
	}
	if n != len(rows) {
		if e := al.match(name, allowFrames, 0, false); e != nil {
			sum.frameCount = append(sum.frameCount, name)
			t.Logf("frame count: wirelark %d, tshark %d (allowed, allow.tsv:%d: %s)", n, len(rows), e.line, e.reason)
		} else {
			t.Errorf("%s: frame count: wirelark %d, tshark %d", name, n, len(rows))
		}
	}
	names := make([]string, 0, len(groups))
	for f := range groups {
		names = append(names, f)
	}
	sort.Strings(names)
	for _, f := range names {
		g := groups[f]
		msg := strings.Join(g.examples, "\n")
		if len(g.frames) > len(g.examples) {
			msg += fmt.Sprintf("\n... %d more", len(g.frames)-len(g.examples))
		}
		t.Errorf("%s\n%s: %s: %d mismatches not in the allow-list, frames %s", msg, name, f, len(g.frames), compactFrames(g.frames))
	}
}

// report logs the agreement and prints a one-line summary.
func report(t *testing.T, what string, al *allowList, sum *summary) {
	var fields []string
	for f := range sum.byField {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var b strings.Builder
	fmt.Fprintf(&b, "%-34s %9s %9s %9s %9s %9s\n", "field", "compared", "equal", "allowed", "(not dec)", "failing")
	var byField []string
	for _, f := range fields {
		c := sum.byField[f]
		fmt.Fprintf(&b, "%-34s %9d %9d %9d %9d %9d\n", f, c.compared, c.equal, c.allowed, c.notDecoded, c.failing)
		if m := c.compared - c.equal; m > 0 {
			byField = append(byField, fmt.Sprintf("%s=%d", f, m))
		}
	}
	t.Logf("agreement by field:\n%s", b.String())
	if len(sum.frameCount) > 0 {
		t.Logf("frame counts differ (allowed): %s", strings.Join(sum.frameCount, ", "))
	}
	if len(sum.readerErrors) > 0 {
		t.Logf("reader stopped on (allowed): %s", strings.Join(sum.readerErrors, ", "))
	}
	tot := sum.total
	pct := 0.0
	if tot.compared > 0 {
		pct = 100 * float64(tot.equal) / float64(tot.compared)
	}
	line := fmt.Sprintf("%s: %d files, %d packets, %d values compared, %d equal (%.2f%%), %d differ: %d allowed, %d failing (%d are fields not decoded); differences by field: %s",
		what, sum.files, sum.packets, tot.compared, tot.equal, pct, tot.compared-tot.equal, tot.allowed, tot.failing, tot.notDecoded, strings.Join(byField, " "))
	t.Log(line)
	fmt.Println(line)
}

// trackerColumns reads the capture-wide analysis (packet.TCPInfo and
// UDPInfo) as tshark shows it, whatever the fields' getters make of it.
func trackerColumns() map[string]getter {
	// Wireshark stops after the sequence number when the header length is
	// bogus (below 20).
	whole := func(p *packet.Packet) (flags uint16, ok bool) {
		l := p.Layer(packet.ProtoTCP)
		if l == nil || l.Off+14 > len(p.Data) || p.Data[l.Off+12]>>4 < 5 {
			return 0, false
		}
		return binary.BigEndian.Uint16(p.Data[l.Off+12:]), true
	}
	return map[string]getter{
		"tcp.stream": func(p *packet.Packet, dst []byte) []byte {
			if p.TCP.Valid {
				dst = strconv.AppendInt(dst, int64(p.TCP.Stream), 10)
			}
			return dst
		},
		"tcp.seq": func(p *packet.Packet, dst []byte) []byte {
			if p.TCP.Valid {
				dst = strconv.AppendUint(dst, uint64(p.TCP.SeqRel), 10)
			}
			return dst
		},
		"tcp.ack": func(p *packet.Packet, dst []byte) []byte {
			if _, ok := whole(p); ok && p.TCP.Valid {
				dst = strconv.AppendUint(dst, uint64(p.TCP.AckRel), 10)
			}
			return dst
		},
		"tcp.len": func(p *packet.Packet, dst []byte) []byte {
			if p.TCP.Valid && p.TCP.Analysed {
				dst = strconv.AppendInt(dst, int64(p.TCP.Len), 10)
			}
			return dst
		},
		"tcp.nxtseq": func(p *packet.Packet, dst []byte) []byte {
			flags, ok := whole(p)
			if !ok || !p.TCP.Valid || !p.TCP.Analysed {
				return dst
			}
			next := p.TCP.SeqRel + uint32(p.TCP.Len)
			if flags&0x03 != 0 {
				next++ // SYN and FIN count as one byte
			}
			return strconv.AppendUint(dst, uint64(next), 10)
		},
		"udp.stream": func(p *packet.Packet, dst []byte) []byte {
			if p.UDP.Valid {
				dst = strconv.AppendInt(dst, int64(p.UDP.Stream), 10)
			}
			return dst
		},
	}
}

// trackerCols selects the columns of ref that trackerColumns reads. They
// are named "FIELD#tracker": an allow-list entry for a field's getter
// ("tcp.ack") does not cover the tracker, one for the data ("tcp.*")
// does.
func trackerCols(ref *reference) ([]*column, int) {
	tracker := trackerColumns()
	cols := make([]*column, len(ref.header))
	n := 0
	for i, h := range ref.header {
		if g := tracker[h]; g != nil {
			cols[i] = &column{h + "#tracker", g}
			n++
		}
	}
	return cols, n
}

// TestTracker compares the capture-wide analysis with tshark's stream
// indexes and relative sequence numbers.
func TestTracker(t *testing.T) {
	jobs := loadJobs(t)
	al := loadAllow(t)
	sum := &summary{byField: map[string]*tally{}}
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			if j.ref == nil {
				t.Fatal(j.err)
			}
			if cols, n := trackerCols(j.ref); n > 0 {
				compareFile(t, al, sum, j.name, j.path, j.ref, cols)
			}
		})
	}
	report(t, "tracker vs tshark", al, sum)
}

// TestTrackerNoDefrag checks the tracker on the captures that hold IP
// fragments against tshark with defragmentation off, which is what
// wirelark does until it defragments: a first fragment's transport header
// joins its conversation but gets no sequence analysis. No difference is
// allowed here.
func TestTrackerNoDefrag(t *testing.T) {
	bin := findTshark()
	if bin == "" {
		t.Skip("tshark is not installed")
	}
	run := map[string]string{}
	for _, j := range loadJobs(t) {
		if hasFragments(t, j.path) {
			run[j.name] = j.path
		}
	}
	if len(run) == 0 {
		t.Fatal("no capture with IP fragments found")
	}
	ts := &tshark{bin: bin, dir: t.TempDir(), fields: append([]string{"frame.number"}, extraFields...),
		opts: []string{"-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE"}}
	res := ts.run(run)
	none := &allowList{}
	sum := &summary{byField: map[string]*tally{}}
	names := make([]string, 0, len(run))
	for name := range run {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			ref, msg := res[name].table(name, true)
			if ref == nil {
				t.Fatal(msg)
			}
			cols, _ := trackerCols(ref)
			compareFile(t, none, sum, name, run[name], ref, cols)
		})
	}
	report(t, "tracker vs tshark without defragmentation", none, sum)
}

// hasFragments reports whether a capture holds an IPv4 or IPv6 fragment.
func hasFragments(t *testing.T, name string) bool {
	r, err := source.Open(name)
	if err != nil {
		return false
	}
	defer r.Close()
	dec := packet.NewDecoder()
	var f source.Frame
	for r.Next(&f) == nil {
		p := dec.Decode(&f)
		for _, l := range p.Layers {
			switch {
			case l.Proto == packet.ProtoIPv6Frag:
				return true
			case l.Proto == packet.ProtoIP && l.Off+8 <= len(p.Data):
				if binary.BigEndian.Uint16(p.Data[l.Off+6:])&0x3fff != 0 {
					return true
				}
			}
		}
	}
	return false
}
