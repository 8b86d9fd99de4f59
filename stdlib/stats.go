package stdlib

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"
)

// Stats is the state behind one run's predeclared stats module: named
// counters (plain, or keyed for top-N tables) and named distributions of
// numbers (for percentiles and histograms). Scripts cannot reassign
// globals from a handler, so this is where running totals live:
//
//	stats.inc(name, key=None, by=1)  add by (int or float) to counter name,
//	                                 or to its entry for key (any hashable)
//	stats.count(name, key=None)      the counter's total (all keys and the
//	                                 plain count together), or one key's; 0
//	                                 for a counter never touched
//	stats.counts(name)               dict key -> count, largest first
//	stats.top(name, n=10)            list of (key, count), largest first,
//	                                 ties by key
//	stats.observe(name, value)       add a number to distribution name
//	stats.summary(name)              dict: count, sum, min, max, mean (None
//	                                 when empty)
//	stats.percentiles(name_or_list, ps=[50, 90, 99])
//	                                 list of floats, linear interpolation
//	                                 between closest ranks (numpy's default)
//	stats.histogram(name_or_list, edges)
//	                                 list of (low, high, count) for each
//	                                 bucket low <= x < high between sorted
//	                                 edges; (None, edges[0], n) and
//	                                 (edges[-1], None, n) for values outside,
//	                                 only when n > 0
//	stats.names()                    sorted names of counters and
//	                                 distributions
//
// Every row emit() writes also counts under its table's name, so
// stats.count("handshakes") is the number of rows of table handshakes.
//
// Distributions keep every value up to MaxSamples, then a uniform sample
// of MaxSamples values (a reservoir with a fixed seed, so runs repeat):
// percentiles and histograms are exact below that size and estimates
// above it; count, sum, min, max and mean are always exact.
type Stats struct {
	counters map[string]*counter
	dists    map[string]*dist
	module   *starlarkstruct.Module
}

// MaxSamples bounds the values a distribution keeps.
const MaxSamples = 1 << 20

type counter struct {
	total starlark.Value // Int or Float
	keys  *starlark.Dict // key -> Int or Float; nil until a keyed inc
}

type dist struct {
	n        int64
	sum      float64
	min, max float64
	vals     []float64
	sorted   bool
	rng      *rand.Rand
}

// NewStats returns empty state and its module.
func NewStats() *Stats {
	s := &Stats{counters: map[string]*counter{}, dists: map[string]*dist{}}
	b := func(name string, fn func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)) *starlark.Builtin {
		return starlark.NewBuiltin("stats."+name, fn)
	}
	s.module = &starlarkstruct.Module{Name: "stats", Members: starlark.StringDict{
		"inc":         b("inc", s.inc),
		"count":       b("count", s.count),
		"counts":      b("counts", s.counts),
		"top":         b("top", s.top),
		"observe":     b("observe", s.observe),
		"summary":     b("summary", s.summary),
		"percentiles": b("percentiles", s.percentiles),
		"histogram":   b("histogram", s.histogram),
		"names":       b("names", s.names),
	}}
	return s
}

// Module returns the Starlark module.
func (s *Stats) Module() *starlarkstruct.Module { return s.module }

// Inc adds one to counter name (emit uses it to count rows).
func (s *Stats) Inc(name string) {
	c := s.counter(name)
	c.total, _ = starlark.Binary(syntax.PLUS, c.total, starlark.MakeInt(1))
}

// Count returns the total of counter name, 0 if there is none.
func (s *Stats) Count(name string) starlark.Value {
	if c := s.counters[name]; c != nil {
		return c.total
	}
	return starlark.MakeInt(0)
}

func (s *Stats) counter(name string) *counter {
	c := s.counters[name]
	if c == nil {
		c = &counter{total: starlark.MakeInt(0)}
		s.counters[name] = c
	}
	return c
}

// number accepts an int or a float.
func number(fn string, v starlark.Value) (starlark.Value, error) {
	switch v.(type) {
	case starlark.Int, starlark.Float:
		return v, nil
	}
	return nil, fmt.Errorf("%s: got %s, want int or float", fn, v.Type())
}

func (s *Stats) inc(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var key starlark.Value = starlark.None
	var by starlark.Value = starlark.MakeInt(1)
	if err := starlark.UnpackArgs(fn.Name(), args, kwargs, "name", &name, "key?", &key, "by?", &by); err != nil {
		return nil, err
	}
	by, err := number(fn.Name(), by)
	if err != nil {
		return nil, err
	}
	c := s.counter(name)
	if key != starlark.None {
		if c.keys == nil {
			c.keys = starlark.NewDict(16)
		}
		old, found, err := c.keys.Get(key)
		if err != nil {
			return nil, fmt.Errorf("%s: key: %v", fn.Name(), err)
		}
		if !found {
			old = starlark.MakeInt(0)
		}
		sum, err := starlark.Binary(syntax.PLUS, old, by)
		if err != nil {
			return nil, err
		}
		if err := c.keys.SetKey(key, sum); err != nil {
			return nil, err
		}
	}
	c.total, err = starlark.Binary(syntax.PLUS, c.total, by)
	if err != nil {
		return nil, err
	}
	return starlark.None, nil
}

