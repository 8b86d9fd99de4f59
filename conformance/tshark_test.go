package conformance

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/engine/source"
)

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
	report(t, "conformance vs tshark", sum)
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

// compareFile decodes one capture and compares the columns of tshark's
// table that have an entry in cols, frame by frame, and the frame count.
func compareFile(t *testing.T, al *allowList, sum *summary, name, capPath string, ref *reference, cols []*column) {
	compareFileWith(t, al, sum, name, capPath, ref, cols, true)
}

// compareFileWith is compareFile with IP defragmentation on or off (to
// compare with tshark run with its defragment preferences off).
func compareFileWith(t *testing.T, al *allowList, sum *summary, name, capPath string, ref *reference, cols []*column, defrag bool) {
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
	dec.Defrag = defrag
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
func report(t *testing.T, what string, sum *summary) {
	var fields []string
	for f := range sum.byField {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var b strings.Builder
	fmt.Fprintf(&b, "%-34s %9s %9s %9s %11s %9s\n", "field", "compared", "equal", "allowed", "not decoded", "failing")
	var byField, missing []string
	for _, f := range fields {
		c := sum.byField[f]
		fmt.Fprintf(&b, "%-34s %9d %9d %9d %11d %9d\n", f, c.compared, c.equal, c.allowed, c.notDecoded, c.failing)
		if m := c.compared - c.equal; m > 0 {
			byField = append(byField, fmt.Sprintf("%s=%d", f, m))
		}
		if c.notDecoded > 0 {
			missing = append(missing, f)
		}
	}
	t.Logf("agreement by field (not decoded: values tshark has of a field wirelark does not register):\n%s", b.String())
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
	line := fmt.Sprintf("%s: %d files, %d packets, %d values compared, %d equal (%.2f%%), %d differ: %d allowed, %d failing",
		what, sum.files, sum.packets, tot.compared, tot.equal, pct, tot.compared-tot.equal, tot.allowed, tot.failing)
	if tot.notDecoded > 0 {
		line += fmt.Sprintf("; %d of the differences are fields not decoded (%s)", tot.notDecoded, strings.Join(missing, " "))
	}
	if len(byField) > 0 {
		line += "; differences by field: " + strings.Join(byField, " ")
	}
	t.Log(line)
	fmt.Println(line)
}
