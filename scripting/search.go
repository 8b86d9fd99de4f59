package scripting

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"go.starlark.net/syntax"
)

// Ref names a script to load: a file below a root.
type Ref struct {
	root *Root
	path string
	name string
}

// Name is how messages and backtraces name the script.
func (r Ref) Name() string { return r.name }

// FileRef refers to a script by its path. Its directory becomes its root:
// "./x.star" loads beside it, and nothing above it.
func FileRef(file string) (Ref, error) {
	root, err := DirRoot("", filepath.Dir(file))
	if err != nil {
		return Ref{}, err
	}
	return Ref{root: root, path: filepath.Base(file), name: displayName(root, filepath.Base(file))}, nil
}

// Find resolves the SCRIPT argument of `wirelark run` and `wirelark
// check`: a path to a file (anything with a slash or a .star suffix, or
// an existing file), "@NAME/path.star" in a library, or a bare NAME,
// looked up as NAME.star at the top of each library root in order, then
// among the shipped scripts.
func Find(name string, libs []*Root, builtin *Root) (Ref, error) {
	if strings.HasPrefix(name, "@") {
		ld := newLoader(libs, builtin)
		l, err := ld.resolve(loc{}, name)
		if err != nil {
			return Ref{}, err
		}
		if _, err := fs.Stat(l.root.FS, l.path); err != nil {
			return Ref{}, fmt.Errorf("%s: not found in %s", name, l.root.Describe())
		}
		return Ref(l), nil
	}
	if fi, err := os.Stat(name); err == nil && !fi.IsDir() || strings.ContainsAny(name, `/\`) || strings.HasSuffix(name, ".star") {
		if _, err := os.Stat(name); err != nil {
			return Ref{}, err
		}
		return FileRef(name)
	}
	roots := append(append([]*Root(nil), libs...), builtin)
	var looked []string
	for _, r := range roots {
		if r == nil {
			continue
		}
		p := name + ".star"
		if _, err := fs.Stat(r.FS, p); err == nil {
			return Ref{root: r, path: p, name: displayName(r, p)}, nil
		}
		looked = append(looked, r.Describe())
	}
	return Ref{}, fmt.Errorf("no script %s: not a file, and no %s.star in %s", name, name, strings.Join(looked, ", "))
}

// Entry is one runnable script found on the search path.
type Entry struct {
	Name     string // what `wirelark run` takes
	Root     *Root
	Doc      string // first line of the docstring
	Shadowed bool   // an earlier root has a script of the same name
}

// List returns the scripts at the top of each library root, then the
// shipped scripts, each with the first line of its docstring.
func List(libs []*Root, builtin *Root) ([]Entry, error) {
	var out []Entry
	seen := map[string]bool{}
	for _, r := range append(append([]*Root(nil), libs...), builtin) {
		if r == nil {
			continue
		}
		files, err := fs.Glob(r.FS, "*.star")
		if err != nil {
			return nil, err
		}
		sort.Strings(files)
		for _, f := range files {
			name := strings.TrimSuffix(f, ".star")
			src, err := fs.ReadFile(r.FS, f)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", displayName(r, f), err)
			}
			out = append(out, Entry{Name: name, Root: r, Doc: Docstring(displayName(r, f), src), Shadowed: seen[name]})
			seen[name] = true
		}
	}
	return out, nil
}

// Docstring returns the first line of a file's docstring (a string
// literal as its first statement), or "".
func Docstring(name string, src []byte) string {
	f, err := fileOptions.Parse(name, src, 0)
	if err != nil || len(f.Stmts) == 0 {
		return ""
	}
	es, ok := f.Stmts[0].(*syntax.ExprStmt)
	if !ok {
		return ""
	}
	lit, ok := es.X.(*syntax.Literal)
	if !ok || lit.Token != syntax.STRING {
		return ""
	}
	return strings.TrimSpace(firstLine(strings.TrimSpace(lit.Value.(string))))
}
