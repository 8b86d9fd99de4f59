package scripting

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/wirelark/wirelark/stdlib"
)

// Root is a tree of .star files that load() and `wirelark run NAME`
// search: the embedded standard library (@stdlib), the embedded shipped
// scripts, a library directory named on WIRELARK_PATH or with --lib
// (@NAME), or the directory of a script given by its path.
type Root struct {
	Name string // "stdlib", "scripts", a library name, or "" for a script's directory
	Dir  string // directory on disk (absolute), "" for embedded roots
	FS   fs.FS
	// shown is the directory as the user wrote it, for naming files of a
	// script's own directory in messages.
	shown string
}

// Reserved root names.
const (
	StdlibRoot  = "stdlib"
	BuiltinRoot = "scripts"
)

// Describe names the root for messages: "@team (/srv/wl/team)".
func (r *Root) Describe() string {
	switch {
	case r.Name == "":
		return "the script's directory " + r.Dir
	case r.Dir == "":
		return "@" + r.Name + " (built in)"
	}
	return "@" + r.Name + " (" + r.Dir + ")"
}

// Stdlib is the root of the embedded standard library.
var Stdlib = &Root{Name: StdlibRoot, FS: stdlib.Files}

// EmbeddedRoot makes a root of embedded files.
func EmbeddedRoot(name string, files fs.FS) *Root { return &Root{Name: name, FS: files} }

// DirRoot opens a directory as a root. The directory is opened with
// os.OpenRoot, so no name below it, symbolic links included, can reach
// outside it.
func DirRoot(name, dir string) (*Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	r, err := os.OpenRoot(abs)
	if err != nil {
		return nil, err
	}
	return &Root{Name: name, Dir: abs, FS: r.FS(), shown: dir}, nil
}

