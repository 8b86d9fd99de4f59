package filter

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"regexp"
	"strconv"
	"strings"
	"unsafe"

	"github.com/wirelark/wirelark/engine/packet"
)

type pred = func(p *packet.Packet) bool

// getter yields the values of an operand in a packet. The slice is the
// operand's own scratch buffer, valid until its next call.
type getter = func(p *packet.Packet) []packet.Value

// val is a resolved operand: a field, a protocol, or something computed
// from one (slice, len, count, bitwise and).
type val struct {
	kind  kind
	get   getter
	field *packet.Field    // a plain field
	proto []packet.ProtoID // a plain protocol: the ids sharing its name
	name  string           // source text, for messages
	pos   int
	end   int
}

type compiler struct {
	src    string
	protos []*packet.Proto
	fields []*packet.Field
}

func (c *compiler) errAt(pos, end int, format string, args ...any) error {
	return newError(c.src, pos, end, format, args...)
}

func (c *compiler) useProto(p *packet.Proto) {
	for _, q := range c.protos {
		if q == p {
			return
		}
	}
	c.protos = append(c.protos, p)
}

func (c *compiler) useField(f *packet.Field) {
	for _, g := range c.fields {
		if g == f {
			return
		}
	}
	c.fields = append(c.fields, f)
	c.useProto(f.Proto)
}

func (c *compiler) compile(n node) (pred, error) {
	switch n := n.(type) {
	case *logicNode:
		l, err := c.compile(n.l)
		if err != nil {
			return nil, err
		}
		r, err := c.compile(n.r)
		if err != nil {
			return nil, err
		}
		if n.and {
			return func(p *packet.Packet) bool { return l(p) && r(p) }, nil
		}
		return func(p *packet.Packet) bool { return l(p) || r(p) }, nil
	case *notNode:
		x, err := c.compile(n.x)
		if err != nil {
			return nil, err
		}
		return func(p *packet.Packet) bool { return !x(p) }, nil
	case *testNode:
		return c.test(n.x)
	case *cmpNode:
		if n.op == opIn || n.op == opNotIn {
			return c.set(n)
		}
		return c.cmp(n)
	}
	panic("filter: unknown node")
}

// protoIDs lists the protocol ids registered under name (Linux cooked
// captures v1 and v2 are both "sll").
func protoIDs(name string) []packet.ProtoID {
	var ids []packet.ProtoID
	for i := 0; i < 256; i++ {
		if p := packet.Fields.ProtoByID(packet.ProtoID(i)); p != nil && p.Name == name {
			ids = append(ids, packet.ProtoID(i))
		}
	}
	return ids
}

// resolve turns an operand into a val; it returns nil, nil for a literal.
func (c *compiler) resolve(o *operand) (*val, error) {
	src := c.src[o.pos:o.end]
	switch o.kind {
	case oWord:
		if f := packet.Fields.Field(o.text); f != nil {
			c.useField(f)
			buf := make([]packet.Value, 0, 4)
			get := func(p *packet.Packet) []packet.Value {
				buf = f.Values(p, buf[:0])
				return buf
			}
			return &val{kind: kindOf(f.Type), get: get, field: f, name: src, pos: o.pos, end: o.end}, nil
		}
		if pr := packet.Fields.Proto(o.text); pr != nil {
			c.useProto(pr)
			ids := protoIDs(pr.Name)
			return &val{kind: kProto, get: protoGetter(ids), proto: ids, name: src, pos: o.pos, end: o.end}, nil
		}
		return nil, nil
	case oSlice:
		b, err := c.resolve(o.base)
		if err != nil {
			return nil, err
		}
		if b == nil {
			return nil, c.unknown(o.base)
		}
		if !b.kind.bytesLike() && b.kind != kString {
			return nil, c.errAt(o.pos, o.end, "%s is %s and cannot be sliced into bytes", b.name, b.kind)
		}
		return &val{kind: kBytes, get: sliceGetter(b, o.ranges), name: src, pos: o.pos, end: o.end}, nil
	case oFunc:
		return c.call(o)
	case oBitAnd:
		return c.bitAnd(o)
	}
	return nil, nil
}

