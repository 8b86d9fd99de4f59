package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"golang.org/x/sys/unix"

	"github.com/wirelark/wirelark/scripting"
	"github.com/wirelark/wirelark/scripting/repl"
)

// cmdRepl runs `wirelark repl [CAPTURE]`.
func cmdRepl(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("repl", flag.ContinueOnError)
	var libFlags multi
	fs.Var(&libFlags, "lib", "library root name=dir, loaded as @name/... (repeatable; before WIRELARK_PATH)")
	maxSteps := fs.Uint64("max-steps", scripting.DefaultMaxSteps, "step budget of each evaluation (0: none)")
	pos, err := parseInterspersed(fs, args)
	if err == nil && len(pos) > 1 {
		err = fmt.Errorf("one capture at most (open more with capture.open)")
	}
	if err != nil {
		fmt.Fprintf(stderr, "wirelark repl: %v\n", err)
		return exitUsage
	}
	libs, err := libraries(libFlags)
	if err != nil {
		fmt.Fprintf(stderr, "wirelark repl: %v\n", err)
		return exitUsage
	}
	cfg := repl.Config{
		Libs: libs, Builtin: builtinScripts, MaxSteps: *maxSteps, Version: version,
		In: stdin, Out: stdout, Err: stderr,
		// Line editing needs the process's own terminal on both sides.
		Interactive: stdin == os.Stdin && stdout == os.Stdout && isTerminal(os.Stdin) && isTerminal(os.Stdout),
	}
	if len(pos) == 1 {
		cfg.Capture = pos[0]
	}
	if dir, err := scripting.DirRoot("", "."); err == nil {
		cfg.Dir = dir
	}
	if cfg.Interactive {
		if h, err := repl.HistoryPath(); err == nil {
			cfg.History = h
		}
	}
	return repl.Run(cfg)
}

func isTerminal(f *os.File) bool {
	_, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	return err == nil
}
