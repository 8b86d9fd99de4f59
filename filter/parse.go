package filter

import (
	"strconv"
	"strings"
)

// The syntax tree. Operands stay untyped until the checker pairs them
// with a field: "10.0.0.0/8", "aa:bb" and "80" are all words here.

type node interface{ span() (int, int) }

type (
	// logicNode is a chain of and/or.
	logicNode struct {
		and  bool
		l, r node
	}
	notNode struct {
		pos int
		x   node
	}
	// testNode is an operand used as a test: presence of a field or
	// protocol, or a non-zero bitwise and.
	testNode struct{ x *operand }
	cmpNode  struct {
		op       op
		opPos    int
		opEnd    int
		l, r     *operand
		elems    []setElem // op is opIn or opNotIn
		setStart int
		setEnd   int
	}
)

type setElem struct{ lo, hi *operand } // hi is nil for a single value

func (n *logicNode) span() (int, int) {
	a, _ := n.l.span()
	_, b := n.r.span()
	return a, b
}
func (n *notNode) span() (int, int)  { _, b := n.x.span(); return n.pos, b }
func (n *testNode) span() (int, int) { return n.x.pos, n.x.end }
func (n *cmpNode) span() (int, int) {
	if n.op == opIn || n.op == opNotIn {
		return n.l.pos, n.setEnd
	}
	return n.l.pos, n.r.end
}

type operandKind uint8

const (
	oWord   operandKind = iota // field, protocol or unquoted literal
	oString                    // quoted string
	oChar                      // character constant
	oSlice                     // base[ranges]
	oFunc                      // fn(arg)
	oBitAnd                    // l & r
)

type operand struct {
	kind     operandKind
	pos, end int
	text     string // word, decoded string or char, or function name
	raw      bool   // r"..." string
	base     *operand
	ranges   []sliceRange
	arg      *operand // function argument
	l, r     *operand // bitwise and
}

// sliceRange is one part of a slice: start (negative counts from the
// end) and length; toEnd means up to the end of the value.
type sliceRange struct {
	start, length int
	toEnd         bool
}

// maxDepth bounds nesting (parentheses and negations) so that hostile
// input cannot exhaust the stack.
const maxDepth = 200

type parser struct {
	lx    lexer
	tok   token
	peek  *token
	depth int
}