// unknown reports an operand that should have been a field or protocol.
func (c *compiler) unknown(o *operand) error {
	if o.kind != oWord || startsNumber(o.text) || strings.HasPrefix(o.text, "-") {
		return c.errAt(o.pos, o.end, "expected a field or protocol name, not the value %s", c.src[o.pos:o.end])
	}
	if s := suggest(o.text); s != "" {
		return c.errAt(o.pos, o.end, "unknown field or protocol %q (did you mean %q?)", o.text, s)
	}
	return c.errAt(o.pos, o.end, "unknown field or protocol %q", o.text)
}

// operand resolves an operand that must be a field, protocol or function.
func (c *compiler) operand(o *operand, what string) (*val, error) {
	v, err := c.resolve(o)
	if err != nil {
		return nil, err
	}
	if v != nil {
		return v, nil
	}
	if o.kind == oWord && !startsNumber(o.text) && !strings.HasPrefix(o.text, "-") {
		return nil, c.unknown(o)
	}
	return nil, c.errAt(o.pos, o.end, "%s must be a field, protocol or function, not the value %s", what, c.src[o.pos:o.end])
}

func protoGetter(ids []packet.ProtoID) getter {
	buf := make([]packet.Value, 0, 2)
	return func(p *packet.Packet) []packet.Value {
		buf = buf[:0]
		for _, id := range ids {
			if !p.Has(id) { // Has also completes lazy decoding
				continue
			}
			for i := range p.Layers {
				if l := &p.Layers[i]; l.Proto == id {
					buf = append(buf, packet.Value{B: l.Bytes(p)})
				}
			}
		}
		return buf
	}
}

// valBytes views a value as bytes; a string is viewed in place, read-only.
func valBytes(k kind, v *packet.Value) []byte {
	if k == kString {
		return unsafe.Slice(unsafe.StringData(v.S), len(v.S))
	}
	return v.B
}

// sliceGetter cuts each value of b. A value too short for the slice
// yields nothing, as in Wireshark. Several ranges are joined in a
// per-operand arena.
func sliceGetter(b *val, rs []sliceRange) getter {
	var arena []byte
	return func(p *packet.Packet) []packet.Value {
		vs := b.get(p)
		out := vs[:0] // filtered in place: out never overtakes vs
		arena = arena[:0]
		for i := range vs {
			src := valBytes(b.kind, &vs[i])
			var res []byte
			ok := true
			if len(rs) == 1 {
				res, ok = cut(src, rs[0])
			} else {
				mark := len(arena)
				for _, r := range rs {
					part, good := cut(src, r)
					if !good {
						ok = false
						break
					}
					arena = append(arena, part...)
				}
				res = arena[mark:len(arena):len(arena)]
			}
			if ok {
				out = append(out, packet.Value{B: res})
			}
		}
		return out
	}
}

func cut(b []byte, r sliceRange) ([]byte, bool) {
	s := r.start
	if s < 0 {
		s += len(b)
	}
	if s < 0 || s >= len(b) {
		return nil, false
	}
	if r.toEnd {
		return b[s:], true
	}
	if r.length > len(b)-s {
		return nil, false
	}
	return b[s : s+r.length], true
}

