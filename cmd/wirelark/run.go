package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/wirelark/wirelark/engine/source"
	"github.com/wirelark/wirelark/filter"
	"github.com/wirelark/wirelark/scripting"
	"github.com/wirelark/wirelark/scripting/output"
	"github.com/wirelark/wirelark/scripts"
)

// exitInterrupted is the status after Ctrl-C, as shells report SIGINT.
const exitInterrupted = 130

// builtinScripts is the root of the shipped scripts.
var builtinScripts = scripting.EmbeddedRoot(scripting.BuiltinRoot, scripts.Files)

// libraries reads --lib flags and WIRELARK_PATH.
func libraries(flags []string) ([]*scripting.Root, error) {
	return scripting.ParseLibs(flags, os.Getenv("WIRELARK_PATH"))
}

func cmdRun(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	var argFlags, libFlags, limitFlags multi
	fs.Var(&argFlags, "arg", "script parameter k=v, read as ARGS[\"k\"] (repeatable)")
	fs.Var(&libFlags, "lib", "library root name=dir, loaded as @name/... (repeatable; before WIRELARK_PATH)")
	yfilter := fs.String("Y", "", "display filter: only packets it matches reach on_packet (with the script's FILTER)")
	format := fs.String("format", "text", "output format: text, json, csv or tsv")
	outDir := fs.String("o", "", "write each table to DIR/NAME.txt|jsonl|csv|tsv instead of standard output")
	maxSteps := fs.Uint64("max-steps", scripting.DefaultMaxSteps, "step budget of each handler call (0: none)")
	showStats := fs.Bool("stats", false, "print packet and handler counters on standard error at the end")
	keepGoing := fs.Bool("keep-going", false, "count handler errors and go on; report them at the end")
	fs.Var(&limitFlags, "limit", "bound on tracked connections and streams, name=value (repeatable; "+scripting.LimitNames+")")
	var cf captureFlags
	cf.register(fs)
	count := fs.Int64("c", 0, "with -i: stop after this many packets captured (0: no limit)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark run: %v\n", err)
		return exitUsage
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "wirelark run: no script given (a path, or a name from `wirelark scripts`)")
		return exitUsage
	}
	var limits scripting.Limits
	for _, l := range limitFlags {
		if err := limits.ParseLimit(l); err != nil {
			fmt.Fprintf(stderr, "wirelark run: --limit: %v\n", err)
			return exitUsage
		}
	}
	if len(pos) == 1 && !cf.live() {
		fmt.Fprintln(stderr, "wirelark run: no capture file given (use - for standard input, or -i IFACE to capture)")
		return exitUsage
	}
	if err := cf.check(); err != nil || cf.live() && len(pos) > 1 || !cf.live() && *count != 0 {
		if err == nil {
			err = errors.New("give capture files or -i, not both; -c needs -i")
		}
		fmt.Fprintf(stderr, "wirelark run: %v\n", err)
		return exitUsage
	}
	scriptArgs := map[string]string{}
	for _, a := range argFlags {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			fmt.Fprintf(stderr, "wirelark run: --arg %q: want key=value\n", a)
			return exitUsage
		}
		scriptArgs[k] = v
	}
	f, err := output.ParseFormat(*format)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark run: --format: %v\n", err)
		return exitUsage
	}
	libs, err := libraries(libFlags)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark run: %v\n", err)
		return exitUsage
	}
	var flt *filter.Filter
	if *yfilter != "" {
		if flt, err = filter.Compile(*yfilter); err != nil {
			fmt.Fprintf(stderr, "wirelark run: -Y: %v\n", err)
			if c := filter.Caret(err); c != "" {
				fmt.Fprintln(stderr, c)
			}
			return exitUsage
		}
	}
	ref, err := scripting.Find(pos[0], libs, builtinScripts)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark run: %v\n", err)
		return exitUsage
	}

	bw := bufio.NewWriterSize(stdout, 1<<16)
	defer bw.Flush()
	var sink *output.Sink
	if *outDir != "" {
		if sink, err = output.NewDir(*outDir, f); err != nil {
			fmt.Fprintf(stderr, "wirelark run: -o: %v\n", err)
			return exitUsage
		}
	} else {
		sink = output.NewStream(bw, f)
	}
	finish := func() {
		if err := sink.Close(); err != nil {
			fmt.Fprintf(stderr, "wirelark run: writing output: %v\n", err)
		}
		bw.Flush()
	}

	// Ctrl-C: cancel the running handler, run nothing else, flush, 130.
	// Reading standard input goes through a reader that a signal can cut
	// short, as a pipe may block for ever.
	intr := newInterrupter(cf.live())
	defer intr.stop()
	source.Stdin = intr.reader(stdin, func() { sink.Flush(); bw.Flush() })

	cfg := scripting.Config{
		Args: scriptArgs, Libs: libs, Builtin: builtinScripts,
		Sink: sink, Stdout: bw, MaxSteps: *maxSteps, KeepGoing: *keepGoing, Filter: flt, Timing: *showStats, Limits: limits,
		// Decoding on a second core pays off for files; packets from a
		// pipe are handed over one by one as they come.
		Pipeline: !slices.Contains(pos[1:], "-") && !cf.live(),
	}
	script, err := scripting.Load(ref, cfg)
	if err == nil {
		intr.attach(script)
	}
	if err != nil || intr.fired() {
		finish()
		var se *scripting.ScriptError
		switch {
		case intr.fired() || errors.Is(err, scripting.ErrInterrupted):
			fmt.Fprintln(stderr, "wirelark run: interrupted")
			return exitInterrupted
		case errors.As(err, &se):
			fmt.Fprintf(stderr, "wirelark run: %s\n", se.Msg)
			return exitScript
		}
		fmt.Fprintf(stderr, "wirelark run: %v\n", err)
		return exitUsage
	}

	if cf.live() {
		cp, code := openCapture("run", &cf, *count, flt, stderr)
		if cp == nil {
			finish()
			return code
		}
		intr.capture(cp.Stop)
		err = script.RunLive(cp, scripting.Live{})
		finish()
		if cerr := cp.close("run", stderr); err == nil {
			err = cerr
		}
	} else {
		src, oerr := source.OpenAll(pos[1:])
		if oerr != nil {
			finish()
			fmt.Fprintf(stderr, "wirelark run: %v\n", oerr)
			return exitUsage
		}
		defer src.Close()
		err = script.Run(src)
		finish()
	}

	code := exitOK
	var he *scripting.HandlerError
	var fe *source.FormatError
	switch {
	case err == nil:
	case errors.Is(err, scripting.ErrInterrupted):
		fmt.Fprintln(stderr, "wirelark run: interrupted")
		code = exitInterrupted
	case errors.As(err, &he):
		fmt.Fprintf(stderr, "wirelark run: error in %s:\n%s\n", he.Where(), he.Backtrace())
		code = exitScript
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "wirelark run: %v (%d packets analysed before the damage)\n", err, script.Stats().Packets)
		code = exitUsage
	default:
		fmt.Fprintf(stderr, "wirelark run: %v\n", err)
		code = exitUsage
	}
	if *keepGoing {
		for _, e := range script.Errors() {
			fmt.Fprintf(stderr, "wirelark run: %d error(s) in %s; the first, in %s:\n%s\n", e.Count, e.Handler, e.First.Where(), e.First.Backtrace())
			code = max(code, exitScript)
		}
	}
	if *showStats {
		script.Stats().Print(stderr, "wirelark run: ")
	}
	return code
}

func cmdCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	var libFlags multi
	fs.Var(&libFlags, "lib", "library root name=dir (repeatable)")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark check: %v\n", err)
		return exitUsage
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "wirelark check: no script given")
		return exitUsage
	}
	libs, err := libraries(libFlags)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark check: %v\n", err)
		return exitUsage
	}
	code := exitOK
	for _, name := range pos {
		ref, err := scripting.Find(name, libs, builtinScripts)
		if err != nil {
			fmt.Fprintf(stderr, "wirelark check: %v\n", err)
			code = max(code, exitUsage)
			continue
		}
		res := scripting.Check(ref, libs, builtinScripts)
		if len(res.Problems) > 0 {
			for _, p := range res.Problems {
				fmt.Fprintln(stderr, p)
			}
			code = max(code, exitScript)
			continue
		}
		msg := ref.Name() + ": ok"
		if len(res.Handlers) > 0 {
			msg += ", handlers " + strings.Join(res.Handlers, ", ")
		} else {
			msg += ", no handlers"
		}
		if res.Filter != "" {
			msg += fmt.Sprintf(", FILTER %q", res.Filter)
		}
		fmt.Fprintln(stdout, msg)
	}
	return code
}

func cmdScripts(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scripts", flag.ContinueOnError)
	var libFlags multi
	fs.Var(&libFlags, "lib", "library root name=dir (repeatable)")
	pos, err := parseInterspersed(fs, args)
	if err == nil && len(pos) > 0 {
		err = fmt.Errorf("unexpected argument %q", pos[0])
	}
	if err != nil {
		fmt.Fprintf(stderr, "wirelark scripts: %v\n", err)
		return exitUsage
	}
	libs, err := libraries(libFlags)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark scripts: %v\n", err)
		return exitUsage
	}
	entries, err := scripting.List(libs, builtinScripts)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark scripts: %v\n", err)
		return exitUsage
	}
	out := bufio.NewWriter(stdout)
	defer out.Flush()
	nameW, rootW := len("NAME"), len("FROM")
	for _, e := range entries {
		nameW = max(nameW, len(e.Name))
		rootW = max(rootW, len(e.Root.Describe()))
	}
	fmt.Fprintf(out, "%-*s  %-*s  %s\n", nameW, "NAME", rootW, "FROM", "DESCRIPTION")
	for _, e := range entries {
		doc := e.Doc
		if e.Shadowed {
			doc = "(shadowed by an earlier library) " + doc
		}
		fmt.Fprintf(out, "%-*s  %-*s  %s\n", nameW, e.Name, rootW, e.Root.Describe(), doc)
	}
	return exitOK
}