func (s *Stats) count(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var key starlark.Value = starlark.None
	if err := starlark.UnpackArgs(fn.Name(), args, kwargs, "name", &name, "key?", &key); err != nil {
		return nil, err
	}
	c := s.counters[name]
	if c == nil {
		return starlark.MakeInt(0), nil
	}
	if key == starlark.None {
		return c.total, nil
	}
	if c.keys != nil {
		v, found, err := c.keys.Get(key)
		if err != nil {
			return nil, fmt.Errorf("%s: key: %v", fn.Name(), err)
		}
		if found {
			return v, nil
		}
	}
	return starlark.MakeInt(0), nil
}

// ranked returns the keyed entries of counter name, largest count first,
// equal counts in key order.
func (s *Stats) ranked(name string) ([]starlark.Tuple, error) {
	c := s.counters[name]
	if c == nil || c.keys == nil {
		return nil, nil
	}
	items := c.keys.Items()
	less := func(a, b starlark.Value) bool {
		if lt, err := starlark.Compare(syntax.LT, a, b); err == nil {
			return lt
		}
		// Keys that do not order (different types, tuples of those):
		// by type name, then by text.
		if a.Type() != b.Type() {
			return a.Type() < b.Type()
		}
		return a.String() < b.String()
	}
	sort.SliceStable(items, func(i, j int) bool {
		ci, cj := items[i][1], items[j][1]
		if gt, _ := starlark.Compare(syntax.GT, ci, cj); gt {
			return true
		}
		if eq, _ := starlark.Compare(syntax.EQL, ci, cj); !eq {
			return false
		}
		return less(items[i][0], items[j][0])
	})
	return items, nil
}

func (s *Stats) counts(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackPositionalArgs(fn.Name(), args, kwargs, 1, &name); err != nil {
		return nil, err
	}
	items, err := s.ranked(name)
	if err != nil {
		return nil, err
	}
	d := starlark.NewDict(len(items))
	for _, it := range items {
		d.SetKey(it[0], it[1])
	}
	return d, nil
}

func (s *Stats) top(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	n := 10
	if err := starlark.UnpackArgs(fn.Name(), args, kwargs, "name", &name, "n?", &n); err != nil {
		return nil, err
	}
	items, err := s.ranked(name)
	if err != nil {
		return nil, err
	}
	if n >= 0 && n < len(items) {
		items = items[:n]
	}
	out := make([]starlark.Value, len(items))
	for i, it := range items {
		out[i] = it
	}
	return starlark.NewList(out), nil
}

func (d *dist) add(x float64) {
	if d.n == 0 || x < d.min {
		d.min = x
	}
	if d.n == 0 || x > d.max {
		d.max = x
	}
	d.n++
	d.sum += x
	d.sorted = false
	if len(d.vals) < MaxSamples {
		d.vals = append(d.vals, x)
		return
	}
	// Reservoir sampling (Vitter's algorithm R) with a fixed seed.
	if d.rng == nil {
		d.rng = rand.New(rand.NewPCG(1, 2))
	}
	if j := d.rng.Int64N(d.n); j < MaxSamples {
		d.vals[j] = x
	}
}

func (d *dist) sortedVals() []float64 {
	if !d.sorted {
		sort.Float64s(d.vals)
		d.sorted = true
	}
	return d.vals
}

func toFloat(fn string, v starlark.Value) (float64, error) {
	switch v := v.(type) {
	case starlark.Int:
		f, _ := starlark.AsFloat(v)
		return f, nil
	case starlark.Float:
		return float64(v), nil
	}
	return 0, fmt.Errorf("%s: got %s, want int or float", fn, v.Type())
}

func (s *Stats) observe(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	var v starlark.Value
	if err := starlark.UnpackPositionalArgs(fn.Name(), args, kwargs, 2, &name, &v); err != nil {
		return nil, err
	}
	x, err := toFloat(fn.Name(), v)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(x) {
		return nil, fmt.Errorf("%s: NaN cannot be observed", fn.Name())
	}
	d := s.dists[name]
	if d == nil {
		d = &dist{}
		s.dists[name] = d
	}
	d.add(x)
	return starlark.None, nil
}

