package capfilter

// The parsed form of a capture filter: boolean nodes over primitives and
// arithmetic relations, as pcap-filter(7) describes them.

// node is a boolean filter expression.
type node interface{ span() (int, int) }

type andNode struct{ l, r node }
type orNode struct{ l, r node }
type notNode struct {
	x   node
	pos int
}

// quals are a primitive's qualifiers: protocol (ether, ip, tcp...),
// direction (src, dst, "src or dst", "src and dst") and kind (host, net,
// port, portrange, proto). Empty strings mean the default.
type quals struct {
	proto, dir, kind string
}

// primNode is "quals ID", e.g. "tcp dst port 80", "net 10.0.0.0/8" or
// "ether proto \arp"; val is the ID token. mask is set for "net A mask M"
// and maskLen (>= 0) for "net A/N".
type primNode struct {
	q       quals
	val     token
	mask    *token
	maskLen int
	pos     int
	end     int
}

// protoNode is a protocol name alone ("tcp", "ip6", "arp").
type protoNode struct {
	proto    string
	pos, end int
}

// specialNode is a primitive with its own syntax: less/greater N,
// vlan [N], ether broadcast/multicast.
type specialNode struct {
	what     string // "less", "greater", "vlan", "broadcast", "multicast"
	proto    string // qualifier of broadcast/multicast
	num      uint32
	hasNum   bool
	pos, end int
}

// relNode compares two arithmetic expressions.
type relNode struct {
	op       string // "==", "!=", "<", "<=", ">", ">="
	l, r     arith
	pos, end int
}

func (n *andNode) span() (int, int) {
	a, _ := n.l.span()
	_, b := n.r.span()
	return a, b
}
func (n *orNode) span() (int, int) {
	a, _ := n.l.span()
	_, b := n.r.span()
	return a, b
}
func (n *notNode) span() (int, int) {
	_, b := n.x.span()
	return n.pos, b
}
func (n *primNode) span() (int, int)    { return n.pos, n.end }
func (n *protoNode) span() (int, int)   { return n.pos, n.end }
func (n *specialNode) span() (int, int) { return n.pos, n.end }
func (n *relNode) span() (int, int)     { return n.pos, n.end }

// arith is an arithmetic expression over packet bytes.
type arith interface{ aspan() (int, int) }

type numArith struct {
	v        uint32
	pos, end int
}

// lenArith is the packet length ("len").
type lenArith struct{ pos, end int }

// loadArith is proto[idx:size].
type loadArith struct {
	proto    string
	idx      arith
	size     int
	pos, end int
}

type binArith struct {
	op   string // + - * / % & | ^ << >>
	l, r arith
}

type negArith struct {
	x   arith
	pos int
}

func (a *numArith) aspan() (int, int)  { return a.pos, a.end }
func (a *lenArith) aspan() (int, int)  { return a.pos, a.end }
func (a *loadArith) aspan() (int, int) { return a.pos, a.end }
func (a *binArith) aspan() (int, int) {
	p, _ := a.l.aspan()
	_, e := a.r.aspan()
	return p, e
}
func (a *negArith) aspan() (int, int) {
	_, e := a.x.aspan()
	return a.pos, e
}
