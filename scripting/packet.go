package scripting

import (
	"bufio"
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/flow"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/show"
	"github.com/wirelark/wirelark/stdlib"
)

// Packet is the Starlark value of one decoded packet (type "packet").
//
// The decoder reuses its Packet for the next frame, so a Packet value is
// valid only during the handler call that received it: when the call
// returns the value is cut from the packet, and using it later (after
// keeping it in a global, say) is an error that says so. pkt.copy() makes
// a Packet that stays valid; it copies and decodes the frame again, so it
// is for the packets a script means to keep, not for every packet.
// Values read from a packet (ints, strings, bytes, ...) are copies and
// never expire.
type Packet struct {
	p    *packet.Packet // nil once expired
	num  int
	kept bool // made by copy(): never expires
	sc   *scratch
	conn *flow.Conn // the packet's connection (pkt.conn), nil if none
	// last is the layer value returned last, reused when the same
	// protocol is asked for again (if pkt.tcp and pkt.tcp.flags.syn).
	last *Layer
	// first is the storage of the first layer value handed out, saving an
	// allocation per packet; it is never overwritten.
	first   Layer
	firstOK bool
}

// scratch is reusable memory shared by the values of one run.
type scratch struct {
	vals []packet.Value
	conn *flow.Conn // the connection of the packet being handled, if tracked
	pkts []Packet   // Packet values not yet handed out (see newPacket)
	kids nameCache  // children by name (pkt.tcp, pkt.tcp.srcport)
	rels nameCache  // dotted names below a node (pkt.tcp["flags.syn"])
}

// pktChunk is how many Packet values newPacket allocates at once.
const pktChunk = 64

var (
	_ starlark.HasAttrs = (*Packet)(nil)
	_ starlark.Mapping  = (*Packet)(nil)
)

// newPacket returns the value of p for one handler call. Values are
// carved from chunks of pktChunk, one allocation per chunk instead of
// one per packet: the garbage collector frees a chunk once no value in it
// is referenced, which for values that expire after their call is soon,
// and a value a script keeps holds at most one chunk.
func newPacket(p *packet.Packet, sc *scratch) *Packet {
	if len(sc.pkts) == 0 {
		sc.pkts = make([]Packet, pktChunk)
	}
	pv := &sc.pkts[0]
	sc.pkts = sc.pkts[1:]
	*pv = Packet{p: p, num: p.Num, sc: sc, conn: sc.conn}
	return pv
}

// expire cuts the value from the decoder's packet.
func (pv *Packet) expire() {
	if !pv.kept {
		pv.p = nil
	}
}

func (pv *Packet) live() (*packet.Packet, error) {
	if pv.p == nil {
		return nil, fmt.Errorf("packet %d is no longer available: a packet is valid only during the handler call that received it (keep pkt.copy(), or the values you need)", pv.num)
	}
	return pv.p, nil
}

func (pv *Packet) String() string {
	if pv.p == nil {
		return fmt.Sprintf("<packet %d, expired>", pv.num)
	}
	return "<packet " + strings.TrimSpace(show.List(pv.p).String()) + ">"
}
func (pv *Packet) Type() string          { return "packet" }
func (pv *Packet) Freeze()               {}
func (pv *Packet) Truth() starlark.Bool  { return true }
func (pv *Packet) Hash() (uint32, error) { return 0, fmt.Errorf("unhashable type: packet") }

// packetMembers are the packet's own attributes; every other attribute is
// a protocol name.
var packetMembers = []string{"all", "caplen", "conn", "copy", "hex", "layers", "len", "num", "payload", "show", "summary", "time"}

func (pv *Packet) AttrNames() []string {
	names := append([]string(nil), packetMembers...)
	if pv.p == nil {
		return names
	}
	seen := map[string]bool{}
	for _, n := range names {
		seen[n] = true
	}
	pv.p.Complete()
	for i := range pv.p.Layers {
		pr := packet.Fields.ProtoByID(pv.p.Layers[i].Proto)
		if pr == nil {
			continue
		}
		top := strings.SplitN(pr.Name, ".", 2)[0]
		if !seen[top] {
			seen[top] = true
			names = append(names, top)
		}
	}
	return names
}

