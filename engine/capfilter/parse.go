package capfilter

import "strings"

// The parser follows libpcap's grammar (grammar.y): "and" and "or" have the
// same precedence and associate to the left, "not" binds tightest, and a
// bare ID after "and"/"or" takes the qualifiers of the primitive before it
// ("host a or b", "tcp dst port 21 or 22", "port 80 and not 22").

var protoKeywords = map[string]bool{
	"ether": true, "link": true, "ip": true, "ip6": true, "arp": true, "rarp": true,
	"tcp": true, "udp": true, "sctp": true, "icmp": true, "icmp6": true, "igmp": true,
}

var otherKeywords = map[string]bool{
	"src": true, "dst": true, "host": true, "net": true, "port": true, "portrange": true,
	"proto": true, "and": true, "or": true, "not": true, "less": true, "greater": true,
	"vlan": true, "broadcast": true, "multicast": true, "len": true, "mask": true,
}

func isKeyword(t token) bool {
	return t.kind == tWord && !t.escaped && (protoKeywords[t.text] || otherKeywords[t.text])
}

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 200

type parser struct {
	expr  string
	toks  []token
	i     int
	depth int
	lastQ *quals // qualifiers a bare ID after and/or inherits
	// relErr remembers, per token index, why an arithmetic relation could
	// not start there, so that backtracking costs one attempt per token.
	relErr map[int]*SyntaxError
	// tooDeep is set once nesting passed maxDepth; it is the error reported
	// whichever reading of the expression failed.
	tooDeep *SyntaxError
}

func parse(expr string) (node, error) {
	toks, err := lex(expr)
	if err != nil {
		return nil, err
	}
	p := &parser{expr: expr, toks: toks, relErr: map[int]*SyntaxError{}}
	if p.peek().kind == tEOF {
		return nil, nil
	}
	n, err := p.orExpr()
	if p.tooDeep != nil {
		return nil, p.tooDeep
	}
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.text == ")" {
			return nil, p.errTok(t, "unbalanced ')'")
		}
		return nil, p.errTok(t, "expected \"and\" or \"or\" before %q", t.text)
	}
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }
func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) errTok(t token, format string, args ...any) *SyntaxError {
	return errAt(p.expr, t.pos, t.end, format, args...)
}

func isWord(t token, w string) bool { return t.kind == tWord && !t.escaped && t.text == w }
func isOp(t token, op string) bool  { return t.kind == tOp && t.text == op }
func isAndTok(t token) bool         { return isWord(t, "and") || isOp(t, "&&") }
func isOrTok(t token) bool          { return isWord(t, "or") || isOp(t, "||") }
func isNotTok(t token) bool         { return isWord(t, "not") || isOp(t, "!") }

// describe names a token for messages.
func describe(t token) string {
	if t.kind == tEOF {
		return "end of expression"
	}
	return "\"" + t.text + "\""
}

func (p *parser) enter() *SyntaxError {
	p.depth++
	if p.depth > maxDepth {
		if p.tooDeep == nil {
			p.tooDeep = p.errTok(p.peek(), "expression nested too deeply")
		}
		return p.tooDeep
	}
	return nil
}

func (p *parser) orExpr() (node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	left, err := p.term()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		and, or := isAndTok(t), isOrTok(t)
		if !and && !or {
			return left, nil
		}
		p.next()
		var right node
		if p.lastQ != nil && p.bareIDAhead() {
			right, err = p.bareID(*p.lastQ)
		} else {
			right, err = p.term()
		}
		if err != nil {
			return nil, err
		}
		if and {
			left = &andNode{left, right}
		} else {
			left = &orNode{left, right}
		}
	}
}

// bareIDAhead reports whether an ID without qualifiers follows (possibly
// after "not"s).
func (p *parser) bareIDAhead() bool {
	for k := 0; ; k++ {
		t := p.peekAt(k)
		if isNotTok(t) {
			continue
		}
		if t.kind != tWord || isKeyword(t) {
			return false
		}
		// An operator after it makes it arithmetic ("and 1 + 2 > x").
		if n := p.peekAt(k + 1); n.kind == tOp && n.text != ")" && n.text != "&&" && n.text != "||" && n.text != "/" {
			return false
		}
		// A misspelt keyword is reported as such, not as a value.
		_, isPort := portNames[t.text]
		_, isNum := parseNum(t.text)
		return isNum || isPort || suggest(t.text) == "" || strings.ContainsAny(t.text, ".:")
	}
}

