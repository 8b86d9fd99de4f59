package repl

import (
	"regexp"
	"sort"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/wirelark/wirelark/engine/packet"
	"github.com/wirelark/wirelark/scripting"
)

// completer completes the word before the cursor:
//
//   - inside the string argument of .filter(...), a field or protocol
//     name of the registry;
//   - after a dot, an attribute of the value before it, which is
//     evaluated, but only when it is made of names, attribute reads and
//     indexing by literals (cap[3].tcp), never calls, so pressing Tab
//     runs no code of the user's; a chain through a field that has
//     children (cap[3].tcp.flags.<Tab>) completes the children;
//   - otherwise a global name or built-in.
type completer struct {
	names   func() []string // global names and built-ins
	globals func(string) starlark.Value
}

// maxCompleteLine bounds the text completion looks at.
const maxCompleteLine = 4096

// filterCall matches the text before a filter string's opening quote.
var filterCall = regexp.MustCompile(`\.filter\(\s*$`)

// complete implements liner.WordCompleter.
func (c *completer) complete(line string, pos int) (head string, comps []string, tail string) {
	defer func() {
		if recover() != nil {
			head, comps, tail = line[:pos], nil, line[pos:]
		}
	}()
	if pos < 0 || pos > len(line) {
		pos = len(line)
	}
	before, tail := line[:pos], line[pos:]
	if len(before) > maxCompleteLine {
		return before, nil, tail
	}
	if q, inString := openString(before); inString {
		if !filterCall.MatchString(before[:q]) {
			return before, nil, tail
		}
		word := trailing(before, isFieldChar)
		return before[:len(before)-len(word)], fieldNames(word), tail
	}
	expr := trailingExpr(before)
	dot := lastDot(expr)
	if dot < 0 {
		if expr == "" || !isIdent(expr) {
			return before, nil, tail
		}
		return before[:len(before)-len(expr)], withPrefix(c.names(), expr), tail
	}
	base, partial := expr[:dot], expr[dot+1:]
	if !isIdent(partial) && partial != "" {
		return before, nil, tail
	}
	return before[:len(before)-len(partial)], c.attrs(base, partial), tail
}

// attrs lists the attributes of base's value that start with partial.
func (c *completer) attrs(base, partial string) []string {
	e, err := syntax.ParseExpr("<completion>", base, 0)
	if err != nil {
		return nil
	}
	v, rest, ok := c.eval(e, 0)
	if !ok {
		return nil
	}
	if rest == "" {
		ha, ok := v.(starlark.HasAttrs)
		if !ok {
			return nil
		}
		return withPrefix(ha.AttrNames(), partial)
	}
	// Below a field with children: the next segment of the dotted names
	// under rest.
	seen := map[string]bool{}
	var out []string
	for _, n := range scripting.FieldNamesBelow(v) {
		after, ok := strings.CutPrefix(n, rest+".")
		if !ok {
			continue
		}
		seg, _, _ := strings.Cut(after, ".")
		if strings.HasPrefix(seg, partial) && !seen[seg] {
			seen[seg] = true
			out = append(out, seg)
		}
	}
	sort.Strings(out)
	return out
}

// maxDepth bounds the expression evaluated for completion.
const maxDepth = 32

// eval evaluates a side-effect-free expression: names, literals,
// attribute reads, and indexing by literals. When an attribute chain
// continues below a field value that has children (tcp.flags.syn), it
// returns the value that has the fields and the dotted rest ("flags").
func (c *completer) eval(e syntax.Expr, depth int) (v starlark.Value, rest string, ok bool) {
	if depth > maxDepth {
		return nil, "", false
	}
	switch e := e.(type) {
	case *syntax.Ident:
		v := c.globals(e.Name)
		return v, "", v != nil
	case *syntax.Literal:
		switch x := e.Value.(type) {
		case string:
			return starlark.String(x), "", true
		}
		return nil, "", false
	case *syntax.ParenExpr:
		return c.eval(e.X, depth+1)
	case *syntax.DotExpr:
		x, rest, ok := c.eval(e.X, depth+1)
		if !ok {
			return nil, "", false
		}
		if rest != "" {
			return x, rest + "." + e.Name.Name, true
		}
		ha, isAttrs := x.(starlark.HasAttrs)
		if !isAttrs {
			return nil, "", false
		}
		a, err := ha.Attr(e.Name.Name)
		if err != nil || a == nil {
			return nil, "", false
		}
		if _, more := a.(starlark.HasAttrs); !more && scripting.FieldNamesBelow(x) != nil {
			return x, e.Name.Name, true
		}
		return a, "", true
	case *syntax.IndexExpr:
		x, rest, ok := c.eval(e.X, depth+1)
		if !ok || rest != "" {
			return nil, "", false
		}
		k, ok := literal(e.Y)
		if !ok {
			return nil, "", false
		}
		return index(x, k)
	}
	return nil, "", false
}

