package scripting

import (
	"bufio"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"testing/fstest"

	"go.starlark.net/starlark"
	"go.starlark.net/starlarkstruct"
	"go.starlark.net/syntax"

	"github.com/wirelark/wirelark/engine/live"
	"github.com/wirelark/wirelark/scripting/output"
	"github.com/wirelark/wirelark/stdlib"
)

// Session is the Starlark environment of the REPL: the names a script of
// `wirelark run` sees (emit, print, ARGS, stats, hex, json, math, time,
// load() on the same library path, the same step budget per evaluation)
// plus capture, whose open() reads a capture file the user names. Unlike
// a script's, the session's globals live across inputs and may be
// assigned again, and if and for may be used at the top level, as in
// Python's REPL; while loops and recursion stay out, as in scripts.
type Session struct {
	cfg     SessionConfig
	s       *Script // the predeclared names, the loader, print and emit
	sink    *output.Sink
	globals starlark.StringDict
	thread  *starlark.Thread
	opts    *syntax.FileOptions

	interrupted atomic.Bool
	mu          sync.Mutex
	running     *Script // a cap.run in progress
	captures    []*Capture
	liveSrc     *live.Source // a capture.live in progress
	liveSeen    atomic.Int64 // packets it has seen
}

// SessionConfig says how to set a session up.
type SessionConfig struct {
	Libs     []*Root // library roots (ParseLibs), for load() and cap.run
	Builtin  *Root   // the shipped scripts, @scripts/...
	MaxSteps uint64  // step budget of one evaluation; 0 for none
	Out      *bufio.Writer
	// Dir is the root of load("./x.star") from the REPL: the current
	// directory. Nil allows no relative loads.
	Dir *Root
}

// sessionKey is the thread-local under which a session's threads find
// it (long reads poll its interrupt).
const sessionKey = "wirelark.session"

// replOptions is the dialect of REPL input: the scripts' dialect, with
// top-level statements and reassigned globals, which interactive use
// needs; load binds globally, as in Python's REPL.
var replOptions = &syntax.FileOptions{Set: true, TopLevelControl: true, GlobalReassign: true, LoadBindsGlobally: true}

// NewSession sets a session up.
func NewSession(cfg SessionConfig) *Session {
	sess := &Session{cfg: cfg, opts: replOptions}
	sess.sink = output.NewStream(cfg.Out, output.Text)
	s := &Script{cfg: Config{Libs: cfg.Libs, Builtin: cfg.Builtin, Sink: sess.sink, Stdout: cfg.Out, MaxSteps: cfg.MaxSteps},
		name: "<stdin>", stats: stdlib.NewStats()}
	s.em = &emitter{sink: sess.sink, stats: s.stats, tables: map[string]*table{}}
	s.ld = newLoader(cfg.Libs, cfg.Builtin)
	pre := s.predeclared()
	// Modules load as in Load: compiled with the scripts' dialect, run
	// under the step budget, frozen.
	s.ld.exec = func(l loc, src []byte) (starlark.StringDict, error) {
		_, prog, err := compile(l.name, src, pre.Has)
		if err != nil {
			return nil, fmt.Errorf("%s", describe(err))
		}
		th := s.newThread(l)
		th.SetLocal(sessionKey, sess)
		s.budget(th)
		g, err := prog.Init(th, pre)
		if err != nil {
			return nil, fmt.Errorf("%s", describe(err))
		}
		return g, nil
	}
	sess.s = s
	dir := cfg.Dir
	if dir == nil {
		dir = &Root{FS: fstest.MapFS{}}
	}
	sess.thread = s.newThread(loc{root: dir, path: "<stdin>", name: "<stdin>"})
	sess.thread.SetLocal(sessionKey, sess)
	// Printed lines show at once, as a loop runs.
	sess.thread.Print = func(th *starlark.Thread, msg string) {
		s.print(th, msg)
		cfg.Out.Flush()
	}
	sess.globals = starlark.StringDict{}
	for k, v := range pre {
		sess.globals[k] = v
	}
	sess.globals["capture"] = &starlarkstruct.Module{Name: "capture", Members: starlark.StringDict{
		"open": starlark.NewBuiltin("capture.open", sess.open),
		"live": starlark.NewBuiltin("capture.live", sess.live),
	}}
	return sess
}

// Globals are the session's global names; the REPL adds its own (cap,
// help) and reads them for completion.
func (sess *Session) Globals() starlark.StringDict { return sess.globals }

// Options is the dialect REPL input is parsed with.
func (sess *Session) Options() *syntax.FileOptions { return sess.opts }

// Open opens a capture as capture.open does.
func (sess *Session) Open(path string) (*Capture, error) {
	c, err := OpenCapture(path, sess.interrupted.Load)
	if err != nil {
		return nil, err
	}
	c.env = sess
	sess.captures = append(sess.captures, c)
	return c, nil
}

// Close releases the captures the session opened.
func (sess *Session) Close() {
	for _, c := range sess.captures {
		c.Close()
	}
	sess.captures = nil
}

// capture.open(path): an open, indexed capture.
func (sess *Session) open(_ *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	var path string
	if err := starlark.UnpackPositionalArgs(b.Name(), args, kwargs, 1, &path); err != nil {
		return nil, err
	}
	c, err := sess.Open(path)
	if err != nil {
		return nil, fmt.Errorf("capture.open: %v", err)
	}
	return c, nil
}

