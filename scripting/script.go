package scripting

import (
	"bufio"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"go.starlark.net/starlark"
	"go.starlark.net/syntax"

	"github.com/wirelark/wirelark/filter"
	"github.com/wirelark/wirelark/scripting/output"
	"github.com/wirelark/wirelark/stdlib"
)

// DefaultMaxSteps is the command line's step budget for one handler
// call. Ten million steps is a few seconds of Starlark at most: far more
// than any per-packet handler needs, enough for on_end to sort and print
// large tables, and a quick stop for a loop that never ends.
const DefaultMaxSteps = 10_000_000

// Config says how to run a script.
type Config struct {
	Args    map[string]string // ARGS, from --arg k=v
	Libs    []*Root           // library roots, earlier ones first (ParseLibs)
	Builtin *Root             // the shipped scripts (loadable as @scripts/...), or nil
	Sink    *output.Sink      // where emit() writes
	Stdout  *bufio.Writer     // where print() writes; with a stream sink, the same writer
	// MaxSteps is the step budget of each handler call and of each
	// module's top level; exceeding it is an error like any other.
	// Unlimited is 0 here; the command line's default is
	// DefaultMaxSteps.
	MaxSteps uint64
	// KeepGoing counts handler errors and goes on instead of stopping at
	// the first.
	KeepGoing bool
	// Filter is the command line's -Y filter, applied with the script's
	// FILTER (both must match).
	Filter *filter.Filter
	// Timing measures the time spent in handlers (for --stats). It is on
	// anyway when on_end takes the stats argument; otherwise the clock is
	// not read around every call.
	Timing bool
	// Limits bound the connections and streams a run keeps (limits.go).
	Limits Limits
	// Pipeline reads and decodes packets on a goroutine of their own while
	// on_packet runs, in batches. Use it for files: a packet from a slow
	// source (a pipe, a live interface) would wait for its batch to fill.
	Pipeline bool
}

// Handler indexes of the handlers this release calls.
const (
	hStart = iota
	hPacket
	hEnd
	// Protocol message handlers (msgdispatch.go).
	hARP
	hICMP
	hIGMP
	hDNS
	hDHCP
	hKerberos
	hSMB
	// Connection handlers (conntrack.go).
	hConnStart
	hHandshake
	hConnEnd
	hStreamData
	numHandlers
)

var handlerIndex = map[string]int{"on_start": hStart, "on_packet": hPacket, "on_end": hEnd,
	"on_arp": hARP, "on_icmp": hICMP, "on_igmp": hIGMP, "on_dns": hDNS, "on_dhcp": hDHCP, "on_kerberos": hKerberos, "on_smb": hSMB,
	"on_conn_start": hConnStart, "on_handshake": hHandshake, "on_conn_end": hConnEnd, "on_stream_data": hStreamData}

// bound is a handler the script defines.
type bound struct {
	name  string
	fn    *starlark.Function
	nargs int
	args  starlark.Tuple // reused argument tuple
	calls int64
	errs  int64
	first *HandlerError
}

// Script is a loaded script, ready to run once over a capture.
type Script struct {
	cfg      Config
	name     string
	globals  starlark.StringDict
	thread   *starlark.Thread
	handlers [numHandlers]*bound
	filter   *filter.Filter // the script's FILTER, nil if none
	stats    *stdlib.Stats
	em       *emitter
	ld       *loader
	sc       scratch
	// usesConn is set when the script or a module it loads reads a .conn
	// attribute: packets and messages then need the connection table.
	usesConn bool
	run      RunStats
	conns    *connTracker // nil without connection handlers
	smb      *smbTracker  // nil without on_smb
	timed    bool         // measure handler time

	mu          sync.Mutex
	threads     []*starlark.Thread // every thread, for Interrupt
	interrupted atomic.Bool
}

// Name is how messages name the script.
func (s *Script) Name() string { return s.name }

// Has reports whether the script defines a handler.
func (s *Script) Has(handler string) bool {
	i, ok := handlerIndex[handler]
	return ok && s.handlers[i] != nil
}