// interrupter turns SIGINT into Script.Interrupt. A second SIGINT while
// the first is being handled exits at once. During a live capture the
// first SIGINT or SIGTERM stops the capture instead, so that the run ends
// as at the end of a file; the second cancels the running handler.
type interrupter struct {
	ch      chan os.Signal
	done    chan struct{} // closed on the first signal
	once    sync.Once
	mu      sync.Mutex
	script  *scripting.Script
	stopCap func() // stops the live capture
	hit     atomic.Bool
	hits    int // signals received, under mu
}

func newInterrupter(live bool) *interrupter {
	in := &interrupter{ch: make(chan os.Signal, 2), done: make(chan struct{})}
	if live {
		signal.Notify(in.ch, os.Interrupt, syscall.SIGTERM)
	} else {
		signal.Notify(in.ch, os.Interrupt)
	}
	go in.loop()
	return in
}

func (in *interrupter) loop() {
	for range in.ch {
		in.mu.Lock()
		in.hits++
		hits, stopCap := in.hits, in.stopCap
		in.mu.Unlock()
		if stopCap != nil && hits == 1 {
			stopCap()
			continue
		}
		if in.hit.Swap(true) {
			os.Exit(exitInterrupted)
		}
		in.once.Do(func() { close(in.done) })
		in.mu.Lock()
		if in.script != nil {
			in.script.Interrupt()
		}
		in.mu.Unlock()
	}
}

// capture directs the first signal to stop, which ends a live capture.
func (in *interrupter) capture(stop func()) {
	in.mu.Lock()
	in.stopCap = stop
	in.mu.Unlock()
}

// attach directs later signals (and one already received) to s.
func (in *interrupter) attach(s *scripting.Script) {
	in.mu.Lock()
	in.script = s
	in.mu.Unlock()
	if in.hit.Load() {
		s.Interrupt()
	}
}

func (in *interrupter) fired() bool { return in.hit.Load() }

func (in *interrupter) stop() {
	signal.Stop(in.ch)
	close(in.ch)
}

// reader wraps standard input so that an interrupt ends a read that
// would otherwise wait for ever on a pipe or terminal. Reads happen in a
// goroutine; when no data is ready, idle runs first (it flushes the
// output, so rows appear while the input is quiet), then the read waits
// for data or the interrupt.
func (in *interrupter) reader(r io.Reader, idle func()) io.Reader {
	return &stallReader{r: r, idle: idle, done: in.done}
}

type chunk struct {
	b   []byte
	err error
}

type stallReader struct {
	r       io.Reader
	idle    func()
	done    <-chan struct{}
	started bool
	data    chan chunk
	ack     chan struct{}
	left    []byte // unread part of the current chunk
	err     error
}

var errInterruptedRead = errors.New("interrupted")

func (s *stallReader) Read(p []byte) (int, error) {
	if len(s.left) == 0 && s.err == nil {
		if !s.started {
			s.started = true
			s.data, s.ack = make(chan chunk), make(chan struct{})
			go s.pump()
		} else {
			s.ack <- struct{}{} // the previous chunk is consumed
		}
		var c chunk
		select {
		case c = <-s.data:
		default:
			s.idle()
			select {
			case c = <-s.data:
			case <-s.done:
				return 0, errInterruptedRead
			}
		}
		s.left, s.err = c.b, c.err
	}
	n := copy(p, s.left)
	s.left = s.left[n:]
	if len(s.left) == 0 && s.err != nil {
		return n, s.err
	}
	return n, nil
}

// pump reads chunks into one buffer, handing each over and waiting until
// it is consumed before reusing the buffer.
func (s *stallReader) pump() {
	buf := make([]byte, 1<<16)
	for {
		n, err := s.r.Read(buf)
		if n == 0 && err == nil {
			continue
		}
		select {
		case s.data <- chunk{buf[:n], err}:
		case <-s.done:
			return
		}
		if err != nil {
			return
		}
		select {
		case <-s.ack:
		case <-s.done:
			return
		}
	}
}