func (s *Stats) summary(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var name string
	if err := starlark.UnpackPositionalArgs(fn.Name(), args, kwargs, 1, &name); err != nil {
		return nil, err
	}
	out := starlark.NewDict(5)
	d := s.dists[name]
	if d == nil || d.n == 0 {
		out.SetKey(starlark.String("count"), starlark.MakeInt(0))
		for _, k := range []string{"sum", "min", "max", "mean"} {
			out.SetKey(starlark.String(k), starlark.None)
		}
		return out, nil
	}
	out.SetKey(starlark.String("count"), starlark.MakeInt64(d.n))
	out.SetKey(starlark.String("sum"), starlark.Float(d.sum))
	out.SetKey(starlark.String("min"), starlark.Float(d.min))
	out.SetKey(starlark.String("max"), starlark.Float(d.max))
	out.SetKey(starlark.String("mean"), starlark.Float(d.sum/float64(d.n)))
	return out, nil
}

// values returns the sorted values of a named distribution, or of a list
// or tuple of numbers given directly.
func (s *Stats) values(fn string, src starlark.Value) ([]float64, error) {
	switch src := src.(type) {
	case starlark.String:
		if d := s.dists[string(src)]; d != nil {
			return d.sortedVals(), nil
		}
		return nil, nil
	case starlark.Indexable:
		vals := make([]float64, src.Len())
		for i := range vals {
			x, err := toFloat(fn, src.Index(i))
			if err != nil {
				return nil, err
			}
			vals[i] = x
		}
		sort.Float64s(vals)
		return vals, nil
	}
	return nil, fmt.Errorf("%s: got %s, want a distribution name or a list of numbers", fn, src.Type())
}

func (s *Stats) percentiles(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var src starlark.Value
	var ps starlark.Value = starlark.NewList([]starlark.Value{starlark.MakeInt(50), starlark.MakeInt(90), starlark.MakeInt(99)})
	if err := starlark.UnpackArgs(fn.Name(), args, kwargs, "src", &src, "ps?", &ps); err != nil {
		return nil, err
	}
	vals, err := s.values(fn.Name(), src)
	if err != nil {
		return nil, err
	}
	pl, ok := ps.(starlark.Indexable)
	if !ok {
		return nil, fmt.Errorf("%s: ps: got %s, want a list of numbers", fn.Name(), ps.Type())
	}
	out := make([]starlark.Value, pl.Len())
	for i := range out {
		p, err := toFloat(fn.Name(), pl.Index(i))
		if err != nil {
			return nil, err
		}
		if p < 0 || p > 100 {
			return nil, fmt.Errorf("%s: percentile %v out of range 0..100", fn.Name(), p)
		}
		if len(vals) == 0 {
			out[i] = starlark.None
			continue
		}
		out[i] = starlark.Float(Percentile(vals, p))
	}
	return starlark.NewList(out), nil
}

// Percentile returns the p-th percentile (0..100) of sorted, non-empty
// vals, interpolating linearly between the closest ranks.
func Percentile(vals []float64, p float64) float64 {
	r := p / 100 * float64(len(vals)-1)
	lo := int(math.Floor(r))
	hi := min(lo+1, len(vals)-1)
	return vals[lo] + (vals[hi]-vals[lo])*(r-float64(lo))
}

func (s *Stats) histogram(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var src starlark.Value
	var edgesV starlark.Indexable
	if err := starlark.UnpackArgs(fn.Name(), args, kwargs, "src", &src, "edges", &edgesV); err != nil {
		return nil, err
	}
	vals, err := s.values(fn.Name(), src)
	if err != nil {
		return nil, err
	}
	n := edgesV.Len()
	if n == 0 {
		return nil, fmt.Errorf("%s: edges is empty", fn.Name())
	}
	edges := make([]float64, n)
	for i := range edges {
		if edges[i], err = toFloat(fn.Name(), edgesV.Index(i)); err != nil {
			return nil, err
		}
		if i > 0 && edges[i] <= edges[i-1] {
			return nil, fmt.Errorf("%s: edges must increase", fn.Name())
		}
	}
	counts := make([]int, n+1) // counts[0]: below edges[0]; counts[n]: from edges[n-1] up
	for _, x := range vals {
		counts[sort.Search(n, func(i int) bool { return edges[i] > x })]++
	}
	var out []starlark.Value
	bucket := func(lo, hi starlark.Value, c int) {
		out = append(out, starlark.Tuple{lo, hi, starlark.MakeInt(c)})
	}
	if counts[0] > 0 {
		bucket(starlark.None, edgesV.Index(0), counts[0])
	}
	for i := 1; i < n; i++ {
		bucket(edgesV.Index(i-1), edgesV.Index(i), counts[i])
	}
	if counts[n] > 0 {
		bucket(edgesV.Index(n-1), starlark.None, counts[n])
	}
	return starlark.NewList(out), nil
}

func (s *Stats) names(_ *starlark.Thread, fn *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	if err := starlark.UnpackPositionalArgs(fn.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var names []string
	for n := range s.counters {
		seen[n] = true
		names = append(names, n)
	}
	for n := range s.dists {
		if !seen[n] {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := make([]starlark.Value, len(names))
	for i, n := range names {
		out[i] = starlark.String(n)
	}
	return starlark.NewList(out), nil
}
