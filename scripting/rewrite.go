package scripting

import (
	"strconv"
	"strings"

	"go.starlark.net/syntax"
)

// Fields with a value of their own and fields below them.
//
// Some registry fields are both a value and a parent: tcp.flags is the
// flags word (an int) and tcp.flags.syn one of its bits; eth.dst is a MAC
// and eth.dst.ig a bit of it. Scripts want both pkt.tcp.flags == 0x12 and
// pkt.tcp.flags.syn. A wrapper value that behaves as an int and also has
// attributes cannot do it in Starlark: comparison between different types
// never consults the wrapper (0x12 == wrapper is silently False) and a
// wrapper claiming to be an int crashes Int's own comparison. So
// pkt.tcp.flags is the plain int, and an attribute chain that continues
// below such a field is compiled as one lookup of the dotted name:
//
//	pkt.tcp.flags.syn   is compiled as   pkt.tcp["flags.syn"]
//	pkt.eth.dst.ig      is compiled as   pkt.eth["dst.ig"]
//
// Packet, layer and group values all accept such dotted names. The cost
// is that the chain must be written out: f = pkt.tcp.flags; f.syn fails,
// as f is an int. Only chains passing through a (field, child) pair of
// the registry are rewritten, and only Packet-side values have
// attributes with those names, so other code is unaffected.

// rewriteFile rewrites every expression of f.
func rewriteFile(f *syntax.File, pairs map[[2]string]bool) {
	rw := rewriter{pairs: pairs}
	rw.stmts(f.Stmts)
}

type rewriter struct {
	pairs map[[2]string]bool
}

func (rw rewriter) stmts(ss []syntax.Stmt) {
	for _, s := range ss {
		rw.stmt(s)
	}
}

func (rw rewriter) stmt(s syntax.Stmt) {
	switch s := s.(type) {
	case *syntax.AssignStmt:
		s.LHS = rw.expr(s.LHS)
		s.RHS = rw.expr(s.RHS)
	case *syntax.DefStmt:
		rw.exprs(s.Params)
		rw.stmts(s.Body)
	case *syntax.ExprStmt:
		s.X = rw.expr(s.X)
	case *syntax.IfStmt:
		s.Cond = rw.expr(s.Cond)
		rw.stmts(s.True)
		rw.stmts(s.False)
	case *syntax.ForStmt:
		s.Vars = rw.expr(s.Vars)
		s.X = rw.expr(s.X)
		rw.stmts(s.Body)
	case *syntax.WhileStmt:
		s.Cond = rw.expr(s.Cond)
		rw.stmts(s.Body)
	case *syntax.ReturnStmt:
		if s.Result != nil {
			s.Result = rw.expr(s.Result)
		}
	}
	// LoadStmt and BranchStmt hold no expressions to rewrite.
}

func (rw rewriter) exprs(es []syntax.Expr) {
	for i, e := range es {
		es[i] = rw.expr(e)
	}
}

func (rw rewriter) expr(e syntax.Expr) syntax.Expr {
	switch e := e.(type) {
	case nil:
		return nil
	case *syntax.DotExpr:
		return rw.dot(e)
	case *syntax.BinaryExpr:
		e.X = rw.expr(e.X)
		e.Y = rw.expr(e.Y)
	case *syntax.UnaryExpr:
		e.X = rw.expr(e.X)
	case *syntax.CallExpr:
		e.Fn = rw.expr(e.Fn)
		rw.exprs(e.Args)
	case *syntax.IndexExpr:
		e.X = rw.expr(e.X)
		e.Y = rw.expr(e.Y)
	case *syntax.SliceExpr:
		e.X = rw.expr(e.X)
		e.Lo = rw.expr(e.Lo)
		e.Hi = rw.expr(e.Hi)
		e.Step = rw.expr(e.Step)
	case *syntax.ParenExpr:
		e.X = rw.expr(e.X)
	case *syntax.ListExpr:
		rw.exprs(e.List)
	case *syntax.TupleExpr:
		rw.exprs(e.List)
	case *syntax.DictExpr:
		rw.exprs(e.List)
	case *syntax.DictEntry:
		e.Key = rw.expr(e.Key)
		e.Value = rw.expr(e.Value)
	case *syntax.CondExpr:
		e.Cond = rw.expr(e.Cond)
		e.True = rw.expr(e.True)
		e.False = rw.expr(e.False)
	case *syntax.LambdaExpr:
		rw.exprs(e.Params)
		e.Body = rw.expr(e.Body)
	case *syntax.Comprehension:
		e.Body = rw.expr(e.Body)
		for _, c := range e.Clauses {
			switch c := c.(type) {
			case *syntax.ForClause:
				c.Vars = rw.expr(c.Vars)
				c.X = rw.expr(c.X)
			case *syntax.IfClause:
				c.Cond = rw.expr(c.Cond)
			}
		}
	}
	return e
}

// dot rewrites a chain base.n1.n2...nk whose names pass through a
// (field, child) pair into base.n1...n(i-1)["ni.....nk"].
func (rw rewriter) dot(e *syntax.DotExpr) syntax.Expr {
	var chain []*syntax.DotExpr // outermost first
	var base syntax.Expr = e
	for {
		d, ok := base.(*syntax.DotExpr)
		if !ok {
			break
		}
		chain = append(chain, d)
		base = d.X
	}
	// Innermost first.
	for i, j := 0, len(chain)-1; i < j; i, j = i+1, j-1 {
		chain[i], chain[j] = chain[j], chain[i]
	}
	chain[0].X = rw.expr(base)
	for i := 0; i+1 < len(chain); i++ {
		if !rw.pairs[[2]string{chain[i].Name.Name, chain[i+1].Name.Name}] {
			continue
		}
		names := make([]string, 0, len(chain)-i)
		for _, d := range chain[i:] {
			names = append(names, d.Name.Name)
		}
		dotted := strings.Join(names, ".")
		last := chain[len(chain)-1]
		_, end := last.Name.Span()
		return &syntax.IndexExpr{
			X:      chain[i].X,
			Lbrack: chain[i].Dot,
			Y: &syntax.Literal{
				Token:    syntax.STRING,
				TokenPos: chain[i].NamePos,
				Raw:      strconv.Quote(dotted),
				Value:    dotted,
			},
			Rbrack: end,
		}
	}
	return e
}