func (pv *Packet) Attr(name string) (starlark.Value, error) {
	p, err := pv.live()
	if err != nil {
		return nil, err
	}
	root := tree().root
	// A protocol asked for before: no member has a protocol's name, as
	// members are looked for first and never remembered.
	if e, hit := pv.sc.kids.get(root, name); hit {
		return pv.resolve(e.n), nil
	}
	switch name {
	case "num":
		return starlark.MakeInt(p.Num), nil
	case "time":
		return epochSeconds(p.Time), nil
	case "len":
		return starlark.MakeInt(p.Len), nil
	case "caplen":
		return starlark.MakeInt(p.CapLen()), nil
	case "layers":
		return layerNames(p), nil
	case "payload":
		return starlark.Bytes(topPayload(p)), nil
	case "conn":
		return pv.connValue(), nil
	case "summary", "show", "hex", "all", "copy":
		return starlark.NewBuiltin(name, packetMethods[name]).BindReceiver(pv), nil
	}
	n := pv.sc.kid(root, name)
	if n == nil {
		return nil, noSuch("packet", name, append(append([]string(nil), root.names...), packetMembers...))
	}
	return pv.resolve(n), nil
}

// resolve gives the value of a node for the whole packet: a protocol is
// its first layer, a field every occurrence, a namespace a group.
func (pv *Packet) resolve(n *node) starlark.Value {
	switch {
	case n.proto != nil:
		return pv.layer(n.proto)
	case n.field != nil:
		pv.sc.vals = n.field.Values(pv.p, pv.sc.vals[:0])
		return occurrences(n.field, pv.sc.vals)
	}
	return &Group{pkt: pv, n: n}
}

// layer returns the first layer of pr, or None.
func (pv *Packet) layer(pr *packet.Proto) starlark.Value {
	if l := pv.last; l != nil && l.pr == pr {
		return l
	}
	p := pv.p
	if !p.Has(pr.ID) { // decodes pr first if it is decoded lazily
		return starlark.None
	}
	for i := range p.Layers {
		if p.Layers[i].Proto == pr.ID {
			// Built in place: a local taken by address would be moved
			// to the heap on every call, first layer included.
			if !pv.firstOK {
				pv.first = Layer{pkt: pv, idx: i, pr: pr, n: tree().protoNode(pr)}
				pv.firstOK = true
				pv.last = &pv.first
			} else {
				pv.last = &Layer{pkt: pv, idx: i, pr: pr, n: tree().protoNode(pr)}
			}
			return pv.last
		}
	}
	return starlark.None
}

// Get implements pkt["ip.src"]: any registered name, for the whole packet.
func (pv *Packet) Get(k starlark.Value) (starlark.Value, bool, error) {
	if _, err := pv.live(); err != nil {
		return nil, false, err
	}
	name, ok := k.(starlark.String)
	if !ok {
		return nil, false, fmt.Errorf("packet index: got %s, want a field name", k.Type())
	}
	n := tree().byPath[string(name)]
	if n == nil {
		_, err := packet.Fields.Lookup(string(name))
		return nil, false, err
	}
	return pv.resolve(n), true, nil
}

// epochSeconds converts ns since the epoch to float seconds. Whole seconds
// plus the fraction gives the float nearest the decimal time (a single
// division of the nanoseconds, which float64 cannot hold exactly, is
// often one unit off, and prints as 1709542800.0408762 for .040876).
func epochSeconds(ns int64) starlark.Float {
	sec, frac := ns/1e9, ns%1e9
	if frac < 0 {
		sec, frac = sec-1, frac+1e9
	}
	return starlark.Float(float64(sec) + float64(frac)/1e9)
}