func parse(src string) (node, error) {
	p := &parser{lx: lexer{src: src}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tEOF {
		return nil, nil
	}
	n, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tEOF {
		if p.tok.kind == tRParen {
			return nil, p.errTok(`unexpected ")": there is no "(" to close`)
		}
		return nil, p.errTok(`unexpected %s after a complete test; missing "and" or "or"?`, p.describe())
	}
	return n, nil
}

func (p *parser) advance() error {
	if p.peek != nil {
		p.tok, p.peek = *p.peek, nil
		return nil
	}
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

func (p *parser) lookahead() (token, error) {
	if p.peek == nil {
		t, err := p.lx.next()
		if err != nil {
			return token{}, err
		}
		p.peek = &t
	}
	return *p.peek, nil
}

func (p *parser) errTok(format string, args ...any) *SyntaxError {
	return newError(p.lx.src, p.tok.pos, p.tok.end, format, args...)
}

// describe names the current token for messages.
func (p *parser) describe() string {
	if p.tok.kind == tEOF {
		return "end of filter"
	}
	return strconv.Quote(p.lx.src[p.tok.pos:p.tok.end])
}

// expected reports a missing operand or test.
func (p *parser) expected(what string) *SyntaxError {
	if p.tok.kind == tEOF {
		return p.errTok("unexpected end of filter: expected %s", what)
	}
	return p.errTok("unexpected %s: expected %s", p.describe(), what)
}

// Precedence follows Wireshark 4.0: "not" binds tightest, then "and",
// then "or" ("a or b and c" is "a or (b and c)"); both are left
// associative.

func (p *parser) or() (node, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tOr {
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		l = &logicNode{l: l, r: r}
	}
	return l, nil
}

func (p *parser) and() (node, error) {
	l, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.tok.kind == tAnd {
		if err := p.advance(); err != nil {
			return nil, err
		}
		r, err := p.not()
		if err != nil {
			return nil, err
		}
		l = &logicNode{and: true, l: l, r: r}
	}
	return l, nil
}

func (p *parser) not() (node, error) {
	if p.tok.kind != tNot {
		return p.primary()
	}
	pos := p.tok.pos
	if p.depth++; p.depth > maxDepth {
		return nil, p.errTok("filter nested too deeply")
	}
	defer func() { p.depth-- }()
	if err := p.advance(); err != nil {
		return nil, err
	}
	x, err := p.not()
	if err != nil {
		return nil, err
	}
	return &notNode{pos: pos, x: x}, nil
}

func (p *parser) primary() (node, error) {
	if p.tok.kind == tLParen {
		open := p.tok
		if p.depth++; p.depth > maxDepth {
			return nil, p.errTok("filter nested too deeply")
		}
		defer func() { p.depth-- }()
		if err := p.advance(); err != nil {
			return nil, err
		}
		if p.tok.kind == tRParen {
			return nil, p.expected("a test inside the parentheses")
		}
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if p.tok.kind != tRParen {
			if p.tok.kind == tEOF {
				return nil, newError(p.lx.src, open.pos, open.end, `this "(" is never closed`)
			}
			return nil, p.errTok(`unexpected %s: expected ")" or "and" or "or"`, p.describe())
		}
		return n, p.advance()
	}
	return p.test()
}

func (p *parser) test() (node, error) {
	l, err := p.value("a field, protocol or test")
	if err != nil {
		return nil, err
	}
	switch p.tok.kind {
	case tCmp:
		o := p.tok
		if err := p.advance(); err != nil {
			return nil, err
		}
		if o.op == opIn {
			return p.set(l, opIn, o)
		}
		r, err := p.value("a value after " + strconv.Quote(o.text))
		if err != nil {
			return nil, err
		}
		return &cmpNode{op: o.op, opPos: o.pos, opEnd: o.end, l: l, r: r}, nil
	case tNot:
		// "not in" is the only way "not" can follow a value.
		nt, err := p.lookahead()
		if err != nil {
			return nil, err
		}
		if nt.kind == tCmp && nt.op == opIn {
			o := p.tok
			if err := p.advance(); err != nil {
				return nil, err
			}
			o.end = p.tok.end
			if err := p.advance(); err != nil {
				return nil, err
			}
			return p.set(l, opNotIn, o)
		}
	}
	return &testNode{x: l}, nil
}

// set parses "{a, b, c..d}". Wireshark 4.0 wants commas between elements;
// whitespace alone is accepted as well, as earlier versions did.
func (p *parser) set(l *operand, o op, ot token) (node, error) {
	if p.tok.kind != tLBrace {
		return nil, p.expected(`"{" to start the set`)
	}
	n := &cmpNode{op: o, opPos: ot.pos, opEnd: ot.end, l: l, setStart: p.tok.pos}
	if err := p.advance(); err != nil {
		return nil, err
	}
	for {
		if p.tok.kind == tRBrace {
			if len(n.elems) == 0 {
				return nil, p.errTok("a set needs at least one element")
			}
			n.setEnd = p.tok.end
			return n, p.advance()
		}
		lo, err := p.value("a set element or \"}\"")
		if err != nil {
			return nil, err
		}
		e := setElem{lo: lo}
		if p.tok.kind == tDotDot {
			if err := p.advance(); err != nil {
				return nil, err
			}
			if e.hi, err = p.value("the upper end of the range"); err != nil {
				return nil, err
			}
		}
		n.elems = append(n.elems, e)
		if p.tok.kind == tComma {
			if err := p.advance(); err != nil {
				return nil, err
			}
			if p.tok.kind == tRBrace {
				return nil, p.expected("a set element after \",\"")
			}
		}
	}
}

// value parses an operand, with an optional "& mask".
func (p *parser) value(what string) (*operand, error) {
	l, err := p.unary(what)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tBitAnd {
		return l, nil
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	r, err := p.unary("a mask after \"&\"")
	if err != nil {
		return nil, err
	}
	return &operand{kind: oBitAnd, pos: l.pos, end: r.end, l: l, r: r}, nil
}

func (p *parser) unary(what string) (*operand, error) {
	t := p.tok
	var o *operand
	switch t.kind {
	case tString:
		o = &operand{kind: oString, pos: t.pos, end: t.end, text: t.text, raw: p.lx.src[t.pos] != '"'}
	case tChar:
		o = &operand{kind: oChar, pos: t.pos, end: t.end, text: t.text}
	case tWord:
		nt, err := p.lookahead()
		if err != nil {
			return nil, err
		}
		if nt.kind == tLParen {
			return p.call()
		}
		o = &operand{kind: oWord, pos: t.pos, end: t.end, text: t.text}
	default:
		return nil, p.expected(what)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	for p.tok.kind == tSlice {
		rs, err := parseRanges(p.lx.src, p.tok)
		if err != nil {
			return nil, err
		}
		o = &operand{kind: oSlice, pos: o.pos, end: p.tok.end, base: o, ranges: rs}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// call parses fn(arg).
func (p *parser) call() (*operand, error) {
	name := p.tok
	if err := p.advance(); err != nil { // the name
		return nil, err
	}
	if err := p.advance(); err != nil { // "("
		return nil, err
	}
	arg, err := p.value("an argument for " + name.text + "()")
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tRParen {
		if p.tok.kind == tComma {
			return nil, p.errTok("%s() takes one argument", name.text)
		}
		return nil, p.expected(`")" to close the call of ` + name.text + "()")
	}
	o := &operand{kind: oFunc, pos: name.pos, end: p.tok.end, text: name.text, arg: arg}
	return o, p.advance()
}

// parseRanges reads the ranges of a slice: [i:j] (start, length), [i-j]
// (first and last offsets), [i], [:j], [i:], several separated by commas.
func parseRanges(src string, t token) ([]sliceRange, error) {
	bad := func(format string, args ...any) error { return newError(src, t.pos, t.end, format, args...) }
	body := strings.TrimSpace(t.text)
	if body == "" {
		return nil, bad("empty slice")
	}
	var rs []sliceRange
	for _, part := range strings.Split(body, ",") {
		part = strings.TrimSpace(part)
		num := func(s string) (int, bool) {
			n, err := strconv.Atoi(strings.TrimSpace(s))
			return n, err == nil && n > -1<<24 && n < 1<<24
		}
		var r sliceRange
		if a, b, ok := strings.Cut(part, ":"); ok {
			if strings.TrimSpace(a) != "" {
				n, ok := num(a)
				if !ok {
					return nil, bad("bad slice start %q", a)
				}
				r.start = n
			}
			if strings.TrimSpace(b) == "" {
				r.toEnd = true
			} else {
				n, ok := num(b)
				if !ok || n <= 0 {
					return nil, bad("bad slice length %q: want a positive number", b)
				}
				r.length = n
			}
		} else if i := strings.Index(part[min(1, len(part)):], "-"); i >= 0 {
			i += min(1, len(part))
			a, okA := num(part[:i])
			b, okB := num(part[i+1:])
			if !okA || !okB || a < 0 || b < a {
				return nil, bad("bad slice range %q: want first-last with first <= last", part)
			}
			r.start, r.length = a, b-a+1
		} else {
			n, ok := num(part)
			if !ok {
				return nil, bad("bad slice %q", part)
			}
			r.start, r.length = n, 1
		}
		rs = append(rs, r)
	}
	return rs, nil
}
