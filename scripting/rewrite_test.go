package scripting

import (
	"strings"
	"testing"

	"go.starlark.net/syntax"
)

// Chains through a field that has a value and children become one
// dotted index; other chains stay as they are.
func TestRewrite(t *testing.T) {
	tests := []struct{ src, want string }{
		{"pkt.tcp.flags.syn", `pkt.tcp["flags.syn"]`},
		{"pkt.tcp.flags", "pkt.tcp.flags"},
		{"pkt.eth.dst.ig", `pkt.eth["dst.ig"]`},
		{"pkt.tcp.options.wscale.shift", `pkt.tcp["options.wscale.shift"]`},
		{"pkt.dns.qry.name.len", `pkt.dns.qry["name.len"]`},
		{"pkt.ip.src", "pkt.ip.src"},
		{"x.upper().flags.syn", `x.upper()["flags.syn"]`},
		{"f(a.flags.syn, k = b.flags.ack)", `f(a["flags.syn"], k = b["flags.ack"])`},
		{"[p.flags.fin for p in ps if p.flags.rst]", `[p["flags.fin"] for p in ps if p.flags.rst]`},
		{"lambda p = q.flags.syn: p.ip.flags.df", `lambda p = q["flags.syn"]: p.ip["flags.df"]`},
		{"s.strip().split", "s.strip().split"},
	}
	pairs := tree().dualPairs
	for _, tc := range tests {
		f, err := fileOptions.Parse("t", "x = "+tc.src+"\n", 0)
		if err != nil {
			t.Fatal(err)
		}
		rewriteFile(f, pairs)
		got := render(f.Stmts[0].(*syntax.AssignStmt).RHS)
		if got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.src, got, tc.want)
		}
	}
}

// render prints the expressions the test uses.
func render(e syntax.Expr) string {
	switch e := e.(type) {
	case *syntax.Ident:
		return e.Name
	case *syntax.Literal:
		return e.Raw
	case *syntax.DotExpr:
		return render(e.X) + "." + e.Name.Name
	case *syntax.IndexExpr:
		return render(e.X) + "[" + render(e.Y) + "]"
	case *syntax.CallExpr:
		var args []string
		for _, a := range e.Args {
			args = append(args, render(a))
		}
		return render(e.Fn) + "(" + strings.Join(args, ", ") + ")"
	case *syntax.BinaryExpr:
		return render(e.X) + " " + e.Op.String() + " " + render(e.Y)
	case *syntax.Comprehension:
		s := "[" + render(e.Body)
		for _, c := range e.Clauses {
			switch c := c.(type) {
			case *syntax.ForClause:
				s += " for " + render(c.Vars) + " in " + render(c.X)
			case *syntax.IfClause:
				s += " if " + render(c.Cond)
			}
		}
		return s + "]"
	case *syntax.LambdaExpr:
		var ps []string
		for _, p := range e.Params {
			ps = append(ps, render(p))
		}
		return "lambda " + strings.Join(ps, ", ") + ": " + render(e.Body)
	}
	return "?"
}

// Every (field, child) pair comes from a registry field that has a value
// and a field below it.
func TestDualPairs(t *testing.T) {
	pairs := tree().dualPairs
	for _, p := range [][2]string{{"flags", "syn"}, {"dst", "ig"}, {"options", "mss_val"}, {"name", "len"}, {"dsfield", "dscp"}} {
		if !pairs[p] {
			t.Errorf("pair %v missing", p)
		}
	}
	// A protocol with fields below it (ipv6 and ipv6.hopopts) is not a
	// value: pkt.ipv6.hopopts is the layer.
	if pairs[[2]string{"ipv6", "hopopts"}] {
		t.Error("ipv6.hopopts is a protocol, not a field")
	}
}