func (p *parser) bareID(q quals) (node, error) {
	if t := p.peek(); isNotTok(t) {
		p.next()
		x, err := p.bareID(q)
		if err != nil {
			return nil, err
		}
		return &notNode{x: x, pos: t.pos}, nil
	}
	return p.id(q, p.peek().pos)
}

func (p *parser) term() (node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	t := p.peek()
	if isNotTok(t) {
		p.next()
		x, err := p.term()
		if err != nil {
			return nil, err
		}
		return &notNode{x: x, pos: t.pos}, nil
	}
	// An arithmetic relation and a boolean term can both start with '(':
	// try the relation first and fall back.
	var relErr *SyntaxError
	if p.mayStartArith() {
		start := p.i
		if e, seen := p.relErr[start]; seen {
			relErr = e
		} else {
			rel, err := p.relation()
			if err == nil {
				p.lastQ = nil
				return rel, nil
			}
			relErr = err
			p.relErr[start] = err
			p.i = start
		}
	}
	var n node
	var err error
	if isOp(t, "(") {
		p.next()
		n, err = p.orExpr()
		if err == nil {
			if c := p.peek(); !isOp(c, ")") {
				err = p.errTok(c, "missing ')' to close the '(' at column %d", errAt(p.expr, t.pos, t.end, "").Col)
			} else {
				p.next()
			}
		}
	} else {
		n, err = p.primitive()
	}
	if err == nil && relErr != nil {
		// "tcp[" reads as the primitive "tcp" followed by junk: the
		// relation's complaint is the useful one.
		if c := p.peek(); !(c.kind == tEOF || isOp(c, ")") || isAndTok(c) || isOrTok(c)) && relErr.Col > errAt(p.expr, c.pos, c.end, "").Col {
			return nil, relErr
		}
	}
	if err != nil {
		// Report whichever reading got further into the expression.
		if se, ok := err.(*SyntaxError); ok && relErr != nil && relErr.Col > se.Col {
			return nil, relErr
		}
		return nil, err
	}
	return n, nil
}

func (p *parser) mayStartArith() bool {
	t := p.peek()
	switch {
	case isOp(t, "(") || isOp(t, "-"):
		return true
	case isWord(t, "len"):
		return true
	case protoKeywords[t.text] && !t.escaped:
		return isOp(p.peekAt(1), "[")
	case t.kind == tWord && !t.escaped:
		_, isNum := parseNum(t.text)
		_, isConst := constNames[t.text]
		return isNum || isConst
	}
	return false
}

func (p *parser) primitive() (node, error) {
	t := p.peek()
	switch {
	case t.kind == tEOF:
		return nil, p.errTok(t, "expected a filter primitive at end of expression")
	case t.kind == tOp:
		if t.text == ")" {
			return nil, p.errTok(t, "unbalanced ')'")
		}
		return nil, p.errTok(t, "expected a filter primitive, found %q", t.text)
	case isWord(t, "less") || isWord(t, "greater"):
		p.next()
		n := p.peek()
		v, ok := parseNum(n.text)
		if n.kind != tWord || !ok {
			return nil, p.errTok(n, "expected a length after %q, found %s", t.text, describe(n))
		}
		p.next()
		p.lastQ = nil
		return &specialNode{what: t.text, num: v, hasNum: true, pos: t.pos, end: n.end}, nil
	case isWord(t, "vlan"):
		p.next()
		sn := &specialNode{what: "vlan", pos: t.pos, end: t.end}
		if n := p.peek(); n.kind == tWord && !isKeyword(n) {
			v, ok := parseNum(n.text)
			if !ok || v > 4095 {
				return nil, p.errTok(n, "VLAN ID %q is not a number from 0 to 4095", n.text)
			}
			p.next()
			sn.num, sn.hasNum, sn.end = v, true, n.end
		}
		p.lastQ = nil
		return sn, nil
	}
	if t.kind == tWord && !t.escaped && protoKeywords[t.text] {
		p.next()
		n := p.peek()
		switch {
		case isWord(n, "src") || isWord(n, "dst") || isWord(n, "host") || isWord(n, "net") ||
			isWord(n, "port") || isWord(n, "portrange") || isWord(n, "proto"):
			return p.head(quals{proto: t.text}, t.pos)
		case isWord(n, "broadcast") || isWord(n, "multicast"):
			p.next()
			p.lastQ = nil
			return &specialNode{what: n.text, proto: t.text, pos: t.pos, end: n.end}, nil
		}
		p.lastQ = &quals{proto: t.text}
		return &protoNode{proto: t.text, pos: t.pos, end: t.end}, nil
	}
	if isWord(t, "broadcast") || isWord(t, "multicast") {
		p.next()
		p.lastQ = nil
		return &specialNode{what: t.text, pos: t.pos, end: t.end}, nil
	}
	if isWord(t, "src") || isWord(t, "dst") || isWord(t, "host") || isWord(t, "net") ||
		isWord(t, "port") || isWord(t, "portrange") || isWord(t, "proto") {
		return p.head(quals{}, t.pos)
	}
	if isKeyword(t) {
		return nil, p.errTok(t, "%q cannot start a primitive", t.text)
	}
	if t.kind == tWord && !t.escaped {
		if s := suggest(t.text); s != "" {
			return nil, p.errTok(t, "unknown keyword %q (did you mean %q?)", t.text, s)
		}
	}
	return nil, p.errTok(t, "expected a filter primitive (host, net, port, tcp, ...) before %s", describe(t))
}