var libName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]*$`)

// ParseLib reads one library given as name=dir.
func ParseLib(spec string) (*Root, error) {
	name, dir, ok := strings.Cut(spec, "=")
	if !ok || name == "" || dir == "" {
		return nil, fmt.Errorf("library %q: want name=dir", spec)
	}
	if !libName.MatchString(name) {
		return nil, fmt.Errorf("library %q: name must be letters, digits, _ and -", spec)
	}
	if name == StdlibRoot || name == BuiltinRoot {
		return nil, fmt.Errorf("library %q: the name %s is reserved", spec, name)
	}
	r, err := DirRoot(name, dir)
	if err != nil {
		return nil, fmt.Errorf("library %q: %v", spec, err)
	}
	return r, nil
}

// ParseLibs reads the libraries of --lib flags, then of a WIRELARK_PATH
// value (name=dir entries separated by colons), in that order; an earlier
// library shadows a later one of the same name.
func ParseLibs(flags []string, envPath string) ([]*Root, error) {
	var out []*Root
	seen := map[string]bool{}
	add := func(spec, from string) error {
		r, err := ParseLib(spec)
		if err != nil {
			return fmt.Errorf("%s: %v", from, err)
		}
		if !seen[r.Name] {
			seen[r.Name] = true
			out = append(out, r)
		}
		return nil
	}
	for _, f := range flags {
		if err := add(f, "--lib"); err != nil {
			return nil, err
		}
	}
	for _, e := range filepath.SplitList(envPath) {
		if e == "" {
			continue
		}
		if err := add(e, "WIRELARK_PATH"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// loc is one .star file: a root and a slash-separated path below it.
type loc struct {
	root *Root
	path string
	name string // how messages and backtraces name it
}

func (l loc) String() string { return l.name }

// displayName names a file below a root.
func displayName(r *Root, p string) string {
	if r.Name == "" {
		return filepath.Join(r.shown, filepath.FromSlash(p))
	}
	return "@" + r.Name + "/" + p
}

// loader loads modules for one run: each once, frozen, and never outside
// its root.
type loader struct {
	roots   map[string]*Root
	order   []*Root // for the search path in messages
	modules map[modKey]*module
	// exec runs a module's top level on a new thread whose loads resolve
	// from the module.
	exec func(l loc, src []byte) (starlark.StringDict, error)
}

// modKey identifies a file whatever name it was loaded by.
type modKey struct {
	root *Root
	path string
}

type module struct {
	globals starlark.StringDict
	err     error
	loading bool
}

func newLoader(libs []*Root, builtin *Root) *loader {
	ld := &loader{roots: map[string]*Root{}, modules: map[modKey]*module{}}
	for _, r := range append([]*Root{Stdlib}, libs...) {
		if ld.roots[r.Name] == nil {
			ld.roots[r.Name] = r
			ld.order = append(ld.order, r)
		}
	}
	if builtin != nil {
		ld.roots[BuiltinRoot] = builtin
		ld.order = append(ld.order, builtin)
	}
	return ld
}

// searchPath describes the roots, for messages.
func (ld *loader) searchPath() string {
	var parts []string
	for _, r := range ld.order {
		parts = append(parts, r.Describe())
	}
	return "search path: " + strings.Join(parts, ", ") + "; add libraries with WIRELARK_PATH=name=dir:... or --lib name=dir"
}

// LoadError is a load() that cannot be resolved.
type LoadError struct {
	Spec string
	Msg  string
}

func (e *LoadError) Error() string { return e.Msg }

// resolve finds what load(spec) from file from names.
func (ld *loader) resolve(from loc, spec string) (loc, error) {
	fail := func(format string, args ...any) (loc, error) {
		return loc{}, &LoadError{spec, fmt.Sprintf(format, args...)}
	}
	var root *Root
	var p string
	switch {
	case strings.HasPrefix(spec, "@"):
		name, rest, ok := strings.Cut(spec[1:], "/")
		if !ok || rest == "" {
			return fail("%q: want \"@NAME/path.star\"", spec)
		}
		root = ld.roots[name]
		if root == nil {
			return fail("%q: no library named @%s (%s)", spec, name, ld.searchPath())
		}
		p = rest
	case strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../"):
		root = from.root
		p = path.Join(path.Dir(from.path), spec)
	case strings.HasPrefix(spec, "/") || filepath.IsAbs(spec):
		return fail("%q: absolute paths are not allowed; load \"./x.star\" (relative to %s) or \"@NAME/x.star\" (%s)", spec, from.name, ld.searchPath())
	default:
		return fail("%q: a load names \"./x.star\" or \"../x.star\" (relative to the loading file) or \"@NAME/x.star\" (a library)", spec)
	}
	clean := path.Clean(p)
	if !fs.ValidPath(clean) || strings.Contains(p, `\`) {
		return fail("%q leaves its root, %s (%s)", spec, root.Describe(), ld.searchPath())
	}
	if !strings.HasSuffix(clean, ".star") {
		return fail("%q: only .star files can be loaded", spec)
	}
	return loc{root: root, path: clean, name: displayName(root, clean)}, nil
}

// load implements load(spec) from file from.
func (ld *loader) load(from loc, spec string) (starlark.StringDict, error) {
	to, err := ld.resolve(from, spec)
	if err != nil {
		return nil, err
	}
	key := modKey{to.root, to.path}
	if m := ld.modules[key]; m != nil {
		if m.loading {
			return nil, &LoadError{spec, fmt.Sprintf("%q: load cycle: %s is still being loaded", spec, to.name)}
		}
		return m.globals, m.err
	}
	m := &module{loading: true}
	ld.modules[key] = m
	defer func() { m.loading = false }()
	src, err := fs.ReadFile(to.root.FS, to.path)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			m.err = &LoadError{spec, fmt.Sprintf("%q: %s not found in %s (%s)", spec, to.path, to.root.Describe(), ld.searchPath())}
		case strings.Contains(err.Error(), "escapes"):
			// os.Root refuses a symbolic link leading outside the root.
			m.err = &LoadError{spec, fmt.Sprintf("%q leaves its root, %s, through a symbolic link", spec, to.root.Describe())}
		default:
			m.err = &LoadError{spec, fmt.Sprintf("%q: %v", spec, err)}
		}
		return nil, m.err
	}
	g, err := ld.exec(to, src)
	if err == nil {
		g.Freeze()
	}
	m.globals, m.err = g, err
	return g, err
}

// compile parses a file, rewrites field chains (rewrite.go) and resolves
// its names.
func compile(name string, src []byte, isPredeclared func(string) bool) (*syntax.File, *starlark.Program, error) {
	f, err := fileOptions.Parse(name, src, 0)
	if err != nil {
		return nil, nil, err
	}
	rewriteFile(f, tree().dualPairs)
	prog, err := starlark.FileProgram(f, isPredeclared)
	return f, prog, err
}