func (c *compiler) call(o *operand) (*val, error) {
	src := c.src[o.pos:o.end]
	switch o.text {
	case "len", "count":
	default:
		return nil, c.errAt(o.pos, o.pos+len(o.text), "unknown function %s(); the functions are len() and count()", o.text)
	}
	a, err := c.operand(o.arg, "the argument of "+o.text+"()")
	if err != nil {
		return nil, err
	}
	if o.text == "count" {
		var one [1]packet.Value
		return &val{kind: kUint, name: src, pos: o.pos, end: o.end, get: func(p *packet.Packet) []packet.Value {
			n := len(a.get(p))
			if n == 0 {
				return nil
			}
			one[0] = packet.Value{U: uint64(n)}
			return one[:]
		}}, nil
	}
	if !a.kind.bytesLike() && a.kind != kString {
		return nil, c.errAt(o.arg.pos, o.arg.end, "len() takes a string, byte or address field; %s is %s", a.name, a.kind)
	}
	return &val{kind: kUint, name: src, pos: o.pos, end: o.end, get: func(p *packet.Packet) []packet.Value {
		vs := a.get(p)
		for i := range vs {
			vs[i] = packet.Value{U: uint64(len(valBytes(a.kind, &vs[i])))}
		}
		return vs
	}}, nil
}

func (c *compiler) bitAnd(o *operand) (*val, error) {
	l, err := c.operand(o.l, `the left side of "&"`)
	if err != nil {
		return nil, err
	}
	src := c.src[o.pos:o.end]
	if o.r.kind == oWord {
		if r, _ := c.resolve(o.r); r != nil {
			return nil, c.errAt(o.r.pos, o.r.end, `the mask after "&" must be a value, not the field %s`, r.name)
		}
	}
	switch {
	case l.kind == kUint || l.kind == kInt || l.kind == kBool:
		k, msg := literal(o.r, target{kind: l.kind, field: l.field, name: l.name})
		if msg != "" {
			return nil, c.errAt(o.r.pos, o.r.end, "%s", msg)
		}
		m, mi := k.v.U, k.v.I
		isInt := l.kind == kInt
		return &val{kind: l.kind, name: src, pos: o.pos, end: o.end, get: func(p *packet.Packet) []packet.Value {
			vs := l.get(p)
			for i := range vs {
				if isInt {
					vs[i].I &= mi
				} else {
					vs[i].U &= m
				}
			}
			return vs
		}}, nil
	case l.kind == kBytes:
		var mask []byte
		if u, err := parseUintLit(o.r.text); o.r.kind == oWord && err == nil && strings.HasPrefix(o.r.text, "0x") {
			// A number masks the last bytes: tcp[13] & 0x02.
			mask = binary.BigEndian.AppendUint64(nil, u)
			for len(mask) > 1 && mask[0] == 0 {
				mask = mask[1:]
			}
		} else {
			k, msg := literal(o.r, target{kind: kBytes, name: l.name})
			if msg != "" {
				return nil, c.errAt(o.r.pos, o.r.end, "%s", msg)
			}
			mask = k.v.B
		}
		var arena []byte
		return &val{kind: kBytes, name: src, pos: o.pos, end: o.end, get: func(p *packet.Packet) []packet.Value {
			vs := l.get(p)
			arena = arena[:0]
			for i := range vs {
				b := vs[i].B
				n := min(len(b), len(mask))
				mark := len(arena)
				for j := 0; j < n; j++ {
					arena = append(arena, b[j]&mask[j])
				}
				vs[i].B = arena[mark:len(arena):len(arena)]
			}
			return vs
		}}, nil
	}
	return nil, c.errAt(o.l.pos, o.l.end, `%s is %s: "&" takes an integer field or a byte slice`, l.name, l.kind)
}

func (c *compiler) test(o *operand) (pred, error) {
	if o.kind == oFunc {
		return nil, c.errAt(o.pos, o.end, "a function is not a test: compare its result, e.g. %s > 0", c.src[o.pos:o.end])
	}
	v, err := c.operand(o, "a test")
	if err != nil {
		return nil, err
	}
	if v.proto != nil {
		ids := v.proto
		if len(ids) == 1 {
			id := ids[0]
			return func(p *packet.Packet) bool { return p.Has(id) }, nil
		}
		return func(p *packet.Packet) bool {
			for _, id := range ids {
				if p.Has(id) {
					return true
				}
			}
			return false
		}, nil
	}
	get := v.get
	if o.kind == oBitAnd {
		k := v.kind
		return anyVal(get, func(v *packet.Value) bool {
			switch k {
			case kInt:
				return v.I != 0
			case kBytes:
				for _, b := range v.B {
					if b != 0 {
						return true
					}
				}
				return false
			}
			return v.U != 0
		}), nil
	}
	return func(p *packet.Packet) bool { return len(get(p)) > 0 }, nil
}

