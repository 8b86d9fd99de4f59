package filter

import (
	"github.com/wirelark/wirelark/engine/packet"
)

// Filter is a compiled display filter. Its evaluation reuses scratch
// buffers held by the Filter, so a Filter must not be used by several
// goroutines at once; Clone makes an independent copy for another one.
type Filter struct {
	expr   string
	match  pred
	protos []*packet.Proto
	fields []*packet.Field
}

// Compile parses expr, checks it against the field registry and compiles
// it. An empty (or all-blank) expression matches every packet. Errors are
// *SyntaxError.
func Compile(expr string) (*Filter, error) {
	n, err := parse(expr)
	if err != nil {
		return nil, err
	}
	f := &Filter{expr: expr}
	if n == nil {
		f.match = func(*packet.Packet) bool { return true }
		return f, nil
	}
	c := &compiler{src: expr}
	if f.match, err = c.compile(n); err != nil {
		return nil, err
	}
	f.protos, f.fields = c.protos, c.fields
	return f, nil
}

// MustCompile is Compile for expressions known to be valid; it panics on
// an error.
func MustCompile(expr string) *Filter {
	f, err := Compile(expr)
	if err != nil {
		panic("filter: " + expr + ": " + err.Error())
	}
	return f
}

// Match reports whether p passes the filter. It does not allocate in the
// common cases (comparisons, sets, subnets, contains, slices of one range)
// and decodes lazily decoded protocols only when the filter asks for
// them.
func (f *Filter) Match(p *packet.Packet) bool { return f.match(p) }

// String returns the expression the filter was compiled from.
func (f *Filter) String() string { return f.expr }

// Protos lists the protocols the filter refers to, tested for presence or
// owning a field it reads, in order of first mention. A packet with none of
// them can only match through negation ("not arp").
func (f *Filter) Protos() []*packet.Proto { return f.protos }

// Fields lists the fields the filter reads, in order of first mention.
func (f *Filter) Fields() []*packet.Field { return f.fields }

// Clone returns a filter with the same meaning and its own scratch
// buffers, for use on another goroutine.
func (f *Filter) Clone() *Filter {
	g, err := Compile(f.expr)
	if err != nil {
		panic("filter: recompiling a valid filter failed: " + err.Error())
	}
	return g
}
