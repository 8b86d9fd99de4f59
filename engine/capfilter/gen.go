package capfilter

import (
	"encoding/binary"
	"net/netip"
	"strings"

	"golang.org/x/net/bpf"
)

// gen turns the parsed expression into a control-flow graph, following
// libpcap's gencode.c primitive by primitive so that the tests can compare
// the result with tcpdump -d.
type gen struct {
	expr string
	link link
	live bool // for a live Linux socket: see vlan.go
	// base is the first scratch word arithmetic may use; the words
	// below hold the variable offsets of live VLAN filters.
	base int
	// vlans counts the "vlan" primitives compiled so far (libpcap's
	// vlan_stack_depth): only the outermost tag can be in the metadata.
	vlans int
	// shifted is set once a live "vlan" made the offsets variable.
	shifted bool
}

// IP protocol numbers.
const (
	ipprotoICMP   = 1
	ipprotoIGMP   = 2
	ipprotoTCP    = 6
	ipprotoUDP    = 17
	ipprotoFrag   = 44
	ipprotoICMPv6 = 58
	ipprotoSCTP   = 132
)

var transportProto = map[string]uint32{
	"tcp": ipprotoTCP, "udp": ipprotoUDP, "sctp": ipprotoSCTP, "icmp": ipprotoICMP,
	"igmp": ipprotoIGMP, "icmp6": ipprotoICMPv6,
}

func (g *gen) errNode(n node, format string, args ...any) *SyntaxError {
	p, e := n.span()
	return errAt(g.expr, p, e, format, args...)
}

func (g *gen) node(n node) (frag, error) {
	switch n := n.(type) {
	case *andNode:
		l, err := g.node(n.l)
		if err != nil {
			return frag{}, err
		}
		r, err := g.node(n.r)
		if err != nil {
			return frag{}, err
		}
		return and(l, r), nil
	case *orNode:
		l, err := g.node(n.l)
		if err != nil {
			return frag{}, err
		}
		r, err := g.node(n.r)
		if err != nil {
			return frag{}, err
		}
		return or(l, r), nil
	case *notNode:
		x, err := g.node(n.x)
		if err != nil {
			return frag{}, err
		}
		return not(x), nil
	case *protoNode:
		return g.protoAbbrev(n)
	case *specialNode:
		return g.special(n)
	case *relNode:
		return g.relation(n)
	case *primNode:
		return g.prim(n)
	}
	panic("capfilter: unknown node")
}

// protoAbbrev compiles a protocol name alone ("tcp", "ip6").
func (g *gen) protoAbbrev(n *protoNode) (frag, error) {
	switch n.proto {
	case "ip":
		return g.linkType(etherIPv4), nil
	case "ip6":
		return g.linkType(etherIPv6), nil
	case "arp":
		return g.linkType(etherARP), nil
	case "rarp":
		return g.linkType(etherRARP), nil
	case "tcp", "udp", "sctp":
		v := transportProto[n.proto]
		return or(g.ipProto(v), g.ip6Proto(v)), nil
	case "icmp", "igmp":
		return g.ipProto(transportProto[n.proto]), nil
	case "icmp6":
		return g.ip6Proto(ipprotoICMPv6), nil
	}
	return frag{}, g.errNode(n, "%q alone is not a filter: give a qualifier such as \"%s host\" or \"%s proto\"", n.proto, n.proto, n.proto)
}

// ipProto is "ip proto v".
func (g *gen) ipProto(v uint32) frag {
	return and(g.linkType(etherIPv4), g.netCmp(9, 1, v))
}

// ip6Proto is "ip6 proto v": the next header, or the header after a
// fragment header, as libpcap checks it.
func (g *gen) ip6Proto(v uint32) frag {
	return and(g.linkType(etherIPv6), or(g.netCmp(6, 1, v), and(g.netCmp(6, 1, ipprotoFrag), g.netCmp(40, 1, v))))
}

// notFragment is true for unfragmented IPv4 packets and first fragments
// (fragment offset 0), where the transport header is present.
func (g *gen) notFragment() frag {
	return not(test(g.netLoad(6, 2), bpf.JumpBitsSet, 0x1fff))
}

// ipHeaderLen loads X with the IPv4 header length, plus the variable part
// of the network-layer offset when there is one (4*([k]&0xf) cannot add
// it, so the length is computed in A, as libpcap's gen_loadx_iphdrlen).
func (g *gen) ipHeaderLen() []bpf.Instruction {
	if g.link.varNet < 0 {
		return []bpf.Instruction{bpf.LoadMemShift{Off: uint32(g.link.offNet)}}
	}
	return []bpf.Instruction{
		bpf.LoadScratch{Dst: bpf.RegX, N: g.link.varNet},
		bpf.LoadIndirect{Off: uint32(g.link.offNet), Size: 1},
		bpf.ALUOpConstant{Op: bpf.ALUOpAnd, Val: 0xf},
		bpf.ALUOpConstant{Op: bpf.ALUOpShiftLeft, Val: 2},
		bpf.ALUOpX{Op: bpf.ALUOpAdd},
		bpf.TAX{},
	}
}