// checkOp reports whether operator o applies to values of kind k.
func (c *compiler) checkOp(n *cmpNode, l *val) error {
	o := n.op
	bad := func(why string) error {
		return c.errAt(n.opPos, n.opEnd, "%s is %s and %s", l.name, l.kind, why)
	}
	switch l.kind {
	case kNone:
		return c.errAt(n.opPos, n.opEnd, "%s has no value to compare: test it alone for presence", l.name)
	case kProto:
		if o != opContains && o != opMatches {
			return bad(`can only be tested for presence or searched with "contains" and "matches"; slice it to compare bytes, e.g. ` + l.name + "[0:2]")
		}
	}
	switch o {
	case opContains:
		if l.kind != kString && l.kind != kBytes && l.kind != kMAC && l.kind != kProto {
			return bad(`cannot be searched with "contains"`)
		}
	case opMatches:
		if l.kind != kString && l.kind != kBytes && l.kind != kProto {
			return bad(`cannot be searched with "matches"`)
		}
	}
	return nil
}

func (c *compiler) cmp(n *cmpNode) (pred, error) {
	l, err := c.operand(n.l, "the left side of "+strconv.Quote(c.src[n.opPos:n.opEnd]))
	if err != nil {
		return nil, err
	}
	if err := c.checkOp(n, l); err != nil {
		return nil, err
	}
	lk := l.kind
	if lk == kProto {
		lk = kBytes // searched as its bytes
	}
	// A word on the right is a field only if it is not one of the left
	// field's value names (ip.proto == tcp means 6, not the protocol).
	if _, isName := valueName(l.field, n.r.text); n.r.kind != oWord || !isName {
		r, err := c.resolve(n.r)
		if err != nil {
			return nil, err
		}
		if r != nil {
			return c.pair(n, l, r)
		}
	}
	if n.op == opMatches {
		if n.r.kind != oString {
			return nil, c.errAt(n.r.pos, n.r.end, `"matches" takes a quoted regular expression`)
		}
		// Wireshark's matches ignores case unless the pattern says (?-i).
		re, err := regexp.Compile("(?i)" + n.r.text)
		if err != nil {
			msg := strings.TrimPrefix(err.Error(), "error parsing regexp: ")
			msg = strings.Replace(msg, "`(?i)", "`", 1)
			return nil, c.errAt(n.r.pos, n.r.end, "invalid regular expression (Go syntax): %s", msg)
		}
		if lk == kString {
			return anyVal(l.get, func(v *packet.Value) bool { return re.MatchString(v.S) }), nil
		}
		return anyVal(l.get, func(v *packet.Value) bool { return re.Match(v.B) }), nil
	}
	tk := lk
	if n.op == opContains && lk == kMAC {
		tk = kBytes // a MAC address may contain a shorter byte string
	}
	k, msg := literal(n.r, target{kind: tk, field: l.field, name: l.name})
	if msg != "" {
		return nil, c.errAt(n.r.pos, n.r.end, "%s", c.hint(n.r, lk, msg))
	}
	if n.op == opContains {
		if lk == kString {
			s := k.v.S
			return anyVal(l.get, func(v *packet.Value) bool { return strings.Contains(v.S, s) }), nil
		}
		b := k.v.B
		return anyVal(l.get, func(v *packet.Value) bool { return bytes.Contains(v.B, b) }), nil
	}
	if n.op.ordered() && isSubnet(lk, k) {
		return nil, c.errAt(n.r.pos, n.r.end, "a subnet can only be compared with ==, != or in")
	}
	if n.op == opEq {
		if f := fastEq(l.field, lk, k); f != nil {
			return f, nil
		}
	}
	return quantify(n.op, l.get, eqConst(lk, k), ordConst(lk, n.op, k)), nil
}

