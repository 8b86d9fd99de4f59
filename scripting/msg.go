package scripting

import (
	"fmt"
	"sort"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
)

// Msg is the Starlark value of one protocol message (types arp_msg,
// icmp_msg, igmp_msg, dns_msg, dhcp_msg), the argument of on_arp, on_icmp,
// on_igmp, on_dns and on_dhcp.
//
// Its attributes are, first, the members every message has (time, pkt,
// conn, fields()), then the friendly names of its kind (msg.sender_ip,
// msg.answers, msg.message_type), computed from the field registry on
// first use, then the protocol's registry fields by the rest of their
// names, as a layer has them (msg.opcode is arp.opcode, msg.qry.name is
// dns.qry.name). msg["flags.response"] always reads a registry field.
//
// A message is valid only during the handler call that received it, as
// its packet is: values read from it are copies and stay valid.
type Msg struct {
	kind  *msgKind
	pv    *Packet // msg.pkt
	layer Layer   // the message's layer: registry fields, and its index
	cache map[string]starlark.Value
	// app is the dissector's view of the message where one layer holds
	// several (an SMB2 compound, an SMB1 AndX chain): *smbItem.
	app any
}

// msgAttr computes one friendly attribute of a message from its layer.
type msgAttr func(m *Msg, p *packet.Packet, l *packet.Layer) starlark.Value

// msgKind describes one kind of message: its Starlark type, the handler
// it goes to, and its friendly attributes.
type msgKind struct {
	typ     string // Starlark type name, e.g. "dns_msg"
	handler string // e.g. "on_dns"
	attrs   map[string]msgAttr
	names   []string // friendly names and common members, sorted
}

// msgMembers are the members of every message.
var msgMembers = []string{"all", "conn", "fields", "pkt", "time"}

// newKind completes a kind's name list.
func newKind(typ, handler string, attrs map[string]msgAttr) *msgKind {
	k := &msgKind{typ: typ, handler: handler, attrs: attrs}
	k.names = append(k.names, msgMembers...)
	for n := range attrs {
		k.names = append(k.names, n)
	}
	sort.Strings(k.names)
	return k
}

var (
	_ starlark.HasAttrs = (*Msg)(nil)
	_ starlark.Mapping  = (*Msg)(nil)
)

func newMsg(k *msgKind, pv *Packet, idx int) *Msg {
	pr := packet.Fields.ProtoByID(pv.p.Layers[idx].Proto)
	return &Msg{kind: k, pv: pv, layer: Layer{pkt: pv, idx: idx, pr: pr, n: tree().protoNode(pr)}}
}

func (m *Msg) live() (*packet.Packet, *packet.Layer, error) {
	p := m.pv.p
	if p == nil {
		return nil, nil, fmt.Errorf("%s of packet %d is no longer available: a message is valid only during the handler call that received it (keep the values you need)", m.kind.typ, m.pv.num)
	}
	return p, &p.Layers[m.layer.idx], nil
}

func (m *Msg) String() string {
	if m.pv.p == nil {
		return fmt.Sprintf("<%s of packet %d, expired>", m.kind.typ, m.pv.num)
	}
	return fmt.Sprintf("<%s of packet %d: %s>", m.kind.typ, m.pv.num, m.layer.String())
}
func (m *Msg) Type() string          { return m.kind.typ }
func (m *Msg) Freeze()               {}
func (m *Msg) Truth() starlark.Bool  { return true }
func (m *Msg) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: %s", m.kind.typ) }

// AttrNames lists the members and friendly names, then the registry
// names below the protocol.
func (m *Msg) AttrNames() []string { return mergeNames(m.kind.names, m.layer.n.names) }

func (m *Msg) Attr(name string) (starlark.Value, error) {
	p, pl, err := m.live()
	if err != nil {
		return nil, err
	}
	switch name {
	case "time":
		return epochSeconds(p.Time), nil
	case "pkt":
		return m.pv, nil
	case "conn":
		return m.pv.connValue(), nil
	case "fields":
		return starlark.NewBuiltin("fields", msgFields).BindReceiver(m), nil
	case "all":
		return starlark.NewBuiltin("all", layerAll).BindReceiver(&m.layer), nil
	}
	if v, ok := m.cache[name]; ok {
		return v, nil
	}
	if a := m.kind.attrs[name]; a != nil {
		v := a(m, p, pl)
		if m.app == nil {
			// Attributes computed from the registry are kept; those of a
			// dissector's message (m.app) are cheaper to compute again
			// than a map per message.
			m.set(name, v)
		} else {
			v.Freeze()
		}
		return v, nil
	}
	if c := m.layer.n.kids[name]; c != nil {
		return m.layer.resolve(p, pl, c), nil
	}
	if m.kind.siblingField(name) {
		// A registry field of another protocol of the same kind (dhcp.secs
		// on a DHCPv6 message, icmp.ident on ICMPv6): absent, so None.
		return starlark.None, nil
	}
	return nil, noSuch(m.kind.typ, name, m.AttrNames())
}

