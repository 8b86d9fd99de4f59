package scripting

import (
	"fmt"
	"strings"

	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/show"
)

// cap.stats(): the protocol hierarchy, as `tshark -q -z io,phs` prints
// it: one line per protocol path of frame.protocols, children indented
// under their parent in the order first seen, with the frames and bytes
// that carry it. As in io,phs, the ethertype pseudo-protocol is left out
// and IPv6 extension headers (ipv6.hopopts, ...) count within ipv6;
// nothing counts below ICMP. (io,phs shows data below ICMP for an error
// quoting UDP with a payload; that case is not followed.)
func capStats(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c := b.Receiver().(*Capture)
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 0); err != nil {
		return nil, err
	}
	h := newHierarchy()
	protos := packet.Fields.Field("frame.protocols")
	var vals []packet.Value
	err := c.ix.scan(cancelled(th), func(p *packet.Packet) error {
		p.Complete()
		vals = protos.Values(p, vals[:0])
		if len(vals) > 0 {
			h.add(show.Display(protos, vals[0]), p.Len)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return starlark.String(h.String()), nil
}

// hierarchy counts frames and bytes per protocol path.
type hierarchy struct {
	root phsNode
}

type phsNode struct {
	name   string
	frames int
	bytes  int64
	kids   []*phsNode
	byName map[string]*phsNode
}

func newHierarchy() *hierarchy { return &hierarchy{} }

// add counts a frame whose frame.protocols is path ("eth:ethertype:ip:udp").
func (h *hierarchy) add(path string, size int) {
	n := &h.root
	for _, name := range strings.Split(path, ":") {
		if name == "ethertype" || strings.Contains(name, ".") {
			continue
		}
		k := n.byName[name]
		if k == nil {
			if n.byName == nil {
				n.byName = map[string]*phsNode{}
			}
			k = &phsNode{name: name}
			n.byName[name] = k
			n.kids = append(n.kids, k)
		}
		k.frames++
		k.bytes += int64(size)
		n = k
		if name == "icmp" || name == "icmpv6" {
			// io,phs counts nothing below ICMP: an echo's data and the
			// datagram an error quotes are not protocols of the frame.
			break
		}
	}
}

// String renders the table as io,phs does.
func (h *hierarchy) String() string {
	var b strings.Builder
	line := strings.Repeat("=", 67)
	fmt.Fprintf(&b, "\n%s\nProtocol Hierarchy Statistics\nFilter: \n\n", line)
	// Depth first, without recursion: the stack holds nodes to print,
	// next on top.
	type item struct {
		n     *phsNode
		depth int
	}
	var stack []item
	for i := len(h.root.kids) - 1; i >= 0; i-- {
		stack = append(stack, item{h.root.kids[i], 0})
	}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		name := strings.Repeat("  ", it.depth) + it.n.name
		fmt.Fprintf(&b, "%-40s frames:%d bytes:%d\n", name, it.n.frames, it.n.bytes)
		for i := len(it.n.kids) - 1; i >= 0; i-- {
			stack = append(stack, item{it.n.kids[i], it.depth + 1})
		}
	}
	b.WriteString(line)
	b.WriteByte('\n')
	return b.String()
}