// fastEq compiles "field == constant" for the commonest kinds with the
// comparison inlined in the loop over the occurrences, saving two
// indirect calls per packet; it returns nil for other cases.
func fastEq(f *packet.Field, k kind, c constant) pred {
	if f == nil {
		return nil
	}
	buf := make([]packet.Value, 0, 4)
	switch k {
	case kBool:
		want := c.v.U != 0
		return func(p *packet.Packet) bool {
			buf = f.Values(p, buf[:0])
			for i := range buf {
				if (buf[i].U != 0) == want {
					return true
				}
			}
			return false
		}
	case kUint:
		want := c.v.U
		return func(p *packet.Packet) bool {
			buf = f.Values(p, buf[:0])
			for i := range buf {
				if buf[i].U == want {
					return true
				}
			}
			return false
		}
	case kIPv4:
		net := binary.BigEndian.Uint32(c.v.B)
		mask := ^uint32(0) << (32 - c.bits)
		if c.bits == 0 {
			mask = 0
		}
		return func(p *packet.Packet) bool {
			buf = f.Values(p, buf[:0])
			for i := range buf {
				if b := buf[i].B; len(b) == 4 && binary.BigEndian.Uint32(b)&mask == net {
					return true
				}
			}
			return false
		}
	}
	return nil
}

// hint improves a literal error when the word was probably meant as a
// field name: its first part is a protocol ("ip.dts").
func (c *compiler) hint(o *operand, k kind, msg string) string {
	if o.kind != oWord {
		return msg
	}
	proto, _, dotted := strings.Cut(o.text, ".")
	if dotted && packet.Fields.Proto(proto) != nil && (k == kIPv4 || k == kIPv6 || k == kMAC || k.integer() || k == kBytes) {
		if s := suggest(o.text); s != "" {
			return "unknown field " + strconv.Quote(o.text) + " (did you mean " + strconv.Quote(s) + "?)"
		}
		return "unknown field " + strconv.Quote(o.text)
	}
	return msg
}

func isSubnet(k kind, c constant) bool {
	return k == kIPv4 && c.bits != 32 || k == kIPv6 && c.bits != 128
}

// quantify applies Wireshark 4.0's rules for fields that occur several
// times: == and the order comparisons hold if some occurrence satisfies
// them; != holds if the field occurs and no occurrence equals; === if it
// occurs and every occurrence equals; ~= if some occurrence differs.
func quantify(o op, get getter, eq func(*packet.Value) bool, ord func(*packet.Value) bool) pred {
	switch o {
	case opEq:
		return anyVal(get, eq)
	case opNe:
		return func(p *packet.Packet) bool {
			vs := get(p)
			for i := range vs {
				if eq(&vs[i]) {
					return false
				}
			}
			return len(vs) > 0
		}
	case opAllEq:
		return func(p *packet.Packet) bool {
			vs := get(p)
			for i := range vs {
				if !eq(&vs[i]) {
					return false
				}
			}
			return len(vs) > 0
		}
	case opAnyNe:
		return anyVal(get, func(v *packet.Value) bool { return !eq(v) })
	}
	return anyVal(get, ord)
}

func anyVal(get getter, f func(*packet.Value) bool) pred {
	return func(p *packet.Packet) bool {
		vs := get(p)
		for i := range vs {
			if f(&vs[i]) {
				return true
			}
		}
		return false
	}
}

