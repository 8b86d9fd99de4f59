package packet

import (
	"fmt"
	"sort"
	"strings"

	"github.com/wirelark/wirelark/internal/suggest"
)

// ProtoID identifies a protocol known to the decoder.
type ProtoID uint8

// Proto describes one protocol: its display-filter name, the title of its
// detail-tree node, and its fields in the order the tree shows them.
type Proto struct {
	ID    ProtoID
	Name  string // display-filter name, e.g. "ip"
	Title string // e.g. "Internet Protocol Version 4"
	Short string // Protocol column text, e.g. "IPv4"; "" means upper-case Name
	// Column, when set, gives the Protocol column text for one layer
	// (IGMPv2 or IGMPv3, BOOTP or DHCP); it overrides Short.
	Column func(p *Packet, l *Layer) string
	Fields []*Field
	// Info renders the Info column when this is the packet's top layer
	// with an Info function; nil means the protocol sets no Info text.
	Info func(p *Packet, l *Layer) string
	// Node renders the detail-tree line of one layer of this protocol;
	// nil means Title.
	Node func(p *Packet, l *Layer) string
	// Desegmented is set for protocols whose messages may span TCP
	// segments: without Decoder.Track they are decoded only where a
	// segment holds whole messages.
	Desegmented bool
}

// Getter appends the values of a field found in layer l of p to dst. It
// must not allocate in the common case: values alias p's bytes.
type Getter func(p *Packet, l *Layer, dst []Value) []Value

// Field is one entry of the registry: a named, typed value that a layer of
// a protocol may carry. The same declaration serves show -e, show -V,
// `wirelark fields`, display filters, and Starlark attribute access.
type Field struct {
	Name    string // display-filter name, e.g. "ip.src"
	Label   string // tree label, e.g. "Source Address"
	Type    Type
	Base    Base
	Size    uint8 // width in bytes of integer fields (for hex padding)
	Desc    string
	Proto   *Proto
	Parent  *Field            // tree parent (e.g. ip.flags for ip.flags.mf)
	Strings map[uint64]string // names of values, shown in the tree
	Mask    uint64            // bit mask within the parent, for the tree's bit view
	Hidden  bool              // not shown in the tree (e.g. ip.addr)
	// Tracked fields need the capture-wide TCP/UDP analysis (stream
	// indexes, relative sequence numbers); see Decoder.Track.
	Tracked bool
	Get     Getter
}

// NeedsTrack reports whether the field's values need Decoder.Track: it is
// Tracked, or its protocol is desegmented over TCP.
func (f *Field) NeedsTrack() bool {
	return f.Tracked || f.Proto != nil && f.Proto.Desegmented
}

// Registry holds every protocol and field.
type Registry struct {
	protos  []*Proto // by ProtoID
	byName  map[string]*Proto
	fields  map[string]*Field
	ordered []*Field
}

// Fields is the registry every part of wirelark uses.
var Fields = &Registry{byName: map[string]*Proto{}, fields: map[string]*Field{}}

// register adds a protocol and its fields. It panics on duplicates: the
// registry is built at init time and a clash is a programming error.
func register(p *Proto, fields ...*Field) *Proto {
	r := Fields
	if _, dup := r.byName[p.Name]; dup {
		panic("packet: protocol registered twice: " + p.Name)
	}
	for int(p.ID) >= len(r.protos) {
		r.protos = append(r.protos, nil)
	}
	r.protos[p.ID] = p
	r.byName[p.Name] = p
	for _, f := range fields {
		if !strings.HasPrefix(f.Name, p.Name+".") {
			panic("packet: field " + f.Name + " outside its protocol " + p.Name)
		}
	}
	p.Fields = append(p.Fields, registerMore(p, fields)...)
	return p
}

// registerMore adds fields to a protocol registered already and returns
// them; the caller appends them to the protocol's list.
func registerMore(p *Proto, fields []*Field) []*Field {
	r := Fields
	for _, f := range fields {
		if _, dup := r.fields[f.Name]; dup {
			panic("packet: field registered twice: " + f.Name)
		}
		f.Proto = p
		if f.Size == 0 && (f.Type == TUint || f.Type == TInt) {
			f.Size = 4
		}
		r.fields[f.Name] = f
		r.ordered = append(r.ordered, f)
	}
	return fields
}

// Field looks up a field by its display-filter name.
func (r *Registry) Field(name string) *Field { return r.fields[name] }

// Proto looks up a protocol by its display-filter name.
func (r *Registry) Proto(name string) *Proto { return r.byName[name] }

// ProtoByID returns the protocol with the given id.
func (r *Registry) ProtoByID(id ProtoID) *Proto {
	if int(id) < len(r.protos) {
		return r.protos[id]
	}
	return nil
}

// Protos returns every protocol, sorted by name.
func (r *Registry) Protos() []*Proto {
	var out []*Proto
	for _, p := range r.protos {
		if p != nil {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// All returns every field in declaration order.
func (r *Registry) All() []*Field { return r.ordered }

// Lookup finds a field, or a suggestion for a misspelt name.
func (r *Registry) Lookup(name string) (*Field, error) {
	if f := r.fields[name]; f != nil {
		return f, nil
	}
	if best := r.Nearest(name); best != "" {
		return nil, fmt.Errorf("unknown field %q (did you mean %q?)", name, best)
	}
	return nil, fmt.Errorf("unknown field %q", name)
}

// Nearest returns the registered field or protocol name closest to name,
// or "" if none is close.
func (r *Registry) Nearest(name string) string {
	names := make([]string, 0, len(r.fields)+len(r.byName))
	for n := range r.fields {
		names = append(names, n)
	}
	for n := range r.byName {
		names = append(names, n)
	}
	return suggest.Nearest(name, names)
}

// Values appends every occurrence of f in p, in layer order, to dst.
func (f *Field) Values(p *Packet, dst []Value) []Value {
	p.need(f.Proto.ID)
	for i := range p.Layers {
		l := &p.Layers[i]
		if fieldProto[l.Proto] == f.Proto.ID {
			dst = f.Get(p, l, dst)
		}
	}
	return dst
}

// First returns the first occurrence of f in p.
func (f *Field) First(p *Packet) (Value, bool) {
	var buf [4]Value
	vs := f.Values(p, buf[:0])
	if len(vs) == 0 {
		return Value{}, false
	}
	return vs[0], true
}

// TypeName describes the field's type as `wirelark fields` lists it.
func (f *Field) TypeName() string {
	switch f.Type {
	case TUint:
		return fmt.Sprintf("uint%d", 8*int(f.Size))
	case TInt:
		return fmt.Sprintf("int%d", 8*int(f.Size))
	}
	return f.Type.String()
}
