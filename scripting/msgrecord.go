package scripting

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"
)

// record is a small read-only value with named fields (type "record"): a
// DNS question or resource record, an IGMP or MLD group record, an ND
// prefix, the datagram an ICMP error quotes. r.name and r["name"] read a
// field; json.encode, dict(r) and `"name" in r` see a mapping. Records
// copy their values, so they stay valid after the handler call.
type record struct {
	keys []string
	vals []starlark.Value
}

var (
	_ starlark.HasAttrs        = (*record)(nil)
	_ starlark.IterableMapping = (*record)(nil)
	_ starlark.Comparable      = (*record)(nil)
)

// newRecord makes a record from alternating names and values.
func newRecord(kv ...any) *record {
	r := &record{keys: make([]string, 0, len(kv)/2), vals: make([]starlark.Value, 0, len(kv)/2)}
	for i := 0; i+1 < len(kv); i += 2 {
		r.keys = append(r.keys, kv[i].(string))
		r.vals = append(r.vals, kv[i+1].(starlark.Value))
	}
	return r
}

func (r *record) String() string {
	var b strings.Builder
	b.WriteString("record(")
	for i, k := range r.keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteString(" = ")
		b.WriteString(r.vals[i].String())
	}
	b.WriteByte(')')
	return b.String()
}

func (r *record) Type() string          { return "record" }
func (r *record) Truth() starlark.Bool  { return true }
func (r *record) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: record") }
func (r *record) AttrNames() []string   { return append([]string(nil), r.keys...) }
func (r *record) Len() int              { return len(r.keys) }

func (r *record) Freeze() {
	for _, v := range r.vals {
		v.Freeze()
	}
}

func (r *record) Attr(name string) (starlark.Value, error) {
	for i, k := range r.keys {
		if k == name {
			return r.vals[i], nil
		}
	}
	return nil, noSuch("record", name, r.keys)
}

// Get implements r["name"], and the dotted names the compiler makes of
// attribute chains (see rewrite.go): r["data.preference"].
func (r *record) Get(k starlark.Value) (starlark.Value, bool, error) {
	s, ok := k.(starlark.String)
	if !ok {
		return nil, false, fmt.Errorf("record index: got %s, want a field name", k.Type())
	}
	var v starlark.Value = r
	for _, seg := range strings.Split(string(s), ".") {
		ha, ok := v.(starlark.HasAttrs)
		if !ok {
			return nil, false, fmt.Errorf("%s has no attribute .%s", v.Type(), seg)
		}
		var err error
		if v, err = ha.Attr(seg); err != nil {
			return nil, false, err
		}
	}
	return v, true, nil
}

func (r *record) Items() []starlark.Tuple {
	out := make([]starlark.Tuple, len(r.keys))
	for i, k := range r.keys {
		out[i] = starlark.Tuple{starlark.String(k), r.vals[i]}
	}
	return out
}

func (r *record) Iterate() starlark.Iterator {
	keys := make([]starlark.Value, len(r.keys))
	for i, k := range r.keys {
		keys[i] = starlark.String(k)
	}
	return starlark.NewList(keys).Iterate()
}

// CompareSameType makes records with equal fields equal.
func (r *record) CompareSameType(op syntax.Token, y starlark.Value, depth int) (bool, error) {
	o := y.(*record)
	switch op {
	case syntax.EQL, syntax.NEQ:
		eq := len(r.keys) == len(o.keys)
		for i := 0; eq && i < len(r.keys); i++ {
			if r.keys[i] != o.keys[i] {
				eq = false
				break
			}
			e, err := starlark.EqualDepth(r.vals[i], o.vals[i], depth-1)
			if err != nil {
				return false, err
			}
			eq = e
		}
		return eq == (op == syntax.EQL), nil
	}
	return false, fmt.Errorf("%s %s %s not supported", r.Type(), op, y.Type())
}