// eqConst returns the equality test against a constant; for addresses
// with a prefix length it is subnet membership.
func eqConst(k kind, c constant) func(*packet.Value) bool {
	switch k {
	case kUint:
		u := c.v.U
		return func(v *packet.Value) bool { return v.U == u }
	case kBool:
		b := c.v.U != 0
		return func(v *packet.Value) bool { return (v.U != 0) == b }
	case kInt, kTime, kDuration:
		i := c.v.I
		return func(v *packet.Value) bool { return v.I == i }
	case kFloat:
		f := c.v.F
		return func(v *packet.Value) bool { return v.F == f }
	case kString:
		s := c.v.S
		return func(v *packet.Value) bool { return v.S == s }
	case kIPv4:
		net := binary.BigEndian.Uint32(c.v.B)
		mask := ^uint32(0) << (32 - c.bits)
		if c.bits == 0 {
			mask = 0
		}
		return func(v *packet.Value) bool {
			return len(v.B) == 4 && binary.BigEndian.Uint32(v.B)&mask == net
		}
	case kIPv6:
		if c.bits != 128 {
			net, bits := c.v.B, c.bits
			return func(v *packet.Value) bool { return len(v.B) == 16 && inPrefix(v.B, net, bits) }
		}
	}
	b := c.v.B
	return func(v *packet.Value) bool { return bytes.Equal(v.B, b) }
}

func inPrefix(a, net []byte, bits int) bool {
	n := bits / 8
	if !bytes.Equal(a[:n], net[:n]) {
		return false
	}
	if r := bits % 8; r != 0 {
		m := byte(0xff << (8 - r))
		return a[n]&m == net[n]
	}
	return true
}

// order returns the comparison of two values of kind k.
func order(k kind) func(a, b *packet.Value) int {
	switch k {
	case kUint, kBool:
		return func(a, b *packet.Value) int { return cmp.Compare(a.U, b.U) }
	case kInt, kTime, kDuration:
		return func(a, b *packet.Value) int { return cmp.Compare(a.I, b.I) }
	case kFloat:
		return func(a, b *packet.Value) int { return cmp.Compare(a.F, b.F) }
	case kString:
		return func(a, b *packet.Value) int { return strings.Compare(a.S, b.S) }
	}
	return func(a, b *packet.Value) int { return bytes.Compare(a.B, b.B) }
}

func holds(o op, c int) bool {
	switch o {
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	}
	return c == 0
}

func ordConst(k kind, o op, c constant) func(*packet.Value) bool {
	if !o.ordered() {
		return nil
	}
	if k == kUint {
		u := c.v.U
		switch o {
		case opGt:
			return func(v *packet.Value) bool { return v.U > u }
		case opGe:
			return func(v *packet.Value) bool { return v.U >= u }
		case opLt:
			return func(v *packet.Value) bool { return v.U < u }
		case opLe:
			return func(v *packet.Value) bool { return v.U <= u }
		}
	}
	f := order(k)
	if k == kBool {
		c.v.U = min(c.v.U, 1)
	}
	cv := c.v
	return func(v *packet.Value) bool { return holds(o, f(v, &cv)) }
}

// compatible reports whether fields of kinds a and b can be compared.
func compatible(a, b kind) bool {
	switch {
	case a == kNone || b == kNone || a == kProto || b == kProto:
		return false
	case a == b:
		return true
	case (a == kUint || a == kInt) && (b == kUint || b == kInt):
		return true
	case a == kBytes && b.bytesLike() || b == kBytes && a.bytesLike():
		return true
	}
	return false
}