func (g *gen) special(n *specialNode) (frag, error) {
	switch n.what {
	case "less":
		return not(test([]bpf.Instruction{bpf.LoadExtension{Num: bpf.ExtLen}}, bpf.JumpGreaterThan, n.num)), nil
	case "greater":
		return test([]bpf.Instruction{bpf.LoadExtension{Num: bpf.ExtLen}}, bpf.JumpGreaterOrEqual, n.num), nil
	case "vlan":
		if !g.link.ether {
			return frag{}, g.errNode(n, "no VLAN support for %s", g.link.name)
		}
		return g.vlan(n), nil
	case "broadcast", "multicast":
		switch n.proto {
		case "ether", "link", "":
			if !g.link.ether {
				return frag{}, g.errNode(n, "%s is supported only on Ethernet links", n.what)
			}
			if n.what == "broadcast" {
				return g.bcmp(0, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}), nil
			}
			return test([]bpf.Instruction{ldb(0)}, bpf.JumpBitsSet, 1), nil
		case "ip":
			if n.what == "multicast" {
				return and(g.linkType(etherIPv4), test(g.netLoad(16, 1), bpf.JumpGreaterOrEqual, 224)), nil
			}
			return frag{}, g.errNode(n, "\"ip broadcast\" needs the interface's netmask, which capture filters do not know")
		case "ip6":
			if n.what == "multicast" {
				return and(g.linkType(etherIPv6), g.netCmp(24, 1, 255)), nil
			}
		}
		return frag{}, g.errNode(n, "\"%s %s\" is not supported", n.proto, n.what)
	}
	panic("capfilter: unknown special primitive")
}

// bcmp compares len(v) bytes at off with v, as libpcap's gen_bcmp: words
// from the end first, then a halfword, then a byte.
func (g *gen) bcmp(off int, v []byte) frag {
	r := fragTrue
	size := len(v)
	for size >= 4 {
		r = and(r, cmp(off+size-4, 4, binary.BigEndian.Uint32(v[size-4:])))
		size -= 4
	}
	for size >= 2 {
		r = and(r, cmp(off+size-2, 2, uint32(binary.BigEndian.Uint16(v[size-2:]))))
		size -= 2
	}
	if size > 0 {
		r = and(r, cmp(off, 1, uint32(v[0])))
	}
	return r
}

// byDir combines the source and destination tests as the direction
// qualifier says; src and dst build fresh fragments.
func byDir(dir string, src, dst func() frag) frag {
	switch dir {
	case "src":
		return src()
	case "dst":
		return dst()
	case "src and dst":
		return and(src(), dst())
	}
	return or(src(), dst())
}

func (g *gen) prim(n *primNode) (frag, error) {
	q := n.q
	v := n.val.text
	if n.val.escaped && q.kind != "proto" {
		return frag{}, g.errNode(n, "'\\' is only used to name a protocol after \"proto\"")
	}
	kind := q.kind
	if kind == "" {
		// No kind: an address means host, a number under a transport
		// protocol means port.
		switch {
		case q.proto == "tcp" || q.proto == "udp" || q.proto == "sctp":
			kind = "port"
		default:
			kind = "host"
		}
	}
	switch kind {
	case "host":
		if mac, ok := parseMAC(v); ok {
			return g.etherHost(n, mac)
		}
		if q.proto == "ether" || q.proto == "link" {
			return frag{}, g.errNode(n, "%q is not a MAC address (expected six hex bytes such as 00:11:22:33:44:55)", v)
		}
		a, err := netip.ParseAddr(v)
		if err != nil || a.Zone() != "" {
			if _, isNum := parseNum(v); isNum || strings.Count(v, ".") > 0 && strings.Trim(v, "0123456789.") == "" {
				return frag{}, g.errNode(n, "%q is not a host address (expected a.b.c.d or an IPv6 address)", v)
			}
			return frag{}, g.errNode(n, "unknown host %q: host names are not resolved, give an address", v)
		}
		bits := a.BitLen()
		return g.hostNet(n, a, netip.PrefixFrom(a, bits))
	case "net":
		pfx, err := g.netPrefix(n)
		if err != nil {
			return frag{}, err
		}
		return g.hostNet(n, pfx.Addr(), pfx)
	case "port", "portrange":
		return g.port(n, kind)
	case "proto":
		return g.proto(n)
	}
	panic("capfilter: unknown qualifier")
}