// literal reads an int or string literal, or a negated int.
func literal(e syntax.Expr) (starlark.Value, bool) {
	switch e := e.(type) {
	case *syntax.Literal:
		switch x := e.Value.(type) {
		case int64:
			return starlark.MakeInt64(x), true
		case string:
			return starlark.String(x), true
		}
	case *syntax.UnaryExpr:
		if e.Op == syntax.MINUS {
			if l, ok := e.X.(*syntax.Literal); ok {
				if n, ok := l.Value.(int64); ok {
					return starlark.MakeInt64(-n), true
				}
			}
		}
	}
	return nil, false
}

func index(x, k starlark.Value) (starlark.Value, string, bool) {
	if m, ok := x.(starlark.Mapping); ok {
		v, found, err := m.Get(k)
		return v, "", err == nil && found && v != nil
	}
	if ix, ok := x.(starlark.Indexable); ok {
		i, err := starlark.AsInt32(k)
		if err != nil {
			return nil, "", false
		}
		n := ix.Len()
		if i < 0 {
			i += n
		}
		if i < 0 || i >= n {
			return nil, "", false
		}
		return ix.Index(i), "", true
	}
	return nil, "", false
}

// openString reports whether text ends inside a string literal, and
// where its opening quote is.
func openString(text string) (int, bool) {
	quote, at := byte(0), -1
	for i := 0; i < len(text); i++ {
		ch := text[i]
		switch {
		case quote != 0 && ch == '\\':
			i++
		case quote != 0 && ch == quote:
			quote = 0
		case quote == 0 && (ch == '"' || ch == '\''):
			quote, at = ch, i
		case quote == 0 && ch == '#':
			return -1, false
		}
	}
	return at, quote != 0
}

// trailing returns the longest suffix of s made of characters ok accepts.
func trailing(s string, ok func(byte) bool) string {
	i := len(s)
	for i > 0 && ok(s[i-1]) {
		i--
	}
	return s[i:]
}

func isFieldChar(b byte) bool {
	return b == '.' || b == '_' || b == '-' || isAlnum(b)
}

func isAlnum(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// trailingExpr returns the expression before the cursor that completion
// may evaluate: names, dots and bracketed indexes.
func trailingExpr(s string) string {
	i, depth := len(s), 0
	for i > 0 {
		b := s[i-1]
		switch {
		case b == ']':
			depth++
		case b == '[':
			if depth == 0 {
				return s[i:]
			}
			depth--
		case depth > 0 && b != '\n':
		case b == '.' || b == '_' || isAlnum(b):
		default:
			return s[i:]
		}
		i--
	}
	if depth != 0 {
		return ""
	}
	return s[i:]
}

// lastDot is the index of the last dot outside brackets and string
// literals, -1 if none.
func lastDot(expr string) int {
	depth, at := 0, -1
	for i := 0; i < len(expr); i++ {
		switch expr[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				at = i
			}
		}
	}
	return at
}

func isIdent(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '_' && !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// withPrefix filters names by prefix, sorted; names starting with _ only
// when the prefix does.
func withPrefix(names []string, prefix string) []string {
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, prefix) && (!strings.HasPrefix(n, "_") || strings.HasPrefix(prefix, "_")) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// fieldNames lists the registry's protocol and field names starting with
// prefix.
func fieldNames(prefix string) []string {
	var out []string
	for _, p := range packet.Fields.Protos() {
		if strings.HasPrefix(p.Name, prefix) {
			out = append(out, p.Name)
		}
	}
	for _, f := range packet.Fields.All() {
		if strings.HasPrefix(f.Name, prefix) && (packet.Fields.Proto(f.Name) == nil) {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return dedupe(out)
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
