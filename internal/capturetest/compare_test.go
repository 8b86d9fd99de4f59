package capturetest

import (
	"fmt"
	"testing"
)

// errTB collects reported errors instead of failing the test.
type errTB struct {
	testing.TB
	errs []string
}

func (e *errTB) Helper() {}
func (e *errTB) Errorf(format string, args ...any) {
	e.errs = append(e.errs, fmt.Sprintf(format, args...))
}

func TestCompareCells(t *testing.T) {
	fields := []string{"a.x", "a.y"}
	cases := []struct {
		name            string
		tshark, ours    []string
		compared, equal int
		errs            []string
	}{
		{"equal", []string{"1", "2"}, []string{"1", "2"}, 2, 2, nil},
		{"one differs", []string{"1", "2"}, []string{"1", "3"}, 2, 1, []string{`frame 7 a.y: tshark "2", wirelark "3"`}},
		{"empty cells", []string{"", ""}, []string{"", "0"}, 2, 1, []string{`frame 7 a.y: tshark "", wirelark "0"`}},
		{"short row", []string{"1"}, []string{"1", "2"}, 0, 0, []string{"frame 7: 2 fields, 1 cells from tshark, 2 ours"}},
	}
	for _, c := range cases {
		tb := &errTB{TB: t}
		n, e := CompareCells(tb, 7, fields, c.tshark, c.ours)
		if n != c.compared || e != c.equal || fmt.Sprint(tb.errs) != fmt.Sprint(c.errs) {
			t.Errorf("%s: %d compared, %d equal, errors %q; want %d, %d, %q", c.name, n, e, tb.errs, c.compared, c.equal, c.errs)
		}
	}
}
