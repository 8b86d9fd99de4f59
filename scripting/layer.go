package scripting

import (
	"fmt"
	"sort"
	"strings"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// Layer is the Starlark value of one protocol layer of a packet (type
// "layer"): pkt.ip, pkt.tcp. Its attributes are the protocol's fields by
// the rest of their registry names (pkt.tcp.srcport is tcp.srcport), with
// the values found in this layer; a field that is absent is None, one
// that occurs once its value, one that occurs several times a list.
// layer["flags.syn"] reads a field by its dotted name below the protocol.
//
// Besides fields a layer has payload (the bytes after its header, unless
// the protocol has a field of that name), fields() (a dict of every field
// present) and all(name) (a field's occurrences, always a list).
type Layer struct {
	pkt *Packet
	idx int           // index in the packet's layers
	pr  *packet.Proto // the layer's protocol
	n   *node         // where its fields hang: the protocol whose fields it carries
}

var (
	_ starlark.HasAttrs = (*Layer)(nil)
	_ starlark.Mapping  = (*Layer)(nil)
	_ starlark.HasAttrs = (*Group)(nil)
	_ starlark.Mapping  = (*Group)(nil)
)

var layerMembers = []string{"all", "fields", "payload"}

func (l *Layer) live() (*packet.Packet, *packet.Layer, error) {
	p, err := l.pkt.live()
	if err != nil {
		return nil, nil, err
	}
	return p, &p.Layers[l.idx], nil
}

func (l *Layer) String() string {
	p, pl, err := l.live()
	if err != nil {
		return "<" + l.pr.Name + " layer of an expired packet>"
	}
	if l.pr.Node != nil {
		return l.pr.Node(p, pl)
	}
	return l.pr.Title
}
func (l *Layer) Type() string          { return "layer" }
func (l *Layer) Freeze()               {}
func (l *Layer) Truth() starlark.Bool  { return true }
func (l *Layer) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: layer") }

func (l *Layer) AttrNames() []string {
	return mergeNames(l.n.names, layerMembers)
}

func mergeNames(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range append(append([]string(nil), a...), b...) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func (l *Layer) Attr(name string) (starlark.Value, error) {
	p, pl, err := l.live()
	if err != nil {
		return nil, err
	}
	// Fields first: a protocol's field named like a member (tcp.payload)
	// is what the user means.
	if c := l.pkt.sc.kid(l.n, name); c != nil {
		return l.resolve(p, pl, c), nil
	}
	switch name {
	case "payload":
		return starlark.Bytes(pl.Payload(p)), nil
	case "fields", "all":
		return starlark.NewBuiltin(name, layerMethods[name]).BindReceiver(l), nil
	}
	return nil, noSuch(l.pr.Name+" layer", name, l.AttrNames())
}

// resolve gives the value of a node within this layer.
func (l *Layer) resolve(p *packet.Packet, pl *packet.Layer, n *node) starlark.Value {
	switch {
	case n.proto != nil:
		return l.pkt.layer(n.proto)
	case n.field != nil:
		sc := l.pkt.sc
		sc.vals = n.field.Get(p, pl, sc.vals[:0])
		return occurrences(n.field, sc.vals)
	}
	return &Group{pkt: l.pkt, l: l, n: n}
}

// Get implements layer["flags.syn"].
func (l *Layer) Get(k starlark.Value) (starlark.Value, bool, error) {
	p, pl, err := l.live()
	if err != nil {
		return nil, false, err
	}
	n, err := l.pkt.sc.below(l.n, l.owner, k)
	if err != nil {
		return nil, false, err
	}
	return l.resolve(p, pl, n), true, nil
}

// owner names the layer in messages.
func (l *Layer) owner() string { return l.pr.Name + " layer" }

// below resolves a dotted name under n, or explains what is wrong (owner
// names the value for that, and is called only then).
func below(n *node, owner func() string, k starlark.Value) (*node, error) {
	rel, ok := k.(starlark.String)
	if !ok {
		return nil, fmt.Errorf("%s index: got %s, want a field name", owner(), k.Type())
	}
	if c := tree().relative(n, string(rel)); c != nil {
		return c, nil
	}
	msg := fmt.Sprintf("%s has no field %q", owner(), string(rel))
	if s := nearest(string(rel), relNames(n)); s != "" {
		msg += fmt.Sprintf(" (did you mean %q?)", s)
	}
	return nil, fmt.Errorf("%s", msg)
}

// nameCache remembers the nodes names resolved to last, with the node
// they were resolved under. Handlers ask for the same few names on every
// packet, and those names are string constants of the compiled script:
// comparing one with the name remembered finds the same bytes at once,
// which is cheaper than hashing it for a map lookup (or, below a group,
// building its full dotted name first). Eight slots, chosen by the
// name's length and end letters, hold the names of a typical handler.
type nameCache [8]nameEntry

type nameEntry struct {
	base *node
	name string
	n    *node // nil: the slot is empty
}

// get returns the slot of name under base, and whether it holds it.
func (c *nameCache) get(base *node, name string) (*nameEntry, bool) {
	h := len(name)
	if h > 0 {
		h += int(name[0]) + 3*int(name[h-1])
	}
	e := &c[h&(len(c)-1)]
	return e, e.n != nil && e.base == base && e.name == name
}

// kid returns n's child called name, or nil.
func (sc *scratch) kid(n *node, name string) *node {
	e, hit := sc.kids.get(n, name)
	if !hit {
		c := n.kids[name]
		if c == nil {
			return nil
		}
		*e = nameEntry{n, name, c}
	}
	return e.n
}

// below is the package's below, remembering the names it resolved.
func (sc *scratch) below(n *node, owner func() string, k starlark.Value) (*node, error) {
	rel, ok := k.(starlark.String)
	if !ok {
		return below(n, owner, k)
	}
	e, hit := sc.rels.get(n, string(rel))
	if !hit {
		c, err := below(n, owner, k)
		if err != nil {
			return nil, err
		}
		*e = nameEntry{n, string(rel), c}
	}
	return e.n, nil
}

// relNames lists every dotted name below n.
func relNames(n *node) []string {
	var out []string
	var walk func(m *node, prefix string)
	walk = func(m *node, prefix string) {
		for _, s := range m.names {
			c := m.kids[s]
			out = append(out, prefix+s)
			walk(c, prefix+s+".")
		}
	}
	walk(n, "")
	return out
}

var layerMethods = map[string]method{"fields": layerFields, "all": layerAll}

// layer.fields(): every field present in the layer, by its name below the
// protocol, in registry order (hidden alias fields such as ip.addr left
// out).
func layerFields(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	l := b.Receiver().(*Layer)
	p, pl, err := l.live()
	if err != nil {
		return nil, err
	}
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	owner := tree().fieldsOf[l.pr]
	d := starlark.NewDict(len(owner.Fields))
	sc := l.pkt.sc
	for _, f := range owner.Fields {
		if f.Hidden {
			continue
		}
		sc.vals = f.Get(p, pl, sc.vals[:0])
		if len(sc.vals) == 0 {
			continue
		}
		d.SetKey(starlark.String(strings.TrimPrefix(f.Name, owner.Name+".")), occurrences(f, sc.vals))
	}
	return d, nil
}

// layer.all(name): a field's occurrences in the layer, always a list.
func layerAll(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	l := b.Receiver().(*Layer)
	p, pl, err := l.live()
	if err != nil {
		return nil, err
	}
	var name starlark.String
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &name); err != nil {
		return nil, err
	}
	n, err := below(l.n, l.owner, name)
	if err != nil {
		return nil, err
	}
	if n.field == nil {
		return nil, fmt.Errorf("all: %q is not a field", string(name))
	}
	sc := l.pkt.sc
	sc.vals = n.field.Get(p, pl, sc.vals[:0])
	return allOf(n.field, sc.vals), nil
}

// Group is a name that only groups fields (type "fields"):
// pkt.tcp.options.wscale, pkt.dns.qry. Its attributes are the fields
// below it. It is true when any of them is present.
type Group struct {
	pkt *Packet
	l   *Layer // nil: the group is read over the whole packet
	n   *node
}

func (g *Group) String() string        { return "<fields " + g.n.path + ">" }
func (g *Group) Type() string          { return "fields" }
func (g *Group) Freeze()               {}
func (g *Group) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: fields") }
func (g *Group) AttrNames() []string   { return g.n.names }

func (g *Group) resolve(n *node) (starlark.Value, error) {
	if g.l == nil {
		if _, err := g.pkt.live(); err != nil {
			return nil, err
		}
		return g.pkt.resolve(n), nil
	}
	p, pl, err := g.l.live()
	if err != nil {
		return nil, err
	}
	return g.l.resolve(p, pl, n), nil
}

func (g *Group) Attr(name string) (starlark.Value, error) {
	c := g.pkt.sc.kid(g.n, name)
	if c == nil {
		return nil, noSuch(g.n.path, name, g.n.names)
	}
	return g.resolve(c)
}

func (g *Group) Get(k starlark.Value) (starlark.Value, bool, error) {
	n, err := g.pkt.sc.below(g.n, func() string { return g.n.path }, k)
	if err != nil {
		return nil, false, err
	}
	v, err := g.resolve(n)
	return v, err == nil, err
}

// Truth reports whether any field below the group is present.
func (g *Group) Truth() starlark.Bool {
	p, err := g.pkt.live()
	if err != nil {
		return false
	}
	var pl *packet.Layer
	if g.l != nil {
		pl = &p.Layers[g.l.idx]
	}
	sc := g.pkt.sc
	var any func(n *node) bool
	any = func(n *node) bool {
		if f := n.field; f != nil {
			if pl != nil {
				sc.vals = f.Get(p, pl, sc.vals[:0])
			} else {
				sc.vals = f.Values(p, sc.vals[:0])
			}
			if len(sc.vals) > 0 {
				return true
			}
		}
		for _, c := range n.kids {
			if c.proto == nil && any(c) {
				return true
			}
		}
		return false
	}
	return starlark.Bool(any(g.n))
}