// Load compiles a script and runs its top level: loads, constants,
// FILTER. It checks every on_* function against the known handlers.
func Load(ref Ref, cfg Config) (*Script, error) {
	s := &Script{cfg: cfg, name: ref.name, stats: stdlib.NewStats()}
	s.em = &emitter{sink: cfg.Sink, stats: s.stats, tables: map[string]*table{}}
	s.ld = newLoader(cfg.Libs, cfg.Builtin)
	pre := s.predeclared()
	s.ld.exec = func(l loc, src []byte) (starlark.StringDict, error) {
		lf, prog, err := compile(l.name, src, pre.Has)
		if err != nil {
			return nil, fmt.Errorf("%s", describe(err))
		}
		s.usesConn = s.usesConn || readsAttr(lf, "conn")
		th := s.newThread(l)
		s.budget(th)
		g, err := prog.Init(th, pre)
		if err != nil {
			return nil, fmt.Errorf("%s", describe(err))
		}
		return g, nil
	}

	src, err := fs.ReadFile(ref.root.FS, ref.path)
	if err != nil {
		return nil, err
	}
	f, prog, err := compile(ref.name, src, pre.Has)
	if err != nil {
		return nil, &ScriptError{describe(err)}
	}
	if err := loadedHandlers(f); err != nil {
		return nil, err
	}
	s.usesConn = s.usesConn || readsAttr(f, "conn")
	s.ld.modules[modKey{ref.root, ref.path}] = &module{loading: true} // a module loading the script is a cycle
	s.thread = s.newThread(loc(ref))
	s.budget(s.thread)
	// The main module's globals are not frozen: its top-level dicts and
	// lists are where handlers keep state between calls. Loaded modules
	// are frozen.
	s.globals, err = prog.Init(s.thread, pre)
	if err != nil {
		if s.interrupted.Load() {
			return nil, ErrInterrupted
		}
		return nil, &ScriptError{describe(err)}
	}
	if err := s.bindHandlers(); err != nil {
		return nil, err
	}
	s.timed = cfg.Timing || s.handlers[hEnd] != nil && s.handlers[hEnd].nargs == 1
	if err := s.compileFilter(f); err != nil {
		return nil, err
	}
	return s, nil
}

// predeclared are the names every module of the run sees besides
// Starlark's universe.
func (s *Script) predeclared() starlark.StringDict {
	args := starlark.NewDict(len(s.cfg.Args))
	keys := make([]string, 0, len(s.cfg.Args))
	for k := range s.cfg.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		args.SetKey(starlark.String(k), starlark.String(s.cfg.Args[k]))
	}
	args.Freeze()
	pre := starlark.StringDict{
		"emit":  s.em.builtin(),
		"ARGS":  args,
		"stats": s.stats.Module(),
		"hex":   stdlib.Hex,
	}
	for k, v := range modules {
		pre[k] = v
	}
	return pre
}

// newThread makes the thread of one module; its loads resolve from l.
func (s *Script) newThread(l loc) *starlark.Thread {
	th := &starlark.Thread{Name: l.name}
	th.Print = s.print
	th.Load = func(_ *starlark.Thread, spec string) (starlark.StringDict, error) {
		return s.ld.load(l, spec)
	}
	th.OnMaxSteps = func(t *starlark.Thread) {
		t.Cancel(fmt.Sprintf("step budget exceeded: more than %d steps in one call (raise it with --max-steps)", s.cfg.MaxSteps))
	}
	s.mu.Lock()
	s.threads = append(s.threads, th)
	if s.interrupted.Load() {
		th.Cancel("interrupted")
	}
	s.mu.Unlock()
	return th
}

// budget gives th a fresh step budget for one call.
func (s *Script) budget(th *starlark.Thread) {
	if s.cfg.MaxSteps > 0 {
		th.SetMaxExecutionSteps(th.ExecutionSteps() + s.cfg.MaxSteps)
	}
}

// print writes a line to standard output, after the rows emitted before
// it.
func (s *Script) print(_ *starlark.Thread, msg string) {
	s.cfg.Sink.Drain()
	s.cfg.Stdout.WriteString(msg)
	s.cfg.Stdout.WriteByte('\n')
}

