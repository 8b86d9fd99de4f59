package scripting

import (
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"go.starlark.net/resolve"
	"go.starlark.net/syntax"

	"github.com/wirelark/wirelark/filter"
)

// predeclaredNames are the names Load predeclares, for checking without
// running.
var predeclaredNames = func() map[string]bool {
	m := map[string]bool{"emit": true, "ARGS": true, "stats": true, "hex": true}
	for k := range modules {
		m[k] = true
	}
	return m
}()

// CheckResult is what Check found.
type CheckResult struct {
	Problems []string // one per problem, with file:line:col
	Handlers []string // handlers the script defines
	Filter   string   // FILTER, when it is a literal string
}

// Check parses a script and every file it loads, resolves their names,
// checks the names each load() takes from its module, the script's
// handlers (names and parameters) and a literal FILTER, without running
// anything.
func Check(ref Ref, libs []*Root, builtin *Root) CheckResult {
	c := &checker{ld: newLoader(libs, builtin), seen: map[string]*resolve.Module{}}
	var res CheckResult
	f, ok := c.file(loc(ref), &res)
	if !ok {
		return res
	}
	for _, st := range f.Stmts {
		switch st := st.(type) {
		case *syntax.DefStmt:
			c.handler(st.Name, st.Params, true, &res)
		case *syntax.AssignStmt:
			if id, ok := st.LHS.(*syntax.Ident); ok {
				if id.Name == "FILTER" {
					c.filter(st.RHS, &res)
				} else if isHandlerName(id.Name) {
					c.handler(id, nil, false, &res)
				}
			}
		}
	}
	if err := loadedHandlers(f); err != nil {
		res.Problems = append(res.Problems, err.Error())
	}
	return res
}

type checker struct {
	ld   *loader
	seen map[string]*resolve.Module // files checked, by name
}

// file parses and resolves one file, then the files it loads.
func (c *checker) file(l loc, res *CheckResult) (*syntax.File, bool) {
	src, err := fs.ReadFile(l.root.FS, l.path)
	if err != nil {
		res.Problems = append(res.Problems, err.Error())
		return nil, false
	}
	c.seen[l.name] = nil
	f, _, err := compile(l.name, src, func(name string) bool { return predeclaredNames[name] })
	if err != nil {
		res.Problems = append(res.Problems, describe(err))
		if f == nil {
			return nil, false
		}
	}
	if m, ok := f.Module.(*resolve.Module); ok {
		c.seen[l.name] = m
	}
	for _, st := range f.Stmts {
		ls, ok := st.(*syntax.LoadStmt)
		if !ok {
			continue
		}
		spec := ls.Module.Value.(string)
		to, err := c.ld.resolve(l, spec)
		if err != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: cannot load %s: %v", ls.Load, spec, err))
			continue
		}
		if _, err := fs.Stat(to.root.FS, to.path); err != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: cannot load %s: %s not found in %s (%s)", ls.Load, spec, to.path, to.root.Describe(), c.ld.searchPath()))
			continue
		}
		m, done := c.seen[to.name]
		if !done {
			c.file(to, res)
			m = c.seen[to.name]
		}
		if m == nil {
			continue // being checked (a cycle, reported when run) or broken
		}
		defined := map[string]bool{}
		for _, b := range m.Globals {
			defined[b.First.Name] = true
		}
		for _, id := range ls.From { // the names taken from the module
			if !defined[id.Name] {
				res.Problems = append(res.Problems, fmt.Sprintf("%s: %s does not define %s", id.NamePos, to.name, id.Name))
			}
		}
	}
	return f, true
}

// handler checks a top-level def or assignment of an on_* name.
func (c *checker) handler(id *syntax.Ident, params []syntax.Expr, isDef bool, res *CheckResult) {
	if !isHandlerName(id.Name) {
		return
	}
	if err := checkHandlerName(id.Name); err != nil {
		if isDef || handlerByName(id.Name) != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: %v", id.NamePos, err))
		}
		return
	}
	if isDef {
		a, err := syntaxArity(params)
		if err == nil {
			_, err = checkSignature(handlerByName(id.Name), a)
		}
		if err != nil {
			res.Problems = append(res.Problems, fmt.Sprintf("%s: %s: %v", id.NamePos, id.Name, err))
			return
		}
	}
	res.Handlers = append(res.Handlers, id.Name)
	sort.Strings(res.Handlers)
}

// syntaxArity is functionArity from a def's parameters.
func syntaxArity(params []syntax.Expr) (arity, error) {
	var a arity
	kwonly := false
	for _, p := range params {
		switch p := p.(type) {
		case *syntax.Ident:
			if kwonly {
				return a, fmt.Errorf("parameter %s has no default, and the engine passes no keyword arguments", p.Name)
			}
			a.max++
			a.min = a.max
		case *syntax.BinaryExpr: // name=default
			if !kwonly {
				a.max++
			}
		case *syntax.UnaryExpr:
			if p.Op == syntax.STAR {
				kwonly = true
				if p.X != nil {
					a.max = -1
				}
			}
		}
	}
	return a, nil
}

// filter compiles a literal FILTER.
func (c *checker) filter(e syntax.Expr, res *CheckResult) {
	lit, ok := e.(*syntax.Literal)
	if !ok || lit.Token != syntax.STRING {
		return // computed: checked when the script runs
	}
	expr := lit.Value.(string)
	res.Filter = expr
	if _, err := filter.Compile(expr); err != nil {
		msg := fmt.Sprintf("%s: FILTER: %v", lit.TokenPos, err)
		if cr := filter.Caret(err); cr != "" {
			msg += "\n    " + strings.ReplaceAll(cr, "\n", "\n    ")
		}
		res.Problems = append(res.Problems, msg)
	}
}