// head parses the direction and kind qualifiers after an optional protocol
// and then the ID.
func (p *parser) head(q quals, pos int) (node, error) {
	if t := p.peek(); isWord(t, "src") || isWord(t, "dst") {
		p.next()
		q.dir = t.text
		if c, d := p.peek(), p.peekAt(1); (isOrTok(c) || isAndTok(c)) && (isWord(d, "src") || isWord(d, "dst")) && d.text != t.text {
			p.next()
			p.next()
			if isOrTok(c) {
				q.dir = "src or dst"
			} else {
				q.dir = "src and dst"
			}
		}
	}
	if t := p.peek(); isWord(t, "host") || isWord(t, "net") || isWord(t, "port") || isWord(t, "portrange") || isWord(t, "proto") {
		if t.text == "proto" && q.dir != "" {
			return nil, p.errTok(t, "\"proto\" takes no direction qualifier")
		}
		p.next()
		q.kind = t.text
	}
	return p.id(q, pos)
}

// id parses the value of a primitive, "(a or b)" groups of values, and
// "net A/N" or "net A mask M".
func (p *parser) id(q quals, pos int) (node, error) {
	t := p.peek()
	what := q.kind
	if what == "" {
		what = q.dir
	}
	if what == "" {
		what = q.proto
	}
	if isOp(t, "(") {
		p.next()
		n, err := p.idGroup(q, pos)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); !isOp(c, ")") {
			return nil, p.errTok(c, "missing ')' after the values of %q", what)
		}
		p.next()
		return n, nil
	}
	if t.kind != tWord {
		return nil, p.errTok(t, "missing value after %q: expected an address, number or name, found %s", what, describe(t))
	}
	if isKeyword(t) {
		return nil, p.errTok(t, "expected a value after %q, found the keyword %q", what, t.text)
	}
	p.next()
	if c := p.peek(); isOp(c, ":") && c.pos == t.end {
		// Something like "1:2" that is neither a MAC nor an IPv6 address.
		end := c.end
		for k := 1; ; k++ {
			n := p.peekAt(k)
			if n.pos != end || !(n.kind == tWord || isOp(n, ":")) {
				break
			}
			end = n.end
		}
		return nil, errAt(p.expr, t.pos, end, "%q is neither a MAC address (six hex bytes such as 00:11:22:33:44:55) nor an IPv6 address", p.expr[t.pos:end])
	}
	n := &primNode{q: q, val: t, maskLen: -1, pos: pos, end: t.end}
	if q.kind == "net" {
		switch c := p.peek(); {
		case isOp(c, "/"):
			p.next()
			l := p.peek()
			v, ok := parseNum(l.text)
			if l.kind != tWord || !ok || v > 128 {
				return nil, p.errTok(l, "expected a prefix length after '/', found %s", describe(l))
			}
			p.next()
			n.maskLen, n.end = int(v), l.end
		case isWord(c, "mask"):
			p.next()
			m := p.peek()
			if m.kind != tWord || isKeyword(m) {
				return nil, p.errTok(m, "expected a netmask after \"mask\", found %s", describe(m))
			}
			p.next()
			n.mask, n.end = &m, m.end
		}
	}
	p.lastQ = &n.q
	return n, nil
}

func (p *parser) idGroup(q quals, pos int) (node, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	left, err := p.idTerm(q, pos)
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		and, or := isAndTok(t), isOrTok(t)
		if !and && !or {
			return left, nil
		}
		p.next()
		right, err := p.idTerm(q, pos)
		if err != nil {
			return nil, err
		}
		if and {
			left = &andNode{left, right}
		} else {
			left = &orNode{left, right}
		}
	}
}