func (g *gen) etherHost(n *primNode, mac [6]byte) (frag, error) {
	if q := n.q.proto; q != "" && q != "ether" && q != "link" {
		return frag{}, g.errNode(n, "a MAC address needs the \"ether\" qualifier, not %q", q)
	}
	if !g.link.ether {
		return frag{}, g.errNode(n, "Ethernet addresses are supported only on Ethernet links, not %s", g.link.name)
	}
	return byDir(n.q.dir, func() frag { return g.bcmp(6, mac[:]) }, func() frag { return g.bcmp(0, mac[:]) }), nil
}

// netPrefix reads "net A", "net A/N" and "net A mask M".
func (g *gen) netPrefix(n *primNode) (netip.Prefix, error) {
	v := n.val.text
	var a netip.Addr
	parts := 4
	if strings.Contains(v, ":") {
		var err error
		a, err = netip.ParseAddr(v)
		if err != nil || a.Zone() != "" {
			return netip.Prefix{}, g.errNode(n, "%q is not a network address", v)
		}
	} else {
		// libpcap accepts 1 to 4 dotted parts: "net 10" is 10.0.0.0/8.
		ps := strings.Split(v, ".")
		if len(ps) > 4 {
			return netip.Prefix{}, g.errNode(n, "%q is not a network address", v)
		}
		var b [4]byte
		for i, p := range ps {
			x, ok := parseNum(p)
			if !ok || x > 255 || p == "" || strings.HasPrefix(p, "0x") {
				if len(ps) == 1 {
					return netip.Prefix{}, g.errNode(n, "unknown network %q: names are not resolved, give an address", v)
				}
				return netip.Prefix{}, g.errNode(n, "%q is not a network address", v)
			}
			b[i] = byte(x)
		}
		a = netip.AddrFrom4(b)
		parts = len(ps)
	}
	bits := a.BitLen()
	switch {
	case n.maskLen >= 0:
		if n.maskLen > bits {
			return netip.Prefix{}, g.errNode(n, "mask length %d is longer than the address", n.maskLen)
		}
		bits = n.maskLen
	case n.mask != nil:
		m, err := netip.ParseAddr(n.mask.text)
		if err != nil || !m.Is4() || !a.Is4() {
			return netip.Prefix{}, g.errNode(n, "\"mask\" needs an IPv4 address and an IPv4 netmask")
		}
		mv := binary.BigEndian.Uint32(m.AsSlice())
		ones := 0
		for mv&0x80000000 != 0 {
			mv <<= 1
			ones++
		}
		if mv != 0 {
			return netip.Prefix{}, g.errNode(n, "netmask %s is not contiguous", n.mask.text)
		}
		bits = ones
	case a.Is4():
		bits = 8 * parts
	}
	pfx := netip.PrefixFrom(a, bits)
	if pfx.Masked().Addr() != a {
		return netip.Prefix{}, g.errNode(n, "non-network bits set in %q", g.expr[n.val.pos:n.end])
	}
	return pfx, nil
}

// hostNet compiles host and net for IPv4 (ip, arp, rarp) and IPv6.
func (g *gen) hostNet(n *primNode, a netip.Addr, pfx netip.Prefix) (frag, error) {
	q := n.q
	if a.Is4() {
		mask := uint32(0)
		if pfx.Bits() > 0 {
			mask = ^uint32(0) << (32 - pfx.Bits())
		}
		addr := binary.BigEndian.Uint32(a.AsSlice())
		op := func(etype uint32, srcOff, dstOff int) frag {
			return byDir(q.dir,
				func() frag { return and(g.linkType(etype), g.netMcmp(srcOff, 4, addr, mask)) },
				func() frag { return and(g.linkType(etype), g.netMcmp(dstOff, 4, addr, mask)) })
		}
		switch q.proto {
		case "ip":
			return op(etherIPv4, 12, 16), nil
		case "arp":
			return op(etherARP, 14, 24), nil
		case "rarp":
			return op(etherRARP, 14, 24), nil
		case "":
			return orAll(op(etherIPv4, 12, 16), op(etherARP, 14, 24), op(etherRARP, 14, 24)), nil
		case "ip6":
			return frag{}, g.errNode(n, "%q is an IPv4 address, not an IPv6 one", a)
		}
		return frag{}, g.errNode(n, "%q cannot qualify an address: use ip, ip6, arp or rarp", q.proto)
	}
	if q.proto != "" && q.proto != "ip6" {
		return frag{}, g.errNode(n, "%q is an IPv6 address: use \"ip6\" or no protocol qualifier", a)
	}
	var words, masks [4]uint32
	b := a.As16()
	for i := range words {
		words[i] = binary.BigEndian.Uint32(b[4*i:])
		bits := min(max(pfx.Bits()-32*i, 0), 32)
		if bits > 0 {
			masks[i] = ^uint32(0) << (32 - bits)
		}
	}
	op := func(start int) frag {
		r := g.linkType(etherIPv6)
		for i := range words {
			if masks[i] != 0 {
				r = and(r, g.netMcmp(start+4*i, 4, words[i], masks[i]))
			}
		}
		return r
	}
	return byDir(q.dir, func() frag { return op(8) }, func() frag { return op(24) }), nil
}

