package scripting

import (
	"sort"
	"strings"
	"sync"

	"github.com/wirelark/wirelark/engine/packet"
)

// node is one segment of the registry's dotted names. The tree built from
// every protocol and field name is what attribute access walks: pkt.tcp is
// the root's child "tcp", pkt.tcp.srcport its child "srcport". A node may
// be a protocol ("tcp", "ipv6.hopopts"), a field ("tcp.flags"), both a
// field and a parent ("tcp.flags" has "syn"), or a bare namespace that
// only groups fields ("tcp.options.wscale", "dns.qry").
type node struct {
	seg   string
	path  string        // full dotted name
	proto *packet.Proto // path names a protocol
	field *packet.Field // path names a field
	kids  map[string]*node
	names []string // sorted kids, for dir()
	// rel holds every node below a protocol's node by its dotted name
	// relative to it ("flags.syn" below tcp), for layer["flags.syn"]
	// without building the full name.
	rel map[string]*node
}

func (n *node) child(seg string) *node {
	if n.kids == nil {
		n.kids = map[string]*node{}
	}
	c := n.kids[seg]
	if c == nil {
		p := seg
		if n.path != "" {
			p = n.path + "." + seg
		}
		c = &node{seg: seg, path: p}
		n.kids[seg] = c
	}
	return c
}

// fieldTree is built once from the registry.
type fieldTree struct {
	root   *node
	byPath map[string]*node
	// dualPairs holds (segment, next segment) for every field that has a
	// value and children: ("flags", "syn") from tcp.flags.syn. Attribute
	// chains that pass through such a pair are compiled as one dotted
	// index (see rewrite.go).
	dualPairs map[[2]string]bool
	// fieldsOf maps a protocol to the protocol whose fields its layers
	// carry: mDNS and LLMNR messages carry dns.* fields, as in Wireshark.
	fieldsOf map[*packet.Proto]*packet.Proto
	// byID gives, per protocol id, the node under which its layers'
	// fields hang (the hot path of pkt.tcp, without map lookups).
	byID []*node
}

var (
	treeOnce sync.Once
	theTree  *fieldTree
)

func tree() *fieldTree {
	treeOnce.Do(func() { theTree = buildTree(packet.Fields) })
	return theTree
}

// sharesFields lists protocols without fields of their own whose layers
// carry another protocol's fields. The registry keeps this mapping
// unexported; it is repeated here.
var sharesFields = map[string]string{"mdns": "dns", "llmnr": "dns"}

func buildTree(r *packet.Registry) *fieldTree {
	t := &fieldTree{root: &node{}, byPath: map[string]*node{}, dualPairs: map[[2]string]bool{}, fieldsOf: map[*packet.Proto]*packet.Proto{}}
	insert := func(name string) *node {
		n := t.root
		for _, seg := range strings.Split(name, ".") {
			n = n.child(seg)
		}
		t.byPath[name] = n
		return n
	}
	for _, pr := range r.Protos() {
		insert(pr.Name).proto = pr
		t.fieldsOf[pr] = pr
		if other := r.Proto(sharesFields[pr.Name]); other != nil && len(pr.Fields) == 0 {
			t.fieldsOf[pr] = other
		}
	}
	for _, f := range r.All() {
		insert(f.Name).field = f
	}
	var walk func(n *node)
	walk = func(n *node) {
		if n.path != "" {
			t.byPath[n.path] = n // namespaces too
		}
		for seg, c := range n.kids {
			n.names = append(n.names, seg)
			if n.field != nil && n.proto == nil {
				t.dualPairs[[2]string{n.seg, seg}] = true
			}
			walk(c)
		}
		sort.Strings(n.names)
	}
	walk(t.root)
	for _, pr := range r.Protos() {
		n := t.byPath[pr.Name]
		n.rel = map[string]*node{}
		var below func(m *node, prefix string)
		below = func(m *node, prefix string) {
			for seg, c := range m.kids {
				n.rel[prefix+seg] = c
				below(c, prefix+seg+".")
			}
		}
		below(n, "")
		for int(pr.ID) >= len(t.byID) {
			t.byID = append(t.byID, nil)
		}
	}
	for _, pr := range r.Protos() {
		t.byID[pr.ID] = t.byPath[t.fieldsOf[pr].Name]
	}
	return t
}

// protoNode returns the node whose descendants are the fields of layers of
// proto pr.
func (t *fieldTree) protoNode(pr *packet.Proto) *node {
	return t.byID[pr.ID]
}

// relative resolves a dotted name below n ("flags.syn" below tcp).
func (t *fieldTree) relative(n *node, rel string) *node {
	switch {
	case n.rel != nil:
		return n.rel[rel]
	case n.path == "":
		return t.byPath[rel]
	}
	return t.byPath[n.path+"."+rel]
}