// Interrupt stops the run: the running handler is cancelled, no other
// runs, and Run returns ErrInterrupted. It may be called from any
// goroutine.
func (s *Script) Interrupt() {
	s.interrupted.Store(true)
	s.mu.Lock()
	for _, th := range s.threads {
		th.Cancel("interrupted")
	}
	s.mu.Unlock()
}

// Interrupted reports whether Interrupt was called.
func (s *Script) Interrupted() bool { return s.interrupted.Load() }

// loadedHandlers refuses handlers bound by load(): load binds names to
// the loading file only, where the engine cannot see them.
func loadedHandlers(f *syntax.File) error {
	var problems []string
	for _, st := range f.Stmts {
		ls, ok := st.(*syntax.LoadStmt)
		if !ok {
			continue
		}
		// To holds the names bound in this file, From those of the module.
		for i, id := range ls.To {
			if isHandlerName(id.Name) {
				problems = append(problems, fmt.Sprintf("%s: load(..., %s) binds %s to this file only, where the engine does not see handlers; load it under another name and assign it: load(%s, _h = %q) then %s = _h",
					id.NamePos, id.Name, id.Name, ls.Module.Raw, ls.From[i].Name, id.Name))
			}
		}
	}
	if problems != nil {
		return &ScriptError{strings.Join(problems, "\n")}
	}
	return nil
}

// bindHandlers finds the handlers among the globals.
func (s *Script) bindHandlers() error {
	var problems []string
	names := sortedKeys(s.globals)
	// Report in source order: functions by position, then other values.
	sort.SliceStable(names, func(i, j int) bool {
		fi, iok := s.globals[names[i]].(*starlark.Function)
		fj, jok := s.globals[names[j]].(*starlark.Function)
		if !iok || !jok {
			return iok && !jok
		}
		pi, pj := fi.Position(), fj.Position()
		return pi.Line < pj.Line || pi.Line == pj.Line && pi.Col < pj.Col
	})
	for _, name := range names {
		if !isHandlerName(name) {
			continue
		}
		fn, isFn := s.globals[name].(*starlark.Function)
		h := handlerByName(name)
		if !isFn {
			if h != nil {
				problems = append(problems, fmt.Sprintf("%s: handler %s must be a function defined with def, not %s", s.name, name, s.globals[name].Type()))
			}
			continue
		}
		pos := fn.Position()
		if err := checkHandlerName(name); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", pos, err))
			continue
		}
		a, err := functionArity(fn)
		if err == nil {
			var n int
			if n, err = checkSignature(h, a); err == nil {
				s.handlers[handlerIndex[name]] = &bound{name: name, fn: fn, nargs: n, args: make(starlark.Tuple, n)}
				continue
			}
		}
		problems = append(problems, fmt.Sprintf("%s: %s: %v", pos, name, err))
	}
	if problems != nil {
		return &ScriptError{strings.Join(problems, "\n")}
	}
	return nil
}

// compileFilter compiles a top-level FILTER string.
func (s *Script) compileFilter(f *syntax.File) error {
	v, ok := s.globals["FILTER"]
	if !ok {
		return nil
	}
	pos := filterPos(f)
	str, ok := v.(starlark.String)
	if !ok {
		return &ScriptError{fmt.Sprintf("%s: FILTER must be a string (a display filter), not %s", pos, v.Type())}
	}
	flt, err := filter.Compile(string(str))
	if err != nil {
		msg := fmt.Sprintf("%s: FILTER: %v", pos, err)
		if c := filter.Caret(err); c != "" {
			msg += "\n    " + strings.ReplaceAll(c, "\n", "\n    ")
		}
		return &ScriptError{msg}
	}
	s.filter = flt
	return nil
}

// filterPos finds where FILTER is assigned, for messages.
func filterPos(f *syntax.File) string {
	for _, st := range f.Stmts {
		if as, ok := st.(*syntax.AssignStmt); ok {
			if id, ok := as.LHS.(*syntax.Ident); ok && id.Name == "FILTER" {
				return syntax.Start(as.RHS).String()
			}
		}
	}
	return f.Path
}