// portValue reads a port number or name.
func (g *gen) portValue(n *primNode, s string) (uint32, error) {
	if v, ok := parseNum(s); ok {
		if v > 65535 {
			return 0, g.errNode(n, "port %d is out of range (0-65535)", v)
		}
		return v, nil
	}
	if v, ok := portNames[s]; ok {
		return v, nil
	}
	if s == "" || strings.Trim(s, "0123456789") == "" || strings.HasPrefix(s, "0x") {
		return 0, g.errNode(n, "%q is not a port number", s)
	}
	return 0, g.errNode(n, "unknown port name %q: give a number", s)
}

// port compiles port and portrange: IPv6 first, then IPv4 (with the
// fragment check), each over SCTP, TCP and UDP unless one is named, in
// libpcap's order.
func (g *gen) port(n *primNode, kind string) (frag, error) {
	var protos []uint32
	switch n.q.proto {
	case "tcp", "udp", "sctp":
		protos = []uint32{transportProto[n.q.proto]}
	case "":
		protos = []uint32{ipprotoSCTP, ipprotoTCP, ipprotoUDP}
	default:
		return frag{}, g.errNode(n, "%q applies to tcp, udp and sctp, not %q", kind, n.q.proto)
	}
	lo, hi := uint32(0), uint32(0)
	if kind == "port" {
		v, err := g.portValue(n, n.val.text)
		if err != nil {
			return frag{}, err
		}
		lo, hi = v, v
	} else {
		a, b, ok := strings.Cut(n.val.text, "-")
		if !ok {
			return frag{}, g.errNode(n, "a port range is written FIRST-LAST, e.g. 1024-65535")
		}
		var err error
		if lo, err = g.portValue(n, a); err != nil {
			return frag{}, err
		}
		if hi, err = g.portValue(n, b); err != nil {
			return frag{}, err
		}
		if lo > hi {
			lo, hi = hi, lo
		}
	}
	atom := func(load func(int) []bpf.Instruction, off int) frag {
		if kind == "port" {
			return test(load(off), bpf.JumpEqual, lo)
		}
		return and(test(load(off), bpf.JumpGreaterOrEqual, lo), not(test(load(off), bpf.JumpGreaterThan, hi)))
	}
	net := g.link.offNet
	abs := func(off int) []bpf.Instruction { return g.netLoad(40+off, 2) }
	ind := func(off int) []bpf.Instruction {
		return append(g.ipHeaderLen(), bpf.LoadIndirect{Off: uint32(net + off), Size: 2})
	}
	v6 := fragFalse
	for _, p := range protos {
		v6 = or(v6, and(g.netCmp(6, 1, p), byDir(n.q.dir, func() frag { return atom(abs, 0) }, func() frag { return atom(abs, 2) })))
	}
	v6 = and(g.linkType(etherIPv6), v6)
	v4 := fragFalse
	for _, p := range protos {
		v4 = or(v4, and(and(g.netCmp(9, 1, p), g.notFragment()), byDir(n.q.dir, func() frag { return atom(ind, 0) }, func() frag { return atom(ind, 2) })))
	}
	v4 = and(g.linkType(etherIPv4), v4)
	return or(v6, v4), nil
}

// proto compiles "ether proto", "ip proto", "ip6 proto" and "proto".
func (g *gen) proto(n *primNode) (frag, error) {
	s := n.val.text
	table := protoNames
	if n.q.proto == "ether" || n.q.proto == "link" {
		table = etherNames
	}
	v, ok := parseNum(s)
	if !ok {
		if v, ok = table[s]; !ok {
			return frag{}, g.errNode(n, "unknown protocol %q", s)
		}
	}
	switch n.q.proto {
	case "ether", "link":
		if v > 0xffff {
			return frag{}, g.errNode(n, "EtherType %d is out of range", v)
		}
		return g.linkType(v), nil
	}
	if v > 255 {
		return frag{}, g.errNode(n, "IP protocol %d is out of range (0-255)", v)
	}
	switch n.q.proto {
	case "ip":
		return g.ipProto(v), nil
	case "ip6":
		return g.ip6Proto(v), nil
	case "":
		return or(g.ipProto(v), g.ip6Proto(v)), nil
	}
	return frag{}, g.errNode(n, "\"%s proto\" is not supported: use ether, ip or ip6", n.q.proto)
}
