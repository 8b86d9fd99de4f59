package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/peterh/liner"
	"go.starlark.net/starlark"

	"github.com/wirelark/wirelark/scripting"
)

// Config says how to run the REPL.
type Config struct {
	Capture  string            // capture to open and bind to cap; "" for none
	Libs     []*scripting.Root // library roots (scripting.ParseLibs)
	Builtin  *scripting.Root   // the shipped scripts
	Dir      *scripting.Root   // root of load("./x.star"); nil for none
	MaxSteps uint64            // step budget of one evaluation
	Version  string            // shown in the banner when not ""
	In       io.Reader         // commands, when not Interactive
	Out, Err io.Writer         // results, and errors
	// Interactive reads the terminal with line editing, prompts and
	// history (liner uses the process's standard input and output).
	Interactive bool
	// History is the history file; "" keeps no history.
	History string
}

// Exit statuses of Run.
const (
	ExitOK          = 0
	ExitError       = 1 // some input failed (when not interactive)
	ExitUsage       = 2 // the capture could not be opened
	ExitInterrupted = 130
)

// Run runs the loop until the end of input (Ctrl-D) and returns an exit
// status.
func Run(cfg Config) int {
	out := bufio.NewWriter(cfg.Out)
	defer out.Flush()
	sess := scripting.NewSession(scripting.SessionConfig{Libs: cfg.Libs, Builtin: cfg.Builtin, MaxSteps: cfg.MaxSteps, Out: out, Dir: cfg.Dir})
	defer sess.Close()
	g := sess.Globals()
	g["help"] = starlark.NewBuiltin("help", helpBuiltin)

	// Ctrl-C at the prompt is read by the line editor (the terminal is
	// in raw mode then); during an evaluation it is a signal, which
	// cancels the evaluation and leaves the REPL running.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	defer signal.Stop(sig)
	go func() {
		for range sig {
			sess.Interrupt()
		}
	}()

	if cfg.Version != "" {
		fmt.Fprintf(out, "wirelark %s\n", cfg.Version)
	}
	if cfg.Capture != "" {
		c, err := sess.Open(cfg.Capture)
		if err != nil {
			out.Flush()
			if errors.Is(err, scripting.ErrInterrupted) {
				fmt.Fprintln(cfg.Err, "wirelark repl: interrupted")
				return ExitInterrupted
			}
			fmt.Fprintf(cfg.Err, "wirelark repl: %v\n", err)
			return ExitUsage
		}
		g["cap"] = c
		fmt.Fprintf(out, "%s\ncap is the capture; help() shows what you can do, help(cap) what a capture offers; Ctrl-D exits.\n", c.Banner())
	} else {
		fmt.Fprintln(out, "No capture: cap = capture.open(\"file.pcap\") opens one; help() shows what you can do; Ctrl-D exits.")
	}
	out.Flush()

	var src lineSource
	if cfg.Interactive {
		t := newTerminal(sess, cfg.History, cfg.Err)
		defer t.close()
		src = t
	} else {
		in := cfg.In
		if in == nil {
			in = strings.NewReader("")
		}
		src = &pipe{r: bufio.NewReader(in)}
	}
	r := &reader{src: src, opts: sess.Options()}
	failed := false
	for {
		f, _, err := r.read()
		switch {
		case errors.Is(err, errEOF):
			if cfg.Interactive {
				fmt.Fprintln(out)
			}
			if failed && !cfg.Interactive {
				return ExitError
			}
			return ExitOK
		case errors.Is(err, errAborted):
			continue
		case err != nil:
			failed = true
			out.Flush()
			fmt.Fprintln(cfg.Err, scripting.Describe(err))
			continue
		}
		sess.Reset()
		v, err := sess.Eval(f)
		if err != nil {
			failed = true
			out.Flush()
			fmt.Fprintln(cfg.Err, scripting.Describe(err))
			continue
		}
		if v != starlark.None {
			fmt.Fprintln(out, format(v))
		}
		out.Flush()
	}
}

// pipe reads commands without prompts.
type pipe struct {
	r *bufio.Reader
}

// maxLine bounds one input line.
const maxLine = 1 << 20

func (p *pipe) next(string) (string, error) {
	var b strings.Builder
	for {
		chunk, err := p.r.ReadSlice('\n')
		b.Write(chunk)
		if b.Len() > maxLine {
			return "", fmt.Errorf("input line longer than %d bytes", maxLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && b.Len() == 0 {
			return "", err
		}
		return strings.TrimRight(b.String(), "\r\n"), nil
	}
}

// terminal reads commands with liner: line editing, completion, history.
type terminal struct {
	l       *liner.State
	history string
	errw    io.Writer
}

func newTerminal(sess *scripting.Session, history string, errw io.Writer) *terminal {
	l := liner.NewLiner()
	l.SetCtrlCAborts(true)
	l.SetTabCompletionStyle(liner.TabPrints)
	c := &completer{
		names: sess.Names,
		globals: func(name string) starlark.Value {
			if v, ok := sess.Globals()[name]; ok {
				return v
			}
			return starlark.Universe[name]
		},
	}
	l.SetWordCompleter(c.complete)
	t := &terminal{l: l, history: history, errw: errw}
	if history != "" {
		if err := loadHistory(l, history); err != nil {
			fmt.Fprintf(errw, "wirelark repl: history: %v\n", err)
		}
	}
	return t
}

func (t *terminal) next(prompt string) (string, error) {
	s, err := t.l.Prompt(prompt)
	switch {
	case errors.Is(err, liner.ErrPromptAborted):
		return "", errAborted
	case err != nil:
		return "", err
	}
	if strings.TrimSpace(s) != "" {
		t.l.AppendHistory(s)
		if t.history != "" {
			// Saved at once, so that a REPL killed keeps what was typed.
			if err := saveHistory(t.l, t.history); err != nil {
				fmt.Fprintf(t.errw, "wirelark repl: history: %v\n", err)
				t.history = ""
			}
		}
	}
	return s, nil
}

func (t *terminal) close() { t.l.Close() }
