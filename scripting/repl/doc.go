// Package repl is wirelark's interactive Starlark prompt, `wirelark repl
// [CAPTURE]`: a read-eval-print loop over scripting.Session, the
// environment of `wirelark run` plus open captures.
//
// It reads input with line editing and a persistent history
// (github.com/peterh/liner; history.go), completes names, attributes of
// the values they hold and field names inside filter strings with Tab
// (complete.go), continues def, for and if blocks with a "... " prompt
// until a blank line (input.go), prints what an expression gives as
// Python's REPL does, with packets, connections and text shown as a
// person wants to read them (print.go), and explains values with help()
// (help.go). Ctrl-C cancels the input being typed or the evaluation
// running; Ctrl-D exits. When standard input is not a terminal the same
// loop runs without prompts, so a file of commands can be piped in.
package repl