// Eval runs one parsed input of the REPL (a compound statement from
// Options().ParseCompoundStmt). An input that is a single expression
// gives its value (and sets _ to it, unless None); other inputs give
// None. Each evaluation has the step budget; output is flushed after it.
func (sess *Session) Eval(f *syntax.File) (starlark.Value, error) {
	defer sess.Flush()
	sess.s.budget(sess.thread)
	rewriteFile(f, tree().dualPairs)
	if len(f.Stmts) == 1 {
		if es, ok := f.Stmts[0].(*syntax.ExprStmt); ok {
			v, err := starlark.EvalExprOptions(f.Options, sess.thread, es.X, sess.globals)
			if err != nil {
				return nil, sess.fail(err)
			}
			if v != starlark.None {
				sess.globals["_"] = v
			}
			return v, nil
		}
	}
	if err := starlark.ExecREPLChunk(f, sess.thread, sess.globals); err != nil {
		return nil, sess.fail(err)
	}
	return starlark.None, nil
}

func (sess *Session) fail(err error) error {
	if sess.interrupted.Load() {
		return ErrInterrupted
	}
	return err
}

// Describe formats an error of Eval: a Starlark backtrace (file:line:col
// per frame) for an evaluation error, positions for syntax errors.
func Describe(err error) string {
	if errors.Is(err, ErrInterrupted) {
		return "interrupted"
	}
	return describe(err)
}

// Flush writes what print and emit produced.
func (sess *Session) Flush() {
	sess.sink.Drain()
	sess.cfg.Out.Flush()
}

// Interrupt cancels the running evaluation (and a cap.run in progress)
// from any goroutine; Reset makes the session usable again. During
// capture.live it only ends the capture, which then returns what it saw.
func (sess *Session) Interrupt() {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	if sess.liveSrc != nil {
		sess.liveSrc.Stop()
		return
	}
	sess.interrupted.Store(true)
	sess.s.mu.Lock()
	for _, th := range sess.s.threads {
		th.Cancel("interrupted")
	}
	sess.s.mu.Unlock()
	if sess.running != nil {
		sess.running.Interrupt()
	}
}

// Interrupted reports whether Interrupt was called since the last Reset.
func (sess *Session) Interrupted() bool { return sess.interrupted.Load() }

// Reset clears an interrupt, before the next evaluation.
func (sess *Session) Reset() {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	sess.interrupted.Store(false)
	sess.s.mu.Lock()
	for _, th := range sess.s.threads {
		th.Uncancel()
	}
	sess.s.mu.Unlock()
}

// setRunning records the script a cap.run is running, for Interrupt.
func (sess *Session) setRunning(s *Script) {
	sess.mu.Lock()
	sess.running = s
	interrupted := sess.interrupted.Load()
	sess.mu.Unlock()
	if s != nil && interrupted {
		s.Interrupt()
	}
}

// cap.run(script, args={}): runs a script's handlers over the capture;
// its tables print as text.
func capRun(th *starlark.Thread, b *starlark.Builtin, args starlark.Tuple, kwargs []starlark.Tuple) (starlark.Value, error) {
	c := b.Receiver().(*Capture)
	var name string
	var argd *starlark.Dict
	if err := starlark.UnpackArgs(b.Name(), args, kwargs, "script", &name, "args?", &argd); err != nil {
		return nil, err
	}
	sess, _ := th.Local(sessionKey).(*Session)
	if sess == nil {
		sess = c.env
	}
	if sess == nil {
		return nil, fmt.Errorf("run: only an interactive session can run scripts")
	}
	scriptArgs := map[string]string{}
	if argd != nil {
		for _, kv := range argd.Items() {
			k, ok := starlark.AsString(kv[0])
			if !ok {
				return nil, fmt.Errorf("run: args: keys must be strings, not %s", kv[0].Type())
			}
			v, ok := starlark.AsString(kv[1])
			if !ok {
				v = kv[1].String()
			}
			scriptArgs[k] = v
		}
	}
	ref, err := Find(name, sess.cfg.Libs, sess.cfg.Builtin)
	if err != nil {
		return nil, fmt.Errorf("run: %v", err)
	}
	sess.Flush()
	sink := output.NewStream(sess.cfg.Out, output.Text)
	defer sink.Close()
	s, err := Load(ref, Config{Args: scriptArgs, Libs: sess.cfg.Libs, Builtin: sess.cfg.Builtin,
		Sink: sink, Stdout: sess.cfg.Out, MaxSteps: sess.cfg.MaxSteps})
	if err != nil {
		return nil, fmt.Errorf("run: %v", err)
	}
	sess.setRunning(s)
	defer sess.setRunning(nil)
	r, err := c.ix.reopen()
	if err != nil {
		return nil, fmt.Errorf("run: %v", err)
	}
	defer r.Close()
	err = s.Run(&frames{r: r, ix: c.ix})
	var he *HandlerError
	switch {
	case err == nil:
		return starlark.None, nil
	case errors.Is(err, ErrInterrupted):
		return nil, ErrInterrupted
	case errors.As(err, &he):
		return nil, fmt.Errorf("run: %s: error in %s:\n%s", ref.Name(), he.Where(), he.Backtrace())
	}
	return nil, fmt.Errorf("run: %v", err)
}

// Names lists the session's global names and Starlark's built-ins,
// sorted, for completion.
func (sess *Session) Names() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range []starlark.StringDict{sess.globals, starlark.Universe} {
		for k := range d {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