// set caches a computed attribute (an attribute computed with others may
// set them too).
func (m *Msg) set(name string, v starlark.Value) {
	if m.cache == nil {
		m.cache = make(map[string]starlark.Value, 8)
	}
	v.Freeze()
	m.cache[name] = v
}

// Get implements msg["flags.response"]: a registry field by its name
// below the protocol, as layer["..."] does.
func (m *Msg) Get(k starlark.Value) (starlark.Value, bool, error) {
	p, pl, err := m.live()
	if err != nil {
		return nil, false, err
	}
	n, err := below(m.layer.n, func() string { return m.kind.typ }, k)
	if err != nil {
		if s, ok := k.(starlark.String); ok && m.kind.siblingField(string(s)) {
			return starlark.None, true, nil
		}
		return nil, false, err
	}
	return m.layer.resolve(p, pl, n), true, nil
}

// msg.fields(): a dict of everything: time, the friendly attributes, then
// the registry fields present that no friendly name hides.
func msgFields(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	m := b.Receiver().(*Msg)
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	p, _, err := m.live()
	if err != nil {
		return nil, err
	}
	d := starlark.NewDict(len(m.kind.attrs) + 16)
	d.SetKey(starlark.String("time"), epochSeconds(p.Time))
	for _, name := range m.kind.names {
		if m.kind.attrs[name] == nil {
			continue
		}
		v, err := m.Attr(name)
		if err != nil {
			return nil, err
		}
		d.SetKey(starlark.String(name), v)
	}
	reg, err := layerFields(nil, starlark.NewBuiltin("fields", layerFields).BindReceiver(&m.layer), nil, nil)
	if err != nil {
		return nil, err
	}
	for _, kv := range reg.(*starlark.Dict).Items() {
		if _, found, _ := d.Get(kv[0]); !found {
			d.SetKey(kv[0], kv[1])
		}
	}
	return d, nil
}

// Reading registry fields of the message's layer.

// values returns the occurrences of f in the message's layer. The slice
// is the run's scratch: it is valid until the next call.
func (m *Msg) values(p *packet.Packet, l *packet.Layer, f *packet.Field) []packet.Value {
	sc := m.pv.sc
	sc.vals = f.Get(p, l, sc.vals[:0])
	return sc.vals
}

// own returns the occurrences of f in a slice of their own, for reading
// several fields side by side.
func (m *Msg) own(p *packet.Packet, l *packet.Layer, f *packet.Field) []packet.Value {
	return f.Get(p, l, nil)
}

// one returns the first occurrence of f as a Starlark value, or None.
func (m *Msg) one(p *packet.Packet, l *packet.Layer, f *packet.Field) starlark.Value {
	vs := m.values(p, l, f)
	if len(vs) == 0 {
		return starlark.None
	}
	return toStarlark(f, vs[0])
}

// list returns every occurrence of f as a list (empty when absent).
func (m *Msg) list(p *packet.Packet, l *packet.Layer, f *packet.Field) *starlark.List {
	return allOf(f, m.values(p, l, f))
}

// uintOf returns the first occurrence of an integer field.
func (m *Msg) uintOf(p *packet.Packet, l *packet.Layer, f *packet.Field) (uint64, bool) {
	vs := m.values(p, l, f)
	if len(vs) == 0 {
		return 0, false
	}
	return vs[0].U, true
}

// field looks a registry field up by name; a name that is not registered
// is a programming error caught when the package loads.
func field(name string) *packet.Field {
	f := packet.Fields.Field(name)
	if f == nil {
		panic("scripting: no field " + name)
	}
	return f
}

// at returns the value at i of vs as a Starlark value of f, or None past
// the end (fields read side by side may stop early in a damaged message).
func at(f *packet.Field, vs []packet.Value, i int) starlark.Value {
	if i < 0 || i >= len(vs) {
		return starlark.None
	}
	return toStarlark(f, vs[i])
}

// siblingField reports whether name is a field, below its protocol, of a
// protocol whose messages are of kind k.
func (k *msgKind) siblingField(name string) bool {
	for id, r := range msgRoutes {
		if r.kind != k {
			continue
		}
		pr := packet.Fields.ProtoByID(packet.ProtoID(id))
		if pr == nil {
			continue
		}
		if n := tree().protoNode(pr); n != nil && tree().relative(n, name) != nil {
			return true
		}
	}
	return false
}