// pair compiles a comparison of two fields: every occurrence of one is
// compared with every occurrence of the other, with the same any/all
// rules as for a constant.
func (c *compiler) pair(n *cmpNode, l, r *val) (pred, error) {
	lk, rk := l.kind, r.kind
	if lk == kProto {
		lk = kBytes
	}
	if rk == kProto && n.op == opContains {
		rk = kBytes
	}
	if n.op == opMatches {
		return nil, c.errAt(n.r.pos, n.r.end, `"matches" takes a quoted regular expression, not a field`)
	}
	if !compatible(lk, rk) {
		return nil, c.errAt(n.r.pos, n.r.end, "cannot compare %s (%s) with %s (%s)", l.name, l.kind, r.name, r.kind)
	}
	var f func(a, b *packet.Value) bool
	switch {
	case n.op == opContains && lk == kString:
		f = func(a, b *packet.Value) bool { return strings.Contains(a.S, b.S) }
	case n.op == opContains:
		f = func(a, b *packet.Value) bool { return bytes.Contains(a.B, b.B) }
	default:
		ord := order(lk)
		if lk != rk && lk.integer() && rk.integer() {
			ord = mixedOrder(lk == kInt)
		}
		o := n.op
		if o == opNe || o == opAllEq || o == opAnyNe {
			o = opEq
		}
		f = func(a, b *packet.Value) bool { return holds(o, ord(a, b)) }
	}
	lg, rg := l.get, r.get
	all := func(want bool) pred {
		return func(p *packet.Packet) bool {
			as, bs := lg(p), rg(p)
			if len(as) == 0 || len(bs) == 0 {
				return false
			}
			for i := range as {
				for j := range bs {
					if f(&as[i], &bs[j]) != want {
						return false
					}
				}
			}
			return true
		}
	}
	switch n.op {
	case opNe:
		return all(false), nil
	case opAllEq:
		return all(true), nil
	}
	negate := n.op == opAnyNe
	return func(p *packet.Packet) bool {
		as, bs := lg(p), rg(p)
		for i := range as {
			for j := range bs {
				if f(&as[i], &bs[j]) != negate {
					return true
				}
			}
		}
		return false
	}, nil
}

// mixedOrder compares a signed with an unsigned integer; leftSigned says
// which side is which.
func mixedOrder(leftSigned bool) func(a, b *packet.Value) int {
	si := func(i int64, u uint64) int {
		if i < 0 {
			return -1
		}
		return cmp.Compare(uint64(i), u)
	}
	if leftSigned {
		return func(a, b *packet.Value) int { return si(a.I, b.U) }
	}
	return func(a, b *packet.Value) int { return -si(b.I, a.U) }
}

// set compiles "in" and "not in". "not in" is the negation of "in", so
// it also holds when the field is absent, as in Wireshark.
func (c *compiler) set(n *cmpNode) (pred, error) {
	l, err := c.operand(n.l, `the left side of "in"`)
	if err != nil {
		return nil, err
	}
	if l.kind == kNone || l.kind == kProto {
		return nil, c.errAt(n.opPos, n.opEnd, "%s is %s and cannot be looked up in a set", l.name, l.kind)
	}
	k := l.kind
	var tests []func(*packet.Value) bool
	conv := func(o *operand) (constant, error) {
		if _, isName := valueName(l.field, o.text); o.kind == oWord && !isName {
			if v, _ := c.resolve(o); v != nil {
				return constant{}, c.errAt(o.pos, o.end, "set elements must be values, not fields")
			}
		}
		if o.kind != oWord && o.kind != oString && o.kind != oChar {
			return constant{}, c.errAt(o.pos, o.end, "set elements must be values")
		}
		cv, msg := literal(o, target{kind: k, field: l.field, name: l.name})
		if msg != "" {
			return constant{}, c.errAt(o.pos, o.end, "%s", c.hint(o, k, msg))
		}
		return cv, nil
	}
	for _, e := range n.elems {
		lo, err := conv(e.lo)
		if err != nil {
			return nil, err
		}
		if e.hi == nil {
			tests = append(tests, eqConst(k, lo))
			continue
		}
		hi, err := conv(e.hi)
		if err != nil {
			return nil, err
		}
		if isSubnet(k, lo) || isSubnet(k, hi) {
			return nil, c.errAt(e.lo.pos, e.hi.end, "a range cannot have subnets as its ends")
		}
		ge, le := ordConst(k, opGe, lo), ordConst(k, opLe, hi)
		tests = append(tests, func(v *packet.Value) bool { return ge(v) && le(v) })
	}
	in := anyVal(l.get, func(v *packet.Value) bool {
		for _, t := range tests {
			if t(v) {
				return true
			}
		}
		return false
	})
	if n.op == opNotIn {
		return func(p *packet.Packet) bool { return !in(p) }, nil
	}
	return in, nil
}