func (p *parser) idTerm(q quals, pos int) (node, error) {
	if t := p.peek(); isNotTok(t) {
		p.next()
		x, err := p.idTerm(q, pos)
		if err != nil {
			return nil, err
		}
		return &notNode{x: x, pos: t.pos}, nil
	}
	return p.id(q, p.peek().pos)
}

var relOps = map[string]bool{"=": true, "==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

func (p *parser) relation() (*relNode, *SyntaxError) {
	start := p.peek().pos
	l, err := p.arith(1)
	if err != nil {
		return nil, err
	}
	op := p.peek()
	if op.kind != tOp || !relOps[op.text] {
		return nil, p.errTok(op, "expected a comparison (==, !=, <, <=, >, >=) after the arithmetic expression, found %s", describe(op))
	}
	p.next()
	r, err := p.arith(1)
	if err != nil {
		return nil, err
	}
	_, end := r.aspan()
	o := op.text
	if o == "=" {
		o = "=="
	}
	return &relNode{op: o, l: l, r: r, pos: start, end: end}, nil
}

// Binary operator precedence, as libpcap's grammar: | and ^ lowest, then
// &, then shifts, then + -, then * / %.
var arithPrec = map[string]int{"|": 1, "^": 1, "&": 2, "<<": 3, ">>": 3, "+": 4, "-": 4, "*": 5, "/": 5, "%": 5}

func (p *parser) arith(minPrec int) (arith, *SyntaxError) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		prec, ok := arithPrec[t.text]
		if t.kind != tOp || !ok || prec < minPrec {
			return left, nil
		}
		p.next()
		right, err := p.arith(prec + 1)
		if err != nil {
			return nil, err
		}
		left = &binArith{op: t.text, l: left, r: right}
	}
}

func (p *parser) unary() (arith, *SyntaxError) {
	t := p.peek()
	if isOp(t, "-") {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		p.next()
		x, err := p.unary()
		if err != nil {
			return nil, err
		}
		return &negArith{x: x, pos: t.pos}, nil
	}
	if isOp(t, "(") {
		p.next()
		x, err := p.arith(1)
		if err != nil {
			return nil, err
		}
		if c := p.peek(); !isOp(c, ")") {
			return nil, p.errTok(c, "missing ')' in arithmetic expression, found %s", describe(c))
		}
		p.next()
		return x, nil
	}
	if t.kind != tWord || t.escaped {
		return nil, p.errTok(t, "expected a number, \"len\" or proto[offset], found %s", describe(t))
	}
	if t.text == "len" {
		p.next()
		return &lenArith{pos: t.pos, end: t.end}, nil
	}
	if protoKeywords[t.text] {
		p.next()
		if b := p.peek(); !isOp(b, "[") {
			return nil, p.errTok(b, "expected '[' after %q in arithmetic expression", t.text)
		}
		p.next()
		idx, err := p.arith(1)
		if err != nil {
			return nil, err
		}
		size := 1
		if c := p.peek(); isOp(c, ":") {
			p.next()
			s := p.peek()
			v, ok := parseNum(s.text)
			if s.kind != tWord || !ok || v != 1 && v != 2 && v != 4 {
				return nil, p.errTok(s, "data size must be 1, 2 or 4, found %s", describe(s))
			}
			p.next()
			size = int(v)
		}
		c := p.peek()
		if !isOp(c, "]") {
			return nil, p.errTok(c, "missing ']' after %s[...", t.text)
		}
		p.next()
		return &loadArith{proto: t.text, idx: idx, size: size, pos: t.pos, end: c.end}, nil
	}
	if v, ok := parseNum(t.text); ok {
		p.next()
		return &numArith{v: v, pos: t.pos, end: t.end}, nil
	}
	if v, ok := constNames[t.text]; ok {
		p.next()
		return &numArith{v: v, pos: t.pos, end: t.end}, nil
	}
	return nil, p.errTok(t, "expected a number, \"len\" or proto[offset], found %s", describe(t))
}

// suggest returns the keyword closest to an unknown word, if one is
// within two edits.
func suggest(w string) string {
	if len(w) < 2 || len(w) > 20 || strings.ContainsAny(w, "0123456789.:") {
		return ""
	}
	best, bestD := "", 3
	for _, set := range []map[string]bool{protoKeywords, otherKeywords} {
		for k := range set {
			if d := editDistance(w, k); d < bestD || d == bestD && k < best {
				best, bestD = k, d
			}
		}
	}
	if bestD > 2 || bestD >= len(w) {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := prev[j-1]
			if a[i-1] != b[j-1] {
				c++
			}
			cur[j] = min(c, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