// layerNames lists the protocols of the packet's layers in order, without
// the frame and the malformed-packet marker.
func layerNames(p *packet.Packet) *starlark.List {
	p.Complete()
	out := make([]starlark.Value, 0, len(p.Layers))
	for i := range p.Layers {
		id := p.Layers[i].Proto
		if id == packet.ProtoFrame || id == packet.ProtoMalformed {
			continue
		}
		if pr := packet.Fields.ProtoByID(id); pr != nil {
			out = append(out, starlark.String(pr.Name))
		}
	}
	return starlark.NewList(out)
}

// appProto marks layers that are messages carried as payload rather than
// headers: pkt.payload is what the last header carries, so these do not
// count as the top layer.
var appProto = map[packet.ProtoID]bool{
	packet.ProtoDNS: true, packet.ProtoMDNS: true, packet.ProtoLLMNR: true,
	packet.ProtoDHCP: true, packet.ProtoData: true, packet.ProtoMalformed: true,
}

// topPayload returns the bytes after the last header (the TCP segment's
// data, the UDP datagram's data, ...), without decoding the application
// layers.
func topPayload(p *packet.Packet) []byte {
	for i := len(p.Layers) - 1; i >= 0; i-- {
		l := &p.Layers[i]
		if l.Quoted || appProto[l.Proto] {
			continue
		}
		return l.Payload(p)
	}
	return nil
}

type method = func(*starlark.Thread, *starlark.Builtin, starlark.Tuple, []starlark.Tuple) (starlark.Value, error)

var packetMethods map[string]method

func init() {
	packetMethods = map[string]method{
		"summary": pktSummary, "show": pktShow, "hex": pktHex, "all": pktAll, "copy": pktCopy,
	}
}

func receiver(b *starlark.Builtin) (*Packet, *packet.Packet, error) {
	pv := b.Receiver().(*Packet)
	p, err := pv.live()
	return pv, p, err
}

// pkt.summary(): the packet-list line, as tshark prints it.
func pktSummary(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	_, p, err := receiver(b)
	if err != nil {
		return nil, err
	}
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.String(strings.TrimSpace(show.List(p).String())), nil
}

// pkt.show(): the detail tree, as tshark -V prints it.
func pktShow(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	_, p, err := receiver(b)
	if err != nil {
		return nil, err
	}
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	var sb strings.Builder
	w := bufio.NewWriter(&sb)
	show.Tree(w, p)
	w.Flush()
	return starlark.String(sb.String()), nil
}

// pkt.hex(): the frame's bytes as tshark -x prints them.
func pktHex(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	_, p, err := receiver(b)
	if err != nil {
		return nil, err
	}
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return starlark.String(stdlib.Dump(p.Data, 16)), nil
}

// pkt.all(name): every layer of a protocol, or every occurrence of a
// field, always as a list.
func pktAll(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	pv, p, err := receiver(b)
	if err != nil {
		return nil, err
	}
	var name string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &name); err != nil {
		return nil, err
	}
	n := tree().byPath[name]
	switch {
	case n == nil:
		_, err := packet.Fields.Lookup(name)
		return nil, fmt.Errorf("all: %v", err)
	case n.proto != nil:
		out := []starlark.Value{}
		p.Has(n.proto.ID) // decodes the protocol if it is decoded lazily
		for i := range p.Layers {
			if p.Layers[i].Proto == n.proto.ID {
				out = append(out, &Layer{pkt: pv, idx: i, pr: n.proto, n: tree().protoNode(n.proto)})
			}
		}
		return starlark.NewList(out), nil
	case n.field != nil:
		pv.sc.vals = n.field.Values(p, pv.sc.vals[:0])
		return allOf(n.field, pv.sc.vals), nil
	}
	return nil, fmt.Errorf("all: %q is a group of fields, not a field or protocol", name)
}

// pkt.copy(): a packet that outlives the handler call.
func pktCopy(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	pv, p, err := receiver(b)
	if err != nil {
		return nil, err
	}
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	return &Packet{p: p.Clone(), num: p.Num, kept: true, sc: pv.sc}, nil
}

// connValue is the packet's connection as it stands now, or None for a
// packet that belongs to none (ARP, for one).
func (pv *Packet) connValue() starlark.Value {
	if pv.conn == nil {
		return starlark.None
	}
	return snapshotConn(pv.conn)
}
