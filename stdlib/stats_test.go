package stdlib

import (
	"strings"
	"testing"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// eval runs a Starlark expression with the modules predeclared.
func eval(t *testing.T, st *Stats, src string) string {
	t.Helper()
	thread := &starlark.Thread{}
	pre := starlark.StringDict{"stats": st.Module(), "hex": Hex}
	v, err := starlark.EvalOptions(&syntax.FileOptions{}, thread, "test", src, pre)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return v.String()
}

func evalErr(st *Stats, src string) error {
	thread := &starlark.Thread{}
	pre := starlark.StringDict{"stats": st.Module(), "hex": Hex}
	_, err := starlark.EvalOptions(&syntax.FileOptions{}, thread, "test", src, pre)
	return err
}

func TestCounters(t *testing.T) {
	st := NewStats()
	for _, src := range []string{
		`stats.inc("pkts")`,
		`stats.inc("pkts", by=2)`,
		`stats.inc("talkers", key="10.0.0.2", by=100)`,
		`stats.inc("talkers", key="10.0.0.1", by=300)`,
		`stats.inc("talkers", key="10.0.0.3", by=100)`,
		`stats.inc("talkers", key="10.0.0.2", by=0.5)`,
	} {
		eval(t, st, src)
	}
	st.Inc("rows")
	st.Inc("rows")
	tests := []struct{ src, want string }{
		{`stats.count("pkts")`, "3"},
		{`stats.count("never")`, "0"},
		{`stats.count("rows")`, "2"},
		{`stats.count("talkers")`, "500.5"},
		{`stats.count("talkers", key="10.0.0.1")`, "300"},
		{`stats.count("talkers", key="10.9.9.9")`, "0"},
		{`stats.top("talkers", n=2)`, `[("10.0.0.1", 300), ("10.0.0.2", 100.5)]`},
		{`stats.top("talkers")`, `[("10.0.0.1", 300), ("10.0.0.2", 100.5), ("10.0.0.3", 100)]`},
		{`stats.counts("talkers")`, `{"10.0.0.1": 300, "10.0.0.2": 100.5, "10.0.0.3": 100}`},
		{`stats.top("pkts")`, `[]`},
		{`stats.names()`, `["pkts", "rows", "talkers"]`},
	}
	for _, tc := range tests {
		if got := eval(t, st, tc.src); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.src, got, tc.want)
		}
	}
}

func TestTopTiesByKey(t *testing.T) {
	st := NewStats()
	for _, k := range []string{`"b"`, `"a"`, `"c"`, `"a"`, `("x", 1)`, `2`} {
		eval(t, st, `stats.inc("k", key=`+k+`)`)
	}
	// Equal counts come in key order; keys of different types by type name.
	if got, want := eval(t, st, `stats.top("k")`), `[("a", 2), (2, 1), ("b", 1), ("c", 1), (("x", 1), 1)]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestDistributions(t *testing.T) {
	st := NewStats()
	for i := 1; i <= 100; i++ {
		eval(t, st, `stats.observe("rtt", `+itoa(i)+`)`)
	}
	tests := []struct{ src, want string }{
		{`stats.percentiles("rtt", [0, 25, 50, 100])`, `[1.0, 25.75, 50.5, 100.0]`},
		{`stats.percentiles([3, 1, 2])`, `[2.0, 2.8, 2.98]`},
		{`stats.percentiles("none")`, `[None, None, None]`},
		{`stats.summary("rtt")`, `{"count": 100, "sum": 5050.0, "min": 1.0, "max": 100.0, "mean": 50.5}`},
		{`stats.summary("none")`, `{"count": 0, "sum": None, "min": None, "max": None, "mean": None}`},
		{`stats.histogram("rtt", [10, 50, 90])`, `[(None, 10, 9), (10, 50, 40), (50, 90, 40), (90, None, 11)]`},
		{`stats.histogram([5, 6], [0, 10])`, `[(0, 10, 2)]`},
	}
	for _, tc := range tests {
		if got := eval(t, st, tc.src); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.src, got, tc.want)
		}
	}
	for _, tc := range []struct{ src, want string }{
		{`stats.observe("x", "a")`, "want int or float"},
		{`stats.percentiles("rtt", [101])`, "out of range"},
		{`stats.histogram("rtt", [3, 2])`, "edges must increase"},
		{`stats.inc("x", key=[1])`, "unhashable"},
	} {
		if err := evalErr(st, tc.src); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.src, err, tc.want)
		}
	}
}

func TestReservoirKeepsExactAggregates(t *testing.T) {
	d := &dist{}
	n := MaxSamples + 1000
	for i := 0; i < n; i++ {
		d.add(float64(i))
	}
	if len(d.vals) != MaxSamples || d.n != int64(n) || d.min != 0 || d.max != float64(n-1) {
		t.Fatalf("kept %d values, n=%d min=%v max=%v", len(d.vals), d.n, d.min, d.max)
	}
	med := Percentile(d.sortedVals(), 50)
	if mid := float64(n) / 2; med < mid*0.99 || med > mid*1.01 {
		t.Errorf("estimated median %v, want about %v", med, mid)
	}
}

func itoa(i int) string { return starlark.MakeInt(i).String() }
